"""Facts of the PP-22 contributions and proposals (data/proposals/pp-22/*.ttl), on the parsed files.

Each rule is a function that lists what is wrong (empty when all is well); the tests run the
rules on the bundled files and on small broken graphs, so a rule that stopped looking would fail.
Targets and submitters are looked up in the whole bundled graph (ontology and data).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from plenipot.sources.bundled import graph_sources

PP = Namespace("https://w3id.org/plenipot/def#")
ID = Namespace("https://w3id.org/plenipot/id/")
SCHEMA = Namespace("https://schema.org/")

PROPOSAL_DIR = Path(__file__).resolve().parents[2] / "data" / "proposals" / "pp-22"
PP22 = ID["conference/pp-22"]
IDENTIFIER = re.compile(r"^([A-Z]{2,5})/(\d+)(?:A(\d+))?/(\d+)$")
CHANGING = {ID["action/mod"], ID["action/sup"], ID["action/noc"]}


@pytest.fixture(scope="module")
def proposals() -> Graph:
    graph = Graph()
    for path in sorted(PROPOSAL_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def bundled() -> Graph:
    graph = Graph()
    for path in graph_sources():
        graph.parse(path, format="turtle")
    return graph


def _key(identifier: str) -> str:
    return identifier.lower().replace("/", "-")


# --- rules ------------------------------------------------------------------------------------


def identifier_problems(graph: Graph) -> list[str]:
    """Identifier form, the IRI built from it, and its agreement with the document it is in."""
    problems = []
    for proposal in sorted(graph.subjects(RDF.type, PP.Proposal)):
        if (proposal, PP.knownOnlyFromReport, Literal(True)) in graph:
            if graph.value(proposal, DCTERMS.identifier) is not None:
                problems.append(f"{proposal}: known only from a report, yet has an identifier")
            continue
        identifier = str(graph.value(proposal, DCTERMS.identifier))
        match = IDENTIFIER.match(identifier)
        if not match:
            problems.append(f"{proposal}: identifier {identifier!r} is not PREFIX/44A1/1")
            continue
        if proposal != ID[f"proposal/pp-22/{_key(identifier)}"]:
            problems.append(f"{proposal}: IRI does not follow identifier {identifier}")
        document = graph.value(proposal, PP.inDocument)
        number, addendum = match.group(2), match.group(3)
        if str(graph.value(document, PP.documentNumber)) != number:
            problems.append(f"{proposal}: {identifier} names document {number}, not {document}")
        stated = graph.value(document, PP.addendum)
        if (stated.toPython() if stated is not None else None) != (
            int(addendum) if addendum else None
        ):
            problems.append(f"{proposal}: {identifier} and {document} disagree on the addendum")
    return problems


def submitter_problems(graph: Graph, bundled: Graph) -> list[str]:
    """Submitters exist; a regional organization's proposals carry its proposal prefix."""
    problems = []
    for subject in sorted(set(graph.subjects(PP.submittedBy, None))):
        for submitter in graph.objects(subject, PP.submittedBy):
            if not {PP.RegionalOrganization, PP.MemberState} & set(
                bundled.objects(submitter, RDF.type)
            ):
                problems.append(f"{subject}: submitter {submitter} is not in the data")
            prefix = bundled.value(submitter, PP.proposalPrefix)
            identifier = graph.value(subject, DCTERMS.identifier)
            if (
                prefix is not None
                and identifier is not None
                and not str(identifier).startswith(f"{prefix}/")
            ):
                problems.append(f"{subject}: {identifier} lacks {submitter}'s prefix {prefix}")
    return problems


def status_problems(graph: Graph) -> list[str]:
    """Numbered, dated, sourced status history ending in pp:status, never before the document."""
    problems = []
    for proposal in sorted(graph.subjects(RDF.type, PP.Proposal)):
        changes = sorted(
            graph.objects(proposal, PP.statusChange),
            key=lambda c: (str(graph.value(c, DCTERMS.date)), str(c)),
        )
        if not changes:
            problems.append(f"{proposal}: no status history")
            continue
        for position, change in enumerate(changes, start=1):
            if change != URIRef(f"{proposal}/status/{position}"):
                problems.append(f"{proposal}: status change {change} is not number {position}")
            if (change, RDF.type, PP.StatusChange) not in graph:
                problems.append(f"{change}: not typed pp:StatusChange")
            if graph.value(change, DCTERMS.source) is None:
                problems.append(f"{change}: no dcterms:source")
            date = graph.value(change, DCTERMS.date)
            if not isinstance(date, Literal) or date.datatype != XSD.date:
                problems.append(f"{change}: no xsd:date")
        if graph.value(changes[-1], PP.status) != graph.value(proposal, PP.status):
            problems.append(f"{proposal}: last status change is not pp:status")
        document_date = graph.value(graph.value(proposal, PP.inDocument), DCTERMS.date)
        first = graph.value(changes[0], DCTERMS.date)
        if document_date is not None and first is not None and str(first) < str(document_date):
            problems.append(f"{proposal}: a status date is before the document date")
    return problems


def target_problems(graph: Graph, bundled: Graph) -> list[str]:
    """MOD/SUP/NOC change a revision in force before PP-22 (or an article); ADD a draft."""
    problems = []
    start = str(bundled.value(PP22, SCHEMA.startDate))
    for proposal in sorted(graph.subjects(RDF.type, PP.Proposal)):
        target = graph.value(proposal, PP.target)
        types = set(bundled.objects(target, RDF.type)) | set(graph.objects(target, RDF.type))
        if graph.value(proposal, PP.action) in CHANGING:
            if PP.Article in types:
                continue
            if PP.Revision not in types:
                problems.append(f"{proposal}: target {target} is not a revision in the data")
                continue
            adopted = bundled.value(bundled.value(target, PP.adoptedAt), SCHEMA.startDate)
            if adopted is None or str(adopted) >= start:
                problems.append(f"{proposal}: target {target} was not in force before PP-22")
        elif PP.DraftResolution not in types or graph.value(target, DCTERMS.title) is None:
            problems.append(f"{proposal}: ADD target {target} is not a titled draft resolution")
    return problems


def contribution_problems(graph: Graph) -> list[str]:
    """Contribution IRIs, numbers, dates, conference and sources."""
    problems = []
    end = "2022-10-14"
    for document in sorted(graph.subjects(RDF.type, PP.Contribution)):
        number = str(graph.value(document, PP.documentNumber))
        addendum = graph.value(document, PP.addendum)
        key = number + (f"-add{addendum}" if addendum is not None else "")
        if document != ID[f"document/pp-22/{key}"]:
            problems.append(f"{document}: IRI is not document/pp-22/{key}")
        date = graph.value(document, DCTERMS.date)
        if not isinstance(date, Literal) or date.datatype != XSD.date or str(date) > end:
            problems.append(f"{document}: no xsd:date before the end of PP-22")
        if graph.value(document, PP.atConference) != PP22:
            problems.append(f"{document}: not at PP-22")
        for prop in (DCTERMS.title, DCTERMS.source, PP.submittedBy):
            if graph.value(document, prop) is None:
                problems.append(f"{document}: no {graph.qname(prop)}")
    return problems


# --- the bundled files ------------------------------------------------------------------------


def test_files_hold_contributions_and_proposals(proposals: Graph) -> None:
    assert list(proposals.subjects(RDF.type, PP.Contribution))
    assert list(proposals.subjects(RDF.type, PP.Proposal))


def test_ecp_7_on_resolution_130(proposals: Graph) -> None:
    document = ID["document/pp-22/44-add7"]
    assert proposals.value(document, PP.documentNumber) == Literal("44")
    assert proposals.value(document, PP.addendum).toPython() == 7
    assert str(proposals.value(document, DCTERMS.date)) == "2022-06-03"
    assert proposals.value(document, PP.submittedBy) == ID["org/cept"]
    proposal = ID["proposal/pp-22/eur-44a7-1"]
    assert proposals.value(proposal, DCTERMS.identifier) == Literal("EUR/44A7/1")
    assert proposals.value(proposal, PP.action) == ID["action/mod"]
    assert proposals.value(proposal, PP.target) == ID["resolution/pp/130/dubai-2018"]
    assert proposals.value(proposal, PP.inDocument) == document


def test_identifiers(proposals: Graph) -> None:
    assert identifier_problems(proposals) == []


def test_submitters(proposals: Graph, bundled: Graph) -> None:
    assert submitter_problems(proposals, bundled) == []


def test_status_histories(proposals: Graph) -> None:
    assert status_problems(proposals) == []


def test_targets_exist_in_the_bundled_data(proposals: Graph, bundled: Graph) -> None:
    assert target_problems(proposals, bundled) == []


def test_contributions(proposals: Graph) -> None:
    assert contribution_problems(proposals) == []


def test_every_described_resource_is_sourced(proposals: Graph) -> None:
    typed = set(proposals.subjects(RDF.type, None))
    assert typed
    assert {s for s in typed if proposals.value(s, DCTERMS.source) is None} == set()


# --- the rules catch what they should ---------------------------------------------------------

_BROKEN = """
@prefix pp: <https://w3id.org/plenipot/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/plenipot/id/> .
<https://w3id.org/plenipot/id/document/pp-22/44-add2> a pp:Contribution ;
    pp:documentNumber "44" ; pp:addendum 2 ; dcterms:date "2022-06-03"^^xsd:date ;
    pp:atConference <https://w3id.org/plenipot/id/conference/pp-22> ;
    pp:submittedBy <https://w3id.org/plenipot/id/org/cept> ;
    dcterms:title "x"@en ; dcterms:source <https://example.org/> .
<https://w3id.org/plenipot/id/proposal/pp-22/eur-44a7-1> a pp:Proposal ;
    dcterms:identifier "EUR/44A7/1" ;
    pp:submittedBy <https://w3id.org/plenipot/id/org/citel> ;
    pp:action <https://w3id.org/plenipot/id/action/mod> ;
    pp:target <https://w3id.org/plenipot/id/resolution/pp/102/bucharest-2022> ;
    pp:inDocument <https://w3id.org/plenipot/id/document/pp-22/44-add2> ;
    pp:status <https://w3id.org/plenipot/id/status/adopted> ;
    pp:statusChange <https://w3id.org/plenipot/id/proposal/pp-22/eur-44a7-1/status/1> .
<https://w3id.org/plenipot/id/proposal/pp-22/eur-44a7-1/status/1> a pp:StatusChange ;
    pp:status <https://w3id.org/plenipot/id/status/submitted> ;
    dcterms:date "2022-05-01"^^xsd:date ; dcterms:source <https://example.org/> .
"""


def test_rules_report_a_broken_proposal(bundled: Graph) -> None:
    graph = Graph().parse(data=_BROKEN, format="turtle")
    proposal = "https://w3id.org/plenipot/id/proposal/pp-22/eur-44a7-1"
    document = "https://w3id.org/plenipot/id/document/pp-22/44-add2"
    assert identifier_problems(graph) == [
        f"{proposal}: EUR/44A7/1 and {document} disagree on the addendum"
    ]
    assert submitter_problems(graph, bundled) == [
        f"{proposal}: EUR/44A7/1 lacks https://w3id.org/plenipot/id/org/citel's prefix IAP"
    ]
    assert status_problems(graph) == [
        f"{proposal}: last status change is not pp:status",
        f"{proposal}: a status date is before the document date",
    ]
    assert target_problems(graph, bundled) == [
        f"{proposal}: target https://w3id.org/plenipot/id/resolution/pp/102/bucharest-2022"
        " was not in force before PP-22"
    ]
    assert contribution_problems(graph) == []
