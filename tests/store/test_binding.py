"""Parameters are bound as RDF terms in a leading VALUES block, never pasted as text."""

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from plenipot.errors import ParameterError, QueryError
from plenipot.store.binding import bind_values, where_group_start

EX = "http://example.org/"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(
        input=f'<{EX}a> <{EX}p> "it\'s \\"quoted\\" {{ }}" .\n<{EX}b> <{EX}p> "plain" .'.encode(),
        format=ox.RdfFormat.N_TRIPLES,
    )
    return store


def run(store: ox.Store, query: str, **bindings) -> list:
    return [s["s"].value for s in store.query(bind_values(query, bindings))]


def test_a_literal_with_quotes_and_braces_is_bound_exactly(store: ox.Store) -> None:
    value = Literal('it\'s "quoted" { }')
    assert run(store, "SELECT ?s WHERE { ?s ?p ?o }", o=value) == [f"{EX}a"]


def test_an_injection_attempt_matches_nothing_and_changes_nothing(store: ox.Store) -> None:
    attack = Literal('plain" } UNION { ?s ?p ?o } #')
    assert run(store, "SELECT ?s WHERE { ?s ?p ?o }", o=attack) == []


def test_typed_literals_and_iris_bind(store: ox.Store) -> None:
    query = "SELECT ?s WHERE { ?s <http://example.org/p> ?o FILTER(?n > 0) }"
    assert run(store, query, s=URIRef(f"{EX}b"), n=Literal(1, datatype=XSD.integer)) == [f"{EX}b"]


def test_the_where_group_is_found_past_prologue_comments_strings_and_templates() -> None:
    query = (
        "PREFIX ex: <http://example.org/>  # a comment with { a brace\n"
        'CONSTRUCT { ?s ex:label "{" } WHERE { ?s ?p ?o }'
    )
    at = where_group_start(query)
    assert query[:at].endswith("WHERE {")
    short = "CONSTRUCT WHERE { ?s ?p ?o }"
    assert short[: where_group_start(short)] == "CONSTRUCT WHERE {"


def test_a_bad_iri_a_blank_node_or_a_bad_name_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="'target'"):
        bind_values("SELECT * { ?s ?p ?o }", {"target": URIRef("http://x/> } ?s ?p ?o {")})
    with pytest.raises(ParameterError, match="blank node"):
        bind_values("SELECT * { ?s ?p ?o }", {"s": BNode()})
    with pytest.raises(ParameterError, match="variable name"):
        bind_values("SELECT * { ?s ?p ?o }", {"s o": Literal("x")})


def test_a_query_without_a_group_cannot_be_bound() -> None:
    with pytest.raises(QueryError):
        bind_values("ASK", {"s": Literal("x")})


def test_filter_variables_are_written_in_as_terms_and_exists_is_left_alone() -> None:
    query = (
        'SELECT ?s WHERE { ?s ?p ?o FILTER(REGEX(?o, ?q) && ?o != "?q") '
        "FILTER NOT EXISTS { ?s ?p ?q } FILTER regex(?o, $q, \"i\") }"
    )
    bound = bind_values(query, {"q": Literal("^it")})
    assert 'FILTER(REGEX(?o, "^it") && ?o != "?q")' in bound  # the string is not touched
    assert "FILTER NOT EXISTS { ?s ?p ?q }" in bound  # a pattern, bound by VALUES
    assert 'FILTER regex(?o, "^it", "i")' in bound
    assert 'VALUES (?q) { ("^it") }' in bound


def test_a_bound_regex_is_evaluated_like_a_constant(store: ox.Store) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o FILTER(REGEX(?o, ?q)) }"
    assert run(store, query, q=Literal("^pla")) == [f"{EX}b"]
