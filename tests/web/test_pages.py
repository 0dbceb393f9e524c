"""The HTML pages: each renders with its key content and embedded JSON-LD, the matrix filters,
404 and 400 pages, static files. Runs on the synthetic tests/fixtures/valid/pages-sample.ttl."""

import json
import re
import warnings
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from plenipot.config import Settings
from plenipot.linked_data.describe import describe, vocabulary
from plenipot.sources.bundled import bundled
from plenipot.web.app import create_app
from plenipot.web.routes.pages import resource_page, vocabulary_page

FIXTURE = Path(__file__).parents[1] / "fixtures" / "valid" / "pages-sample.ttl"
ID = "https://w3id.org/plenipot/id/"


@pytest.fixture(scope="module")
def client(store_kind, engines):
    settings = Settings(bundled=False, data=(FIXTURE,), validate_on_start=False)
    ontology = [bundled("ontology") / "plenipot.ttl"]  # the fixture has its own code lists
    store = engines.store(store_kind, [*ontology, FIXTURE])
    app = create_app(settings, store=store)

    # the pages' own entry points, independent of how the linked-data routes call them
    @app.get("/_test/page/{path:path}")
    def page(request: Request, path: str):
        return resource_page(request, ID + path, describe(request.app.state.store, ID + path))

    @app.get("/_test/vocabulary")
    def vocab(request: Request):
        return vocabulary_page(request, vocabulary(request.app.state.store))

    with TestClient(app) as test_client:
        yield test_client


def embedded_jsonld(html: str) -> Graph:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    json.loads(blocks[0])
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated class
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=blocks[0], format="json-ld")


def page(client, path: str) -> str:
    response = client.get("/_test/page/" + path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_home_lists_counts_conferences_and_latest_changes(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert 'href="/id/conference/test-pp-7"' in html
    assert "Test plenipotentiary 7 (synthetic)" in html
    assert re.search(r'href="/def#Proposal"[^>]*>[^<]*</a></th><td class="num">4<', html)
    latest = html[html.index("Latest changes"):]
    assert latest.index("2098-10-12") < latest.index("2098-10-05")  # newest first
    assert 'class="skip-link" href="#main"' in html


def test_resolution_page(client):
    html = page(client, "resolution/pp/9101")
    assert "<h1>Resolution 9101</h1>" in html
    assert "Test resolution on cyber matters (synthetic)" in html
    history = html[html.index("Revision history"):html.index("Proposals that target it")]
    assert history.index("Rev. Old Test City, 2094") < history.index("Rev. New Test City, 2098")
    assert 'href="/id/proposal/test-pp-7/tsg-71a1-1"' in html
    assert 'href="/id/proposal/test-pp-7/xbc-72-2"' in html  # member-state proposal, too
    assert '<span class="action action-mod">MOD</span>' in html
    summary = html[html.index('<dl class="summary">'):html.index("Revision history")]
    assert 'href="/id/issue-area/cybersecurity"' in summary
    assert 'href="https://example.org/test/res-9101"' in summary
    graph = embedded_jsonld(html)
    assert (URIRef(ID + "resolution/pp/9101"), None, None) in graph


def test_proposal_page_has_timeline_sources_and_positions(client):
    html = page(client, "proposal/test-pp-7/tsg-71a1-1")
    assert "TSG/71A1/1" in html
    timeline = html[html.index("Status timeline"):html.index("Positions on it")]
    assert timeline.index("2098-08-01") < timeline.index("2098-10-12")
    assert 'href="https://example.org/test/minutes-12"' in timeline
    assert "Synthetic rationale for a test position." in html
    assert ">Test stakeholder (synthetic)</a>" in html  # labels reach the shared macros
    assert ">Resolution 9101 (Rev. Old Test City, 2094)</a>" in html
    assert 'href="https://example.org/test/doc-71-add1"' in html
    assert embedded_jsonld(html)


@pytest.mark.parametrize(("path", "expected"), [
    ("org/test-rto-gamma", ["Testland Ba", "Testland Bb", "TSG/71A1/2", "Test Common Proposals",
                            "<dt>Proposal prefix</dt>"]),
    ("country/xbc", ["Member of", "Test regional organization Delta", "XBC/72/1",
                     "Test Candidate Two (synthetic)"]),
    ("conference/test-pp-7", ["New Test City", "2098-09-26", "Round 1", "111", "59", "elected",
                              "not adopted", "Rev. New Test City, 2098",
                              "<dt>Contribution deadline</dt>"]),
    ("issue-area/cybersecurity", ["Test resolution on cyber matters", "XBC/72/1",
                                  "/matrix?issue_area=cybersecurity"]),
    ("topic/artificial-intelligence", ["Test resolution on cyber matters", "TSG/71A1/1"]),
    ("person/test-candidate-one", ["Test election of the Secretary-General", "elected"]),
    ("election/test-pp-7/secretary-general", ["Test Candidate One", "170 cast", "111"]),
    ("org/test-stakeholder", ["Synthetic rationale for a test position."]),
    ("resolution/pp/9101/old-test-city-2094", ["Rev. Old Test City, 2094", "All facts"]),
    ("status/adopted", ["All facts", "Referred to by", "TSG/71A1/1"]),  # the generic page
])
def test_resource_pages_render(client, path, expected):
    html = page(client, path)
    for text in expected:
        assert text in html, text
    assert embedded_jsonld(html)


def test_election_results_are_ordered_by_votes(client):
    html = page(client, "election/test-pp-7/secretary-general")
    assert html.index("Test Candidate One") < html.index("Test Candidate Two")


def test_unknown_resource_is_a_404_page(client):
    response = client.get("/_test/page/resolution/pp/99999")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "nothing is known" in response.text


def test_served_iris_use_these_pages(client):
    response = client.get("/id/resolution/pp/9101", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "Revision history" in response.text and embedded_jsonld(response.text)
    missing = client.get("/id/resolution/pp/99999", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and 'class="skip-link"' in missing.text
    vocabulary = client.get("/def", headers={"Accept": "text/html"})
    assert vocabulary.status_code == 200 and 'id="Proposal"' in vocabulary.text


def test_vocabulary_page_has_anchors(client):
    response = client.get("/_test/vocabulary")
    assert response.status_code == 200
    assert 'id="Proposal"' in response.text and 'id="submittedBy"' in response.text
    assert embedded_jsonld(response.text)


def test_matrix_shows_cells_with_colour_and_text(client):
    html = client.get("/matrix").text
    assert "Download CSV" in html and 'href="/export/issues-matrix.csv"' in html
    # each cell says action, identifier and status in text, not only in colour or a tooltip
    cell = (r'href="/id/proposal/test-pp-7/{}"><span class="action action-{}">{}</span> '
            r'<span class="pid">{}</span> <span class="status status-{}">')
    assert re.search(cell.format("tsg-71a1-2", "sup", "SUP", "TSG/71A1/2", "not-adopted")
                     + "not adopted</span>", html)
    assert re.search(cell.format("xbc-72-1", "add", "ADD", "XBC/72/1", r"[a-z-]+"), html)
    # regional organizations come before member states
    head = html[html.index("<thead>", html.index('id="matrix"')):]
    assert head.index("Test regional organization Gamma") < head.index("Testland Bc")
    # grouped by issue area
    assert html.index(">Cybersecurity<") < html.index(">Standardization<")


def test_matrix_filters(client):
    html = client.get("/matrix", params={"status": "adopted"}).text
    assert "tsg-71a1-1" in html and "tsg-71a1-2" not in html and "xbc-72-1" not in html
    assert 'href="/export/issues-matrix.csv?status=adopted"' in html
    assert '<option value="adopted" selected>' in html
    html = client.get("/matrix", params={"issue_area": "standardization"}).text
    assert "tsg-71a1-2" in html and "tsg-71a1-1" not in html
    # a conference with no proposals: the tracked resolutions are still rows, every cell empty
    html = client.get("/matrix", params={"conference": "test-pp-6"}).text
    assert "0 proposals matching the filters" in html and 'class="filled"' not in html


@pytest.mark.parametrize("params", [{"status": "bogus"}, {"conference": "pp-1900"},
                                    {"issue_area": "<script>"}])
def test_matrix_bad_filter_is_a_400_page(client, params):
    response = client.get("/matrix", params=params)
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    name = next(iter(params))
    assert f"parameter &#39;{name}&#39;" in response.text
    assert "<script>" not in response.text.split("<main", 1)[1]


def test_search(client):
    html = client.get("/search", params={"q": "CYBER matters"}).text
    assert 'href="/id/resolution/pp/9101"' in html
    assert 'href="/id/proposal/test-pp-7/tsg-71a1-1"' in html
    assert client.get("/search").status_code == 200
    assert client.get("/search", params={"q": "x" * 500}).status_code == 400


def test_query_page_offers_named_queries_and_a_plain_form(client):
    html = client.get("/query").text
    assert '<form method="post" action="/sparql">' in html
    assert "/static/vendor/yasgui/yasgui.min.js" in html
    examples = json.loads(re.search(r'id="named-queries">(.*?)</script>', html, re.S).group(1))
    if examples:
        name = examples[0]["name"]
        chosen = client.get("/query", params={"example": name}).text
        assert examples[0]["title"] in chosen
    assert client.get("/query", params={"example": "no-such-query"}).status_code == 400


def test_static_files_and_traversal(client):
    css = client.get("/static/css/site.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert client.get("/static/vendor/yasgui/yasgui.min.js").status_code == 200
    assert client.get("/static/vendor/yasgui/LICENSE.txt").status_code == 200
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                 "/static/nothing.css", "/static/%00", "/static/css", "/static/"):
        assert client.get(path).status_code == 404, path


def test_vendored_yasgui_loads_nothing_remote():
    static = Path(__file__).parents[2] / "service" / "plenipot" / "web" / "static"
    assert "MIT" in (static / "vendor" / "yasgui" / "LICENSE.txt").read_text()
    for template in (static.parent / "templates").glob("*.html"):
        text = template.read_text()
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', text), template.name


def test_embedded_jsonld_cannot_close_its_script():
    from rdflib import Literal

    from plenipot.web.templating import jsonld_filter

    graph = Graph()
    text = "</script><script>alert(1)</script> & <!--"
    graph.add((URIRef(ID + "x"), URIRef(ID + "p"), Literal(text)))
    out = str(jsonld_filter(graph))
    assert "</" not in out and "<!--" not in out
    assert text in json.dumps(json.loads(out), ensure_ascii=False)


# --- pages for people, on the bundled data ------------------------------------------------------

@pytest.fixture(scope="module")
def bundled_client():
    with TestClient(create_app(Settings(validate_on_start=False, query_workers=0))) as test_client:
        yield test_client


def html_of(client, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.text


def test_linked_data_is_folded_below_the_human_sections(bundled_client):
    html = html_of(bundled_client, "/id/org/cept")
    details = html.index('<details class="linked-data">')
    assert html.index('id="members-h"') < details  # people's sections first
    assert html.index("All facts, as linked data") > details
    assert html.index("Referred to by") > details


def test_properties_are_named_in_words_not_curies(bundled_client):
    html = html_of(bundled_client, "/id/country/rou")
    folded = html[html.index('<details class="linked-data">'):]
    assert ">member of</a>" in folded and ">kind</a>" in folded and ">source</a>" in folded
    assert 'rel="external"></a>' not in folded  # no property without a name
    assert not re.search(r">(pp|org|dcterms|skos|rdfs|rdf):[A-Za-z]+<", html)


def test_memberships_and_kinds_are_labelled(bundled_client):
    html = html_of(bundled_client, "/id/org/cept")
    assert ">blr<" not in html
    assert "Belarus in European Conference of Postal and Telecommunications Administrations " \
           "(membership, Suspended)" in html
    concept = html_of(bundled_client, "/id/issue-area/cybersecurity")
    assert '<span class="kind">Concept</span>' in concept
    assert "skos/core#Concept</" not in concept


def test_empty_sections_are_left_out(bundled_client):
    for path in ("/id/org/cept", "/id/country/rou", "/id/resolution/pp/102",
                 "/id/person/anusha-rahman-khan", "/id/conference/pp-22"):
        html = html_of(bundled_client, path)
        assert "None in the graph" not in html and "No facts of its own" not in html, path


def test_members_sorted_by_name(bundled_client):
    html = html_of(bundled_client, "/id/org/cept")
    start = html.index('id="members-h"')
    section = html[start:html.index("</section>", start)]
    names = re.findall(r'<li><a href="/id/country/[a-z]+">([^<]+)</a>', section)
    assert len(names) > 20 and names == sorted(names, key=str.casefold)


def test_proposal_timeline_says_when_what_and_who(bundled_client):
    html = html_of(bundled_client, "/id/proposal/pp-22/eur-44a7-1")
    timeline = html[html.index('id="timeline-h"'):]
    assert '<time datetime="2022-06-03">2022-06-03</time>' in timeline
    assert "as recorded by" in timeline and ">scribd.com</a>" in timeline
