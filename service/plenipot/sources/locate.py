"""Where in its source file each subject is described: the file and line that a validation
result (or any other report about a node) points a data editor to."""

import re
from pathlib import Path

from rdflib import BNode, Graph, URIRef

_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I | re.M)
_BASE_LINE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.I | re.M)


class _SourceFile:
    """One parsed file and its text, to find the line where a node is written."""

    def __init__(self, path: Path, graph: Graph):
        self.path = path
        self.graph = graph
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            try:
                self._text = self.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._text = ""
        return self._text

    def _spellings(self, iri: str) -> list[str]:
        """Regexes for the ways this file can write an IRI: <full>, <relative>, prefix:local."""
        spellings = [re.escape(f"<{iri}>")]
        for base in _BASE_LINE.findall(self.text):
            if iri.startswith(base) and len(iri) > len(base):
                spellings.append(re.escape(f"<{iri[len(base):]}>"))
        for prefix, namespace in _PREFIX_LINE.findall(self.text):
            if namespace and iri.startswith(namespace):
                local = iri[len(namespace):]
                # characters other than letters, digits and _ may be written \-escaped
                name = "".join(
                    re.escape(c) if c.isalnum() or c == "_" else "\\\\?" + re.escape(c)
                    for c in local
                )
                spellings.append(rf"(?<![\w.:\\-]){re.escape(prefix)}:{name}(?![\w:%\\-]|\.[\w:-])")
        return spellings

    def line_of(self, iri: str) -> int | None:
        """The line where the IRI is first written as a subject (else first written at all)."""
        text = self.text
        if not text:
            return None
        pattern = "|".join(f"(?:{s})" for s in self._spellings(iri))
        first_any = None
        for match in re.finditer(pattern, text):
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            before = text[line_start:match.start()]
            rest = text[match.end():line_end if line_end >= 0 else len(text)].lstrip()
            if _in_comment(before):
                continue
            line = text.count("\n", 0, match.start()) + 1
            if not before.strip() and rest[:1] not in (",", ".", ";", ")", "]"):
                return line
            if first_any is None:
                first_any = line
        return first_any


def _in_comment(before: str) -> bool:
    """Whether a '#' outside IRIs and strings starts a comment in this start of a line."""
    in_iri = in_string = False
    for char in before:
        if in_string:
            in_string = char != '"'
        elif in_iri:
            in_iri = char != ">"
        elif char == '"':
            in_string = True
        elif char == "<":
            in_iri = True
        elif char == "#":
            return True
    return False


class SourceIndex:
    """Which of the loaded files describes a node, and on which line."""

    def __init__(self) -> None:
        self.files: list[_SourceFile] = []

    def add(self, path: Path, graph: Graph) -> None:
        self.files.append(_SourceFile(path, graph))

    def locate(self, node, _depth: int = 0) -> tuple[Path | None, int | None]:
        for source in self.files:
            if (node, None, None) in source.graph:
                return self._in(source, node, _depth)
        for source in self.files:
            if (None, None, node) in source.graph:
                return self._in(source, node, _depth)
        return None, None

    def _in(self, source: _SourceFile, node, depth: int) -> tuple[Path, int | None]:
        if isinstance(node, URIRef):
            return source.path, source.line_of(str(node))
        if isinstance(node, BNode) and depth < 8:
            # a blank node is written inside its parent: report the parent's line
            for parent in source.graph.subjects(None, node):
                if parent != node:
                    return source.path, self._in(source, parent, depth + 1)[1]
        return source.path, None


