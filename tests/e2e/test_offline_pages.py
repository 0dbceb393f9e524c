"""Pages for browsers, working offline: /docs on vendored Swagger UI, a favicon, and HTML for a
browser on /sparql (bare) and /.well-known/void, the machine formats kept by negotiation."""

import os
import re
import shutil
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROMIUM = "/usr/bin/chromium"


def local_references(html: str) -> list[str]:
    """Every src, href and Swagger ``url:`` of a page."""
    return (re.findall(r'(?:src|href)="([^"]*)"', html)
            + re.findall(r"""\burl:\s*['"]([^'"]+)['"]""", html))


def test_docs_reference_only_assets_of_this_service(http):
    page = http.get("/docs", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    references = local_references(page.text)
    assert any(r.endswith("swagger-ui-bundle.js") for r in references), references
    assert any(r.endswith("swagger-ui.css") for r in references)
    assert "/openapi.json" in references
    for reference in references:
        parts = urlsplit(reference)
        assert not parts.scheme and not parts.netloc and reference.startswith("/"), reference
        served = http.get(reference)
        assert served.status_code == 200, reference
        assert len(served.content) > 0
    assert '"validatorUrl": null' in page.text  # the badge would call validator.swagger.io


def test_the_vendored_swagger_ui_is_served_with_its_licence(http):
    script = http.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert b"SwaggerUIBundle" in script.content and b"sourceMappingURL" not in script.content
    assert http.get("/static/vendor/swagger-ui/swagger-ui.css").headers["content-type"] \
        .startswith("text/css")
    assert b"Apache License" in http.get("/static/vendor/swagger-ui/LICENSE").content


def test_fastapi_cdn_pages_are_gone(http):
    assert http.get("/redoc").status_code == 404  # ReDoc would load from a CDN


def test_the_favicon_is_served_and_linked(http):
    icon = http.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = http.get("/static/img/favicon.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    for path in ("/", "/matrix", "/query", "/def", "/id/conference/pp-22"):
        html = http.get(path, headers={"Accept": "text/html"}).text
        assert re.search(r'<link rel="icon" href="[^"]*/favicon\.ico"', html), path
    assert 'href="/favicon.ico"' in http.get("/docs").text


def test_a_browser_on_bare_sparql_gets_the_query_page(http):
    page = http.get("/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "yasgui" in page.text.lower() and "</html>" in page.text
    assert "Accept" in page.headers["vary"]


@pytest.mark.parametrize("accept,media", [
    (None, "text/turtle"), ("*/*", "text/turtle"), ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("text/turtle;q=0.9, text/html;q=0.5", "text/turtle"),
])
def test_machines_on_bare_sparql_keep_the_service_description(http, accept, media):
    headers = {"Accept": accept} if accept else {}
    response = http.get("/sparql", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "sparql-service-description" in response.text


def test_a_browser_with_a_query_keeps_the_machine_formats(http):
    response = http.get("/sparql", params={"query": "ASK {}"},
                        headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")


def test_a_browser_on_void_gets_a_readable_page(http):
    triples = http.get("/health").json()["triples"]
    page = http.get("/.well-known/void", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Accept" in page.headers["vary"]
    text = page.text
    assert "<h1>Plenipot: proposals to ITU conferences</h1>" in text
    assert f"{triples:,}" in text  # the size, counted from the live data
    assert "/export/plenipot.ttl" in text and "/sparql" in text
    assert "pp:Conference" in text  # entities per class
    assert '<script type="application/ld+json">' in text


@pytest.mark.parametrize("accept,media", [
    (None, "text/turtle"), ("*/*", "text/turtle"), ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"), ("application/json", "application/ld+json"),
])
def test_machines_on_void_keep_the_rdf(http, accept, media):
    from e2e.rdf_bodies import distinct_triples

    response = http.get("/.well-known/void", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert distinct_triples(response.content, media)


@pytest.mark.browser
def test_docs_render_in_chromium_with_the_network_cut_off(served):
    """Headless Chromium opens /docs with every request to another host refused: Swagger UI
    must still draw the operations of /openapi.json, with no script error."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("PLENIPOT_REQUIRE_BROWSER"):
            raise RuntimeError(f"{CHROMIUM} is not installed (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright import sync_api

    origin = served.base
    outside: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)

            def guard(route):
                if route.request.url.startswith(origin + "/"):
                    return route.continue_()
                outside.append(route.request.url)
                return route.abort()

            page.route("**/*", guard)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(served.url("/docs"))
            page.wait_for_selector(".opblock", state="attached")
            operations = page.locator(".opblock").count()
            title = page.locator(".info .title").first.inner_text()
        finally:
            browser.close()
    assert operations > 10, operations
    assert "Plenipot" in title
    assert errors == []
    assert outside == []
