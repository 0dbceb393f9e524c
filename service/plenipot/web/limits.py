"""The request-body cap, as ASGI middleware: a declared ``Content-Length`` over the cap is
answered 413 at once; a body streamed without one is counted and stopped at the cap."""

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plenipot.errors import ParameterError, PayloadTooLarge


class BodyLimit:
    def __init__(self, app: ASGIApp, max_body: int):
        self.app, self.max_body = app, max_body

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"the request body is larger than {self.max_body} bytes, "
                               "the most this service accepts")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                error = ParameterError("Content-Length", f"is not a number: {declared!r}")
                await JSONResponse(error.to_dict(), status_code=400)(scope, receive, send)
                return
            if length > self.max_body:
                error = self._too_large()
                await JSONResponse(error.to_dict(), status_code=413)(scope, receive, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise self._too_large()
            return message

        await self.app(scope, counted, send)
