"""SHACL validation of the graph, each result traced to the file and line of its focus node.

Every data file is parsed on its own (so we know which file describes which subject) and the
per-file graphs are then merged for pyshacl, which keeps blank nodes identical in both. Data and
shapes are parsed with the same parser (rdflib), see DESIGN.md §10. pyshacl checks the core
constraints; the bundled shapes' SPARQL-based rules run once each over the whole graph on
Oxigraph (same results, tested against pyshacl; milliseconds instead of ms per focus node).
"""

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyparsing import ParseException
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery

from plenipot.errors import InputError
from plenipot.namespaces import BASE, bind_all
from plenipot.sources.bundled import bundled_files, graph_sources
from plenipot.sources.locate import SourceIndex
from plenipot.sources.overrides import is_bundled, replaced_by, without_replaced
from plenipot.sources.rdf import QUAD_FORMATS, expand, graph_name, parse_file, rdf_format
from plenipot.validation.rules import Rule, extract_rules, run_rules

SHAPES_BASE = BASE + "shapes/"
SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}

# pyshacl writes into the shapes graph while it validates: one validation at a time.
_LOCK = threading.Lock()
_SHAPES_CACHE: dict[tuple, tuple] = {}


@dataclass(frozen=True)
class Result:
    """One SHACL result, located in the source file that describes its focus node."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str | None
    file: str | None
    line: int | None

    @property
    def rule(self) -> str | None:
        """The rule's short name: the fragment of a bundled shape's IRI (``proposal-action``)."""
        if self.shape and self.shape.startswith(SHAPES_BASE) and "#" in self.shape:
            return self.shape.rsplit("#", 1)[1]
        return self.shape


@dataclass
class Report:
    conforms: bool
    results: list[Result]
    graph: Graph = field(repr=False)
    files: int = 0
    triples: int = 0
    seconds: float = 0.0

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


# --- loading ----------------------------------------------------------------------------------

def _unique(paths: Iterable[Path]) -> list[Path]:
    seen: set[Path] = set()
    unique = []
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def data_files(paths: Sequence[Path] = (), bundled: bool = True) -> list[Path]:
    """The files to validate: PATHs together with the bundled ontology and data (so that what
    they refer to, a conference or a resolution's revision, resolves), or alone (--no-bundled).
    A PATH that is a bundled file is read once."""
    if not paths:
        if not bundled:
            raise InputError("--no-bundled needs at least one PATH to validate")
        return graph_sources()
    files = graph_sources() if bundled else []
    return _unique([*files, *expand(paths)])


def load_shapes(paths: Sequence[Path] | None = None) -> Graph:
    """The shapes graph (bundled shapes unless PATHs are given), parsed once per file version."""
    return _prepared_shapes(paths)[0]


def _prepared_shapes(paths: Sequence[Path] | None) -> tuple[Graph, Graph, list[Rule]]:
    """The shapes; the shapes left to pyshacl; the SPARQL rules run once over the whole graph.

    Only the bundled shapes' rules are run over the whole graph (they bind ``$this`` in a
    triple pattern, which makes that equivalent); other shapes are left to pyshacl entirely.
    """
    files = _unique(expand(paths)) if paths else bundled_files("shapes")
    if not files:
        raise InputError("no shapes files to validate against")
    key = tuple((str(p.resolve()), p.stat().st_mtime_ns) for p in files)
    with _LOCK:
        if key not in _SHAPES_CACHE:
            graph = bind_all(Graph())
            for path in files:
                parse_file(path, graph)
            whole_graph_rules = extract_rules(graph) if not paths else []
            for_pyshacl = graph
            if whole_graph_rules:
                for_pyshacl = bind_all(Graph())
                for_pyshacl += graph
                for rule in whole_graph_rules:
                    for_pyshacl.remove((rule.shape, SH.sparql, rule.constraint))
            _SHAPES_CACHE.clear()
            _SHAPES_CACHE[key] = (graph, for_pyshacl, whole_graph_rules)
        return _SHAPES_CACHE[key]


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL query text once.

    pyshacl re-parses a SPARQL-based constraint's query for every focus node (about 60 ms
    each with rdflib's parser, most of the validation time); the text is the same every time.
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            prepared = _PREPARED.get(query_object)
            if prepared is None:
                if len(_PREPARED) > 512:  # shapes reloaded many times in a long-lived process
                    _PREPARED.clear()
                try:
                    prepared = prepareQuery(query_object)
                except ParseException as error:
                    raise InputError(f"a SPARQL constraint in the shapes does not parse: "
                                     f"{error.msg} (line {error.lineno}, column {error.col} "
                                     f"of its query)") from None
                _PREPARED[query_object] = prepared
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


_PREPARED: dict[str, object] = {}


_PARSED: dict[tuple, Graph] = {}
_PARSED_MAX = 256


def _parse_cached(path: Path) -> Graph:
    """Parse a file, or reuse its graph if the file has not changed (the ontology, mostly)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    graph = _PARSED.get(key)
    if graph is None:
        if rdf_format(path) in QUAD_FORMATS:  # TriG, N-Quads: validate the union of the graphs
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
    """The files merged into one graph for pyshacl, and the index of which file said what."""
    index = SourceIndex()
    merged = bind_all(_PreparedQueryGraph())
    graphs = [(path, _parse_cached(path)) for path in files]
    replaced = {p for path, graph in graphs if not is_bundled(graph_name(path))
                for p in replaced_by(graph)}  # a user's proposal replaces the bundled one (0009)
    for path, graph in graphs:
        if is_bundled(graph_name(path)):
            graph = without_replaced(graph, replaced)
        index.add(path, graph)
        merged += graph
    return merged, index


# --- validating -------------------------------------------------------------------------------

def validate(
    paths: Sequence[Path] = (),
    shapes: Sequence[Path] | None = None,
    bundled: bool = True,
    strict: bool = False,
) -> Report:
    """Validate PATHs (default: the bundled data) against the shapes (InputError if unreadable)."""
    import pyshacl  # heavy: only when validating

    started = time.perf_counter()
    files = data_files(paths, bundled)
    data, index = load_data(files)
    shapes_graph, for_pyshacl, whole_graph_rules = _prepared_shapes(shapes)
    # pyshacl logs the errors it raises to stderr; we report them ourselves, once.
    logging.getLogger("pyshacl-validate").filters[:] = [lambda record: False]
    with _LOCK:
        try:
            conforms, report_graph, text = pyshacl.validate(
                data, shacl_graph=for_pyshacl, inference="none", inplace=True,
                allow_warnings=not strict, allow_infos=not strict,
            )
        except (pyshacl.errors.ShapeLoadError, pyshacl.errors.ConstraintLoadError,
                pyshacl.errors.ReportableRuntimeError) as error:
            raise InputError(f"the shapes cannot be used: {error.message}") from None
        if not isinstance(report_graph, Graph):  # pyshacl's ValidationFailure
            raise InputError(f"the shapes cannot be used: {text}")
        if whole_graph_rules:
            failing = {SH.Violation} if not strict else set(SEVERITIES)
            found = run_rules(whole_graph_rules, data, report_graph)
            conforms = bool(conforms) and not (found & failing)
            root = report_graph.value(predicate=RDF.type, object=SH.ValidationReport)
            report_graph.set((root, SH.conforms, Literal(conforms)))
        results = _results(report_graph, shapes_graph, index)
    results.sort(key=lambda r: (r.file is None, r.file or "", r.line or 0,
                                _SEVERITY_ORDER.get(r.severity, 3), r.message))
    return Report(bool(conforms), results, bind_all(report_graph), len(files), len(data),
                  time.perf_counter() - started)


def _display(path: Path | None) -> str | None:
    """A file as the user can open it: relative to the current folder if inside it."""
    if path is None:
        return None
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(resolved)


def _results(report: Graph, shapes: Graph, index: SourceIndex) -> list[Result]:
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        messages = list(report.objects(node, SH.resultMessage))
        english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
        shape = report.value(node, SH.sourceShape)
        file, line = index.locate(focus)
        results.append(Result(
            severity=SEVERITIES.get(report.value(node, SH.resultSeverity), "violation"),
            focus=str(focus),
            path=_path_text(shapes, path) if path is not None else None,
            value=str(value) if value is not None else None,
            message=str((english or messages or ["(no message)"])[0]),
            shape=_shape_name(shapes, shape),
            file=_display(file),
            line=line,
        ))
    return results


def _shape_name(shapes: Graph, shape) -> str | None:
    """A shape's IRI; for an anonymous property shape, the IRI of the node shape holding it."""
    if isinstance(shape, URIRef):
        return str(shape)
    if shape is not None:
        for parent in shapes.subjects(SH.property, shape):
            if isinstance(parent, URIRef):
                return str(parent)
    return None


def _path_text(shapes: Graph, path) -> str:
    """A SHACL property path in SPARQL syntax (``^pp:statusChange``, ``(a|b)``)."""
    if isinstance(path, URIRef):
        return shapes.namespace_manager.normalizeUri(path)
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(shapes, inverse)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    if shapes.value(path, RDF.first) is not None:
        return "/".join(_path_text(shapes, p) for p in Collection(shapes, path))
    for keyword, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                            (SH.zeroOrOnePath, "?")):
        inner = shapes.value(path, keyword)
        if inner is not None:
            return _path_text(shapes, inner) + suffix
    return str(path)


