"""Where in its source file each subject is described: the file and line that a validation
result (or any other report about a node) points a data editor to.

Each Turtle-family file (Turtle, TriG, N-Triples, N-Quads) is read in one pass, statement by
statement, recording for every IRI the line where it is first the subject of a statement.
Locating a result is then a dictionary look-up, whatever the number of results. Where a node
that is never a subject is first written is indexed in one more pass, on first need. Other
formats (RDF/XML, JSON-LD) are attributed to their file through their parsed graph, without a
line.
"""

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

from rdflib import BNode, Graph, URIRef

_STRING = (r'"""(?:[^"\\]|\\.|"(?!""))*"""'
           r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
           r'|"(?:[^"\\\n]|\\.)*"'
           r"|'(?:[^'\\\n]|\\.)*'")
_IRI = r"<(?P<iri>[^<>\"{}|^`\\\s]*)>"
_NAME = r"(?P<p>[A-Za-z][\w.-]*)?:(?P<local>(?:[\w:%-]|\\.|\.(?=[\w:%\\-]))*)"
# one statement: everything up to the '.' that ends it; strings, IRIs and comments skipped whole
_STATEMENT = re.compile(
    r"(?:[^\"'#<.]+|" + _STRING + r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*|\.(?=[\w:%])|[<\"'])*"
    r"(?:\.|$)")
_DIRECTIVE = re.compile(
    r"(?:\s+|#[^\n]*)*(?:(?:@prefix|PREFIX)\s+(?P<pname>[A-Za-z][\w.-]*)?:\s*<(?P<ns>[^>]*)>"
    r"|(?:@base|BASE)\s+<(?P<base>[^>]*)>)\s*\.?", re.I)
_SUBJECT = re.compile(r"(?:\s+|#[^\n]*)*(?:" + _IRI + "|" + _NAME + ")")
# literals: a string with its datatype, if any; a bare number that may not be in canonical form
# (with '.', an exponent, '+' or a leading 0); comments and IRIs matched whole, to be skipped
_LITERAL = re.compile(
    r"#[^\n]*|<[^<>\s]*>|(" + _STRING + r")(?:\^\^(?:<([^>]*)>|([A-Za-z][\w.-]*)?:"
    r"((?:[\w-]|\.(?=[\w-]))*)))?"
    r"|[\s,(\[]([+-]?(?:\d*\.\d+(?:[eE][+-]?\d+)?|\d+\.\d*[eE][+-]?\d+|\d+[eE][+-]?\d+"
    r"|0\d+)|\+\d+)(?![\w:])")
_MENTION = re.compile(
    r"#[^\n]*|" + _STRING + "|" + _IRI + r"|(?<![\w.:\\-])" + _NAME
    + r"|(?P<prefix>(?:@prefix|(?<![\w:])PREFIX)\s+(?P<pname>[A-Za-z][\w.-]*)?:\s*<(?P<ns>[^>]*)>)",
    re.I)
_UNESCAPE = re.compile(r"\\(.)")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
LINE_FORMATS = {"turtle", "trig", "nt", "nquads", "n3"}
XSD = "http://www.w3.org/2001/XMLSchema#"
_ZONE = r"(?:Z|[+-](?!00:00)\d\d:\d\d)?"
# lexical forms that Oxigraph keeps as written (it stores other forms of these types canonically)
_CANONICAL = {
    XSD + "integer": re.compile(r"-?(?:0|[1-9]\d*)"),
    XSD + "decimal": re.compile(r"-?(?:0|[1-9]\d*)\.\d*[1-9]"),
    XSD + "boolean": re.compile(r"true|false"),
    XSD + "double": re.compile(r"(?!)"),
    XSD + "float": re.compile(r"(?!)"),
    XSD + "dateTime": re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d*[1-9])?" + _ZONE),
    XSD + "date": re.compile(r"-?\d{4,}-\d\d-\d\d" + _ZONE),
    XSD + "time": re.compile(r"\d\d:\d\d:\d\d(?:\.\d*[1-9])?" + _ZONE),
}
_BARE_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)\.\d*[1-9]")


def kept_as_written(lexical: str, datatype: str) -> bool:
    """Whether Oxigraph gives back a literal of this datatype as written (``FileIndex``'s
    ``rewritten``, for one literal)."""
    canonical = _CANONICAL.get(datatype)
    return canonical is None or canonical.fullmatch(lexical) is not None


def _expand(match, prefixes: dict, base: str) -> str | None:
    if match.group("iri") is not None:
        iri = match.group("iri")
        return iri if _ABSOLUTE.match(iri) else urljoin(base, iri)
    namespace = prefixes.get(match.group("p") or "")
    if namespace is None:
        return None
    return namespace + _UNESCAPE.sub(r"\1", match.group("local"))


class FileIndex:
    """One pass over one file: IRI -> the line where it is first the subject of a statement;
    the datatype IRIs of its literals; and whether a literal is written in a form that a store
    keeping canonical forms (Oxigraph) would not give back as written (``rewritten``)."""

    def __init__(self, path: Path):
        self.path = path
        self.subjects: dict[str, int] = {}
        self.datatypes: set[str] = set()
        self.rewritten = False
        self._mentions: dict[str, int] | None = None
        self._prefixes: dict[str, str] = {}
        try:
            self._text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            self._text = ""
        self._scan(self._text, path.resolve().as_uri())
        self._literals(self._text)

    @classmethod
    def known(cls, path: Path, text: str, subjects: dict[str, int], datatypes: set[str],
              rewritten: bool) -> "FileIndex":
        """The index of a file whose writer knows what it wrote (``plenipot import``: the line
        of each subject block, the datatypes of its literals), without scanning it again."""
        index = cls.__new__(cls)
        index.path, index.subjects, index.datatypes = path, subjects, datatypes
        index.rewritten, index._mentions, index._prefixes, index._text = rewritten, None, {}, text
        return index

    def _scan(self, text: str, base: str) -> None:
        prefixes, subjects = self._prefixes, self.subjects
        line, counted, size = 1, 0, len(text)
        position = 0
        while position < size:
            statement = _STATEMENT.match(text, position)
            end = statement.end()
            if end == position:  # a character no statement starts with: step over it
                position += 1
                continue
            start = position
            position = end
            while True:  # directives: ended by '.' (Turtle) or not (SPARQL style)
                directive = _DIRECTIVE.match(text, start, end)
                if directive is None:
                    break
                if directive.group("base") is not None:
                    base = urljoin(base, directive.group("base"))
                else:
                    prefixes[directive.group("pname") or ""] = urljoin(base, directive.group("ns"))
                start = directive.end()
            brace = text.rfind("{", start, end)  # TriG: the subject follows the graph's '{'
            if brace >= 0 and text.count('"', start, brace) % 2 == 0:
                start = brace + 1
            subject = _SUBJECT.match(text, start, end)
            if subject is None:
                continue
            iri = _expand(subject, prefixes, base)
            if iri is not None and iri not in subjects:
                line += text.count("\n", counted, subject.end())
                counted = subject.end()
                subjects[iri] = line

    def _literals(self, text: str) -> None:
        datatypes, prefixes = self.datatypes, self._prefixes
        for lexical, iri, prefix, local, number in _LITERAL.findall(text):
            if number:  # Oxigraph writes 1e0 as 1, 4.0 as 4, 05 and +5 as 5
                if "e" in number.lower() or not _BARE_DECIMAL.fullmatch(number):
                    self.rewritten = True
                continue
            if not (iri or local or prefix):
                continue  # a comment, an IRI, a plain string
            if not iri:
                namespace = prefixes.get(prefix)
                if namespace is None:
                    continue
                iri = namespace + local
            datatypes.add(iri)
            canonical = _CANONICAL.get(iri)
            quote = 3 if lexical[:3] in ('"""', "\'\'\'") else 1
            if canonical is not None and not canonical.fullmatch(lexical[quote:-quote]):
                self.rewritten = True

    @property
    def mentions(self) -> dict[str, int]:
        """IRI -> the first line where it is written at all (one more pass, on first need)."""
        if self._mentions is None:
            mentions: dict[str, int] = {}
            prefixes: dict[str, str] = {}
            base = self.path.resolve().as_uri()
            text = self._text
            line, counted = 1, 0
            for match in _MENTION.finditer(text):
                if match.group("prefix") is not None:
                    prefixes[match.group("pname") or ""] = urljoin(base, match.group("ns"))
                    continue
                if match.group("iri") is None and match.group("local") is None:
                    continue  # a comment or a string
                iri = _expand(match, prefixes, base)
                if iri is not None and iri not in mentions:
                    line += text.count("\n", counted, match.start())
                    counted = match.start()
                    mentions[iri] = line
            self._mentions = mentions
        return self._mentions


class SourceIndex:
    """Which of the loaded files describes a node, and on which line.

    ``parent_of`` finds a subject that has a blank node as its value (a blank node is written
    inside its parent, so it is reported at the parent's line)."""

    def __init__(self, parent_of: Callable[[BNode], object] | None = None) -> None:
        self.files: list[FileIndex] = []
        self.graphs: list[tuple[Path, Graph]] = []  # files without line information
        self.parent_of = parent_of

    def add(self, path: Path, graph: Graph | None = None, fmt: str = "turtle") -> FileIndex | None:
        if fmt in LINE_FORMATS:
            index = FileIndex(path)
            self.files.append(index)
            return index
        if graph is not None:
            self.graphs.append((path, graph))
        return None

    def datatypes(self) -> set[str]:
        return set().union(*(f.datatypes for f in self.files))

    def rewritten(self) -> bool:
        """Whether a literal of some file is written in a form Oxigraph would not keep."""
        return any(f.rewritten for f in self.files)

    def locate(self, node, _depth: int = 0) -> tuple[Path | None, int | None]:
        if isinstance(node, BNode):
            if _depth < 8:
                parent = self._parent(node)
                if parent is not None and parent != node:
                    return self.locate(parent, _depth + 1)
            return None, None
        if not isinstance(node, URIRef):
            return None, None
        iri = str(node)
        for index in self.files:
            line = index.subjects.get(iri)
            if line is not None:
                return index.path, line
        for path, graph in self.graphs:
            if (node, None, None) in graph:
                return path, None
        for index in self.files:
            line = index.mentions.get(iri)
            if line is not None:
                return index.path, line
        for path, graph in self.graphs:
            if (None, None, node) in graph:
                return path, None
        return None, None

    def _parent(self, node: BNode):
        if self.parent_of is not None:
            return self.parent_of(node)
        for _, graph in self.graphs:
            for parent in graph.subjects(None, node):
                return parent
        return None
