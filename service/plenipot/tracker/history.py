"""The status history of proposals: every dated, sourced status change, and the current status
derived from it (the status of the latest dated change), for the proposals table, the proposal
page, ``/changes`` and ``plenipot diff``.

    status_changes(store, **filters) -> list[Entry]      oldest first
    current_status(store) -> dict[proposal, Entry]       the latest entry of each proposal

Filters (``conference``, ``organization``, ``issue_area``, ``resolution``, ``proposal``) are
checked and bound by the header of ``sparql/status-changes.rq`` (a wrong one is a
``ParameterError`` naming it); each switches on its piece of the query.
"""

from dataclasses import dataclass, field

from rdflib import URIRef

from plenipot.queries.header import sparql
from plenipot.queries.params import bind
from plenipot.store.base import Store

PIECES = {"resolution": "resolution", "organization": "organization", "issue_area": "issue_area"}


@dataclass
class Entry:
    change: URIRef
    proposal: URIRef
    status: URIRef
    date: str  # YYYY-MM-DD; "" when undated
    identifier: str
    conference: URIRef
    action: str  # "MOD"
    sources: list[URIRef] = field(default_factory=list)

    @property
    def number(self) -> int:
        tail = str(self.change).rsplit("/", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    @property
    def order(self) -> tuple:
        return (self.date, self.identifier, self.number, str(self.change))


def status_changes(store: Store, **filters: str | None) -> list[Entry]:
    """The status changes matching ``filters``, oldest first (undated ones first of all)."""
    query = sparql("plenipot.tracker", "status-changes")
    given = {name: value for name, value in filters.items() if value}
    bindings = bind(query, given, store)
    text = query.text_with(*(PIECES[name] for name in given if name in PIECES))
    entries: dict[URIRef, Entry] = {}
    for row in store.select(text, bindings).rows:
        entry = entries.get(row["change"])
        if entry is None:
            action = row.get("actionCode") or str(row.get("action", "")).rsplit("/", 1)[-1]
            entry = entries[row["change"]] = Entry(
                change=row["change"], proposal=row["proposal"], status=row["status"],
                date=str(row.get("date") or ""), identifier=str(row.get("identifier") or ""),
                conference=row["conference"], action=str(action).upper())
        if "source" in row and row["source"] not in entry.sources:
            entry.sources.append(row["source"])
    return sorted(entries.values(), key=lambda e: e.order)


def current_status(store: Store) -> dict[URIRef, Entry]:
    """The latest entry of every proposal that has one: its current status."""
    latest: dict[URIRef, Entry] = {}
    for entry in status_changes(store):
        known = latest.get(entry.proposal)
        if known is None or (entry.date, entry.number) >= (known.date, known.number):
            latest[entry.proposal] = entry
    return latest
