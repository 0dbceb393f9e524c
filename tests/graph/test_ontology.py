"""The ontology and its code lists: they parse, every term is declared and documented, the code
lists match the vocabulary decision (docs/decisions/0002-vocabulary.md), and every prefix in the
graph sources agrees with the one prefix table (plenipot.namespaces.PREFIXES).

The checks run on whatever ontology/, data/, shapes/, queries/ and tests/fixtures/ hold, so they
keep working as those folders fill up.
"""

import re
from collections.abc import Iterator
from functools import cache
from importlib.metadata import version
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, SH, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from plenipot.namespaces import PP, PREFIXES
from plenipot.sources.bundled import bundled
from plenipot.sources.rdf import RDF_SUFFIXES, rdf_format

ID = Namespace("https://w3id.org/plenipot/id/")
DCTERMS = Namespace(PREFIXES["dcterms"])
VANN = Namespace(PREFIXES["vann"])
ONTOLOGY_IRI = URIRef("https://w3id.org/plenipot/def")
SEED = URIRef("https://www.internetsociety.org/events/un/plenipot-2022")

ONTOLOGY_FILES = ("plenipot.ttl", "codelists.ttl")
GRAPH_KINDS = ("ontology", "data", "shapes")  # Turtle sources
SOURCE_KINDS = (*GRAPH_KINDS, "queries")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)

# The code lists of docs/decisions/0002-vocabulary.md: scheme -> (concept class, keys).
# Topics are open ("e.g."): the listed keys must exist, others may be added.
CODE_LISTS: dict[str, tuple[URIRef, set[str]]] = {
    "action": (PP.Action, {"add", "mod", "sup", "noc"}),
    "status": (
        PP.Status,
        {
            "submitted",
            "under-consideration",
            "adopted",
            "adopted-with-modifications",
            "merged",
            "not-adopted",
            "withdrawn",
        },
    ),
    "conference-kind": (
        PP.ConferenceKind,
        {"pp", "wtsa", "wtdc", "ra", "wrc", "wcit", "wtpf", "council"},
    ),
    "issue-area": (
        PP.IssueArea,
        {
            "internet-public-policy",
            "cybersecurity",
            "child-online-protection",
            "wsis-digital-economy-sdgs",
            "standardization",
            "digital-inclusion",
            "access-infrastructure",
            "emerging-technologies",
            "itrs-wtpf",
        },
    ),
    "topic": (
        PP.Topic,
        {
            "cybersecurity",
            "digital-cooperation",
            "internet-governance",
            "artificial-intelligence",
            "pandemics",
            "digital-transformation",
            "internet-of-things",
            "ip-addressing",
            "ott",
            "open-access-networks",
            "itrs",
            "industry-participation",
            "virtual-participation",
            "ipv6",
            "internationalized-domain-names",
        },
    ),
    "stance": (PP.Stance, {"support", "oppose", "concern", "monitor"}),
    "post": (
        PP.ElectedPost,
        {
            "secretary-general",
            "deputy-secretary-general",
            "director-tsb",
            "director-bdt",
            "director-br",
            "council-member",
            "rrb-member",
        },
    ),
    "region": (PP.AdministrativeRegion, {"a", "b", "c", "d", "e"}),
    "membership-status": (PP.MembershipStatus, {"active", "suspended"}),
}
OPEN_SCHEMES = {"topic"}

# Every pp: class and property named in docs/decisions/0002-vocabulary.md.
_CLASS_NAMES = """
    Conference Organization ITUUnit Sector Bureau GeneralSecretariat GoverningBody AdvisoryGroup
    RegionalOrganization MemberState AdministrativeRegion Person Election Candidacy ElectionRound
    VoteCount LegalInstrument BasicInstrument AdministrativeRegulations Article Resolution
    Decision Revision DraftResolution Contribution Proposal StatusChange Position Membership
    Action Status ConferenceKind IssueArea Topic Stance ElectedPost MembershipStatus
"""
_PROPERTY_NAMES = """
    conferenceKind hostCountry convenedBy contributionDeadline commonProposalName proposalPrefix
    sectorMemberOf membershipStatus since until iso2 administrativeRegion ituMemberSince
    atConference forPost forRegion seats hasCandidacy candidate nominatedBy elected termStart
    termEnd hasRound roundNumber votesCast hasCount forCandidacy votes nationality number ownedBy
    issueArea topic hasRevision revisionOf adoptedAt revisionLabel previousRevision
    latestRevision articleNumber documentNumber addendum documentRevision submittedBy action
    target inDocument status statusChange resultingRevision holder stance about rationale
"""
VOCABULARY_CLASSES = _CLASS_NAMES.split()
VOCABULARY_PROPERTIES = _PROPERTY_NAMES.split()


# --------------------------------------------------------------------------------------------
# Reading the sources
# --------------------------------------------------------------------------------------------


def rdf_files(kind: str) -> list[Path]:
    """The RDF files of one bundled kind (possibly none yet)."""
    return sorted(p for p in bundled(kind).rglob("*") if p.suffix.lower() in RDF_SUFFIXES)


def query_files() -> list[Path]:
    return sorted(bundled("queries").rglob("*.rq"))


@cache
def parsed(path: Path) -> Graph:
    """One source file parsed with rdflib; a syntax error fails the test, naming the file."""
    try:
        return Graph().parse(path, format=rdf_format(path))
    except Exception as exc:  # rdflib raises several types; all mean "does not parse"
        pytest.fail(f"{path}: does not parse with rdflib: {exc}")


@cache
def ontology() -> Graph:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph += parsed(bundled("ontology") / name)
    return graph


def declared(graph: Graph, types: tuple[URIRef, ...]) -> set[URIRef]:
    """The pp: terms declared with one of ``types``."""
    return {
        s
        for t in types
        for s in graph.subjects(RDF.type, t)
        if isinstance(s, URIRef) and s.startswith(PP)
    }


def all_declared() -> set[URIRef]:
    return declared(ontology(), CLASS_TYPES + PROPERTY_TYPES)


def strip_comments(text: str) -> str:
    """SPARQL/Turtle text without ``#`` comments (a ``#`` inside an IRI is kept)."""
    return re.sub(r"(?m)(^|\s)#.*$", r"\1", text)


PP_NAME = re.compile(r"(?<![\w-])pp:((?:[A-Za-z_][\w-]*(?:\.[\w-]+)*)?)")
PP_IRI = re.compile(r"<" + re.escape(str(PP)) + r"([^>]*)>")


def terms_in_sparql(text: str) -> set[URIRef]:
    """The pp: terms a SPARQL text mentions, prefixed or as full IRIs."""
    body = strip_comments(text)
    names = PP_NAME.findall(body) + PP_IRI.findall(body)
    return {PP[name] for name in names if name}  # "pp:" alone is the PREFIX line


def terms_in_graph(graph: Graph) -> set[URIRef]:
    """The pp: terms a graph mentions: in any triple, and in SPARQL-based constraints."""
    terms = {n for triple in graph for n in triple if isinstance(n, URIRef) and n.startswith(PP)}
    for predicate in (SH.select, SH.ask, SH.construct):
        for text in graph.objects(None, predicate):
            terms |= terms_in_sparql(str(text))
    return terms


def short(term: URIRef) -> str:
    return f"pp:{term.removeprefix(str(PP))}"


def where(path: Path) -> str:
    """A path as the reader knows it: relative to the repository when possible."""
    root = bundled("ontology").parent
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------------------------
# (a) Both files parse, with rdflib and with pyoxigraph
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ONTOLOGY_FILES)
def test_ontology_file_parses_with_rdflib(name: str) -> None:
    graph = parsed(bundled("ontology") / name)
    assert len(graph) > 0, f"ontology/{name} is empty"


@pytest.mark.parametrize("name", ONTOLOGY_FILES)
def test_ontology_file_parses_with_pyoxigraph(name: str) -> None:
    path = bundled("ontology") / name
    try:
        triples = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    except SyntaxError as exc:
        pytest.fail(f"ontology/{name} does not parse with pyoxigraph: {exc}")
    assert len(triples) == len(parsed(path)), (
        f"ontology/{name}: pyoxigraph reads {len(triples)} triples, rdflib {len(parsed(path))}"
    )


def test_ontology_header() -> None:
    graph = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph, f"no owl:Ontology <{ONTOLOGY_IRI}>"
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.source):
        assert graph.value(ONTOLOGY_IRI, prop) is not None, f"the ontology header lacks {prop}"
    assert graph.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("pp")
    assert graph.value(ONTOLOGY_IRI, VANN.preferredNamespaceUri) == Literal(str(PP))
    assert (ONTOLOGY_IRI, DCTERMS.source, SEED) in graph, "the ontology must cite the seed paper"
    assert str(graph.value(ONTOLOGY_IRI, OWL.versionInfo)) == version("plenipot"), (
        "owl:versionInfo of ontology/plenipot.ttl differs from the package version in "
        "pyproject.toml: bump them together"
    )


# --------------------------------------------------------------------------------------------
# (b) Every term declared and documented; every term used is declared
# --------------------------------------------------------------------------------------------


def test_every_term_of_the_vocabulary_decision_is_declared() -> None:
    classes = declared(ontology(), CLASS_TYPES)
    properties = declared(ontology(), PROPERTY_TYPES)
    missing = [f"pp:{c} (class)" for c in VOCABULARY_CLASSES if PP[c] not in classes]
    missing += [f"pp:{p} (property)" for p in VOCABULARY_PROPERTIES if PP[p] not in properties]
    assert not missing, (
        "terms of docs/decisions/0002-vocabulary.md not declared in ontology/plenipot.ttl: "
        + ", ".join(missing)
    )


def test_every_declared_term_has_an_english_label_and_comment() -> None:
    graph = ontology()
    problems = []
    for term in sorted(all_declared()):
        for prop in (RDFS.label, RDFS.comment):
            english = [o for o in graph.objects(term, prop) if getattr(o, "language", None) == "en"]
            if not english:
                problems.append(f"{short(term)} has no {prop.n3(graph.namespace_manager)}@en")
    assert not problems, "ontology/plenipot.ttl: " + "; ".join(problems)


def test_class_and_property_names_do_not_collide() -> None:
    both = declared(ontology(), CLASS_TYPES) & declared(ontology(), PROPERTY_TYPES)
    assert not both, f"declared both as class and property: {sorted(both)}"


@pytest.mark.parametrize("kind", GRAPH_KINDS)
def test_every_pp_term_used_in_turtle_is_declared(kind: str) -> None:
    known = all_declared()
    problems = [
        f"{where(path)}: {short(term)}"
        for path in rdf_files(kind)
        for term in sorted(terms_in_graph(parsed(path)) - known)
    ]
    assert not problems, (
        "pp: terms used but not declared in ontology/plenipot.ttl (a typo, or a term to add "
        "there and to docs/decisions/0002-vocabulary.md): " + ", ".join(problems)
    )


def test_every_pp_term_used_in_queries_is_declared() -> None:
    known = all_declared()
    problems = [
        f"{where(path)}: {short(term)}"
        for path in query_files()
        for term in sorted(terms_in_sparql(path.read_text(encoding="utf-8")) - known)
    ]
    assert not problems, "pp: terms used in queries but not declared: " + ", ".join(problems)


def class_uses(graph: Graph) -> Iterator[Node]:
    """Nodes a graph uses as classes: rdf:type objects, sh:targetClass and sh:class values."""
    yield from graph.objects(None, RDF.type)
    yield from graph.objects(None, SH.targetClass)
    yield from graph.objects(None, SH["class"])


def property_uses(graph: Graph) -> Iterator[Node]:
    """Nodes a graph uses as properties: predicates and direct sh:path values."""
    yield from graph.predicates()
    yield from graph.objects(None, SH.path)


@pytest.mark.parametrize("kind", GRAPH_KINDS)
def test_pp_classes_and_properties_are_used_as_such(kind: str) -> None:
    classes = declared(ontology(), CLASS_TYPES)
    properties = declared(ontology(), PROPERTY_TYPES)
    problems = []
    for path in rdf_files(kind):
        graph = parsed(path)
        for node in set(class_uses(graph)):
            if isinstance(node, URIRef) and node in properties:
                problems.append(f"{where(path)}: property {short(node)} used as a class")
        for node in set(property_uses(graph)):
            if isinstance(node, URIRef) and node in classes:
                problems.append(f"{where(path)}: class {short(node)} used as a property")
    assert not problems, "; ".join(problems)


# --------------------------------------------------------------------------------------------
# (c) Code lists
# --------------------------------------------------------------------------------------------


def concept_graph() -> Graph:
    """The ontology with the data: concepts may be defined anywhere."""
    graph = Graph()
    graph += ontology()
    for path in rdf_files("data"):
        graph += parsed(path)
    return graph


def concepts(graph: Graph) -> set[Node]:
    typed = set(graph.subjects(RDF.type, SKOS.Concept))
    for concept_class, _ in CODE_LISTS.values():
        typed |= set(graph.subjects(RDF.type, concept_class))
    return typed


def test_concept_classes_are_skos_concepts() -> None:
    graph = ontology()
    for concept_class, _ in CODE_LISTS.values():
        assert (concept_class, RDFS.subClassOf, SKOS.Concept) in graph, (
            f"ontology/plenipot.ttl: {concept_class} must be rdfs:subClassOf skos:Concept"
        )


def test_every_concept_has_label_notation_and_one_scheme() -> None:
    graph = concept_graph()
    problems = []
    for concept in sorted(concepts(graph)):
        labels = [o for o in graph.objects(concept, SKOS.prefLabel) if o.language == "en"]
        if len(labels) != 1:
            problems.append(f"<{concept}> has {len(labels)} English skos:prefLabel (needs 1)")
        if graph.value(concept, SKOS.notation) is None:
            problems.append(f"<{concept}> has no skos:notation")
        schemes = list(graph.objects(concept, SKOS.inScheme))
        if len(schemes) != 1:
            problems.append(f"<{concept}> has {len(schemes)} skos:inScheme (needs exactly 1)")
        elif not str(concept).startswith(f"{schemes[0]}/"):
            problems.append(f"<{concept}> is not under its scheme's IRI <{schemes[0]}>/")
    assert not problems, "; ".join(problems)


def test_every_scheme_has_a_top_concept() -> None:
    graph = concept_graph()
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert schemes, "no skos:ConceptScheme in ontology/codelists.ttl"
    for scheme in sorted(schemes):
        tops = set(graph.subjects(SKOS.topConceptOf, scheme))
        tops |= set(graph.objects(scheme, SKOS.hasTopConcept))
        assert tops, f"concept scheme <{scheme}> has no top concept"
        assert graph.value(scheme, SKOS.prefLabel) is not None, f"<{scheme}> has no prefLabel"


@pytest.mark.parametrize("scheme", sorted(CODE_LISTS))
def test_code_list_matches_the_vocabulary_decision(scheme: str) -> None:
    graph = concept_graph()
    concept_class, expected = CODE_LISTS[scheme]
    scheme_iri = ID[scheme]
    assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in graph, f"no concept scheme <{scheme_iri}>"
    members = set(graph.subjects(SKOS.inScheme, scheme_iri))
    keys = {str(m).removeprefix(f"{scheme_iri}/") for m in members}
    missing = expected - keys
    assert not missing, f"scheme {scheme}: missing keys {sorted(missing)}"
    if scheme not in OPEN_SCHEMES:
        extra = keys - expected
        assert not extra, f"scheme {scheme}: keys not in docs/decisions/0002: {sorted(extra)}"
    for member in members:
        assert (member, RDF.type, concept_class) in graph, f"<{member}> is not a {concept_class}"
        assert (member, RDF.type, SKOS.Concept) in graph, f"<{member}> is not a skos:Concept"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(member).rsplit("/", 1)[1]), (
            f"<{member}>: keys are lower-case-hyphen"
        )
    notations = [str(graph.value(m, SKOS.notation)) for m in members]
    assert len(notations) == len(set(notations)), f"scheme {scheme}: duplicate skos:notation"


CONCEPT_IRI = re.compile(
    r"<(" + re.escape(str(ID)) + r"(?:" + "|".join(map(re.escape, CODE_LISTS)) + r")/[^>]+)>"
)


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_every_code_list_concept_used_exists(kind: str) -> None:
    """A typo in a concept IRI (status/adopted-with-modification) is caught here, not in a query."""
    known = concepts(concept_graph())
    schemes = tuple(f"{ID[scheme]}/" for scheme in CODE_LISTS)
    problems = []
    for path in rdf_files(kind) if kind != "queries" else query_files():
        if path.suffix == ".rq":
            used = {URIRef(iri) for iri in CONCEPT_IRI.findall(strip_comments(path.read_text()))}
        else:
            used = {n for t in parsed(path) for n in t if isinstance(n, URIRef)}
        problems += [
            f"{where(path)}: <{iri}>"
            for iri in sorted(used)
            if iri.startswith(schemes) and iri not in known
        ]
    assert not problems, "code-list concepts not in ontology/codelists.ttl: " + ", ".join(problems)


def test_issue_areas_and_topics_cite_the_seed() -> None:
    graph = ontology()
    for scheme in ("issue-area", "topic"):
        assert (ID[scheme], DCTERMS.source, SEED) in graph, f"<{ID[scheme]}> must cite the seed"


def test_action_notations_are_itu_marks() -> None:
    graph = ontology()
    keys = CODE_LISTS["action"][1]
    marks = {str(graph.value(ID[f"action/{key}"], SKOS.notation)) for key in keys}
    assert marks == {"ADD", "MOD", "SUP", "NOC"}


# --------------------------------------------------------------------------------------------
# (d) One prefix table
# --------------------------------------------------------------------------------------------

PREFIX_LINE = re.compile(
    r"(?m)^[ \t]*(?:@prefix|(?i:prefix))[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^>]*)>"
)


def prefix_sources() -> list[Path]:
    files: list[Path] = []
    for kind in SOURCE_KINDS:
        files += bundled(kind).rglob("*")
    if FIXTURES.is_dir():  # not the hostile corpus: its files are broken on purpose
        files += (p for p in FIXTURES.rglob("*") if "hostile" not in p.relative_to(FIXTURES).parts)
    return sorted(p for p in files if p.suffix.lower() in {".ttl", ".trig", ".rq"})


def prefix_problem(prefix: str, namespace: str) -> str | None:
    """What is wrong with one declared prefix, or None if it agrees with PREFIXES."""
    if prefix not in PREFIXES:
        owner = next((p for p, ns in PREFIXES.items() if ns == namespace), None)
        hint = f" (that namespace is {owner}: in the table)" if owner else ""
        return f"prefix {prefix}: <{namespace}> is not in plenipot.namespaces.PREFIXES{hint}"
    if PREFIXES[prefix] != namespace:
        return f"prefix {prefix}: is <{namespace}> here but <{PREFIXES[prefix]}> in PREFIXES"
    return None


def declared_prefixes(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line, prefix, namespace) for each PREFIX / @prefix line, and each sh:declare."""
    text = path.read_text(encoding="utf-8")
    for match in PREFIX_LINE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        yield line, match.group(1) or "", match.group(2)
    if path.suffix == ".ttl" and "sh:declare" in text and path.is_relative_to(bundled("shapes")):
        graph = parsed(path)
        for declaration in graph.objects(None, SH.declare):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                yield 0, str(prefix), str(namespace)


def test_the_prefix_table_has_the_vocabulary_prefixes() -> None:
    expected = {
        "pp": "https://w3id.org/plenipot/def#",
        "ppid": "https://w3id.org/plenipot/id/",
        "eli-dl": "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
        "opengov": "http://www.w3.org/ns/opengov#",
        "schema": "https://schema.org/",
    }
    for prefix, namespace in expected.items():
        assert PREFIXES.get(prefix) == namespace, f"PREFIXES[{prefix!r}] should be <{namespace}>"


def test_every_declared_prefix_agrees_with_the_table() -> None:
    problems = []
    for path in prefix_sources():
        for line, prefix, namespace in declared_prefixes(path):
            problem = prefix_problem(prefix, namespace)
            if problem:
                location = f"{where(path)}:{line}" if line else f"{where(path)} (sh:declare)"
                problems.append(f"{location}: {problem}")
    assert not problems, "prefixes disagree with the one table:\n" + "\n".join(problems)


def test_the_ontology_files_declare_prefixes() -> None:
    for name in ONTOLOGY_FILES:
        found = {prefix for _, prefix, _ in declared_prefixes(bundled("ontology") / name)}
        assert "pp" in found, f"ontology/{name} declares no pp: prefix"
