"""The README as tests: every command and ``curl`` line of README.md, run as written on a
fresh, non-editable install (conftest.py's ``installed``), its output checked.

The examples are read from README.md itself — every line of its fenced ``sh`` blocks and every
`` `plenipot …` `` row of its tables — so a new README line is tested automatically, and a
line with no entry in ``CHECKS`` fails. Each runs under bash in a fresh folder holding the
user's files the README names (tests/fixtures/readme/, and the tracker sheet fixture as
``tracker.csv``), with the install's ``bin/`` first on ``PATH`` and ``.venv`` linked to it.
``plenipot serve`` lines start a real server on a free 127.0.0.1 port (``--port 8000`` is
replaced, or ``--port`` added), fetch one path, and stop it with Ctrl-C. ``curl`` lines run
the real curl against one ``plenipot serve`` of the bundled data, ``127.0.0.1:8000`` replaced.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
FIXTURES = ROOT / "tests" / "fixtures"
USER_FILES = [*sorted((FIXTURES / "readme").iterdir()),
              (FIXTURES / "tracker" / "valid.csv", "tracker.csv")]
README_PORT = "127.0.0.1:8000"

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Check:
    """What one README line must do."""

    exit: int = 0
    out: tuple[str, ...] = ()  # texts its standard output contains
    quiet: bool = False  # its standard output is empty (e.g. no annotations: it conforms)
    files: dict[str, str] = field(default_factory=dict)  # a file it writes -> a text in it
    get: tuple[str, tuple[str, ...]] | None = None  # serve: a path, and texts its answer holds
    before: tuple[str, ...] = ()  # README lines run first, in the same folder
    setup: tuple[str, ...] = ()  # shell lines of this test run before those (e.g. a git repo)
    runs: str | None = None  # the end of the line that is run (the rest is this test's setup)
    skip: str | None = None  # why the line is not run here

    def has_content(self) -> bool:
        return bool(self.out or self.quiet or self.files or self.get or self.skip)


IMPORT = "plenipot import tracker.csv -o my-data/mine.ttl"
GIT = "git -c user.name=Test -c user.email=test@example.org"
GIT_IMPORT = "plenipot import -o data/proposals.ttl"
CHECKS: dict[str, Check] = {
    # the quick start
    "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/plenipot serve": Check(
        runs=".venv/bin/plenipot serve",  # the install is the fixture's: the wheel, not editable
        get=("/", ("Plenipot", "Resolution"))),
    "bash scripts/setup-tests && .venv/bin/python -m pytest": Check(
        skip="the test command itself"),
    # the command table
    "plenipot validate": Check(out=(": 0 violation(s), 1 warning(s)", "passes unless --strict")),
    "plenipot validate my-data/ --format github": Check(
        before=(IMPORT,), out=("::warning file=my-data/mine.ttl,line=",)),
    "plenipot validate --no-bundled --shapes my-shapes.ttl my-data.ttl": Check(
        out=("conforms: 0 violation(s), 0 warning(s), 0 info in 1 file(s), 2 triples",)),
    "plenipot validate my-proposals.ttl --format sarif > plenipot.sarif": Check(
        setup=("plenipot import tracker.csv -o my-proposals.ttl",),  # the sample, one late doc
        files={"plenipot.sarif": '"ruleId": "contribution-late"'}),
    "plenipot query --list": Check(out=("proposals-for-resolution\n", "--param number=")),
    "plenipot query proposals-for-resolution --param number=130 --format csv": Check(
        out=("proposal,identifier,conference,action,target", ",EUR/44A7/1,PP-22,MOD,")),
    "plenipot query --sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'": Check(
        out=("n\n", "(1 row)")),
    "plenipot serve --port 8000 --store ./store": Check(
        get=("/health", ('"status":"ok"',)), files={"store/plenipot-loaded.json": "{"}),
    "plenipot serve --no-bundled --data my-graph.trig": Check(
        get=("/sparql?" + urlencode({"query": "SELECT ?t { ?b <http://example.org/title> ?t }"}),
             ('"Moby-Dick"', '"Ulysses"'))),
    "plenipot export --format trig -o build/plenipot.trig": Check(
        files={"build/plenipot.trig":
               "<https://w3id.org/plenipot/source/data/resolutions/pp.ttl> {"}),
    "plenipot export --format csv --table proposals": Check(
        out=("id,conference,document,submitters,action,target", "EUR/44A7/1,PP-22,")),
    IMPORT: Check(files={"my-data/mine.ttl": '"TEST/9001/1"'}),
    # tests/fixtures/readme/tracker.xlsx: tracker/valid.csv's rows on a sheet named Proposals
    "plenipot import tracker.xlsx --sheet Proposals -o my-data/mine.ttl": Check(
        files={"my-data/mine.ttl": '"TEST/9001/1"'}),
    # a data repository with two commits: the sheet's first row imported, then all of it
    "plenipot diff --git HEAD~1 HEAD": Check(
        setup=(f"git init -q && head -2 tracker.csv > first.csv && {GIT_IMPORT} first.csv && "
               f"git add data && {GIT} commit -qm first && {GIT_IMPORT} tracker.csv && "
               f"{GIT} commit -qam second",),
        exit=1, out=("Proposals added (3):\n", "+ TEST/9002A1/2 (PP-22): SUP Resolution 200")),
    "plenipot init my-tracker": Check(
        files={"my-tracker/data/proposals.csv": "id,conference,document",
               "my-tracker/data/proposals.ttl": "a pp:Proposal",
               "my-tracker/.github/workflows/validate.yml": "plenipot"}),
    # your own data
    "plenipot validate my-data/": Check(
        before=(IMPORT,), out=(": 0 violation(s), 1 warning(s)",)),
    "plenipot serve --data my-data/": Check(
        before=(IMPORT,),
        get=("/queries/proposals-for-resolution?number=102", ("TEST/9001/1",))),
    # the service
    "curl -G -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?s ?p ?o WHERE { ?s ?p ?o } "
    "LIMIT 3' http://127.0.0.1:8000/sparql": Check(out=("s,p,o\n", "https://w3id.org/")),
    "curl 'http://127.0.0.1:8000/queries/proposals-for-resolution?number=130'": Check(
        out=('"head": {"vars": ["proposal"', '"EUR/44A7/1"')),
    "curl 'http://127.0.0.1:8000/api/resolutions/pp/130'": Check(
        out=('"number":"130"', "Strengthening the role of ITU in building confidence")),
    "curl -H 'Accept: text/turtle' 'http://127.0.0.1:8000/id/resolution/pp/130'": Check(
        out=("@prefix pp: <https://w3id.org/plenipot/def#> .",
             "<https://w3id.org/plenipot/id/resolution/pp/130>")),
    # other SPARQL engines: run against real engines and nginx by tests/remote/
}
_ENGINES = "needs a running SPARQL engine (and nginx): tests/remote/ runs these against real ones"
CHECKS.update({line: Check(skip=_ENGINES) for line in (
    "plenipot load --endpoint http://127.0.0.1:7878/query --gsp http://127.0.0.1:7878/store",
    "plenipot serve --store sparql:http://127.0.0.1:7878/query",
    "for i in 1 2 3; do PLENIPOT_REPLICA=r$i plenipot serve --port 800$i --store "
    "sparql:http://127.0.0.1:8890/sparql & done",
    'mkdir -p build/nginx/logs build/nginx/temp && nginx -p "$PWD/build/nginx" -c '
    '"$PWD/deploy/nginx.conf"',
    "curl -si http://127.0.0.1:8080/health | grep -i -e x-plenipot-replica -e x-upstream",
)})


def readme_examples(text: str) -> list[str]:
    """Every line of the fenced ``sh`` blocks (comments and blank lines aside), and every
    table row whose first cell is a `` `plenipot …` `` command, in README order."""
    found: list[tuple[int, str]] = []
    for block in re.finditer(r"^```sh\n(.*?)^```", text, re.S | re.M):
        offset = block.start(1)
        for line in block[1].splitlines(keepends=True):
            if line.strip() and not line.lstrip().startswith("#"):
                found.append((offset, line.strip()))
            offset += len(line)
    for row in re.finditer(r"^\| `(plenipot [^`]+)` \|", text, re.M):
        found.append((row.start(), row[1]))
    return list(dict.fromkeys(line for _, line in sorted(found)))  # a repeated line runs once


EXAMPLES = readme_examples(README.read_text(encoding="utf-8"))


def test_every_readme_example_has_a_check_and_every_check_an_example():
    assert len(EXAMPLES) >= 15, "the README's examples were not found"
    unchecked = [line for line in EXAMPLES if line not in CHECKS]
    assert not unchecked, f"README examples with no entry in CHECKS ({__file__}): {unchecked}"
    stale = [line for line in CHECKS if line not in EXAMPLES]
    assert not stale, f"CHECKS for lines no longer in the README: {stale}"
    for line, check in CHECKS.items():
        assert check.has_content(), f"a check that checks no output: {line}"
        assert all(b in EXAMPLES for b in check.before), f"'before' not in the README: {line}"
        assert check.runs is None or line.endswith(check.runs)


def test_readme_examples_find_blocks_and_table_rows():
    text = ("| `plenipot a` | x |\n```sh\n# note\ncurl b\n\n  plenipot c\nplenipot a\n```\n"
            "| `not this` | y |\n```python\nprint()\n```\n")
    assert readme_examples(text) == ["plenipot a", "curl b", "plenipot c"]


# --- running a line ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(installed: Path) -> dict[str, str]:
    """The user's shell after activating the install: none of this run's settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PLENIPOT_") and k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return {**env, "PATH": f"{installed / 'bin'}{os.pathsep}{env.get('PATH', '')}"}


def fetch(url: str, timeout: float = 15) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_up(server: subprocess.Popen, port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            fetch(f"http://127.0.0.1:{port}/health", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if server.poll() is not None:
                pytest.fail(f"the server exited {server.returncode}: {server.stdout.read()}")
            if time.monotonic() > deadline:
                pytest.fail("the server did not answer /health")
            time.sleep(0.2)


def stop(server: subprocess.Popen) -> str:
    """Ctrl-C, as a user stops it; its output."""
    os.killpg(server.pid, signal.SIGINT)
    try:
        output, _ = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        output, _ = server.communicate()
        pytest.fail(f"the server did not stop on Ctrl-C: {output}")
    return output


def start(line: str, cwd: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(["bash", "-c", line], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)


def with_port(line: str, port: int) -> str:
    if "--port 8000" in line:
        return line.replace("--port 8000", f"--port {port}")
    return f"{line} --port {port}"


@pytest.fixture
def workdir(tmp_path: Path, installed: Path) -> Path:
    """A fresh folder with the user's files the README names, and ``.venv`` -> the install."""
    for entry in USER_FILES:
        source, name = entry if isinstance(entry, tuple) else (entry, entry.name)
        shutil.copy(source, tmp_path / name)
    (tmp_path / ".venv").symlink_to(installed, target_is_directory=True)
    return tmp_path


@pytest.fixture(scope="module")
def served(installed: Path, tmp_path_factory) -> Iterator[int]:
    """One ``plenipot serve`` of the bundled data, from the install, for the curl lines."""
    port = free_port()
    server = start(f"plenipot serve --port {port}", tmp_path_factory.mktemp("served"),
                   environment(installed))
    try:
        wait_until_up(server, port)
        yield port
    finally:
        output = stop(server)
    assert server.returncode == 0, output


def run(line: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("line", EXAMPLES, ids=[line[:60] for line in EXAMPLES])
def test_readme_example(line: str, installed: Path, workdir: Path, request):
    check = CHECKS.get(line)
    if check is None:
        pytest.fail(f"README example with no entry in CHECKS ({__file__}): {line}")
    if check.skip:
        pytest.skip(check.skip)
    env = environment(installed)
    for step in check.setup:
        assert shutil.which("git", path=env["PATH"]) or "git" not in step, "git is not installed"
        done = run(step, workdir, env)
        assert done.returncode == 0, f"{step}\n{done.stdout}\n{done.stderr}"
    for earlier in check.before:
        done = run(earlier, workdir, env)
        assert done.returncode == 0, f"{earlier}\n{done.stdout}\n{done.stderr}"
    command = check.runs or line
    if line.startswith("curl "):
        assert README_PORT in command, f"a curl line not on {README_PORT}: {line}"
        port = request.getfixturevalue("served")
        done = run(command.replace(README_PORT, f"127.0.0.1:{port}"), workdir, env)
        output, code = done.stdout, done.returncode
        assert shutil.which("curl", path=env["PATH"]), "curl is not installed"
    elif "plenipot serve" in command:
        assert check.get, f"a serve line needs a path to fetch: {line}"
        port = free_port()
        server = start(with_port(command, port), workdir, env)
        try:
            wait_until_up(server, port)
            status, body = fetch(f"http://127.0.0.1:{port}{check.get[0]}")
        finally:
            output = stop(server)
        code = server.returncode
        assert status == 200, body
        for text in check.get[1]:
            assert text in body, f"{text!r} not in the answer to {check.get[0]}: {body[:2000]}"
        assert "Traceback" not in output, output
    else:
        done = run(command, workdir, env)
        output, code = done.stdout, done.returncode
        assert "Traceback" not in done.stderr, done.stderr
    assert code == check.exit, f"exit {code}, not {check.exit}:\n{output[-3000:]}"
    for text in check.out:
        assert text in output, f"{text!r} not in the output:\n{output[-3000:]}"
    if check.quiet:
        assert output == "", output
    for name, text in check.files.items():
        written = workdir / name
        assert written.is_file(), f"{name} was not written"
        assert text in written.read_text(encoding="utf-8"), f"{text!r} not in {name}"
    if line.startswith("curl ") and output.lstrip().startswith("{"):
        json.loads(output)  # a JSON answer is whole
