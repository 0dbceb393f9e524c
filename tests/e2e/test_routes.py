"""Every route family over real HTTP: the named queries with their example parameters, the
/api lookups, /id and /def in each format, /export in each format, and the pages."""

import csv
import io
import json
import re

import pytest

from e2e.rdf_bodies import distinct_triples, statements

pytestmark = pytest.mark.slow

RDF_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
RESOURCES = ("conference/pp-22", "resolution/pp/102", "org/cept", "country/rou",
             "issue-area/cybersecurity")


def example(parameter: dict) -> str | None:
    """The value a user would try for a parameter: its default, else the first of its code list,
    else the example its description gives ("e.g. 102", "(CEPT, APT, …)")."""
    if parameter["default"] is not None:
        return parameter["default"]
    if parameter["enum"]:
        return parameter["enum"][0]
    found = (re.search(r"e\.g\. ([\w-]+)", parameter["description"])
             or re.search(r"\(([\w-]+)", parameter["description"]))
    return found.group(1) if found else None


@pytest.fixture(scope="module")
def catalogue(http) -> list[dict]:
    response = http.get("/queries")
    assert response.status_code == 200
    return response.json()


def test_the_catalogue_lists_every_named_query(catalogue):
    from plenipot.queries.catalogue import catalogue as bundled_catalogue

    assert {q["name"] for q in catalogue} == set(bundled_catalogue())


def test_every_named_query_answers_with_its_example_parameters(http, catalogue):
    answered = {}
    for query in catalogue:
        params = {p["name"]: example(p) for p in query["parameters"]
                  if p["required"] or p["default"] is not None}
        assert None not in params.values(), f"{query['name']}: no example for {params}"
        response = http.get(query["path"], params=params)
        assert response.status_code == 200, (query["name"], params, response.text)
        answered[query["name"]] = len(response.json()["results"]["bindings"])
        for media in ("text/csv", "application/sparql-results+xml"):
            other = http.get(query["path"], params=params, headers={"Accept": media})
            assert other.status_code == 200 and other.headers["content-type"].startswith(media)
    print("rows per named query:", answered)
    assert sum(1 for n in answered.values() if n) >= len(answered) // 2  # not all empty


def test_a_named_query_without_its_required_parameter_is_a_400(http, catalogue):
    query = next(q for q in catalogue if any(p["required"] for p in q["parameters"]))
    response = http.get(query["path"])
    assert response.status_code == 400
    assert response.json()["error"] == "ParameterError"


def test_api_lists_and_lookups(http):
    for path in ("/api/resolutions", "/api/organizations", "/api/conferences",
                 "/api/issue-areas", "/api/topics", "/api/search?q=internet"):
        response = http.get(path)
        assert response.status_code == 200, (path, response.text)
        assert response.json(), f"{path} is empty"
    proposals = http.get("/api/proposals", params={"limit": 5})
    assert proposals.status_code == 200 and proposals.json()["items"]
    first = proposals.json()["items"][0]
    conference, key = first["iri"].rsplit("/", 2)[-2:]
    assert http.get(f"/api/proposals/{conference}/{key}").status_code == 200
    resolution = http.get("/api/resolutions").json()[0]
    assert http.get(f"/api/resolutions/{resolution['body']}/{resolution['number']}") \
        .status_code == 200
    assert http.get("/api/organizations/cept").status_code == 200
    assert http.get("/api/conferences/pp-22").status_code == 200
    missing = http.get("/api/conferences/no-such-conference")
    assert missing.status_code == 404 and missing.json()["error"] == "NotFound"


@pytest.mark.parametrize("key", RESOURCES)
def test_id_in_every_format(http, key):
    page = http.get(f"/id/{key}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text and f"https://w3id.org/plenipot/id/{key}" in page.text
    seen = {}
    for media in RDF_TYPES:
        response = http.get(f"/id/{key}", headers={"Accept": media})
        assert response.status_code == 200, (media, response.text)
        assert response.headers["content-type"].split(";")[0] == media
        seen[media] = distinct_triples(response.content, media)
        assert seen[media], f"{key} as {media} is empty"
    for suffix, media in ((".ttl", "text/turtle"), (".nt", "application/n-triples"),
                          (".jsonld", "application/ld+json"), (".rdf", "application/rdf+xml")):
        response = http.get(f"/id/{key}{suffix}")
        assert response.status_code == 200
        assert len(distinct_triples(response.content, media)) == len(seen[media])


def test_an_unknown_id_is_a_404_in_html_and_rdf(http):
    assert http.get("/id/conference/nowhere-99", headers={"Accept": "text/html"}) \
        .status_code == 404
    assert http.get("/id/conference/nowhere-99", headers={"Accept": "text/turtle"}) \
        .status_code == 404


def test_the_vocabulary_in_every_format(http):
    assert "<html" in http.get("/def", headers={"Accept": "text/html"}).text
    for media in RDF_TYPES:
        response = http.get("/def", headers={"Accept": media})
        assert response.status_code == 200
        assert len(distinct_triples(response.content, media)) > 100


@pytest.mark.parametrize("suffix,media", [
    ("ttl", "text/turtle"), ("nt", "application/n-triples"), ("nq", "application/n-quads"),
    ("trig", "application/trig"), ("jsonld", "application/ld+json"),
    ("rdf", "application/rdf+xml"),
])
def test_export_in_every_format(http, suffix, media):
    triples = http.get("/health").json()["triples"]
    response = http.get(f"/export/plenipot.{suffix}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "attachment" in response.headers["content-disposition"]
    found = statements(response.content, media)
    if suffix in ("nq", "trig"):  # every source file stays its own named graph
        assert len(found) == triples
    else:
        assert 0.9 * triples < len(distinct_triples(response.content, media)) <= triples


@pytest.mark.parametrize("path", ["/export/proposals.csv", "/export/issues-matrix.csv"])
def test_export_tables(http, path):
    response = http.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert len(table) >= 2 and len(table[0]) >= 2


def test_context_and_void(http):
    context = http.get("/context.jsonld")
    assert context.status_code == 200 and "@context" in context.json()
    void = http.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert void.status_code == 200 and distinct_triples(void.content, "text/turtle")


@pytest.mark.parametrize("path", ["/", "/matrix", "/query", "/def", "/docs", "/search?q=ai",
                                  "/query?example=issues-matrix"])
def test_pages(http, path):
    response = http.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert "</html>" in response.text


def test_openapi_and_health(http):
    schema = http.get("/openapi.json")
    assert schema.status_code == 200 and schema.json()["paths"]
    health = http.get("/health").json()
    assert health["status"] == "ok" and health["triples"] > 1000
    print("health:", json.dumps(health))
