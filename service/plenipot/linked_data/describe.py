"""What the service says about one resource when its IRI is dereferenced.

    describe(store, iri) -> rdflib.Graph   (empty: the IRI is unknown)
    vocabulary(store) -> rdflib.Graph      (the pp: terms and the ontology header)

A description is the resource's own triples plus enough of its neighbours to be read on its
own: the labels, titles and identifiers of everything it links to and of everything linking to
it (with the linking triple); blank nodes it points to in full; for a resolution its revisions
and the proposals that target it or them (identifier, title, action, status, submitters,
conference, and the labels of those); for a proposal its status changes and their statuses'
labels. One CONSTRUCT.

The IRI is written into each branch as a checked RDF term (``iri_ref``) rather than bound in
a leading VALUES block: Oxigraph 0.5 does not push a VALUES join into the branches of a UNION,
and the description took 281 ms that way against 1 ms written in (docs/decisions/0004).
"""

import re

from rdflib import Graph, URIRef

from plenipot.namespaces import BASE, PP, bind_all, sparql_prologue
from plenipot.store.base import Store
from plenipot.store.binding import BAD_IRI

# properties that name a thing: copied for every neighbour
NAMING = ("rdf:type", "rdfs:label", "skos:prefLabel", "skos:notation", "dcterms:title",
          "dcterms:identifier", "pp:number", "pp:revisionLabel", "pp:documentNumber",
          "pp:addendum", "pp:articleNumber", "pp:revisionOf", "foaf:name", "schema:name")
# what a proposal that targets a resolution shows about itself
PROPOSAL_SUMMARY = (*NAMING, "pp:action", "pp:status", "pp:submittedBy", "pp:atConference",
                    "pp:target")

_DESCRIBE = """
CONSTRUCT { ?s ?p ?o }
WHERE {
  # its own triples
  { ?this ?p ?o BIND(?this AS ?s) }
  # blank nodes it points to, in full
  UNION { ?this ?link ?s FILTER(isBlank(?s)) ?s ?p ?o }
  # names of what it links to
  UNION { ?this ?link ?s FILTER(isIRI(?s)) ?s ?p ?o FILTER(?p IN (NAMING)) }
  # ... and of the resolution a linked revision revises
  UNION { ?this ?link ?revision . ?revision pp:revisionOf ?s . ?s ?p ?o FILTER(?p IN (NAMING)) }
  # what links to it: the linking triple, and the linker's names (and, for a proposal, its summary)
  UNION { ?s ?p ?this BIND(?this AS ?o) }
  UNION { ?s ?link ?this . ?s ?p ?o FILTER(?p IN (PROPOSAL_SUMMARY)) }
  # the parts it owns: its revisions (both directions of the link) and its status changes
  UNION { ?this pp:hasRevision|^pp:revisionOf|pp:statusChange ?s . ?s ?p ?o }
  UNION { ?this pp:statusChange/pp:status ?s . ?s ?p ?o FILTER(?p IN (NAMING)) }
  # the proposals that target one of its revisions, and the names of what they point to
  UNION { ?this pp:hasRevision|^pp:revisionOf ?revision . ?s pp:target ?revision .
          ?s ?p ?o FILTER(?p IN (PROPOSAL_SUMMARY)) }
  UNION { { ?proposal pp:target ?this }
          UNION { ?this pp:hasRevision|^pp:revisionOf ?revision . ?proposal pp:target ?revision }
          ?proposal pp:action|pp:status|pp:submittedBy|pp:atConference ?s .
          ?s ?p ?o FILTER(?p IN (NAMING)) }
}
""".replace("PROPOSAL_SUMMARY", ", ".join(PROPOSAL_SUMMARY)).replace("NAMING", ", ".join(NAMING))

# the project's own constants, written in (nothing here comes from a request)
_VOCABULARY = f"""
CONSTRUCT {{ ?s ?p ?o }}
WHERE {{
  {{ ?s ?p ?o FILTER(?s = <{BASE}def> || STRSTARTS(STR(?s), "{PP}")) }}
  UNION {{ ?term ?link ?s FILTER(isBlank(?s) && STRSTARTS(STR(?term), "{PP}")) ?s ?p ?o }}
}}
"""


def is_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI that a store accepts (RFC 3987's forbidden
    characters absent), so that bad input is an unknown resource rather than a crash."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text)) and not BAD_IRI.search(text)


def iri_ref(iri: str) -> str:
    """``<iri>`` for a query text; ``ValueError`` unless ``is_iri(iri)``."""
    if not is_iri(str(iri)):
        raise ValueError(f"not a well-formed IRI: {iri!r}")
    return f"<{iri}>"


def describe(store: Store, iri: str | URIRef) -> Graph:
    """The description of ``iri`` (see the module docstring); empty when nothing mentions it
    (or when ``iri`` is not a well-formed IRI)."""
    if not is_iri(str(iri)):
        return bind_all(Graph())
    result = store.construct(sparql_prologue() + _DESCRIBE.replace("?this", iri_ref(iri)))
    graph = bind_all(Graph())
    for triple in result.triples:
        graph.add(triple)
    return graph


def vocabulary(store: Store) -> Graph:
    """Every triple about a ``pp:`` term, the ontology header, and blank nodes they use."""
    result = store.construct(sparql_prologue() + _VOCABULARY)
    graph = bind_all(Graph())
    for triple in result.triples:
        graph.add(triple)
    return graph
