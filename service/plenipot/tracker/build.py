"""``plenipot import``: the tracker spreadsheet (CSV, DESIGN.md §4) as Turtle.

    tracker_csv.read_tracker(path)               the rows, with the line each starts on
    tracker_graph(rows, store, file) -> Triples  the proposals, contributions, status changes and
                                                 new draft resolutions of the rows

Every code in the file is resolved against the graph in ``store`` (conference and submitter
identifiers, action notations, code-list keys, resolution numbers, articles), with the values
bound as RDF terms, never pasted into query text. Every problem in the file is collected and
reported at once, one line each as ``FILE:LINE: column 'NAME': ...``, in one ``InputError``;
nothing is written then. ``plenipot export --format csv --table proposals`` writes this format,
so an export can be imported again.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from plenipot.linked_data.describe import is_iri
from plenipot.namespaces import PP, PPID, PREFIXES
from plenipot.store.base import Store
from plenipot.tracker.codes import Conference, Resolver
from plenipot.tracker.sheet import REQUIRED, Problems, TrackerRow, read_tracker, split
from plenipot.tracker.tables import document_code, key_of
from plenipot.tracker.turtle import Triples, graph_to_turtle

ACTION_ORDER = ("ADD", "MOD", "SUP", "NOC")
BODIES = ("pp", "wtsa", "wtdc", "ra", "wrc", "council")

_IDENTIFIER = re.compile(r"^[A-Z]{2,5}(/[0-9A-Z]+)+$")  # shapes/proposal.ttl
_DOCUMENT = re.compile(r"^0*(\d+)\s*(?:\(\s*Add\.?\s*(\d+)\s*\))?\s*(?:\(\s*Rev\.?\s*(\d+)\s*\))?$",
                       re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://[^\s]+$")
_INSTRUMENT = re.compile(r"^(?:(?P<body>[A-Za-z]+)\s+)?(?P<kind>Resolution|Res\.?|Decision|Dec\.?)"
                         r"\s*(?P<number>[0-9]+[A-Za-z]*)$", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?P<code>[A-Za-z]+)\s+(?:Article|Art\.?)\s*(?P<number>[0-9]+[A-Za-z]*)$",
                      re.IGNORECASE)
_NEW = re.compile(r"^new\s*:\s*(?P<title>.*)$", re.IGNORECASE | re.DOTALL)
TARGET_HELP = ("write 'Resolution 102', 'WTSA Resolution 50', 'Decision 5', 'CS Article 1' "
               "or 'new: <title of the draft resolution>'")


# --- one row ---------------------------------------------------------------------------------

@dataclass
class Draft:
    iri: URIRef
    title: str


@dataclass
class Proposal:
    line: int
    identifier: str
    conference: Conference
    document: URIRef
    document_parts: tuple[str, int | None, int | None]  # number, addendum, revision
    submitters: list[URIRef]
    action: URIRef
    action_code: str
    target: URIRef
    draft: Draft | None
    status: URIRef
    status_key: str
    status_date: str
    sources: list[URIRef]
    issue_areas: list[URIRef] = field(default_factory=list)
    topics: list[URIRef] = field(default_factory=list)
    title: str = ""
    summary: str = ""

    @property
    def iri(self) -> URIRef:
        return PPID[f"proposal/{self.conference.key}/{self.identifier.lower().replace('/', '-')}"]


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


def slug(text: str, limit: int = 60) -> str:
    """A lower-case ASCII key: ``Use of AI in ICTs`` -> ``use-of-ai-in-icts``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(key) > limit:
        key = key[:limit].rsplit("-", 1)[0]
    return key


def _one(cells: dict[str, str], line: int, column: str, problems: Problems) -> str | None:
    value = cells.get(column, "")
    if not value:
        problems.add(line, column, "the cell is empty; a value is required")
        return None
    return value


def _codes(values: list[str], scheme: str, noun: str, column: str, line: int,
           resolver: Resolver, problems: Problems) -> list[URIRef]:
    concepts = resolver.concepts(scheme)
    known = sorted({key_of(iri) for iri in concepts.values()})
    found = []
    for value in values:
        if value.lower() in concepts:
            found.append(concepts[value.lower()])
        else:
            problems.add(line, column, f"{value!r} is not {noun}; the keys are "
                                       f"{', '.join(known) or '(none in the graph)'}")
    return list(dict.fromkeys(found))


def _action(value: str, line: int, resolver: Resolver, problems: Problems):
    concepts = resolver.concepts("action")
    notations = {key_of(iri).upper() for iri in concepts.values()}
    shown = sorted(notations, key=lambda n: (ACTION_ORDER.index(n) if n in ACTION_ORDER else 9, n))
    if value.lower() not in concepts:
        problems.add(line, "action", f"{value!r} is not one of "
                                     f"{', '.join(shown) or '(none in the graph)'}")
        return None, ""
    return concepts[value.lower()], key_of(concepts[value.lower()]).upper()


def _target(value: str, conference: Conference, line: int, resolver: Resolver,
            problems: Problems) -> tuple[URIRef | None, Draft | None, str]:
    if match := _NEW.match(value):
        title = " ".join(match["title"].split())
        key = slug(title)
        if not key:
            problems.add(line, "target", f"{value!r}: the title of a new draft resolution needs "
                                         "letters or digits (Latin script) to make its key")
            return None, None, ""
        draft = Draft(PPID[f"draft-resolution/{conference.key}/{key}"], title)
        return draft.iri, draft, "draft"
    if match := _INSTRUMENT.match(value):
        body = (match["body"] or "pp").lower()
        if body not in BODIES:
            problems.add(line, "target", f"{value!r}: {match['body']!r} is not a body that adopts "
                                         f"resolutions ({', '.join(b.upper() for b in BODIES)})")
            return None, None, ""
        is_decision = match["kind"].lower().startswith("dec")
        kind = PP.Decision if is_decision else PP.Resolution
        iri = resolver.instrument(kind, body, match["number"])
        if iri is None:
            word = "Decision" if is_decision else "Resolution"
            problems.add(line, "target", f"{value!r}: there is no {body.upper()} {word} "
                                         f"{match['number']} in the graph")
            return None, None, ""
        if kind == PP.Resolution:
            return resolver.in_force(iri, conference), None, "resolution"
        return iri, None, "decision"
    if match := _ARTICLE.match(value):
        iri = resolver.article(match["code"], match["number"])
        if iri is None:
            problems.add(line, "target", f"{value!r}: there is no Article {match['number']} of "
                                         f"{match['code'].upper()} in the graph")
        return iri, None, "article"
    problems.add(line, "target", f"{value!r} is not a target: {TARGET_HELP}")
    return None, None, ""


def _sources(values: list[str], line: int, problems: Problems) -> list[URIRef]:
    found = []
    for value in values:
        if _URL.match(value) and is_iri(value):
            found.append(URIRef(value))
        else:
            problems.add(line, "source", f"{value!r} is not a URL (http:// or https://)")
    return found


def parse_row(row: TrackerRow, resolver: Resolver, problems: Problems) -> Proposal | None:
    """The row's proposal with every code resolved, or None (and its problems recorded)."""
    cells, line = row.cells, row.line
    before = len(problems.lines)
    values = {column: _one(cells, line, column, problems) for column in REQUIRED}

    identifier = values["id"]
    if identifier and not _IDENTIFIER.match(identifier):
        problems.add(line, "id", f"{identifier!r} is not an ITU proposal identifier: capitals "
                                 "and digits with '/' separators, e.g. EUR/44A1/1 or USA/55/1")
    conference = None
    if values["conference"]:
        conference = resolver.conference(values["conference"])
        if conference is None:
            problems.add(line, "conference", f"{values['conference']!r} is not the identifier "
                                             "of a conference in the graph (e.g. PP-22)")
    document = _DOCUMENT.match(values["document"]) if values["document"] else None
    if values["document"] and document is None:
        problems.add(line, "document", f"{values['document']!r} is not a document number such "
                                       "as 44, 44(Add.1) or 44(Add.1)(Rev.1)")
    elif document and any(part is not None and int(part) == 0 for part in document.groups()[1:]):
        problems.add(line, "document", f"{values['document']!r}: addendum and revision numbers "
                                       "start at 1")
        document = None
    submitters = []
    for code in split(values["submitters"] or ""):
        if (iri := resolver.submitter(code)) is None:
            problems.add(line, "submitters", f"{code!r} is not the identifier of a regional "
                                             "organization (e.g. CEPT) or the ISO alpha-3 code "
                                             "of a member state (e.g. USA) in the graph")
        else:
            submitters.append(iri)
    action, action_code = (_action(values["action"], line, resolver, problems)
                           if values["action"] else (None, ""))
    target, draft, kind = None, None, ""
    if values["target"] and conference is not None:
        target, draft, kind = _target(values["target"], conference, line, resolver, problems)
    if action_code == "ADD" and kind in ("resolution", "decision"):
        problems.add(line, "target", f"{values['target']!r}: an ADD proposes new text; write "
                                     "'new: <title>' for a new resolution, or use MOD")
    elif action_code in ("MOD", "SUP", "NOC") and kind == "draft":
        problems.add(line, "target", f"{values['target']!r}: a {action_code} proposal changes "
                                     "existing text; 'new: ...' goes with ADD")
    status = _codes([values["status"]] if values["status"] else [], "status", "a status",
                    "status", line, resolver, problems)
    status_date = values["status_date"]
    if status_date and not _valid_date(status_date):
        problems.add(line, "status_date", f"{status_date!r} is not a date written YYYY-MM-DD "
                                               "(e.g. 2022-10-13)")
    sources = _sources(split(values["source"] or ""), line, problems)
    areas = _codes(split(cells.get("issue_areas", "")), "issue-area", "an issue area",
                   "issue_areas", line, resolver, problems)
    topics = _codes(split(cells.get("topics", "")), "topic", "a topic", "topics", line,
                    resolver, problems)
    if len(problems.lines) > before or None in (identifier, conference, document, action,
                                                target, status_date) or not status:
        return None
    number, addendum, revision = document.groups()
    parts = (str(int(number)), int(addendum) if addendum else None,
             int(revision) if revision else None)
    return Proposal(
        line=line, identifier=identifier, conference=conference,
        document=PPID[f"document/{conference.key}/{_document_key(*parts)}"], document_parts=parts,
        submitters=list(dict.fromkeys(submitters)), action=action, action_code=action_code,
        target=target, draft=draft, status=status[0], status_key=key_of(status[0]),
        status_date=status_date, sources=sources, issue_areas=areas, topics=topics,
        title=cells.get("title", ""), summary=cells.get("summary", ""),
    )


def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _document_key(number: str, addendum: int | None, revision: int | None) -> str:
    """``44-add1-rev1`` (docs/decisions/0003)."""
    return (number + (f"-add{addendum}" if addendum else "")
            + (f"-rev{revision}" if revision else ""))


# --- the graph -------------------------------------------------------------------------------

def tracker_graph(rows: list[TrackerRow], store: Store, file: str) -> Triples:
    """The Turtle-ready graph of the rows; ``InputError`` listing every problem if any."""
    problems = Problems(file)
    resolver = Resolver(store)
    proposals: list[Proposal] = []
    seen: dict[URIRef, int] = {}
    for row in rows:
        proposal = parse_row(row, resolver, problems)
        if proposal is None:
            continue
        if proposal.iri in seen:
            problems.add(row.line, "id", f"{proposal.identifier!r} at {proposal.conference.code} "
                                         f"is already on line {seen[proposal.iri]}")
            continue
        seen[proposal.iri] = row.line
        proposals.append(proposal)

    contributions: dict[URIRef, Contribution] = {}
    for proposal in proposals:
        contribution = contributions.setdefault(proposal.document, Contribution(
            proposal.document, proposal.conference, *proposal.document_parts))
        contribution.submitters.update(dict.fromkeys(proposal.submitters))
        contribution.sources.update(dict.fromkeys(proposal.sources))
        if proposal.status_key == "submitted":
            contribution.submitted.add(proposal.status_date)
    for proposal in proposals:  # shapes/proposal.ttl#status-date-after-document, told by row
        dated = contributions[proposal.document].submitted
        if dated and proposal.status_date < min(dated):
            document = document_code(*proposal.document_parts)
            problems.add(proposal.line, "status_date", f"{proposal.status_date} is before the "
                         f"date of document {document}, {min(dated)} (the status date of its "
                         "'submitted' rows)")
    problems.raise_if_any()

    graph = Triples()  # not an rdflib Graph: its adds were most of a large import's time
    for proposal in proposals:
        _add_proposal(graph, proposal)
    for contribution in contributions.values():
        _add_contribution(graph, contribution)
    return graph


def _add_proposal(graph: Triples, p: Proposal) -> None:
    iri = p.iri
    change = URIRef(f"{iri}/status/1")
    graph.add((iri, RDF.type, PP.Proposal))
    graph.add((iri, RDFS.label, Literal(f"{p.action_code} {p.identifier}", lang="en")))
    graph.add((iri, DCTERMS.identifier, Literal(p.identifier)))
    graph.add((iri, PP.action, p.action))
    for submitter in p.submitters:
        graph.add((iri, PP.submittedBy, submitter))
    graph.add((iri, PP.target, p.target))
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
    graph.add((iri, PP.status, p.status))
    graph.add((iri, PP.statusChange, change))
    graph.add((change, RDF.type, PP.StatusChange))
    graph.add((change, RDFS.label, Literal(f"{p.identifier} {p.status_key}", lang="en")))
    graph.add((change, PP.status, p.status))
    graph.add((change, DCTERMS.date, Literal(p.status_date, datatype=XSD.date)))
    for source in p.sources:
        graph.add((iri, DCTERMS.source, source))
        graph.add((change, DCTERMS.source, source))
    if p.draft is not None:
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
        graph.add((c.iri, DCTERMS.date, Literal(min(c.submitted), datatype=XSD.date)))
    for submitter in c.submitters:
        graph.add((c.iri, PP.submittedBy, submitter))
    graph.add((c.iri, PP.atConference, c.conference.iri))
    for source in c.sources:
        graph.add((c.iri, DCTERMS.source, source))


def import_tracker(path: Path, store: Store, file: str | None = None) -> bytes:
    """The tracker CSV at ``path`` as Turtle (``InputError`` listing every problem)."""
    file = file or str(path)
    return to_turtle(tracker_graph(read_tracker(path, file), store, file), path.name)


def to_turtle(graph: Triples, name: str) -> bytes:
    header = f"# Proposals imported by `plenipot import` from the tracker spreadsheet {name}.\n\n"
    # not rdflib's Turtle serializer: it is quadratic in the graph (plenipot.tracker.turtle)
    return (header + graph_to_turtle(graph, PREFIXES)).encode("utf-8")


# --- the command -----------------------------------------------------------------------------

