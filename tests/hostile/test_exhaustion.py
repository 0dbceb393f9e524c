"""No input exhausts the service: deep nesting, huge queries, slow parses and memory-hungry
queries are refused or stopped inside a killable worker, and the server keeps answering other
requests throughout (a real ``plenipot serve``, concurrent requests)."""

import subprocess
import threading
import time

import pytest
from fastapi.testclient import TestClient
from hostile_cases import EXHAUSTING, SAMPLE

from plenipot.cli.main import main
from plenipot.config import Settings
from plenipot.web.app import create_app

IDS = [case.name for case in EXHAUSTING]
CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


@pytest.fixture(scope="module")
def default_client():
    """The sample with the default caps (the shared sample client caps bodies at 4 kB)."""
    settings = Settings(data=(SAMPLE,), bundled=False, validate_on_start=False)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize("case", EXHAUSTING, ids=IDS)
def test_the_service_refuses_it_and_its_workers_survive(default_client, case):
    response = default_client.post("/sparql", data={"query": case.text})
    assert response.status_code == case.status, response.text
    assert response.json()["error"] == case.error
    assert case.fragment in response.json()["message"]
    ask = default_client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ask.status_code == 200


def test_a_real_server_refuses_them_without_losing_a_worker(served):
    for case in EXHAUSTING:
        status, body = served.request(
            "/sparql", data=case.text.encode(),
            headers={"Content-Type": "application/sparql-query"})
        assert status == case.status and body["error"] == case.error, (case.name, body)
        assert case.fragment in body["message"], (case.name, body)
        status, body = served.sparql(case.text)  # in the URL: uvicorn may refuse it first
        assert 400 <= status < 500, (case.name, body)
    status, body = served.sparql("ASK { ?s ?p ?o }")
    assert status == 200 and body["boolean"] is True


@pytest.mark.parametrize("case", EXHAUSTING, ids=IDS)
def test_plenipot_query_sparql_refuses_it(capsys, case):
    code = main(["query", "--no-bundled", "--data", str(SAMPLE), "--sparql", case.text])
    err = capsys.readouterr().err
    assert code == 2 and case.fragment in err, err


def test_the_installed_query_command_does_not_crash_on_5000_parentheses():
    from conftest import PLENIPOT

    deep = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    done = subprocess.run([str(PLENIPOT), "query", "--no-bundled", "--data", str(SAMPLE),
                           "--sparql", deep], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "nests brackets" in done.stderr, done.stderr


def _concurrently(served, slow_query: str, expect_error: str, expect_fragment: str) -> None:
    """Run ``slow_query`` while /health and small queries are answered fast."""
    outcome: dict = {}

    def run() -> None:
        outcome["answer"] = served.request(
            "/sparql", data=slow_query.encode(), timeout=60,
            headers={"Content-Type": "application/sparql-query"})

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.05)  # the query is under way; on a quiet machine it may hit its cap in 0.3 s
    times = []
    while not times or thread.is_alive():
        started = time.monotonic()
        status, body = served.sparql("ASK { ?s ?p ?o }", timeout=20)
        assert status == 200 and body["boolean"] is True
        times.append(time.monotonic() - started)
        time.sleep(0.1)
    thread.join()
    status, body = outcome["answer"]
    assert status == 503 and body["error"] == expect_error, body
    assert expect_fragment in body["message"], body
    assert times and max(times) < 2.0, times  # generous on a shared 2-core machine
    status, body = served.sparql("ASK { ?s ?p ?o }")  # the worker was replaced
    assert status == 200


def test_a_memory_hungry_query_is_a_503_that_says_so_and_others_are_answered(served):
    _concurrently(served, CROSS_JOIN.replace("?g ?h ?i", "?g ?h ?i . ?j ?k ?l . ?m ?n ?o")
                  .replace("?c ?f ?i", "?c ?f ?i ?l ?o"),
                  "QueryMemoryExceeded", "too much memory")


def test_a_slow_parse_runs_in_a_worker_under_the_time_limit_and_blocks_no_one(served):
    """The rdflib parse happens in the killable worker: a long query that parses slowly is
    stopped at the time limit, and other queries are answered meanwhile (no shared lock in the
    server process)."""
    alternatives = " || ".join(f"?x = {i}" for i in range(3000))  # rdflib: ~20 s to parse
    slow = f"SELECT * WHERE {{ ?x ?p ?o FILTER({alternatives}) }}"
    assert len(slow) < 100_000
    _concurrently(served, slow, "QueryTimeout", "longer than")
