"""Reading the RDF a real server answered, with pyoxigraph's strict parsers (no rdflib
deprecation noise, and fast on megabytes)."""

import pyoxigraph as ox

GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


def statements(body: bytes, media: str) -> list:
    """The triples (or quads) of ``body``; a syntax error fails the test that reads it."""
    return list(ox.parse(body, format=GRAPH_FORMATS[media.split(";")[0].strip()]))


def distinct_triples(body: bytes, media: str) -> set:
    return {(q.subject, q.predicate, q.object) for q in statements(body, media)}
