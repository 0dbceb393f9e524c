"""``plenipot init DIR``, the GitHub Action and the pre-commit hooks of this repository."""

import csv
from pathlib import Path

import yaml

from plenipot.cli.main import main
from plenipot.validation.shacl import validate

ROOT = Path(__file__).parents[2]


def test_init_then_validate_in_the_new_repository_passes(tmp_path, monkeypatch, capsys):
    repo = tmp_path / "tracker"
    assert main(["init", str(repo)]) == 0
    files = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if p.is_file())
    assert files == [".github/workflows/validate.yml", ".gitignore", ".pre-commit-config.yaml",
                     "README.md", "data/proposals.csv", "data/proposals.ttl"]
    monkeypatch.chdir(repo)
    capsys.readouterr()
    assert main(["validate", "data"]) == 0
    assert "conforms" in capsys.readouterr().out
    report = validate([Path("data")])
    assert report.conforms and not report.results
    # the committed Turtle is what the sheet imports to (the check the workflow runs)
    before = Path("data/proposals.ttl").read_bytes()
    assert main(["import", "data/proposals.csv", "-o", "data/proposals.ttl"]) == 0
    assert Path("data/proposals.ttl").read_bytes() == before


def test_the_new_repository_is_usable(tmp_path):
    repo = tmp_path / "tracker"
    assert main(["init", str(repo), "--action", "example-org/plenipot@v1"]) == 0
    workflow = yaml.safe_load((repo / ".github/workflows/validate.yml").read_text())
    steps = workflow["jobs"]["validate"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[1]["uses"] == "example-org/plenipot@v1"
    assert steps[1]["with"] == {"data": "data", "sheet": "data/proposals.csv",
                                "turtle": "data/proposals.ttl"}
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert {h["id"] for h in hooks} == {"plenipot-import", "plenipot-validate"}
    with (repo / "data/proposals.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [r["id"] for r in rows] == ["EUR/44A7/1"]  # the real bundled proposal, as it is
    readme = (repo / "README.md").read_text()
    assert "plenipot import data/proposals.csv -o data/proposals.ttl" in readme


def test_init_never_overwrites(tmp_path, capsys):
    repo = tmp_path / "tracker"
    repo.mkdir()
    (repo / "notes.txt").write_text("mine")
    assert main(["init", str(repo)]) == 2
    assert "is not empty; use --force" in capsys.readouterr().err
    assert main(["init", str(repo), "--force"]) == 0
    assert (repo / "notes.txt").read_text() == "mine"
    assert main(["init", str(repo), "--force"]) == 2
    err = capsys.readouterr().err
    assert "would overwrite" in err and ".github/workflows/validate.yml" in err


def test_action_and_pre_commit_hooks_of_this_repository():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    runs = " ".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "plenipot validate --format github" in runs
    assert "${{" not in runs  # inputs reach the shell through env, never pasted into scripts
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    validate_hook = next(h for h in hooks if h["id"] == "plenipot-validate")
    assert validate_hook["entry"] == "plenipot validate" and validate_hook["language"] == "python"
