"""The embedded store: loading (one named graph per file, quads keep theirs), the union default
graph, bindings as RDF terms, the row cap, the durable on-disk store, and bad input files."""

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from plenipot.errors import InputError, QueryError, QueryTimeout
from plenipot.results import Dataset
from plenipot.store.embedded import LOADED_MARKER, EmbeddedStore, build_on_disk
from plenipot.store.workers import WorkerPool

SAMPLE = Path(__file__).parents[1] / "fixtures" / "store"
ORGS_GRAPH = "https://w3id.org/plenipot/source/test/organizations"
TITLE = "PREFIX dcterms: <http://purl.org/dc/terms/> "
RES = "https://w3id.org/plenipot/id/resolution/pp/"


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore.open([SAMPLE])


def test_each_file_is_a_named_graph_and_quads_keep_theirs(store):
    ttl = (SAMPLE / "pp-22.ttl").resolve().as_uri()
    assert store.graph_names() == sorted([ttl, ORGS_GRAPH])
    rows = store.select("SELECT ?g WHERE { GRAPH ?g { <https://w3id.org/plenipot/id/org/cept> "
                        "?p ?o } }").rows
    assert {row["g"] for row in rows} == {URIRef(ORGS_GRAPH)}
    assert store.triple_count() == 18


def test_the_default_graph_is_the_union(store):
    assert store.ask("ASK { <https://w3id.org/plenipot/id/org/cept> ?p ?o . "
                     f"<{RES}102> ?q ?r }}")


def test_bindings_are_rdf_terms_never_pasted(store):
    query = TITLE + "SELECT ?r WHERE { ?r <https://w3id.org/plenipot/def#number> ?n }"
    assert store.select(query, {"n": Literal("102")}).rows == [{"r": URIRef(RES + "102")}]
    hostile = Literal('102" } UNION { ?r ?p ?o } #')
    assert store.select(query, {"n": hostile}).rows == []


def test_the_row_cap_marks_a_result_truncated(store):
    result = store.select("SELECT * WHERE { ?s ?p ?o }", limit=5)
    assert len(result.rows) == 5 and result.truncated
    assert not store.select("SELECT * WHERE { ?s ?p ?o }", limit=100).truncated
    graph = store.construct("CONSTRUCT WHERE { ?s ?p ?o }", limit=3)
    assert len(graph.triples) == 3 and graph.truncated


def test_a_request_dataset_replaces_the_union(store):
    query = "SELECT ?s WHERE { ?s a ?type }"
    only_orgs = store.select(query, dataset=Dataset(default_graphs=(ORGS_GRAPH,)))
    assert only_orgs.rows == [{"s": URIRef("https://w3id.org/plenipot/id/org/cept")}]
    from_clause = store.select(f"SELECT ?s FROM <{ORGS_GRAPH}> WHERE {{ ?s a ?type }}")
    assert len(from_clause.rows) == 1


def test_answer_writes_protocol_bytes(store):
    answer = store.answer("SELECT ?n WHERE { ?r <https://w3id.org/plenipot/def#number> ?n } "
                          "ORDER BY ?n", results_type="application/sparql-results+json",
                          graph_type=None, limit=2)
    document = json.loads(answer.body)
    assert [b["n"]["value"] for b in document["results"]["bindings"]] == ["101", "102"]
    assert document["truncated"] is True and answer.truncated


def test_a_malformed_query_is_a_query_error(store):
    with pytest.raises(QueryError, match="does not parse"):
        store.select("SELECT * WHERE {")


def test_a_bad_file_names_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d .\n")
    with pytest.raises(InputError) as caught:
        EmbeddedStore.open([bad])
    assert str(caught.value).startswith(f"{bad}:3:")


def test_an_unknown_file_type_and_a_missing_file(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputError, match="unknown RDF file type"):
        EmbeddedStore.open([tmp_path / "notes.txt"])
    with pytest.raises(InputError, match="no such file"):
        EmbeddedStore.open([tmp_path / "missing.ttl"])


def test_the_on_disk_store_is_loaded_once_and_reused_until_its_sources_change(tmp_path):
    path = tmp_path / "store"
    source = tmp_path / "data.nt"
    source.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    first = build_on_disk([SAMPLE, source], path)
    assert (path / LOADED_MARKER).is_file() and first["files"] == 3
    marker_time = (path / LOADED_MARKER).stat().st_mtime_ns
    assert build_on_disk([SAMPLE, source], path) == first  # reused, not loaded again
    assert (path / LOADED_MARKER).stat().st_mtime_ns == marker_time
    assert EmbeddedStore.open([SAMPLE, source], path).triple_count() == 19
    source.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/c> .\n"
                      "<http://example.org/a> <http://example.org/p> <http://example.org/d> .\n")
    changed = build_on_disk([SAMPLE, source], path)  # edited data: loaded again
    assert changed["sources_sha256"] != first["sources_sha256"]
    assert EmbeddedStore.open([SAMPLE, source], path).triple_count() == 20


def test_a_failed_load_leaves_no_half_store(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://example.org/a> <http://example.org/b> .\n")
    with pytest.raises(InputError):
        build_on_disk([SAMPLE, bad], tmp_path / "store")
    assert not (tmp_path / "store").exists()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x").write_text("x")
    with pytest.raises(InputError, match="delete it"):
        build_on_disk([SAMPLE], tmp_path / "other")


def test_the_worker_pool_stops_a_long_query_and_recovers():
    pool = WorkerPool.open([SAMPLE], size=1, timeout=0.5)
    (first,) = pool.processes()
    try:
        assert pool.ask("ASK { ?s ?p ?o }")
        with pytest.raises(QueryTimeout, match=r"longer than 0\.5 s"):
            pool.select("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                        "?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x . ?y ?z ?z1 }")
        assert pool.select(TITLE + "SELECT ?t WHERE { ?r dcterms:title ?t }").rows  # replaced
        with pytest.raises(QueryError):
            pool.select("SELECT * WHERE {")  # errors cross the pipe with their class
        processes = [first, *pool.processes()]
    finally:
        pool.close()
    assert not any(process.is_alive() for process in processes)
    assert first.exitcode == -9  # the timed-out worker was killed


def test_the_worker_pool_reports_a_bad_file_and_serves_a_durable_store(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/b> .\n")
    with pytest.raises(InputError, match=r"bad\.ttl:1:"):
        WorkerPool.open([bad], size=1)
    pool = WorkerPool.open([SAMPLE], tmp_path / "store", size=1)
    try:
        assert pool.triple_count() == 18 and pool.data_version()["files"] == 2
        assert len(pool.select("SELECT * WHERE { ?s ?p ?o }", limit=4).rows) == 4
    finally:
        pool.close()


def test_the_async_calls_give_the_same_answers(store):
    import asyncio

    query = TITLE + "SELECT ?t WHERE { ?r dcterms:title ?t } ORDER BY ?t"

    async def ask_both(target):
        rows = (await target.select_async(query, limit=2)).rows
        found = await target.ask_async("ASK { ?s ?p ?o }")
        graph = await target.construct_async("CONSTRUCT WHERE { ?s a ?t }")
        return rows, found, len(graph.triples)

    pool = WorkerPool.open([SAMPLE], size=1)
    try:
        assert asyncio.run(ask_both(pool)) == asyncio.run(ask_both(store))
    finally:
        pool.close()
