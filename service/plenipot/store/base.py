"""The store interface that the routes and commands talk to: read-only SPARQL over the loaded
sources, results as rdflib terms (``plenipot.results``), and ``answer`` for protocol bytes."""

from abc import ABC, abstractmethod
from collections.abc import Mapping

from rdflib.term import Identifier

from plenipot import formats
from plenipot.errors import NotAcceptable
from plenipot.results import Answer, Dataset, GraphResult, SelectResult


class Store(ABC):
    """A read-only SPARQL store over the loaded sources (each source file a named graph)."""

    @abstractmethod
    def select(
        self, query: str, bindings: Mapping[str, Identifier] | None = None,
        limit: int | None = None, *, dataset: Dataset | None = None,
    ) -> SelectResult: ...

    @abstractmethod
    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None,
            *, dataset: Dataset | None = None) -> bool: ...

    @abstractmethod
    def construct(
        self, query: str, bindings: Mapping[str, Identifier] | None = None,
        limit: int | None = None, *, dataset: Dataset | None = None,
    ) -> GraphResult: ...

    @abstractmethod
    def triple_count(self) -> int: ...

    @abstractmethod
    def graph_names(self) -> list[str]: ...

    def answer(
        self, query: str, *, results_type: str | None, graph_type: str | None,
        bindings: Mapping[str, Identifier] | None = None, limit: int | None = None,
        dataset: Dataset | None = None, form: str | None = None, base_iri: str | None = None,
    ) -> Answer:
        """Run any read query and write its result as ``results_type`` (SELECT, ASK) or
        ``graph_type`` (CONSTRUCT, DESCRIBE); ``None`` means the caller accepts no such format
        (``NotAcceptable``). This generic version goes through rdflib terms; ``form`` is the
        query form when the caller knows it (see ``plenipot.store.safety``). ``base_iri``
        resolves the query's relative IRIs (``/sparql`` passes its own URL); this generic
        version leaves them to the engine behind it."""
        form = form or "SELECT"
        if form == "ASK":
            value = self.ask(query, bindings, dataset=dataset)
            media = accepted(results_type, form)
            return Answer(form, media, formats.render_boolean(value, media))
        if form in ("CONSTRUCT", "DESCRIBE"):
            media = accepted(graph_type, form)
            graph = self.construct(query, bindings, limit, dataset=dataset)
            return Answer(form, media, formats.render_graph(graph, media), graph.truncated)
        media = accepted(results_type, form)
        result = self.select(query, bindings, limit, dataset=dataset)
        return Answer(form, media, formats.render_select(result, media), result.truncated)

    # For ``async def`` routes: the same calls without blocking the event loop. Here they run
    # in the thread pool; the worker pool waits on its pipes instead (no thread at all).
    async def select_async(self, query: str, bindings=None, limit=None, *,
                           dataset: Dataset | None = None) -> SelectResult:
        return await _in_thread(self.select, query, bindings, limit, dataset=dataset)

    async def ask_async(self, query: str, bindings=None, *, dataset: Dataset | None = None) -> bool:
        return await _in_thread(self.ask, query, bindings, dataset=dataset)

    async def construct_async(self, query: str, bindings=None, limit=None, *,
                              dataset: Dataset | None = None) -> GraphResult:
        return await _in_thread(self.construct, query, bindings, limit, dataset=dataset)

    async def answer_async(self, query: str, **kwargs) -> Answer:
        return await _in_thread(self.answer, query, **kwargs)

    def data_version(self) -> dict:
        """What data is loaded: a fingerprint of the sources, when known."""
        return {}

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the store holds."""


async def _in_thread(function, *args, **kwargs):
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args, **kwargs)


def accepted(media_type: str | None, form: str) -> str:
    if media_type is None:
        kind = "a graph" if form in ("CONSTRUCT", "DESCRIBE") else f"{form} results"
        raise NotAcceptable(f"this is a {form} query, and none of the formats in Accept can "
                            f"carry {kind}")
    return media_type
