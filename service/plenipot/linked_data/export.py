"""Exports of the whole graph, for ``plenipot export`` and ``/export``: ``dump(store,
media_type)`` writes it in one RDF format (the CSV tables are ``plenipot.tracker.tables``).

Quad formats (N-Quads, TriG) keep each source file's named graph; the triple formats hold the
union of the graphs (duplicates merged). JSON-LD is compacted with the published context
(``plenipot.linked_data.context``) written inline, so that it reads without fetching anything.
"""


import pyoxigraph as ox
from rdflib import Graph

from plenipot import formats
from plenipot.errors import NotAcceptable
from plenipot.linked_data.context import jsonld_context
from plenipot.namespaces import PREFIXES, bind_all
from plenipot.queries.header import sparql
from plenipot.queries.run import select
from plenipot.results import Term
from plenipot.store.base import Store
from plenipot.store.embedded import to_oxigraph

DUMP_TYPES = (formats.TURTLE, formats.NTRIPLES, formats.NQUADS, formats.TRIG, formats.JSONLD,
              formats.RDFXML)
QUAD_TYPES = (formats.NQUADS, formats.TRIG)
# --format names of the command -> media type
CLI_FORMATS = {"turtle": formats.TURTLE, "jsonld": formats.JSONLD, "ntriples": formats.NTRIPLES,
               "nquads": formats.NQUADS, "trig": formats.TRIG, "rdfxml": formats.RDFXML,
               "csv": formats.CSV}

# written by Oxigraph's serializers (fast, and free of rdflib's Dataset deprecations);
# JSON-LD by rdflib, which compacts with a context
OX_FORMATS = {formats.TURTLE: ox.RdfFormat.TURTLE, formats.NTRIPLES: ox.RdfFormat.N_TRIPLES,
              formats.NQUADS: ox.RdfFormat.N_QUADS, formats.TRIG: ox.RdfFormat.TRIG,
              formats.RDFXML: ox.RdfFormat.RDF_XML}


def quads(store: Store) -> list[tuple[Term, Term, Term, Term]]:
    """Every quad of the store as (subject, predicate, object, graph name)."""
    result = select(store, sparql("plenipot.linked_data", "quads"))
    return [(row["s"], row["p"], row["o"], row["g"]) for row in result.rows]


def dump(store: Store, media_type: str) -> bytes:
    """The whole graph as ``media_type`` (one of ``DUMP_TYPES``)."""
    if media_type not in DUMP_TYPES:
        raise NotAcceptable(f"the whole graph cannot be written as {media_type}; "
                            f"offered: {', '.join(DUMP_TYPES)}")
    every = quads(store)
    if media_type in QUAD_TYPES:
        items = [ox.Quad(*(to_oxigraph(t) for t in quad)) for quad in every]
    else:
        triples = dict.fromkeys((s, p, o) for s, p, o, _ in every)  # the union, in order
        if media_type == formats.JSONLD:
            graph = bind_all(Graph())
            for triple in triples:
                graph.add(triple)
            return graph.serialize(format="json-ld", context=jsonld_context(),
                                   auto_compact=True, encoding="utf-8")
        items = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in triples]
    prefixes = None if media_type in (formats.NTRIPLES, formats.NQUADS) else dict(PREFIXES)
    return ox.serialize(items, format=OX_FORMATS[media_type], prefixes=prefixes)












