"""Every ``.rq`` file of the project, and a run of each with the example values of its header.

    every_query() -> {"queries/search": NamedQuery, "web/sparql/api-resolutions": …, …}
    run_example(store, key, query, pieces=()) -> rows or triples

Two kinds of file: the public catalogue (``queries/*.rq``, run as a user runs it, the values as
text bound by ``catalogue.run``), and each sub-package's ``sparql/*.rq`` (run as its code runs
it: values converted to RDF terms by their declared type, bound through ``queries.run``). A
file may also be a SPARQL Update (``is_update``), listed with the others, never run as an
example.
The example of a parameter is the word after ``e.g.`` in its description (``Param.example``);
``run_example`` gives each required parameter its example, and ``variants`` lists the optional
parameters and pieces to try one at a time. The tests (tests/queries/test_all_sparql.py), the
benchmark (benchmarks/queries.py) and a run on another engine share this list.
"""

import re
from pathlib import Path

from plenipot.queries.catalogue import catalogue, run
from plenipot.queries.header import NamedQuery, sparql_of
from plenipot.queries.params import convert
from plenipot.queries.run import construct, select
from plenipot.store.base import Store

PACKAGE = Path(__file__).resolve().parents[1]  # service/plenipot
_FORM = re.compile(r"^\s*(SELECT|CONSTRUCT|ASK|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD"
                   r"|MOVE|COPY|WITH)\b", re.I | re.M)
_UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                 "WITH")


def sparql_packages() -> list[str]:
    """The sub-packages with a ``sparql/`` folder, e.g. ``plenipot.web``."""
    folders = sorted(PACKAGE.glob("**/sparql"))
    return ["plenipot." + ".".join(f.parent.relative_to(PACKAGE).parts) for f in folders
            if any(f.glob("*.rq"))]


def every_query() -> dict[str, NamedQuery]:
    """Every .rq file, keyed by its path without ``.rq``: ``queries/NAME`` (the catalogue) or
    ``SUB/PACKAGE/sparql/NAME`` below service/plenipot."""
    found = {f"queries/{name}": query for name, query in catalogue().items()}
    for package in sparql_packages():
        short = package.removeprefix("plenipot.").replace(".", "/")
        found.update({f"{short}/sparql/{name}": query
                      for name, query in sparql_of(package).items()})
    return found


def is_catalogue(key: str) -> bool:
    return "/sparql/" not in key


def form(query: NamedQuery) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE, or the first keyword of an update (DELETE, INSERT,
    …): the first such keyword at the start of a line."""
    body = "\n".join(line for line in query.text.splitlines()
                     if not line.lstrip().startswith(("#", "PREFIX", "prefix")))
    match = _FORM.search(body)
    return match[1].upper() if match else "SELECT"


def is_update(query: NamedQuery) -> bool:
    """Whether the file is a SPARQL Update (``sources/sparql/drop-replaced-proposals.rq``): it
    changes the store, so it is parsed (``pyoxigraph.Store.update`` on an empty store) but never
    run as an example; its caller's tests check what it does."""
    return form(query) in _UPDATE_FORMS


def variants(query: NamedQuery) -> list[tuple[str, ...]]:
    """What to run a query with: nothing beyond its required parameters, then each optional
    parameter (its piece, if one is named like it, goes with it) and each other piece alone."""
    optional = [p.name for p in query.params if not p.required and p.example is not None]
    others = [name for name in query.pieces if name not in optional]
    return [(), *((name,) for name in [*optional, *others])]


def example_values(query: NamedQuery, extra: tuple[str, ...] = ()) -> dict[str, str]:
    """The example of every required parameter and of each parameter named in ``extra``."""
    values = {}
    for param in query.params:
        if param.required or param.name in extra:
            if param.example is None:
                raise ValueError(f"{query.path or query.name}: parameter {param.name!r} has no "
                                 "example ('e.g. VALUE' in its description)")
            values[param.name] = param.example
    return values


def run_example(store: Store, key: str, query: NamedQuery, extra: tuple[str, ...] = ()) -> int:
    """Run ``query`` with its examples, and the parameters and pieces named in ``extra``: how
    many rows or triples came back. An update is not run (``is_update``): it would change the
    store."""
    if is_update(query):
        raise ValueError(f"{query.path or query.name} is an update; examples are not run on it")
    values = example_values(query, extra)
    if is_catalogue(key):
        return len(run(query, values, store).rows)
    bindings = {name: convert(query.param(name), value, store) for name, value in values.items()}
    pieces = tuple(name for name in extra if name not in values)
    if form(query) in ("CONSTRUCT", "DESCRIBE"):
        return len(construct(store, query, bindings, pieces).triples)
    return len(select(store, query, bindings, pieces).rows)
