"""One typed ``Settings``, read once from the environment (prefix ``PLENIPOT_``)."""

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from plenipot.errors import ParameterError


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"PLENIPOT_{name}", default)


@dataclass(frozen=True)
class Settings:
    data: tuple[Path, ...] = ()  # the user's RDF files or folders, read beside the bundled data
    bundled: bool = True  # serve the bundled ontology and data too
    store_path: Path | None = None  # durable on-disk Oxigraph store; None keeps it in memory
    endpoint: str | None = None  # a remote SPARQL 1.1 endpoint instead of the embedded store
    endpoint_user: str | None = field(default=None, repr=False)
    endpoint_password: str | None = field(default=None, repr=False)
    base_url: str | None = None  # public base of the service; None: taken from each request
    query_timeout: float = 10.0  # seconds
    max_rows: int = 10_000
    max_body: int = 1_000_000  # bytes
    query_workers: int = 2  # killable query processes; 0 runs queries in-process, unbounded
    cache_entries: int = 2048  # answers kept for repeated queries (the store never changes); 0: off
    validate_on_start: bool = True  # report in /health whether the data conforms

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Settings from ``PLENIPOT_*`` variables, then ``overrides`` (from the command line)."""
        values: dict = {}
        if (data := _env("DATA")) is not None:
            values["data"] = tuple(Path(p) for p in data.split(os.pathsep) if p)
        for name in ("bundled", "validate_on_start"):
            if (flag := _env(name.upper())) is not None:
                values[name] = flag.lower() not in {"0", "false", "no"}
        if store := _env("STORE"):
            values["store_path"] = Path(store)
        for name in ("endpoint", "endpoint_user", "endpoint_password", "base_url"):
            if value := _env(name.upper()):
                values[name] = value
        numbers = (("query_timeout", float), ("max_rows", int), ("max_body", int),
                   ("query_workers", int), ("cache_entries", int))
        for name, kind in numbers:
            if (raw := _env(name.upper())) is not None:
                try:
                    values[name] = kind(raw)
                except ValueError:
                    raise ParameterError(f"PLENIPOT_{name.upper()}",
                                         f"must be a number, not {raw!r}") from None
        known = {f.name for f in fields(cls)}
        values.update({k: v for k, v in overrides.items() if k in known and v is not None})
        return replace(cls(), **values)
