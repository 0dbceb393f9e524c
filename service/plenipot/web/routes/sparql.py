"""Routes: ``/sparql``, the query side of the SPARQL 1.1 Protocol, read-only.

GET ``?query=``, POST as a form or as ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri`` name graphs of this store (never fetched); results by ``Accept``. A bare GET
answers the service description. Every query is inspected first (``plenipot.store.safety``).
"""

from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from plenipot import formats
from plenipot.errors import ForbiddenOperation, NotAcceptable, ParameterError, UnsupportedMediaType
from plenipot.namespaces import bind_all
from plenipot.results import Dataset
from plenipot.store.safety import check_graphs, inspect_query, inspected
from plenipot.web.deps import SettingsDep, StoreDep
from plenipot.web.openapi import answers, error
from plenipot.web.routes import pages
from plenipot.web.routes.linked_data import served_base

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SD = "http://www.w3.org/ns/sparql-service-description#"
W3_FORMATS = {
    formats.SPARQL_JSON: "SPARQL_Results_JSON", formats.SPARQL_XML: "SPARQL_Results_XML",
    formats.CSV: "SPARQL_Results_CSV", formats.TSV: "SPARQL_Results_TSV",
    formats.TURTLE: "Turtle", formats.NTRIPLES: "N-Triples", formats.JSONLD: "JSON-LD",
    formats.RDFXML: "RDF_XML",
}
DOC = """Run a read-only SPARQL 1.1 query (SPARQL 1.1 Protocol).

Send `query` as a GET parameter, in a form POST, or as the body of an
`application/sparql-query` POST. Results follow `Accept` (or a `format` parameter: json, xml,
csv, tsv, turtle, ntriples, jsonld, rdfxml): SPARQL JSON (default), XML, CSV or TSV
for SELECT and ASK; Turtle (default), N-Triples, JSON-LD or RDF/XML for CONSTRUCT and DESCRIBE.
The default graph is the union of all loaded files; `GRAPH ?g` tells which file a fact is from.
Updates, SERVICE and graphs that are not in this store are refused (400). Results are cut at the
row cap (header `X-Plenipot-Truncated: true`), and a query that runs too long is stopped (503).
Relative IRIs in a query resolve against the URL of this endpoint (a query's own `BASE`
comes first); an extension function this engine does not know is an evaluation error (its
expression is unbound), as SPARQL says, not a reason to refuse the query.
Without a query, GET answers the SPARQL service description (Turtle and the other graph
formats), or the query page when `Accept` prefers `text/html`, as a browser's does."""


def _acceptable(accept: str | None, offered) -> str | None:
    try:
        return formats.negotiate(accept, offered)
    except NotAcceptable:
        return None


def _format_override(values: list[str] | None) -> str | None:
    """``format=csv`` (json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml) stands in for
    ``Accept``, for an HTML form or a pasted link that cannot set headers."""
    if not values:
        return None
    if len(values) > 1:
        raise ParameterError("format", f"is given {len(values)} times; give it once")
    media_type = formats.ALIASES.get(values[0].strip().lower())
    if media_type is None or media_type == formats.HTML:
        offered = ", ".join(k for k, v in formats.ALIASES.items() if v != formats.HTML)
        raise ParameterError("format", f"unknown format {values[0]!r}; use one of {offered}")
    return media_type


async def _parameters(request: Request) -> dict[str, list[str]]:
    """The protocol parameters, from the URL and (for POST) the body."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method != "POST":
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ParameterError("body", "is not UTF-8 text") from None
    if content_type == SPARQL_QUERY:
        if "query" in params:
            raise ParameterError("query", "is given both in the URL and as the request body; "
                                          "give it once")
        params["query"] = [text]
    elif content_type == FORM:
        for key, values in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
    else:
        raise UnsupportedMediaType(
            f"a POST to /sparql must be {FORM} or {SPARQL_QUERY}, not "
            f"{content_type or 'without a Content-Type'}")
    return params


ANSWERS = answers(
    "The results (SELECT, ASK) or the graph (CONSTRUCT, DESCRIBE) in the format that Accept "
    "(or `format`) picks; without a query, the service description (or, for a browser, the "
    "query page).",
    (*formats.RESULT_TYPES, formats.JSON, *formats.GRAPH_TYPES, formats.HTML))
ERRORS = {
    400: error("A query that does not parse or that is refused (an update, SERVICE, a graph "
               "not in this store), or a missing, repeated or wrong parameter."),
    406: error("None of the formats in Accept can carry this answer."),
    413: error("The request body is larger than the service accepts."),
    503: error("The query ran longer than the time limit and was stopped."),
}


@router.get("/sparql", summary="SPARQL 1.1 query endpoint (GET)", description=DOC,
            response_class=Response, operation_id="sparql_get",
            responses={200: ANSWERS, **ERRORS})
@router.post("/sparql", summary="SPARQL 1.1 query endpoint (POST)", description=DOC,
             response_class=Response, operation_id="sparql_post",
             responses={200: ANSWERS, **ERRORS, 415: error(
                 "The body is neither a form nor application/sparql-query.")})
@router.head("/sparql", include_in_schema=False)
async def sparql(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    params = await _parameters(request)
    if "update" in params:
        raise ForbiddenOperation("this service is read-only: SPARQL Update is refused")
    accept = _format_override(params.pop("format", None)) or request.headers.get("accept")
    if "query" not in params:
        if request.method == "GET" and not params:
            if _acceptable(accept, (*formats.GRAPH_TYPES, formats.HTML)) == formats.HTML:
                page = pages.query(request)  # a browser: the query editor
                page.headers["Vary"] = "Accept"
                return page
            return service_description(request, store, accept)
        raise ParameterError("query", "is required: give a SPARQL query (GET ?query=… or POST)")
    if len(params["query"]) > 1:
        raise ParameterError("query", f"is given {len(params['query'])} times; give it once")
    query = params["query"][0]
    if not query.strip():
        raise ParameterError("query", "is empty")
    results_type = _acceptable(accept, (*formats.RESULT_TYPES, formats.JSON))
    graph_type = _acceptable(accept, formats.GRAPH_TYPES)
    if results_type is None and graph_type is None:
        raise NotAcceptable(f"none of the formats asked for in Accept ({accept}) is offered here; "
                            f"offered: {', '.join((*formats.RESULT_TYPES, *formats.GRAPH_TYPES))}")

    known = set(store.graph_names())
    dataset = None
    defaults, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    if defaults or named:
        check_graphs(defaults, known, "default-graph-uri")
        check_graphs(named, known, "named-graph-uri")
        dataset = Dataset(tuple(defaults), tuple(named))
    inspection = (inspected(query, known)  # a query seen before needs no parse
                  or await run_in_threadpool(inspect_query, query, known))
    answer = await store.answer_async(
        query,
        results_type=formats.SPARQL_JSON if results_type == formats.JSON else results_type,
        graph_type=graph_type, limit=settings.max_rows, dataset=dataset, form=inspection.form,
        base_iri=base_iri(request, settings))
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-Plenipot-Truncated"] = "true"
    media_type = formats.JSON if results_type == formats.JSON and answer.form in (
        "SELECT", "ASK") else answer.media_type
    return Response(answer.body, media_type=media_type, headers=headers)


def base_iri(request: Request, settings) -> str:
    """The base IRI of a query: this endpoint's URL (the public base when one is set; else the
    request's, whose host Starlette takes from a valid Host header or the server's address).
    An IRI the engine cannot use as a base is a ``QueryError`` there, never a 500."""
    return served_base(request, settings) + "/sparql"


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"],
                  include_in_schema=False)
async def sparql_other_methods(request: Request) -> Response:
    """GET and POST are two routes (two OpenAPI operations): answer the rest with one Allow."""
    raise HTTPException(405, headers={"Allow": "GET, HEAD, POST"})


def service_description(request: Request, store, accept: str | None) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, its dataset and formats."""
    media_type = formats.negotiate(accept, formats.GRAPH_TYPES)
    sd = lambda name: URIRef(SD + name)  # noqa: E731
    graph = bind_all(Graph())
    service = BNode("service")
    endpoint = URIRef(str(request.url.replace(query="")))
    graph.add((service, RDF.type, sd("Service")))
    graph.add((service, sd("endpoint"), endpoint))
    graph.add((service, sd("supportedLanguage"), sd("SPARQL11Query")))
    graph.add((service, sd("feature"), sd("UnionDefaultGraph")))
    for media in W3_FORMATS.values():
        graph.add((service, sd("resultFormat"), URIRef("http://www.w3.org/ns/formats/" + media)))
    dataset, default = BNode("dataset"), BNode("default")
    graph.add((service, sd("defaultDataset"), dataset))
    graph.add((dataset, RDF.type, sd("Dataset")))
    graph.add((dataset, sd("defaultGraph"), default))
    graph.add((default, RDF.type, sd("Graph")))
    graph.add((default, URIRef("http://rdfs.org/ns/void#triples"),
               Literal(store.triple_count())))
    for index, name in enumerate(store.graph_names()):
        named = BNode(f"graph{index}")
        graph.add((dataset, sd("namedGraph"), named))
        graph.add((named, RDF.type, sd("NamedGraph")))
        graph.add((named, sd("name"), URIRef(name)))
    return Response(formats.render_graph(graph, media_type), media_type=media_type,
                    headers={"Vary": "Accept"})
