"""One row of a tracker sheet, its codes resolved against the graph: ``parse_row`` gives the
``Proposal`` (or records the row's problems, each at its column)."""

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from rdflib import URIRef

from plenipot.linked_data.describe import is_iri
from plenipot.namespaces import PP, PPID
from plenipot.tracker.codes import Conference, Resolver
from plenipot.tracker.sheet import REQUIRED, Problems, TrackerRow, split
from plenipot.tracker.tables import key_of

ACTION_ORDER = ("ADD", "MOD", "SUP", "NOC")
BODIES = ("pp", "wtsa", "wtdc", "ra", "wrc", "council")

_IDENTIFIER = re.compile(r"^[A-Z]{2,5}(/[0-9A-Z]+)+$")  # shapes/proposal.ttl
# the key of a proposal known only from a report, as its IRI ends (decision 0009)
_REPORTED_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
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
    identifier: str  # "" for a proposal known only from a report
    conference: Conference
    document: URIRef | None  # None for a proposal known only from a report
    document_parts: tuple[str, int | None, int | None] | None  # number, addendum, revision
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
    filled: set[str] = field(default_factory=set)  # the columns the row gives a value
    reported_key: str = ""  # a proposal known only from a report: the end of its IRI

    @property
    def reported(self) -> bool:
        """Known only from a report (pp:knownOnlyFromReport): no ITU number, no document."""
        return bool(self.reported_key)

    @property
    def name(self) -> str:
        """How messages and labels name it: the ITU identifier, else the key."""
        return self.identifier or self.reported_key

    @functools.cached_property
    def iri(self) -> URIRef:  # made once: messages, triples and look-ups all use it
        key = self.reported_key or self.identifier.lower().replace("/", "-")
        return PPID[f"proposal/{self.conference.key}/{key}"]


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
    found = []
    for value in values:
        if value.lower() in concepts:
            found.append(concepts[value.lower()])
        else:  # the keys are listed only for a row that needs them
            known = sorted({key_of(iri) for iri in concepts.values()})
            problems.add(line, column, f"{value!r} is not {noun}; the keys are "
                                       f"{', '.join(known) or '(none in the graph)'}")
    return list(dict.fromkeys(found))


def _action(value: str, line: int, resolver: Resolver, problems: Problems):
    concepts = resolver.concepts("action")
    if value.lower() not in concepts:
        notations = {key_of(iri).upper() for iri in concepts.values()}
        shown = sorted(notations,
                       key=lambda n: (ACTION_ORDER.index(n) if n in ACTION_ORDER else 9, n))
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
        known = resolver.draft(conference, title)  # the data's draft of that title, if any
        draft = Draft(known or PPID[f"draft-resolution/{conference.key}/{key}"], title)
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
        in_force = resolver.in_force(iri, conference)  # a decision has revisions too
        if kind == PP.Resolution:
            return in_force, None, "resolution" if in_force != iri else "unrevised resolution"
        return in_force, None, "decision"
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
    reported_key = _reported_key(cells)
    values = {column: ("" if reported_key and column in ("id", "document")
                       else _one(cells, line, column, problems)) for column in REQUIRED}

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
    if action_code == "ADD" and kind in ("resolution", "unrevised resolution", "decision"):
        problems.add(line, "target", f"{values['target']!r}: an ADD proposes new text; write "
                                     "'new: <title>' for a new resolution, or use MOD")
    elif action_code in ("MOD", "SUP", "NOC") and kind == "draft":
        problems.add(line, "target", f"{values['target']!r}: a {action_code} proposal changes "
                                     "existing text; 'new: ...' goes with ADD")
    elif action_code in ("MOD", "SUP", "NOC") and kind == "unrevised resolution":
        problems.add(line, "target", f"{values['target']!r}: the graph knows no revision of it "
                     f"adopted before {conference.code}, and a {action_code} targets the revision "
                     "in force; add that revision to your data (a pp:Revision with "
                     "pp:revisionOf and pp:adoptedAt) or check the number")
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
    if len(problems.lines) > before or None in (identifier, conference, action, target,
                                                status_date) or not status:
        return None
    if reported_key:
        parts, document_iri = None, None
    elif document is None:
        return None
    else:
        number, addendum, revision = document.groups()
        parts = (str(int(number)), int(addendum) if addendum else None,
                 int(revision) if revision else None)
        document_iri = PPID[f"document/{conference.key}/{_document_key(*parts)}"]
    return Proposal(
        line=line, identifier=identifier, conference=conference, reported_key=reported_key,
        document=document_iri, document_parts=parts,
        submitters=list(dict.fromkeys(submitters)), action=action, action_code=action_code,
        target=target, draft=draft, status=status[0], status_key=key_of(status[0]),
        status_date=status_date, sources=sources, issue_areas=areas, topics=topics,
        title=cells.get("title", ""), summary=cells.get("summary", ""),
        filled={column for column, value in cells.items() if value},
    )


def _reported_key(cells: dict[str, str]) -> str:
    """A row with no document is a proposal known only from a report when its id is empty or
    a lower-case key (what ``plenipot export`` writes for one, the end of its IRI): that key,
    or for an empty id one minted as the bundled data does, ``reported-`` and the submitters
    and the target (``reported-arab-resolution-102``); else "" (decision 0009)."""
    if cells.get("document", ""):
        return ""
    given = cells.get("id", "")
    if given:
        return given if _REPORTED_KEY.match(given) else ""
    return slug("reported " + " ".join(split(cells.get("submitters", ""))) + " "
                + cells.get("target", ""), limit=80)


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
