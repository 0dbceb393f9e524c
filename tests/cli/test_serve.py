"""End to end: ``plenipot serve`` as a real process on a free port, queried over HTTP."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parents[1] / "fixtures" / "store"
PLENIPOT = [sys.executable, "-m", "plenipot"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found |= {child, *descendants(child)}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except OSError:
        return False
    return state != "Z"


def get(url: str, accept: str = "application/sparql-results+json"):
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.slow
def test_serve_answers_over_http_and_stops_cleanly(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    server = subprocess.Popen(
        [*PLENIPOT, "serve", "--port", str(port), "--no-bundled", "--data", str(SAMPLE),
         "--store", str(tmp_path / "store")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "PLENIPOT_QUERY_TIMEOUT": "3"},
    )
    try:
        while True:
            try:
                status, body = get(f"{base}/health", "application/json")
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() - started < 20, "the server did not start"
                time.sleep(0.1)
        print(f"started and answered in {time.monotonic() - started:.2f} s")
        health = json.loads(body)
        assert status == 200 and health["triples"] == 18 and health["graphs"] == 2

        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
        status, body = get(f"{base}/sparql?{query}")
        assert status == 200
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "18"

        service = urllib.parse.urlencode({"query": "SELECT * { SERVICE <http://127.0.0.1:1/> {} }"})
        status, body = get(f"{base}/sparql?{service}")
        assert status == 400 and json.loads(body)["error"] == "ForbiddenOperation"

        workers = descendants(server.pid)
        assert len(workers) >= 2  # the forkserver and its query workers
    finally:
        server.send_signal(signal.SIGINT)
        try:
            output, _ = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    assert server.returncode == 0, output.decode()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "query workers outlived the server"
    assert (tmp_path / "store" / "plenipot-loaded.json").is_file()  # durable, reused next time


def test_serve_reports_a_bad_file_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    done = subprocess.run([*PLENIPOT, "serve", "--port", str(free_port()), "--no-bundled",
                           "--data", str(bad)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"{bad}:2:" in done.stderr and "Traceback" not in done.stderr
