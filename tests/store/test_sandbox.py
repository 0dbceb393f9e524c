"""The sandbox of the processes that evaluate queries and parse data: no network (as root, and
as another user through a user namespace), and a memory cap."""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from plenipot.store import sandbox

LINUX = sys.platform.startswith("linux")
PROBE = """
import socket, sys
sys.path.insert(0, sys.argv[1])
import sandbox

def reach(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return "connected"
    except OSError as error:
        return type(error).__name__

port = int(sys.argv[2])
before = reach(port)
how = sandbox.isolate_network()
print(before, how, reach(port), sandbox.isolate_network())
"""


def probe(port: int, prefix: list[str]) -> list[str]:
    """Run the sandbox module alone (the standard library only) in a fresh interpreter, from a
    folder that another user can read."""
    folder = Path(tempfile.mkdtemp(prefix="plenipot-sandbox-"))
    try:
        os.chmod(folder, 0o755)
        shutil.copy(Path(sandbox.__file__), folder / "sandbox.py")
        os.chmod(folder / "sandbox.py", 0o644)
        done = subprocess.run([*prefix, PROBE, str(folder), str(port)], capture_output=True,
                              text=True, timeout=60, cwd=folder)
    finally:
        shutil.rmtree(folder)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.fixture
def port():
    import socket

    server = socket.create_server(("127.0.0.1", 0))
    yield server.getsockname()[1]
    server.close()


@pytest.mark.skipif(not LINUX, reason="network namespaces are Linux's")
def test_as_this_user_the_process_loses_the_network(port):
    before, how, after, again = probe(port, [sys.executable, "-c"])
    assert before == "connected"  # the control: the same connection works until isolated
    assert how in ("netns", "userns") and again == how
    assert after != "connected"


@pytest.mark.skipif(not LINUX or os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root to become another user")
def test_as_another_user_a_user_namespace_takes_the_network_away(port):
    python = shutil.which("python3", path="/usr/bin") or sys.executable
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c"]
    before, how, after, _ = probe(port, prefix)
    assert before == "connected"
    if how == "none":
        pytest.skip("this kernel allows no unprivileged user namespaces")
    assert how == "userns" and after != "connected"


def test_the_memory_cap_is_the_setting_or_sized_from_the_data():
    assert sandbox.memory_limit(700, 10**9) == 700 * sandbox.MIB
    assert sandbox.memory_limit(0, 10 * sandbox.MIB) == 1024 * sandbox.MIB + 400 * sandbox.MIB
    on_disk = sandbox.memory_limit(0, 10 * sandbox.MIB, on_disk=True)
    assert on_disk == 1024 * sandbox.MIB + 400 * sandbox.MIB + sandbox.ON_DISK_HEADROOM
    code = ("import resource, sys; sys.path.insert(0, sys.argv[1]); import sandbox; "
            "sandbox.cap_memory(900 * 2**20); print(resource.getrlimit(resource.RLIMIT_AS)[0]); "
            "bytearray(2 * 2**30)")
    done = subprocess.run([sys.executable, "-c", code, str(Path(sandbox.__file__).parent)],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.split()[0] == str(900 * 2**20)
    assert "MemoryError" in done.stderr  # 2 GiB past a 900 MiB cap fails
    assert resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY  # not this one
