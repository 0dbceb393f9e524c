"""The web service: ``create_app(settings)`` builds it; the lifespan opens the store into
``app.state``."""

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from plenipot import __version__
from plenipot.config import Settings
from plenipot.errors import PlenipotError
from plenipot.resources import graph_sources
from plenipot.routes import api, linked_data, pages, queries, sparql
from plenipot.store import EmbeddedStore, Store


def open_store(settings: Settings) -> Store:
    sources = [*graph_sources()] if settings.bundled else []
    sources += list(settings.data)
    return EmbeddedStore.open(sources, settings.store_path)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.settings = settings
        app.state.store = open_store(settings)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="Plenipot",
        version=__version__,
        description="A proposal-tracking knowledge graph for ITU conferences.",
        lifespan=lifespan,
    )

    @app.exception_handler(PlenipotError)
    async def plenipot_error(request: Request, error: PlenipotError) -> JSONResponse:
        return JSONResponse(error.to_dict(), status_code=error.http_status)

    for module in (sparql, queries, api, linked_data, pages):
        app.include_router(module.router)
    return app


def cli_serve(args) -> int:
    import uvicorn

    settings = Settings.from_env(
        data=tuple(args.data or ()),
        bundled=not args.no_bundled or None,
        store_path=args.store,
        endpoint=args.endpoint,
        base_url=args.base_url,
    )
    uvicorn.run(create_app(settings), host=args.host, port=args.port)
    return 0
