"""Routes: ``/health``. Asynchronous and store-light on purpose: it answers at once even while
every query worker and every thread of the pool is busy."""

from fastapi import APIRouter, Request

router = APIRouter(tags=["service"])


@router.get("/health", summary="Data version, size, and whether the data conforms to the shapes")
async def health(request: Request) -> dict:
    return request.app.state.health.report()
