"""Parameter values: the text a caller gives, checked against its declared type and turned
into the RDF term that is bound (never pasted) into the query.

Types:

- ``string``, ``integer``, ``date`` (ISO 8601), ``iri`` (an absolute http(s) IRI);
- ``text``: free text matched case- and accent-insensitively; it is folded here and bound as a
  regular expression (Oxigraph has no accent folding of its own);
- code lists, checked against the SKOS scheme in the store and given by key or notation:
  ``action``, ``status``, ``issue-area``, ``topic``, ``stance``, ``post``, ``region``, and
  ``body`` (the conference-kind scheme: pp, wtsa, wtdc, ra, council);
- instances, given by key and checked in the store: ``conference`` (PP-22), ``organization``
  (a regional organization, stakeholder or Member State: CEPT, ISOC, USA), ``group`` (a regional
  organization or an administrative region A–E).
"""

import re
import unicodedata
import weakref
from datetime import date
from urllib.parse import urlsplit

from rdflib import XSD, Literal, URIRef
from rdflib.term import Identifier

from plenipot.errors import ParameterError
from plenipot.namespaces import PPID
from plenipot.queries.header import CODE_LISTS, INSTANCE_TYPES, NamedQuery, Param, sparql
from plenipot.queries.run import select
from plenipot.store.base import Store

# base letter -> its accented lower-case forms in the Latin-script languages of ITU members.
# Small on purpose: Oxigraph compiles a bound pattern for every row, and big classes cost.
ACCENTS = {
    "a": "àáâãäåāăą",
    "c": "çćčĉ",
    "d": "ď",
    "e": "èéêëēėęě",
    "g": "ğ",
    "i": "ìíîïīįı",
    "l": "łľ",
    "n": "ñńň",
    "o": "òóôõöøōő",
    "r": "ř",
    "s": "śşšș",
    "t": "ţťț",
    "u": "ùúûüūůű",
    "y": "ýÿ",
    "z": "źżž",
}


_BASE = {accented: base for base, forms in ACCENTS.items() for accented in forms}


def fold(text: str) -> str:
    """Lower case, accents off, spaces collapsed: ' Telecomunicación ' -> 'telecomunicacion'."""
    lowered = " ".join(unicodedata.normalize("NFC", text).lower().split())
    return "".join(_BASE.get(c, c) for c in lowered)


def text_pattern(text: str) -> str:
    """A regular expression for ``LCASE(label)`` that matches the words of ``text`` in that
    order, whatever their accents and whatever stands between them ("Res 102" finds
    "Res. 102")."""
    return ".*".join(
        "".join(f"[{c}{ACCENTS[c]}]" if c in ACCENTS else re.escape(c) for c in word)
        for word in fold(text).split()
    )


def _check_iri(name: str, value: str) -> URIRef:
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or re.search(r'[\s<>"{}|\\^`]', value)
    ):
        raise ParameterError(name, f"expected an absolute http(s) IRI, not {value!r}")
    return URIRef(value)


def _scalar(param: Param, value: str) -> Identifier:
    if param.type == "integer":
        try:
            return Literal(int(value.strip()))
        except ValueError:
            raise ParameterError(param.name, f"expected an integer, not {value!r}") from None
    if param.type == "date":
        try:
            return Literal(date.fromisoformat(value.strip()).isoformat(), datatype=XSD.date)
        except ValueError:
            raise ParameterError(param.name, f"expected a date YYYY-MM-DD, not {value!r}") from None
    if param.type == "iri":
        return _check_iri(param.name, value.strip())
    if param.type == "text":
        if not value.strip():
            raise ParameterError(param.name, "is empty")
        if len(value) > 200:
            raise ParameterError(param.name, "is longer than 200 characters")
        return Literal(text_pattern(value))
    return Literal(value)


def _query(name: str) -> NamedQuery:
    """``queries/sparql/{name}.rq``: the look-ups that check a value against the store."""
    return sparql("plenipot.queries", name)


class Vocabulary:
    """The code lists and instance keys of one store, looked up once and cached."""

    def __init__(self, store: Store):
        self.store = store
        self._schemes: dict[str, dict[str, URIRef]] = {}
        self._known: dict[URIRef, bool] = {}
        self._labels: list[tuple[str, str, str | None, str]] | None = None

    def concepts(self, scheme_key: str) -> dict[str, URIRef]:
        """Lower-cased key and notation -> concept IRI, for one scheme."""
        if scheme_key not in self._schemes:
            result = select(self.store, _query("concepts"), {"scheme": PPID[scheme_key]})
            table: dict[str, URIRef] = {}
            for row in result.rows:
                concept = row["concept"]
                table[str(concept).rstrip("/").rsplit("/", 1)[-1].lower()] = concept
                if "notation" in row:
                    table[str(row["notation"]).lower()] = concept
            self._schemes[scheme_key] = table
        return self._schemes[scheme_key]

    def exists(self, iri: URIRef) -> bool:
        if iri not in self._known:  # only what exists is remembered: callers choose the keys
            result = select(self.store, _query("exists"), {"s": iri})
            if not result.rows:
                return False
            self._known[iri] = True
        return True

    def by_identifier(self, value: str) -> URIRef | None:
        """A resource whose ``dcterms:identifier`` is ``value`` (as given, or upper-cased)."""
        for candidate in dict.fromkeys((value, value.upper())):
            result = select(self.store, _query("by-identifier"), {"id": Literal(candidate)})
            if result.rows:
                return result.rows[0]["s"]
        return None

    def labels(self) -> list[tuple[str, str, str | None, str]]:
        """(resource, label, type, folded label) of every resource in the instance space."""
        if self._labels is None:
            result = select(self.store, _query("labels"))
            self._labels = [
                (
                    str(r["resource"]),
                    str(r["label"]),
                    str(r["type"]) if "type" in r else None,
                    fold(str(r["label"])),
                )
                for r in result.rows
            ]
        return self._labels


def search_labels(store: Store, text: str, limit: int = 100) -> list[tuple[str, str, str | None]]:
    """The search query's answer from an in-memory index of the labels (read once per store):
    the same matching, without a regular expression per row. Best matches first."""
    needle = fold(text)
    if not needle:
        raise ParameterError("q", "is empty")
    hits = [
        (r, label, kind, folded)
        for r, label, kind, folded in vocabulary(store).labels()
        if needle in folded
    ]
    hits.sort(key=lambda h: (h[3] != needle, not h[3].startswith(needle), len(h[1]), h[1]))
    return [(r, label, kind) for r, label, kind, _ in hits[:limit]]


_VOCABULARIES: "weakref.WeakKeyDictionary[Store, Vocabulary]" = weakref.WeakKeyDictionary()


def vocabulary(store: Store) -> Vocabulary:
    try:
        return _VOCABULARIES[store]
    except KeyError:
        return _VOCABULARIES.setdefault(store, Vocabulary(store))
    except TypeError:  # a store that cannot be weakly referenced
        return Vocabulary(store)


def _key(value: str) -> str:
    return value.strip().lower()


def _code(param: Param, value: str, vocab: Vocabulary) -> URIRef:
    scheme = CODE_LISTS[param.type]
    concepts = vocab.concepts(scheme)
    if concepts:
        try:
            return concepts[_key(value)]
        except KeyError:
            keys = sorted({str(c).rsplit("/", 1)[-1] for c in concepts.values()})
            raise ParameterError(
                param.name,
                f"{value!r} is not in the {scheme} code list; expected one of: {', '.join(keys)}",
            ) from None
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", _key(value)):  # the code list itself is not loaded
        return PPID[f"{scheme}/{_key(value)}"]
    raise ParameterError(param.name, f"{value!r} is not a {scheme} key")


def _instance(param: Param, value: str, vocab: Vocabulary) -> URIRef:
    key = _key(value)
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", key):
        raise ParameterError(param.name, f"{value!r} is not a {param.type} key")
    if param.type == "group" and (
        region := vocab.concepts("region").get(key.removeprefix("region-"))
    ):
        return region
    for kind in INSTANCE_TYPES[param.type]:
        if vocab.exists(iri := PPID[f"{kind}/{key}"]):
            return iri
    if (found := vocab.by_identifier(value.strip())) is not None:
        return found
    raise ParameterError(param.name, f"no {param.type} {value!r} in the graph")


def convert(param: Param, value: str, store: Store) -> Identifier:
    """One value (a string) as the RDF term its type asks for; ``ParameterError`` if wrong."""
    if param.type in CODE_LISTS:
        return _code(param, value, vocabulary(store))
    if param.type in INSTANCE_TYPES:
        return _instance(param, value, vocabulary(store))
    return _scalar(param, value)


def bind(query: NamedQuery, values: dict[str, str], store: Store) -> dict[str, Identifier]:
    """Check and convert the given values (strings) into RDF terms, by the query's header."""
    declared = {p.name: p for p in query.params}
    for name in values:
        if name not in declared:
            expected = ", ".join(declared) or "none"
            raise ParameterError(
                name, f"{query.name} takes no such parameter (it takes: {expected})"
            )
    bindings: dict[str, Identifier] = {}
    for param in query.params:
        value = values.get(param.name)
        if value is None or (value == "" and not param.required):
            value = param.default
        if value is None:
            if param.required:
                raise ParameterError(
                    param.name, f"is required by {query.name}: {param.description}"
                )
            continue
        bindings[param.name] = convert(param, value, store)
    return bindings
