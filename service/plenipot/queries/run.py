"""Running the queries of a sub-package's ``sparql/`` folder (``header.sparql``) from code.

    rows(store, sparql("plenipot.web", "api-resolutions"), {"topic": iri}) -> [{var: str}]

The values are RDF terms, bound through the store's ``bindings=`` (a VALUES block); a tuple of
terms binds a set of them. Every name bound must be a parameter of the file's header: binding
one it does not declare is a bug in the caller (``UndeclaredBinding``, a 500), caught by the
tests rather than shipped. A piece named like a bound parameter is switched on with it
(``NamedQuery.text_with``); ``pieces`` adds others. A file whose header says
``# bind: written-in`` has the terms written in for their variables instead.
"""

from collections.abc import Iterable, Mapping

from rdflib.term import Identifier

from plenipot.queries.header import NamedQuery
from plenipot.results import GraphResult, SelectResult
from plenipot.store.base import Store
from plenipot.store.binding import write_in

Bindings = Mapping[str, Identifier | tuple[Identifier, ...]]


class UndeclaredBinding(KeyError):
    """Code bound a variable that the query's header does not declare as a parameter."""


def checked(query: NamedQuery, bindings: Bindings | None) -> dict:
    """``bindings`` if every name is a declared parameter of ``query``."""
    bindings = dict(bindings or {})
    declared = {p.name for p in query.params}
    undeclared = sorted(set(bindings) - declared)
    if undeclared:
        where = query.path or query.name
        raise UndeclaredBinding(f"{where} declares no parameter {', '.join(undeclared)}; "
                                f"add a '# param:' line for it")
    return bindings


def text(query: NamedQuery, bindings: Bindings | None = None, pieces: Iterable[str] = (),
         limit: int | None = None, offset: int = 0) -> str:
    """The text to run: the pieces of the bound parameters and ``pieces`` switched on."""
    bound = checked(query, bindings)
    names = [*(name for name in bound if name in query.pieces), *pieces]
    return query.text_with(*names, limit=limit, offset=offset)


def select(store: Store, query: NamedQuery, bindings: Bindings | None = None,
           pieces: Iterable[str] = (), *, limit: int | None = None, offset: int = 0,
           max_rows: int | None = None) -> SelectResult:
    """Run a SELECT; ``limit``/``offset`` page it in the query, ``max_rows`` caps the rows read."""
    bound = checked(query, bindings)
    query_text = text(query, bound, pieces, limit, offset)
    if query.written_in:
        return store.select(write_in(query_text, bound), limit=max_rows)
    return store.select(query_text, bindings=bound or None, limit=max_rows)


def rows(store: Store, query: NamedQuery, bindings: Bindings | None = None,
         pieces: Iterable[str] = (), *, limit: int | None = None,
         offset: int = 0) -> list[dict[str, str]]:
    """``select``'s rows as plain strings."""
    result = select(store, query, bindings, pieces, limit=limit, offset=offset)
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


def construct(store: Store, query: NamedQuery, bindings: Bindings | None = None,
              pieces: Iterable[str] = ()) -> GraphResult:
    """Run a CONSTRUCT."""
    bound = checked(query, bindings)
    query_text = text(query, bound, pieces)
    if query.written_in:  # a UNION whose every branch starts from the bound resource, say
        return store.construct(write_in(query_text, bound))
    return store.construct(query_text, bindings=bound or None)
