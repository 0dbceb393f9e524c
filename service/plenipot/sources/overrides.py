"""A user's file that describes a proposal replaces the bundled description of that proposal.

``plenipot import`` writes every proposal of a sheet in full, including the proposals that the
bundled data already holds (with their status history carried forward and the sheet's values
for the fields that changed). Loaded beside the bundled data, the two descriptions would add up
to two titles, two current statuses and so on; so wherever sources are loaded (the store, and
validation), a ``pp:Proposal`` that a non-bundled file describes loses the triples that bundled
files state about it and about its status changes (docs/decisions/0009). Nothing else is
replaced: a user's file that only mentions a bundled resolution adds to it, as before.
"""

from collections.abc import Iterable

from rdflib import RDF, Graph, URIRef

from plenipot.namespaces import BASE, PP
from plenipot.sources.bundled import sparql_text

BUNDLED_GRAPHS = BASE + "source/"


def is_bundled(graph_name: URIRef | str) -> bool:
    """Whether a source's named graph is a bundled file (``…/source/data/…``)."""
    return str(graph_name).startswith(BUNDLED_GRAPHS)


def replaced_by(graph: Graph) -> set:
    """The proposals a user's graph describes (typed ``pp:Proposal`` in it)."""
    return {s for s in graph.subjects(RDF.type, PP.Proposal) if isinstance(s, URIRef)}


def without_replaced(bundled: Graph, proposals: set) -> Graph:
    """``bundled`` less what it says about ``proposals`` and their status changes; the graph
    itself when it says nothing about them (so a cached parse is not copied for nothing)."""
    if not proposals:
        return bundled
    subjects = {p for p in proposals if (p, None, None) in bundled}
    subjects |= {c for p in subjects for c in bundled.objects(p, PP.statusChange)}
    if not subjects:
        return bundled
    kept = Graph(namespace_manager=bundled.namespace_manager)
    kept += (t for t in bundled if t[0] not in subjects)
    return kept


def drop_replaced_in_store(store, graph_names: Iterable[URIRef | str]) -> None:
    """The same rule on a loaded Oxigraph store (``pyoxigraph.Store``), after every file is
    in its named graph; a no-op when every source is bundled."""
    if all(is_bundled(name) for name in graph_names):
        return
    store.update(sparql_text("plenipot.sources", "drop-replaced-proposals"))

