"""``plenipot import``: a tracker spreadsheet as Turtle."""

import sys

from plenipot.cli.options import settings_from_args
from plenipot.files import check_output, write_output
from plenipot.tracker.importer import run_import


def cli_import(args) -> int:
    """``plenipot import SHEET [--sheet NAME] [-o OUT.ttl]``: 0 written (the changes to
    proposals the graph held, and warnings, on stderr), 2 problems in the sheet (and nothing
    written)."""
    check_output(args.output)
    turtle, report = run_import(args.file, args.output, settings_from_args(args),
                                getattr(args, "sheet", None))
    for line in report:
        print(line, file=sys.stderr)
    write_output(args.output, turtle)
    return 0
