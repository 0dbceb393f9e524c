"""``/api/conferences``: the conferences, and one with its elections and proposals."""

from rdflib.term import Identifier

from plenipot.errors import NotFound
from plenipot.namespaces import PPID
from plenipot.store.base import Store
from plenipot.web.deps import StoreDep
from plenipot.web.routes.api.common import path_key, router, select
from plenipot.web.routes.api.models import Candidate, Conference, ConferenceSummary, Election
from plenipot.web.routes.api.proposals import find_proposals


def _conferences(store: Store, bindings: dict[str, Identifier]) -> list[ConferenceSummary]:
    return [
        ConferenceSummary(
            iri=r["conference"],
            key=r["key"],
            label=r.get("label"),
            kind=r.get("kind"),
            start=r.get("start"),
            end=r.get("end"),
            location=r.get("location"),
            contribution_deadline=r.get("deadline"),
        )
        for r in select(store, "conferences", bindings)
    ]


@router.get("/conferences", response_model=list[ConferenceSummary], summary="Conferences")
def list_conferences(store: StoreDep) -> list[ConferenceSummary]:
    return _conferences(store, {})


def _elections(rows: list[dict[str, str]]) -> list[Election]:
    """One election per IRI, each candidate once."""
    elections: dict[str, Election] = {}
    seen: set[tuple[str, str]] = set()
    for r in rows:
        election = elections.setdefault(
            r["election"],
            Election(iri=r["election"], post=r.get("post"), region=r.get("region"), candidates=[]),
        )
        if (r["election"], r["candidate"]) in seen:
            continue
        seen.add((r["election"], r["candidate"]))
        elected = r.get("elected")
        election.candidates.append(
            Candidate(
                candidate=r["candidate"],
                name=r.get("name"),
                nominated_by=r.get("nominatedBy"),
                elected=None if elected is None else elected == "true",
            )
        )
    return list(elections.values())


@router.get(
    "/conferences/{key}",
    response_model=Conference,
    summary="One conference, with its elections and proposals",
)
def get_conference(key: str, store: StoreDep) -> Conference:
    iri = PPID[f"conference/{path_key(key, 'conference')}"]
    found = _conferences(store, {"conference": iri})
    if not found:
        raise NotFound(f"no conference {key!r}; see /api/conferences")
    elections = _elections(select(store, "conference-elections", {"conference": iri}))
    _, proposals = find_proposals(store, {"conference": iri})
    return Conference(**found[0].model_dump(), elections=elections, proposals=proposals)
