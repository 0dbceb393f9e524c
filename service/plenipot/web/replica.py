"""``X-Plenipot-Replica``: which of several ``plenipot serve`` processes behind one load
balancer answered (``PLENIPOT_REPLICA``), so that a spread can be checked from outside."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = b"x-plenipot-replica"


class ReplicaHeader:
    """A pure ASGI middleware: adds the header to every HTTP answer, streams untouched."""

    def __init__(self, app: ASGIApp, name: str):
        self.app, self.value = app, name.encode("latin-1", "replace")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":  # a copy: a cache may replay it
                message = {**message, "headers": [*message.get("headers", ()),
                                                  (HEADER, self.value)]}
            await send(message)

        await self.app(scope, receive, tagged)
