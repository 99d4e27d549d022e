"""The faster forms of the rules find exactly what their first, plain forms found.

Each ``_reference_*`` function below is a rule as it was first written (a pass per position,
no memo); the rules now remember what they found per distinct phrase or string. Hypothesis
feeds both mixed Chinese/English text built from the fragments the rules look for.
"""

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.extract.gazetteer import load_gazetteer, load_stopwords
from kg.extract.rules import base, names
from kg.extract.rules.base import Candidate, latin_phrases
from kg.extract.rules.names import _shaped_at, find_shaped_names

GAZ = load_gazetteer()
STOP = load_stopwords()

FRAGMENTS = [
    "GPT", "4o", "Qwen3", "2.5", "14B", "A3B", "Instruct", "Helios", "Claude", "Opus", "4.7", "v2", "V4",
    "OrbitBench", "MathVista", "ImageNet", "21K", "Tiny", "Mini", "SWE", "bench", "Verified", "Eval",
    "HotpotQA", "Arena", "Resemble", "AI", "Labs", "University", "of", "the", "and", "for", "with",
    "ViTFormer", "ResNet", "GRPO", "DPO", "LoRA", "Model", "Card", "Table", "3", "2025", "ICML", "H100",
    "DeepSeek", "R1", "Llama", "8B", "Pro", "Max", "SFT", "T2I", "model", "Tier", "Research", "Inc.",
    "模型", "基准", "发布", "在", "上", "得分", "框架", "数据集", "实验室", "benchmark", "，", "。", "%", "分", "％", "(", ")", "'", "’", "+", "\n",
]
SEPARATORS = [" ", " ", "", "-", ".", "_", " - ", "\u00a0", "  "]
MIXED_TEXT = st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda parts: "".join(f + s for f, s in parts)
)

_WORD = r"[A-Za-z0-9][A-Za-z0-9+'’]*(?:[.\-_][A-Za-z0-9+]+)*"
_PHRASE = re.compile(rf"(?<![A-Za-z0-9.\-_]){_WORD}(?:[ \u00a0](?:{_WORD}))*")
_WORD_RE = re.compile(_WORD)


def _reference_latin_phrases(text):
    spans = []
    for m in _PHRASE.finditer(text):
        start = m.start()
        cursor = start
        for w in _WORD_RE.finditer(m.group()):
            if w.group().lower() in base._FUNCTION_WORDS:
                if cursor < m.start() + w.start():
                    spans.append((cursor, m.start() + w.start()))
                cursor = m.start() + w.end()
        if cursor < m.end():
            spans.append((cursor, m.end()))
    return tuple((s, e) for s, e in ((s, base._rstrip(text, s, e)) for s, e in spans) if e > s)


def _reference_shaped_names(text):
    found = []
    for p_start, p_end in _reference_latin_phrases(text):
        words = base._words(text, p_start, p_end)
        i = 0
        while i < len(words):
            hit = _shaped_at(text, words, i, GAZ, STOP)
            if hit is None:
                i += 1
                continue
            candidate, consumed = hit
            i += consumed
            if candidate.type == "Model" and names._DEVICE_AFTER.match(text, candidate.end):
                continue
            if candidate.type == "Model" and names._BENCH_CUE_AFTER.match(text, candidate.end):
                candidate = Candidate(candidate.start, candidate.end, "Benchmark", candidate.source, priority=candidate.priority)
            found.append(candidate)
    return found


def _reference_cued_names(text, taken):
    found = []
    for start, end in _reference_latin_phrases(text):
        if base._overlaps(start, end, taken):
            continue
        surface = text[start:end]
        key = names.identity_key(surface)
        if key in STOP or not names._NAMEISH.search(surface) or len(surface) < 2:
            continue
        if len(surface.split()) > 5 or names.identity_key(surface.split()[0]) in names._NOT_SERIES:
            continue
        if names._GENERIC_SHAPE.search(surface) or not base._name_like(surface):
            continue
        after = text[end : end + 8]
        before = text[max(0, start - 6) : start]
        cue_type = next((t for rx, t in names._CUE_AFTER_RE if rx.match(after)), None)
        if cue_type is None:
            cue_type = next((t for rx, t in names._CUE_BEFORE_RE if rx.search(before)), None)
        if cue_type is None and names._USED_BEFORE.search(before) and not any(ch.isdigit() for ch in surface):
            cue_type = "Technique"
        released = re.search(r"(?:发布|推出|开源|上线|亮相)(?:了|的)?(?:新一代|新版|最新的?|全新的?)?[ \u00a0]?$", text[max(0, start - 16) : start])
        plain_name = surface[0].isupper() and not re.fullmatch(r"[vV]?\d+(?:\.\d+)*[a-z]?|[A-Z]\d+(?:\.\d+)*", surface)
        if plain_name and len(surface) <= 4 and surface.isalpha():
            plain_name = False
        if cue_type is None and released and plain_name and not names._TOOL_AFTER.match(text, end):
            cue_type = "Benchmark" if names.has_benchmark_tail(surface) else "Technique" if names._TECH_TAIL.search(surface) else "Model"
        if cue_type is None:
            continue
        found.append(Candidate(start, end, cue_type, "cue", priority=1))
    return found


@settings(max_examples=400, deadline=None)
@given(MIXED_TEXT, st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=3))
@example("发布 GPT GPT ", [])
@example("团队开源了 PartBench-300 与 ZorbKit 工具", [])
def test_cued_names_are_the_plain_rule(text, taken):
    taken = [(s, s + n) for s, n in taken]
    assert names.find_cued_names(text, taken, GAZ, STOP) == _reference_cued_names(text, taken)


@settings(max_examples=400, deadline=None)
@given(MIXED_TEXT)
def test_latin_phrases_are_the_plain_rules(text):
    assert latin_phrases(text) == _reference_latin_phrases(text)


@settings(max_examples=400, deadline=None)
@given(MIXED_TEXT)
def test_shaped_names_are_the_per_position_rules(text):
    assert find_shaped_names(text, GAZ, STOP) == _reference_shaped_names(text)


def test_a_remembered_phrase_still_reads_the_character_after_it():
    first = find_shaped_names("在 OrbitBench v2 上", GAZ, STOP)
    again = find_shaped_names("OrbitBench v2%", GAZ, STOP)  # "v2" before % is a score, not a version
    assert first == [Candidate(2, 15, "Benchmark", "bench-shape", priority=2)]
    assert again == _reference_shaped_names("OrbitBench v2%")


# --- definitions, matched from their parentheses -------------------------------------------

from kg.extract.rules import definitions  # noqa: E402
from kg.extract.text import HAN  # noqa: E402

_ACR = r"[A-Z][A-Za-z0-9\-]{0,9}[A-Z0-9](?:\+\+)?"
_LONG_EN = r"[A-Za-z][A-Za-z0-9]*(?:[ \-][A-Za-z0-9][A-Za-z0-9]*){1,8}(?:\+\+)?"
_OPEN, _CLOSE = r"[（(]\s*", r"\s*[)）]"
REFERENCE_DEFINITIONS = {
    "_DEF_ZH_EN_ACR": rf"([{HAN}]{{2,20}})\s*{_OPEN}({_LONG_EN})\s*[,，]\s*({_ACR}){_CLOSE}",
    "_DEF_ACR_LONG": rf"(?<![A-Za-z0-9])({_ACR})\s*{_OPEN}({_LONG_EN}){_CLOSE}",
    "_DEF_LONG_ACR": rf"(?<![A-Za-z0-9])({_LONG_EN})\s*{_OPEN}({_ACR}){_CLOSE}",
    "_DEF_ZH_ACR": rf"([{HAN}]{{2,20}})\s*{_OPEN}({_ACR}){_CLOSE}",
    "_DEF_ZH_LONG": rf"([{HAN}]{{2,20}})\s*{_OPEN}({_LONG_EN}){_CLOSE}",
}
_HAN_NAME = st.text(alphabet="高斯差分隐私提出了一种方法模型大中的", min_size=1, max_size=24)
_ACRONYM = st.from_regex(r"[A-Z][A-Za-z0-9\-]{0,11}[A-Z0-9]?\+{0,3}", fullmatch=True)
_LATIN_WORD = st.sampled_from(["Soft", "actor", "Critic", "Policy", "GRPO", "X1", "3D", "Group", "v2", "Long", "Bench", "REINFORCE++", "C+"])
_LONG = st.tuples(
    st.lists(st.tuples(_LATIN_WORD, st.sampled_from([" ", "-", " ", "  ", " - "])), min_size=0, max_size=11), _LATIN_WORD
).map(lambda t: "".join(w + s for w, s in t[0]) + t[1])
_SPACE = st.sampled_from(["", "", " ", "  ", "\n", "\u3000", "\t", "\u00a0"])
_NAME = st.one_of(_HAN_NAME, _HAN_NAME, _ACRONYM, _LONG, st.just(""))
_LONG_AND_ACRONYM = st.tuples(_LONG, _SPACE, st.sampled_from([",", "，", ",", ";"]), _SPACE, _ACRONYM).map("".join)
_INSIDE = st.one_of(_ACRONYM, _LONG, _LONG_AND_ACRONYM, _LONG_AND_ACRONYM)
_DEFINITION = st.tuples(
    _NAME, _SPACE, st.sampled_from(["(", "（", "(", "(("]), _SPACE, _INSIDE, _SPACE, st.sampled_from([")", "）", ")", ""])
).map("".join)
_CLEAN_LONG = st.lists(_LATIN_WORD, min_size=1, max_size=10).map(" ".join)
_CLEAN_DEFINITION = st.tuples(
    _HAN_NAME, _SPACE, st.just("("), _CLEAN_LONG, st.sampled_from([", ", "，"]), st.sampled_from(["GDP", "X-1", "ab"]), st.just(")")
).map("".join)
_CLEAN_LONG_ACRONYM = st.tuples(_CLEAN_LONG, _SPACE, st.just("("), st.sampled_from(["GDP", "SAC", "X1"]), st.just(")")).map("".join)
_NOISE = st.sampled_from(["，", "。", "的", "Word", "x", "-", " ", "(", ")", "（", "\n", "2025"])
DEFINITION_TEXT = st.lists(st.one_of(_DEFINITION, _CLEAN_DEFINITION, _CLEAN_LONG_ACRONYM, _NOISE), max_size=8).map("".join)


def _spans_and_groups(matches):
    return [(m.span(), m.groups()) for m in matches]


def test_definition_patterns_are_the_ones_first_written():
    for name, pattern in REFERENCE_DEFINITIONS.items():
        assert getattr(definitions, name).pattern.pattern == pattern


@settings(max_examples=1500, deadline=None)
@given(DEFINITION_TEXT)
@example("\n((Soft )F000000000++\xa0(\xa0Soft Soft)")  # an acronym of eleven characters and "++"
def test_definitions_found_from_parentheses_are_the_regex_matches(text):
    for name, pattern in REFERENCE_DEFINITIONS.items():
        expected = _spans_and_groups(re.finditer(pattern, text))
        assert _spans_and_groups(getattr(definitions, name).finditer(text)) == expected, name


# --- Chinese institutions, read back from their endings ------------------------------------

from kg.extract.rules.organizations import _zh_institutions  # noqa: E402

_REFERENCE_ZH_ORG = re.compile(
    rf"[{HAN}]{{1,12}}?(?:大学|学院|研究院|研究所|实验室|科学院)(?:[{HAN}]{{1,6}}分校)?(?:[（(][{HAN}]{{2,4}}[)）])?"
)
_ZH_FRAGMENTS = st.sampled_from(
    ["北京", "大学", "学院", "科学院", "研究院", "研究所", "实验室", "人工智能", "分校", "（广州）", "(深圳)", "，", "在", "清华", "科", "院", " ", "AI"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ZH_FRAGMENTS, max_size=30).map("".join))
def test_chinese_institutions_are_the_forward_pattern(text):
    assert _zh_institutions(text) == [m.span() for m in _REFERENCE_ZH_ORG.finditer(text)]
