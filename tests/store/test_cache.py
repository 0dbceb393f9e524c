"""Repeated queries are answered from a bounded cache: the store never changes while it runs."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal

from plenipot.config import Settings
from plenipot.errors import QueryError
from plenipot.store.cache import MAX_ANSWER_BYTES, AnswerCache, cache_key
from plenipot.store.embedded import EmbeddedStore
from plenipot.store.workers import WorkerPool
from plenipot.web.app import create_app

SAMPLE = Path(__file__).parents[1] / "fixtures" / "store"


def test_least_recently_used_answers_go_first() -> None:
    cache = AnswerCache(entries=2)
    for key in ("a", "b"):
        cache.put(key, key.upper(), size=1)
    assert cache.get("a") == "A"  # now b is the least recently used
    cache.put("c", "C", size=1)
    assert cache.get("b") is None and cache.get("a") == "A" and cache.get("c") == "C"


def test_big_answers_unhashable_calls_and_a_zero_size_are_not_kept() -> None:
    cache = AnswerCache(entries=8)
    cache.put("big", b"x", size=MAX_ANSWER_BYTES + 1)
    assert cache.get("big") is None
    assert cache_key("select", ({"not": ["hashable"]},), {}) is None
    off = AnswerCache(entries=0)
    off.put("a", "A", size=1)
    assert off.get("a") is None


def test_keys_tell_bindings_and_options_apart() -> None:
    one = cache_key("select_compact", ("Q", {"n": Literal(1)}, 10), {"dataset": None})
    two = cache_key("select_compact", ("Q", {"n": Literal(2)}, 10), {"dataset": None})
    assert one != two and one == cache_key("select_compact", ("Q", {"n": Literal(1)}, 10),
                                           {"dataset": None})


def test_the_pool_answers_a_repeated_query_from_the_cache_and_never_caches_errors() -> None:
    pool = WorkerPool.open([SAMPLE], size=1, cache_entries=16)
    try:
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        first = pool.select(query)
        second = pool.select(query)
        assert first.rows == second.rows and first is not second  # fresh objects each time
        assert (pool.cache.hits, pool.cache.misses) == (1, 1)
        for _ in range(2):
            with pytest.raises(QueryError):
                pool.select("SELECT nonsense")
        assert pool.cache.hits == 1  # the error was asked for again, not served from the cache
    finally:
        pool.close()


class CountingStore(EmbeddedStore):
    calls = 0

    def select(self, *args, **kwargs):
        CountingStore.calls += 1
        return super().select(*args, **kwargs)


def test_a_repeated_lookup_is_replayed_without_running_its_queries() -> None:
    store = CountingStore.open([SAMPLE])
    settings = Settings(data=(SAMPLE,), bundled=False, validate_on_start=False, cache_entries=16)
    with TestClient(create_app(settings, store=store)) as client:
        first = client.get("/api/conferences")
        calls = CountingStore.calls
        again = client.get("/api/conferences")
        assert again.status_code == 200 and again.content == first.content
        assert again.headers["content-type"] == first.headers["content-type"]
        assert CountingStore.calls == calls  # no query ran for the repeat
        assert client.get("/api/conferences/no-such").status_code == 404
        assert client.get("/api/conferences/no-such").status_code == 404  # 404s are not kept
        assert CountingStore.calls > calls


def test_the_cache_is_bounded_in_bytes_and_keeps_digests_not_query_texts() -> None:
    cache = AnswerCache(entries=10_000, max_bytes=100_000)
    for n in range(200):
        query = f"SELECT * WHERE {{ ?s ?p {n} }} # " + "x" * 50_000
        key = cache_key("answer_checked", (query,), {"limit": 10})
        assert isinstance(key, bytes) and len(key) == 32  # a digest, not the 50 kB text
        cache.put(key, b"y" * 1_000, size=1_000)
    assert cache.bytes <= 100_000 and len(cache._items) < 100
    latest = cache_key("answer_checked", (f"SELECT * WHERE {{ ?s ?p 199 }} # {'x' * 50_000}",),
                       {"limit": 10})
    assert cache.get(latest) == b"y" * 1_000
