"""Reading RDF source files with rdflib: formats by suffix, one named graph per file,
and syntax errors reported as ``file:line:column``."""

from collections.abc import Iterable
from pathlib import Path

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


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file with rdflib; a syntax error becomes an ``InputError`` with its place."""
    graph = into if into is not None else Graph()
    fmt = rdf_format(path)
    try:
        graph.parse(path, format=fmt)
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason})", Location(str(path))) from None
    except OSError as error:
        raise InputError(error.strerror or str(error), Location(str(path))) from None
    except Exception as error:  # rdflib parsers raise many types for bad input
        raise _syntax_error(path, error) from None
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
