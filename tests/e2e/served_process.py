"""A real ``plenipot serve`` process, as users run it, for the end-to-end and conformance tiers.

The installed console script (``sys.prefix``/bin/plenipot) is started with the settings of
``plenipot serve`` (uvicorn with its default loop and HTTP implementation: uvloop and httptools
when installed, as ``uvicorn[standard]`` installs them) on a free port of 127.0.0.1, and driven
over HTTP. Its log goes to a file (a pipe nobody reads would fill up and stall the server under
load); ``Served.log()`` reads it, so a test can check that no traceback was written.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PLENIPOT = Path(sys.prefix) / "bin" / "plenipot"
FIGURES: list[str] = []  # measured counts, shown at the end of the run (tests/e2e/conftest.py)
START_TIMEOUT = 90.0  # seconds; loading the bundled data takes a few on this machine


@dataclass
class Served:
    base: str  # http://127.0.0.1:PORT
    process: subprocess.Popen
    log_path: Path

    def url(self, path: str) -> str:
        return self.base + path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


USER_GRAPH = "urn:plenipot:test:e2e:"  # the subjects of the generated --data file
USER_TRIPLES = 1200


def user_data(folder: Path) -> Path:
    """A user's own data file (``--data``): 1,200 triples with long literals, about 1.3 MB as
    N-Triples, so that ``CONSTRUCT WHERE {?s ?p ?o}`` answers well over 1 MB in every format.
    No class of the ontology is used, so the shapes and the named queries do not see it."""
    path = folder / "user-data.ttl"
    text = " ".join(["An annotation long enough to make a large answer."] * 18)
    lines = [f'<{USER_GRAPH}note/{i}> <{USER_GRAPH}text> "{i}: {text}" .'
             for i in range(USER_TRIPLES)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment() -> dict[str, str]:
    """The caller's environment without PLENIPOT_* settings: the defaults of ``plenipot serve``."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PLENIPOT_")}


@contextmanager
def serving(log_path: Path, *args: str) -> Iterator[Served]:
    """``plenipot serve --host 127.0.0.1 --port P *args`` until the block ends."""
    if not PLENIPOT.is_file():
        raise RuntimeError(f"{PLENIPOT} is missing: install the package (pip install -e .)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(PLENIPOT), "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=_environment())
    served = Served(base, process, log_path)
    try:
        _wait_until_up(served)
        yield served
    finally:
        _stop(process)


def _wait_until_up(served: Served) -> None:
    started = time.monotonic()
    while True:
        if served.process.poll() is not None:
            raise RuntimeError(f"plenipot serve exited with {served.process.returncode}:\n"
                               f"{served.log()}")
        try:
            with urllib.request.urlopen(served.url("/health"), timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() - started > START_TIMEOUT:
            raise RuntimeError(f"plenipot serve did not answer in {START_TIMEOUT} s:\n"
                               f"{served.log()}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
