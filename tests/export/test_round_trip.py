"""Counts agree between networkx and RDF; hostile names stay intact and distinct in every format;
the Turtle export is pyoxigraph's text of its triples, in kg's order, whatever the strings."""

import tempfile
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.export.formats import export_rdf
from kg.export.rdf import RDF, ntriples, to_triples, to_turtle, write_turtle
from kg.export.files import write_atomic
from kg.export.scopes import export_keys
from kg.graph import read_graph_json
from kg.models import Digest, Entity, Evidence, Item, ItemMentions, KnowledgeGraph, Relation
from kg.pipeline import SAMPLE_CORPUS, build_graph
from kg.resolve.resolver import _entity_id
from kg.views.style import CO_MENTION

KG = "https://w3id.org/ai-digest-kg/ontology#"
TYPES = ("Organization", "Model", "Paper", "Benchmark", "Technique")
RELATIONS = ("developedBy", "affiliatedWith", "evaluatedOn", "proposes", "uses", "variantOf")


def test_entity_relation_and_co_mention_counts_agree_between_networkx_and_rdf(sample_export):
    g = read_graph_json((sample_export / "graph.json").read_bytes())
    nx_types = Counter(d["type"] for _, d in g.nodes(data=True) if d.get("kind") == "entity")
    nx_relations = Counter(d["type"] for _, _, d in g.edges(data=True) if d.get("type") in RELATIONS)
    nx_relations["coMentionedWith"] = sum(1 for _, _, d in g.edges(data=True) if d.get("type") == CO_MENTION)
    nx_types["CoMention"] = nx_relations["coMentionedWith"]
    assert nx_relations["coMentionedWith"] > 0
    store = ox.Store()
    store.load(path=str(sample_export / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    for t in (*TYPES, "CoMention"):
        n = next(iter(store.query(f"SELECT (COUNT(?e) AS ?n) WHERE {{ ?e a <{KG}{t}> }}")))["n"].value
        assert int(n) == nx_types[t], t
    for r in (*RELATIONS, "coMentionedWith"):
        n = next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{KG}{r}> ?o }}")))["n"].value
        assert int(n) == nx_relations[r], r


HOSTILE = [
    'He said "hi"',
    "back\\slash\\",
    "line\nbreak\r\nand\ttab",
    "ctrl\x01\x07\x1f",
    "emoji 🤖🧠",
    "中文名称：字节跳动",
    "<script>alert(1)</script>",
    "A/B",
    "A%2FB",
    "a b",
    "a%20b",
    "#hash?query&x=1",
    "é",  # composed
    "é",  # decomposed: a different string, a different entity
    "'quote' `tick`",
]


def hostile_graph() -> KnowledgeGraph:
    item = Item(id="d/1", index=1, title='title "with" \\ quotes', text="t", line=1)
    digest = Digest("d", "d.md", "d.md", "标题 \"x\"", "2026-03-01", "utf-8", "test", (item,), "0" * 64)
    entities, taken = [], {}
    for n, name in enumerate(HOSTILE):
        eid = _entity_id("Technique", name, taken)
        taken[eid] = None
        entities.append(Entity(eid, "Technique", name, aliases=(name + " alias", "别名🤖"), mention_count=1))
    model = Entity(_entity_id("Model", 'M"odel\\1', {}), "Model", 'M"odel\\1', mention_count=1)
    evidence = Evidence('sentence with "quotes", \\, 🤖 and\nnewline', "d/1", "d", "d.md", "2026-03-01")
    relation = Relation("uses", model.id, entities[0].id, (evidence,))
    mentioned = sorted(e.id for e in [*entities, model])
    mentions = ItemMentions("d/1", tuple(mentioned), tuple((name,) for name in mentioned), (1,) * len(mentioned))
    return KnowledgeGraph((digest,), tuple(sorted([*entities, model], key=lambda e: e.id)), (relation,), (), (mentions,))


@pytest.fixture(scope="module")
def hostile_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    write_atomic(out / "graph.ttl", to_turtle(hostile_graph()))
    export_rdf(out, ["nt", "jsonld", "trig", "nq"])
    return out


@pytest.mark.parametrize(
    "name, fmt", [("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld"), ("graph.trig", "trig"), ("graph.nq", "nquads")]
)
def test_hostile_literals_round_trip_unchanged_in_every_format(hostile_export, name, fmt):
    parsed = rdflib.Dataset()
    parsed.parse(hostile_export / name, format=fmt)
    literals = {str(o) for _, _, o, _ in parsed.quads((None, None, None, None)) if isinstance(o, rdflib.Literal)}
    for value in HOSTILE:
        assert value in literals, repr(value)
        assert value + " alias" in literals
    assert 'sentence with "quotes", \\, 🤖 and\nnewline' in literals
    assert 'title "with" \\ quotes' in literals


def test_hostile_names_give_valid_distinct_iris(hostile_export):
    graph = rdflib.Graph().parse(hostile_export / "graph.ttl")
    iris = {str(s) for s, o in graph.subject_objects(rdflib.RDF.type) if str(o) == KG + "Technique"}
    assert len(iris) == len(HOSTILE)
    for iri in iris:
        assert not any(ch in iri for ch in ' <>"{}|\\^`\n')


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=2, max_size=8, unique=True))
def test_distinct_names_never_share_an_iri(names):
    taken = {}
    for name in names:
        taken[_entity_id("Model", name, taken)] = name
    assert len(taken) == len(names)
    for iri in taken:
        ox.NamedNode("https://w3id.org/ai-digest-kg/id/" + iri)  # raises on an invalid IRI


def graph_with(text: str, other: str) -> KnowledgeGraph:
    """A small graph with ``text`` and ``other`` in every kind of literal, duplicates included."""
    item = Item(id="d/1", index=1, title=text, text=text, line=1, links=(other, text, other), tags=(text, other, text))
    digest = Digest("d", "d.md", "d.md", other, "2026-03-01", "utf-8", "test", (item,), "0" * 64)
    model = Entity("model/m", "Model", text, aliases=(other, text), wikidata="Q42", mention_count=2, first_seen=other, implied=True)
    org = Entity("organization/o", "Organization", other, aliases=(text,), mention_count=1)
    evidence = (
        Evidence(text, "d/1", "d", "d.md", other),
        Evidence(other, "d/1", "d", "d.md", None),
        Evidence(text, "d/1", "d", "d.md", other),  # the same evidence twice: one set of triples
    )
    relation = Relation("developedBy", model.id, org.id, evidence, score=text, metric=other)
    mentions = ItemMentions("d/1", (model.id, org.id), ((text,), (other,)), (2, 1))
    return KnowledgeGraph((digest,), (model, org), (relation,), (), (mentions,))


def assert_turtle_is_pyoxigraphs(kg: KnowledgeGraph) -> None:
    """write_turtle writes each subject's block itself; the bytes are pyoxigraph's Turtle of the
    same triples (to_turtle), prefixes, escapes, bare numbers and all."""
    assert export_keys(kg) is not None  # a graph cut into scopes: written block by block, not by pyoxigraph
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "graph.ttl"
        write_turtle(kg, path)
        assert path.read_bytes() == to_turtle(kg)


def assert_written_in_order(kg: KnowledgeGraph) -> None:
    """ntriples(kg) is pyoxigraph's N-Triples of its triples; each subject's triples come
    rdf:type first, then by predicate IRI, then by the object as written, none twice."""
    triples = to_triples(kg)
    assert "".join(ntriples(kg)).encode() == ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    keys: dict[str, list] = {}
    for t in triples:
        keys.setdefault(t.subject.value, []).append((t.predicate.value != RDF + "type", t.predicate.value, str(t.object)))
    assert list(keys) == sorted(keys)
    for subject_keys in keys.values():
        assert subject_keys == sorted(set(subject_keys))


def test_sample_and_hostile_graphs_are_written_in_order():
    assert_written_in_order(build_graph([SAMPLE_CORPUS]).graph)
    assert_written_in_order(hostile_graph())


def test_the_turtle_of_the_sample_and_hostile_graphs_is_pyoxigraphs():
    assert_turtle_is_pyoxigraphs(build_graph([SAMPLE_CORPUS]).graph)
    assert_turtle_is_pyoxigraphs(hostile_graph())


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=20), st.text(max_size=20))
def test_any_text_is_written_in_order_and_read_back_unchanged(text, other):
    kg = graph_with(text, other)
    assert_written_in_order(kg)
    assert_turtle_is_pyoxigraphs(kg)
    literals = {t.object.value for t in to_triples(kg) if isinstance(t.object, ox.Literal)}
    assert {text, other} - {""} <= literals


def test_an_id_that_is_not_an_iri_is_refused():
    kg = graph_with("a", "b")
    bad = Entity("model/not an iri", "Model", "x", mention_count=1)
    with pytest.raises(ValueError):
        to_turtle(KnowledgeGraph(kg.digests, (*kg.entities, bad), kg.relations, (), kg.item_mentions))
