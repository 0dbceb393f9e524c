"""The remote store: the same ``Store`` over any SPARQL 1.1 endpoint (``--store sparql:URL``).

Virtuoso, Fuseki, GraphDB, QLever, Neptune or Oxigraph's server hold the graphs that
``plenipot load`` put there, one named graph per source file (docs/decisions/0010). Queries go
out through SPARQLWrapper (``remote_http``); answers come back as SPARQL JSON or N-Triples and
become rdflib terms, as the embedded store's do.

- **The dataset.** The embedded store queries the union of its named graphs. Here, unless the
  query names its own (``FROM``) or the request does, each query carries the source graphs as
  the protocol's ``default-graph-uri`` and ``named-graph-uri``: every engine then sees the same
  dataset — never Virtuoso's own system graphs, nor other data the engine holds — and no engine
  setting is needed. ``PLENIPOT_SPARQL_DATASET=engine`` sends none and trusts the engine's default
  graph (Oxigraph ``--union-default-graph``; Virtuoso: all its graphs, its system graphs too);
  at start-up it warns when the engine holds more than the source graphs.
- **Binding.** Parameters are a ``VALUES`` block of serialized terms (``bind_values``), as on
  the embedded store: never pasted.
- **Limits.** Every request carries the engine's own timeout where it has one, and the client
  gives up a second after it; rows beyond ``limit`` are cut and the answer says so.
- **Health.** ``triple_count`` first asks the engine a trivial query with a 2 s limit, so
  ``/health`` says 503 at once when the engine is down; the count itself is kept (the service
  never writes).
"""

import json
import logging
import re
import threading
import time
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from plenipot.errors import QueryError, QueryTimeout, StoreUnavailable
from plenipot.results import Answer, Dataset, GraphResult, SelectResult, Term
from plenipot.sources.rdf import QUAD_FORMATS, expand, graph_name, rdf_format
from plenipot.store.base import Store
from plenipot.store.binding import BAD_IRI, _mask, bind_values
from plenipot.store.cache import AnswerCache, cache_key
from plenipot.store.embedded import fingerprint, to_rdflib
from plenipot.store.remote_http import Endpoint, EngineUnreachable, detect_engine
from plenipot.store.safety import mentions_dataset

log = logging.getLogger(__name__)
SPARQL_JSON = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SPARQL_FOLDER = Path(__file__).parent / "sparql"
COUNT_TIMEOUT = 300.0  # seconds for counting the graphs (Virtuoso: 1M triples after a load)
HEALTH_TIMEOUT = 2.0  # seconds: /health answers within this even when the engine is down
PROBE_TTL = 1.0  # seconds a successful probe is trusted (load balancers poll /health often)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_GRAPH_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES,
                "text/plain": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
                "application/x-turtle": ox.RdfFormat.TURTLE,
                "application/rdf+xml": ox.RdfFormat.RDF_XML}
# graphs that Virtuoso keeps for itself: never "ours" when the graphs are discovered
SYSTEM_GRAPH_PREFIXES = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#",
                         "http://localhost:8890/", "http://localuriqaserver/",
                         "urn:activitystreams-owl:map", "urn:core:services:sparql")


def source_graphs(sources: list[Path]) -> list[str]:
    """The named graphs that ``plenipot load`` makes of these sources (quad files: theirs)."""
    names: list[str] = []
    for path in expand(sources):
        if rdf_format(path) in QUAD_FORMATS:
            names += [g.value for g in _quad_file_graphs(path)]
        else:
            names.append(str(graph_name(path)))
    return sorted(set(names))


def _quad_file_graphs(path: Path) -> set:
    from plenipot.store.embedded import OX_FORMATS

    fmt = OX_FORMATS[rdf_format(path)]
    return {q.graph_name for q in ox.parse(path=path, format=fmt)
            if isinstance(q.graph_name, ox.NamedNode)}


class RemoteStore(Store):
    """A read-only store over a SPARQL 1.1 endpoint."""

    def __init__(self, endpoint: Endpoint, graphs: list[str] | None, *, timeout: float = 10.0,
                 dataset_mode: str = "explicit", version: dict | None = None,
                 cache_entries: int = 0):
        self.endpoint = endpoint
        self.timeout = timeout
        self.dataset_mode = dataset_mode
        self._graphs = graphs  # None: discovered from the engine on first use
        self._version = version or {}
        self._count: int | None = None
        self._probed_at = 0.0
        self._lock = threading.Lock()
        self._cache = AnswerCache(cache_entries)

    @classmethod
    def open(cls, settings, sources: list[Path]) -> "RemoteStore":
        """The store for ``settings.endpoint``; checks that the engine answers (a clear error
        now rather than a 503 on every request) and says which source graphs it lacks."""
        endpoint = Endpoint(settings.endpoint, settings.endpoint_update_url,
                            settings.endpoint_user, settings.endpoint_password,
                            settings.endpoint_auth)
        reply = endpoint.request(rq("engine-probe"), accept=SPARQL_JSON,
                                 timeout=min(settings.query_timeout, 5.0))
        if settings.endpoint_engine == "auto":
            endpoint.engine = detect_engine(reply.headers.get("server", ""))
        else:
            endpoint.engine = settings.endpoint_engine
        files = expand(sources)
        graphs = source_graphs(files) if files else None
        version = {**fingerprint(files), "files": len(files)} if files else {}
        store = cls(endpoint, graphs, timeout=settings.query_timeout,
                    dataset_mode=settings.endpoint_dataset,
                    version={**version, "engine": endpoint.engine},
                    cache_entries=settings.cache_entries)
        if graphs:  # counted once here, so that /health never waits for a count
            counts = store.graph_counts()
            store._count = sum(counts.values())
            missing = sorted(set(graphs) - set(counts))
            if missing:
                log.warning("the engine at %s lacks %d of the %d source graphs (first: %s); "
                            "fill it with `plenipot load --endpoint`", endpoint.url,
                            len(missing), len(graphs), missing[0])
            if store.dataset_mode == "engine":
                store._check_engine_dataset(counts)
        return store

    def _check_engine_dataset(self, counts: dict[str, int]) -> None:
        """With ``PLENIPOT_SPARQL_DATASET=engine`` every query sees the engine's default graph:
        warn at start-up when that holds more than the source graphs (other named graphs, or
        triples outside any named graph), since every answer then counts them too."""
        try:
            held = self._engine_graphs()
            others = sorted(set(held) - set(self._graphs or ()) - set(_system(held)))
            reply = self.endpoint.request(rq("default-graph-count"), accept=SPARQL_JSON,
                                          timeout=max(self.timeout, COUNT_TIMEOUT))
            rows = _json(reply.body).get("results", {}).get("bindings", [])
            total = int(rows[0].get("n", {}).get("value", 0)) if rows else 0
            named = sum(counts.values()) + sum(self.graph_counts(_system(held) + others).values())
        except (QueryError, QueryTimeout, StoreUnavailable, ValueError) as error:
            log.warning("PLENIPOT_SPARQL_DATASET=engine: could not check what the engine's "
                        "default graph holds: %s", error)
            return
        if others:
            log.warning("PLENIPOT_SPARQL_DATASET=engine: the engine at %s holds %d named graph(s) "
                        "besides the %d source graphs (first: %s), and every query sees their "
                        "triples; use PLENIPOT_SPARQL_DATASET=explicit or an engine of its own",
                        self.endpoint.url, len(others), len(self._graphs or ()), others[0])
        if total > named:
            log.warning("PLENIPOT_SPARQL_DATASET=engine: the default graph of the engine at %s "
                        "holds %d triple(s) outside its named graphs, and every query sees them; "
                        "use PLENIPOT_SPARQL_DATASET=explicit or an engine of its own",
                        self.endpoint.url, total - named)

    # --- requests --------------------------------------------------------------------------

    def _dataset_params(self, query: str, dataset: Dataset | None) -> list[tuple[str, str]]:
        if dataset is not None:
            return ([("default-graph-uri", g) for g in dataset.default_graphs]
                    + [("named-graph-uri", g) for g in dataset.named_graphs])
        if self.dataset_mode == "engine" or mentions_dataset(query):
            return []
        graphs = self.graph_names()
        return ([("default-graph-uri", g) for g in graphs]
                + [("named-graph-uri", g) for g in graphs])

    def _send(self, query: str, bindings, dataset, accept: str, timeout: float | None = None):
        text = bind_values(query, bindings)
        return self.endpoint.request(text, accept=accept, timeout=timeout or self.timeout,
                                     params=self._dataset_params(query, dataset))

    def _cached(self, method: str, compute, *args, **kwargs):
        key = cache_key(method, args, kwargs)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        value = compute(*args, **kwargs)
        items = len(getattr(value, "rows", ())) or len(getattr(value, "triples", ()))
        size = 120 * items + 1  # about the bytes of a row or triple; big answers are not kept
        self._cache.put(key, value, size)
        return value

    # --- the Store interface ---------------------------------------------------------------

    def select(self, query, bindings=None, limit=None, *, dataset=None) -> SelectResult:
        return self._cached("select", self._select, query, _frozen(bindings), limit,
                            dataset=dataset)

    def _select(self, query, bindings, limit, *, dataset) -> SelectResult:
        reply = self._send(query, bindings, dataset, SPARQL_JSON)
        document = _json(reply.body)
        if "boolean" in document:
            raise QueryError("expected a SELECT query")
        variables = list(document.get("head", {}).get("vars", []))
        bindings_out = document.get("results", {}).get("bindings", [])
        truncated = limit is not None and len(bindings_out) > limit
        if truncated:
            bindings_out = bindings_out[:limit]
        rows = [{name: from_json(value) for name, value in row.items() if name in variables}
                for row in bindings_out]
        return SelectResult(variables, rows, truncated)

    def ask(self, query, bindings=None, *, dataset=None) -> bool:
        return self._cached("ask", self._ask, query, _frozen(bindings), dataset=dataset)

    def _ask(self, query, bindings, *, dataset) -> bool:
        document = _json(self._send(query, bindings, dataset, SPARQL_JSON).body)
        if "boolean" not in document:
            raise QueryError("expected an ASK query")
        return bool(document["boolean"])

    def construct(self, query, bindings=None, limit=None, *, dataset=None) -> GraphResult:
        return self._cached("construct", self._construct, query, _frozen(bindings), limit,
                            dataset=dataset)

    def _construct(self, query, bindings, limit, *, dataset) -> GraphResult:
        reply = self._send(query, bindings, dataset, GRAPH_ACCEPT)
        media = reply.content_type.split(";")[0].strip().lower()
        if media not in _GRAPH_TYPES:
            if media in (SPARQL_JSON, "application/json"):
                raise QueryError("expected a CONSTRUCT or DESCRIBE query")
            raise StoreUnavailable(f"the engine answered a graph query as {media or 'nothing'}")
        try:
            triples = ox.parse(reply.body, format=_GRAPH_TYPES[media])
            result = GraphResult()
            for triple in triples:
                if limit is not None and len(result.triples) >= limit:
                    result.truncated = True
                    break
                result.triples.append((to_rdflib(triple.subject), to_rdflib(triple.predicate),
                                       to_rdflib(triple.object)))
        except SyntaxError as error:
            raise StoreUnavailable(f"the engine's {media} answer does not parse: {error}") from None
        return result

    def answer(self, query, *, results_type, graph_type, bindings=None, limit=None,
               dataset=None, form=None, base_iri=None) -> Answer:
        form = form or query_form(query)
        if base_iri is not None and not BAD_IRI.search(base_iri):
            query = f"BASE <{base_iri}>\n{query}"  # relative IRIs resolve as on the embedded
        return super().answer(query, results_type=results_type, graph_type=graph_type,
                              bindings=bindings, limit=limit, dataset=dataset, form=form)

    def graph_names(self) -> list[str]:
        if self._graphs is None:
            with self._lock:
                if self._graphs is None:
                    self._graphs = sorted(g for g in self._engine_graphs()
                                          if not g.startswith(SYSTEM_GRAPH_PREFIXES))
        return list(self._graphs)

    def _engine_graphs(self) -> list[str]:
        reply = self.endpoint.request(rq("engine-graphs"), accept=SPARQL_JSON,
                                      timeout=self.timeout)
        rows = _json(reply.body).get("results", {}).get("bindings", [])
        return [row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri"]

    def graph_counts(self, graphs: list[str] | None = None) -> dict[str, int]:
        """Triples per named graph in the engine, for the given graphs (default: the store's);
        a graph that the engine does not hold, or holds empty, is absent. One request per graph
        (``graph-counts.rq`` says why), on one kept-alive connection."""
        graphs = self.graph_names() if graphs is None else graphs
        counts = {}
        for graph in graphs:
            query = bind_values(rq("graph-counts"), {"g": (URIRef(graph),)})
            reply = self.endpoint.request(query, accept=SPARQL_JSON,
                                          timeout=max(self.timeout, COUNT_TIMEOUT))
            rows = _json(reply.body).get("results", {}).get("bindings", [])
            try:
                count = int(rows[0]["n"]["value"]) if rows else 0
            except (KeyError, TypeError, ValueError):
                raise StoreUnavailable(f"the engine answered a count with {rows[0]!r}") from None
            if count:
                counts[graph] = count
        return counts

    def probe(self, timeout: float = HEALTH_TIMEOUT) -> None:
        """Raise ``EngineUnreachable`` (503) unless the engine answers within ``timeout``."""
        if time.monotonic() - self._probed_at < PROBE_TTL:
            return
        try:
            self.endpoint.request(rq("engine-probe"), accept=SPARQL_JSON, timeout=timeout - 1.0)
        except StoreUnavailable:
            raise
        except Exception as error:  # a timeout, too: for /health the engine is not there
            raise EngineUnreachable(f"the SPARQL engine at {self.endpoint.url} did not answer "
                                    f"within {timeout:g} s ({error})") from None
        self._probed_at = time.monotonic()

    def triple_count(self) -> int:
        self.probe()
        if self._count is None:
            self._count = sum(self.graph_counts().values())
        return self._count

    def data_version(self) -> dict:
        return dict(self._version)

    def close(self) -> None:
        self.endpoint.pool.close()


def _system(graphs: list[str]) -> list[str]:
    return [g for g in graphs if g.startswith(SYSTEM_GRAPH_PREFIXES)]


@cache
def rq(name: str) -> str:
    """The text of ``store/sparql/NAME.rq`` (its header is SPARQL comments)."""
    return (SPARQL_FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def _frozen(bindings: Mapping | None):
    """Bindings as a hashable value for the answer cache (and back, for ``bind_values``)."""
    return None if not bindings else _Bindings(bindings)


class _Bindings(dict):
    def __hash__(self):  # a store call's bindings, as a key of the answer cache
        return hash(tuple(sorted(self.items())))


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside strings and IRIs."""
    match = _FORM.search(_mask(query))
    return match.group(1).upper() if match else "SELECT"


def _json(body: bytes) -> dict:
    try:
        document = json.loads(body)
    except ValueError as error:
        raise StoreUnavailable(f"the engine's answer is not SPARQL JSON ({error})") from None
    if not isinstance(document, dict):
        raise StoreUnavailable("the engine's answer is not SPARQL JSON")
    return document


_BNODE_SAFE = re.compile(r"[^A-Za-z0-9]")


def from_json(value: dict) -> Term:
    """One RDF term of a SPARQL JSON answer as an rdflib term (``xsd:string`` as plain, as the
    embedded store gives it; Virtuoso's ``nodeID://b1`` blank nodes made valid labels)."""
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(_BNODE_SAFE.sub("_", text))
    if kind in ("literal", "typed-literal"):
        if lang := value.get("xml:lang"):
            return Literal(text, lang=lang)
        datatype = value.get("datatype")
        if datatype and datatype != XSD_STRING:
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise StoreUnavailable(f"the engine's answer has a term of unknown type {kind!r}")
