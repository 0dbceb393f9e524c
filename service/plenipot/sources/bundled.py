"""Where the bundled ontology, data, shapes and queries live, and each sub-package's
``sparql/`` folder.

In a wheel they are copied into ``plenipot/_bundled/`` at build time; in a source checkout
(or an editable install) they are read from the top-level folders, the one source of truth.
"""

from functools import cache
from importlib import import_module
from pathlib import Path

KINDS = ("ontology", "data", "shapes", "queries")
_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def bundled(kind: str) -> Path:
    """The folder holding one kind of bundled source: ontology, data, shapes or queries."""
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}")
    for candidate in (_PACKAGE / "_bundled" / kind, _PACKAGE.parents[1] / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled {kind}/ not found beside {_PACKAGE}")


def bundled_files(kind: str, pattern: str = "*.ttl") -> list[Path]:
    """The files of one kind, sorted, searched recursively."""
    return sorted(bundled(kind).rglob(pattern))


def graph_sources(include_data: bool = True) -> list[Path]:
    """The bundled Turtle files that make up the graph: ontology, then data."""
    files = bundled_files("ontology")
    if include_data:
        files += bundled_files("data")
    return files


def sparql_folder(package: str) -> Path:
    """The ``sparql/`` folder beside a sub-package's code (``"plenipot.web"``), where its
    ``.rq`` files are (``queries.header.sparql_of`` reads their headers)."""
    return Path(import_module(package).__file__).parent / "sparql"


@cache
def sparql_text(package: str, name: str) -> str:
    """The text of ``NAME.rq`` in a sub-package's ``sparql/`` folder, read once per process:
    for the code below ``queries`` (``sources``, ``store``), which runs a file with no
    parameter and so needs no header (its header lines are comments to SPARQL)."""
    return (sparql_folder(package) / f"{name}.rq").read_text(encoding="utf-8")
