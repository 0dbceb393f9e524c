"""Dereferenceable IRIs: /id/... and /def by content negotiation and by suffix."""

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from plenipot.config import Settings
from plenipot.namespaces import PP, PPID
from plenipot.sources.bundled import bundled
from plenipot.store.embedded import to_rdflib
from plenipot.web.app import create_app

SAMPLE = Path(__file__).parents[1] / "fixtures" / "valid" / "matrix-sample.ttl"
ONTOLOGY = bundled("ontology") / "plenipot.ttl"
RESOLUTION = "resolution/pp/9001"
PROPOSAL = "proposal/test-pp-1/tsa-1a1-1"
RDF_FORMATS = {  # media type -> (suffix, rdflib parser)
    "text/turtle": (".ttl", "turtle"),
    "application/ld+json": (".jsonld", "json-ld"),
    "application/n-triples": (".nt", "nt"),
    "application/rdf+xml": (".rdf", "xml"),
}


def settings(**overrides) -> Settings:
    return Settings(data=(SAMPLE, ONTOLOGY), bundled=False, validate_on_start=False, **overrides)


@pytest.fixture(scope="module")
def client(store_kind, engines) -> Iterator[TestClient]:
    with TestClient(create_app(engines.settings(store_kind, settings()))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def source() -> Graph:
    return Graph().parse(SAMPLE, format="turtle")


def own_triples(source: Graph, key: str) -> set:
    return set(source.triples((PPID[key], None, None)))


def parse(response, parser: str) -> Graph:
    """The document as an rdflib graph (JSON-LD read by Oxigraph: rdflib's JSON-LD parser
    warns about its own deprecated ConjunctiveGraph)."""
    if parser != "json-ld":
        return Graph().parse(data=response.content, format=parser)
    graph = Graph()
    for triple in ox.parse(response.content, format=ox.RdfFormat.JSON_LD):
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate),
                   to_rdflib(triple.object)))
    return graph


@pytest.mark.parametrize("media", RDF_FORMATS)
def test_accept_picks_the_format_and_the_document_holds_the_resource(client, source, media):
    response = client.get(f"/id/{RESOLUTION}", headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    graph = parse(response, RDF_FORMATS[media][1])
    assert own_triples(source, RESOLUTION) <= set(graph)


@pytest.mark.parametrize("media", RDF_FORMATS)
def test_a_suffix_fixes_the_format_whatever_accept_says(client, source, media):
    suffix, parser = RDF_FORMATS[media]
    response = client.get(f"/id/{PROPOSAL}{suffix}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert own_triples(source, PROPOSAL) <= set(parse(response, parser))


def test_no_accept_gives_turtle(client, source):
    response = client.get(f"/id/{RESOLUTION}")
    assert response.headers["content-type"].startswith("text/turtle")
    assert own_triples(source, RESOLUTION) <= set(parse(response, "turtle"))


def test_q_values_are_honoured(client):
    accept = "text/turtle;q=0.5, application/n-triples;q=0.9"
    response = client.get(f"/id/{RESOLUTION}", headers={"Accept": accept})
    assert response.headers["content-type"] == "application/n-triples"


@pytest.mark.parametrize("url", [f"/id/{RESOLUTION}", f"/id/{RESOLUTION}.html"])
def test_people_get_html(client, url):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(url, headers={"Accept": browser})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "9001" in response.text


def test_vary_and_link_headers(client):
    response = client.get(f"/id/{RESOLUTION}", headers={"Accept": "text/turtle"})
    assert response.headers["vary"] == "Accept"
    links = response.headers["link"]
    base = f"http://testserver/id/{RESOLUTION}"
    for media, (suffix, _) in RDF_FORMATS.items():
        if media != "text/turtle":
            assert f'<{base}{suffix}>; rel="alternate"; type="{media}"' in links
    assert f'<{base}.html>; rel="alternate"; type="text/html"' in links
    assert f"<{base}.ttl>" not in links
    assert response.headers["content-location"] == f"{base}.ttl"


def test_a_resolution_comes_with_its_revisions_and_the_proposals_that_target_them(client):
    graph = parse(client.get(f"/id/{RESOLUTION}.ttl"), "turtle")
    revision = PPID[f"{RESOLUTION}/test-city-2095"]
    assert (revision, PP.revisionLabel, Literal("Rev. Test City, 2095")) in graph
    targeting = set(graph.subjects(PP.target, revision))
    assert targeting == {PPID["proposal/test-pp-1/tsa-1a1-1"], PPID["proposal/test-pp-1/tsb-2-1"]}
    proposal = PPID["proposal/test-pp-1/tsb-2-1"]
    assert (proposal, DCTERMS.identifier, Literal("TSB/2/1")) in graph
    assert (proposal, PP.action, PPID["action/mod"]) in graph
    assert (proposal, PP.status, PPID["status/submitted"]) in graph
    # and the names of what they point to
    assert graph.value(PPID["org/test-rto-beta"], DCTERMS.identifier) == Literal("TSTB")
    label = graph.value(PPID["issue-area/cybersecurity"], SKOS.prefLabel)
    assert label == Literal("Cybersecurity", lang="en")


def test_a_proposal_comes_with_its_status_changes_and_the_names_of_its_links(client):
    graph = parse(client.get(f"/id/{PROPOSAL}.ttl"), "turtle")
    change = PPID[f"{PROPOSAL}/status/2"]
    assert (change, PP.status, PPID["status/adopted-with-modifications"]) in graph
    assert (change, DCTERMS.source, URIRef("https://example.org/test/minutes")) in graph
    assert graph.value(PPID["conference/test-pp-1"], DCTERMS.identifier) == Literal("TEST-PP-1")
    # the resolution behind the revision it targets is named too
    assert graph.value(PPID["resolution/pp/9001"], PP.number) == Literal("9001")


def test_links_to_a_resource_are_part_of_its_description(client):
    graph = parse(client.get("/id/org/test-rto-beta.nt"), "nt")
    assert (PPID["proposal/test-pp-1/tsb-2-1"], PP.submittedBy, PPID["org/test-rto-beta"]) in graph


@pytest.mark.parametrize("path", ["/id/nothing/here", "/id/nothing/here.ttl", "/id/a%20b%22c"])
def test_unknown_iri_is_a_404_for_machines(client, path):
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "nothing is known about" in response.json()["message"]


def test_unknown_iri_is_a_404_page_for_people(client):
    response = client.get("/id/nothing/here", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_an_unoffered_format_is_a_406(client):
    response = client.get(f"/id/{RESOLUTION}", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "image/png" in response.json()["message"]


def test_the_vocabulary_dereferences_as_turtle(client):
    for response in (client.get("/def", headers={"Accept": "text/turtle"}), client.get("/def.ttl")):
        assert response.status_code == 200
        graph = parse(response, "turtle")
        assert (PP.Proposal, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph
        assert graph.value(PP.Proposal, RDFS.label) is not None
        assert response.headers["vary"] == "Accept"


def test_the_vocabulary_is_a_page_for_people(client):
    response = client.get("/def", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Proposal" in response.text


def test_an_unknown_vocabulary_suffix_is_a_404(client):
    assert client.get("/def.xyz").status_code == 404


def test_the_served_base_is_a_setting_and_the_iris_stay_canonical():
    with TestClient(create_app(settings(base_url="https://plenipot.example/"))) as client:
        response = client.get(f"/id/{RESOLUTION}.ttl")
        assert f"<https://plenipot.example/id/{RESOLUTION}.jsonld>" in response.headers["link"]
        graph = parse(response, "turtle")
        assert (PPID[RESOLUTION], PP.number, Literal("9001")) in graph
