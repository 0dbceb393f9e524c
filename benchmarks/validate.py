"""How long validating the bundled data takes, against a baseline measured in the same run.

    python benchmarks/validate.py [--runs N] [--no-process]

Prints medians of N runs:
- baseline: parsing the same ontology and data files with rdflib (nothing else);
- validate, cold: ``plenipot.validation.shacl.validate()`` with every cache emptied first (what one
  ``plenipot validate`` pays after its imports: parse data and shapes, run pyshacl's core
  constraints and the SPARQL rules on Oxigraph, locate the results);
- validate, warm: the same call again in the same process (a long-running service);
- process: the whole ``python -m plenipot validate`` command, interpreter start-up included.
The target (issue 2) is under 2 s for the bundled data on this machine.
"""

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from rdflib import Graph

from plenipot.sources.bundled import graph_sources
from plenipot.sources.rdf import rdf_format
from plenipot.validation import shacl as validation


def median_seconds(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def parse_only() -> int:
    graph = Graph()
    for path in graph_sources():
        graph.parse(path, format=rdf_format(path))
    return len(graph)


def validate_cold() -> validation.Report:
    validation._PARSED.clear()
    validation._SHAPES_CACHE.clear()
    validation._PREPARED.clear()
    return validation.validate()


def run_process() -> None:
    subprocess.run([sys.executable, "-m", "plenipot", "validate"], capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-process", action="store_true", help="skip the subprocess timing")
    args = parser.parse_args()

    report = validate_cold()  # also warms imports and checks the data once
    triples = parse_only()
    print(f"bundled data: {report.files} files, {triples} triples, "
          f"{report.count('violation')} violation(s), {report.count('warning')} warning(s)")
    baseline = median_seconds(parse_only, args.runs)
    cold = median_seconds(validate_cold, args.runs)
    warm = median_seconds(validation.validate, args.runs)
    print(f"baseline (rdflib parse)   {baseline:7.3f} s")
    print(f"validate, cold caches     {cold:7.3f} s   {cold / baseline:5.1f}x baseline")
    print(f"validate, warm            {warm:7.3f} s   {warm / baseline:5.1f}x baseline")
    if not args.no_process:
        process = median_seconds(run_process, args.runs)
        print(f"process (python -m ...)   {process:7.3f} s   {process / baseline:5.1f}x baseline")
    print(f"median of {args.runs} runs; target: validate under 2 s "
          f"({'met' if cold < 2 else 'NOT met'} in-process, cold caches)")


if __name__ == "__main__":
    main()
