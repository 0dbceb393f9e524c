"""Routes: the HTML pages for people (home, issues matrix, search, query editor, static files),
and the two renderers the linked-data routes call: ``resource_page`` and ``vocabulary_page``.

Every page works without JavaScript except the YASGUI editor on ``/query``, which has a plain
form beside it. Errors on these routes are HTML pages with the same message as the JSON body.
"""

from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from rdflib import DCTERMS, OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection

from plenipot.errors import ParameterError, PlenipotError
from plenipot.namespaces import PP
from plenipot.queries.header import sparql
from plenipot.web import resource_views, views
from plenipot.web.deps import StoreDep
from plenipot.web.templating import curie, render

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).resolve().parents[1] / "static"


def _page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return HTMLResponse(render(template, request=request, root=root, path=request.url.path,
                               **context), status_code=status)


def error_page(request: Request, status: int, message: str,
               title: str | None = None) -> HTMLResponse:
    """An HTML error page (404 for unknown things, 400 for bad parameters)."""
    titles = {400: "Bad request", 404: "Not found", 406: "Not acceptable"}
    return _page(request, "error.html", status=status, status_code=status,
                 title=title or titles.get(status, "Error"), message=message)


def not_found_page(request: Request, iri: str) -> HTMLResponse:
    """The 404 page for an IRI nothing is known about (the linked-data routes call it)."""
    return error_page(request, 404, f"nothing is known about <{iri}>")


def _error(request: Request, error: PlenipotError) -> HTMLResponse:
    return error_page(request, error.http_status, error.message)


# --- site pages -------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep) -> HTMLResponse:
    try:
        data = views.home(store)
    except PlenipotError as error:  # e.g. a remote store that does not answer
        return _error(request, error)
    return _page(request, "home.html", **data)


@router.get("/matrix", response_class=HTMLResponse)
def matrix(request: Request, store: StoreDep, conference: str = "", issue_area: str = "",
           status: str = "") -> HTMLResponse:
    try:
        table = views.matrix(store, conference=conference, issue_area=issue_area, status=status)
    except PlenipotError as error:
        return _error(request, error)
    csv = "/export/issues-matrix.csv"
    if table.filters:
        csv += "?" + urlencode(table.filters)
    feed = "/changes.atom"
    feed_filters = {k: v for k, v in table.filters.items() if k in ("conference", "issue_area")}
    if feed_filters:
        feed += "?" + urlencode(feed_filters)
    return _page(request, "matrix.html", matrix=table, labels=table.labels, csv_href=csv,
                 feed_href=feed)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, store: StoreDep, q: str = "") -> HTMLResponse:
    try:
        results = views.search(store, q)
    except PlenipotError as error:
        return _error(request, error)
    return _page(request, "search.html", q=q, results=results)


@router.get("/query", response_class=HTMLResponse)
def query(request: Request, example: str = "") -> HTMLResponse:
    examples = views.named_queries()
    chosen = next((e for e in examples if e["name"] == example), None)
    if example and chosen is None:
        return _error(request, ParameterError("example", f"no named query {example!r}"))
    default = "\n".join(line for line in sparql("plenipot.web", "editor-default").text.splitlines()
                        if not line.startswith("#"))
    return _page(request, "query.html", examples=examples, chosen=chosen,
                 text=chosen["text"] if chosen else default)


@router.get("/static/{path:path}")
def static(request: Request, path: str):
    """A file under ``static/``; anything that resolves outside it is a 404."""
    if "\x00" in path:
        return error_page(request, 404, "no such static file")
    target = (STATIC / path).resolve()
    if not target.is_relative_to(STATIC) or not target.is_file():
        return error_page(request, 404, f"no static file {path!r}")
    return FileResponse(target, headers={"Cache-Control": "public, max-age=3600"})


# --- renderers for the linked-data routes -----------------------------------------------------

def resource_page(request: Request, iri: str, graph: Graph) -> HTMLResponse:
    """The HTML page of one resource; ``graph`` is its description (its triples and neighbours'
    labels), embedded as JSON-LD. The template is picked by ``rdf:type``."""
    store = request.app.state.store
    subject = URIRef(iri)
    if (subject, None, None) not in graph and (None, None, subject) not in graph:
        return not_found_page(request, iri)
    types = set(graph.objects(subject, RDF.type))
    try:
        template, data = resource_views.page_data(store, subject, types)
    except PlenipotError as error:
        return _error(request, error)
    facts: dict[URIRef, list] = {}
    for p, o in graph.predicate_objects(subject):
        facts.setdefault(p, []).append(o)
    incoming = {(s, p) for s, p in graph.subject_predicates(subject) if isinstance(s, URIRef)}
    extra = [*types, *(o for values in facts.values() for o in values if isinstance(o, URIRef)),
             *(s for s, _ in incoming)]
    data["labels"] = named = {**views.labels(store, extra), **data["labels"]}
    prop_names = views.property_names(store, {*facts, *(p for _, p in incoming)})

    def by_label(term) -> tuple:
        return (isinstance(term, URIRef), named.get(str(term), str(term)).casefold(), str(term))

    by_curie = {curie(p): values for p, values in facts.items()}
    ordered = sorted(((p, prop_names[str(p)], sorted(values, key=by_label))
                      for p, values in facts.items()),
                     key=lambda item: (item[0] != RDF.type, item[1].casefold()))
    incoming_list = sorted(((s, p, prop_names[str(p)]) for s, p in incoming),
                           key=lambda spn: (by_label(spn[0]), spn[2]))
    title = next((str(t) for t in by_curie.get("dcterms:title", [])), None)
    subtitle = title if title and title != named.get(str(subject)) else None
    return _page(request, template, iri=subject, types=sorted(types, key=by_label),
                 facts=ordered, by_curie=by_curie, subtitle=subtitle,
                 incoming=incoming_list[:200], graph=graph, prop_names=prop_names,
                 feed_href=feed_href(subject, types), **data)


FEEDS = ((PP.Resolution, "resolution"), (PP.RegionalOrganization, "organization"),
         (PP.MemberState, "organization"), (PP.Organization, "organization"),
         (PP.IssueArea, "issue_area"), (PP.Conference, "conference"), (PP.Proposal, "proposal"))


def feed_href(subject: URIRef, types: set) -> str | None:
    """The Atom feed of the status changes about a resource, for its ``rel="alternate"``."""
    for cls, parameter in FEEDS:
        if cls in types:
            if parameter == "resolution":
                number = str(subject).rstrip("/").rsplit("/", 1)[-1]
                if "/resolution/pp/" not in str(subject) or not number.isalnum():
                    return None
                return "/changes.atom?" + urlencode({"resolution": number})
            value = str(subject) if parameter == "proposal" else views.local_key(subject)
            return "/changes.atom?" + urlencode({parameter: value})
    return None


def _english(graph: Graph, subject, predicate):
    """The English value (else one without a language tag, else any) of a property."""
    values = list(graph.objects(subject, predicate))
    for wanted in ("en", None):
        for value in values:
            if getattr(value, "language", None) == wanted:
                return value
    return values[0] if values else None


def _named(graph: Graph, predicate, subject) -> list:
    """The IRIs a property points to, looking into ``owl:unionOf`` lists."""
    out = []
    for value in graph.objects(subject, predicate):
        union = graph.value(value, OWL.unionOf) if isinstance(value, BNode) else None
        out += list(Collection(graph, union)) if union is not None else [value]
    return sorted(v for v in out if isinstance(v, URIRef))


def vocabulary_page(request: Request, graph: Graph) -> HTMLResponse:
    """The readable page of the vocabulary (``/def``): classes, then properties, with anchors
    named after each term so that ``/def#Proposal`` lands on it."""
    def terms(*kinds):
        found = {s for kind in kinds for s in graph.subjects(RDF.type, kind)
                 if isinstance(s, URIRef)}
        return [{"iri": s, "key": str(s).rsplit("#", 1)[-1],
                 "label": _english(graph, s, RDFS.label),
                 "comment": _english(graph, s, RDFS.comment),
                 "parents": _named(graph, RDFS.subClassOf if kind_is_class(s, graph)
                                   else RDFS.subPropertyOf, s),
                 "domain": _named(graph, RDFS.domain, s), "range": _named(graph, RDFS.range, s)}
                for s in sorted(found)]

    def kind_is_class(s, g):
        return (s, RDF.type, OWL.Class) in g or (s, RDF.type, RDFS.Class) in g

    ontology = next(graph.subjects(RDF.type, OWL.Ontology), None)
    sections = [("Classes", terms(OWL.Class, RDFS.Class)),
                ("Object properties", terms(OWL.ObjectProperty)),
                ("Datatype properties", terms(OWL.DatatypeProperty)),
                ("Other properties", [t for t in terms(RDF.Property, OWL.AnnotationProperty)
                                      if (t["iri"], RDF.type, OWL.ObjectProperty) not in graph
                                      and (t["iri"], RDF.type, OWL.DatatypeProperty) not in graph])]
    labels = {str(t["iri"]): str(t["label"] or t["key"]) for _, ts in sections for t in ts}
    title = _english(graph, ontology, DCTERMS.title) if ontology else None
    return _page(request, "vocabulary.html", ontology=ontology, graph=graph, title=title,
                 sections=[(name, ts) for name, ts in sections if ts], labels=labels)
