"""``plenipot validate``: the bundled data, or the given files, against the SHACL shapes."""

import sys

from plenipot.validation.report import FORMATTERS
from plenipot.validation.shacl import validate


def cli_validate(args) -> int:
    """``plenipot validate``: 0 conforms, 1 violations (or warnings with --strict), 2 unreadable."""
    report = validate(args.paths, shapes=args.shapes, bundled=not args.no_bundled,
                      strict=args.strict)
    output = FORMATTERS[args.format](report)
    if output:
        print(output, file=sys.stdout)
    failing = report.count("violation") + (len(report.results) if args.strict else 0)
    return 1 if failing else 0
