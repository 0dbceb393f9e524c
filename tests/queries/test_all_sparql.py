"""Every SPARQL text of the project: the catalogue ``queries/*.rq`` and each sub-package's
``sparql/*.rq`` (``plenipot.queries.examples.every_query``).

Each file has the DESIGN.md §6 header, parses with Oxigraph (pieces on and off), carries the
project's own PREFIX lines, uses every parameter it declares and gives each required one an
example (``e.g. VALUE`` in its description); the code can bind only declared parameters. Each
answers, with its examples, on the bundled data (at least one row, unless listed in
``KNOWN_GAPS``) and on a 100k-triple synthetic graph (benchmarks/synthetic.py), within a time
bound.
"""

import importlib.util
import re
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from plenipot.namespaces import PREFIXES
from plenipot.queries.examples import every_query, is_update, run_example, variants
from plenipot.queries.header import parse_query_file, sparql
from plenipot.queries.run import UndeclaredBinding, rows
from plenipot.sources.bundled import graph_sources
from plenipot.store.embedded import EmbeddedStore

ROOT = Path(__file__).parents[2]
QUERIES = every_query()
# an update changes the store: it is parsed as one, and its caller's tests check what it does
UPDATES = {key for key, query in QUERIES.items() if is_update(query)}
RUNS = [(key, extra) for key, query in QUERIES.items() if key not in UPDATES
        for extra in variants(query)]


def _run_id(run: tuple[str, tuple[str, ...]]) -> str:
    key, extra = run
    return "+".join((key, *extra))


# Queries that answer nothing on the bundled data because the data has nothing for them yet
# (a gap for the data, not the query): (key, extra) -> why.
KNOWN_GAPS = {
    ("queries/late-contributions", ()): "no contribution after its deadline in data/",
    ("queries/late-contributions", ("conference",)): "no contribution after its deadline",
    ("queries/proposals-by-status", ()): "the one bundled proposal is submitted, none adopted",
    ("queries/proposals-by-status", ("conference",)): "no adopted proposal",
    ("queries/proposals-by-topic", ()): "no proposal tagged internet-governance",
    ("queries/proposals-by-topic", ("conference",)): "no proposal tagged internet-governance",
    ("queries/proposals-for-resolution", ()): "no proposal targets Resolution 102 yet",
    ("queries/proposals-for-resolution", ("body",)): "no proposal targets Resolution 102 yet",
    ("queries/regional-alignment", ()): "no resolution with proposals from two organizations",
    ("queries/regional-alignment", ("conference",)): "no resolution proposed on by two groups",
    ("web/sparql/api-proposal-page", ("member_of",)): "no proposal by a CEPT member state",
    ("web/sparql/api-proposal-summary", ("member_of",)): "no proposal by a CEPT member state",
    ("web/sparql/api-proposal-positions", ()): "no stakeholder position on a proposal",
}
BUNDLED_SECONDS = 2.0
SYNTHETIC_SECONDS = 2.0
# queries whose answer is the whole store, linear in its size (the dumps)
WHOLE_STORE_SECONDS = {"linked_data/sparql/quads": 60.0}


@pytest.fixture(scope="module")
def bundled_store():
    opened = EmbeddedStore.open(graph_sources())
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory):
    """The bundled data and a 100k-triple synthetic graph, built once per session."""
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    path = tmp_path_factory.mktemp("synthetic") / "synthetic-100k.ttl"
    with path.open("w", encoding="utf-8") as out:
        out.writelines(synthetic.generate(100_000))
    opened = EmbeddedStore.open([*graph_sources(), path])
    yield opened
    opened.close()


# --- the files -------------------------------------------------------------------------------


def test_every_rq_file_in_the_repository_is_listed():
    files = {*ROOT.glob("queries/*.rq"), *ROOT.glob("service/plenipot/**/sparql/*.rq")}
    assert len(files) == len(QUERIES) > 14
    assert {parse_query_file(path).title for path in files} == {q.title for q in QUERIES.values()}


def test_no_rq_file_lives_anywhere_else_but_the_benchmark_baseline():
    files = {path.relative_to(ROOT).as_posix() for path in ROOT.rglob("*.rq")
             if not {".venv", "build", "node_modules"} & set(path.relative_to(ROOT).parts)}
    # tests/conformance/ vendors public suites (W3C SPARQL syntax tests) as they are published
    others = {f for f in files
              if not f.startswith(("queries/", "service/plenipot/", "tests/conformance/"))}
    assert others == {"benchmarks/baseline.rq"}
    baseline = parse_query_file(ROOT / "benchmarks" / "baseline.rq")
    assert len(list(ox.Store().query(baseline.text))) == 0  # parses; an empty store has no row


@pytest.mark.parametrize("key", sorted(QUERIES))
def test_parses_with_oxigraph_with_its_pieces_on_and_off(key):
    query = QUERIES[key]
    empty = ox.Store()
    for text in {query.text_with(), query.text_with(*query.pieces)}:
        try:
            if key in UPDATES:
                empty.update(text)
            else:
                empty.query(text)
        except SyntaxError as error:
            pytest.fail(f"{key} does not parse: {error}")


@pytest.mark.parametrize("key", sorted(QUERIES))
def test_carries_its_own_prefixes_as_the_project_declares_them(key):
    query = QUERIES[key]
    declared = dict(re.findall(r"^PREFIX\s+([\w-]*):\s*<([^>]+)>", query.text, re.MULTILINE))
    for prefix, namespace in declared.items():
        assert PREFIXES[prefix] == namespace, prefix
    body = "\n".join(line for line in query.text_with(*query.pieces).splitlines()
                     if not line.startswith("PREFIX"))
    body = re.sub(r'<[^>]*>|"[^"\n]*"', "", body)  # IRIs and strings are not prefixed names
    body = re.sub(r"#.*", "", body)  # nor are comments
    used = set(re.findall(r"(?<![\w?$#/:.-])([a-z][\w-]*):[A-Za-z_]", body))
    assert used <= set(declared), f"undeclared prefixes: {used - set(declared)}"


@pytest.mark.parametrize("key", sorted(QUERIES))
def test_every_declared_parameter_occurs_and_required_ones_have_an_example(key):
    query = QUERIES[key]
    text = query.text_with(*query.pieces)
    for param in query.params:
        assert re.search(rf"[?$]{param.name}\b", text), f"{param.name} is declared, never used"
        if param.required:
            assert param.example, f"{param.name} is required and has no 'e.g. VALUE'"
    for name, piece in query.pieces.items():
        if name in {p.name for p in query.params}:
            assert re.search(rf"[?$]{name}\b", piece), f"piece {name} does not use ?{name}"


def test_the_updates_are_the_known_ones_and_an_update_is_not_run_as_an_example(bundled_store):
    assert sorted(UPDATES) == ["sources/sparql/drop-replaced-proposals"]
    key = "sources/sparql/drop-replaced-proposals"
    with pytest.raises(ValueError, match="is an update"):
        run_example(bundled_store, key, QUERIES[key])


def test_the_drop_replaced_update_removes_only_the_bundled_description_of_a_user_proposal():
    pp = "https://w3id.org/plenipot/def#"
    bundled = "https://w3id.org/plenipot/source/data/p.ttl"
    user = "file:///home/u/sheet.ttl"
    store = ox.Store()
    store.load(f"""
<urn:p1> a <{pp}Proposal> ; <{pp}statusChange> <urn:c1> ; <{pp}title> "old" .
<urn:c1> <{pp}status> <urn:submitted> .
<urn:p2> a <{pp}Proposal> ; <{pp}title> "kept" .""".encode(), ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(bundled))
    store.load(f'<urn:p1> a <{pp}Proposal> ; <{pp}title> "new" .'.encode(), ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(user))
    store.update(QUERIES["sources/sparql/drop-replaced-proposals"].text)
    left = {(str(q.subject.value), str(q.graph_name.value)) for q in store}
    assert left == {("urn:p2", bundled), ("urn:p1", user)}

    """/api/proposals finds a page, counts, and describes with three files: same filters."""
    trio = [QUERIES[f"web/sparql/api-proposal-{name}"] for name in ("page", "count", "summary")]
    assert trio[0].pieces == trio[1].pieces == trio[2].pieces
    assert set(trio[0].params) == set(trio[1].params) == set(trio[2].params) - {
        trio[2].param("proposal")}


def test_the_code_cannot_bind_a_parameter_the_file_does_not_declare(bundled_store):
    query = sparql("plenipot.web", "api-exists")
    iri = URIRef("https://w3id.org/plenipot/id/resolution/pp/102")
    with pytest.raises(UndeclaredBinding, match=r"api-exists\.rq declares no parameter nope"):
        rows(bundled_store, query, {"s": iri, "nope": iri})
    assert rows(bundled_store, query,
                {"s": iri, "class": URIRef("https://w3id.org/plenipot/def#Resolution")})


def test_pieces_can_go_in_two_places():
    from plenipot.queries.header import parse_query

    query = parse_query("# title: t\n# description: d\n# piece: x  ?s a ?x .\n"
                        "SELECT * WHERE {\n{\n  # pieces\n} UNION {\n  # pieces\n}\n}", "t")
    assert query.text_with("x").count("\n?s a ?x .\n") == 2


# --- the answers -----------------------------------------------------------------------------


@pytest.mark.parametrize("run", RUNS, ids=_run_id)
def test_answers_on_the_bundled_data(run, bundled_store):
    key, extra = run
    started = time.perf_counter()
    answered = run_example(bundled_store, key, QUERIES[key], extra)
    seconds = time.perf_counter() - started
    assert seconds < BUNDLED_SECONDS, f"{key} took {seconds:.2f} s on the bundled data"
    if run in KNOWN_GAPS and not answered:
        pytest.skip(f"known gap in the bundled data: {KNOWN_GAPS[run]}")
    assert answered, f"{key} with {extra or 'its required parameters'} answered nothing"


@pytest.mark.parametrize("run", RUNS, ids=_run_id)
def test_answers_on_a_100k_synthetic_graph(run, synthetic_store):
    key, extra = run
    started = time.perf_counter()
    run_example(synthetic_store, key, QUERIES[key], extra)
    seconds = time.perf_counter() - started
    bound = WHOLE_STORE_SECONDS.get(key, SYNTHETIC_SECONDS)
    assert seconds < bound, f"{key} took {seconds:.2f} s at 100k triples (bound {bound} s)"
