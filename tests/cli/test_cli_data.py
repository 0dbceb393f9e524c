"""The user's data on the command line: one path per flag (``--data``, ``--shapes``), folders,
``PLENIPOT_DATA``, and the defects each guards against; the query time limit; the output
folder; the errors a user meets."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from plenipot.errors import InputError
from plenipot.sources.rdf import expand

TRACKER = Path(__file__).parents[1] / "fixtures" / "tracker" / "valid.csv"
EX = "@prefix ex: <http://example.org/> .\n"
SHAPES = EX + """@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "A thing needs a name" ] .
"""
NAMELESS = EX + "ex:a a ex:Thing .\n"  # breaks SHACL: ex:a has no ex:name


def plenipot(*args, cwd: Path, env: dict | None = None, timeout: int = 120):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PLENIPOT_")}
    return subprocess.run([sys.executable, "-m", "plenipot", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**environment, **(env or {})})


@pytest.fixture(scope="module")
def my_data(tmp_path_factory) -> Path:
    """A user's folder: the tracker fixture imported to ``my-data/mine.ttl``, the README's way."""
    root = tmp_path_factory.mktemp("user")
    done = plenipot("import", TRACKER, "-o", "my-data/mine.ttl", cwd=root)
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def general(tmp_path) -> Path:
    (tmp_path / "my-shapes.ttl").write_text(SHAPES)
    (tmp_path / "my-data.ttl").write_text(NAMELESS)
    return tmp_path


def test_shapes_does_not_swallow_the_data_path(general):
    """``--shapes S DATA`` took DATA as a second shapes file (exit 2 with --no-bundled)."""
    done = plenipot("validate", "--no-bundled", "--shapes", "my-shapes.ttl", "my-data.ttl",
                    cwd=general)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "my-data.ttl:2: violation: A thing needs a name" in done.stdout


def test_shapes_then_a_path_is_no_false_pass_beside_the_bundled_data(general):
    """Without --no-bundled the same line printed "conforms" and exited 0, having checked only
    the bundled data: a false pass in CI."""
    done = plenipot("validate", "--shapes", "my-shapes.ttl", "my-data.ttl", cwd=general)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "A thing needs a name" in done.stdout


def test_shapes_is_repeatable(general):
    (general / "more-shapes.ttl").write_text(SHAPES.replace("ThingShape", "OtherShape")
                                             .replace("ex:Thing ;", "ex:Other ;"))
    (general / "other.ttl").write_text(EX + "ex:b a ex:Other .\n")
    done = plenipot("validate", "--no-bundled", "--shapes", "my-shapes.ttl", "--shapes",
                    "more-shapes.ttl", "my-data.ttl", "other.ttl", cwd=general)
    assert done.returncode == 1
    assert "my-data.ttl:2:" in done.stdout and "other.ttl:2:" in done.stdout


def test_query_data_does_not_swallow_the_query_name(my_data):
    """``query --data PATH NAME`` took NAME as a second data path."""
    done = plenipot("query", "--data", "my-data", "proposals-for-resolution",
                    "--param", "number=102", "--format", "csv", cwd=my_data)
    assert done.returncode == 0, done.stderr
    assert "TEST/9001/1" in done.stdout


def test_data_is_repeatable_and_takes_files_and_folders(my_data, tmp_path):
    (tmp_path / "extra.nt").write_text(
        "<http://example.org/x> <http://example.org/p> \"from the extra file\" .\n")
    done = plenipot("query", "--data", "my-data/", "--data", tmp_path / "extra.nt", "--sparql",
                    "SELECT ?o WHERE { <http://example.org/x> ?p ?o }", "--format", "csv",
                    cwd=my_data)
    assert done.returncode == 0, done.stderr
    assert "from the extra file" in done.stdout


def test_plenipot_data_is_read_by_validate_query_and_export(my_data):
    env = {"PLENIPOT_DATA": f"{my_data / 'my-data'}{os.pathsep}"}
    query = plenipot("query", "proposals-by-submitter", "--param", "submitter=USA",
                     "--format", "csv", cwd=my_data, env=env)
    assert query.returncode == 0 and "TEST/9001/1" in query.stdout, query.stderr
    export = plenipot("export", "--format", "csv", cwd=my_data, env=env)
    assert export.returncode == 0 and "TEST/9001/2" in export.stdout, export.stderr
    validate = plenipot("validate", cwd=my_data, env=env)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    bundled_only = plenipot("validate", cwd=my_data)
    checked, alone = (int(re.search(r" in (\d+) file", d.stdout)[1])
                      for d in (validate, bundled_only))
    assert checked == alone + 1  # mine.ttl is checked too


def test_plenipot_data_is_served(my_data):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PLENIPOT_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "plenipot", "serve", "--port", str(port)], cwd=my_data,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**environment, "PLENIPOT_DATA": "my-data", "PLENIPOT_VALIDATE_ON_START": "0"})
    url = f"http://127.0.0.1:{port}/queries/proposals-by-submitter?submitter=USA"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = json.loads(response.read())
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)
    identifiers = {b["identifier"]["value"] for b in body["results"]["bindings"]}
    assert {"TEST/9001/1", "TEST/9001/2"} <= identifiers


def test_data_with_a_syntax_error_in_a_folder_is_located(my_data, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.ttl").write_text(EX + "ex:a ex:b .\n")
    done = plenipot("validate", "--data", bad, cwd=my_data)
    assert done.returncode == 2
    assert f"{bad / 'broken.ttl'}:2:" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [["validate"], ["query", "--sparql", "ASK {}"],
                                     ["export"], ["serve", "--port", "1"]])
def test_a_missing_data_path_exits_2_naming_it(command, tmp_path):
    done = plenipot(*command, "--data", "no-such-folder", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "'--data'" in done.stderr and "no-such-folder" in done.stderr
    assert "Traceback" not in done.stderr
    from_env = plenipot(*command, cwd=tmp_path, env={"PLENIPOT_DATA": "gone.ttl"})
    assert from_env.returncode == 2
    assert "'PLENIPOT_DATA'" in from_env.stderr and "gone.ttl" in from_env.stderr


def test_an_empty_data_folder_is_an_error_not_a_pass(tmp_path):
    (tmp_path / "empty").mkdir()
    done = plenipot("validate", "--data", "empty", cwd=tmp_path)
    assert done.returncode == 2
    assert "empty: no RDF files" in done.stderr


def test_a_folder_gives_its_rdf_files_but_not_hidden_ones_or_json(tmp_path):
    for name in ("a.ttl", "sub/b.nt", "sub/c.trig", "d.jsonld", "e.rdf", "notes.txt",
                 "package.json", "config.xml", ".git/x.ttl", ".hidden.ttl", ".mine.ttl.1.tmp"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    found = [p.relative_to(tmp_path).as_posix() for p in expand([tmp_path])]
    assert found == ["a.ttl", "d.jsonld", "e.rdf", "sub/b.nt", "sub/c.trig"]
    assert expand([tmp_path / "package.json"]) == [tmp_path / "package.json"]  # named: read
    with pytest.raises(InputError, match="no such file or folder"):
        expand([tmp_path / "nothing"])


def test_query_stops_at_the_timeout_with_exit_3(tmp_path):
    """A cross product ran for ten minutes; now it is stopped after PLENIPOT_QUERY_TIMEOUT."""
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    done = plenipot("query", "--sparql", cross, cwd=tmp_path, timeout=60,
                    env={"PLENIPOT_QUERY_TIMEOUT": "1"})
    assert done.returncode == 3, done.stderr
    assert "longer than 1 s" in done.stderr and "PLENIPOT_QUERY_TIMEOUT=" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_github_format_annotates_a_syntax_error(tmp_path):
    """Under --format github an unreadable file was a plain message, no annotation."""
    (tmp_path / "broken.ttl").write_text(EX + "ex:a ex:b .\n")
    done = plenipot("validate", "broken.ttl", "--format", "github", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout.startswith("::error file=broken.ttl,line=2,col=")
    assert "broken.ttl:2:" in done.stderr
    missing = plenipot("validate", "--data", "gone/", "--format", "github", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stdout.startswith("::error title=plenipot validate::parameter '--data'")


@pytest.mark.parametrize("fmt", ["turtle", "trig", "jsonld"])
def test_export_table_with_a_non_csv_format_exits_2(fmt, tmp_path):
    """``--table`` was silently ignored unless --format csv."""
    done = plenipot("export", "--format", fmt, "--table", "issues-matrix", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert "'--table'" in done.stderr and "--format csv" in done.stderr


def test_export_creates_the_output_folder(tmp_path):
    """``export -o build/plenipot.trig`` failed where no build/ folder existed."""
    done = plenipot("export", "--format", "trig", "-o", "build/plenipot.trig", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = tmp_path / "build" / "plenipot.trig"
    assert written.stat().st_size > 1000 and list((tmp_path / "build").iterdir()) == [written]


def test_an_output_under_a_file_exits_2(tmp_path):
    (tmp_path / "file").write_text("")
    done = plenipot("export", "-o", "file/out.ttl", cwd=tmp_path)
    assert done.returncode == 2 and "'--output'" in done.stderr and "is a file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_number_setting_exits_2_naming_it(tmp_path):
    done = plenipot("export", cwd=tmp_path, env={"PLENIPOT_QUERY_TIMEOUT": "soon"})
    assert done.returncode == 2
    assert "'PLENIPOT_QUERY_TIMEOUT'" in done.stderr and "Traceback" not in done.stderr


def test_validate_paths_reports_only_what_the_given_files_describe(tmp_path):
    """The bundled data's own late-contribution warning is not the user's to fix: validating
    the user's file beside the bundled data reports the results about that file only."""
    mine = tmp_path / "mine.ttl"
    sheet = Path(__file__).parents[1] / "fixtures" / "tracker" / "valid.csv"
    assert plenipot("import", sheet, "-o", mine, cwd=tmp_path).returncode == 0
    done = plenipot("validate", mine, "--format", "json", cwd=tmp_path)
    results = json.loads(done.stdout)["results"]
    assert results, "the sheet's document of 1 August 2022 is late: a warning in mine.ttl"
    assert {Path(r["file"]).name for r in results} == {"mine.ttl"}
    alone = json.loads(plenipot("validate", "--format", "json", cwd=tmp_path).stdout)["results"]
    assert any(r["file"].endswith("cept.ttl") for r in alone), "the bundled data's own warning"
