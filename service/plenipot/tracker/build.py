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

import functools
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from plenipot.errors import Location
from plenipot.namespaces import PP, PREFIXES
from plenipot.sources.overrides import is_bundled
from plenipot.store.base import Store
from plenipot.tracker.codes import Conference, Resolver
from plenipot.tracker.reconcile import described_in_all, existing_of, merge
from plenipot.tracker.rows import Proposal, parse_row
from plenipot.tracker.sheet import Problems, TrackerRow, read_tracker
from plenipot.tracker.tables import document_code, key_of
from plenipot.tracker.turtle import Triples, graph_to_turtle, paused_gc

# the terms every row writes, made once (a Namespace attribute builds a new URIRef each time)
TYPE, LABEL, SOURCE, TITLE = RDF.type, RDFS.label, DCTERMS.source, DCTERMS.title
DATE = DCTERMS.date
IDENTIFIER, DESCRIPTION = DCTERMS.identifier, DCTERMS.description
PROPOSAL, STATUS_CHANGE, CONTRIBUTION = PP.Proposal, PP.StatusChange, PP.Contribution
ACTION, SUBMITTED_BY, TARGET, IN_DOCUMENT = PP.action, PP.submittedBy, PP.target, PP.inDocument
AT_CONFERENCE, ISSUE_AREA, TOPIC = PP.atConference, PP.issueArea, PP.topic
STATUS, CHANGE = PP.status, PP.statusChange
TRUE = Literal(True)


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

    graph: Triples  # a set of triples; ``graph.to_graph()`` for an rdflib Graph
    notes: list[str] = field(default_factory=list)
    lines: dict[URIRef, int] = field(default_factory=dict)


def tracker_graph(rows: list[TrackerRow], store: Store, file: str,
                  replaces: frozenset[str] = frozenset()) -> Graph:
    """The Turtle-ready graph of the rows; ``InputError`` listing every problem if any."""
    return import_rows(rows, store, file, replaces).graph.to_graph()


def import_rows(rows: list[TrackerRow], store: Store, file: str,
                replaces: frozenset[str] = frozenset()) -> Imported:
    """The rows resolved against the graph in ``store`` and reconciled with the proposals it
    already holds (``reconcile``). ``replaces`` names the graphs (source files) that the output
    will replace, e.g. the previous output of the same import: what they say is carried
    forward; what other user files say about a proposal of the sheet is a problem (the file
    that describes it is the one to import into)."""
    with paused_gc():  # millions of small acyclic objects: collections only cost time
        return _import_rows(rows, store, file, replaces)


def _import_rows(rows: list[TrackerRow], store: Store, file: str,
                 replaces: frozenset[str]) -> Imported:
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

    existing = {}
    known = existing_of(store, [proposal.iri for proposal in proposals])  # a query per batch
    for proposal in proposals:
        found = known.get(proposal.iri)
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

    imported = Imported(Triples())
    graph = imported.graph
    # the files that already type each draft and contribution: a query per batch of them
    described = described_in_all(store, [*(p.draft.iri for p in proposals if p.draft),
                                         *contributions])

    def elsewhere(iri: URIRef) -> bool:  # a file the output does not replace describes it
        return any(g not in replaces for g in described.get(iri, ()))

    for proposal in proposals:
        new = _proposal_triples(proposal)
        imported.lines[proposal.iri] = proposal.line
        if proposal.iri in existing:
            found = existing[proposal.iri]
            notes, problem, changes = merge(graph, new, proposal.iri, found, proposal.filled,
                                            proposal.status, proposal.status_date,
                                            proposal.sources)
            if problem:
                problems.add(proposal.line, "status_date", problem)
            imported.notes += [f"{Location(file, proposal.line)}: {proposal.name}: {note}"
                               for note in notes]
        else:
            graph.update(new)
            changes = [_add_first_status(graph, proposal)]
        for change in changes:
            imported.lines[change] = proposal.line
        if proposal.draft is not None and not elsewhere(proposal.draft.iri):
            _add_draft(graph, proposal)
            imported.lines.setdefault(proposal.draft.iri, proposal.line)
    problems.raise_if_any()
    for contribution in contributions.values():
        if not elsewhere(contribution.iri):
            _add_contribution(graph, contribution)
        imported.lines.setdefault(contribution.iri, contribution.lines[0])
    return imported


def _file_of(graph_name: str) -> str:
    """A user's source file as a path, from its named graph (``file:///…``)."""
    if graph_name.startswith("file://"):
        from urllib.parse import unquote, urlparse

        return unquote(urlparse(graph_name).path)
    return graph_name


def _proposal_triples(p: Proposal) -> list[tuple]:
    """The row's description of its proposal, without the status and its history."""
    iri = p.iri
    triples = [(iri, TYPE, PROPOSAL),
               (iri, LABEL, Literal(f"{p.action_code} {p.name}", lang="en"))]
    if p.reported:  # shapes/proposal.ttl: no identifier, no document, a source cited
        triples.append((iri, PP.knownOnlyFromReport, TRUE))
    else:
        triples.append((iri, IDENTIFIER, Literal(p.identifier)))
    triples.append((iri, ACTION, p.action))
    triples += [(iri, SUBMITTED_BY, submitter) for submitter in p.submitters]
    triples.append((iri, TARGET, p.target))
    if p.document is not None:
        triples.append((iri, IN_DOCUMENT, p.document))
    triples.append((iri, AT_CONFERENCE, p.conference.iri))
    triples += [(iri, ISSUE_AREA, area) for area in p.issue_areas]
    triples += [(iri, TOPIC, topic) for topic in p.topics]
    if p.title:
        triples.append((iri, TITLE, Literal(p.title, lang="en")))
    if p.summary:
        triples.append((iri, DESCRIPTION, Literal(p.summary, lang="en")))
    triples += [(iri, SOURCE, source) for source in p.sources]
    return triples


def _add_first_status(graph: Triples, p: Proposal) -> URIRef:
    """The first status change of a new proposal (``…/status/1``), which it returns."""
    iri = p.iri
    change = URIRef(f"{iri}/status/1")
    graph.add((iri, STATUS, p.status))
    graph.add((iri, CHANGE, change))
    graph.add((change, TYPE, STATUS_CHANGE))
    graph.add((change, LABEL, Literal(f"{p.name} {p.status_key}", lang="en")))
    graph.add((change, STATUS, p.status))
    graph.add((change, DATE, _date(p.status_date)))
    for source in p.sources:
        graph.add((change, SOURCE, source))
    return change


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> Literal:
    """An ``xsd:date`` literal: a sheet repeats its dates, so each is made once."""
    return Literal(text, datatype=XSD.date)


def _add_draft(graph: Triples, p: Proposal) -> None:
    graph.add((p.draft.iri, RDF.type, PP.DraftResolution))
    graph.add((p.draft.iri, RDFS.label, Literal(f"Draft new resolution: {p.draft.title}",
                                                lang="en")))
    graph.add((p.draft.iri, DCTERMS.title, Literal(p.draft.title, lang="en")))
    for source in p.sources:
        graph.add((p.draft.iri, DCTERMS.source, source))


def _add_contribution(graph: Triples, c: Contribution) -> None:
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
        graph.add((c.iri, DCTERMS.date, _date(min(c.submitted))))
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
    return to_turtle(import_rows(rows, store, file, replaces).graph, path.name)


def to_turtle(graph: "Graph | Triples", name: str, lines: dict[str, int] | None = None
              ) -> bytes:
    """The Turtle file of an import; ``lines``, if given, receives the line of each IRI
    subject's block in it."""
    header = f"# Proposals imported by `plenipot import` from the tracker spreadsheet {name}.\n\n"
    # not rdflib's Turtle serializer: it is quadratic in the graph (plenipot.tracker.turtle)
    text = graph_to_turtle(graph, PREFIXES, lines, first_line=1 + header.count("\n"))
    return (header + text).encode("utf-8")


# --- the command -----------------------------------------------------------------------------

