"""``PLENIPOT_SPARQL_DATASET=engine``: no protocol dataset on the requests, the engine's own
default graph instead — on an Oxigraph server started with ``--union-default-graph`` (the
optional third engine of scripts/engines.sh, kind ``oxigraph_union``), the one engine the
README recommends the mode for (Virtuoso's default graph holds its system graphs too). Over the
bundled data, every read query, an /api lookup, a linked-data page and /health answer as the
embedded store does; an engine that holds other graphs than ours is reported at start-up
(README, "Other SPARQL engines")."""

import logging
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic
from test_remote_queries import QUERIES, RUNS, answer, concatenated, multiset, sequence

from plenipot.config import Settings
from plenipot.sources.bundled import graph_sources
from plenipot.store.connect import open_local_store
from plenipot.web.app import create_app

ENGINE_KINDS = ("oxigraph_union",)
pytestmark = pytest.mark.remote


def engine_mode(engines, kind: str, settings: Settings) -> Settings:
    return replace(engines.settings(kind, settings), endpoint_dataset="engine")


@pytest.fixture(scope="module")
def stores(engines):
    settings = Settings(data=tuple(graph_sources()), bundled=False, validate_on_start=False,
                        cache_entries=0)
    opened = {"embedded": open_local_store(settings)}
    opened.update({kind: open_local_store(engine_mode(engines, kind, settings))
                   for kind in ENGINE_KINDS})
    for kind in ENGINE_KINDS:
        OTHERS[kind] = others(opened[kind])
    yield opened
    for store in opened.values():
        store.close()


@pytest.fixture(scope="module")
def clients(engines):
    settings = Settings(validate_on_start=False, cache_entries=0)
    made = {"embedded": settings} | {kind: engine_mode(engines, kind, settings)
                                     for kind in ENGINE_KINDS}
    opened = {kind: TestClient(create_app(s)) for kind, s in made.items()}
    for client in opened.values():
        client.__enter__()
    yield opened
    for client in opened.values():
        client.__exit__(None, None, None)


OTHERS: dict[str, list[str]] = {}  # per engine: the graphs it holds besides the bundled ones


def others(store) -> list[str]:
    from plenipot.store.remote import _system

    held = store._engine_graphs()
    return sorted(set(held) - set(store.graph_names()) - set(_system(held)))


def alone(kind: str) -> None:
    """Engine mode answers over all the engine holds: compare only on an engine that holds the
    bundled graphs alone (the union Oxigraph is this module's own)."""
    assert not OTHERS.get(kind), f"{kind} holds other graphs: {OTHERS[kind][:3]}"


def test_the_stores_send_no_dataset(stores):
    """The mode is the one under test: no default-graph-uri on the engine's requests."""
    for kind in ENGINE_KINDS:
        assert stores[kind].dataset_mode == "engine"
        assert stores[kind]._dataset_params("SELECT * WHERE { ?s ?p ?o }", None) == []


CASES = [pytest.param(kind, key, extra, id=f"{kind}-" + "+".join((key, *extra)))
         for kind in ENGINE_KINDS for key, extra in RUNS]


@pytest.mark.parametrize(("kind", "key", "extra"), CASES)
def test_every_query_answers_as_on_the_embedded_store(stores, kind, key, extra):
    alone(kind)
    lists = concatenated(QUERIES[key].text)
    ours, theirs = answer(stores["embedded"], key, extra), answer(stores[kind], key, extra)
    embedded, found = multiset(ours, lists), multiset(theirs, lists)
    assert found == embedded, (
        f"{key} differs on {kind} (engine dataset): {sum((embedded - found).values())} "
        f"row(s) only embedded, {sum((found - embedded).values())} only on {kind}")
    if "ORDER BY" in QUERIES[key].text:
        assert sequence(theirs, lists) == sequence(ours, lists), f"{key}: another order"


def test_a_named_query_an_api_lookup_and_health_answer_the_same(stores, clients):
    embedded = clients["embedded"]
    resolutions = embedded.get("/api/resolutions").json()
    assert resolutions, "the bundled data has resolutions"
    number = resolutions[0]["number"]
    requests = [f"/api/resolutions/pp/{number}", "/api/resolutions", "/api/proposals?limit=5",
                f"/queries/proposals-for-resolution?number={number}"]
    health = embedded.get("/health").json()
    for kind in ENGINE_KINDS:
        alone(kind)
        for path in requests:
            theirs, ours = clients[kind].get(path), embedded.get(path)
            assert theirs.status_code == ours.status_code == 200, (kind, path, theirs.text)
            assert theirs.json() == ours.json(), f"{path} differs on {kind}"
        body = clients[kind].get("/health").json()
        assert body["status"] == "ok", (kind, body)
        assert (body["triples"], body["graphs"]) == (health["triples"], health["graphs"]), kind


def test_a_linked_data_page_is_the_same(stores, clients):
    embedded = clients["embedded"]
    number = embedded.get("/api/resolutions").json()[0]["number"]
    path = f"/id/resolution/pp/{number}"
    ours = embedded.get(path, headers={"Accept": "text/turtle"})
    assert ours.status_code == 200 and len(Graph().parse(data=ours.text, format="turtle"))
    page = embedded.get(path, headers={"Accept": "text/html"})
    for kind in ENGINE_KINDS:
        alone(kind)
        theirs = clients[kind].get(path, headers={"Accept": "text/turtle"})
        assert theirs.status_code == 200, (kind, theirs.text)
        assert isomorphic(Graph().parse(data=theirs.text, format="turtle"),
                          Graph().parse(data=ours.text, format="turtle")), kind
        html = clients[kind].get(path, headers={"Accept": "text/html"})  # lists may come in
        assert html.status_code == 200, kind  # another order (unordered rows): same lines
        assert lines(html.text) == lines(page.text), kind


def lines(text: str) -> list[str]:
    return sorted(line.strip().rstrip(",") for line in text.splitlines())


FOREIGN = "https://example.org/not-ours"


def test_other_graphs_in_the_engine_are_reported_at_start_up(engines, caplog, tmp_path: Path):
    """The engine's default graph is all it holds: a graph loaded by someone else shows in every
    answer, and start-up says so. Checked on its own data (one small file) so the shared
    engine's bundled graphs stay untouched."""
    from plenipot.store.remote_http import Endpoint

    source = tmp_path / "mine.ttl"
    source.write_text('<https://example.org/a> <https://example.org/p> "mine" .\n')
    settings = Settings(data=(source,), bundled=False, validate_on_start=False, cache_entries=0)
    config = engine_mode(engines, "oxigraph_union", settings)
    endpoint = Endpoint(config.endpoint, engines._env("oxigraph_union", "UPDATE_URL"))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def update(text: str) -> None:
        endpoint.request(text, accept="*/*", timeout=10.0, update=True)

    with caplog.at_level(logging.WARNING, logger="plenipot.store.remote"):
        store = open_local_store(config)
    try:  # the shared engine may hold the bundled graphs of the other tests: said if so
        others = set(store._engine_graphs()) - set(store.graph_names())
        besides = [r for r in caplog.records if "named graph(s) besides" in r.getMessage()]
        assert bool(besides) == bool(others), (others, besides)
        caplog.clear()
        update(f'INSERT DATA {{ GRAPH <{FOREIGN}> {{ <{FOREIGN}#x> <{FOREIGN}#p> 1 }} }}')
        update(f'INSERT DATA {{ <{FOREIGN}#y> <{FOREIGN}#p> 2 }}')  # unnamed graph
        with caplog.at_level(logging.WARNING, logger="plenipot.store.remote"):
            again = open_local_store(config)
        messages = [r.getMessage() for r in caplog.records]
        assert any("named graph(s) besides the 1 source graphs" in m and "PLENIPOT_SPARQL_DATASET"
                   in m for m in messages), messages
        assert any("holds 1 triple(s) outside its named graphs" in m for m in messages), messages
        # and the answers do count them: the reason for the warning
        engine_total = int(again.select(count).rows[0]["n"])
        assert engine_total > again.triple_count()
        again.close()
    finally:
        store.close()
        update(f"DROP SILENT GRAPH <{FOREIGN}>")
        for graph in store.graph_names():  # mine.ttl: the other tests see the whole engine
            update(f"DROP SILENT GRAPH <{graph}>")
        update(f"DELETE DATA {{ <{FOREIGN}#y> <{FOREIGN}#p> 2 }}")
