"""A streaming Turtle writer for the graphs that ``plenipot import`` builds.

rdflib's Turtle serializer is quadratic in the size of the graph (3,000 tracker rows took 67 s
to write, 20 times longer than 1,000 rows; benchmarks/import.py). This one groups the triples
by subject in one pass and sorts them, so it is linear apart from the sort, and writes the same
layout: the prefixes it uses, then one block per subject in IRI order, ``a`` and ``rdfs:label``
first, the other predicates by IRI, several objects joined by commas. Only what such graphs hold
is written: IRIs, blank nodes and literals (plain, language-tagged, typed).
"""

import contextlib
import gc
import re
from collections.abc import Mapping

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SHORT_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_LONG_ESCAPE = re.compile(r'[\\"\x00-\x09\x0b-\x1f\x7f]')  # a long string keeps its line feeds
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPE = RDF.type  # an rdflib URIRef equals only URIRefs, never a plain str
_FIRST = {RDF.type: 0, RDFS.label: 1}


def _escape(match: re.Match) -> str:
    char = match.group()
    return _ECHAR.get(char) or f"\\u{ord(char):04X}"


class _Writer:
    def __init__(self, prefixes: Mapping[str, str]):
        # longest namespace first, so that a prefix never hides a more specific one
        self.namespaces = sorted(((ns, p) for p, ns in prefixes.items()),
                                 key=lambda item: -len(item[0]))
        self.used: set[str] = set()
        self._written: dict[str, str] = {}  # an import repeats its IRIs: write each once

    def iri(self, iri: str) -> str:
        written = self._written.get(iri)
        if written is None:
            written = self._written[iri] = self._iri(iri)
        return written

    def _iri(self, iri: str) -> str:
        iri = str.__str__(iri)  # a plain str: rdflib's URIRef.startswith is Python code
        for namespace, prefix in self.namespaces:
            if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace):]):
                self.used.add(prefix)
                return f"{prefix}:{iri[len(namespace):]}"
        return "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"

    def literal(self, term: Literal) -> str:
        value = str(term)
        datatype = str(term.datatype) if term.datatype is not None else None
        if datatype == XSD + "integer" and _INTEGER.match(value):
            return value
        if datatype == XSD + "boolean" and value in ("true", "false"):
            return value
        if "\n" in value:
            text = '"""' + _LONG_ESCAPE.sub(_escape, value) + '"""'
        else:
            text = '"' + _SHORT_ESCAPE.sub(_escape, value) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if datatype is not None and datatype != XSD + "string":
            return f"{text}^^{self.iri(datatype)}"
        return text

    def term(self, term) -> str:
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            return self.literal(term)
        if isinstance(term, BNode):
            return f"_:b{term}"
        raise TypeError(f"cannot write {term!r} as Turtle")


class Triples:
    """The triples of an import: a set with ``add`` and iteration, as rdflib's ``Graph`` has,
    kept grouped by subject and predicate (the writer's layout), so that writing them needs no
    pass to group them. Adding to an rdflib ``Graph`` costs about 10-30 us a triple (its
    indexes and events), the bulk of an import of 100,000 rows (2.4 million triples); this
    costs a fraction."""

    def __init__(self):
        self.grouped: dict = {}  # subject -> predicate -> {object: None} (an ordered set)
        self._count = 0

    def add(self, triple: tuple) -> "Triples":
        s, p, o = triple
        predicates = self.grouped.get(s)
        if predicates is None:
            predicates = self.grouped[s] = {}
        objects = predicates.get(p)
        if objects is None:
            predicates[p] = {o: None}
            self._count += 1
        elif o not in objects:
            objects[o] = None
            self._count += 1
        return self

    def update(self, triples) -> "Triples":
        for triple in triples:
            self.add(triple)
        return self

    def __iter__(self):
        for s, predicates in self.grouped.items():
            for p, objects in predicates.items():
                for o in objects:
                    yield s, p, o

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        return o in self.grouped.get(s, {}).get(p, ())

    def __len__(self) -> int:
        return self._count

    def to_graph(self) -> Graph:
        """The same triples in an rdflib ``Graph`` (with the project's prefixes)."""
        from plenipot.namespaces import bind_all

        graph = bind_all(Graph())
        for triple in self:
            graph.add(triple)
        return graph


def _predicate_order(predicate: str) -> tuple[int, str]:
    return _FIRST.get(predicate, 2), str.__str__(predicate)


@contextlib.contextmanager
def paused_gc():
    """The cyclic garbage collector paused (and restored as it was) inside the block: an import
    makes millions of small acyclic objects (terms, triples), and each full collection walks
    every live one, so with it on the time grows faster than the sheet (100,000 rows: the build
    took 20.8 s with it, 7.9 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def graph_to_turtle(graph: "Graph | Triples", prefixes: Mapping[str, str],
                    lines: dict[str, int] | None = None, first_line: int = 1) -> str:
    """The graph as Turtle with ``prefixes``, the same text for the same triples, with the
    garbage collector paused (``paused_gc``: 2,000 → 20,000 subjects took 15 times longer
    with it on). ``lines``, if given, receives the line of each IRI subject's block, counted
    from ``first_line`` (where the text will start in its file)."""
    with paused_gc():
        return _turtle(graph, prefixes, lines, first_line)


def _turtle(graph: "Graph | Triples", prefixes: Mapping[str, str],
            lines: dict[str, int] | None = None, first_line: int = 1) -> str:
    writer = _Writer(prefixes)
    subjects: dict = {}
    if isinstance(graph, Triples):  # grouped already
        subjects = graph.grouped
        graph = ()
    for s, p, o in graph:  # URIRefs are strings: they key and sort as such
        predicates = subjects.get(s)
        if predicates is None:
            predicates = subjects[s] = {}
        objects = predicates.get(p)
        if objects is None:
            predicates[p] = [o]
        else:
            objects.append(o)
    blocks = []
    term, iri = writer.term, writer.iri
    # each predicate's place and name, worked out once (rdflib's == is Python code)
    named: dict = {}

    def order(predicate) -> tuple[int, str]:
        known = named.get(predicate)
        if known is None:
            name = "a" if predicate == _TYPE else iri(predicate)
            known = named[predicate] = (*_predicate_order(predicate), name)
        return known

    starts: list[tuple[str, int]] = []  # (subject, line within the blocks), if lines wanted
    line = 0
    # sorted by plain str: rdflib's term comparison (__lt__) is Python code, a call per compare
    for subject in sorted(subjects, key=lambda s: (isinstance(s, BNode), str.__str__(s))):
        parts = []
        predicates = subjects[subject]
        for predicate in sorted(predicates, key=order):
            name = named[predicate][2]
            objects = predicates[predicate]
            if len(objects) == 1:
                parts.append(f"{name} {term(next(iter(objects)))}")
            else:
                parts.append(f"{name} " + ",\n        ".join(sorted(map(term, objects))))
        block = f"{term(subject)} " + " ;\n    ".join(parts) + " .\n"
        blocks.append(block)
        if lines is not None:
            if not isinstance(subject, BNode):
                starts.append((str.__str__(subject), line))
            line += block.count("\n") + 1  # the block, and the blank line after it
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())
                     if p in writer.used)
    header += "\n" if header else ""
    if lines is not None:
        offset = first_line + header.count("\n")
        lines.update((subject, offset + at) for subject, at in starts)
    return header + "\n".join(blocks)
