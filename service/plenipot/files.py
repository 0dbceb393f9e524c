"""Files that commands write: standard output, or a file written through a temporary file
beside it and a rename, so that a failure never leaves a half-written file (missing folders
on the way are created).

``-o`` writes regular files only: a symlink, a FIFO, a device or a socket at the path is refused
unless ``--force`` says to write to it anyway (a symlink is then followed and its target
replaced; a FIFO or device is written to directly, without a temporary file). While the
temporary file exists, SIGTERM, SIGINT and SIGHUP unlink it before the signal takes its usual
course; a temporary file left by a process that was killed outright (SIGKILL) carries that
process's id in its name and is removed by the next write to the same path.
"""

import contextlib
import glob
import os
import signal
import stat
import sys
import tempfile
import threading
from pathlib import Path

from plenipot.errors import ParameterError

_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device",
          stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _kind(path: Path) -> str | None:
    """What is at ``path`` when it is not a regular file (None: nothing, or a regular file)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise ParameterError("--output", f"cannot write {path}: {_file_on_the_way(path)} is a "
                                         "file, not a folder") from None
    except OSError as error:
        raise ParameterError("--output", f"cannot write {path}: "
                                         f"{error.strerror or error}") from None
    if stat.S_ISREG(mode):
        return None
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _file_on_the_way(path: Path) -> Path:
    """The first folder on the way to ``path`` that is a file instead."""
    for parent in reversed(path.parents):
        if str(parent) != "." and parent.exists() and not parent.is_dir():
            return parent
    return path.parent


def check_output(path: Path | None, force: bool = False) -> None:
    """Refuse an ``-o`` that names a folder, or (without ``force``) anything but a regular
    file, before any work is done."""
    if path is None:
        return
    if path.is_dir():
        raise ParameterError("--output", f"{path} is a folder; give a file name")
    kind = _kind(path)
    if kind is not None and not force:
        raise ParameterError("--output", f"{path} is {kind}, not a regular file; -o writes "
                                         "regular files only (--force writes to it anyway)")


def write_output(path: Path | None, data: bytes, force: bool = False) -> None:
    """``data`` to standard output, or to ``path`` through ``write_atomically``."""
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    check_output(path, force)
    if force and os.path.islink(path):
        path = Path(os.path.realpath(path))
    kind = _kind(path)
    if kind is not None:  # --force on a FIFO or a device: written to as it is
        _write_in_place(path, data)
    else:
        write_atomically(path, data)


def _write_in_place(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as file:
            file.write(data)
    except OSError as error:
        raise ParameterError("--output", f"cannot write {path}: "
                                         f"{error.strerror or error}") from None


def _remove_stale(folder: Path, name: str) -> None:
    """Temporary files of earlier writes to ``name`` whose process no longer exists."""
    for stale in folder.glob(f".{glob.escape(name)}.*.tmp"):
        pid = stale.name[len(name) + 2 :].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            stale.unlink(missing_ok=True)
        except OSError:  # someone else's live process
            continue


@contextlib.contextmanager
def _unlinked_on_signal(temporary: str):
    """While the body runs, a terminating signal removes ``temporary`` first."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def handler(number, frame):
        Path(temporary).unlink(missing_ok=True)
        for sig, old in previous.items():
            signal.signal(sig, old)
        old = previous.get(number)
        if callable(old):
            old(number, frame)
        else:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)

    for sig in _SIGNALS:
        previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename;
    the folder is created first if need be (``-o build/plenipot.trig``)."""
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise ParameterError("--output", f"cannot write {path}: {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale(folder, path.name)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.",
                                             suffix=".tmp", dir=folder)
    except OSError as error:
        raise ParameterError("--output", f"cannot write {path}: "
                                         f"{error.strerror or error}") from None
    try:
        with _unlinked_on_signal(temporary):
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it 0600; give what open() would
            os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ParameterError("--output", f"cannot write {path}: "
                                         f"{error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
