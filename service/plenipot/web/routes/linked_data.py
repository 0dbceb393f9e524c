"""Linked data: dereferenceable IRIs (``/id/...``, ``/def``), the dumps and CSV tables
(``/export/...``), the JSON-LD context (``/context.jsonld``) and VoID (``/.well-known/void``).

``{served base}/id/{path}`` answers for ``https://w3id.org/plenipot/id/{path}``; the served base
is ``Settings.base_url`` or, when unset, the request's own base. The canonical IRIs in the data
never change. ``Accept`` picks the format (HTML for browsers, Turtle when nothing is asked);
a suffix (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.html``) fixes it.
"""


from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID

from plenipot import formats
from plenipot.errors import NotFound
from plenipot.linked_data.context import context_document
from plenipot.linked_data.describe import describe, vocabulary
from plenipot.linked_data.export import dump
from plenipot.linked_data.void import DATASET, IANA, void_graph
from plenipot.namespaces import PPID
from plenipot.tracker.tables import table_csv
from plenipot.web.deps import SettingsDep, StoreDep
from plenipot.web.openapi import answers, error
from plenipot.web.routes import pages
from plenipot.web.templating import render

router = APIRouter(tags=["linked data"])

# what a resource is offered as, preferred first when Accept says nothing
RESOURCE_TYPES = (formats.TURTLE, formats.HTML, formats.JSONLD, formats.NTRIPLES,
                  formats.RDFXML, formats.JSON)
SUFFIX_OF = {formats.TURTLE: ".ttl", formats.JSONLD: ".jsonld", formats.NTRIPLES: ".nt",
             formats.RDFXML: ".rdf", formats.HTML: ".html"}
RESOURCE_SUFFIXES = {suffix: media for media, suffix in SUFFIX_OF.items()}
DUMP_SUFFIXES = {".ttl": formats.TURTLE, ".nt": formats.NTRIPLES, ".nq": formats.NQUADS,
                 ".trig": formats.TRIG, ".jsonld": formats.JSONLD, ".rdf": formats.RDFXML}
CONTENT_TYPES = {formats.TURTLE: "text/turtle; charset=utf-8",
                 formats.HTML: "text/html; charset=utf-8"}
_OFFERED_AS = [m for m in RESOURCE_TYPES if m != formats.JSON]  # JSON is answered as JSON-LD


def served_base(request: Request, settings) -> str:
    """Where this service is reached: the configured public base, or the request's."""
    return (settings.base_url or str(request.base_url)).rstrip("/")


def _split_suffix(path: str, suffixes: dict[str, str]) -> tuple[str, str | None]:
    for suffix, media in suffixes.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], media
    return path, None


def _choose(request: Request, fixed: str | None, offered=RESOURCE_TYPES) -> str:
    media = fixed or formats.negotiate(request.headers.get("accept"), offered)
    return formats.JSONLD if media == formats.JSON else media


def _links(url: str, chosen: str) -> str:
    return ", ".join(f'<{url}{suffix}>; rel="alternate"; type="{media}"'
                     for media, suffix in SUFFIX_OF.items() if media != chosen)


def render_rdf(graph: Graph, media: str) -> bytes:
    if media == formats.JSONLD:
        return graph.serialize(format="json-ld", context=context_document()["@context"],
                               auto_compact=True, encoding="utf-8")
    return formats.render_graph(graph, media)


def _rdf_response(graph: Graph, media: str, headers: dict) -> Response:
    # open data: any web page may read it (a read-only service, no cookies)
    headers = {**headers, "Access-Control-Allow-Origin": "*"}
    return Response(render_rdf(graph, media), media_type=CONTENT_TYPES.get(media, media),
                    headers=headers)


NOT_ACCEPTABLE = {406: error("None of the formats in Accept is offered.")}


@router.get("/id/{path:path}", summary="A resource, by content negotiation",
            response_class=Response, responses={
                200: answers("The description of the resource.", _OFFERED_AS),
                404: error("Nothing is known about this IRI (an HTML page for a browser).",
                           formats.HTML),
                **NOT_ACCEPTABLE})
def resource(path: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The description of ``https://w3id.org/plenipot/id/{path}``: HTML for people; Turtle,
    JSON-LD, N-Triples or RDF/XML for machines (by ``Accept`` or by a suffix)."""
    key, fixed = _split_suffix(path, RESOURCE_SUFFIXES)
    iri = f"{PPID}{key}"
    base = served_base(request, settings)
    url = f"{base}/id/{key}"
    media = _choose(request, fixed)
    graph = describe(store, iri)
    headers = {"Vary": "Accept", "Link": _links(url, media)}
    if fixed is None:
        headers["Content-Location"] = url + SUFFIX_OF[media]
    if not len(graph):
        if media == formats.HTML:
            response = pages.not_found_page(request, iri)
            response.headers.update(headers)
            return response
        raise NotFound(f"nothing is known about {iri}")
    if media == formats.HTML:
        response = pages.resource_page(request, URIRef(iri), graph)
        response.headers.update(headers)
        return response
    return _rdf_response(graph, media, headers)


VOCABULARY_ANSWERS = {
    200: answers("The vocabulary.", _OFFERED_AS),
    404: error("The vocabulary is not loaded in this service, or no such format."),
    **NOT_ACCEPTABLE}


@router.get("/def", summary="The vocabulary (HTML or RDF by Accept)", response_class=Response,
            responses=VOCABULARY_ANSWERS)
def vocabulary_route(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The ``pp:`` vocabulary; ``/def#Term`` lands here (the fragment stays in the browser)."""
    return _vocabulary(request, store, settings, None)


@router.get("/def.{suffix}", summary="The vocabulary in one format", response_class=Response,
            responses=VOCABULARY_ANSWERS)
def vocabulary_file(request: Request, store: StoreDep, settings: SettingsDep,
                    suffix: str = Path(description="the format", json_schema_extra={
                        "enum": [s.lstrip(".") for s in RESOURCE_SUFFIXES]})) -> Response:
    media = RESOURCE_SUFFIXES.get(f".{suffix}")
    if media is None:
        raise NotFound(f"no such format of the vocabulary: .{suffix} "
                       f"(offered: {', '.join(RESOURCE_SUFFIXES)})")
    return _vocabulary(request, store, settings, media)


def _vocabulary(request: Request, store, settings, fixed: str | None) -> Response:
    base = served_base(request, settings)
    url = f"{base}/def"
    media = _choose(request, fixed)
    cache = _cache(request)
    if "vocabulary" not in cache:
        cache["vocabulary"] = vocabulary(store)
    graph = cache["vocabulary"]
    if not len(graph):
        raise NotFound("the vocabulary is not loaded in this service (started without the "
                       "bundled ontology?)")
    headers = {"Vary": "Accept", "Link": _links(url, media)}
    if media == formats.HTML:
        response = pages.vocabulary_page(request, graph)
        response.headers.update(headers)
        return response
    return _rdf_response(graph, media, headers)


@router.get("/export/plenipot.{suffix}", summary="The whole graph (a download)",
            response_class=Response, responses={
                200: answers("Every triple (quad) of the loaded data.",
                             DUMP_SUFFIXES.values()),
                404: error("No export in this format.")})
def export_graph(request: Request, store: StoreDep,
                 suffix: str = Path(description="the format", json_schema_extra={
                     "enum": [s.lstrip(".") for s in DUMP_SUFFIXES]})) -> Response:
    """Every triple; N-Quads and TriG keep each source file as a named graph."""
    media = DUMP_SUFFIXES.get(f".{suffix}")
    if media is None:
        raise NotFound(f"no export as .{suffix} (offered: {', '.join(DUMP_SUFFIXES)})")
    cache = _cache(request)
    if media not in cache:
        cache[media] = dump(store, media)
    return Response(cache[media], media_type=CONTENT_TYPES.get(media, media),
                    headers={"Content-Disposition": f'attachment; filename="plenipot.{suffix}"'})


def _cache(request: Request) -> dict:
    """Per-app cache of the dumps, the vocabulary and VoID (the store is read-only while the
    app runs, so they cannot go stale)."""
    state = request.app.state
    if not hasattr(state, "linked_data_cache"):
        state.linked_data_cache = {}
    return state.linked_data_cache


def _csv(data: bytes, name: str) -> Response:
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


CSV_ANSWERS = {200: answers("The table, as CSV with a header row.", ["text/csv"]),
               400: error("A wrong filter; the message names it.")}


@router.get("/export/proposals.csv", summary="The proposals list as CSV (tracker columns)",
            response_class=Response, responses=CSV_ANSWERS)
def export_proposals(
    store: StoreDep,
    conference: str | None = Query(None, description="conference key or code, e.g. pp-22"),
    issue_area: str | None = Query(None, description="issue area key, e.g. cybersecurity"),
    status: str | None = Query(None, description="status key, e.g. adopted"),
    submitter: str | None = Query(None, description="organization or country code, e.g. CEPT"),
) -> Response:
    data = table_csv(store, "proposals", conference=conference, issue_area=issue_area,
                     status=status, submitter=submitter)
    return _csv(data, "proposals.csv")


@router.get("/export/issues-matrix.csv", summary="The issues matrix as CSV",
            response_class=Response, responses=CSV_ANSWERS)
def export_matrix(
    store: StoreDep,
    conference: str | None = Query(None, description="conference key or code, e.g. pp-22"),
    issue_area: str | None = Query(None, description="issue area key, e.g. cybersecurity"),
    status: str | None = Query(None, description="status key, e.g. adopted"),
) -> Response:
    data = table_csv(store, "issues-matrix", conference=conference, issue_area=issue_area,
                     status=status)
    return _csv(data, "issues-matrix.csv")


@router.get("/context.jsonld", summary="The JSON-LD @context of the exports and the API",
            response_class=Response,
            responses={200: answers("The JSON-LD context document.", [formats.JSONLD])})
def context() -> JSONResponse:
    return JSONResponse(context_document(), media_type=formats.JSONLD,
                        headers={"Access-Control-Allow-Origin": "*"})


# HTML last: a client that says nothing, or */*, gets Turtle; a browser (text/html first) a page
VOID_TYPES = (formats.TURTLE, formats.JSONLD, formats.NTRIPLES, formats.RDFXML, formats.JSON,
              formats.HTML)


@router.get("/.well-known/void", summary="VoID and DCAT description of the dataset",
            response_class=Response, responses={
                200: answers("The description, in the format Accept picks (a page for a "
                             "browser).", [m for m in VOID_TYPES if m != formats.JSON]),
                **NOT_ACCEPTABLE})
def void(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Triples, classes, entities per class, licence, sources, the endpoint and the dumps,
    counted from the live data. Turtle unless ``Accept`` asks for JSON-LD (or another); a
    readable page when it prefers ``text/html``."""
    media = _choose(request, None, VOID_TYPES)
    base = served_base(request, settings)
    cache = _cache(request)
    key = ("void", base)
    if key not in cache:
        cache[key] = void_graph(store, base)
    if media == formats.HTML:
        root = request.scope.get("root_path", "")
        return HTMLResponse(render("void.html", request=request, root=root,
                                   path=request.url.path, **void_page_data(cache[key])),
                            headers={"Vary": "Accept"})
    return _rdf_response(cache[key], media, {"Vary": "Accept"})


def void_page_data(graph: Graph) -> dict:
    """What the VoID page shows, read from the VoID graph itself (one source of truth)."""
    ds = DATASET

    def number(subject, predicate) -> int:
        value = graph.value(subject, predicate)
        return int(value) if value is not None else 0

    def partitions(partition, key, count):
        rows = [(graph.value(p, key), number(p, count)) for p in graph.objects(ds, partition)]
        return sorted(rows, key=lambda row: (-row[1], str(row[0])))

    dumps = sorted((str(graph.value(d, DCAT.mediaType)).removeprefix(IANA), str(url))
                   for d in graph.objects(ds, DCAT.distribution)
                   if (url := graph.value(d, DCAT.downloadURL)) is not None)
    return {
        "dataset": ds, "graph": graph, "title": graph.value(ds, DCTERMS.title),
        "description": graph.value(ds, DCTERMS.description),
        "licenses": sorted(graph.objects(ds, DCTERMS.license)),
        "endpoint": graph.value(ds, VOID.sparqlEndpoint),
        "lookup": graph.value(ds, VOID.uriLookupEndpoint),
        "uri_space": graph.value(ds, VOID.uriSpace),
        "totals": {name: number(ds, VOID[name]) for name in
                   ("triples", "entities", "distinctSubjects", "distinctObjects", "properties",
                    "classes")},
        "classes": partitions(VOID.classPartition, VOID["class"], VOID.entities),
        "properties": partitions(VOID.propertyPartition, VOID.property, VOID.triples),
        "subsets": sorted((str(g), number(g, VOID.triples))
                          for g in graph.objects(ds, VOID.subset)),
        "sources": sorted(str(s) for s in graph.objects(ds, DCTERMS.source)),
        "dumps": dumps,
        "formats": [(media, SUFFIX_OF.get(media, "")) for media in VOID_TYPES[:4]],
    }
