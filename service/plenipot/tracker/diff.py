"""``plenipot diff``: what changed between two states of the data — two folders, two dumps, or
two git revisions of a data repository — told as a tracker would: proposals added and
removed, status changes (new dated entries), changed fields, new resolutions and revisions.

    load_side(path, bundled) -> Store
    git_side(repo, revision, path, folder) -> Path      the files of a revision, via git archive
    compare(old, new) -> Difference
    Difference.text() / .to_dict() / .equal
"""

import io
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from plenipot.errors import InputError, Location
from plenipot.namespaces import PP
from plenipot.queries.header import sparql
from plenipot.queries.run import select
from plenipot.sources.bundled import graph_sources
from plenipot.store.base import Store
from plenipot.store.embedded import EmbeddedStore
from plenipot.tracker.history import status_changes
from plenipot.tracker.tables import COLUMNS, key_of, proposal_rows

FIELDS = tuple(c for c in COLUMNS if c not in ("id", "conference", "status", "status_date"))
KINDS = {PP.Resolution: "resolutions", PP.Decision: "decisions", PP.Revision: "revisions"}


@dataclass
class Difference:
    added: list[dict] = field(default_factory=list)  # proposals: id, conference, action, target
    removed: list[dict] = field(default_factory=list)
    statuses: list[dict] = field(default_factory=list)  # id, status, date, sources, previous
    fields: list[dict] = field(default_factory=list)  # id, field, old, new
    instruments: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def equal(self) -> bool:
        return not (self.added or self.removed or self.statuses or self.fields
                    or any(v for kinds in self.instruments.values() for v in kinds.values()))

    def to_dict(self) -> dict:
        return {"equal": self.equal,
                "proposals": {"added": self.added, "removed": self.removed,
                              "changed": self.fields},
                "status_changes": self.statuses, **self.instruments}

    def text(self) -> str:
        if self.equal:
            return "No differences."
        out: list[str] = []

        def section(title: str, lines: list[str]) -> None:
            if lines:
                out.append(f"{title} ({len(lines)}):")
                out.extend(f"  {line}" for line in lines)
        section("Proposals added", [f"+ {p['id']} ({p['conference']}): {p['action']} "
                                    f"{p['target']} by {p['submitters']}, {p['status']}"
                                    for p in self.added])
        section("Proposals removed", [f"- {p['id']} ({p['conference']})" for p in self.removed])
        section("Status changes", [f"{s['id']}: {s['previous'] or '(none)'} → {s['status']}"
                                   f" ({s['date'] or 'undated'})" for s in self.statuses])
        section("Changed fields", [f"{f['id']}: {f['field']}: {f['old']!r} → {f['new']!r}"
                                   for f in self.fields])
        for kind, change in self.instruments.items():
            section(f"New {kind}", [f"+ {label}" for label in change["added"]])
            section(f"Removed {kind}", [f"- {label}" for label in change["removed"]])
        return "\n".join(out)


def load_side(path: Path, bundled: bool) -> Store:
    """A store over ``path`` (a folder or a file), beside the bundled data unless not."""
    if not path.exists():
        raise InputError("no such file or folder", Location(str(path)))
    return EmbeddedStore.open([*(graph_sources() if bundled else []), path])


def git_side(repo: Path, revision: str, path: str, folder: Path) -> Path:
    """The files under ``path`` at ``revision`` of the git repository ``repo``, written into
    ``folder`` (``git archive``); the folder to load."""
    command = ["git", "-C", str(repo), "archive", "--format=tar", revision, "--", path]
    try:
        done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed", Location(str(repo))) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git archive {revision} -- {path}: "
                         f"{message[-1] if message else 'failed'}", Location(str(repo)))
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(folder, filter="data")
    return folder / path


def _proposals(store: Store) -> dict[str, dict]:
    return {str(r["_iri"]): r for r in proposal_rows(store)}


def _instruments(store: Store) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {kind: {} for kind in KINDS.values()}
    for r in select(store, sparql("plenipot.tracker", "instruments")).rows:
        found[KINDS[r["kind"]]][str(r["s"])] = str(r.get("label") or key_of(r["s"]))
    return found


def compare(old: Store, new: Store) -> Difference:
    """What changed from ``old`` to ``new``."""
    diff = Difference()
    before, after = _proposals(old), _proposals(new)
    for iri in sorted(set(after) - set(before), key=lambda i: after[i]["id"]):
        diff.added.append({k: after[iri][k] for k in ("id", "conference", "action", "target",
                                                       "submitters", "status")} | {"iri": iri})
    for iri in sorted(set(before) - set(after), key=lambda i: before[i]["id"]):
        diff.removed.append({"id": before[iri]["id"], "conference": before[iri]["conference"],
                             "iri": iri})
    for iri in sorted(set(before) & set(after), key=lambda i: after[i]["id"]):
        for name in FIELDS:
            if before[iri][name] != after[iri][name]:
                diff.fields.append({"id": after[iri]["id"], "field": name,
                                    "old": before[iri][name], "new": after[iri][name]})
    known = {str(e.change) for e in status_changes(old)}
    for entry in status_changes(new):
        if str(entry.change) in known or str(entry.proposal) not in before:
            continue  # an added proposal's first status is told with it
        diff.statuses.append({"id": entry.identifier, "iri": str(entry.proposal),
                              "status": key_of(entry.status), "date": entry.date,
                              "previous": before[str(entry.proposal)]["status"],
                              "sources": [str(s) for s in entry.sources]})
    then, now = _instruments(old), _instruments(new)
    for kind in KINDS.values():
        diff.instruments[kind] = {
            "added": sorted(now[kind][i] for i in set(now[kind]) - set(then[kind])),
            "removed": sorted(then[kind][i] for i in set(then[kind]) - set(now[kind]))}
    return diff
