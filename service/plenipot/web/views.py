"""What the site-wide pages show: the home page, search, the issues matrix and the query examples.

Each function takes the store and returns plain data for a template. Queries keep every
``OPTIONAL`` at the end of its group (the Oxigraph trap in DESIGN.md §10), and labels are looked
up in one batch per page by ``labels``.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from plenipot.errors import ParameterError
from plenipot.namespaces import BASE, PP, PPID, PREFIXES
from plenipot.queries.header import sparql
from plenipot.queries.run import select
from plenipot.sources.bundled import bundled
from plenipot.store.base import Store
from plenipot.tracker.history import status_changes
from plenipot.tracker.matrix import issues_matrix

MAX_QUERY_LENGTH = 200


def local_key(iri: str) -> str:
    """The last segment of an IRI: ``…/issue-area/cybersecurity`` → ``cybersecurity``."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def humanize(name: str) -> str:
    """A vocabulary term's local name as words: ``memberOf`` -> ``member of``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").replace("-", " ")
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words.split())
    return text[:1].upper() + text[1:] if name[:1].isupper() else text


# names for the properties of other vocabularies that pages show (the pp: terms have labels)
PROPERTY_NAMES = {
    "rdf:type": "kind", "rdfs:label": "label", "rdfs:comment": "note", "rdfs:seeAlso": "see also",
    "skos:prefLabel": "name", "skos:altLabel": "also known as", "skos:notation": "code",
    "skos:definition": "definition", "skos:inScheme": "in the code list",
    "skos:topConceptOf": "top concept of", "skos:hasTopConcept": "top concept",
    "skos:broader": "broader", "skos:narrower": "narrower", "skos:exactMatch": "same as",
    "dcterms:title": "title", "dcterms:description": "summary", "dcterms:identifier": "identifier",
    "dcterms:source": "source", "dcterms:date": "date", "dcterms:isPartOf": "part of",
    "dcterms:hasPart": "has part", "dcterms:created": "created", "dcterms:modified": "modified",
    "schema:startDate": "starts", "schema:endDate": "ends", "schema:location": "venue",
    "schema:url": "web page", "schema:name": "name", "foaf:name": "name",
    "org:memberOf": "member of", "org:hasMember": "member", "org:member": "member",
    "org:organization": "organization", "org:hasMembership": "membership",
    "org:subOrganizationOf": "part of", "org:hasSubOrganization": "has part",
    "org:unitOf": "unit of", "org:hasUnit": "unit", "prov:atTime": "time",
    "prov:wasAttributedTo": "attributed to", "owl:sameAs": "same as",
}


def property_names(store: Store, predicates: Iterable) -> dict[str, str]:
    """A name in words for each property: its label in the graph, else the table above, else
    its local name in words (``pp:statusChange`` -> ``status change``)."""
    from plenipot.web.templating import curie

    iris = [URIRef(str(p)) for p in predicates]
    named = labels(store, iris)
    out = {}
    for iri in iris:
        text = PROPERTY_NAMES.get(curie(iri))
        if text is None:
            text = named.get(str(iri), "")
            if not text or text == local_key(iri):
                text = humanize(local_key(iri))
        out[str(iri)] = text
    return out


def _known_namespace(iri: str) -> bool:
    return any(iri.startswith(ns) for ns in PREFIXES.values()) and not iri.startswith(str(PPID))


def _batches(store: Store, name: str, iris: list[str]) -> list[dict]:
    """The rows of a query of ``web/sparql/`` with ``iris`` bound as a set to ``?s``, 400 at a
    time."""
    query = sparql("plenipot.web", name)
    rows = []
    for start in range(0, len(iris), 400):
        rows += select(store, query, {"s": tuple(map(URIRef, iris[start : start + 400]))}).rows
    return rows


def labels(store: Store, iris: Iterable) -> dict[str, str]:
    """A human label for each IRI: notation for codes, then preferred label, label, title,
    identifier; for a node without one (a membership), what it joins ("Belarus in CEPT");
    for a vocabulary term of another namespace, its name in words; a source URL in full."""
    wanted = sorted({str(i) for i in iris if isinstance(i, URIRef)})
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _batches(store, "labels", wanted):
        found[str(row["s"])].setdefault(local_key(row["p"]), str(row["o"]))
    order = ("prefLabel", "label", "title", "identifier")
    named = {iri: next((found[iri][k] for k in order if k in found[iri]), None) for iri in wanted}
    bare = [iri for iri, name in named.items() if name is None and iri.startswith(BASE + "id/")]
    if bare:
        named.update(_compose(store, bare))
    for iri, name in named.items():
        if name is None:
            named[iri] = (humanize(local_key(iri)) if _known_namespace(iri)
                          else local_key(iri) if iri.startswith(BASE) else iri)
    return named


def _compose(store: Store, iris: list[str]) -> dict[str, str]:
    """Names for intermediate nodes from the resources they join."""
    parts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in _batches(store, "unlabelled-parts", iris):
        parts[str(row["s"])][str(row["role"])].append(row["o"])
    joined = {str(o) for p in parts.values() for k, vs in p.items() if k != "type" for o in vs}
    names = labels(store, [URIRef(i) for i in joined]) if joined else {}

    def name(values) -> str:
        return " and ".join(sorted(names.get(str(v), local_key(v)) for v in values))

    composed = {}
    for iri, p in parts.items():
        kind = humanize(local_key(p["type"][0])) if p.get("type") else ""
        if p.get("member") and p.get("organization"):
            status = f", {name(p['status'])}" if p.get("status") else ""
            composed[iri] = f"{name(p['member'])} in {name(p['organization'])} (membership{status})"
        elif p.get("holder") and p.get("about"):
            composed[iri] = f"{name(p['holder'])} on {name(p['about'])} ({kind or 'position'})"
        elif p.get("candidate"):
            composed[iri] = f"{name(p['candidate'])} ({kind or 'candidacy'})"
        elif kind:
            composed[iri] = f"{kind} {local_key(iri)}"
    return composed


# --- home -------------------------------------------------------------------------------------

def _rows(store: Store, name: str, **bindings) -> list[dict]:
    return select(store, sparql("plenipot.web", name), bindings or None).rows


def home(store: Store) -> dict:
    counts = _rows(store, "home-counts")
    conferences = _rows(store, "home-conferences")
    latest = [{"p": e.proposal, "status": e.status, "date": e.date,
               "source": e.sources[0] if e.sources else None}
              for e in sorted(status_changes(store), key=lambda e: e.order, reverse=True)[:15]]
    targeted = _rows(store, "home-targeted")
    areas = [r["c"] for r in _rows(store, "instances-of", cls=PP.IssueArea)]
    named = labels(store, [r["class"] for r in counts] + [r["c"] for r in conferences]
                   + [r[k] for r in latest for k in ("p", "status")]
                   + [r["r"] for r in targeted] + areas)
    return {
        "triples": store.triple_count(),
        "counts": [{"iri": r["class"], "n": int(r["n"])} for r in counts],
        "conferences": conferences,
        "latest": latest,
        "targeted": [{"iri": r["r"], "n": int(r["n"])} for r in targeted],
        "areas": sorted(areas, key=lambda a: named[str(a)]),
        "labels": named,
    }


# --- search -----------------------------------------------------------------------------------

def search(store: Store, text: str) -> list[dict]:
    """Resources whose label, title, identifier or summary contains ``text`` (any case)."""
    text = text.strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise ParameterError("q", f"at most {MAX_QUERY_LENGTH} characters, please")
    if not text:
        return []
    rows = _rows(store, "search", q=Literal(text))
    named = labels(store, [r["s"] for r in rows] + [r["kind"] for r in rows if "kind" in r])
    return [{"iri": r["s"], "label": named[str(r["s"])], "kind": r.get("kind"),
             "kind_label": named.get(str(r.get("kind")), ""), "match": str(r["match"])}
            for r in rows]


# --- the issues matrix ------------------------------------------------------------------------

@dataclass
class Matrix:
    filters: dict[str, str]
    options: dict[str, list[tuple[str, str]]]  # filter name -> (key, label) choices
    columns: list[dict]  # submitters: iri, label, kind ("org" or "state")
    groups: list[dict] = field(default_factory=list)  # issue area -> rows -> cells
    proposals: int = 0
    labels: dict[str, str] = field(default_factory=dict)


def _choices(store: Store, cls: URIRef) -> list[tuple[str, str]]:
    rows = _rows(store, "instances-of", cls=cls)
    named = labels(store, [r["c"] for r in rows])
    return sorted(((local_key(r["c"]), named[str(r["c"])]) for r in rows), key=lambda c: c[1])


def matrix_options(store: Store) -> dict[str, list[tuple[str, str]]]:
    return {"conference": _choices(store, PP.Conference),
            "issue_area": _choices(store, PP.IssueArea),
            "status": _choices(store, PP.Status)}


def check_filters(options: dict, **filters: str | None) -> dict[str, str]:
    """The non-empty filters, each checked against the keys the graph knows (400 otherwise)."""
    checked = {}
    for name, value in filters.items():
        if not value:
            continue
        keys = [key for key, _ in options[name]]
        if value not in keys:
            known = ", ".join(keys[:12]) + (" …" if len(keys) > 12 else "")
            raise ParameterError(name, f"unknown value {value!r}; known: {known or 'none'}")
        checked[name] = value
    return checked


_COLUMN_CLASS = {"regional-organization": "regionalorganization", "member-state": "memberstate"}
DEFAULT_CONFERENCE = "pp-22"
ALL = "all"


def matrix(store: Store, conference: str | None = None, issue_area: str | None = None,
           status: str | None = None) -> Matrix:
    """The issues matrix of ``tracker.matrix`` (the same one the CSV download writes), shaped
    for the page: filters checked against the keys the graph knows; PP-22 unless another
    conference (or ``all``) is asked for."""
    options = matrix_options(store)
    if not conference and any(key == DEFAULT_CONFERENCE for key, _ in options["conference"]):
        conference = DEFAULT_CONFERENCE
    elif conference == ALL:
        conference = None
    filters = check_filters(options, conference=conference, issue_area=issue_area, status=status)
    table = issues_matrix(store, **filters)
    cells = [cell for group in table.cells.values() for cell in group]
    statuses = {URIRef(f"{PPID}status/{cell.status}") for cell in cells if cell.status}
    positions = [p for row in table.rows for p in row.positions]
    iris = [c.iri for c in table.columns] + [g.iri for g in table.groups if g.iri]
    named = labels(store, iris + [r.iri for g in table.groups for r in g.rows] + [*statuses]
                   + [r.outcome_iri for r in table.rows if r.outcome_iri]
                   + [x for p in positions for x in (p.holder, p.stance, p.via) if x])
    columns = [{"iri": str(c.iri), "label": c.label, "short": c.name,
                "kind": _COLUMN_CLASS.get(c.kind, "other")} for c in table.columns]
    result = Matrix(filters, options, columns, proposals=len({cell.iri for cell in cells}))
    for group in table.groups:
        result.groups.append({
            "iri": str(group.iri or ""), "label": group.label or "No issue area",
            "rows": [{"iri": str(row.iri), "label": row.label, "title": row.title,
                      "outcome": row.outcome,
                      "outcome_iri": str(row.outcome_iri) if row.outcome_iri else "",
                      "positions": [{"holder": str(p.holder), "iri": str(p.iri),
                                     "stance": str(p.stance) if p.stance else "",
                                     "via": str(p.via) if p.via else ""} for p in row.positions],
                      "cells": [[{"iri": str(cell.iri), "id": cell.proposal,
                                  "action": cell.action,
                                  "status": f"{PPID}status/{cell.status}" if cell.status else ""}
                                 for cell in table.cell(row, column)]
                                for column in table.columns]}
                     for row in group.rows],
        })
    result.labels = named
    return result


# --- the named queries, as examples for the query page ----------------------------------------

def named_queries() -> list[dict]:
    """Every ``queries/*.rq``: its name, title, description and text (header lines kept)."""
    try:
        folder = bundled("queries")
    except FileNotFoundError:
        return []
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            key, sep, value = line.lstrip("# ").partition(":")
            if sep and key.strip() in ("title", "description"):
                header[key.strip()] = value.strip()
        examples.append({"name": path.stem, "title": header.get("title", path.stem),
                         "description": header.get("description", ""), "text": text})
    return examples
