"""``/api/resolutions``: resolutions filtered, and one with its revisions and proposals."""

from typing import Annotated

from fastapi import Query
from rdflib.term import Identifier

from plenipot.errors import NotFound
from plenipot.namespaces import PPID
from plenipot.web.deps import StoreDep
from plenipot.web.routes.api.common import path_key, router, select, split, value
from plenipot.web.routes.api.models import Resolution, ResolutionSummary, Revision
from plenipot.web.routes.api.proposals import find_proposals


def _resolution_summary(row: dict[str, str]) -> ResolutionSummary:
    return ResolutionSummary(
        iri=row["resolution"],
        body=row["bodyKey"],
        number=row["number"],
        title=row.get("title"),
        issue_areas=split(row.get("areas")),
    )


@router.get("/resolutions", response_model=list[ResolutionSummary], summary="Resolutions")
def list_resolutions(
    store: StoreDep,
    body: Annotated[str | None, Query(description="pp, wtsa, wtdc, ra or council")] = None,
    issue_area: Annotated[
        str | None, Query(description="Issue area key, e.g. cybersecurity")
    ] = None,
    topic: Annotated[str | None, Query(description="Topic key, e.g. ipv6")] = None,
) -> list[ResolutionSummary]:
    bindings: dict[str, Identifier] = {}
    for name, given in (("body", body), ("issue_area", issue_area), ("topic", topic)):
        if given is not None:
            bindings[name] = value(name, given, store, of="resolutions")
    return [_resolution_summary(row) for row in select(store, "resolutions", bindings)]


@router.get(
    "/resolutions/{body}/{number}",
    response_model=Resolution,
    summary="One resolution, with its revisions and the proposals that target it",
)
def get_resolution(body: str, number: str, store: StoreDep) -> Resolution:
    iri = PPID[f"resolution/{path_key(body, 'body')}/{path_key(number, 'resolution number')}"]
    one = {"resolution": iri}
    found = select(store, "resolutions", one)
    if not found:
        raise NotFound(f"no resolution {number} of body {body!r}")
    revisions = select(store, "resolution-revisions", one)
    _, proposals = find_proposals(store, {"target": iri})
    return Resolution(
        **_resolution_summary(found[0]).model_dump(),
        topics=sorted(split(found[0].get("topics"))),
        revisions=[
            Revision(
                iri=r["revision"],
                label=r.get("label"),
                conference=r.get("conference"),
                date=r.get("date"),
                previous=r.get("previous"),
            )
            for r in revisions
        ],
        proposals=proposals,
    )
