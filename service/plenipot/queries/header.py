"""The header of a ``.rq`` file (DESIGN.md §6), and the files that carry one.

Every SPARQL text the code runs is a ``.rq`` file: the public catalogue in ``queries/`` and,
beside each sub-package that runs its own, a ``sparql/`` folder (``sparql_of``). The header::

    # title: Proposals that target a resolution
    # description: Every proposal that adds to, modifies or suppresses the resolution.
    # param: number  integer  required    Resolution number, e.g. 102
    # param: body    body     default=pp  Body that owns the resolution
    # piece: status  ?proposal pp:status ?status .
    # bind: written-in

The third field of a ``param`` line is ``required``, ``default=VALUE`` or ``optional`` (left
unbound when not given). The description gives an example value after ``e.g.`` (the first word
after it, trailing punctuation off: ``Param.example``); every required parameter has one, and the
tests run each query with its examples. A ``piece`` is a fixed fragment that a filter switches
on: the code names the pieces it wants (``plenipot.queries.run`` switches on the piece named like
each bound parameter) and ``NamedQuery.text_with`` puts them at each body line ``# pieces`` (a
query whose filters go in two places, the branches of a UNION say, has two); the code never
writes query text of its own. ``bind: written-in`` (rare, and said why in the file) has the bound
terms written in for their variables instead of a leading VALUES block (``store.binding.write_in``).
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from plenipot.errors import InputError, Location
from plenipot.sources.bundled import bundled, sparql_folder

SCALAR_TYPES = ("string", "integer", "date", "iri", "text")


# parameter type -> the key of its SKOS scheme (https://w3id.org/plenipot/id/{key})
CODE_LISTS = {
    "action": "action",
    "status": "status",
    "issue-area": "issue-area",
    "topic": "topic",
    "stance": "stance",
    "post": "post",
    "region": "region",
    "body": "conference-kind",
}


# parameter type -> the instance kinds a key may name, tried in order
INSTANCE_TYPES = {
    "conference": ("conference",),
    "organization": ("org", "country"),
    "group": ("org",),  # or an administrative region, see _instance
}


TYPES = (*SCALAR_TYPES, *CODE_LISTS, *INSTANCE_TYPES)


RESERVED = {"request", "store", "settings", "format", "accept"}


_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


_PARAM = re.compile(r"(\S+)\s+(\S+)\s+(required|optional|default=\S+)\s*(.*)\Z")
_PIECE = re.compile(r"([a-z][a-z0-9_-]*)\s+(\S.*)\Z")
_EXAMPLE = re.compile(r"\be\.g\.\s+(\S+)")
PIECES_LINE = re.compile(r"^[ \t]*# pieces[ \t]*$", re.M)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    description: str = ""

    @property
    def example(self) -> str | None:
        """The value after ``e.g.`` in the description (``Resolution number, e.g. 102`` -> 102),
        else the default."""
        match = _EXAMPLE.search(self.description)
        return match[1].rstrip(",;.)") if match else self.default

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "default": self.default,
            "description": self.description,
        }


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str = field(repr=False)
    path: Path | None = None
    pieces: dict[str, str] = field(default_factory=dict, repr=False)
    written_in: bool = False  # "# bind: written-in": the terms replace their variables

    def param(self, name: str) -> Param:
        """The declared parameter ``name``; ``KeyError`` if the header has none."""
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(f"{self.name} declares no parameter {name!r}")

    def text_with(self, *names: str, limit: int | None = None, offset: int = 0) -> str:
        """The query with the named pieces at its ``# pieces`` lines (in the order declared),
        and an optional ``LIMIT``/``OFFSET`` after it."""
        unknown = [name for name in names if name not in self.pieces]
        if unknown:
            raise KeyError(f"{self.name} declares no piece {', '.join(unknown)}")
        chosen = "\n".join(text for name, text in self.pieces.items() if name in names)
        text = PIECES_LINE.sub(lambda _: chosen, self.text) if chosen else self.text
        if limit is not None:
            text += f"\nLIMIT {int(limit)} OFFSET {int(offset)}"
        return text

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "parameters": [p.to_dict() for p in self.params],
        }


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file; a malformed header is an ``InputError`` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the query ({error})", Location(str(path))) from None
    return parse_query(text, path.stem, str(path))


def parse_query(text: str, name: str, origin: str = "<query>") -> NamedQuery:
    fields: dict[str, str] = {}
    params: list[Param] = []
    pieces: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break  # the header ends at the first line that is not a comment
        key, colon, value = stripped.lstrip("#").strip().partition(":")
        key, value = key.strip().lower(), value.strip()
        where = Location(origin, number)
        if not colon or key not in ("title", "description", "param", "piece", "bind"):
            continue  # an ordinary comment
        if key == "param":
            params.append(_parse_param(value, where, {p.name for p in params}))
        elif key == "piece":
            piece = _PIECE.match(value)
            if not piece or piece[1] in pieces:
                raise InputError("a piece line is 'NAME SPARQL' with a name used once, not "
                                 f"{value!r}", where)
            pieces[piece[1]] = piece[2]
        elif key == "bind" and value not in ("values", "written-in"):
            raise InputError(f"'bind:' is 'values' or 'written-in', not {value!r}", where)
        elif key in fields:
            raise InputError(f"a second '{key}:' line", where)
        elif not value:
            raise InputError(f"'{key}:' is empty", where)
        else:
            fields[key] = value
    for key in ("title", "description"):
        if key not in fields:
            raise InputError(f"the header has no '# {key}:' line", Location(origin, 1))
    if pieces and not PIECES_LINE.search(text):
        raise InputError("a query with pieces has a '# pieces' line in its body, where they go",
                         Location(origin, 1))
    return NamedQuery(
        name,
        fields["title"],
        fields["description"],
        tuple(params),
        text,
        Path(origin) if origin != "<query>" else None,
        pieces,
        fields.get("bind") == "written-in",
    )


def _parse_param(value: str, where: Location, seen: set[str]) -> Param:
    match = _PARAM.match(value)
    if not match:
        raise InputError(
            "a param line is 'NAME TYPE required|optional|default=VALUE "
            f"DESCRIPTION', not {value!r}",
            where,
        )
    name, kind, presence, description = match.groups()
    if not _NAME.match(name):
        raise InputError(f"parameter name {name!r} must be lower case letters, digits and _", where)
    if name in RESERVED:
        raise InputError(f"parameter name {name!r} is reserved by the service", where)
    if name in seen:
        raise InputError(f"parameter {name!r} is declared twice", where)
    if kind not in TYPES:
        raise InputError(
            f"parameter {name!r} has unknown type {kind!r}; known types: {', '.join(TYPES)}", where
        )
    default = presence.removeprefix("default=") if presence.startswith("default=") else None
    return Param(name, kind, presence == "required", default, description.strip())


def load_catalogue(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every ``NAME.rq`` in ``folder`` (default: the bundled queries), by name."""
    folder = folder if folder is not None else bundled("queries")
    return {path.stem: parse_query_file(path) for path in sorted(folder.glob("*.rq"))}


@cache
def sparql_of(package: str) -> dict[str, NamedQuery]:
    """The ``.rq`` files of a sub-package's ``sparql/`` folder (e.g. ``"plenipot.web"``), by
    name, read once per process."""
    return load_catalogue(sparql_folder(package))


def sparql(package: str, name: str) -> NamedQuery:
    """One query of ``sparql_of(package)``."""
    return sparql_of(package)[name]
