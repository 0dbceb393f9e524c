"""Resolving the codes of a tracker spreadsheet against the graph: conferences and submitters
by identifier, actions by notation, code-list keys, resolutions and articles (the queries of
``sparql/*-by-*.rq``, ``concepts-of-scheme.rq``, ``revisions-of.rq``). Values are bound as RDF
terms, never pasted into query text."""

from dataclasses import dataclass

from rdflib import Literal, URIRef

from plenipot.namespaces import PP, PPID
from plenipot.queries.header import sparql
from plenipot.queries.run import select
from plenipot.store.base import Store
from plenipot.tracker.tables import key_of


@dataclass(frozen=True)
class Conference:
    iri: URIRef
    code: str  # "PP-22", as the graph writes it
    start: str | None  # "2022-09-26"

    @property
    def key(self) -> str:
        return key_of(self.iri)


_SUBMITTER_PREFERENCE = (PP.RegionalOrganization, PP.MemberState, PP.Organization)


class Resolver:
    """Looks codes up in the store, once each."""

    def __init__(self, store: Store):
        self.store = store
        self._cache: dict[tuple, object] = {}

    def _select(self, name: str, bindings: dict) -> list[dict]:
        return select(self.store, sparql("plenipot.tracker", name), bindings).rows

    def _cached(self, key: tuple, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def conference(self, code: str) -> Conference | None:
        def compute():
            rows = self._select("conference-by-code", {"wanted": Literal(code.upper())})
            if not rows:
                return None
            start = rows[0].get("start")
            return Conference(rows[0]["c"], str(rows[0]["code"]),
                              str(start)[:10] if start is not None else None)
        return self._cached(("conference", code.upper()), compute)

    def submitter(self, code: str) -> URIRef | None:
        def compute():
            rows = self._select("submitter-by-code", {"wanted": Literal(code.upper())})
            found = {row["class"]: row["s"] for row in rows}
            return next((found[c] for c in _SUBMITTER_PREFERENCE if c in found), None)
        return self._cached(("submitter", code.upper()), compute)

    def concepts(self, scheme: str) -> dict[str, URIRef]:
        """The concepts of ``id/{scheme}`` by lower-case key and notation."""
        def compute():
            found: dict[str, URIRef] = {}
            for row in self._select("concepts-of-scheme", {"scheme": PPID[scheme]}):
                found[key_of(row["c"]).lower()] = row["c"]
                if "notation" in row:
                    found.setdefault(str(row["notation"]).lower(), row["c"])
            return found
        return self._cached(("concepts", scheme), compute)

    def instrument(self, kind: URIRef, body: str, number: str) -> URIRef | None:
        def compute():
            rows = self._select("instrument-by-number", {
                "class": kind, "number": Literal(number),
                "owner": PPID[f"conference-kind/{body}"]})
            return rows[0]["r"] if rows else None
        return self._cached(("instrument", kind, body, number), compute)

    def in_force(self, resolution: URIRef, conference: Conference) -> URIRef:
        """The latest revision adopted at a conference that started before ``conference``;
        the resolution itself when no such revision is known."""
        def compute():
            best: tuple[str, URIRef] | None = None
            for row in self._select("revisions-of", {"resolution": resolution}):
                start = str(row["atStart"])[:10] if "atStart" in row else None
                if start is None or row.get("at") == conference.iri:
                    continue
                if conference.start is not None and start >= conference.start:
                    continue
                if best is None or (start, str(row["revision"])) > (best[0], str(best[1])):
                    best = (start, row["revision"])
            return best[1] if best else resolution
        return self._cached(("in-force", resolution, conference.iri), compute)

    def draft(self, conference: Conference, title: str) -> URIRef | None:
        """The data's draft new resolution at ``conference`` with this title, if any."""
        def compute():
            found: dict[str, URIRef] = {}
            for row in self._select("drafts-of-conference", {
                    "prefix": Literal(str(PPID[f"draft-resolution/{conference.key}/"]))}):
                found.setdefault(str(row["title"]), row["d"])
            return found
        return self._cached(("drafts", conference.iri), compute).get(title)

    def article(self, code: str, number: str) -> URIRef | None:
        def compute():
            rows = self._select("article-by-number", {"wanted": Literal(code.upper()),
                                                 "number": Literal(number)})
            return rows[0]["a"] if rows else None
        return self._cached(("article", code.upper(), number), compute)


