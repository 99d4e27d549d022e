"""Resolution across digests: bilingual merges, version non-merges, types kept apart."""

import pytest

from kg.extract.gazetteer import load_gazetteer
from kg.models import AliasLink, Digest, Item, ItemExtraction, Mention, RelationMention
from kg.resolve.resolver import Resolver

RESOLVER = Resolver(load_gazetteer())


def digest(did, date, *texts):
    items = tuple(Item(id=f"{did}/{n}", index=n, title="", text=t, line=1) for n, t in enumerate(texts, 1))
    return Digest(did, f"{did}.md", f"{did}.md", did, date, "utf-8", "test", items, "0" * 64)


def mention(item_id, surface, type_, gid=None, arxiv=None):
    return Mention(item_id, 0, len(surface), surface, type_, "test", gid, f"{surface} 句子", arxiv)


def resolve(specs, aliases=(), relations=None):
    """specs: {digest_id: [(surface, type), ...]} with one item per digest."""
    digests, extractions = [], {}
    for n, (did, mentions) in enumerate(sorted(specs.items())):
        d = digest(did, f"2026-01-0{n + 1}", "text")
        digests.append(d)
        item_id = d.items[0].id
        ms = tuple(mention(item_id, *m) for m in mentions)
        rels = tuple(RelationMention(*r, item_id=item_id, sentence="s") for r in (relations or {}).get(did, ()))
        als = tuple(AliasLink(item_id, *a) for a in aliases if a)
        extractions[item_id] = ItemExtraction(item_id, ms, als, rels)
    return RESOLVER.resolve(digests, extractions)


def by_name(graph):
    return {e.name: e for e in graph.entities}


def test_chinese_and_english_names_of_one_company_are_one_node():
    g = resolve({"a": [("字节跳动", "Organization")], "b": [("字节", "Organization")], "c": [("ByteDance", "Organization")]})
    orgs = [e for e in g.entities if e.type == "Organization"]
    assert len(orgs) == 1
    assert orgs[0].name == "ByteDance"
    assert set(orgs[0].aliases) == {"字节跳动", "字节"}
    assert orgs[0].digests == ("a", "b", "c")
    assert (orgs[0].first_seen, orgs[0].last_seen) == ("2026-01-01", "2026-01-03")


def test_model_versions_and_sizes_never_merge():
    names = ["GPT-4", "GPT-4o", "Qwen3.5", "Qwen3.6", "Llama 3.1 8B", "Llama 3.1 70B", "DeepSeek-V3", "DeepSeek-R1"]
    g = resolve({"a": [(n, "Model") for n in names]})
    mentioned = {e.name for e in g.entities if e.mention_count}
    assert len(mentioned) == len(names)


def test_spelling_variants_of_one_model_merge():
    g = resolve({"a": [("Qwen3.6-35B-A3B", "Model")], "b": [("qwen 3.6 35b a3b", "Model")]})
    specific = [e for e in g.entities if e.mention_count]
    assert len(specific) == 1 and specific[0].mention_count == 2


def test_a_model_named_with_the_chinese_family_name_is_the_english_one():
    g = resolve({"a": [("盘古 Ultra MoE", "Model"), ("盘古Embedded 7B", "Model")], "b": [("Pangu Ultra MoE", "Model"), ("Pangu Embedded 7B", "Model")]})
    named = {e.name: e for e in g.entities if e.mention_count}
    assert named["Pangu Ultra MoE"].mention_count == 2 and "盘古 Ultra MoE" in named["Pangu Ultra MoE"].aliases
    assert named["Pangu Embedded 7B"].mention_count == 2
    assert len(named) == 2


def test_a_specific_model_is_a_variant_of_its_family_even_when_the_family_is_never_named():
    g = resolve({"a": [("Qwen3.6-35B-A3B", "Model")]})
    names = by_name(g)
    family = next(e for e in g.entities if e.type == "Model" and e.name.replace(" ", "").lower() == "qwen3.6")
    assert family.implied and family.mention_count == 0
    variant_of = {(r.source, r.target) for r in g.relations if r.type == "variantOf"}
    assert (names["Qwen3.6-35B-A3B"].id, family.id) in variant_of


def test_a_model_extends_the_nearest_named_model_its_name_begins_with():
    names = ["Orbit-7B", "Orbit-7B-Chat", "Orbit", "Nimbus 2", "Nimbus", "GPT-4", "GPT-4o"]
    g = resolve({"a": [(n, "Model") for n in names]})
    ids = {e.name: e.id for e in g.entities}
    variant_of = {(r.source, r.target) for r in g.relations if r.type == "variantOf"}
    assert (ids["Orbit-7B-Chat"], ids["Orbit-7B"]) in variant_of
    assert (ids["Orbit-7B"], ids["Orbit"]) in variant_of
    # a bare series that does not parse as a model name is still the family: no second "Nimbus"
    assert (ids["Nimbus 2"], ids["Nimbus"]) in variant_of
    assert sum(e.name == "Nimbus" for e in g.entities) == 1
    # a name that runs on without a separator extends nothing
    assert (ids["GPT-4o"], ids["GPT-4"]) not in variant_of


def test_one_name_as_a_paper_and_as_a_method_is_two_nodes():
    g = resolve({"a": [("CoPE", "Technique")], "b": [("CoPE", "Paper")]})
    assert sorted(e.type for e in g.entities if e.name in ("CoPE", "arXiv:CoPE")) == ["Paper", "Technique"]


def test_acronym_defined_once_links_its_later_bare_uses():
    g = resolve(
        {"a": [("SAC", "Technique"), ("Soft Actor-Critic", "Technique")], "b": [("SAC", "Technique")]},
        aliases=[("Technique", "SAC", "Soft Actor-Critic")],
    )
    techniques = [e for e in g.entities if e.type == "Technique"]
    assert len(techniques) == 1 and techniques[0].mention_count == 3


def test_acronym_defined_two_ways_keeps_the_definitions_apart():
    g = resolve(
        {
            "a": [("XYZ", "Technique"), ("Extra Yield Zone", "Technique")],
            "b": [("XYZ", "Technique"), ("Xeno Yarn Zipper", "Technique")],
        },
        aliases=[("Technique", "XYZ", "Extra Yield Zone"), ("Technique", "XYZ", "Xeno Yarn Zipper")],
    )
    assert len([e for e in g.entities if e.type == "Technique"]) == 3


def test_a_model_a_text_says_was_built_from_its_edition_is_not_also_that_edition_s_family():
    # "Orbit-3 在 Orbit-3-Exp 的基础上继续训练": the name alone would make Orbit-3-Exp a variant of Orbit-3
    g = resolve({"a": [("Orbit-3", "Model"), ("Orbit-3-Exp", "Model")]}, relations={"a": [("variantOf", 0, 1)]})
    ids = {e.name: e.id for e in g.entities}
    variant_of = {(r.source, r.target) for r in g.relations if r.type == "variantOf"}
    assert (ids["Orbit-3"], ids["Orbit-3-Exp"]) in variant_of
    assert (ids["Orbit-3-Exp"], ids["Orbit-3"]) not in variant_of  # no cycle


def test_relations_carry_evidence_and_drop_wrong_types():
    g = resolve(
        {"a": [("DeepSeek-V4", "Model"), ("深度求索", "Organization"), ("MMLU", "Benchmark")]},
        relations={"a": [("developedBy", 0, 1), ("developedBy", 2, 1)]},
    )
    developed = [r for r in g.relations if r.type == "developedBy"]
    assert len(developed) == 1
    ev = developed[0].evidence[0]
    assert (ev.digest_id, ev.file_name, ev.date, ev.item_id) == ("a", "a.md", "2026-01-01", "a/1")


def test_resolution_does_not_depend_on_digest_order():
    specs = {"a": [("字节", "Organization"), ("GPT-4o", "Model")], "b": [("ByteDance", "Organization"), ("GPT-4", "Model")]}
    first = resolve(specs)
    second = resolve(dict(reversed(list(specs.items()))))
    assert first == second


def test_entity_ids_are_distinct_for_distinct_names():
    g = resolve({"a": [("A/B", "Technique"), ("A%2FB", "Technique"), ('He said "x"', "Technique")]})
    ids = [e.id for e in g.entities]
    assert len(ids) == len(set(ids)) == 3


def test_a_name_the_rules_typed_two_ways_becomes_one_entity_of_the_better_evidenced_type():
    from kg.resolve.resolver import settle_types

    def m(surface, type_, source):
        return Mention("d/1", 0, len(surface), surface, type_, source)

    settled = settle_types([[m("Quillon", "Model", "camel-cue"), m("Quillon", "Model", "camel-cue")], [m("Quillon", "Technique", "list")]])
    assert settled == {"quillon": "Technique"}  # a list outweighs two clause cues
    assert settle_types([[m("Quillon", "Model", "cue"), m("Quillon", "Model", "cue"), m("Quillon", "Technique", "cue")]]) == {"quillon": "Model"}
    assert settle_types([[m("Quillon", "Model", "cue")]]) == {}  # one type: nothing to settle
    # the name a paper's title opens with ("Quillon: …") outweighs clause cues about it
    title = [m("Quillon", "Technique", "paper-short-name")]
    assert settle_types([title, [m("Quillon", "Model", "camel-cue")] * 3]) == {"quillon": "Technique"}
    curated = Mention("d/1", 0, 6, "Gemini", "Organization", "gazetteer", "org-x")
    assert settle_types([[curated, m("Gemini", "Model", "cue")]]) == {}  # curated names keep their type


def test_one_rule_typed_name_with_two_types_is_one_node():
    g = resolve({"a": [("Quillon", "Model")], "b": [("Quillon", "Technique")], "c": [("Quillon", "Technique")]})
    assert [e.type for e in g.entities if e.name == "Quillon"] == ["Technique"]


@pytest.mark.parametrize(
    "text",
    [
        "提出了高斯差分隐私 (Gaussian Differential Privacy, GDP)。",
        "SAC (Soft Actor-Critic) 是一种算法。",
        "我们使用 Group Relative Policy Optimization (GRPO) 训练。",
        "团队提出 Token Pruning Schedule（TPS，令牌剪枝调度）。",
    ],
)
def test_every_acronym_definition_weighs_as_shown_when_a_name_was_typed_two_ways(text):
    from kg.extract.gazetteer import load_stopwords
    from kg.extract.rules.definitions import find_definitions
    from kg.resolve.resolver import TYPE_EVIDENCE

    candidates, _ = find_definitions(text, load_stopwords())
    assert candidates and {TYPE_EVIDENCE.get(c.source, 1) for c in candidates} == {2}
