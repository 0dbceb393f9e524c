"""Every .rq file (queries/*.rq and the sparql/ folders of the sub-packages) gives the same
answer on the embedded store, Virtuoso and Oxigraph's server, over the bundled data.

Answers are compared as multisets of rows. Terms are normalized only where engines
legitimately differ: numbers by value (an aggregate may come back as xsd:integer on one engine
and xsd:decimal on another), language tags by case, blank nodes by kind. Anything else that
differs is a query to make portable (README, "Other SPARQL engines"). Queries with ORDER BY
must also give their rows in the same order.
"""

from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

from plenipot.queries.catalogue import run
from plenipot.queries.header import load_catalogue
from plenipot.sources.bundled import bundled, graph_sources

PACKAGE = Path(__file__).parents[2] / "service" / "plenipot"
FOLDERS = [bundled("queries"), *sorted(PACKAGE.glob("*/sparql"))]
QUERIES = [(folder, name, query) for folder in FOLDERS
           for name, query in load_catalogue(folder).items()]
# a value for each required parameter, by name, that the bundled data answers with rows
VALUES = {"number": "102", "submitter": "CEPT", "status": "adopted",
          "topic": "internet-governance", "group": "CEPT", "q": "internet", "conference": "PP-22",
          "body": "pp"}
NUMERIC = ("integer", "decimal", "double", "float", "long", "int", "short", "byte",
           "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong")


def normalized(term):
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


def multiset(result) -> Counter:
    return Counter(frozenset((name, normalized(term)) for name, term in row.items())
                   for row in result.rows)


@pytest.fixture(scope="module")
def stores(engines):
    opened = {kind: engines.store(kind, list(graph_sources()))
              for kind in ("embedded", "virtuoso", "oxigraph")}
    yield opened
    for store in opened.values():
        store.close()


@pytest.mark.remote
@pytest.mark.parametrize(("folder", "name", "query"), QUERIES,
                         ids=[f"{f.parent.name if f.name == 'sparql' else 'queries'}/{n}"
                              for f, n, _ in QUERIES])
def test_every_query_answers_the_same_on_every_store(stores, folder, name, query):
    unknown = [p.name for p in query.params if p.required and p.name not in VALUES]
    if unknown:
        pytest.fail(f"{folder / name}.rq: add a value for {unknown} to VALUES")
    values = {p.name: VALUES[p.name] for p in query.params if p.required}
    results = {kind: run(query, values, store) for kind, store in stores.items()}
    answers = {kind: multiset(result) for kind, result in results.items()}
    embedded = answers.pop("embedded")
    for kind, answer in answers.items():
        only_embedded = embedded - answer
        only_engine = answer - embedded
        assert not only_embedded and not only_engine, (
            f"{name} differs on {kind}: {sum(only_embedded.values())} row(s) only on the "
            f"embedded store, e.g. {sorted(map(sorted, only_embedded))[:2]}; "
            f"{sum(only_engine.values())} only on {kind}, e.g. "
            f"{sorted(map(sorted, only_engine))[:2]}")
        if "ORDER BY" in query.text:  # and in the same order (Virtuoso does not sort
            # language-tagged literals by their text: the queries sort on STR(?label))
            assert sequence(results[kind]) == sequence(results["embedded"]), (
                f"{name}: the rows come in another order on {kind}")


def sequence(result) -> list:
    return [sorted((name, normalized(term)) for name, term in row.items())
            for row in result.rows]


def test_the_comparison_sees_a_difference(stores):
    """The test above can fail: a different parameter gives a different multiset."""
    query = load_catalogue(bundled("queries"))["proposals-for-resolution"]
    one = multiset(run(query, {"number": "102"}, stores["virtuoso"]))
    other = multiset(run(query, {"number": "101"}, stores["embedded"]))
    assert one != other or not one
    assert multiset(run(query, {"number": "102"}, stores["embedded"])) == one
