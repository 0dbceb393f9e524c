"""The W3C SHACL test suite (core and SPARQL-based parts) through ``plenipot validate
--no-bundled DATA --shapes SHAPES --format json``: each report compared with the case's
expected sh:ValidationReport (see suite.py). Most cases run in this process through the
command's main(); a few through the installed console script."""

import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conformance.shacl.suite import Case, cases, check, run

from plenipot.validation import shacl as validation

CORE = cases("core")
SPARQL = cases("sparql")
# pySHACL (the engine behind these shapes) does not support $shapesGraph; neither do we
KNOWN_FAILURES = {"sparql/pre-binding/shapesGraph-001"}


def test_the_suite_is_all_there():
    assert len(CORE) == 98
    assert len(SPARQL) == 22


def _check(case: Case) -> None:
    if case.name in KNOWN_FAILURES:
        pytest.xfail("$shapesGraph is not supported")
    problem = check(case, *run(case))
    assert problem is None, f"{case}: {problem}"


@pytest.mark.parametrize("case", CORE, ids=str)
def test_core(case):
    _check(case)


@pytest.mark.parametrize("case", SPARQL, ids=str)
def test_sparql(case):
    _check(case)


def test_the_compiled_engine_runs_most_of_core():
    """The suite must test the engine that validates by default, not only its fallback."""
    compiled = [case for case in CORE if not case.expects_failure and validation.validate(
        [case.data], shapes=[case.shapes], bundled=False).engine == "compiled"]
    assert len(compiled) >= 80, len(compiled)


SCRIPT_CASES = ["core/node/class-001", "core/property/uniqueLang-002", "core/misc/severity-001",
                "core/property/node-001", "sparql/node/prefixes-001", "sparql/node/sparql-003"]


@pytest.mark.slow
@pytest.mark.parametrize("name", SCRIPT_CASES)
def test_through_the_console_script(name):
    script = shutil.which("plenipot") or str(Path(__file__).parents[3] / ".venv/bin/plenipot")
    case = next(c for c in CORE + SPARQL if c.name == name)
    done = subprocess.run(
        [script, "validate", "--no-bundled", str(case.data), "--shapes", str(case.shapes),
         "--format", "json"], capture_output=True, text=True, timeout=120, check=False)
    assert check(case, done.returncode, done.stdout, done.stderr) is None
