"""The embedded store: Oxigraph in this process, in memory or durable on disk.

Results come back as rdflib terms so that the rest of the code (serializers, pages, the remote
store to come) speaks one term model. ``bindings`` are bound as RDF terms, never pasted into
the query text. The service runs the same ``EmbeddedStore`` inside killable worker processes
(``plenipot.store.workers``); ``answer`` returns protocol bytes for ``/sparql`` without building
rdflib terms at all.
"""

import hashlib
import json
import logging
import re
import shutil
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from plenipot import formats
from plenipot.errors import InputError, Location, QueryError
from plenipot.namespaces import PREFIXES
from plenipot.results import Answer, Dataset, GraphResult, SelectResult, Term
from plenipot.sources.overrides import drop_replaced_in_store
from plenipot.sources.rdf import (
    OX_FORMATS,
    QUAD_FORMATS,
    check_file,
    expand,
    graph_name,
    oxigraph_error,
    rdf_format,
)
from plenipot.store import encode
from plenipot.store.base import Store, accepted
from plenipot.store.binding import bind_values
from plenipot.store.safety import mentions_dataset

_UNKNOWN_FUNCTION = re.compile(r"The custom function <([^<>]*)> is not supported")
MAX_UNKNOWN_FUNCTIONS = 32
log = logging.getLogger(__name__)
LOADED_MARKER = "plenipot-loaded.json"  # written into an on-disk store once it is fully loaded


# --- term conversion -------------------------------------------------------------------------

def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def to_oxigraph(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r} as an RDF term")


# --- loading ---------------------------------------------------------------------------------

def load_file(store: ox.Store, path: Path) -> None:
    """Load one file: a triple file into its named graph, a quad file into its own graphs.
    ``load_into`` and ``plenipot load`` (store/remote_load.py) read their sources through it."""
    fmt = rdf_format(path)
    target = None if fmt in QUAD_FORMATS else ox.NamedNode(str(graph_name(path)))
    if fmt in ("xml", "json-ld"):  # entities, remote contexts: refused before the parser
        check_file(path, fmt)
    try:
        store.bulk_load(path=path, format=OX_FORMATS[fmt], to_graph=target)
    except SyntaxError as error:
        if error.lineno is None:  # the check finds a place for it (or the bytes' own)
            check_file(path, fmt)
        raise oxigraph_error(path, error) from None
    except UnicodeDecodeError as error:
        check_file(path, fmt)  # says where the bad bytes are
        raise InputError(f"not UTF-8 text ({error.reason})", Location(str(path))) from None
    except OSError as error:
        raise InputError(error.strerror or str(error), Location(str(path))) from None


def load_into(store: ox.Store, paths: Iterable[Path]) -> list[Path]:
    """Load files into an Oxigraph store, each triple file into its own named graph (quad files
    keep theirs). Returns the files loaded; a bad file is an ``InputError`` at file:line:column."""
    files = expand(paths)
    for path in files:
        load_file(store, path)
    drop_replaced_in_store(store, (graph_name(path) for path in files))  # decision 0009
    return files


def fingerprint(files: Iterable[Path]) -> dict:
    """A content hash of the source files and the date of the newest one."""
    digest = hashlib.sha256()
    newest = 0.0
    for path in files:
        digest.update(str(graph_name(path)).encode() + b"\0")
        digest.update(path.read_bytes())
        newest = max(newest, path.stat().st_mtime)
    date = datetime.fromtimestamp(newest, UTC).date().isoformat() if newest else None
    return {"sources_sha256": digest.hexdigest()[:16], "sources_date": date}


def build_on_disk(sources: Iterable[Path], path: Path) -> dict:
    """Make ``path`` a loaded on-disk store, or reuse it if an earlier run loaded it from the
    same sources (same content hash); changed sources are loaded again. Returns the data
    version of the store."""
    files = expand(sources)
    current = {**fingerprint(files), "files": len(files)}
    marker = path / LOADED_MARKER
    if marker.is_file():
        recorded = json.loads(marker.read_text())
        if recorded.get("sources_sha256") == current["sources_sha256"]:
            return recorded
        log.warning("the sources changed since %s was loaded: loading it again", path)
        shutil.rmtree(path)
    elif path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise InputError("is not an empty folder nor a store that plenipot loaded completely; "
                         "delete it to load it again", Location(str(path)))
    try:
        store = ox.Store(str(path))
        load_into(store, files)
        store.flush()
        del store  # closes the database before read-only opens
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)  # never leave a half-loaded store behind
        raise
    marker.write_text(json.dumps(current))
    return current


# --- the embedded store ----------------------------------------------------------------------

class EmbeddedStore(Store):
    """Oxigraph in this process: in memory, or durable on disk at ``path``."""

    def __init__(self, oxigraph: ox.Store, version: dict | None = None,
                 prefixes: Mapping[str, str] | None = None):
        self._store = oxigraph
        self._version = version or {}
        self._prefixes = dict(prefixes or {})

    @classmethod
    def open(cls, sources: Iterable[Path], path: Path | None = None) -> "EmbeddedStore":
        if path is not None:
            version = build_on_disk(sources, path)
            return cls(ox.Store.read_only(str(path)), version, PREFIXES)
        store = ox.Store()
        files = load_into(store, sources)
        return cls(store, {**fingerprint(files), "files": len(files)}, PREFIXES)

    @classmethod
    def read_only(cls, path: Path, version: dict | None = None) -> "EmbeddedStore":
        return cls(ox.Store.read_only(str(path)), version, PREFIXES)

    def _run(self, query: str, bindings: Mapping[str, Identifier] | None,
             dataset: Dataset | None, base_iri: str | None = None):
        options: dict = {}
        if dataset is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
            options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        elif not mentions_dataset(query):  # Oxigraph's union option would override FROM
            options["use_default_graph_as_union"] = True
        if base_iri is not None:
            options["base_iri"] = base_iri
        text = bind_values(query, bindings)
        unknown: dict = {}  # extension functions this engine does not know
        while True:
            try:
                return self._store.query(text, **options)
            except RuntimeError as error:
                # SPARQL: an unknown function is an evaluation error (its expression is
                # unbound), not a reason to refuse the query; Oxigraph refuses it before
                # evaluating, naming one function at a time
                name = _UNKNOWN_FUNCTION.fullmatch(str(error))
                if name is None or len(unknown) >= MAX_UNKNOWN_FUNCTIONS:
                    raise QueryError(f"the query could not be evaluated: {error}") from None
                unknown[ox.NamedNode(name.group(1))] = _evaluation_error
                options["custom_functions"] = unknown
            except SyntaxError as error:
                raise QueryError(f"the query does not parse: {_short(str(error))}") from None
            except ValueError as error:  # an invalid base IRI
                raise QueryError(f"the query could not be evaluated: {error}") from None
            except OSError as error:
                raise QueryError(f"the query could not be evaluated: {error}") from None

    def select(self, query, bindings=None, limit=None, *, dataset=None) -> SelectResult:
        solutions = self._run(query, bindings, dataset)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        variables = [v.value for v in solutions.variables]
        rows: list[dict[str, Term]] = []
        truncated = False
        for solution in _iterate(solutions):
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append({v: to_rdflib(t) for v in variables if (t := solution[v]) is not None})
        return SelectResult(variables, rows, truncated)

    def select_compact(self, query, bindings=None, limit=None, *, dataset=None):
        """``select`` as plain tuples (variables, rows, truncated): a cheap pickle for the query
        workers, turned back into a ``SelectResult`` by ``from_compact``."""
        solutions = self._run(query, bindings, dataset)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        variables = [v.value for v in solutions.variables]
        taken, truncated = _take(solutions, limit)
        rows = [tuple(_compact(solution[v]) for v in variables) for solution in taken]
        return variables, rows, truncated

    def ask(self, query, bindings=None, *, dataset=None) -> bool:
        answer = self._run(query, bindings, dataset)
        if not isinstance(answer, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(answer)

    def construct(self, query, bindings=None, limit=None, *, dataset=None) -> GraphResult:
        triples = self._run(query, bindings, dataset)
        if not isinstance(triples, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        result = GraphResult()
        for triple in _iterate(triples):
            if limit is not None and len(result.triples) >= limit:
                result.truncated = True
                break
            result.triples.append(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return result

    def answer(self, query, *, results_type, graph_type, bindings=None, limit=None,
               dataset=None, form=None, base_iri=None) -> Answer:
        outcome = self._run(query, bindings, dataset, base_iri)
        if isinstance(outcome, ox.QueryBoolean):
            media = accepted(results_type, "ASK")
            return Answer("ASK", media, formats.render_boolean(bool(outcome), media))
        if isinstance(outcome, ox.QueryTriples):
            media = accepted(graph_type, form or "CONSTRUCT")
            triples, truncated = _take(outcome, limit)
            body = encode.encode_triples(triples, media, self._prefixes)
            return Answer(form or "CONSTRUCT", media, body, truncated)
        media = accepted(results_type, "SELECT")
        variables = [v.value for v in outcome.variables]
        solutions, truncated = _take(outcome, limit)
        rows = [[solution[v] for v in variables] for solution in solutions]
        return Answer("SELECT", media,
                      encode.encode_solutions(variables, rows, media, truncated), truncated)

    def triple_count(self) -> int:
        return len(self._store)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def data_version(self) -> dict:
        return dict(self._version)


def _evaluation_error(*_args) -> None:
    """What an unknown extension function evaluates to: an error (None), so that its
    expression is unbound and a FILTER on it is false."""
    return None


def _compact(term) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return (0, term.value)
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    return (2, term.value, term.language, term.datatype.value)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def from_compact(variables: list[str], rows: list[tuple], truncated: bool) -> SelectResult:
    out: list[dict[str, Term]] = []
    for row in rows:
        converted: dict[str, Term] = {}
        for name, term in zip(variables, row, strict=True):
            if term is None:
                continue
            if term[0] == 0:
                converted[name] = URIRef(term[1])
            elif term[0] == 1:
                converted[name] = BNode(term[1])
            elif term[2]:
                converted[name] = Literal(term[1], lang=term[2])
            elif term[3] == _XSD_STRING:
                converted[name] = Literal(term[1])
            else:
                converted[name] = Literal(term[1], datatype=URIRef(term[3]))
        out.append(converted)
    return SelectResult(variables, out, truncated)


def _short(message: str, limit: int = 240) -> str:
    """Oxigraph lists every expected token, character classes included: keep the start."""
    if len(message) <= limit:
        return message
    return message[: message.rfind(", ", 0, limit)] + ", …"


def _iterate(items: Iterable):
    """Oxigraph evaluates lazily: an error met while iterating (a failed SERVICE call in a
    worker that has no network, say) is the query's, not a bug."""
    try:
        yield from items
    except (OSError, RuntimeError) as error:
        raise QueryError(f"the query could not be evaluated: {error}") from None


def _take(items: Iterable, limit: int | None) -> tuple[list, bool]:
    """At most ``limit`` items, and whether there were more."""
    taken: list = []
    for item in _iterate(items):
        if limit is not None and len(taken) >= limit:
            return taken, True
        taken.append(item)
    return taken, False

