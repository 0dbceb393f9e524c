"""A bounded cache of query answers.

The service never writes, so an answer depends only on the query, its bindings and options:
a repeated lookup (the same resolution page, the same named query) is served from here instead
of a worker round trip. Bounded by entries and by the size of each answer; least recently used
entries go first.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable

MAX_ANSWER_BYTES = 256_000  # bigger answers (dumps, long lists) are not kept


def cache_key(method: str, args: tuple, kwargs: dict) -> Hashable | None:
    """A key for one store call, or None when an argument cannot be hashed."""

    def frozen(value):
        if isinstance(value, dict):
            return tuple(sorted((k, frozen(v)) for k, v in value.items()))
        return value

    key = (method, tuple(frozen(a) for a in args), frozen(kwargs))
    try:
        hash(key)
    except TypeError:
        return None
    return key


class AnswerCache:
    def __init__(self, entries: int):
        self.entries = entries
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable | None):
        """The cached answer, or None."""
        if key is None or self.entries <= 0:
            return None
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        return None

    def put(self, key: Hashable | None, answer, size: int) -> None:
        if key is None or self.entries <= 0 or size > MAX_ANSWER_BYTES:
            return
        with self._lock:
            self._items[key] = answer
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)
