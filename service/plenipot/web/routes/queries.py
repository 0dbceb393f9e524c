"""Routes: ``/queries`` (the catalogue) and one typed, documented route per named query.

The routes are built from the catalogue when the router is first asked for, so that each
parameter appears in the OpenAPI schema with its type, description and, for code lists, the
keys of its SKOS scheme (read from the bundled code lists, not from the store, which opens
later). Values are checked again against the store when the query runs.
"""

import inspect
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from plenipot import formats
from plenipot.errors import NotFound
from plenipot.queries.catalogue import catalogue, run
from plenipot.queries.header import CODE_LISTS, NamedQuery, Param, load_catalogue
from plenipot.results import SelectResult
from plenipot.sources.bundled import bundled_files
from plenipot.web.deps import SettingsDep, StoreDep

OFFERED = (*formats.RESULT_TYPES, formats.JSON)
TRUNCATED_HEADER = "X-Plenipot-Truncated"
_PYTHON_TYPES: dict[str, type] = {"integer": int, "date": date}


class ParameterInfo(BaseModel):
    name: str
    type: str
    required: bool
    default: str | None = None
    description: str
    enum: list[str] | None = None


class QueryInfo(BaseModel):
    name: str
    title: str
    description: str
    path: str
    parameters: list[ParameterInfo]


@cache
def bundled_code_lists() -> dict[str, tuple[str, ...]]:
    """Scheme key -> its concept keys, from the bundled code lists (empty when there are none)."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from plenipot.namespaces import PPID

    graph = Graph()
    files = [p for p in bundled_files("ontology") if "codelist" in p.name] or []
    for path in files:
        graph.parse(path, format="turtle")
    keys: dict[str, set[str]] = {}
    for concept, scheme in graph.subject_objects(SKOS.inScheme):
        scheme_key = str(scheme).removeprefix(str(PPID))
        keys.setdefault(scheme_key, set()).add(str(concept).rsplit("/", 1)[-1])
    return {scheme: tuple(sorted(values)) for scheme, values in keys.items()}


def _enum(param: Param, code_lists: dict[str, tuple[str, ...]]) -> list[str] | None:
    values = code_lists.get(CODE_LISTS.get(param.type, ""), ())
    return list(values) or None


def respond(result: SelectResult, accept: str | None) -> Response:
    """A SELECT result in the negotiated format; ``application/json`` is SPARQL JSON."""
    media_type = formats.negotiate(accept, OFFERED)
    body = formats.render_select(
        result, formats.SPARQL_JSON if media_type == formats.JSON else media_type
    )
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers[TRUNCATED_HEADER] = "true"
    if media_type in (formats.CSV, formats.TSV):
        media_type += "; charset=utf-8"
    return Response(body, media_type=media_type, headers=headers)


def _signature(query: NamedQuery, code_lists: dict) -> inspect.Signature:
    parameters = [
        inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
        inspect.Parameter("store", inspect.Parameter.KEYWORD_ONLY, annotation=StoreDep),
        inspect.Parameter("settings", inspect.Parameter.KEYWORD_ONLY, annotation=SettingsDep),
    ]
    for param in query.params:
        python_type = _PYTHON_TYPES.get(param.type, str)
        extra: dict[str, Any] = {}
        if enum := _enum(param, code_lists):
            extra["enum"] = enum
        description = f"{param.description} ({param.type})"
        spec = Query(description=description, json_schema_extra=extra or None)
        if param.required:
            annotation, default = Annotated[python_type, spec], inspect.Parameter.empty
        elif param.default is not None:
            annotation, default = Annotated[python_type, spec], param.default
        else:
            annotation, default = Annotated[python_type | None, spec], None
        parameters.append(
            inspect.Parameter(
                param.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
            )
        )
    return inspect.Signature(parameters)


def _endpoint(query: NamedQuery, code_lists: dict) -> Callable[..., Response]:
    def endpoint(request: Request, store, settings, **values) -> Response:
        given = {k: str(v) for k, v in values.items() if v is not None}
        result = run(query, given, store, limit=settings.max_rows)
        return respond(result, request.headers.get("accept"))

    endpoint.__signature__ = _signature(query, code_lists)  # type: ignore[attr-defined]
    endpoint.__name__ = "query_" + query.name.replace("-", "_")
    return endpoint


_RESPONSES = {
    200: {
        "description": "The answer, as SPARQL JSON (also for application/json), XML, CSV or TSV. "
        f'A header {TRUNCATED_HEADER}: true (and "truncated": true in JSON) says the rows '
        "were cut at the row cap.",
        "content": {media: {} for media in OFFERED},
    },
    400: {"description": "A missing or wrong parameter; the message names it."},
    406: {"description": "None of the formats in Accept is offered."},
}


def build_router(
    folder: Path | None = None, code_lists: dict[str, tuple[str, ...]] | None = None
) -> APIRouter:
    """The ``/queries`` routes for the queries in ``folder`` (default: the bundled ones)."""
    queries = load_catalogue(folder) if folder is not None else catalogue()
    code_lists = bundled_code_lists() if code_lists is None else code_lists
    router = APIRouter(prefix="/queries", tags=["named queries"])

    infos = [
        QueryInfo(
            name=q.name,
            title=q.title,
            description=q.description,
            path=f"/queries/{q.name}",
            parameters=[ParameterInfo(**p.to_dict(), enum=_enum(p, code_lists)) for p in q.params],
        )
        for q in queries.values()
    ]

    @router.get("", response_model=list[QueryInfo], summary="The named queries")
    def list_queries() -> list[QueryInfo]:
        """Every named query with its title, description and parameters."""
        return infos

    for query in queries.values():
        router.add_api_route(
            f"/{query.name}",
            _endpoint(query, code_lists),
            methods=["GET"],
            summary=query.title,
            description=query.description,
            response_class=Response,
            responses=_RESPONSES,
        )

    @router.get("/{name}", include_in_schema=False)
    def unknown_query(name: str) -> Response:
        raise NotFound(f"no named query {name!r}; see /queries for the list")

    return router


def __getattr__(name: str) -> APIRouter:
    """``router`` is built on first use (reading the catalogue), not at import."""
    if name == "router":
        globals()["router"] = built = build_router()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
