"""What each kind of resource page shows, beyond the resource's own facts.

``page_data(store, iri, types)`` picks the view by ``rdf:type`` and returns the template name and
its data. Every IRI a view returns is labelled through one ``labels`` call per page. Bound
variables are projected too (``SELECT *``): Oxigraph only substitutes projected variables.
"""

from collections import defaultdict
from collections.abc import Iterable

from rdflib import URIRef

from plenipot.namespaces import PP
from plenipot.store.base import Store
from plenipot.store.binding import values_list
from plenipot.web.views import labels, select

PROPOSAL_FACTS = """
SELECT ?p ?id ?title ?action ?notation ?status ?conference WHERE {
  VALUES ?p { %s }
  OPTIONAL { ?p dcterms:identifier ?id } OPTIONAL { ?p dcterms:title ?title }
  OPTIONAL { ?p pp:action ?action OPTIONAL { ?action skos:notation ?notation } }
  OPTIONAL { ?p pp:status ?status }
  OPTIONAL { ?p pp:atConference ?conference }
}"""


def _values(iris: Iterable) -> str:
    return values_list("iri", (URIRef(i) for i in sorted({str(i) for i in iris}))) or "<urn:x-none>"


def proposal_rows(store: Store, iris: Iterable) -> list[dict]:
    """Id, title, action, status, conference, submitters and target of each proposal."""
    iris = sorted({str(i) for i in iris})
    if not iris:
        return []
    facts = {str(r["p"]): r for r in select(store, PROPOSAL_FACTS % _values(iris))}
    many: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in select(store, f"""SELECT ?p ?k ?o WHERE {{ VALUES ?p {{ {_values(iris)} }}
            VALUES (?k ?prop) {{ ("submitter" pp:submittedBy) ("target" pp:target) }}
            ?p ?prop ?o }}"""):
        many[str(r["p"])][str(r["k"])].append(r["o"])
    rows = []
    for iri in iris:
        f = facts.get(iri, {})
        action = str(f.get("notation") or str(f.get("action", "")).rsplit("/", 1)[-1])
        rows.append({"iri": URIRef(iri), "id": str(f.get("id", "")),
                     "title": str(f.get("title", "")),
                     "action": action.upper(), "status": f.get("status"),
                     "conference": f.get("conference"),
                     "submitters": sorted(many[iri]["submitter"]),
                     "targets": sorted(many[iri]["target"])})
    return sorted(rows, key=lambda r: (r["id"] or r["iri"]))


def _column(store: Store, query: str, iri: URIRef, var: str = "x") -> list:
    return [r[var] for r in select(store, query, s=iri)]


# --- one view per kind --------------------------------------------------------------------------

def resolution(store: Store, iri: URIRef) -> dict:
    revisions = select(store, """SELECT * WHERE {
        { ?rev pp:revisionOf ?s } UNION { ?s pp:hasRevision ?rev }
        OPTIONAL { ?rev pp:revisionLabel ?label } OPTIONAL { ?rev pp:adoptedAt ?conference .
          OPTIONAL { ?conference schema:startDate ?date } } }""", s=iri)
    seen, unique = set(), []
    for r in sorted(revisions, key=lambda r: str(r.get("date", ""))):
        if r["rev"] not in seen:
            seen.add(r["rev"])
            unique.append(r)
    targeting = _column(store, """SELECT * WHERE {
        { ?x pp:target ?s } UNION { ?rev pp:revisionOf ?s . ?x pp:target ?rev } }""", iri)
    return {"revisions": unique, "proposals": proposal_rows(store, targeting)}


def proposal(store: Store, iri: URIRef) -> dict:
    changes = select(store, """SELECT * WHERE { ?s pp:statusChange ?change .
        OPTIONAL { ?change pp:status ?status } OPTIONAL { ?change dcterms:date ?date }
        OPTIONAL { ?change prov:atTime ?time } OPTIONAL { ?change dcterms:source ?source } }""",
                     s=iri)
    changes.sort(key=lambda r: (str(r.get("date", r.get("time", ""))), str(r["change"])))
    document = select(store, """SELECT * WHERE { ?s pp:inDocument ?doc .
        OPTIONAL { ?doc dcterms:date ?date } OPTIONAL { ?doc schema:url ?url } }""", s=iri)
    positions = select(store, """SELECT * WHERE { ?pos pp:about ?s ; pp:holder ?holder .
        OPTIONAL { ?pos pp:stance ?stance } OPTIONAL { ?pos pp:rationale ?rationale } }""", s=iri)
    rows = proposal_rows(store, [iri])
    return {"proposal": rows[0] if rows else {}, "changes": changes, "documents": document,
            "positions": positions}


def organization(store: Store, iri: URIRef) -> dict:
    members = _column(store, """SELECT * WHERE { { ?x org:memberOf ?s } UNION
        { ?m org:organization ?s ; org:member ?x } }""", iri)
    memberships = select(store, """SELECT * WHERE { ?m org:organization ?s ; org:member ?member .
        OPTIONAL { ?m pp:membershipStatus ?status } OPTIONAL { ?m pp:since ?since }
        OPTIONAL { ?m pp:until ?until } }""", s=iri)
    qualified = {str(m["member"]): m for m in memberships}
    units = _column(store, """SELECT * WHERE { { ?x org:unitOf ?s } UNION { ?s org:hasUnit ?x }
        UNION { ?x org:subOrganizationOf ?s } }""", iri)
    return {
        "members": [{"iri": m, "membership": qualified.get(str(m))} for m in sorted(set(members))],
        "units": sorted(set(units)),
        "proposals": proposal_rows(store, _column(store, "SELECT * WHERE { ?x pp:submittedBy ?s }",
                                                  iri)),
        "positions": _positions(store, "?x pp:holder ?s", iri),
    }


def _positions(store: Store, pattern: str, iri: URIRef) -> list[dict]:
    return select(store, f"""SELECT * WHERE {{ {pattern} . ?x pp:holder ?holder .
        OPTIONAL {{ ?x pp:stance ?stance }} OPTIONAL {{ ?x pp:about ?about }}
        OPTIONAL {{ ?x pp:rationale ?rationale }} OPTIONAL {{ ?x dcterms:date ?date }} }}""", s=iri)


def member_state(store: Store, iri: URIRef) -> dict:
    data = organization(store, iri)
    data["member_of"] = sorted(set(_column(store, """SELECT * WHERE { { ?s org:memberOf ?x }
        UNION { ?m org:member ?s ; org:organization ?x } }""", iri)))
    data["candidacies"] = _column(store, "SELECT * WHERE { ?x pp:nominatedBy ?s }", iri)
    data["elections"] = _elections_of_candidacies(store, data["candidacies"])
    return data


def _elections_of_candidacies(store: Store, candidacies: list) -> list[dict]:
    if not candidacies:
        return []
    return select(store, f"""SELECT ?e ?c ?candidate ?elected WHERE {{
        VALUES ?c {{ {_values(candidacies)} }} ?e pp:hasCandidacy ?c .
        OPTIONAL {{ ?c pp:candidate ?candidate }} OPTIONAL {{ ?c pp:elected ?elected }} }}""")


def conference(store: Store, iri: URIRef) -> dict:
    proposals = proposal_rows(store, _column(
        store, "SELECT * WHERE { ?x a pp:Proposal ; pp:atConference ?s }", iri))
    by_status: dict[str, list] = defaultdict(list)
    for row in proposals:
        by_status[str(row["status"] or "")].append(row)
    elections = _column(store, "SELECT * WHERE { ?x a pp:Election ; pp:atConference ?s }", iri)
    adopted = _column(store, "SELECT * WHERE { ?x pp:adoptedAt ?s }", iri)
    return {"by_status": dict(sorted(by_status.items())), "proposal_count": len(proposals),
            "elections": [election(store, URIRef(e)) | {"iri": e} for e in sorted(elections)],
            "adopted": sorted(adopted)}


def election(store: Store, iri: URIRef) -> dict:
    candidacies = select(store, """SELECT * WHERE { ?s pp:hasCandidacy ?c .
        OPTIONAL { ?c pp:candidate ?candidate } OPTIONAL { ?c pp:nominatedBy ?nominator }
        OPTIONAL { ?c pp:elected ?elected } OPTIONAL { ?c pp:termStart ?start }
        OPTIONAL { ?c pp:termEnd ?end } }""", s=iri)
    rounds = select(store, """SELECT * WHERE { ?s pp:hasRound ?r .
        OPTIONAL { ?r pp:roundNumber ?n } OPTIONAL { ?r pp:votesCast ?cast } }""", s=iri)
    rounds.sort(key=lambda r: int(r["n"]) if "n" in r else 0)
    votes: dict[tuple[str, str], int] = {}
    for r in select(store, """SELECT * WHERE { ?s pp:hasRound ?r . ?r pp:hasCount ?count .
            ?count pp:forCandidacy ?c ; pp:votes ?v }""", s=iri):
        votes[(str(r["c"]), str(r["r"]))] = int(r["v"])
    table = [{**c, "votes": [votes.get((str(c["c"]), str(r["r"]))) for r in rounds]}
             for c in candidacies]
    table.sort(key=lambda c: [-(v or 0) for v in reversed(c["votes"])])
    return {"candidacies": table, "rounds": rounds}


def person(store: Store, iri: URIRef) -> dict:
    candidacies = _column(store, "SELECT * WHERE { ?x pp:candidate ?s }", iri)
    return {"elections": _elections_of_candidacies(store, candidacies)}


def concept(store: Store, iri: URIRef) -> dict:
    """An issue area or a topic: the resolutions and proposals filed under it."""
    tagged = _column(store, """SELECT * WHERE {
        { ?x pp:issueArea ?s } UNION { ?x pp:topic ?s } }""", iri)
    kinds = {str(r["x"]) for r in select(store, f"""SELECT ?x WHERE {{
        VALUES ?x {{ {_values(tagged)} }} ?x a pp:Proposal }}""")} if tagged else set()
    return {"instruments": sorted(t for t in set(tagged) if str(t) not in kinds),
            "proposals": proposal_rows(store, kinds),
            "positions": _positions(store, "?x pp:about ?s", iri)}


# --- dispatch -------------------------------------------------------------------------------------

VIEWS = (  # first matching type wins
    (PP.Proposal, "proposal.html", proposal),
    (PP.Resolution, "resolution.html", resolution),
    (PP.Decision, "resolution.html", resolution),
    (PP.DraftResolution, "resolution.html", resolution),
    (PP.Conference, "conference.html", conference),
    (PP.Election, "election.html", election),
    (PP.MemberState, "member_state.html", member_state),
    (PP.RegionalOrganization, "organization.html", organization),
    (PP.Organization, "organization.html", organization),
    (PP.IssueArea, "concept.html", concept),
    (PP.Topic, "concept.html", concept),
    (PP.Person, "person.html", person),
)
for _unit in ("ITUUnit", "Sector", "Bureau", "GeneralSecretariat", "GoverningBody",
              "AdvisoryGroup"):
    VIEWS += ((PP[_unit], "organization.html", organization),)


def page_data(store: Store, iri: URIRef, types: set) -> tuple[str, dict]:
    """The template for a resource and what it shows; ``generic.html`` for any other kind."""
    for cls, template, view in VIEWS:
        if cls in types:
            data = view(store, iri)
            data["labels"] = named = labels(store, [iri, *_collect(data)])
            for key in ("members", "member_of", "units", "instruments"):  # by name, not IRI
                if key in data:
                    data[key] = _by_name(data[key], named)
            return template, data
    return "generic.html", {"labels": labels(store, [iri])}


def _by_name(items: list, named: dict[str, str]) -> list:
    def name(item) -> str:
        iri = item["iri"] if isinstance(item, dict) else item
        return named.get(str(iri), "").casefold()
    return sorted(items, key=name)


def _collect(value) -> list:
    """Every IRI anywhere inside a view's data, for the one labels lookup."""
    if isinstance(value, URIRef):
        return [value]
    if isinstance(value, dict):
        return [i for v in value.values() for i in _collect(v)] + [
            URIRef(k) for k in value if isinstance(k, str) and k.startswith("http")]
    if isinstance(value, list | tuple | set):
        return [i for v in value for i in _collect(v)]
    return []
