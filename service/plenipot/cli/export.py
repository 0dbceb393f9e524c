"""``plenipot export``: the whole graph in one RDF format, or a CSV table."""

from plenipot.cli.options import settings_from_args
from plenipot.errors import ParameterError
from plenipot.files import check_output, write_output
from plenipot.linked_data.export import CLI_FORMATS, dump
from plenipot.store.connect import open_local_store
from plenipot.tracker.tables import table_csv


def cli_export(args) -> int:
    """``plenipot export``: the whole graph, or ``--format csv --table ...``."""
    if args.table and args.format != "csv":
        raise ParameterError("--table", f"a table is written as CSV: give --format csv, not "
                                        f"--format {args.format} (which exports the whole graph)")
    check_output(args.output)
    store = open_local_store(settings_from_args(args))
    try:
        if args.format == "csv":
            data = table_csv(store, args.table or "proposals")
        else:
            data = dump(store, CLI_FORMATS[args.format])
    finally:
        store.close()
    write_output(args.output, data)
    return 0
