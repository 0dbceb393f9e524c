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
    max_query: int = 100_000  # characters of one SPARQL query from outside (400 beyond)
    worker_memory: int = 0  # MiB of address space per query worker; 0: sized from the data
    query_workers: int = 2  # killable query processes; 0 runs queries in-process, unbounded
    cache_entries: int = 2048  # answers kept for repeated queries (the store never changes); 0: off
    validate_on_start: bool = True  # report in /health whether the data conforms
    # the remote store (``--store sparql:URL``, docs/decisions/0010-remote-store.md)
    endpoint_update_url: str | None = None  # SPARQL Update endpoint, for ``plenipot load``
    endpoint_gsp_url: str | None = None  # Graph Store Protocol endpoint, for ``plenipot load``
    endpoint_auth: str = "basic"  # how credentials are sent: basic or digest (Virtuoso)
    endpoint_engine: str = "auto"  # virtuoso, fuseki, oxigraph, generic; auto: the Server header
    endpoint_dataset: str = "explicit"  # explicit: the source graphs as the protocol's dataset;
    # engine: the engine's own default graph (its union default graph setting)
    replica: str | None = None  # a name sent as X-Plenipot-Replica on every answer

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
            values.update(_store_setting(store))
        for name in ("endpoint", "endpoint_user", "endpoint_password", "base_url", "replica"):
            if value := _env(name.upper()):
                values[name] = value
        for name, variable in REMOTE_VARIABLES.items():
            if value := _env(variable):
                values[name] = value
        numbers = (("query_timeout", float), ("max_rows", int), ("max_body", int),
                   ("query_workers", int), ("cache_entries", int),
                   ("max_query", int), ("worker_memory", int))
        for name, kind in numbers:
            if (raw := _env(name.upper())) is not None:
                try:
                    values[name] = kind(raw)
                except ValueError:
                    raise ParameterError(f"PLENIPOT_{name.upper()}",
                                         f"must be a number, not {raw!r}") from None
        known = {f.name for f in fields(cls)}
        if isinstance(store := overrides.get("store_path"), str):  # --store sparql:URL
            overrides = {**overrides, "store_path": None, **_store_setting(store)}
        values.update({k: v for k, v in overrides.items() if k in known and v is not None})
        settings = replace(cls(), **values)
        if settings.endpoint_auth not in ("basic", "digest"):
            raise ParameterError("PLENIPOT_SPARQL_AUTH", "must be basic or digest, "
                                 f"not {settings.endpoint_auth!r}")
        if settings.endpoint_dataset not in ("explicit", "engine"):
            raise ParameterError("PLENIPOT_SPARQL_DATASET", "must be explicit or engine, "
                                 f"not {settings.endpoint_dataset!r}")
        return settings


# settings of the remote store -> their variables (after the prefix PLENIPOT_)
REMOTE_VARIABLES = {
    "endpoint_update_url": "SPARQL_UPDATE_URL", "endpoint_gsp_url": "SPARQL_GSP_URL",
    "endpoint_user": "SPARQL_USER", "endpoint_password": "SPARQL_PASSWORD",
    "endpoint_auth": "SPARQL_AUTH", "endpoint_engine": "SPARQL_ENGINE",
    "endpoint_dataset": "SPARQL_DATASET",
}
REMOTE_SCHEME = "sparql:"


def _store_setting(store: str) -> dict:
    """``--store`` / ``PLENIPOT_STORE``: ``sparql:URL`` is a remote engine, anything else a
    folder for the on-disk embedded store."""
    if store.startswith(REMOTE_SCHEME):
        url = store[len(REMOTE_SCHEME):]
        if not url.startswith(("http://", "https://")):
            raise ParameterError("--store", f"{store!r}: after sparql: comes the engine's "
                                 "http:// or https:// query URL, e.g. "
                                 "sparql:http://127.0.0.1:8890/sparql")
        return {"endpoint": url, "store_path": None}
    return {"store_path": Path(store)}
