"""The faster forms of the rules find exactly what their first, plain forms found.

Each ``_reference_*`` function below is a rule as it was first written (a pass per position,
no memo); the rules now remember what they found per distinct phrase or string. Hypothesis
feeds both mixed Chinese/English text built from the fragments the rules look for.
"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.gazetteer import load_gazetteer, load_stopwords
from kg.extract.rules import base
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
    "模型", "基准", "发布", "在", "上", "得分", "，", "。", "%", "分", "％", "(", ")", "'", "’", "+", "\n",
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
            found.append(candidate)
            i += consumed
    return found


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
