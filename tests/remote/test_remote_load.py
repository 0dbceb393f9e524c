"""``plenipot load`` gives an engine the graph the embedded store holds for the same sources,
decision 0009 included: a user's file that describes a bundled proposal replaces the bundled
description of it, on Virtuoso and on Oxigraph's server as on the embedded store."""

import csv
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plenipot.cli.main import main
from plenipot.config import Settings
from plenipot.sources.bundled import graph_sources
from plenipot.store.remote import RemoteStore
from plenipot.store.remote_http import Endpoint
from plenipot.store.remote_load import load, read_sources
from plenipot.tracker.tables import COLUMNS, proposal_rows
from plenipot.web.app import create_app

ENGINES = ("virtuoso", "oxigraph")
EUR = "https://w3id.org/plenipot/id/proposal/pp-22/eur-44a7-1"
CEPT = "https://w3id.org/plenipot/source/data/proposals/pp-22/cept.ttl"
TITLE = "Revise Resolution 130 (synthetic title of a test sheet)"
ABOUT = f"""SELECT ?s ?p ?o WHERE {{
  {{ BIND(<{EUR}> AS ?s) ?s ?p ?o }}
  UNION {{ <{EUR}> <https://w3id.org/plenipot/def#statusChange> ?s . ?s ?p ?o }}
}}"""
pytestmark = pytest.mark.remote


@pytest.fixture(scope="module")
def user_file(tmp_path_factory) -> Path:
    """What ``plenipot import`` writes for a sheet that gives the bundled EUR/44A7/1 a new
    title and a new status: the proposal in full, its bundled history carried forward."""
    folder = tmp_path_factory.mktemp("sheet")
    sheet = folder / "sheet.csv"
    with sheet.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([COLUMNS, [
            "EUR/44A7/1", "PP-22", "44(Add.7)", "CEPT", "MOD", "Resolution 130", TITLE, "",
            "cybersecurity", "cybersecurity", "adopted-with-modifications", "2022-10-13",
            "https://example.org/plenipot-test/load-sheet"]])
    out = folder / "proposals.ttl"
    assert main(["import", str(sheet), "-o", str(out)]) == 0
    return out


@pytest.fixture
def restored(engines, user_file) -> Iterator[None]:
    """The engines get the bundled data back afterwards: the other tests of the session share
    the bundled graphs, and a load with ``user_file`` puts the CEPT file's graph there without
    EUR/44A7/1. The next test that wants ``user_file`` loads it again."""
    yield
    for kind, sources in list(engines.loaded):
        if user_file in sources:
            engines.loaded.discard((kind, sources))
    for kind in ENGINES:
        if os.environ.get(f"PLENIPOT_TEST_{kind.upper()}_URL"):  # the engine was there
            endpoint, gsp = _endpoint(kind)
            load(endpoint, list(graph_sources()), gsp_url=gsp, replace=True)


def _endpoint(kind: str) -> tuple[Endpoint, str | None]:
    env = lambda what: os.environ.get(f"PLENIPOT_TEST_{kind.upper()}_{what}")  # noqa: E731
    return (Endpoint(env("URL"), env("UPDATE_URL"), env("USER"), env("PASSWORD"),
                     "digest" if kind == "virtuoso" else "basic"), env("GSP_URL"))


def _eur_rows(store) -> list[dict]:
    """The tracker row of EUR/44A7/1, each cell's ``;``-separated values as a sorted tuple
    (GROUP_CONCAT's order is the engine's own: Virtuoso's differs)."""
    return [{k: tuple(sorted(str(v).split(";"))) for k, v in row.items()}
            for row in proposal_rows(store) if row["id"] == "EUR/44A7/1"]


def _about(store) -> list[tuple]:
    return sorted((str(r["s"]), str(r["p"]), r["o"].n3()) for r in store.select(ABOUT).rows)


def test_the_graphs_to_load_leave_out_the_bundled_description_of_a_replaced_proposal(user_file):
    graphs = {g.name: g for g in read_sources([*graph_sources(), user_file])}
    bundled = {g.name: g for g in read_sources(graph_sources())}
    cept = graphs[CEPT]
    assert cept.left_out > 0 and len(cept.triples) == len(bundled[CEPT].triples) - cept.left_out
    assert not any(t.subject.value.startswith(EUR) for t in cept.triples)
    assert any(t.subject.value == EUR for t in graphs[user_file.resolve().as_uri()].triples)
    assert [n for n, g in graphs.items() if g.left_out] == [CEPT]  # nothing else is replaced
    assert all(g.left_out == 0 for g in bundled.values())


@pytest.mark.parametrize("kind", ENGINES)
def test_an_engine_answers_as_the_embedded_store_when_a_users_file_replaces_a_proposal(
        engines, kind, user_file, restored):
    sources = [*graph_sources(), user_file]
    embedded = engines.store("embedded", sources)
    remote = engines.store(kind, sources)  # plenipot load, as the fixtures load every engine
    try:
        assert isinstance(remote, RemoteStore)
        ours = _eur_rows(embedded)
        theirs = _eur_rows(remote)
        assert len(ours) == 1 and ours[0]["title"] == (TITLE,)
        assert ours[0]["status"] == ("adopted-with-modifications",)
        assert theirs == ours
        assert _about(remote) == _about(embedded)  # one title, one current status, the history
        assert remote.triple_count() == embedded.triple_count()
        # loading again replaces: the same counts, the check passes, nothing doubled
        endpoint, gsp = _endpoint(kind)
        report = load(endpoint, sources, gsp_url=gsp, replace=True)
        assert report.triples == embedded.triple_count()
        assert list(report.left_out) == [CEPT]
        assert RemoteStore(endpoint, remote.graph_names()).triple_count() == report.triples
    finally:
        embedded.close()
        remote.close()


def _health(settings: Settings) -> dict:
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 120
        while (report := client.get("/health").json())["conforms"] == "pending":
            assert time.monotonic() < deadline, "the validation did not finish"
            time.sleep(0.2)
    return report


@pytest.mark.parametrize("kind", ENGINES)
def test_health_on_an_engine_says_what_it_says_on_the_embedded_store(engines, kind, user_file,
                                                                     restored):
    settings = Settings(data=(user_file,), cache_entries=0)
    ours, theirs = _health(settings), _health(engines.settings(kind, settings))
    keys = ("status", "triples", "graphs", "conforms", "shapes_results")
    assert {k: theirs.get(k) for k in keys} == {k: ours.get(k) for k in keys}
    assert ours["conforms"] in (True, False), ours  # validated, not stopped or failed
    assert ours["shapes_results"]["violation"] == 0, ours  # valid beside the bundled data
    assert {k: v for k, v in theirs["data"].items() if k != "engine"} == ours["data"]


def test_the_load_command_says_what_it_left_out(engines, user_file, restored):
    engines.settings("oxigraph", Settings(bundled=True))  # the engine is there, bundled loaded
    endpoint, gsp = _endpoint("oxigraph")
    done = subprocess.run([sys.executable, "-m", "plenipot", "load", "--endpoint", endpoint.url,
                           "--gsp", gsp, "--data", str(user_file), "--replace"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "bundled file(s) about proposals that your files describe" in done.stderr
    assert f"<{CEPT}>" in done.stderr
