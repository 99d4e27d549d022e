"""Splitting digests into items: the four known layouts (synthetic look-alikes) and fallbacks."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest.split import split_digest
from kg.ingest.syntax import classify_lines
from kg.models import Digest

Read = Callable[..., Digest]

BRIEF = """# Tech Brief | 2025-03-14

## 📊 Today

### 1. [Acme Labs] RocketLM: a small model that runs on phones
**Source**: Example News | **Time**: 2025-03-13 09:00
**Score**: ⭐⭐⭐ **标签**: [语言模型] [端侧推理 (On-device)]
**Link**: https://example.com/rocketlm

> 🎯 **Summary**: Acme Labs released RocketLM, a 3B model distilled from a larger teacher.

#### 🔹 核心技术/实现逻辑
- **Sparse attention**: only a window of tokens is attended.

#### 📊 实验数据/关键结论
- RocketLM scores 70.1 on MMLU.

#### 🔗 相关资源
- **Paper**: [arXiv:2503.01234](https://arxiv.org/pdf/2503.01234v3)

---

### 2. [Beta Corp] BetaChat adds memory across sessions
**Source**: Example News | **Time**: 2025-03-14 10:30
**Score**: ⭐⭐ **标签**: [对话系统]

> 🎯 **Summary**: Beta Corp's assistant now remembers user preferences between chats.

#### 🔹 核心技术/实现逻辑
- A retrieval store keeps summaries of earlier sessions.

#### 📊 实验数据/关键结论
- Users rated answers 12% higher.

---

### 3. [Gamma University] A survey of world models for robots
**Source**: Lab Blog | **Time**: 2025-03-14 11:00

> 🎯 **Summary**: The survey sorts world models by how they represent state and dynamics.

#### 🔗相关资源
- Code: https://github.com/gamma-lab/world-model-survey

---
"""

ARTICLES = """my own notes ~            https://blog.example.com/post/1

#Alpha Model

A short subtitle about Alpha

Alpha is a new open model trained by the Example Institute on ten trillion tokens.

论文链接:https://arxiv.org/abs/2401.00001

.....

#Beta Tool

Beta Tool helps engineers deploy models. The setup takes three commands:

def run(x):
    # compute things
    return x

# install
pip install beta-tool
# run it
beta --fast --model alpha

.....

#Placeholder

xx

.....

#Gamma

Gamma is a benchmark of long-context reasoning tasks with 2,000 questions.
"""

PAPERS = """# Daily Papers Report
**Date**: 2025-03-14
**Source URL**: https://huggingface.co/papers/date/2025-03-14

============================================================

## 📄 FooNet: Fast Attention for Long Inputs

- **链接**: https://huggingface.co/papers/2503.00001
- **阅读来源**: HTML

# 论文分析报告：FooNet: Fast Attention for Long Inputs

### 1. 应用领域
NLP - long context modelling for language models.

### 2. 实验效果
FooNet is 3x faster than FlashAttention on 128k inputs.

============================================================

## 📄 BarBench: Measuring Agents on Real Tasks

- **链接**: https://huggingface.co/papers/2503.00002

### BarBench 研究报告

1. **应用领域**：agent evaluation with 500 real-world tasks.

### 2. **实验效果**
GPT-4o solves 41% of BarBench tasks.

============================================================

## 📄 BazRL: Reinforcement Learning for Kernels

- **链接**: https://huggingface.co/papers/2503.00003

# BazRL 论文报告

## 1. 应用领域
Code generation of GPU kernels with reinforcement learning.

## 2. 实验效果
BazRL kernels beat the compiler baseline on 60% of cases.

============================================================
"""

FLASH = """# Weekly AI Flash (2025-03-10 至 2025-03-16)

## ⚡ 本期速览

- **[模型]** **Acme发布RocketLM**: 端侧小模型，在手机上即可运行，性能接近大模型。
- **[应用]** **Gamma机器人上岗**: 仓储机器人完成了第一万次无人工干预的分拣任务。

---

## 1. AI 基础设施

*(本期无相关内容)*

---

## 2. AI 模型与技术

### **Acme发布RocketLM**

[阅读原文](https://example.com/a?x=1&y=2)  `[2025-03-11]`

> **概要**：Acme Labs 发布 RocketLM，一个可以在手机上运行的 3B 参数模型。

**💡内容详解**

 - **要点**
     - 采用稀疏注意力机制，显著降低显存占用。

[相关论文](https://arxiv.org/abs/2503.00003v2)
### **Beta推出BetaChat**

[阅读原文](https://example.com/b)  `[2025-03-12]`

> **概要**：BetaChat 新增跨会话记忆能力，可记住用户偏好并在后续对话中使用。

---

## 3. AI 应用与智能体

### **Gamma机器人上岗**

[阅读原文](https://example.com/c)  `[2025-03-13]`

> **概要**：Gamma 仓储机器人完成了第一万次无人工干预的分拣任务，效率提升三成。

---

## 拓展阅读

### [模型与技术]
* [https://github.com/acme/rocketlm](https://github.com/acme/rocketlm) - code

### [行业动态]
* [https://example.com/news](https://example.com/news) - external
"""


def titles(digest: Digest) -> list[str]:
    return [item.title for item in digest.items]


def test_brief_layout_items_are_the_level_under_a_category(read: Read) -> None:
    digest = read(BRIEF)
    assert digest.layout == "headings:3"
    assert digest.title == "Tech Brief | 2025-03-14"
    assert digest.date == "2025-03-14"
    assert [t.split("]")[0] + "]" for t in titles(digest)] == [
        "[Acme Labs]", "[Beta Corp]", "[Gamma University]",
    ]
    first = digest.items[0]
    assert first.line == 5
    assert first.date == "2025-03-13"
    assert first.tags == ("Today", "语言模型", "端侧推理 (On-device)")
    assert first.arxiv_ids == ("2503.01234",)
    assert "核心技术/实现逻辑" in first.text and "Sparse attention" in first.text
    assert digest.items[2].github_repos == ("gamma-lab/world-model-survey",)


def test_article_layout_without_space_after_hash(read: Read) -> None:
    digest = read(ARTICLES)
    assert digest.layout == "headings:1"
    assert titles(digest) == ["Alpha Model", "Beta Tool", "Gamma"]
    beta = digest.items[1].text
    assert "# install" in beta and "pip install beta-tool" in beta and "# compute things" in beta
    assert "xx" in beta  # the tiny placeholder article was merged into its neighbour
    assert digest.items[0].arxiv_ids == ("2401.00001",)
    assert digest.title == "digest"


def test_paper_report_layout_ignores_repeated_titles_and_template_subheads(read: Read) -> None:
    digest = read(PAPERS)
    assert digest.layout == "headings:2"
    assert titles(digest) == [
        "FooNet: Fast Attention for Long Inputs",
        "BarBench: Measuring Agents on Real Tasks",
        "BazRL: Reinforcement Learning for Kernels",
    ]
    assert digest.date == "2025-03-14"
    assert [item.hf_paper_ids for item in digest.items] == [("2503.00001",), ("2503.00002",), ("2503.00003",)]
    assert "论文分析报告：FooNet" in digest.items[0].text
    assert "应用领域" in digest.items[2].text and "BazRL kernels beat" in digest.items[2].text


def test_flash_layout_categories_become_tags(read: Read) -> None:
    digest = read(FLASH)
    assert digest.layout == "headings:3"
    assert digest.date == "2025-03-10"
    assert titles(digest) == [
        "本期速览", "Acme发布RocketLM", "Beta推出BetaChat", "Gamma机器人上岗", "拓展阅读",
    ]
    summary, rocket, beta, gamma, more = digest.items
    assert "**Acme发布RocketLM**" in summary.text
    assert rocket.tags == ("AI 模型与技术",) and gamma.tags == ("AI 应用与智能体",)
    assert rocket.date == "2025-03-11" and beta.date == "2025-03-12"
    assert rocket.links == ("https://example.com/a?x=1&y=2", "https://arxiv.org/abs/2503.00003v2")
    assert rocket.arxiv_ids == ("2503.00003",)
    assert more.github_repos == ("acme/rocketlm",)
    assert "**💡内容详解**" in rocket.text


def test_a_lone_top_heading_with_peers_is_an_item_not_the_title(read: Read) -> None:
    digest = read("# First story about OpenAI and GPT-5\n\nBody one with enough words in it.\n\n"
                  "# Second story about Google Gemini\n\nBody two with enough words in it.\n")
    assert titles(digest) == ["First story about OpenAI and GPT-5", "Second story about Google Gemini"]
    assert digest.title == "digest"


def test_setext_headings_split_items(read: Read) -> None:
    digest = read("Weekly digest\n=============\n\nOpenAI ships a model\n--------------------\n\n"
                  "Text about the OpenAI model release.\n\nGoogle ships a model\n--------------------\n\n"
                  "Text about the Google model release.\n")
    assert digest.title == "Weekly digest"
    assert titles(digest) == ["OpenAI ships a model", "Google ships a model"]


# --- fallbacks for layouts never seen ---------------------------------------------------


def test_separator_layout(read: Read) -> None:
    digest = read(
        "OpenAI released a new reasoning model this week with better math scores.\n\n---\n\n"
        "Google DeepMind published AlphaFold 4 with improved protein accuracy.\n\n***\n\n"
        "Meta open-sourced Llama 5 under a permissive license for research.\n"
    )
    assert digest.layout == "separators"
    assert len(digest.items) == 3
    assert digest.items[1].line == 5


def test_bold_line_layout(read: Read) -> None:
    digest = read(
        "AI news roundup\n\n"
        "**1. OpenAI ships o5**\nThe model reasons over long documents and tools.\n\n"
        "**2. Anthropic ships Claude 5**\nThe release focuses on coding agents and safety.\n\n"
        "**3. Mistral ships Large 3**\nA mixture-of-experts model with open weights.\n"
    )
    assert digest.layout == "bold-lines"
    assert titles(digest) == ["OpenAI ships o5", "Anthropic ships Claude 5", "Mistral ships Large 3"]


@pytest.mark.parametrize("marker", ["{n}. ", "{n}、", "{zh}、", "【Org{n}】", "- "])
def test_numbered_and_bulleted_layouts(read: Read, marker: str) -> None:
    zh = "一二三"
    lines = [
        marker.format(n=n + 1, zh=zh[n]) + f"Company {n} announced model number {n} with new features."
        + f"\n  More detail about model {n} and its benchmarks."
        for n in range(3)
    ]
    digest = read("今日要闻\n\n" + "\n".join(lines) + "\n")
    assert digest.layout == "numbered"
    assert len(digest.items) == 3
    assert all("More detail" in item.text for item in digest.items)


def test_paragraph_layout(read: Read) -> None:
    digest = read(
        "OpenAI released a new reasoning model this week with better math scores.\n\n"
        "ok\n\n"
        "Google DeepMind published AlphaFold 4 with improved protein accuracy.\n"
    )
    assert digest.layout == "paragraphs"
    assert len(digest.items) == 2
    assert "ok" in digest.items[0].text


def test_short_fragments_merge_but_linked_ones_stay(read: Read) -> None:
    digest = read("## A real story about Nvidia Blackwell GPUs\n\nSome body text here.\n\n"
                  "## Tiny\n\nx\n\n## Link only\n\nhttps://example.com/x\n")
    assert titles(digest) == ["A real story about Nvidia Blackwell GPUs", "Link only"]
    assert "Tiny" in digest.items[0].text


def test_code_only_headings_are_not_items(read: Read) -> None:
    text = "\n".join(f"# step {i}\npython run.py --step {i}\n" for i in range(5))
    digest = read("# Digest\n\n## Story one: a tool release\n\nThe tool is installed like this:\n\n" + text
                  + "\n## Story two: another release\n\nAnother tool was released by the same team.\n")
    assert titles(digest) == ["Story one: a tool release", "Story two: another release"]
    assert "# step 4" in digest.items[0].text


# --- robustness -------------------------------------------------------------------------


def test_deeply_nested_list_is_linear(read: Read) -> None:
    nested = "\n".join("  " * i + f"- level {i} of the nested list" for i in range(400))
    quoted = "\n".join("> " * i + f"quote level {i}" for i in range(1, 400))
    start = time.perf_counter()
    digest = read("# Title\n\n" + nested + "\n\n" + quoted + "\n")
    assert time.perf_counter() - start < 5
    assert "level 399 of the nested list" in digest.items[0].text
    assert "quote level 399" in "\n".join(item.text for item in digest.items)


def test_five_megabyte_single_line(read: Read) -> None:
    chunk = "OpenAI 发布了 GPT-5，详见 https://example.com/a?b=1 与 **加粗** [链接](https://arxiv.org/abs/2507.22920) a<b & c "
    line = (chunk * (5_000_000 // len(chunk) + 1))[:5_000_000]
    start = time.perf_counter()
    digest = read(line)
    assert time.perf_counter() - start < 20
    assert len(digest.items) == 1
    assert digest.items[0].arxiv_ids == ("2507.22920",)


@pytest.mark.parametrize("text", ["[" * 200_000, "<a" * 100_000, "`" * 200_000, "# " + "#" * 200_000,
                                  "```x\n" * 20_000, "|" * 200_000, "- " * 100_000 + "x"])
def test_pathological_inputs_are_fast(read: Read, text: str) -> None:
    start = time.perf_counter()
    read(text + "\nsome ordinary words to make an item")
    assert time.perf_counter() - start < 5


def test_split_on_classified_lines_directly() -> None:
    split = split_digest(classify_lines(BRIEF.split("\n")))
    assert split.title == "Tech Brief | 2025-03-14"
    lines = BRIEF.split("\n")
    starts = [n for n, line in enumerate(lines, start=1) if line.startswith("### ")]
    assert [s.line for s in split.sections] == starts


def test_one_article_with_a_bullet_list_stays_one_item(read: Read) -> None:
    digest = read("# Digest\n\n## OpenAI ships o5\n\nOpenAI released o5 today with three changes:\n\n"
                  "- longer context for every user of the API\n- cheaper tokens for batch jobs\n")
    assert titles(digest) == ["OpenAI ships o5"]
    assert "cheaper tokens" in digest.items[0].text


def test_a_lone_category_heading_over_a_numbered_list(read: Read) -> None:
    digest = read("# 日报 2026-02-07\n\n## 今日要闻\n\n"
                  "1. **OpenAI** 发布 o5 模型，推理能力显著提升，价格下降。\n"
                  "2. **Google** 发布 Gemini 4，支持更长的上下文窗口与工具调用。\n")
    assert digest.layout == "numbered"
    assert titles(digest) == ["OpenAI", "Google"]
    assert digest.items[0].text == "发布 o5 模型，推理能力显著提升，价格下降。"
    assert all(item.tags == ("今日要闻",) for item in digest.items)


def test_one_line_blocks_are_text_without_a_title(read: Read) -> None:
    digest = read("要闻\n\n1、DeepSeek 发布 V4 模型，支持百万上下文。\n\n2、OpenAI 下调 API 价格一半，缓存命中再降。\n")
    assert titles(digest) == ["", ""]
    assert [item.text for item in digest.items] == [
        "DeepSeek 发布 V4 模型，支持百万上下文。", "OpenAI 下调 API 价格一半，缓存命中再降。",
    ]


def test_box_drawing_rules_between_entries_separate_items(read: Read) -> None:
    entry = "▲ {n}  {name}: A Paper Title\n       arXiv 2502.0999{n} · Quokka Labs\n\nAbstract — {name} does things.\n\n中文速评：不错。\n"
    rule = "\n" + "─" * 40 + "\n\n"
    digest = read("Daily Papers\n\n" + rule + rule.join(entry.format(n=n, name=name) for n, name in ((1, "Alpha"), (2, "Beta"), (3, "Gamma"))))
    assert digest.layout == "separators"
    assert [item.title for item in digest.items] == ["Alpha: A Paper Title", "Beta: A Paper Title", "Gamma: A Paper Title"]
    assert all("中文速评" in item.text for item in digest.items)


def test_rules_that_only_frame_the_body_do_not_make_it_one_item(read: Read) -> None:
    body = "\n\n".join(f"{org} 发布了新模型，细节见官方博客与技术报告。" for org in ("OpenAI", "Google", "Meta", "Anthropic"))
    digest = read("AI 早报\n\n> 一行一条。\n\n---\n\n" + body + "\n\n" + "━" * 20 + "\n\n编辑：小李\n")
    assert digest.layout != "separators"
    assert sum(1 for item in digest.items if "发布了新模型" in item.text) == 4


def test_template_only_headings_fall_back_to_separators(read: Read) -> None:
    story = "{name} released a model that tops the leaderboard this week.\n\n#### 核心技术\n- detail about {name}\n"
    digest = read("\n---\n\n".join(story.format(name=n) for n in ("OpenAI", "Google", "Meta")))
    assert digest.layout == "separators"
    assert [item.title[:6] for item in digest.items] == ["OpenAI", "Google", "Meta r"]


def test_bold_stories_under_category_headings(read: Read) -> None:
    digest = read(
        "# Weekly\n\n## Models\n\n**Acme ships RocketLM**\nRocketLM is a 3B model that runs on phones.\n"
        "**Beta ships BetaChat**\nBetaChat remembers users across sessions now.\n\n"
        "## Robots\n\n**Gamma robot picks parcels**\nThe robot sorted ten thousand parcels unaided.\n"
        "**Delta arm learns from video**\nDelta's arm imitates humans from one video clip.\n"
    )
    assert digest.layout == "bold-lines"
    assert titles(digest) == [
        "Acme ships RocketLM", "Beta ships BetaChat", "Gamma robot picks parcels", "Delta arm learns from video",
    ]
    assert [item.tags for item in digest.items] == [("Models",), ("Models",), ("Robots",), ("Robots",)]


def test_unique_bold_lines_inside_a_few_items_do_not_split_them(read: Read) -> None:
    items = []
    for n in range(6):
        extra = "**NLP - 大模型对齐 (Alignment)**\n**另一个加粗行 {n}**\n".format(n=n) if n == 0 else ""
        items.append(f"## Paper {n}: a study of something\n\n- **链接**: https://huggingface.co/papers/2502.0000{n}\n\n{extra}正文内容足够长，描述论文 {n} 的方法与实验结果。\n")
    digest = read("# Report\n\n" + "\n".join(items))
    assert digest.layout == "headings:2"
    assert len(digest.items) == 6


_LINES = [
    "", "# Title", "#Title two", "## 📄 Paper A: a method", "# 论文分析报告：Paper A: a method",
    "### 1. 应用领域", "#### 🔹 核心技术", "## 1. 类别", "### **Story**", "**1. Bold story**",
    "**标签**: [统计学] [机器学习]", "**时间**: 2026-02-07 12:00", "---", "=====", ".....",
    "```", "~~~", "def f(x):", "    return x", "# comment", "pip install x", "- bullet item text",
    "1. numbered item text", "一、中文编号", "【机构】消息正文", "> quote", "| a | b |", "|---|---|",
    "Some prose with a [link](https://example.com/x) and https://github.com/a/b.",
    "Underlined title", "Long prose line about models and benchmarks that goes on and on.",
    "<script>", "</script>", "<!--", "-->", "<b>bold</b>",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LINES), max_size=60))
def test_split_any_arrangement_of_lines(lines: list[str]) -> None:
    classified = classify_lines(lines)
    split = split_digest(classified)
    starts = [section.line for section in split.sections]
    assert starts == sorted(starts)
    assert all(1 <= line <= len(lines) for line in starts)


ROUNDUP_ENTRY = "【{n}】{title}\n  作者单位：{org}\n  arXiv：2505.0670{n}\n\n  {title} 这篇论文研究了一个问题，方法简单，实验覆盖多个模型与基准，结论清楚，值得一读。\n\n"
ROUNDUP_SECTION = "-" * 40 + "\n{heading}\n" + "-" * 40 + "\n\n{entries}"


def _roundup(entry: str = ROUNDUP_ENTRY, numbers: tuple[int, ...] = (1, 2, 3, 4)) -> str:
    papers = ["Gated Things for Large Models", "Deep Networks for Control", "Why Models Forget", "Scaling Tiny Recursions"]
    entries = [entry.format(n=n, title=papers[k], org="某大学") for k, n in enumerate(numbers)]
    return "会议论文整理\n" + "=" * 30 + "\n\n" + ROUNDUP_SECTION.format(heading="一、最佳论文", entries="".join(entries[:2])) + (
        ROUNDUP_SECTION.format(heading="二、亚军论文", entries="".join(entries[2:]))
    )


def test_numbered_entries_under_a_category_heading_are_items(read: Read) -> None:
    digest = read(_roundup(), name="roundup.txt")
    assert titles(digest) == ["Gated Things for Large Models", "Deep Networks for Control", "Why Models Forget", "Scaling Tiny Recursions"]
    assert [item.tags for item in digest.items] == [("最佳论文",)] * 2 + [("亚军论文",)] * 2
    assert all("arXiv：2505.0670" in item.text and "值得一读" in item.text for item in digest.items)
    assert [item.line for item in digest.items] == [8, 14, 24, 30]


def test_numbered_lines_without_bodies_or_in_no_sequence_stay_in_their_section(read: Read) -> None:
    references = read(_roundup(entry="[{n}] {title}, {org}, 2025\n"), name="roundup.txt")  # a reference list
    assert titles(references) == ["最佳论文", "亚军论文"]
    unnumbered = read(_roundup(numbers=(1, 3, 5, 7)), name="roundup.txt")  # points that skip numbers
    assert titles(unnumbered) == ["最佳论文", "亚军论文"]


def test_flash_categories_holding_one_story_each_are_still_categories(read: Read) -> None:
    # most categories of a short week hold one story; a heading whose only text is one story's
    # heading is a category all the same, and the stories are the items
    digest = read(
        "# AI 前沿动态速报 (2025-03-10 至 2025-03-14)\n\n"
        "## 本期速览\n\n1. Acme 开源 RocketLM\n2. Beta 推出 BetaChat\n\n"
        "## 1. AI 基础设施\n\n### **Delta 数据中心上线**\n\nDelta 宣布新的数据中心投入使用，算力翻倍。\n\n"
        "## 2. AI 模型与技术\n\n### **Acme 开源 RocketLM**\n\nAcme 开源了 RocketLM-7B 与 RocketLM-70B 两个模型。\n\n"
        "### **Beta 推出 BetaChat**\n\nBeta 推出对话模型 BetaChat，面向客服场景。\n\n"
        "## 3. 学术前沿\n\n### **Gamma 提出新的检索方法**\n\nGamma 大学提出一种稀疏检索方法，召回率提升。\n"
    )
    assert titles(digest) == [
        "本期速览", "Delta 数据中心上线", "Acme 开源 RocketLM", "Beta 推出 BetaChat", "Gamma 提出新的检索方法",
    ]
    assert digest.items[1].tags == ("AI 基础设施",) and digest.items[4].tags == ("学术前沿",)


def test_an_item_with_one_subheading_after_its_text_is_still_one_item(read: Read) -> None:
    # unlike a category, these items say something before their one subheading
    digest = read(
        "# Weekly\n\n"
        "## Acme releases RocketLM\n\nAcme released RocketLM today, with two sizes and an open licence.\n\n"
        "### Training data\n\nIt was trained on ten trillion tokens of public text.\n\n"
        "### Licence terms\n\nThe weights are released under Apache-2.0 for any use.\n\n"
        "## Beta ships BetaChat\n\nBeta shipped BetaChat, a chat model for support desks, this week.\n\n"
        "### Languages supported\n\nIt answers in twelve languages and hands hard cases to a person.\n\n"
        "## Gamma hires\n\nGamma hired a new research lead from a large lab.\n\n"
        "### Team plans\n\nThe lead will run its model team and hire ten people this year.\n\n"
        "## Delta raises\n\nDelta raised a new round to build larger models for search.\n\n"
        "### Investors named\n\nTwo funds led the round, with three earlier backers joining.\n"
    )
    assert titles(digest) == ["Acme releases RocketLM", "Beta ships BetaChat", "Gamma hires", "Delta raises"]


def test_a_chat_channel_export_is_split_into_its_messages(read: Read) -> None:
    digest = read(
        "AI 观察, [07.01.25 11:05]\n[Photo]\n🟢 Acme 发布 RocketLM\n\nAcme 发布了 RocketLM-7B，开源可商用。\n\n"
        "AI 观察, [08.01.25 09:42]\n[Forwarded from 论文速读]\n📐 Beta 大学：小模型数学推理\n\nBeta 大学的 BetaMath 在 MATH 上得分 90.0。\n\n"
        "AI 观察, [08.01.25 13:20]\n[In reply to AI 观察]\n补充：BetaMath 的代码还没放出来。\n\n"
        "AI 观察, [09.01.25 20:17]\n[File: 2501.14472v1.pdf]\nGamma 实验室：仓库级修复\n\nGamma 用拒绝采样训练了 Gamma-Coder-14B。\n"
    )
    assert digest.layout == "messages"
    assert titles(digest) == ["Acme 发布 RocketLM", "Beta 大学：小模型数学推理", "Gamma 实验室：仓库级修复"]
    assert "[Photo]" not in digest.items[0].text and "Forwarded" not in digest.items[1].text
    # a short reply goes with the message before it, as any fragment does
    assert digest.items[1].text.endswith("补充：BetaMath 的代码还没放出来。")


def test_a_bracketed_time_and_sender_line_opens_each_message(read: Read) -> None:
    digest = read(
        "[2025-01-07, 11:05] Lin:\nAcme released RocketLM-7B under an open licence today.\n\n"
        "[2025-01-08, 09:42] Lin:\nBeta University's BetaMath scored 90.0 on MATH.\n\n"
        "[2025-01-09, 20:17] Chen:\nGamma Lab trained Gamma-Coder-14B with rejection sampling.\n"
    )
    assert digest.layout == "messages"
    assert len(digest.items) == 3 and "BetaMath" in digest.items[1].text


def test_two_timestamped_lines_do_not_make_a_chat(read: Read) -> None:
    digest = read("Notes, [07.01.25 11:05]\nFirst paragraph about Acme.\n\nNotes, [08.01.25 09:42]\nSecond about Beta.\n")
    assert digest.layout != "messages"
