"""/.well-known/void: VoID and DCAT figures computed from the live data match the data."""

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from plenipot.linked_data.void import DATASET, VOID
from plenipot.namespaces import PP
from plenipot.sources.bundled import bundled
from plenipot.sources.rdf import graph_name
from plenipot.store.embedded import to_rdflib

SAMPLE = Path(__file__).parents[1] / "fixtures" / "valid" / "matrix-sample.ttl"
ONTOLOGY = bundled("ontology") / "plenipot.ttl"


@pytest.fixture(scope="module")
def client(matrix_client: TestClient) -> TestClient:
    return matrix_client


@pytest.fixture(scope="module")
def data() -> Graph:
    """The union of the sources, read independently of the service."""
    graph = Graph()
    for path in (SAMPLE, ONTOLOGY):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def void(client) -> Graph:
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    return Graph().parse(data=response.content, format="turtle")


def figure(void: Graph, subject, prop) -> int:
    value = void.value(subject, prop)
    assert isinstance(value, Literal) and value.datatype == XSD.integer, (subject, prop)
    return int(value)


def test_totals_match_the_data(void, data):
    assert figure(void, DATASET, VOID.triples) == len(data)
    assert figure(void, DATASET, VOID.distinctSubjects) == len(set(data.subjects()))
    assert figure(void, DATASET, VOID.properties) == len(set(data.predicates()))
    assert figure(void, DATASET, VOID.distinctObjects) == len(set(data.objects()))


def test_entities_per_class_match_the_data(void, data):
    expected = Counter(o for _, o in set(data.subject_objects(RDF.type)))
    partitions = {void.value(p, VOID["class"]): figure(void, p, VOID.entities)
                  for p in void.objects(DATASET, VOID.classPartition)}
    assert partitions == dict(expected)
    assert partitions[PP.Proposal] == 5
    assert partitions[PP.Resolution] == 2
    assert figure(void, DATASET, VOID.classes) == len(expected)


def test_each_source_file_is_a_subset_with_its_triples(void):
    subsets = {str(s): figure(void, s, VOID.triples) for s in void.objects(DATASET, VOID.subset)}
    assert subsets == {str(graph_name(SAMPLE)): len(list(ox.parse(path=SAMPLE))),
                       str(graph_name(ONTOLOGY)): len(list(ox.parse(path=ONTOLOGY)))}


def test_licence_and_sources_come_from_the_data(void, data):
    assert set(void.objects(DATASET, DCTERMS.license)) == set(data.objects(None, DCTERMS.license))
    sources = set(void.objects(DATASET, DCTERMS.source))
    assert URIRef("https://example.org/test/minutes") in sources
    assert sources == {o for o in data.objects(None, DCTERMS.source) if isinstance(o, URIRef)}


def test_endpoint_and_dumps_are_where_this_service_serves_them(void, client):
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://testserver/sparql")
    dumps = set(void.objects(DATASET, VOID.dataDump))
    assert len(dumps) == 6
    for url in dumps:
        assert client.get(str(url).removeprefix("http://testserver")).status_code == 200
    distributions = set(void.objects(DATASET, DCAT.distribution))
    assert {void.value(d, DCAT.downloadURL) for d in distributions} == dumps
    assert (DATASET, RDF.type, DCAT.Dataset) in void


def test_jsonld_by_accept(client, void):
    response = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.headers["vary"] == "Accept"
    parsed = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
              for t in ox.parse(response.content, format=ox.RdfFormat.JSON_LD)]
    assert len(parsed) == len(void)
    assert (DATASET, VOID.triples, void.value(DATASET, VOID.triples)) in parsed
