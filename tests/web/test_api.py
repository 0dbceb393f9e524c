"""The ``/queries`` routes and the ``/api`` JSON lookups (routes/queries.py, routes/api.py).

Exact answers come from the synthetic fixture tests/fixtures/valid/tracker-sample.ttl; the
bundled-data tests use the session ``client`` of conftest.py and check the seed's facts.
"""

import csv
import io
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from plenipot.config import Settings
from plenipot.web.app import create_app
from plenipot.web.routes import api
from plenipot.web.routes.queries import TRUNCATED_HEADER, build_router

FIXTURE = Path(__file__).parents[1] / "fixtures" / "valid" / "tracker-sample.ttl"
ID = "https://w3id.org/plenipot/id/"
SETTINGS = Settings(data=(FIXTURE,), bundled=False, validate_on_start=False)


@pytest.fixture(scope="module")
def fx(store_kind, engines) -> Iterator[TestClient]:
    with TestClient(create_app(engines.settings(store_kind, SETTINGS))) as test_client:
        yield test_client


def error(response, status: int, parameter: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["message"]
    if parameter is not None:
        assert parameter in body["message"]
    return body


# --- /queries ---------------------------------------------------------------------------------


def test_catalogue_lists_names_titles_and_parameters(fx):
    catalogue = {q["name"]: q for q in fx.get("/queries").json()}
    query = catalogue["proposals-for-resolution"]
    assert query["title"] and query["description"] and query["path"] == "/queries/" + query["name"]
    number, body = query["parameters"]
    assert (number["name"], number["type"], number["required"]) == ("number", "integer", True)
    assert (body["name"], body["default"]) == ("body", "pp")


def test_openapi_documents_each_query_with_typed_parameters():
    app = FastAPI()
    app.include_router(build_router())
    app.include_router(api.router)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. duplicate operation ids
        schema = app.openapi()
    operation = schema["paths"]["/queries/proposals-for-resolution"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["number"]["required"] and params["number"]["schema"]["type"] == "integer"
    assert "Resolution number" in params["number"]["description"]
    assert "pp" in params["body"]["schema"]["enum"]
    status = schema["paths"]["/queries/proposals-by-status"]["get"]["parameters"][0]
    assert {"adopted", "withdrawn"} <= set(status["schema"]["enum"])
    assert "ProposalPage" in schema["components"]["schemas"]


def test_named_query_answers_as_sparql_json_by_default(fx):
    response = fx.get("/queries/proposals-for-resolution", params={"number": 9901})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    rows = response.json()["results"]["bindings"]
    assert [r["identifier"]["value"] for r in rows] == ["TRA/1A1/1", "TRB/2/1"]
    assert TRUNCATED_HEADER not in response.headers


@pytest.mark.parametrize(
    ("accept", "media", "marker"),
    [
        ("application/json", "application/json", '"bindings"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "identifier"),
        ("text/tab-separated-values", "text/tab-separated-values", "?identifier"),
        ("text/html;q=0.9, text/csv;q=0.5", "text/csv", "identifier"),
    ],
)
def test_named_query_formats(fx, accept, media, marker):
    response = fx.get(
        "/queries/proposals-by-status", params={"status": "adopted"}, headers={"Accept": accept}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    assert marker in response.text and "TRA/1A1/1" in response.text


def test_named_query_csv_is_a_table(fx):
    response = fx.get("/queries/late-contributions", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["number"], r["deadline"]) for r in rows] == [("2", "2099-09-05")]


def test_named_query_406(fx):
    response = fx.get("/queries/conference-overview", headers={"Accept": "image/png"})
    error(response, 406)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({}, "number"),
        ({"number": "ten"}, "number"),
        ({"number": "1", "body": "parliament"}, "body"),
    ],
)
def test_named_query_bad_parameters_are_400_naming_them(fx, params, parameter):
    error(fx.get("/queries/proposals-for-resolution", params=params), 400, parameter)


def test_unknown_named_query_is_404(fx):
    assert "no named query" in error(fx.get("/queries/no-such-query"), 404)["message"]


def test_injection_through_a_parameter_returns_nothing(fx):
    hostile = '" } } ; DROP ALL ; SELECT * { ?s ?p ?o } #'
    response = fx.get("/queries/search", params={"q": hostile})
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    error(
        fx.get("/queries/proposals-by-submitter", params={"submitter": hostile}), 400, "submitter"
    )
    assert fx.get("/api/proposals").json()["total"] == 5  # nothing was dropped


def test_row_cap_is_reported():
    with TestClient(create_app(replace(SETTINGS, max_rows=1))) as capped:
        response = capped.get("/queries/conference-overview")
        assert response.headers[TRUNCATED_HEADER] == "true"
        assert response.json()["truncated"] is True
        assert len(response.json()["results"]["bindings"]) == 1
        csv_response = capped.get("/queries/conference-overview", headers={"Accept": "text/csv"})
        assert csv_response.headers[TRUNCATED_HEADER] == "true"


# --- /api: resolutions ------------------------------------------------------------------------


def test_resolutions_list_and_filters(fx):
    everything = fx.get("/api/resolutions").json()
    assert [(r["number"], r["issue_areas"]) for r in everything] == [
        ("9901", ["cybersecurity", "standardization"]),
        ("9902", ["cybersecurity"]),
    ]
    only = fx.get("/api/resolutions", params={"issue_area": "standardization"}).json()
    assert [r["number"] for r in only] == ["9901"]
    assert [r["number"] for r in fx.get("/api/resolutions?topic=ipv6").json()] == ["9901"]
    assert fx.get("/api/resolutions?body=wtsa").json() == []


def test_resolutions_bad_filter_is_400(fx):
    error(fx.get("/api/resolutions", params={"issue_area": "weather"}), 400, "issue_area")


def test_one_resolution_with_revisions_and_proposals(fx):
    resolution = fx.get("/api/resolutions/pp/9901").json()
    assert resolution["title"].startswith("Test resolution on Telecomunicación")
    assert resolution["topics"] == ["ipv6"]
    assert [r["conference"] for r in resolution["revisions"]] == ["TEST-95", "TEST-99"]
    assert resolution["revisions"][1]["previous"] == resolution["revisions"][0]["iri"]
    assert [p["identifier"] for p in resolution["proposals"]] == ["TRA/1A1/1", "TRB/2/1"]


@pytest.mark.parametrize(
    "path",
    ["/api/resolutions/pp/1", "/api/resolutions/parliament/9901", "/api/resolutions/pp/9901%20x"],
)
def test_unknown_resolution_is_404(fx, path):
    error(fx.get(path), 404)


# --- /api: proposals --------------------------------------------------------------------------


def test_proposals_paging_and_total(fx):
    first = fx.get("/api/proposals", params={"limit": 2}).json()
    second = fx.get("/api/proposals", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 5
    assert [p["identifier"] for p in first["items"]] == ["TRA/1A1/1", "TRA/1A1/2"]
    assert [p["identifier"] for p in second["items"]] == ["TRB/2/1", "TRB/2/2"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"conference": "TEST-99"}, ["TRA/1A1/1", "TRA/1A1/2", "TRB/2/1", "TRB/2/2", "XTA/3/1"]),
        ({"submitter": "XTB"}, ["XTA/3/1"]),
        ({"target": 9901}, ["TRA/1A1/1", "TRB/2/1"]),
        ({"action": "MOD", "status": "not-adopted"}, ["TRB/2/1"]),
        ({"topic": "internet-governance", "action": "add"}, ["XTA/3/1"]),
        ({"conference": "test-95"}, []),
    ],
)
def test_proposal_filters(fx, params, expected):
    page = fx.get("/api/proposals", params=params).json()
    assert [p["identifier"] for p in page["items"]] == expected
    assert page["total"] == len(expected)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"conference": "pp-1865"}, "conference"),
        ({"submitter": "nobody"}, "submitter"),
        ({"target": 1}, "target"),
        ({"target": "one"}, "target"),
        ({"action": "DELETE"}, "action"),
        ({"status": "lost"}, "status"),
        ({"topic": "weather"}, "topic"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_proposal_bad_filters_are_400_naming_them(fx, params, parameter):
    error(fx.get("/api/proposals", params=params), 400, parameter)


@pytest.mark.parametrize(
    "path", ["/api/proposals/test-99/TRA/1A1/1", "/api/proposals/TEST-99/tra-1a1-1"]
)
def test_one_proposal_by_itu_identifier_or_key(fx, path):
    proposal = fx.get(path).json()
    assert proposal["identifier"] == "TRA/1A1/1" and proposal["action"] == "MOD"
    assert proposal["target"]["resolution"] == ID + "resolution/pp/9901"
    assert [s["status"] for s in proposal["status_history"]] == ["submitted", "adopted"]
    assert proposal["issue_areas"] == ["cybersecurity"] and proposal["topics"] == ["ipv6"]
    assert proposal["document"] == ID + "document/test-99/1-add1"


def test_proposal_positions(fx):
    proposal = fx.get("/api/proposals/test-99/TRB/2/1").json()
    assert proposal["positions"] == [
        {"holder": "TEST-STAKEHOLDER", "stance": "oppose", "rationale": "Synthetic rationale."}
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/proposals/test-99/TRA/1A1/99",
        "/api/proposals/pp-1865/TRA/1A1/1",
        "/api/proposals/test-99/a%20b",
    ],
)
def test_unknown_proposal_is_404(fx, path):
    error(fx.get(path), 404)


# --- /api: organizations, conferences, code lists, search ---------------------------------------


def test_organizations(fx):
    organizations = {o["key"]: o for o in fx.get("/api/organizations").json()}
    assert organizations["TEST-RTO-A"]["kind"] == "regional-organization"
    assert organizations["TEST-RTO-A"]["proposal_prefix"] == "TRA"
    assert organizations["TEST-STAKEHOLDER"]["kind"] == "organization"


def test_one_organization_with_members_and_proposals(fx):
    organization = fx.get("/api/organizations/test-rto-b").json()
    assert {m["iso3"]: m["status"] for m in organization["members"]} == {
        "XTB": None,
        "XTC": "suspended",
    }
    assert [p["identifier"] for p in organization["proposals"]] == ["TRB/2/1", "TRB/2/2"]
    assert [p["identifier"] for p in organization["member_proposals"]] == ["XTA/3/1"]
    error(fx.get("/api/organizations/nobody"), 404)


def test_conferences(fx):
    assert [c["key"] for c in fx.get("/api/conferences").json()] == ["TEST-99", "TEST-95"]
    conference = fx.get("/api/conferences/test-99").json()
    assert conference["contribution_deadline"] == "2099-09-05"
    (election,) = conference["elections"]
    assert election["post"] == "secretary-general"
    assert [(c["name"], c["elected"]) for c in election["candidates"]] == [
        ("Test Person One", True),
        ("Test Person Two", False),
    ]
    assert len(conference["proposals"]) == 5
    error(fx.get("/api/conferences/pp-1865"), 404)


def test_issue_areas_and_topics(fx):
    areas = {a["key"]: a["count"] for a in fx.get("/api/issue-areas").json()}
    assert areas == {"cybersecurity": 2, "standardization": 1}
    topics = {t["key"]: t["count"] for t in fx.get("/api/topics").json()}
    assert topics == {"internet-governance": 2, "ipv6": 2}


def test_search_is_case_and_accent_insensitive(fx):
    hits = fx.get("/api/search", params={"q": "telecomunicacion"}).json()
    assert {h["iri"] for h in hits} == {ID + "country/xtb", ID + "resolution/pp/9901"}
    assert fx.get("/api/search", params={"q": "TESTLAND GAMMA"}).json()[0]["iri"] == (
        ID + "country/xtc"
    )
    error(fx.get("/api/search", params={"q": "  "}), 400, "q")
    error(fx.get("/api/search"), 400, "q")


# --- the bundled data ----------------------------------------------------------------------------


def test_bundled_internet_public_policy_resolutions(client):
    rows = client.get("/api/resolutions", params={"issue_area": "internet-public-policy"}).json()
    assert [r["number"] for r in rows] == ["101", "102", "133", "178", "180", "206"]


def test_bundled_resolution_102(client):
    resolution = client.get("/api/resolutions/pp/102").json()
    assert "Internet" in resolution["title"]
    assert "internet-public-policy" in resolution["issue_areas"]


def test_bundled_named_query_reproduces_the_seed_table(client):
    response = client.get("/queries/resolutions-by-issue-area", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len({r["number"] for r in rows}) == 29 and len({r["areaLabel"] for r in rows}) == 9


def test_bundled_search_finds_spanish_labels_without_accents(client):
    hits = client.get("/api/search", params={"q": "telecomunicacion"}).json()
    assert any("Telecomunicaci" in h["label"] for h in hits)
