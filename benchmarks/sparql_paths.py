"""What each layer of ``/sparql`` costs, against Oxigraph's own server on the same data, in one
run (target: ``/sparql`` p50 within 1.5x of Oxigraph's server; throughput as a ratio too).

    python benchmarks/sparql_paths.py --sizes 100000 --seconds 6

Legs, each the same lookup query (``service.QUERIES["lookup"]``) or a hello world:
- Oxigraph's server (``oxigraph serve-read-only``), the baseline;
- the floors of a Python answer: a raw ASGI hello world and FastAPI's hello world, on uvicorn
  (as ``plenipot serve`` runs it: uvloop and httptools) and on granian;
- ``/sparql`` of ``plenipot serve`` (FastAPI on uvicorn), and the same app on granian;
- ``asgi_apps.lean_sparql``: the leanest route the protocol could have here (raw ASGI, the same
  safety inspection and store), with the query workers and with the store in the server process
  (``PLENIPOT_QUERY_WORKERS=0``): what the framework costs, and what the worker round trip costs.
Needs ``pip install -e '.[bench]'`` (the Oxigraph server, granian) and ``wrk`` (else a threaded
Python client, for every leg alike).
"""

import argparse
import shutil
import sys
import tempfile
import urllib.parse
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from service import (  # noqa: E402
    BIN,
    BUILD,
    PYTHON,
    QUERIES,
    drive,
    free_port,
    oxigraph_server,
    start,
    stop,
)

ACCEPT = {"Accept": "application/sparql-results+json"}


def _uvicorn(app: str, port: int) -> list[str]:
    return [PYTHON, "-m", "uvicorn", app, "--app-dir", str(HERE), "--port", str(port),
            "--log-level", "warning"]


def _granian(app: str, port: int) -> list[str]:
    return [str(BIN / "granian"), "--interface", "asgi", "--host", "127.0.0.1", "--port",
            str(port), "--workers", "1", "--log-level", "warning", "--working-dir", str(HERE),
            app]


def _leg(command: list[str], port: int, ready: str, path: str, seconds: float,
         env: dict | None = None, headers: dict | None = None) -> dict:
    process, startup = start(command, port, ready, env)
    try:
        return {**asdict(drive(f"http://127.0.0.1:{port}{path}", seconds, headers=headers)),
                "startup_s": startup}
    finally:
        stop(process)


def run_size(triples: int, seconds: float, workdir: Path) -> dict:
    data = BUILD / f"bench-{triples}.ttl"
    if not data.exists():
        raise SystemExit(f"{data} is missing: python benchmarks/synthetic.py --triples "
                         f"{triples} -o {data}")
    query = "/sparql?query=" + urllib.parse.quote(QUERIES["lookup"])
    env = {"PLENIPOT_DATA": str(data), "PLENIPOT_CACHE_ENTRIES": "0",
           "PLENIPOT_VALIDATE_ON_START": "0"}
    legs: dict = {}
    port = free_port()
    oxigraph, _ = oxigraph_server(data, port, workdir / str(triples))
    try:
        legs["oxigraph server"] = asdict(drive(
            f"http://127.0.0.1:{port}/query?query={urllib.parse.quote(QUERIES['lookup'])}",
            seconds, headers=ACCEPT))
    finally:
        stop(oxigraph)
    servers = {"uvicorn": _uvicorn}
    if (BIN / "granian").exists():
        servers["granian"] = _granian
    for server, command in servers.items():
        port = free_port()
        legs[f"raw ASGI hello, {server}"] = _leg(command("asgi_apps:hello_raw", port), port,
                                                 "/", "/", seconds)
        port = free_port()
        legs[f"FastAPI hello, {server}"] = _leg(command("hello:app", port), port, "/hello",
                                                "/hello", seconds)
    port = free_port()
    legs["/sparql, plenipot serve (FastAPI, uvicorn)"] = _leg(
        [str(BIN / "plenipot"), "serve", "--port", str(port), "--data", str(data)], port,
        "/health", query, seconds, env, ACCEPT)
    if "granian" in servers:
        port = free_port()
        legs["/sparql, Plenipot's app on granian"] = _leg(
            _granian("asgi_apps:plenipot_app", port), port, "/health", query, seconds, env,
            ACCEPT)
    for label, workers in (("query workers", "2"), ("in the server process", "0")):
        port = free_port()
        legs[f"/sparql, lean raw ASGI route, {label} (uvicorn)"] = _leg(
            _uvicorn("asgi_apps:lean_sparql", port), port, query, query, seconds,
            {**env, "PLENIPOT_QUERY_WORKERS": workers}, ACCEPT)
    return {"triples": triples, "legs": legs}


def summary(report: dict) -> list[str]:
    legs = report["legs"]
    base = legs["oxigraph server"]
    lines = [f"## {report['triples']:,} triples: p50 at 1 connection, throughput at 8",
             "| leg | p50 ms | × Oxigraph | req/s | of Oxigraph's | p99 at 8 conn. ms |",
             "|---|---|---|---|---|---|"]
    for name, leg in legs.items():
        lines.append(
            f"| {name} | {leg['p50_ms']:.2f} | {leg['p50_ms'] / base['p50_ms']:.2f}× | "
            f"{leg['requests_per_second']:,.0f} | "
            f"{leg['requests_per_second'] / base['requests_per_second']:.0%} | "
            f"{leg['loaded_p99_ms']:.1f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="What each layer of /sparql costs")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seconds", type=float, default=6)
    args = parser.parse_args(argv)
    print(f"load client: {'wrk' if shutil.which('wrk') else 'threaded Python'}")
    with tempfile.TemporaryDirectory() as workdir:
        for size in args.sizes:
            print("\n".join(summary(run_size(size, args.seconds, Path(workdir)))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
