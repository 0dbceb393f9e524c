"""The VoID and DCAT description of the dataset, computed from the live data.

    void_graph(store, base) -> rdflib.Graph

``base`` is the service's public base (``https://plenipot.example``): the SPARQL endpoint and
the dumps are described where this service serves them; the dataset itself keeps the canonical
IRI ``DATASET``. Figures (``void:triples`` and the rest) count distinct triples of the union of
the source graphs; each source file is a ``void:subset`` with its own triple count, so it meets
the ``void:Dataset`` header the file may carry under the same IRI. The figures come from the
queries ``linked_data/sparql/void-*.rq``.
"""

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from plenipot.formats import JSONLD, NQUADS, NTRIPLES, RDFXML, TRIG, TURTLE
from plenipot.namespaces import BASE, PP, PPID, bind_all
from plenipot.queries.header import sparql
from plenipot.queries.run import select
from plenipot.store.base import Store

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DATASET = URIRef(BASE + "dataset")
# the dumps: file suffix -> media type (the served paths are /export/plenipot.{suffix})
DUMPS = {"nq": NQUADS, "trig": TRIG, "ttl": TURTLE, "nt": NTRIPLES, "jsonld": JSONLD,
         "rdf": RDFXML}
IANA = "https://www.iana.org/assignments/media-types/"

def _count(value) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def _rows(store: Store, name: str) -> list[dict]:
    """Rows of ``linked_data/sparql/void-{name}.rq``."""
    return select(store, sparql("plenipot.linked_data", f"void-{name}")).rows


def void_graph(store: Store, base: str) -> Graph:
    """VoID + DCAT of the live data, with the endpoint and dumps under ``base``."""
    base = base.rstrip("/")
    graph = bind_all(Graph())
    ds = DATASET
    graph.add((ds, RDF.type, VOID.Dataset))
    graph.add((ds, RDF.type, DCAT.Dataset))
    graph.add((ds, DCTERMS.title, Literal("Plenipot: proposals to ITU conferences", lang="en")))
    graph.add((ds, DCTERMS.description, Literal(
        "A knowledge graph of ITU conferences, their proposals, resolutions, organizations, "
        "member states, elections and stakeholder positions, each fact with its source.",
        lang="en")))
    graph.add((ds, VOID.uriSpace, Literal(str(PPID))))
    graph.add((ds, VOID.vocabulary, URIRef(str(PP))))
    graph.add((ds, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
    graph.add((ds, VOID.uriLookupEndpoint, URIRef(f"{base}/id/")))
    graph.add((ds, DCAT.landingPage, URIRef(f"{base}/")))

    totals = _rows(store, "totals")[0]
    graph.add((ds, VOID.triples, _count(totals["triples"])))
    graph.add((ds, VOID.distinctSubjects, _count(totals["subjects"])))
    graph.add((ds, VOID.properties, _count(totals["properties"])))
    graph.add((ds, VOID.distinctObjects, _count(totals["objects"])))
    graph.add((ds, VOID.entities, _count(_rows(store, "entities")[0]["entities"])))

    classes = _rows(store, "classes")
    graph.add((ds, VOID.classes, _count(len(classes))))
    for row in sorted(classes, key=lambda r: str(r["class"])):
        partition = BNode()
        graph.add((ds, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], row["class"]))
        graph.add((partition, VOID.entities, _count(row["entities"])))
    for row in sorted(_rows(store, "properties"), key=lambda r: str(r["property"])):
        partition = BNode()
        graph.add((ds, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, row["property"]))
        graph.add((partition, VOID.triples, _count(row["triples"])))
    for row in _rows(store, "graphs"):
        graph.add((ds, VOID.subset, row["g"]))
        graph.add((row["g"], RDF.type, VOID.Dataset))
        graph.add((row["g"], VOID.triples, _count(row["triples"])))

    for row in _rows(store, "licenses"):
        graph.add((ds, DCTERMS.license, row["license"]))
    for row in _rows(store, "sources"):
        graph.add((ds, DCTERMS.source, row["source"]))

    for suffix, media_type in DUMPS.items():
        url = URIRef(f"{base}/export/plenipot.{suffix}")
        graph.add((ds, VOID.dataDump, url))
        distribution = URIRef(f"{url}#distribution")
        graph.add((ds, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCAT.mediaType, URIRef(IANA + media_type)))

    service = URIRef(f"{base}/sparql#service")
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, DCAT.endpointURL, URIRef(f"{base}/sparql")))
    graph.add((service, SD.endpoint, URIRef(f"{base}/sparql")))
    graph.add((service, DCAT.servesDataset, ds))
    graph.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    return graph
