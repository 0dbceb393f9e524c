"""``plenipot validate`` as a whole process, against an rdflib parse of the same files and
against Apache Jena's SHACL on the same data and shapes, measured in the same run.

    python benchmarks/validate.py [--sizes 10000 100000 1000000] [--runs 3]

For each size, a synthetic graph (benchmarks/synthetic.py, written to build/) is validated
together with the bundled ontology and data, as ``plenipot validate build/bench-N.ttl`` does.
Prints medians of N runs:
- parse: rdflib parsing those files into one graph, in this process (the baseline);
- plenipot: the whole ``python -m plenipot validate FILE`` process, start-up included;
- jena: the whole ``shacl validate`` process of Apache Jena (Debian's ``libapache-jena-java``),
  JVM start-up included, on the same triples (one N-Triples file) and the same shapes;
and the ratios, with the number of results each found. Then the bundled data alone.
Targets (issue 13): plenipot within 4x of the parse at 100k, under 30 s at 1M, the bundled
data under 2 s.

Debian's package ships jars but no ``shacl`` script, and its jena-core.jar keeps the message
files of the Xerces it embeds under another package name than the classes look for: without
them every run fails with ``RuntimeException: internal error``. This script builds the
classpath from the package's dependencies and a jar of those message files at their expected
place in build/ (taken from the installed jar).
"""

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from rdflib import Graph

import synthetic
from plenipot.sources.bundled import bundled_files, graph_sources
from plenipot.sources.rdf import rdf_format

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent / "build"
_EXCLUDED_JARS = re.compile(r"log4j-over|slf4j-log4j|slf4j-jdk|slf4j-simple|slf4j-nop|jcl-over|"
                            r"jul-to|slf4j-migrator|slf4j-ext")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (user + system)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def median_seconds(command, runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds: on a shared machine the wall clock includes
    waiting for a core, so both are printed."""
    walls, cpus = [], []
    for _ in range(runs):
        began, cpu = time.perf_counter(), _cpu()
        command()
        walls.append(time.perf_counter() - began)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def rdflib_parse(files: list[Path]) -> int:
    graph = Graph()
    for path in files:
        graph.parse(path, format=rdf_format(path))
    return len(graph)


def plenipot(path: Path | None) -> int:
    """The whole command; the number of results it reports."""
    command = [sys.executable, "-m", "plenipot", "validate", "--format", "github"]
    done = subprocess.run(command + ([str(path)] if path else []), capture_output=True,
                          text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"plenipot validate failed ({done.returncode}): {done.stderr[-2000:]}")
    return sum(1 for line in done.stdout.splitlines() if line.startswith("::"))


# --- Apache Jena ------------------------------------------------------------------------------

def _package_jars(package: str) -> list[str]:
    listed = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=False)
    return [line for line in listed.stdout.splitlines()
            if line.endswith(".jar") and not Path(line).is_symlink()
            and not _EXCLUDED_JARS.search(line)]


def jena_classpath() -> str | None:
    """Debian's Jena jars, their dependencies, and the Xerces messages at their place."""
    if shutil.which("java") is None or not _package_jars("libapache-jena-java"):
        return None
    depends = subprocess.run(["apt-cache", "depends", "libapache-jena-java"],
                             capture_output=True, text=True, check=False).stdout
    packages = ["libapache-jena-java", "libjackson2-annotations-java", "libhttpcore-java",
                "libcommons-logging-java"]
    packages += re.findall(r"Depends: (\S+)", depends)
    jars = [jar for package in packages for jar in _package_jars(package)]
    messages = BUILD / "jena-xerces-messages.jar"
    if not messages.exists():
        core = next(jar for jar in jars if Path(jar).name.startswith("jena-core"))
        prefix = "org/apache/jena/ext/"
        with zipfile.ZipFile(core) as source, zipfile.ZipFile(messages, "w") as target:
            for name in source.namelist():
                if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                    target.writestr(name.removeprefix(prefix), source.read(name))
    return ":".join([*jars, str(messages)])


def jena_inputs(files: list[Path], size: str) -> tuple[Path, Path]:
    """The same triples as one N-Triples file, the bundled shapes as one Turtle file; made anew
    each run (a file kept from an earlier run would hold the bundled data of then)."""
    import pyoxigraph as ox

    data, shapes = BUILD / f"jena-data-{size}.nt", BUILD / "jena-shapes.ttl"
    store = ox.Store()
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                        base_iri=path.resolve().as_uri())
    store.dump(str(data), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    graph = Graph()
    for path in bundled_files("shapes"):
        graph.parse(path, format="turtle")
    graph.serialize(shapes, format="turtle")
    return data, shapes


def jena(classpath: str, data: Path, shapes: Path) -> int:
    done = subprocess.run(["java", "-cp", classpath, "shacl.shacl", "validate", "--shapes",
                           str(shapes), "--data", str(data)], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0 or "ValidationReport" not in done.stdout:
        raise SystemExit(f"Jena's shacl failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout.count("sh:ValidationResult")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-jena", action="store_true", help="skip Apache Jena")
    args = parser.parse_args()
    classpath = None if args.no_jena else jena_classpath()
    if classpath is None and not args.no_jena:
        print("Apache Jena not found: apt-get install -y libapache-jena-java (skipping it)")

    # `validate PATH` reports only the results about PATH; Jena reports the bundled data's too
    bundled_found = plenipot(None)
    print("wall-clock seconds (CPU seconds), medians; ratios of the wall-clock times")
    print(f"{'triples':>9} {'rdflib parse':>15} {'plenipot validate':>18} {'ratio':>6} "
          f"{'jena shacl':>15} {'ratio':>6}  results (plenipot / jena)")
    for size in args.sizes:
        path = synthetic.cached(size)
        files = [*graph_sources(), path]
        runs = 1 if size >= 1_000_000 else args.runs
        triples = rdflib_parse(files)
        parse, parse_cpu = median_seconds(lambda files=files: rdflib_parse(files), runs)
        found = plenipot(path) + bundled_found
        process, process_cpu = median_seconds(lambda path=path: plenipot(path), runs)
        row = (f"{triples:>9,} {parse:6.2f} ({parse_cpu:5.2f}) {process:8.2f} ({process_cpu:6.2f})"
               f" {process / parse:5.2f}x")
        if classpath:
            data, shapes = jena_inputs(files, str(size))
            jena_found = jena(classpath, data, shapes)
            seconds, cpu = median_seconds(lambda d=data, s=shapes: jena(classpath, d, s), runs)
            row += (f" {seconds:6.2f} ({cpu:6.2f}) {process / seconds:5.2f}x  "
                    f"{found:,} / {jena_found:,}")
        else:
            row += f" {'-':>15} {'-':>6}  {found:,}"
        print(row, flush=True)
    bundled, bundled_cpu = median_seconds(lambda: plenipot(None), args.runs)
    print(f"bundled data ({rdflib_parse(graph_sources()):,} triples): plenipot validate "
          f"{bundled:.2f} s ({bundled_cpu:.2f} s CPU; target < 2 s); medians of {args.runs} "
          f"runs, 1 at 1M; load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
