"""Kept-alive HTTP/1.1 connections to a SPARQL engine, one per thread and host: the transport
of the remote store's queries. SPARQLWrapper opens a new connection per request; on the same
lookup at 8 threads this transport did 2,001 req/s against 984 on Oxigraph's server and 635
against 275 on Virtuoso, p95 0.5 ms against 19 ms (benchmarks/remote_client.py,
docs/decisions/0010). SPARQLWrapper still carries updates and Digest authentication."""

import http.client
import threading
from urllib.parse import urlsplit

_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
          http.client.CannotSendRequest, http.client.BadStatusLine)


class ConnectionPool:
    """Every connection is also kept in ``_open``, so that a thread that ends never leaves one
    to the garbage collector: ``close`` (and the pool's own end) closes them all."""

    def __init__(self):
        self._local = threading.local()
        self._open: list = []
        self._lock = threading.Lock()

    def _connection(self, scheme: str, netloc: str, timeout: float):
        connections = self._local.__dict__.setdefault("connections", {})
        key = (scheme, netloc)
        connection = connections.get(key)
        if connection is None:
            kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            connection = connections[key] = kind(netloc, timeout=timeout)
            with self._lock:
                self._open.append(connection)
        connection.timeout = timeout
        if connection.sock is not None:
            connection.sock.settimeout(timeout)
        return connection

    def _drop(self, scheme: str, netloc: str) -> None:
        connection = self._local.__dict__.get("connections", {}).pop((scheme, netloc), None)
        if connection is not None:
            connection.close()
            with self._lock:
                if connection in self._open:
                    self._open.remove(connection)

    def close(self) -> None:
        """Close every connection of every thread."""
        with self._lock:
            connections, self._open = self._open, []
        for connection in connections:
            connection.close()

    def __del__(self):
        self.close()

    def post(self, url: str, body: bytes, headers: dict[str, str],
             timeout: float) -> tuple[int, dict[str, str], bytes]:
        """POST ``body``; (status, lower-cased headers, body). A kept-alive connection that the
        server closed meanwhile is opened again once; ``socket.timeout`` and ``OSError`` (no
        answer, refused) reach the caller."""
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            connection = self._connection(parts.scheme, parts.netloc, timeout)
            reused = connection.sock is not None
            try:
                connection.request("POST", target, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except TimeoutError:
                self._drop(parts.scheme, parts.netloc)
                raise
            except _STALE:
                self._drop(parts.scheme, parts.netloc)
                if reused and attempt == 1:
                    continue
                raise
            except OSError:
                self._drop(parts.scheme, parts.netloc)
                raise
            if response.will_close:
                self._drop(parts.scheme, parts.netloc)
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        raise ConnectionError("the connection closed twice")  # not reached: the loop returns
