"""``plenipot validate --format sarif``: SARIF 2.1.0, checked against the schema of the
standard (vendored in schemas/), one result per SHACL result with file, line, rule and level."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from plenipot.sources.bundled import graph_sources
from plenipot.validation import report as formats
from plenipot.validation import shacl as validation

FIXTURES = Path(__file__).parents[1] / "fixtures"
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-2.1.0-rtm.5.json").read_text())
ONTOLOGY = graph_sources(include_data=False)


def _sarif(*fixtures: Path) -> tuple[validation.Report, dict]:
    report = validation.validate([*ONTOLOGY, *fixtures], bundled=False)
    return report, json.loads(formats.format_sarif(report))


def _check_schema(body: dict) -> None:
    jsonschema.validate(body, SCHEMA, cls=jsonschema.Draft4Validator)


@pytest.mark.parametrize("name", ["contribution-late", "proposal-action", "add-target-new",
                                  "election-region-for-seats"])
def test_sarif_results_carry_file_line_rule_level_message(name):
    fixture = FIXTURES / "invalid" / f"{name}.ttl"
    report, body = _sarif(fixture)
    _check_schema(body)
    (run,) = body["runs"]
    assert len(run["results"]) == len(report.results) > 0
    for result, expected in zip(run["results"], report.results, strict=True):
        assert result["ruleId"] == name == expected.rule
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == name
        assert result["level"] == {"violation": "error", "warning": "warning"}[expected.severity]
        assert result["message"]["text"] == expected.message
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == expected.file
        assert location["physicalLocation"]["region"]["startLine"] == expected.line


def test_sarif_of_a_conforming_graph_has_no_results():
    report, body = _sarif(FIXTURES / "valid" / "shapes-complete-graph.ttl")
    _check_schema(body)
    assert report.conforms
    assert body["runs"][0]["results"] == []


def test_sarif_of_a_result_without_a_file(tmp_path):
    """A focus node no file writes (a literal target) has no location, and is still valid."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "<http://x/S> a sh:NodeShape ; sh:targetNode \"lit\" ; sh:nodeKind sh:IRI ;"
                      " sh:severity sh:Info .\n", encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("<http://x/a> <http://x/p> 1 .\n", encoding="utf-8")
    report = validation.validate([data], shapes=[shapes], bundled=False)
    body = json.loads(formats.format_sarif(report))
    _check_schema(body)
    (result,) = body["runs"][0]["results"]
    assert result["level"] == "note"
    assert "locations" not in result
    assert result["ruleId"] == "http://x/S"


def test_validate_format_sarif_from_the_command_line():
    fixture = FIXTURES / "invalid" / "proposal-action.ttl"
    done = subprocess.run([sys.executable, "-m", "plenipot", "validate", "--no-bundled",
                           *map(str, ONTOLOGY), str(fixture), "--format", "sarif"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    body = json.loads(done.stdout)
    _check_schema(body)
    assert {r["ruleId"] for r in body["runs"][0]["results"]} == {"proposal-action"}


def test_the_schema_check_rejects_a_wrong_level():
    _, body = _sarif(FIXTURES / "invalid" / "proposal-action.ttl")
    body["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        _check_schema(body)
