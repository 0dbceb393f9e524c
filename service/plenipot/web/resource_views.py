"""What each kind of resource page shows, beyond the resource's own facts.

``page_data(store, iri, types)`` picks the view by ``rdf:type`` and returns the template name and
its data. Every IRI a view returns is labelled through one ``labels`` call per page. Bound
variables are projected too (``SELECT *``): Oxigraph only substitutes projected variables.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from rdflib import URIRef

from plenipot.namespaces import PP
from plenipot.queries.header import sparql
from plenipot.queries.run import select
from plenipot.store.base import Store
from plenipot.tracker.history import current_status, status_changes
from plenipot.web.views import labels


def _batch(store: Store, name: str, var: str, iris: Iterable) -> list[dict]:
    """The rows of a query of ``web/sparql/`` with ``iris`` bound as a set to ``?var``."""
    terms = tuple(URIRef(i) for i in sorted({str(i) for i in iris}))
    return select(store, sparql("plenipot.web", name), {var: terms}).rows


def _select(store: Store, name: str, iri: URIRef | None = None) -> list[dict]:
    return select(store, sparql("plenipot.web", name), {"s": iri} if iri is not None else None).rows


def proposal_rows(store: Store, iris: Iterable) -> list[dict]:
    """Id, title, action, status, conference, submitters and target of each proposal; the
    status is the current one (of the latest dated entry)."""
    iris = sorted({str(i) for i in iris})
    if not iris:
        return []
    facts = {str(r["p"]): r for r in _batch(store, "proposal-facts", "p", iris)}
    many: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in _batch(store, "proposal-links", "p", iris):
        many[str(r["p"])][str(r["k"])].append(r["o"])
    latest = current_status(store)
    rows = []
    for iri in iris:
        f = facts.get(iri, {})
        action = str(f.get("notation") or str(f.get("action", "")).rsplit("/", 1)[-1])
        entry = latest.get(URIRef(iri))
        rows.append({"iri": URIRef(iri), "id": str(f.get("id", "")),
                     "title": str(f.get("title", "")),
                     "action": action.upper(),
                     "status": entry.status if entry else f.get("status"),
                     "conference": f.get("conference"),
                     "submitters": sorted(many[iri]["submitter"]),
                     "targets": sorted(many[iri]["target"])})
    return sorted(rows, key=lambda r: _natural(r["id"] or str(r["iri"])))


def _column(store: Store, name: str, iri: URIRef, var: str = "x") -> list:
    return [r[var] for r in _select(store, name, iri)]


def source_name(iri, named: dict[str, str]) -> str:
    """Who a source is, in a few words: its label in the graph, else the web site's name."""
    text = named.get(str(iri))
    if text and text != str(iri):
        return text
    host = urlsplit(str(iri)).hostname or str(iri)
    return host.removeprefix("www.")


# --- one view per kind --------------------------------------------------------------------------

def resolution(store: Store, iri: URIRef) -> dict:
    seen, unique = set(), []
    for r in sorted(_select(store, "resolution-revisions", iri),
                    key=lambda r: str(r.get("date", ""))):
        if r["rev"] not in seen:
            seen.add(r["rev"])
            unique.append(r)
    return {"revisions": unique,
            "proposals": proposal_rows(store, _column(store, "targeting", iri)),
            "positions": _select(store, "positions-about", iri)}


def proposal(store: Store, iri: URIRef) -> dict:
    entries = status_changes(store, proposal=str(iri))
    sources = [s for e in entries for s in e.sources]
    named = labels(store, sources)
    changes = [{"change": e.change, "status": e.status, "date": e.date,
                "sources": [{"href": str(s), "name": source_name(s, named)} for s in e.sources]}
               for e in entries]
    rows = proposal_rows(store, [iri])
    return {"proposal": rows[0] if rows else {}, "changes": changes,
            "current": changes[-1] if changes else None,
            "documents": _select(store, "proposal-documents", iri),
            "positions": _select(store, "positions-about", iri)}


def organization(store: Store, iri: URIRef) -> dict:
    members = _column(store, "members", iri)
    qualified = {str(m["member"]): m for m in _select(store, "memberships", iri)}
    return {
        "members": [{"iri": m, "membership": qualified.get(str(m))} for m in sorted(set(members))],
        "units": sorted(set(_column(store, "units", iri))),
        "proposals": proposal_rows(store, _column(store, "submitted-by", iri)),
        "positions": _select(store, "positions-held", iri),
    }


def member_state(store: Store, iri: URIRef) -> dict:
    data = organization(store, iri)
    data["member_of"] = sorted(set(_column(store, "member-of", iri)))
    data["candidacies"] = _column(store, "nominated-by", iri)
    data["elections"] = _elections_of_candidacies(store, data["candidacies"])
    return data


def _elections_of_candidacies(store: Store, candidacies: list) -> list[dict]:
    if not candidacies:
        return []
    return _batch(store, "candidacy-elections", "c", candidacies)


def conference(store: Store, iri: URIRef) -> dict:
    proposals = proposal_rows(store, _column(store, "conference-proposals", iri))
    by_status: dict[str, list] = defaultdict(list)
    for row in proposals:
        by_status[str(row["status"] or "")].append(row)
    elections = _column(store, "conference-elections", iri)
    return {"by_status": dict(sorted(by_status.items())), "proposal_count": len(proposals),
            "elections": [election(store, URIRef(e)) | {"iri": e} for e in sorted(elections)],
            "adopted": sorted(_column(store, "adopted-at", iri))}


def election(store: Store, iri: URIRef) -> dict:
    candidacies = _select(store, "candidacies", iri)
    rounds = _select(store, "rounds", iri)
    rounds.sort(key=lambda r: int(r["n"]) if "n" in r else 0)
    votes: dict[tuple[str, str], int] = {}
    for r in _select(store, "votes", iri):
        votes[(str(r["c"]), str(r["r"]))] = int(r["v"])
    table = [{**c, "votes": [votes.get((str(c["c"]), str(r["r"]))) for r in rounds]}
             for c in candidacies]
    table.sort(key=lambda c: [-(v or 0) for v in reversed(c["votes"])])
    return {"candidacies": table, "rounds": rounds}


def person(store: Store, iri: URIRef) -> dict:
    return {"elections": _elections_of_candidacies(store, _column(store, "candidate-of", iri))}


def concept(store: Store, iri: URIRef) -> dict:
    """An issue area or a topic: the resolutions and proposals filed under it."""
    tagged = _column(store, "tagged", iri)
    kinds = ({str(r["x"]) for r in _batch(store, "proposals-among", "x", tagged)}
             if tagged else set())
    return {"instruments": sorted(t for t in set(tagged) if str(t) not in kinds),
            "proposals": proposal_rows(store, kinds),
            "positions": _select(store, "positions-about", iri)}


def scheme(store: Store, iri: URIRef) -> dict:
    """A code list: its concepts."""
    return {"members": sorted(set(_column(store, "in-scheme", iri))), "instruments": [],
            "proposals": [], "positions": []}


def _natural(text: str) -> list:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text)]


# --- dispatch -------------------------------------------------------------------------------------

VIEWS = (  # first matching type wins
    (PP.Proposal, "proposal.html", proposal),
    (PP.Resolution, "resolution.html", resolution),
    (PP.Decision, "resolution.html", resolution),
    (PP.DraftResolution, "resolution.html", resolution),
    (PP.Conference, "conference.html", conference),
    (PP.Election, "election.html", election),
    (PP.MemberState, "member_state.html", member_state),
    (PP.RegionalOrganization, "organization.html", organization),
    (PP.Organization, "organization.html", organization),
    (PP.IssueArea, "concept.html", concept),
    (PP.Topic, "concept.html", concept),
    (URIRef("http://www.w3.org/2004/02/skos/core#ConceptScheme"), "concept.html", scheme),
    (PP.Person, "person.html", person),
)
for _unit in ("ITUUnit", "Sector", "Bureau", "GeneralSecretariat", "GoverningBody",
              "AdvisoryGroup"):
    VIEWS += ((PP[_unit], "organization.html", organization),)


def page_data(store: Store, iri: URIRef, types: set) -> tuple[str, dict]:
    """The template for a resource and what it shows; ``generic.html`` for any other kind."""
    for cls, template, view in VIEWS:
        if cls in types:
            data = view(store, iri)
            data["labels"] = named = labels(store, [iri, *_collect(data)])
            for key in ("members", "member_of", "units", "instruments", "adopted"):  # by name
                if key in data:
                    data[key] = _by_name(data[key], named)
            return template, data
    return "generic.html", {"labels": labels(store, [iri])}


def _by_name(items: list, named: dict[str, str]) -> list:
    def name(item) -> str:
        iri = item["iri"] if isinstance(item, dict) else item
        return named.get(str(iri), "").casefold()
    return sorted(items, key=name)


def _collect(value) -> list:
    """Every IRI anywhere inside a view's data, for the one labels lookup."""
    if isinstance(value, URIRef):
        return [value]
    if isinstance(value, dict):
        return [i for v in value.values() for i in _collect(v)] + [
            URIRef(k) for k in value if isinstance(k, str) and k.startswith("http")]
    if isinstance(value, list | tuple | set):
        return [i for v in value for i in _collect(v)]
    return []
