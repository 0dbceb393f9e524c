"""Repeated queries are answered from a bounded cache: the store never changes while it runs."""

from pathlib import Path

import pytest
from rdflib import Literal

from plenipot.cache import MAX_ANSWER_BYTES, AnswerCache, cache_key
from plenipot.errors import QueryError
from plenipot.workers import WorkerPool

SAMPLE = Path(__file__).parent / "fixtures" / "store"


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
