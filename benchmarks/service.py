"""Drive the real Plenipot server over loopback and print ratios against baselines measured in
the same run (these machines are noisy; absolute times drift, ratios hold better).

    python benchmarks/service.py --sizes 100000 1000000 --seconds 8

For each size it generates a synthetic graph (benchmarks/synthetic.py) and measures:
- throughput and p50/p99 latency of a named query and an /api lookup, against a hello-world
  FastAPI route on the same uvicorn settings (target: lookups >= 50% of that ceiling, p99 < 20 ms);
- the same SPARQL on /sparql against Oxigraph's own server on the same data (target: p50 within
  1.5x);
- start-up time until /health answers (target < 2 s for the bundled data) and peak memory.
With ``--stores embedded virtuoso oxigraph`` the same lookups and /sparql queries also run on
``--store sparql:URL`` over Virtuoso and Oxigraph's server, side by side with ratios
(benchmarks/service_remote.py). The named queries on rdflib's engine: benchmarks/queries.py.
Load comes from ``wrk`` when it is installed (Debian package ``wrk``), else from a threaded
Python client; both targets of a ratio always use the same client.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass
from http.client import HTTPConnection
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRK_TIMEOUT = 30  # seconds before wrk counts a request as failed (its default, 2 s, hid slow ones)
BUILD = HERE.parent / "build"
PYTHON = sys.executable
BIN = Path(PYTHON).parent

QUERIES = {
    "lookup": """PREFIX pp: <https://w3id.org/plenipot/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?title ?revision ?label WHERE {
  <https://w3id.org/plenipot/id/resolution/pp/1001> dcterms:title ?title ;
      pp:latestRevision ?revision .
  ?revision pp:revisionLabel ?label .
}""",
    "join-3-hop": """PREFIX pp: <https://w3id.org/plenipot/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?proposal ?submitter ?conference WHERE {
  ?proposal pp:target ?revision ; pp:submittedBy ?submitter .
  ?revision pp:revisionOf <https://w3id.org/plenipot/id/resolution/pp/1001> ;
      pp:adoptedAt ?conference .
}""",
    "aggregate": """PREFIX pp: <https://w3id.org/plenipot/def#>
SELECT ?area (COUNT(?proposal) AS ?proposals) WHERE {
  ?proposal a pp:Proposal ; pp:issueArea ?area .
} GROUP BY ?area ORDER BY DESC(?proposals)""",
}


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class Measure:
    """Latency from one connection (no queueing: what one user sees), throughput and tail
    latency from several at once (what the server sustains)."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    loaded_p50_ms: float
    loaded_p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(port: int, path: str, process: subprocess.Popen, limit: float = 300) -> float:
    """Seconds from now until ``path`` answers 200 (the process was just started)."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"no answer on port {port} after {limit} s")


def start(command: list[str], port: int, ready: str, env: dict | None = None):
    began = time.perf_counter()
    process = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    wait_ready(port, ready, process)
    return process, time.perf_counter() - began


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process under it (the forkserver and its query workers)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid] + [d for child in children for d in _descendants(int(child))]


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process and all its descendants, in MB."""
    total = 0
    for p in _descendants(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        if match := re.search(r"VmHWM:\s+(\d+) kB", status):
            total += int(match.group(1))
    return total / 1024


def drive_wrk(url: str, seconds: float, connections: int, headers: dict) -> Load:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}",
               f"-d{max(1, round(seconds))}s", "--latency", f"--timeout={WRK_TIMEOUT}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def millis(label: str) -> float:
        match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    answered = re.search(r"(\d+) requests in", out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if answered and int(answered.group(1)) == 0:
        rps = 0.0  # wrk prints a latency of 0.00us then
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)  # "Socket errors: connect 0, ... timeout N"
    failed = (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0)
    if rps == 0 or not re.search(r"50%\s+[\d.]+", out):  # not one answer within the run
        return Load(0.0, float("nan"), float("nan"), failed)
    return Load(rps, millis("50%"), millis("99%"), failed)


def drive_python(url: str, seconds: float, connections: int, headers: dict) -> Load:
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - began)
            if response.status != 200:
                errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    if not latencies:  # not one answer within the run
        return Load(0.0, float("nan"), float("nan"), errors[0])
    return Load(
        len(latencies) / seconds,
        latencies[len(latencies) // 2] * 1000,
        latencies[int(len(latencies) * 0.99)] * 1000,
        errors[0],
    )


def _drive(url: str, seconds: float, connections: int, headers: dict) -> Load:
    if shutil.which("wrk"):
        return drive_wrk(url, seconds, connections, headers)
    return drive_python(url, seconds, connections, headers)


def drive(url: str, seconds: float, connections: int = 8, headers: dict | None = None) -> Measure:
    """Half the time at one connection, half at ``connections``."""
    one = _drive(url, seconds / 2, 1, headers or {})
    many = _drive(url, seconds / 2, connections, headers or {})
    return Measure(many.requests_per_second, one.p50_ms, one.p99_ms, many.p50_ms, many.p99_ms,
                   one.errors + many.errors)


def oxigraph_server(data: Path, port: int, workdir: Path):
    location = workdir / "oxigraph"
    location.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)],
        check=True,
        capture_output=True,
    )
    return start(
        [
            str(BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        port,
        "/query?query=ASK%7B%7D",
    )


def run_size(triples: int, seconds: float, workdir: Path, stores=("embedded",)) -> dict:
    data = BUILD / f"bench-{triples}.ttl"
    if not data.exists():
        BUILD.mkdir(exist_ok=True)
        subprocess.run(
            [PYTHON, str(HERE / "synthetic.py"), "--triples", str(triples), "-o", str(data)],
            check=True,
        )
    report: dict = {"triples": triples}
    accept = {"Accept": "application/sparql-results+json"}

    hello_port = free_port()
    hello, _ = start(
        [
            PYTHON,
            "-m",
            "uvicorn",
            "hello:app",
            "--app-dir",
            str(HERE),
            "--port",
            str(hello_port),
            "--log-level",
            "warning",
        ],
        hello_port,
        "/hello",
    )
    try:
        report["hello"] = asdict(drive(f"http://127.0.0.1:{hello_port}/hello", seconds))
    finally:
        stop(hello)

    # "cold": every request runs its queries; "warm": the answer cache serves repeats. Neither
    # validates the data in the background, which would compete for the two cores.
    for label, cache in (("cold", "0"), ("warm", "2048")):
        port = free_port()
        env = {"PLENIPOT_CACHE_ENTRIES": cache, "PLENIPOT_VALIDATE_ON_START": "0"}
        server, startup = start(
            [str(BIN / "plenipot"), "serve", "--port", str(port), "--data", str(data)],
            port, "/health", env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            measured = report[label] = {
                "startup_s": startup,
                "api_lookup": asdict(drive(f"{base}/api/resolutions/pp/1001", seconds)),
                "named_query": asdict(drive(f"{base}/queries/proposals-for-resolution?number=1001",
                                            seconds, headers=accept)),
            }
            if label == "cold":
                measured["sparql"] = {
                    name: asdict(drive(f"{base}/sparql?query={urllib.parse.quote(q)}", seconds,
                                       headers=accept))
                    for name, q in QUERIES.items()
                }
            measured["peak_rss_mb"] = peak_rss_mb(server.pid)
        finally:
            stop(server)

    ox_port = free_port()
    oxigraph, _ = oxigraph_server(data, ox_port, workdir / str(triples))
    try:
        report["oxigraph_server"] = {
            name: asdict(
                drive(
                    f"http://127.0.0.1:{ox_port}/query?query={urllib.parse.quote(q)}",
                    seconds,
                    headers=accept,
                )
            )
            for name, q in QUERIES.items()
        }
    finally:
        stop(oxigraph)
    if not os.environ.get("BENCH_NO_SCALE"):
        report["scale"] = scale_legs(data, seconds, workdir / f"scale-{triples}")
    remote = [kind for kind in stores if kind != "embedded"]
    if remote:  # the same requests on the remote store (benchmarks/service_remote.py)
        from service_remote import remote_legs

        report["remote"] = remote_legs(data, seconds, start=start, stop=stop, drive=drive,
                                       free_port=free_port, queries=QUERIES,
                                       plenipot=BIN / "plenipot", timed=timed_get,
                                       workdir=workdir / str(triples), kinds=remote)
    return report


FOOTPRINT = """import resource, sys
from pathlib import Path
from plenipot.sources.bundled import graph_sources
from plenipot.store.embedded import EmbeddedStore
if sys.argv[1] != "-":
    store = EmbeddedStore.open([*graph_sources(), Path(sys.argv[1])])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def store_footprint_mb(data: Path | None) -> float:
    """Peak memory of one process that loads the same sources with the same loader as the
    service (``EmbeddedStore.open``, in memory), or only imports it (``data`` None)."""
    out = subprocess.run([PYTHON, "-c", FOOTPRINT, str(data) if data else "-"],
                         capture_output=True, text=True, check=True).stdout
    return int(out.split()[-1]) / 1024


def timed_get(url: str, headers: dict | None = None) -> float:
    """Seconds for one GET (for answers too slow to load-test)."""
    parts = urllib.parse.urlsplit(url)
    began = time.perf_counter()
    connection = HTTPConnection(parts.hostname, parts.port, timeout=600)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                       headers=headers or {})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{url}: {response.status}")
    return time.perf_counter() - began


def scale_legs(data: Path, seconds: float, workdir: Path) -> dict:
    """Targets 2 and 4 of issue 13 beyond the single lookup: the resolutions list unpaged and
    paged (cold), the store's own footprint against the service's peak memory, and start-up
    from a durable on-disk store (``--store``), loaded once and then reused."""
    figures: dict = {"store_footprint_mb": store_footprint_mb(data),
                     "python_imports_mb": store_footprint_mb(None)}
    env = {"PLENIPOT_CACHE_ENTRIES": "0", "PLENIPOT_VALIDATE_ON_START": "0"}
    location = workdir / "durable"
    location.parent.mkdir(parents=True, exist_ok=True)
    for run in ("first", "reused"):
        port = free_port()
        server, startup = start([str(BIN / "plenipot"), "serve", "--port", str(port),
                                 "--data", str(data), "--store", str(location)], port,
                                "/health", env)
        try:
            base = f"http://127.0.0.1:{port}"
            leg = figures[f"durable_{run}"] = {"startup_s": startup}
            if run == "reused":
                leg["api_lookup"] = asdict(drive(f"{base}/api/resolutions/pp/1001", seconds))
                leg["list_unpaged_s"] = timed_get(f"{base}/api/resolutions")
                leg["list_page"] = asdict(drive(f"{base}/api/resolutions?limit=100&offset=200",
                                                seconds))
            leg["peak_rss_mb"] = peak_rss_mb(server.pid)
        finally:
            stop(server)
    figures["durable_store_mb"] = sum(
        f.stat().st_size for f in location.rglob("*") if f.is_file()) / 2**20
    return figures


def scale_summary(report: dict) -> list[str]:
    scale, cold = report.get("scale"), report["cold"]
    if not scale:
        return []
    footprint = scale["store_footprint_mb"]
    reused = scale["durable_reused"]
    page = reused["list_page"]
    ceiling = report["hello"]["requests_per_second"]
    return [
        f"Oxigraph alone, same loader, in memory: {footprint:.0f} MB peak "
        f"(Python and the imports alone: {scale['python_imports_mb']:.0f} MB)",
        f"service peak, in memory (2 workers, each a copy): {cold['peak_rss_mb']:.0f} MB = "
        f"{cold['peak_rss_mb'] / footprint:.2f}x the store alone",
        f"service peak, --store (workers share one on-disk store, "
        f"{scale['durable_store_mb']:.0f} MB on disk): {reused['peak_rss_mb']:.0f} MB = "
        f"{reused['peak_rss_mb'] / footprint:.2f}x the store alone",
        f"start-up with --store: first (loads it) {scale['durable_first']['startup_s']:.2f} s, "
        f"reused {reused['startup_s']:.2f} s",
        f"api_lookup (cold, --store): {reused['api_lookup']['p50_ms']:.2f} / "
        f"{reused['api_lookup']['p99_ms']:.2f} ms; "
        f"{reused['api_lookup']['requests_per_second']:.0f} req/s = "
        f"{reused['api_lookup']['requests_per_second'] / ceiling:.0%} of hello world",
        f"/api/resolutions unpaged (cold, --store): {reused['list_unpaged_s'] * 1000:.0f} ms; "
        f"limit=100: {page['p50_ms']:.2f} / {page['p99_ms']:.2f} ms, "
        f"{page['requests_per_second']:.0f} req/s = {page['requests_per_second'] / ceiling:.0%}",
    ]


def bundled_startup() -> float:
    port = free_port()
    server, startup = start([str(BIN / "plenipot"), "serve", "--port", str(port)], port, "/health")
    stop(server)
    return startup


def summary(report: dict) -> list[str]:
    hello, cold = report["hello"], report["cold"]
    ceiling = hello["requests_per_second"]
    lines = [
        f"## {report['triples']:,} triples",
        f"start-up to /health: {cold['startup_s']:.2f} s; peak memory "
        f"{cold['peak_rss_mb']:.0f} MB (server, forkserver and query workers)",
        "latency at 1 connection (p50 / p99); throughput and p99 at 8 connections",
        f"hello world: {hello['p50_ms']:.2f} / {hello['p99_ms']:.2f} ms; "
        f"{ceiling:.0f} req/s, p99 {hello['loaded_p99_ms']:.1f} ms",
    ]
    for label in ("cold", "warm"):
        for key in ("api_lookup", "named_query"):
            load = report[label][key]
            lines.append(
                f"{key} ({label}): {load['p50_ms']:.2f} / {load['p99_ms']:.2f} ms; "
                f"{load['requests_per_second']:.0f} req/s = "
                f"{load['requests_per_second'] / ceiling:.0%} of hello world, "
                f"p99 {load['loaded_p99_ms']:.1f} ms; errors {load['errors']}")
    for name, ours in cold["sparql"].items():
        theirs = report["oxigraph_server"][name]
        lines.append(
            f"/sparql {name} (cold): p50 {ours['p50_ms']:.2f} ms vs Oxigraph server "
            f"{theirs['p50_ms']:.2f} ms = {ours['p50_ms'] / theirs['p50_ms']:.2f}x; "
            f"{ours['requests_per_second']:.0f} vs {theirs['requests_per_second']:.0f} req/s")
    return lines


def print_summaries(report: dict) -> None:
    """The summaries of one size; a figure that cannot be shown is said, never fatal (the
    raw figures are in --json already)."""
    from service_remote import remote_summary

    parts = [summary, scale_summary] + ([remote_summary] if "remote" in report else [])
    for part in parts:
        try:
            print("\n".join(part(report)), flush=True)
        except (ArithmeticError, KeyError, TypeError, ValueError) as error:
            print(f"({part.__name__} cannot be shown: {type(error).__name__}: {error})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plenipot service benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--stores", nargs="+", default=["embedded"],
                        choices=("embedded", "virtuoso", "oxigraph", "oxigraph-union"),
                        help="also run the lookups on --store sparql:URL over these engines "
                        "(scripts/engines.sh install first)")
    parser.add_argument("--summary-from", type=Path, metavar="JSON",
                        help="print the summaries of an earlier run's --json file, measure nothing")
    args = parser.parse_args(argv)
    if args.summary_from:
        for report in json.loads(args.summary_from.read_text())["sizes"]:
            print_summaries(report)
        return 0
    print(f"load client: {'wrk' if shutil.which('wrk') else 'threaded Python'}")
    startup = bundled_startup()
    print(f"start-up on the bundled data, until /health answers: {startup:.2f} s")
    reports = {"bundled_startup_s": startup, "sizes": []}
    with tempfile.TemporaryDirectory() as workdir:
        for size in args.sizes:
            report = run_size(size, args.seconds, Path(workdir), args.stores)
            reports["sizes"].append(report)
            if args.json:  # after each size: a later failure keeps what was measured
                args.json.write_text(json.dumps(reports, indent=2))
            print_summaries(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
