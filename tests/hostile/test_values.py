"""Values that used to break the query text: a newline ending in a backslash-quote, quotes,
braces and comment marks, in every place a caller's value is bound (the HTML and JSON search,
a named query's parameter, an import cell)."""

import pytest

from plenipot.cli.main import main

BREAKERS = ['line\nending in \\"', 'x\\', '" } UNION { ?s ?p ?o } #', "'''", '"""',
            "\r\n\t", "\\u0022", "tab\there"]


@pytest.mark.parametrize("value", BREAKERS)
def test_search_takes_any_text(sample_client, value):
    page = sample_client.get("/search", params={"q": value})
    assert page.status_code == 200, page.text
    api = sample_client.get("/api/search", params={"q": value})
    assert api.status_code in (200, 400), api.text  # 400: a parameter the API refuses, named
    if api.status_code == 400:
        assert "parameter" in api.json()["message"]


@pytest.mark.parametrize("value", BREAKERS)
def test_a_named_query_parameter_takes_any_text(sample_client, value):
    response = sample_client.get("/queries/proposals-for-resolution",
                                 params={"number": "102", "body": value})
    assert response.status_code in (200, 400), response.text
    assert response.status_code != 500


def test_an_import_cell_with_a_newline_ending_in_a_backslash_quote(tmp_path, capsys):
    header = ("id,conference,document,submitters,action,target,title,summary,issue_areas,"
              "topics,status,status_date,source\n")
    title = 'line\nending in \\"'
    cell = title.replace('"', '""')  # CSV doubles a quote inside a quoted cell
    row = (f'TEST/9001/1,PP-22,9001,USA;CAN,MOD,Resolution 102,"{cell}",'
           '"a summary",internet-public-policy,ipv6,submitted,2022-08-01,https://example.org/\n')
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(header + row)
    out = tmp_path / "out.ttl"
    assert main(["import", str(sheet), "-o", str(out)]) == 0, capsys.readouterr().err
    from rdflib import Graph, Literal

    graph = Graph().parse(out)
    assert any(o == Literal(title, lang="en") for o in graph.objects())
