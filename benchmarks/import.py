"""How long ``plenipot import`` takes for a tracker sheet of N rows, as a user runs it, against
writing the same triples with a plain serializer in the same run.

    python benchmarks/import.py [--rows 1000 10000 100000] [--again]

For each N, a synthetic sheet (every row a valid proposal, DESIGN.md §4; one document per ten
rows, each dated after PP-22's deadline, so the check maps a late-contribution warning to a row
of every document) is imported
- end to end: ``plenipot import SHEET -o OUT.ttl`` as a subprocess (the installed console
  script beside this Python), OUT in a fresh temporary folder: start-up, reading, the store of
  the bundled data, reconciliation (docs/decisions/0009), building, the Turtle, the SHACL check
  told by row, writing the file; with ``--again``, the same command once more onto that OUT, so
  that every row reconciles with the proposal it wrote the first time;
- in process, phase by phase (``run_import(..., phases=)``, then ``write_output``): the same
  steps without the start-up, after the first N with the shapes already parsed;
- baseline: the same triples written as N-Triples, one ``Term.n3()`` per term (what rdflib's
  N-Triples serializer does for each triple: linear, no grouping, no sorting).
It prints rows per second, seconds per 1,000 rows (flat as N grows: linear) and the ratio of
the command to the baseline (flat as N grows: no worse than linear). The target (issue 8) is
100k rows end to end in under a minute.
"""

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from plenipot.config import Settings
from plenipot.files import write_output
from plenipot.store.connect import open_local_store
from plenipot.tracker.build import import_rows, read_tracker
from plenipot.tracker.importer import run_import

HEADER = ["id", "conference", "document", "submitters", "action", "target", "title", "summary",
          "issue_areas", "topics", "status", "status_date", "source"]
ACTIONS = [("MOD", "Resolution 102"), ("ADD", "new: synthetic resolution {n}"),
           ("SUP", "Resolution 133"), ("MOD", "CS Article 1")]
PHASES = ("read", "store", "build", "turtle", "check", "write")


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


def command() -> list[str]:
    """The installed ``plenipot`` beside this interpreter, else ``python -m plenipot``."""
    script = Path(sys.executable).parent / "plenipot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "plenipot"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def end_to_end(sheet: Path, out: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of the command (CPU: less sensitive to a shared machine)."""
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([*command(), "import", str(sheet), "-o", str(out)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"plenipot import failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, _children_cpu() - cpu


def run(rows: int, settings: Settings, again: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="plenipot-bench-") as folder:
        sheet = Path(folder) / f"sheet-{rows}.csv"
        write_sheet(sheet, rows)
        command_out = Path(folder) / "command" / "out.ttl"
        command_out.parent.mkdir()
        e2e, cpu = end_to_end(sheet, command_out)
        e2e_again = end_to_end(sheet, command_out)[0] if again else None
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # MiB, so far

        phases: dict[str, float] = {}
        out = Path(folder) / "in-process.ttl"
        turtle, _ = run_import(sheet, out, settings, phases=phases)
        started = time.perf_counter()
        write_output(out, turtle)
        phases["write"] = time.perf_counter() - started
        same = out.read_bytes() == command_out.read_bytes()

        store = open_local_store(settings)  # the triples again, for the baseline (untimed)
        try:
            triples = import_rows(read_tracker(sheet, str(sheet)), store, str(sheet)).graph
        finally:
            store.close()
        started = time.perf_counter()
        "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples).encode("utf-8")
        baseline = time.perf_counter() - started
    return {"rows": rows, "triples": len(triples), "e2e": e2e, "cpu": cpu, "again": e2e_again,
            "phases": phases, "baseline": baseline, "bytes": len(turtle), "peak": peak,
            "same": same}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--again", action="store_true",
                        help="also time the command onto its own previous output")
    args = parser.parse_args()
    settings = Settings.from_env()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores")
    print(f"{'rows':>7} {'triples':>9} {'command s':>9} {'cpu s':>6} {'rows/s':>7} "
          f"{'s/1k rows':>9} "
          f"{'cmd/nt':>6} {'nt s':>5} | in process: "
          + " ".join(f"{p:>6}" for p in PHASES)
          + (f" | {'again s':>7} {'s/1k':>5}" if args.again else "") + f" {'peak MiB':>8}")
    for rows in args.rows:
        r = run(rows, settings, args.again)
        phases = " ".join(f"{r['phases'][p]:>6.2f}" for p in PHASES)
        again = (f" | {r['again']:>7.2f} {r['again'] / rows * 1000:>5.2f}"
                 if args.again else "")
        print(f"{rows:>7} {r['triples']:>9} {r['e2e']:>9.2f} {r['cpu']:>6.2f} "
              f"{rows / r['e2e']:>7.0f} "
              f"{r['e2e'] / rows * 1000:>9.3f} {r['e2e'] / r['baseline']:>6.1f} "
              f"{r['baseline']:>5.2f} |             {phases}{again} {r['peak']:>8.0f}"
              + ("" if r["same"] in (None, True) else "  (in-process output differs!)"),
              flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
