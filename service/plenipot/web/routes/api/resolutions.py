"""``/api/resolutions``: resolutions filtered, and one with its revisions and proposals."""

from typing import Annotated

from fastapi import Query, Response
from rdflib import URIRef
from rdflib.term import Identifier

from plenipot.errors import NotFound
from plenipot.namespaces import PPID
from plenipot.web.deps import StoreDep
from plenipot.web.routes.api.common import (
    json_response,
    path_key,
    router,
    select,
    select_async,
    split,
    value,
)
from plenipot.web.routes.api.flat import keys, last_segment, proposal_rows, rows_by_part
from plenipot.web.routes.api.models import Resolution, ResolutionSummary, Revision
from plenipot.web.routes.api.proposals import proposal_summary

_LIST = list[ResolutionSummary]


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
    limit: Annotated[int | None, Query(
        ge=1, le=1000, description="Page size; without it, every matching resolution")] = None,
    offset: Annotated[int, Query(ge=0, description="Resolutions to skip")] = 0,
) -> Response:
    """Resolutions in body and number order; the filters combine with AND. ``limit`` and
    ``offset`` page the list (the answer is the same list, cut)."""
    bindings: dict[str, Identifier] = {}
    for name, given in (("body", body), ("issue_area", issue_area), ("topic", topic)):
        if given is not None:
            bindings[name] = value(name, given, store, of="resolutions")
    if limit is None:  # everything (from ``offset`` on): one query
        return json_response([_resolution_summary(row) for row in
                              select(store, "resolutions", bindings)[offset:]], _LIST)
    # the page first (no OPTIONALs over every resolution), then its details
    page = [URIRef(row["resolution"]) for row in
            select(store, "resolution-page", bindings, limit=limit, offset=offset)]
    if not page:
        return json_response([], _LIST)
    by_iri = {row["resolution"]: row
              for row in select(store, "resolutions", {"resolution": tuple(page)})}
    return json_response(
        [_resolution_summary(by_iri[str(iri)]) for iri in page if str(iri) in by_iri], _LIST)


@router.get(
    "/resolutions/{body}/{number}",
    response_model=Resolution,
    summary="One resolution, with its revisions and the proposals that target it",
)
async def get_resolution(body: str, number: str, store: StoreDep) -> Response:
    """One flat query (``api-resolution``), shaped here: a handful of rows."""
    iri = PPID[f"resolution/{path_key(body, 'body')}/{path_key(number, 'resolution number')}"]
    parts = rows_by_part(await select_async(store, "resolution", {"resolution": iri}), 5)
    if not parts["1"]:
        raise NotFound(f"no resolution {number} of body {body!r}")
    found = parts["1"][0]
    return json_response(Resolution(
        iri=str(iri),
        body=last_segment(found["body"]),
        number=found["number"],
        title=found.get("title"),
        issue_areas=keys(r["area"] for r in parts["2"]),
        topics=keys(r["topic"] for r in parts["3"]),
        revisions=[
            Revision(
                iri=r["revision"],
                label=r.get("label"),
                conference=r.get("conference"),
                date=r.get("date"),
                previous=r.get("previous"),
            )
            for r in parts["4"]
        ],
        proposals=[proposal_summary(row) for row in proposal_rows(parts["5"])],
    ))
