"""``plenipot load``: fill a SPARQL engine with the ontology and data (or ``--data``), one
named graph per source file, and check the triple counts afterwards."""

import sys

from plenipot.cli.options import settings_from_args
from plenipot.errors import ParameterError
from plenipot.store.connect import store_sources
from plenipot.store.remote_http import Endpoint


def cli_load(args) -> int:
    from plenipot.store.remote_load import load

    settings = settings_from_args(args)
    if not settings.endpoint:
        raise ParameterError("--endpoint", "is required: the SPARQL query URL of the engine "
                             "to fill (or PLENIPOT_STORE=sparql:URL)")
    endpoint = Endpoint(settings.endpoint, args.update_url or settings.endpoint_update_url,
                        settings.endpoint_user, settings.endpoint_password,
                        args.auth or settings.endpoint_auth)
    gsp = args.gsp or settings.endpoint_gsp_url
    report = load(endpoint, store_sources(settings), gsp_url=gsp, replace=args.replace,
                  batch=args.batch)
    if report.left_out:  # decision 0009, as the embedded store does
        print(f"left out {sum(report.left_out.values()):,} triples of "
              f"{len(report.left_out)} bundled file(s) about proposals that your files describe "
              f"(docs/decisions/0009), first: <{min(report.left_out)}>", file=sys.stderr)
    print(f"loaded {report.triples:,} triples in {report.graphs} graphs into {endpoint.url} "
          f"in {report.seconds:.1f} s; every graph's count matches what was sent",
          file=sys.stderr)
    return 0


def add_load_parser(commands, add_store_options) -> None:
    load = commands.add_parser(
        "load", help="fill a SPARQL engine with the graph, one named graph per file",
        description="Push the bundled ontology and data (and --data files and folders) into a "
        "SPARQL 1.1 engine, one named graph per source file, through SPARQL Update (INSERT DATA "
        "in batches) or the Graph Store Protocol (--gsp), then check each graph's triple count. "
        "Credentials: PLENIPOT_SPARQL_USER, PLENIPOT_SPARQL_PASSWORD. Exit 1 when a count "
        "differs, 2 for bad input, 3 when the engine does not answer.")
    add_store_options(load)
    load.add_argument("--update-url", metavar="URL",
                      help="the SPARQL Update URL (default: PLENIPOT_SPARQL_UPDATE_URL, or the "
                      "--endpoint URL)")
    load.add_argument("--gsp", metavar="URL", help="load through this Graph Store Protocol URL "
                      "(PUT replaces a graph) instead of SPARQL Update, e.g. Oxigraph's /store")
    load.add_argument("--auth", choices=("basic", "digest"),
                      help="how the credentials are sent (Virtuoso's /sparql-auth: digest)")
    load.add_argument("--replace", action="store_true",
                      help="replace graphs that the engine already holds (without it, loading "
                      "into a graph that has triples is refused, never doubled)")
    load.add_argument("--batch", type=int, metavar="N",
                      help="triples per request (default 2000 by SPARQL Update, halved where "
                      "the engine finds a request too large; 100000 by --gsp)")
    load.set_defaults(handler="plenipot.cli.load:cli_load")
