"""Files that commands write: standard output, or a file written through a temporary file
beside it and a rename, so that a failure never leaves a half-written file (missing folders
on the way are created)."""

import os
import sys
import tempfile
from pathlib import Path

from plenipot.errors import ParameterError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output(path: Path | None) -> None:
    """Refuse an ``-o`` that names a folder before any work is done."""
    if path is not None and path.is_dir():
        raise ParameterError("--output", f"{path} is a folder; give a file name")


def write_output(path: Path | None, data: bytes) -> None:
    """``data`` to standard output, or to ``path`` through ``write_atomically``."""
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(path, data)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename;
    the folder is created first if need be (``-o build/plenipot.trig``)."""
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise ParameterError("--output", f"cannot write {path}: {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ParameterError("--output", f"cannot write {path}: "
                                         f"{error.strerror or error}") from None
    try:
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
