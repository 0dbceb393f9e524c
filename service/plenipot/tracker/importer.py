"""``plenipot import`` from end to end: read the sheet, resolve and reconcile it against the
graph (the bundled data, ``--data``, and the previous version of the output file), check it
with the shapes, and give the Turtle to write, with the changes it makes to report.

    run_import(sheet_path, output, settings, sheet=None) -> (turtle bytes, report lines)
"""

import time
from dataclasses import replace
from pathlib import Path

from plenipot.config import Settings
from plenipot.sources.rdf import expand, graph_name
from plenipot.store.connect import open_local_store
from plenipot.tracker.build import import_rows, to_turtle
from plenipot.tracker.check import check_imported
from plenipot.tracker.sheet import read_tracker
from plenipot.tracker.turtle import paused_gc


def run_import(path: Path, output: Path | None, settings: Settings,
               sheet: str | None = None, phases: dict[str, float] | None = None
               ) -> tuple[bytes, list[str]]:
    """The Turtle of the sheet and the lines to tell the user (changed fields, warnings);
    ``InputError`` listing every problem, and nothing to write, otherwise. ``phases``, if
    given, receives the seconds each step took (read, store, build, turtle, check), for
    benchmarks/import.py."""
    with paused_gc():  # millions of small acyclic objects: collections only cost time
        return _run_import(path, output, settings, sheet, {} if phases is None else phases)


def _run_import(path: Path, output: Path | None, settings: Settings, sheet: str | None,
                phases: dict[str, float]) -> tuple[bytes, list[str]]:
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = now - clock[0]
        clock[0] = now

    file = str(path)
    rows = read_tracker(path, file, sheet)  # a bad header fails before the store loads
    lap("read")
    replaces: frozenset[str] = frozenset()
    data = tuple(settings.data)
    if output is not None and output.is_file():
        replaces = frozenset({str(graph_name(output))})
        if output.resolve() not in {p.resolve() for p in expand(data)}:
            data = (*data, output)  # its history is carried forward, not overwritten
    store = open_local_store(replace(settings, data=data))
    lap("store")
    try:
        imported = import_rows(rows, store, file, replaces)
        notes = [*imported.notes, *(_left_out(output, imported, store) if replaces else [])]
    finally:
        store.close()
    lap("build")
    lines: dict[str, int] = {}  # where each subject is written: the check's file index
    turtle = to_turtle(imported.graph, path.name, lines)  # once: the check validates these
    lap("turtle")
    warnings = check_imported(imported, turtle, file, tuple(settings.data), settings.bundled,
                              output, lines)
    lap("check")
    return turtle, [*notes, *warnings]


def _left_out(output: Path, imported, store) -> list[str]:
    """The proposals of the previous output (loaded in ``store`` as its own named graph) that
    the sheet no longer has: the sheet is the truth, so they are left out of the new file; say
    so."""
    from rdflib import RDF

    from plenipot.namespaces import PP
    from plenipot.queries.header import sparql
    from plenipot.queries.run import select

    query = sparql("plenipot.tracker", "proposals-in-file")
    previous: dict = {}
    for row in select(store, query, {"file": graph_name(output)}).rows:
        previous.setdefault(row["proposal"], row.get("identifier"))
    gone = sorted(str(identifier or p) for p, identifier in previous.items()
                  if (p, RDF.type, PP.Proposal) not in imported.graph)
    return [f"{output}: {identifier}: in the previous file but not in the sheet, so left out"
            for identifier in gone]
