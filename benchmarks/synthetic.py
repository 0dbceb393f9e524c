"""Synthetic, domain-shaped Plenipot graphs for benchmarks: decades of conferences, thousands of
resolutions with revisions, contributions and proposals with status histories.

Every IRI lives under ``https://w3id.org/plenipot/id/`` and uses the real vocabulary, so the
named queries and lookups run unchanged; keys start ``syn-`` and resolution numbers at 1001, so
nothing can be mistaken for (or clash with) the real data.

    python benchmarks/synthetic.py --triples 100000 -o build/bench-100k.ttl
"""

import argparse
import random
import sys
from pathlib import Path

from plenipot.namespaces import PREFIXES as NAMESPACES

BUILD = Path(__file__).resolve().parents[1] / "build"
ID = "https://w3id.org/plenipot/id/"
PREFIXES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in NAMESPACES.items())
BODIES = ("pp", "wtsa", "wtdc", "ra", "council")
ORGS = ("apt", "atu", "citel", "cept", "rcc", "arab")
ACTIONS = ("add", "mod", "sup", "noc")
STATUSES = ("adopted", "adopted-with-modifications", "merged", "not-adopted", "withdrawn")
ISSUE_AREAS = (
    "internet-public-policy",
    "cybersecurity",
    "child-online-protection",
    "wsis-digital-economy-sdgs",
    "standardization",
    "digital-inclusion",
    "access-infrastructure",
    "emerging-technologies",
    "itrs-wtpf",
)
TOPICS = (
    "cybersecurity",
    "internet-governance",
    "artificial-intelligence",
    "internet-of-things",
    "ip-addressing",
    "ott",
    "ipv6",
    "pandemics",
    "digital-transformation",
)
SOURCE = "<https://example.org/synthetic>"


def iri(path: str) -> str:
    return f"<{ID}{path}>"


def literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def date(year: int, month: int, day: int) -> str:
    return f'"{year:04d}-{month:02d}-{day:02d}"^^xsd:date'


def generate(triples: int, seed: int = 7):
    """Yield Turtle statements until about ``triples`` triples have been written."""
    rng = random.Random(seed)
    count = 0

    def emit(subject: str, *pairs: tuple[str, str]) -> str:
        nonlocal count
        count += len(pairs)
        body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
        return f"{subject}\n    {body} .\n"

    yield PREFIXES
    states = [f"syn-{i:03d}" for i in range(193)]
    for i, state in enumerate(states):
        yield emit(
            iri(f"country/{state}"),
            ("a", "pp:MemberState"),
            ("rdfs:label", literal(f"Synthetic State {i}")),
            ("dcterms:identifier", literal(state.upper())),
            ("org:memberOf", iri(f"org/{ORGS[i % len(ORGS)]}")),
            ("dcterms:source", SOURCE),
        )
    # Resolutions and conferences grow with the target size: about 60 triples per resolution.
    per_body = max(20, triples // (60 * len(BODIES)))
    conferences: dict[str, list[tuple[str, int]]] = {}
    for body in BODIES:
        conferences[body] = []
        for year in range(1954, 2027, 4 if body != "council" else 1):
            key = f"syn-{body}-{year}"
            conferences[body].append((key, year))
            yield emit(
                iri(f"conference/{key}"),
                ("a", "pp:Conference"),
                ("rdfs:label", literal(f"Synthetic {body.upper()} {year}")),
                ("dcterms:identifier", literal(f"{body.upper()}-{year % 100:02d}")),
                ("pp:conferenceKind", iri(f"conference-kind/{body}")),
                ("schema:startDate", date(year, 9, 26)),
                ("schema:endDate", date(year, 10, 14)),
                ("pp:contributionDeadline", date(year, 9, 5)),
                ("dcterms:source", SOURCE),
            )
    proposal_no = 0
    while count < triples:
        for body in BODIES:
            for number in range(1001, 1001 + per_body):
                resolution = f"resolution/{body}/{number}"
                history = rng.sample(conferences[body], k=min(3, len(conferences[body])))
                history.sort(key=lambda c: c[1])
                revisions = [f"{resolution}/{key}" for key, _ in history]
                yield emit(
                    iri(resolution),
                    ("a", "pp:Resolution"),
                    ("pp:number", literal(str(number))),
                    ("pp:ownedBy", iri(f"conference-kind/{body}")),
                    ("dcterms:title", literal(f"Synthetic resolution {number} of {body}") + "@en"),
                    ("pp:issueArea", iri(f"issue-area/{rng.choice(ISSUE_AREAS)}")),
                    ("pp:topic", iri(f"topic/{rng.choice(TOPICS)}")),
                    ("pp:latestRevision", iri(revisions[-1])),
                    ("dcterms:source", SOURCE),
                )
                for (key, year), revision in zip(history, revisions, strict=True):
                    yield emit(
                        iri(revision),
                        ("a", "pp:Revision"),
                        ("pp:revisionOf", iri(resolution)),
                        ("pp:adoptedAt", iri(f"conference/{key}")),
                        ("pp:revisionLabel", literal(f"Rev. Synthetic, {year}")),
                    )
                key, year = history[-1]
                for _ in range(2):
                    proposal_no += 1
                    submitter = rng.choice(ORGS)
                    document = f"document/{key}/{proposal_no}"
                    proposal = f"proposal/{key}/syn-{proposal_no}"
                    status = rng.choice(STATUSES)
                    yield emit(
                        iri(document),
                        ("a", "pp:Contribution"),
                        ("pp:documentNumber", literal(str(proposal_no))),
                        ("pp:atConference", iri(f"conference/{key}")),
                        ("pp:submittedBy", iri(f"org/{submitter}")),
                        ("dcterms:date", date(year, 8, 1 + proposal_no % 28)),
                    )
                    yield emit(
                        iri(proposal),
                        ("a", "pp:Proposal"),
                        ("dcterms:identifier", literal(f"SYN/{proposal_no}/1")),
                        ("pp:action", iri(f"action/{rng.choice(ACTIONS)}")),
                        ("pp:submittedBy", iri(f"org/{submitter}")),
                        ("pp:target", iri(revisions[-1])),
                        ("pp:inDocument", iri(document)),
                        ("pp:atConference", iri(f"conference/{key}")),
                        ("pp:issueArea", iri(f"issue-area/{rng.choice(ISSUE_AREAS)}")),
                        ("dcterms:title", literal(f"Synthetic proposal {proposal_no}") + "@en"),
                        ("pp:status", iri(f"status/{status}")),
                        ("pp:statusChange", iri(f"{proposal}/status/1")),
                        ("dcterms:source", SOURCE),
                    )
                    yield emit(
                        iri(f"{proposal}/status/1"),
                        ("a", "pp:StatusChange"),
                        ("pp:status", iri(f"status/{status}")),
                        ("dcterms:date", date(year, 10, 14)),
                    )
                if count >= triples:
                    return


def cached(triples: int) -> Path:
    """``build/bench-N.ttl``, generated once (written beside and renamed, so a run stopped
    half-way leaves no truncated file for the next one)."""
    path = BUILD / f"bench-{triples}.ttl"
    if not path.exists():
        BUILD.mkdir(exist_ok=True)
        partial = path.with_suffix(".ttl.partial")
        with partial.open("w", encoding="utf-8") as out:
            out.writelines(generate(triples))
        partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        for chunk in generate(args.triples, args.seed):
            out.write(chunk)
    finally:
        if args.output:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
