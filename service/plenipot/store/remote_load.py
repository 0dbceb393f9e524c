"""Filling a SPARQL engine from the sources (``plenipot load``): one named graph per source file,
named as the embedded store names it (``sources.rdf.graph_name``); quad files keep theirs.

Two ways in, both replacing a graph rather than adding to it, so a second run never duplicates:
- the Graph Store Protocol (``--gsp URL``, e.g. Oxigraph's ``/store``): ``PUT`` of the first
  batch replaces the graph, ``POST`` of the next ones adds to it;
- SPARQL Update (the default; Virtuoso's ``/sparql-auth``): ``DROP SILENT GRAPH``, then
  ``INSERT DATA`` in batches.
A batch never splits the triples of a graph that has blank nodes (a blank node label is scoped
to one request, so a split would make two nodes of one): such a graph goes in one request, as
``INSERT { … } WHERE { }`` (Virtuoso 7 refuses blank nodes in ``INSERT DATA``).
The graphs hold what the embedded store holds for the same sources: where a user's file
describes a ``pp:Proposal`` that the bundled data describes too, the bundled file's graph is
loaded without the bundled triples about that proposal and its status changes (decision 0009,
the same update as ``embedded.load_into``). So a bundled graph's content depends on the other
sources of the run: load every source of a service in one ``plenipot load``; one with the
bundled data alone (or another user file) puts the bundled description back.
Afterwards the triples of each graph are counted on the engine and compared with what was sent.
"""

import re
import sys
import time
import urllib.error
import urllib.request
from base64 import b64encode
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from plenipot.errors import (
    InputError,
    Location,
    ParameterError,
    PlenipotError,
    QueryError,
    StoreUnavailable,
)
from plenipot.sources.overrides import drop_replaced_in_store, is_bundled
from plenipot.sources.rdf import QUAD_FORMATS, expand, graph_name, rdf_format
from plenipot.store.embedded import load_file
from plenipot.store.remote import RemoteStore
from plenipot.store.remote_http import Endpoint, EngineUnreachable

BATCH = 2_000  # triples per SPARQL Update request
GSP_BATCH = 100_000  # triples per Graph Store Protocol request
_TOO_LARGE = re.compile(r"exceeded|too (long|large|big)|413", re.I)
WRITE_TIMEOUT = 300.0  # seconds for one batch


class CountMismatch(PlenipotError):
    """After loading, a graph on the engine does not hold the triples its file has."""

    exit_code = 1


@dataclass
class GraphLoad:
    name: str
    source: Path
    triples: list = field(default_factory=list)  # pyoxigraph Triples
    left_out: int = 0  # triples of a bundled file about proposals a user's file describes

    @cached_property
    def has_blank_nodes(self) -> bool:
        return any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
                   for t in self.triples)


def read_sources(paths: Iterable[Path]) -> list[GraphLoad]:
    """The graphs to load, each with its distinct triples, read as the embedded store reads
    them (``embedded.load_file``, then decision 0009: the triples that bundled files state
    about a proposal a user's file describes are left out, as ``load_into`` drops them); a bad
    file is an ``InputError``."""
    store = ox.Store()
    sources: dict[str, Path] = {}  # graph name -> the first file that fills it
    for path in expand(paths):
        if rdf_format(path) not in QUAD_FORMATS:
            load_file(store, path)
            sources.setdefault(str(graph_name(path)), path)
            continue
        before = set(store.named_graphs())
        load_file(store, path)
        if any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
            raise InputError("has triples outside any named graph; put them in a GRAPH block "
                             "(each graph of a quad file is loaded under its own name)",
                             Location(str(path)))
        for name in set(store.named_graphs()) - before:
            sources.setdefault(name.value, path)
    bundled = [name for name in sources if is_bundled(name)]
    sizes = {name: _size(store, name) for name in bundled}
    drop_replaced_in_store(store, sources)  # a no-op when every source is bundled
    graphs = []
    for name, path in sources.items():
        graph = ox.NamedNode(name)
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, graph)]
        left_out = sizes[name] - len(triples) if name in sizes else 0
        graphs.append(GraphLoad(name, path, triples, left_out))
    return graphs


def _size(store: ox.Store, name: str) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))


def _batches(load: GraphLoad, size: int) -> list[list]:
    if load.has_blank_nodes or len(load.triples) <= size:
        return [load.triples]
    return [load.triples[i:i + size] for i in range(0, len(load.triples), size)]


def _ntriples(triples: list) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


class Loader:
    """Pushes graphs into one engine, by the Graph Store Protocol or by SPARQL Update."""

    def __init__(self, endpoint: Endpoint, gsp_url: str | None = None, batch: int = BATCH):
        self.endpoint, self.gsp_url, self.batch = endpoint, gsp_url, batch

    def replace_graph(self, load: GraphLoad, progress: Callable[[int], None]) -> None:
        for index, batch in enumerate(_batches(load, self.batch)):
            if self.gsp_url:
                self._gsp("PUT" if index == 0 else "POST", load.name, _ntriples(batch))
                progress(len(batch))
                continue
            if index == 0:
                self._update(f"DROP SILENT GRAPH <{load.name}>")
            if load.has_blank_nodes:  # Virtuoso refuses blank nodes in INSERT DATA; a
                # template's blank nodes are fresh per solution, and there is one solution
                body = _ntriples(batch).decode("utf-8")
                self._update(f"INSERT {{ GRAPH <{load.name}> {{\n{body}}} }} WHERE {{ }}")
                progress(len(batch))
            else:
                self._insert(load.name, batch, progress)
        if not load.triples:  # an empty file still replaces its graph with nothing
            if self.gsp_url:
                self._gsp("PUT", load.name, b"")
            else:
                self._update(f"DROP SILENT GRAPH <{load.name}>")

    def _insert(self, graph: str, batch: list, progress: Callable[[int], None]) -> None:
        """``INSERT DATA`` of one batch; a batch that the engine finds too large (Virtuoso:
        "the length of generated SQL text has exceeded 10000 lines") is split in two."""
        body = _ntriples(batch).decode("utf-8")
        try:
            self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")
        except QueryError as error:
            if len(batch) < 2 or not _TOO_LARGE.search(error.message):
                raise
            half = len(batch) // 2
            self._insert(graph, batch[:half], progress)
            self._insert(graph, batch[half:], progress)
            return
        progress(len(batch))

    def _update(self, text: str) -> None:
        self.endpoint.request(text, accept="*/*", timeout=WRITE_TIMEOUT, update=True)

    def _gsp(self, method: str, graph: str, body: bytes) -> None:
        separator = "&" if "?" in self.gsp_url else "?"
        url = f"{self.gsp_url}{separator}{urlencode({'graph': graph})}"
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"Content-Type": "application/n-triples"})
        if self.endpoint.user and self.endpoint.password:
            if self.endpoint.auth == "digest":
                if authorization := self._digest(url, method):
                    request.add_header("Authorization", authorization)
            else:
                token = b64encode(f"{self.endpoint.user}:{self.endpoint.password}".encode())
                request.add_header("Authorization", f"Basic {token.decode()}")
        try:
            with urllib.request.urlopen(request, timeout=WRITE_TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as error:
            text = " ".join(error.read().decode("utf-8", "replace").split())[:400]
            raise StoreUnavailable(f"the Graph Store at {self.gsp_url} refused {method} of "
                                   f"<{graph}> ({error.code}): {text}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise EngineUnreachable(f"the Graph Store at {self.gsp_url} does not answer "
                                    f"({reason})") from None


    def _digest(self, url: str, method: str) -> str:
        """The Digest ``Authorization`` for one request, from the challenge of an empty one:
        urllib's own handler sends the whole body first, and an engine that answers 401 and
        closes (Virtuoso) resets the connection under a large body."""
        probe = urllib.request.Request(url, data=b"", method=method)
        try:
            urllib.request.urlopen(probe, timeout=30).close()
        except urllib.error.HTTPError as error:
            challenge = error.headers.get("WWW-Authenticate", "")
            error.close()
        except (urllib.error.URLError, OSError) as error:
            raise EngineUnreachable(f"the Graph Store at {self.gsp_url} does not answer "
                                    f"({getattr(error, 'reason', error)})") from None
        else:
            return ""  # no challenge: the engine takes the request without credentials
        scheme, _, rest = challenge.partition(" ")
        if scheme.lower() != "digest":
            raise StoreUnavailable(f"the Graph Store at {self.gsp_url} asks for {scheme or 'no'}"
                                   " authentication, not Digest (--auth basic?)")
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, self.endpoint.user, self.endpoint.password)
        handler = urllib.request.HTTPDigestAuthHandler(manager)
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        authorization = handler.get_authorization(urllib.request.Request(url, method=method),
                                                  fields)
        if not authorization:
            raise StoreUnavailable(f"cannot answer the Digest challenge of {self.gsp_url}")
        return f"Digest {authorization}"


class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.total, self.done, self.started = max(total, 1), 0, time.monotonic()
        self.enabled = self.stream.isatty()

    def advance(self, triples: int) -> None:
        self.done += triples
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / self.total)
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(f"\rloading [{'#' * filled}{'.' * (width - filled)}] "
                          f"{self.done:,}/{self.total:,} triples ({rate:,.0f}/s)")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


@dataclass
class LoadReport:
    graphs: int
    triples: int
    seconds: float
    left_out: dict[str, int] = field(default_factory=dict)  # bundled graph -> triples left out


def load(endpoint: Endpoint, sources: list[Path], *, gsp_url: str | None = None,
         replace: bool = False, batch: int | None = None, stream=None) -> LoadReport:
    """Load ``sources`` into the engine and check the counts; ``replace`` allows overwriting
    graphs that already hold triples (without it such a graph is an error, never doubled)."""
    batch = batch or (GSP_BATCH if gsp_url else BATCH)
    if batch < 1:
        raise ParameterError("--batch", "must be at least 1")
    started = time.monotonic()
    graphs = read_sources(sources)
    if not graphs:
        raise ParameterError("--data", "there is nothing to load: no RDF file was given")
    check = RemoteStore(endpoint, [g.name for g in graphs], timeout=60.0)
    before = check.graph_counts()
    if before and not replace:
        names = sorted(before)
        raise ParameterError("--replace", f"the engine already holds {len(names)} of these "
                             f"graphs (first: <{names[0]}>); give --replace to replace them")
    progress = Progress(sum(len(g.triples) for g in graphs), stream)
    loader = Loader(endpoint, gsp_url, batch)
    try:
        for graph in graphs:
            loader.replace_graph(graph, progress.advance)
    finally:
        progress.finish()
    after = check.graph_counts()
    wrong = [(g, after.get(g.name, 0)) for g in graphs if after.get(g.name, 0) != len(g.triples)]
    if wrong:
        lines = "; ".join(f"{g.source}: <{g.name}> has {n} triples on the engine, the file "
                          f"{len(g.triples)}" for g, n in wrong[:5])
        raise CountMismatch(f"{len(wrong)} graph(s) did not load completely: {lines}")
    return LoadReport(len(graphs), sum(len(g.triples) for g in graphs),
                      time.monotonic() - started,
                      {g.name: g.left_out for g in graphs if g.left_out})
