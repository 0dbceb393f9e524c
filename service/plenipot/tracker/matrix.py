"""The issues matrix as trackers use it: resolutions (and other targets) grouped by issue area ×
the submitters, every regional organization a column even when empty and every tracked
resolution (one filed under an issue area) a row even when no proposal targets it — an empty
cell is information. A status filter asks for proposals, so it keeps only the rows that have
one.

    issues_matrix(store, *, conference=None, issue_area=None, status=None) -> Matrix

``Matrix.columns`` (``Column(iri, code, label, kind, short)``: ``short`` is the name trackers
write, "CEPT", "Arab States"), ``Matrix.groups`` (``Group(iri, key, label, rows)`` with
``Row(iri, label, title, outcome, positions)``: the revision the conference adopted, or "no
change", and the stakeholders' positions on the resolution or its topics), ``Matrix.rows`` (each
row once) and ``matrix.cell(row, column) -> list[Cell]``, each ``Cell(proposal, action, status,
iri)``. Each part is one query of ``sparql/matrix-*.rq``; filters are bound as RDF terms.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from rdflib import URIRef

from plenipot.namespaces import PP
from plenipot.queries.header import NamedQuery, sparql
from plenipot.queries.run import select
from plenipot.results import Term
from plenipot.store.base import Store
from plenipot.tracker.tables import _concept, _natural, _text, key_of, target_text

NO_CHANGE = "no change"


class Cell(NamedTuple):
    proposal: str  # the ITU identifier, "EUR/44A1/1"
    action: str  # "MOD"
    status: str  # status key, "adopted"
    iri: URIRef


class Position(NamedTuple):
    holder: URIRef
    stance: URIRef | None
    via: URIRef | None  # the topic, when the position is on a topic of the resolution
    iri: URIRef


@dataclass(frozen=True)
class Column:
    iri: URIRef
    code: str  # "CEPT", "USA", "ARAB"
    label: str  # the full name
    kind: str  # "regional-organization", "member-state" or "other"
    short: str = ""  # the name trackers write: "CEPT", "Arab States"

    @property
    def name(self) -> str:
        return self.short or self.code


@dataclass(frozen=True)
class Row:
    iri: URIRef  # the resolution (not the revision), decision, article or draft resolution
    label: str  # "Resolution 102"
    title: str
    outcome: str = ""  # "Rev. Bucharest, 2022", NO_CHANGE, or "" without a conference
    outcome_iri: URIRef | None = None
    positions: tuple[Position, ...] = ()


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


def _area_lines(value: Term | None, labels: dict[URIRef, str]) -> set[URIRef]:
    areas = set()
    for line in _text(value).splitlines():
        iri, _, label = line.partition(" ")
        if iri:
            areas.add(URIRef(iri))
            if label:
                labels.setdefault(URIRef(iri), label)
    return areas


def short_name(code: str, alternatives: list[str]) -> str:
    """The name trackers write for an organization: the identifier, unless another name of it
    starts with the identifier and says more ("ARAB" -> "Arab States")."""
    longer = [a for a in alternatives if a.casefold().startswith(code.casefold()) and a != code]
    return min(longer, key=len) if longer and len(min(longer, key=len)) <= 16 else code


def _query(name: str) -> NamedQuery:
    return sparql("plenipot.tracker", name)


_COLUMN_ORDER = {"regional-organization": 0, "member-state": 1, "other": 2}
_KIND_ORDER = {PP.Resolution: 0, PP.Decision: 1, PP.Article: 2, PP.DraftResolution: 3}


def issues_matrix(store: Store, *, conference: str | None = None, issue_area: str | None = None,
                  status: str | None = None) -> Matrix:
    """The issues matrix (see the module docstring)."""
    area_filter = _concept("issue_area", issue_area, "issue-area") if issue_area else None
    bindings = {}  # each filter switches on its piece of matrix-cells.rq
    if conference:
        bindings["f_conference"] = _concept("conference", conference, "conference")
    if status:
        bindings["f_status"] = _concept("status", status, "status")
    query = sparql("plenipot.tracker", "matrix-cells")
    rows: dict[URIRef, dict] = {}
    cells: dict[tuple[URIRef, URIRef], dict[URIRef, Cell]] = {}
    labels: dict[URIRef, str] = {}
    for r in select(store, query, bindings).rows:
        instrument = r["instrument"]
        row = rows.setdefault(instrument, {"data": {}, "row_areas": set(), "proposal_areas": set()})
        row["data"].update({"kind": r.get("kindIri"), "instrument": instrument,
                            "number": r.get("targetNumber"), "body": r.get("targetBody"),
                            "articleNumber": r.get("targetArticle"), "part": r.get("targetPart"),
                            "partCode": r.get("targetPartCode"), "title": r.get("targetTitle")})
        row["row_areas"] |= _area_lines(r.get("rowAreas"), labels)
        row["proposal_areas"] |= _area_lines(r.get("proposalAreas"), labels)
        cells.setdefault((instrument, r["submitter"]), {})[r["p"]] = Cell(
            proposal=_text(r.get("id")) or key_of(r["p"]),
            action=_text(r.get("actionCode")) or key_of(r.get("action")).upper(),
            status=key_of(r.get("status")),
            iri=r["p"],
        )
    if not status:  # every tracked resolution, even with no proposal
        for r in select(store, _query("matrix-tracked")).rows:
            row = rows.setdefault(r["instrument"], {"data": {}, "row_areas": set(),
                                                    "proposal_areas": set()})
            row["data"].setdefault("kind", PP.Resolution)
            for key, name in (("instrument", "instrument"), ("number", "number"),
                              ("body", "body"), ("title", "title")):
                if row["data"].get(key) is None and name in r:
                    row["data"][key] = r[name]
            row["row_areas"].add(r["area"])
            if "areaLabel" in r:
                labels.setdefault(r["area"], str(r["areaLabel"]))

    outcomes = _outcomes(store, bindings.get("f_conference"))
    positions = _positions(store)
    grouped: dict[URIRef | None, list[Row]] = {}
    for iri, row in rows.items():
        areas = row["row_areas"] or row["proposal_areas"] or {None}
        outcome, outcome_iri = "", None
        if conference and row["data"].get("kind") == PP.Resolution:
            outcome_iri, outcome = outcomes.get(iri, (None, NO_CHANGE))
        built = Row(iri=iri, label=target_text(row["data"]), title=_text(row["data"].get("title")),
                    outcome=outcome, outcome_iri=outcome_iri,
                    positions=tuple(sorted(positions.get(iri, []),
                                          key=lambda p: (str(p.holder), str(p.iri)))))
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
    column_list = sorted(_columns(store, used), key=lambda c: (_COLUMN_ORDER[c.kind], c.name))
    cell_lists = {
        key: sorted(by_proposal.values(), key=lambda cell: _natural(cell.proposal))
        for key, by_proposal in cells.items() if key[0] in shown
    }
    return Matrix(columns=column_list, groups=groups, cells=cell_lists)


def _columns(store: Store, used: set[URIRef]) -> list[Column]:
    """Every regional organization, and the other submitters that have a proposal shown."""
    regional = {r["s"] for r in select(store, _query("regional-organizations")).rows}
    wanted = tuple(sorted(regional | set(used)))
    found: dict[URIRef, dict] = {}
    for r in select(store, _query("matrix-submitters"), {"s": wanted}).rows:
        if "s" not in r:
            continue
        column = found.setdefault(r["s"], {"kind": "other", "code": "", "label": "", "alt": set()})
        if r.get("kind") == PP.RegionalOrganization:
            column["kind"] = "regional-organization"
        elif r.get("kind") == PP.MemberState and column["kind"] == "other":
            column["kind"] = "member-state"
        if "code" in r:
            column["code"] = str(r["code"])
        if "label" in r and (not column["label"] or len(str(r["label"])) > len(column["label"])):
            column["label"] = str(r["label"])
        if "alt" in r:
            column["alt"].add(str(r["alt"]))
    columns = []
    for iri, c in found.items():
        code = c["code"] or key_of(iri).upper()
        short = short_name(code, sorted(c["alt"])) if c["kind"] == "regional-organization" else code
        columns.append(Column(iri=iri, code=code, label=c["label"] or code, kind=c["kind"],
                              short=short))
    return columns


def _outcomes(store: Store, conference: URIRef | None) -> dict[URIRef, tuple[URIRef, str]]:
    if conference is None:
        return {}
    found = {}
    for r in select(store, _query("matrix-outcomes"), {"conference": conference}).rows:
        label = _text(r.get("label")) or key_of(r["revision"])
        found.setdefault(r["instrument"], (r["revision"], label))
    return found


def _positions(store: Store) -> dict[URIRef, list[Position]]:
    found: dict[URIRef, dict[URIRef, Position]] = {}
    for r in select(store, _query("matrix-positions")).rows:
        found.setdefault(r["instrument"], {}).setdefault(r["position"], Position(
            r["holder"], r.get("stance"), r.get("via"), r["position"]))
    return {iri: list(by.values()) for iri, by in found.items()}
