"""Normalisation and name keys: examples from the guidelines, and properties over any text."""

from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.resolve import normalize
from kg.resolve.normalize import (
    has_cjk,
    identity_key,
    is_cjk,
    is_latin_name,
    match_key,
    normalize_text,
    to_simplified,
)

_DICTIONARY = Path(opencc.__file__).parent / "dictionary"


def _t2s_keys(file_name: str) -> list[str]:
    lines = (_DICTIONARY / file_name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line.strip()]


TRADITIONAL_PHRASES = _t2s_keys("TSPhrases.txt")

# -- to_simplified ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("阿里巴巴發佈了新模型", "阿里巴巴发布了新模型"),
        ("頭髮與發展", "头发与发展"),
        ("字节跳动", "字节跳动"),
        ("Qwen3.6 發佈", "Qwen3.6 发布"),
        ("", ""),
    ],
)
def test_to_simplified(text, expected):
    assert to_simplified(text) == expected


def test_text_without_han_characters_never_reaches_opencc(monkeypatch):
    def boom():
        raise AssertionError("OpenCC called")

    monkeypatch.setattr(normalize, "_t2s", boom)
    for text in ("GPT-4o is out (never seen before 8472)", "Ｑｗｅｎ–３", "ひらがな", "“quoted”"):
        assert to_simplified(text) == text


def test_every_t2s_dictionary_entry_holds_a_han_character():
    # to_simplified skips OpenCC for text without Han characters; this is what makes it safe
    entries = _t2s_keys("TSCharacters.txt") + TRADITIONAL_PHRASES
    assert len(entries) > 4000
    assert all(has_cjk(entry) for entry in entries)


_OPENCC_T2S = opencc.OpenCC("t2s")


def _opencc_t2s(text: str) -> str:
    """OpenCC itself, to the fixpoint: what to_simplified must give whatever shortcut it takes."""
    convert = _OPENCC_T2S.convert
    for _ in range(8):
        text, before = convert(text), text
        if text == before:
            break
    return text


_T2S_ENTRIES = _t2s_keys("TSCharacters.txt") + TRADITIONAL_PHRASES


@pytest.mark.parametrize("context", ["{}", "新{}模型", "字节{}", "{}的"])
def test_every_t2s_entry_is_converted_as_opencc_converts_it(context):
    # the shortcut for text OpenCC cannot change must let every entry through, in any context
    for entry in _T2S_ENTRIES:
        text = context.format(entry)
        assert to_simplified(text) == _opencc_t2s(text), text


# Simplified characters common in digests, the characters of OpenCC's entries, and Latin
_T2S_ALPHABET = sorted(set("的是了在发布模型开源字节跳动阿里巴巴谷歌深度求索智谱月之暗面后里干面系台") | set("".join(_T2S_ENTRIES[::7])) | set("aZ9 -"))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_T2S_ALPHABET, max_size=12))
def test_to_simplified_agrees_with_opencc_on_any_text(text):
    assert to_simplified(text) == _opencc_t2s(text)


def test_simplified_text_never_reaches_opencc(monkeypatch):
    def boom():
        raise AssertionError("OpenCC called")

    monkeypatch.setattr(normalize, "_t2s", boom)
    for text in ("字节跳动发布了新模型", "智谱 GLM-4.5 开源", "深度求索"):
        assert to_simplified(text) == text


def test_to_simplified_settles_character_chains():
    # 薴 -> 苧 in one pass, and 苧 -> 苎 in the next
    assert to_simplified("薴") == to_simplified(to_simplified("薴")) == "苎"


# -- normalize_text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ｑｗｅｎ３．６－３５Ｂ", "Qwen3.6-35B"),
        ("GPT\u20134o", "GPT-4o"),
        ("a\u2010b\u2011c\u2012d\u2013e\u2014f\u2015g\u2212h", "a-b-c-d-e-f-g-h"),
        ("\u201cGPT\u201d \u2018x\u2019", "\"GPT\" 'x'"),
        ("  Llama \t 3.1\n\n8B  ", "Llama 3.1 8B"),
        ("Qwen\u200b3\ufeff.6", "Qwen3.6"),
        ("Open\u00a0AI\u3000实验室", "Open AI 实验室"),
        ("深度求索發佈 DeepSeek－V3", "深度求索发布 DeepSeek-V3"),
        ("ﬁne", "fine"),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


def test_long_text_bypasses_the_cache_with_the_same_result():
    line = "阿里巴巴發佈 Qwen3.6\u2014新模型。 "
    long_text = line * 50
    assert len(long_text) > 256
    assert normalize_text(long_text) == " ".join([normalize_text(line)] * 50)
    assert match_key(long_text) == match_key(line) * 50


# -- keys ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Qwen 3.6", "qwen3.6", "Qwen-3.6", "QWEN_3.6", "Ｑｗｅｎ３．６", " qwen 3 . 6 "]
)
def test_match_key_follows_the_guidelines(name):
    assert match_key(name) == "qwen36"


def test_match_key_merges_what_the_guidelines_merge():
    assert match_key("Qwen3.5") == match_key("Qwen35")
    assert match_key("OpenAI") == match_key("Open AI") == match_key("open-ai")
    assert match_key("字節跳動") == match_key("字节 跳动") == "字节跳动"


@pytest.mark.parametrize(
    "names",
    [
        ["GPT-4", "GPT 4", "gpt4", "Gpt_4", "ＧＰＴ－４"],
        ["GPT-4o", "gpt 4o", "GPT4o"],
        ["DeepSeek-V3", "DeepSeek V3", "deepseekv3", "Deepseek_V3"],
        ["Llama 3.1 8B", "Llama-3.1-8B", "llama_3.1_8b", "LLaMA 3.1-8B"],
        ["Qwen3.6-35B-A3B", "Qwen 3.6 35B A3B", "qwen3.6-35b-a3b"],
        ["OpenAI", "Open AI", "open-ai"],
        ["字节跳动", "字節跳動", "字节 跳动"],
    ],
)
def test_identity_key_merges_spellings(names):
    assert len({identity_key(n) for n in names}) == 1


@pytest.mark.parametrize(
    "a, b",
    [
        ("GPT-4", "GPT-4o"),
        ("Qwen3.5", "Qwen3.6"),
        ("Qwen3.5", "Qwen35"),
        ("Qwen3.6", "Qwen35"),
        ("Llama 3.1 8B", "Llama 3.18B"),
        ("Llama 3.1 8B", "Llama 3.1 70B"),
        ("DeepSeek-V3", "DeepSeek-R1"),
        ("gpt-4-0613", "gpt-40613"),
        ("Qwen2.5-7B", "Qwen2.57B"),
    ],
)
def test_identity_key_keeps_versions_apart(a, b):
    assert identity_key(a) != identity_key(b)


@pytest.mark.parametrize(
    "name, key",
    [
        ("Llama 3.1 8B", "llama3.1-8b"),
        ("Qwen3.6-35B-A3B", "qwen3.6-35ba3b"),
        ("GPT-4o-mini", "gpt4omini"),
        ("gpt-4o-2024-08-06", "gpt4o2024-08-06"),
        ("v0.3", "v0.3"),
        ("3 . 1", "3-1"),
        ("- GPT -", "gpt"),
    ],
)
def test_identity_key_rule(name, key):
    assert identity_key(name) == key


def test_a_separator_joined_phrase_keys_the_same_on_a_second_pass():
    # "反 覆" converts character by character, "反覆" as a phrase ("反复")
    assert match_key("反 覆") == match_key(match_key("反 覆")) == "反复"
    for phrase in TRADITIONAL_PHRASES:
        for i in range(1, len(phrase)):
            spaced = phrase[:i] + " " + phrase[i:]
            assert match_key(match_key(spaced)) == match_key(spaced)
            assert identity_key(identity_key(spaced)) == identity_key(spaced)


# -- helpers ---------------------------------------------------------------------------------


def test_is_cjk_and_has_cjk():
    assert is_cjk("字") and is_cjk("發") and is_cjk("㐀") and is_cjk("\U00020000")
    assert not any(is_cjk(c) for c in "aＡ。，あア한1 ")
    assert has_cjk("Qwen 模型") and not has_cjk("Qwen") and not has_cjk("ひらがな") and not has_cjk("")


@pytest.mark.parametrize(
    "text", ["GPT-4o", "AT&T", "Soft Actor-Critic", "Let's Verify", "A/B test", "C++", "x_y.z"]
)
def test_latin_names(text):
    assert is_latin_name(text)


@pytest.mark.parametrize("text", ["", "2025", "3.1-8", "字节", "Qwen 模型", "Ｑｗｅｎ", "café", "GPT@4", " - "])
def test_not_latin_names(text):
    assert not is_latin_name(text)


# -- properties ------------------------------------------------------------------------------

_TRICKY = (
    list("aAzZ09 .-_\t\n")
    + list("\u2010\u2013\u2014\u2212\u201c\u201d\u00a0\u3000\u200b\u00ad\ufeff\u0301\u0308\u00a8")
    + list("ＡＺａ０９．－ﬁİßſǰΐ")
    + list("發展頭髮乾燥著作反覆瞭解薴苧字节")
    + [phrase[0] for phrase in TRADITIONAL_PHRASES[:200]]
)
names = st.one_of(st.text(), st.text(alphabet=st.sampled_from(_TRICKY), max_size=30))


@settings(max_examples=400)
@given(names)
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == once.strip() and "  " not in once


@settings(max_examples=400)
@given(names)
def test_keys_are_idempotent(text):
    assert match_key(match_key(text)) == match_key(text)
    assert identity_key(identity_key(text)) == identity_key(text)


@settings(max_examples=400)
@given(names, names)
def test_equal_identity_keys_imply_equal_match_keys(a, b):
    if identity_key(a) == identity_key(b):
        assert match_key(a) == match_key(b)


@settings(max_examples=400)
@given(names)
def test_match_key_is_the_identity_key_without_dots_and_hyphens(text):
    assert match_key(text) == identity_key(text).replace(".", "").replace("-", "")


@given(st.text(alphabet=st.sampled_from(list("qwenGPT 3.6-8B_")), max_size=20))
def test_spelling_only_changes_never_change_the_identity_key(text):
    assert identity_key(text) == identity_key(text.upper()) == identity_key(f" {text}\t")
