"""Every RDF format re-parses to the Turtle graph; datasets hold one named graph per digest."""

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.errors import KGError
from kg.export.formats import ENTITIES_GRAPH, export_rdf


@pytest.fixture(scope="module")
def exported(sample_export, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("formats")
    shutil.copy(sample_export / "graph.ttl", out / "graph.ttl")
    export_rdf(out, ["nt", "jsonld", "trig", "nq"])
    return out


@pytest.fixture(scope="module")
def turtle(exported) -> rdflib.Graph:
    return rdflib.Graph().parse(exported / "graph.ttl", format="turtle")


@pytest.mark.parametrize("name, fmt", [("graph.nt", "nt"), ("graph.jsonld", "json-ld")])
def test_triple_formats_reparse_isomorphic(exported, turtle, name, fmt):
    other = rdflib.Graph().parse(exported / name, format=fmt)
    assert len(other) == len(turtle)
    assert isomorphic(other, turtle)


@pytest.mark.parametrize("name, fmt", [("graph.trig", "trig"), ("graph.nq", "nquads")])
def test_dataset_formats_union_to_the_turtle_graph(exported, turtle, name, fmt):
    dataset = rdflib.Dataset()
    dataset.parse(exported / name, format=fmt)
    union = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, turtle)


def test_one_named_graph_per_digest_and_dropping_one_removes_its_statements(exported):
    store = ox.Store()
    store.load(path=str(exported / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    graphs = {g.value for g in store.named_graphs()}
    digest_files = [p.name for p in (Path(__file__).parents[2] / "kg" / "sample_corpus").iterdir()]
    assert ENTITIES_GRAPH.value in graphs
    assert len(graphs) == len(digest_files) + 1
    target = next(g for g in graphs if g.endswith("/2026-w06.md"))  # digest ids are lower-case slugs
    ask = """ASK { GRAPH <%s> { ?ev <https://w3id.org/ai-digest-kg/ontology#sentence> ?s } }""" % target
    assert store.query(ask)
    store.clear_graph(ox.NamedNode(target))
    assert not store.query(ask)
    remaining = store.query(
        "ASK { GRAPH ?g { ?i <https://w3id.org/ai-digest-kg/ontology#partOf> <%s> } }" % target
    )
    assert not remaining  # the digest's items went with its graph


def test_export_without_a_build_is_one_clear_error(tmp_path):
    with pytest.raises(KGError, match="kg build"):
        export_rdf(tmp_path, ["nt"])


def test_jsonld_uses_the_published_context(exported):
    import json

    doc = json.loads((exported / "graph.jsonld").read_text(encoding="utf-8"))
    published = json.loads((exported / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == published["@context"]
    assert "label" in published["@context"] and "developedBy" in published["@context"]
