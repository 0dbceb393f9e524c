"""The server under test is the product as users run it: the console script, on uvicorn with
uvloop and httptools (the loop and HTTP parser that ``plenipot serve`` picks by default)."""

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_the_server_is_the_installed_console_script(served):
    assert served.process.args[0] == str(Path(sys.prefix) / "bin" / "plenipot")
    assert served.process.args[1] == "serve"
    assert served.base.startswith("http://127.0.0.1:")


def test_the_server_runs_uvloop_and_httptools(served, http):
    assert http.get("/health").status_code == 200
    maps = Path(f"/proc/{served.process.pid}/maps").read_text()
    assert "/uvloop/loop." in maps, "plenipot serve is not running the uvloop event loop"
    assert "/httptools/parser/" in maps, "plenipot serve is not parsing HTTP with httptools"


def test_the_users_data_file_is_served_beside_the_bundled_data(http):
    from e2e.served_process import USER_GRAPH, USER_TRIPLES

    health = http.get("/health").json()
    assert health["triples"] > USER_TRIPLES + 5000
    query = f"SELECT (COUNT(*) AS ?n) {{ ?s <{USER_GRAPH}text> ?o }}"
    response = http.get("/sparql", params={"query": query},
                        headers={"Accept": "application/sparql-results+json"})
    assert response.json()["results"]["bindings"][0]["n"]["value"] == str(USER_TRIPLES)
