"""Facts of the PP-22 data (elections, people, proposals, ISOC positions), on the parsed files.

The data files are read on their own with rdflib, without the ontology or the other data files,
so a failure here points at the PP-22 files themselves.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

DATA = Path(__file__).resolve().parents[2] / "data"
PP = Namespace("https://w3id.org/plenipot/def#")
ID = Namespace("https://w3id.org/plenipot/id/")

ELECTIONS = DATA / "elections" / "pp-22.ttl"
PEOPLE = DATA / "people.ttl"
POSITIONS = DATA / "positions" / "isoc.ttl"
PROPOSALS = sorted((DATA / "proposals" / "pp-22").glob("*.ttl"))

ISOC_EVENT_PAGE = URIRef("https://www.internetsociety.org/events/un/plenipot-2022")

FIVE_OFFICIALS = {
    "secretary-general": ("doreen-bogdan-martin", "Doreen Bogdan-Martin", "usa"),
    "deputy-secretary-general": ("tomas-lamanauskas", "Tomas Lamanauskas", "ltu"),
    "director-tsb": ("seizo-onoe", "Seizo Onoe", "jpn"),
    "director-bdt": ("cosmas-zavazava", "Cosmas Luckyson Zavazava", "zwe"),
    "director-br": ("mario-maniewicz", "Mario Maniewicz", "ury"),
}


def _parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def elections() -> Graph:
    return _parse(ELECTIONS, PEOPLE)


@pytest.fixture(scope="module")
def positions() -> Graph:
    return _parse(POSITIONS)


@pytest.fixture(scope="module")
def proposals() -> Graph:
    return _parse(*PROPOSALS)


def _one(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} has {len(values)} values of {predicate}, expected one"
    return values[0]


def _elected(graph: Graph, election: URIRef) -> list[URIRef]:
    return [
        candidacy
        for candidacy in graph.objects(election, PP.hasCandidacy)
        if graph.value(candidacy, PP.elected) == Literal(True)
    ]


# --- elections ------------------------------------------------------------------------------


@pytest.mark.parametrize("post", sorted(FIVE_OFFICIALS))
def test_the_five_elected_officials_hold_their_posts(elections: Graph, post: str) -> None:
    person_key, name, iso3 = FIVE_OFFICIALS[post]
    election = ID[f"election/pp-22/{post}"]
    assert (election, RDF.type, PP.Election) in elections
    assert _one(elections, election, PP.forPost) == ID[f"post/{post}"]
    assert _one(elections, election, PP.atConference) == ID["conference/pp-22"]
    winners = _elected(elections, election)
    assert len(winners) == 1
    person = _one(elections, winners[0], PP.candidate)
    assert person == ID[f"person/{person_key}"]
    assert (person, RDF.type, PP.Person) in elections
    assert str(_one(elections, person, RDFS.label)) == name
    assert _one(elections, person, PP.nationality) == ID[f"country/{iso3}"]
    assert _one(elections, winners[0], PP.termStart) == Literal(date(2023, 1, 1))
    assert _one(elections, winners[0], PP.termEnd) == Literal(date(2026, 12, 31))


def test_secretary_general_vote(elections: Graph) -> None:
    round_1 = ID["election/pp-22/secretary-general/round-1"]
    assert _one(elections, round_1, PP.votesCast) == Literal(172, datatype=XSD.integer)
    votes = {
        elections.value(elections.value(count, PP.forCandidacy), PP.candidate): int(
            elections.value(count, PP.votes)
        )
        for count in elections.objects(round_1, PP.hasCount)
    }
    assert votes == {ID["person/doreen-bogdan-martin"]: 139, ID["person/rashid-ismailov"]: 25}


def test_every_vote_count_belongs_to_a_candidacy_of_its_own_election(elections: Graph) -> None:
    for election in elections.subjects(RDF.type, PP.Election):
        candidacies = set(elections.objects(election, PP.hasCandidacy))
        numbers = []
        for round_ in elections.objects(election, PP.hasRound):
            numbers.append(int(_one(elections, round_, PP.roundNumber)))
            _one(elections, round_, DCTERMS.date)
            for count in elections.objects(round_, PP.hasCount):
                assert _one(elections, count, PP.forCandidacy) in candidacies, count
                assert int(_one(elections, count, PP.votes)) >= 0
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), election


def test_winner_has_most_votes_in_the_last_round(elections: Graph) -> None:
    for election in elections.subjects(RDF.type, PP.Election):
        rounds = list(elections.objects(election, PP.hasRound))
        seats = int(elections.value(election, PP.seats) or 1)
        if not rounds or len(set(elections.objects(election, PP.hasCandidacy))) <= seats:
            continue
        last = max(rounds, key=lambda r: int(elections.value(r, PP.roundNumber)))
        counts = sorted(
            elections.objects(last, PP.hasCount),
            key=lambda c: int(elections.value(c, PP.votes)),
            reverse=True,
        )
        top = {elections.value(c, PP.forCandidacy) for c in counts[:seats]}
        assert top == set(_elected(elections, election)), election


@pytest.mark.parametrize(
    ("body", "seats"),
    [
        ("council", {"a": 9, "b": 8, "c": 5, "d": 13, "e": 13}),
        ("rrb", {"a": 2, "b": 2, "c": 2, "d": 3, "e": 3}),
    ],
)
def test_regional_seats_are_all_filled(elections: Graph, body: str, seats: dict) -> None:
    post = ID["post/council-member" if body == "council" else "post/rrb-member"]
    for region, number in seats.items():
        election = ID[f"election/pp-22/{body}-region-{region}"]
        assert _one(elections, election, PP.forPost) == post
        assert _one(elections, election, PP.forRegion) == ID[f"region/{region}"]
        assert int(_one(elections, election, PP.seats)) == number
        assert len(_elected(elections, election)) == number


def test_russian_federation_was_not_elected_to_the_council(elections: Graph) -> None:
    candidacy = ID["election/pp-22/council-region-c/rus"]
    assert _one(elections, candidacy, PP.elected) == Literal(False)


def test_every_election_resource_is_typed_labelled_and_sourced(elections: Graph) -> None:
    for cls in (PP.Election, PP.Candidacy, PP.ElectionRound, PP.VoteCount, PP.Person):
        subjects = set(elections.subjects(RDF.type, cls))
        assert subjects, cls
        for subject in subjects:
            assert str(subject).startswith(str(ID)), subject
            assert elections.value(subject, DCTERMS.source) is not None, f"{subject} has no source"
            if cls != PP.VoteCount:
                assert elections.value(subject, RDFS.label) is not None, f"{subject} has no label"


def test_every_person_candidate_is_described(elections: Graph) -> None:
    for candidate in elections.objects(None, PP.candidate):
        if "/person/" in str(candidate):
            assert (candidate, RDF.type, PP.Person) in elections, candidate
            _one(elections, candidate, PP.nationality)


# --- proposals ------------------------------------------------------------------------------


def proposal_problems(graph: Graph) -> list[str]:
    """What is missing or inconsistent in each pp:Proposal of ``graph`` (empty when all is well)."""
    problems = []
    for proposal in sorted(graph.subjects(RDF.type, PP.Proposal)):
        # A proposal known only from a report has no identifier and no document (its source is
        # the report); every other proposal needs both.
        reported = (proposal, PP.knownOnlyFromReport, Literal(True)) in graph
        required = [PP.action, PP.submittedBy, PP.target, DCTERMS.source, PP.status]
        if not reported:
            required += [DCTERMS.identifier, PP.inDocument]
        for prop in required:
            if graph.value(proposal, prop) is None:
                problems.append(f"{proposal}: no {graph.qname(prop)}")
        changes = [
            (graph.value(change, DCTERMS.date), graph.value(change, PP.status))
            for change in graph.objects(proposal, PP.statusChange)
        ]
        if not changes or any(d is None or s is None for d, s in changes):
            problems.append(f"{proposal}: status history missing or undated")
            continue
        last_status = max(changes, key=lambda c: c[0].toPython())[1]
        if last_status != graph.value(proposal, PP.status):
            problems.append(f"{proposal}: last status change is not pp:status")
        document_date = graph.value(graph.value(proposal, PP.inDocument), DCTERMS.date)
        if document_date is not None and min(d.toPython() for d, _ in changes) < (
            document_date.toPython()
        ):
            problems.append(f"{proposal}: a status date is before the document date")
    return problems


def test_bundled_proposals_are_complete(proposals: Graph) -> None:
    assert proposal_problems(proposals) == []


_CHECKER_FIXTURE = """
@prefix pp: <https://w3id.org/plenipot/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:doc dcterms:date "2022-06-01"^^xsd:date .
ex:good a pp:Proposal ; dcterms:identifier "X/1/1" ; pp:action ex:mod ; pp:submittedBy ex:s ;
    pp:target ex:t ; dcterms:source ex:src ; pp:inDocument ex:doc ; pp:status ex:adopted ;
    pp:statusChange [ pp:status ex:submitted ; dcterms:date "2022-06-01"^^xsd:date ] ,
                    [ pp:status ex:adopted ; dcterms:date "2022-10-13"^^xsd:date ] .
ex:bad a pp:Proposal ; dcterms:identifier "X/1/2" ; pp:action ex:mod ; pp:submittedBy ex:s ;
    pp:target ex:t ; dcterms:source ex:src ; pp:inDocument ex:doc ; pp:status ex:submitted ;
    pp:statusChange [ pp:status ex:submitted ; dcterms:date "2022-05-01"^^xsd:date ] ,
                    [ pp:status ex:adopted ; dcterms:date "2022-10-13"^^xsd:date ] .
"""


def test_proposal_checker_reports_a_broken_status_history() -> None:
    graph = Graph().parse(data=_CHECKER_FIXTURE, format="turtle")
    problems = proposal_problems(graph)
    assert problems == [
        "https://example.org/bad: last status change is not pp:status",
        "https://example.org/bad: a status date is before the document date",
    ]


# --- positions ------------------------------------------------------------------------------


ISOC_MESSAGES = {
    "protect-against-splinternet": (
        "Protect the Internet from becoming a Splinternet",
        "oppose",
        {"topic/internet-governance"},
    ),
    "harmful-changes-to-internet-model": (
        "Harmful changes to the Internet model",
        "concern",
        {"topic/ip-addressing", "resolution/pp/102"},
    ),
    "uphold-multistakeholder-model": (
        "Uphold the Internet multistakeholder governance model",
        "support",
        {"topic/internet-governance"},
    ),
}


def test_the_three_isoc_key_messages(positions: Graph) -> None:
    found = set(positions.subjects(RDF.type, PP.Position))
    assert found == {ID[f"position/isoc/{slug}"] for slug in ISOC_MESSAGES}
    for slug, (title, stance, about) in ISOC_MESSAGES.items():
        position = ID[f"position/isoc/{slug}"]
        assert str(_one(positions, position, DCTERMS.title)) == title
        assert _one(positions, position, PP.holder) == ID["org/isoc"]
        assert _one(positions, position, PP.stance) == ID[f"stance/{stance}"]
        assert set(positions.objects(position, PP.about)) == {ID[key] for key in about}
        rationale = _one(positions, position, PP.rationale)
        assert rationale.language == "en" and len(rationale) > 40
        assert _one(positions, position, DCTERMS.date) == Literal(date(2022, 9, 8))
        assert ISOC_EVENT_PAGE in set(positions.objects(position, DCTERMS.source))
