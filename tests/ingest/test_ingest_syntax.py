"""Line classification: ATX and setext headings, separators, fences, code comments."""

from __future__ import annotations

from kg.ingest.syntax import Kind, classify_lines, is_separator, looks_like_code, parse_atx_heading


def kinds(text: str) -> list[Kind]:
    return [line.kind for line in classify_lines(text.split("\n"))]


def test_atx_headings_with_and_without_space() -> None:
    assert parse_atx_heading("#Vibe Coding") == (1, "Vibe Coding")
    assert parse_atx_heading("## 📄 CoPE ##") == (2, "📄 CoPE")
    assert parse_atx_heading("### **DeepSeek发布mHC架构**") == (3, "**DeepSeek发布mHC架构**")
    assert parse_atx_heading("####### seven") is None
    assert parse_atx_heading("    # indented code") is None
    assert parse_atx_heading("#AI #LLM #agents") is None
    assert parse_atx_heading("#include <stdio.h>") is None
    assert parse_atx_heading("#") is None


def test_setext_headings() -> None:
    lines = classify_lines("Title One\n=========\n\nSub title\n---\n\nbody".split("\n"))
    assert (lines[0].kind, lines[0].level, lines[0].title) == (Kind.HEADING, 1, "Title One")
    assert lines[1].kind is Kind.UNDERLINE
    assert (lines[3].kind, lines[3].level) == (Kind.HEADING, 2)


def test_separator_after_a_blank_line_is_not_an_underline() -> None:
    assert kinds("text\n\n---\n\n=====\n\n*****\n\n.....") == [
        Kind.TEXT, Kind.BLANK, Kind.SEPARATOR, Kind.BLANK, Kind.SEPARATOR, Kind.BLANK,
        Kind.SEPARATOR, Kind.BLANK, Kind.SEPARATOR,
    ]


def test_long_paragraph_line_then_dashes_is_a_separator() -> None:
    assert kinds("x" * 200 + "\n---")[1] is Kind.SEPARATOR


def test_is_separator() -> None:
    assert is_separator("---") and is_separator("- - -") and is_separator("=" * 60)
    assert is_separator("***") and is_separator("....") and is_separator("————")
    assert not is_separator("--") and not is_separator("- item") and not is_separator("...")
    assert is_separator("─" * 40) and is_separator("━━━━━━") and is_separator("＝＝＝") and is_separator("▬▬▬")
    assert not is_separator("──") and not is_separator("├── src") and not is_separator("─ 注：")


def test_headings_inside_fences_are_code() -> None:
    assert kinds("```bash\n# install\npip install x\n```") == [Kind.FENCE, Kind.CODE, Kind.CODE, Kind.FENCE]
    assert kinds("~~~~\n## not a heading\n~~~~") == [Kind.FENCE, Kind.CODE, Kind.FENCE]


def test_unclosed_fence_does_not_swallow_the_file() -> None:
    assert kinds("```python\n## Real heading\ntext") == [Kind.TEXT, Kind.HEADING, Kind.TEXT]


def test_comments_in_unfenced_code_are_not_headings() -> None:
    text = (
        "How to run it:\n\n"
        "# 1. download\n"
        "git clone https://github.com/acme/rocket\n"
        "pip install -r requirements.txt\n\n"
        "# 2. run\n"
        "python -m rocket.cli\n"
        "  --model rocket-3b\n\n"
        "# 设计文档中的标注:\n"
        "# AST: POSTCONDITION (len (ranks) > 0)\n"
        "assert len(ranks) > 0\n\n"
        "#### 5.2.8 _validate () - Full Specification\n"
        "def _validate(self, gpus):\n"
        "    return gpus\n\n"
        "## A real heading\n\n"
        "Prose follows here."
    )
    headings = [l.title for l in classify_lines(text.split("\n")) if l.kind is Kind.HEADING]
    assert headings == ["A real heading"]


def test_looks_like_code() -> None:
    for line in ("def f(x):", "pip install torch", "x = compute(y)", "  --flag value",
                 "assert len(a) > 0", "from a.b import c", "print(x)", "git clone https://x"):
        assert looks_like_code(line), line
    for line in ("OpenAI released GPT-5 today.", "- **要点**: 内容", "模型 = 大", "Claude (Anthropic)",
                 "1. First point", "> quote"):
        assert not looks_like_code(line), line


def test_link_or_sentence_above_dashes_is_not_a_setext_heading() -> None:
    assert kinds("[相关论文](https://arxiv.org/abs/2512.24880)\n---")[1] is Kind.SEPARATOR
    assert kinds("这是一句完整的话。\n---")[1] is Kind.SEPARATOR
