"""kg eval matches as the annotation guidelines say."""

import json

import networkx as nx
import pytest

from kg.errors import GoldFileError
from kg.evaluation import evaluate, load_gold


def graph(digests):
    """digests: {file: [(entity id, type, name, [surfaces])]}; relations: list of (type, s, t, file)."""
    g = nx.MultiDiGraph()
    for n, (file_name, entities) in enumerate(sorted(digests.items())):
        did = f"d{n}"
        g.add_node(f"digest/{did}", kind="digest", file_name=file_name)
        g.add_node(f"item/{did}/1", kind="item", digest=did)
        for eid, type_, name, surfaces in entities:
            g.add_node(eid, kind="entity", type=type_, name=name)
            g.add_edge(f"item/{did}/1", eid, key="mentions", type="mentions", surfaces=surfaces)
    return g


def gold(tmp_path, *files):
    for n, data in enumerate(files):
        (tmp_path / f"{n}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_gold(tmp_path)


def test_names_match_ignoring_case_spaces_hyphens_dots_and_aliases(tmp_path):
    g = graph({"a.md": [("model/x", "Model", "Qwen 3.6", ["qwen-3.6"]), ("organization/b", "Organization", "ByteDance", ["字节"])]})
    report = evaluate(
        gold(tmp_path, {"digest": "a.md", "entities": [
            {"name": "Qwen3.6", "type": "Model"},
            {"name": "字节跳动", "type": "Organization", "aliases": ["字节"]},
        ]}),
        g,
    )
    assert report.micro.tp == 2 and report.micro.fp == 0 and report.micro.fn == 0


def test_wrong_type_is_a_false_positive_and_a_miss_but_an_untyped_hit(tmp_path):
    g = graph({"a.md": [("technique/cope", "Technique", "CoPE", [])]})
    report = evaluate(gold(tmp_path, {"digest": "a.md", "entities": [{"name": "CoPE", "type": "Model"}]}), g)
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (0, 1, 1)
    assert report.untyped.tp == 1


def test_optional_entities_neither_reward_nor_punish(tmp_path):
    g = graph({"a.md": [("technique/rl", "Technique", "RL", ["强化学习"])]})
    g_empty = graph({"a.md": []})
    spec = {"digest": "a.md", "entities": [{"name": "reinforcement learning", "type": "Technique", "optional": True,
                                             "types": ["Technique"], "aliases": ["强化学习"]}]}
    for found in (g, g_empty):
        report = evaluate(gold(tmp_path, spec), found)
        assert (report.micro.tp, report.micro.fp, report.micro.fn) == (0, 0, 0)


def test_papers_match_by_arxiv_id(tmp_path):
    g = graph({"a.md": [("paper/x", "Paper", "arXiv:2507.22920", [])]})
    g.nodes["paper/x"]["arxiv_id"] = "2507.22920"
    report = evaluate(gold(tmp_path, {"digest": "a.md", "entities": [{"name": "A Survey", "type": "Paper", "arxiv": "2507.22920"}]}), g)
    assert report.micro.tp == 1


def test_linking_counts_one_node_across_digests_and_penalises_false_merges(tmp_path):
    same = graph({"a.md": [("organization/b", "Organization", "ByteDance", ["字节"])],
                  "b.md": [("organization/b", "Organization", "ByteDance", ["ByteDance"])]})
    split = graph({"a.md": [("organization/b1", "Organization", "字节", ["字节"])],
                   "b.md": [("organization/b2", "Organization", "ByteDance", ["ByteDance"])]})
    spec = [{"digest": "a.md", "entities": [{"name": "ByteDance", "type": "Organization", "aliases": ["字节"]}]},
            {"digest": "b.md", "entities": [{"name": "ByteDance", "type": "Organization"}]}]
    assert evaluate(gold(tmp_path, *spec), same).linking == 1.0
    assert evaluate(gold(tmp_path, *spec), split).linking == 0.0
    merged = graph({"a.md": [("model/gpt", "Model", "GPT-4", ["GPT-4", "GPT-4o"])]})
    report = evaluate(gold(tmp_path, {"digest": "a.md", "entities": [{"name": "GPT-4", "type": "Model"}, {"name": "GPT-4o", "type": "Model"}]}), merged)
    assert report.false_merges == 1 and report.linking == 0.0


def test_relation_recall_needs_the_same_relation_between_the_matched_nodes(tmp_path):
    g = graph({"a.md": [("model/m", "Model", "SeedFold", []), ("organization/b", "Organization", "ByteDance", ["字节"])]})
    g.add_edge("model/m", "organization/b", key="developedBy", type="developedBy", evidence=[{"digest": "d0"}])
    spec = {"digest": "a.md", "entities": [{"name": "SeedFold", "type": "Model"}, {"name": "ByteDance", "type": "Organization"}],
            "relations": [{"type": "developedBy", "source": "SeedFold", "target": "ByteDance"},
                          {"type": "evaluatedOn", "source": "SeedFold", "target": "ByteDance"}]}
    report = evaluate(gold(tmp_path, spec), g)
    assert report.relation_recall == 0.5


def test_malformed_gold_names_the_file(tmp_path):
    (tmp_path / "bad.json").write_text('{"digest": "a.md", "entities": [{"name": "x", "type": "Person"}]}')
    with pytest.raises(GoldFileError, match="bad.json"):
        load_gold(tmp_path)


def test_relation_precision_judges_only_relations_between_gold_entities(tmp_path):
    g = graph({"a.md": [
        ("model/m", "Model", "SeedFold", []), ("model/m8", "Model", "SeedFold-8B", []),
        ("model/f", "Model", "Seed", []),
        ("organization/b", "Organization", "ByteDance", ["字节"]), ("organization/x", "Organization", "Acme", []),
        ("benchmark/y", "Benchmark", "FoldBench", []), ("technique/rl", "Technique", "RL", []),
    ]})
    for s, t, rtype in [("model/m", "organization/b", "developedBy"),   # stated: a hit
                        ("model/m8", "organization/b", "developedBy"),  # two gold ends, not stated: wrong
                        ("model/m", "organization/x", "developedBy"),   # Acme is not in the gold: not judged
                        ("model/m", "technique/rl", "uses"),            # optional end, not stated: not judged
                        ("model/m8", "model/m", "variantOf"), ("model/m", "model/f", "variantOf")]:
        g.add_edge(s, t, key=rtype, type=rtype, evidence=[{"digest": "d0"}])
    spec = {"digest": "a.md", "entities": [
        {"name": "SeedFold", "type": "Model"}, {"name": "SeedFold-8B", "type": "Model"}, {"name": "Seed", "type": "Model"},
        {"name": "字节跳动", "type": "Organization", "aliases": ["ByteDance"]},
        {"name": "FoldBench", "type": "Benchmark"},
        {"name": "reinforcement learning", "type": "Technique", "optional": True, "types": ["Technique"], "aliases": ["RL"]}],
        "relations": [{"type": "developedBy", "source": "SeedFold", "target": "字节跳动"},
                      {"type": "evaluatedOn", "source": "SeedFold", "target": "FoldBench"},
                      {"type": "variantOf", "source": "SeedFold-8B", "target": "SeedFold"},
                      {"type": "variantOf", "source": "SeedFold", "target": "Seed"}]}
    report = evaluate(gold(tmp_path, spec), g)
    dev = report.relation_counts("developedBy")
    assert (dev.tp, dev.fp, dev.fn) == (1, 1, 0) and dev.precision == 0.5
    assert report.relation_unjudged["developedBy"] == 1 and report.relation_unjudged["uses"] == 1
    assert report.relation_counts("uses").fp == 0
    # SeedFold-8B -> Seed follows from the gold's two variantOf links: implied, not wrong
    assert report.relation_counts("variantOf").fp == 0 and report.relation_counts("variantOf").tp == 2
    assert report.relation_counts("evaluatedOn").fn == 1
    micro = report.relation_micro
    assert (micro.tp, micro.fp, micro.fn) == (3, 1, 1)
    assert report.relation_precision == 0.75 and report.relation_recall == 0.75 and report.relation_f1 == 0.75
    rel = report.as_dict()["relations"]
    assert rel["per_type"]["developedBy"]["precision"] == 0.5 and rel["unjudged"] == 2
    assert rel["false_positives"]["a.md"] == ["developedBy: SeedFold-8B -> 字节跳动"]
