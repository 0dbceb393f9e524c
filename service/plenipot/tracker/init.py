"""``plenipot init DIR``: a tracker repository that works at once — ``data/`` with an example
sheet and the Turtle it imports to, a CI workflow that validates the data with the Plenipot
action, a pre-commit configuration and a README on how to add proposals and publish.

The files come from ``scaffold/`` beside this module (dotted names are stored without their dot
so that every packager ships them). Nothing is overwritten.
"""

from pathlib import Path

from plenipot.errors import InputError, Location

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
# the GitHub Action of this repository (action.yml at its root), as a workflow names it
ACTION = "plenipot/plenipot@main"
RENAMES = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml",
           "github": ".github"}


def scaffold_files(action: str = ACTION) -> dict[Path, bytes]:
    """The files of a new tracker repository, by path inside it (the Turtle excepted)."""
    files = {}
    for source in sorted(SCAFFOLD.rglob("*")):
        if source.is_file():
            parts = [RENAMES.get(part, part) for part in source.relative_to(SCAFFOLD).parts]
            data = source.read_bytes()
            if parts[-1] == "validate.yml":
                data = data.replace(b"{action}", action.encode())
            files[Path(*parts)] = data
    return files


def check_target(folder: Path, files: dict[Path, bytes], force: bool) -> None:
    """Refuse a folder with files in it (unless ``force``), and never overwrite a file."""
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file, not a folder", Location(str(folder)))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InputError("is not empty; use --force to add the tracker files beside what is "
                         "there (nothing is overwritten)", Location(str(folder)))
    taken = [str(path) for path in [*files, Path("data/proposals.ttl")]
             if (folder / path).exists()]
    if taken:
        raise InputError(f"would overwrite {', '.join(taken)}", Location(str(folder)))
