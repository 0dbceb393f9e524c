"""Reading the tracker spreadsheet (CSV, DESIGN.md §4): rows with the line they start on, and
every problem of a file collected for one report."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from plenipot.errors import InputError, Location
from plenipot.tracker.tables import COLUMNS

REQUIRED = ("id", "conference", "document", "submitters", "action", "target", "status",
            "status_date", "source")


@dataclass
class TrackerRow:
    line: int  # the line of the file the row starts on (the header is line 1)
    cells: dict[str, str]


class Problems:
    """Every problem found in one file, as ``FILE:LINE: column 'NAME': message`` lines."""

    def __init__(self, file: str):
        self.file = file
        self.lines: list[str] = []

    def add(self, line: int | None, column: str | None, message: str) -> None:
        where = Location(self.file, line)
        self.lines.append(f"{where}: column {column!r}: {message}" if column
                          else f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.lines:
            raise InputError("\n".join(self.lines))


def read_tracker(path: Path, file: str | None = None) -> list[TrackerRow]:
    """The rows of a tracker CSV (UTF-8, with or without BOM, header row first); blank rows are
    skipped. ``InputError`` for an unreadable file, a bad header or a row with too many cells."""
    file = file or str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(error.strerror or str(error), Location(file)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte {error.start + 1}: {error.reason}); save the "
                         "spreadsheet as 'CSV UTF-8'", Location(file, line)) from None
    problems = Problems(file)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise InputError("the header row is missing (expected the columns "
                             f"{', '.join(COLUMNS)})", Location(file, 1))
        names = _check_header(header, problems)
        problems.raise_if_any()
        rows: list[TrackerRow] = []
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if any(cell.strip() for cell in cells[len(names):]):
                    problems.add(start, None, f"the row has {len(cells)} cells but the header "
                                              f"has {len(names)} columns")
                values = {name: (cells[i].strip() if i < len(cells) else "")
                          for i, name in enumerate(names) if name}
                rows.append(TrackerRow(start, values))
            start = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"not a readable CSV row: {error}",
                         Location(file, reader.line_num)) from None
    problems.raise_if_any()
    return rows


def _check_header(header: list[str], problems: Problems) -> list[str]:
    """The column names, lower case. A column without a name is left out; an unknown name is
    reported, so that a misspelt optional column does not drop its data silently."""
    names = [cell.strip().lower() for cell in header]
    seen: set[str] = set()
    for name in filter(None, names):
        if name in seen:
            problems.add(1, name, "appears twice in the header")
        seen.add(name)
    unknown = [name for name in names if name and name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        hint = ""
        if len(names) == 1 and ";" in names[0]:
            hint = " (the file looks ';'-separated: save it with ',' between columns)"
        problems.add(1, None, "missing required column(s): "
                              f"{', '.join(repr(n) for n in missing)}{hint}")
    elif unknown:
        problems.add(1, None, f"unknown column(s): {', '.join(repr(n) for n in unknown)}; "
                              f"the columns are {', '.join(COLUMNS)}")
    return names


def split(value: str) -> list[str]:
    """The values of a ``;``-separated cell, stripped, empty ones left out."""
    return [part.strip() for part in value.split(";") if part.strip()]


