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
def matrix_client() -> Iterator[TestClient]:
    settings = Settings(data=MATRIX_SOURCES, bundled=False, validate_on_start=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def sample_settings() -> Settings:
    return Settings(data=(SAMPLE,), bundled=False, query_timeout=2.0, max_rows=10,
                    max_body=4_000, validate_on_start=False)


@pytest.fixture(scope="module")
def sample_client(sample_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(sample_settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(validate_on_start=False))) as test_client:
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
