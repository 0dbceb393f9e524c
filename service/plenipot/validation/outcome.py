"""What a validation found: each result located in its file and line (``Result``), the whole
``Report``, and the SHACL report graph (built from the results only when asked for)."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from plenipot.namespaces import BASE, bind_all
from plenipot.sources.locate import SourceIndex
from plenipot.validation.rules import Raw, add_to_graph

SHAPES_BASE = BASE + "shapes/"
SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}



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
    graph_source: Graph | Callable[[], Graph] = field(repr=False)
    files: int = 0
    triples: int = 0
    seconds: float = 0.0
    engine: str = "compiled"  # or "pyshacl" (decision 0006)

    @property
    def graph(self) -> Graph:
        """The sh:ValidationReport as a graph (built on first use)."""
        if not isinstance(self.graph_source, Graph):
            self.graph_source = self.graph_source()
        return self.graph_source

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


@functools.lru_cache(maxsize=4096)
def display(path: Path | None) -> str | None:
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


def results_from_graph(report: Graph, root, shapes: Graph, index: SourceIndex) -> list[Result]:
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
            file=display(file),
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




def results_from_raws(raws: list[Raw], shapes: Graph, index: SourceIndex) -> list[Result]:
    """The results found by the whole-graph queries, each located in its file."""
    path_text = functools.lru_cache(maxsize=None)(lambda p: _path_text(shapes, p))
    shape_name = functools.lru_cache(maxsize=None)(lambda s: _shape_name(shapes, s))
    results = []
    for raw in raws:
        english = [m for m in raw.messages if m.language in (None, "en")]
        file, line = index.locate(raw.focus)
        results.append(Result(
            severity=_severity(raw.severity),
            focus=str(raw.focus),
            path=path_text(raw.path) if raw.path is not None else None,
            value=str(raw.value) if raw.value is not None else None,
            message=str((english or raw.messages or ["(no message)"])[0]),
            shape=shape_name(raw.shape),
            file=display(file),
            line=line,
            source_shape=str(raw.shape),
            component=str(raw.component),
        ))
    return results


def report_from_raws(raws: list[Raw], shapes: Graph) -> Graph:
    """The sh:ValidationReport of these results."""
    report = bind_all(Graph())
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(not raws)))
    for raw in raws:
        add_to_graph(report, root, raw, shapes)
    return report
