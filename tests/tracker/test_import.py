"""``plenipot import``: the tracker spreadsheet (DESIGN.md §4) to Turtle, and back again from
``plenipot export --format csv --table proposals``.

The fixtures in tests/fixtures/tracker/ are synthetic: every row says "test" (TEST/9001/1,
document 9001, example.org sources) and points only at real bundled IRIs (PP-22, CEPT, USA,
CAN, Resolution 102, CS Article 1). Each bad-*.csv breaks the rules its name says.
"""

import codecs
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from plenipot.cli.main import main
from plenipot.errors import InputError
from plenipot.namespaces import PP, PPID
from plenipot.sources.bundled import bundled, bundled_files, graph_sources
from plenipot.sources.rdf import graph_name
from plenipot.store.embedded import EmbeddedStore
from plenipot.tracker.build import import_tracker
from plenipot.tracker.tables import COLUMNS, proposal_rows, table_csv
from plenipot.validation.shacl import validate

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tracker"
VALID = FIXTURES / "valid.csv"
HEADER = ",".join(COLUMNS)
P1 = PPID["proposal/pp-22/test-9001-1"]
DRAFT = PPID["draft-resolution/pp-22/synthetic-test-resolution-on-tracker-imports"]


@pytest.fixture(scope="module")
def store():
    opened = EmbeddedStore.open(graph_sources())
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def turtle(store) -> bytes:
    return import_tracker(VALID, store)


@pytest.fixture(scope="module")
def imported(turtle) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


def without_proposals(*extra: Path) -> EmbeddedStore:
    """A store over the bundled ontology and data minus the bundled proposals, plus ``extra``."""
    data = [f for f in bundled_files("data") if "proposals" not in f.parts]
    return EmbeddedStore.open([*graph_sources(include_data=False), *data, *extra])


def write(tmp_path: Path, *rows: str, name: str = "tracker.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def row(**cells: str) -> str:
    """One CSV line: a valid synthetic row with ``cells`` changed."""
    values = {"id": "TEST/9001/1", "conference": "PP-22", "document": "9001", "submitters": "CEPT",
              "action": "MOD", "target": "Resolution 102", "title": "Synthetic test row",
              "status": "submitted", "status_date": "2022-08-01",
              "source": "https://example.org/plenipot-test/tracker", **cells}
    return ",".join(f'"{values.get(column, "")}"' for column in COLUMNS)


# --- a valid file --------------------------------------------------------------------------------

def test_valid_file_has_a_bom_and_multi_values():
    raw = VALID.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert b"USA;CAN" in raw and b"internet-governance;ipv6" in raw


def test_valid_csv_imports_as_turtle(imported):
    proposals = set(imported.subjects(RDF.type, PP.Proposal))
    assert len(proposals) == 4
    assert imported.value(P1, DCTERMS.identifier) == Literal("TEST/9001/1")
    assert imported.value(P1, PP.action) == PPID["action/mod"]
    assert imported.value(P1, PP.atConference) == PPID["conference/pp-22"]
    assert imported.value(P1, PP.inDocument) == PPID["document/pp-22/9001"]
    assert imported.value(P1, PP.status) == PPID["status/submitted"]


def test_semicolon_separated_values(imported):
    assert set(imported.objects(P1, PP.submittedBy)) == {PPID["country/usa"], PPID["country/can"]}
    assert set(imported.objects(P1, PP.topic)) == {PPID["topic/internet-governance"],
                                                  PPID["topic/ipv6"]}
    p2 = PPID["proposal/pp-22/test-9001-2"]
    assert len(set(imported.objects(p2, DCTERMS.source))) == 2


def test_targets_resolve_to_revision_in_force_article_and_draft(imported):
    assert imported.value(P1, PP.target) == PPID["resolution/pp/102/dubai-2018"]
    assert (imported.value(PPID["proposal/pp-22/test-9002a1-1"], PP.target)
            == PPID["instrument/cs/article-1"])
    assert (imported.value(PPID["proposal/pp-22/test-9002a1-2"], PP.target)
            == PPID["resolution/pp/200/dubai-2018"])
    assert imported.value(PPID["proposal/pp-22/test-9001-2"], PP.target) == DRAFT
    assert (DRAFT, RDF.type, PP.DraftResolution) in imported
    assert imported.value(DRAFT, DCTERMS.title) == Literal(
        "Synthetic test resolution on tracker imports", lang="en")


def test_status_change_and_contribution(imported):
    change = URIRef(f"{P1}/status/1")
    assert imported.value(P1, PP.statusChange) == change
    assert imported.value(change, DCTERMS.date) == Literal("2022-08-01", datatype=XSD.date)
    assert imported.value(change, DCTERMS.source) == URIRef(
        "https://example.org/plenipot-test/tracker")
    document = PPID["document/pp-22/9001"]
    assert imported.value(document, PP.documentNumber) == Literal("9001")
    assert imported.value(document, DCTERMS.date) == Literal("2022-08-01", datatype=XSD.date)
    assert set(imported.objects(document, PP.submittedBy)) == {PPID["country/usa"],
                                                               PPID["country/can"]}
    addendum = PPID["document/pp-22/9002-add1"]
    assert imported.value(addendum, PP.addendum) == Literal(1)
    assert imported.value(addendum, DCTERMS.date) is None  # no row of it is "submitted"


def test_output_conforms_with_the_bundled_data(tmp_path, turtle):
    out = tmp_path / "imported.ttl"
    out.write_bytes(turtle)
    report = validate([bundled("data"), out])
    assert [r.message for r in report.results if r.severity != "warning"] == []
    # warnings: only late contributions — the bundled data's intended one(s) (cept.ttl at PP-22),
    # and the sample's document of 1 August 2022, after PP-22's deadline for proposals (26 May)
    assert {r.rule for r in report.results} == {"contribution-late"}, report.results
    alone = {r.focus for r in validate([bundled("data")]).results}
    assert {r.focus for r in report.results} - alone == {str(PPID["document/pp-22/9001"])}


def test_file_without_bom_gives_the_same_graph(tmp_path, store, imported):
    plain = tmp_path / "plain.csv"
    plain.write_bytes(VALID.read_bytes()[len(codecs.BOM_UTF8):])
    again = Graph().parse(data=import_tracker(plain, store), format="turtle")
    assert set(again) == set(imported)


def test_codes_in_any_case_and_the_revision_in_force_at_an_earlier_conference(tmp_path, store):
    path = write(tmp_path,
                 row(conference="pp-18", action="mod", target="PP Resolution 102",
                     submitters="cept", status_date="2018-09-01"))
    graph = Graph().parse(data=import_tracker(path, store), format="turtle")
    first = PPID["proposal/pp-18/test-9001-1"]
    assert graph.value(first, PP.target) == PPID["resolution/pp/102/busan-2014"]
    assert graph.value(first, PP.submittedBy) == PPID["org/cept"]


def test_a_mod_of_a_resolution_with_no_revision_in_force_is_told_at_its_cell(tmp_path, store):
    # no revision of Resolution 122 is known: a MOD of it would not validate (decision 0009)
    path = write(tmp_path, row(id="TEST/9001/2", target="Res. 122"))
    with pytest.raises(InputError) as raised:
        import_tracker(path, store)
    assert "tracker.csv:2: column 'target': 'Res. 122': the graph knows no revision" in str(
        raised.value.message)


# --- the command ---------------------------------------------------------------------------------

def test_command_writes_the_file(tmp_path):
    out = tmp_path / "out.ttl"
    assert main(["import", str(VALID), "-o", str(out)]) == 0
    graph = Graph().parse(out, format="turtle")
    assert len(set(graph.subjects(RDF.type, PP.Proposal))) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]  # no temporary left


def test_command_writes_stdout_by_default(capsysbinary):
    assert main(["import", str(VALID)]) == 0
    graph = Graph().parse(data=capsysbinary.readouterr().out, format="turtle")
    assert (P1, RDF.type, PP.Proposal) in graph


BAD = {
    "bad-action.csv": [
        "bad-action.csv:3: column 'action': 'MODX' is not one of ADD, MOD, SUP, NOC"],
    "missing-columns.csv": [
        "missing-columns.csv:1: missing required column(s): 'status', 'status_date'"],
    "unknown-codes.csv": [
        "unknown-codes.csv:2: column 'conference': 'PP-99' is not",
        "unknown-codes.csv:3: column 'submitters': 'XTEST' is not",
        "unknown-codes.csv:3: column 'target': 'Resolution 9999': there is no PP Resolution 9999",
        "unknown-codes.csv:3: column 'status': 'not-a-status' is not a status",
        "unknown-codes.csv:3: column 'issue_areas': 'not-an-area' is not an issue area",
        "unknown-codes.csv:3: column 'topics': 'not-a-topic' is not a topic",
        "unknown-codes.csv:4: column 'target': 'WTSA Resolution 9999': there is no WTSA",
    ],
    "bad-values.csv": [
        "bad-values.csv:2: column 'id': 'test-9001-1' is not an ITU proposal identifier",
        "bad-values.csv:2: column 'document': 'Doc 9001' is not a document number",
        "bad-values.csv:2: column 'status_date': '13/10/2022' is not a date",
        "bad-values.csv:2: column 'source': 'example.org/plenipot-test' is not a URL",
        "bad-values.csv:3: column 'submitters': the cell is empty",
        "bad-values.csv:3: column 'target': 'the Internet resolution' is not a target",
        "bad-values.csv:3: column 'status_date': '2022-02-30' is not a date",
        "bad-values.csv:5: column 'id': 'TEST/9001/3' at PP-22 is already on line 4",
    ],
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_exits_2_naming_row_and_column_and_writes_nothing(name, tmp_path, capsys):
    out = tmp_path / "out.ttl"
    assert main(["import", str(FIXTURES / name), "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.removeprefix("plenipot import: ").splitlines()
    for expected in BAD[name]:
        assert any(line.startswith(str(FIXTURES / expected.split(":")[0]))
                   and expected.split(":", 1)[1] in line for line in lines), (expected, lines)
    assert len(lines) == len(BAD[name])  # one line per problem, nothing else
    assert list(tmp_path.iterdir()) == []


def test_every_problem_is_reported_before_giving_up(store):
    with pytest.raises(InputError) as caught:
        import_tracker(FIXTURES / "unknown-codes.csv", store)
    assert len(caught.value.message.splitlines()) == 7


@pytest.mark.parametrize(("content", "expected"), [
    (b"", ":1: the header row is missing"),
    (b"id;conference;document\n", "(the file looks ';'-separated"),
    (HEADER.encode() + b",notes\n", ":1: unknown column(s): 'notes'"),
    (HEADER.encode() + b"\n" + row().encode() + b',"extra"\n', ":2: the row has 14 cells"),
    (HEADER.encode() + b'\n"TEST/9001/1,PP-22\n', ":2: not a readable CSV row"),
    (HEADER.encode() + b"\n" + row(title="caf\xe9").encode("latin-1"), ":2: not UTF-8 text"),
])
def test_unreadable_files(tmp_path, store, content, expected):
    path = tmp_path / "tracker.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        import_tracker(path, store)
    assert expected in caught.value.message
    assert caught.value.message.startswith(str(path))


def test_action_and_target_must_agree(tmp_path, store):
    path = write(tmp_path, row(action="ADD"), row(id="TEST/9001/2", target="new: Synthetic test"))
    with pytest.raises(InputError) as caught:
        import_tracker(path, store)
    lines = caught.value.message.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(":2: column 'target': 'Resolution 102': an ADD proposes new text; "
                             "write 'new: <title>' for a new resolution, or use MOD")
    assert ":3: column 'target': 'new: Synthetic test': a MOD proposal changes" in lines[1]


def test_status_date_before_the_document_date(tmp_path, store):
    path = write(tmp_path, row(status_date="2022-08-05"),
                 row(id="TEST/9001/2", status="withdrawn", status_date="2022-08-01"))
    with pytest.raises(InputError) as caught:
        import_tracker(path, store)
    assert caught.value.message.endswith(
        ":3: column 'status_date': 2022-08-01 is before the date of document 9001, 2022-08-05 "
        "(the status date of its 'submitted' rows)")


def test_header_only_gives_an_empty_graph(tmp_path, store):
    graph = Graph().parse(data=import_tracker(write(tmp_path), store), format="turtle")
    assert len(graph) == 0


def test_output_folder_is_refused(tmp_path, capsys):
    assert main(["import", str(VALID), "-o", str(tmp_path)]) == 2
    assert "parameter '--output'" in capsys.readouterr().err


# --- the round trip with ``plenipot export --format csv --table proposals`` ------------------

def facts(rows: list[dict]) -> list[tuple]:
    return sorted((r["id"], r["_conference_iri"], r["_document_iri"], r["_action_iri"],
                   tuple(r["_submitter_iris"]), r["_target_iri"], r["_status_iri"],
                   r["status_date"]) for r in rows)


def test_export_of_the_bundled_data_imports_to_the_same_proposals(tmp_path, store):
    exported = tmp_path / "bundled.csv"
    exported.write_bytes(table_csv(store, "proposals"))
    out = tmp_path / "again.ttl"
    out.write_bytes(import_tracker(exported, store))
    again = without_proposals(out)
    try:
        assert facts(proposal_rows(again)) == facts(proposal_rows(store))
        assert len(proposal_rows(again)) >= 1
    finally:
        again.close()


def test_import_export_import_is_stable(tmp_path, turtle):
    first = tmp_path / "first.ttl"
    first.write_bytes(turtle)
    graph = without_proposals(first)
    try:
        exported = tmp_path / "exported.csv"
        exported.write_bytes(table_csv(graph, "proposals"))
        second = import_tracker(exported, graph, replaces=frozenset({str(graph_name(first))}))
    finally:
        graph.close()
    assert set(Graph().parse(data=second, format="turtle")) == set(
        Graph().parse(data=turtle, format="turtle"))
