"""Deadlines by kind (DESIGN.md §4): PP-22's two proposal deadlines, and a late-contribution
check (the named query and the SHACL warning) that uses the deadline that applies to the
document, on the bundled data and on a synthetic fixture with every case."""

from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal, Namespace

from plenipot.queries.catalogue import get_query, run
from plenipot.sources.bundled import graph_sources
from plenipot.store.embedded import EmbeddedStore
from plenipot.validation import shacl as validation

PP = Namespace("https://w3id.org/plenipot/def#")
ID = Namespace("https://w3id.org/plenipot/id/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SAMPLE = Path(__file__).parents[1] / "fixtures" / "valid" / "deadlines-sample.ttl"
SUBMISSION_PAGE = "https://itu-app42372.pagelyhosting.com/en/wp-json/wp/v2/pages/176"


def answer(store, name: str, **values: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in run(get_query(name), values, store).rows]


@pytest.fixture(scope="module")
def sample_store():
    opened = EmbeddedStore.open([*graph_sources(include_data=False), SAMPLE])
    yield opened
    opened.close()


def test_pp22_has_a_deadline_of_each_kind(graph: Graph) -> None:
    found = {}
    for node in graph.objects(ID["conference/pp-22"], PP.deadline):
        kind = graph.value(node, PP.deadlineKind)
        found[str(kind).rsplit("/", 1)[1]] = graph.value(node, DCTERMS.date)
        assert (node, DCTERMS.source, None) in graph
    assert found == {
        "cs-cv-amendments": Literal("2022-01-26", datatype=XSD.date),
        "other-proposals": Literal("2022-05-26", datatype=XSD.date),
    }
    amendments = ID["conference/pp-22/deadline/cs-cv-amendments"]
    assert set(graph.objects(amendments, PP.appliesToInstrument)) == {
        ID["instrument/cs"],
        ID["instrument/cv"],
    }


def test_the_seed_cut_off_stays_the_general_deadline(graph: Graph) -> None:
    general = graph.value(ID["conference/pp-22"], PP.contributionDeadline)
    assert general == Literal("2022-09-05", datatype=XSD.date)


def test_the_bundled_ecp_of_3_june_is_late_against_26_may(store) -> None:
    rows = answer(store, "late-contributions", conference="PP-22")
    late = {r["document"]: (r["date"], r["deadline"], r["deadlineKind"]) for r in rows}
    assert late[str(ID["document/pp-22/44-add7"])] == (
        "2022-06-03",
        "2022-05-26",
        "other-proposals",
    )


def test_conference_overview_lists_the_deadlines_by_kind(store) -> None:
    (row,) = answer(store, "conference-overview", conference="PP-22")
    assert row["deadline"] == "2022-09-05"
    assert row["deadlinesByKind"] == "2022-01-26 cs-cv-amendments; 2022-05-26 other-proposals"


def test_late_contributions_use_the_deadline_that_applies(sample_store) -> None:
    rows = answer(sample_store, "late-contributions")
    assert [(r["number"], r["deadline"], r["deadlineKind"]) for r in rows] == [
        ("1", "2098-01-26", "cs-cv-amendments"),
        ("3", "2098-05-26", "other-proposals"),
    ]


def test_the_shacl_warning_agrees_with_the_query() -> None:
    report = validation.validate([*graph_sources(include_data=False), SAMPLE], bundled=False)
    late = sorted(
        r.focus.rsplit("/", 1)[1] for r in report.results if r.rule == "contribution-late"
    )
    assert late == ["1", "3"]
