"""No request leaves the machine: every query form, SERVICE in every position, LOAD, updates and
remote FROM, on the service (TestClient and a real ``plenipot serve``) and the command line; and
each layer holds alone (the parsed check without the sandbox, the sandbox without the check)."""

import subprocess
import time

import pytest
from hostile_cases import OUTBOUND, SAMPLE, Case
from rdflib import URIRef

from plenipot import formats
from plenipot.cli.main import main
from plenipot.errors import PlenipotError
from plenipot.store import sandbox
from plenipot.store.embedded import EmbeddedStore
from plenipot.store.workers import WorkerPool

IDS = [case.name for case in OUTBOUND]


def refused(case: Case, status: int, body) -> None:
    assert status == case.status, (case.name, body)
    assert body["error"] == case.error and case.fragment in body["message"], (case.name, body)


@pytest.mark.parametrize("case", OUTBOUND, ids=IDS)
def test_the_service_refuses_it_on_every_way_in(sample_client, listener, case):
    query = case.query(listener.url)
    for response in (
        sample_client.get("/sparql", params={"query": query}),
        sample_client.post("/sparql", data={"query": query}),
        sample_client.post("/sparql", content=query.encode(),
                           headers={"Content-Type": "application/sparql-query"}),
    ):
        refused(case, response.status_code, response.json())
    assert listener.connections == 0


def test_a_real_server_refuses_every_case_and_nothing_reaches_the_listener(served, listener):
    for case in OUTBOUND:
        status, body = served.sparql(case.query(listener.url))
        refused(case, status, body)
    status, body = served.sparql("ASK { ?s ?p ?o }")
    assert status == 200 and body["boolean"] is True
    assert listener.connections == 0


@pytest.mark.parametrize("case", OUTBOUND, ids=IDS)
def test_plenipot_query_sparql_refuses_it(capsys, listener, case):
    code = main(["query", "--no-bundled", "--data", str(SAMPLE), "--sparql",
                 case.query(listener.url)])
    err = capsys.readouterr().err
    assert code == case.exit and case.fragment in err and "Traceback" not in err, err
    assert listener.connections == 0


def test_the_installed_command_refuses_them_too(listener):
    from conftest import PLENIPOT

    for name in ("select-service", "cr-ends-comment-then-lf", "digit-then-service", "load",
                 "from-remote"):
        case = next(c for c in OUTBOUND if c.name == name)
        done = subprocess.run([str(PLENIPOT), "query", "--no-bundled", "--data", str(SAMPLE),
                               "--sparql", case.query(listener.url)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and case.fragment in done.stderr, (name, done.stderr)
        assert "Traceback" not in done.stderr
    assert listener.connections == 0


def test_the_parsed_check_alone_refuses_every_case(listener):
    """In this process (which has the network): only the check stands between the query and
    Oxigraph's HTTP client."""
    store = EmbeddedStore.open([SAMPLE])
    for case in OUTBOUND:
        with pytest.raises(PlenipotError) as caught:
            store.answer_checked(case.query(listener.url), results_type=formats.SPARQL_JSON,
                                 graph_type=formats.TURTLE)
        assert type(caught.value).__name__ == case.error, case.name
        assert case.fragment in caught.value.message, case.name
    time.sleep(0.2)
    assert listener.connections == 0


SERVICE = "SELECT * WHERE { SERVICE <LISTENER/sparql> { ?s ?p ?o } }"


def test_without_the_sandbox_oxigraph_would_connect(listener):
    """The control for the next test: the unchecked query does reach the listener from a
    process that has the network, so a listener that saw nothing means something."""
    store = EmbeddedStore.open([SAMPLE])
    with pytest.raises(PlenipotError):
        store.answer(SERVICE.replace("LISTENER", listener.url),
                     results_type=formats.SPARQL_JSON, graph_type=None)
    deadline = time.monotonic() + 5
    while listener.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections >= 1


@pytest.mark.skipif(not sandbox.sys.platform.startswith("linux"), reason="network namespaces")
def test_the_sandbox_alone_stops_an_unchecked_service_query(listener):
    """A query worker runs even an unchecked SERVICE query without reaching the listener: it
    has no network (the check is bypassed here on purpose, as a parser's blind spot would)."""
    pool = WorkerPool.open([SAMPLE], size=1, timeout=10)
    try:
        assert pool.isolation in ("netns", "userns")
        with pytest.raises(PlenipotError) as caught:
            pool.answer(SERVICE.replace("LISTENER", listener.url),
                        results_type=formats.SPARQL_JSON, graph_type=None)
        assert "unreachable" in caught.value.message.lower() or "error" in caught.value.message
        load = f"LOAD <{listener.url}/data.ttl>"
        with pytest.raises(PlenipotError):
            pool.answer(load, results_type=formats.SPARQL_JSON, graph_type=None)
        assert pool.ask("ASK { ?s ?p ?o }") is True  # and the worker still answers
    finally:
        pool.close()
    time.sleep(0.2)
    assert listener.connections == 0


def test_a_graph_of_the_store_in_from_is_still_allowed(sample_client):
    graph = URIRef("https://w3id.org/plenipot/source/test/organizations")
    response = sample_client.get("/sparql", params={
        "query": f"SELECT ?s FROM <{graph}> WHERE {{ ?s a ?t }}"})
    assert response.status_code == 200 and len(response.json()["results"]["bindings"]) == 1
