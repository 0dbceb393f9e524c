"""Shared fixtures.

- ``SAMPLE``: ``tests/fixtures/store/``, a small real sample (PP-22, three resolutions in a Turtle
  file, CEPT in a TriG file's own named graph) whose counts do not move when data/ grows.
- ``sample_settings``: ``Settings`` serving ``SAMPLE`` alone, with short limits (timeout 2 s,
  10 rows, 4 kB bodies) and no SHACL run; ``dataclasses.replace`` it to change one.
- ``sample_client``: a ``TestClient`` on an app over ``SAMPLE`` (one per test module).
- ``client``: a ``TestClient`` on an app over the bundled ontology and data (one per session);
  use it for named queries, ``/api`` and the linked-data routes.
- ``served``: a real ``plenipot serve`` process over the bundled data and a generated ``--data``
  file (one per session), for the end-to-end and conformance tiers.
- ``matrix_client``: a ``TestClient`` over ``MATRIX_SOURCES``, the synthetic
  ``matrix-sample.ttl`` and the bundled ontology (one per session), for exports and VoID.
- ``wheel`` and ``installed``: the wheel built from the repository, and a fresh virtual
  environment (outside the repository) with it installed, not editable — once per session, for
  the tiers that run the product as users install it (tests/cli/test_wheel.py, tests/readme/).

Each app runs its queries in worker processes, as the real server does (the first app of a
session starts multiprocessing's forkserver, about 0.3 s; later ones about 0.1 s), so share these
fixtures rather than building apps in every test.
"""

import os
import subprocess
import sys
import threading
import time
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plenipot.config import Settings
from plenipot.sources.bundled import bundled
from plenipot.web.app import create_app

SAMPLE = Path(__file__).parent / "fixtures" / "store"
MATRIX_SOURCES = (Path(__file__).parent / "fixtures" / "valid" / "matrix-sample.ttl",
                  bundled("ontology") / "plenipot.ttl")


@pytest.fixture(scope="session")
def matrix_client(store_kind, engines) -> Iterator[TestClient]:
    settings = Settings(data=MATRIX_SOURCES, bundled=False, validate_on_start=False)
    with TestClient(create_app(engines.settings(store_kind, settings))) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def sample_settings() -> Settings:
    return Settings(data=(SAMPLE,), bundled=False, query_timeout=2.0, max_rows=10,
                    max_body=4_000, validate_on_start=False)


@pytest.fixture(scope="module")
def sample_client(sample_settings: Settings, store_kind, engines) -> Iterator[TestClient]:
    with TestClient(create_app(engines.settings(store_kind, sample_settings))) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def client(store_kind, engines) -> Iterator[TestClient]:
    settings = engines.settings(store_kind, Settings(validate_on_start=False))
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def served(tmp_path_factory) -> Iterator:
    """A real ``plenipot serve`` process over the bundled data and a user's ``--data`` file,
    driven over HTTP (one per session, shared by tests/e2e and tests/conformance; see
    tests/e2e/served_process.py)."""
    from e2e.served_process import serving, user_data

    folder = tmp_path_factory.mktemp("served")
    with serving(folder / "server.log", "--data", str(user_data(folder))) as server:
        yield server


def _run_clean(args: list, cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run ``args`` outside this virtual environment; fail the test with its output unless it
    exits 0."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    root = Path(__file__).resolve().parents[1]
    _run_clean([sys.executable, "-m", "build", "--wheel", "--outdir", out, root], cwd=root)
    (built,) = out.glob("plenipot-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel and its dependencies from the package index (never this
    venv's packages, so a dependency missing from pyproject.toml fails)."""
    env_dir = tmp_path_factory.mktemp("installed") / "venv"
    venv.create(env_dir, with_pip=True)
    _run_clean([env_dir / "bin" / "python", "-m", "pip", "install", "--quiet", wheel],
              cwd=env_dir.parent)
    return env_dir

# --- the same tests on SPARQL engines (docs/decisions/0010-remote-store.md) --------------------
#
# In the modules of REMOTE_MODULES, every test that uses ``store_kind`` (through a fixture that
# builds its app or store with ``engines.settings`` / ``engines.store``) runs three times: on the
# embedded store, on Virtuoso and on Oxigraph's server, each engine loaded once per data set.
# The engines are those of scripts/engines.sh: the ones .ci/run started (PLENIPOT_TEST_*_URL), or
# started here for the session. One that cannot be run is skipped with the reason, except in CI
# (CI=true) or with PLENIPOT_REQUIRE_ENGINES=1, where that fails.

import shutil  # noqa: E402
import socket  # noqa: E402
from dataclasses import replace  # noqa: E402

STORE_KINDS = ("embedded", "virtuoso", "oxigraph")
REMOTE_MODULES = {"test_api", "test_linked_data", "test_pages", "test_queries", "test_sparql",
                  "test_remote_queries"}
ROOT = Path(__file__).parents[1]


def pytest_generate_tests(metafunc):
    if "store_kind" in metafunc.fixturenames and metafunc.module.__name__.split(".")[-1] in (
            REMOTE_MODULES):
        metafunc.parametrize("store_kind", STORE_KINDS, scope="session")


# Tests that fail on one engine for a reason listed in README ("Other SPARQL engines") and not
# fixed yet: (store kind, test name without parameters) -> why. xfail(strict): a fix fails the
# run until its line goes.
KNOWN_ENGINE_FAILURES: dict[tuple[str, str], str] = {}


def pytest_collection_modifyitems(items):
    for item in items:
        kind = getattr(getattr(item, "callspec", None), "params", {}).get("store_kind")
        reason = KNOWN_ENGINE_FAILURES.get((kind, item.originalname))
        if reason:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.fixture(scope="session")
def store_kind() -> str:
    return "embedded"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Engines:
    """The test engines: found from the environment, or started (once) on first use."""

    def __init__(self, folder: Path):
        self.folder, self.started, self.loaded = folder, False, set()
        self.required = os.environ.get("CI") == "true" or os.environ.get(
            "PLENIPOT_REQUIRE_ENGINES") == "1"

    def _env(self, kind: str, what: str = "URL") -> str | None:
        return os.environ.get(f"PLENIPOT_TEST_{kind.upper()}_{what}")

    def _start(self) -> None:
        self.started = True
        missing = [tool for tool, found in (
            ("virtuoso-t (Debian: virtuoso-opensource-7)", shutil.which("virtuoso-t")),
            ("oxigraph (PyPI: oxigraph)", (ROOT / ".venv" / "bin" / "oxigraph").exists()
             or shutil.which("oxigraph"))) if not found]
        if missing:
            self._unavailable(f"not installed: {', '.join(missing)}; "
                              "run `bash scripts/engines.sh install`")
        env = {**os.environ, "PLENIPOT_VIRTUOSO_PORT": str(_free_port()),
               "PLENIPOT_OXIGRAPH_PORT": str(_free_port()),
               "PLENIPOT_OXIGRAPH_UNION_PORT": str(_free_port())}  # kind "oxigraph_union"
        run = subprocess.run(["bash", str(ROOT / "scripts" / "engines.sh"), "start",
                              str(self.folder)], env=env, capture_output=True, text=True)
        if run.returncode != 0:
            self._unavailable(f"scripts/engines.sh start failed: {run.stderr[-800:]}")
        for line in (self.folder / "env").read_text().splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            os.environ[name] = value

    def _unavailable(self, reason: str):
        if self.required:
            pytest.fail(f"SPARQL engines required (CI): {reason}", pytrace=False)
        pytest.skip(f"SPARQL engines: {reason}")

    def stop(self) -> None:
        if self.started and (self.folder / "env").exists():
            subprocess.run(["bash", str(ROOT / "scripts" / "engines.sh"), "stop",
                            str(self.folder)], check=False)

    def settings(self, kind: str, settings: Settings) -> Settings:
        """``settings`` for the store ``kind``: unchanged for the embedded store; for an engine,
        its sources loaded into it (once per session) and the service pointed at it."""
        if kind == "embedded":
            return settings
        from plenipot.store.connect import store_sources
        from plenipot.store.remote_http import Endpoint
        from plenipot.store.remote_load import load

        if self._env(kind) is None and not self.started:
            self._start()
        url = self._env(kind)
        if url is None:
            self._unavailable(f"no {kind} URL (PLENIPOT_TEST_{kind.upper()}_URL)")
        sources = tuple(store_sources(settings))
        if (kind, sources) not in self.loaded:
            endpoint = Endpoint(url, self._env(kind, "UPDATE_URL"), self._env(kind, "USER"),
                                self._env(kind, "PASSWORD"),
                                "digest" if kind == "virtuoso" else "basic")
            load(endpoint, list(sources), gsp_url=self._env(kind, "GSP_URL"), replace=True)
            self.loaded.add((kind, sources))
        return replace(settings, endpoint=url, store_path=None)

    def store(self, kind: str, sources: list[Path]):
        """A store of ``kind`` over ``sources`` (the embedded one in this process)."""
        from plenipot.store.connect import open_local_store

        settings = Settings(data=tuple(sources), bundled=False, validate_on_start=False,
                            cache_entries=0)
        return open_local_store(self.settings(kind, settings))


@pytest.fixture(scope="session")
def engines(tmp_path_factory) -> Iterator[Engines]:
    manager = Engines(tmp_path_factory.mktemp("engines"))
    yield manager
    manager.stop()


# --- a local listener: no query or file may ever connect to it -------------------------------

class Listener:
    """A socket on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    time.sleep(0.2)  # a connection on its way still counts
    listening.close()
