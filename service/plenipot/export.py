"""Exports of the whole graph and of the CSV tables, for ``plenipot export`` and ``/export``.

    dump(store, media_type) -> bytes         the whole graph in one RDF format
    table_csv(store, table, **filters) -> bytes   "proposals" or "issues-matrix" as CSV
    cli_export(args) -> int                  the command

Quad formats (N-Quads, TriG) keep each source file's named graph; the triple formats hold the
union of the graphs (duplicates merged). JSON-LD is compacted with the published context
(``plenipot.context``) written inline, so that it reads without fetching anything.
A file given with ``-o`` is written to a temporary file beside it and renamed into place, so a
failure never leaves a half-written file.
"""

import io
import os
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from plenipot import formats
from plenipot.context import jsonld_context
from plenipot.errors import NotAcceptable, ParameterError
from plenipot.namespaces import PREFIXES, bind_all
from plenipot.store import Store, Term, to_oxigraph
from plenipot.tables import issues_matrix, proposal_rows, write_csv

DUMP_TYPES = (formats.TURTLE, formats.NTRIPLES, formats.NQUADS, formats.TRIG, formats.JSONLD,
              formats.RDFXML)
QUAD_TYPES = (formats.NQUADS, formats.TRIG)
TABLES = ("proposals", "issues-matrix")
# --format names of the command -> media type
CLI_FORMATS = {"turtle": formats.TURTLE, "jsonld": formats.JSONLD, "ntriples": formats.NTRIPLES,
               "nquads": formats.NQUADS, "trig": formats.TRIG, "rdfxml": formats.RDFXML,
               "csv": formats.CSV}

_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
# written by Oxigraph's serializers (fast, and free of rdflib's Dataset deprecations);
# JSON-LD by rdflib, which compacts with a context
OX_FORMATS = {formats.TURTLE: ox.RdfFormat.TURTLE, formats.NTRIPLES: ox.RdfFormat.N_TRIPLES,
              formats.NQUADS: ox.RdfFormat.N_QUADS, formats.TRIG: ox.RdfFormat.TRIG,
              formats.RDFXML: ox.RdfFormat.RDF_XML}


def quads(store: Store) -> list[tuple[Term, Term, Term, Term]]:
    """Every quad of the store as (subject, predicate, object, graph name)."""
    return [(row["s"], row["p"], row["o"], row["g"]) for row in store.select(_QUADS).rows]


def dump(store: Store, media_type: str) -> bytes:
    """The whole graph as ``media_type`` (one of ``DUMP_TYPES``)."""
    if media_type not in DUMP_TYPES:
        raise NotAcceptable(f"the whole graph cannot be written as {media_type}; "
                            f"offered: {', '.join(DUMP_TYPES)}")
    every = quads(store)
    if media_type in QUAD_TYPES:
        items = [ox.Quad(*(to_oxigraph(t) for t in quad)) for quad in every]
    else:
        triples = dict.fromkeys((s, p, o) for s, p, o, _ in every)  # the union, in order
        if media_type == formats.JSONLD:
            graph = bind_all(Graph())
            for triple in triples:
                graph.add(triple)
            return graph.serialize(format="json-ld", context=jsonld_context(),
                                   auto_compact=True, encoding="utf-8")
        items = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in triples]
    prefixes = None if media_type in (formats.NTRIPLES, formats.NQUADS) else dict(PREFIXES)
    return ox.serialize(items, format=OX_FORMATS[media_type], prefixes=prefixes)


def table_csv(store: Store, table: str, **filters) -> bytes:
    """One of ``TABLES`` as CSV; ``filters`` as ``proposal_rows`` / ``issues_matrix`` take."""
    if table not in TABLES:
        raise ParameterError("table", f"{table!r} is not one of {', '.join(TABLES)}")
    filters = {k: v for k, v in filters.items() if v}
    if table == "proposals":
        data = proposal_rows(store, **filters)
    else:
        filters.pop("submitter", None)
        data = issues_matrix(store, **filters)
    buffer = io.StringIO(newline="")
    write_csv(data, buffer)
    return buffer.getvalue().encode("utf-8")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output(path: Path | None) -> None:
    """Refuse an ``-o`` that names a folder before any work is done."""
    if path is not None and path.is_dir():
        raise ParameterError("--output", f"{path} is a folder; give a file name")


def write_output(path: Path | None, data: bytes) -> None:
    """``data`` to standard output, or to ``path`` through ``write_atomically``."""
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(path, data)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ParameterError("--output", f"cannot write {path}: "
                                         f"{error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it 0600; give what open() would
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ParameterError("--output", f"cannot write {path}: "
                                         f"{error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def cli_export(args) -> int:
    """``plenipot export``: the whole graph, or ``--format csv --table ...``."""
    from plenipot.cli import settings_from_args
    from plenipot.stores import open_local_store

    check_output(args.output)
    store = open_local_store(settings_from_args(args))
    try:
        if args.format == "csv":
            data = table_csv(store, args.table)
        else:
            data = dump(store, CLI_FORMATS[args.format])
    finally:
        store.close()
    write_output(args.output, data)
    return 0
