"""Every named query on a synthetic graph: Oxigraph (the embedded store) against rdflib's engine,
with the same bound query text, in this process.

    python benchmarks/queries.py --triples 100000

Prints the median time of each query on both engines and their ratio (target: Oxigraph at least
50x faster at 100k triples), and flags a query slower than ``--budget`` ms on Oxigraph: DESIGN.md
§10's trap (an OPTIONAL placed where Oxigraph evaluates it over the whole graph) shows up here
first. ``--no-rdflib`` skips the slow side for a quick check of the shipped queries.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rdflib import Graph

from plenipot.queries.catalogue import catalogue
from plenipot.queries.params import bind
from plenipot.sources.bundled import graph_sources
from plenipot.store.binding import bind_values
from plenipot.store.embedded import EmbeddedStore

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent / "build"

# parameter values that exist in the synthetic graphs (benchmarks/synthetic.py)
SAMPLES = {
    "number": "1001", "body": "pp", "submitter": "CEPT", "organization": "CEPT", "group": "CEPT",
    "status": "adopted", "topic": "cybersecurity", "issue_area": "cybersecurity",
    "q": "synthetic resolution 1001", "action": "mod",
}


def median_seconds(run, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--budget", type=float, default=20.0, help="ms, on Oxigraph")
    parser.add_argument("--no-rdflib", action="store_true")
    args = parser.parse_args(argv)
    data = BUILD / f"bench-{args.triples}.ttl"
    if not data.exists():
        BUILD.mkdir(exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "synthetic.py"), "--triples", str(args.triples),
                        "-o", str(data)], check=True)
    sources = [*graph_sources(), data]
    began = time.perf_counter()
    store = EmbeddedStore.open(sources)
    parse = {"Oxigraph": time.perf_counter() - began}
    graph = Graph()
    if not args.no_rdflib:
        began = time.perf_counter()
        for path in sources:
            graph.parse(path, format="turtle")
        parse["rdflib"] = time.perf_counter() - began
    print(f"{store.triple_count():,} triples; load: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in parse.items())
          + f"; medians of {args.repeats} runs")
    print(f"{'query':28} {'rows':>5} {'Oxigraph':>10} {'rdflib':>10} {'ratio':>7}")
    slow, ratios = [], []
    for name, query in catalogue().items():
        values = {p.name: SAMPLES[p.name] for p in query.params if p.required or p.name in SAMPLES}
        text = bind_values(query.text, bind(query, values, store))
        rows = len(store.select(text).rows)
        ours = median_seconds(lambda t=text: store.select(t), args.repeats)
        line = f"{name:28} {rows:>5} {ours * 1000:>8.2f}ms"
        if not args.no_rdflib:
            theirs = median_seconds(lambda t=text: list(graph.query(t)), max(1, args.repeats // 2))
            ratios.append(theirs / ours)
            line += f" {theirs * 1000:>8.1f}ms {theirs / ours:>6.0f}x"
        print(line, flush=True)
        if ours * 1000 > args.budget:
            slow.append(name)
    if ratios:
        print(f"Oxigraph / rdflib, median ratio over the named queries: "
              f"{statistics.median(ratios):.0f}x (min {min(ratios):.0f}x)")
    if slow:
        print(f"over the {args.budget:.0f} ms budget on Oxigraph: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
