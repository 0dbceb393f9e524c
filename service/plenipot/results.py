"""The result types that stores return and that the formats and routes write: rows of rdflib
terms, triples, the dataset of a request, and answers already in a protocol format."""

from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef

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


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of one request (SPARQL Protocol ``default-graph-uri`` and
    ``named-graph-uri``). Given, it replaces the union default graph and the query's FROM."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass
class Answer:
    """A query's result already written in a protocol format."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE ("CONSTRUCT" covers both graph forms)
    media_type: str
    body: bytes
    truncated: bool = False
