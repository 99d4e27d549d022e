"""Markdown and embedded HTML to plain text; link collection; front matter."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest.frontmatter import parse_front_matter
from kg.ingest.htmltext import remove_hidden_html
from kg.ingest.markdown import clean_heading, clean_url, to_plain


_TOKENS = list("ab #*_-=|[]()<>!`\\\"'&;:/.\t中1") + [
    "https://", "<script>", "</b>", "<b>", "```", "<a href='https://x.y'>", "</a>", "&amp;", "---",
]


def plain(text: str) -> str:
    return to_plain(text.split("\n")).text


def test_script_style_and_comments_are_gone() -> None:
    text = (
        "Before <script type='text/javascript'>alert('secret script')</script> middle\n"
        "<style>\n.hidden { color: red }\n</style>\n"
        "<!-- an editor's note\nspanning lines -->after\n"
        "<SCRIPT>\nvar leaked = 1;\n</SCRIPT>end"
    )
    result = plain(remove_hidden_html(text))
    for gone in ("secret", "alert", "color", "editor", "leaked", "<", "script"):
        assert gone not in result
    assert "Before" in result and "middle" in result and "after" in result and "end" in result


def test_hidden_html_keeps_line_numbers() -> None:
    text = "a\n<script>\nx\ny\n</script>\nb"
    assert remove_hidden_html(text).split("\n").index("b") == text.split("\n").index("b")


def test_unclosed_script_runs_to_the_end() -> None:
    assert "evil" not in remove_hidden_html("text <script> evil()\nmore evil")


def test_tags_are_stripped_to_their_text_and_entities_unescaped() -> None:
    result = to_plain(
        ['<div class="x"><p>Meta &amp; Google <em>released</em> <b>Llama</b> &lt;3&gt;</p>',
         '<a href="https://example.com/llama">the model card</a><br/>next line</div>']
    )
    assert "Meta & Google released **Llama** <3>" in result.text
    assert "the model card" in result.text and "next line" in result.text
    assert "<div" not in result.text and "href" not in result.text
    assert result.links == ("https://example.com/llama",)


def test_strong_becomes_markdown_bold() -> None:
    assert plain("<strong>DeepSeek-V3</strong> wins") == "**DeepSeek-V3** wins"


def test_unknown_angle_bracket_words_survive() -> None:
    text = "The token <df_n> and List<int> and a < b > c stay"
    assert plain(text) == text


def test_markdown_links_keep_text_and_remember_urls() -> None:
    result = to_plain(
        ["Read [the paper](https://arxiv.org/abs/2507.22920v2 \"title\") and ![fig](https://img.example.com/a.png).",
         "See <https://github.com/openai/gpt-oss>, or https://example.com/a_(b)).",
         "[ref]: https://example.com/reference"]
    )
    assert result.text.startswith("Read the paper (arXiv:2507.22920) and fig.")
    assert result.links == (
        "https://arxiv.org/abs/2507.22920v2",
        "https://img.example.com/a.png",
        "https://github.com/openai/gpt-oss",
        "https://example.com/a_(b)",
        "https://example.com/reference",
    )


@pytest.mark.parametrize(
    "line, text",
    [
        # the link's text alone would not say which paper it is: its id stays beside it
        ("- [Molmo and PixMo: Open Weights and Open Data](https://arxiv.org/abs/2409.17146)",
         "- Molmo and PixMo: Open Weights and Open Data (arXiv:2409.17146)"),
        ("[相关论文](https://arxiv.org/pdf/2412.10302v2.pdf)", "相关论文 (arXiv:2412.10302)"),
        ("| [Native Sparse Attention](http://www.arxiv.org/html/2502.11089) | DeepSeek |",
         "Native Sparse Attention (arXiv:2502.11089) | DeepSeek"),
        # the text already names the paper, or the link is not to an arXiv paper
        ("[arXiv:2409.12191](https://arxiv.org/pdf/2409.12191)", "arXiv:2409.12191"),
        ("[https://arxiv.org/abs/2502.03560](https://arxiv.org/abs/2502.03560)", "https://arxiv.org/abs/2502.03560"),
        ("[the list](https://arxiv.org/list/cs.CL/recent)", "the list"),
        ("[代码](https://github.com/allenai/molmo)", "代码"),
    ],
)
def test_a_link_to_an_arxiv_paper_keeps_its_id_beside_its_text(line, text) -> None:
    assert to_plain([line]).text == text


def test_a_heading_linking_its_paper_reads_as_written() -> None:
    assert to_plain(["### [Byte Latent Transformer](https://arxiv.org/abs/2412.09871)"]).text == "Byte Latent Transformer"
    assert clean_heading("[Byte Latent Transformer](https://arxiv.org/abs/2412.09871)") == "Byte Latent Transformer"


def test_urls_stop_at_chinese_text_and_punctuation() -> None:
    result = to_plain(["论文链接:https://arxiv.org/abs/2401.00001，代码见https://github.com/a/b。"])
    assert result.links == ("https://arxiv.org/abs/2401.00001", "https://github.com/a/b")


def test_link_text_that_is_a_url_is_kept() -> None:
    result = to_plain(["* [https://github.com/acme/rocket](https://github.com/acme/rocket) - code"])
    assert result.text == "* https://github.com/acme/rocket - code"
    assert result.links == ("https://github.com/acme/rocket",)


def test_markdown_table_is_content() -> None:
    result = plain(
        "| Model | MMLU | Org |\n|:------|-----:|:---:|\n| GPT-4o | 88.7 | OpenAI |\n| Qwen2.5 | 85.3 | [阿里](https://qwen.ai) |"
    )
    assert result.split("\n") == [
        "Model | MMLU | Org",
        "GPT-4o | 88.7 | OpenAI",
        "Qwen2.5 | 85.3 | 阿里",
    ]


def test_html_table_is_content() -> None:
    result = plain(
        "<table><tr><th>Model</th><th>Score</th></tr>\n<tr><td>Claude 3.5</td><td>92.0</td></tr></table>"
    )
    assert "Model | Score" in result
    assert "Claude 3.5 | 92.0" in result


def test_quotes_and_backslashes_are_preserved() -> None:
    text = 'He said "it\'s \\not\\ escaped" and $\\sin(x)$ \\* stays'
    assert plain(text) == text


def test_bold_is_kept_and_headings_lose_their_hashes() -> None:
    assert plain("#### 🔹 **核心技术**\n- **SAC (Soft Actor-Critic)**: 算法") == (
        "🔹 **核心技术**\n- **SAC (Soft Actor-Critic)**: 算法"
    )


def test_fenced_code_is_kept_as_text_without_fences() -> None:
    result = plain("intro <i>html</i>\n```python\n# not a heading\nx = '<b>&amp;'\n```\nafter")
    assert result == "intro html\n# not a heading\nx = '<b>&amp;'\nafter"


def test_blockquotes_lose_their_markers() -> None:
    assert plain("> 🎯 **一句话摘要**：内容\n> > nested") == "🎯 **一句话摘要**：内容\nnested"


def test_clean_heading() -> None:
    assert clean_heading("📄 CoPE: Clipped RoPE") == "CoPE: Clipped RoPE"
    assert clean_heading("1. [UPenn/COPSS] 苏某获奖") == "[UPenn/COPSS] 苏某获奖"
    assert clean_heading("**DeepSeek发布mHC架构**") == "DeepSeek发布mHC架构"
    assert clean_heading("⚡ 本期速览") == "本期速览"
    assert clean_heading("二、行业动态") == "行业动态"
    assert clean_heading("5.2.8 Full Spec") == "Full Spec"
    assert clean_heading("7B") == "7B"
    assert clean_heading("3 条命令跑起来") == "3 条命令跑起来"
    # a daily-papers list's rank and vote count are not the paper's title
    assert clean_heading("#1 ▲ 356 · DeepSeek-OCR: Contexts Optical Compression") == "DeepSeek-OCR: Contexts Optical Compression"
    assert clean_heading("#3 ⭐ 1,204 | RepoName: a tool") == "RepoName: a tool"
    assert clean_heading("🔥 3 条命令跑起来") == "3 条命令跑起来"  # a title that starts with a number keeps it
    assert clean_heading("#1 ▲ 356") == "#1 ▲ 356"  # nothing but a rank and votes: left as it was


def test_clean_url() -> None:
    assert clean_url("https://a.com/x).") == "https://a.com/x"
    assert clean_url("https://en.wikipedia.org/wiki/Foo_(bar)") == "https://en.wikipedia.org/wiki/Foo_(bar)"
    assert clean_url("https://a.com/x**") == "https://a.com/x"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_TOKENS), max_size=30).map("".join), max_size=30))
def test_to_plain_never_crashes(lines: list[str]) -> None:
    result = to_plain(lines)
    assert isinstance(result.text, str)
    assert all(url.startswith(("http://", "https://")) for url in result.links)


def test_front_matter() -> None:
    lines = [
        "---",
        'title: "AI: 日报"',
        "date: 2026-02-07",
        "tags: [llm, \"agents, tools\"]",
        "authors:",
        "  - Alice",
        "  - Bob",
        "# a comment",
        "---",
        "# Body",
    ]
    front = parse_front_matter(lines)
    assert front.data == {
        "title": "AI: 日报",
        "date": "2026-02-07",
        "tags": ["llm", "agents, tools"],
        "authors": ["Alice", "Bob"],
    }
    assert front.line_count == 9


def test_front_matter_is_never_evaluated() -> None:
    front = parse_front_matter(["---", "title: !!python/object/apply:os.system ['echo hi']", "---"])
    assert front.data["title"] == "!!python/object/apply:os.system ['echo hi']"


def test_a_separator_at_the_top_is_not_front_matter() -> None:
    assert parse_front_matter(["---", "Just a story about GPT-5.", "---", "More"]).line_count == 0
    assert parse_front_matter(["---", "title: unclosed"]).line_count == 0


def test_a_footnote_with_text_is_kept_and_a_footnote_that_is_a_link_is_a_link():
    result = to_plain(
        ["Shipped this week.[^1]", "", '[^1]: "Orbit4: Small LLMs on Phones", arXiv 2605.00002 — OpenBMB.', "[^2]: https://example.com/post"]
    )
    assert '[^1]: "Orbit4: Small LLMs on Phones", arXiv 2605.00002 — OpenBMB.' in result.text
    assert "example.com" not in result.text and result.links == ("https://example.com/post",)


def test_wiki_links_read_as_the_text_a_reader_sees() -> None:
    text = (
        "对比 [[MaskGCT]]、[[F5-TTS]] 和 [[CosyVoice 2]]。\n"
        "方法见 [[DiffRO|可微奖励优化]]，细节在 [[CosyVoice 3#训练]]。\n"
        "![[tts-chart.png|480]]\n"
        "![[周报模板]]"
    )
    assert plain(text).split("\n") == [
        "对比 MaskGCT、F5-TTS 和 CosyVoice 2。",
        "方法见 可微奖励优化，细节在 CosyVoice 3。",
        "",
        "周报模板",
    ]


def test_a_notion_relation_reads_as_the_names_without_the_paths_of_their_notes() -> None:
    text = (
        "机构: Nimbus Labs (../%E6%9C%BA%E6%9E%84%E5%BA%93/Nimbus%20Labs%202b41e0c5a7d38033.md), Orbit AI (../orgs/Orbit%20AI%2012ab.md)\n"
        "| [Zorblax 3](%E6%A8%A1%E5%9E%8B/Zorblax%203%202b41e0c5.md) | Nimbus Labs |\n"
        "见 (notes.md)，原文 (https://example.com/a.md)"
    )
    assert plain(text).split("\n") == [
        "机构: Nimbus Labs, Orbit AI",
        "Zorblax 3 | Nimbus Labs",
        "见 (notes.md)，原文 (https://example.com/a.md)",  # a bare file name, a web address: text
    ]
