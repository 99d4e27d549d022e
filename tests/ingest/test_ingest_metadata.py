"""Dates, tags, arXiv ids, GitHub repositories, Hugging Face papers and digest ids."""

from __future__ import annotations

from pathlib import PurePath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.ingest.ids import digest_id
from kg.ingest.reader import digest_id_of
from kg.ingest.metadata import (
    arxiv_ids,
    digest_date,
    file_name_date,
    find_dates,
    first_date,
    github_repos,
    hf_paper_ids,
    item_date,
    item_tags,
)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("AI 每日情报 | 2026-02-07", "2026-02-07"),
        ("report 2026/2/7", "2026-02-07"),
        ("report 2026.02.07.", "2026-02-07"),
        ("2026年2月7日 发布", "2026-02-07"),
        ("2026 年 12 月 31 日", "2026-12-31"),
        ("AI 前沿动态速报 (2026-01-04 至 2026-01-05)", "2026-01-04"),
        ("2026-02-30 is not a date, 2026-02-28 is", "2026-02-28"),
        ("arXiv 2507.22920 and v1.2.3 are not dates", None),
        ("mixed separators 2026-02/07", None),
    ],
)
def test_first_date(text: str, date: str | None) -> None:
    assert first_date(text) == date


def test_find_dates_in_order() -> None:
    assert list(find_dates("from 2025-12-31 to 2026年1月2日")) == ["2025-12-31", "2026-01-02"]


def test_file_name_dates() -> None:
    assert file_name_date("digest_2026-02-07") == "2026-02-07"
    assert file_name_date("20260207-ai-news") == "2026-02-07"
    assert file_name_date("002_366ed5b06f03b68f") is None


def test_digest_date_precedence() -> None:
    content = "text 2024-01-01"
    assert digest_date({"date": "2026-03-01T10:00:00Z"}, "News 2026-02-07", "2025-05-05", content) == "2026-03-01"
    assert digest_date({}, "News 2026-02-07", "2025-05-05", content) == "2026-02-07"
    assert digest_date({}, "News", "2025-05-05", content) == "2025-05-05"
    assert digest_date({}, None, "news", content) == "2024-01-01"
    assert digest_date({}, None, "news", "no date") is None


def test_item_date_from_metadata_lines() -> None:
    assert item_date(["**来源**: 机器之心 | **时间**: 2026-02-07 12:00"]) == "2026-02-07"
    assert item_date(["", "[阅读原文](https://x.y)  `[2026-01-04]`"]) == "2026-01-04"
    assert item_date(["Date: 2026/1/5"]) == "2026-01-05"
    assert item_date(["2026-01-06 08:00"]) == "2026-01-06"


def test_item_date_ignores_dates_in_prose() -> None:
    assert item_date(["谷歌研究员预言 2026-12-31 前将突破持续学习瓶颈。"]) is None
    deep = ["line"] * 10 + ["**时间**: 2026-02-07"]
    assert item_date(deep) is None


def test_item_tags() -> None:
    body = ["**价值**: 🌟🌟 **标签**: [统计学] [自动机器学习 (AutoML)] [统计学]", "Tags: agents, RAG、tools"]
    assert item_tags(body, ["AI 模型与技术"]) == (
        "AI 模型与技术", "统计学", "自动机器学习 (AutoML)", "agents", "RAG", "tools",
    )
    assert item_tags(["#hashtag #another in prose"]) == ()


def test_arxiv_ids() -> None:
    links = [
        "https://arxiv.org/abs/2507.22920v2",
        "https://arxiv.org/pdf/2505.19145",
        "https://arxiv.org/pdf/2505.19145.pdf",
        "http://arxiv.org/abs/hep-th/9901001v1",
        "https://example.com/2507.22921",
    ]
    text = "see arXiv:2411.14199v3 and ARXIV 2502.03560, not 2502.99999\n- **arXiv**：2510.26692"
    assert arxiv_ids(links, text) == (
        "2507.22920", "2505.19145", "hep-th/9901001", "2411.14199", "2502.03560", "2510.26692"
    )


def test_github_repos() -> None:
    links = [
        "https://github.com/openai/gpt-oss",
        "https://github.com/OpenAI/gpt-oss/tree/main/docs",
        "https://github.com/HUST-SLOW/SeaS.git",
        "http://github.com/alibaba/ROLL#readme",
        "https://github.com/features/copilot",
        "https://github.com/justanowner",
        "https://kevin-thu.github.io/StoryMem/",
    ]
    assert github_repos(links) == ("openai/gpt-oss", "HUST-SLOW/SeaS", "alibaba/ROLL")


def test_hf_paper_ids() -> None:
    links = [
        "https://huggingface.co/papers/2602.05258",
        "https://huggingface.co/papers/date/2026-02-07",
        "https://huggingface.co/Kevin-thu/StoryMem",
        "https://huggingface.co/papers/2602.05258#community",
    ]
    assert hf_paper_ids(links) == ("2602.05258",)


def test_digest_ids() -> None:
    assert digest_id(PurePath("000_5e63984f062d9650.txt")) == "000_5e63984f062d9650.txt"
    assert digest_id(PurePath("News/2026 Feb/Daily Digest.MD")) == "news/2026-feb/daily-digest.md"
    chinese = digest_id(PurePath("日报/AI 日报 2026-02-07.md"))
    assert chinese.startswith("ai-2026-02-07.md-") and chinese.isascii()
    assert chinese != digest_id(PurePath("周报/AI 日报 2026-02-07.md"))
    assert digest_id(PurePath("日报.md")) != digest_id(PurePath("周报.md"))


@pytest.mark.parametrize(
    "path, root, expected",
    [
        ("corpus/News/Daily Digest.MD", "corpus", "news/daily-digest.md"),
        ("/data/digests/2026/a.md", "/data/digests", "2026/a.md"),
        ("a.md", ".", "a.md"),
        ("/a.md", "/", "a.md"),
        ("corpus2/a.md", "corpus", "a.md"),  # not under the root: its name alone
        ("corpus/日报/a.md", "corpus", digest_id(PurePath("日报/a.md"))),
    ],
)
def test_a_digest_id_is_the_slug_of_the_path_below_its_root(path: str, root: str, expected: str) -> None:
    assert digest_id_of(PurePath(path), PurePath(root)) == expected


@given(st.lists(st.text(min_size=1, max_size=12).filter(lambda p: p not in (".", "..") and "/" not in p and "\x00" not in p), min_size=1, max_size=4))
def test_digest_id_is_a_stable_ascii_slug(parts: list[str]) -> None:
    path = PurePath(*parts)
    the_id = digest_id(path)
    assert the_id == digest_id(PurePath(path.as_posix()))
    assert the_id.isascii() and the_id == the_id.lower() and the_id
    assert " " not in the_id and "\\" not in the_id
