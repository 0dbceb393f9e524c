"""Fixtures of the hostile-input corpus: the counting listener, and a real ``plenipot serve``
(the installed console script, uvicorn's defaults) over the small sample."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_cases import SAMPLE

PLENIPOT = Path(sys.executable).parent / "plenipot"  # the console script of this environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    base: str
    process: subprocess.Popen

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None,
                timeout: float = 30) -> tuple[int, dict | bytes]:
        request = urllib.request.Request(self.base + path, data=data, headers={
            "Accept": "application/sparql-results+json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        try:
            return status, json.loads(body)
        except ValueError:
            return status, body

    def sparql(self, query: str, timeout: float = 30) -> tuple[int, dict | bytes]:
        return self.request("/sparql?" + urllib.parse.urlencode({"query": query}),
                            timeout=timeout)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    port = free_port()
    # a file, not a pipe: access-log lines of 30 kB URLs would fill a pipe nobody reads, and
    # the server would block writing its log
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed after the server stops
    process = subprocess.Popen(
        [str(PLENIPOT), "serve", "--port", str(port), "--no-bundled", "--data", str(SAMPLE)],
        stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PLENIPOT_QUERY_TIMEOUT": "8", "PLENIPOT_WORKER_MEMORY": "500",
             "PLENIPOT_VALIDATE_ON_START": "0", "PLENIPOT_CACHE_ENTRIES": "0"},
    )
    server = Served(f"http://127.0.0.1:{port}", process)
    started = time.monotonic()
    try:
        while True:
            try:
                status, _ = server.request("/health", timeout=5)
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if process.poll() is not None:
                log.seek(0)
                raise AssertionError(log.read().decode())
            assert time.monotonic() - started < 30, "the server did not start"
            time.sleep(0.2)
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
