"""Every rule that ``plenipot validate`` applies, checked at import time and told by row.

The imported graph is written to a temporary file and validated with the same shapes, beside
the same sources as ``validate`` would read them (the bundled data and the user's ``--data``,
less the file the import replaces). Each result whose focus node the import wrote is mapped
back to the row that wrote it and to the column of its property, as ``file:row: column
'NAME': message``. Results about nodes the sheet did not write are not the sheet's problems
and are left to ``validate``.
"""

import tempfile
from pathlib import Path

from rdflib import Literal, URIRef

from plenipot.sources.rdf import expand
from plenipot.tracker.build import Imported
from plenipot.tracker.sheet import Problems

# a result's property path (as the report writes it) -> the sheet column that sets it
COLUMN_OF_PATH = {
    "dcterms:identifier": "id", "rdfs:label": "id", "pp:atConference": "conference",
    "pp:inDocument": "document", "pp:submittedBy": "submitters", "pp:action": "action",
    "pp:target": "target", "dcterms:title": "title", "dcterms:description": "summary",
    "pp:issueArea": "issue_areas", "pp:topic": "topics", "pp:status": "status",
    "pp:statusChange": "status_date", "dcterms:date": "status_date",
    "prov:atTime": "status_date", "dcterms:source": "source",
}


def check_imported(imported: Imported, turtle: bytes, file: str, data: tuple[Path, ...],
                   bundled: bool, replaces: Path | None = None,
                   lines: dict[str, int] | None = None) -> list[str]:
    """``InputError`` (via ``Problems``) for every violation on what the import wrote
    (``turtle``, the serialized ``imported.graph``); the warnings on it, as lines to show,
    otherwise. ``lines``: the line of each subject in ``turtle`` (``to_turtle`` gives them),
    so that the validation need not scan the file to index it."""
    from plenipot.validation.shacl import validate

    skip = replaces.resolve() if replaces is not None else None
    others = [path for path in expand(data) if path.resolve() != skip]
    with tempfile.TemporaryDirectory(prefix="plenipot-import-") as folder:
        written = Path(folder) / "imported.ttl"
        written.write_bytes(turtle)
        indexes = None
        if lines is not None:
            indexes = {written.resolve(): _known_index(written, turtle, lines, imported)}
        report = validate([*others, written], bundled=bundled, indexes=indexes)
    problems = Problems(file)
    warnings = Problems(file)
    for result in report.results:
        line = imported.lines.get(URIRef(result.focus))
        if line is None:
            continue
        column = COLUMN_OF_PATH.get(result.path or "")
        if result.rule and "target" in result.rule:
            column = "target"
        elif result.rule and "status" in result.rule and column is None:
            column = "status_date"
        message = f"{result.message} [{result.rule}]" if result.rule else result.message
        (problems if result.severity == "violation" else warnings).add(line, column, message)
    problems.raise_if_any()
    return warnings.lines


def _known_index(path: Path, turtle: bytes, lines: dict[str, int], imported: Imported):
    """The ``FileIndex`` of the written file from what the import wrote, as the one-pass scan
    would make it (the line of each subject; the datatypes of the literals, and whether one
    is in a form Oxigraph would rewrite), without scanning 60 MB of Turtle again."""
    from plenipot.sources.locate import FileIndex, kept_as_written

    datatypes: set[str] = set()
    rewritten = False
    for _, _, o in imported.graph:
        if isinstance(o, Literal) and o.datatype is not None:
            datatypes.add(str(o.datatype))
            rewritten = rewritten or not kept_as_written(str(o), str(o.datatype))
    return FileIndex.known(path, turtle.decode("utf-8"), dict(lines), datatypes, rewritten)
