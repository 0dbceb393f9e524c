"""The reference data of December 2026 (reference/gaps.md, "Update, December 2026"): all 38
APT members, and each fact with its own sources -- a state cites the ITU member list and its
region's sources, each membership of a regional organization cites that organization's."""

import pytest
from rdflib import RDF, Graph, Namespace
from rdflib.namespace import DCTERMS, ORG

from plenipot.sources.bundled import bundled

PP = Namespace("https://w3id.org/plenipot/def#")
ID = Namespace("https://w3id.org/plenipot/id/")
ARAB_LEAGUE = "https://www.worlddata.info/alliances/arab-league.php"


@pytest.fixture(scope="module")
def states() -> Graph:
    return Graph().parse(bundled("data") / "member-states.ttl", format="turtle")


def members(graph: Graph, org: str) -> set:
    return set(graph.subjects(ORG.memberOf, ID[f"org/{org}"]))


def test_all_38_apt_members(states: Graph) -> None:
    assert len(members(states, "apt")) == 38
    assert {ID["country/aus"], ID["country/lao"], ID["country/phl"], ID["country/prk"]} <= members(
        states, "apt"
    )


def test_three_more_atu_members_and_region_e_states(states: Graph) -> None:
    assert {ID["country/ssd"], ID["country/nam"], ID["country/rwa"]} <= members(states, "atu")
    for iso3 in ("lka", "lbn", "qat"):
        assert states.value(ID[f"country/{iso3}"], PP.administrativeRegion) == ID["region/e"]


def test_a_state_cites_no_membership_source(states: Graph) -> None:
    sources = {str(s) for s in states.objects(ID["country/rou"], DCTERMS.source)}
    assert ARAB_LEAGUE not in sources
    assert "https://www.cept.org/cept/membership-and-observers" not in sources
    assert len(sources) == 7  # the ITU member list and six sources of Region C


def test_every_membership_is_a_node_with_its_own_sources(states: Graph) -> None:
    for state, org in states.subject_objects(ORG.memberOf):
        nodes = [
            m for m in states.subjects(ORG.member, state) if (m, ORG.organization, org) in states
        ]
        assert nodes, f"{state} in {org} has no membership node"
        for node in nodes:
            assert (node, RDF.type, PP.Membership) in states
            assert list(states.objects(node, DCTERMS.source)), f"{node} has no source"


def test_membership_sources_speak_of_their_organization(states: Graph) -> None:
    node = ID["membership/cept/rou"]
    assert {str(s) for s in states.objects(node, DCTERMS.source)} == {
        "https://www.cept.org/cept/membership-and-observers"
    }
    for node in states.subjects(ORG.organization, ID["org/apt"]):
        assert ARAB_LEAGUE not in {str(s) for s in states.objects(node, DCTERMS.source)}
