"""/sparql: the query side of the SPARQL 1.1 Protocol, per method, format and error case."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph

SELECT = ("PREFIX pp: <https://w3id.org/plenipot/def#> "
          "SELECT ?r ?n WHERE { ?r pp:number ?n } ORDER BY ?n")
CONSTRUCT = "CONSTRUCT WHERE { ?s a <https://w3id.org/plenipot/def#RegionalOrganization> }"
ORGS_GRAPH = "https://w3id.org/plenipot/source/test/organizations"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def numbers(response) -> list[str]:
    return [b["n"]["value"] for b in response.json()["results"]["bindings"]]


def test_get_post_form_and_post_query_give_the_same_answer(sample_client):
    get = sample_client.get("/sparql", params={"query": SELECT})
    form = sample_client.post("/sparql", data={"query": SELECT})
    direct = sample_client.post("/sparql", content=SELECT,
                                headers={"Content-Type": "application/sparql-query"})
    for response in (get, form, direct):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/sparql-results+json"
        assert numbers(response) == ["101", "102", "130"]


def test_select_formats_by_accept(sample_client):
    def ask(accept):
        response = sample_client.get("/sparql", params={"query": SELECT},
                                     headers={"Accept": accept})
        assert response.status_code == 200, response.text
        return response

    xml = ET.fromstring(ask("application/sparql-results+xml").content)
    assert [e.text for e in xml.iter(f"{SRX}literal")] == ["101", "102", "130"]
    rows = list(csv.reader(io.StringIO(ask("text/csv").text)))
    assert rows[0] == ["r", "n"] and rows[1][1] == "101"
    tsv = ask("text/tab-separated-values").text.splitlines()
    assert tsv[0] == "?r\t?n" and tsv[1].endswith('\t"101"')
    assert ask("application/json").headers["content-type"] == "application/json"


def test_q_values_choose_the_format(sample_client):
    response = sample_client.get("/sparql", params={"query": SELECT}, headers={
        "Accept": "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"})
    assert response.headers["content-type"].startswith("text/csv")


def test_ask_in_each_result_format(sample_client):
    query = "ASK { ?s ?p ?o }"
    assert sample_client.get("/sparql", params={"query": query}).json()["boolean"] is True
    xml = sample_client.get("/sparql", params={"query": query},
                            headers={"Accept": "application/sparql-results+xml"})
    assert ET.fromstring(xml.content).find(f"{SRX}boolean").text == "true"
    text = sample_client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert text.text.split() == ["_askResult", "true"]


@pytest.mark.parametrize("accept, parser", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", None), ("application/rdf+xml", "xml"),
])
def test_construct_in_each_graph_format(sample_client, accept, parser):
    response = sample_client.get("/sparql", params={"query": CONSTRUCT},
                                 headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    if parser is None:  # rdflib's JSON-LD parser warns (ConjunctiveGraph): read it as JSON
        assert [node["@id"] for node in response.json()] == [
            "https://w3id.org/plenipot/id/org/cept"]
    else:
        assert len(Graph().parse(data=response.content, format=parser)) == 1


def test_describe_defaults_to_turtle(sample_client):
    response = sample_client.get("/sparql", params={
        "query": "DESCRIBE <https://w3id.org/plenipot/id/org/cept>"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert "ECP" in response.text


def test_406_when_no_format_fits(sample_client):
    response = sample_client.get("/sparql", params={"query": SELECT},
                                 headers={"Accept": "image/png"})
    assert response.status_code == 406 and response.json()["error"] == "NotAcceptable"
    select_as_turtle = sample_client.get("/sparql", params={"query": SELECT},
                                         headers={"Accept": "text/turtle"})
    assert select_as_turtle.status_code == 406
    assert "SELECT" in select_as_turtle.json()["message"]


def test_a_bare_get_answers_the_service_description(sample_client):
    response = sample_client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = [str(o) for s, p, o in graph if str(p) == sd + "endpoint"]
    assert endpoints == ["http://testserver/sparql"]
    names = {str(o) for s, p, o in graph if str(p) == sd + "name"}
    assert ORGS_GRAPH in names
    as_jsonld = sample_client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert as_jsonld.headers["content-type"].startswith("application/ld+json")


def test_a_malformed_query_is_400_with_the_parser_message(sample_client):
    response = sample_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    body = response.json()
    # the parser's position: "1:24" from Oxigraph, "line 2" from Virtuoso (which counts the
    # define line it puts first)
    assert body["error"] == "QueryError" and re.search(r"1:|line \d", body["message"])


def test_missing_empty_or_repeated_query_is_400(sample_client):
    missing = sample_client.post("/sparql", data={"default-graph-uri": ORGS_GRAPH})
    assert missing.status_code == 400 and missing.json()["parameter"] == "query"
    empty = sample_client.get("/sparql", params={"query": " "})
    assert empty.status_code == 400 and empty.json()["parameter"] == "query"
    repeated = sample_client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert repeated.status_code == 400 and "2 times" in repeated.json()["message"]


def test_head_answers_like_get(sample_client):
    response = sample_client.head("/sparql", params={"query": SELECT})
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"] == "application/sparql-results+json"


def test_other_methods_are_405(sample_client):
    for method in ("PUT", "DELETE", "PATCH"):
        response = sample_client.request(method, "/sparql")
        assert response.status_code == 405
        assert response.json()["error"] == "MethodNotAllowed"
        assert "GET" in response.headers["allow"]


def test_an_unsupported_body_type_is_415(sample_client):
    response = sample_client.post("/sparql", content=SELECT,
                                  headers={"Content-Type": "text/plain"})
    assert response.status_code == 415 and response.json()["error"] == "UnsupportedMediaType"


def test_default_and_named_graph_uri_pick_graphs_of_the_store(sample_client):
    query = "SELECT ?s WHERE { ?s a ?type }"
    response = sample_client.get("/sparql", params={"query": query,
                                                    "default-graph-uri": ORGS_GRAPH})
    assert [b["s"]["value"] for b in response.json()["results"]["bindings"]] == [
        "https://w3id.org/plenipot/id/org/cept"]
    named = sample_client.post("/sparql", data={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": ORGS_GRAPH})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [ORGS_GRAPH]


def test_graph_tells_which_file_a_fact_came_from(sample_client):
    response = sample_client.get("/sparql", params={"query": (
        "SELECT ?g WHERE { GRAPH ?g { <https://w3id.org/plenipot/id/resolution/pp/102> "
        "?p ?o } } LIMIT 1")})
    assert response.json()["results"]["bindings"][0]["g"]["value"].endswith("/pp-22.ttl")


def test_fastapi_validation_errors_are_400_naming_the_parameter(sample_settings):
    from fastapi.testclient import TestClient

    from plenipot.web.app import create_app

    app = create_app(sample_settings)

    @app.get("/typed")
    def typed(count: int) -> dict:
        return {"count": count}

    with TestClient(app) as client:
        wrong = client.get("/typed", params={"count": "many"})
        assert wrong.status_code == 400
        assert wrong.json()["error"] == "ParameterError" and wrong.json()["parameter"] == "count"
        missing = client.get("/typed")
        assert missing.status_code == 400 and "is required" in missing.json()["message"]
        unknown = client.get("/no-such-route")
        assert unknown.status_code == 404 and unknown.json()["error"] == "NotFound"


def test_health_reports_version_size_and_conformance(sample_client):
    body = sample_client.get("/health").json()
    assert body["status"] == "ok" and body["triples"] == 18 and body["graphs"] == 2
    assert len(body["data"]["sources_sha256"]) == 16 and body["data"]["files"] == 2
    assert body["conforms"] == "not checked"  # sample_settings turns validation off
    json.dumps(body)


def test_the_openapi_schema_documents_sparql_and_health(sample_client):
    paths = sample_client.get("/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/sparql"]) and "get" in paths["/health"]


def test_a_format_parameter_stands_in_for_accept(sample_client):
    """An HTML form or a pasted link cannot set Accept: ``format=`` does."""
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    csv = sample_client.post("/sparql", data={"query": query, "format": "csv"},
                             headers={"Accept": "*/*"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "s"
    turtle = sample_client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1",
                                                  "format": "turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")


def test_an_unknown_format_is_a_400_naming_it(sample_client):
    response = sample_client.get("/sparql", params={"query": "ASK {}", "format": "png"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "format"


def test_an_unusable_base_iri_is_a_400_not_a_500(sample_settings):
    """The base IRI of a query is the endpoint's URL; a public base the engine cannot use (a
    misconfiguration) must not turn every relative IRI into a 500."""
    import dataclasses

    from fastapi.testclient import TestClient

    from plenipot.web.app import create_app

    settings = dataclasses.replace(sample_settings, base_url="http://bad host")
    with TestClient(create_app(settings)) as client:
        response = client.get("/sparql", params={"query": "SELECT (<x> AS ?x) {}"})
    assert response.status_code == 400 and response.json()["error"] == "QueryError"
    assert "base IRI" in response.json()["message"]
