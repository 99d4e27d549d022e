"""The curated gazetteer: file format, boundaries, versions, Traditional Chinese, case."""

from pathlib import Path

import pytest

from kg.errors import GazetteerError
from kg.extract.gazetteer import load_gazetteer, load_stopwords

HEADER = "id\ttype\tname\taliases\twikidata\tflags\n"


def write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "gaz.tsv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


@pytest.fixture
def gaz(tmp_path):
    return load_gazetteer(
        write(
            tmp_path,
            "org-bytedance\tOrganization\tByteDance\t字节跳动|字节\t\t\n"
            "org-bytedance-seed\tOrganization\tByteDance Seed\t字节跳动Seed\t\t\n"
            "org-hust\tOrganization\tHuazhong University of Science and Technology\t华中科技大学\t\t\n"
            "model-gpt-4\tModel\tGPT-4\t\t\t\n"
            "model-gpt-4o\tModel\tGPT-4o\t\t\t\n"
            "bench-swe-v\tBenchmark\tSWE-bench Verified\t\t\t\n"
            "org-meta\tOrganization\tMeta\t\t\tcs\n",
        )
    )


def names(gaz, text):
    return [(text[m.start : m.end], m.entry.id) for m in gaz.find(text)]


def test_chinese_aliases_match_longest_first(gaz):
    assert names(gaz, "字节跳动发布新模型，字节也开源了") == [("字节跳动", "org-bytedance"), ("字节", "org-bytedance")]


def test_a_version_never_matches_inside_a_longer_version(gaz):
    assert names(gaz, "GPT-4o 比 GPT-4 快，GPT-4.1 和 GPT-4-turbo 不算") == [
        ("GPT-4o", "model-gpt-4o"),
        ("GPT-4", "model-gpt-4"),
    ]


def test_a_version_joined_to_more_by_a_hyphen_is_found_only_when_asked(gaz):
    # the pipeline takes the whole token ("GPT-4-Vision") or nothing; a plain lookup never sees GPT-4 there
    text = "GPT-4-Vision 与 GPT-4.1"
    assert names(gaz, text) == []
    assert [(text[m.start : m.end], m.entry.id) for m in gaz.find(text, joined=True)] == [("GPT-4", "model-gpt-4")]


def test_latin_names_need_word_boundaries(gaz):
    assert names(gaz, "MyGPT-4 and GPT-4x") == []


def test_spacing_and_case_variants_match(gaz):
    assert names(gaz, "在 swe bench verified 与 SWE-Bench-Verified 上") == [
        ("swe bench verified", "bench-swe-v"),
        ("SWE-Bench-Verified", "bench-swe-v"),
    ]


def test_traditional_chinese_matches_simplified_alias(gaz):
    assert names(gaz, "位元組跳動？不，字節跳動") == [("字節跳動", "org-bytedance")]


def test_han_and_latin_match_with_or_without_a_space_between(gaz):
    assert names(gaz, "字节跳动 Seed 与字节跳动Seed") == [
        ("字节跳动 Seed", "org-bytedance-seed"),
        ("字节跳动Seed", "org-bytedance-seed"),
    ]


def test_radicals_copied_for_ideographs_match(gaz):
    # U+2F24 KANGXI RADICAL BIG stands for 大 in text copied from PDFs
    assert names(gaz, "华中科技\u2f24学的团队") == [("华中科技\u2f24学", "org-hust")]


def test_case_sensitive_entries_skip_common_words(gaz):
    assert names(gaz, "Meta released; meta learning is not Meta") == [("Meta", "org-meta"), ("Meta", "org-meta")]


def test_lookup_by_any_name(gaz):
    assert gaz.lookup("字节").name == "ByteDance"
    assert gaz.lookup("gpt 4", "Model").id == "model-gpt-4"
    assert gaz.lookup("gpt 4", "Benchmark") is None


def test_malformed_rows_are_reported_with_line(tmp_path):
    with pytest.raises(GazetteerError, match="line 2"):
        load_gazetteer(write(tmp_path, "x\tPerson\tSomeone\t\t\t\n"))
    with pytest.raises(GazetteerError, match="header"):
        bad = tmp_path / "bad.tsv"
        bad.write_text("id,type\n", encoding="utf-8")
        load_gazetteer(bad)


def test_shipped_gazetteer_loads_and_covers_each_type():
    gaz = load_gazetteer()
    types = {e.type for e in gaz.entries}
    assert types == {"Organization", "Model", "Benchmark", "Technique"}
    assert len(gaz.entries) >= 300
    assert gaz.lookup("字节跳动").name == gaz.lookup("ByteDance").name
    assert gaz.lookup("谷歌", "Organization") is not None


def test_shipped_stopwords_hold_generic_words():
    stop = load_stopwords()
    from kg.resolve.normalize import identity_key

    for word in ("AI", "LLM", "大模型", "Agent", "T2V", "TTS", "基线方法", "估计器"):
        assert identity_key(word) in stop


def test_shipped_gazetteer_knows_common_methods_and_not_the_common_words_some_are_named_after():
    gaz = load_gazetteer()
    text = "模型用对比学习（contrastive learning）预训练，交叉注意力接入视觉特征，再用 FiM 之外的 Fill-in-the-Middle 目标与 Lion 优化器训练。"
    found = {text[m.start : m.end] for m in gaz.find(text)}
    assert {"对比学习", "contrastive learning", "交叉注意力", "Fill-in-the-Middle", "Lion"} <= found
    # case-sensitive names stay words when written as words
    assert not gaz.find("a lion and a lamb watched the film")


def test_shipped_gazetteer_knows_common_benchmarks_and_models_and_not_the_words_they_are_named_after():
    gaz = load_gazetteer()
    text = "在 MGSM、TabFact 与 LAMBADA 上评测 ConvNeXt 和 ImageBind；RACE 和 FEVER 之外还测了 Spider，Cognition 发布了 Devin。"
    found = {(text[m.start : m.end], m.entry.type) for m in gaz.find(text)}
    assert {("MGSM", "Benchmark"), ("TabFact", "Benchmark"), ("LAMBADA", "Benchmark"), ("ConvNeXt", "Model")} <= found
    assert {("RACE", "Benchmark"), ("FEVER", "Benchmark"), ("Spider", "Benchmark"), ("Cognition", "Organization")} <= found
    assert not gaz.find("a spider on the race track had a fever; cognition and apps of a chameleon")
