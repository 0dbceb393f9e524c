"""The end-to-end tier: the installed ``plenipot serve`` as a real process (the session fixture
``served`` of tests/conftest.py), driven over HTTP with httpx2."""

from collections.abc import Iterator

import httpx2
import pytest


@pytest.fixture(scope="session")
def http(served) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=served.base, timeout=60) as client:
        yield client


@pytest.fixture(scope="module", autouse=True)
def no_traceback_in_server_log(served) -> Iterator[None]:
    """After each module: the server wrote no traceback (a bug is logged even when the client
    sees a tidy 500, and a worker that died leaves one too)."""
    yield
    log = served.log()
    assert "Traceback" not in log, log[max(0, log.find("Traceback") - 2000):][:6000]
