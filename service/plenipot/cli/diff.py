"""``plenipot diff``: what changed between two folders, two dumps or two git revisions."""

import json
import sys
import tempfile
from pathlib import Path

from plenipot.errors import ParameterError


def cli_diff(args) -> int:
    """``plenipot diff OLD NEW`` or ``plenipot diff --git REV1 REV2``: 0 equal, 1 different,
    2 unreadable input or a wrong argument."""
    from plenipot.tracker.diff import compare, git_side, load_side

    with tempfile.TemporaryDirectory(prefix="plenipot-diff-") as folder:
        if args.git:
            if args.paths:
                raise ParameterError("--git", "give either OLD NEW or --git REV1 REV2, not both")
            repo = args.repo or Path(".")
            sides = [git_side(repo, revision, args.path, Path(folder) / f"side-{i}")
                     for i, revision in enumerate(args.git)]
        else:
            if len(args.paths) != 2:
                raise ParameterError("OLD NEW", "give two folders or files to compare "
                                                "(or --git REV1 REV2)")
            sides = list(args.paths)
        old, new = (load_side(side, not args.no_bundled) for side in sides)
        try:
            difference = compare(old, new)
        finally:
            old.close()
            new.close()
    if args.format == "json":
        print(json.dumps(difference.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(difference.text(), file=sys.stdout)
    return 0 if difference.equal else 1
