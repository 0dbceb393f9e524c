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

import itertools
from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDFS, SH, XSD


class Unsupported(Exception):
    """A shapes graph (or a part of it) that only pySHACL validates."""


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


# Each shape's focus nodes (its targets) are computed once into a graph of their own, so that
# the checks of its constraints join an index instead of re-evaluating the targets each time.
FOCUS_GRAPH = "urn:plenipot:validation:focus"
_MEMBER = "urn:plenipot:validation:member"

_PARAMETERS = {  # constraint parameters this compiler knows
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minInclusive,
    SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern,
    SH.flags, SH.languageIn, SH.uniqueLang, SH["in"], SH.hasValue, SH.equals, SH.disjoint,
    SH.lessThan, SH.lessThanOrEquals, SH["not"], SH["and"], SH["or"], SH.xone, SH.node,
    SH.property,
}
SH_NS = str(SH)
_REFUSED = {SH.closed, SH.ignoredProperties, SH.qualifiedValueShape, SH.qualifiedMinCount,
            SH.qualifiedMaxCount, SH.sparql, SH.target, URIRef(SH_NS + "targetShape")}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_KNOWN = _PARAMETERS | set(_TARGETS) | {
    SH.path, SH.severity, SH.message, SH.deactivated, SH.name, SH.description, SH.order,
    SH.group, SH.defaultValue, SH.flags}
# Oxigraph stores these as xsd:integer, so a datatype check on them cannot be exact here
DERIVED_INTEGERS = {XSD[n] for n in (
    "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}
# datatypes whose lexical forms Oxigraph can check, by casting the string to them
_CASTABLE = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date,
             XSD.dateTime, XSD.time, XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration}
_NODE_KINDS = {SH.IRI: "!isIRI({v})", SH.BlankNode: "!isBlank({v})",
               SH.Literal: "!isLiteral({v})", SH.BlankNodeOrIRI: "isLiteral({v})",
               SH.BlankNodeOrLiteral: "isIRI({v})", SH.IRIOrLiteral: "isBlank({v})"}
_CLASS = f"<{RDF.type}>/<{RDFS.subClassOf}>*"


def term(node) -> str:
    """An rdflib term as SPARQL text."""
    if isinstance(node, URIRef):
        text = str(node)
        if any(c in text for c in '<>"{}|^`\\ \n'):
            raise Unsupported(f"an IRI that cannot be written in SPARQL: {text!r}")
        return f"<{text}>"
    if isinstance(node, Literal):
        text = (str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                .replace("\r", "\\r"))
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype and node.datatype != XSD.string:
            return f'"{text}"^^<{node.datatype}>'
        return f'"{text}"'
    raise Unsupported("a blank node where a constant is needed")


class _Compiler:
    def __init__(self, shapes: Graph):
        self.g = shapes
        self.counter = itertools.count()
        self.active: list = []  # shapes being compiled, to refuse recursion
        self.classes: dict = {}  # sh:class values -> the IRI of their set of instances

    def instances(self, cls) -> str:
        """The IRI of the set of instances of CLS (and of its subclasses), computed first."""
        if not isinstance(cls, URIRef):
            raise Unsupported("sh:class is not an IRI")
        return self.classes.setdefault(cls, f"{FOCUS_GRAPH}:class:{len(self.classes)}")

    def var(self) -> str:
        return f"?_v{next(self.counter)}"

    def one(self, node, parameter):
        values = list(self.g.objects(node, parameter))
        if len(values) != 1:
            raise Unsupported(f"{parameter} must have exactly one value")
        return values[0]

    def items(self, node, parameter) -> list:
        head = self.one(node, parameter)
        if head != RDF.nil and self.g.value(head, RDF.first) is None:
            raise Unsupported(f"{parameter} is not a list")
        return list(Collection(self.g, head))

    def integer(self, node, parameter) -> int:
        value = self.one(node, parameter)
        if not (isinstance(value, Literal) and value.datatype == XSD.integer
                and isinstance(value.toPython(), int)):
            raise Unsupported(f"{parameter} is not an xsd:integer")
        return value.toPython()

    # --- paths -----------------------------------------------------------------------------

    def path(self, node, depth: int = 0) -> str:
        if depth > 32:
            raise Unsupported("a path nested too deeply")
        g = self.g
        if isinstance(node, URIRef):
            return term(node)
        if g.value(node, RDF.first) is not None:
            steps = list(Collection(g, node))
            if len(steps) < 2:
                raise Unsupported("a sequence path of fewer than two steps")
            return "(" + "/".join(self.path(s, depth + 1) for s in steps) + ")"
        for keyword, text in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                              (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
            inner = g.value(node, keyword)
            if inner is not None:
                return text.format(self.path(inner, depth + 1))
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(a, depth + 1)
                                  for a in Collection(g, alternatives)) + ")"
        raise Unsupported("a path this compiler does not know")

    def values(self, shape, focus: str, value: str) -> str:
        """The pattern binding VALUE to each value node of SHAPE at FOCUS."""
        path = self.g.value(shape, SH.path)
        if path is None:
            return f"BIND ({focus} AS {value})"
        return f"{focus} {self.path(path)} {value} ."

    # --- constraints on each value node: FILTER expressions true when VALUE fails ----------

    def value_filters(self, shape, v: str) -> list[tuple[URIRef, str]]:
        g = self.g
        found = []
        for c in g.objects(shape, SH["class"]):
            found.append((SH.ClassConstraintComponent,
                          f"NOT EXISTS {{ GRAPH <{FOCUS_GRAPH}> {{ <{self.instances(c)}> "
                          f"<{_MEMBER}> {v} }} }}"))
        for d in g.objects(shape, SH.datatype):
            found.append((SH.DatatypeConstraintComponent, self.datatype(d, v)))
        for kind in g.objects(shape, SH.nodeKind):
            if kind not in _NODE_KINDS:
                raise Unsupported("an unknown sh:nodeKind")
            found.append((SH.NodeKindConstraintComponent, _NODE_KINDS[kind].format(v=v)))
        for parameter, operator, component in (
                (SH.minInclusive, ">=", SH.MinInclusiveConstraintComponent),
                (SH.maxInclusive, "<=", SH.MaxInclusiveConstraintComponent),
                (SH.minExclusive, ">", SH.MinExclusiveConstraintComponent),
                (SH.maxExclusive, "<", SH.MaxExclusiveConstraintComponent)):
            for bound in g.objects(shape, parameter):
                if not isinstance(bound, Literal):
                    raise Unsupported(f"{parameter} is not a literal")
                found.append((component, f"!COALESCE({v} {operator} {term(bound)}, false)"))
        for parameter, operator, component in (
                (SH.minLength, ">=", SH.MinLengthConstraintComponent),
                (SH.maxLength, "<=", SH.MaxLengthConstraintComponent)):
            if (shape, parameter, None) in g:
                n = self.integer(shape, parameter)
                found.append((component,
                              f"(isBlank({v}) || !(STRLEN(STR({v})) {operator} {n}))"))
        for pattern in g.objects(shape, SH.pattern):
            flags = [str(f) for f in g.objects(shape, SH.flags)]
            if len(flags) > 1 or not isinstance(pattern, Literal):
                raise Unsupported("sh:pattern with several sh:flags")
            if flags and set(flags[0]) - set("imsx"):
                raise Unsupported("sh:flags other than i, m, s, x")
            args = term(Literal(str(pattern))) + (f', "{flags[0]}"' if flags else "")
            found.append((SH.PatternConstraintComponent,
                          f"(isBlank({v}) || !REGEX(STR({v}), {args}))"))
        if (shape, SH.languageIn, None) in g:
            tags = self.items(shape, SH.languageIn)
            if not all(isinstance(t, Literal) for t in tags):
                raise Unsupported("sh:languageIn with a non-literal")
            matches = " || ".join(f"langMatches(lang({v}), {term(Literal(str(t)))})"
                                  for t in tags) or "false"
            found.append((SH.LanguageInConstraintComponent,
                          f"(!isLiteral({v}) || !({matches}))"))
        if (shape, SH["in"], None) in g:
            members = [f"sameTerm({v}, {term(m)})" for m in self.items(shape, SH["in"])
                       if not isinstance(m, BNode)]
            found.append((SH.InConstraintComponent, f"!({' || '.join(members) or 'false'})"))
        for nested in g.objects(shape, SH.node):
            found.append((SH.NodeConstraintComponent, f"EXISTS {{ {self.fails(nested, v)} }}"))
        for nested in g.objects(shape, SH["not"]):
            found.append((SH.NotConstraintComponent, f"NOT EXISTS {{ {self.fails(nested, v)} }}"))
        if (shape, SH["and"], None) in g:
            tests = [f"EXISTS {{ {self.fails(s, v)} }}" for s in self.items(shape, SH["and"])]
            found.append((SH.AndConstraintComponent, " || ".join(tests) or "false"))
        if (shape, SH["or"], None) in g:
            tests = [f"EXISTS {{ {self.fails(s, v)} }}" for s in self.items(shape, SH["or"])]
            found.append((SH.OrConstraintComponent, " && ".join(tests) or "true"))
        if (shape, SH.xone, None) in g:
            count = " + ".join(f"IF(EXISTS {{ {self.fails(s, v)} }}, 0, 1)"
                               for s in self.items(shape, SH.xone)) or "0"
            found.append((SH.XoneConstraintComponent, f"({count}) != 1"))
        return found

    @staticmethod
    def datatype(d, v: str) -> str:
        if not isinstance(d, URIRef):
            raise Unsupported("sh:datatype is not an IRI")
        if d in DERIVED_INTEGERS:
            raise Unsupported(f"sh:datatype {d} (Oxigraph stores it as xsd:integer)")
        test = f"(!isLiteral({v}) || datatype({v}) != {term(d)}"
        if d in _CASTABLE:  # an ill-formed literal of the datatype fails too
            test += f" || !COALESCE(isLiteral({term(d)}(STR({v}))), false)"
        return test + ")"

    # --- constraints on the set of value nodes: patterns that match when FOCUS fails -------

    def focus_patterns(self, shape, focus: str, top: bool) -> list[tuple[URIRef, str, bool]]:
        """(component, pattern, binds ?value) — at top level as subqueries with GROUP BY."""
        g = self.g
        path_node = g.value(shape, SH.path)
        found = []
        if path_node is not None:
            path = self.path(path_node)
            if (shape, SH.minCount, None) in g:
                n = self.integer(shape, SH.minCount)
                found.append((SH.MinCountConstraintComponent,
                              self.count(focus, path, n, top, "<"), False))
            if (shape, SH.maxCount, None) in g:
                n = self.integer(shape, SH.maxCount)
                found.append((SH.MaxCountConstraintComponent,
                              self.count(focus, path, n, top, ">"), False))
            if g.value(shape, SH.uniqueLang) == Literal(True):
                a, b = self.var(), self.var()
                found.append((SH.UniqueLangConstraintComponent,
                              f"{{ SELECT DISTINCT {focus} (LCASE(lang({a})) AS ?_lang) WHERE "
                              f"{{ {focus} {path} {a} . {focus} {path} {b} . FILTER "
                              f"(!sameTerm({a}, {b}) && lang({a}) != \"\" && "
                              f"LCASE(lang({a})) = LCASE(lang({b}))) }} }}"
                              if top else
                              f"{focus} {path} {a} . {focus} {path} {b} . FILTER "
                              f"(!sameTerm({a}, {b}) && lang({a}) != \"\" && "
                              f"LCASE(lang({a})) = LCASE(lang({b})))", False))
            for value in g.objects(shape, SH.hasValue):
                found.append((SH.HasValueConstraintComponent,
                              f"FILTER NOT EXISTS {{ {focus} {path} {term(value)} }}", False))
        elif any((shape, p, None) in g for p in (SH.minCount, SH.maxCount, SH.uniqueLang)):
            raise Unsupported("a cardinality constraint on a node shape")
        else:
            for value in g.objects(shape, SH.hasValue):
                found.append((SH.HasValueConstraintComponent,
                              f"FILTER (!sameTerm({focus}, {term(value)}))", False))
        if top:
            value = "?value"
            values = self.values(shape, focus, value)
        elif path_node is None:  # nested: the focus node is the value (no BIND inside EXISTS)
            value, values = focus, ""
        else:
            value = self.var()
            values = self.values(shape, focus, value)
        for property_ in g.objects(shape, SH.equals):
            other, prop = self.var(), term(property_)
            if path_node is None:
                missing = (f"BIND ({focus} AS {value}) " if top else "") + \
                    f"FILTER NOT EXISTS {{ {focus} {prop} {focus} }}"
                extra_value = value if top else other
                extra = f"{focus} {prop} {extra_value} . FILTER (!sameTerm({extra_value}, {focus}))"
            else:
                missing = f"{values} FILTER NOT EXISTS {{ {focus} {prop} {value} }}"
                extra = (f"{focus} {prop} {value} . FILTER NOT EXISTS "
                         f"{{ {self.values(shape, focus, other)} "
                         f"FILTER (sameTerm({other}, {value})) }}")
            if top:  # two checks: a UNION's branches would not see the focus nodes
                found += [(SH.EqualsConstraintComponent, missing, True),
                          (SH.EqualsConstraintComponent, extra, True)]
            else:
                found.append((SH.EqualsConstraintComponent, f"{{ {missing} }} UNION {{ {extra} }}",
                              True))
        for property_ in g.objects(shape, SH.disjoint):
            found.append((SH.DisjointConstraintComponent,
                          f"{values} {focus} {term(property_)} {value} .", True))
        for parameter, operator, component in (
                (SH.lessThan, "<", SH.LessThanConstraintComponent),
                (SH.lessThanOrEquals, "<=", SH.LessThanOrEqualsConstraintComponent)):
            for property_ in g.objects(shape, parameter):
                other = "?_other" if top else self.var()  # one result per pair of values
                found.append((component, f"{values} {focus} {term(property_)} {other} . "
                              f"FILTER (!COALESCE({value} {operator} {other}, false))", True))
        return found

    def count(self, focus: str, path: str, n: int, top: bool, operator: str) -> str:
        x = self.var()
        if top and n > 2:  # closes the query's WHERE: one group per focus node
            return (f"OPTIONAL {{ {focus} {path} {x} }} }} GROUP BY {focus} "
                    f"HAVING (COUNT(DISTINCT {x}) {operator} {n})")
        if operator == "<" and n == 0:
            return "FILTER (false)"
        if n > 4:
            raise Unsupported("a nested cardinality above 4")
        # fails below n: fewer than n distinct values; above n: n + 1 distinct values exist
        xs = [x] + [self.var() for _ in range(n - 1 if operator == "<" else n)]
        pattern = " ".join(f"{focus} {path} {x} ." for x in xs)
        distinct = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(xs, 2))
        body = pattern + (f" FILTER ({distinct})" if distinct else "")
        return f"FILTER NOT EXISTS {{ {body} }}" if operator == "<" else body

    # --- a nested shape's failure: a pattern with a solution iff FOCUS does not conform ----

    def fails(self, shape, focus: str) -> str:
        if shape in self.active:
            raise Unsupported("a recursive shape")
        self.refuse_unknown(shape)
        if self.g.value(shape, SH.deactivated) == Literal(True):
            return "FILTER (false)"
        self.active.append(shape)
        try:
            branches = []
            has_path = self.g.value(shape, SH.path) is not None
            value = self.var() if has_path else focus
            filters = self.value_filters(shape, value)
            if filters:
                tests = " || ".join(f"({f})" for _, f in filters)
                values = self.values(shape, focus, value) if has_path else ""
                branches.append(f"{values} FILTER ({tests})")
            branches += [p for _, p, _ in self.focus_patterns(shape, focus, top=False)]
            branches += [self.fails(p, focus) for p in self.g.objects(shape, SH.property)]
        finally:
            self.active.pop()
        return " UNION ".join(f"{{ {b} }}" for b in branches) or "FILTER (false)"

    def refuse_unknown(self, shape) -> None:
        for parameter in self.g.predicates(shape):
            if parameter in _REFUSED or (str(parameter).startswith(SH_NS)
                                         and parameter not in _KNOWN):
                raise Unsupported(f"{parameter} is not compiled")
        if isinstance(shape, Literal):
            raise Unsupported("a literal where a shape is expected")


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
    compiler = _Compiler(g)
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


def _walk(compiler: _Compiler, shape, focus: str, checks: list[Check], parents: list,
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
