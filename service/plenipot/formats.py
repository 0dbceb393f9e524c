"""Media types, ``Accept`` negotiation and result serialization, shared by the API and the CLI."""

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef

from plenipot.errors import NotAcceptable
from plenipot.namespaces import bind_all
from plenipot.results import GraphResult, SelectResult, Term

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
NQUADS = "application/n-quads"
TRIG = "application/trig"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"
JSON = "application/json"

RESULT_TYPES = (SPARQL_JSON, SPARQL_XML, CSV, TSV)  # SELECT and ASK, preferred first
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD, RDFXML)  # CONSTRUCT and DESCRIBE, preferred first

# media type -> rdflib serializer name
RDFLIB_SERIALIZERS = {
    TURTLE: "turtle",
    NTRIPLES: "nt",
    JSONLD: "json-ld",
    RDFXML: "xml",
    NQUADS: "nquads",
    TRIG: "trig",
}
# paste-able suffixes for dereferenceable IRIs and downloads
SUFFIXES = {
    ".ttl": TURTLE,
    ".nt": NTRIPLES,
    ".jsonld": JSONLD,
    ".rdf": RDFXML,
    ".html": HTML,
    ".nq": NQUADS,
    ".trig": TRIG,
}
# aliases accepted where a format is named by hand (?format=, --format)
ALIASES = {
    "json": SPARQL_JSON,
    "xml": SPARQL_XML,
    "csv": CSV,
    "tsv": TSV,
    "turtle": TURTLE,
    "ttl": TURTLE,
    "ntriples": NTRIPLES,
    "nt": NTRIPLES,
    "jsonld": JSONLD,
    "json-ld": JSONLD,
    "rdfxml": RDFXML,
    "nquads": NQUADS,
    "trig": TRIG,
    "html": HTML,
}


def _parse_accept(accept: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    return ranges


def _specificity(media_range: str, offer: str) -> int | None:
    if media_range == offer:
        return 3
    kind, _, sub = media_range.partition("/")
    if sub == "*" and offer.startswith(kind + "/"):
        return 2
    if media_range in ("*/*", "*"):
        return 1
    return None


def negotiate(accept: str | None, offered: Sequence[str]) -> str:
    """The offered media type that ``accept`` prefers (q-values, then specificity, then our
    order). No header, or an empty one, takes the first offer. Raises ``NotAcceptable``."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = _parse_accept(accept)
    best: tuple[float, int, int] | None = None
    choice = None
    for index, offer in enumerate(offered):
        # the most specific range that matches decides this offer's q (RFC 9110 §12.5.1)
        matches = [
            (s, q) for media, q, _ in ranges if (s := _specificity(media, offer)) is not None
        ]
        if not matches:
            continue
        specificity, q = max(matches)
        if q <= 0:
            continue
        key = (q, specificity, -index)
        if best is None or key > best:
            best, choice = key, offer
    if choice is None:
        raise NotAcceptable(
            f"none of the formats asked for in Accept ({accept}) is offered here; "
            f"offered: {', '.join(offered)}"
        )
    return choice


# --- SELECT / ASK results --------------------------------------------------------------------


def _json_term(term: Term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _xml_term(term: Term) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def _tsv_term(term: Term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3().replace("\t", "\\t").replace("\n", "\\n")


def select_as_json(result: SelectResult) -> dict:
    """The SPARQL 1.1 JSON results document, as a dict (``truncated`` added when cut)."""
    document = {
        "head": {"vars": result.variables},
        "results": {
            "bindings": [{k: _json_term(v) for k, v in row.items()} for row in result.rows]
        },
    }
    if result.truncated:
        document["truncated"] = True
    return document


def render_select(result: SelectResult, media_type: str) -> bytes:
    if media_type == SPARQL_JSON:
        return json.dumps(select_as_json(result), ensure_ascii=False).encode()
    if media_type == SPARQL_XML:
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
        rows = "".join(
            "<result>"
            + "".join(
                f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>" for k, v in row.items()
            )
            + "</result>"
            for row in result.rows
        )
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{rows}</results></sparql>\n"
        ).encode()
    if media_type == CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([str(row[v]) if v in row else "" for v in result.variables])
        return buffer.getvalue().encode()
    if media_type == TSV:
        lines = ["\t".join(f"?{v}" for v in result.variables)]
        lines += [
            "\t".join(_tsv_term(row[v]) if v in row else "" for v in result.variables)
            for row in result.rows
        ]
        return ("\n".join(lines) + "\n").encode()
    raise NotAcceptable(f"SELECT results cannot be written as {media_type}")


def render_boolean(value: bool, media_type: str) -> bytes:
    if media_type == SPARQL_JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media_type == SPARQL_XML:
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
        ).encode()
    if media_type in (CSV, TSV):
        return f"_askResult\n{str(value).lower()}\n".encode()
    raise NotAcceptable(f"ASK results cannot be written as {media_type}")


# --- graphs ----------------------------------------------------------------------------------


def to_graph(result: GraphResult) -> Graph:
    graph = bind_all(Graph())
    for triple in result.triples:
        graph.add(triple)
    return graph


def render_graph(graph: Graph | GraphResult, media_type: str) -> bytes:
    if isinstance(graph, GraphResult):
        graph = to_graph(graph)
    try:
        serializer = RDFLIB_SERIALIZERS[media_type]
    except KeyError:
        raise NotAcceptable(f"a graph cannot be written as {media_type}") from None
    return graph.serialize(format=serializer, encoding="utf-8")


def is_literal(term: Term) -> bool:
    return isinstance(term, Literal)
