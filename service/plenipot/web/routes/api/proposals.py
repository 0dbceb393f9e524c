"""``/api/proposals``: proposals filtered and paged, and one proposal with its history."""

from typing import Annotated

from fastapi import Query, Response
from rdflib import URIRef
from rdflib.term import Identifier

from plenipot.errors import NotFound, ParameterError
from plenipot.namespaces import PPID
from plenipot.queries.header import Param
from plenipot.queries.params import convert
from plenipot.store.base import Store
from plenipot.web.deps import StoreDep
from plenipot.web.routes.api.common import (
    KEY,
    exists,
    json_response,
    key_of,
    path_key,
    router,
    select,
    select_async,
    split,
    value,
)
from plenipot.web.routes.api.flat import keys, last_segment, proposal_rows, rows_by_part
from plenipot.web.routes.api.models import (
    Position,
    Proposal,
    ProposalPage,
    ProposalSummary,
    StatusChange,
    Target,
)


def proposal_summary(row: dict[str, str]) -> ProposalSummary:
    target = None
    if "targetIri" in row:
        target = Target(
            iri=row["targetIri"],
            label=row.get("targetLabel"),
            resolution=row.get("targetResolution"),
        )
    return ProposalSummary(
        iri=row["proposal"],
        identifier=row["identifier"],
        conference=row["conferenceKey"],
        action=row.get("actionKey"),
        submitters=split(row.get("submitters")),
        target=target,
        status=row.get("statusKey"),
        title=row.get("title"),
    )


def find_proposals(
    store: Store, bindings: dict[str, Identifier], limit: int | None = None, offset: int = 0
) -> tuple[int, list[ProposalSummary]]:
    """The proposals matching the bound filters (the parameters of ``api-proposal-page``, or
    ``proposal``): (total, one page in identifier order).

    A page is found first and then described (the details' OPTIONALs over every proposal, then
    cut to a page, took 107 ms at 100k triples); without a page, one query does both."""
    if limit is None:  # everything that matches: one query
        found = select(store, "proposal-summary", bindings)
        return len(found), [proposal_summary(row) for row in found]
    page = tuple(URIRef(row["proposal"])
                 for row in select(store, "proposal-page", bindings, limit=limit, offset=offset))
    count = select(store, "proposal-count", bindings)
    total = int(count[0]["n"]) if count else 0
    if not page:
        return total, []
    by_iri = {row["proposal"]: row for row in select(store, "proposal-summary", {"proposal": page})}
    return total, [proposal_summary(by_iri[str(iri)]) for iri in page if str(iri) in by_iri]


@router.get("/proposals", response_model=ProposalPage, summary="Proposals, filtered and paged")
def list_proposals(
    store: StoreDep,
    conference: Annotated[str | None, Query(description="Conference key, e.g. PP-22")] = None,
    submitter: Annotated[
        str | None, Query(description="Organization or Member State key, e.g. CEPT or USA")
    ] = None,
    target: Annotated[int | None, Query(description="Number of the targeted resolution")] = None,
    target_body: Annotated[str, Query(description="Body owning the target resolution")] = "pp",
    action: Annotated[str | None, Query(description="ADD, MOD, SUP or NOC")] = None,
    status: Annotated[str | None, Query(description="Current status key, e.g. adopted")] = None,
    topic: Annotated[str | None, Query(description="Topic key, e.g. internet-governance")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size")] = 100,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
) -> Response:
    """Proposals in identifier order; every filter is optional and they combine with AND."""
    bindings: dict[str, Identifier] = {}
    for name, given in (("conference", conference), ("submitter", submitter),
                        ("action", action), ("status", status), ("topic", topic)):
        if given is not None:
            bindings[name] = value(name, given, store, of="proposal-page")
    if target is not None:
        body = convert(Param("target_body", "body"), target_body, store)
        iri = PPID[f"resolution/{key_of(str(body))}/{target}"]
        if not exists(store, iri, "Resolution"):
            raise ParameterError("target", f"no resolution {target} of body {target_body!r}")
        bindings["target"] = iri
    total, items = find_proposals(store, bindings, limit, offset)
    return json_response(ProposalPage(total=total, limit=limit, offset=offset, items=items))


def _proposal_key(identifier: str) -> str:
    """``EUR/44A1/1`` or ``eur-44a1-1`` -> ``eur-44a1-1`` (docs/decisions/0003)."""
    return "-".join(part for part in identifier.strip().lower().split("/") if part)


@router.get(
    "/proposals/{conference}/{identifier:path}",
    response_model=Proposal,
    summary="One proposal, by its ITU identifier",
)
async def get_proposal(conference: str, identifier: str, store: StoreDep) -> Response:
    """For example ``/api/proposals/pp-22/EUR/44A1/1`` or ``/api/proposals/pp-22/eur-44a1-1``.
    One flat query (``api-proposal``), shaped here."""
    key = _proposal_key(identifier)
    iri = PPID[f"proposal/{path_key(conference, 'conference')}/{key}"]
    parts = {}
    if KEY.match(key):
        parts = rows_by_part(await select_async(store, "proposal", {"proposal": iri}), 6)
    if not parts or not parts["1"]:
        raise NotFound(f"no proposal {identifier!r} at conference {conference!r}")
    summary = proposal_summary(proposal_rows([{**r, "proposal": str(iri)} for r in parts["1"]])[0])
    facts = parts["2"][0] if parts["2"] else {}
    return json_response(Proposal(
        **summary.model_dump(),
        summary=facts.get("summary"),
        document=facts.get("document"),
        source=facts.get("source"),
        issue_areas=keys(r["area"] for r in parts["3"]),
        topics=keys(r["topic"] for r in parts["4"]),
        status_history=[
            StatusChange(status=last_segment(r["changeStatus"]), date=r.get("changeDate"),
                         source=r.get("changeSource"))
            for r in parts["5"]
        ],
        positions=[
            Position(holder=r["holder"], stance=last_segment(r["stance"]),
                     rationale=r.get("rationale"))
            for r in parts["6"]
        ],
    ))
