"""What the service says about one resource when its IRI is dereferenced.

    describe(store, iri) -> rdflib.Graph   (empty: the IRI is unknown)
    vocabulary(store) -> rdflib.Graph      (the pp: terms and the ontology header)

A description is the resource's own triples plus enough of its neighbours to be read on its
own: the labels, titles and identifiers of everything it links to and of everything linking to
it (with the linking triple); blank nodes it points to in full; for a resolution its revisions
and the proposals that target it or them (identifier, title, action, status, submitters,
conference, and the labels of those); for a proposal its status changes and their statuses'
labels. One CONSTRUCT, ``linked_data/sparql/describe.rq``; the IRI is written into it as a
checked RDF term (its header says why), ``vocabulary.rq`` the other.
"""

import re

from rdflib import Graph, URIRef

from plenipot.namespaces import bind_all
from plenipot.queries.header import sparql
from plenipot.queries.run import construct
from plenipot.store.base import Store
from plenipot.store.binding import BAD_IRI


def is_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI that a store accepts (RFC 3987's forbidden
    characters absent), so that bad input is an unknown resource rather than a crash."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text)) and not BAD_IRI.search(text)


def describe(store: Store, iri: str | URIRef) -> Graph:
    """The description of ``iri`` (see the module docstring); empty when nothing mentions it
    (or when ``iri`` is not a well-formed IRI)."""
    if not is_iri(str(iri)):
        return bind_all(Graph())
    result = construct(store, sparql("plenipot.linked_data", "describe"), {"this": URIRef(iri)})
    graph = bind_all(Graph())
    for triple in result.triples:
        graph.add(triple)
    return graph


def vocabulary(store: Store) -> Graph:
    """Every triple about a ``pp:`` term, the ontology header, and blank nodes they use."""
    result = construct(store, sparql("plenipot.linked_data", "vocabulary"))
    graph = bind_all(Graph())
    for triple in result.triples:
        graph.add(triple)
    return graph
