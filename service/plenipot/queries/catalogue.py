"""The public catalogue of named queries (``queries/*.rq``): looked up by name and run with
their parameters bound as RDF terms through ``Store.select(bindings=…)``, never pasted into the
text (docs/decisions/0004). The queries also project their parameters (written when Oxigraph's
substitutions were the binding mechanism, which needs that); ``run`` drops those columns.
"""

from functools import cache

from plenipot.errors import NotFound
from plenipot.queries.header import NamedQuery, load_catalogue
from plenipot.queries.params import bind
from plenipot.results import SelectResult
from plenipot.store.base import Store


@cache
def catalogue() -> dict[str, NamedQuery]:
    """The bundled catalogue, read once per process."""
    return load_catalogue()


def get_query(name: str, queries: dict[str, NamedQuery] | None = None) -> NamedQuery:
    queries = catalogue() if queries is None else queries
    try:
        return queries[name]
    except KeyError:
        raise NotFound(f"no named query {name!r}; known: {', '.join(sorted(queries))}") from None


def run(
    query: NamedQuery, values: dict[str, str], store: Store, limit: int | None = None
) -> SelectResult:
    """Run a named query with its parameters bound; the parameter columns are left out."""
    result = store.select(query.text, bindings=bind(query, values, store), limit=limit)
    hidden = {p.name for p in query.params}
    return SelectResult(
        [v for v in result.variables if v not in hidden],
        [{k: t for k, t in row.items() if k not in hidden} for row in result.rows],
        result.truncated,
    )
