"""The ``plenipot`` command.

Exit codes: 0 success (validate: the data conforms), 1 validation found violations,
2 input that cannot be read or a wrong argument, 3 a query that timed out or a store that
did not answer.
"""

import argparse
import sys
from importlib import import_module
from pathlib import Path

from plenipot import __version__
from plenipot.cli.options import add_data_options, add_output_options, add_store_options
from plenipot.errors import PlenipotError

EXPORT_FORMATS = ("turtle", "jsonld", "ntriples", "nquads", "trig", "rdfxml", "csv")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plenipot", description="Proposal-tracking knowledge graph for ITU conferences.",
        epilog="Exit codes: 0 success (validate: the data conforms), 1 violations, 2 input that "
        "cannot be read or a wrong argument, 3 a query that timed out. Your data: --data PATH "
        "(repeatable; a folder means every RDF file under it) or PLENIPOT_DATA.",
    )
    parser.add_argument("--version", action="version", version=f"plenipot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="validate RDF data against the SHACL shapes",
        description="Validate the bundled data, with PATHs and --data beside it (or alone with "
        "--no-bundled), against the SHACL shapes. Exit 0 conforms, 1 violations (or warnings "
        "with --strict), 2 unreadable input or a wrong argument.",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="RDF files or folders, checked together with the bundled ontology and data "
        "they refer to (default: the bundled data, and --data or $PLENIPOT_DATA)",
    )
    validate.add_argument("--format", choices=("text", "json", "turtle", "github", "sarif"),
                          default="text")
    validate.add_argument(
        "--shapes",
        action="append",
        type=Path,
        metavar="PATH",
        help="a shapes file or folder to use instead of the bundled shapes; repeat for more",
    )
    add_data_options(validate)
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    validate.set_defaults(handler="plenipot.cli.validate:cli_validate")

    query = commands.add_parser("query", help="run a named query or any read-only SPARQL query")
    query.add_argument("name", nargs="?", help="a named query (see --list)")
    query.add_argument("--list", action="store_true", help="list the named queries")
    query.add_argument("--sparql", metavar="QUERY", help="a SPARQL query to run instead")
    query.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE")
    query.add_argument("--format", choices=("table", "json", "csv"), default="table")
    add_store_options(query)
    query.set_defaults(handler="plenipot.cli.query:cli_query")

    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--base-url", help="public base URL of the served IRIs")
    add_store_options(serve)
    serve.set_defaults(handler="plenipot.cli.serve:cli_serve")

    export = commands.add_parser("export", help="write the whole graph, or a CSV table")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="turtle")
    export.add_argument(
        "--table",
        choices=("proposals", "issues-matrix"),
        help="which table --format csv writes (default: proposals)",
    )
    add_output_options(export, "FILE")
    add_store_options(export)
    export.set_defaults(handler="plenipot.cli.export:cli_export")

    tracker = commands.add_parser(
        "import",
        help="turn a tracker spreadsheet (CSV, .xlsx, .ods) into Turtle",
        description="Read a tracker CSV (the columns of `export --format csv --table proposals`), "
        "resolve its codes against the graph and write the proposals as Turtle.",
    )
    tracker.add_argument("file", type=Path, metavar="FILE", help="the tracker spreadsheet "
                         "(.csv in UTF-8, .xlsx or .ods)")
    tracker.add_argument("--sheet", metavar="NAME", help="the sheet of a workbook to read "
                         "(default: the first)")
    add_output_options(tracker, "FILE.ttl")
    add_store_options(tracker)
    tracker.set_defaults(handler="plenipot.cli.import_sheet:cli_import")

    diff = commands.add_parser(
        "diff",
        help="what changed between two states of the data",
        description="Compare two folders, two dumps, or two git revisions of a data repository "
        "(--git REV1 REV2): proposals added and removed, status changes, changed fields, new "
        "resolutions and revisions. Exit 0 when equal, 1 when not, 2 for unreadable input.",
    )
    diff.add_argument("paths", nargs="*", type=Path, metavar="OLD NEW",
                      help="two folders or RDF files (dumps)")
    diff.add_argument("--git", nargs=2, metavar=("REV1", "REV2"),
                      help="compare two revisions of the git repository --repo")
    diff.add_argument("--repo", type=Path, help="the git repository (default: this folder)")
    diff.add_argument("--path", default="data", help="the folder inside the repository that "
                      "holds the data (default: data)")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.add_argument("--no-bundled", action="store_true",
                      help="compare the sides alone, without the bundled ontology and data")
    diff.set_defaults(handler="plenipot.cli.diff:cli_diff")

    init = commands.add_parser(
        "init",
        help="start a tracker repository",
        description="Write a tracker repository that works at once: data/ with an example "
        "sheet and its Turtle, a CI workflow, a pre-commit config and a README.",
    )
    init.add_argument("folder", type=Path, metavar="DIR", help="the folder to create or fill")
    init.add_argument("--force", action="store_true",
                      help="write into a folder that already has files (never overwrites)")
    init.add_argument("--action", metavar="OWNER/REPO@REF",
                      help="the Plenipot GitHub Action the CI workflow uses "
                      "(default: plenipot/plenipot@main)")
    init.set_defaults(handler="plenipot.cli.init:cli_init")

    from plenipot.cli.load import add_load_parser

    add_load_parser(commands, add_store_options)
    return parser


OFFLINE_COMMANDS = {"validate", "query", "export", "import"}  # they read data, never the network


def _remote_store(args) -> bool:
    """Whether the command's store is a SPARQL engine (``--store sparql:URL``, ``--endpoint``,
    or the same in ``PLENIPOT_STORE`` / ``PLENIPOT_ENDPOINT``)."""
    import os

    store = str(getattr(args, "store", None) or os.environ.get("PLENIPOT_STORE", ""))
    return bool(getattr(args, "endpoint", None) or os.environ.get("PLENIPOT_ENDPOINT")
                or store.startswith("sparql:"))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if (argv is None and args.command in OFFLINE_COMMANDS  # the real command, not a test's call
            and not _remote_store(args)):  # a SPARQL engine is reached over the network
        from plenipot.store.sandbox import isolate_network

        isolate_network()  # defence in depth: a parser's blind spot cannot become a request
    module_name, function_name = args.handler.split(":")
    handler = getattr(import_module(module_name), function_name)
    try:
        return handler(args)
    except PlenipotError as error:
        print(f"plenipot {args.command}: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
