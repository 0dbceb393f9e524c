"""``plenipot init DIR``: start a tracker repository."""

import sys

from plenipot.files import write_atomically


def cli_init(args) -> int:
    """0 written; 2 a folder that is not empty (without --force) or a file in the way."""
    from plenipot.config import Settings
    from plenipot.tracker.importer import run_import
    from plenipot.tracker.init import check_target, scaffold_files

    folder = args.folder
    files = scaffold_files(args.action) if args.action else scaffold_files()
    check_target(folder, files, args.force)
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / path, data)
    sheet, turtle_path = folder / "data" / "proposals.csv", folder / "data" / "proposals.ttl"
    turtle, _ = run_import(sheet, None, Settings.from_env(data=()))
    write_atomically(turtle_path, turtle)
    print(f"A tracker repository in {folder}: edit data/proposals.csv, then\n"
          f"  plenipot import data/proposals.csv -o data/proposals.ttl && plenipot validate data\n"
          "(see its README.md)", file=sys.stderr)
    return 0
