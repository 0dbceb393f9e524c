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


def run_rules(found: list[Rule], data: Graph, report: Graph) -> set[URIRef]:
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


