"""SHACL validation of the graph, each result traced to the file and line of its focus node.

Two engines, chosen per run (decision 0006). The default compiles the shapes' core constraints
into SPARQL queries (``compiled.py``) and runs each once over the whole graph on Oxigraph, the
data parsed straight into Oxigraph (``load.py``); the bundled shapes' SPARQL-based rules run the
same way (``rules.py``). Shapes the compiler does not take, or data whose literals Oxigraph
would rewrite, go to pySHACL on rdflib (``pyshacl_engine.py``). Results are located through
the one-pass index of ``sources.locate``. The report follows SHACL: it conforms only if there
is no result at all (the command's exit code still lets warnings pass without --strict).
"""

import dataclasses
import functools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, Graph, Literal
from rdflib.namespace import SH

from plenipot.errors import InputError
from plenipot.namespaces import bind_all
from plenipot.sources.bundled import bundled_files, graph_sources
from plenipot.sources.rdf import expand, parse_file
from plenipot.validation.compiled import DERIVED_INTEGERS, Compiled, Unsupported, compile_shapes
from plenipot.validation.load import load_store
from plenipot.validation.outcome import (  # noqa: F401  (the validation API)
    SEVERITIES,
    SEVERITY_ORDER,
    SHAPES_BASE,
    Report,
    Result,
    display,
    report_from_raws,
    results_from_graph,
    results_from_raws,
)
from plenipot.validation.pyshacl_engine import (  # noqa: F401  (the caches, for benchmarks)
    _PARSED,
    _PREPARED,
    LOCK,
    literals_as_written,
    load_data,
    run_pyshacl,
)
from plenipot.validation.rules import (
    Rule,
    add_to_graph,
    extract_rules,
    oxigraph_store,
    run_checks,
    run_rules,
)

_SHAPES_CACHE: dict[tuple, "Shapes"] = {}
_DERIVED = {str(d) for d in DERIVED_INTEGERS}


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
    checks: Compiled | None  # the compiled core constraints; None: pySHACL only


def _prepared_shapes(paths: Sequence[Path] | None) -> Shapes:
    """Only the bundled shapes' rules are run over the whole graph (they bind ``$this`` in a
    triple pattern, which makes that equivalent); other SPARQL constraints go to pySHACL."""
    files = _unique(expand(paths)) if paths else bundled_files("shapes")
    if not files:
        raise InputError("no shapes files to validate against")
    key = tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    with LOCK:
        if key not in _SHAPES_CACHE:
            graph = bind_all(Graph())
            with literals_as_written():
                for path in files:
                    parse_file(path, graph)
            _declare_imported_prefixes(graph)
            rules = extract_rules(graph) if not paths else []
            for_pyshacl = bind_all(Graph())
            for_pyshacl += graph
            if rules:
                for rule in rules:
                    for_pyshacl.remove((rule.shape, SH.sparql, rule.constraint))
            _drop_other_booleans(for_pyshacl)
            try:
                checks = compile_shapes(for_pyshacl)
            except Unsupported:
                checks = None
            _SHAPES_CACHE.clear()
            _SHAPES_CACHE[key] = Shapes(graph, for_pyshacl, rules, checks)
        return _SHAPES_CACHE[key]


def _drop_other_booleans(shapes: Graph) -> None:
    """SHACL switches a boolean parameter on with the literal true only: "1"^^xsd:boolean
    leaves it off (W3C core/property/uniqueLang-002), but pySHACL reads its value. Remove
    such values, so that both engines leave the parameter off."""
    true = Literal(True)
    for parameter in (SH.uniqueLang, SH.closed, SH.deactivated, SH.qualifiedValueShapesDisjoint):
        for shape, value in list(shapes.subject_objects(parameter)):
            if value != true or str(value) != "true":
                shapes.remove((shape, parameter, value))


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

def validate(
    paths: Sequence[Path] = (),
    shapes: Sequence[Path] | None = None,
    bundled: bool = True,
    strict: bool = False,
    engine: str = "auto",
    indexes: dict | None = None,
) -> Report:
    """Validate PATHs (default: the bundled data) against the shapes (InputError if unreadable).

    ``strict`` is kept for callers: a report conforms only without any result, so it no longer
    changes the report (the command uses it for its exit code). ``engine="pyshacl"`` skips the
    compiled engine (the tests compare the two). ``indexes``: ``FileIndex``es already made
    for some files, by resolved path (``plenipot import`` knows where it wrote each subject)."""
    del strict
    started = time.perf_counter()
    files = data_files(paths, bundled)
    prepared = _prepared_shapes(shapes)
    report_graph = None
    wanted, engine = engine, "pyshacl"
    if prepared.checks is not None and wanted != "pyshacl":
        store, index = load_store(files, indexes)
        # Oxigraph stores literals canonically: "4.0" comes back as 4, xsd:int as xsd:integer.
        # Where the data writes such literals, only pySHACL gives the results as SHACL defines.
        if not (index.datatypes() & _DERIVED or index.rewritten()):
            triples = len(store)  # the data's: the checks add the shapes' own triples
            raws = run_checks(prepared.checks, store) + run_rules(prepared.rules, store, {})
            results = results_from_raws(raws, prepared.graph, index)
            report_graph = functools.partial(report_from_raws, raws, prepared.graph)
            engine = "compiled"
    if report_graph is None:  # pySHACL, on rdflib
        data, index = load_data(files)
        report_graph = bind_all(run_pyshacl(data, prepared.for_pyshacl))
        root = report_graph.value(predicate=RDF.type, object=SH.ValidationReport)
        if prepared.rules:
            store, back = oxigraph_store(data)
            for raw in run_rules(prepared.rules, store, back):
                add_to_graph(report_graph, root, raw)
        report_graph.set((root, SH.conforms, Literal(report_graph.value(root, SH.result) is None)))
        results = results_from_graph(report_graph, root, prepared.graph, index)
        triples = len(data)
    if paths and bundled:
        results = _about_the_given_files(results, index, paths)
    results.sort(key=lambda r: (r.file is None, r.file or "", r.line or 0,
                                SEVERITY_ORDER.get(r.severity, 3), r.message))
    return Report(not results, results, report_graph, len(files), triples,
                  time.perf_counter() - started, engine)


def _about_the_given_files(results: list[Result], index, paths: Sequence[Path]) -> list[Result]:
    """The results about what the given files describe: the bundled data is there for them to
    refer to, and its own results are not theirs to fix. A node that a given file describes is
    located in that file, even where a bundled file describes it too."""
    given = {path.resolve() for path in expand(paths)}
    theirs = [f for f in index.files if f.path.resolve() in given]
    kept = []
    for result in results:
        if result.file is not None and Path(result.file).resolve() in given:
            kept.append(result)
            continue
        for file in theirs:
            line = file.subjects.get(result.focus)
            if line is not None:
                kept.append(dataclasses.replace(result, file=display(file.path), line=line))
                break
    return kept
