"""Options that several commands share, and the settings they make."""

import argparse
from pathlib import Path


def add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", nargs="+", type=Path, metavar="PATH", help="RDF files or folders to load"
    )
    parser.add_argument(
        "--no-bundled", action="store_true", help="leave out the bundled ontology and data"
    )
    parser.add_argument("--store", type=Path, metavar="PATH", help="durable on-disk Oxigraph store")
    parser.add_argument("--endpoint", metavar="URL", help="a remote SPARQL 1.1 endpoint to query")


def settings_from_args(args: argparse.Namespace, **overrides):
    """Settings from the environment, then the store options of a command (``--data``,
    ``--no-bundled``, ``--store``, ``--endpoint``), then ``overrides``."""
    from plenipot.config import Settings

    return Settings.from_env(
        data=tuple(args.data or ()),
        bundled=False if args.no_bundled else None,
        store_path=args.store,
        endpoint=args.endpoint,
        **overrides,
    )
