"""The W3C SHACL test suite (vendored in w3c/), read from its manifests, and the comparison of a
``plenipot validate --format json`` report with a case's expected ``sh:ValidationReport``.

The comparison follows pySHACL's own runner: ``conforms`` must agree, and the results must be
the same multiset of (focus node, path, severity, source shape, constraint component, value),
where a blank node in the expected report stands for any node (blank nodes are not shared
between two parses) and a path is compared as the SPARQL text that ``validate`` prints.
"""

import contextlib
import io
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from plenipot.cli.main import main
from plenipot.namespaces import bind_all
from plenipot.validation.pyshacl_engine import literals_as_written

SUITE = Path(__file__).parent / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
ANY = "*"
_SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Case:
    name: str  # e.g. core/node/class-001
    data: Path
    shapes: Path
    expected: Graph
    result: object  # the mf:result node: a sh:ValidationReport, or sht:Failure

    @property
    def expects_failure(self) -> bool:
        return self.result == SHT.Failure

    def __str__(self) -> str:
        return self.name


def _file(iri: URIRef) -> Path:
    return Path(str(iri).removeprefix("file://"))


def cases(part: str) -> list[Case]:
    """Every sht:Validate case under w3c/PART (``core`` or ``sparql``), in manifest order."""
    found: list[Case] = []
    _collect(SUITE / part / "manifest.ttl", found)
    return found


def _collect(manifest: Path, found: list[Case]) -> None:
    graph = Graph()
    with literals_as_written():  # the expected values as the suite writes them
        graph.parse(manifest, format="turtle", publicID=manifest.resolve().as_uri())
    root = URIRef(manifest.resolve().as_uri())
    for include in graph.objects(root, MF.include):
        _collect(_file(include), found)
    for entries in graph.objects(root, MF.entries):
        for entry in Collection(graph, entries):
            if (entry, RDF.type, SHT.Validate) not in graph:
                continue
            action = graph.value(entry, MF.action)
            data = _file(graph.value(action, SHT.dataGraph))
            shapes = _file(graph.value(action, SHT.shapesGraph))
            relative = _file(entry).relative_to(SUITE)
            name = relative.parent.as_posix() + "/" + str(entry).rsplit("/", 1)[1]
            found.append(Case(name.replace(".ttl", ""), data, shapes, graph,
                              graph.value(entry, MF.result)))


def _path_text(graph: Graph, path, names) -> str:
    """A SHACL path as SPARQL text, as ``validate`` prints it (prefixed names from NAMES)."""
    if isinstance(path, URIRef):
        return names.normalizeUri(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(graph, inverse, names)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(graph, p, names)
                              for p in Collection(graph, alternatives)) + ")"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_text(graph, p, names) for p in Collection(graph, path))
    for keyword, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                            (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, keyword)
        if inner is not None:
            return _path_text(graph, inner, names) + suffix
    return str(path)


def _term(node) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return ANY
    return str(node)


def expected_results(case: Case) -> tuple[bool, Counter]:
    graph = case.expected
    names = bind_all(Graph())  # the prefixes validate prints paths with: the shapes file's
    names.parse(case.shapes, format="turtle")
    conforms = graph.value(case.result, SH.conforms)
    results = Counter()
    for result in graph.objects(case.result, SH.result):
        path = graph.value(result, SH.resultPath)
        severity = graph.value(result, SH.resultSeverity)
        results[(
            _term(graph.value(result, SH.focusNode)),
            _path_text(graph, path, names.namespace_manager) if path is not None else "",
            _SEVERITIES.get(severity, str(severity)),
            _term(graph.value(result, SH.sourceShape)),
            _term(graph.value(result, SH.sourceConstraintComponent)),
            _term(graph.value(result, SH.value)),
        )] += 1
    return isinstance(conforms, Literal) and conforms.toPython() is True, results


def actual_results(body: dict) -> Counter:
    return Counter(
        (r["focus"], r["path"] or "", r["severity"], r["source_shape"], r["component"],
         r["value"] if r["value"] is not None else "")
        for r in body["results"]
    )


def run(case: Case, argv_prefix: tuple[str, ...] = ()) -> tuple[int, str, str]:
    """``plenipot validate --no-bundled DATA --shapes SHAPES --format json`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    argv = ["validate", "--no-bundled", str(case.data), "--shapes", str(case.shapes),
            "--format", "json", *argv_prefix]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def matches(expected: Counter, actual: Counter) -> bool:
    """Each expected result paired with one actual result; ``*`` matches anything."""
    remaining = list(actual.elements())
    for key in expected.elements():
        for i, candidate in enumerate(remaining):
            if all(e in (ANY, a) for e, a in zip(key, candidate, strict=True)):
                del remaining[i]
                break
        else:
            return False
    return not remaining


def check(case: Case, code: int, stdout: str, stderr: str) -> str | None:
    """None if the report is the expected one, else what differs."""
    if case.expects_failure:
        return None if code == 2 and "Traceback" not in stderr else (
            f"expected a failure (exit 2), got exit {code}: {stderr[-300:]}")
    if code not in (0, 1) or "Traceback" in stderr:
        return f"exit {code}: {stderr[-500:]}"
    body = json.loads(stdout)
    conforms, expected = expected_results(case)
    actual = actual_results(body)
    if body["conforms"] != conforms:
        return f"conforms {body['conforms']}, expected {conforms}"
    if not matches(expected, actual):
        return (f"results differ:\n  expected {sorted(expected.elements())}\n"
                f"  actual   {sorted(actual.elements())}")
    return None
