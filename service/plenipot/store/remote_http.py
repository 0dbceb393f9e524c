"""Talking to a SPARQL 1.1 engine over HTTP: one request, its raw bytes back, and every way it
can fail turned into the project's errors. Queries go on kept-alive connections
(``remote_pool``); updates and Digest authentication through SPARQLWrapper (docs/decisions/0010
has the measurement that split them).

- A syntax or evaluation error that the engine reports (400) is a ``QueryError`` (400) with the
  engine's own message; a refused password is a ``StoreUnavailable`` (502) that says so.
- An engine that does not answer (connection refused, no route, a name that does not resolve)
  is ``EngineUnreachable`` (503); one that answers too slowly is ``QueryTimeout`` (503). The
  client's socket timeout is the query timeout plus a second, so a stuck engine never hangs us.
- Virtuoso answers a query that ran out of its ``timeout`` with the rows found so far and an
  ``X-SQL-State: S1TAT`` header (an "anytime" answer): that is a timeout here, never a partial
  result passed off as complete.
"""

import ast
import contextlib
import socket
import urllib.error
from base64 import b64encode
from dataclasses import dataclass, field
from http.client import HTTPException
from urllib.parse import urlencode

from SPARQLWrapper import BASIC, DIGEST, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    Unauthorized,
    URITooLong,
)

from plenipot.errors import QueryError, QueryTimeout, StoreUnavailable
from plenipot.store.remote_pool import ConnectionPool

USER_AGENT = "plenipot (SPARQLWrapper)"
_TIMEOUT_STATES = ("S1TAT", "S1T00")  # Virtuoso: anytime answer cut; transaction timed out


class EngineUnreachable(StoreUnavailable):
    """The SPARQL engine does not answer at all (down, wrong port, no route)."""

    http_status = 503


@dataclass
class Reply:
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Endpoint:
    """Where and how to reach one engine."""

    url: str
    update_url: str | None = None
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    auth: str = "basic"  # or "digest" (Virtuoso's /sparql-auth)
    engine: str = "generic"  # virtuoso, fuseki, oxigraph, generic: how a timeout is passed
    pool: ConnectionPool = field(default_factory=ConnectionPool, repr=False, compare=False)

    def request(self, text: str, *, accept: str, timeout: float,
                params: list[tuple[str, str]] = (), update: bool = False) -> Reply:
        """POST one query (or, ``update``, one SPARQL Update) and return the engine's answer."""
        if not update and not (self.user and self.password and self.auth == "digest"):
            return self._query(text, accept=accept, timeout=timeout, params=params)
        url = (self.update_url or self.url) if update else self.url
        wrapper = SPARQLWrapper(url, updateEndpoint=url, agent=USER_AGENT)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: Accept says it
        wrapper.setTimeout(timeout + 1.0)  # the engine's own limit first, ours right after
        if self.user and self.password:
            wrapper.setCredentials(self.user, self.password)
            wrapper.setHTTPAuth(DIGEST if self.auth == "digest" else BASIC)
        # set directly rather than with setQuery, whose regex guess at the form warns on
        # valid queries it does not recognise (and costs time on a large INSERT DATA)
        wrapper.queryString = text
        wrapper.queryType = "INSERT" if update else "SELECT"
        for name, value in params:
            wrapper.addParameter(name, value)
        if not update:
            for name, value in self.timeout_params(timeout):
                wrapper.addParameter(name, value)
        wrapper.addCustomHttpHeader("Accept", accept)
        try:
            response = wrapper.query().response
            reply = Reply(response.read(), response.headers.get("Content-Type", ""),
                          {k.lower(): v for k, v in response.headers.items()})
        except QueryBadFormed as error:
            raise QueryError(f"the engine refused the query: {_message(error)}") from None
        except Unauthorized:
            raise StoreUnavailable(f"the SPARQL engine at {url} refused the credentials "
                                   "(PLENIPOT_SPARQL_USER, PLENIPOT_SPARQL_PASSWORD, "
                                   "PLENIPOT_SPARQL_AUTH)") from None
        except EndPointNotFound:
            raise StoreUnavailable(f"there is no SPARQL endpoint at {url} (404)") from None
        except URITooLong:
            raise QueryError("the engine refused the query as too long (414)") from None
        except EndPointInternalError as error:
            raise _internal_error(url, _message(error)) from None
        except urllib.error.HTTPError as error:
            raise _http_error(url, error) from None
        except TimeoutError:
            raise QueryTimeout(f"the SPARQL engine at {url} did not answer within "
                               f"{timeout:g} s") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise QueryTimeout(f"the SPARQL engine at {url} did not answer within "
                                   f"{timeout:g} s") from None
            raise EngineUnreachable(f"the SPARQL engine at {url} does not answer "
                                    f"({error.reason})") from None
        except (HTTPException, ConnectionError, OSError) as error:
            raise EngineUnreachable(f"the SPARQL engine at {url} broke the connection "
                                    f"({type(error).__name__}: {error})") from None
        if reply.headers.get("x-sql-state", "").strip() in _TIMEOUT_STATES:
            raise QueryTimeout(f"the query took longer than {timeout:g} s on the engine and "
                               "was stopped; narrow it (a LIMIT, a more specific pattern)")
        return reply

    def _query(self, text: str, *, accept: str, timeout: float,
               params: list[tuple[str, str]]) -> Reply:
        """A query on a kept-alive connection (``remote_pool``), errors mapped as above."""
        body = urlencode([("query", text), *params, *self.timeout_params(timeout)]).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
                   "User-Agent": USER_AGENT}
        if self.user and self.password:
            token = b64encode(f"{self.user}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        try:
            status, answer, data = self.pool.post(self.url, body, headers, timeout + 1.0)
        except TimeoutError:
            raise QueryTimeout(f"the SPARQL engine at {self.url} did not answer within "
                               f"{timeout:g} s") from None
        except (HTTPException, OSError) as error:
            raise EngineUnreachable(f"the SPARQL engine at {self.url} does not answer "
                                    f"({error})") from None
        if status >= 300:
            raise _status_error(self.url, status, data.decode("utf-8", "replace"))
        if answer.get("x-sql-state", "").strip() in _TIMEOUT_STATES:
            raise QueryTimeout(f"the query took longer than {timeout:g} s on the engine and "
                               "was stopped; narrow it (a LIMIT, a more specific pattern)")
        return Reply(data, answer.get("content-type", ""), answer)

    def timeout_params(self, timeout: float) -> list[tuple[str, str]]:
        """The engine's own per-query time limit, where it has one: Virtuoso's ``timeout`` is
        in milliseconds, Fuseki's in seconds; Oxigraph's server has only ``--timeout-s``."""
        if self.engine == "virtuoso":
            return [("timeout", str(int(timeout * 1000)))]
        if self.engine == "fuseki":
            return [("timeout", f"{timeout:g}")]
        return []


def _message(error: Exception) -> str:
    """The engine's own words, without SPARQLWrapper's preamble, without the copy of the whole
    query that Virtuoso appends, and of bounded length."""
    text = str(error)
    marker = "Response:\n"
    if marker in text:
        text = text.split(marker, 1)[1]
    if text.startswith(("b'", 'b"')):
        with contextlib.suppress(ValueError, SyntaxError):
            value = ast.literal_eval(text)
            if isinstance(value, bytes):
                text = value.decode("utf-8", "replace")
    text = " ".join(text.split()).split(" SPARQL query: ")[0]
    return text if len(text) <= 600 else text[:600] + " …"


def _internal_error(url: str, message: str) -> Exception:
    if (any(state in message for state in _TIMEOUT_STATES) or "timeout" in message.lower()
            or "estimated execution time" in message):  # Virtuoso's MaxQueryCostEstimationTime
        return QueryTimeout(f"the query ran out of time on the engine: {message}")
    # Virtuoso reports compile errors of well-formed requests as 500 with an SQL state
    if "SPARQL compiler" in message or "37000" in message:
        return QueryError(f"the engine refused the query: {message}")
    return StoreUnavailable(f"the SPARQL engine at {url} failed: {message}")


def _status_error(url: str, status: int, body: str) -> Exception:
    """The error for an engine's answer with ``status`` (not 2xx) and ``body``."""
    message = _message(Exception(body))
    if status == 400:
        return QueryError(f"the engine refused the query: {message}")
    if status == 401:
        return StoreUnavailable(f"the SPARQL engine at {url} refused the credentials "
                                "(PLENIPOT_SPARQL_USER, PLENIPOT_SPARQL_PASSWORD, "
                                "PLENIPOT_SPARQL_AUTH)")
    if status == 404:
        return StoreUnavailable(f"there is no SPARQL endpoint at {url} (404)")
    if status == 500:
        return _internal_error(url, message)
    return _code_error(url, status, message or str(status))


def _http_error(url: str, error: urllib.error.HTTPError) -> Exception:
    try:
        body = error.read().decode("utf-8", "replace")
    except OSError:
        body = ""
    return _code_error(url, error.code, " ".join(body.split())[:600] or error.reason)


def _code_error(url: str, code: int, message: str) -> Exception:
    if code == 403:
        return StoreUnavailable(f"the SPARQL engine at {url} forbids this request: {message}")
    if code in (408, 504):
        return QueryTimeout(f"the SPARQL engine at {url} timed out: {message}")
    if code == 503:
        return EngineUnreachable(f"the SPARQL engine at {url} is unavailable: {message}")
    if 400 <= code < 500:
        return QueryError(f"the engine refused the query ({code}): {message}")
    return StoreUnavailable(f"the SPARQL engine at {url} failed ({code}): {message}")


def detect_engine(server_header: str) -> str:
    """Which engine answers, from its ``Server`` header."""
    header = server_header.lower()
    for name in ("virtuoso", "fuseki", "oxigraph", "graphdb", "qlever", "blazegraph"):
        if name in header:
            return name
    return "generic"
