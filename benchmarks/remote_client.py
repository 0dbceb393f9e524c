"""SPARQLWrapper (urllib, a new connection per request), httpx with a kept-alive pool, and the
remote store's own transport (http.client, a kept-alive connection per thread), on the same
queries against the same engine.

    bash scripts/engines.sh start /tmp/engines && source /tmp/engines/env
    .venv/bin/plenipot load --endpoint "$PLENIPOT_TEST_OXIGRAPH_URL" \
        --gsp "$PLENIPOT_TEST_OXIGRAPH_GSP_URL" --replace
    .venv/bin/python benchmarks/remote_client.py URL [N] [THREADS]

Prints, per client, the median and p95 latency of one request and the throughput at THREADS
concurrent callers (each SPARQLWrapper call builds its own request; httpx shares one pool).
"""

import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from SPARQLWrapper import POST, SPARQLWrapper

from plenipot.namespaces import PREFIXES
from plenipot.store.remote_http import Endpoint

PROLOGUE = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
QUERIES = {
    "lookup": PROLOGUE + "SELECT ?p ?o WHERE { VALUES (?s) { (<https://w3id.org/plenipot/id/"
              "resolution/pp/102>) } ?s ?p ?o }",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
}
ACCEPT = "application/sparql-results+json"


def with_sparqlwrapper(url: str):
    def call(query: str) -> bytes:
        wrapper = SPARQLWrapper(url)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.queryString, wrapper.queryType = query, "SELECT"
        wrapper.addCustomHttpHeader("Accept", ACCEPT)
        return wrapper.query().response.read()

    return call


def with_kept_alive(url: str):
    endpoint = Endpoint(url)  # the remote store's transport: store/remote_pool.py
    return lambda query: endpoint.request(query, accept=ACCEPT, timeout=10).body


def with_httpx(url: str):
    client = httpx.Client(timeout=10, limits=httpx.Limits(max_keepalive_connections=16))
    return lambda query: client.post(url, data={"query": query},
                                     headers={"Accept": ACCEPT}).content


def measure(call, query: str, n: int, threads: int) -> tuple[float, float, float]:
    for _ in range(20):
        call(query)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        call(query)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda _: call(query), range(n)))
    rate = n / (time.perf_counter() - started)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000, rate


def main() -> None:
    url = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    print(f"| {url} | query | client | p50 ms | p95 ms | req/s at {threads} threads |")
    print("|---|---|---|---|---|---|")
    for name, query in QUERIES.items():
        for label, make in (("SPARQLWrapper", with_sparqlwrapper), ("httpx pool", with_httpx),
                            ("kept-alive http.client", with_kept_alive)):
            p50, p95, rate = measure(make(url), query, n, threads)
            print(f"| | {name} | {label} | {p50:.2f} | {p95:.2f} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
