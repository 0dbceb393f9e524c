"""How long ``plenipot import`` takes for a tracker sheet of N rows, against writing the same
triples with a plain serializer in the same run.

    python benchmarks/import.py [--rows 1000 10000 100000]

For each N: writes a synthetic sheet (every row a valid proposal, DESIGN.md §4), then times
- read + build: reading the CSV and building the graph (``tracker_graph``);
- Turtle: writing it as the command does (``to_turtle``);
- baseline: the same triples written as N-Triples, one ``Term.n3()`` per term (what rdflib's
  N-Triples serializer does for each triple: linear, no grouping, no sorting);
and prints the ratio Turtle / baseline, and the whole import per 1,000 rows. A linear import
keeps both ratios flat as N grows. The target (issue 8) is 100k rows in under a minute.
"""

import argparse
import csv
import tempfile
import time
from pathlib import Path

from plenipot.config import Settings
from plenipot.store.connect import open_local_store
from plenipot.tracker.build import read_tracker, to_turtle, tracker_graph

HEADER = ["id", "conference", "document", "submitters", "action", "target", "title", "summary",
          "issue_areas", "topics", "status", "status_date", "source"]
ACTIONS = [("MOD", "Resolution 102"), ("ADD", "new: synthetic resolution {n}"),
           ("SUP", "Resolution 133"), ("MOD", "CS Article 1")]


def write_sheet(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for n in range(rows):
            action, target = ACTIONS[n % len(ACTIONS)]
            writer.writerow([
                f"BENCH/{9000 + n // 10}/{n % 10 + 1}", "PP-22", str(9000 + n // 10),
                "USA;CAN" if n % 2 else "CEPT", action, target.format(n=n),
                f"Synthetic proposal {n}", f"SYNTHETIC BENCHMARK ROW {n}, with a \"quote\".",
                "internet-public-policy", "internet-governance;ipv6", "submitted", "2022-08-01",
                f"https://example.org/bench/{n}",
            ])


def run(rows: int, store) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / f"sheet-{rows}.csv"
        write_sheet(sheet, rows)
        started = time.perf_counter()
        graph = tracker_graph(read_tracker(sheet, str(sheet)), store, str(sheet))
        built = time.perf_counter()
        turtle = to_turtle(graph, sheet.name)
        written = time.perf_counter()
        "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in graph).encode("utf-8")
        baseline = time.perf_counter() - written
    return {"rows": rows, "triples": len(graph), "build": built - started,
            "turtle": written - built, "baseline": baseline, "bytes": len(turtle)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000, 100000])
    args = parser.parse_args()
    store = open_local_store(Settings.from_env())
    print(f"{'rows':>8} {'triples':>9} {'build s':>8} {'turtle s':>9} {'nt s':>7} "
          f"{'turtle/nt':>9} {'s per 1k rows':>13}")
    for rows in args.rows:
        r = run(rows, store)
        total = r["build"] + r["turtle"]
        print(f"{r['rows']:>8} {r['triples']:>9} {r['build']:>8.2f} {r['turtle']:>9.2f} "
              f"{r['baseline']:>7.2f} {r['turtle'] / r['baseline']:>9.2f} "
              f"{total / rows * 1000:>13.3f}", flush=True)
    store.close()


if __name__ == "__main__":
    main()
