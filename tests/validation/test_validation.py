"""SHACL validation: the bundled data conforms, every rule has a fixture that breaks exactly it,
and each result is traced to the file and line of its focus node."""

import json
import os
import re
import threading
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SH

from plenipot.errors import InputError
from plenipot.sources.bundled import graph_sources
from plenipot.validation import report as validation_cli
from plenipot.validation import shacl as validation

FIXTURES = Path(__file__).parents[1] / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
VALID_GRAPH = FIXTURES / "valid" / "shapes-complete-graph.ttl"
CONSTRAINT_NAMES = (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minInclusive", "maxInclusive",
    "minExclusive", "maxExclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang",
    "in", "or", "and", "xone", "not", "node", "sparql", "lessThan", "lessThanOrEquals", "equals",
    "disjoint", "hasValue", "closed", "qualifiedValueShape",
)
CONSTRAINTS = {SH[name] for name in CONSTRAINT_NAMES}
ONTOLOGY = graph_sources(include_data=False)


def alone(*paths: Path, **options) -> validation.Report:
    """Validate self-contained fixtures with the bundled ontology but not the bundled data (the
    fixtures give real IRIs such as conference/pp-22 facts of their own)."""
    return validation.validate([*ONTOLOGY, *paths], bundled=False, **options)


def _rules() -> set[str]:
    """The bundled shapes that carry a constraint: each is one rule with its own name."""
    shapes = validation.load_shapes()
    return {
        str(shape).rsplit("#", 1)[1]
        for shape in set(shapes.subjects())
        if isinstance(shape, URIRef) and str(shape).startswith(validation.SHAPES_BASE)
        and any(p in CONSTRAINTS for p in shapes.predicates(shape))
    }


def _describe(results) -> str:
    return "\n".join(f"{r.file}:{r.line}: {r.severity}: [{r.rule}] {r.message} "
                     f"(focus {r.focus}, path {r.path}, value {r.value})" for r in results)


def test_bundled_data_conforms():
    report = validation.validate()
    violations = [r for r in report.results if r.severity == "violation"]
    assert not violations, "the bundled data breaks the shapes:\n" + _describe(violations)
    assert report.conforms


def test_complete_valid_graph_has_no_results():
    report = alone(VALID_GRAPH)
    assert report.results == [], _describe(report.results)


def test_every_rule_has_an_invalid_fixture():
    assert _rules() == {path.stem for path in INVALID}


def test_every_rule_has_a_message_and_a_severity():
    shapes = validation.load_shapes()
    for rule in _rules():
        node = next(s for s in shapes.subjects() if str(s).endswith("#" + rule))
        assert shapes.value(node, SH.severity) in validation.SEVERITIES, rule
        messages = list(shapes.objects(node, SH.message)) + [
            m for c in shapes.objects(node, SH.sparql) for m in shapes.objects(c, SH.message)]
        assert messages, f"{rule} has no sh:message"


def _expectation(path: Path) -> tuple[str, str, int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    severity, message = re.match(r"# expect: (\w+): (.+)", lines[1]).groups()
    focus_line = next(i for i, line in enumerate(lines, 1) if line.endswith("# <- focus"))
    return severity, message, focus_line


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_breaks_exactly_its_rule(fixture):
    severity, message, focus_line = _expectation(fixture)
    report = alone(fixture)
    assert report.results, f"{fixture.name} breaks no rule"
    assert {r.rule for r in report.results} == {fixture.stem}, _describe(report.results)
    assert {r.severity for r in report.results} == {severity}
    assert {r.file for r in report.results} == {os.path.relpath(fixture)}
    assert focus_line in {r.line for r in report.results}, _describe(report.results)
    assert all(message in r.message for r in report.results), _describe(report.results)
    assert report.conforms is False  # SHACL: any result, a warning too, means it does not conform


def test_sparql_messages_name_the_offending_value():
    report = alone(FIXTURES / "invalid" / "add-target-new.ttl")
    (result,) = report.results
    assert "https://w3id.org/plenipot/id/resolution/pp/102/dubai-2018" in result.message
    assert result.path == "pp:target"
    assert result.value == "https://w3id.org/plenipot/id/resolution/pp/102/dubai-2018"


def test_report_of_warnings_only_does_not_conform():
    """Issue 7: SHACL says a graph conforms only if there is no result at all."""
    late = FIXTURES / "invalid" / "contribution-late.ttl"
    report = alone(late)
    assert [r.severity for r in report.results] == ["warning"]
    assert report.conforms is False
    assert (None, SH.conforms, Literal(False)) in report.graph


def test_no_bundled_needs_a_path():
    with pytest.raises(InputError, match="--no-bundled"):
        validation.validate([], bundled=False)


def test_syntax_error_gives_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix pp: <https://w3id.org/plenipot/def#> .\n\npp:a pp:b pp:c ;\n'
                   '    pp:d "x" pp:e .\n')
    with pytest.raises(InputError) as error:
        validation.validate([bad])
    assert error.value.message.startswith(f"{bad}:4:14: ")


# --- finding the line of a focus node ---------------------------------------------------------

def _line(tmp_path: Path, text: str, node: str) -> int | None:
    path = tmp_path / "data.ttl"
    path.write_text(text, encoding="utf-8")
    _, index = validation.load_data([path])
    return index.locate(URIRef(node))[1]


def test_line_of_a_full_iri_as_subject(tmp_path):
    text = "<http://x/a> <http://x/p> <http://x/b> .\n\n<http://x/b> <http://x/p> 1 .\n"
    assert _line(tmp_path, text, "http://x/b") == 3


def test_line_of_a_prefixed_name_with_escapes(tmp_path):
    text = ("@prefix ppid: <https://w3id.org/plenipot/id/> .\n"
            "# ppid:country\\/rou in a comment\n"
            "ppid:org\\/cept ppid:p ppid:country\\/rou .\n"
            "ppid:country\\/rou ppid:p 1 .\n")
    assert _line(tmp_path, text, "https://w3id.org/plenipot/id/country/rou") == 4


def test_line_of_a_relative_iri(tmp_path):
    text = "@base <http://x/> .\n<a> <p> <b> .\n<b>\n    <p> 2 .\n"
    assert _line(tmp_path, text, "http://x/b") == 3


def test_line_of_an_object_only_node_is_its_first_mention(tmp_path):
    text = "<http://x/a>\n    <http://x/p> <http://x/b> .\n"
    assert _line(tmp_path, text, "http://x/b") == 2


def test_blank_node_is_located_at_its_parent(tmp_path):
    path = tmp_path / "data.ttl"
    path.write_text("\n<http://x/a> <http://x/p> [ <http://x/q> 1 ] .\n", encoding="utf-8")
    graph, index = validation.load_data([path])
    blank = next(graph.objects(URIRef("http://x/a"), URIRef("http://x/p")))
    assert index.locate(blank) == (path, 2)


def test_the_file_that_describes_a_subject_wins(tmp_path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text("<http://x/s> <http://x/p> <http://x/o> .\n", encoding="utf-8")
    second.write_text("\n\n<http://x/o> <http://x/p> 1 .\n", encoding="utf-8")
    _, index = validation.load_data([first, second])
    assert index.locate(URIRef("http://x/o")) == (second, 3)


# --- report formats ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def late_report():
    return alone(FIXTURES / "invalid" / "contribution-late.ttl")


def test_json_format(late_report):
    body = json.loads(validation_cli.format_json(late_report))
    assert body["conforms"] is False
    (result,) = body["results"]
    assert set(result) == {"severity", "focus", "path", "value", "message", "shape", "file", "line",
                           "source_shape", "component"}
    assert result["component"] == str(SH.SPARQLConstraintComponent)
    assert result["severity"] == "warning"
    assert result["shape"].endswith("shapes/contribution#contribution-late")


def test_text_format(late_report):
    text = validation_cli.format_text(late_report)
    assert re.search(r"contribution-late\.ttl:\d+: warning: Late contribution", text)
    assert text.splitlines()[-1].startswith("does not conform: 0 violation(s), 1 warning(s)")


def test_github_format(late_report):
    line = validation_cli.format_github(late_report)
    assert re.match(r"::warning file=[^,]*contribution-late\.ttl,line=\d+,title=", line)
    assert "\n" not in line


def test_turtle_format(late_report):
    assert "sh:ValidationReport" in validation_cli.format_turtle(late_report)


def test_validation_is_safe_from_threads():
    fixture = FIXTURES / "invalid" / "proposal-action.ttl"
    outcomes = []

    def run():
        outcomes.append({r.rule for r in alone(fixture).results})

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [{"proposal-action"}] * 3


@pytest.mark.parametrize(("shape", "error"), [
    ('sh:sparql [ sh:message "m" ; sh:select "SELECT $this WHERE { FILTER( }" ]',
     "a SPARQL constraint in the shapes does not parse"),
    ("sh:minCount 1", "the shapes cannot be used: MinCountConstraintComponent"),
], ids=["sparql-syntax", "misplaced-constraint"])
def test_unusable_shapes_are_input_errors(tmp_path, shape, error):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "@prefix ex: <http://example.org/> .\n"
                      f"ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; {shape} .\n")
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> a <http://example.org/Thing> .\n")
    with pytest.raises(InputError, match=error):
        validation.validate([data], shapes=[shapes], bundled=False)


def _sparql_rules() -> list[str]:
    shapes = validation.load_shapes()
    return sorted(str(shape).rsplit("#", 1)[1] for shape in set(shapes.subjects(SH.sparql, None)))


@pytest.mark.parametrize("rule", _sparql_rules())
def test_whole_graph_rules_agree_with_pyshacl(rule):
    """The bundled SPARQL rules run once over the whole graph on Oxigraph; given as --shapes,
    the same files run through pyshacl per focus node. Both must find the same results."""
    fixture = FIXTURES / "invalid" / f"{rule}.ttl"
    shapes_folder = validation.bundled_files("shapes")[0].parent
    fast = alone(fixture)
    reference = alone(fixture, shapes=[shapes_folder])
    assert sorted(fast.results, key=repr) == sorted(reference.results, key=repr)
    assert fast.conforms == reference.conforms
