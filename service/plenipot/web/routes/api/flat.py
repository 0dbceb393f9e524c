"""Shaping the flat rows of the one-query lookups (``web/sparql/api-resolution.rq``,
``api-proposal.rq``): a lookup's few rows grouped here cost microseconds, where Oxigraph's
planning of GROUP BY, SAMPLE and REPLACE cost most of a millisecond per query."""

from collections.abc import Iterable


def rows_by_part(rows: Iterable[dict[str, str]], parts: int) -> dict[str, list[dict[str, str]]]:
    """The rows of each ``?part`` (``"1"`` … ``str(parts)``), in the query's order."""
    out: dict[str, list[dict[str, str]]] = {str(n): [] for n in range(1, parts + 1)}
    for row in rows:
        out[row.pop("part")].append(row)
    return out


def first(rows: list[dict[str, str]], name: str) -> str | None:
    """The first value of ``name`` (SAMPLE's answer when there is one value)."""
    return next((r[name] for r in rows if name in r), None)


def _coalesce(*values: str | None) -> str | None:
    return next((v for v in values if v is not None), None)


def last_segment(iri: str) -> str:
    """What follows the last ``/``: the key SPARQL's ``REPLACE(STR(?x), "^.*/", "")`` gives."""
    return iri.rsplit("/", 1)[-1]


def keys(iris: Iterable[str]) -> list[str]:
    """The keys of ``iris``, sorted, once each (what GROUP_CONCAT DISTINCT and ``split`` gave)."""
    return sorted({key for iri in iris if (key := last_segment(iri))})


def proposal_rows(flat: list[dict[str, str]]) -> list[dict[str, str]]:
    """Flat proposal rows (one per submitter and target) as the rows of ``api-proposal-summary``
    (one per proposal: the first value of each fact, the submitters joined by ``|``), in the
    query's order."""
    grouped: dict[str, dict] = {}
    for row in flat:
        seen = grouped.setdefault(row["proposal"], {"rows": [], "submitters": set()})
        seen["rows"].append(row)
        if "submitterKey" in row:
            seen["submitters"].add(row["submitterKey"])

    out = []
    for proposal, seen in grouped.items():
        rows = seen["rows"]
        status = first(rows, "status")
        summary = {
            "proposal": proposal,
            "identifier": first(rows, "identifier"),
            "conferenceKey": first(rows, "conferenceKey"),
            "actionKey": first(rows, "actionKey"),
            "statusKey": None if status is None else last_segment(status),
            "title": first(rows, "proposalTitle"),
            "targetIri": first(rows, "targetIri"),
            "targetLabel": _coalesce(first(rows, "targetName"), first(rows, "targetTitle")),
            "targetResolution": first(rows, "targetResolution"),
            "submitters": "|".join(sorted(seen["submitters"])),
        }
        out.append({k: v for k, v in summary.items() if v is not None})
    return out
