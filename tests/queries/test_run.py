"""Running a sub-package's .rq file from code (plenipot.queries.run): only declared parameters
are bound, a piece goes in with the parameter it is named after, a tuple binds a set of values,
and ``# bind: written-in`` writes checked terms in for their variables."""

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from plenipot.errors import InputError, ParameterError
from plenipot.queries.header import parse_query
from plenipot.queries.run import UndeclaredBinding, construct, rows, text
from plenipot.store.binding import bind_values, write_in
from plenipot.store.embedded import EmbeddedStore

FIXTURE = Path(__file__).parents[1] / "fixtures" / "valid" / "tracker-sample.ttl"
ID = "https://w3id.org/plenipot/id/"
PP = "https://w3id.org/plenipot/def#"

QUERY = parse_query(f"""# title: Proposals
# description: Proposals, filtered.
# param: status    iri  optional  Only this status, e.g. {ID}status/submitted
# param: proposal  iri  optional  Only these, e.g. {ID}proposal/test-99/t-1
# piece: status    ?proposal pp:status ?status .
PREFIX pp: <{PP}>
SELECT ?proposal WHERE {{
  ?proposal a pp:Proposal .
  # pieces
}} ORDER BY ?proposal""", "proposals")


@pytest.fixture(scope="module")
def store():
    opened = EmbeddedStore.open([FIXTURE])
    yield opened
    opened.close()


def test_an_undeclared_binding_is_refused_before_the_store_is_asked(store):
    with pytest.raises(UndeclaredBinding, match="declares no parameter nope"):
        rows(store, QUERY, {"nope": Literal(1)})


def test_the_piece_named_like_a_bound_parameter_goes_in():
    assert "\n?proposal pp:status ?status .\n" not in text(QUERY)
    assert "\n?proposal pp:status ?status .\n" in text(QUERY, {"status": URIRef(ID + "status/x")})
    assert "# pieces" in text(QUERY)  # switched off: the line stays a comment


def test_a_tuple_binds_a_set_of_values(store):
    everything = [URIRef(r["proposal"]) for r in rows(store, QUERY)]
    assert len(everything) > 3
    chosen = (everything[0], everything[2])
    assert [URIRef(r["proposal"]) for r in rows(store, QUERY, {"proposal": chosen})] == list(chosen)
    assert rows(store, QUERY, {"proposal": ()}) == []  # an empty set matches nothing


def test_a_set_and_a_single_value_together(store):
    query = bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": (URIRef("urn:a"), URIRef("urn:b")),
                                                        "p": URIRef("urn:p")})
    assert "VALUES (?p) { (<urn:p>) } VALUES ?s { <urn:a> <urn:b> }" in query


def test_written_in_replaces_variables_but_not_strings_iris_or_comments():
    query = 'SELECT ?o WHERE { ?this ?p ?o FILTER(?o != "?this") } # ?this\n<urn:?this>'
    written = write_in(query, {"this": URIRef("urn:x")})
    assert written == 'SELECT ?o WHERE { <urn:x> ?p ?o FILTER(?o != "?this") } # ?this\n<urn:?this>'


def test_written_in_checks_the_term():
    with pytest.raises(ParameterError, match="not a valid IRI"):
        write_in("SELECT * WHERE { ?this ?p ?o }", {"this": URIRef("urn:x> } ; DROP ALL #")})


def test_a_written_in_query_answers_like_the_values_bound_one(store):
    source = f"""# title: t
# description: d
# param: this  iri  required  e.g. {ID}proposal/test-99/t-1
# bind: BIND
CONSTRUCT {{ ?this ?p ?o }} WHERE {{ {{ ?this ?p ?o }} UNION {{ ?o ?p ?this }} }}"""
    with pytest.raises(InputError, match="'bind:' is 'values' or 'written-in'"):
        parse_query(source, "t")
    subject = URIRef(next(r["proposal"] for r in rows(store, QUERY)))
    written = parse_query(source.replace("# bind: BIND", "# bind: written-in"), "t")
    bound = parse_query(source.replace("# bind: BIND\n", ""), "t")
    assert written.written_in and not bound.written_in
    by_values = construct(store, bound, {"this": subject}).triples
    assert by_values and sorted(construct(store, written, {"this": subject}).triples) == sorted(
        by_values)
