"""The bundled graph, parsed (rdflib) and loaded (Oxigraph), once per test module."""

import pytest
from rdflib import Graph

from plenipot.sources.bundled import graph_sources
from plenipot.store.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def graph() -> Graph:
    merged = Graph()
    for path in graph_sources():
        merged.parse(path, format="turtle")
    return merged


@pytest.fixture(scope="module")
def store():
    opened = EmbeddedStore.open(graph_sources())
    yield opened
    opened.close()
