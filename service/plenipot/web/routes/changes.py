"""``/changes``: the status history of the proposals, newest first, as JSON, as an Atom feed
(``application/atom+xml``, by ``Accept`` or at ``/changes.atom``) and as a page, filterable by
conference, resolution, organization (a submitter) and issue area — so that a person can
subscribe to "what changed on Resolution 102".

Filters are checked and bound by the header of ``tracker/sparql/status-changes.rq``; a wrong
one is a 400 naming it. The feed is built with the standard library's XML writer (every text
escaped) and carries no markup from the data.
"""

from datetime import UTC, datetime
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from plenipot import formats
from plenipot.errors import PlenipotError
from plenipot.tracker.history import Entry, status_changes
from plenipot.web import views
from plenipot.web.deps import StoreDep
from plenipot.web.templating import href

router = APIRouter(tags=["changes"])
ATOM = "application/atom+xml"
FILTERS = ("conference", "resolution", "organization", "issue_area", "proposal")
MAX_ENTRIES = 500
ET.register_namespace("", "http://www.w3.org/2005/Atom")
_A = "{http://www.w3.org/2005/Atom}"

_DOC = {
    200: {
        "description": "The status changes, newest first: JSON, an Atom feed or a page.",
        "content": {
            "application/json": {"example": {"changes": [{
                "proposal": "https://w3id.org/plenipot/id/proposal/pp-22/eur-44a7-1",
                "identifier": "EUR/44A7/1", "status": "submitted", "date": "2022-06-03",
                "sources": ["https://example.org/source"]}]}},
            ATOM: {"schema": {"type": "string", "description": "An Atom 1.0 feed (RFC 4287)"}},
            "text/html": {"schema": {"type": "string"}},
        },
    },
    400: {"description": "A filter names nothing in the graph (the body names the parameter)."},
}


def _base(request: Request) -> str:
    settings = request.app.state.settings
    return (settings.base_url or str(request.base_url)).rstrip("/")


def _entries(store, filters: dict[str, str]) -> list[Entry]:
    entries = status_changes(store, **filters)
    entries.sort(key=lambda e: e.order, reverse=True)  # newest first
    return entries[:MAX_ENTRIES]


def _labelled(store, entries: list[Entry]) -> dict[str, str]:
    return views.labels(store, [x for e in entries for x in (e.proposal, e.status, e.conference)])


@router.get("/changes", summary="Status changes of proposals (JSON, Atom or HTML)",
            responses=_DOC, response_class=JSONResponse)
def changes(request: Request, store: StoreDep, conference: str = "", resolution: str = "",
            organization: str = "", issue_area: str = "", proposal: str = ""):
    """Every dated status change, newest first. Filters: ``conference`` (PP-22),
    ``resolution`` (a PP resolution number, 102), ``organization`` (a submitter, CEPT or USA),
    ``issue_area`` (cybersecurity), ``proposal`` (its IRI). ``Accept: application/atom+xml``
    gives the Atom feed (also at ``/changes.atom``), ``text/html`` a page."""
    filters = _filters(conference, resolution, organization, issue_area, proposal)
    media = formats.negotiate(request.headers.get("accept"),
                              (formats.JSON, ATOM, formats.HTML))
    if media == formats.HTML:
        return _page(request, store, filters)
    entries = _entries(store, filters)
    if media == ATOM:
        return _atom_response(request, store, filters, entries)
    named = _labelled(store, entries)
    return JSONResponse({
        "filters": filters,
        "changes": [{"change": str(e.change), "proposal": str(e.proposal),
                     "identifier": e.identifier, "label": named.get(str(e.proposal), ""),
                     "action": e.action, "conference": str(e.conference),
                     "status": views.local_key(e.status),
                     "status_label": named.get(str(e.status), ""), "date": e.date or None,
                     "sources": [str(s) for s in e.sources]} for e in entries],
    })


@router.get("/changes.atom", summary="Status changes of proposals as an Atom feed",
            responses={200: {"content": {ATOM: {"schema": {"type": "string"}}},
                             "description": "An Atom 1.0 feed, newest first"}},
            response_class=Response)
def changes_atom(request: Request, store: StoreDep, conference: str = "",
                 resolution: str = "", organization: str = "", issue_area: str = "",
                 proposal: str = ""):
    """The same changes as ``/changes``, always as Atom: a URL to give a feed reader."""
    filters = _filters(conference, resolution, organization, issue_area, proposal)
    return _atom_response(request, store, filters, _entries(store, filters))


def _filters(*values: str) -> dict[str, str]:
    return {name: value.strip() for name, value in zip(FILTERS, values, strict=True)
            if value.strip()}


def _describe(filters: dict[str, str]) -> str:
    words = {"conference": "at {}", "resolution": "on Resolution {}",
             "organization": "by {}", "issue_area": "in {}", "proposal": "of {}"}
    return " ".join(words[k].format(v) for k, v in filters.items())


def _atom_response(request: Request, store, filters: dict, entries: list[Entry]) -> Response:
    return Response(atom_feed(_base(request), filters, entries, _labelled(store, entries)),
                    media_type=ATOM)


def _time(day: str) -> str:
    return f"{day}T00:00:00Z" if day else "1970-01-01T00:00:00Z"


def atom_feed(base: str, filters: dict, entries: list[Entry], named: dict[str, str]) -> bytes:
    """The entries as an Atom 1.0 document (RFC 4287)."""
    query = ("?" + urlencode(filters)) if filters else ""
    feed = ET.Element(f"{_A}feed")
    ET.SubElement(feed, f"{_A}id").text = f"{base}/changes.atom{query}"
    title = "Plenipot: status changes of proposals"
    ET.SubElement(feed, f"{_A}title").text = (f"{title} {_describe(filters)}" if filters
                                              else title)
    newest = max((e.date for e in entries if e.date), default="")
    ET.SubElement(feed, f"{_A}updated").text = (
        _time(newest) if newest else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    author = ET.SubElement(feed, f"{_A}author")
    ET.SubElement(author, f"{_A}name").text = "Plenipot"
    ET.SubElement(feed, f"{_A}link", rel="self", type=ATOM, href=f"{base}/changes.atom{query}")
    ET.SubElement(feed, f"{_A}link", rel="alternate", type="text/html",
                  href=f"{base}/changes{query}")
    for e in entries:
        entry = ET.SubElement(feed, f"{_A}entry")
        ET.SubElement(entry, f"{_A}id").text = str(e.change)
        status = named.get(str(e.status), views.local_key(e.status))
        label = named.get(str(e.proposal), e.identifier)
        ET.SubElement(entry, f"{_A}title").text = f"{label}: {status}"
        ET.SubElement(entry, f"{_A}updated").text = _time(e.date)
        ET.SubElement(entry, f"{_A}link", rel="alternate", type="text/html",
                      href=base + href(e.proposal))
        for source in e.sources:
            ET.SubElement(entry, f"{_A}link", rel="related", href=str(source))
        conference = named.get(str(e.conference), views.local_key(e.conference))
        recorded = f" Recorded by {', '.join(map(str, e.sources))}." if e.sources else ""
        ET.SubElement(entry, f"{_A}summary").text = (
            f"{label} ({conference}) is {status.lower()} as of {e.date or 'an unknown date'}."
            f"{recorded}")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _page(request: Request, store, filters: dict[str, str]) -> HTMLResponse:
    from plenipot.web.routes.pages import _page as render_page
    from plenipot.web.routes.pages import error_page

    try:
        entries = _entries(store, filters)
    except PlenipotError as error:
        return error_page(request, error.http_status, error.message)
    named = _labelled(store, entries)
    query = ("?" + urlencode(filters)) if filters else ""
    options = views.matrix_options(store)
    return render_page(request, "changes.html", entries=entries, labels=named, filters=filters,
                       options=options, description=_describe(filters),
                       feed_href=f"/changes.atom{query}")
