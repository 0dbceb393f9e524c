"""The ASGI apps that ``sparql_paths.py`` serves to measure what each layer of ``/sparql`` costs:

- ``hello_raw``: a raw ASGI hello world (no framework), the floor of any Python HTTP answer;
- ``lean_sparql``: the leanest ``/sparql`` GET this code base could have, as a raw ASGI app:
  the same safety inspection (``plenipot.store.safety``) and the same store as ``plenipot
  serve`` (``open_store``: query workers, or in the server process with
  ``PLENIPOT_QUERY_WORKERS=0``), the answer written by the store (``Store.answer_async``),
  and nothing else (no routing, no content negotiation, no error mapping);
- ``plenipot_app``: Plenipot's own app, for servers (granian) that take a module attribute.

A prototype to measure, not a product: errors are not mapped and only GET ``?query=`` is read.
"""

import urllib.parse


async def _lifespan(receive, send, startup=None, shutdown=None) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            if startup:
                startup()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if shutdown:
                shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def hello_raw(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"hello":"world"}'})
    return None


_state: dict = {}


def _open() -> None:
    from plenipot.config import Settings
    from plenipot.store.connect import open_store

    _state["settings"] = Settings.from_env()
    _state["store"] = open_store(_state["settings"])
    _state["graphs"] = set(_state["store"].graph_names())


def _close() -> None:
    _state["store"].close()


async def lean_sparql(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send, _open, _close)
    from plenipot import formats
    from plenipot.store.safety import inspect_query, inspected

    store, known = _state["store"], _state["graphs"]
    query = urllib.parse.parse_qs(scope["query_string"].decode())["query"][0]
    inspection = inspected(query, known) or inspect_query(query, known)
    answer = await store.answer_async(
        query, results_type=formats.SPARQL_JSON, graph_type=formats.TURTLE,
        limit=_state["settings"].max_rows, form=inspection.form)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", answer.media_type.encode())]})
    await send({"type": "http.response.body", "body": answer.body})
    return None


def __getattr__(name: str):
    if name == "plenipot_app":  # built on first use only: it opens the store in its lifespan
        from plenipot.web.app import create_app

        return create_app()
    raise AttributeError(name)
