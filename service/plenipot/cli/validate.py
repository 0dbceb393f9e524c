"""``plenipot validate``: the bundled data, or the given files, against the SHACL shapes."""

import sys

from plenipot.validation.report import FORMATTERS
from plenipot.validation.shacl import validate


def cli_validate(args) -> int:
    """``plenipot validate``: 0 no violation (warnings and infos pass unless --strict),
    1 violations (or any result with --strict), 2 unreadable input."""
    report = validate(args.paths, shapes=args.shapes, bundled=not args.no_bundled)
    output = FORMATTERS[args.format](report)
    if output:
        print(output, file=sys.stdout)
    passing = () if args.strict else ("warning", "info")
    return 1 if any(r.severity not in passing for r in report.results) else 0
