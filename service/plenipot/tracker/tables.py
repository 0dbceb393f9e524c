"""The proposals list and the issues matrix: the tables that the HTML pages and the CSV downloads
share.

    proposal_rows(store, *, conference=None, issue_area=None, status=None, submitter=None)
        -> list[dict]
    issues_matrix(store, *, conference=None, issue_area=None, status=None) -> Matrix
    write_csv(rows_or_matrix, file) -> None

``proposal_rows`` gives one dict per proposal with exactly the tracker-spreadsheet columns of
DESIGN.md §4 (``COLUMNS``: codes, not IRIs; ``;`` joins several values) plus extra keys starting
with ``_`` that hold the IRIs for links (``_iri``, ``_conference_iri``, ``_document_iri``,
``_submitter_iris``, ``_action_iri``, ``_target_iri`` (a revision, say),
``_instrument_iri`` (the resolution it revises), ``_issue_area_iris``, ``_topic_iris``,
``_status_iri``: ``URIRef`` or lists of them, ``None`` when absent). ``write_csv`` leaves the
``_`` keys out, so an export can be read back by the tracker import.

``issues_matrix`` gives the resolutions (and other targets: decisions, articles, draft
resolutions) grouped by issue area (a resolution's own areas, else those of the proposals that
target it) × the submitters (regional organizations, then member states, then any other), with
the proposals in each cell as ``Cell(proposal, action, status, iri)``:
``Matrix.columns`` (``Column(iri, code, label, kind)``), ``Matrix.groups`` (``Group(iri, key,
label, rows)`` with ``Row(iri, label, title)``), ``Matrix.rows`` (each row once) and
``matrix.cell(row, column) -> list[Cell]``.

Filters take a key (``pp-22``, ``cybersecurity``, ``adopted``), a code (``PP-22``; for the
submitter its identifier, ``CEPT`` or ``USA``) or a full IRI; a malformed one is a
``ParameterError`` naming the parameter. Each table is one SPARQL query; the filters are
bound as RDF terms (``plenipot.store.binding``).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from typing import IO, NamedTuple

from rdflib import Literal, URIRef

from plenipot.errors import ParameterError
from plenipot.linked_data.describe import is_iri
from plenipot.namespaces import PP, PPID, sparql_prologue
from plenipot.results import Term
from plenipot.store.base import Store

COLUMNS = ("id", "conference", "document", "submitters", "action", "target", "title", "summary",
           "issue_areas", "topics", "status", "status_date", "source")
TABLES = ("proposals", "issues-matrix")
MATRIX_LEAD_COLUMNS = ("issue_area", "resolution", "title")

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


def _submitter(value: str, bindings: dict) -> str:
    """A submitter filter as a graph pattern: its IRI, or its identifier ("CEPT", "USA")."""
    value = value.strip()
    if value.startswith(("http://", "https://")):
        bindings["fSubmitter"] = _iri("submitter", value)
        return "?p pp:submittedBy ?fSubmitter ."
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9 .-]*$", value):
        raise ParameterError("submitter", f"{value!r} is not an organization or country code "
                                          "(e.g. CEPT, USA) nor an IRI")
    bindings["fSubmitterCode"] = Literal(value.upper())
    return ("?p pp:submittedBy ?submitterByCode . "
            "?submitterByCode dcterms:identifier ?submitterCode . "
            "FILTER(UCASE(STR(?submitterCode)) = ?fSubmitterCode)")


def _filters(conference, issue_area, status, submitter=None) -> tuple[str, dict]:
    """Graph patterns restricting ``?p``, the proposal, and the RDF terms they bind."""
    patterns: list[str] = []
    bindings: dict = {}
    for parameter, value, scheme, prop in (("conference", conference, "conference", "atConference"),
                                           ("issue_area", issue_area, "issue-area", "issueArea"),
                                           ("status", status, "status", "status")):
        if value:
            variable = "f" + prop[0].upper() + prop[1:]
            bindings[variable] = _concept(parameter, value, scheme)
            patterns.append(f"?p pp:{prop} ?{variable} .")
    if submitter:
        patterns.append(_submitter(submitter, bindings))
    return "\n    ".join(patterns), bindings


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


# The target, seen through a revision to the instrument it revises. Used inside an OPTIONAL
# (or after the proposal is matched), so that ?target is bound first.
_TARGET_PATTERN = """
    OPTIONAL { ?target pp:revisionOf ?revised }
    BIND(COALESCE(?revised, ?target) AS ?instrument)
    OPTIONAL { ?instrument a ?kind
               FILTER(?kind IN (pp:Resolution, pp:Decision, pp:DraftResolution, pp:Article)) }
    OPTIONAL { ?instrument pp:number ?number }
    OPTIONAL { ?instrument pp:ownedBy ?body }
    OPTIONAL { ?instrument pp:articleNumber ?articleNumber }
    OPTIONAL { ?instrument dcterms:isPartOf ?part OPTIONAL { ?part dcterms:identifier ?partCode } }
    OPTIONAL { ?instrument dcterms:title ?title }
"""


# --- the proposals list ----------------------------------------------------------------------

_PROPOSALS = """
SELECT ?p
    (SAMPLE(?id_) AS ?id) (SAMPLE(?conference_) AS ?conference) (SAMPLE(?confCode_) AS ?confCode)
    (SAMPLE(?doc_) AS ?doc) (SAMPLE(?docNumber_) AS ?docNumber) (SAMPLE(?addendum_) AS ?addendum)
    (SAMPLE(?docRevision_) AS ?docRevision)
    (GROUP_CONCAT(DISTINCT ?submitterPair; separator="\\n") AS ?submitters)
    (SAMPLE(?action_) AS ?action) (SAMPLE(?actionCode_) AS ?actionCode)
    (SAMPLE(?target) AS ?targetIri) (SAMPLE(?instrument) AS ?instrumentIri)
    (SAMPLE(?kind) AS ?kindIri)
    (SAMPLE(?number) AS ?targetNumber) (SAMPLE(?body) AS ?targetBody)
    (SAMPLE(?articleNumber) AS ?targetArticle) (SAMPLE(?part) AS ?targetPart)
    (SAMPLE(?partCode) AS ?targetPartCode) (SAMPLE(?title) AS ?targetTitle)
    (SAMPLE(?ptitle_) AS ?ptitle) (SAMPLE(?summary_) AS ?summary)
    (GROUP_CONCAT(DISTINCT STR(?area_); separator=" ") AS ?areas)
    (GROUP_CONCAT(DISTINCT STR(?topic_); separator=" ") AS ?topics)
    (SAMPLE(?status_) AS ?status) (MAX(?statusDate_) AS ?statusDate)
    (GROUP_CONCAT(DISTINCT STR(?source_); separator=" ") AS ?sources)
WHERE {
    ?p a pp:Proposal .
    {filters}
    OPTIONAL { ?p dcterms:identifier ?id_ }
    OPTIONAL { ?p pp:atConference ?conference_
               OPTIONAL { ?conference_ dcterms:identifier ?confCode_ } }
    OPTIONAL { ?p pp:inDocument ?doc_
               OPTIONAL { ?doc_ pp:documentNumber ?docNumber_ }
               OPTIONAL { ?doc_ pp:addendum ?addendum_ }
               OPTIONAL { ?doc_ pp:documentRevision ?docRevision_ } }
    OPTIONAL { ?p pp:submittedBy ?submitter_
               OPTIONAL { ?submitter_ dcterms:identifier ?submitterCode_ }
               BIND(CONCAT(STR(?submitter_), " ", COALESCE(STR(?submitterCode_), ""))
                    AS ?submitterPair) }
    OPTIONAL { ?p pp:action ?action_ OPTIONAL { ?action_ skos:notation ?actionCode_ } }
    OPTIONAL { ?p pp:target ?target {target} }
    OPTIONAL { ?p dcterms:title ?ptitle_ }
    OPTIONAL { ?p dcterms:description ?summary_ }
    OPTIONAL { ?p pp:issueArea ?area_ }
    OPTIONAL { ?p pp:topic ?topic_ }
    OPTIONAL { ?p dcterms:source ?source_ }
    OPTIONAL { ?p pp:status ?status_
               OPTIONAL { ?p pp:statusChange ?change_ . ?change_ pp:status ?status_
                          OPTIONAL { ?change_ dcterms:date ?changeDate_ }
                          OPTIONAL { ?change_ prov:atTime ?changeTime_ }
                          BIND(SUBSTR(STR(COALESCE(?changeDate_, ?changeTime_)), 1, 10)
                               AS ?statusDate_) } }
}
GROUP BY ?p
"""


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
    filters, bindings = _filters(conference, issue_area, status, submitter)
    query = sparql_prologue() + (_PROPOSALS.replace("{filters}", filters)
                                 .replace("{target}", _TARGET_PATTERN))
    from plenipot.tracker.history import current_status  # history imports nothing from here

    latest = current_status(store)
    rows = []
    for r in store.select(query, bindings).rows:
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
            "source": ";".join(_text(r.get("sources")).split()),
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


# --- the issues matrix -----------------------------------------------------------------------

class Cell(NamedTuple):
    proposal: str  # the ITU identifier, "EUR/44A1/1"
    action: str  # "MOD"
    status: str  # status key, "adopted"
    iri: URIRef


@dataclass(frozen=True)
class Column:
    iri: URIRef
    code: str  # "CEPT", "USA"
    label: str
    kind: str  # "regional-organization", "member-state" or "other"


@dataclass(frozen=True)
class Row:
    iri: URIRef  # the resolution (not the revision), decision, article or draft resolution
    label: str  # "Resolution 102"
    title: str


@dataclass
class Group:
    iri: URIRef | None  # the issue area; None for targets without one
    key: str  # "cybersecurity", "" for none
    label: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Matrix:
    columns: list[Column]
    groups: list[Group]
    cells: dict[tuple[URIRef, URIRef], list[Cell]]

    def cell(self, row: Row | URIRef, column: Column | URIRef) -> list[Cell]:
        row_iri = row.iri if isinstance(row, Row) else row
        column_iri = column.iri if isinstance(column, Column) else column
        return self.cells.get((row_iri, column_iri), [])

    @property
    def rows(self) -> list[Row]:
        """Every row once, in group order (a row can sit in several groups)."""
        seen: dict[URIRef, Row] = {}
        for group in self.groups:
            for row in group.rows:
                seen.setdefault(row.iri, row)
        return list(seen.values())


# one row per (proposal, submitter, target); areas as "IRI label" lines
_MATRIX = """
SELECT ?p ?submitter ?instrument
    (SAMPLE(?id_) AS ?id) (SAMPLE(?actionCode_) AS ?actionCode) (SAMPLE(?action_) AS ?action)
    (SAMPLE(?status_) AS ?status) (SAMPLE(?kind) AS ?kindIri) (SAMPLE(?number) AS ?targetNumber)
    (SAMPLE(?body) AS ?targetBody) (SAMPLE(?articleNumber) AS ?targetArticle)
    (SAMPLE(?part) AS ?targetPart) (SAMPLE(?partCode) AS ?targetPartCode)
    (SAMPLE(?title) AS ?targetTitle) (SAMPLE(?submitterCode_) AS ?submitterCode)
    (GROUP_CONCAT(DISTINCT STR(?submitterKind_); separator=" ") AS ?submitterKinds)
    (SAMPLE(?submitterLabel_) AS ?submitterLabel)
    (GROUP_CONCAT(DISTINCT CONCAT(STR(?rowArea_), " ", COALESCE(STR(?rowAreaLabel_), ""));
                  separator="\\n") AS ?rowAreas)
    (GROUP_CONCAT(DISTINCT CONCAT(STR(?proposalArea_), " ",
                                  COALESCE(STR(?proposalAreaLabel_), "")); separator="\\n")
     AS ?proposalAreas)
WHERE {
    ?p a pp:Proposal ; pp:target ?target ; pp:submittedBy ?submitter .
    {filters}
    {target}
    OPTIONAL { ?p dcterms:identifier ?id_ }
    OPTIONAL { ?p pp:action ?action_ OPTIONAL { ?action_ skos:notation ?actionCode_ } }
    OPTIONAL { ?p pp:status ?status_ }
    OPTIONAL { ?submitter dcterms:identifier ?submitterCode_ }
    OPTIONAL { ?submitter a ?submitterKind_
               FILTER(?submitterKind_ IN (pp:RegionalOrganization, pp:MemberState)) }
    OPTIONAL { ?submitter skos:prefLabel|rdfs:label ?submitterLabel_ }
    OPTIONAL { ?instrument pp:issueArea ?rowArea_
               OPTIONAL { ?rowArea_ skos:prefLabel ?rowAreaLabel_ } }
    OPTIONAL { ?p pp:issueArea ?proposalArea_
               OPTIONAL { ?proposalArea_ skos:prefLabel ?proposalAreaLabel_ } }
}
GROUP BY ?p ?submitter ?instrument
"""


def _area_lines(value: Term | None, labels: dict[URIRef, str]) -> set[URIRef]:
    areas = set()
    for line in _text(value).splitlines():
        iri, _, label = line.partition(" ")
        if iri:
            areas.add(URIRef(iri))
            if label:
                labels.setdefault(URIRef(iri), label)
    return areas


_COLUMN_ORDER = {"regional-organization": 0, "member-state": 1, "other": 2}
_KIND_ORDER = {PP.Resolution: 0, PP.Decision: 1, PP.Article: 2, PP.DraftResolution: 3}


def issues_matrix(store: Store, *, conference: str | None = None, issue_area: str | None = None,
                  status: str | None = None) -> Matrix:
    """The issues matrix (see the module docstring)."""
    area_filter = _concept("issue_area", issue_area, "issue-area") if issue_area else None
    filters, bindings = _filters(conference, None, status)
    query = sparql_prologue() + (_MATRIX.replace("{filters}", filters)
                                 .replace("{target}", _TARGET_PATTERN))
    rows: dict[URIRef, dict] = {}
    columns: dict[URIRef, dict] = {}
    cells: dict[tuple[URIRef, URIRef], dict[URIRef, Cell]] = {}
    labels: dict[URIRef, str] = {}
    for r in store.select(query, bindings).rows:
        instrument = r["instrument"]
        row = rows.setdefault(instrument, {"data": {}, "row_areas": set(), "proposal_areas": set()})
        row["data"].update({"kind": r.get("kindIri"), "instrument": instrument,
                            "number": r.get("targetNumber"), "body": r.get("targetBody"),
                            "articleNumber": r.get("targetArticle"), "part": r.get("targetPart"),
                            "partCode": r.get("targetPartCode"), "title": r.get("targetTitle")})
        row["row_areas"] |= _area_lines(r.get("rowAreas"), labels)
        row["proposal_areas"] |= _area_lines(r.get("proposalAreas"), labels)
        submitter = r["submitter"]
        column = columns.setdefault(submitter, {"code": "", "label": "", "kind": "other"})
        if "submitterCode" in r:
            column["code"] = str(r["submitterCode"])
        if "submitterLabel" in r and not column["label"]:
            column["label"] = str(r["submitterLabel"])
        kinds = _text(r.get("submitterKinds")).split()
        if str(PP.RegionalOrganization) in kinds:
            column["kind"] = "regional-organization"
        elif str(PP.MemberState) in kinds and column["kind"] == "other":
            column["kind"] = "member-state"
        cells.setdefault((instrument, submitter), {})[r["p"]] = Cell(
            proposal=_text(r.get("id")) or key_of(r["p"]),
            action=_text(r.get("actionCode")) or key_of(r.get("action")).upper(),
            status=key_of(r.get("status")),
            iri=r["p"],
        )

    grouped: dict[URIRef | None, list[Row]] = {}
    for iri, row in rows.items():
        areas = row["row_areas"] or row["proposal_areas"] or {None}
        built = Row(iri=iri, label=target_text(row["data"]), title=_text(row["data"].get("title")))
        for area in areas:
            if area_filter is None or area == area_filter:
                grouped.setdefault(area, []).append(built)
    kinds = {iri: row["data"].get("kind") for iri, row in rows.items()}
    groups = [
        Group(iri=area, key=key_of(area) if area else "",
              label=labels.get(area, key_of(area)) if area else "No issue area",
              rows=sorted(members, key=lambda row: (_KIND_ORDER.get(kinds[row.iri], 9),
                                                    _natural(row.label))))
        for area, members in grouped.items()
    ]
    groups.sort(key=lambda g: (g.iri is None, g.label.lower()))

    shown = {row.iri for group in groups for row in group.rows}
    used = {column for (instrument, column) in cells if instrument in shown}
    column_list = sorted(
        (Column(iri=iri, code=c["code"] or key_of(iri).upper(), label=c["label"] or c["code"],
                kind=c["kind"]) for iri, c in columns.items() if iri in used),
        key=lambda c: (_COLUMN_ORDER[c.kind], c.code),
    )
    cell_lists = {
        key: sorted(by_proposal.values(), key=lambda cell: _natural(cell.proposal))
        for key, by_proposal in cells.items() if key[0] in shown
    }
    return Matrix(columns=column_list, groups=groups, cells=cell_lists)


# --- CSV -------------------------------------------------------------------------------------

def cell_text(cells: list[Cell]) -> str:
    """A matrix cell in CSV: ``MOD EUR/44A1/1 (adopted);SUP ...``."""
    return ";".join(f"{c.action} {c.proposal}" + (f" ({c.status})" if c.status else "")
                    for c in cells)


def write_csv(table: list[dict] | Matrix, file: IO[str]) -> None:
    """Write the proposals list (tracker columns only) or the issues matrix as CSV (RFC 4180).

    ``file`` is a text file opened with ``newline=""``."""
    writer = csv.writer(file, lineterminator="\r\n")
    if isinstance(table, Matrix):
        writer.writerow([*MATRIX_LEAD_COLUMNS, *(c.code for c in table.columns)])
        for group in table.groups:
            for row in group.rows:
                writer.writerow([group.key, row.label, row.title,
                                 *(cell_text(table.cell(row, c)) for c in table.columns)])
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
        filters.pop("submitter", None)
        data = issues_matrix(store, **filters)
    buffer = io.StringIO(newline="")
    write_csv(data, buffer)
    return buffer.getvalue().encode("utf-8")
