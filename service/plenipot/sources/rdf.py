"""Reading RDF source files with rdflib: formats by suffix, one named graph per file,
and syntax errors reported as ``file:line:column``.

Every file is checked before any parser builds a graph from it (``check_file``): RDF/XML with
entity declarations or an external DTD and JSON-LD that names a remote (or any non-inline)
``@context`` are refused, since expanding the one exhausts memory and loading the other is a
request; then Oxigraph's strict parser reads it once, so a syntax error is reported with its line
and column and rdflib never sees an IRI that Oxigraph would refuse. ``safe_parse`` is the whole
path, for any code that reads a data file.
"""

import json
import logging
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from plenipot.errors import InputError, Location
from plenipot.namespaces import BASE, bind_all
from plenipot.sources.bundled import KINDS, bundled

# suffix -> rdflib parser name
RDF_SUFFIXES = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".n3": "n3",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
QUAD_FORMATS = {"nquads", "trig"}


def rdf_format(path: Path) -> str:
    try:
        return RDF_SUFFIXES[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(RDF_SUFFIXES))
        raise InputError(
            f"unknown RDF file type (expected one of {known})", Location(str(path))
        ) from None


# What a folder contributes: the suffixes that can only be RDF (.json and .xml files are read
# when named, never picked up from a folder, where they are more often something else).
FOLDER_SUFFIXES = frozenset(RDF_SUFFIXES) - {".json", ".xml"}


def _rdf_files_under(folder: Path) -> list[Path]:
    """The RDF files under ``folder``, sorted, recursively, leaving out hidden files and
    folders (``.git/``, editors' and our own temporary files)."""
    return sorted(
        p for p in folder.rglob("*")
        if p.suffix.lower() in FOLDER_SUFFIXES and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus the RDF files inside named folders (sorted, recursive).

    A missing path, or a folder with no RDF file in it, is an ``InputError`` naming it: a
    mistyped folder must not pass as an empty one."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = _rdf_files_under(path)
            if not found:
                known = ", ".join(sorted(FOLDER_SUFFIXES))
                raise InputError(f"no RDF files ({known}) in this folder", Location(str(path)))
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise InputError("no such file or folder", Location(str(path)))
    return files


def graph_name(path: Path) -> URIRef:
    """The named graph a source file is loaded into: its bundled path, or its file URI."""
    resolved = path.resolve()
    for kind in KINDS:
        try:
            relative = resolved.relative_to(bundled(kind))
        except (ValueError, FileNotFoundError):
            continue
        return URIRef(f"{BASE}source/{kind}/{relative.as_posix()}")
    return URIRef(resolved.as_uri())


def _syntax_error(path: Path, error: Exception) -> InputError:
    if isinstance(error, BadSyntax):
        text, index = error._str, error._i
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        if index < 0:  # rdflib's mark for the end of the input: point after the last token
            index = len(text.rstrip())
        line_start = text.rfind("\n", 0, index) + 1
        line = text.count("\n", 0, index) + 1
        return InputError(error._why, Location(str(path), line, index - line_start + 1))
    line = getattr(error, "lineno", None) or getattr(error, "line", None)
    message = getattr(error, "msg", None) or str(error) or type(error).__name__
    return InputError(str(message).splitlines()[0], Location(str(path), line))


OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "n3": ox.RdfFormat.N3,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
}
_OX_PREFIX = re.compile(r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+)"
                        r"(?: of line \d+)?: ")
_ENTITY = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\b(?:SYSTEM|PUBLIC)\b")


def _line_of(data: bytes, index: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, index) + 1
    return data.count(b"\n", 0, index) + 1, index - line_start + 1


def _refuse_entities(path: Path, data: bytes) -> None:
    """RDF/XML may not declare entities or name an external DTD (billion laughs, XXE)."""
    match = _ENTITY.search(data)
    if match is None:
        return
    line, column = _line_of(data, match.start())
    what = "entity declarations" if match.group().startswith(b"<!ENTITY") else "an external DTD"
    raise InputError(f"RDF/XML with {what} is refused (entities can expand without bound, and "
                     "an external DTD is a request); write the values out in full",
                     Location(str(path), line, column))


def _contexts(value, found: list[str]) -> None:
    """Every context that is not written inline: a string (an IRI, relative or absolute) in
    ``@context`` at any depth, and every ``@import``."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, inner in item.items():
                if key == "@import" and isinstance(inner, str):
                    found.append(inner)
                elif key == "@context":
                    for context in inner if isinstance(inner, list) else [inner]:
                        if isinstance(context, str):
                            found.append(context)
                        else:
                            stack.append(context)
                else:
                    stack.append(inner)


def _too_deep(data: bytes, limit: int = 900) -> int:
    """Where JSON brackets first nest past ``limit`` (strings skipped roughly)."""
    depth, in_string, escaped = 0, False, False
    for index, byte in enumerate(data):
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            if depth > limit:
                return index
        elif byte in b"]}":
            depth -= 1
    return 0


def _refuse_remote_contexts(path: Path, data: bytes) -> None:
    """JSON-LD may only use contexts written inline: loading one is a request (or a file read)."""
    try:
        document = json.loads(data)
    except RecursionError:
        line, column = _line_of(data, _too_deep(data))
        raise InputError("JSON nested too deeply", Location(str(path), line, column)) from None
    except ValueError as error:
        line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
        message = getattr(error, "msg", None) or str(error)
        raise InputError(f"not JSON: {message}", Location(str(path), line, column)) from None
    found: list[str] = []
    _contexts(document, found)
    if found:
        at = data.find(json.dumps(found[0]).encode())
        line, column = _line_of(data, at) if at >= 0 else (None, None)
        raise InputError(f"JSON-LD context {found[0]!r} is not inline: remote and linked "
                         "contexts are never loaded; put the context in the file",
                         Location(str(path), line, column))


def oxigraph_error(path: Path, error: SyntaxError) -> InputError:
    """An Oxigraph ``SyntaxError`` as an ``InputError`` at file:line:column."""
    message = _OX_PREFIX.sub("", str(error).split(" (")[0])  # the place is ours
    return InputError(message, Location(str(path), error.lineno, error.offset))


def check_file(path: Path, fmt: str | None = None) -> None:
    """Refuse a file that no parser should be given (entities, remote contexts), then read it
    with Oxigraph's strict parser: a syntax error is an ``InputError`` at file:line:column."""
    if (error := _check(path, fmt or rdf_format(path))) is not None:
        raise error


def _check(path: Path, fmt: str) -> InputError | None:
    """``check_file``, with the strict parser's syntax error returned instead of raised (rdflib's
    own message, where it has a place, reads better for the formats both parse)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(error.strerror or str(error), Location(str(path))) from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_of(data, error.start)
        raise InputError(f"not UTF-8 text ({error.reason})", Location(str(path), line, column)
                         ) from None
    if fmt == "xml":
        _refuse_entities(path, data)
    elif fmt == "json-ld":
        _refuse_remote_contexts(path, data)
    try:
        for _ in ox.parse(data, format=OX_FORMATS[fmt], base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as error:
        located = oxigraph_error(path, error)
        if located.location.line is None:  # RDF/XML and JSON-LD errors come without a place
            located = _place(path, data, fmt, located)
        return located
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason})", Location(str(path))) from None
    except ValueError as error:
        return InputError(str(error), Location(str(path)))
    return None


_QUOTED = re.compile(r"'([^']{2,})'|`([^`]{2,})`|(@[a-z]+)")


def _place(path: Path, data: bytes, fmt: str, error: InputError) -> InputError:
    """A place for a strict-parser error that has none: where XML stops being well-formed
    (expat; entities were refused before), else the first occurrence of what the message
    quotes (an IRI, a tag, a JSON-LD keyword)."""
    message = error.message.split(": ", 1)[1] if ": " in error.message else error.message
    if fmt == "xml":
        from xml.parsers import expat

        parser = expat.ParserCreate(namespace_separator=" ")
        try:
            parser.Parse(data, True)
        except expat.ExpatError as problem:
            return InputError(f"not well-formed XML: {expat.errors.messages[problem.code]}",
                              Location(str(path), problem.lineno, problem.offset + 1))
    for match in _QUOTED.finditer(message):
        fragment = next(g for g in match.groups() if g)
        needle = f'"{fragment}"' if fragment.startswith("@") else fragment
        at = data.find(needle.encode())
        if at < 0 and "</" in fragment:
            at = data.find(fragment.strip("</>").encode())
        if at >= 0:
            line, column = _line_of(data, at)
            return InputError(message, Location(str(path), line, column))
    return error


def _no_remote_context(self, source, base, referenced_contexts):
    raise InputError(f"JSON-LD context {source!r} is not inline: remote and linked contexts are "
                     "never loaded")


def _guard_rdflib() -> None:
    """Take the fetching out of rdflib's JSON-LD parser (the check above is the first line)."""
    from rdflib.plugins.shared.jsonld.context import Context

    Context._fetch_context = _no_remote_context


def safe_parse(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file with rdflib, safely: ``check_file`` first, then rdflib with remote
    contexts disabled. Any problem is an ``InputError`` with its place. (``parse_file`` is the
    same function.)"""
    return parse_file(path, into)


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file with rdflib; a syntax error becomes an ``InputError`` with its place.
    The file is checked first (``check_file``); a file that Oxigraph's strict parser refuses is
    refused even where rdflib would take it (an IRI with a space, say)."""
    graph = into if into is not None else Graph()
    fmt = rdf_format(path)
    strict = _check(path, fmt)
    _guard_rdflib()
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # invalid IRIs: the strict check says where
    try:
        with warnings.catch_warnings():  # rdflib's own deprecations, inside its TriG parser
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(path, format=fmt)
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason})", Location(str(path))) from None
    except OSError as error:
        raise InputError(error.strerror or str(error), Location(str(path))) from None
    except InputError:
        raise
    except Exception as error:  # rdflib parsers raise many types for bad input
        located = _syntax_error(path, error)
        if strict is not None and located.location.line is None:
            raise strict from None  # Oxigraph's message has the line
        raise located from None
    finally:
        quiet.setLevel(level)
    if strict is not None:
        raise strict
    return graph


def load_graph(paths: Iterable[Path]) -> Graph:
    """All triples of the given files (and folders) in one rdflib graph."""
    graph = bind_all(Graph())
    for path in expand(paths):
        parse_file(path, graph)
    return graph


def load_dataset(paths: Iterable[Path]) -> Dataset:
    """A dataset with each file in its own named graph (quad files keep their own graphs)."""
    dataset = bind_all(Dataset())
    for path in expand(paths):
        if rdf_format(path) in QUAD_FORMATS:
            parse_file(path, dataset)
        else:
            parse_file(path, dataset.graph(graph_name(path)))
    return dataset
