"""The published JSON-LD ``@context`` (served at ``/context.jsonld``): friendly keys for the
``pp:`` terms and the common terms the data reuses, and the project's prefixes.

    jsonld_context() -> dict   the ``@context`` object itself (a copy; safe to change)
    context_document() -> dict ``{"@context": ...}`` as published

The keys come from the bundled ontology file (not the live store), so the context of a release
does not change with the data served: each ``pp:`` class and property is keyed by its local
name; object properties are typed ``@id`` and datatype properties with an ``xsd`` range carry
that datatype, so compacted JSON-LD reads ``"status": "https://w3id.org/.../adopted"``.
"""

import copy
from functools import cache

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from plenipot.namespaces import PP, PREFIXES

_COERCED = {XSD.date, XSD.dateTime, XSD.integer, XSD.boolean, XSD.decimal, XSD.gYear}

# common terms from other vocabularies: key -> (prefixed name, coercion or None)
COMMON: dict[str, tuple[str, str | None]] = {
    "label": ("rdfs:label", None),
    "comment": ("rdfs:comment", None),
    "seeAlso": ("rdfs:seeAlso", "@id"),
    "prefLabel": ("skos:prefLabel", None),
    "altLabel": ("skos:altLabel", None),
    "notation": ("skos:notation", None),
    "inScheme": ("skos:inScheme", "@id"),
    "title": ("dcterms:title", None),
    "description": ("dcterms:description", None),
    "identifier": ("dcterms:identifier", None),
    "date": ("dcterms:date", "xsd:date"),
    "source": ("dcterms:source", "@id"),
    "license": ("dcterms:license", "@id"),
    "isPartOf": ("dcterms:isPartOf", "@id"),
    "startDate": ("schema:startDate", "xsd:date"),
    "endDate": ("schema:endDate", "xsd:date"),
    "location": ("schema:location", None),
    "url": ("schema:url", "@id"),
    "memberOf": ("org:memberOf", "@id"),
    "hasMembership": ("org:hasMembership", "@id"),
    "member": ("org:member", "@id"),
    "organization": ("org:organization", "@id"),
    "unitOf": ("org:unitOf", "@id"),
    "hasUnit": ("org:hasUnit", "@id"),
    "subOrganizationOf": ("org:subOrganizationOf", "@id"),
    "atTime": ("prov:atTime", "xsd:dateTime"),
}


def _prefixed(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and prefix != "ppid":
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _ontology_terms() -> dict[str, dict | str]:
    """Keys for the pp: terms of the bundled ontology ({} when it cannot be found)."""
    from plenipot.sources.bundled import bundled_files

    graph = Graph()
    try:
        for path in bundled_files("ontology", "plenipot.ttl"):
            graph.parse(path, format="turtle")
    except (FileNotFoundError, OSError):
        return {}
    terms: dict[str, dict | str] = {}
    for subject in sorted(set(graph.subjects(RDF.type, None))):
        if not isinstance(subject, URIRef) or not str(subject).startswith(str(PP)):
            continue
        name = str(subject)[len(str(PP)):]
        types = set(graph.objects(subject, RDF.type))
        if OWL.ObjectProperty in types:
            terms[name] = {"@id": f"pp:{name}", "@type": "@id"}
        elif OWL.DatatypeProperty in types:
            ranges = set(graph.objects(subject, RDFS.range)) & _COERCED
            terms[name] = ({"@id": f"pp:{name}", "@type": _prefixed(str(ranges.pop()))}
                           if len(ranges) == 1 else f"pp:{name}")
        else:
            terms[name] = f"pp:{name}"
    return terms


@cache
def _context() -> dict:
    context: dict = {"id": "@id", "type": "@type"}
    context.update({prefix: namespace for prefix, namespace in PREFIXES.items()})
    terms = _ontology_terms()
    for key, (name, coercion) in COMMON.items():
        if key not in terms:
            context[key] = {"@id": name, "@type": coercion} if coercion else name
    context.update(terms)
    return context


def jsonld_context() -> dict:
    return copy.deepcopy(_context())


def context_document() -> dict:
    return {"@context": jsonld_context()}
