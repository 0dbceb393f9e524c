"""Routes: the JSON lookups under ``/api``.

Every value a caller gives is checked and bound as an RDF term
(``plenipot.queries.catalogue.convert``); a query's text only ever changes by which constant
fragments (filters) it includes.
Unknown identifiers are 404s, bad filters 400s that name the parameter.
"""

import re
from typing import Annotated

from fastapi import APIRouter, Query
from rdflib import URIRef
from rdflib.term import Identifier

from plenipot.errors import NotFound, ParameterError
from plenipot.namespaces import PPID, sparql_prologue
from plenipot.queries.header import Param
from plenipot.queries.params import convert, search_labels
from plenipot.store.base import Store
from plenipot.store.binding import values_list
from plenipot.web.deps import StoreDep
from plenipot.web.routes.api_models import (
    Candidate,
    CodeCount,
    Conference,
    ConferenceSummary,
    Election,
    ErrorBody,
    Member,
    Organization,
    OrganizationSummary,
    Position,
    Proposal,
    ProposalPage,
    ProposalSummary,
    Resolution,
    ResolutionSummary,
    Revision,
    SearchHit,
    StatusChange,
    Target,
)

router = APIRouter(
    prefix="/api",
    tags=["lookups"],
    responses={
        400: {"model": ErrorBody, "description": "A bad filter; the message names it."},
        404: {"model": ErrorBody, "description": "No such resource."},
    },
)
_KEY = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")


PROLOGUE = sparql_prologue()


def _rows(
    store: Store, body: str, bindings: dict[str, Identifier] | None = None, limit: int | None = None
) -> list[dict[str, str]]:
    """Rows of plain strings; ``body`` is the query after the prologue."""
    result = store.select(PROLOGUE + body, bindings=bindings, limit=limit)
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


def _key_of(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _split(value: str | None) -> list[str]:
    return sorted(v for v in (value or "").split("|") if v)


def _value(name: str, kind: str, value: str, store: Store) -> Identifier:
    return convert(Param(name, kind), value, store)


def _path_key(value: str, what: str) -> str:
    key = value.strip().lower()
    if not _KEY.match(key):
        raise NotFound(f"no {what} {value!r}")
    return key


def _exists(store: Store, iri: URIRef, cls: str) -> bool:
    rows = _rows(store, f"SELECT ?s WHERE {{ ?s a {cls} }} LIMIT 1", {"s": iri})
    return bool(rows)


# --- proposals -------------------------------------------------------------------------------

_FILTERS = {
    "conference": "?proposal pp:atConference ?conference .",
    "submitter": "?proposal pp:submittedBy ?submitter .",
    "action": "?proposal pp:action ?action .",
    "status": "?proposal pp:status ?status .",
    "topic": "?proposal pp:topic ?topic .",
    # the resolution itself or one of its revisions (a path, not a UNION: 0.2 ms against 4 ms)
    "target": "?proposal pp:target/pp:revisionOf? ?target .",
    "member_of": "?proposal pp:submittedBy/org:memberOf ?member_of .",
    "proposal": "",  # one proposal, bound
}

# the page: matching proposals in identifier order (cheap: no OPTIONALs over everything)
_PAGE = """
SELECT ?proposal (MIN(?conf) AS ?conferenceKey) (MIN(?id) AS ?identifier) WHERE {{
  ?proposal a pp:Proposal ; dcterms:identifier ?id ; pp:atConference/dcterms:identifier ?conf .
  {filters}
}}
GROUP BY ?proposal
ORDER BY ?conferenceKey ?identifier
"""

# the details of the proposals selected by filters, or of one page of them listed in VALUES
_SUMMARY = """
SELECT ?proposal (SAMPLE(?id) AS ?identifier) (SAMPLE(?conf) AS ?conferenceKey)
       (SAMPLE(?act) AS ?actionKey) (SAMPLE(?st) AS ?statusKey) (SAMPLE(?t) AS ?title)
       (SAMPLE(?tgt) AS ?targetIri) (COALESCE(SAMPLE(?tgtName), SAMPLE(?tgtTitle)) AS ?targetLabel)
       (SAMPLE(?tgtResolution) AS ?targetResolution)
       (GROUP_CONCAT(DISTINCT ?submitterKey; separator="|") AS ?submitters)
WHERE {{
  {selection}
  ?proposal dcterms:identifier ?id ; pp:atConference/dcterms:identifier ?conf .
  OPTIONAL {{ ?proposal pp:submittedBy ?submitterKeyVia
             OPTIONAL {{ ?submitterKeyVia dcterms:identifier ?submitterKey }} }}
  OPTIONAL {{ ?proposal pp:action ?actVia OPTIONAL {{ ?actVia skos:notation ?act }} }}
  OPTIONAL {{ ?proposal pp:status ?statusIri
             BIND(REPLACE(STR(?statusIri), "^.*/", "") AS ?st) }}
  OPTIONAL {{ ?proposal dcterms:title ?t }}
  OPTIONAL {{ ?proposal pp:target ?tgt
             OPTIONAL {{ ?tgt pp:revisionOf ?tgtResolution }}
             OPTIONAL {{ ?tgt rdfs:label ?tgtName }}
             OPTIONAL {{ ?tgt dcterms:title ?tgtTitle }} }}
}}
GROUP BY ?proposal
"""


def _summary(row: dict[str, str]) -> ProposalSummary:
    target = None
    if "targetIri" in row:
        target = Target(
            iri=row["targetIri"],
            label=row.get("targetLabel"),
            resolution=row.get("targetResolution"),
        )
    return ProposalSummary(
        iri=row["proposal"],
        identifier=row["identifier"],
        conference=row["conferenceKey"],
        action=row.get("actionKey"),
        submitters=_split(row.get("submitters")),
        target=target,
        status=row.get("statusKey"),
        title=row.get("title"),
    )


def find_proposals(
    store: Store, bindings: dict[str, Identifier], limit: int | None = None, offset: int = 0
) -> tuple[int, list[ProposalSummary]]:
    """The proposals matching the bound filters: (total, one page in identifier order).

    A page is found first and then described (the details' OPTIONALs over every proposal, then
    cut to a page, took 107 ms at 100k triples); without a page, one query does both."""
    filters = "\n  ".join(_FILTERS[name] for name in bindings)
    if limit is None:  # everything that matches: one query
        rows = _rows(store, _SUMMARY.format(selection=f"{filters} ?proposal a pp:Proposal .")
                     + "ORDER BY ?conferenceKey ?identifier", bindings)
        return len(rows), [_summary(row) for row in rows]
    page_query = _PAGE.format(filters=filters) + f"LIMIT {int(limit)} OFFSET {int(offset)}\n"
    page = [URIRef(row["proposal"]) for row in _rows(store, page_query, bindings)]
    count = _rows(store, f"SELECT (COUNT(DISTINCT ?proposal) AS ?n) WHERE {{ "
                         f"?proposal a pp:Proposal . {filters} }}", bindings)
    total = int(count[0]["n"]) if count else 0
    if not page:
        return total, []
    selection = f"VALUES ?proposal {{ {values_list('proposal', page)} }}"
    by_iri = {row["proposal"]: row for row in _rows(store, _SUMMARY.format(selection=selection))}
    return total, [_summary(by_iri[str(iri)]) for iri in page if str(iri) in by_iri]


@router.get("/proposals", response_model=ProposalPage, summary="Proposals, filtered and paged")
def list_proposals(
    store: StoreDep,
    conference: Annotated[str | None, Query(description="Conference key, e.g. PP-22")] = None,
    submitter: Annotated[
        str | None, Query(description="Organization or Member State key, e.g. CEPT or USA")
    ] = None,
    target: Annotated[int | None, Query(description="Number of the targeted resolution")] = None,
    target_body: Annotated[str, Query(description="Body owning the target resolution")] = "pp",
    action: Annotated[str | None, Query(description="ADD, MOD, SUP or NOC")] = None,
    status: Annotated[str | None, Query(description="Current status key, e.g. adopted")] = None,
    topic: Annotated[str | None, Query(description="Topic key, e.g. internet-governance")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size")] = 100,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
) -> ProposalPage:
    """Proposals in identifier order; every filter is optional and they combine with AND."""
    bindings: dict[str, Identifier] = {}
    for name, kind, value in (
        ("conference", "conference", conference),
        ("submitter", "organization", submitter),
        ("action", "action", action),
        ("status", "status", status),
        ("topic", "topic", topic),
    ):
        if value is not None:
            bindings[name] = _value(name, kind, value, store)
    if target is not None:
        body = _value("target_body", "body", target_body, store)
        iri = PPID[f"resolution/{_key_of(str(body))}/{target}"]
        if not _exists(store, iri, "pp:Resolution"):
            raise ParameterError("target", f"no resolution {target} of body {target_body!r}")
        bindings["target"] = iri
    total, items = find_proposals(store, bindings, limit, offset)
    return ProposalPage(total=total, limit=limit, offset=offset, items=items)


def _proposal_key(identifier: str) -> str:
    """``EUR/44A1/1`` or ``eur-44a1-1`` -> ``eur-44a1-1`` (docs/decisions/0003)."""
    return "-".join(part for part in identifier.strip().lower().split("/") if part)


@router.get(
    "/proposals/{conference}/{identifier:path}",
    response_model=Proposal,
    summary="One proposal, by its ITU identifier",
)
def get_proposal(conference: str, identifier: str, store: StoreDep) -> Proposal:
    """For example ``/api/proposals/pp-22/EUR/44A1/1`` or ``/api/proposals/pp-22/eur-44a1-1``."""
    key = _proposal_key(identifier)
    iri = PPID[f"proposal/{_path_key(conference, 'conference')}/{key}"]
    if not _KEY.match(key) or not _exists(store, iri, "pp:Proposal"):
        raise NotFound(f"no proposal {identifier!r} at conference {conference!r}")
    _, items = find_proposals(store, {"proposal": iri})
    return _proposal_detail(store, iri, items[0])


def _proposal_detail(store: Store, iri: URIRef, summary: ProposalSummary) -> Proposal:
    one = {"proposal": iri}
    facts = _rows(
        store,
        """
SELECT ?proposal ?summary ?document ?source
       (GROUP_CONCAT(DISTINCT ?area; separator="|") AS ?areas)
       (GROUP_CONCAT(DISTINCT ?topic; separator="|") AS ?topics) WHERE {
  ?proposal a pp:Proposal .
  OPTIONAL { ?proposal dcterms:description ?summary }
  OPTIONAL { ?proposal pp:inDocument ?document }
  OPTIONAL { ?proposal dcterms:source ?source }
  OPTIONAL { ?proposal pp:issueArea ?areaIri BIND(REPLACE(STR(?areaIri), "^.*/", "") AS ?area) }
  OPTIONAL { ?proposal pp:topic ?topicIri BIND(REPLACE(STR(?topicIri), "^.*/", "") AS ?topic) }
} GROUP BY ?proposal ?summary ?document ?source""",
        one,
    )[0]
    history = _rows(
        store,
        """
SELECT ?proposal ?status ?date ?source WHERE {
  ?proposal pp:statusChange ?change . ?change pp:status ?statusIri .
  BIND(REPLACE(STR(?statusIri), "^.*/", "") AS ?status)
  OPTIONAL { ?change dcterms:date|prov:atTime ?date }
  OPTIONAL { ?change dcterms:source ?source }
} ORDER BY ?date ?change""",
        one,
    )
    positions = _rows(
        store,
        """
SELECT ?proposal ?holder ?stance ?rationale WHERE {
  ?position pp:about ?proposal ; pp:holder/dcterms:identifier ?holder ; pp:stance ?stanceIri .
  BIND(REPLACE(STR(?stanceIri), "^.*/", "") AS ?stance)
  OPTIONAL { ?position pp:rationale ?rationale }
} ORDER BY ?holder""",
        one,
    )
    return Proposal(
        **summary.model_dump(),
        summary=facts.get("summary"),
        document=facts.get("document"),
        source=facts.get("source"),
        issue_areas=_split(facts.get("areas")),
        topics=_split(facts.get("topics")),
        status_history=[
            StatusChange(**{k: r.get(k) for k in ("status", "date", "source")}) for r in history
        ],
        positions=[
            Position(holder=r["holder"], stance=r["stance"], rationale=r.get("rationale"))
            for r in positions
        ],
    )


# --- resolutions -----------------------------------------------------------------------------

_RESOLUTIONS = """
SELECT {bound} ?resolution ?number ?bodyKey (SAMPLE(?t) AS ?title)
       (GROUP_CONCAT(DISTINCT ?areaKey; separator="|") AS ?areas)
       (GROUP_CONCAT(DISTINCT ?topicKey; separator="|") AS ?topics) WHERE {{
  ?resolution a pp:Resolution ; pp:number ?number ; pp:ownedBy ?bodyIri .
  {filters}
  BIND(REPLACE(STR(?bodyIri), "^.*/", "") AS ?bodyKey)
  OPTIONAL {{ ?resolution dcterms:title ?t }}
  OPTIONAL {{ ?resolution pp:issueArea ?a BIND(REPLACE(STR(?a), "^.*/", "") AS ?areaKey) }}
  OPTIONAL {{ ?resolution pp:topic ?tp BIND(REPLACE(STR(?tp), "^.*/", "") AS ?topicKey) }}
}}
GROUP BY {bound} ?resolution ?number ?bodyKey
ORDER BY ?bodyKey xsd:integer(?number) ?number
"""
_RESOLUTION_FILTERS = {
    "body": "?resolution pp:ownedBy ?body .",
    "issue_area": "?resolution pp:issueArea ?issue_area .",
    "topic": "?resolution pp:topic ?topic .",
    "resolution": "",
}


def _resolution_rows(store: Store, bindings: dict[str, Identifier]) -> list[dict[str, str]]:
    filters = "\n  ".join(_RESOLUTION_FILTERS[name] for name in bindings)
    bound = " ".join(f"?{name}" for name in bindings if name != "resolution")
    return _rows(store, _RESOLUTIONS.format(bound=bound, filters=filters), bindings)


def _resolution_summary(row: dict[str, str]) -> ResolutionSummary:
    return ResolutionSummary(
        iri=row["resolution"],
        body=row["bodyKey"],
        number=row["number"],
        title=row.get("title"),
        issue_areas=_split(row.get("areas")),
    )


def _resolutions(store: Store, bindings: dict[str, Identifier]) -> list[ResolutionSummary]:
    return [_resolution_summary(row) for row in _resolution_rows(store, bindings)]


@router.get("/resolutions", response_model=list[ResolutionSummary], summary="Resolutions")
def list_resolutions(
    store: StoreDep,
    body: Annotated[str | None, Query(description="pp, wtsa, wtdc, ra or council")] = None,
    issue_area: Annotated[
        str | None, Query(description="Issue area key, e.g. cybersecurity")
    ] = None,
    topic: Annotated[str | None, Query(description="Topic key, e.g. ipv6")] = None,
) -> list[ResolutionSummary]:
    bindings: dict[str, Identifier] = {}
    for name, kind, value in (
        ("body", "body", body),
        ("issue_area", "issue-area", issue_area),
        ("topic", "topic", topic),
    ):
        if value is not None:
            bindings[name] = _value(name, kind, value, store)
    return _resolutions(store, bindings)


@router.get(
    "/resolutions/{body}/{number}",
    response_model=Resolution,
    summary="One resolution, with its revisions and the proposals that target it",
)
def get_resolution(body: str, number: str, store: StoreDep) -> Resolution:
    iri = PPID[f"resolution/{_path_key(body, 'body')}/{_path_key(number, 'resolution number')}"]
    found = _resolution_rows(store, {"resolution": iri})
    if not found:
        raise NotFound(f"no resolution {number} of body {body!r}")
    one = {"resolution": iri}
    revisions = _rows(
        store,
        """
SELECT ?resolution ?revision ?label ?conference ?date ?previous WHERE {
  ?revision pp:revisionOf ?resolution .
  OPTIONAL { ?revision pp:revisionLabel ?label }
  OPTIONAL { ?revision pp:adoptedAt ?conferenceVia
             OPTIONAL { ?conferenceVia dcterms:identifier ?conference } }
  OPTIONAL { ?revision pp:adoptedAt ?dateVia OPTIONAL { ?dateVia schema:startDate ?date } }
  OPTIONAL { ?revision pp:previousRevision ?previous }
} ORDER BY ?date ?revision""",
        one,
    )
    _, proposals = find_proposals(store, {"target": iri})
    return Resolution(
        **_resolution_summary(found[0]).model_dump(),
        topics=sorted(_split(found[0].get("topics"))),
        revisions=[
            Revision(
                iri=r["revision"],
                label=r.get("label"),
                conference=r.get("conference"),
                date=r.get("date"),
                previous=r.get("previous"),
            )
            for r in revisions
        ],
        proposals=proposals,
    )


# --- organizations ---------------------------------------------------------------------------

_ORGANIZATIONS = """
SELECT {bound} ?organization ?key ?kind (SAMPLE(?l) AS ?label) (SAMPLE(?p) AS ?prefix)
       (SAMPLE(?c) AS ?common) WHERE {{
  {{ ?organization a pp:RegionalOrganization BIND("regional-organization" AS ?kind) }}
  UNION {{ ?organization a pp:Organization BIND("organization" AS ?kind)
          FILTER NOT EXISTS {{ ?organization a pp:RegionalOrganization }} }}
  ?organization dcterms:identifier ?key .
  OPTIONAL {{ ?organization skos:prefLabel|rdfs:label ?l FILTER(LANG(?l) = "en" || LANG(?l) = "") }}
  OPTIONAL {{ ?organization pp:proposalPrefix ?p }}
  OPTIONAL {{ ?organization pp:commonProposalName ?c }}
}}
GROUP BY {bound} ?organization ?key ?kind
ORDER BY ?kind ?key
"""


def _organizations(store: Store, bindings: dict[str, Identifier]) -> list[OrganizationSummary]:
    bound = " ".join(f"?{name}" for name in bindings if name != "organization")
    return [
        OrganizationSummary(
            iri=r["organization"],
            key=r["key"],
            label=r.get("label"),
            kind=r["kind"],
            proposal_prefix=r.get("prefix"),
            common_proposals=r.get("common"),
        )
        for r in _rows(store, _ORGANIZATIONS.format(bound=bound), bindings)
    ]


@router.get(
    "/organizations",
    response_model=list[OrganizationSummary],
    summary="Regional organizations and other organizations",
)
def list_organizations(store: StoreDep) -> list[OrganizationSummary]:
    return _organizations(store, {})


@router.get(
    "/organizations/{key}",
    response_model=Organization,
    summary="One organization, with its member states and its proposals",
)
def get_organization(key: str, store: StoreDep) -> Organization:
    iri = PPID[f"org/{_path_key(key, 'organization')}"]
    found = _organizations(store, {"organization": iri})
    if not found:
        raise NotFound(f"no organization {key!r}; see /api/organizations")
    members = _rows(
        store,
        """
SELECT DISTINCT ?organization ?state ?iso3 ?name ?status WHERE {
  { ?state org:memberOf ?organization }
  UNION { ?m org:member ?state ; org:organization ?organization }
  ?state dcterms:identifier ?iso3 .
  OPTIONAL { ?state rdfs:label ?name FILTER(LANG(?name) = "en" || LANG(?name) = "") }
  OPTIONAL { ?q org:member ?state ; org:organization ?organization ; pp:membershipStatus ?s }
  BIND(REPLACE(STR(?s), "^.*/", "") AS ?status)
} ORDER BY ?iso3""",
        {"organization": iri},
    )
    _, proposals = find_proposals(store, {"submitter": iri})
    _, member_proposals = find_proposals(store, {"member_of": iri})
    return Organization(
        **found[0].model_dump(),
        members=[
            Member(iri=r["state"], iso3=r["iso3"], name=r.get("name"), status=r.get("status"))
            for r in members
        ],
        proposals=proposals,
        member_proposals=member_proposals,
    )


# --- conferences -----------------------------------------------------------------------------

_CONFERENCES = """
SELECT {bound} ?conference ?key (SAMPLE(?l) AS ?label) (SAMPLE(?k) AS ?kind) (SAMPLE(?s) AS ?start)
       (SAMPLE(?e) AS ?end) (SAMPLE(?loc) AS ?location) (SAMPLE(?d) AS ?deadline) WHERE {{
  ?conference a pp:Conference ; dcterms:identifier ?key .
  OPTIONAL {{ ?conference rdfs:label ?l FILTER(LANG(?l) = "en" || LANG(?l) = "") }}
  OPTIONAL {{ ?conference pp:conferenceKind ?kindIri
             BIND(REPLACE(STR(?kindIri), "^.*/", "") AS ?k) }}
  OPTIONAL {{ ?conference schema:startDate ?s }}
  OPTIONAL {{ ?conference schema:endDate ?e }}
  OPTIONAL {{ ?conference schema:location ?loc }}
  OPTIONAL {{ ?conference pp:contributionDeadline ?d }}
}}
GROUP BY {bound} ?conference ?key
ORDER BY DESC(?start) ?key
"""


def _conferences(store: Store, bindings: dict[str, Identifier]) -> list[ConferenceSummary]:
    bound = " ".join(f"?{name}" for name in bindings if name != "conference")
    return [
        ConferenceSummary(
            iri=r["conference"],
            key=r["key"],
            label=r.get("label"),
            kind=r.get("kind"),
            start=r.get("start"),
            end=r.get("end"),
            location=r.get("location"),
            contribution_deadline=r.get("deadline"),
        )
        for r in _rows(store, _CONFERENCES.format(bound=bound), bindings)
    ]


@router.get("/conferences", response_model=list[ConferenceSummary], summary="Conferences")
def list_conferences(store: StoreDep) -> list[ConferenceSummary]:
    return _conferences(store, {})


@router.get(
    "/conferences/{key}",
    response_model=Conference,
    summary="One conference, with its elections and proposals",
)
def get_conference(key: str, store: StoreDep) -> Conference:
    iri = PPID[f"conference/{_path_key(key, 'conference')}"]
    found = _conferences(store, {"conference": iri})
    if not found:
        raise NotFound(f"no conference {key!r}; see /api/conferences")
    rows = _rows(
        store,
        """
SELECT ?conference ?election ?post ?region ?candidate ?name ?nominatedBy ?elected WHERE {
  ?election pp:atConference ?conference ; pp:hasCandidacy ?candidacy .
  ?candidacy pp:candidate ?candidate .
  OPTIONAL { ?election pp:forPost ?p BIND(REPLACE(STR(?p), "^.*/", "") AS ?post) }
  OPTIONAL { ?election pp:forRegion ?r BIND(REPLACE(STR(?r), "^.*/", "") AS ?region) }
  OPTIONAL { ?candidate rdfs:label|foaf:name ?name }
  OPTIONAL { ?candidacy pp:nominatedBy ?nominatedByVia
             OPTIONAL { ?nominatedByVia dcterms:identifier ?nominatedBy } }
  OPTIONAL { ?candidacy pp:elected ?elected }
} ORDER BY ?election ?name""",
        {"conference": iri},
    )
    elections: dict[str, Election] = {}
    seen: set[tuple[str, str]] = set()
    for r in rows:
        election = elections.setdefault(
            r["election"],
            Election(iri=r["election"], post=r.get("post"), region=r.get("region"), candidates=[]),
        )
        if (r["election"], r["candidate"]) in seen:
            continue
        seen.add((r["election"], r["candidate"]))
        elected = r.get("elected")
        election.candidates.append(
            Candidate(
                candidate=r["candidate"],
                name=r.get("name"),
                nominated_by=r.get("nominatedBy"),
                elected=None if elected is None else elected == "true",
            )
        )
    _, proposals = find_proposals(store, {"conference": iri})
    return Conference(
        **found[0].model_dump(), elections=list(elections.values()), proposals=proposals
    )


# --- code lists and search ------------------------------------------------------------------


def _code_counts(store: Store, scheme: str, usage: str) -> list[CodeCount]:
    rows = _rows(
        store,
        f"""
SELECT ?scheme ?concept (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?user) AS ?count) WHERE {{
  ?concept skos:inScheme ?scheme .
  OPTIONAL {{ ?concept skos:prefLabel ?l FILTER(LANG(?l) = "en" || LANG(?l) = "") }}
  OPTIONAL {{ {usage} }}
}} GROUP BY ?scheme ?concept ORDER BY ?concept""",
        {"scheme": PPID[scheme]},
    )
    return [
        CodeCount(
            key=_key_of(r["concept"]), iri=r["concept"], label=r.get("label"), count=int(r["count"])
        )
        for r in rows
    ]


@router.get(
    "/issue-areas",
    response_model=list[CodeCount],
    summary="Issue areas, with how many resolutions each holds",
)
def list_issue_areas(store: StoreDep) -> list[CodeCount]:
    return _code_counts(store, "issue-area", "?user a pp:Resolution ; pp:issueArea ?concept")


@router.get(
    "/topics",
    response_model=list[CodeCount],
    summary="Internet-related topics, with how many proposals are tagged with each",
)
def list_topics(store: StoreDep) -> list[CodeCount]:
    return _code_counts(store, "topic", "?user a pp:Proposal ; pp:topic ?concept")


@router.get(
    "/search",
    response_model=list[SearchHit],
    summary="Search labels, titles and identifiers (case- and accent-insensitive)",
)
def search(
    store: StoreDep,
    q: Annotated[str, Query(max_length=200, description="Text to look for, e.g. telecomunicacion")],
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many hits")] = 100,
) -> list[SearchHit]:
    """What the ``search`` named query matches, best first, from an index of the labels."""
    return [
        SearchHit(iri=iri, label=label, type=kind)
        for iri, label, kind in search_labels(store, q, limit)
    ]
