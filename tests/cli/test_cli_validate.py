"""``plenipot validate`` end to end, in a subprocess: exit codes, formats, unreadable input."""

import json
import subprocess
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SH

from plenipot.sources.bundled import graph_sources

ROOT = Path(__file__).resolve().parents[2]
VALID = "tests/fixtures/valid/shapes-complete-graph.ttl"
INVALID = "tests/fixtures/invalid/proposal-identifier.ttl"
WARNING_ONLY = "tests/fixtures/invalid/contribution-late.ttl"


ONTOLOGY = [str(p) for p in graph_sources(include_data=False)]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plenipot", "validate", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120,
    )


def run_alone(fixture: str, *args: str) -> subprocess.CompletedProcess:
    """A self-contained fixture with the bundled ontology, not the bundled data (the fixtures
    give real IRIs such as conference/pp-22 facts of their own)."""
    return run("--no-bundled", *ONTOLOGY, fixture, *args)


def _focus_line(path: str) -> int:
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.endswith("# <- focus"))


def test_conforming_file_exits_0():
    done = run_alone(VALID)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().startswith("conforms: 0 violation(s), 0 warning(s)")


def test_violation_exits_1_with_file_line_and_message():
    done = run_alone(INVALID)
    assert done.returncode == 1
    line = _focus_line(INVALID)
    expected = f"{INVALID}:{line}: violation: A proposal needs exactly one dcterms:identifier"
    assert expected in done.stdout
    assert "[proposal-identifier]" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("does not conform: 1 violation(s)")


def test_json_format():
    done = run_alone(INVALID, "--format", "json")
    assert done.returncode == 1
    body = json.loads(done.stdout)
    assert body["conforms"] is False
    (result,) = body["results"]
    assert result["file"] == INVALID
    assert result["line"] == _focus_line(INVALID)
    assert result["severity"] == "violation"
    assert result["focus"] == "https://w3id.org/plenipot/id/proposal/pp-22/eur-44a1-1"
    assert result["path"] == "dcterms:identifier"
    assert result["value"] == "EUR 44A1/1"
    assert result["shape"] == "https://w3id.org/plenipot/shapes/proposal#proposal-identifier"


def test_turtle_format_is_the_shacl_report():
    done = run_alone(INVALID, "--format", "turtle")
    assert done.returncode == 1
    report = Graph().parse(data=done.stdout, format="turtle")
    assert len(list(report.subjects(RDF.type, SH.ValidationResult))) == 1


def test_github_format_and_warnings_pass_unless_strict():
    done = run_alone(WARNING_ONLY, "--format", "github")
    assert done.returncode == 0
    assert done.stdout.startswith(
        f"::warning file={WARNING_ONLY},line={_focus_line(WARNING_ONLY)},title=")
    assert "Late contribution" in done.stdout
    strict = run_alone(WARNING_ONLY, "--strict", "--format", "github")
    assert strict.returncode == 1


def test_malformed_turtle_exits_2_with_file_line_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix pp: <https://w3id.org/plenipot/def#> .\n\npp:a pp:b pp:c ;\n'
                   '    pp:d "x" pp:e .\n', encoding="utf-8")
    done = run(str(bad))
    assert done.returncode == 2
    assert f"{bad}:4:14: expected '.'" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_statement_cut_off_at_the_end_of_the_file_points_after_its_last_token(tmp_path):
    bad = tmp_path / "cut.ttl"
    bad.write_text("@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f\n",
                   encoding="utf-8")
    done = run(str(bad))
    assert done.returncode == 2
    assert f"{bad}:3:15: EOF found after object" in done.stderr


def test_a_file_is_validated_with_the_bundled_data_it_refers_to(tmp_path):
    """A tracker's own proposals point at conferences, organizations and revisions that only
    the bundled data describes: by default they are validated together."""
    mine = tmp_path / "mine.ttl"
    imported = subprocess.run(
        [sys.executable, "-m", "plenipot", "import", "tests/fixtures/tracker/valid.csv",
         "-o", str(mine)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    done = run(str(mine))
    assert done.returncode == 0, done.stdout + done.stderr
    alone = run("--no-bundled", *ONTOLOGY, str(mine))
    assert alone.returncode == 1  # without the bundled data, what it refers to is missing


def test_missing_file_exits_2():
    done = run("no/such/file.ttl")
    assert done.returncode == 2
    assert "no/such/file.ttl: no such file or folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_other_shapes_without_bundled_data_is_a_general_validator(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ex: <http://example.org/> .\n"
        "ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;\n"
        "    sh:property [ sh:path ex:name ; sh:minCount 1 ;\n"
        "                  sh:message \"A thing needs a name.\" ] .\n",
        encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("@prefix ex: <http://example.org/> .\n\nex:one a ex:Thing .\n"
                    "ex:two a ex:Thing ; ex:name \"two\" .\n", encoding="utf-8")
    done = run(str(data), "--no-bundled", "--shapes", str(shapes), "--format", "json",
               cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    (result,) = json.loads(done.stdout)["results"]
    assert result["message"] == "A thing needs a name."
    assert (result["file"], result["line"]) == ("data.ttl", 3)
    assert result["shape"] == "http://example.org/ThingShape"


def test_no_bundled_without_paths_exits_2():
    done = run("--no-bundled")
    assert done.returncode == 2
    assert "--no-bundled needs at least one PATH" in done.stderr
