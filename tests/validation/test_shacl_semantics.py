"""Regression tests for the SHACL conformance defects of issue 7, each on both engines."""

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import SH

from plenipot.validation import shacl as validation

PREFIXES = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
            "@prefix ex: <http://example.org/> .\n")
ENGINES = ["auto", "pyshacl"]


def _validate(tmp_path: Path, shapes: str, data: str, engine: str) -> validation.Report:
    shapes_file, data_file = tmp_path / "shapes.ttl", tmp_path / "data.ttl"
    shapes_file.write_text(PREFIXES + shapes, encoding="utf-8")
    data_file.write_text(PREFIXES + data, encoding="utf-8")
    return validation.validate([data_file], shapes=[shapes_file], bundled=False, engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_report_of_warnings_only_does_not_conform(tmp_path, engine):
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:severity sh:Warning ; sh:class ex:C ."
    report = _validate(tmp_path, shapes, "ex:a ex:p 1 .", engine)
    assert [r.severity for r in report.results] == ["warning"]
    assert report.conforms is False
    assert (None, SH.conforms, Literal(False)) in report.graph


@pytest.mark.parametrize("engine", ENGINES)
def test_nested_detail_results_are_not_results(tmp_path, engine):
    """A sh:node violation is one result; pySHACL nests the inner shape's results in sh:detail."""
    shapes = ("ex:S a sh:NodeShape ; sh:targetNode ex:a ;\n"
              "  sh:property [ sh:path ex:p ; sh:node ex:Inner ] .\n"
              "ex:Inner a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .\n")
    report = _validate(tmp_path, shapes, "ex:a ex:p ex:b .", engine)
    assert [(r.focus, r.component) for r in report.results] == [
        ("http://example.org/a", str(SH.NodeConstraintComponent))]


@pytest.mark.parametrize("engine", ENGINES)
def test_shapes_keep_boolean_literals_as_written(tmp_path, engine):
    """"1"^^xsd:boolean is not "true"^^xsd:boolean: sh:uniqueLang "1" does not apply."""
    shapes = ('ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:m ;'
              ' sh:uniqueLang "1"^^xsd:boolean .')
    report = _validate(tmp_path, shapes, 'ex:a ex:m "Hi"@en, "HI"@en .', engine)
    assert report.results == []
    assert report.conforms is True
    enabled = _validate(tmp_path, shapes.replace('"1"^^xsd:boolean', "true"),
                        'ex:a ex:m "Hi"@en, "HI"@en .', engine)
    assert [r.component for r in enabled.results] == [str(SH.UniqueLangConstraintComponent)]


def test_sparql_constraint_uses_the_shapes_prefixes(tmp_path):
    """sh:prefixes, including what the declaring ontology owl:imports: no traceback, a result."""
    shapes = ("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
              "<http://example.org/ont> sh:declare [ sh:prefix \"ex\" ;\n"
              "    sh:namespace \"http://example.org/\"^^xsd:anyURI ] .\n"
              "ex:Prefixes owl:imports <http://example.org/ont> .\n"
              "ex:S a sh:NodeShape ; sh:targetNode ex:a ;\n"
              "  sh:sparql [ sh:prefixes ex:Prefixes ;\n"
              "    sh:select \"SELECT $this ?value WHERE { $this ex:p ?value }\" ] .\n")
    report = _validate(tmp_path, shapes, "ex:a ex:p ex:b .", "auto")
    assert report.engine == "pyshacl"
    assert [(r.focus, r.value) for r in report.results] == [
        ("http://example.org/a", "http://example.org/b")]


def test_unknown_prefix_in_a_sparql_constraint_is_an_input_error(tmp_path):
    shapes = ("ex:S a sh:NodeShape ; sh:targetNode ex:a ;\n"
              "  sh:sparql [ sh:select \"SELECT $this WHERE { $this nope:p ?value }\" ] .\n")
    with pytest.raises(validation.InputError, match="SPARQL constraint"):
        _validate(tmp_path, shapes, "ex:a ex:p ex:b .", "auto")


@pytest.mark.parametrize("literal", ["4.0", "1e0", "+5", '"5"^^xsd:int', '"1"^^xsd:boolean'])
def test_literals_oxigraph_would_rewrite_go_to_pyshacl(tmp_path, literal):
    """Oxigraph stores literals canonically (4.0 as 4, xsd:int as xsd:integer): the value a
    result reports, and a datatype check, must see the literal as written."""
    report = _validate(tmp_path, "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ;"
                       " sh:datatype xsd:string .", f"ex:a ex:p {literal} .", "auto")
    assert report.engine == "pyshacl"
    (result,) = report.results
    assert result.value == literal.split('"')[1] if '"' in literal else literal
