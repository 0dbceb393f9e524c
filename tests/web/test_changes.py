"""``/changes``: the status history as JSON, Atom and HTML, filtered, over the bundled data plus
the realistic imported sheet (tests/fixtures/tracker/realistic.csv, synthetic rows)."""

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from plenipot.cli.main import main
from plenipot.config import Settings
from plenipot.web.app import create_app

REALISTIC = Path(__file__).parents[1] / "fixtures" / "tracker" / "realistic.csv"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def tracker_client(tmp_path_factory):
    out = tmp_path_factory.mktemp("changes") / "proposals.ttl"
    assert main(["import", str(REALISTIC), "-o", str(out)]) == 0
    settings = Settings(data=(out,), validate_on_start=False, query_workers=0)
    with TestClient(create_app(settings)) as client:
        yield client


def feed(response) -> ET.Element:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_json_lists_every_change_newest_first(tracker_client):
    body = tracker_client.get("/changes").json()
    dates = [c["date"] for c in body["changes"]]
    assert len(dates) >= 50  # 49 rows, EUR/44A7/1 with two entries
    assert dates == sorted(dates, reverse=True)
    eur = [c for c in body["changes"] if c["identifier"] == "EUR/44A7/1"]
    assert [c["status"] for c in eur] == ["under-consideration", "submitted"]
    assert all(c["sources"] for c in body["changes"])


def test_atom_feed_parses_and_lists_the_changes_in_date_order(tracker_client):
    root = feed(tracker_client.get("/changes.atom"))
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert len(entries) >= 50 and updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == updated[0]
    first = entries[0]
    assert first.findtext(f"{ATOM}id").startswith("https://w3id.org/plenipot/id/proposal/")
    assert first.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(
        "http://testserver/id/proposal/")
    assert first.find(f"{ATOM}link[@rel='related']") is not None
    assert {e.findtext(f"{ATOM}id") for e in entries} == {
        c["change"] for c in tracker_client.get("/changes").json()["changes"]}


def test_atom_by_accept_header(tracker_client):
    root = feed(tracker_client.get("/changes", headers={"Accept": "application/atom+xml"}))
    assert root.findall(f"{ATOM}entry")


def test_what_changed_on_resolution_102(tracker_client):
    root = feed(tracker_client.get("/changes.atom", params={"resolution": "102"}))
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    # the imported sheet's rows, and the one bundled proposal on Resolution 102: the Arab States'
    # MOD at PP-18, known only from a report (data/proposals/pp-18/arab.ttl), so no ITU number
    reported = [t for t in titles if "TEST/" not in t]
    assert titles and len(reported) < len(titles)
    assert reported == ["MOD Resolution 102 (Arab States, PP-18): Under consideration",
                        "MOD Resolution 102 (Arab States, PP-18): Submitted"]
    assert "Resolution 102" in root.findtext(f"{ATOM}title")
    listed = tracker_client.get("/changes", params={"resolution": "102"}).json()["changes"]
    assert {c["identifier"] for c in listed} >= {"TEST/9101/9", "TEST/9106/9"}
    assert "EUR/44A7/1" not in {c["identifier"] for c in listed}  # that one is on 130


@pytest.mark.parametrize(("params", "expected", "absent"), [
    ({"organization": "CEPT"}, "EUR/44A7/1", "TEST/9102/1"),
    ({"issue_area": "cybersecurity"}, "EUR/44A7/1", "TEST/9101/9"),
    ({"conference": "PP-22"}, "EUR/44A7/1", None),
])
def test_filters(tracker_client, params, expected, absent):
    ids = {c["identifier"] for c in tracker_client.get("/changes", params=params).json()[
        "changes"]}
    assert expected in ids
    if absent:
        assert absent not in ids


@pytest.mark.parametrize("params", [{"organization": "NOPE"}, {"issue_area": "no-such-area"},
                                    {"conference": "XX-99"}])
def test_a_bad_filter_is_a_400_naming_it(tracker_client, params):
    response = tracker_client.get("/changes.atom", params=params)
    assert response.status_code == 400
    assert response.json()["parameter"] == next(iter(params))


def test_the_page_and_the_alternate_links(tracker_client):
    page = tracker_client.get("/changes", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "EUR/44A7/1" in page.text
    resolution = tracker_client.get("/id/resolution/pp/102", headers={"Accept": "text/html"})
    assert ('<link rel="alternate" type="application/atom+xml" '
            'href="/changes.atom?resolution=102"') in resolution.text
    matrix = tracker_client.get("/matrix")
    assert 'type="application/atom+xml" href="/changes.atom?conference=pp-22"' in matrix.text


def test_the_page_has_a_form_to_choose_what_to_follow(tracker_client):
    html = tracker_client.get("/changes", params={"conference": "pp-22", "resolution": "130"},
                              headers={"Accept": "text/html"}).text
    assert '<option value="pp-22" selected>' in html and 'value="130"' in html
    assert 'href="/changes.atom?conference=pp-22&amp;resolution=130"' in html
    assert "EUR/44A7/1" in html and "TEST/9101/1" not in html.split("</form>")[1]


def test_openapi_declares_the_media_types(tracker_client):
    paths = tracker_client.get("/openapi.json").json()["paths"]
    content = paths["/changes"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "application/atom+xml"} <= set(content)
    assert "application/atom+xml" in paths["/changes.atom"]["get"]["responses"]["200"]["content"]
    assert {p["name"] for p in paths["/changes"]["get"]["parameters"]} == {
        "conference", "resolution", "organization", "issue_area", "proposal"}


def test_the_feed_of_one_proposal(tracker_client):
    page = tracker_client.get("/id/proposal/pp-22/eur-44a7-1", headers={"Accept": "text/html"})
    feed_href = page.text.split('type="application/atom+xml" href="')[1].split('"')[0]
    root = feed(tracker_client.get(feed_href.replace("&amp;", "&")))
    ids = [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
    assert ids == ["https://w3id.org/plenipot/id/proposal/pp-22/eur-44a7-1/status/2",
                   "https://w3id.org/plenipot/id/proposal/pp-22/eur-44a7-1/status/1"]
