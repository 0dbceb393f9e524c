"""Where in its source file each subject is described: the file and line that a validation
result (or any other report about a node) points a data editor to.

Each Turtle-family file (Turtle, TriG, N-Triples, N-Quads) is read once, by one tokenizing pass
that records, for every IRI it writes, the line where it first stands as the subject of a
statement and the line where it is first written at all. Locating a result is then a dictionary
look-up, whatever the number of results. Other formats (RDF/XML, JSON-LD) are attributed to
their file through their parsed graph, without a line.
"""

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

from rdflib import BNode, Graph, URIRef

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<prefix>(?:@prefix|(?<![\w:])PREFIX)\s+(?P<pname>[A-Za-z][\w.-]*)?:\s*<(?P<ns>[^>]*)>)
      | (?P<base>(?:@base|(?<![\w:])BASE)\s+<(?P<baseiri>[^>]*)>)
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<datatype>\^\^)
      | (?P<name>(?<![\w.:\\-])(?P<p>[A-Za-z][\w.-]*)?:(?P<local>(?:[\w:%-]|\\.|\.(?=[\w:%\\-]))*))
      | (?P<number>(?<![\w:.-])[+-]?(?:\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+|\d*\.\d+|\d+))
      | (?P<end>\.(?![\w:%]))
      | (?P<punct>[;,\[\]()\{\}])
    """,
    re.X | re.I,
)
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
_BARE = {"integer": re.compile(r"-?(?:0|[1-9]\d*)"),
         "decimal": re.compile(r"-?(?:0|[1-9]\d*)\.\d*[1-9]")}


class FileIndex:
    """One pass over one file: IRI -> line as a subject, IRI -> first line written at all,
    the datatype IRIs the file's literals use, and whether a literal is written in a form that
    a store keeping canonical forms (Oxigraph) would not give back as written (``rewritten``)."""

    def __init__(self, path: Path, base: str | None = None):
        self.path = path
        self.subjects: dict[str, int] = {}
        self.mentions: dict[str, int] = {}
        self.datatypes: set[str] = set()
        self.rewritten = False
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return
        self._scan(text, base or path.resolve().as_uri())

    def _scan(self, text: str, base: str) -> None:
        prefixes: dict[str, str] = {}
        line, position = 1, 0
        at_subject, after_datatype = True, False
        lexical = ""  # the last string, for the datatype that may follow it
        subjects, mentions = self.subjects, self.mentions
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup
            if kind == "comment":
                continue
            line += text.count("\n", position, match.start())
            position = match.start()
            if kind == "number":
                number = match.group()  # Oxigraph writes 1e0 as 1, 4.0 as 4, +5 and 05 as 5
                if "e" in number.lower() or not _BARE["decimal" if "." in number
                                                        else "integer"].fullmatch(number):
                    self.rewritten = True
                at_subject = after_datatype = False
                continue
            if kind == "string":
                quote = 3 if match.group()[:3] in ('"""', "'''") else 1
                lexical = match.group()[quote:-quote]
            if kind in ("string", "punct"):
                at_subject = kind == "punct" and match.group() in "{}"
                after_datatype = False
                continue
            if kind == "end":
                at_subject, after_datatype = True, False
                continue
            if kind == "datatype":
                after_datatype = True
                continue
            if kind == "prefix":
                prefixes[match.group("pname") or ""] = urljoin(base, match.group("ns"))
                at_subject = True
                continue
            if kind == "base":
                base = urljoin(base, match.group("baseiri"))
                at_subject = True
                continue
            if kind == "iri":
                iri = match.group()[1:-1]
                if not _ABSOLUTE.match(iri):
                    iri = urljoin(base, iri)
            else:
                namespace = prefixes.get(match.group("p") or "")
                if namespace is None:
                    at_subject = after_datatype = False
                    continue
                iri = namespace + _UNESCAPE.sub(r"\1", match.group("local"))
            if after_datatype:
                self.datatypes.add(iri)
                canonical = _CANONICAL.get(iri)
                if canonical is not None and not canonical.fullmatch(lexical):
                    self.rewritten = True
            else:
                if iri not in mentions:
                    mentions[iri] = line
                if at_subject and iri not in subjects:
                    subjects[iri] = line
            at_subject = after_datatype = False


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
