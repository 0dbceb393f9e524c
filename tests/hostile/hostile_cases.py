"""The hostile-input corpus: every case with the answer it must get.

``LISTENER`` in a query or a fixture file stands for ``http://127.0.0.1:PORT`` of a socket that
counts the connections made to it; no case may ever make one.
"""

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "hostile"
SAMPLE = Path(__file__).parents[1] / "fixtures" / "store"
ORGS_GRAPH = "https://w3id.org/plenipot/source/test/organizations"


@dataclass(frozen=True)
class Case:
    name: str
    text: str  # a query, or a fixture file name
    error: str  # the error class (HTTP) ...
    fragment: str  # ... and a piece of its message
    status: int = 400
    exit: int = 2

    def query(self, url: str) -> str:
        return self.text.replace("LISTENER", url)


def _service(name, text, fragment="SERVICE is refused"):
    return Case(name, text, "ForbiddenOperation", fragment)


def _update(name, text):
    return Case(name, text, "ForbiddenOperation", "read-only")


def _unparsed(name, text, fragment="does not parse"):
    return Case(name, text, "QueryError", fragment)


S = "SERVICE <LISTENER/sparql> { ?a ?b ?c }"
OUTBOUND = [
    # every query form, SERVICE in every position
    _service("select-service", f"SELECT * WHERE {{ {S} }}"),
    _service("select-service-silent",
             "SELECT * WHERE { SERVICE SILENT <LISTENER/x> { ?a ?b ?c } }"),
    _service("select-service-variable",
             "SELECT * WHERE { BIND(<LISTENER/x> AS ?e) SERVICE ?e { ?a ?b ?c } }"),
    _service("select-service-lowercase", "select * where { service <LISTENER/x> { ?a ?b ?c } }"),
    _service("select-service-optional", f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {S} }} }}"),
    _service("select-service-union", f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ {S} }} }}"),
    _service("select-service-minus", f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ {S} }} }}"),
    _service("select-service-graph", f"SELECT * WHERE {{ GRAPH ?g {{ {S} }} }}"),
    _service("select-service-subquery", f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {S} }} }} }}"),
    _service("select-service-filter-exists",
             f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ {S} }} }}"),
    _service("select-service-filter-not-exists",
             f"SELECT * WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {S} }} }}"),
    _service("select-service-bind-exists",
             f"SELECT * WHERE {{ ?s ?p ?o BIND(EXISTS {{ {S} }} AS ?x) }}"),
    # rdflib's grammar recurses without end on a SERVICE inside a SERVICE: refused all the same
    _unparsed("select-service-nested", f"SELECT * WHERE {{ SERVICE <LISTENER/a> {{ {S} }} }}",
              "chains too deeply"),
    _service("select-service-unicode-escape",
             "SELECT * WHERE { \\u0053ERVICE <LISTENER/x> { ?a ?b ?c } }"),
    _service("select-service-crlf-comment", f"SELECT * WHERE {{ # comment\r\n{S} }}"),
    _service("ask-service", f"ASK {{ {S} }}"),
    _service("construct-service", f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ {S} }}"),
    _unparsed("construct-where-service", f"CONSTRUCT WHERE {{ {S} }}"),  # a template only
    _service("describe-service", f"DESCRIBE ?a WHERE {{ {S} }}"),
    _service("select-service-having",
             f"SELECT ?s WHERE {{ ?s ?p ?o }} GROUP BY ?s HAVING(EXISTS {{ {S} }})"),
    # the lexical blind spots of the old check
    _unparsed("cr-ends-comment", "SELECT * WHERE { # c\rSERVICE <LISTENER/x> { ?s ?p ?o } }",
              "carriage return"),
    _unparsed("cr-ends-comment-then-lf",
              "SELECT * WHERE { # c\r SERVICE <LISTENER/x> { ?s ?p ?o } \n }", "carriage return"),
    _unparsed("digit-then-service", "SELECT * WHERE { ?s ?p 1SERVICE <LISTENER/y> { ?a ?b ?c } }"),
    _unparsed("rdf-star-then-service",
              "SELECT * WHERE { << ?s ?p ?o >> ?q ?r . SERVICE <LISTENER/> { } }"),
    # LOAD and every update
    _update("load", "LOAD <LISTENER/data.ttl>"),
    _update("load-silent-into", "LOAD SILENT <LISTENER/data.ttl> INTO GRAPH <urn:x>"),
    _update("insert-data", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
    _update("delete-where", "DELETE WHERE { ?s ?p ?o }"),
    _update("modify-with-service",
            f"INSERT {{ ?a ?b ?c }} WHERE {{ {S} }}"),
    _update("clear-all", "CLEAR ALL"),
    _update("drop", f"DROP GRAPH <{ORGS_GRAPH}>"),
    _update("load-then-select", "LOAD <LISTENER/a> ; LOAD <LISTENER/b>"),
    # remote FROM / FROM NAMED
    Case("from-remote", "SELECT * FROM <LISTENER/g> WHERE { ?s ?p ?o }", "ForbiddenOperation",
         "is not a graph of this store"),
    Case("from-named-remote", "SELECT * FROM NAMED <LISTENER/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
         "ForbiddenOperation", "FROM NAMED"),
    Case("ask-from-remote", "ASK FROM <LISTENER/g> { ?s ?p ?o }", "ForbiddenOperation",
         "is not a graph of this store"),
    Case("construct-from-remote", "CONSTRUCT { ?s ?p ?o } FROM <LISTENER/g> WHERE { ?s ?p ?o }",
         "ForbiddenOperation", "is not a graph of this store"),
    Case("describe-from-remote", "DESCRIBE <urn:x> FROM <LISTENER/g>", "ForbiddenOperation",
         "is not a graph of this store"),
]

DEEP = 5000
EXHAUSTING = [
    Case("parentheses-5000", "SELECT * WHERE { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }",
         "QueryError", "nests brackets more than"),
    Case("braces-5000", "SELECT * WHERE " + "{" * DEEP + "?s ?p ?o" + "}" * DEEP, "QueryError",
         "nests brackets more than"),
    Case("brackets-5000", "SELECT * WHERE { ?s ?p " + "[ ?p " * DEEP + "1" + " ]" * DEEP + " }",
         "QueryError", "nests brackets more than"),
    Case("negations-5000", "SELECT * WHERE { FILTER(" + "!" * DEEP + "true) }", "QueryError",
         "does not parse"),
    Case("negated-parentheses-70", "SELECT * WHERE { FILTER(" + "!(" * 70 + "true" + ")" * 70
         + ") }", "QueryError", "nests brackets more than"),
    Case("long-query-129k", "SELECT * WHERE { ?s ?p ?o } # " + "x" * 129_000, "PayloadTooLarge",
         "at most", status=413),
]

# (fixture, message fragment) for data files that must be refused at a place: exit 2 / 400
REFUSED_FILES = [
    ("billion-laughs.rdf", "entity declarations"),
    ("quadratic-blowup.rdf", "entity declarations"),
    ("external-entity.rdf", "entity declarations"),
    ("external-file-entity.rdf", "entity declarations"),
    ("parameter-entity.rdf", "entity declarations"),
    ("external-dtd.rdf", "an external DTD"),
    ("context-remote.jsonld", "is not inline"),
    ("context-list.jsonld", "is not inline"),
    ("context-import.jsonld", "is not inline"),
    ("context-scoped.jsonld", "is not inline"),
    ("context-relative.jsonld", "is not inline"),
    ("context-nested-node.jsonld", "is not inline"),
]
# data files that are valid RDF naming the listener: read, and nothing fetched
READ_FILES = ["base-and-imports.ttl", "graph-named-by-listener.trig"]


def data_file(folder: Path, name: str, url: str) -> Path:
    """A copy of the fixture ``name`` in ``folder`` with ``LISTENER`` replaced by ``url``."""
    path = folder / name
    path.write_text((FIXTURES / "data" / name).read_text().replace("LISTENER", url))
    return path
