"""Regression tests, each named after the defect it guards, on the real server."""

import http.client
import json
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow
JSON = {"Accept": "application/sparql-results+json"}


def select(http, query: str):
    response = http.get("/sparql", params={"query": query}, headers=JSON)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def test_relative_iris_resolve_against_the_endpoint_url(served, http):
    """W3C syntax-oneof-03: ``FILTER(?o IN (1, <x>))`` was a 400 with a misleading parse
    message, because no base IRI was given to the engine."""
    rows = select(http, "SELECT * { ?s ?p ?o FILTER(?o IN (1, <x>)) } LIMIT 5")
    assert rows and all(row["o"]["value"] == "1" for row in rows)
    rows = select(http, "SELECT (<x> AS ?x) (<../up#f> AS ?y) {}")
    assert rows[0]["x"]["value"] == served.url("/x")
    assert rows[0]["y"]["value"] == served.url("/up#f")


def test_a_query_base_comes_before_the_endpoint_url(http):
    rows = select(http, "BASE <https://w3id.org/plenipot/id/> SELECT (<conference/pp-22> AS ?c) {}")
    assert rows[0]["c"]["value"] == "https://w3id.org/plenipot/id/conference/pp-22"
    found = select(http, "BASE <https://w3id.org/plenipot/id/> "
                         "SELECT ?p { <conference/pp-22> ?p ?o } LIMIT 1")
    assert found  # the relative IRI resolved to a resource of the data


def test_relative_iris_in_a_post_resolve_too(served, http):
    response = http.post("/sparql", content=b"SELECT (<y> AS ?y) {}", headers={
        **JSON, "Content-Type": "application/sparql-query"})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["y"]["value"] == served.url("/y")


def test_an_unknown_extension_function_is_unbound_not_a_400(http):
    """W3C syntax-select-expr-04: ``SELECT (:function(?x + ?y) AS ?F)`` was a 400 ("the
    custom function is not supported"); SPARQL makes an unknown function an evaluation error."""
    rows = select(http, "PREFIX : <http://example/> SELECT (:function(?x +?y) AS ?F) ?z {}")
    assert rows == [{}]  # one solution, ?F unbound
    rows = select(http, "PREFIX : <http://example/> SELECT ?c (:f(?c) AS ?a) (:g(1, 2) AS ?b) "
                        "{ ?c a <https://w3id.org/plenipot/def#Conference> } LIMIT 3")
    assert len(rows) == 3 and all(set(row) == {"c"} for row in rows)


def test_a_filter_on_an_unknown_function_is_false(http):
    assert select(http, "SELECT ?s { ?s ?p ?o FILTER(<http://example/f>(?o)) } LIMIT 5") == []
    rows = select(http, "SELECT ?s { ?s ?p ?o FILTER(!<http://example/f>(?o) || true) } LIMIT 5")
    assert len(rows) == 5  # an error || true is true


def test_an_unknown_function_in_construct_and_ask(http):
    ask = "ASK { BIND(<urn:f>() AS ?x) FILTER(!BOUND(?x)) }"
    response = http.get("/sparql", params={"query": ask}, headers=JSON)
    assert response.status_code == 200 and response.json()["boolean"] is True
    response = http.get("/sparql", params={
        "query": "CONSTRUCT { ?s <urn:p> ?v } WHERE { ?s a <https://w3id.org/plenipot/def#"
                 "Conference> BIND(COALESCE(<urn:f>(?s), 1) AS ?v) }"},
        headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and b"<urn:p>" in response.content


def test_a_syntax_error_is_still_a_400(http):
    response = http.get("/sparql", params={"query": "SELECT * { ?s ?p"}, headers=JSON)
    assert response.status_code == 400 and response.json()["error"] == "QueryError"


def test_a_host_header_that_makes_no_iri_falls_back_to_the_server_address(served):
    """The base IRI comes from the request (its Host header when no public base is set): a Host
    that cannot be part of an IRI must neither reach the engine (a 500) nor be trusted."""
    host, port = urlsplit(served.base).hostname, urlsplit(served.base).port
    for bad in ("bad{host}", "a b", "x>y"):
        connection = http.client.HTTPConnection(host, port, timeout=30)
        try:
            connection.putrequest("GET", "/sparql?query=SELECT%20(%3Cx%3E%20AS%20%3Fx)%20%7B%7D",
                                  skip_host=True)
            connection.putheader("Host", bad)
            connection.putheader("Accept", "application/sparql-results+json")
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        assert response.status == 200, body
        assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == served.url("/x")
