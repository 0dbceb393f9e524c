"""``/api/issue-areas``, ``/api/topics`` (code lists with their use) and ``/api/search``."""

from typing import Annotated

from fastapi import Query

from plenipot.namespaces import PPID
from plenipot.queries.params import search_labels
from plenipot.store.base import Store
from plenipot.web.deps import StoreDep
from plenipot.web.routes.api.common import key_of, router, select
from plenipot.web.routes.api.models import CodeCount, SearchHit


def _code_counts(store: Store, scheme: str, use: str) -> list[CodeCount]:
    """The concepts of ``id/{scheme}``, counting the users that the piece ``use`` finds."""
    return [
        CodeCount(
            key=key_of(r["concept"]), iri=r["concept"], label=r.get("label"), count=int(r["count"])
        )
        for r in select(store, "code-counts", {"scheme": PPID[scheme]}, use)
    ]


@router.get(
    "/issue-areas",
    response_model=list[CodeCount],
    summary="Issue areas, with how many resolutions each holds",
)
def list_issue_areas(store: StoreDep) -> list[CodeCount]:
    return _code_counts(store, "issue-area", "issue_area_use")


@router.get(
    "/topics",
    response_model=list[CodeCount],
    summary="Internet-related topics, with how many proposals are tagged with each",
)
def list_topics(store: StoreDep) -> list[CodeCount]:
    return _code_counts(store, "topic", "topic_use")


@router.get(
    "/search",
    response_model=list[SearchHit],
    summary="Search labels, titles and identifiers (case- and accent-insensitive)",
)
def search(
    store: StoreDep,
    q: Annotated[str, Query(max_length=200, description="Text to look for, e.g. telecomunicacion")],
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many hits")] = 100,
) -> list[SearchHit]:
    """What the ``search`` named query matches, best first, from an index of the labels."""
    return [
        SearchHit(iri=iri, label=label, type=kind)
        for iri, label, kind in search_labels(store, q, limit)
    ]
