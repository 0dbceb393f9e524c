"""Every .rq file (queries/*.rq and the sparql/ folders of the sub-packages) gives the same
answer on the embedded store, Virtuoso and Oxigraph's server, over the bundled data.

Answers are compared as multisets of rows. Terms are normalized only where engines
legitimately differ: numbers by value (an aggregate may come back as xsd:integer on one engine
and xsd:decimal on another), language tags by case, blank nodes by kind, and what a GROUP_CONCAT
gives as the multiset of its parts (SPARQL 1.1 leaves their order open). Anything else that
differs is a query to make portable (README, "Other SPARQL engines"); none is left. Queries
with ORDER BY must also give their rows in the same order.
"""

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

import pytest
from rdflib import BNode, Literal, URIRef

from plenipot.queries.examples import (
    every_query,
    example_values,
    form,
    is_catalogue,
    variants,
)
from plenipot.queries.params import convert
from plenipot.queries.run import construct, select
from plenipot.sources.bundled import graph_sources

# the read queries (an update such as sources/sparql/drop-replaced-proposals is not one)
_READ = re.compile(r"^\s*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.I | re.M)
QUERIES = {key: query for key, query in every_query().items() if _READ.search(query.text)}
RUNS = [(key, extra) for key, query in QUERIES.items() for extra in variants(query)]
NUMERIC = ("integer", "decimal", "double", "float", "long", "int", "short", "byte",
           "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong")


def concatenated(text: str) -> dict[str, str]:
    """The variables of ``text`` that a GROUP_CONCAT gives, with its separator: SPARQL 1.1 leaves
    the order of a group's values unspecified (each engine concatenates in its own storage
    order), so these are compared as multisets of their parts. The code that reads them splits
    and sorts them."""
    found = {}
    for start in (m.end() for m in re.finditer(r"GROUP_CONCAT\s*\(", text, re.I)):
        depth, end = 1, start
        while depth and end < len(text):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        name = re.match(r"\s*AS\s+\?(\w+)", text[end:], re.I)
        if name:
            separator = re.search(r"separator\s*=\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')",
                                  text[start:end], re.I)
            found[name[1]] = (separator[1][1:-1].encode().decode("unicode_escape")
                              if separator else " ")
    return found


def normalized(term, separator: str | None = None):
    if separator is not None and isinstance(term, Literal):
        return ("list", tuple(sorted(str(term).split(separator))))
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype or "")
        if datatype.rsplit("#", 1)[-1] in NUMERIC:
            try:
                return ("number", Decimal(str(term)).normalize())
            except InvalidOperation:
                pass
        return ("literal", str(term), (term.language or "").lower(),
                datatype if datatype.rsplit("#", 1)[-1] not in ("string", "") else "")
    return ("other", str(term))


@pytest.fixture(scope="module")
def stores(engines):
    opened = {kind: engines.store(kind, list(graph_sources()))
              for kind in ("embedded", "virtuoso", "oxigraph")}
    yield opened
    for store in opened.values():
        store.close()


def answer(store, key: str, extra: tuple[str, ...]):
    """What ``run_example`` runs, as rows (or triples as rows of s, p, o)."""
    from plenipot.queries.catalogue import run

    query = QUERIES[key]
    values = example_values(query, extra)
    if is_catalogue(key):
        return run(query, values, store).rows
    bindings = {name: convert(query.param(name), value, store) for name, value in values.items()}
    pieces = tuple(name for name in extra if name not in values)
    if form(query) in ("CONSTRUCT", "DESCRIBE"):
        triples = construct(store, query, bindings, pieces).triples
        return [dict(zip("spo", triple, strict=True)) for triple in triples]
    return select(store, query, bindings, pieces).rows


def multiset(rows, lists: dict[str, str] | None = None) -> Counter:
    lists = lists or {}
    return Counter(frozenset((name, normalized(term, lists.get(name)))
                             for name, term in row.items()) for row in rows)


def sequence(rows, lists: dict[str, str] | None = None) -> list:
    lists = lists or {}
    return [sorted((name, normalized(term, lists.get(name))) for name, term in row.items())
            for row in rows]


@pytest.mark.remote
@pytest.mark.parametrize(("key", "extra"), RUNS, ids=["+".join((k, *e)) for k, e in RUNS])
def test_every_query_answers_the_same_on_every_store(stores, key, extra):
    results = {kind: answer(store, key, extra) for kind, store in stores.items()}
    lists = concatenated(QUERIES[key].text)
    answers = {kind: multiset(rows, lists) for kind, rows in results.items()}
    embedded = answers.pop("embedded")
    for kind, found in answers.items():
        only_embedded, only_engine = embedded - found, found - embedded
        assert not only_embedded and not only_engine, (
            f"{key} differs on {kind}: {sum(only_embedded.values())} row(s) only on the "
            f"embedded store, e.g. {sorted(map(sorted, only_embedded))[:2]}; "
            f"{sum(only_engine.values())} only on {kind}, e.g. "
            f"{sorted(map(sorted, only_engine))[:2]}")
        if "ORDER BY" in QUERIES[key].text:  # and in the same order (Virtuoso does not sort
            # language-tagged literals by their text: the queries sort on STR(?label))
            assert sequence(results[kind], lists) == sequence(results["embedded"], lists), (
                f"{key}: the rows come in another order on {kind}")


def test_the_comparison_sees_a_difference(stores):
    """The test above can fail: another parameter gives another multiset."""
    from plenipot.queries.catalogue import get_query, run

    query = get_query("members-of")
    one = multiset(run(query, {"group": "CEPT"}, stores["virtuoso"]).rows)
    assert one and one == multiset(run(query, {"group": "CEPT"}, stores["embedded"]).rows)
    assert one != multiset(run(query, {"group": "APT"}, stores["embedded"]).rows)


def test_a_concatenation_is_compared_by_its_parts():
    """The parts of a GROUP_CONCAT may come in any order, but not be other parts."""
    lists = concatenated('SELECT (GROUP_CONCAT(DISTINCT CONCAT(STR(?a), " x"); separator="|") '
                         'AS ?areas) (GROUP_CONCAT(?t) AS ?topics) ?other WHERE {}')
    assert lists == {"areas": "|", "topics": " "}
    assert multiset([{"areas": Literal("a|b")}], lists) == multiset([{"areas": Literal("b|a")}],
                                                                    lists)
    assert multiset([{"areas": Literal("a|b")}], lists) != multiset([{"areas": Literal("a|c")}],
                                                                    lists)
    assert multiset([{"other": Literal("a b")}], lists) != multiset([{"other": Literal("b a")}],
                                                                    lists)


@pytest.mark.remote
@pytest.mark.parametrize("conference", [None, "PP-14", "PP-18"])
def test_the_matrix_and_the_proposals_table_are_the_same_on_every_store(stores, conference):
    """What the code makes of the rows does not depend on the engine's order either (a first
    row's label, a holder's positions, a GROUP_CONCAT's sources)."""
    from plenipot.tracker.matrix import issues_matrix
    from plenipot.tracker.tables import proposal_rows

    made = {kind: (issues_matrix(store, conference=conference),
                   proposal_rows(store, conference=conference))
            for kind, store in stores.items()}
    embedded = made.pop("embedded")
    for kind, found in made.items():
        assert found[0] == embedded[0], f"the issues matrix differs on {kind}"
        assert found[1] == embedded[1], f"the proposals table differs on {kind}"
