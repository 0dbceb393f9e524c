"""SHACL validation of the graph, each result traced to the file and line of its focus node.

Every data file is parsed on its own (so we know which file describes which subject) and the
per-file graphs are then merged for pyshacl, which keeps blank nodes identical in both. Data and
shapes are parsed with the same parser (rdflib), see DESIGN.md §10. pyshacl checks the core
constraints; the bundled shapes' SPARQL-based rules run once each over the whole graph on
Oxigraph (same results, tested against pyshacl; milliseconds instead of ms per focus node).
"""

import json
import logging
import re
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyparsing import ParseException
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS, SH, XSD
from rdflib.plugins.sparql import prepareQuery

from plenipot.errors import InputError
from plenipot.graph import QUAD_FORMATS, expand, parse_file, rdf_format
from plenipot.namespaces import BASE, bind_all
from plenipot.resources import bundled_files, graph_sources

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


# --- where a node is described ----------------------------------------------------------------

_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I | re.M)
_BASE_LINE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.I | re.M)


class _SourceFile:
    """One parsed file and its text, to find the line where a node is written."""

    def __init__(self, path: Path, graph: Graph):
        self.path = path
        self.graph = graph
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            try:
                self._text = self.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._text = ""
        return self._text

    def _spellings(self, iri: str) -> list[str]:
        """Regexes for the ways this file can write an IRI: <full>, <relative>, prefix:local."""
        spellings = [re.escape(f"<{iri}>")]
        for base in _BASE_LINE.findall(self.text):
            if iri.startswith(base) and len(iri) > len(base):
                spellings.append(re.escape(f"<{iri[len(base):]}>"))
        for prefix, namespace in _PREFIX_LINE.findall(self.text):
            if namespace and iri.startswith(namespace):
                local = iri[len(namespace):]
                # characters other than letters, digits and _ may be written \-escaped
                name = "".join(
                    re.escape(c) if c.isalnum() or c == "_" else "\\\\?" + re.escape(c)
                    for c in local
                )
                spellings.append(rf"(?<![\w.:\\-]){re.escape(prefix)}:{name}(?![\w:%\\-]|\.[\w:-])")
        return spellings

    def line_of(self, iri: str) -> int | None:
        """The line where the IRI is first written as a subject (else first written at all)."""
        text = self.text
        if not text:
            return None
        pattern = "|".join(f"(?:{s})" for s in self._spellings(iri))
        first_any = None
        for match in re.finditer(pattern, text):
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            before = text[line_start:match.start()]
            rest = text[match.end():line_end if line_end >= 0 else len(text)].lstrip()
            if _in_comment(before):
                continue
            line = text.count("\n", 0, match.start()) + 1
            if not before.strip() and rest[:1] not in (",", ".", ";", ")", "]"):
                return line
            if first_any is None:
                first_any = line
        return first_any


def _in_comment(before: str) -> bool:
    """Whether a '#' outside IRIs and strings starts a comment in this start of a line."""
    in_iri = in_string = False
    for char in before:
        if in_string:
            in_string = char != '"'
        elif in_iri:
            in_iri = char != ">"
        elif char == '"':
            in_string = True
        elif char == "<":
            in_iri = True
        elif char == "#":
            return True
    return False


class SourceIndex:
    """Which of the loaded files describes a node, and on which line."""

    def __init__(self) -> None:
        self.files: list[_SourceFile] = []

    def add(self, path: Path, graph: Graph) -> None:
        self.files.append(_SourceFile(path, graph))

    def locate(self, node, _depth: int = 0) -> tuple[Path | None, int | None]:
        for source in self.files:
            if (node, None, None) in source.graph:
                return self._in(source, node, _depth)
        for source in self.files:
            if (None, None, node) in source.graph:
                return self._in(source, node, _depth)
        return None, None

    def _in(self, source: _SourceFile, node, depth: int) -> tuple[Path, int | None]:
        if isinstance(node, URIRef):
            return source.path, source.line_of(str(node))
        if isinstance(node, BNode) and depth < 8:
            # a blank node is written inside its parent: report the parent's line
            for parent in source.graph.subjects(None, node):
                if parent != node:
                    return source.path, self._in(source, parent, depth + 1)[1]
        return source.path, None


# --- SPARQL rules, once over the whole graph ----------------------------------------------------
# pyshacl runs a SPARQL-based constraint once per focus node (a few ms each on rdflib's engine,
# DESIGN.md §10); the same rule as one query on Oxigraph, with the target joined in, takes
# milliseconds for the whole graph, however many proposals there are.

@dataclass(frozen=True)
class _Rule:
    shape: URIRef | BNode
    constraint: URIRef | BNode
    query: str
    severity: URIRef
    messages: tuple


_UNSUPPORTED = re.compile(r"\$(PATH|currentShape|shapesGraph|value)\b")


def _extract_rules(shapes: Graph) -> list[_Rule]:
    """The SPARQL constraints of node shapes, as whole-graph queries with their targets."""
    found = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        select = shapes.value(constraint, SH.select)
        if (select is None or _UNSUPPORTED.search(str(select))
                or shapes.value(shape, SH.path) is not None
                or shapes.value(constraint, SH.deactivated) == Literal(True)):
            continue
        targets = [f"{{ ?this a/<{RDFS.subClassOf}>* <{c}> }}"
                   for c in shapes.objects(shape, SH.targetClass)]
        targets += [f"{{ ?this <{p}> ?_target }}"
                    for p in shapes.objects(shape, SH.targetSubjectsOf)]
        targets += [f"{{ ?_target <{p}> ?this }}"
                    for p in shapes.objects(shape, SH.targetObjectsOf)]
        targets += [f"{{ BIND (<{n}> AS ?this) }}" for n in shapes.objects(shape, SH.targetNode)
                    if isinstance(n, URIRef)]
        if not targets:  # implicit class targets and the like: left to pyshacl
            continue
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for source in shapes.objects(constraint, SH.prefixes)
            for d in shapes.objects(source, SH.declare))
        query = (f"{prefixes}SELECT DISTINCT * WHERE {{\n"
                 f"  {{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(targets)} }} }}\n"
                 f"  {{ {select} }}\n}}")
        messages = tuple(shapes.objects(constraint, SH.message)) or tuple(
            shapes.objects(shape, SH.message))
        found.append(_Rule(shape, constraint, query,
                           shapes.value(shape, SH.severity) or SH.Violation, messages))
    return found


def _to_oxigraph(term, blanks: dict):
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return blanks.setdefault(term, ox.BlankNode())
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _from_oxigraph(term, blanks: dict):
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return blanks.get(term.value, BNode(term.value))
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


def _run_rules(found: list[_Rule], data: Graph, report: Graph) -> set[URIRef]:
    """Run the rules on an Oxigraph copy of the data; add their results to pyshacl's report."""
    import pyoxigraph as ox

    to_ox: dict = {}
    store = ox.Store()
    store.bulk_extend(ox.Quad(_to_oxigraph(s, to_ox), _to_oxigraph(p, to_ox),
                              _to_oxigraph(o, to_ox)) for s, p, o in data)
    back = {ox_node.value: node for node, ox_node in to_ox.items()}
    root = report.value(predicate=RDF.type, object=SH.ValidationReport)
    severities = set()
    for rule in found:
        try:
            solutions = store.query(rule.query)
        except SyntaxError as error:
            raise InputError(f"a SPARQL constraint in the shapes does not parse: {error}") from None
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            bound = {n: _from_oxigraph(solution[n], back) for n in names if solution[n] is not None}
            focus = bound["this"]
            result = BNode()
            report.add((root, SH.result, result))
            report.add((result, RDF.type, SH.ValidationResult))
            report.add((result, SH.focusNode, focus))
            report.add((result, SH.value, bound.get("value", focus)))
            if "path" in bound:
                report.add((result, SH.resultPath, bound["path"]))
            report.add((result, SH.resultSeverity, rule.severity))
            report.add((result, SH.sourceShape, rule.shape))
            report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            for message in rule.messages:
                text = str(message)
                for name, value in bound.items():
                    placeholder = r"\{[?$]" + re.escape(name) + r"\}"
                    text = re.sub(placeholder, lambda _, v=value: str(v), text)
                report.add((result, SH.resultMessage, Literal(text, lang=message.language)))
            severities.add(rule.severity)
    return severities


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
    """The files to validate: PATHs replace the bundled data, the bundled ontology stays."""
    if not paths:
        if not bundled:
            raise InputError("--no-bundled needs at least one PATH to validate")
        return graph_sources()
    files = graph_sources(include_data=False) if bundled else []
    return _unique([*files, *expand(paths)])


def load_shapes(paths: Sequence[Path] | None = None) -> Graph:
    """The shapes graph (bundled shapes unless PATHs are given), parsed once per file version."""
    return _prepared_shapes(paths)[0]


def _prepared_shapes(paths: Sequence[Path] | None) -> tuple[Graph, Graph, list[_Rule]]:
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
            whole_graph_rules = _extract_rules(graph) if not paths else []
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
    for path in files:
        graph = _parse_cached(path)
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
            found = _run_rules(whole_graph_rules, data, report_graph)
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


# --- reporting --------------------------------------------------------------------------------

def _short(text: str | None) -> str:
    if text is None:
        return ""
    return f"<{text}>" if text.startswith(("http://", "https://", "urn:")) else repr(text)


def format_text(report: Report) -> str:
    lines: list[str] = []
    current = object()
    for r in report.results:
        if r.file != current:
            if lines:
                lines.append("")
            current = r.file
        place = f"{r.file or '(no file)'}:{r.line}" if r.line else (r.file or "(no file)")
        details = [f"focus {_short(r.focus)}"]
        if r.path:
            details.append(f"path {r.path}")
        if r.value is not None:
            details.append(f"value {_short(r.value)}")
        lines.append(f"{place}: {r.severity}: {r.message} ({', '.join(details)}) [{r.rule}]")
    if lines:
        lines.append("")
    summary = (f"{report.count('violation')} violation(s), {report.count('warning')} warning(s), "
               f"{report.count('info')} info in {report.files} file(s), {report.triples} triples, "
               f"{report.seconds:.2f} s")
    lines.append(("conforms: " if report.conforms else "does not conform: ") + summary)
    return "\n".join(lines)


def format_json(report: Report) -> str:
    body = {"conforms": report.conforms, "results": [asdict(r) for r in report.results]}
    return json.dumps(body, indent=2, ensure_ascii=False)


def _gh_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(report: Report) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per result."""
    commands = {"violation": "error", "warning": "warning", "info": "notice"}
    lines = []
    for r in report.results:
        props = []
        if r.file:
            props.append(f"file={_gh_escape(r.file, True)}")
            if r.line:
                props.append(f"line={r.line}")
        props.append(f"title={_gh_escape(f'plenipot validate: {r.rule}', True)}")
        details = f" (focus {r.focus}" + (f", path {r.path}" if r.path else "") + (
            f", value {r.value})" if r.value is not None else ")")
        lines.append(f"::{commands.get(r.severity, 'error')} {','.join(props)}::"
                     f"{_gh_escape(r.message + details)}")
    return "\n".join(lines)


def format_turtle(report: Report) -> str:
    return report.graph.serialize(format="turtle")


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github,
              "turtle": format_turtle}


def cli_validate(args) -> int:
    """``plenipot validate``: 0 conforms, 1 violations (or warnings with --strict), 2 unreadable."""
    report = validate(args.paths, shapes=args.shapes, bundled=not args.no_bundled,
                      strict=args.strict)
    output = FORMATTERS[args.format](report)
    if output:
        print(output, file=sys.stdout)
    failing = report.count("violation") + (len(report.results) if args.strict else 0)
    return 1 if failing else 0
