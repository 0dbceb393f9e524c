"""The data to validate, parsed straight into an Oxigraph store (decision 0006).

Turtle, TriG, N-Triples and N-Quads are parsed by Oxigraph itself (about 12× faster than
rdflib, DESIGN.md §10), each file read once more by the one-pass index of ``sources.locate``.
RDF/XML and JSON-LD go through ``sources.rdf.parse_file`` (rdflib, with its safety settings) and
are copied in. A syntax error is an ``InputError`` with the file, line and column, worded as
``sources.rdf`` words it for every other command.
"""

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from rdflib import BNode, Graph

from plenipot.errors import InputError, Location
from plenipot.sources.locate import FileIndex, SourceIndex
from plenipot.sources.overrides import is_bundled, replaced_by, without_replaced
from plenipot.sources.rdf import QUAD_FORMATS, graph_name, parse_file, rdf_format
from plenipot.validation.rules import to_oxigraph

_OXIGRAPH_FORMATS = {"turtle": "TURTLE", "trig": "TRIG", "nt": "N_TRIPLES", "nquads": "N_QUADS"}
_POSITION = re.compile(r"^Parser error at line \d+ between columns \d+ and \d+: |"
                       r"^Parser error at line \d+ column \d+: |^Parser error: ")


def _syntax_error(path: Path, error: SyntaxError) -> InputError:
    message = _POSITION.sub("", str(error.msg or error).splitlines()[0])
    return InputError(message, Location(str(path), error.lineno, error.offset))


def load_store(files: Sequence[Path], known: Mapping[Path, FileIndex] | None = None):
    """(store, index): every file's triples in the default graph of one in-memory store.
    ``known``: indexes already made for some files (by resolved path), used instead of
    scanning them."""
    import pyoxigraph as ox

    store = ox.Store()

    def parent_of(node: BNode):
        for quad in store.quads_for_pattern(None, None, ox.BlankNode(str(node))):
            return _back(quad.subject)
        return None

    index = SourceIndex(parent_of)
    for path in files:
        fmt = rdf_format(path)
        name = _OXIGRAPH_FORMATS.get(fmt)
        if name is None:  # RDF/XML, JSON-LD, N3: rdflib's parsers, with their safety settings
            graph = parse_file(path)
            blanks: dict = {}
            store.bulk_extend(ox.Quad(to_oxigraph(s, blanks), to_oxigraph(p, blanks),
                                      to_oxigraph(o, blanks)) for s, p, o in graph)
            index.add(path, graph, fmt)
            continue
        base = path.resolve().as_uri()
        try:
            if fmt in QUAD_FORMATS:  # validate the union of the file's graphs
                store.bulk_extend(
                    ox.Quad(q.subject, q.predicate, q.object)
                    for q in ox.parse(path=str(path), format=getattr(ox.RdfFormat, name),
                                      base_iri=base))
            else:
                store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, name),
                                base_iri=base)
        except SyntaxError as error:
            # the same message as every other command gives for this file (sources.rdf's),
            # unless rdflib reads what Oxigraph does not: then Oxigraph's own
            parse_file(path)
            raise _syntax_error(path, error) from None
        except UnicodeDecodeError as error:
            raise InputError(f"not UTF-8 text ({error.reason})", Location(str(path))) from None
        except OSError as error:
            raise InputError(error.strerror or str(error), Location(str(path))) from None
        ready = known.get(path.resolve()) if known else None
        if ready is not None:
            index.files.append(ready)
        else:
            index.add(path, None, fmt)
    _drop_replaced(store, files, index)
    return store, index


def _drop_replaced(store, files: Sequence[Path], index: SourceIndex) -> None:
    """A proposal that a user's file describes replaces the bundled description of it
    (decision 0009): the bundled triples about it and its status changes are removed. Only
    the user's files are read again, and only when one of them describes a subject that a
    bundled file describes too (the one-pass index tells, without parsing them again)."""
    users = [path for path in files if not is_bundled(graph_name(path))]
    if not users:
        return
    indexed = {index_file.path: index_file for index_file in index.files}
    if all(path in indexed for path in files):
        bundled_subjects = set().union(*(indexed[path].subjects for path in files
                                         if path not in users))
        if not any(iri in bundled_subjects for path in users for iri in indexed[path].subjects):
            return
    replaced = {p for path in users for p in replaced_by(parse_file(path))}
    if not replaced or len(users) == len(files):
        return
    bundled = Graph()
    for path in files:
        if is_bundled(graph_name(path)):
            parse_file(path, bundled)
    kept = without_replaced(bundled, replaced)
    if kept is bundled:
        return
    import pyoxigraph as ox

    theirs = Graph()
    for path in users:
        parse_file(path, theirs)
    blanks: dict = {}
    for s, p, o in (bundled - kept) - theirs:  # what the user's file says too stays
        store.remove(ox.Quad(to_oxigraph(s, blanks), to_oxigraph(p, blanks),
                             to_oxigraph(o, blanks)))


def _back(term):
    from plenipot.validation.rules import from_oxigraph

    return from_oxigraph(term, {})


def as_rdflib(store) -> Graph:
    """The store's triples as an rdflib graph (for pySHACL, when the shapes need it)."""
    from plenipot.validation.rules import from_oxigraph

    graph = Graph()
    blanks: dict = {}
    graph += ((from_oxigraph(q.subject, blanks), from_oxigraph(q.predicate, blanks),
               from_oxigraph(q.object, blanks)) for q in store)
    return graph
