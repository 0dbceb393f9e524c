"""The proposals list and the issues matrix (plenipot.tracker.tables), on the synthetic matrix
sample."""

import csv
import io
from pathlib import Path

import pytest

from plenipot.errors import ParameterError
from plenipot.namespaces import PPID
from plenipot.store.embedded import EmbeddedStore
from plenipot.tracker.matrix import Matrix, issues_matrix
from plenipot.tracker.tables import COLUMNS, proposal_rows, write_csv

SAMPLE = Path(__file__).parents[1] / "fixtures" / "valid" / "matrix-sample.ttl"
PROPOSAL_IDS = ["TSA/1A1/1", "TSA/1A1/2", "TSB/2/1", "XAA-XAB/3R1/1", "XAA/3R1/2"]


@pytest.fixture(scope="module")
def store():
    store = EmbeddedStore.open([SAMPLE])
    yield store
    store.close()


def ids(rows):
    return [row["id"] for row in rows]


def by_id(rows):
    return {row["id"]: row for row in rows}


def test_one_row_per_proposal_with_exactly_the_tracker_columns(store):
    rows = proposal_rows(store)
    assert ids(rows) == PROPOSAL_IDS
    for row in rows:
        assert tuple(k for k in row if not k.startswith("_")) == COLUMNS


def test_cells_hold_codes_not_iris(store):
    row = by_id(proposal_rows(store))["TSA/1A1/1"]
    assert {k: row[k] for k in COLUMNS} == {
        "id": "TSA/1A1/1", "conference": "TEST-PP-1", "document": "1(Add.1)",
        "submitters": "TSTA", "action": "MOD", "target": "Resolution 9001",
        "title": "Test: update cyber things",
        "summary": "Synthetic summary, with a comma; and a semicolon.",
        "issue_areas": "cybersecurity", "topics": "artificial-intelligence;cybersecurity",
        "status": "adopted-with-modifications", "status_date": "2099-01-20",
        "source": "https://example.org/test/doc-1-add1",
    }


def test_iris_for_links_sit_in_underscore_keys(store):
    row = by_id(proposal_rows(store))["TSA/1A1/1"]
    assert row["_iri"] == PPID["proposal/test-pp-1/tsa-1a1-1"]
    assert row["_target_iri"] == PPID["resolution/pp/9001/test-city-2095"]
    assert row["_instrument_iri"] == PPID["resolution/pp/9001"]
    assert row["_submitter_iris"] == [PPID["org/test-rto-alpha"]]
    assert row["_status_iri"] == PPID["status/adopted-with-modifications"]
    assert row["_document_iri"] == PPID["document/test-pp-1/1-add1"]


def test_targets_documents_and_several_submitters(store):
    rows = by_id(proposal_rows(store))
    joint = rows["XAA-XAB/3R1/1"]
    assert joint["submitters"] == "XAA;XAB"
    assert joint["target"] == "new: test new thing"
    assert joint["document"] == "3(Rev.1)"
    assert joint["status_date"] == "2099-01-10"  # from prov:atTime, as a date
    assert rows["XAA/3R1/2"]["target"] == "CS Article 1"
    assert rows["XAA/3R1/2"]["status_date"] == ""  # no dated change: left empty, not invented
    assert rows["TSA/1A1/2"]["action"] == "SUP"


@pytest.mark.parametrize(("filters", "expected"), [
    ({"conference": "TEST-PP-1"}, PROPOSAL_IDS),
    ({"conference": "test-pp-1"}, PROPOSAL_IDS),
    ({"conference": str(PPID["conference/test-pp-1"])}, PROPOSAL_IDS),
    ({"conference": "test-pp-0"}, []),
    ({"issue_area": "cybersecurity"}, ["TSA/1A1/1", "TSB/2/1"]),
    ({"status": "withdrawn"}, ["XAA/3R1/2"]),
    ({"submitter": "xab"}, ["XAA-XAB/3R1/1"]),
    ({"submitter": "XAA"}, ["XAA-XAB/3R1/1", "XAA/3R1/2"]),
    ({"submitter": str(PPID["org/test-rto-beta"])}, ["TSB/2/1"]),
    ({"issue_area": "cybersecurity", "status": "submitted"}, ["TSB/2/1"]),
])
def test_filters(store, filters, expected):
    assert ids(proposal_rows(store, **filters)) == expected


@pytest.mark.parametrize(("parameter", "value"), [
    ("conference", 'pp-22" } UNION { ?s ?p ?o'),
    ("issue_area", "cyber security"),
    ("status", "https://example.org/a b"),
    ("submitter", "CEPT'} #"),
])
def test_a_malformed_filter_is_a_parameter_error_naming_it(store, parameter, value):
    with pytest.raises(ParameterError) as error:
        proposal_rows(store, **{parameter: value})
    assert error.value.parameter == parameter


def test_matrix_columns_put_regional_organizations_before_member_states(store):
    matrix = issues_matrix(store)
    assert [(c.code, c.kind) for c in matrix.columns] == [
        ("TSTA", "regional-organization"), ("TSTB", "regional-organization"),
        ("XAA", "member-state"), ("XAB", "member-state")]


def test_matrix_rows_are_grouped_by_issue_area(store):
    matrix = issues_matrix(store)
    groups = {g.key: [r.label for r in g.rows] for g in matrix.groups}
    assert groups == {
        "cybersecurity": ["Resolution 9001", "Resolution 9002"],
        "emerging-technologies": ["new: test new thing"],  # from its proposal's issue area
        "standardization": ["Resolution 9002"],  # a resolution in two areas sits in both
        "": ["CS Article 1"],
    }
    assert matrix.groups[-1].label == "No issue area"
    assert matrix.groups[0].label == "Cybersecurity"


def test_matrix_cells_list_the_proposals(store):
    matrix = issues_matrix(store)
    res_9001, alpha, beta = (PPID["resolution/pp/9001"], PPID["org/test-rto-alpha"],
                             PPID["org/test-rto-beta"])
    assert matrix.cell(res_9001, alpha) == [
        ("TSA/1A1/1", "MOD", "adopted-with-modifications",
         PPID["proposal/test-pp-1/tsa-1a1-1"])]
    assert [c.proposal for c in matrix.cell(res_9001, beta)] == ["TSB/2/1"]
    new = PPID["draft-resolution/test-pp-1/test-new-thing"]
    assert matrix.cell(new, PPID["country/xaa"]) == matrix.cell(new, PPID["country/xab"])
    assert matrix.cell(res_9001, PPID["country/xaa"]) == []


def test_matrix_filters(store):
    matrix = issues_matrix(store, status="not-adopted")
    assert [r.label for r in matrix.rows] == ["Resolution 9002"]
    # every regional organization stays a column, even with nothing in it
    assert [c.code for c in matrix.columns] == ["TSTA", "TSTB"]
    assert matrix.cell(PPID["resolution/pp/9002"], PPID["org/test-rto-beta"]) == []
    matrix = issues_matrix(store, issue_area="standardization", conference="TEST-PP-1")
    assert [g.key for g in matrix.groups] == ["standardization"]
    # a conference with no proposals still lists every tracked resolution, with empty cells
    empty = issues_matrix(store, conference="test-pp-0")
    assert {r.label for r in empty.rows} == {"Resolution 9001", "Resolution 9002"}
    assert not empty.cells
    with pytest.raises(ParameterError):
        issues_matrix(store, issue_area="not a key")


def test_proposals_csv_carries_the_tracker_columns_and_no_iris(store):
    buffer = io.StringIO(newline="")
    write_csv(proposal_rows(store), buffer)
    buffer.seek(0)
    reader = csv.DictReader(buffer)
    assert tuple(reader.fieldnames) == COLUMNS
    rows = list(reader)
    assert [r["id"] for r in rows] == PROPOSAL_IDS
    assert rows[0]["summary"] == "Synthetic summary, with a comma; and a semicolon."


def test_matrix_csv(store):
    buffer = io.StringIO(newline="")
    matrix = issues_matrix(store)
    assert isinstance(matrix, Matrix)
    write_csv(matrix, buffer)
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[0] == ["issue_area", "resolution", "title", "TSTA", "TSTB", "XAA", "XAB",
                       "outcome", "positions"]
    assert rows[1][:5] == ["cybersecurity", "Resolution 9001",
                           "Test resolution on cyber things (synthetic)",
                           "MOD TSA/1A1/1 (adopted-with-modifications)", "MOD TSB/2/1 (submitted)"]
    assert len(rows) == 1 + sum(len(g.rows) for g in matrix.groups)


def test_matrix_outcome_is_the_revision_the_conference_adopted_or_no_change(store):
    outcomes = {row.label: row.outcome for row in issues_matrix(store, conference="test-pp-1").rows}
    assert outcomes["Resolution 9001"] == outcomes["Resolution 9002"] == "no change"
    assert outcomes["CS Article 1"] == ""  # not a resolution: no outcome column value
    earlier = {row.label: (row.outcome, row.outcome_iri)
               for row in issues_matrix(store, conference="test-pp-0").rows}
    assert earlier["Resolution 9001"][1] == PPID["resolution/pp/9001/test-city-2095"]
    assert earlier["Resolution 9001"][0] not in ("", "no change")
    assert all(row.outcome == "" for row in issues_matrix(store).rows)  # no conference chosen


def test_matrix_short_names():
    from plenipot.tracker.matrix import short_name

    assert short_name("ARAB", ["Arab States", "LAS"]) == "Arab States"
    assert short_name("CEPT", ["CEPT"]) == "CEPT"
    assert short_name("APT", ["Asia-Pacific Telecommunity"]) == "APT"


def test_matrix_csv_of_the_bundled_data_carries_what_the_page_shows():
    from plenipot.sources.bundled import graph_sources
    from plenipot.tracker.tables import table_csv

    bundled = EmbeddedStore.open(graph_sources())
    try:
        text = table_csv(bundled, "issues-matrix", conference="pp-22").decode("utf-8")
    finally:
        bundled.close()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["issue_area", "resolution", "title"]
    assert rows[0][-2:] == ["outcome", "positions"]
    assert {"APT", "ATU", "Arab States", "CEPT", "CITEL", "RCC"} <= set(rows[0])
    by_label = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_label["Resolution 130"]["CEPT"] == "MOD EUR/44A7/1 (submitted)"
    assert by_label["Resolution 130"]["APT"] == ""  # an empty cell is information
    # every tracked resolution is a row, with an outcome: a Bucharest revision or "no change"
    outcomes = {row["outcome"] for row in by_label.values() if row["resolution"].startswith("Res")}
    assert "no change" in outcomes and any("2022" in o for o in outcomes)
    assert "isoc: " in by_label["Resolution 102"]["positions"]
