"""``plenipot import`` against the graph: a realistic sheet, rows for proposals the graph already
holds, every shape checked at import, workbooks, and atomic output.

``tests/fixtures/tracker/realistic.csv`` has 49 rows: EUR/44A7/1 (the real proposal of the
bundled data, with a synthetic new status) and 48 SYNTHETIC TEST rows (TEST/91xx/n, example.org
sources) from the six regional organizations and three member states, with every action and
every status, pointing only at real bundled IRIs.
"""

import csv
import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from plenipot.cli.main import main
from plenipot.namespaces import PP, PPID
from plenipot.sources.bundled import graph_sources
from plenipot.store.embedded import EmbeddedStore
from plenipot.tracker.tables import COLUMNS, proposal_rows
from plenipot.validation.shacl import validate

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tracker"
REALISTIC = FIXTURES / "realistic.csv"
EUR = PPID["proposal/pp-22/eur-44a7-1"]
SOURCE = "https://example.org/plenipot-test/realistic-sheet"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def sheet_rows(path: Path = REALISTIC) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def eur_row(status: str, status_date: str, title: str = "") -> list[str]:
    return ["EUR/44A7/1", "PP-22", "44(Add.7)", "CEPT", "MOD", "Resolution 130", title, "",
            "cybersecurity", "cybersecurity", status, status_date, SOURCE]


@pytest.fixture(scope="module")
def realistic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("realistic") / "proposals.ttl"
    assert main(["import", str(REALISTIC), "-o", str(out)]) == 0
    return out


# --- a realistic sheet -------------------------------------------------------------------------

def test_realistic_sheet_covers_every_action_status_and_regional_organization():
    rows = sheet_rows()[1:]
    assert len(rows) >= 40
    assert {r[4] for r in rows} == {"ADD", "MOD", "SUP", "NOC"}
    assert {r[10] for r in rows} == {"submitted", "under-consideration", "adopted",
                                    "adopted-with-modifications", "merged", "not-adopted",
                                    "withdrawn"}
    submitters = {code for r in rows for code in r[3].split(";")}
    assert {"APT", "ATU", "CEPT", "CITEL", "RCC", "ARAB", "USA", "CAN"} <= submitters


def test_realistic_import_validates_beside_the_bundled_data(realistic):
    report = validate([realistic])
    assert not [(r.focus, r.message) for r in report.results if r.severity != "warning"]
    # the warnings are late contributions only: the bundled data's intended one (cept.ttl at
    # PP-22), and the synthetic sheet's documents dated after PP-22's deadline of 26 May 2022
    assert {r.rule for r in report.results} == {"contribution-late"}, report.results[:5]
    assert any("/document/pp-22/91" in r.focus for r in report.results)


def test_realistic_import_answers_the_named_queries(realistic, capsys):
    code, out, _ = run(capsys, "query", "proposals-for-resolution", "--param", "number=102",
                       "--format", "json", "--data", realistic)
    assert code == 0
    found = json.dumps(json.loads(out))
    assert "TEST/9101/9" in found and "TEST/9107/9" in found
    code, out, _ = run(capsys, "query", "proposals-by-status", "--param", "status=withdrawn",
                       "--format", "csv", "--data", realistic)
    assert code == 0 and "TEST/" in out


def test_round_trip_sheet_graph_csv_graph_is_identical(realistic, tmp_path, capsys):
    exported = tmp_path / "exported.csv"
    code, _, _ = run(capsys, "export", "--format", "csv", "--table", "proposals",
                     "--data", realistic, "-o", exported)
    assert code == 0
    ids = {r[0] for r in sheet_rows(exported)[1:]}
    mine = {r[0] for r in sheet_rows()[1:]}
    assert mine <= ids
    # the export also has the bundled data's proposals (real ones now, some known only from a
    # report); imported, they would be copied into the file (test_import checks they import to
    # the same proposals). The round trip is the sheet's: its rows of the export, as exported.
    rows = sheet_rows(exported)
    sheet = write_csv(tmp_path / "mine.csv", [rows[0], *(r for r in rows[1:] if r[0] in mine)])
    assert len(sheet_rows(sheet)) == len(sheet_rows())
    again = tmp_path / "again.ttl"
    again.write_bytes(realistic.read_bytes())  # the import replaces its earlier output
    code, _, err = run(capsys, "import", sheet, "-o", again, "--data", again)
    assert code == 0, err
    first = Graph().parse(realistic)
    second = Graph().parse(again)
    assert set(first) == set(second)


# --- a row for a proposal the graph holds ------------------------------------------------------

def test_row_for_a_bundled_proposal_appends_a_dated_sourced_status(tmp_path, capsys):
    sheet = write_csv(tmp_path / "s.csv", [list(COLUMNS), eur_row("adopted", "2022-10-13")])
    out = tmp_path / "out.ttl"
    code, _, err = run(capsys, "import", sheet, "-o", out)
    assert code == 0, err
    assert "EUR/44A7/1: status: submitted (2022-06-03) → adopted (2022-10-13)" in err
    graph = Graph().parse(out)
    first, second = URIRef(f"{EUR}/status/1"), URIRef(f"{EUR}/status/2")
    assert graph.value(first, PP.status) == PPID["status/submitted"]  # carried forward
    assert graph.value(second, PP.status) == PPID["status/adopted"]
    assert graph.value(second, DCTERMS.date) == Literal("2022-10-13", datatype=XSD.date)
    assert graph.value(second, DCTERMS.source) == URIRef(SOURCE)
    assert set(graph.objects(EUR, PP.status)) == {PPID["status/adopted"]}
    # the bundled title stays (the sheet's title cell is empty), once
    assert len(set(graph.objects(EUR, DCTERMS.title))) == 1
    report = validate([out])
    assert report.conforms, [r.message for r in report.results]


def test_the_store_sees_one_description_and_the_derived_current_status(tmp_path, capsys):
    sheet = write_csv(tmp_path / "s.csv", [list(COLUMNS), eur_row("merged", "2022-10-11",
                                                                   title="A title from the sheet")])
    out = tmp_path / "out.ttl"
    assert run(capsys, "import", sheet, "-o", out)[0] == 0
    store = EmbeddedStore.open([*graph_sources(), out])
    try:
        rows = [r for r in proposal_rows(store) if r["id"] == "EUR/44A7/1"]
    finally:
        store.close()
    assert len(rows) == 1
    assert rows[0]["status"] == "merged" and rows[0]["title"] == "A title from the sheet"


def test_changed_field_is_reported_and_the_sheet_wins(tmp_path, capsys):
    sheet = write_csv(tmp_path / "s.csv", [list(COLUMNS), eur_row(
        "submitted", "2022-06-03", title="A title from the sheet")])
    out = tmp_path / "out.ttl"
    code, _, err = run(capsys, "import", sheet, "-o", out)
    assert code == 0
    assert "EUR/44A7/1: title: 'Revise Resolution 130" in err and "'A title from the sheet'" in err
    graph = Graph().parse(out)
    assert set(graph.objects(EUR, DCTERMS.title)) == {Literal("A title from the sheet", lang="en")}
    assert len(set(graph.objects(EUR, PP.statusChange))) == 1  # same status: no new entry
    assert validate([out]).conforms


def test_a_different_date_for_the_same_status_is_told_not_rewritten(tmp_path, capsys):
    sheet = write_csv(tmp_path / "s.csv", [list(COLUMNS), eur_row("submitted", "2022-06-05")])
    out = tmp_path / "out.ttl"
    code, _, err = run(capsys, "import", sheet, "-o", out)
    assert code == 0
    assert "status_date: 2022-06-05 differs from the recorded entry (submitted on 2022-06-03)" \
        in err
    graph = Graph().parse(out)
    change = URIRef(f"{EUR}/status/1")
    assert graph.value(change, DCTERMS.date) == Literal("2022-06-03", datatype=XSD.date)
    assert validate([out]).conforms


def test_history_is_carried_forward_across_imports_into_the_same_file(tmp_path, capsys):
    out = tmp_path / "out.ttl"
    for status, day in (("under-consideration", "2022-09-28"), ("adopted", "2022-10-13")):
        sheet = write_csv(tmp_path / "s.csv", [list(COLUMNS), eur_row(status, day)])
        assert run(capsys, "import", sheet, "-o", out)[0] == 0
    graph = Graph().parse(out)
    statuses = {str(graph.value(c, DCTERMS.date)): graph.value(c, PP.status)
                for c in graph.objects(EUR, PP.statusChange)}
    assert statuses == {"2022-06-03": PPID["status/submitted"],
                        "2022-09-28": PPID["status/under-consideration"],
                        "2022-10-13": PPID["status/adopted"]}
    assert validate([out]).conforms


def test_a_new_status_dated_before_the_latest_entry_is_refused(tmp_path, capsys):
    sheet = write_csv(tmp_path / "s.csv", [list(COLUMNS), eur_row("adopted", "2022-05-01")])
    out = tmp_path / "out.ttl"
    out.write_text("# old\n")
    code, _, err = run(capsys, "import", sheet, "-o", out)
    assert code == 2
    assert "s.csv:2: column 'status_date': 2022-05-01 is before the latest status entry" in err
    assert out.read_text() == "# old\n"


def test_a_proposal_described_in_another_user_file_is_refused(tmp_path, capsys, realistic):
    sheet = write_csv(tmp_path / "s.csv", [sheet_rows()[0], sheet_rows()[5]])
    code, _, err = run(capsys, "import", sheet, "-o", tmp_path / "other.ttl", "--data",
                       realistic)
    assert code == 2
    assert "is already described in" in err and str(realistic.resolve()) in err
    assert not (tmp_path / "other.ttl").exists()


def test_a_rule_only_the_shapes_know_is_told_by_row_and_column(tmp_path, capsys):
    # Document 44(Add.7) is dated 2022-06-03 in the bundled data; a status before it breaks
    # shapes/proposal.ttl#status-date-after-document, which the sheet alone cannot see.
    row = ["TEST/44A7/2", "PP-22", "44(Add.7)", "CEPT", "MOD", "Resolution 102", "Synthetic", "",
           "", "", "under-consideration", "2022-05-02", SOURCE]
    sheet = write_csv(tmp_path / "s.csv", [list(COLUMNS), row])
    out = tmp_path / "out.ttl"
    code, _, err = run(capsys, "import", sheet, "-o", out)
    assert code == 2
    assert "s.csv:2: column 'status_date':" in err and "status-date-after-document" in err
    assert not out.exists()


# --- bad rows: message, exit code, untouched output --------------------------------------------

GOOD = ["TEST/9001/1", "PP-22", "9001", "CEPT", "MOD", "Resolution 102", "Synthetic test row",
        "", "", "", "submitted", "2022-08-01", "https://example.org/plenipot-test/tracker"]
BAD_ROWS = {  # case: (cells changed, column, message)
    "unknown submitter": ({3: "XYZ"}, "submitters", "'XYZ' is not the identifier"),
    "unknown resolution": ({5: "Resolution 9999"}, "target",
                           "there is no PP Resolution 9999 in the graph"),
    "MOD on no revision in force": ({5: "Resolution 181"}, "target",
                                    "the graph knows no revision of it adopted before PP-22"),
    "bad action": ({4: "CHANGE"}, "action", "'CHANGE' is not one of ADD, MOD, SUP, NOC"),
    "bad date": ({11: "13/10/2022"}, "status_date", "'13/10/2022' is not a date"),
    "impossible date": ({11: "2022-02-30"}, "status_date", "'2022-02-30' is not a date"),
    "missing identifier": ({0: ""}, "id", "the cell is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_bad_row_is_told_by_row_and_column_and_nothing_is_written(case, tmp_path, capsys):
    changes, column, message = BAD_ROWS[case]
    bad = [changes.get(i, cell) for i, cell in enumerate(GOOD)]
    sheet = write_csv(tmp_path / "s.csv", [list(COLUMNS), GOOD, bad])
    out = tmp_path / "out.ttl"
    out.write_text("# the old file\n")
    code, stdout, err = run(capsys, "import", sheet, "-o", out)
    assert code == 2 and stdout == ""
    assert f"s.csv:3: column '{column}': " in err and message in err, err
    assert "s.csv:2:" not in err  # the good row is not blamed
    assert out.read_text() == "# the old file\n"
    assert "Traceback" not in err


def test_duplicated_identifier(tmp_path, capsys):
    sheet = write_csv(tmp_path / "s.csv", [list(COLUMNS), GOOD, GOOD])
    out = tmp_path / "out.ttl"
    code, _, err = run(capsys, "import", sheet, "-o", out)
    assert code == 2
    assert "s.csv:3: column 'id': 'TEST/9001/1' at PP-22 is already on line 2" in err
    assert not out.exists()


def test_wrong_encoding_and_missing_column(tmp_path, capsys):
    latin = tmp_path / "latin.csv"
    latin.write_bytes((",".join(COLUMNS) + "\n" + ",".join(GOOD).replace("Synthetic",
                                                                          "Synthétique")
                       + "\n").encode("latin-1"))
    code, _, err = run(capsys, "import", latin, "-o", tmp_path / "out.ttl")
    assert code == 2 and "latin.csv:2: not UTF-8 text" in err and "CSV UTF-8" in err
    short = write_csv(tmp_path / "short.csv", [[c for c in COLUMNS if c != "target"],
                                               [c for i, c in enumerate(GOOD) if i != 5]])
    code, _, err = run(capsys, "import", short, "-o", tmp_path / "out.ttl")
    assert code == 2 and "short.csv:1: missing required column(s): 'target'" in err
    assert not (tmp_path / "out.ttl").exists()


def test_a_process_killed_mid_import_leaves_the_old_file(tmp_path):
    out = tmp_path / "out.ttl"
    out.write_text("# the old file\n")
    # the child stops just before the rename that would publish the new file
    script = (
        "import os, sys, time\n"
        "import plenipot.files as files\n"
        "def slow(src, dst):\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
        "files.os.replace = slow\n"
        "from plenipot.cli.main import main\n"
        f"sys.exit(main(['import', {str(REALISTIC)!r}, '-o', {str(out)!r}]))\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        temporaries = list(tmp_path.glob(".out.ttl.*.tmp"))
        assert temporaries and temporaries[0].stat().st_size > 1000  # the new file, unpublished
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        child.stdout.close()
    assert out.read_text() == "# the old file\n"


# --- workbooks -----------------------------------------------------------------------------------

def _typed(value: str):
    """Cells as a spreadsheet program stores them: dates as dates, numbers as numbers."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return date.fromisoformat(value)
    return int(value) if value.isdigit() else value


def write_xlsx(path: Path, rows: list[list[str]], sheet: str = "Proposals") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["SYNTHETIC TEST WORKBOOK: the proposals are on the next sheet"])
    proposals = workbook.create_sheet(sheet)
    for row in rows:
        proposals.append([_typed(cell) for cell in row])
    workbook.save(path)
    return path


def write_ods(path: Path, rows: list[list[str]]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Proposals")
    for row in rows:
        line = TableRow()
        for value in row:
            typed = _typed(value)
            if isinstance(typed, date):
                cell = TableCell(valuetype="date", datevalue=typed.isoformat())
            elif isinstance(typed, int):
                cell = TableCell(valuetype="float", value=str(typed))
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def test_xlsx_and_ods_import_as_the_csv_does(tmp_path, realistic, capsys):
    rows = sheet_rows()
    expected = set(Graph().parse(realistic))
    xlsx = write_xlsx(tmp_path / "tracker.xlsx", rows)
    code, _, err = run(capsys, "import", xlsx, "--sheet", "Proposals", "-o", tmp_path / "x.ttl")
    assert code == 0, err
    assert set(Graph().parse(tmp_path / "x.ttl")) == expected
    ods = write_ods(tmp_path / "tracker.ods", rows)
    code, _, err = run(capsys, "import", ods, "-o", tmp_path / "o.ttl")
    assert code == 0, err
    assert set(Graph().parse(tmp_path / "o.ttl")) == expected


def test_workbook_errors_name_the_sheet_row_and_column(tmp_path, capsys):
    rows = [list(COLUMNS), GOOD, [c if i != 4 else "CHANGE" for i, c in enumerate(GOOD)]]
    xlsx = write_xlsx(tmp_path / "tracker.xlsx", rows)
    code, _, err = run(capsys, "import", xlsx, "--sheet", "Nope", "-o", tmp_path / "x.ttl")
    assert code == 2 and "no sheet named 'Nope'; the sheets are 'Notes', 'Proposals'" in err
    code, _, err = run(capsys, "import", xlsx, "--sheet", "Proposals", "-o", tmp_path / "x.ttl")
    assert code == 2 and "tracker.xlsx:3: column 'action': 'CHANGE'" in err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")
    code, _, err = run(capsys, "import", broken, "-o", tmp_path / "x.ttl")
    assert code == 2 and "broken.xlsx: not a readable xlsx workbook" in err
    code, _, err = run(capsys, "import", REALISTIC, "--sheet", "Proposals")
    assert code == 2 and "--sheet is for .xlsx and .ods workbooks" in err
    assert not (tmp_path / "x.ttl").exists()


def test_only_proposals_are_replaced_a_users_file_adds_to_other_bundled_things(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(  # synthetic: a topic added to the bundled Resolution 102
        "@prefix pp: <https://w3id.org/plenipot/def#> .\n"
        "<https://w3id.org/plenipot/id/resolution/pp/102> a pp:Resolution ;\n"
        "    pp:topic <https://w3id.org/plenipot/id/topic/ipv6> .\n", encoding="utf-8")
    store = EmbeddedStore.open([*graph_sources(), extra])
    try:
        rows = store.select(
            "SELECT ?title WHERE { <https://w3id.org/plenipot/id/resolution/pp/102> "
            "<http://purl.org/dc/terms/title> ?title }").rows
        proposals = [r for r in proposal_rows(store) if r["id"] == "EUR/44A7/1"]
    finally:
        store.close()
    assert rows  # the bundled title is still there
    assert proposals and proposals[0]["title"].startswith("Revise Resolution 130")
    assert validate([extra]).conforms


def test_a_row_taken_out_of_the_sheet_is_told(tmp_path, capsys):
    out = tmp_path / "out.ttl"
    rows = [list(COLUMNS), GOOD, eur_row("submitted", "2022-06-03")]
    assert run(capsys, "import", write_csv(tmp_path / "s.csv", rows), "-o", out)[0] == 0
    code, _, err = run(capsys, "import", write_csv(tmp_path / "s.csv", rows[:2]), "-o", out)
    assert code == 0
    assert "EUR/44A7/1: in the previous file but not in the sheet, so left out" in err
    assert "eur-44a7-1" not in out.read_text()
