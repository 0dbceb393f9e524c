"""Data files neither fetch nor explode: RDF/XML entities and external DTDs, JSON-LD contexts
that are not inline (every form), through every reader — validate, query, export, the store
loader of ``serve --data`` and the health validator — and a corpus of malformed files in every
format, each answered at ``file:line:column`` with exit 2, never a traceback."""

import re
import subprocess
import time
from pathlib import Path

import pytest
from hostile_cases import FIXTURES, READ_FILES, REFUSED_FILES, SAMPLE, data_file

from plenipot.cli.main import main
from plenipot.errors import InputError
from plenipot.sources.rdf import safe_parse
from plenipot.store.embedded import EmbeddedStore
from plenipot.store.workers import WorkerPool
from plenipot.web.health import HealthMonitor

COMMANDS = {
    "validate": lambda path: ["validate", "--no-bundled", str(path)],
    "query": lambda path: ["query", "--no-bundled", "--data", str(path), "--sparql",
                           "ASK { ?s ?p ?o }"],
    "export": lambda path: ["export", "--no-bundled", "--data", str(path)],
}


@pytest.mark.parametrize(("name", "fragment"), REFUSED_FILES, ids=[n for n, _ in REFUSED_FILES])
def test_every_reader_refuses_it_at_a_place(tmp_path, capsys, listener, name, fragment):
    path = data_file(tmp_path, name, listener.url)
    located = re.compile(re.escape(str(path)) + r":\d+:\d+: ")
    for command, argv in COMMANDS.items():
        started = time.monotonic()
        code = main(argv(path))
        err = capsys.readouterr().err
        assert code == 2 and fragment in err and located.search(err), (command, err)
        assert time.monotonic() - started < 30, command  # refused, not expanded
    for load in (lambda: EmbeddedStore.open([path]), lambda: safe_parse(path)):
        with pytest.raises(InputError, match=fragment):
            load()
    assert listener.connections == 0


def test_serve_with_a_hostile_file_exits_2_at_start(tmp_path, listener):
    from conftest import PLENIPOT, free_port

    for name, fragment in (("billion-laughs.rdf", "entity"), ("context-remote.jsonld", "inline")):
        path = data_file(tmp_path, name, listener.url)
        done = subprocess.run([str(PLENIPOT), "serve", "--port", str(free_port()),
                               "--no-bundled", "--data", str(path)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and fragment in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert listener.connections == 0


def test_the_installed_validate_refuses_a_remote_context(tmp_path, listener):
    from conftest import PLENIPOT

    for name in ("context-remote.jsonld", "context-import.jsonld", "external-dtd.rdf"):
        path = data_file(tmp_path, name, listener.url)
        done = subprocess.run([str(PLENIPOT), "validate", "--no-bundled", str(path)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and f"{path}:" in done.stderr, done.stderr
    assert listener.connections == 0


@pytest.mark.parametrize("name", READ_FILES)
def test_rdf_that_names_the_listener_is_read_and_nothing_is_fetched(tmp_path, capsys, listener,
                                                                    name):
    path = data_file(tmp_path, name, listener.url)
    assert main(["validate", "--no-bundled", str(path)]) in (0, 1)  # owl:imports not followed
    assert main(COMMANDS["export"](path)) == 0
    capsys.readouterr()
    pool = WorkerPool.open([path], size=1)  # the store loader of serve --data
    try:
        assert pool.ask("ASK { ?s ?p ?o }")
    finally:
        pool.close()
    assert listener.connections == 0


def test_the_health_validator_is_bounded_in_time():
    from plenipot.sources.bundled import graph_sources

    monitor = HealthMonitor(store=EmbeddedStore.open([SAMPLE]), sources=graph_sources(),
                            timeout=0.01)  # less than starting the process takes
    try:
        deadline = time.monotonic() + 10
        while monitor.report()["conforms"] == "pending" and time.monotonic() < deadline:
            time.sleep(0.1)
        report = monitor.report()
        assert report["conforms"] == "error", report
        assert "did not finish in 0.01 s" in report["conforms_detail"]
    finally:
        monitor.close()


MALFORMED = sorted((FIXTURES / "malformed").iterdir())


@pytest.mark.parametrize("path", MALFORMED, ids=[p.name for p in MALFORMED])
def test_a_malformed_file_gets_file_line_column_and_exit_2(capsys, path: Path):
    located = re.compile(r"^plenipot \w+: " + re.escape(str(path)) + r":\d+:\d+: \S", re.M)
    for command, argv in COMMANDS.items():
        code = main(argv(path))
        err = capsys.readouterr().err
        assert code == 2 and located.search(err), (command, err)
        assert "Traceback" not in err and err.count("\n") == 1, (command, err)


def test_malformed_csv_sheets_get_file_line_and_exit_2(tmp_path, capsys):
    header = ("id,conference,document,submitters,action,target,title,summary,issue_areas,"
              "topics,status,status_date,source\n")
    sheets = {
        "unclosed-quote.csv": header + 'X/1/1,PP-22,1,CEPT,MOD,Resolution 102,"open,,,,,'
                                       "submitted,2022-08-01,https://example.org/\n",
        "missing-columns.csv": "id,conference\nX/1/1,PP-22\n",
        "bad-action.csv": header + "X/1/1,PP-22,1,CEPT,ZAP,Resolution 102,t,s,,,submitted,"
                                   "2022-08-01,https://example.org/\n",
    }
    for name, text in sheets.items():
        path = tmp_path / name
        path.write_text(text)
        code = main(["import", str(path)])
        err = capsys.readouterr().err
        assert code == 2 and re.search(re.escape(str(path)) + r":\d+", err), (name, err)
        assert "Traceback" not in err
    raw = tmp_path / "not-utf8.csv"
    raw.write_bytes(header.encode() + b"X/1/1,PP-22,1,CEPT,MOD,Resolution 102,caf\xe9\n")
    code = main(["import", str(raw)])
    err = capsys.readouterr().err
    assert code == 2 and str(raw) in err and "Traceback" not in err, err
