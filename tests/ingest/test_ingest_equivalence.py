"""The faster forms of line classification give what their first, plain forms gave."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest import syntax
from kg.ingest.syntax import is_separator

LINE = st.text(alphabet=st.sampled_from(list("-=*~_.…·—#> \t\u3000\u00a0ab文1")), max_size=12)


def _reference_is_separator(line):
    compact = "".join(line.split())
    if len(line) - len(line.lstrip(" ")) > 3 or len(compact) < 2:
        return False
    chars = set(compact)
    if chars <= syntax._SEPARATOR_CHARS:
        return len(compact) >= 3
    return len(chars) == 1 and len(compact) >= syntax._SEPARATOR_RUNS.get(compact[0], len(compact) + 1)


@settings(max_examples=2000, deadline=None)
@given(LINE)
def test_separator_lines_are_the_plain_rule(line):
    assert is_separator(line) == _reference_is_separator(line)


def _reference_classify_lines(lines, front_matter_lines=0):
    Kind, Line = syntax.Kind, syntax.Line
    in_fence = syntax.fenced_lines(lines)
    out = []
    for i, raw in enumerate(lines):
        number = i + 1
        if i < front_matter_lines:
            out.append(Line(number, raw, Kind.FRONT_MATTER))
        elif in_fence[i] == 1:
            out.append(Line(number, raw, Kind.FENCE))
        elif in_fence[i] == 2:
            out.append(Line(number, raw, Kind.CODE))
        elif not raw.strip():
            out.append(Line(number, raw, Kind.BLANK))
        elif (heading := syntax.parse_atx_heading(raw)) is not None:
            out.append(Line(number, raw, Kind.HEADING, heading[0], heading[1]))
        elif syntax._SETEXT.match(raw) and syntax._is_setext_title(out):
            prev = out[-1]
            level = 1 if raw.strip().startswith("=") else 2
            out[-1] = Line(prev.number, prev.text, Kind.HEADING, level, prev.text.strip())
            out.append(Line(number, raw, Kind.UNDERLINE))
        elif _reference_is_separator(raw):
            out.append(Line(number, raw, Kind.SEPARATOR))
        else:
            out.append(Line(number, raw, Kind.TEXT))
    syntax._demote_code_comments(out)
    return out


MARKDOWN_LINE = st.one_of(
    LINE,
    st.sampled_from(
        ["# 标题", "## 2. Model", "#tag #list", "#include <x>", "===", "---", "  ---  ", "```", "```python", "~~~",
         "x = 1", "pip install kg", "- item", "> quote", "**粗体**", "", "   ", "标题", "Title line", "#", "### ##"]
    ),
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(MARKDOWN_LINE, max_size=12), st.integers(0, 3))
def test_classified_lines_are_the_plain_rules(lines, front_matter_lines):
    first = syntax.classify_lines(lines, front_matter_lines)
    assert first == _reference_classify_lines(lines, front_matter_lines)
    assert syntax.classify_lines(lines, front_matter_lines) == first  # the second time, from the memo
