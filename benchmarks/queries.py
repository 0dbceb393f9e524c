"""Every .rq file of the project on synthetic graphs: the catalogue (queries/*.rq) and each
sub-package's sparql/*.rq, run as the code runs them (plenipot.queries.examples: the header's
example values, converted and bound; rows turned into Python terms), on the embedded store.

    python benchmarks/queries.py --sizes 100000 1000000

For each size (the bundled data plus a synthetic graph of that many triples, see synthetic.py)
it prints each query's median time over ``--repeats`` runs (one run when a query takes over a
second), its rows, and its ratio to a trivial baseline (benchmarks/baseline.rq, one triple
pattern with LIMIT 1) measured in the same run — these machines are noisy, ratios hold better
than milliseconds. A query over ``--budget`` ms is flagged: DESIGN.md §10's trap (an OPTIONAL
that Oxigraph evaluates over the whole graph) shows up here first. ``--rdflib`` adds rdflib's
engine for the catalogue, with the same bound text (slow: sizes up to 100k only).
"""

import argparse
import statistics
import time
from pathlib import Path

from rdflib import Graph

import synthetic
from plenipot.queries.catalogue import catalogue
from plenipot.queries.examples import every_query, is_update, run_example
from plenipot.queries.header import parse_query_file
from plenipot.queries.params import bind
from plenipot.queries.run import rows
from plenipot.sources.bundled import graph_sources
from plenipot.store.binding import bind_values
from plenipot.store.embedded import EmbeddedStore

HERE = Path(__file__).resolve().parent
BASELINE = parse_query_file(HERE / "baseline.rq")


def median_seconds(run, repeats: int) -> float:
    began = time.perf_counter()
    run()  # warm: the parameters' code lists are looked up once per store
    first = time.perf_counter() - began
    if first > 1.0:
        return first
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def rdflib_times(sources: list[Path], store: EmbeddedStore, repeats: int) -> dict[str, float]:
    """The catalogue on rdflib's engine, the same bound text: name -> seconds."""
    graph = Graph()
    for path in sources:
        graph.parse(path, format="turtle")
    times = {}
    for name, query in catalogue().items():
        values = {p.name: p.example for p in query.params if p.required}
        text = bind_values(query.text, bind(query, values, store))
        times[f"queries/{name}"] = median_seconds(lambda t=text: list(graph.query(t)),
                                                  max(1, repeats // 2))
    return times


def measure(triples: int, repeats: int, budget: float, with_rdflib: bool) -> list[str]:
    sources = [*graph_sources(), synthetic.cached(triples)]
    began = time.perf_counter()
    store = EmbeddedStore.open(sources)
    load = time.perf_counter() - began
    baseline = median_seconds(lambda: rows(store, BASELINE), repeats)
    print(f"\n{store.triple_count():,} triples (bundled + synthetic {triples:,}); load "
          f"{load:.2f} s; baseline {baseline * 1000:.3f} ms; medians of {repeats} runs")
    theirs = rdflib_times(sources, store, repeats) if with_rdflib else {}
    print(f"{'query':40} {'rows':>7} {'ms':>9} {'× baseline':>11}"
          + (f" {'rdflib ms':>10} {'rdflib ×':>9}" if theirs else ""))
    slow = []
    for key, query in every_query().items():
        if is_update(query):  # it would change the store under the next queries
            continue
        answered = run_example(store, key, query)
        ours = median_seconds(lambda k=key, q=query: run_example(store, k, q), repeats)
        line = f"{key:40} {answered:>7} {ours * 1000:>9.2f} {ours / baseline:>10.0f}×"
        if key in theirs:
            line += f" {theirs[key] * 1000:>10.1f} {theirs[key] / ours:>8.0f}×"
        print(line, flush=True)
        if ours * 1000 > budget:
            slow.append(key)
    store.close()
    return slow


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--budget", type=float, default=50.0, help="ms, flagged above")
    parser.add_argument("--rdflib", action="store_true", help="rdflib's engine too (≤ 100k)")
    args = parser.parse_args(argv)
    for triples in args.sizes:
        slow = measure(triples, args.repeats, args.budget, args.rdflib and triples <= 100_000)
        if slow:
            print(f"over the {args.budget:.0f} ms budget at {triples:,}: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
