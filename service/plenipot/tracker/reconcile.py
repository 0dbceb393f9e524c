"""A sheet row for a proposal the graph already holds: the row updates it (docs/decisions/0009).

    existing_of(store, iris) -> {iri: Existing}    what the graph says about the proposals it
                                                   holds, by file (a query per batch of them)
    described_in_all(store, iris) -> {iri: files}  the files that type each resource
    merge(triples, new, iri, existing, ...)         one proposal reconciled

The output holds the proposal in full: the sheet's value for every column it fills (a changed
field is reported, and the old value is not written), the graph's value for a column the sheet
leaves empty or does not have, and every property the sheet has no column for (comments,
resulting revision) as it was. The status history is carried forward entry by entry; a status
that differs from the latest entry's adds a dated, sourced entry (``…/status/N+1``), never an
edit of an old one, and the proposal's current ``pp:status`` is the latest entry's.
"""

from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from plenipot.namespaces import PP
from plenipot.queries.header import sparql
from plenipot.store.base import Store
from plenipot.tracker.tables import key_of

# the properties a sheet column writes (the status and its history are handled on their own)
COLUMN_OF = {
    DCTERMS.identifier: "id", PP.atConference: "conference", PP.inDocument: "document",
    PP.submittedBy: "submitters", PP.action: "action", PP.target: "target",
    DCTERMS.title: "title", DCTERMS.description: "summary", PP.issueArea: "issue_areas",
    PP.topic: "topics", DCTERMS.source: "source", RDFS.label: "id",
}
OPTIONAL_COLUMNS = ("title", "summary", "issue_areas", "topics")  # empty: keep the graph's
HISTORY = (PP.status, PP.statusChange)


@dataclass
class Change:
    iri: URIRef
    status: URIRef | None
    date: str  # YYYY-MM-DD, "" when undated

    @property
    def number(self) -> int:
        tail = str(self.iri).rsplit("/", 1)[-1]
        return int(tail) if tail.isdigit() else 0


BATCH = 500  # resources bound as a set in one query: one query per batch, not per row


def _batches(iris) -> list[tuple[URIRef, ...]]:
    unique = list(dict.fromkeys(iris))
    return [tuple(unique[i:i + BATCH]) for i in range(0, len(unique), BATCH)]


@dataclass
class Existing:
    """What the graph says about one proposal: its own triples by predicate (``own``), the
    triples of each of its status changes (``change_triples``), and the changes by date."""

    iri: URIRef
    files: set[str] = field(default_factory=set)  # the named graphs stating the proposal
    own: dict[URIRef, dict] = field(default_factory=dict)  # predicate -> objects (ordered set)
    change_triples: dict[URIRef, dict] = field(default_factory=dict)  # change -> its triples
    changes: list[Change] = field(default_factory=list)  # by date, then number

    @classmethod
    def of(cls, store: Store, iri: URIRef) -> "Existing | None":
        return existing_of(store, [iri]).get(iri)

    def objects(self, predicate: URIRef) -> set:
        return set(self.own.get(predicate, ()))

    def _first(self, change: URIRef, predicate: URIRef):
        return next((o for _, p, o in self.change_triples.get(change, ()) if p == predicate),
                    None)

    @property
    def latest(self) -> Change | None:
        return self.changes[-1] if self.changes else None


def existing_of(store: Store, iris) -> "dict[URIRef, Existing]":
    """What the graph says about each of ``iris`` that it describes at all: two queries per
    ``BATCH`` of them, the proposals bound as a set, whatever the number of rows."""
    found: dict[URIRef, Existing] = {}
    description = sparql("plenipot.tracker", "proposal-description").text
    history = sparql("plenipot.tracker", "status-history").text
    for batch in _batches(iris):
        for row in store.select(description, {"proposal": batch}).rows:
            iri = row["proposal"]
            existing = found.get(iri)
            if existing is None:
                existing = found[iri] = Existing(iri)
            existing.own.setdefault(row["p"], {})[row["o"]] = None
            existing.files.add(str(row["g"]))
        for row in store.select(history, {"proposal": batch}).rows:
            if (existing := found.get(row["proposal"])) is not None:
                triples = existing.change_triples.setdefault(row["s"], {})
                triples[(row["s"], row["p"], row["o"])] = None
    for existing in found.values():
        for change in existing.own.get(PP.statusChange, ()):
            when = existing._first(change, DCTERMS.date) or existing._first(change, PROV.atTime)
            existing.changes.append(Change(change, existing._first(change, PP.status),
                                           str(when)[:10] if when is not None else ""))
        existing.changes.sort(key=lambda c: (c.date, c.number, str(c.iri)))
    return found


def described_in(store: Store, iri: URIRef) -> set[str]:
    """The named graphs in which ``iri`` is typed."""
    return described_in_all(store, [iri]).get(iri, set())


def described_in_all(store: Store, iris) -> dict[URIRef, set[str]]:
    """The named graphs in which each of ``iris`` is typed (absent: none), a query per
    ``BATCH``."""
    query = sparql("plenipot.tracker", "described-in").text
    found: dict[URIRef, set[str]] = {}
    for batch in _batches(iris):
        for row in store.select(query, {"resource": batch}).rows:
            found.setdefault(row["resource"], set()).add(str(row["g"]))
    return found


def _shown(values) -> str:
    texts = sorted(key_of(v) if isinstance(v, URIRef) else str(v) for v in values)
    return ";".join(texts) or "(empty)"


def merge(graph, new: list[tuple], iri: URIRef, existing: Existing, filled: set[str],
          status: URIRef, date: str, sources: list[URIRef]
          ) -> tuple[list[str], str | None, list[URIRef]]:
    """Add to ``graph`` (anything with ``add(triple)``) the proposal ``iri`` reconciled:
    ``new`` is the row's description (its triples, without status), ``filled`` the columns the
    row fills. Returns the changed fields (as ``column: old → new``), a problem with the status
    date, if any, and the status changes written."""
    row: dict[URIRef, set] = {}
    for s, p, o in new:
        if s == iri:
            row.setdefault(p, set()).add(o)
    notes: list[str] = []
    by_column: dict[str, set[URIRef]] = {}
    for predicate, column in COLUMN_OF.items():
        by_column.setdefault(column, set()).add(predicate)
    for column, predicates in by_column.items():
        take_new = column in filled or column not in OPTIONAL_COLUMNS
        for predicate in predicates:
            before = existing.objects(predicate)
            after = set(row.get(predicate, ()))
            if predicate in (DCTERMS.title, DCTERMS.description):  # the sheet writes English
                others = {v for v in before if getattr(v, "language", None) not in (None, "en")}
                before_en, after = before - others, after | others
                if take_new and {str(v) for v in before_en} != {str(v) for v in after - others}:
                    notes.append(f"{column}: {_shown(before_en)!r} → {_shown(after - others)!r}")
            elif predicate == DCTERMS.source:
                after = after | before  # sources add up: every source stays cited
            elif take_new and before != after and predicate != RDFS.label:
                notes.append(f"{column}: {_shown(before)} → {_shown(after)}")
            for value in (after if take_new else before):
                graph.add((iri, predicate, value))
    for predicate, values in existing.own.items():  # what the sheet has no column for
        if predicate not in COLUMN_OF and predicate not in HISTORY:
            for value in values:
                graph.add((iri, predicate, value))
    written = [change.iri for change in existing.changes]
    for change in existing.changes:  # the history, entry by entry, as it was
        graph.add((iri, PP.statusChange, change.iri))
        for triple in existing.change_triples.get(change.iri, ()):
            graph.add(triple)
    latest = existing.latest
    problem = None
    current = latest.status if latest else None
    if latest is None or status != latest.status:
        if latest is not None and latest.date and date < latest.date:
            problem = (f"{date} is before the latest status entry of this proposal "
                       f"({key_of(latest.status)} on {latest.date}); a new status comes after it")
        number = max((c.number for c in existing.changes), default=0) + 1
        change = URIRef(f"{iri}/status/{number}")
        identifier = next(iter(row.get(DCTERMS.identifier, ())), key_of(iri))
        graph.add((iri, PP.statusChange, change))
        written.append(change)
        graph.add((change, RDF.type, PP.StatusChange))
        graph.add((change, RDFS.label, Literal(f"{identifier} {key_of(status)}", lang="en")))
        graph.add((change, PP.status, status))
        graph.add((change, DCTERMS.date, Literal(date, datatype=XSD.date)))
        for source in sources:
            graph.add((change, DCTERMS.source, source))
        was = f"{key_of(latest.status)} ({latest.date})" if latest else "(none)"
        notes.append(f"status: {was} → {key_of(status)} ({date}), a new dated entry")
        current = status
    elif latest.date and date != latest.date:
        notes.append(f"status_date: {date} differs from the recorded entry ({key_of(status)} on "
                     f"{latest.date}), which is kept: the history is not rewritten")
    graph.add((iri, PP.status, current))
    return notes, problem, written
