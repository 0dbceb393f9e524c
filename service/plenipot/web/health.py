"""What ``/health`` reports: the data version, its size, and whether it conforms to the shapes.

SHACL validation is slow (seconds), so it runs once after start-up in its own process (pure
Python would hold the server's GIL) and ``conforms`` is ``"pending"`` until it is done.
"""

import multiprocessing as mp
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path

from plenipot import __version__
from plenipot.store.base import Store


def _validate(conn: Connection, paths: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    try:
        from plenipot.validation.shacl import validate

        report = validate([Path(p) for p in paths], bundled=False)
        counts = {severity: report.count(severity) for severity in ("violation", "warning")}
        conn.send(("done", report.conforms, counts))
    except Exception as error:  # bad shapes or data: reported, never fatal to the service
        conn.send(("error", f"{type(error).__name__}: {error}", None))


class HealthMonitor:
    def __init__(self, store: Store, sources: list[Path], validate: bool = True):
        self.store, self.sources = store, sources
        self.started = time.time()
        self._conforms: bool | str = "not checked"
        self._detail: str | None = None
        self._counts: dict | None = None
        self._process = self._conn = None
        if validate and sources:
            from plenipot.store.workers import start_process

            self._conn, theirs = mp.Pipe(duplex=False)
            self._process = start_process(_validate, (theirs, [str(p) for p in sources]),
                                          "plenipot-validate")
            theirs.close()
            self._conforms = "pending"

    def _collect(self) -> None:
        if self._conforms != "pending" or self._conn is None:
            return
        try:
            if not self._conn.poll():
                if self._process is not None and not self._process.is_alive():
                    self._conforms, self._detail = "error", "the validation process stopped"
                return
            outcome, value, self._counts = self._conn.recv()
        except (EOFError, OSError):
            self._conforms, self._detail = "error", "the validation process stopped"
            return
        if outcome == "done":
            self._conforms = value
        else:
            self._conforms, self._detail = outcome, value

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
        if self._process is not None and self._process.is_alive():
            self._process.kill()
        if self._process is not None:
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
