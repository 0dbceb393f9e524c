"""Inspecting a caller's SPARQL before it runs: read-only, and never an outbound connection.

Oxigraph fetches ``SERVICE`` (and ``LOAD``) over HTTP, and rdflib fetches remote ``FROM`` too, so
a query from the outside is parsed and decided on its parse tree: updates, ``SERVICE`` anywhere,
and ``FROM`` / ``FROM NAMED`` graphs that are not in the store are refused, and so is a query that
the grammar cannot read (there is no lexical fallback: what cannot be parsed cannot be checked).

Before the parse, three bounds that the text alone decides: its size, how deeply its brackets
nest (Oxigraph's parser overflows its stack at a few thousand, rdflib's recursion limit at a few
dozen), and a lone carriage return (SPARQL ends a ``#`` comment at CR, rdflib's grammar only at
LF, so the two parsers would read different queries). The parse itself is rdflib's, which is
not thread-safe (rdflib#1282): it holds one lock. The service never runs it in the server
process: the query workers run it before they evaluate (``EmbeddedStore.answer_checked``), under
the same time limit as the query, in a process that has no network (``plenipot.store.sandbox``).
"""

import re
import sys
import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from plenipot.errors import ForbiddenOperation, PayloadTooLarge, QueryError

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
         "DescribeQuery": "DESCRIBE"}
UPDATE_NAMES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT",
}
MAX_QUERY_CHARS = 100_000  # a default; the service passes its setting
MAX_DEPTH = 64  # brackets ( { [ open at once
_RECURSION = 4_000  # rdflib's grammar recurses ~30 frames a bracket, ~7 a triple pattern
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Inspection:
    """What a query asks for: its form and the graphs named in FROM / FROM NAMED."""

    form: str
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


def check_text(query: str, max_chars: int = MAX_QUERY_CHARS, max_depth: int = MAX_DEPTH) -> None:
    """Bounds decided on the text before any parser sees it: size, nesting, line ends."""
    if len(query) > max_chars:
        raise PayloadTooLarge(f"the query is {len(query)} characters long; this service accepts "
                              f"at most {max_chars}")
    depth = deepest = 0
    for char in query:  # strings count too: erring on the side of refusing
        if char in "({[":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > max_depth:
                    raise QueryError(f"the query nests brackets more than {max_depth} deep; "
                                     "write it flatter")
        elif char in ")}]" and depth:
            depth -= 1
    at = query.find("\r")
    while at >= 0:
        if query[at + 1 : at + 2] != "\n":
            line = query.count("\n", 0, at) + 1
            raise QueryError(f"line {line}: a carriage return that is not followed by a line "
                             "feed; end lines with LF or CRLF")
        at = query.find("\r", at + 1)


def inspect_query(query: str, known_graphs: Collection[str], *,
                  max_chars: int = MAX_QUERY_CHARS) -> Inspection:
    """Refuse updates, ``SERVICE``, unknown ``FROM`` / ``FROM NAMED`` graphs (each a
    ``ForbiddenOperation``) and what does not parse (``QueryError``); otherwise say what the
    query is."""
    check_text(query, max_chars)
    inspection = _inspect(query)
    check_graphs(inspection.from_graphs, known_graphs, "FROM")
    check_graphs(inspection.from_named, known_graphs, "FROM NAMED")
    return inspection


def check_graphs(graphs: Collection[str], known_graphs: Collection[str], where: str) -> None:
    """Graphs named by a query or a request must be graphs of this store: nothing is fetched."""
    for graph in graphs:
        if graph not in known_graphs:
            raise ForbiddenOperation(
                f"{where} <{graph}> is not a graph of this store; this service never fetches "
                "remote graphs (GET /sparql without a query lists the graphs it holds)"
            )


def _parse(function, query: str):
    """One rdflib parse, under the lock and with room to recurse; None if it does not parse."""
    from pyparsing import ParseBaseException

    with _LOCK:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _RECURSION))
        try:
            return function(query), None
        except ParseBaseException as error:
            return None, error
        except RecursionError:
            raise QueryError(_TOO_DEEP) from None
        except Exception as error:  # rdflib's grammar raises more than ParseException on odd input
            return None, error
        finally:
            sys.setrecursionlimit(limit)


_TOO_DEEP = ("the query nests or chains too deeply to be checked (more than about 500 triple "
             "patterns in one group, or deep nesting); split it")


def _where(error: Exception | None) -> str:
    line, column = getattr(error, "lineno", None), getattr(error, "col", None)
    message = getattr(error, "msg", None) or str(error)
    place = f" at {line}:{column}" if line else ""
    return f"{place}: {message}"


def _inspect(query: str) -> Inspection:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    parsed, error = _parse(parseQuery, query)
    if parsed is None:
        update, _ = _parse(parseUpdate, query)
        if update is not None and update.request:
            names = sorted({UPDATE_NAMES.get(op.name, op.name) for op in update.request})
            raise ForbiddenOperation(
                f"this service is read-only: SPARQL Update ({', '.join(names)}) is refused"
            )
        raise QueryError(f"the query does not parse{_where(error)}")
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
    form = FORMS.get(body.name)
    if form is None:  # not a query form this service knows: nothing to evaluate
        raise QueryError(f"the query does not parse as SELECT, ASK, CONSTRUCT or DESCRIBE "
                         f"({body.name})")
    return Inspection(form, tuple(defaults), tuple(named))


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
_FROM = re.compile(r"(?<![\w:])FROM(?![\w:])", re.IGNORECASE)


def mentions_dataset(query: str) -> bool:
    """True when the query seems to name its own dataset (``FROM`` or ``FROM NAMED``): then
    Oxigraph's union-default-graph option, which would override it, is left off. A hint for
    evaluation only, not a safety decision: unknown graphs are refused by ``inspect_query``."""
    return "from" in query.lower() and bool(_FROM.search(_NOISE.sub(" ", query)))
