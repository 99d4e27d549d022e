"""A digest that names a model in full and then by the tail of its name ("ER 1.5") means one model."""

from kg.extract import Extractor
from kg.extract.gazetteer import load_gazetteer
from kg.models import Digest, Item
from kg.resolve.resolver import Resolver

EXTRACTOR = Extractor()
RESOLVER = Resolver(load_gazetteer())


def digest(did, *texts):
    items = tuple(Item(id=f"{did}/{n}", index=n, title="", text=t, line=1) for n, t in enumerate(texts, 1))
    return Digest(did, f"{did}.md", f"{did}.md", did, "2026-03-01", "utf-8", "test", items, "0" * 64)


def graph_of(*digests):
    extractions = {x.item_id: x for d in digests for x in EXTRACTOR.extract(d)}
    return RESOLVER.resolve(list(digests), extractions)


def models(graph):
    return {e.name: set(e.aliases) for e in graph.entities if e.type == "Model" and e.mention_count}


def test_the_tail_of_a_model_name_later_in_the_digest_is_that_model():
    g = graph_of(
        digest(
            "a",
            "谷歌发布机器人模型 Orbit Robotics-PL 2.0，并在 ERQA 上领先。",
            "PL 2.0 负责任务规划，在 RoboSpatial 上得分 61.2。",
        )
    )
    assert models(g) == {"Orbit Robotics-PL 2.0": {"PL 2.0"}}
    evaluated = {(r.source, r.target) for r in g.relations if r.type == "evaluatedOn"}
    assert ("model/Orbit%20Robotics-PL%202.0", "benchmark/RoboSpatial") in evaluated


def test_a_tail_two_names_share_or_a_known_model_links_nothing():
    g = graph_of(digest("a", "Zeta Speech-SP 3.5 与 Omega Voice-SP 3.5 都已开源，SP 3.5 这个名字因此有两种意思。"))
    assert models(g).get("SP 3.5") == set()
    g = graph_of(digest("b", "Flan-T5 是在 T5 之上做指令微调得到的。"))
    assert {"Flan-T5", "T5"} <= set(models(g))


def test_a_short_form_that_two_digests_give_to_two_models_stays_apart():
    g = graph_of(
        digest("a", "Zeta Speech-SP 3.5 发布了，SP 3.5 擅长语音。"),
        digest("b", "Omega Voice-SP 3.5 上线，SP 3.5 支持方言。"),
    )
    names = models(g)
    assert names["Zeta Speech-SP 3.5"] == names["Omega Voice-SP 3.5"] == set()
