"""What ``/health`` reports: the data version, its size, and whether it conforms to the shapes.

SHACL validation is slow (seconds), so it runs once after start-up in its own process (pure
Python would hold the server's GIL) and ``conforms`` is ``"pending"`` until it is done. That
process parses the data files, so it is bounded like a query worker: no network
(``plenipot.store.sandbox``), a memory cap, and a time limit after which it is killed and
``conforms`` says ``"error"`` with the reason.
"""

import multiprocessing as mp
import signal
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from plenipot import __version__
from plenipot.store.base import Store

VALIDATE_SECONDS = 300.0  # the most the start-up validation may take
VALIDATE_MEMORY = 4096 * 1024 * 1024  # bytes of address space for it


def _validate(conn: Connection, paths: list[str], memory: int | None = VALIDATE_MEMORY) -> None:
    from plenipot.store import sandbox
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle

    sandbox.isolate_network()
    sandbox.cap_memory(memory)
    try:
        from plenipot.validation.shacl import validate

        report = validate([Path(p) for p in paths], bundled=False)
        counts = {severity: report.count(severity) for severity in ("violation", "warning")}
        conn.send(("done", report.conforms, counts))
    except MemoryError:
        conn.send(("error", "the validation ran out of memory and was stopped", None))
    except Exception as error:  # bad shapes or data: reported, never fatal to the service
        conn.send(("error", f"{type(error).__name__}: {error}", None))


class HealthMonitor:
    def __init__(self, store: Store, sources: list[Path], validate: bool = True,
                 timeout: float = VALIDATE_SECONDS):
        self.store, self.sources, self.timeout = store, sources, timeout
        self.started = time.time()
        self._conforms: bool | str = "not checked"
        self._detail: str | None = None
        self._counts: dict | None = None
        self._process = self._conn = self._timer = None
        self._stopped = False
        if validate and sources:
            from plenipot.store.workers import start_process

            self._conn, theirs = mp.Pipe(duplex=False)
            self._process = start_process(_validate, (theirs, [str(p) for p in sources]),
                                          "plenipot-validate")
            theirs.close()
            self._conforms = "pending"
            self._timer = threading.Timer(timeout, self._stop_validation)
            self._timer.daemon = True
            self._timer.start()

    def _stop_validation(self) -> None:
        """The time limit: a validation still running is killed (it holds a core)."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._stopped = True

    def _collect(self) -> None:
        if self._conforms != "pending" or self._conn is None:
            return
        try:
            if not self._conn.poll():
                if self._process is not None and not self._process.is_alive():
                    self._conforms, self._detail = "error", self._why_stopped()
                return
            outcome, value, self._counts = self._conn.recv()
        except (EOFError, OSError):
            self._conforms, self._detail = "error", self._why_stopped()
            return
        if outcome == "done":
            self._conforms = value
        else:
            self._conforms, self._detail = outcome, value

    def _why_stopped(self) -> str:
        if self._stopped:
            return f"the validation did not finish in {self.timeout:g} s and was stopped"
        return "the validation process stopped"

    def report(self) -> dict:
        self._collect()
        report = {
            "status": "ok",
            "version": __version__,
            "data": self.store.data_version(),
            "triples": self.store.triple_count(),
            "graphs": len(self.store.graph_names()),
            "conforms": self._conforms,
            "uptime_seconds": round(time.time() - self.started, 1),
        }
        if self._counts:
            report["shapes_results"] = self._counts
        if self._detail:
            report["conforms_detail"] = self._detail
        return report

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._process is not None and self._process.is_alive():
            self._process.kill()
        if self._process is not None:
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
