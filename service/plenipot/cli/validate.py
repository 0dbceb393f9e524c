"""``plenipot validate``: the bundled data, or the given files, against the SHACL shapes."""

import sys

from plenipot.cli.options import settings_from_args
from plenipot.errors import InputError, PlenipotError
from plenipot.validation.report import FORMATTERS, github_escape
from plenipot.validation.shacl import validate


def github_error(error: PlenipotError) -> str:
    """An unreadable input as a GitHub Actions annotation on its file, line and column (a
    wrong argument, which has no place in a file, as an annotation without one)."""
    location = error.location if isinstance(error, InputError) else None
    if location is None:
        return f"::error title=plenipot validate::{github_escape(error.message)}"
    props = [f"file={github_escape(location.file, True)}"]
    if location.line is not None:
        props.append(f"line={location.line}")
        if location.column is not None:
            props.append(f"col={location.column}")
    props.append("title=plenipot validate%3A unreadable input")
    prefix = f"{location}: "
    message = error.message.removeprefix(prefix)
    return f"::error {','.join(props)}::{github_escape(message)}"


def cli_validate(args) -> int:
    """``plenipot validate``: 0 no violation (warnings and infos pass unless --strict),
    1 violations (or any result with --strict), 2 unreadable input.

    The files checked are the PATHs and the user's data (``--data`` or ``PLENIPOT_DATA``),
    together with the bundled ontology and data unless ``--no-bundled``."""
    try:
        settings = settings_from_args(args)
        report = validate([*args.paths, *settings.data], shapes=args.shapes,
                          bundled=settings.bundled)
    except PlenipotError as error:
        if args.format != "github":
            raise
        print(github_error(error), file=sys.stdout)
        print(f"plenipot validate: {error.message}", file=sys.stderr)
        return error.exit_code
    output = FORMATTERS[args.format](report)
    if output:
        print(output, file=sys.stdout)
    passing = () if args.strict else ("warning", "info")
    return 1 if any(r.severity not in passing for r in report.results) else 0
