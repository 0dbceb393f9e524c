"""The remote store's own behaviour: what it sends (a recording stand-in engine), what it does
when the engine is down, hangs or refuses, and ``plenipot load`` on both real engines."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal

from plenipot.config import Settings
from plenipot.errors import ParameterError, QueryError, QueryTimeout
from plenipot.store import remote_load
from plenipot.store.remote import RemoteStore
from plenipot.store.remote_http import Endpoint, EngineUnreachable
from plenipot.store.remote_load import CountMismatch, load
from plenipot.web.app import create_app

SAMPLE = Path(__file__).parents[1] / "fixtures" / "store"
ENGINES = ("virtuoso", "oxigraph")
pytestmark = pytest.mark.remote


# --- a recording stand-in engine ----------------------------------------------------------------

class Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict]] = []
    delay: ClassVar[float] = 0.0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        form = parse_qs(body)
        type(self).requests.append(form)
        time.sleep(type(self).delay)
        text = form.get("query", [""])[0]
        if "ASK" in text:
            answer = {"head": {}, "boolean": True}
        elif "SELEC " in text:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(b"Parse error: unexpected SELEC at line 1")
            return
        elif "GROUP BY ?g" in text:
            answer = {"head": {"vars": ["g", "n"]}, "results": {"bindings": [
                {"g": {"type": "uri", "value": "urn:graph:a"},
                 "n": {"type": "literal", "value": "3"}}]}}
        else:
            answer = {"head": {"vars": ["n"]}, "results": {"bindings": [
                {"n": {"type": "literal", "value": "7",
                       "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    Recorder.requests, Recorder.delay = [], 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def recorded_store(url: str, **kwargs) -> RemoteStore:
    return RemoteStore(Endpoint(url, engine="virtuoso"), ["urn:graph:a", "urn:graph:b"],
                       timeout=kwargs.pop("timeout", 2.0), **kwargs)


def test_parameters_go_as_a_values_block_and_the_graphs_as_the_dataset(recorder):
    store = recorded_store(recorder)
    store.select("SELECT ?n WHERE { ?s ?p ?n }", {"p": Literal('x" } ; DROP ALL #')})
    sent = Recorder.requests[-1]
    assert 'VALUES (?p) { ("x\\" } ; DROP ALL #") }' in sent["query"][0]
    assert sent["default-graph-uri"] == ["urn:graph:a", "urn:graph:b"]
    assert sent["named-graph-uri"] == ["urn:graph:a", "urn:graph:b"]
    assert sent["timeout"] == ["2000"]  # Virtuoso's own limit, in milliseconds


def test_each_graph_is_counted_in_its_own_request(recorder):
    """Virtuoso keeps the plan it compiled for a query text: one count over a list of graphs,
    compiled while they were empty (load's check before loading), ran past 120 s after a
    1M-triple load (benchmarks/README.md)."""
    store = recorded_store(recorder)
    assert store.graph_counts() == {"urn:graph:a": 7, "urn:graph:b": 7}
    texts = [r["query"][0] for r in Recorder.requests]
    assert len(texts) == 2 and "<urn:graph:a>" in texts[0] and "<urn:graph:b>" in texts[1]
    assert all("default-graph-uri" not in r for r in Recorder.requests)


def test_a_query_with_its_own_from_gets_no_dataset_parameters(recorder):
    recorded_store(recorder).select("SELECT ?n FROM <urn:graph:a> WHERE { ?s ?p ?n }")
    assert "default-graph-uri" not in Recorder.requests[-1]


def test_refused_queries_never_reach_the_engine(recorder):
    settings = Settings(bundled=False, validate_on_start=False)
    with TestClient(create_app(settings, store=recorded_store(recorder))) as client:
        before = len(Recorder.requests)
        for query in ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                      "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                      "LOAD <http://example.org/data.ttl>",
                      "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }"):
            response = client.get("/sparql", params={"query": query})
            assert response.status_code == 400, query
            assert response.json()["error"] == "ForbiddenOperation"
        assert len(Recorder.requests) == before


def test_an_engine_syntax_error_is_a_400_with_its_message(recorder):
    with pytest.raises(QueryError, match="unexpected SELEC at line 1"):
        recorded_store(recorder).select("SELEC ?x WHERE { ?x ?y ?z }")


def test_rows_beyond_the_limit_are_cut_and_marked(recorder):
    result = recorded_store(recorder).select("SELECT ?n WHERE { ?s ?p ?n }", limit=0)
    assert result.rows == [] and result.truncated


def test_a_slow_engine_is_a_timeout(recorder):
    Recorder.delay = 2.0
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        recorded_store(recorder, timeout=0.5).select("SELECT ?n WHERE { ?s ?p ?n }")
    assert time.monotonic() - started < 2.0


def test_health_is_503_within_two_seconds_when_the_engine_hangs(recorder):
    settings = Settings(bundled=False, validate_on_start=False)
    with TestClient(create_app(settings, store=recorded_store(recorder))) as client:
        assert client.get("/health").status_code == 200
        Recorder.delay = 3.0
        time.sleep(1.1)  # past the probe's memory
        started = time.monotonic()
        response = client.get("/health")
        assert response.status_code == 503
        assert time.monotonic() - started < 2.5
        Recorder.delay = 0.0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_health_is_503_at_once_when_the_engine_is_down():
    store = recorded_store(f"http://127.0.0.1:{_closed_port()}/sparql")
    settings = Settings(bundled=False, validate_on_start=False)
    with TestClient(create_app(settings, store=store)) as client:
        started = time.monotonic()
        response = client.get("/health")
        assert response.status_code == 503
        assert "does not answer" in response.json()["message"]
        assert time.monotonic() - started < 2.0


def test_serve_on_an_engine_that_is_down_stops_with_a_message():
    url = f"http://127.0.0.1:{_closed_port()}/sparql"
    done = subprocess.run([sys.executable, "-m", "plenipot", "serve", "--store", f"sparql:{url}",
                           "--no-bundled"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PLENIPOT_VALIDATE_ON_START": "0"})
    assert done.returncode == 3
    assert f"the SPARQL engine at {url} does not answer" in done.stderr
    assert "Traceback" not in done.stderr


def test_store_setting_needs_an_http_url():
    with pytest.raises(ParameterError, match="sparql:http://"):
        Settings.from_env(store_path="sparql:127.0.0.1:8890")
    assert Settings.from_env(store_path="sparql:http://h:1/q//x").endpoint == "http://h:1/q//x"


# --- plenipot load on the real engines ------------------------------------------------------------

def _endpoint(engines, kind: str) -> tuple[Endpoint, str | None]:
    engines.settings(kind, Settings(data=(SAMPLE,), bundled=False))  # starts, loads once
    env = lambda what: os.environ.get(f"PLENIPOT_TEST_{kind.upper()}_{what}")  # noqa: E731
    return (Endpoint(env("URL"), env("UPDATE_URL"), env("USER"), env("PASSWORD"),
                     "digest" if kind == "virtuoso" else "basic"), env("GSP_URL"))


@pytest.mark.parametrize("kind", ENGINES)
def test_loading_again_replaces_and_never_doubles(engines, kind):
    endpoint, gsp = _endpoint(engines, kind)
    with pytest.raises(ParameterError, match="--replace"):
        load(endpoint, [SAMPLE], gsp_url=gsp)
    first = RemoteStore(endpoint, None).graph_counts(
        [g.name for g in remote_load.read_sources([SAMPLE])])
    report = load(endpoint, [SAMPLE], gsp_url=gsp, replace=True)
    again = RemoteStore(endpoint, None).graph_counts(list(first))
    assert again == first and sum(again.values()) == report.triples > 0


@pytest.mark.parametrize("method", ["update", "gsp"])
@pytest.mark.parametrize("kind", ENGINES)
def test_both_ways_in_work_in_small_batches(engines, kind, method, tmp_path):
    endpoint, gsp = _endpoint(engines, kind)
    if kind == "oxigraph":
        endpoint.update_url = os.environ["PLENIPOT_TEST_OXIGRAPH_UPDATE_URL"]
    data = tmp_path / "batches.ttl"
    data.write_text("".join(f"<urn:s{i}> <urn:p> {i} .\n" for i in range(250)), encoding="utf-8")
    blank = tmp_path / "blank.ttl"  # blank nodes: one request, whatever the batch size
    blank.write_text("".join(f'<urn:s{i}> <urn:q> [ <urn:r> "b{i}" ] .\n' for i in range(30)),
                     encoding="utf-8")
    report = load(endpoint, [data, blank], replace=True, batch=40,
                  gsp_url=gsp if method == "gsp" else None)
    assert report.triples == 250 + 60
    name = str(remote_load.read_sources([blank])[0].name)
    store = RemoteStore(endpoint, [name])
    assert store.graph_counts() == {name: 60}
    joined = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:q> ?b . ?b <urn:r> ?x }")
    assert int(joined.rows[0]["n"]) == 30  # each blank node kept both its triples
    report = load(endpoint, [data], replace=True, batch=40)
    assert report.triples == 250
    graph = str(remote_load.read_sources([data])[0].name)
    assert RemoteStore(endpoint, None).graph_counts([graph]) == {graph: 250}


@pytest.mark.parametrize("kind", ENGINES)
def test_a_count_that_does_not_match_is_an_error(engines, kind, tmp_path, monkeypatch):
    endpoint, gsp = _endpoint(engines, kind)
    data = tmp_path / "short.ttl"
    data.write_text("".join(f"<urn:s{i}> <urn:p> {i} .\n" for i in range(30)), encoding="utf-8")
    original = remote_load._batches
    monkeypatch.setattr(remote_load, "_batches",  # a loader that loses a triple on the way
                        lambda graph, size: [b[:-1] for b in original(graph, size)])
    with pytest.raises(CountMismatch, match="has 29 triples on the engine, the file 30"):
        load(endpoint, [data], gsp_url=gsp, replace=True)


def test_load_command_reports_and_exits_0_then_2_without_replace(engines, tmp_path):
    endpoint, gsp = _endpoint(engines, "oxigraph")
    data = tmp_path / "cli.ttl"
    data.write_text("<urn:cli> <urn:p> 1 .\n", encoding="utf-8")
    command = [sys.executable, "-m", "plenipot", "load", "--endpoint", endpoint.url, "--gsp",
               gsp, "--no-bundled", "--data", str(data)]
    done = subprocess.run([*command, "--replace"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "loaded 1 triples in 1 graphs" in done.stderr and "\r" not in done.stderr  # not a tty
    again = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "give --replace" in again.stderr


def test_load_command_on_an_engine_that_is_down_is_exit_3(tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/sparql"
    done = subprocess.run([sys.executable, "-m", "plenipot", "load", "--endpoint", url],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3 and "does not answer" in done.stderr


def test_unreachable_is_503():
    assert EngineUnreachable("x").http_status == 503


@pytest.mark.parametrize("kind", ENGINES)
def test_query_and_export_commands_on_an_engine_answer_as_the_embedded_store(engines, kind):
    remote = engines.settings(kind, Settings(data=(SAMPLE,), bundled=False))
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

    def command(*args, store=None):
        extra = ["--store", f"sparql:{remote.endpoint}"] if store else []
        done = subprocess.run([sys.executable, "-m", "plenipot", *args, "--no-bundled", "--data",
                               str(SAMPLE), *extra], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert command("query", "--sparql", query, "--format", "csv", store=True) == command(
        "query", "--sparql", query, "--format", "csv")
    exported = command("export", "--format", "nquads", store=True)
    assert sorted(exported.splitlines()) == sorted(command("export", "--format",
                                                           "nquads").splitlines())
