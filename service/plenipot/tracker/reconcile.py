"""A sheet row for a proposal the graph already holds: the row updates it (docs/decisions/0009).

    Existing.of(store, iri) -> Existing | None    what the graph says about a proposal, by file
    merge(graph, proposal, existing, notes, problems)

The output holds the proposal in full: the sheet's value for every column it fills (a changed
field is reported, and the old value is not written), the graph's value for a column the sheet
leaves empty or does not have, and every property the sheet has no column for (comments,
resulting revision) as it was. The status history is carried forward entry by entry; a status
that differs from the latest entry's adds a dated, sourced entry (``…/status/N+1``), never an
edit of an old one, and the proposal's current ``pp:status`` is the latest entry's.
"""

from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
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


@dataclass
class Existing:
    iri: URIRef
    files: set[str] = field(default_factory=set)  # the named graphs stating the proposal
    graph: Graph = field(default_factory=Graph)  # its triples and its status changes'
    changes: list[Change] = field(default_factory=list)  # by date, then number

    @classmethod
    def of(cls, store: Store, iri: URIRef) -> "Existing | None":
        own = store.select(sparql("plenipot.tracker", "proposal-description").text,
                           {"proposal": iri}).rows
        if not own:
            return None
        found = cls(iri)
        for row in own:
            found.graph.add((iri, row["p"], row["o"]))
            found.files.add(str(row["g"]))
        for row in store.select(sparql("plenipot.tracker", "status-history").text,
                                {"proposal": iri}).rows:
            found.graph.add((row["s"], row["p"], row["o"]))
        for change in set(found.graph.objects(iri, PP.statusChange)):
            when = (found.graph.value(change, DCTERMS.date)
                    or found.graph.value(change, PROV.atTime))
            found.changes.append(Change(change, found.graph.value(change, PP.status),
                                        str(when)[:10] if when is not None else ""))
        found.changes.sort(key=lambda c: (c.date, c.number, str(c.iri)))
        return found

    @property
    def latest(self) -> Change | None:
        return self.changes[-1] if self.changes else None


def described_in(store: Store, iri: URIRef) -> set[str]:
    """The named graphs in which ``iri`` is typed."""
    query = sparql("plenipot.tracker", "described-in")
    return {str(row["g"]) for row in store.select(query.text, {"resource": iri}).rows}


def _shown(values) -> str:
    texts = sorted(key_of(v) if isinstance(v, URIRef) else str(v) for v in values)
    return ";".join(texts) or "(empty)"


def merge(graph: Graph, new: Graph, iri: URIRef, existing: Existing, filled: set[str],
          status: URIRef, date: str, sources: list[URIRef]) -> tuple[list[str], str | None]:
    """Write into ``graph`` the proposal ``iri`` reconciled: ``new`` is the row's description
    (without status), ``filled`` the columns the row fills. Returns the changed fields (as
    ``column: old → new``) and a problem with the status date, if any."""
    old = existing.graph
    notes: list[str] = []
    by_column: dict[str, set[URIRef]] = {}
    for predicate, column in COLUMN_OF.items():
        by_column.setdefault(column, set()).add(predicate)
    for column, predicates in by_column.items():
        take_new = column in filled or column not in OPTIONAL_COLUMNS
        for predicate in predicates:
            before = set(old.objects(iri, predicate))
            after = set(new.objects(iri, predicate))
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
    for predicate, value in old.predicate_objects(iri):  # what the sheet has no column for
        if predicate not in COLUMN_OF and predicate not in HISTORY:
            graph.add((iri, predicate, value))
    for change in existing.changes:  # the history, entry by entry, as it was
        graph.add((iri, PP.statusChange, change.iri))
        for triple in old.triples((change.iri, None, None)):
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
        identifier = next(iter(new.objects(iri, DCTERMS.identifier)), key_of(iri))
        graph.add((iri, PP.statusChange, change))
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
    return notes, problem
