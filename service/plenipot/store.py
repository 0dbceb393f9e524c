"""The store interface the routes and commands talk to, and its embedded Oxigraph implementation.

Results come back as rdflib terms so that the rest of the code (serializers, pages, the remote
store to come) speaks one term model. ``bindings`` are bound as RDF terms, never pasted into
the query text.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from plenipot.errors import InputError, Location, QueryError
from plenipot.graph import QUAD_FORMATS, expand, graph_name, rdf_format

Term = URIRef | Literal | BNode


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[dict[str, Term]]  # unbound variables are absent from a row
    truncated: bool = False  # True when rows were cut at the row cap


@dataclass
class GraphResult:
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False


class Store(ABC):
    """A read-only SPARQL store over the loaded sources (each source file a named graph)."""

    @abstractmethod
    def select(
        self, query: str, bindings: Mapping[str, Identifier] | None = None, limit: int | None = None
    ) -> SelectResult: ...

    @abstractmethod
    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool: ...

    @abstractmethod
    def construct(
        self, query: str, bindings: Mapping[str, Identifier] | None = None, limit: int | None = None
    ) -> GraphResult: ...

    @abstractmethod
    def triple_count(self) -> int: ...

    @abstractmethod
    def graph_names(self) -> list[str]: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the store holds."""


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


# --- the embedded store ----------------------------------------------------------------------

OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "n3": ox.RdfFormat.N3,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
}


def load_into(store: ox.Store, paths: Iterable[Path]) -> None:
    """Bulk-load files into an Oxigraph store, each triple file into its own named graph."""
    for path in expand(paths):
        fmt = rdf_format(path)
        target = None if fmt in QUAD_FORMATS else ox.NamedNode(str(graph_name(path)))
        try:
            store.bulk_load(path=path, format=OX_FORMATS[fmt], to_graph=target)
        except SyntaxError as error:
            raise InputError(str(error).split(" (")[0], Location(str(path), error.lineno, error.offset)) from None


class EmbeddedStore(Store):
    """Oxigraph in this process: in memory, or durable on disk at ``path``."""

    def __init__(self, oxigraph: ox.Store):
        self._store = oxigraph

    @classmethod
    def open(cls, sources: Iterable[Path], path: Path | None = None) -> "EmbeddedStore":
        if path is not None and path.exists() and any(path.iterdir()):
            return cls(ox.Store(str(path)))  # loaded once, reused on restart
        store = ox.Store(str(path)) if path is not None else ox.Store()
        load_into(store, sources)
        return cls(store)

    def _run(self, query: str, bindings: Mapping[str, Identifier] | None):
        substitutions = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
        try:
            return self._store.query(query, use_default_graph_as_union=True, substitutions=substitutions)
        except SyntaxError as error:
            raise QueryError(str(error)) from None
        except OSError as error:
            raise QueryError(f"the query could not be evaluated: {error}") from None

    def select(self, query, bindings=None, limit=None) -> SelectResult:
        solutions = self._run(query, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        variables = [v.value for v in solutions.variables]
        rows: list[dict[str, Term]] = []
        truncated = False
        for solution in solutions:
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append({v: to_rdflib(t) for v in variables if (t := solution[v]) is not None})
        return SelectResult(variables, rows, truncated)

    def ask(self, query, bindings=None) -> bool:
        answer = self._run(query, bindings)
        if not isinstance(answer, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(answer)

    def construct(self, query, bindings=None, limit=None) -> GraphResult:
        triples = self._run(query, bindings)
        if not isinstance(triples, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        result = GraphResult()
        for triple in triples:
            if limit is not None and len(result.triples) >= limit:
                result.truncated = True
                break
            result.triples.append((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return result

    def triple_count(self) -> int:
        return len(self._store)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
