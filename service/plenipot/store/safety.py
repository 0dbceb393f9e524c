"""Inspecting a caller's SPARQL before it runs: read-only, and never an outbound connection.

Oxigraph fetches ``SERVICE`` (and ``LOAD``) over HTTP, and rdflib fetches remote ``FROM`` too, so
a query from the outside is parsed first and refused when it would write or reach another host.
The parse uses rdflib's SPARQL grammar, which is not thread-safe (rdflib#1282): every parse holds
one lock, and parses are cached by query text (a parse costs about 10 ms; the cache makes a
repeated query free). A query that rdflib's grammar cannot read falls back to a lexical check
that strips strings, IRIs and comments before looking for ``SERVICE``; Oxigraph then gives the
syntax error its own message.
"""

import re
import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache

from plenipot.errors import ForbiddenOperation

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
         "DescribeQuery": "DESCRIBE"}
UPDATE_NAMES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT",
}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Inspection:
    """What a readable query asks for: its form and the graphs named in FROM / FROM NAMED."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None when only Oxigraph can parse it
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


def inspect_query(query: str, known_graphs: Collection[str]) -> Inspection:
    """Refuse (``ForbiddenOperation``) updates, ``SERVICE`` and ``FROM`` / ``FROM NAMED`` graphs
    that are not in the store; otherwise say what the query is."""
    inspection = _inspect(query)
    check_graphs(inspection.from_graphs, known_graphs, "FROM")
    check_graphs(inspection.from_named, known_graphs, "FROM NAMED")
    return inspection


def inspected(query: str, known_graphs: Collection[str]) -> Inspection | None:
    """``inspect_query`` when the query was parsed before (no parse, no lock); else None."""
    if query not in _SEEN:
        return None
    return inspect_query(query, known_graphs)


def check_graphs(graphs: Collection[str], known_graphs: Collection[str], where: str) -> None:
    """Graphs named by a query or a request must be graphs of this store: nothing is fetched."""
    for graph in graphs:
        if graph not in known_graphs:
            raise ForbiddenOperation(
                f"{where} <{graph}> is not a graph of this store; this service never fetches "
                "remote graphs (GET /sparql without a query lists the graphs it holds)"
            )


_SEEN: set[str] = set()  # texts that _inspect has cached (bounded with it)


def _inspect(query: str) -> Inspection:
    result = _inspect_cached(query)
    if len(_SEEN) > 512:
        _SEEN.clear()
    _SEEN.add(query)
    return result


@lru_cache(maxsize=512)
def _inspect_cached(query: str) -> Inspection:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _LOCK:
        try:
            parsed = parseQuery(query)
        except ParseException:
            parsed = None
        except Exception:  # rdflib's grammar raises more than ParseException on odd input
            parsed = None
        if parsed is None:
            try:
                update = parseUpdate(query)
            except Exception:
                update = None
    if parsed is None:
        if update is not None and update.request:
            names = sorted({UPDATE_NAMES.get(op.name, op.name) for op in update.request})
            raise ForbiddenOperation(
                f"this service is read-only: SPARQL Update ({', '.join(names)}) is refused"
            )
        if mentions_service(query):
            raise ForbiddenOperation(_SERVICE_REFUSED)
        return Inspection(form=None)  # let Oxigraph's parser explain what is wrong
    body = parsed[1]
    if any(node.name == "ServiceGraphPattern" for node in _walk(body)):
        raise ForbiddenOperation(_SERVICE_REFUSED)
    defaults, named = [], []
    # CompValue.get answers a missing key with its name: test membership instead
    clauses = body["datasetClause"] if "datasetClause" in body else ()  # noqa: SIM401
    for clause in clauses:
        if "default" in clause:
            defaults.append(str(clause["default"]))
        if "named" in clause:
            named.append(str(clause["named"]))
    return Inspection(FORMS.get(body.name), tuple(defaults), tuple(named))


_SERVICE_REFUSED = (
    "SERVICE is refused: this service never makes outbound requests on a query's behalf; "
    "query the other endpoint directly"
)


def _walk(node) -> Iterator:
    """Every rdflib ``CompValue`` inside a parse result."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)


# strings (long first), IRIs, comments and variables: nothing inside them is a keyword
_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\s]*>|#[^\n]*|[?$]\w+',
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w:])SERVICE(?![\w:])", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w:])FROM(?![\w:])", re.IGNORECASE)


def mentions_service(query: str) -> bool:
    """True when ``SERVICE`` appears as a keyword (not in a string, IRI, comment or name)."""
    return bool(_SERVICE.search(_NOISE.sub(" ", query)))


def mentions_dataset(query: str) -> bool:
    """True when the query names its own dataset (``FROM`` or ``FROM NAMED``)."""
    return "from" in query.lower() and bool(_FROM.search(_NOISE.sub(" ", query)))
