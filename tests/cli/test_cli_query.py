"""``plenipot query`` as a user runs it: a real process, its output and its exit code."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parents[1] / "fixtures" / "valid" / "tracker-sample.ttl"
ON_FIXTURE = ["--no-bundled", "--data", str(FIXTURE)]


def plenipot(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plenipot", "query", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_list_names_every_query_and_its_parameters():
    result = plenipot("--list")
    assert result.returncode == 0, result.stderr
    assert "proposals-for-resolution" in result.stdout
    assert "--param number=<integer>  required" in result.stdout
    listed = json.loads(plenipot("--list", "--format", "json").stdout)
    assert {"search", "members-of", "issues-matrix"} <= {q["name"] for q in listed}


def test_named_query_as_a_table():
    result = plenipot("proposals-for-resolution", "--param", "number=9901", *ON_FIXTURE)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["proposal", "identifier", "conference"]
    assert "TRA/1A1/1" in result.stdout and lines[-1] == "(2 rows)"


def test_named_query_as_json_and_csv():
    as_json = plenipot("members-of", "-p", "group=B", "--format", "json", *ON_FIXTURE)
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)["results"]["bindings"]
    assert [r["iso3"]["value"] for r in rows] == ["XTB", "XTC"]
    as_csv = plenipot("search", "-p", "q=Telecomunicacion", "--format", "csv", *ON_FIXTURE)
    assert as_csv.returncode == 0, as_csv.stderr
    labels = {r["label"] for r in csv.DictReader(io.StringIO(as_csv.stdout))}
    assert "República de Telecomunicación" in labels


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["proposals-for-resolution", "--param", "number=ten"], "'number'"),
        (["proposals-for-resolution"], "'number'"),
        (["proposals-by-status", "-p", "status=lost"], "'status'"),
        (["search", "-p", "q=x", "-p", "colour=red"], "'colour'"),
        (["no-such-query"], "no named query"),
    ],
)
def test_bad_parameter_exits_2_naming_it(args, named):
    result = plenipot(*args, *ON_FIXTURE)
    assert result.returncode == 2
    assert named in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_any_read_only_sparql():
    query = (
        "PREFIX pp: <https://w3id.org/plenipot/def#> "
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pp:Proposal }"
    )
    result = plenipot("--sparql", query, "--format", "csv", *ON_FIXTURE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "5"]


@pytest.mark.parametrize(
    "update",
    [
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
        "DROP ALL",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ],
)
def test_updates_and_service_are_refused(update):
    result = plenipot("--sparql", update, *ON_FIXTURE)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.strip()


def test_malformed_sparql_exits_2():
    result = plenipot("--sparql", "SELECT WHERE {", *ON_FIXTURE)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_an_endpoint_that_does_not_answer_is_exit_3_with_its_url():
    done = subprocess.run(
        [sys.executable, "-m", "plenipot", "query", "--list", "--endpoint", "http://127.0.0.1:9/"],
        capture_output=True, text=True, timeout=60,
    )
    # --list reads the catalogue only; a query needs the store
    assert done.returncode == 0
    done = subprocess.run(
        [sys.executable, "-m", "plenipot", "query", "--sparql", "ASK {}", "--endpoint",
         "http://127.0.0.1:9/"], capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 3
    assert "the SPARQL engine at http://127.0.0.1:9/ does not answer" in done.stderr
    assert "Traceback" not in done.stderr
