"""Schemathesis against the real server: for every operation of its /openapi.json, a bounded
number of generated requests (valid and invalid ones); no 5xx, and every status code and media
type the service answers is declared in the schema (``not_a_server_error``,
``status_code_conformance``, ``content_type_conformance``).

Schemathesis' pytest plugin (``from_fixture``) does not run on pytest 9 (it reads
``request.node._nodeid``), so the operations are walked here with its Python API, each through
Hypothesis with ``max_examples`` bounded and no deadline; every failure is collected and
reported, not only the first.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from e2e.served_process import FIGURES

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
EXAMPLES = 6  # per operation and mode: enough to reach each declared status, bounded for CI
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def test_every_operation_answers_as_declared(served):
    schema = schemathesis.openapi.from_url(served.url("/openapi.json"))
    requests: dict[int, int] = {}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        # invalid values only exist where a parameter has a type or a list to break
        for mode in MODES if _has_typed_parameters(operation) else MODES[:1]:
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
            def exercise(case):
                response = case.call_and_validate(base_url=served.base, checks=CHECKS,
                                                  timeout=60)
                requests[response.status_code] = requests.get(response.status_code, 0) + 1

            try:
                exercise()
            except Unsatisfiable:  # no invalid value can be made for these parameters
                continue
            except (Exception, BaseExceptionGroup) as error:  # keep going, report them all
                failures.append(f"{operation.label} ({mode.value}): {_describe(error)}")
    total = sum(requests.values())
    FIGURES.append(f"schemathesis: {operations} operations, {total} requests, "
                   f"{len(failures)} failures; statuses {dict(sorted(requests.items()))}")
    assert operations > 30 and total > operations
    assert len(failures) == 0, "\n\n".join(failures)


def _describe(error: BaseException) -> str:
    """Schemathesis' own account of a failure (its message names the check, the status, the
    body and a curl command to reproduce it)."""
    return str(error).strip()[:1500]


def _has_typed_parameters(operation) -> bool:
    """True when a query parameter has a type, an enum or a pattern that a value can break."""
    for parameter in operation.iter_parameters():
        definition = getattr(parameter, "definition", {}) or {}
        schema = definition.get("schema", {})
        if definition.get("in") == "query" and (
                schema.get("type") not in (None, "string") or "enum" in schema
                or "pattern" in schema or "anyOf" in schema):
            return True
    return False
