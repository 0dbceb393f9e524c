"""Exports: the whole graph in every format (HTTP and ``plenipot export``), and the CSV tables."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from plenipot import files
from plenipot.cli.main import main
from plenipot.errors import ParameterError
from plenipot.sources.bundled import bundled
from plenipot.sources.rdf import graph_name
from plenipot.tracker.tables import COLUMNS

SAMPLE = Path(__file__).parents[1] / "fixtures" / "valid" / "matrix-sample.ttl"
ONTOLOGY = bundled("ontology") / "plenipot.ttl"
GRAPHS = {graph_name(SAMPLE).toPython(), graph_name(ONTOLOGY).toPython()}
FORMATS = {  # suffix -> (Oxigraph format, --format name)
    "ttl": (ox.RdfFormat.TURTLE, "turtle"),
    "nt": (ox.RdfFormat.N_TRIPLES, "ntriples"),
    "nq": (ox.RdfFormat.N_QUADS, "nquads"),
    "trig": (ox.RdfFormat.TRIG, "trig"),
    "jsonld": (ox.RdfFormat.JSON_LD, "jsonld"),
    "rdf": (ox.RdfFormat.RDF_XML, "rdfxml"),
}
QUAD_SUFFIXES = {"nq", "trig"}
PROPOSALS = 5


@pytest.fixture(scope="module")
def client(matrix_client: TestClient) -> TestClient:
    return matrix_client


@pytest.fixture(scope="module")
def distinct_triples() -> int:
    """The number of distinct triples in the sources, counted by Oxigraph's parser."""
    triples = set()
    for path in (SAMPLE, ONTOLOGY):
        triples |= {(q.subject, q.predicate, q.object) for q in ox.parse(path=path)}
    return len(triples)


def read(data: bytes, fmt: ox.RdfFormat) -> list:
    return list(ox.parse(data, format=fmt))


def triples_of(items) -> set:
    return {(q.subject, q.predicate, q.object) for q in items}


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_holds_the_same_triples(client, distinct_triples, suffix):
    response = client.get(f"/export/plenipot.{suffix}")
    assert response.status_code == 200
    assert f'filename="plenipot.{suffix}"' in response.headers["content-disposition"]
    items = read(response.content, FORMATS[suffix][0])
    assert len(triples_of(items)) == distinct_triples


@pytest.mark.parametrize("suffix", sorted(QUAD_SUFFIXES))
def test_quad_formats_keep_the_source_file_graphs(client, suffix):
    items = read(client.get(f"/export/plenipot.{suffix}").content, FORMATS[suffix][0])
    assert {q.graph_name.value for q in items} == GRAPHS
    sample = {q for q in items if q.graph_name.value == graph_name(SAMPLE).toPython()}
    assert len(sample) == len(list(ox.parse(path=SAMPLE)))


def test_the_jsonld_export_uses_the_published_context(client):
    document = client.get("/export/plenipot.jsonld").json()
    published = client.get("/context.jsonld").json()
    assert document["@context"] == published["@context"]
    assert published["@context"]["submittedBy"] == {"@id": "pp:submittedBy", "@type": "@id"}
    assert published["@context"]["pp"] == "https://w3id.org/plenipot/def#"


def test_an_unknown_dump_format_is_a_404(client):
    response = client.get("/export/plenipot.xlsx")
    assert response.status_code == 404
    assert ".nq" in response.json()["message"]


def rows(response) -> list[dict]:
    reader = csv.DictReader(io.StringIO(response.text))
    assert tuple(reader.fieldnames) == COLUMNS
    return list(reader)


def test_proposals_csv_has_the_tracker_columns_and_one_row_per_proposal(client):
    response = client.get("/export/proposals.csv")
    assert response.headers["content-type"].startswith("text/csv")
    listed = rows(response)
    assert len(listed) == PROPOSALS
    assert len({r["id"] for r in listed}) == PROPOSALS
    assert listed[0]["target"] == "Resolution 9001"


def test_proposals_csv_filters(client):
    listed = rows(client.get("/export/proposals.csv",
                             params={"submitter": "TSTA", "status": "not-adopted"}))
    assert [r["id"] for r in listed] == ["TSA/1A1/2"]


def test_issues_matrix_csv(client):
    response = client.get("/export/issues-matrix.csv", params={"issue_area": "cybersecurity"})
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == ["issue_area", "resolution", "title", "TSTA", "TSTB"]
    assert [row[1] for row in table[1:]] == ["Resolution 9001", "Resolution 9002"]


def test_a_bad_csv_filter_is_a_400_naming_it(client):
    response = client.get("/export/issues-matrix.csv", params={"status": "no such; key"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "status"


# --- the command ---------------------------------------------------------------------------

def run(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "plenipot", "export", "--no-bundled",
               "--data", str(SAMPLE), *args]
    return subprocess.run(command, capture_output=True, timeout=60, check=False)


def test_cli_export_writes_a_file(tmp_path, distinct_triples):
    target = tmp_path / "graph.nq"
    done = run("--format", "nquads", "-o", str(target))
    assert done.returncode == 0, done.stderr
    items = read(target.read_bytes(), ox.RdfFormat.N_QUADS)
    assert {q.graph_name.value for q in items} == {graph_name(SAMPLE).toPython()}
    assert len(items) == len(list(ox.parse(path=SAMPLE)))
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # as open() would have made it


def test_cli_export_to_an_unwritable_path_exits_2_without_a_file(tmp_path):
    (tmp_path / "a-file").write_text("")  # a missing folder is created; a file is in the way
    target = tmp_path / "a-file" / "graph.ttl"
    done = run("--format", "turtle", "-o", str(target))
    assert done.returncode == 2
    assert b"cannot write" in done.stderr and str(target).encode() in done.stderr
    assert b"Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_cli_formats_match_the_service(tmp_path, suffix):
    fmt, name = FORMATS[suffix]
    target = tmp_path / f"out.{suffix}"
    assert main(["export", "--no-bundled", "--data", str(SAMPLE), "--format", name,
                 "-o", str(target)]) == 0
    assert len(triples_of(read(target.read_bytes(), fmt))) == len(
        triples_of(ox.parse(path=SAMPLE)))


def test_cli_csv_to_stdout(capsysbinary):
    assert main(["export", "--no-bundled", "--data", str(SAMPLE), "--format", "csv",
                 "--table", "proposals"]) == 0
    text = capsysbinary.readouterr().out.decode()
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == COLUMNS
    assert len(list(reader)) == PROPOSALS


def test_cli_refuses_a_folder_as_output(tmp_path, capsys):
    assert main(["export", "--no-bundled", "--data", str(SAMPLE), "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ParameterError, match="No space left"):
        files.write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]
