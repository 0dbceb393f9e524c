"""Issue 12's real data: PP-22's outcomes (revised, abrogated resolutions), how PP-22 ran, the
seed's bodies and spellings, and proposals to PP-10, PP-14, WCIT-12 and PP-22, checked on the
bundled graph; every resource they describe cites a source."""

import pytest
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from plenipot.queries.catalogue import get_query, run
from plenipot.sources.bundled import bundled

PP = Namespace("https://w3id.org/plenipot/def#")
ID = Namespace("https://w3id.org/plenipot/id/")
DATA = bundled("data")

# What the graph records of PP-22's work on its resolutions (conference/pp-22/final-acts says it).
REVISED_AT_BUCHAREST = {
    2,
    21,
    25,
    30,
    48,
    71,
    77,
    102,
    130,
    135,
    140,
    146,
    151,
    154,
    157,
    167,
    179,
    191,
    197,
    198,
    200,
}
NEW_FILES = (
    "resolutions/pp-22-outcomes.ttl",
    "proposals/pp-10/apt.ttl",
    "proposals/pp-14/apt.ttl",
    "proposals/wcit-12/rus.ttl",
    "proposals/pp-22/reported.ttl",
    "proposals/wcit-12/citel.ttl",
    "proposals/wcit-12/member-states.ttl",
    "proposals/pp-14/citel.ttl",
    "proposals/pp-06/compiled.ttl",
    "proposals/pp-18/arab.ttl",
    "proposals/pp-14/kor.ttl",
    "proposals/pp-14/sle.ttl",
    "proposals/pp-02/sen.ttl",
)


def answer(store, name: str, **values: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in run(get_query(name), values, store).rows]


def statuses_at(graph: Graph, conference: str) -> dict[str, str]:
    """The identifier of each proposal at ``conference`` -> the key of its current status."""
    return {
        str(graph.value(p, DCTERMS.identifier)): str(graph.value(p, PP.status)).rsplit("/", 1)[1]
        for p in graph.subjects(PP.atConference, ID[f"conference/{conference}"])
        if (p, RDF.type, PP.Proposal) in graph
    }


def _number(revision: URIRef, graph: Graph) -> int:
    return int(graph.value(graph.value(revision, PP.revisionOf), PP.number))


# --- every new resource is sourced ------------------------------------------------------------


@pytest.mark.parametrize("name", NEW_FILES)
def test_every_resource_of_the_new_files_cites_a_source(name: str) -> None:
    graph = Graph().parse(DATA / name, format="turtle")
    typed = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    assert typed, name
    unsourced = sorted(str(s) for s in typed if (s, DCTERMS.source, None) not in graph)
    assert not unsourced, f"{name}: no dcterms:source on {unsourced}"


def test_every_typed_resource_of_the_bundled_data_cites_a_source(graph: Graph) -> None:
    typed = {
        s
        for s, o in graph.subject_objects(RDF.type)
        if isinstance(s, URIRef) and str(s).startswith(str(ID)) and not str(o).startswith(str(SKOS))
    }
    concepts = set(graph.subjects(SKOS.inScheme, None)) | set(
        graph.subjects(RDF.type, SKOS.ConceptScheme)
    )
    unsourced = sorted(str(s) for s in typed - concepts if (s, DCTERMS.source, None) not in graph)
    assert not unsourced, f"no dcterms:source on {unsourced[:10]} ({len(unsourced)} in all)"


# --- outcomes ---------------------------------------------------------------------------------


def test_revisions_adopted_at_bucharest_match_what_is_recorded(graph: Graph) -> None:
    revisions = set(graph.subjects(PP.adoptedAt, ID["conference/pp-22"]))
    resolutions = {
        _number(r, graph)
        for r in revisions
        if (graph.value(r, PP.revisionOf), RDF.type, PP.Resolution) in graph
    }
    assert resolutions == REVISED_AT_BUCHAREST
    assert len(resolutions) == 21
    assert ID["decision/pp/5/bucharest-2022"] in revisions
    for revision in revisions:
        assert graph.value(revision, PP.revisionLabel) == Literal("Rev. Bucharest, 2022")
        assert (revision, DCTERMS.source, None) in graph
        resolution = graph.value(revision, PP.revisionOf)
        assert graph.value(resolution, PP.latestRevision) == revision, resolution


def test_the_final_acts_comment_lists_the_same_revisions(graph: Graph) -> None:
    comment = str(
        graph.value(
            ID["conference/pp-22/final-acts"],
            URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
        )
    )
    listed = comment.split("revisions of resolutions (")[1].split(")")[0]
    assert {int(n) for n in listed.split(", ")} == REVISED_AT_BUCHAREST


def test_bucharest_revisions_follow_their_dubai_texts(graph: Graph) -> None:
    for number in (2, 21, 25, 30, 48, 71, 77, 135, 151, 154, 157, 167, 191):
        bucharest = ID[f"resolution/pp/{number}/bucharest-2022"]
        dubai = ID[f"resolution/pp/{number}/dubai-2018"]
        assert graph.value(bucharest, PP.previousRevision) == dubai, number
        assert graph.value(dubai, PP.adoptedAt) == ID["conference/pp-18"], number


def test_resolution_11_was_abrogated_by_pp22(graph: Graph) -> None:
    abrogated = set(graph.subjects(PP.abrogatedAt, ID["conference/pp-22"]))
    assert abrogated == {ID["resolution/pp/11"]}
    assert graph.value(ID["resolution/pp/11"], DCTERMS.title) == Literal(
        "ITU Telecom events", lang="en"
    )


def test_no_new_resolution_without_a_sourced_title(graph: Graph) -> None:
    numbers = {int(n) for n in graph.objects(None, PP.number) if str(n).isdigit()}
    assert not numbers & set(range(214, 220))  # 214-219 exist, but their titles were not read


# --- how PP-22 ran ----------------------------------------------------------------------------


def test_pp22_chair_participation_and_final_acts(graph: Graph) -> None:
    pp22 = ID["conference/pp-22"]
    assert graph.value(pp22, PP.chair) == ID["person/sabin-sarmas"]
    assert graph.value(ID["person/sabin-sarmas"], PP.nationality) == ID["country/rou"]
    assert graph.value(pp22, PP.participatingMemberStates) == Literal(183)
    acts = graph.value(pp22, PP.finalActs)
    assert graph.value(acts, PP.signatoryCount) == Literal(157)
    assert graph.value(acts, DCTERMS.date) == Literal("2022-10-14", datatype=XSD.date)


def test_regional_preparations_count_common_proposals(graph: Graph) -> None:
    counts = {
        (
            str(graph.value(p, PP.preparedBy)).rsplit("/", 1)[1],
            str(graph.value(p, PP.atConference)).rsplit("/", 1)[1],
        ): graph.value(p, PP.commonProposalCount).toPython()
        for p in graph.subjects(RDF.type, PP.RegionalPreparation)
    }
    assert counts == {("rcc", "pp-22"): 17, ("apt", "pp-10"): 72}


def test_pp26_venue_was_chosen_at_pp22(graph: Graph) -> None:
    assert graph.value(ID["conference/pp-26"], PP.venueChosenAt) == ID["conference/pp-22"]


# --- the seed, completely ---------------------------------------------------------------------


def test_council_groups_of_the_seed(graph: Graph) -> None:
    for key in ("cwg-sfp", "eg-itr"):
        group = ID[f"org/{key}"]
        assert (group, RDF.type, PP.CouncilGroup) in graph
        assert graph.value(group, ORG.subOrganizationOf) == ID["org/itu-council"]
        assert (group, DCTERMS.source, None) in graph


def test_the_seed_spellings_are_alt_labels(graph: Graph) -> None:
    for org, spelling in (("citel", "CITEC"), ("arab", "AST"), ("rcc", "RCP")):
        assert Literal(spelling) in set(graph.objects(ID[f"org/{org}"], SKOS.altLabel)), spelling


@pytest.mark.parametrize(
    "text", ["Res 102", "Resolution 102", "RES 102", "internet resources domain names"]
)
def test_search_finds_resolution_102(store, text: str) -> None:
    found = {r["resource"] for r in answer(store, "search", q=text)}
    assert str(ID["resolution/pp/102"]) in found


# --- proposals --------------------------------------------------------------------------------


def test_rus_27_7_adds_article_3a_and_was_not_adopted(graph: Graph) -> None:
    proposal = ID["proposal/wcit-12/rus-27-7"]
    assert graph.value(proposal, DCTERMS.identifier) == Literal("RUS/27/7")
    assert graph.value(proposal, PP.action) == ID["action/add"]
    assert graph.value(proposal, PP.target) == ID["instrument/itrs/article-3a"]
    assert graph.value(proposal, PP.status) == ID["status/not-adopted"]
    assert graph.value(graph.value(proposal, PP.inDocument), PP.documentRevision) == Literal(1)


def test_wcit12_proposals_and_citel_iaps(graph: Graph) -> None:
    assert set(statuses_at(graph, "wcit-12")) == {"RUS/27/7", "PRG/29/1", "TUN/25/1", "IND/21/2"}
    for key in ("prg-29-1", "tun-25-1", "ind-21-2"):
        assert (
            graph.value(ID[f"proposal/wcit-12/{key}"], PP.target) == ID["instrument/itrs/article-1"]
        )
    iaps = ID["document/wcit-12/10-rev1"]
    assert graph.value(iaps, PP.submittedBy) == ID["org/citel"]
    assert graph.value(iaps, DCTERMS.date) == Literal("2012-10-24", datatype=XSD.date)
    assert "IAP-15" in str(graph.value(iaps, DCTERMS.description))
    pp14 = ID["document/pp-14/34-rev1-add1"]
    assert graph.value(pp14, PP.submittedBy) == ID["org/citel"]
    assert "Resolution 179" in str(graph.value(pp14, DCTERMS.description))


def test_pp06_proposals_on_cs_article_1(graph: Graph) -> None:
    assert statuses_at(graph, "pp-06") == {
        "USA/16/47": "under-consideration",
        **{f"ARB/14/{n}": "not-adopted" for n in range(26, 32)},
    }
    assert graph.value(ID["proposal/pp-06/usa-16-47"], PP.target) == ID["instrument/cs/article-1"]
    assert graph.value(ID["proposal/pp-06/arb-14-31"], PP.target) == ID["instrument/cs/no-9"]


def test_apt_proposals_to_pp10_with_their_outcomes(graph: Graph) -> None:
    assert statuses_at(graph, "pp-10") == {
        "ACP/12/01": "adopted-with-modifications",
        "ACP/12/02": "adopted-with-modifications",
        "ACP/12/03": "adopted",
        "ACP/12/04": "adopted",
    }


def test_a_proposal_known_only_from_a_report(graph: Graph) -> None:
    """The PP-22 AI proposal is one; every such proposal lacks an ITU identifier and cites its
    report, and every other proposal has one (all of them: test_data_resolution_proposals)."""
    reported = set(graph.subjects(PP.knownOnlyFromReport, Literal(True)))
    proposal = ID["proposal/pp-22/reported-usa-fra-zaf-artificial-intelligence"]
    assert proposal in reported
    assert graph.value(proposal, PP.inDocument) is None
    assert set(graph.objects(proposal, PP.submittedBy)) == {
        ID["country/usa"],
        ID["country/fra"],
        ID["country/zaf"],
    }
    for each in reported:
        assert graph.value(each, DCTERMS.identifier) is None, each
        assert graph.value(each, DCTERMS.source) is not None, each
    others = set(graph.subjects(RDF.type, PP.Proposal)) - reported
    assert all(graph.value(p, DCTERMS.identifier) is not None for p in others)


def test_resolutions_that_have_proposals(store) -> None:
    """Resolution 130 (EUR/44A7/1), 102 and 133 (the Arab States at PP-18), 70, 162 and 179
    (CITEL at PP-14) and 163 (APT at PP-14) have sourced proposals; 101, 146 and 2 none yet."""
    numbers = ("2", "70", "101", "102", "130", "133", "146", "162", "163", "179")
    with_proposals = {n for n in numbers if answer(store, "proposals-for-resolution", number=n)}
    assert with_proposals == {"70", "102", "130", "133", "162", "163", "179"}


def test_proposal_files_are_one_per_conference() -> None:
    folders = {p.parent.name for p in (DATA / "proposals").glob("*/*.ttl")}
    assert folders == {"pp-02", "pp-06", "pp-10", "pp-14", "pp-18", "pp-22", "wcit-12"}
