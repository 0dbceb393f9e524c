"""FastAPI dependencies: the store and the settings, passed in, never module globals."""

from typing import Annotated

from fastapi import Depends, Request

from plenipot.config import Settings
from plenipot.store.base import Store


async def get_store(request: Request) -> Store:  # async: no thread-pool hop
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
