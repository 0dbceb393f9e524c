"""``plenipot import``: a tracker spreadsheet as Turtle."""

from plenipot.cli.options import settings_from_args
from plenipot.files import check_output, write_output
from plenipot.store.connect import open_local_store
from plenipot.tracker.build import read_tracker, to_turtle, tracker_graph


def cli_import(args) -> int:
    """``plenipot import FILE.csv [-o OUT.ttl]``: 0 written, 2 problems in the file (and nothing
    written)."""
    check_output(args.output, args.force)
    rows = read_tracker(args.file, str(args.file))  # a bad header fails before the store loads
    store = open_local_store(settings_from_args(args))
    try:
        graph = tracker_graph(rows, store, str(args.file))
    finally:
        store.close()
    write_output(args.output, to_turtle(graph, args.file.name), args.force)
    return 0
