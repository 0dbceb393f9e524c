"""The wheel: built from the repository, installed into a fresh virtual environment, and
``plenipot validate`` run from another directory with only what the wheel ships.

The fresh venv installs the wheel's dependencies from the package index (pip's cache makes a
rerun quick). It deliberately does not borrow /work/venv's packages: a missing dependency in
pyproject.toml, or a file left out of the wheel, must make this test fail.

The wheel and the venv are conftest.py's session fixtures, shared with tests/readme/.
"""

import os
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _run(args: list, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_wheel_ships_the_sources(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for kind, suffix in (("ontology", ".ttl"), ("data", ".ttl"), ("shapes", ".ttl"),
                         ("queries", ".rq")):
        shipped = [n for n in names if n.startswith(f"plenipot/_bundled/{kind}/")]
        assert any(n.endswith(suffix) for n in shipped), f"no {kind}/*{suffix} in the wheel"
    shapes = {Path(n).name for n in names if n.startswith("plenipot/_bundled/shapes/")}
    assert shapes == {p.name for p in (ROOT / "shapes").glob("*.ttl")}


def test_installed_wheel_validates_from_another_directory(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = _run([installed / "bin" / "plenipot", "validate"], cwd=elsewhere)
    assert done.stdout.splitlines()[-1].startswith("conforms:")
    assert str(ROOT) not in done.stdout  # the bundled files come from the install, not the repo
