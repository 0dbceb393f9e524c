"""A query that runs too long, on the real server: stopped at the time limit with a 503 (never a
502), the server answering others meanwhile, and the next query answered by a fresh worker."""

import threading
import time

import pytest

pytestmark = pytest.mark.slow

# ten unconnected patterns: a cross product no engine finishes in the time limit
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
        "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x . ?y ?z ?z1 . ?y1 ?y2 ?y3 }")


def test_a_query_timeout_is_a_503_not_a_502_under_uvloop(http):
    """b097524 made the pipe blocking again in a ``finally`` that ran after the timed-out
    worker's pipe had been closed: the EBADF turned every timeout into a 502 "the query worker
    stopped" (unless a new pipe happened to take the same descriptor number first)."""
    outcome: dict = {}

    def slow() -> None:
        outcome["response"] = http.get("/sparql", params={"query": SLOW},
                                       headers={"Accept": "application/sparql-results+json"})

    thread = threading.Thread(target=slow)
    thread.start()
    answered_meanwhile = 0
    while thread.is_alive():
        assert http.get("/health").status_code == 200
        answered_meanwhile += 1
        time.sleep(0.5)
    thread.join()
    response = outcome["response"]
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "QueryTimeout"
    assert answered_meanwhile >= 3
    again = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert again.status_code == 200 and again.json()["boolean"] is True
