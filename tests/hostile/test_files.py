"""``-o`` writes regular files only, and never leaves its temporary file behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plenipot import files
from plenipot.errors import ParameterError

ROOT = Path(__file__).resolve().parents[2]


def test_a_symlink_a_fifo_and_a_device_are_refused_without_force(tmp_path):
    target = tmp_path / "target.ttl"
    target.write_bytes(b"keep")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path, kind in ((link, "symbolic link"), (fifo, "FIFO"), (Path("/dev/null"), "device")):
        with pytest.raises(ParameterError, match=f"is a {kind}, not a regular file"):
            files.check_output(path)
        with pytest.raises(ParameterError, match="--force"):
            files.write_output(path, b"new")
    assert link.is_symlink() and target.read_bytes() == b"keep"
    assert fifo.is_fifo() and Path("/dev/null").is_char_device()


def test_force_writes_through_a_symlink_and_into_a_device(tmp_path):
    target = tmp_path / "target.ttl"
    target.write_bytes(b"old")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    files.write_output(link, b"new", force=True)
    assert link.is_symlink() and target.read_bytes() == b"new"
    files.write_output(Path("/dev/null"), b"gone", force=True)
    assert Path("/dev/null").is_char_device()


def test_export_to_a_device_exits_2_and_leaves_the_device(tmp_path):
    done = subprocess.run([sys.executable, "-m", "plenipot", "export", "-o", "/dev/null"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "/dev/null is a device" in done.stderr and "Traceback" not in done.stderr
    assert Path("/dev/null").is_char_device()


WRITER = """
import sys, time
from pathlib import Path
from plenipot import files

real = files.os.fdopen
def slow_fdopen(*args, **kwargs):
    file = real(*args, **kwargs)
    print("writing", flush=True)
    time.sleep(30)
    return file
files.os.fdopen = slow_fdopen
files.write_atomically(Path(sys.argv[1]), b"data")
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_write_removes_the_temporary_file(tmp_path, signum):
    out = tmp_path / "out.ttl"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        assert list(tmp_path.glob(".out.ttl.*.tmp"))
        writer.send_signal(signum)
        writer.wait(10)
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
    assert writer.returncode != 0
    assert list(tmp_path.iterdir()) == []


def test_a_temporary_file_left_by_a_killed_writer_goes_with_the_next_write(tmp_path):
    out = tmp_path / "out.ttl"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        writer.kill()  # SIGKILL: no handler runs
        writer.wait(10)
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
    assert len(list(tmp_path.glob(".out.ttl.*.tmp"))) == 1
    time.sleep(0.1)
    files.write_atomically(out, b"fresh")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]
    assert out.read_bytes() == b"fresh"
