"""A bounded cache of query answers.

The service never writes, so an answer depends only on the query, its bindings and options:
a repeated lookup (the same resolution page, the same named query) is served from here instead
of a worker round trip. Bounded by entries, by the size of each answer and by the bytes of all
answers together; least recently used entries go first. Keys are SHA-256 digests of the call
(query text, bindings, options), so a cache full of long queries holds 32 bytes for each text.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable

MAX_ANSWER_BYTES = 256_000  # bigger answers (dumps, long lists) are not kept
MAX_CACHE_BYTES = 64_000_000  # all answers of one cache together
ENTRY_OVERHEAD = 200  # bytes a kept entry costs beyond its answer (key, links)


def digest(*parts) -> bytes:
    """The SHA-256 of a tuple of plain values (strings, numbers, RDF terms, tuples of them)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).digest()


def cache_key(method: str, args: tuple, kwargs: dict) -> bytes | None:
    """A key for one store call (a digest), or None when an argument cannot be hashed."""

    def frozen(value):
        if isinstance(value, dict):
            return tuple(sorted((k, frozen(v)) for k, v in value.items()))
        return value

    key = (method, tuple(frozen(a) for a in args), frozen(kwargs))
    try:
        hash(key)
    except TypeError:
        return None
    return digest(*key)


class AnswerCache:
    def __init__(self, entries: int, max_bytes: int = MAX_CACHE_BYTES):
        self.entries, self.max_bytes = entries, max_bytes
        self.bytes = 0  # answers kept now, with their overhead
        self._items: OrderedDict = OrderedDict()  # key -> (answer, size)
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
                return self._items[key][0]
            self.misses += 1
        return None

    def put(self, key: Hashable | None, answer, size: int) -> None:
        if key is None or self.entries <= 0 or size > MAX_ANSWER_BYTES:
            return
        size += ENTRY_OVERHEAD
        with self._lock:
            if key in self._items:
                self.bytes -= self._items.pop(key)[1]
            self._items[key] = (answer, size)
            self.bytes += size
            while len(self._items) > self.entries or self.bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped
