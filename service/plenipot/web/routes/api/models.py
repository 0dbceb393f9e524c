"""The JSON shapes of the ``/api`` lookups, documented in the OpenAPI schema."""

from pydantic import BaseModel


class ErrorBody(BaseModel):
    error: str
    message: str
    parameter: str | None = None


class Concept(BaseModel):
    key: str
    iri: str
    label: str | None = None


class Target(BaseModel):
    iri: str
    label: str | None = None
    resolution: str | None = None  # the resolution a targeted revision belongs to


class ProposalSummary(BaseModel):
    iri: str
    identifier: str
    conference: str
    action: str | None = None
    submitters: list[str]
    target: Target | None = None
    status: str | None = None
    title: str | None = None


class ProposalPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ProposalSummary]


class StatusChange(BaseModel):
    status: str
    date: str | None = None
    source: str | None = None


class Position(BaseModel):
    holder: str
    stance: str
    rationale: str | None = None


class Proposal(ProposalSummary):
    summary: str | None = None
    document: str | None = None
    source: str | None = None
    issue_areas: list[str]
    topics: list[str]
    status_history: list[StatusChange]
    positions: list[Position]


class ResolutionSummary(BaseModel):
    iri: str
    body: str
    number: str
    title: str | None = None
    issue_areas: list[str]


class Revision(BaseModel):
    iri: str
    label: str | None = None
    conference: str | None = None
    date: str | None = None
    previous: str | None = None


class Resolution(ResolutionSummary):
    topics: list[str]
    revisions: list[Revision]
    proposals: list[ProposalSummary]


class OrganizationSummary(BaseModel):
    iri: str
    key: str
    label: str | None = None
    kind: str
    proposal_prefix: str | None = None
    common_proposals: str | None = None


class Member(BaseModel):
    iri: str
    iso3: str
    name: str | None = None
    status: str | None = None


class Organization(OrganizationSummary):
    members: list[Member]
    proposals: list[ProposalSummary]  # submitted by the organization itself
    member_proposals: list[ProposalSummary]  # submitted by (some of) its member states


class ConferenceSummary(BaseModel):
    iri: str
    key: str
    label: str | None = None
    kind: str | None = None
    start: str | None = None
    end: str | None = None
    location: str | None = None
    contribution_deadline: str | None = None


class Candidate(BaseModel):
    candidate: str
    name: str | None = None
    nominated_by: str | None = None
    elected: bool | None = None


class Election(BaseModel):
    iri: str
    post: str | None = None
    region: str | None = None
    candidates: list[Candidate]


class Conference(ConferenceSummary):
    elections: list[Election]
    proposals: list[ProposalSummary]


class CodeCount(Concept):
    count: int


class SearchHit(BaseModel):
    iri: str
    label: str
    type: str | None = None


# --- helpers ---------------------------------------------------------------------------------
