"""The end-to-end tier: the installed ``plenipot serve`` as a real process (the session fixture
``served`` of tests/conftest.py), driven over HTTP with httpx2."""

import re
from collections.abc import Iterator

import httpx2
import pytest

from e2e.served_process import FIGURES


def pytest_terminal_summary(terminalreporter) -> None:
    """The counts the tier measured (requests, errors, conformance), for the notes to quote."""
    if FIGURES:
        terminalreporter.section("plenipot: served as users run it")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def http(served) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=served.base, timeout=60) as client:
        yield client


@pytest.fixture(scope="module", autouse=True)
def no_traceback_in_server_log(served) -> Iterator[None]:
    """After each module: the server wrote no traceback (a bug is logged even when the client
    sees a tidy 500, and a worker that died leaves one too), and its access log shows no 5xx
    answer to any request of the tier so far but the 503 of a query stopped at the time limit
    (test_query_timeout.py asks for one; every other test checks its own statuses)."""
    yield
    log = served.log()
    assert "Traceback" not in log, log[max(0, log.find("Traceback") - 2000):][:6000]
    server_errors = SERVER_ERROR.findall(log)
    assert server_errors == [], server_errors[:20]


SERVER_ERROR = re.compile(r'^.*"[A-Z]+ [^"]*HTTP/1\.1" 5(?!03)\d\d.*$', re.MULTILINE)
