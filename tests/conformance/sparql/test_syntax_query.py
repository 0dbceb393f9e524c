"""The W3C SPARQL 1.1 query-syntax tests (vendored in ``syntax-query/``, see its README) sent to
``/sparql`` of a real ``plenipot serve`` (the ``served`` fixture): a positive syntax test must be
answered (2xx; a refusal, a timeout or a 5xx fails it), a negative one must be exactly a 400.

The list comes from ``manifest.ttl`` (``mf:PositiveSyntaxTest11`` / ``mf:NegativeSyntaxTest11``
and their ``mf:action`` query files), read with rdflib.
"""

from pathlib import Path

import httpx2
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

from e2e.served_process import FIGURES

pytestmark = pytest.mark.slow

SUITE = Path(__file__).parent / "syntax-query"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
KINDS = {MF.PositiveSyntaxTest11: "positive", MF.NegativeSyntaxTest11: "negative"}
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
# Known defects, each with the reason; the test fails if it starts passing (strict).
KNOWN: dict[str, str] = {
    "syntax-construct-where-02.rq": (
        "store/safety.py refuses FROM <file> (400 ForbiddenOperation: not a graph of this "
        "store) although the query is valid; a FROM graph the store does not hold could be "
        "an empty graph (never fetched) instead, and the check compares the IRI unresolved "
        "while the engine resolves it against the endpoint's URL"),
}


def manifest_tests() -> list[tuple[str, str, Path]]:
    """(name, positive or negative, query file) for each entry of the manifest, in order."""
    manifest = Graph().parse(SUITE / "manifest.ttl", format="turtle",
                             publicID=(SUITE / "manifest.ttl").as_uri())
    root = next(manifest.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(manifest, manifest.value(root, MF.entries)):
        kind = KINDS.get(manifest.value(entry, RDF.type))
        if kind is None:
            continue
        action = manifest.value(entry, MF.action)
        path = Path(str(action).removeprefix("file://"))
        tests.append((str(manifest.value(entry, MF.name)), kind, path))
    return tests


TESTS = manifest_tests()


def _cases():
    for name, kind, path in TESTS:
        marks = ([pytest.mark.xfail(strict=True, reason=KNOWN[name])] if name in KNOWN else [])
        yield pytest.param(kind, path, id=f"{kind}:{name}", marks=marks)


PASSED = {"positive": 0, "negative": 0}


@pytest.fixture(scope="module")
def sparql(served):
    with httpx2.Client(base_url=served.base, timeout=60) as client:
        yield client
    totals = {kind: sum(1 for _, k, _ in TESTS if k == kind) for kind in PASSED}
    FIGURES.append("W3C SPARQL 1.1 syntax-query through /sparql: "
                   f"positive {PASSED['positive']}/{totals['positive']} answered (2xx), "
                   f"negative {PASSED['negative']}/{totals['negative']} refused (400)")


def test_the_manifest_lists_the_whole_suite():
    kinds = [kind for _, kind, _ in TESTS]
    assert (kinds.count("positive"), kinds.count("negative")) == (63, 31)
    assert all(path.is_file() and path.is_relative_to(SUITE) for _, _, path in TESTS)


@pytest.mark.parametrize("kind,path", list(_cases()))
def test_syntax(sparql, kind, path):
    query = path.read_text(encoding="utf-8")
    response = sparql.post("/sparql", content=query.encode("utf-8"),
                           headers={"Content-Type": "application/sparql-query",
                                    "Accept": ACCEPT})
    if kind == "positive":
        assert 200 <= response.status_code < 300, \
            f"{path.name} is valid SPARQL 1.1 but got {response.status_code}: {response.text}"
    else:
        assert response.status_code == 400, \
            f"{path.name} is not valid SPARQL 1.1 but got {response.status_code}: {response.text}"
    PASSED[kind] += 1
