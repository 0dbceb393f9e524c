"""``plenipot import``: the tracker spreadsheet (DESIGN.md §4) as Turtle.

    sheet.read_tracker(path, file, sheet)        the rows, with the line each starts on
    rows.parse_row(row, resolver, problems)      one row's proposal, its codes resolved
    import_rows(rows, store, file, replaces)     the proposals, contributions, status changes and
        -> Imported                              new draft resolutions of the rows, reconciled
                                                 with the graph (reconcile.py, decision 0009)
    tracker_graph(rows, store, file) -> Graph    the same, the graph only

Every code in the file is resolved against the graph in ``store`` (conference and submitter
identifiers, action notations, code-list keys, resolution numbers, articles), with the values
bound as RDF terms, never pasted into query text. Every problem in the file is collected and
reported at once, one line each as ``FILE:LINE: column 'NAME': ...``, in one ``InputError``;
nothing is written then. ``plenipot export --format csv --table proposals`` writes this format,
so an export can be imported again.
"""

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from plenipot.errors import Location
from plenipot.namespaces import PP, PREFIXES, bind_all
from plenipot.sources.overrides import is_bundled
from plenipot.store.base import Store
from plenipot.tracker.codes import Conference, Resolver
from plenipot.tracker.reconcile import Existing, described_in, merge
from plenipot.tracker.rows import Proposal, parse_row
from plenipot.tracker.sheet import Problems, TrackerRow, read_tracker
from plenipot.tracker.tables import document_code, key_of
from plenipot.tracker.turtle import graph_to_turtle


@dataclass
class Contribution:
    iri: URIRef
    conference: Conference
    number: str
    addendum: int | None
    revision: int | None
    submitters: dict[URIRef, None] = field(default_factory=dict)  # ordered set
    sources: dict[URIRef, None] = field(default_factory=dict)
    submitted: set[str] = field(default_factory=set)  # status dates of "submitted" rows
    lines: list[int] = field(default_factory=list)  # the rows that cite it


# --- the graph -------------------------------------------------------------------------------

@dataclass
class Imported:
    """What an import makes: the graph to write, what it changed in proposals the graph already
    held (``notes``, one line each), and which row wrote each resource (for the SHACL check)."""

    graph: Graph
    notes: list[str] = field(default_factory=list)
    lines: dict[URIRef, int] = field(default_factory=dict)


def tracker_graph(rows: list[TrackerRow], store: Store, file: str,
                  replaces: frozenset[str] = frozenset()) -> Graph:
    """The Turtle-ready graph of the rows; ``InputError`` listing every problem if any."""
    return import_rows(rows, store, file, replaces).graph


def import_rows(rows: list[TrackerRow], store: Store, file: str,
                replaces: frozenset[str] = frozenset()) -> Imported:
    """The rows resolved against the graph in ``store`` and reconciled with the proposals it
    already holds (``reconcile``). ``replaces`` names the graphs (source files) that the output
    will replace, e.g. the previous output of the same import: what they say is carried
    forward; what other user files say about a proposal of the sheet is a problem (the file
    that describes it is the one to import into)."""
    problems = Problems(file)
    resolver = Resolver(store)
    proposals: list[Proposal] = []
    seen: dict[URIRef, int] = {}
    for row in rows:
        proposal = parse_row(row, resolver, problems)
        if proposal is None:
            continue
        if proposal.iri in seen:
            problems.add(row.line, "id", f"{proposal.name!r} at {proposal.conference.code} "
                                         f"is already on line {seen[proposal.iri]}")
            continue
        seen[proposal.iri] = row.line
        proposals.append(proposal)

    existing: dict[URIRef, Existing] = {}
    for proposal in proposals:
        found = Existing.of(store, proposal.iri)
        if found is None:
            continue
        elsewhere = sorted(g for g in found.files if not is_bundled(g) and g not in replaces)
        if elsewhere:
            problems.add(proposal.line, "id", f"{proposal.name!r} is already described in "
                         f"{_file_of(elsewhere[0])}; import into that file (-o) or remove it "
                         "there, so that one file describes it")
            continue
        existing[proposal.iri] = found

    contributions: dict[URIRef, Contribution] = {}
    for proposal in proposals:
        if proposal.document is None:  # known only from a report: no document
            continue
        contribution = contributions.setdefault(proposal.document, Contribution(
            proposal.document, proposal.conference, *proposal.document_parts))
        contribution.submitters.update(dict.fromkeys(proposal.submitters))
        contribution.sources.update(dict.fromkeys(proposal.sources))
        contribution.lines.append(proposal.line)
        history = existing[proposal.iri].changes if proposal.iri in existing else []
        contribution.submitted.update(c.date for c in history
                                      if c.date and key_of(c.status) == "submitted")
        if proposal.status_key == "submitted":
            contribution.submitted.add(proposal.status_date)
    for proposal in proposals:  # shapes/proposal.ttl#status-date-after-document, told by row
        if proposal.document is None:
            continue
        dated = contributions[proposal.document].submitted
        if dated and proposal.status_date < min(dated):
            document = document_code(*proposal.document_parts)
            problems.add(proposal.line, "status_date", f"{proposal.status_date} is before the "
                         f"date of document {document}, {min(dated)} (the status date of its "
                         "'submitted' rows)")

    imported = Imported(bind_all(Graph()))
    graph = imported.graph
    for proposal in proposals:
        new = _proposal_graph(proposal)
        imported.lines[proposal.iri] = proposal.line
        if proposal.iri in existing:
            found = existing[proposal.iri]
            notes, problem = merge(graph, new, proposal.iri, found, proposal.filled,
                                   proposal.status, proposal.status_date, proposal.sources)
            if problem:
                problems.add(proposal.line, "status_date", problem)
            imported.notes += [f"{Location(file, proposal.line)}: {proposal.name}: {note}"
                               for note in notes]
        else:
            graph += new
            _add_first_status(graph, proposal)
        for change in graph.objects(proposal.iri, PP.statusChange):
            imported.lines[change] = proposal.line
        if proposal.draft is not None and not _elsewhere(store, proposal.draft.iri, replaces):
            _add_draft(graph, proposal)
            imported.lines.setdefault(proposal.draft.iri, proposal.line)
    problems.raise_if_any()
    for contribution in contributions.values():
        if not _elsewhere(store, contribution.iri, replaces):
            _add_contribution(graph, contribution)
        imported.lines.setdefault(contribution.iri, contribution.lines[0])
    return imported


def _file_of(graph_name: str) -> str:
    """A user's source file as a path, from its named graph (``file:///…``)."""
    if graph_name.startswith("file://"):
        from urllib.parse import unquote, urlparse

        return unquote(urlparse(graph_name).path)
    return graph_name


def _elsewhere(store: Store, iri: URIRef, replaces: frozenset[str]) -> bool:
    """Whether a file the output does not replace already describes ``iri``."""
    return any(g not in replaces for g in described_in(store, iri))


def _proposal_graph(p: Proposal) -> Graph:
    """The row's description of its proposal, without the status and its history."""
    graph = Graph()
    iri = p.iri
    graph.add((iri, RDF.type, PP.Proposal))
    graph.add((iri, RDFS.label, Literal(f"{p.action_code} {p.name}", lang="en")))
    if p.reported:  # shapes/proposal.ttl: no identifier, no document, a source cited
        graph.add((iri, PP.knownOnlyFromReport, Literal(True)))
    else:
        graph.add((iri, DCTERMS.identifier, Literal(p.identifier)))
    graph.add((iri, PP.action, p.action))
    for submitter in p.submitters:
        graph.add((iri, PP.submittedBy, submitter))
    graph.add((iri, PP.target, p.target))
    if p.document is not None:
        graph.add((iri, PP.inDocument, p.document))
    graph.add((iri, PP.atConference, p.conference.iri))
    for area in p.issue_areas:
        graph.add((iri, PP.issueArea, area))
    for topic in p.topics:
        graph.add((iri, PP.topic, topic))
    if p.title:
        graph.add((iri, DCTERMS.title, Literal(p.title, lang="en")))
    if p.summary:
        graph.add((iri, DCTERMS.description, Literal(p.summary, lang="en")))
    for source in p.sources:
        graph.add((iri, DCTERMS.source, source))
    return graph


def _add_first_status(graph: Graph, p: Proposal) -> None:
    iri = p.iri
    change = URIRef(f"{iri}/status/1")
    graph.add((iri, PP.status, p.status))
    graph.add((iri, PP.statusChange, change))
    graph.add((change, RDF.type, PP.StatusChange))
    graph.add((change, RDFS.label, Literal(f"{p.name} {p.status_key}", lang="en")))
    graph.add((change, PP.status, p.status))
    graph.add((change, DCTERMS.date, Literal(p.status_date, datatype=XSD.date)))
    for source in p.sources:
        graph.add((change, DCTERMS.source, source))


def _add_draft(graph: Graph, p: Proposal) -> None:
    graph.add((p.draft.iri, RDF.type, PP.DraftResolution))
    graph.add((p.draft.iri, RDFS.label, Literal(f"Draft new resolution: {p.draft.title}",
                                                lang="en")))
    graph.add((p.draft.iri, DCTERMS.title, Literal(p.draft.title, lang="en")))
    for source in p.sources:
        graph.add((p.draft.iri, DCTERMS.source, source))


def _add_contribution(graph: Graph, c: Contribution) -> None:
    label = (f"{c.conference.code} Document {c.number}"
             + (f" (Add.{c.addendum})" if c.addendum else "")
             + (f" (Rev.{c.revision})" if c.revision else ""))
    graph.add((c.iri, RDF.type, PP.Contribution))
    graph.add((c.iri, RDFS.label, Literal(label, lang="en")))
    graph.add((c.iri, PP.documentNumber, Literal(c.number)))
    if c.addendum:
        graph.add((c.iri, PP.addendum, Literal(c.addendum)))
    if c.revision:
        graph.add((c.iri, PP.documentRevision, Literal(c.revision)))
    if c.submitted:
        graph.add((c.iri, DCTERMS.date, Literal(min(c.submitted), datatype=XSD.date)))
    for submitter in c.submitters:
        graph.add((c.iri, PP.submittedBy, submitter))
    graph.add((c.iri, PP.atConference, c.conference.iri))
    for source in c.sources:
        graph.add((c.iri, DCTERMS.source, source))


def import_tracker(path: Path, store: Store, file: str | None = None,
                   sheet: str | None = None, replaces: frozenset[str] = frozenset()) -> bytes:
    """The tracker sheet at ``path`` as Turtle (``InputError`` listing every problem)."""
    file = file or str(path)
    rows = read_tracker(path, file, sheet)
    return to_turtle(tracker_graph(rows, store, file, replaces), path.name)


def to_turtle(graph: Graph, name: str) -> bytes:
    header = f"# Proposals imported by `plenipot import` from the tracker spreadsheet {name}.\n\n"
    # not rdflib's Turtle serializer: it is quadratic in the graph (plenipot.tracker.turtle)
    return (header + graph_to_turtle(graph, PREFIXES)).encode("utf-8")


# --- the command -----------------------------------------------------------------------------

