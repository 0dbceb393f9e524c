"""A bounded mixed load on the real server: 16 connections for 20 s over /sparql, /queries, /id,
/api, /export and the pages, small answers and large ones. Behaviour, not timings: every answer
must come (no connection error) and none may be a 5xx."""

import itertools
import threading
import time
from collections import Counter

import httpx2
import pytest

from e2e.served_process import FIGURES

pytestmark = pytest.mark.slow

CONNECTIONS = 16
SECONDS = 20.0
LARGE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
MIX = [
    ("GET", "/sparql", {"query": "ASK { ?s ?p ?o }"}, "application/sparql-results+json"),
    ("GET", "/sparql", {"query": LARGE}, "application/sparql-results+json"),
    ("GET", "/sparql", {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, "application/n-triples"),
    ("GET", "/sparql", {"query": "SELECT ?c WHERE { ?c a <https://w3id.org/plenipot/def#"
                                 "Conference> }"}, "text/csv"),
    ("POST", "/sparql", {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
     "application/sparql-results+xml"),
    ("GET", "/sparql", {"query": "SELECT * { ?s ?p"}, "application/sparql-results+json"),  # 400
    ("GET", "/queries", {}, "application/json"),
    ("GET", "/queries/issues-matrix", {}, "application/sparql-results+json"),
    ("GET", "/queries/proposals-for-resolution", {"number": "102"}, "text/csv"),
    ("GET", "/id/conference/pp-22", {}, "text/turtle"),
    ("GET", "/id/resolution/pp/102", {}, "text/html"),
    ("GET", "/id/org/cept", {}, "application/ld+json"),
    ("GET", "/api/resolutions", {}, "application/json"),
    ("GET", "/api/proposals", {"limit": "20"}, "application/json"),
    ("GET", "/api/search", {"q": "internet"}, "application/json"),
    ("GET", "/export/plenipot.nt", {}, "*/*"),
    ("GET", "/export/issues-matrix.csv", {}, "*/*"),
    ("GET", "/", {}, "text/html"),
    ("GET", "/matrix", {}, "text/html"),
    ("GET", "/def", {}, "text/html"),
    ("GET", "/health", {}, "application/json"),
]


def test_mixed_load_ends_without_a_server_error(served):
    statuses: Counter = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + SECONDS

    def connection(offset: int) -> None:
        with httpx2.Client(base_url=served.base, timeout=60) as client:
            for method, path, params, accept in itertools.islice(
                    itertools.cycle(MIX), offset, None):
                if time.monotonic() >= stop_at:
                    return
                try:
                    if method == "POST":
                        response = client.post(path, data=params, headers={"Accept": accept})
                    else:
                        response = client.get(path, params=params, headers={"Accept": accept})
                    status = response.status_code
                except httpx2.HTTPError as error:
                    status = f"{type(error).__name__}"
                with lock:
                    statuses[status] += 1
                    if not isinstance(status, int) or status >= 500:
                        failures.append(f"{method} {path} {params}: {status}")

    threads = [threading.Thread(target=connection, args=(i * 3,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 120)
    assert not any(thread.is_alive() for thread in threads), "a connection hung"
    requests = sum(statuses.values())
    FIGURES.append(f"mixed load: {CONNECTIONS} connections for {SECONDS:.0f} s: {requests} "
                   f"requests, {len(failures)} errors (5xx or no answer); "
                   f"statuses {dict(statuses)}")
    assert requests > 0
    assert statuses[400] > 0  # the malformed query was sent and refused
    assert len(failures) == 0, failures[:20]
