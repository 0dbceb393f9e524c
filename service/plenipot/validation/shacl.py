"""SHACL validation of the graph, each result traced to the file and line of its focus node.

Two engines, chosen per run (decision 0006). The default compiles the shapes' core constraints
into SPARQL queries (``compiled.py``) and runs each once over the whole graph on Oxigraph, the
data parsed straight into Oxigraph (``load.py``); the bundled shapes' SPARQL-based rules run the
same way (``rules.py``). Shapes the compiler does not take, or data whose literals Oxigraph
would rewrite, go to pySHACL on rdflib (``pyshacl_engine.py``). Results are located through
the one-pass index of ``sources.locate``. The report follows SHACL: it conforms only if there
is no result at all (the command's exit code still lets warnings pass without --strict).
"""

import functools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from plenipot.errors import InputError
from plenipot.namespaces import BASE, bind_all
from plenipot.sources.bundled import bundled_files, graph_sources
from plenipot.sources.locate import SourceIndex
from plenipot.sources.rdf import expand, parse_file
from plenipot.validation.compiled import DERIVED_INTEGERS, Check, Unsupported, compile_shapes
from plenipot.validation.load import load_store
from plenipot.validation.pyshacl_engine import (  # noqa: F401  (the caches, for benchmarks)
    _PARSED,
    _PREPARED,
    LOCK,
    literals_as_written,
    load_data,
    run_pyshacl,
)
from plenipot.validation.rules import Rule, extract_rules, run_checks, run_rules

SHAPES_BASE = BASE + "shapes/"
SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}

_SHAPES_CACHE: dict[tuple, "Shapes"] = {}
_DERIVED = {str(d) for d in DERIVED_INTEGERS}


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
    source_shape: str | None = None  # sh:sourceShape as given (a blank node's label if anonymous)
    component: str | None = None  # sh:sourceConstraintComponent

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
    return _prepared_shapes(paths).graph


@dataclass
class Shapes:
    graph: Graph  # as parsed
    for_pyshacl: Graph  # without the rules run over the whole graph
    rules: list[Rule]  # the bundled shapes' SPARQL rules, run once over the whole graph
    checks: list[Check] | None  # the compiled core constraints; None: pySHACL only


def _prepared_shapes(paths: Sequence[Path] | None) -> Shapes:
    """Only the bundled shapes' rules are run over the whole graph (they bind ``$this`` in a
    triple pattern, which makes that equivalent); other SPARQL constraints go to pySHACL."""
    files = _unique(expand(paths)) if paths else bundled_files("shapes")
    if not files:
        raise InputError("no shapes files to validate against")
    key = tuple((str(p.resolve()), p.stat().st_mtime_ns) for p in files)
    with LOCK:
        if key not in _SHAPES_CACHE:
            graph = bind_all(Graph())
            with literals_as_written():
                for path in files:
                    parse_file(path, graph)
            _declare_imported_prefixes(graph)
            rules = extract_rules(graph) if not paths else []
            for_pyshacl = graph
            if rules:
                for_pyshacl = bind_all(Graph())
                for_pyshacl += graph
                for rule in rules:
                    for_pyshacl.remove((rule.shape, SH.sparql, rule.constraint))
            try:
                checks = compile_shapes(for_pyshacl)
            except Unsupported:
                checks = None
            _SHAPES_CACHE.clear()
            _SHAPES_CACHE[key] = Shapes(graph, for_pyshacl, rules, checks)
        return _SHAPES_CACHE[key]


def _declare_imported_prefixes(shapes: Graph) -> None:
    """SHACL's sh:prefixes: the sh:declare of a value and of what it owl:imports, transitively
    (within the shapes graph). pySHACL reads only the value's own: copy the rest onto it."""
    for holder in set(shapes.objects(None, SH.prefixes)):
        seen, todo = {holder}, list(shapes.objects(holder, OWL.imports))
        while todo:
            imported = todo.pop()
            if imported in seen:
                continue
            seen.add(imported)
            for declaration in list(shapes.objects(imported, SH.declare)):
                shapes.add((holder, SH.declare, declaration))
            todo += shapes.objects(imported, OWL.imports)


# --- validating -------------------------------------------------------------------------------

def _new_report() -> tuple[Graph, BNode]:
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    return report, root


def validate(
    paths: Sequence[Path] = (),
    shapes: Sequence[Path] | None = None,
    bundled: bool = True,
    strict: bool = False,
    engine: str = "auto",
) -> Report:
    """Validate PATHs (default: the bundled data) against the shapes (InputError if unreadable).

    ``strict`` is kept for callers: a report conforms only without any result, so it no longer
    changes the report (the command uses it for its exit code). ``engine="pyshacl"`` skips the
    compiled engine (the tests compare the two)."""
    del strict
    started = time.perf_counter()
    files = data_files(paths, bundled)
    prepared = _prepared_shapes(shapes)
    report_graph = None
    if prepared.checks is not None and engine != "pyshacl":
        store, index = load_store(files)
        # Oxigraph stores literals canonically: "4.0" comes back as 4, xsd:int as xsd:integer.
        # Where the data writes such literals, only pySHACL gives the results as SHACL defines.
        if not (index.datatypes() & _DERIVED or index.rewritten()):
            report_graph, root = _new_report()
            run_checks(prepared.checks, store, report_graph, prepared.graph)
            run_rules(prepared.rules, store, {}, report_graph)
            triples = len(store)
    if report_graph is None:  # pySHACL, on rdflib
        data, index = load_data(files)
        report_graph = run_pyshacl(data, prepared.for_pyshacl)
        root = report_graph.value(predicate=RDF.type, object=SH.ValidationReport)
        if prepared.rules:
            store, back = _rules_store(data)
            run_rules(prepared.rules, store, back, report_graph)
        triples = len(data)
    conforms = report_graph.value(root, SH.result) is None
    report_graph.set((root, SH.conforms, Literal(conforms)))
    results = _results(report_graph, root, prepared.graph, index)
    results.sort(key=lambda r: (r.file is None, r.file or "", r.line or 0,
                                _SEVERITY_ORDER.get(r.severity, 3), r.message))
    return Report(conforms, results, bind_all(report_graph), len(files), triples,
                  time.perf_counter() - started)


def _rules_store(data: Graph):
    from plenipot.validation.rules import oxigraph_store

    return oxigraph_store(data)


@functools.lru_cache(maxsize=4096)
def _display(path: Path | None) -> str | None:
    """A file as the user can open it: relative to the current folder if inside it."""
    if path is None:
        return None
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(resolved)


def _severity(term) -> str:
    """violation, warning, info; a severity of your own as its IRI."""
    return SEVERITIES.get(term) or (str(term) if term is not None else "violation")


def _results(report: Graph, root, shapes: Graph, index: SourceIndex) -> list[Result]:
    """The report's results (not those nested in sh:detail), each located in its file."""
    results = []
    for node in report.objects(root, SH.result):
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        messages = list(report.objects(node, SH.resultMessage))
        english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
        shape = report.value(node, SH.sourceShape)
        file, line = index.locate(focus)
        results.append(Result(
            severity=_severity(report.value(node, SH.resultSeverity)),
            focus=str(focus),
            path=_path_text(shapes, path) if path is not None else None,
            value=str(value) if value is not None else None,
            message=str((english or messages or ["(no message)"])[0]),
            shape=_shape_name(shapes, shape),
            file=_display(file),
            line=line,
            source_shape=str(shape) if shape is not None else None,
            component=_str_or_none(report.value(node, SH.sourceConstraintComponent)),
        ))
    return results


def _str_or_none(term) -> str | None:
    return str(term) if term is not None else None


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
    if shapes.value(path, RDF.first) is not None:  # a list is a sequence path, whatever else
        return "/".join(_path_text(shapes, p) for p in Collection(shapes, path))
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(shapes, inverse)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    for keyword, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                            (SH.zeroOrOnePath, "?")):
        inner = shapes.value(path, keyword)
        if inner is not None:
            return _path_text(shapes, inner) + suffix
    return str(path)


