"""Routes: linked_data."""

from fastapi import APIRouter

router = APIRouter()
