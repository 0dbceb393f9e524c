"""The pySHACL path: for shapes that the compiler of ``compiled.py`` does not take (SPARQL-based
constraints of your own shapes, custom components, closed and qualified shapes, recursion), and
for data whose literals Oxigraph would rewrite (derived integer datatypes). Data and shapes are
parsed with rdflib, keeping literals as written (``"1"^^xsd:boolean`` stays ``"1"``)."""

import contextlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import rdflib
from pyparsing import ParseException
from rdflib import Dataset, Graph
from rdflib.plugins.sparql import prepareQuery

from plenipot.errors import InputError
from plenipot.namespaces import bind_all
from plenipot.sources.locate import SourceIndex
from plenipot.sources.rdf import QUAD_FORMATS, parse_file, rdf_format

# pyshacl writes into the shapes graph while it validates: one validation at a time.
LOCK = threading.RLock()


@contextlib.contextmanager
def literals_as_written():
    """rdflib's parsers normalise typed literals by default (``"1"^^xsd:boolean`` becomes
    ``true``, which SHACL tells apart): switch that off while parsing. Hold LOCK around it."""
    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


class PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL query text once.

    pyshacl re-parses a SPARQL-based constraint's query for every focus node (about 60 ms
    each with rdflib's parser, most of the validation time); the text is the same every time.
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            # prefixes passed with the query are part of what the text means: part of the key
            namespaces = kwargs.pop("initNs", None) or {}
            key = (query_object, tuple(sorted((str(k), str(v)) for k, v in namespaces.items())))
            prepared = _PREPARED.get(key)
            if prepared is None:
                if len(_PREPARED) > 512:  # shapes reloaded many times in a long-lived process
                    _PREPARED.clear()
                try:
                    prepared = prepareQuery(query_object, initNs=dict(namespaces))
                except ParseException as error:
                    raise InputError(f"a SPARQL constraint in the shapes does not parse: "
                                     f"{error.msg} (line {error.lineno}, column {error.col} "
                                     f"of its query)") from None
                except Exception as error:  # rdflib: an unknown prefix and the like
                    raise InputError(f"a SPARQL constraint in the shapes cannot be used: "
                                     f"{error}") from None
                _PREPARED[key] = prepared
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


_PREPARED: dict[tuple, object] = {}
_PARSED: dict[tuple, Graph] = {}
_PARSED_MAX = 256


def _parse_cached(path: Path) -> Graph:
    """Parse a file, or reuse its graph if the file has not changed (the ontology, mostly)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    graph = _PARSED.get(key)
    if graph is None:
        with LOCK, literals_as_written():
            if rdf_format(path) in QUAD_FORMATS:  # TriG, N-Quads: the union of the graphs
                dataset = parse_file(path, Dataset())
                graph = Graph()
                graph += ((s, p, o) for s, p, o, _ in dataset.quads())
            else:
                graph = parse_file(path)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)), None)
        _PARSED[key] = graph
    return graph


def load_data(files: Sequence[Path]) -> tuple[Graph, SourceIndex]:
    """The files merged into one rdflib graph, and the index of which file said what."""
    merged = bind_all(PreparedQueryGraph())

    def parent_of(node):
        return next(iter(merged.subjects(None, node)), None)

    index = SourceIndex(parent_of)
    for path in files:
        graph = _parse_cached(path)
        index.add(path, graph, rdf_format(path))
        merged += graph
    return merged, index


def run_pyshacl(data: Graph, shapes: Graph) -> Graph:
    """pyshacl's report graph (``sh:conforms`` false for any result, warnings included)."""
    import pyshacl

    # pyshacl logs the errors it raises, rdflib each ill-typed literal: we report them once
    logging.getLogger("pyshacl-validate").filters[:] = [lambda record: False]
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    with LOCK:
        try:
            _, report_graph, text = pyshacl.validate(
                data, shacl_graph=shapes, inference="none", inplace=True,
                allow_warnings=False, allow_infos=False)
        except (pyshacl.errors.ShapeLoadError, pyshacl.errors.ConstraintLoadError,
                pyshacl.errors.ReportableRuntimeError) as error:
            raise InputError(f"the shapes cannot be used: {error.message}") from None
        except NotImplementedError as error:  # e.g. $shapesGraph in a SPARQL constraint
            raise InputError(f"the shapes use a feature that is not supported: {error}") from None
    if not isinstance(report_graph, Graph):  # pyshacl's ValidationFailure
        raise InputError(f"the shapes cannot be used: {text}")
    return report_graph
