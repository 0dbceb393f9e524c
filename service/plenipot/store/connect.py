"""Which store a setting opens: the bundled and ``--data`` sources, in killable query workers
for the service, or in this process for a one-off command; or, with ``--store sparql:URL``, a
SPARQL engine that ``plenipot load`` filled (``plenipot.store.remote``)."""

from plenipot.config import Settings
from plenipot.sources.bundled import graph_sources
from plenipot.store.base import Store
from plenipot.store.embedded import EmbeddedStore


def store_sources(settings: Settings) -> list:
    """The files the store is loaded from: the bundled ontology and data, then ``--data``."""
    sources = [*graph_sources()] if settings.bundled else []
    return sources + list(settings.data)


def open_remote_store(settings: Settings) -> Store:
    """The store over ``settings.endpoint``; its graphs are those of the sources."""
    from plenipot.store.remote import RemoteStore

    return RemoteStore.open(settings, store_sources(settings))


def open_store(settings: Settings) -> Store:
    """The service's store; its queries run in killable workers unless ``query_workers`` is 0."""
    if settings.endpoint:
        return open_remote_store(settings)
    if settings.query_workers <= 0:
        return open_local_store(settings)
    from plenipot.store.workers import WorkerPool

    return WorkerPool.open(
        store_sources(settings),
        settings.store_path,
        size=settings.query_workers,
        timeout=settings.query_timeout,
        cache_entries=settings.cache_entries,
        memory_mib=settings.worker_memory,
    )


def open_local_store(settings: Settings) -> Store:
    """The store of a one-off command (query, export, import): in this process, with no
    worker start-up to pay and no per-query time limit."""
    if settings.endpoint:
        return open_remote_store(settings)
    return EmbeddedStore.open(store_sources(settings), settings.store_path)
