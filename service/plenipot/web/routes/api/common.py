"""What the ``/api`` lookups share: the router, the queries of ``web/sparql/``, path keys.

Every value a caller gives is checked and converted to an RDF term by the type its query's
header declares (``plenipot.queries.params.convert``) and bound, never pasted; a query's text
only changes by which of its fixed pieces (filters) are switched on (``plenipot.queries.run``).
Unknown identifiers are 404s, bad filters 400s that name the parameter.
"""

import re
from functools import lru_cache

from fastapi import APIRouter, Response
from pydantic import TypeAdapter
from rdflib import URIRef
from rdflib.term import Identifier

from plenipot.errors import NotFound
from plenipot.namespaces import PP
from plenipot.queries.header import NamedQuery, sparql
from plenipot.queries.params import convert
from plenipot.queries.run import Bindings, checked, rows, text
from plenipot.store.base import Store
from plenipot.store.binding import term_to_sparql, write_in
from plenipot.web.routes.api.models import ErrorBody

router = APIRouter(
    prefix="/api",
    tags=["lookups"],
    responses={
        400: {"model": ErrorBody, "description": "A bad filter; the message names it."},
        404: {"model": ErrorBody, "description": "No such resource."},
    },
)
KEY = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")


def query(name: str) -> NamedQuery:
    """``web/sparql/api-{name}.rq``."""
    return sparql("plenipot.web", f"api-{name}")


def select(store: Store, name: str, bindings: Bindings | None = None, *pieces: str,
           limit: int | None = None, offset: int = 0) -> list[dict[str, str]]:
    """Rows of plain strings of the query ``api-{name}``."""
    return rows(store, query(name), bindings, pieces, limit=limit, offset=offset)


async def select_async(store: Store, name: str, bindings: Bindings | None = None
                       ) -> list[dict[str, str]]:
    """``select`` for an ``async def`` route: the query worker's pipe is watched by the event
    loop, so a lookup costs no thread-pool hop (``WorkerPool.select_async``)."""
    named = query(name)
    bound = checked(named, bindings)
    query_text = text(named, bound)
    if named.written_in:
        result = await store.select_async(_written_in(query_text, bound))
    else:
        result = await store.select_async(query_text, bindings=bound or None)
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


_SLOT = "urn:x-plenipot-slot:"  # an IRI no query text of ours contains


@lru_cache(maxsize=256)
def _with_slots(query_text: str, names: tuple[str, ...]) -> str:
    """``write_in`` of placeholder IRIs: it walks the text character by character in Python
    (about 0.5 ms for a 3,000-character file), so it runs once per query text, not per call."""
    if _SLOT in query_text:
        raise ValueError(f"a query text contains {_SLOT}")
    return write_in(query_text, {name: URIRef(f"{_SLOT}{name}") for name in names})


def _written_in(query_text: str, bindings: Bindings) -> str:
    """``write_in(query_text, bindings)``, each term serialized and checked as ``write_in``
    does (``term_to_sparql``), written over its placeholder."""
    slotted = _with_slots(query_text, tuple(sorted(bindings)))
    for name, term in bindings.items():
        slotted = slotted.replace(f"<{_SLOT}{name}>", term_to_sparql(name, term))
    return slotted


@lru_cache(maxsize=64)
def _adapter(shape) -> TypeAdapter:
    return TypeAdapter(shape)


def json_response(value, shape=None) -> Response:
    """``value`` (a model, or anything of type ``shape``, e.g. ``list[ResolutionSummary]``) as
    its JSON, written by pydantic-core's serializer. Returned as a ``Response``, it skips
    FastAPI's second validation of the value and its own encoding (0.1-0.2 ms a lookup; 23 of
    85 ms for the 1,660 resolutions of the 100k graph, against 0.5 ms); the route's
    ``response_model`` still documents the shape, and the JSON is the same (UTF-8, compact,
    every field, ``null`` included)."""
    body = value.model_dump_json() if shape is None else _adapter(shape).dump_json(value)
    return Response(body, media_type="application/json")


def value(name: str, text: str, store: Store, of: str) -> Identifier:
    """``text`` as the term that the parameter ``name`` of query ``api-{of}`` takes."""
    return convert(query(of).param(name), text, store)


def key_of(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def split(joined: str | None) -> list[str]:
    return sorted(v for v in (joined or "").split("|") if v)


def path_key(text: str, what: str) -> str:
    key = text.strip().lower()
    if not KEY.match(key):
        raise NotFound(f"no {what} {text!r}")
    return key


def exists(store: Store, iri: URIRef, cls: str) -> bool:
    """Whether ``iri`` is a ``pp:{cls}``."""
    return bool(select(store, "exists", {"s": iri, "class": PP[cls]}))
