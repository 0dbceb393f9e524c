"""SHACL core constraints compiled into SPARQL queries that run once over the whole graph on
Oxigraph (decision 0006): one query per constraint, whatever the number of focus nodes.

``compile_shapes`` turns a shapes graph into ``Check``s, each a SELECT whose solutions are the
results of one constraint (``?this``, and ``?value`` where the result has a value). Nested shapes
(``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``) become ``EXISTS`` tests of the
nested shape's own failure pattern. Anything this compiler does not handle exactly — closed
shapes, qualified value shapes, recursive shapes, custom constraint components, SPARQL-based
constraints other than the bundled shapes' whole-graph rules, malformed constraints — raises
``Unsupported``, and the caller leaves the whole validation to pySHACL.
"""

from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SH

from plenipot.validation.constraints import (  # noqa: F401  (Unsupported and the rest: API)
    _CLASS,
    _MEMBER,
    _TARGETS,
    DERIVED_INTEGERS,
    FOCUS_GRAPH,
    Compiler,
    Unsupported,
    term,
)


@dataclass(frozen=True)
class Check:
    shape: URIRef | BNode  # sh:sourceShape
    component: URIRef  # sh:sourceConstraintComponent
    query: str  # SELECT ?this [?value]
    severity: URIRef
    messages: tuple  # sh:message literals (may be empty: a default is used)
    path: object  # sh:resultPath (a path node of the shapes graph), or None
    default_message: str
    flags: tuple = ()  # several value constraints in one query: ?_f0, ?_f1 … say which failed


@dataclass(frozen=True)
class Compiled:
    """The focus sets to compute first (SPARQL updates into FOCUS_GRAPH), then the checks."""

    updates: tuple[str, ...]
    checks: tuple[Check, ...]


def _targets(g: Graph, shape) -> list[str]:
    found = [f"{{ ?this {_CLASS} {term(c)} }}" for c in g.objects(shape, SH.targetClass)]
    if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
        found.append(f"{{ ?this {_CLASS} {term(shape)} }}")  # implicit class target
    found += [f"{{ ?this {term(p)} ?_t }}" for p in g.objects(shape, SH.targetSubjectsOf)]
    found += [f"{{ ?_t {term(p)} ?this }}" for p in g.objects(shape, SH.targetObjectsOf)]
    found += [f"{{ VALUES ?this {{ {term(n)} }} }}" for n in g.objects(shape, SH.targetNode)
              if not isinstance(n, BNode)]
    return found


def compile_shapes(shapes: Graph) -> Compiled:
    """One Check per constraint of every shape that has targets, and of the shapes reached from
    them through sh:property (once per way they are reached, as SHACL reports them).
    ``Unsupported`` if any part needs pySHACL."""
    g = shapes
    if any(any(g.subjects(p, None)) for p in (
            SH.sparql, SH.parameter, SH.validator, SH.nodeValidator, SH.propertyValidator)):
        raise Unsupported("SPARQL-based constraints or constraint components")
    compiler = Compiler(g)
    checks: list[Check] = []
    roots = {s for p in _TARGETS for s in g.subjects(p, None)} | {
        s for s in g.subjects(RDF.type, SH.NodeShape)
        if (s, RDF.type, RDFS.Class) in g or (s, RDF.type, OWL.Class) in g}
    focus_sets: dict[str, str] = {}  # target pattern -> the IRI of its focus set
    for shape in sorted(roots, key=str):
        targets = _targets(g, shape)
        if targets:
            pattern = " UNION ".join(sorted(targets))
            key = focus_sets.setdefault(pattern, f"{FOCUS_GRAPH}:{len(focus_sets)}")
            focus = f"GRAPH <{FOCUS_GRAPH}> {{ <{key}> <{_MEMBER}> ?this }}"
            _walk(compiler, shape, focus, checks, [])
    for cls, key in compiler.classes.items():
        focus_sets[f"?this {_CLASS} {term(cls)}"] = key
    updates = tuple(f"INSERT {{ GRAPH <{FOCUS_GRAPH}> {{ <{key}> <{_MEMBER}> ?this }} }} "
                    f"WHERE {{ {pattern} }}" for pattern, key in focus_sets.items())
    return Compiled(updates, tuple(checks))


def _walk(compiler: Compiler, shape, focus: str, checks: list[Check], parents: list,
          keys: str = "") -> None:
    """The checks of SHAPE on the focus nodes bound by FOCUS. KEYS: the variables of the parent
    focus nodes, so that a node reached from two parents is reported for each, as SHACL does."""
    g = compiler.g
    if shape in parents or len(parents) > 16:
        raise Unsupported("a recursive sh:property")
    compiler.refuse_unknown(shape)
    if g.value(shape, SH.deactivated) == Literal(True):
        return
    severity = g.value(shape, SH.severity) or SH.Violation
    messages = tuple(g.objects(shape, SH.message))
    path = g.value(shape, SH.path)
    compiler.active = [shape]

    def add(component: URIRef, query: str) -> None:
        checks.append(Check(shape, component, query, severity, messages, path,
                            default_message(component)))

    filters = compiler.value_filters(shape, "?value")
    if filters:  # one pass over the value nodes for all of the shape's value constraints
        binds = " ".join(f"BIND (COALESCE({test}, false) AS ?_f{i})"
                         for i, (_, test) in enumerate(filters))
        flags = " ".join(f"?_f{i}" for i in range(len(filters)))
        query = (f"SELECT DISTINCT ?this ?value {keys} {flags} WHERE {{ {focus} "
                 f"{compiler.values(shape, '?this', '?value')} {binds} "
                 f"FILTER ({' || '.join(f'?_f{i}' for i in range(len(filters)))}) }}")
        checks.append(Check(shape, filters[0][0], query, severity, messages, path,
                            default_message(filters[0][0]), tuple(c for c, _ in filters)))
    for component, pattern, binds in compiler.focus_patterns(shape, "?this", top=True):
        if "GROUP BY ?this" in pattern:  # a count above 2
            pattern = pattern.replace("GROUP BY ?this", f"GROUP BY ?this {keys}")
            add(component, f"SELECT ?this {keys} WHERE {{ {focus} {pattern}")
            continue
        projected = {SH.UniqueLangConstraintComponent: "?_lang",  # one result per language
                     SH.LessThanConstraintComponent: "?value ?_other",  # one per pair
                     SH.LessThanOrEqualsConstraintComponent: "?value ?_other",
                     }.get(component, "?value" if binds else "")
        add(component, f"SELECT DISTINCT ?this {projected} {keys} WHERE {{ {focus} {pattern} }}")
    for child in g.objects(shape, SH.property):
        child_focus, child_keys = focus, keys
        if path is not None:  # a property shape's sh:property: its value nodes are the focus
            parent = compiler.var()
            child_keys = f"{keys} {parent}"
            child_focus = (f"{{ SELECT DISTINCT ?this {child_keys} WHERE {{ {{ SELECT DISTINCT "
                           f"{keys} (?this AS {parent}) WHERE {{ {focus} }} }} "
                           f"{parent} {compiler.path(path)} ?this }} }}")
        _walk(compiler, child, child_focus, checks, [*parents, shape], child_keys)


def default_message(component: URIRef) -> str:
    name = str(component).rsplit("#", 1)[1].removesuffix("ConstraintComponent")
    return f"Value does not satisfy the sh:{name[0].lower()}{name[1:]} constraint"
