"""Benchmarks named by where a result is reported, and benchmarks with a Chinese name.

A digest reports a score on something: ``在 LoCoMo 上也超过了…``, ``在 **LogicVista** 和 **Wemath**
上分别提升 6.0%``, ``Helios scores 71.3 on MMLU-Pro and 58.0 on GPQA Diamond``. What the score is
on is a benchmark, whatever its name looks like. A name made of Chinese words with a Bench or Eval
ending (``衡鉴-Bench``) is one too.
"""

from __future__ import annotations

import re

from kg.extract.gazetteer import Gazetteer
from kg.extract.rules.base import _FUNCTION_WORDS, Candidate, Occupied
from kg.extract.rules.names import _could_be_cued
from kg.extract.text import HAN
from kg.resolve.normalize import identity_key

_MEMBER = r"(?:\*\*)?[A-Za-z][A-Za-z0-9.+\-_'²³*]*(?: [A-Za-z0-9][A-Za-z0-9.+\-_'²³*]*){0,3}(?:\*\*)?"
_JOIN = r"\s?(?:和|与|及|以及|、|/|,|，)\s?"
_ON_ZH = re.compile(rf"在\s?({_MEMBER}(?:{_JOIN}{_MEMBER}){{0,4}})\s?(?:[(（][^()（）\n]{{1,20}}[)）]\s?)?上")
"""``在 A 上``, ``在 A 和 B 上``, ``在 A、B 与 C 上`` (an aside in brackets may follow the list)."""
_RESULT_AFTER = re.compile(
    r"[，,]?\s?(?:的)?[^，,。；;\n]{0,20}?(?:得分|取得|达到|获得|拿到|刷新|超过|超越|优于|领先|落后|提升|提高|下降|"
    r"准确率|成功率|胜率|通过率|正确率|表现|成绩|分数|性能|评估|评测|测试|SOTA|pass@|\d)"
)
"""What follows a benchmark's ``在 … 上``: a result. ``在 H100 上训练``, ``在 GitHub 上开源`` have none."""
_MEMBER_RE = re.compile(_MEMBER)
_ON = re.compile(r"(?<=\s)on\s+(?=[A-Za-z*])")
_SCORE_BEFORE = re.compile(r"\d(?:\.\d+)?\s?(?:%|％|points?|pts)?(?: pass@\d+| accuracy| Elo)?\s+$")
"""A score right before ``on <Name>``: ``71.3 on``, ``79.6% on``, ``3.1 points on`` (read back from ``on``)."""
_NOT_FUNCTION = "(?!(?:" + "|".join(sorted(_FUNCTION_WORDS)) + r")\b)"
_EN_WORD = r"[A-Za-z0-9.+\-_'²³*]*"
_EN_NAME = re.compile(rf"(?:\*\*)?{_NOT_FUNCTION}[A-Za-z]{_EN_WORD}(?: {_NOT_FUNCTION}[A-Za-z0-9]{_EN_WORD}){{0,3}}")
"""The name after ``on``: up to four words, ending before a function word (``MMLU and …``)."""
_EN_MORE = re.compile(rf"(?:,? and |, )({_EN_NAME.pattern})")
_BENCH_WORD = re.compile(r"(?:Bench|bench|Eval|EVAL)(?![A-Za-z0-9])")
_NON_LATIN_PREFIX = re.compile(rf"(?<![{HAN}A-Za-z0-9])(?:[{HAN}]{{1,6}}|[α-ωΑ-Ω][²³0-9]?)-?$")
"""What a Bench ending follows in a name Latin phrases do not hold: Chinese words (衡鉴-Bench) or a
Greek letter with its power (τ²-Bench)."""
_DEVICE = re.compile(r"(?:GPU|TPU|NPU|CPU|chip)s?$", re.I)


def find_result_benchmarks(
    text: str, taken: Occupied, gazetteer: Gazetteer, stopwords: frozenset[str]
) -> list[Candidate]:
    """Unclaimed names that a result is reported on, and Chinese-named benchmarks."""
    found: list[Candidate] = []
    if "上" in text and "在" in text:
        for m in _ON_ZH.finditer(text):
            if _RESULT_AFTER.match(text, m.end()):
                found += _members(text, m.start(1), m.end(1), taken, gazetteer, stopwords)
    if " on" in text:
        for m in _ON.finditer(text):
            if _SCORE_BEFORE.search(text, max(0, m.start() - 30), m.start()) is None:
                continue
            name = _EN_NAME.match(text, m.end())
            if name is None:
                continue  # "71.3 on the …"
            at = name.end()
            found += _members(text, m.end(), at, taken, gazetteer, stopwords)
            while (more := _EN_MORE.match(text, at)) is not None:
                found += _members(text, more.start(1), more.end(1), taken, gazetteer, stopwords)
                at = more.end()
    for m in _BENCH_WORD.finditer(text) if "ench" in text or "EVAL" in text or "Eval" in text else ():
        prefix = _NON_LATIN_PREFIX.search(text, max(0, m.start() - 8), m.start())
        if prefix is not None and not taken.overlaps(prefix.start(), m.end()):
            found.append(Candidate(prefix.start(), m.end(), "Benchmark", "zh-bench", priority=2))
    return found


def _members(
    text: str, start: int, end: int, taken: Occupied, gazetteer: Gazetteer, stopwords: frozenset[str]
) -> list[Candidate]:
    found = []
    for m in _MEMBER_RE.finditer(text, start, end):
        s, e = m.span()
        while s < e and text[s] == "*":
            s += 1
        while e > s and text[e - 1] in "*.,'":
            e -= 1
        name = text[s:e]
        if not name or taken.overlaps(s, e) or identity_key(name) in stopwords or _DEVICE.search(name):
            continue
        types = gazetteer.types_of(name)
        if types and "Benchmark" not in types:
            continue  # a known model, organization or method ("在 Qwen3 上")
        if _could_be_cued(name, stopwords):
            found.append(Candidate(s, e, "Benchmark", "result-on", priority=1))
    return found
