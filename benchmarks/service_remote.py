"""The remote legs of benchmarks/service.py: the same requests on ``plenipot serve --store
sparql:URL`` over Virtuoso and over Oxigraph's server (scripts/engines.sh, on 127.0.0.1),
filled with ``plenipot load`` from the same sources as the embedded leg. ``oxigraph-union`` is
a second Oxigraph server started with ``--union-default-graph`` and served with
``PLENIPOT_SPARQL_DATASET=engine``: no protocol dataset on each request."""

import os
import shutil
import subprocess
import time
import urllib.parse
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENGINES = ("virtuoso", "oxigraph", "oxigraph-union")
DATASET_MODE = {"oxigraph-union": "engine"}  # PLENIPOT_SPARQL_DATASET per leg (else explicit)


def _prefix(kind: str) -> str:
    return f"PLENIPOT_TEST_{kind.upper().replace('-', '_')}_"


def start_engines(workdir: Path, free_port, kinds=ENGINES) -> dict[str, str]:
    """Start the engines in ``workdir``; their URLs as the environment of scripts/engines.sh."""
    env = {**os.environ, "PLENIPOT_VIRTUOSO_PORT": str(free_port()),
           "PLENIPOT_OXIGRAPH_PORT": str(free_port())}
    if "oxigraph-union" in kinds:
        env["PLENIPOT_OXIGRAPH_UNION_PORT"] = str(free_port())
    subprocess.run(["bash", str(ROOT / "scripts" / "engines.sh"), "start", str(workdir)],
                   env=env, check=True, capture_output=True)
    urls = {}
    for line in (workdir / "env").read_text().splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        urls[name] = value
    return urls


def stop_engines(workdir: Path) -> None:
    """Stop both engines; their logs are kept in build/ (the folder goes)."""
    for log in ("oxigraph.log", "oxigraph-union.log", "virtuoso/virtuoso.log"):
        if (workdir / log).exists():
            (ROOT / "build").mkdir(exist_ok=True)
            shutil.copy(workdir / log, ROOT / "build" / f"bench-{Path(log).name}")
    subprocess.run(["bash", str(ROOT / "scripts" / "engines.sh"), "stop", str(workdir)],
                   check=False, capture_output=True)


def load_engine(kind: str, urls: dict, data: Path, plenipot: Path) -> float:
    """Fill one engine with the bundled data and ``data`` by the Graph Store Protocol; seconds."""
    prefix = _prefix(kind)
    env = {**os.environ, "PLENIPOT_SPARQL_USER": urls.get(prefix + "USER", ""),
           "PLENIPOT_SPARQL_PASSWORD": urls.get(prefix + "PASSWORD", "")}
    command = [str(plenipot), "load", "--endpoint", urls[prefix + "URL"], "--gsp",
               urls[prefix + "GSP_URL"], "--data", str(data), "--replace"]
    if kind == "virtuoso":
        command += ["--auth", "digest"]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"loading {kind} failed (exit {done.returncode}): {done.stderr[-800:]}")
    return float(done.stderr.rsplit(" in ", 1)[1].split(" s")[0])


def remote_legs(data: Path, seconds: float, *, start, stop, drive, free_port, queries: dict,
                plenipot: Path, workdir: Path, kinds=ENGINES, timed=None) -> dict:
    """For each engine: load time, then the cold lookups and /sparql queries through
    ``plenipot serve --store sparql:URL`` (answer cache off), and the engine's own answer to the
    same /sparql queries without Plenipot in between. A request that no run answered in time
    is timed once alone (``timed``), so the table says how slow rather than nothing."""
    accept = {"Accept": "application/sparql-results+json"}

    def measure(url: str, headers: dict | None = None) -> dict:
        figures = asdict(drive(url, seconds, headers=headers))
        if not figures["requests_per_second"] and timed is not None:
            began = time.perf_counter()
            try:
                figures["one_request_s"] = timed(url, headers)
            except (RuntimeError, OSError) as error:  # e.g. the service's own time limit: 503
                figures["one_request_error"] = (f"{str(error).rsplit(': ', 1)[-1]} after "
                                                f"{time.perf_counter() - began:.1f} s")
        return figures

    folder = workdir / "engines"
    urls = start_engines(folder, free_port, kinds)
    report: dict = {}
    try:
        for kind in kinds:
            url = urls[_prefix(kind) + "URL"]
            leg = report[kind] = {"load_s": load_engine(kind, urls, data, plenipot)}
            port = free_port()
            env = {"PLENIPOT_CACHE_ENTRIES": "0", "PLENIPOT_VALIDATE_ON_START": "0",
                   "PLENIPOT_QUERY_TIMEOUT": "30",
                   "PLENIPOT_SPARQL_DATASET": DATASET_MODE.get(kind, "explicit")}
            server, startup = start([str(plenipot), "serve", "--port", str(port), "--store",
                                     f"sparql:{url}", "--data", str(data)], port, "/health", env)
            try:
                base = f"http://127.0.0.1:{port}"
                leg["startup_s"] = startup
                leg["api_lookup"] = measure(f"{base}/api/resolutions/pp/1001")
                leg["named_query"] = measure(
                    f"{base}/queries/proposals-for-resolution?number=1001", accept)
                leg["sparql"] = {
                    name: measure(f"{base}/sparql?query={urllib.parse.quote(q)}", accept)
                    for name, q in queries.items()}
            finally:
                stop(server)
            # the engine alone, over the union of its graphs (Virtuoso: its default graph;
            # oxigraph-union: its default graph, started as the union)
            union = "&union-default-graph" if kind == "oxigraph" else ""
            leg["engine_alone"] = {}
            for name, q in queries.items():
                try:
                    leg["engine_alone"][name] = asdict(drive(
                        f"{url}?query={urllib.parse.quote(q)}{union}", seconds, headers=accept))
                except subprocess.CalledProcessError as error:  # say so, keep the rest
                    leg["engine_alone"][name] = {"error": f"{error.stdout}{error.stderr}"[-400:]}
    finally:
        stop_engines(folder)
    return report


def remote_summary(report: dict) -> list[str]:
    """One table: embedded against each engine, p50 at one connection and req/s at eight."""
    cold = report["cold"]
    remote = report.get("remote", {})
    kinds = list(remote)
    rows = [("api_lookup", cold["api_lookup"], {k: remote[k]["api_lookup"] for k in kinds}),
            ("named_query", cold["named_query"], {k: remote[k]["named_query"] for k in kinds})]
    rows += [(f"/sparql {name}", cold["sparql"][name],
              {k: remote[k]["sparql"][name] for k in kinds}) for name in cold["sparql"]]
    head = " | ".join(f"{k}: p50 ms; req/s (ratio to embedded)" for k in kinds)
    lines = [f"| {report['triples']:,} triples | embedded: p50 ms; req/s | {head} |",
             "|---" * (2 + len(kinds)) + "|"]
    for name, ours, theirs in rows:
        cells = [_cell(t, ours) for t in theirs.values()]
        lines.append(f"| {name} | {ours['p50_ms']:.2f}; {ours['requests_per_second']:,.0f} | "
                     + " | ".join(cells) + " |")
    for kind in kinds:
        alone = remote[kind]["engine_alone"]
        lines.append(f"{kind}: loaded in {remote[kind]['load_s']:.1f} s; start-up "
                     f"{remote[kind]['startup_s']:.2f} s; the engine alone, p50 / req/s: "
                     + ", ".join(f"{n} {a['p50_ms']:.2f} ms / {a['requests_per_second']:,.0f}"
                                 if "p50_ms" in a else f"{n} failed: {a['error']}"
                                 for n, a in alone.items()))
    return lines


def _cell(theirs: dict, ours: dict) -> str:
    """p50 and req/s with their ratios to the embedded store; a request that no run answered
    says so, with the time one took alone."""
    if not theirs["requests_per_second"] and theirs["p50_ms"] == theirs["p50_ms"]:  # not NaN
        return (f"{theirs['p50_ms']:.2f} ({_ratio(theirs['p50_ms'], ours['p50_ms']):.1f}× p50); "
                "no answer at 8 connections within the run")
    if not theirs["requests_per_second"]:
        alone = theirs.get("one_request_s")
        if error := theirs.get("one_request_error"):
            return f"no answer within the run; one request alone: {error}"
        return ("no answer within the run" + (f"; one request alone {alone:.1f} s "
                f"({_ratio(alone * 1000, ours['p50_ms']):,.0f}× p50)" if alone else ""))
    return (f"{theirs['p50_ms']:.2f}; {theirs['requests_per_second']:,.0f} "
            f"({_ratio(theirs['p50_ms'], ours['p50_ms']):.1f}× p50, "
            f"{_ratio(theirs['requests_per_second'], ours['requests_per_second']):.2f}× req/s)")


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")  # the baseline had no answer: no ratio
