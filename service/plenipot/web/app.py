"""The web service: ``create_app(settings)`` builds it; the lifespan opens the store into
``app.state`` (or takes one already opened, as ``plenipot serve`` does so that a bad input file
is reported before the server starts)."""

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from plenipot import __version__
from plenipot.config import Settings
from plenipot.errors import ParameterError, PlenipotError
from plenipot.store.base import Store
from plenipot.store.connect import open_store, store_sources
from plenipot.web import openapi
from plenipot.web.health import HealthMonitor
from plenipot.web.limits import BodyLimit
from plenipot.web.replica import ReplicaHeader
from plenipot.web.response_cache import ResponseCache
from plenipot.web.routes import api, changes, docs, health, linked_data, pages, queries, sparql

log = logging.getLogger("plenipot")
HTTP_ERROR_NAMES = {404: "NotFound", 405: "MethodNotAllowed", 406: "NotAcceptable",
                    413: "PayloadTooLarge", 415: "UnsupportedMediaType"}


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.settings = settings
        app.state.store = store if store is not None else open_store(settings)
        app.state.health = HealthMonitor(app.state.store, store_sources(settings),
                                         validate=settings.validate_on_start)
        try:
            yield
        finally:
            app.state.health.close()
            app.state.store.close()

    app = FastAPI(
        title="Plenipot",
        version=__version__,
        description="A proposal-tracking knowledge graph for ITU conferences.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's pages load Swagger UI and ReDoc from a CDN: routes/docs.py
        redoc_url=None,
    )
    add_error_handlers(app)
    openapi.tidy(app)
    app.add_middleware(BodyLimit, max_body=settings.max_body)
    app.add_middleware(ResponseCache, entries=settings.cache_entries)
    if settings.replica:  # behind a load balancer: say which replica answered
        app.add_middleware(ReplicaHeader, name=settings.replica)
    for module in (sparql, health, queries, api, changes, linked_data, pages, docs):
        app.include_router(module.router)
    return app


def add_error_handlers(app: FastAPI) -> None:
    """One body shape for every error: ``{"error": ..., "message": ...}`` (see errors.py)."""

    @app.exception_handler(PlenipotError)
    async def plenipot_error(request: Request, error: PlenipotError) -> JSONResponse:
        return JSONResponse(error.to_dict(), status_code=error.http_status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        problem = (error.errors() or [{}])[0]
        location = [str(part) for part in problem.get("loc", ()) if part not in ("query", "path",
                                                                                "body", "header")]
        name = ".".join(location) or "request"
        message = problem.get("msg", "is not valid")
        if problem.get("type") == "missing":
            message = "is required"
        return JSONResponse(ParameterError(name, message).to_dict(), status_code=400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        name = HTTP_ERROR_NAMES.get(error.status_code, "HTTPError")
        message = error.detail if isinstance(error.detail, str) else str(error.detail)
        if error.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return JSONResponse({"error": name, "message": message}, status_code=error.status_code,
                            headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def bug(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse({"error": "InternalError",
                             "message": "an unexpected error happened; it has been logged"},
                            status_code=500)


