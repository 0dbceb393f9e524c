"""Whole responses of the read-only lookups, kept for repeated requests.

The graph never changes while the service runs, so a GET of ``/api/…`` or ``/queries/…`` with
the same query string and ``Accept`` always gets the same answer: this ASGI middleware replays
it instead of running the route again (its queries, its models, its JSON). Only 200 answers up
to ``MAX_ANSWER_BYTES`` are kept, up to ``MAX_CACHE_BYTES`` in all, under a digest of the
request (not its text); anything else passes through untouched.
"""

from plenipot.store.cache import MAX_ANSWER_BYTES, AnswerCache, digest

CACHED_PATHS = ("/api/", "/queries/")


class ResponseCache:
    def __init__(self, app, entries: int, paths: tuple[str, ...] = CACHED_PATHS):
        self.app, self.paths = app, paths
        self.cache = AnswerCache(entries)

    async def __call__(self, scope, receive, send):
        if (scope["type"] != "http" or scope["method"] != "GET"
                or not scope["path"].startswith(self.paths) or self.cache.entries <= 0):
            return await self.app(scope, receive, send)
        accept = next((v for k, v in scope["headers"] if k == b"accept"), b"")
        key = digest(scope["path"], scope["query_string"], accept)  # never the whole text
        if (hit := self.cache.get(key)) is not None:
            start, body = hit
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return None
        captured: dict = {"start": None, "body": [], "size": 0}

        async def keep(message):
            if message["type"] == "http.response.start":
                captured["start"] = message
            elif message["type"] == "http.response.body" and captured["size"] <= MAX_ANSWER_BYTES:
                captured["body"].append(message.get("body", b""))
                captured["size"] += len(message.get("body", b""))
                if not message.get("more_body") and captured["start"]["status"] == 200:
                    self.cache.put(key, (captured["start"], b"".join(captured["body"])),
                                   captured["size"])
            await send(message)

        return await self.app(scope, receive, keep)
