"""The bundled shapes' SPARQL-based constraints, run once each over the whole graph on Oxigraph.

pyshacl runs a SPARQL-based constraint once per focus node (a few ms each on rdflib's engine,
DESIGN.md §10); the same rule as one query on Oxigraph, with the target joined in, takes
milliseconds for the whole graph, however many proposals there are. A test checks that the
results are the same as pyshacl's for every fixture.
"""

import re
from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH, XSD

from plenipot.errors import InputError
from plenipot.validation.compiled import default_message


@dataclass(frozen=True)
class Rule:
    shape: URIRef | BNode
    constraint: URIRef | BNode
    query: str
    severity: URIRef
    messages: tuple


_UNSUPPORTED = re.compile(r"\$(PATH|currentShape|shapesGraph|value)\b")


def extract_rules(shapes: Graph) -> list[Rule]:
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
        found.append(Rule(shape, constraint, query,
                           shapes.value(shape, SH.severity) or SH.Violation, messages))
    return found


def to_oxigraph(term, blanks: dict):
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


def from_oxigraph(term, blanks: dict):
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return blanks.get(term.value, BNode(term.value))
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


def oxigraph_store(data: Graph):
    """An Oxigraph copy of an rdflib graph, and the map back to its blank nodes."""
    import pyoxigraph as ox

    to_ox: dict = {}
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_oxigraph(s, to_ox), to_oxigraph(p, to_ox),
                              to_oxigraph(o, to_ox)) for s, p, o in data)
    return store, {ox_node.value: node for node, ox_node in to_ox.items()}


@dataclass(frozen=True)
class Raw:
    """One result as found, before it is located: rdflib terms of the data and the shapes."""

    focus: object
    value: object
    path: object  # a path node of the shapes graph, or None
    severity: URIRef
    shape: object
    component: URIRef
    messages: tuple  # Literals, placeholders filled in


def _messages(messages: tuple, bound: dict) -> tuple:
    filled = []
    for message in messages:
        text = str(message)
        if "{" in text:
            for name, term in bound.items():
                placeholder = r"\{[?$]" + re.escape(name) + r"\}"
                text = re.sub(placeholder, lambda _, v=term: str(v), text)
        filled.append(Literal(text, lang=message.language))
    return tuple(filled)


def add_to_graph(report: Graph, root, raw: Raw, shapes: Graph | None = None) -> None:
    """A result as sh:result of the report (a complex path copied from the shapes graph)."""
    result = BNode()
    report.add((root, SH.result, result))
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, raw.focus))
    if raw.value is not None:
        report.add((result, SH.value, raw.value))
    if raw.path is not None:
        report.add((result, SH.resultPath, raw.path))
        if isinstance(raw.path, BNode) and shapes is not None:
            _copy_path(shapes, raw.path, report)
    report.add((result, SH.resultSeverity, raw.severity))
    report.add((result, SH.sourceShape, raw.shape))
    report.add((result, SH.sourceConstraintComponent, raw.component))
    for message in raw.messages:
        report.add((result, SH.resultMessage, message))


def run_rules(found: list[Rule], store, back: dict) -> list[Raw]:
    """Run the rules on an Oxigraph store of the data: their results."""
    raws = []
    for rule in found:
        try:
            solutions = store.query(rule.query)
        except SyntaxError as error:
            raise InputError(f"a SPARQL constraint in the shapes does not parse: {error}") from None
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            bound = {n: from_oxigraph(solution[n], back) for n in names if solution[n] is not None}
            focus = bound["this"]
            raws.append(Raw(focus, bound.get("value", focus), bound.get("path"), rule.severity,
                            rule.shape, SH.SPARQLConstraintComponent,
                            _messages(rule.messages, bound)))
    return raws


def _true():
    import pyoxigraph as ox

    return ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean)))


def run_checks(compiled, store) -> list[Raw]:
    """Run compiled core constraints (``compiled.Compiled``) on the store: their results."""
    true = _true()
    for update in compiled.updates:
        store.update(update)
    raws = []
    for check in compiled.checks:
        try:
            solutions = store.query(check.query)
        except SyntaxError as error:  # a bug of the compiler, not the user's input
            raise RuntimeError(f"compiled query does not parse: {error}\n{check.query}") from None
        has_value = "?value" in check.query.split("WHERE", 1)[0]
        flags = [(f"_f{i}", component, check.messages or (Literal(default_message(component)),))
                 for i, component in enumerate(check.flags)] or [
            (None, check.component, check.messages or (Literal(check.default_message),))]
        templated = any("{" in str(m) for _, _, messages in flags for m in messages)
        for solution in solutions:
            focus = from_oxigraph(solution["this"], {})
            value = from_oxigraph(solution["value"], {}) if has_value else None
            for flag, component, messages in flags:
                if flag is not None and solution[flag] != true:
                    continue
                filled = messages
                if templated:
                    filled = _messages(messages, {"this": focus, "value": value} if has_value
                                       else {"this": focus})
                raws.append(Raw(focus, value, check.path, check.severity, check.shape,
                                component, filled))
    return raws


def _copy_path(shapes: Graph, node, report: Graph) -> None:
    """A complex path (blank nodes of the shapes graph) copied into the report."""
    seen = set()
    todo = [node]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for p, o in shapes.predicate_objects(current):
            report.add((current, p, o))
            if isinstance(o, BNode):
                todo.append(o)
