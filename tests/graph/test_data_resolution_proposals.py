"""Proposals that target Plenipotentiary resolutions (issue 12, second pass): the Arab States'
proposals to PP-18 on Resolutions 102 and 133, CITEL's IAPs and APT's suppression of Resolution
163 at PP-14, and the Guadalajara, 2010 texts they modify, checked on the bundled graph.

The rules are functions that list what is wrong; each runs on the bundled graph and on a small
broken graph, so a rule that stopped looking would fail.
"""

from __future__ import annotations

import re

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDFS

from plenipot.queries.catalogue import get_query, run

PP = Namespace("https://w3id.org/plenipot/def#")
ID = Namespace("https://w3id.org/plenipot/id/")
SCHEMA = Namespace("https://schema.org/")
CHANGING = {ID["action/mod"], ID["action/sup"]}
IDENTIFIER = re.compile(r"^([A-Z]{2,5})/(\d+)(?:A(\d+))?/(\d+)$")

REPORTED = {
    ID["proposal/pp-22/reported-usa-fra-zaf-artificial-intelligence"],
    ID["proposal/pp-18/reported-arab-res-102"],
    ID["proposal/pp-18/reported-arab-res-133"],
    ID["proposal/pp-14/apt-acp-67a1-sup-res-163"],
    ID["proposal/pp-14/reported-kor-internet-of-things"],
    ID["proposal/pp-14/reported-kor-connect-2020"],
    *(ID[f"proposal/pp-14/citel-iap-{n}"] for n in range(1, 13)),
}


def answer(store, name: str, **values: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in run(get_query(name), values, store).rows]


def _start(graph: Graph, conference) -> str:
    return str(graph.value(conference, SCHEMA.startDate))[:10]


# --- rules ------------------------------------------------------------------------------------


def target_in_force_problems(graph: Graph) -> list[str]:
    """A MOD or SUP targets the revision in force when its conference opened: adopted at an earlier
    conference, and no other revision of the same text adopted between the two."""
    problems = []
    for proposal, action in graph.subject_objects(PP.action):
        if action not in CHANGING:
            continue
        target = graph.value(proposal, PP.target)
        if (target, RDF.type, PP.Revision) not in graph:
            continue
        opened = _start(graph, graph.value(proposal, PP.atConference))
        adopted = _start(graph, graph.value(target, PP.adoptedAt))
        if not adopted < opened:
            problems.append(f"{proposal}: {target} was adopted on or after {opened}")
            continue
        instrument = graph.value(target, PP.revisionOf)
        for other in graph.subjects(PP.revisionOf, instrument):
            other_adopted = _start(graph, graph.value(other, PP.adoptedAt))
            if other != target and adopted < other_adopted < opened:
                problems.append(f"{proposal}: {other} superseded {target} before {opened}")
    return problems


def reported_proposal_problems(graph: Graph) -> list[str]:
    """A proposal known only from a report has, as the ontology defines it, no ITU identifier and
    no pp:inDocument; it has a label to stand for the identifier and cites its report."""
    problems = []
    for proposal in graph.subjects(PP.knownOnlyFromReport, Literal(True)):
        if graph.value(proposal, DCTERMS.identifier) is not None:
            problems.append(f"{proposal}: known only from a report, yet has an identifier")
        if graph.value(proposal, PP.inDocument) is not None:
            problems.append(f"{proposal}: known only from a report, yet has a pp:inDocument")
        if graph.value(proposal, RDFS.label) is None:
            problems.append(f"{proposal}: no rdfs:label to stand for the missing identifier")
        if graph.value(proposal, DCTERMS.source) is None:
            problems.append(f"{proposal}: does not cite its report")
    return problems


def _listing(graph: Graph, proposal) -> str | None:
    """The description of the CITEL contribution, at the proposal's conference, read in the same
    page the proposal cites: the IAP list it is known from."""
    sources = set(graph.objects(proposal, DCTERMS.source))
    conference = graph.value(proposal, PP.atConference)
    for document in graph.subjects(PP.submittedBy, ID["org/citel"]):
        if (document, RDF.type, PP.Contribution) not in graph:
            continue
        if graph.value(document, PP.atConference) != conference:
            continue
        if sources & set(graph.objects(document, DCTERMS.source)):
            return str(graph.value(document, DCTERMS.description))
    return None


def iap_problems(graph: Graph) -> list[str]:
    """Each CITEL IAP proposal's number and target agree with the IAP list of its document."""
    problems = []
    for proposal in graph.subjects(PP.submittedBy, ID["org/citel"]):
        match = re.search(r"/citel-iap-(\d+)$", str(proposal))
        if not match:
            continue
        number = match.group(1)
        if f"IAP-{number} " not in str(graph.value(proposal, RDFS.label)) + " ":
            problems.append(f"{proposal}: its label does not name IAP-{number}")
        entry = re.search(rf"IAP-{number}: ([^;]*)", _listing(graph, proposal) or "")
        if entry is None:
            problems.append(f"{proposal}: IAP-{number} is not in its document's list")
            continue
        target = graph.value(proposal, PP.target)
        instrument = graph.value(target, PP.revisionOf)
        if instrument is not None:
            kind = "Decision" if (instrument, RDF.type, PP.Decision) in graph else "Resolution"
            cited = f"{kind} {graph.value(instrument, PP.number)}"
            if cited not in entry.group(1):
                problems.append(f"{proposal}: the list's IAP-{number} is not about {cited}")
        elif not entry.group(1).startswith("draft new resolution"):
            problems.append(f"{proposal}: the list's IAP-{number} is not a draft new resolution")
    return problems


def identifier_problems(graph: Graph) -> list[str]:
    """At every conference, a proposal's ITU identifier (PREFIX/document[Aaddendum]/n) builds its
    IRI and agrees with the number and addendum of the document it is in."""
    problems = []
    for proposal, identifier in graph.subject_objects(DCTERMS.identifier):
        if (proposal, RDF.type, PP.Proposal) not in graph:
            continue
        match = IDENTIFIER.match(str(identifier))
        if match is None:
            problems.append(f"{proposal}: identifier {identifier} is not PREFIX/44A1/1")
            continue
        conference = str(graph.value(proposal, PP.atConference)).rsplit("/", 1)[1]
        key = str(identifier).lower().replace("/", "-")
        if proposal != ID[f"proposal/{conference}/{key}"]:
            problems.append(f"{proposal}: IRI does not follow {identifier} at {conference}")
        document = graph.value(proposal, PP.inDocument)
        if str(graph.value(document, PP.documentNumber)) != match.group(2):
            problems.append(f"{proposal}: {identifier} names another document than {document}")
        addendum = graph.value(document, PP.addendum)
        stated = int(addendum) if addendum is not None else None
        if stated != (int(match.group(3)) if match.group(3) else None):
            problems.append(f"{proposal}: {identifier} and {document} disagree on the addendum")
    return problems


# --- the bundled data -------------------------------------------------------------------------


def test_the_proposals_known_only_from_a_report(graph: Graph) -> None:
    assert set(graph.subjects(PP.knownOnlyFromReport, Literal(True))) == REPORTED
    assert reported_proposal_problems(graph) == []


def test_identifiers_agree_with_their_documents_at_every_conference(graph: Graph) -> None:
    assert identifier_problems(graph) == []


def test_proposals_with_an_itu_number_outside_pp22(graph: Graph) -> None:
    for identifier, conference, submitter, document in (
        ("SRL/140/1", "pp-14", "country/sle", "document/pp-14/140"),
        ("SEN/56/1", "pp-02", "country/sen", "document/pp-02/56"),
    ):
        (proposal,) = graph.subjects(DCTERMS.identifier, Literal(identifier))
        assert graph.value(proposal, PP.atConference) == ID[f"conference/{conference}"]
        assert graph.value(proposal, PP.submittedBy) == ID[submitter]
        assert graph.value(proposal, PP.inDocument) == ID[document]
        assert graph.value(proposal, PP.action) == ID["action/add"]
        target = graph.value(proposal, PP.target)
        assert (target, RDF.type, PP.DraftResolution) in graph


def test_mod_and_sup_target_the_text_in_force(graph: Graph) -> None:
    assert target_in_force_problems(graph) == []


def test_citel_iaps_agree_with_the_document(graph: Graph) -> None:
    assert iap_problems(graph) == []


def test_the_iaps_and_their_targets(graph: Graph) -> None:
    targets = {
        int(str(p).rsplit("-", 1)[1]): str(graph.value(p, PP.target)).split("/id/", 1)[1]
        for p in graph.subjects(PP.submittedBy, ID["org/citel"])
        if "/proposal/pp-14/citel-iap-" in str(p)
    }
    assert targets == {
        1: "resolution/pp/152/guadalajara-2010",
        2: "resolution/pp/169/guadalajara-2010",
        3: "resolution/pp/179/guadalajara-2010",
        4: "draft-resolution/pp-14/multilingualism-on-the-internet",
        5: "resolution/pp/162/guadalajara-2010",
        6: "draft-resolution/pp-14/global-flight-tracking",
        7: "draft-resolution/pp-14/protecting-telecommunication-service-users-consumers",
        8: "resolution/pp/70/guadalajara-2010",
        9: "resolution/pp/175/guadalajara-2010",
        10: "decision/pp/5/guadalajara-2010",
        11: "decision/pp/5/guadalajara-2010",
        12: "resolution/pp/135/guadalajara-2010",
    }


def test_arab_states_proposals_to_pp18(graph: Graph) -> None:
    for number in ("102", "133"):
        proposal = ID[f"proposal/pp-18/reported-arab-res-{number}"]
        assert graph.value(proposal, PP.target) == ID[f"resolution/pp/{number}/busan-2014"]
        assert graph.value(proposal, PP.submittedBy) == ID["org/arab"]
        assert graph.value(proposal, PP.issueArea) == ID["issue-area/internet-public-policy"]
        assert graph.value(proposal, PP.status) == ID["status/under-consideration"]
        dates = sorted(
            str(graph.value(change, DCTERMS.date))
            for change in graph.objects(proposal, PP.statusChange)
        )
        assert dates == ["2018-10-19", "2018-11-09"]


def test_korea_led_resolutions_at_pp14(graph: Graph) -> None:
    produced = {}
    for proposal in graph.subjects(PP.submittedBy, ID["country/kor"]):
        assert graph.value(proposal, PP.action) == ID["action/add"]
        assert graph.value(proposal, PP.status) == ID["status/adopted"]
        revision = graph.value(proposal, PP.resultingRevision)
        assert graph.value(revision, PP.adoptedAt) == graph.value(proposal, PP.atConference)
        produced[str(proposal).rsplit("/", 1)[1]] = str(graph.value(revision, PP.revisionOf))
    assert produced == {
        "reported-kor-internet-of-things": str(ID["resolution/pp/197"]),
        "reported-kor-connect-2020": str(ID["resolution/pp/200"]),
    }


def test_guadalajara_texts_precede_the_busan_ones(graph: Graph) -> None:
    for number in (70, 101, 102, 133, 135, 175, 179):
        busan = ID[f"resolution/pp/{number}/busan-2014"]
        guadalajara = ID[f"resolution/pp/{number}/guadalajara-2010"]
        assert graph.value(busan, PP.previousRevision) == guadalajara
        assert graph.value(guadalajara, PP.adoptedAt) == ID["conference/pp-10"]
        assert (ID[f"resolution/pp/{number}"], PP.hasRevision, guadalajara) in graph


def test_proposals_for_resolution_102_include_the_reported_one(store) -> None:
    rows = answer(store, "proposals-for-resolution", number="102")
    assert [(r["conference"], r["action"], r["submitters"]) for r in rows] == [
        ("PP-18", "MOD", "ARAB")
    ]
    assert rows[0]["revisionLabel"] == "Rev. Busan, 2014"


def test_issues_matrix_at_pp14(store) -> None:
    rows = answer(store, "issues-matrix", conference="pp-14")
    cells = {(r["number"], r["organizationKey"], r["actions"], r["proposals"]) for r in rows}
    assert cells == {
        ("70", "CITEL", "MOD", "1"),
        ("135", "CITEL", "MOD", "1"),
        ("152", "CITEL", "MOD", "1"),
        ("162", "CITEL", "MOD", "1"),
        ("163", "APT", "SUP", "1"),
        ("169", "CITEL", "MOD", "1"),
        ("175", "CITEL", "MOD", "1"),
        ("179", "CITEL", "MOD", "1"),
    }


# --- the rules see what they should -----------------------------------------------------------


def _conference(graph: Graph, key: str, start: str) -> URIRef:
    conference = ID[f"conference/{key}"]
    graph.add((conference, SCHEMA.startDate, Literal(start)))
    return conference


def test_a_superseded_or_later_target_is_reported() -> None:
    graph = Graph()
    pp10 = _conference(graph, "pp-10", "2010-10-04")
    pp14 = _conference(graph, "pp-14", "2014-10-20")
    pp18 = _conference(graph, "pp-18", "2018-10-29")
    resolution = ID["resolution/pp/9901"]
    for key, conference in (("guadalajara-2010", pp10), ("busan-2014", pp14)):
        revision = ID[f"resolution/pp/9901/{key}"]
        graph.add((revision, RDF.type, PP.Revision))
        graph.add((revision, PP.revisionOf, resolution))
        graph.add((revision, PP.adoptedAt, conference))
    stale, early = ID["proposal/pp-18/stale"], ID["proposal/pp-14/early"]
    graph.add((stale, PP.action, ID["action/mod"]))
    graph.add((stale, PP.atConference, pp18))
    graph.add((stale, PP.target, ID["resolution/pp/9901/guadalajara-2010"]))
    graph.add((early, PP.action, ID["action/sup"]))
    graph.add((early, PP.atConference, pp14))
    graph.add((early, PP.target, ID["resolution/pp/9901/busan-2014"]))
    problems = target_in_force_problems(graph)
    assert len(problems) == 2
    assert any(p.startswith(str(stale)) and "superseded" in p for p in problems)
    assert any(p.startswith(str(early)) and "on or after" in p for p in problems)


def test_a_reported_proposal_with_an_identifier_or_a_document_is_reported() -> None:
    graph = Graph()
    proposal = ID["proposal/pp-14/x"]
    graph.add((proposal, PP.knownOnlyFromReport, Literal(True)))
    graph.add((proposal, DCTERMS.identifier, Literal("IAP/1/1")))
    graph.add((proposal, PP.inDocument, ID["document/pp-14/1"]))
    problems = " | ".join(reported_proposal_problems(graph))
    for expected in ("has an identifier", "has a pp:inDocument", "no rdfs:label", "does not cite"):
        assert expected in problems


def test_an_identifier_that_disagrees_with_its_document_is_reported() -> None:
    graph = Graph()
    proposal, document = ID["proposal/pp-14/srl-140-1"], ID["document/pp-14/141"]
    graph.add((proposal, RDF.type, PP.Proposal))
    graph.add((proposal, DCTERMS.identifier, Literal("SRL/140A2/1")))
    graph.add((proposal, PP.atConference, ID["conference/pp-14"]))
    graph.add((proposal, PP.inDocument, document))
    graph.add((document, PP.documentNumber, Literal("141")))
    problems = " | ".join(identifier_problems(graph))
    for expected in ("IRI does not follow", "another document", "disagree on the addendum"):
        assert expected in problems


def test_an_iap_that_disagrees_with_its_list_is_reported() -> None:
    graph = Graph()
    proposal, document = ID["proposal/pp-14/citel-iap-3"], ID["document/pp-14/34-rev1-add1"]
    revision, resolution = ID["resolution/pp/70/guadalajara-2010"], ID["resolution/pp/70"]
    page, pp14 = URIRef("https://example.org/iap-list"), ID["conference/pp-14"]
    graph.add((proposal, PP.submittedBy, ID["org/citel"]))
    graph.add((proposal, RDFS.label, Literal("MOD IAP-3 (CITEL)")))
    graph.add((proposal, DCTERMS.source, page))
    graph.add((proposal, PP.atConference, pp14))
    graph.add((proposal, PP.target, revision))
    graph.add((revision, PP.revisionOf, resolution))
    graph.add((resolution, PP.number, Literal("70")))
    graph.add((document, RDF.type, PP.Contribution))
    graph.add((document, PP.submittedBy, ID["org/citel"]))
    graph.add((document, PP.atConference, pp14))
    graph.add((document, DCTERMS.source, page))
    graph.add((document, DCTERMS.description, Literal("IAP-3: modification of Resolution 179")))
    assert iap_problems(graph) == [f"{proposal}: the list's IAP-3 is not about Resolution 70"]
    graph.remove((document, DCTERMS.source, page))
    assert iap_problems(graph) == [f"{proposal}: IAP-3 is not in its document's list"]
