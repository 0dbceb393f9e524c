"""The named queries (queries/*.rq) and their catalogue (plenipot.queries.catalogue).

Most answers are checked on the synthetic fixture tests/fixtures/valid/tracker-sample.ttl, whose
counts do not move when data/ grows; the bundled-data tests check the seed's facts.
"""

import re
import time
from pathlib import Path

import pytest
from rdflib import XSD, Literal, URIRef

from plenipot.errors import InputError, NotFound, ParameterError
from plenipot.namespaces import PREFIXES
from plenipot.queries.catalogue import catalogue, get_query, run
from plenipot.queries.header import TYPES, parse_query, parse_query_file
from plenipot.queries.params import bind, fold, search_labels, text_pattern
from plenipot.sources.bundled import bundled, graph_sources
from plenipot.store.embedded import EmbeddedStore

FIXTURE = Path(__file__).parents[1] / "fixtures" / "valid" / "tracker-sample.ttl"
ID = "https://w3id.org/plenipot/id/"
REQUIRED = {
    "resolutions-by-issue-area",
    "proposals-for-resolution",
    "proposals-by-submitter",
    "proposals-by-status",
    "proposals-by-topic",
    "issues-matrix",
    "resolution-history",
    "regional-alignment",
    "conference-overview",
    "election-results",
    "members-of",
    "stakeholder-positions",
    "late-contributions",
    "search",
}


@pytest.fixture(scope="module")
def store(store_kind, engines):
    opened = engines.store(store_kind, [FIXTURE])
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def bundled_store(store_kind, engines):
    opened = engines.store(store_kind, list(graph_sources()))
    yield opened
    opened.close()


def answer(store, name: str, **values: str) -> list[dict[str, str]]:
    result = run(get_query(name), values, store)
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


# --- the catalogue ---------------------------------------------------------------------------


def test_every_required_query_is_in_the_catalogue():
    assert set(catalogue()) >= REQUIRED


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_header_is_complete_and_types_are_known(name):
    query = catalogue()[name]
    assert query.title and query.description
    assert all(p.type in TYPES and p.description for p in query.params)


@pytest.mark.parametrize("path", sorted(bundled("queries").glob("*.rq")), ids=lambda p: p.stem)
def test_each_file_declares_its_prefixes_as_the_project_does(path):
    text = path.read_text(encoding="utf-8")
    declared = dict(re.findall(r"^PREFIX\s+([\w-]*):\s*<([^>]+)>", text, re.MULTILINE))
    assert declared, "a query carries its own PREFIX lines"
    for prefix, namespace in declared.items():
        assert PREFIXES[prefix] == namespace, prefix
    used = set(re.findall(r"(?<![\w?<#/])([a-z][\w-]*):[A-Za-z]", text.split("SELECT", 1)[1]))
    assert used <= set(declared), f"undeclared prefixes: {used - set(declared)}"


@pytest.mark.parametrize("path", sorted(bundled("queries").glob("*.rq")), ids=lambda p: p.stem)
def test_every_parameter_is_projected_so_it_can_be_bound(path):
    query = parse_query_file(path)
    select = query.text.split("WHERE", 1)[0]
    for param in query.params:
        assert f"?{param.name} " in select or f"?{param.name}\n" in select, param.name


def test_malformed_header_names_the_file_and_line(tmp_path):
    bad = tmp_path / "broken.rq"
    bad.write_text(
        "# title: Broken\n# description: x\n# param: number wibble required N\n"
        "SELECT * WHERE { ?s ?p ?o }\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"broken\.rq:3: .*unknown type 'wibble'"):
        parse_query_file(bad)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# description: no title\n", "no '# title:' line"),
        ("# title: A\n# title: B\n# description: d\n", "second 'title:'"),
        ("# title: A\n# description: d\n# param: n integer\n", "a param line is"),
        (
            "# title: A\n# description: d\n# param: n integer required x\n"
            "# param: n string optional y\n",
            "declared twice",
        ),
    ],
)
def test_header_errors(header, message):
    with pytest.raises(InputError, match=message):
        parse_query(header + "SELECT * WHERE { ?s ?p ?o }\n", "q", "q.rq")


def test_unknown_query_is_not_found():
    with pytest.raises(NotFound, match="no named query 'nope'"):
        get_query("nope")


# --- parameters ------------------------------------------------------------------------------


def test_parameters_become_rdf_terms(store):
    bindings = bind(get_query("proposals-for-resolution"), {"number": " 9901 "}, store)
    assert bindings == {"number": Literal(9901), "body": URIRef(ID + "conference-kind/pp")}
    assert bindings["number"].datatype == XSD.integer


def test_date_and_iri_parameters(store):
    query = parse_query(
        "# title: T\n# description: D\n"
        "# param: since date required From this date\n"
        "# param: page iri optional A page\n"
        "SELECT ?since ?page ?document WHERE { ?document <http://purl.org/dc/terms/date> ?d "
        "FILTER(?d > ?since) }\n",
        "dated",
    )
    bindings = bind(query, {"since": "2099-09-02", "page": "https://example.org/a?b=c"}, store)
    assert bindings["since"] == Literal("2099-09-02", datatype=XSD.date)
    assert bindings["page"] == URIRef("https://example.org/a?b=c")
    found = {str(r["document"]) for r in run(query, {"since": "2099-09-02"}, store).rows}
    assert ID + "document/test-99/2" in found
    assert ID + "document/test-99/1-add1" not in found
    for values, parameter in (
        ({"since": "2099-13-01"}, "since"),
        ({"since": "2099-01-01", "page": "ftp://x"}, "page"),
        ({"since": "2099-01-01", "page": "https://x/> } ; DROP ALL"}, "page"),
    ):
        with pytest.raises(ParameterError) as caught:
            bind(query, values, store)
        assert caught.value.parameter == parameter


def test_code_lists_take_keys_or_notations(store):
    status = bind(get_query("proposals-by-status"), {"status": "NOT-ADOPTED"}, store)
    assert status["status"] == URIRef(ID + "status/not-adopted")
    stance = bind(get_query("stakeholder-positions"), {"stance": "Oppose"}, store)
    assert stance["stance"] == URIRef(ID + "stance/oppose")


@pytest.mark.parametrize(
    ("name", "values", "parameter", "message"),
    [
        ("proposals-for-resolution", {}, "number", "is required"),
        ("proposals-for-resolution", {"number": "10two"}, "number", "expected an integer"),
        ("proposals-for-resolution", {"number": "1", "body": "parliament"}, "body", "code list"),
        ("proposals-by-status", {"status": "lost"}, "status", "expected one of"),
        ("proposals-by-submitter", {"submitter": "nobody-here"}, "submitter", "no organization"),
        ("issues-matrix", {"conference": "pp-1865"}, "conference", "no conference"),
        ("search", {"q": "   "}, "q", "is empty"),
        ("search", {"q": "x", "limit": "3"}, "limit", "no such parameter"),
    ],
)
def test_wrong_parameters_are_named(store, name, values, parameter, message):
    with pytest.raises(ParameterError, match=message) as caught:
        run(get_query(name), values, store)
    assert caught.value.parameter == parameter


def test_injection_attempt_returns_nothing_and_does_no_harm(store):
    before = store.triple_count()
    hostile = '9901" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    assert answer(store, "search", q=hostile) == []
    with pytest.raises(ParameterError):
        run(get_query("proposals-by-submitter"), {"submitter": 'x" } UNION { ?s ?p ?o'}, store)
    assert store.triple_count() == before
    assert len(answer(store, "proposals-for-resolution", number="9901")) == 2


def test_text_pattern_folds_case_and_accents():
    """The pattern is matched against LCASE(label), so it is lower case and accent-blind."""
    assert re.search(text_pattern("Telecomunicacion"), "república de telecomunicación")
    assert re.search(text_pattern("UNIÓN"), "union internacional")
    assert re.search(text_pattern("a.b"), "a.b") and not re.search(text_pattern("a.b"), "axb")
    assert fold("  Telecomunicación   Rómania ") == "telecomunicacion romania"


def test_text_pattern_matches_the_words_in_order_with_anything_between():
    """Folded once in Python, so the query's regular expression is a constant (a pattern
    computed per row in SPARQL made search take 6 s at 100k triples)."""
    assert re.search(text_pattern("Res 102"), "res. 102")
    assert re.search(text_pattern("internet  domain names"), "internet resources, domain names")
    assert not re.search(text_pattern("names domain"), "domain names")


def test_search_labels_uses_the_same_matching(store):
    hits = search_labels(store, "TELECOMUNICACIÓN")
    assert {iri for iri, _, _ in hits} == {ID + "country/xtb", ID + "resolution/pp/9901"}
    assert search_labels(store, "TRA/1A1/1")[0][0] == ID + "proposal/test-99/tra-1a1-1"


# --- each query on the fixture -----------------------------------------------------------------


def test_resolutions_by_issue_area(store):
    rows = answer(store, "resolutions-by-issue-area")
    assert {(r["areaLabel"], r["number"]) for r in rows} == {
        ("Cybersecurity", "9901"),
        ("Cybersecurity", "9902"),
        ("Role of Standardization and the ITU", "9901"),
    }
    only = answer(store, "resolutions-by-issue-area", area="standardization")
    assert [r["number"] for r in only] == ["9901"]


def test_proposals_for_resolution(store):
    rows = answer(store, "proposals-for-resolution", number="9901")
    assert [(r["identifier"], r["action"], r["submitters"], r["status"]) for r in rows] == [
        ("TRA/1A1/1", "MOD", "TEST-RTO-A", "adopted"),
        ("TRB/2/1", "MOD", "TEST-RTO-B", "not-adopted"),
    ]
    assert answer(store, "proposals-for-resolution", number="9901", body="wtsa") == []


def test_proposals_by_submitter_counts_joint_submissions(store):
    assert [r["identifier"] for r in answer(store, "proposals-by-submitter", submitter="XTB")] == [
        "XTA/3/1"
    ]
    rows = answer(store, "proposals-by-submitter", submitter="test-rto-a", conference="TEST-99")
    assert [r["identifier"] for r in rows] == ["TRA/1A1/1", "TRA/1A1/2"]


def test_proposals_by_status_and_topic(store):
    assert [r["identifier"] for r in answer(store, "proposals-by-status", status="submitted")] == [
        "TRB/2/2",
        "XTA/3/1",
    ]
    rows = answer(store, "proposals-by-topic", topic="internet-governance")
    assert {r["identifier"]: set(r["submitters"].split(";")) for r in rows} == {
        "TRA/1A1/2": {"TEST-RTO-A"},
        "XTA/3/1": {"XTA", "XTB"},
    }


def test_issues_matrix(store):
    rows = answer(store, "issues-matrix", conference="test-99")
    assert {(r["number"], r["organizationKey"], r["actions"]) for r in rows} == {
        ("9901", "TEST-RTO-A", "MOD"),
        ("9901", "TEST-RTO-B", "MOD"),
        ("9902", "TEST-RTO-A", "SUP"),
        ("9902", "TEST-RTO-B", "NOC"),
    }


def test_resolution_history(store):
    rows = answer(store, "resolution-history", number="9901")
    assert [(r["revisionLabel"], r["conferenceKey"]) for r in rows] == [
        ("Rev. Testville, 2095", "TEST-95"),
        ("Rev. Testopolis, 2099", "TEST-99"),
    ]
    assert rows[1]["previous"] == rows[0]["revision"]


def test_regional_alignment(store):
    rows = answer(store, "regional-alignment", conference="TEST-99")
    assert rows == [
        {
            "first": "TEST-RTO-A",
            "second": "TEST-RTO-B",
            "sharedResolutions": "2",
            "sameActions": "1",
            "resolutions": rows[0]["resolutions"],
        }
    ]
    assert set(rows[0]["resolutions"].split()) == {"9901", "9902"}


def test_conference_overview(store):
    rows = {r["key"]: r for r in answer(store, "conference-overview")}
    assert rows["TEST-99"]["contributions"] == "3"
    assert rows["TEST-99"]["proposals"] == "5"
    assert rows["TEST-99"]["elections"] == "1"
    assert "proposals" not in rows["TEST-95"]
    assert [r["key"] for r in answer(store, "conference-overview", conference="test-95")] == [
        "TEST-95"
    ]


def test_election_results(store):
    rows = answer(store, "election-results", conference="test-99", post="secretary-general")
    assert [(r["candidateName"], r["votes"], r["elected"]) for r in rows] == [
        ("Test Person One", "70", "true"),
        ("Test Person Two", "30", "false"),
    ]


def test_members_of_organization_and_region(store):
    rows = answer(store, "members-of", group="TEST-RTO-B")
    assert {r["iso3"]: r.get("membershipStatus") for r in rows} == {"XTB": None, "XTC": "suspended"}
    assert [r["iso3"] for r in answer(store, "members-of", group="B")] == ["XTB", "XTC"]
    assert [r["iso3"] for r in answer(store, "members-of", group="region-a")] == ["XTA"]


def test_stakeholder_positions(store):
    rows = answer(store, "stakeholder-positions", stance="oppose")
    assert [(r["holderKey"], r["aboutLabel"]) for r in rows] == [("TEST-STAKEHOLDER", "TRB/2/1")]
    assert answer(store, "stakeholder-positions", stance="support") == []


def test_late_contributions(store):
    rows = answer(store, "late-contributions")
    assert [(r["number"], r["date"], r["deadline"]) for r in rows] == [
        ("2", "2099-09-20", "2099-09-05")
    ]


def test_search_ignores_case_and_accents(store):
    found = {r["resource"] for r in answer(store, "search", q="TELECOMUNICACION")}
    assert found == {ID + "country/xtb", ID + "resolution/pp/9901"}
    assert {r["resource"] for r in answer(store, "search", q="república")} == {ID + "country/xtb"}


def test_row_cap_marks_the_answer_truncated(store):
    result = run(get_query("conference-overview"), {}, store, limit=1)
    assert len(result.rows) == 1 and result.truncated


# --- the bundled data (the seed's facts) -------------------------------------------------------


def test_resolutions_by_issue_area_reproduces_the_seed_table(bundled_store):
    rows = answer(bundled_store, "resolutions-by-issue-area")
    numbers = {int(r["number"]) for r in rows}
    seed = "2 70 101 102 122 123 130 133 135 137 139 140 146 174 175 178 179 180 181 186 196 197"
    assert numbers == {int(n) for n in (seed + " 198 200 201 203 204 205 206").split()}
    assert len({r["areaLabel"] for r in rows}) == 9
    internet = [r["number"] for r in rows if r["areaLabel"].startswith("Internet-related")]
    assert internet == ["101", "102", "133", "178", "180", "206"]
    # Resolution 178 sits in two areas, as in the seed
    assert sum(r["number"] == "178" for r in rows) == 2


def test_search_finds_accented_spanish_labels_in_the_bundled_data(bundled_store):
    rows = answer(bundled_store, "search", q="telecomunicacion")
    assert any("Telecomunicación" in r["label"] or "Telecomunicaciones" in r["label"] for r in rows)


def test_members_of_cept_in_the_bundled_data(bundled_store):
    iso3 = {r["iso3"] for r in answer(bundled_store, "members-of", group="CEPT")}
    assert {"ROU", "FRA", "DEU"} <= iso3
    assert "USA" not in iso3


# --- timing (DESIGN.md §10: OPTIONAL last, every query timed on a larger graph) ----------------


def _scaled_graph(path: Path, resolutions: int = 400, organizations: int = 6) -> Path:
    """A synthetic graph shaped like the domain (about 25k triples)."""
    lines = [
        "@prefix pp: <https://w3id.org/plenipot/def#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
    ]
    for o in range(organizations):
        lines.append(f"<{ID}org/test-o{o}> a pp:RegionalOrganization ; dcterms:identifier 'O{o}' .")
    for n in range(resolutions):
        res = f"{ID}resolution/pp/{9000 + n}"
        lines.append(
            f"<{res}> a pp:Resolution ; pp:number '{9000 + n}' ; pp:ownedBy "
            f"<{ID}conference-kind/pp> ; dcterms:title 'Test {n}'@en ; pp:issueArea "
            f"<{ID}issue-area/cybersecurity> ."
        )
        lines.append(
            f"<{res}/r> a pp:Revision ; pp:revisionOf <{res}> ; "
            f"pp:adoptedAt <{ID}conference/test-95> ."
        )
        for o in range(organizations):
            prop = f"{ID}proposal/test-99/o{o}-{n}"
            lines.append(
                f"<{prop}> a pp:Proposal ; dcterms:identifier 'O{o}/{n}/1' ; "
                f"pp:action <{ID}action/mod> ; pp:submittedBy <{ID}org/test-o{o}> ; "
                f"pp:target <{res}/r> ; pp:atConference <{ID}conference/test-99> ; "
                f"pp:status <{ID}status/submitted> ; pp:topic <{ID}topic/ipv6> ; "
                f"dcterms:title 'Proposal {o} {n}'@en ."
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


DEFAULTS = {
    "proposals-for-resolution": {"number": "9001"},
    "resolution-history": {"number": "9001"},
    "proposals-by-submitter": {"submitter": "test-o1"},
    "proposals-by-status": {"status": "submitted"},
    "proposals-by-topic": {"topic": "ipv6"},
    "issues-matrix": {"conference": "test-99"},
    "regional-alignment": {"conference": "test-99"},
    "election-results": {"conference": "test-99"},
    "members-of": {"group": "test-rto-a"},
    "search": {"q": "proposal 3 12"},
}


def test_every_query_is_fast_on_a_larger_graph(tmp_path):
    big = EmbeddedStore.open([FIXTURE, _scaled_graph(tmp_path / "scaled.ttl")])
    try:
        timings = {}
        for name, query in catalogue().items():
            started = time.perf_counter()
            run(query, DEFAULTS.get(name, {}), big)
            timings[name] = time.perf_counter() - started
        slow = {name: round(t, 2) for name, t in timings.items() if t > 5.0}
        assert not slow, f"queries slower than 5 s on ~25k triples: {slow}"
    finally:
        big.close()


def test_pieces_go_at_the_pieces_line_in_declared_order():
    text = """# title: t
# description: d
# piece: status  ?p pp:status ?status .
# piece: area    ?p pp:issueArea ?area .
SELECT ?p WHERE {
  ?p a pp:Proposal .
  # pieces
}"""
    query = parse_query(text, "t")
    assert query.text_with() == text
    assert "?p pp:status ?status .\n?p pp:issueArea ?area .\n}" in query.text_with("area", "status")
    assert query.text_with("status", limit=5, offset=10).endswith("}\nLIMIT 5 OFFSET 10")
    with pytest.raises(KeyError):
        query.text_with("nope")


def test_a_query_with_pieces_needs_one_pieces_line():
    with pytest.raises(InputError, match="'# pieces' line"):
        parse_query("# title: t\n# description: d\n# piece: a  ?s ?p ?o .\nSELECT * {}", "t")
