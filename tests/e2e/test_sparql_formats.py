"""``/sparql`` over real HTTP: every result format, for answers from empty to over 1 MB, and the
same large answer many times on the same workers (the uvloop pipe bug answered anything over
16 KiB with a 502: see ``test_large_answers_*``)."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from e2e.rdf_bodies import GRAPH_FORMATS as PARSERS
from e2e.rdf_bodies import distinct_triples

pytestmark = pytest.mark.slow

RESULT_FORMATS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_FORMATS = [m for m in PARSERS if m not in ("application/n-quads", "application/trig")]
SRX = "{http://www.w3.org/2005/sparql-results#}"
ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
# the same without blank nodes, whose labels each query worker draws when it loads the data
NAMED_TRIPLES = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } "
                 "ORDER BY ?s ?p ?o")
EMPTY_SELECT = "SELECT ?s WHERE { ?s <urn:plenipot:test:nothing> ?o }"
ALL_GRAPH = "CONSTRUCT WHERE { ?s ?p ?o }"
EMPTY_GRAPH = "CONSTRUCT WHERE { ?s <urn:plenipot:test:nothing> ?o }"


def sparql(http, query: str, accept: str, method: str = "GET"):
    headers = {"Accept": accept}
    if method == "GET":
        return http.get("/sparql", params={"query": query}, headers=headers)
    if method == "form":
        return http.post("/sparql", data={"query": query}, headers=headers)
    return http.post("/sparql", content=query.encode(),
                     headers={**headers, "Content-Type": "application/sparql-query"})


def rows(body: bytes, kind: str) -> int:
    """How many solutions a SELECT answer holds, read with a parser of its format."""
    if kind == "json":
        return len(json.loads(body)["results"]["bindings"])
    if kind == "xml":
        return len(ET.fromstring(body).findall(f"{SRX}results/{SRX}result"))
    table = list(csv.reader(io.StringIO(body.decode()),
                            delimiter="," if kind == "csv" else "\t"))
    return len(table) - 1  # the header row


@pytest.fixture(scope="module")
def triple_count(http) -> int:
    return http.get("/health").json()["triples"]


@pytest.mark.parametrize("method", ["GET", "form", "body"])
@pytest.mark.parametrize("media", RESULT_FORMATS)
def test_select_in_every_result_format(http, media, method):
    query = "SELECT ?c ?label WHERE { ?c a <https://w3id.org/plenipot/def#Conference> ; " \
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    response = sparql(http, query, media, method)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    assert rows(response.content, RESULT_FORMATS[media]) > 0


@pytest.mark.parametrize("media", RESULT_FORMATS)
def test_empty_select_in_every_result_format(http, media):
    response = sparql(http, EMPTY_SELECT, media)
    assert response.status_code == 200, response.text
    assert rows(response.content, RESULT_FORMATS[media]) == 0


@pytest.mark.parametrize("media", RESULT_FORMATS)
def test_ask_in_every_result_format(http, media):
    response = sparql(http, "ASK { ?s ?p ?o }", media)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    text = response.text.lower()
    assert "true" in text and "false" not in text


@pytest.mark.parametrize("media", GRAPH_FORMATS)
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_graphs_in_every_graph_format(http, media, form):
    query = ("DESCRIBE <https://w3id.org/plenipot/id/conference/pp-22>" if form == "DESCRIBE"
             else "CONSTRUCT WHERE { <https://w3id.org/plenipot/id/conference/pp-22> ?p ?o }")
    response = sparql(http, query, media)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    graph = distinct_triples(response.content, media)
    assert len(graph) > 3


@pytest.mark.parametrize("media", GRAPH_FORMATS)
def test_empty_graph_in_every_graph_format(http, media):
    response = sparql(http, EMPTY_GRAPH, media)
    assert response.status_code == 200, response.text
    assert len(distinct_triples(response.content, media)) == 0


@pytest.mark.parametrize("media", RESULT_FORMATS)
def test_large_answers_in_every_result_format(http, media, triple_count):
    """Every triple of the bundled data and the --data file as solutions: over 1 MB."""
    response = sparql(http, ALL_TRIPLES, media)
    assert response.status_code == 200, response.text[:500]
    assert rows(response.content, RESULT_FORMATS[media]) == min(triple_count, 10_000)
    assert len(response.content) > 1_000_000


@pytest.mark.parametrize("media", GRAPH_FORMATS)
def test_large_answers_in_every_graph_format(http, media, triple_count):
    """``CONSTRUCT WHERE {?s ?p ?o}`` on the bundled data and the --data file: over 1 MB in
    every format."""
    response = sparql(http, ALL_GRAPH, media)
    assert response.status_code == 200, response.text[:500]
    assert len(response.content) > 1_000_000
    graph = distinct_triples(response.content, media)
    assert len(graph) > 0.9 * min(triple_count, 10_000)  # the union collapses repeated triples


def test_large_answers_repeated_on_the_same_workers_then_small_ones(http):
    """The same 1.3 MB answer six times in a row, bypassing the answer cache with a different
    comment each time (each a real round trip through a query worker's pipe), then small ones:
    every answer 200 and identical to the first."""
    first = None
    for round_ in range(6):
        response = sparql(http, f"# round {round_}\n{NAMED_TRIPLES}",
                          "application/sparql-results+json")
        assert response.status_code == 200, f"round {round_}: {response.status_code}"
        assert len(response.content) > 1_000_000
        first = first or response.content
        assert response.content == first, f"round {round_} differs"
    small = None
    for round_ in range(6):
        response = sparql(http, f"# small {round_}\nASK {{ ?s ?p ?o }}",
                          "application/sparql-results+json")
        assert response.status_code == 200
        small = small or response.content
        assert response.content == small and json.loads(small)["boolean"] is True


def test_repeated_identical_requests_answer_the_same(http):
    """The same request (the answer cache may serve it) gives the same bytes every time."""
    bodies = {sparql(http, NAMED_TRIPLES, "text/csv").content for _ in range(5)}
    assert len(bodies) == 1 and len(next(iter(bodies))) > 300_000
