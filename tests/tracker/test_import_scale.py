"""``plenipot import`` stays linear in the rows without timing anything: the graph is asked a
number of queries that does not grow with the sheet (one per batch of proposals, not one per
row), and the file index the check uses is the one the writer knows, equal to the one-pass
scan of the file it replaces."""

import csv
from pathlib import Path

import pytest

from plenipot.sources.bundled import graph_sources
from plenipot.sources.locate import FileIndex
from plenipot.store.embedded import EmbeddedStore
from plenipot.tracker.build import import_rows, to_turtle
from plenipot.tracker.check import _known_index
from plenipot.tracker.reconcile import BATCH
from plenipot.tracker.sheet import read_tracker
from plenipot.tracker.tables import COLUMNS

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tracker"
TARGETS = [("MOD", "Resolution 102"), ("ADD", "new: synthetic resolution {n}"),
           ("SUP", "Resolution 133"), ("MOD", "CS Article 1")]


class Counting:
    """A store that counts the queries asked of it."""

    def __init__(self, store):
        self.store, self.queries = store, 0

    def select(self, *args, **kwargs):
        self.queries += 1
        return self.store.select(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.store, name)


@pytest.fixture(scope="module")
def store():
    opened = EmbeddedStore.open(graph_sources())
    yield opened
    opened.close()


def sheet(path: Path, rows: int) -> Path:
    """``rows`` valid proposals against the bundled data, ten to a document."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for n in range(rows):
            action, target = TARGETS[n % len(TARGETS)]
            cells = {"id": f"TEST/{9000 + n // 10}/{n % 10 + 1}", "conference": "PP-22",
                     "document": str(9000 + n // 10), "submitters": "USA;CAN" if n % 2 else "CEPT",
                     "action": action, "target": target.format(n=n), "title": f"Proposal {n}",
                     "summary": f"Row {n}.", "issue_areas": "internet-public-policy",
                     "topics": "internet-governance;ipv6", "status": "submitted",
                     "status_date": "2022-08-01", "source": f"https://example.org/test/{n}"}
            writer.writerow([cells.get(column, "") for column in COLUMNS])
    return path


def queries_for(store, path: Path) -> int:
    counting = Counting(store)
    import_rows(read_tracker(path, str(path)), counting, str(path))
    return counting.queries


def test_the_queries_asked_do_not_grow_with_the_rows(store, tmp_path):
    few = queries_for(store, sheet(tmp_path / "few.csv", 40))
    many = queries_for(store, sheet(tmp_path / "many.csv", BATCH - 20))
    assert many == few  # one query per row would add 440 (two per proposal: 880)
    more = queries_for(store, sheet(tmp_path / "more.csv", 2 * BATCH + 40))
    assert more <= few + 3 * 2  # a batch more of proposals, drafts and documents, twice


@pytest.mark.parametrize("name", ["valid.csv", "realistic.csv"])
def test_the_lines_the_writer_gives_are_the_scan_of_its_file(store, tmp_path, name):
    path = FIXTURES / name
    if not path.exists():
        pytest.skip(f"no {name} fixture")
    imported = import_rows(read_tracker(path, str(path)), store, str(path))
    lines: dict[str, int] = {}
    written = tmp_path / "imported.ttl"
    written.write_bytes(to_turtle(imported.graph, path.name, lines))
    scanned = FileIndex(written)
    assert lines == scanned.subjects and lines
    known = _known_index(written, written.read_bytes(), lines, imported)
    assert known.rewritten == scanned.rewritten
    assert scanned.datatypes <= known.datatypes
