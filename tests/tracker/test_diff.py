"""``plenipot diff``: two folders, two dumps, two git revisions of a test repository (made in a
temporary folder from the synthetic rows of tests/fixtures/tracker/realistic.csv)."""

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from plenipot.cli.main import main

REALISTIC = Path(__file__).parents[1] / "fixtures" / "tracker" / "realistic.csv"
GIT = shutil.which("git")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def edited_sheet(path: Path) -> Path:
    """The realistic sheet with EUR/44A7/1 adopted, TEST/9101/2 retitled, TEST/9102/1 removed
    and a new row TEST/9109/1."""
    with REALISTIC.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    header, body = rows[0], rows[1:]
    column = {name: i for i, name in enumerate(header)}
    out = [header]
    for row in body:
        if row[0] == "TEST/9102/1":
            continue
        if row[0] == "EUR/44A7/1":
            row[column["status"]], row[column["status_date"]] = "adopted", "2022-10-13"
        if row[0] == "TEST/9101/2":
            row[column["title"]] = "A new title for a synthetic test proposal"
        out.append(row)
    extra = list(body[-1])
    extra[0] = "TEST/9108/7"
    out.append(extra)
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(out)
    return path


@pytest.fixture(scope="module")
def two_states(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("diff")
    old, new = root / "old" / "data", root / "new" / "data"
    old.mkdir(parents=True)
    assert main(["import", str(REALISTIC), "-o", str(old / "proposals.ttl")]) == 0
    new.mkdir(parents=True)
    shutil.copy(old / "proposals.ttl", new / "proposals.ttl")
    sheet = edited_sheet(root / "edited.csv")
    assert main(["import", str(sheet), "-o", str(new / "proposals.ttl")]) == 0
    return old, new


def test_two_folders(two_states, capsys):
    old, new = two_states
    code, out, _ = run(capsys, "diff", old, new)
    assert code == 1
    assert "Proposals added (1):\n  + TEST/9108/7 (PP-22)" in out
    assert "Proposals removed (1):\n  - TEST/9102/1 (PP-22)" in out
    assert "EUR/44A7/1: under-consideration → adopted (2022-10-13)" in out
    assert "TEST/9101/2: title: 'Synthetic test proposal 2: MOD Resolution 130' → " \
           "'A new title for a synthetic test proposal'" in out


def test_json_for_tools(two_states, capsys):
    old, new = two_states
    code, out, _ = run(capsys, "diff", old, new, "--format", "json")
    assert code == 1
    body = json.loads(out)
    assert body["equal"] is False
    assert [p["id"] for p in body["proposals"]["added"]] == ["TEST/9108/7"]
    assert [p["id"] for p in body["proposals"]["removed"]] == ["TEST/9102/1"]
    assert [(s["id"], s["previous"], s["status"]) for s in body["status_changes"]] == [
        ("EUR/44A7/1", "under-consideration", "adopted")]
    assert body["revisions"] == {"added": [], "removed": []}


def test_equal_sides_exit_0(two_states, capsys):
    old, _ = two_states
    code, out, _ = run(capsys, "diff", old, old)
    assert code == 0 and out.strip() == "No differences."


def test_two_dumps(two_states, tmp_path, capsys):
    old, new = two_states
    dumps = []
    for name, side in (("old", old), ("new", new)):
        dump = tmp_path / f"{name}.trig"
        assert run(capsys, "export", "--format", "trig", "--data", side, "-o", dump)[0] == 0
        dumps.append(dump)
    code, out, _ = run(capsys, "diff", "--no-bundled", *dumps)
    assert code == 1 and "+ TEST/9108/7" in out and "- TEST/9102/1" in out


def test_new_revision_is_told(two_states, tmp_path, capsys):
    old, _ = two_states
    new = tmp_path / "data"
    shutil.copytree(old, new)
    (new / "revision.ttl").write_text(
        "@prefix pp: <https://w3id.org/plenipot/def#> .\n"
        "<https://w3id.org/plenipot/id/resolution/pp/102/test-2099> a pp:Revision ;\n"
        '    pp:revisionLabel "Rev. Synthetic Test, 2099" ;\n'
        "    pp:revisionOf <https://w3id.org/plenipot/id/resolution/pp/102> .\n",
        encoding="utf-8")
    code, out, _ = run(capsys, "diff", old, new)
    assert code == 1 and "New revisions (1):\n  + Rev. Synthetic Test, 2099" in out


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_two_git_revisions(two_states, tmp_path, capsys):
    old, new = two_states
    repo = tmp_path / "tracker"
    (repo / "data").mkdir(parents=True)

    def git(*args):
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c",
                        "user.email=test@example.org", *args], check=True, capture_output=True)
    git("init", "-q")
    shutil.copy(old / "proposals.ttl", repo / "data" / "proposals.ttl")
    git("add", "data")
    git("commit", "-q", "-m", "first")
    shutil.copy(new / "proposals.ttl", repo / "data" / "proposals.ttl")
    git("commit", "-q", "-am", "second")
    code, out, _ = run(capsys, "diff", "--git", "HEAD~1", "HEAD", "--repo", repo)
    assert code == 1
    assert "+ TEST/9108/7" in out and "EUR/44A7/1: under-consideration → adopted" in out
    assert run(capsys, "diff", "--git", "HEAD", "HEAD", "--repo", repo)[0] == 0
    code, _, err = run(capsys, "diff", "--git", "HEAD", "no-such-rev", "--repo", repo)
    assert code == 2 and "git archive no-such-rev" in err


def test_bad_arguments(tmp_path, capsys):
    code, _, err = run(capsys, "diff", tmp_path / "nope", tmp_path)
    assert code == 2 and "nope: no such file or folder" in err
    code, _, err = run(capsys, "diff", tmp_path)
    assert code == 2 and "give two folders or files" in err
