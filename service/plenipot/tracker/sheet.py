"""Reading the tracker spreadsheet (DESIGN.md §4: CSV UTF-8, ``.xlsx`` or ``.ods``): rows with
the line they start on, and every problem of a file collected for one report.

Workbooks are read with python-calamine (one reader for both formats, no formula engine, no
macros run); a sheet is chosen by name (``--sheet``), else the first one. A workbook's rows are
numbered as the spreadsheet program shows them, so ``file:7`` is row 7 on screen.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
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


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")


def read_tracker(path: Path, file: str | None = None, sheet: str | None = None) -> list[TrackerRow]:
    """The rows of a tracker sheet (a CSV in UTF-8, with or without BOM, or a workbook), header
    row first; blank rows are skipped. ``InputError`` for an unreadable file, a bad header or a
    row with too many cells."""
    file = file or str(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _rows(_workbook_rows(path, file, sheet), file)
    if sheet is not None:
        raise InputError(f"--sheet {sheet!r}: a CSV file has one sheet; --sheet is for .xlsx "
                         "and .ods workbooks", Location(file))
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
    return _rows(_csv_rows(text, file), file)


def _csv_rows(text: str, file: str):
    """``(line, cells)`` for each CSV record, the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"not a readable CSV row: {error}",
                         Location(file, reader.line_num)) from None


def _workbook_rows(path: Path, file: str, sheet: str | None):
    """``(row number, cells)`` of one sheet of an .xlsx or .ods workbook, cells as text."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except OSError as error:
        raise InputError(error.strerror or str(error), Location(file)) from None
    except (CalamineError, ValueError, Exception) as error:  # a zip or XML the reader refuses
        raise InputError(f"not a readable {path.suffix.lstrip('.')} workbook ({error})",
                         Location(file)) from None
    names = workbook.sheet_names
    if sheet is None and not names:
        raise InputError("the workbook has no sheets", Location(file))
    if sheet is not None and sheet not in names:
        raise InputError(f"no sheet named {sheet!r}; the sheets are "
                         f"{', '.join(repr(n) for n in names)}", Location(file))
    chosen = workbook.get_sheet_by_name(sheet if sheet is not None else names[0])
    first = chosen.start[0] if chosen.start else 0
    for offset, cells in enumerate(chosen.to_python(skip_empty_area=False)):
        yield first + offset + 1, [cell_text(cell) for cell in cells]


def cell_text(value) -> str:
    """A workbook cell as the CSV would hold it: dates ``YYYY-MM-DD``, whole numbers without
    ``.0`` (a document number typed as 44 is read as 44.0)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(records, file: str) -> list[TrackerRow]:
    """The rows under the header of ``(line, cells)`` records."""
    problems = Problems(file)
    records = iter(records)
    header_line, header = next(((line, cells) for line, cells in records
                                if any(str(c).strip() for c in cells)), (1, None))
    if not header:
        raise InputError("the header row is missing (expected the columns "
                         f"{', '.join(COLUMNS)})", Location(file, 1))
    names = _check_header(header, problems, header_line)
    problems.raise_if_any()
    rows: list[TrackerRow] = []
    for start, cells in records:
        if any(cell.strip() for cell in cells):
            if any(cell.strip() for cell in cells[len(names):]):
                problems.add(start, None, f"the row has {len(cells)} cells but the header "
                                          f"has {len(names)} columns")
            values = {name: (cells[i].strip() if i < len(cells) else "")
                      for i, name in enumerate(names) if name}
            rows.append(TrackerRow(start, values))
    problems.raise_if_any()
    return rows


def _check_header(header: list[str], problems: Problems, line: int = 1) -> list[str]:
    """The column names, lower case. A column without a name is left out; an unknown name is
    reported, so that a misspelt optional column does not drop its data silently."""
    names = [cell.strip().lower() for cell in header]
    seen: set[str] = set()
    for name in filter(None, names):
        if name in seen:
            problems.add(line, name, "appears twice in the header")
        seen.add(name)
    unknown = [name for name in names if name and name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        hint = ""
        if len(names) == 1 and ";" in names[0]:
            hint = " (the file looks ';'-separated: save it with ',' between columns)"
        problems.add(line, None, "missing required column(s): "
                              f"{', '.join(repr(n) for n in missing)}{hint}")
    elif unknown:
        problems.add(line, None, f"unknown column(s): {', '.join(repr(n) for n in unknown)}; "
                              f"the columns are {', '.join(COLUMNS)}")
    return names


def split(value: str) -> list[str]:
    """The values of a ``;``-separated cell, stripped, empty ones left out."""
    return [part.strip() for part in value.split(";") if part.strip()]


