"""``/api/organizations``: the organizations, and one with its members and proposals."""

from rdflib.term import Identifier

from plenipot.errors import NotFound
from plenipot.namespaces import PPID
from plenipot.store.base import Store
from plenipot.web.deps import StoreDep
from plenipot.web.routes.api.common import path_key, router, select
from plenipot.web.routes.api.models import Member, Organization, OrganizationSummary
from plenipot.web.routes.api.proposals import find_proposals


def _organizations(store: Store, bindings: dict[str, Identifier]) -> list[OrganizationSummary]:
    return [
        OrganizationSummary(
            iri=r["organization"],
            key=r["key"],
            label=r.get("label"),
            kind=r["kind"],
            proposal_prefix=r.get("prefix"),
            common_proposals=r.get("common"),
        )
        for r in select(store, "organizations", bindings)
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
    iri = PPID[f"org/{path_key(key, 'organization')}"]
    found = _organizations(store, {"organization": iri})
    if not found:
        raise NotFound(f"no organization {key!r}; see /api/organizations")
    members = select(store, "organization-members", {"organization": iri})
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
