"""What the ``/api`` lookups share: the router, the queries of ``web/sparql/``, path keys.

Every value a caller gives is checked and converted to an RDF term by the type its query's
header declares (``plenipot.queries.params.convert``) and bound, never pasted; a query's text
only changes by which of its fixed pieces (filters) are switched on (``plenipot.queries.run``).
Unknown identifiers are 404s, bad filters 400s that name the parameter.
"""

import re

from fastapi import APIRouter
from rdflib import URIRef
from rdflib.term import Identifier

from plenipot.errors import NotFound
from plenipot.namespaces import PP
from plenipot.queries.header import NamedQuery, sparql
from plenipot.queries.params import convert
from plenipot.queries.run import Bindings, rows
from plenipot.store.base import Store
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
