"""The proposals list, and the CSV of it and of the issues matrix (``tracker.matrix``): the
tables that the HTML pages and the CSV downloads share.

    proposal_rows(store, *, conference=None, issue_area=None, status=None, submitter=None)
        -> list[dict]
    write_csv(rows_or_matrix, file) -> None

``proposal_rows`` gives one dict per proposal with exactly the tracker-spreadsheet columns of
DESIGN.md §4 (``COLUMNS``: codes, not IRIs; ``;`` joins several values) plus extra keys starting
with ``_`` that hold the IRIs for links (``_iri``, ``_conference_iri``, ``_document_iri``,
``_submitter_iris``, ``_action_iri``, ``_target_iri`` (a revision, say),
``_instrument_iri`` (the resolution it revises), ``_issue_area_iris``, ``_topic_iris``,
``_status_iri``: ``URIRef`` or lists of them, ``None`` when absent). ``write_csv`` leaves the
``_`` keys out, so an export can be read back by the tracker import.

The current status of each proposal is derived from its dated entries (``tracker.history``).

Filters take a key (``pp-22``, ``cybersecurity``, ``adopted``), a code (``PP-22``; for the
submitter its identifier, ``CEPT`` or ``USA``) or a full IRI; a malformed one is a
``ParameterError`` naming the parameter. Each table is one SPARQL query; the filters are
bound as RDF terms (``plenipot.store.binding``).
"""

import csv
import io
import re
from typing import IO

from rdflib import Literal, URIRef

from plenipot.errors import ParameterError
from plenipot.linked_data.describe import is_iri
from plenipot.namespaces import PP, PPID
from plenipot.queries.header import sparql
from plenipot.queries.run import select
from plenipot.results import Term
from plenipot.store.base import Store
from plenipot.tracker.history import current_status

COLUMNS = ("id", "conference", "document", "submitters", "action", "target", "title", "summary",
           "issue_areas", "topics", "status", "status_date", "source")
TABLES = ("proposals", "issues-matrix")
MATRIX_LEAD_COLUMNS = ("issue_area", "resolution", "title")
MATRIX_TAIL_COLUMNS = ("outcome", "positions")

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# --- filters ---------------------------------------------------------------------------------

def _iri(parameter: str, value: str) -> URIRef:
    if not is_iri(value):
        raise ParameterError(parameter, f"{value!r} is not a well-formed IRI")
    return URIRef(value)


def _concept(parameter: str, value: str, scheme: str) -> URIRef:
    """An IRI given in full, or the key (any case) of a concept in ``id/{scheme}/``."""
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return _iri(parameter, value)
    key = value.lower()
    if not _KEY.match(key):
        raise ParameterError(parameter, f"{value!r} is not a {scheme} key (letters, digits, '-') "
                                        "nor an IRI")
    return URIRef(f"{PPID}{scheme}/{key}")


def _filters(conference, issue_area, status, submitter=None) -> dict:
    """The parameters of ``sparql/proposals-table.rq`` that restrict ``?p``, the proposal, as
    RDF terms (each switches on its piece)."""
    bindings: dict = {}
    for parameter, value, scheme in (("conference", conference, "conference"),
                                     ("issue_area", issue_area, "issue-area"),
                                     ("status", status, "status")):
        if value:
            bindings[f"f_{parameter}"] = _concept(parameter, value, scheme)
    if submitter:
        value = submitter.strip()
        if value.startswith(("http://", "https://")):
            bindings["f_submitter"] = _iri("submitter", value)
        elif re.match(r"^[A-Za-z0-9][A-Za-z0-9 .-]*$", value):
            bindings["f_submitter_code"] = Literal(value.upper())
        else:
            raise ParameterError("submitter", f"{value!r} is not an organization or country "
                                              "code (e.g. CEPT, USA) nor an IRI")
    return bindings


# --- codes -----------------------------------------------------------------------------------

def key_of(iri: Term | str | None) -> str:
    """The key of an instance IRI: its last path segment (``.../status/adopted`` -> ``adopted``)."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1] if iri else ""


def _text(term: Term | None) -> str:
    return str(term) if term is not None else ""


def document_code(number: Term | None, addendum: Term | None, revision: Term | None) -> str:
    """The ITU document number as trackers write it: ``44``, ``44(Add.1)``, ``44(Add.1)(Rev.1)``."""
    if number is None:
        return ""
    code = str(number)
    if addendum is not None and str(addendum) not in ("", "0"):
        code += f"(Add.{addendum})"
    if revision is not None and str(revision) not in ("", "0"):
        code += f"(Rev.{revision})"
    return code


_KIND_WORDS = {PP.Resolution: "Resolution", PP.Decision: "Decision"}


def target_text(row: dict) -> str:
    """What a proposal changes, as the tracker writes it: ``Resolution 102``,
    ``WTSA Resolution 64``, ``Decision 5``, ``CS Article 1``, ``new: use of AI``."""
    kind = row.get("kind")
    if kind == PP.DraftResolution:
        return f"new: {_text(row.get('title')) or key_of(row.get('instrument'))}"
    if row.get("articleNumber") is not None:
        part = _text(row.get("partCode")) or key_of(row.get("part")).upper()
        return f"{part} Article {row['articleNumber']}".strip()
    if row.get("number") is not None:
        word = _KIND_WORDS.get(kind, "Resolution")
        body = key_of(row.get("body"))
        prefix = f"{body.upper()} " if body and body != "pp" else ""
        return f"{prefix}{word} {row['number']}"
    return _text(row.get("title")) or key_of(row.get("instrument"))


# --- the proposals list ----------------------------------------------------------------------

def _submitter_pairs(value: Term | None) -> list[tuple[URIRef, str]]:
    pairs = []
    for line in _text(value).splitlines():
        iri, _, code = line.partition(" ")
        if iri:
            pairs.append((URIRef(iri), code or key_of(iri).upper()))
    return sorted(pairs, key=lambda pair: pair[1])


def _iris(value: Term | None) -> list[URIRef]:
    return sorted(URIRef(iri) for iri in _text(value).split())


def proposal_rows(store: Store, *, conference: str | None = None, issue_area: str | None = None,
                  status: str | None = None, submitter: str | None = None) -> list[dict]:
    """One dict per proposal: the tracker columns (``COLUMNS``) and the ``_`` IRI keys."""
    bindings = _filters(conference, issue_area, status, submitter)
    query = sparql("plenipot.tracker", "proposals-table")

    latest = current_status(store)
    rows = []
    for r in select(store, query, bindings).rows:
        if (entry := latest.get(r["p"])) is not None:  # derived from the dated entries
            r = {**r, "status": entry.status, "statusDate": entry.date or r.get("statusDate")}
        submitters = _submitter_pairs(r.get("submitters"))
        areas, topics = _iris(r.get("areas")), _iris(r.get("topics"))
        target = {"kind": r.get("kindIri"), "instrument": r.get("instrumentIri"),
                  "number": r.get("targetNumber"), "body": r.get("targetBody"),
                  "articleNumber": r.get("targetArticle"), "part": r.get("targetPart"),
                  "partCode": r.get("targetPartCode"), "title": r.get("targetTitle")}
        rows.append({
            "id": _text(r.get("id")) or key_of(r["p"]),
            "conference": _text(r.get("confCode")) or key_of(r.get("conference")).upper(),
            "document": document_code(r.get("docNumber"), r.get("addendum"), r.get("docRevision")),
            "submitters": ";".join(code for _, code in submitters),
            "action": _text(r.get("actionCode")) or key_of(r.get("action")).upper(),
            "target": target_text(target) if r.get("targetIri") is not None else "",
            "title": _text(r.get("ptitle")),
            "summary": _text(r.get("summary")),
            "issue_areas": ";".join(key_of(a) for a in areas),
            "topics": ";".join(key_of(t) for t in topics),
            "status": key_of(r.get("status")),
            "status_date": _text(r.get("statusDate")),
            "source": ";".join(sorted(_text(r.get("sources")).split())),
            "_iri": r["p"],
            "_conference_iri": r.get("conference"),
            "_document_iri": r.get("doc"),
            "_submitter_iris": [iri for iri, _ in submitters],
            "_action_iri": r.get("action"),
            "_target_iri": r.get("targetIri"),
            "_instrument_iri": r.get("instrumentIri"),
            "_issue_area_iris": areas,
            "_topic_iris": topics,
            "_status_iri": r.get("status"),
        })
    rows.sort(key=lambda row: (row["conference"], _natural(row["id"])))
    return rows


def _natural(text: str) -> list:
    """Sort key that puts ``EUR/44/2`` before ``EUR/44/10``."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text)]


# --- CSV -------------------------------------------------------------------------------------

def cell_text(cells) -> str:
    """A matrix cell in CSV: ``MOD EUR/44A1/1 (adopted);SUP ...``."""
    return ";".join(f"{c.action} {c.proposal}" + (f" ({c.status})" if c.status else "")
                    for c in cells)


def positions_text(positions) -> str:
    """The positions beside a matrix row: ``isoc: concern;isoc: oppose (on ip-addressing)``."""
    return ";".join(f"{key_of(p.holder)}: {key_of(p.stance) or 'position'}"
                    + (f" (on {key_of(p.via)})" if p.via else "") for p in positions)


def write_csv(table, file: IO[str]) -> None:
    """Write the proposals list (tracker columns only) or the issues matrix as CSV (RFC 4180):
    the matrix with the columns the page shows, short names as headers.

    ``file`` is a text file opened with ``newline=""``."""
    writer = csv.writer(file, lineterminator="\r\n")
    if not isinstance(table, list):  # the issues matrix
        writer.writerow([*MATRIX_LEAD_COLUMNS, *(c.name for c in table.columns),
                         *MATRIX_TAIL_COLUMNS])
        for group in table.groups:
            for row in group.rows:
                writer.writerow([group.key, row.label, row.title,
                                 *(cell_text(table.cell(row, c)) for c in table.columns),
                                 row.outcome, positions_text(row.positions)])
        return
    writer.writerow(COLUMNS)
    for row in table:
        writer.writerow([row.get(column, "") for column in COLUMNS])


def table_csv(store: Store, table: str, **filters) -> bytes:
    """One of ``TABLES`` as CSV; ``filters`` as ``proposal_rows`` / ``issues_matrix`` take."""
    if table not in TABLES:
        raise ParameterError("table", f"{table!r} is not one of {', '.join(TABLES)}")
    filters = {k: v for k, v in filters.items() if v}
    if table == "proposals":
        data = proposal_rows(store, **filters)
    else:
        from plenipot.tracker.matrix import issues_matrix  # the matrix builds on this module

        filters.pop("submitter", None)
        data = issues_matrix(store, **filters)
    buffer = io.StringIO(newline="")
    write_csv(data, buffer)
    return buffer.getvalue().encode("utf-8")
