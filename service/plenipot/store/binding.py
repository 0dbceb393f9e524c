"""Binding parameters as RDF terms: a ``VALUES`` block at the start of the query's WHERE group.

Why not pyoxigraph's ``substitutions``: Oxigraph 0.5 applies them after evaluation rather than
planning with them (a 3-hop lookup took 12 ms bound that way against 0.1 ms with the value in
the pattern, docs/decisions/0004), and refuses variables outside the SELECT projection. A
leading ``VALUES`` block is plain SPARQL 1.1, planned like a constant, and works unchanged on any
remote engine. Values are serialized from RDF terms, checked here — never pasted from strings.
"""

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from plenipot.errors import ParameterError, QueryError

# characters RFC 3987 / SPARQL's IRIREF forbid inside <...>
BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LANGUAGE = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI_TOKEN = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LONG_STRING = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"", re.S
)
_SHORT_STRING = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
# N-Triples-style escapes: the ECHARs for what must never appear raw, \u for other controls
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(char: re.Match) -> str:
    text = char.group()
    return _ESCAPES.get(text) or f"\\u{ord(text):04X}"


def string_text(name: str, value: str) -> str:
    """A string as a SPARQL (and N-Triples) string literal: ``"..."`` with every quote,
    backslash and control character escaped, so that no value can end the literal."""
    if _SURROGATE.search(value):
        raise ParameterError(name, "is not valid Unicode text (a lone surrogate)")
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


def iri_text(name: str, value: str) -> str:
    """An IRI as ``<...>``, checked against SPARQL's IRIREF (no space, control, or any of
    ``<>"{}|^`\\``), absolute, and one that Oxigraph itself accepts."""
    if BAD_IRI.search(value) or not _SCHEME.match(value):
        raise ParameterError(name, f"{value!r} is not a valid IRI (an absolute IRI with no space, "
                                   "control character or any of <>\"{}|^`\\)")
    try:
        ox.NamedNode(value)
    except ValueError as error:
        raise ParameterError(name, f"{value!r} is not a valid IRI ({error})") from None
    return f"<{value}>"


def term_to_sparql(name: str, term: Identifier) -> str:
    """The SPARQL text of one RDF term; ``name`` is the parameter it binds, for messages.
    The one serializer of bound values: its output always parses back to the same term."""
    if isinstance(term, URIRef):
        return iri_text(name, str(term))
    if isinstance(term, Literal):
        text = string_text(name, str(term))
        if term.language:
            if not _LANGUAGE.match(term.language):
                raise ParameterError(name, f"{term.language!r} is not a language tag")
            try:  # well-formed BCP 47, as Oxigraph checks it
                ox.Literal("", language=term.language)
            except ValueError as error:
                raise ParameterError(name, f"{term.language!r} is not a language tag "
                                           f"({error})") from None
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f"{text}^^{iri_text(name, str(term.datatype))}"
        return text
    if isinstance(term, BNode):
        raise ParameterError(name, "a blank node cannot be bound as a parameter")
    raise ParameterError(name, f"cannot bind {term!r} as an RDF term")


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _skip_token(query: str, i: int) -> int | None:
    """The index after a comment, string or IRI starting at ``i``, or None if none starts there."""
    char = query[i]
    if char == "#":
        end = query.find("\n", i)
        return len(query) if end < 0 else end + 1
    if char in "'\"":
        match = _LONG_STRING.match(query, i) or _SHORT_STRING.match(query, i)
        return match.end() if match else len(query)
    if char == "<":
        match = _IRI_TOKEN.match(query, i)
        return match.end() if match else None
    return None


def _mask(query: str) -> str:
    """``query`` with its comments, strings and IRIs blanked out (same length), so that the
    structure (braces, parentheses, FILTER, variables) can be searched with plain patterns."""
    masked, i = list(query), 0
    while i < len(query):
        end = _skip_token(query, i)
        if end is None:
            i += 1
            continue
        masked[i:end] = " " * (end - i)
        i = end
    return "".join(masked)


def _braces(masked: str):
    """Yield (index, char, depth-before) for every brace of a masked query."""
    depth = 0
    for i, char in enumerate(masked):
        if char == "{":
            yield i, char, depth
            depth += 1
        elif char == "}":
            depth -= 1
            yield i, char, depth


def where_group_start(query: str, masked: str | None = None) -> int:
    """Index just after the ``{`` that opens the query's WHERE group."""
    masked = _mask(query) if masked is None else masked
    opening = [i for i, c, depth in _braces(masked) if depth == 0 and c == "{"]
    if not opening:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    head_words = masked[: opening[0]].upper().split()
    # CONSTRUCT { template } WHERE { … }: the first top-level group is the template
    if head_words and head_words[-1] == "CONSTRUCT" and len(opening) > 1:
        return opening[1] + 1
    return opening[0] + 1


_FILTER = re.compile(r"\bFILTER\b\s*(?!(?:NOT\s+)?EXISTS\b)([A-Za-z_:][\w:]*)?\s*\(", re.I)
_VARIABLE_TOKEN = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def _filter_spans(masked: str):
    """(start, end) of each FILTER's parenthesized expression (not FILTER [NOT] EXISTS)."""
    for match in _FILTER.finditer(masked):
        depth = 0
        for end in range(match.end() - 1, len(masked)):
            depth += {"(": 1, ")": -1}.get(masked[end], 0)
            if depth == 0:
                yield match.end() - 1, end + 1
                break


def bind_values(query: str, bindings: Mapping[str, Identifier] | None) -> str:
    """``query`` with ``bindings`` as a one-row VALUES block opening its WHERE group (a tuple of
    terms gets a block of its own, a row for each), and the single terms written in for the
    variables inside FILTER expressions: Oxigraph compiles a constant REGEX pattern once but a
    bound one on every row (170 ms against 2 ms for the search query), and a term in an
    expression needs no join."""
    if not bindings:
        return query
    for name in bindings:
        if not _VARIABLE.match(name):
            raise ParameterError(name, "is not a valid SPARQL variable name")
    # a tuple of terms is a set of values: its own VALUES block, one row each
    many = {n: values_list(n, t) for n, t in bindings.items() if isinstance(t, tuple | list)}
    terms = {n: term_to_sparql(n, t) for n, t in bindings.items() if n not in many}
    masked = _mask(query)
    at = where_group_start(query, masked)
    blocks = [f" VALUES ?{name} {{ {values} }}" for name, values in many.items()]
    if terms:
        values = " ".join(terms.values())
        blocks.insert(0, f" VALUES ({' '.join(f'?{n}' for n in terms)}) {{ ({values}) }}")
    edits = [(at, at, "".join(blocks))]
    for start, end in _filter_spans(masked):
        edits += [(v.start(), v.end(), terms[v.group(1)])
                  for v in _VARIABLE_TOKEN.finditer(masked, start, end) if v.group(1) in terms]
    for start, end, text in sorted(edits, reverse=True):
        query = query[:start] + text + query[end:]
    return query


def write_in(query: str, bindings: Mapping[str, Identifier]) -> str:
    """``query`` with each bound variable replaced by its term wherever it occurs (outside
    strings, IRIs and comments): for the few queries whose engine plans a leading VALUES badly
    (a UNION of branches that each start from the bound resource, docs/decisions/0004). The
    terms are serialized and checked like every bound value; the variables must not be
    projected or assigned (``AS ?name``), which the caller's query file guarantees."""
    for name in bindings:
        if not _VARIABLE.match(name):
            raise ParameterError(name, "is not a valid SPARQL variable name")
    terms = {name: term_to_sparql(name, term) for name, term in bindings.items()}
    masked = _mask(query)
    edits = [(v.start(), v.end(), terms[v.group(1)])
             for v in _VARIABLE_TOKEN.finditer(masked) if v.group(1) in terms]
    for start, end, text in sorted(edits, reverse=True):
        query = query[:start] + text + query[end:]
    return query


def values_list(name: str, terms: Iterable[Identifier]) -> str:
    """The body of ``VALUES ?name { … }`` for many terms (IRIs the store itself returned, say),
    serialized and checked like every bound value."""
    return " ".join(term_to_sparql(name, term) for term in terms)
