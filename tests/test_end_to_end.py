"""Build the bundled sample corpus once and check the graph a user queries, through SPARQL."""

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.export.rdf import SERIALIZATION_PREFIXES, to_triples
from kg.pipeline import SAMPLE_CORPUS, build, build_graph

PREFIXES = """
PREFIX kg: <https://w3id.org/ai-digest-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    build([SAMPLE_CORPUS], out)
    return out


@pytest.fixture(scope="module")
def store(export) -> ox.Store:
    s = ox.Store()
    s.load(path=str(export / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    return s


def select(store: ox.Store, query: str) -> list[tuple]:
    rows = store.query(PREFIXES + query)
    return [tuple(None if v is None else v.value for v in row) for row in rows]


def entity(store, label):
    rows = select(store, f'SELECT ?e ?type WHERE {{ ?e rdfs:label "{label}" ; a ?type }}')
    return rows


def aliases(store, label, type_):
    return {a for (a,) in select(store, f'SELECT ?a WHERE {{ ?e a kg:{type_} ; rdfs:label "{label}" ; skos:altLabel ?a }}')}


@pytest.mark.parametrize(
    "label, type_",
    [
        ("ByteDance", "Organization"),
        ("Qwen3.6-35B-A3B", "Model"),
        ("SWE-bench Verified", "Benchmark"),
        ("LoRA", "Technique"),
        ("GRPO", "Technique"),
    ],
)
def test_named_entities_of_each_type(store, label, type_):
    assert entity(store, label) == [(entity(store, label)[0][0], f"https://w3id.org/ai-digest-kg/ontology#{type_}")]


def test_papers_are_named_by_title_with_arxiv_ids(store):
    rows = select(store, "SELECT ?title ?id WHERE { ?p a kg:Paper ; rdfs:label ?title ; kg:arxivId ?id }")
    assert len(rows) >= 10
    # a title, not a short name: several words, an arXiv id, or a report named by its model ("DeepSeek-V3.2 技术报告")
    reports = ("技术报告", "Technical Report", "Model Card")
    assert all(len(title.split()) >= 3 or title.startswith("arXiv:") or title.endswith(reports) for title, _ in rows)


def test_bilingual_names_merge_into_one_node(store):
    assert {"字节跳动", "字节"} <= aliases(store, "ByteDance", "Organization")
    assert "谷歌" in aliases(store, "Google", "Organization")
    assert {"阿里巴巴", "阿里"} <= aliases(store, "Alibaba", "Organization")
    assert "通义千问" in aliases(store, "Qwen", "Model")
    assert {"清华大学", "清华"} <= aliases(store, "Tsinghua University", "Organization")
    assert "低秩适配" in aliases(store, "LoRA", "Technique")


def test_each_merged_company_is_one_node_mentioned_by_several_digests(store):
    rows = select(
        store,
        """SELECT ?e (COUNT(DISTINCT ?d) AS ?n) WHERE {
             ?e a kg:Organization ; rdfs:label "ByteDance" . ?i kg:mentions ?e ; kg:partOf ?d } GROUP BY ?e""",
    )
    assert len(rows) == 1 and int(rows[0][1]) >= 4


@pytest.mark.parametrize(
    "names",
    [
        ("GPT-4", "GPT-4o"),
        ("Qwen3.5", "Qwen3.6", "Qwen3.6-35B-A3B", "Qwen3.5-35B-A3B"),
        ("Llama 3.1 8B", "Llama 3.1 70B"),
        ("DeepSeek-V3", "DeepSeek-R1"),
        ("Claude Opus 4.7", "Claude Sonnet 4.5"),
    ],
)
def test_model_versions_stay_separate_nodes(store, names):
    nodes = {entity(store, n)[0][0] for n in names}
    assert len(nodes) == len(names)


def test_specific_models_are_variants_of_their_families(store):
    rows = select(
        store,
        """SELECT ?family WHERE { ?m rdfs:label "Qwen3.6-35B-A3B" ; kg:variantOf ?f . ?f rdfs:label ?family }""",
    )
    assert rows == [("Qwen3.6",)]


def test_relations_carry_sentence_item_digest_and_date(store):
    rows = select(
        store,
        """SELECT ?sentence ?file ?date ?position WHERE {
             ?m rdfs:label "Seedream 4.0" ; kg:developedBy ?o . ?o rdfs:label "ByteDance" .
             ?st rdf:subject ?m ; rdf:predicate kg:developedBy ; rdf:object ?o ; kg:evidence ?ev .
             ?ev kg:sentence ?sentence ; kg:item ?item ; kg:digest ?d ; kg:date ?date .
             ?item kg:partOf ?d ; kg:position ?position . ?d kg:fileName ?file }""",
    )
    assert rows, "Seedream 4.0 developedBy ByteDance with evidence"
    sentence, file_name, date, _ = rows[0]
    assert "Seedream 4.0" in sentence and file_name in {p.name for p in SAMPLE_CORPUS.iterdir()}
    assert len(date) == 10


def test_benchmark_scores_are_kept(store):
    rows = select(
        store,
        """SELECT ?model ?score WHERE {
             ?st rdf:predicate kg:evaluatedOn ; rdf:subject ?m ; rdf:object ?b ; kg:score ?score .
             ?b rdfs:label "SWE-bench Verified" . ?m rdfs:label ?model }""",
    )
    assert any(model == "Qwen3.6-35B-A3B" and score.startswith("73.4") for model, score in rows)


def test_co_mentions_are_links_apart_from_typed_relations(store):
    rows = select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c a kg:CoMention ; kg:weight ?w ; kg:entity ?a , ?b FILTER(?a != ?b) }")
    assert int(rows[0][0]) > 0


def test_contract_every_entity_has_exactly_one_label(store):
    rows = select(
        store,
        """SELECT ?e (COUNT(?l) AS ?n) WHERE {
             VALUES ?t { kg:Organization kg:Model kg:Paper kg:Benchmark kg:Technique } ?e a ?t ; rdfs:label ?l
           } GROUP BY ?e HAVING (COUNT(?l) != 1)""",
    )
    assert rows == []


def test_contract_provenance_and_typed_dates(store):
    missing = select(store, "SELECT ?i WHERE { ?i a kg:Item . FILTER NOT EXISTS { ?i kg:partOf ?d . ?d a kg:Digest ; kg:fileName ?f } }")
    assert missing == []
    undated = select(store, "SELECT ?d WHERE { ?d a kg:Digest . FILTER NOT EXISTS { ?d kg:date ?x } }")
    assert undated == []
    wrong = select(store, "SELECT ?x WHERE { ?s kg:date ?x FILTER(datatype(?x) != xsd:date) }")
    assert wrong == []


def test_contract_iris_are_stable_and_derived_from_type_and_name(store):
    rows = entity(store, "Qwen3.6-35B-A3B")
    assert rows[0][0] == "https://w3id.org/ai-digest-kg/id/model/Qwen3.6-35B-A3B"


def test_every_class_and_property_used_is_defined_in_the_ontology(export):
    ontology = rdflib.Graph().parse(Path(__file__).parents[1] / "ontology" / "kg.ttl")
    kg = "https://w3id.org/ai-digest-kg/ontology#"
    defined = {str(s) for s in ontology.subjects() if str(s).startswith(kg)}
    data = rdflib.Graph().parse(export / "graph.ttl")
    used = {str(p) for p in data.predicates() if str(p).startswith(kg)}
    used |= {str(o) for o in data.objects(predicate=rdflib.RDF.type) if str(o).startswith(kg)}
    assert used - defined == set()
    for term in defined:
        labels = {lit.language for lit in ontology.objects(rdflib.URIRef(term), rdflib.RDFS.label)}
        assert {"en", "zh"} <= labels, term
        assert any(True for _ in ontology.objects(rdflib.URIRef(term), rdflib.RDFS.comment)), term


def test_turtle_reparses_to_an_isomorphic_graph(export):
    parsed = rdflib.Graph().parse(export / "graph.ttl", format="turtle")
    rebuilt = rdflib.Graph()
    graph = build_graph([SAMPLE_CORPUS]).graph
    for t in to_triples(graph):
        rebuilt.add(tuple(_to_rdflib(term) for term in (t.subject, t.predicate, t.object)))
    assert len(parsed) == len(rebuilt) > 1000
    assert isomorphic(parsed, rebuilt)


def _to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))


def output_files(folder):
    """Every output file of a build, by path relative to the build folder."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_input_gives_byte_identical_outputs(export, tmp_path):
    build([SAMPLE_CORPUS], tmp_path)
    ours, theirs = output_files(tmp_path), output_files(export)
    assert ours.keys() == theirs.keys()
    assert {"graph.ttl", "graph.json", "neo4j/nodes-Model.csv", "html/index.html", "html/search-index.js"} <= ours.keys()
    for name, path in ours.items():
        assert path.read_bytes() == theirs[name].read_bytes(), name


def test_outputs_do_not_depend_on_the_process_hash_seed(export, tmp_path):
    import os
    import subprocess
    import sys

    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg.cli", "build", "--out", str(tmp_path / seed)], check=True, env=env, capture_output=True)
    first, second, third = output_files(tmp_path / "1"), output_files(tmp_path / "2"), output_files(export)
    assert first.keys() == second.keys() == third.keys()
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes() == third[name].read_bytes(), name


def test_streamed_exports_are_the_in_memory_ones(export):
    """graph_data is networkx's node-link data without networkx; the streamed writers write what
    json.dumps and pyoxigraph write from whole objects (the build uses the streamed forms)."""
    import json

    from kg.export.rdf import to_turtle
    from kg.graph import graph_data, node_link, to_networkx

    graph = build_graph([SAMPLE_CORPUS]).graph
    data = node_link(to_networkx(graph))
    assert graph_data(graph) == data
    lazy = graph_data(graph, lazy_edges=True)
    assert type(lazy["edges"]).__name__ == "Edges" and len(lazy["edges"]) == len(data["edges"])
    assert {**lazy, "edges": list(lazy["edges"])} == data
    text = (export / "graph.json").read_text(encoding="utf-8")
    assert json.loads(text) == data
    lines = text.split("\n")
    records = [json.loads(line.strip().rstrip(",")) for line in lines if line.startswith("  ")]
    assert records == data["edges"] + data["nodes"]  # one node or edge per line, in order
    assert (export / "graph.ttl").read_bytes() == ox.serialize(to_triples(graph), format=ox.RdfFormat.TURTLE, prefixes=SERIALIZATION_PREFIXES)
    assert to_turtle(graph) == (export / "graph.ttl").read_bytes()
