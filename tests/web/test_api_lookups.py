"""The one-query lookups of a resolution and a proposal, against the grouped queries they
replaced, and the paged resolutions list (routes/api/resolutions.py, proposals.py, flat.py;
web/sparql/api-resolution.rq, api-proposal.rq, api-resolution-page.rq)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef
from tests.web.test_api import FIXTURE

from plenipot.config import Settings
from plenipot.web.app import create_app
from plenipot.web.routes.api.common import select
from plenipot.web.routes.api.models import Position, Proposal, Resolution, Revision, StatusChange
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


def _proposal_from_five_queries(store, iri: str) -> dict:
    """The proposal lookup as it was answered before: exists, the summary, facts, history and
    positions queries."""
    one = {"proposal": URIRef(iri)}
    _, items = find_proposals(store, one)
    facts = select(store, "proposal-facts", one)[0]
    history = select(store, "proposal-history", one)
    positions = select(store, "proposal-positions", one)
    return Proposal(
        **items[0].model_dump(),
        summary=facts.get("summary"), document=facts.get("document"),
        source=facts.get("source"),
        issue_areas=sorted(v for v in (facts.get("areas") or "").split("|") if v),
        topics=sorted(v for v in (facts.get("topics") or "").split("|") if v),
        status_history=[StatusChange(**{k: r.get(k) for k in ("status", "date", "source")})
                        for r in history],
        positions=[Position(holder=r["holder"], stance=r["stance"],
                            rationale=r.get("rationale")) for r in positions],
    ).model_dump(mode="json")


def _single_facts(store, iri: str) -> dict[str, list[str]]:
    """Every value of the facts the JSON shows once (summary, document, source)."""
    ask = {"summary": "dcterms:description", "document": "pp:inDocument",
           "source": "dcterms:source"}
    values = {}
    for fact, predicate in ask.items():
        result = store.select(
            "PREFIX pp: <https://w3id.org/plenipot/def#> PREFIX dcterms: "
            f"<http://purl.org/dc/terms/> SELECT ?v WHERE {{ <{iri}> {predicate} ?v }}")
        values[fact] = [str(row["v"]) for row in result.rows]
    return values


def test_one_query_proposal_lookup_answers_as_the_five_queries(app_client):
    store = app_client.app.state.store
    _, proposals = find_proposals(store, {})
    assert proposals
    for proposal in proposals:
        conference, key = proposal.iri.rsplit("/", 2)[-2:]
        response = app_client.get(f"/api/proposals/{conference}/{key}")
        assert response.status_code == 200, response.text
        answer, before = response.json(), _proposal_from_five_queries(store, proposal.iri)
        for fact, values in _single_facts(store, proposal.iri).items():
            # one of several values: the first in order now, whichever group came first before
            assert answer[fact] == (min(values) if values else None)
            before[fact] = answer[fact]
        assert answer == before
        by_identifier = app_client.get(f"/api/proposals/{conference}/{proposal.identifier}")
        assert by_identifier.json() == response.json()


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
