"""``plenipot query``: run a named query or any read-only SPARQL query from the command line,
writing a table for people, SPARQL JSON or CSV."""

import csv
import json
import sys
from dataclasses import replace
from typing import TextIO

from rdflib import URIRef

from plenipot import formats
from plenipot.cli.options import settings_from_args
from plenipot.errors import ParameterError, QueryTimeout
from plenipot.namespaces import PREFIXES
from plenipot.queries.catalogue import catalogue, get_query, run
from plenipot.queries.header import NamedQuery
from plenipot.results import SelectResult
from plenipot.store.base import Store
from plenipot.store.connect import open_store


def _parse_params(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise ParameterError(pair, "expected --param NAME=VALUE")
        if name.strip() in values:
            raise ParameterError(name.strip(), "given twice")
        values[name.strip()] = value
    return values


def _compact(term) -> str:
    """A term as a person reads it in a table: prefixed names, plain literal values."""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in PREFIXES.items():
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
        return f"<{text}>"
    return str(term)


def write_table(result: SelectResult, out: TextIO, width: int = 60) -> None:
    cells = [
        [_compact(row[v])[:width] if v in row else "" for v in result.variables]
        for row in result.rows
    ]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(result.variables)]
    line = "  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True))
    out.write(line.rstrip() + "\n" + "  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    count = len(result.rows)
    out.write(
        f"({count} row{'s' if count != 1 else ''}{', truncated' if result.truncated else ''})\n"
    )


def write_select(result: SelectResult, fmt: str, out: TextIO) -> None:
    if fmt == "table":
        write_table(result, out)
    elif fmt == "json":
        out.write(json.dumps(formats.select_as_json(result), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(formats.render_select(result, formats.CSV).decode())


def write_catalogue(queries: dict[str, NamedQuery], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        out.write(json.dumps([q.to_dict() for q in queries.values()], indent=2) + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "title", "parameters"])
        for q in queries.values():
            writer.writerow([q.name, q.title, " ".join(p.name for p in q.params)])
        return
    for q in queries.values():
        out.write(f"{q.name}\n  {q.title}\n")
        for p in q.params:
            presence = (
                "required" if p.required else (f"default={p.default}" if p.default else "optional")
            )
            out.write(f"  --param {p.name}=<{p.type}>  {presence}  {p.description}\n")


def run_sparql(store: Store, text: str, fmt: str, out: TextIO) -> None:
    """Any read-only query: updates, SERVICE and unknown FROM graphs are refused first."""
    from plenipot.store.safety import inspect_query

    form = inspect_query(text, store.graph_names()).form or "SELECT"
    if form == "ASK":
        answer = store.ask(text)
        out.write(
            json.dumps({"head": {}, "boolean": answer}) + "\n"
            if fmt == "json"
            else f"{str(answer).lower()}\n"
        )
    elif form in ("CONSTRUCT", "DESCRIBE"):
        graph = store.construct(text)
        media = {"json": formats.JSONLD, "csv": formats.NTRIPLES}.get(fmt, formats.TURTLE)
        out.write(formats.render_graph(graph, media).decode())
    else:
        write_select(store.select(text), fmt, out)


def cli_query(args) -> int:
    """``plenipot query NAME --param k=v``, ``--list`` or ``--sparql QUERY``: 0 answered,
    2 a wrong query or parameter, 3 stopped after ``PLENIPOT_QUERY_TIMEOUT`` seconds."""
    if args.list:
        write_catalogue(catalogue(), args.format, sys.stdout)
        return 0
    if args.sparql and args.name:
        raise ParameterError("name", "give a named query or --sparql, not both")
    if not args.sparql and not args.name:
        raise ParameterError("name", "give a named query (see --list) or --sparql 'SELECT …'")
    if args.sparql and args.param:
        raise ParameterError("param", "--param goes with a named query, not --sparql")
    query = None if args.sparql else get_query(args.name)
    values = _parse_params(args.param)
    # One killable query process, as the service runs them: a query that outlives
    # PLENIPOT_QUERY_TIMEOUT is stopped (QueryTimeout, exit 3) instead of running for ever.
    settings = settings_from_args(args)
    store = open_store(replace(settings, query_workers=min(settings.query_workers, 1),
                               cache_entries=0))
    try:
        if query is None:
            run_sparql(store, args.sparql, args.format, sys.stdout)
        else:
            write_select(run(query, values, store), args.format, sys.stdout)
        return 0
    except QueryTimeout:
        raise QueryTimeout(
            f"the query ran longer than {settings.query_timeout:g} s and was stopped; narrow "
            "it down (a LIMIT, more specific patterns) or give it more time with "
            "PLENIPOT_QUERY_TIMEOUT=SECONDS") from None
    finally:
        store.close()
