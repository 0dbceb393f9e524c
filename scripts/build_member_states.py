"""Generate data/member-states.ttl from reference/member_states.csv.

Run from anywhere: ``python scripts/build_member_states.py`` (``--check`` only reports whether the
file is up to date). The output is deterministic: rows sorted by ISO alpha-3, sources sorted, so
re-running on the same CSV gives the same bytes. Names and alpha-2 codes come from pycountry;
the dated memberships (CEPT's suspension of Russia and Belarus, Syria in the Arab League) and
Palau's accession date are sourced in reference/README.md and reference/gaps.md.

Each fact keeps its own sources: a state cites the list of ITU Member States and the sources of
its administrative region; each membership of a regional organization is a pp:Membership node
that cites the sources, among the row's, that speak of that organization (ORG_SOURCES says which
address speaks of which). The sources of a "no" cell support no triple and are not written.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
CSV_PATH = ROOT / "reference" / "member_states.csv"
OUT_PATH = ROOT / "data" / "member-states.ttl"

ID = "https://w3id.org/plenipot/id/"
ORGS = ("apt", "atu", "citel", "cept", "rcc", "arab")
COLUMNS = ("iso3", "name", "itu_region", *ORGS, "source_itu_region", "source_memberships")

# The region sizes behind the 58 derived regions (reference/gaps.md, section 2).
AUSTRALIA_REGIONS = (
    "https://www.infrastructure.gov.au/media-technology-communications/internet/"
    "australias-candidacy-re-election-itu-council/our-work-itu"
)
DERIVATION_LISTS = {
    "A": "https://relief.unboundmedicine.com/relief/view/The-World-Factbook/563656/0/"
    "Organization_of_American_States__OAS_",
    "D": "https://github.com/unicef-drp/Country-and-Region-Metadata/blob/main/output/"
    "African%20Union/AU_5regions.csv",
}
DERIVED_NOTE = {
    "A": "ITU administrative region A derived, not read in an ITU document: Region A has 35 "
    "members (Australian Government page) and the OAS lists exactly 35 independent states of "
    "the Americas; no source places this state in another region (reference/gaps.md).",
    "D": "ITU administrative region D derived, not read in an ITU document: Region D has 54 "
    "members (Australian Government page) and the African Union list holds exactly 54 ITU "
    "Member States; no source places this state in another region (reference/gaps.md).",
}

PALAU_PR = (
    "https://www.itu.int/en/mediacentre/Pages/"
    "PR-2024-09-19-the-Republic-of-Palau-becomes-ITUs-194th-Member-State.aspx"
)
CEPT_SUSPENSION = (
    "https://db0nus869y26v.cloudfront.net/en/"
    "European_Conference_of_Postal_and_Telecommunications_Administrations"
)
SYRIA_RESTORED = (
    "https://www.newsmax.com/newsfront/syria-arab-egypt-saudi-qatar-jordan/2023/05/07/id/1118881/"
)
ARAB_LEAGUE = "https://www.worlddata.info/alliances/arab-league.php"
# The 193 Member States of PP-22 (reference/gaps.md, section 1).
ITU_MEMBER_LIST = (
    "https://kiwix.casplantje.nl/wikipedia_en_all_maxi_2020-06/A/"
    "Member_states_of_the_International_Telecommunication_Union"
)

# Which regional organization each membership source speaks of: a source address is given to a
# membership when it starts with one of the organization's prefixes.
ORG_SOURCES: dict[str, tuple[str, ...]] = {
    "apt": (
        "https://apt.int/",
        "https://apt45thanniversary.com/",
        "https://correlatesofwar.org/data-sets/IGOs/",
        "https://github.com/dieghernan/igoR/",
        "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXV-2",
        "http://mcit.gov.ws/",
        "https://text-id.123dok.com/",
    ),
    "atu": (
        "http://www.liquisearch.com/african_telecommunications_union/",
        "https://ecofinagency.com/",
        "https://hapakenya.com/",
        "https://lemagazinedumanager.com/",
        "https://neweralive.na/",
    ),
    "citel": (
        "https://www.citel.oas.org/",
        "https://relief.unboundmedicine.com/relief/view/The-World-Factbook/563656/0/"
        "Organization_of_American_States__OAS_",
        "https://wikiwand.com/en/articles/Member_states_of_the_Organization_of_American_States",
    ),
    "cept": ("https://www.cept.org/", CEPT_SUSPENSION),
    "rcc": ("http://en.rcc-org.ru/", "http://www.en.rcc.org.ru/"),
    "arab": (ARAB_LEAGUE, "https://www.globecountries.com/", SYRIA_RESTORED),
}


@dataclass(frozen=True)
class Membership:
    """A dated or qualified membership, written as a pp:Membership node."""

    key: str
    member: str
    org: str
    status: str
    since: str | None
    until: str | None
    sources: tuple[str, ...]
    comment: str


MEMBERSHIPS = (
    Membership(
        key="cept/rus",
        member="rus",
        org="cept",
        status="suspended",
        since="2022-03-17",
        until=None,
        sources=(CEPT_SUSPENSION,),
        comment="CEPT suspended the membership of the Russian Federation indefinitely "
        "on 17 March 2022.",
    ),
    Membership(
        key="cept/blr",
        member="blr",
        org="cept",
        status="suspended",
        since="2022-03-17",
        until=None,
        sources=(CEPT_SUSPENSION,),
        comment="CEPT suspended the membership of Belarus indefinitely on 17 March 2022.",
    ),
    Membership(
        key="arab/syr-2011",
        member="syr",
        org="arab",
        status="suspended",
        since=None,  # November 2011: the sources give the month only, pp:since needs a day
        until="2023-05-07",
        sources=(ARAB_LEAGUE, SYRIA_RESTORED),
        comment="Syria's membership of the League of Arab States was suspended in November "
        "2011 (the sources give the month only) and restored on 7 May 2023.",
    ),
    Membership(
        key="arab/syr-2023",
        member="syr",
        org="arab",
        status="active",
        since="2023-05-07",
        until=None,
        sources=(ARAB_LEAGUE, SYRIA_RESTORED),
        comment="Syria's membership of the League of Arab States was restored on 7 May 2023.",
    ),
)

HEADER = """\
# ITU Member States, GENERATED by scripts/build_member_states.py from
# reference/member_states.csv -- do not edit by hand; edit the CSV and re-run the script.
# Each state carries its ISO 3166-1 codes, English short name (pycountry), ITU administrative
# region where sourced (58 regions are derived, and say so in rdfs:comment) and its current
# memberships of the six regional organizations (org:memberOf). Its dcterms:source is the list
# of ITU Member States and the sources of its region, nothing else. Each membership is also a
# pp:Membership node (membership/{org}/{iso3}) citing only the sources that speak of that
# organization; dated ones (CEPT's suspension of RUS and BLR, Syria in the Arab League) carry
# their status and dates.

@prefix pp: <https://w3id.org/plenipot/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
"""


class InputError(Exception):
    """The CSV cannot be turned into member states; the message names file and line."""


def literal(text: str) -> str:
    """A Turtle string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def iri(path: str) -> str:
    return f"<{ID}{path}>"


def split_sources(cell: str) -> list[str]:
    return [s.strip() for s in cell.split(";") if s.strip()]


def is_derived(region: str, sources: list[str]) -> bool:
    """A derived region rests only on the Australian region sizes plus the OAS or AU list."""
    return region in DERIVATION_LISTS and set(sources) == {
        AUSTRALIA_REGIONS,
        DERIVATION_LISTS[region],
    }


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise InputError(f"{path}:1: expected columns {','.join(COLUMNS)}")
        rows = []
        seen: set[str] = set()
        for line, row in enumerate(reader, start=2):
            iso3 = row["iso3"]
            if pycountry.countries.get(alpha_3=iso3) is None:
                raise InputError(f"{path}:{line}: unknown ISO 3166-1 alpha-3 code {iso3!r}")
            if iso3 in seen:
                raise InputError(f"{path}:{line}: duplicate row for {iso3}")
            if row["itu_region"] not in ("", "A", "B", "C", "D", "E"):
                raise InputError(f"{path}:{line}: itu_region must be A-E or empty")
            for key in ORGS:
                if row[key] not in ("", "yes", "no"):
                    raise InputError(f"{path}:{line}: column {key} must be yes, no or empty")
            seen.add(iso3)
            rows.append(row)
    return sorted(rows, key=lambda r: r["iso3"])


def org_sources(org: str, sources: list[str]) -> list[str]:
    """The sources, among a row's membership sources, that speak of one organization."""
    return sorted(s for s in sources if s.startswith(ORG_SOURCES[org]))


def state_block(row: dict[str, str]) -> str:
    iso3 = row["iso3"]
    country = pycountry.countries.get(alpha_3=iso3)
    region = row["itu_region"]
    region_sources = split_sources(row["source_itu_region"])
    sources = set(region_sources) if region else set()
    lines = [
        f"{iri('country/' + iso3.lower())} a pp:MemberState ;",
        f"    rdfs:label {literal(country.name)}@en ;",
        f"    dcterms:identifier {literal(iso3)} ;",
        f"    pp:iso2 {literal(country.alpha_2)} ;",
    ]
    if region:
        lines.append(f"    pp:administrativeRegion {iri('region/' + region.lower())} ;")
        if is_derived(region, region_sources):
            lines.append(f"    rdfs:comment {literal(DERIVED_NOTE[region])}@en ;")
    members = [key for key in ORGS if row[key] == "yes"]
    if members:
        lines.append("    org:memberOf " + ", ".join(iri("org/" + k) for k in members) + " ;")
    if iso3 == "PLW":
        lines.append('    pp:ituMemberSince "2024-09-19"^^xsd:date ;')
        lines.append(
            "    rdfs:comment "
            + literal("ITU's 194th Member State, after PP-22; not one of the 193 of PP-22.")
            + "@en ;"
        )
        sources.add(PALAU_PR)
    else:
        sources.add(ITU_MEMBER_LIST)
    lines.append("    dcterms:source " + ", ".join(f"<{s}>" for s in sorted(sources)) + " .")
    return "\n".join(lines)


def plain_memberships(rows: list[dict[str, str]]) -> list[Membership]:
    """One membership per "yes" cell, citing that organization's sources, unless a dated
    membership (MEMBERSHIPS) already describes that state in that organization."""
    dated = {(m.member, m.org) for m in MEMBERSHIPS}
    found = []
    for row in rows:
        iso3 = row["iso3"].lower()
        sources = split_sources(row["source_memberships"])
        for org in ORGS:
            if row[org] != "yes" or (iso3, org) in dated:
                continue
            cited = org_sources(org, sources)
            if not cited:
                raise InputError(f"{CSV_PATH}: row {row['iso3']} is in {org} with no source for it")
            found.append(Membership(key=f"{org}/{iso3}", member=iso3, org=org, status="",
                                    since=None, until=None, sources=tuple(cited), comment=""))
    return found


def membership_block(m: Membership) -> str:
    lines = [
        f"{iri('membership/' + m.key)} a pp:Membership ;",
        f"    org:member {iri('country/' + m.member)} ;",
        f"    org:organization {iri('org/' + m.org)} ;",
    ]
    if m.status:
        lines.append(f"    pp:membershipStatus {iri('membership-status/' + m.status)} ;")
    if m.since:
        lines.append(f"    pp:since {literal(m.since)}^^xsd:date ;")
    if m.until:
        lines.append(f"    pp:until {literal(m.until)}^^xsd:date ;")
    if m.comment:
        lines.append(f"    rdfs:comment {literal(m.comment)}@en ;")
    lines.append("    dcterms:source " + ", ".join(f"<{s}>" for s in m.sources) + " .")
    return "\n".join(lines)


def build(csv_path: Path = CSV_PATH) -> str:
    rows = read_rows(csv_path)
    derived = sum(is_derived(r["itu_region"], split_sources(r["source_itu_region"])) for r in rows)
    if derived != 58:
        raise InputError(f"{csv_path}: expected 58 derived regions (gaps.md), found {derived}")
    blocks = [HEADER, "# Member States\n"]
    blocks += [state_block(r) + "\n" for r in rows]
    blocks.append("# Memberships of the regional organizations, each with its own sources\n")
    blocks += [membership_block(m) + "\n" for m in plain_memberships(rows)]
    blocks.append("# Dated and qualified memberships\n")
    blocks += [membership_block(m) + "\n" for m in MEMBERSHIPS]
    return "\n".join(blocks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the output is stale")
    args = parser.parse_args(argv)
    try:
        text = build()
    except (InputError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = OUT_PATH.read_text(encoding="utf-8") if OUT_PATH.exists() else ""
        if current != text:
            print(f"{OUT_PATH} is out of date; run scripts/build_member_states.py", file=sys.stderr)
            return 1
        return 0
    tmp = OUT_PATH.with_suffix(".ttl.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(OUT_PATH)
    print(f"wrote {OUT_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
