"""The import's Turtle writer: the same triples as rdflib reads them back, in a readable,
deterministic layout, and linear in the number of triples."""

import time

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, XSD

from plenipot.namespaces import PREFIXES
from plenipot.tracker.turtle import Triples, graph_to_turtle

PP = PREFIXES["pp"]


def sample(n: int) -> Triples:
    triples = Triples()
    for i in range(n):
        s = URIRef(f"https://w3id.org/plenipot/id/proposal/pp-22/p-{i}")
        triples.add((s, RDF.type, URIRef(PP + "Proposal")))
        triples.add((s, RDFS.label, Literal(f"MOD P/{i}", lang="en")))
        triples.add((s, DCTERMS.title, Literal('a "title"\nover two lines \\ with a backslash')))
        triples.add((s, DCTERMS.date, Literal("2022-08-01", datatype=XSD.date)))
        triples.add((s, URIRef(PP + "addendum"), Literal(i)))
        triples.add((s, DCTERMS.source, URIRef("https://example.org/a")))
        triples.add((s, DCTERMS.source, URIRef("https://example.org/b")))
    return triples


def test_it_reads_back_as_the_same_graph_in_the_usual_layout():
    triples = sample(3)
    text = graph_to_turtle(triples, PREFIXES)
    assert isomorphic(Graph().parse(data=text, format="turtle"), triples.to_graph())
    block = text.split("\n\n")[1]
    lines = block.splitlines()
    assert lines[0].endswith(" a pp:Proposal ;") and lines[1].strip().startswith("rdfs:label")
    assert "rdf:" not in text.split("\n\n")[0]  # only the prefixes it uses
    assert 'pp:addendum 0 .' in block and '"2022-08-01"^^xsd:date' in block
    assert graph_to_turtle(sample(3), PREFIXES) == text  # deterministic


def best_of(runs: int, triples: Triples) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        graph_to_turtle(triples, PREFIXES)
        times.append(time.perf_counter() - started)
    return min(times)


def test_it_is_linear():
    small, large = best_of(3, sample(2_000)), best_of(2, sample(20_000))
    assert large < 30 * small, (small, large)  # 10x the triples; quadratic would be ~100x
