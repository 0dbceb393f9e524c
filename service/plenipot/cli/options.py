"""Options that several commands share, and the settings they make.

Every option that takes a path takes one per flag (``--data a.ttl --data my-data/``), so a
positional argument after it is never taken for one more path.
"""

import argparse
from pathlib import Path

from plenipot.errors import ParameterError


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """``--data PATH`` (repeatable) and ``--no-bundled``: the user's data, and whether the
    bundled ontology and data are read beside it."""
    parser.add_argument(
        "--data", action="append", type=Path, metavar="PATH",
        help="an RDF file, or a folder of them (read recursively); repeat for more "
        "(default: $PLENIPOT_DATA, ':'-separated)",
    )
    parser.add_argument(
        "--no-bundled", action="store_true", help="leave out the bundled ontology and data"
    )


def add_store_options(parser: argparse.ArgumentParser) -> None:
    add_data_options(parser)
    parser.add_argument("--store", type=store_option, metavar="PATH|sparql:URL",
                        help="durable on-disk Oxigraph store, or sparql:URL for a SPARQL engine")
    parser.add_argument("--endpoint", metavar="URL", help="a remote SPARQL 1.1 endpoint to query")


def store_option(value: str) -> "Path | str":
    """``--store``: a folder, or ``sparql:URL`` (kept as text: a Path would fold its ``//``)."""
    return value if value.startswith("sparql:") else Path(value)


def settings_from_args(args: argparse.Namespace, **overrides):
    """Settings from the environment, then the options of a command (``--data`` replaces
    ``PLENIPOT_DATA``; ``--no-bundled``, ``--store``, ``--endpoint``), then ``overrides``.

    A data path that does not exist is a ``ParameterError`` naming where it came from."""
    from plenipot.config import Settings

    settings = Settings.from_env(
        data=tuple(args.data) if args.data else None,
        bundled=False if args.no_bundled else None,
        store_path=getattr(args, "store", None),
        endpoint=getattr(args, "endpoint", None),
        **overrides,
    )
    origin = "--data" if args.data else "PLENIPOT_DATA"
    for path in settings.data:
        if not path.exists():
            raise ParameterError(origin, f"no such file or folder: {path}")
    return settings


def add_output_options(parser: argparse.ArgumentParser, metavar: str) -> None:
    """``-o`` and ``--force``, for the commands that write a file (``plenipot.files``)."""
    parser.add_argument("-o", "--output", type=Path, metavar=metavar,
                        help="file to write, its folder created if need be (default: stdout)")
    parser.add_argument("--force", action="store_true",
                        help="let -o write to a symlink, FIFO or device (refused otherwise)")
