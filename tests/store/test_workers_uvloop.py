"""The query workers under uvloop, the event loop ``plenipot serve`` runs (uvicorn[standard]):
answers larger than one pipe read come back whole, and the worker stays usable."""

import pytest
import uvloop

from plenipot.sources.bundled import graph_sources
from plenipot.store.workers import WorkerPool


@pytest.fixture(scope="module")
def pool():
    pool = WorkerPool.open(graph_sources(), size=1, timeout=20)
    yield pool
    pool.close()


def test_large_answers_under_uvloop_come_back_whole(pool):
    """Each answer is bigger than the socket buffer, so the worker is still writing when the
    event loop sees the first bytes (the way ``plenipot serve`` failed with 502s)."""
    query = "CONSTRUCT WHERE { ?s ?p ?o }"

    async def repeated():
        bodies = []
        for n in range(12):  # a different text each time: no answer from the cache
            answer = await pool.answer_async(query + " " * n, results_type=None,
                                             graph_type="application/n-triples")
            bodies.append(answer.body)
        return bodies

    bodies = uvloop.run(repeated())
    assert len(bodies[0]) > 512 * 1024, "the answer must be larger than the socket buffer"
    assert all(body == bodies[0] for body in bodies)
    assert len(pool.processes()) == 1  # no worker was lost on the way
