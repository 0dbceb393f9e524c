"""Facts of the sourced reference data (ITU, conferences, organizations, member states,
instruments, Plenipotentiary resolutions), checked on the bundled graph.

The ontology and all data files are parsed once per module with rdflib, as
``plenipot.sources.bundled.graph_sources()`` lists them.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from plenipot.sources.bundled import bundled_files

PP = Namespace("https://w3id.org/plenipot/def#")
ID = Namespace("https://w3id.org/plenipot/id/")
SCHEMA = Namespace("https://schema.org/")

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_FILES = (
    "itu.ttl",
    "conferences.ttl",
    "organizations.ttl",
    "member-states.ttl",
    "instruments.ttl",
    "resolutions/pp.ttl",
)

# The 29 distinct numbers of the seed paper's table of Internet-related resolutions.
SEED_RESOLUTIONS = {2, 70, 101, 102, 122, 123, 130, 133, 135, 137, 139, 140, 146, 174, 175}
SEED_RESOLUTIONS |= {178, 179, 180, 181, 186, 196, 197, 198, 200, 201, 203, 204, 205, 206}
# Resolutions whose latest revision before (or at) PP-22 was sourced: pp:latestRevision.
LATEST_KNOWN = {
    "2": "bucharest-2022",
    "70": "dubai-2018",
    "101": "dubai-2018",
    "102": "bucharest-2022",
    "123": "dubai-2018",
    "130": "bucharest-2022",
    "133": "dubai-2018",
    "135": "bucharest-2022",
    "137": "dubai-2018",
    "139": "dubai-2018",
    "140": "bucharest-2022",
    "146": "bucharest-2022",
    "174": "busan-2014",
    "175": "dubai-2018",
    "179": "bucharest-2022",
    "180": "dubai-2018",
    "186": "dubai-2018",
    "196": "dubai-2018",
    "197": "bucharest-2022",
    "198": "bucharest-2022",
    "200": "bucharest-2022",
    "201": "dubai-2018",
    "203": "dubai-2018",
    "204": "dubai-2018",
    "205": "dubai-2018",
    "206": "dubai-2018",
}
REGIONAL = {"apt", "atu", "citel", "cept", "rcc", "arab"}


def _one(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} has {len(values)} values of {predicate}, expected one"
    return values[0]


def _resolution(number: int | str) -> URIRef:
    return ID[f"resolution/pp/{number}"]


# Member states


def test_193_member_states_before_palau(graph: Graph) -> None:
    states = set(graph.subjects(RDF.type, PP.MemberState))
    joined_later = {
        s
        for s in states
        if any(d.toPython() > date(2022, 10, 14) for d in graph.objects(s, PP.ituMemberSince))
    }
    assert joined_later == {ID["country/plw"]}
    assert len(states - joined_later) == 193


def test_member_state_codes_and_names(graph: Graph) -> None:
    rou = ID["country/rou"]
    assert _one(graph, rou, DCTERMS.identifier) == Literal("ROU")
    assert _one(graph, rou, PP.iso2) == Literal("RO")
    assert _one(graph, rou, RDFS.label) == Literal("Romania", lang="en")
    assert _one(graph, ID["country/plw"], PP.ituMemberSince) == Literal(
        "2024-09-19", datatype=XSD.date
    )


def test_derived_regions_are_marked(graph: Graph) -> None:
    derived = {s for s, c in graph.subject_objects(RDFS.comment) if "derived, not read" in str(c)}
    assert len(derived) == 58
    assert all((s, PP.administrativeRegion, None) in graph for s in derived)


def test_cept_suspended_russia_and_belarus_on_17_march_2022(graph: Graph) -> None:
    suspended = {
        _one(graph, m, ORG.member)
        for m in graph.subjects(ORG.organization, ID["org/cept"])
        if (m, PP.membershipStatus, ID["membership-status/suspended"]) in graph
        and _one(graph, m, PP.since) == Literal("2022-03-17", datatype=XSD.date)
    }
    assert suspended == {ID["country/rus"], ID["country/blr"]}
    assert (ID["country/rus"], ORG.memberOf, ID["org/cept"]) not in graph


def test_syria_arab_league_membership_restored_7_may_2023(graph: Graph) -> None:
    active = ID["membership/arab/syr-2023"]
    assert _one(graph, active, PP.membershipStatus) == ID["membership-status/active"]
    assert _one(graph, active, PP.since) == Literal("2023-05-07", datatype=XSD.date)
    assert (ID["country/syr"], ORG.memberOf, ID["org/arab"]) in graph


def test_member_states_file_is_generated_and_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_member_states", ROOT / "scripts" / "build_member_states.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass resolves annotations through sys.modules
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    expected = module.build()
    assert expected == module.build(), "the generator is not deterministic"
    current = (ROOT / "data" / "member-states.ttl").read_text(encoding="utf-8")
    assert current == expected, "run scripts/build_member_states.py"


# Organizations


def test_six_regional_organizations_with_common_proposal_names(graph: Graph) -> None:
    orgs = set(graph.subjects(RDF.type, PP.RegionalOrganization))
    assert orgs == {ID[f"org/{key}"] for key in REGIONAL}
    for org in orgs:
        assert str(_one(graph, org, PP.commonProposalName)).strip()
        assert list(graph.objects(org, SKOS.altLabel))
        assert list(graph.objects(org, SCHEMA.location))
    prefixes = {o: str(p) for o, p in graph.subject_objects(PP.proposalPrefix)}
    assert prefixes == {
        ID["org/cept"]: "EUR",
        ID["org/citel"]: "IAP",
        ID["org/apt"]: "ACP",
        ID["org/atu"]: "AFCP",
        ID["org/rcc"]: "RCC",
        ID["org/arab"]: "ARB",
    }


def test_itu_structure(graph: Graph) -> None:
    itu = ID["org/itu"]
    for key, acronym in (("itu-r", "ITU-R"), ("itu-t", "ITU-T"), ("itu-d", "ITU-D")):
        sector = ID[f"sector/{key}"]
        assert (sector, RDF.type, PP.Sector) in graph
        assert (sector, ORG.unitOf, itu) in graph
        assert Literal(acronym) in set(graph.objects(sector, SKOS.altLabel))
    kinds = {
        "itu-council": PP.GoverningBody,
        "rrb": PP.GoverningBody,
        "tsb": PP.Bureau,
        "bdt": PP.Bureau,
        "br": PP.Bureau,
        "tsag": PP.AdvisoryGroup,
        "tdag": PP.AdvisoryGroup,
        "rag": PP.AdvisoryGroup,
        "itu-gs": PP.GeneralSecretariat,
    }
    for key, cls in kinds.items():
        assert (ID[f"org/{key}"], RDF.type, cls) in graph, key
    isoc_sectors = set(graph.objects(ID["org/isoc"], PP.sectorMemberOf))
    assert isoc_sectors == {ID["sector/itu-t"], ID["sector/itu-d"]}


# Conferences


def test_pp22_dates_venue_and_deadline(graph: Graph) -> None:
    pp22 = ID["conference/pp-22"]
    assert _one(graph, pp22, DCTERMS.identifier) == Literal("PP-22")
    assert _one(graph, pp22, SCHEMA.startDate) == Literal("2022-09-26", datatype=XSD.date)
    assert _one(graph, pp22, SCHEMA.endDate) == Literal("2022-10-14", datatype=XSD.date)
    assert _one(graph, pp22, PP.contributionDeadline) == Literal("2022-09-05", datatype=XSD.date)
    assert _one(graph, pp22, SCHEMA.location) == Literal("Bucharest, Romania")
    assert _one(graph, pp22, PP.hostCountry) == ID["country/rou"]
    assert _one(graph, pp22, PP.conferenceKind) == ID["conference-kind/pp"]


def test_sector_assemblies_are_convened_by_their_sector(graph: Graph) -> None:
    assert _one(graph, ID["conference/wtsa-20"], PP.convenedBy) == ID["sector/itu-t"]
    assert _one(graph, ID["conference/wtdc-22"], PP.convenedBy) == ID["sector/itu-d"]
    assert _one(graph, ID["conference/ra-23"], PP.convenedBy) == ID["sector/itu-r"]


def test_reference_conferences_have_regular_dates(graph: Graph) -> None:
    conferences = [
        c
        for c in graph.subjects(RDF.type, PP.Conference)
        if str(c).startswith(str(ID["conference/"]))
    ]
    assert ID["conference/pp-26"] in conferences
    for conference in conferences:
        start = _one(graph, conference, SCHEMA.startDate)
        end = _one(graph, conference, SCHEMA.endDate)
        assert start.datatype == XSD.date and end.datatype == XSD.date, conference
        assert start.toPython() <= end.toPython(), conference
        host = _one(graph, conference, PP.hostCountry)
        assert (host, RDF.type, PP.MemberState) in graph, host


# Resolutions


def test_29_seed_resolutions_with_title_and_issue_area(graph: Graph) -> None:
    assert len(SEED_RESOLUTIONS) == 29
    numbers = {
        int(str(_one(graph, r, PP.number)))
        for r in graph.subjects(PP.ownedBy, ID["conference-kind/pp"])
        if (r, RDF.type, PP.Resolution) in graph
    }
    assert numbers >= SEED_RESOLUTIONS
    for number in SEED_RESOLUTIONS:
        resolution = _resolution(number)
        title = _one(graph, resolution, DCTERMS.title)
        assert title.language == "en" and len(str(title)) > 3, number
        assert list(graph.objects(resolution, PP.issueArea)), number


def test_latest_revisions_where_sourced(graph: Graph) -> None:
    for number in SEED_RESOLUTIONS:
        resolution = _resolution(number)
        latest = list(graph.objects(resolution, PP.latestRevision))
        if str(number) not in LATEST_KNOWN:
            assert not latest and list(graph.objects(resolution, RDFS.comment)), number
            continue
        assert latest == [ID[f"resolution/pp/{number}/{LATEST_KNOWN[str(number)]}"]]
        revision = latest[0]
        assert (revision, RDF.type, PP.Revision) in graph
        assert _one(graph, revision, PP.revisionOf) == resolution
        assert str(_one(graph, revision, PP.revisionLabel))
        conference = _one(graph, revision, PP.adoptedAt)
        assert _one(graph, conference, PP.conferenceKind) == ID["conference-kind/pp"]


def test_revision_labels_name_their_conference(graph: Graph) -> None:
    cities = {
        "pp-10": "Guadalajara, 2010",
        "pp-14": "Busan, 2014",
        "pp-18": "Dubai, 2018",
        "pp-22": "Bucharest, 2022",
    }
    for revision in graph.subjects(RDF.type, PP.Revision):
        key = str(_one(graph, revision, PP.adoptedAt)).rsplit("/", 1)[1]
        assert str(_one(graph, revision, PP.revisionLabel)).endswith(cities[key]), revision


def test_resolution_102_revision_history(graph: Graph) -> None:
    bucharest = ID["resolution/pp/102/bucharest-2022"]
    dubai = ID["resolution/pp/102/dubai-2018"]
    assert _one(graph, bucharest, PP.previousRevision) == dubai
    assert _one(graph, dubai, PP.revisionLabel) == Literal("Rev. Dubai, 2018")
    assert _one(graph, _resolution(102), PP.topic) == ID["topic/internet-governance"]


def test_pp18_revisions_read_in_the_final_acts_chain_to_busan(graph: Graph) -> None:
    for number in (101, 123, 133, 135, 137, 139, 196, 201, 203):
        dubai = ID[f"resolution/pp/{number}/dubai-2018"]
        assert _one(graph, dubai, PP.previousRevision) == ID[f"resolution/pp/{number}/busan-2014"]
        assert _one(graph, dubai, PP.adoptedAt) == ID["conference/pp-18"]


def test_resolutions_absent_from_the_pp18_final_acts_have_no_latest_revision(graph: Graph) -> None:
    for number in (122, 178, 181):
        assert (_resolution(number), PP.latestRevision, None) not in graph
        assert "Not revised by PP-18" in str(_one(graph, _resolution(number), RDFS.comment))


def test_resolution_178_sits_in_two_issue_areas(graph: Graph) -> None:
    areas = set(graph.objects(_resolution(178), PP.issueArea))
    assert areas == {ID["issue-area/internet-public-policy"], ID["issue-area/standardization"]}


# Instruments


def test_constitution_article_1(graph: Graph) -> None:
    article = ID["instrument/cs/article-1"]
    assert (article, RDF.type, PP.Article) in graph
    assert _one(graph, article, DCTERMS.isPartOf) == ID["instrument/cs"]
    assert _one(graph, article, DCTERMS.title) == Literal("Purposes of the Union", lang="en")
    assert (ID["instrument/itrs"], RDF.type, PP.AdministrativeRegulations) in graph


# Sources


@pytest.mark.parametrize("path", bundled_files("data"), ids=lambda p: p.name)
def test_every_data_file_cites_a_source(path: Path) -> None:
    assert (None, DCTERMS.source, None) in Graph().parse(path, format="turtle")


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_every_typed_reference_resource_cites_a_source(name: str) -> None:
    graph = Graph().parse(ROOT / "data" / name, format="turtle")
    missing = {s for s in graph.subjects(RDF.type, None) if (s, DCTERMS.source, None) not in graph}
    assert not missing, f"{name}: no dcterms:source on {sorted(missing)[:5]}"
