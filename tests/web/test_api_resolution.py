"""``/api/resolutions``: the one-query lookup of a resolution and the paged list
(routes/api/resolutions.py, web/sparql/api-resolution.rq and api-resolution-page.rq)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef
from tests.web.test_api import FIXTURE

from plenipot.config import Settings
from plenipot.web.app import create_app
from plenipot.web.routes.api.common import select
from plenipot.web.routes.api.models import Resolution, Revision
from plenipot.web.routes.api.proposals import find_proposals
from plenipot.web.routes.api.resolutions import _resolution_summary


@pytest.fixture(scope="module", params=["bundled", "fixture"])
def app_client(request) -> Iterator[TestClient]:
    settings = (Settings(validate_on_start=False, cache_entries=0) if request.param == "bundled"
                else Settings(data=(FIXTURE,), validate_on_start=False, cache_entries=0))
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _from_grouped_queries(store, iri: str) -> dict:
    """The lookup as it was answered before the one flat query: the grouped list query, the
    revisions query and the proposal summaries."""
    one = {"resolution": URIRef(iri)}
    found = select(store, "resolutions", one)[0]
    revisions = select(store, "resolution-revisions", one)
    _, proposals = find_proposals(store, {"target": URIRef(iri)})
    return Resolution(
        **_resolution_summary(found).model_dump(),
        topics=sorted(v for v in (found.get("topics") or "").split("|") if v),
        revisions=[Revision(iri=r["revision"], label=r.get("label"),
                            conference=r.get("conference"), date=r.get("date"),
                            previous=r.get("previous")) for r in revisions],
        proposals=proposals,
    ).model_dump(mode="json")


def test_one_query_lookup_answers_as_the_grouped_queries(app_client):
    store = app_client.app.state.store
    resolutions = app_client.get("/api/resolutions").json()
    assert resolutions
    with_proposals = 0
    for summary in resolutions:
        body, number = summary["iri"].rsplit("/", 2)[-2:]
        response = app_client.get(f"/api/resolutions/{body}/{number}")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        assert response.json() == _from_grouped_queries(store, summary["iri"])
        with_proposals += bool(response.json()["proposals"])
    assert with_proposals  # the comparison covered the proposals' part too


def test_resolutions_paged_is_the_list_cut(app_client):
    everything = app_client.get("/api/resolutions").json()
    pages = [app_client.get("/api/resolutions", params={"limit": 7, "offset": start}).json()
             for start in range(0, len(everything) + 7, 7)]
    assert [r for page in pages for r in page] == everything
    assert pages[-1] == []
    assert app_client.get("/api/resolutions", params={"offset": 3}).json() == everything[3:]
    filtered = app_client.get("/api/resolutions", params={"body": "pp"}).json()
    assert app_client.get("/api/resolutions",
                          params={"body": "pp", "limit": 2, "offset": 1}).json() == filtered[1:3]


@pytest.mark.parametrize("params, parameter", [({"limit": 0}, "limit"), ({"limit": 1001}, "limit"),
                                               ({"offset": -1}, "offset"),
                                               ({"limit": "ten"}, "limit")])
def test_resolutions_bad_page_is_400(app_client, params, parameter):
    response = app_client.get("/api/resolutions", params=params)
    assert response.status_code == 400
    assert parameter in response.json()["message"]


def test_resolutions_page_documented(app_client):
    operation = app_client.get("/openapi.json").json()["paths"]["/api/resolutions"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"limit", "offset", "body", "issue_area", "topic"} <= names
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"  # the default shape stays a list
