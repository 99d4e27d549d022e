"""Classify a digest's lines: headings, separators, fenced and unfenced code, list markers.

Everything here is line-by-line and linear in the input, with no recursion, so deeply nested
lists or megabyte-long lines cost no more than their length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from enum import Enum

from kg.memo import Memo


class Kind(Enum):
    """What one source line is, for splitting."""

    BLANK = "blank"
    TEXT = "text"
    HEADING = "heading"
    UNDERLINE = "underline"
    """The ``===``/``---`` line under a setext heading."""
    SEPARATOR = "separator"
    FENCE = "fence"
    """An opening or closing code fence."""
    CODE = "code"
    """A line inside a fenced code block."""
    FRONT_MATTER = "front-matter"


@dataclass(frozen=True, slots=True)
class Line:
    """One classified source line; ``number`` is 1-based."""

    number: int
    text: str
    kind: Kind
    level: int = 0
    """Heading level: 1-6 for Markdown headings (split also uses 7 for lone bold lines)."""
    title: str = ""
    """Heading text without the ``#`` markers."""


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_SEPARATOR_CHARS = frozenset("-=*~_─━═＝－＿～▬")
"""Characters a separator line may mix (``---``, ``***``, ``=====``, ``-=-=-``, and the box-drawing
and full-width rules of plain-text and WeChat digests: ``────``, ``━━━``, ``＝＝＝``)."""
_SEPARATOR_RUNS = {".": 4, "…": 2, "·": 3, "—": 2}
"""Single-character separators and the run length that makes them one (``.....``)."""
_SEPARATOR_FIRST = _SEPARATOR_CHARS | frozenset(_SEPARATOR_RUNS)
"""The characters a separator line can begin with (after whitespace)."""
_SENTENCE_ENDS = tuple("。.!?！？；;：:，,")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST_OR_QUOTE = re.compile(r"^\s*(?:[-*+•·]\s|\d{1,3}[.)、]\s|>|\|)")
_HASHTAG_LIST = re.compile(r"\s#[^\s#]")
_CODE_HASH = re.compile(r"^#(?:!|include\b|define\b|pragma\b|ifn?def\b|endif\b|import\b|if\b|else\b)")

_CODE_KEYWORD = re.compile(
    r"^\s*(?:def|class|import|assert|return|raise|yield|lambda|async|await|elif|except|finally"
    r"|pip3?|git|python3?|conda|npm|npx|yarn|pnpm|cd|export|sudo|curl|wget|docker|bash"
    r"|apt(?:-get)?|brew|cmake|torchrun|accelerate|huggingface-cli|uv|pytest|echo|chmod|mkdir"
    r"|const|let|var|function|public|private|static|void|int|package|fn|SELECT|INSERT)"
    r"(?=[\s(:]|$)"
)
_CODE_SHAPES = (
    re.compile(r"^\s*from\s+[\w.]+\s+import\b"),
    re.compile(r"^\s*(?:if|for|while|with|try|else)\b[^\n]*:\s*$"),
    re.compile(r"^\s*--?[A-Za-z][\w-]*"),
    re.compile(r"^\s*[A-Za-z_][\w.\[\]'\"]*\s*[-+*/%|&]?=(?!=)\s*\S"),
    re.compile(r"^\s*[A-Za-z_][\w.]*\([^\n]*\)\s*[:;{]?\s*$"),
    re.compile(r"^\s*(?://|/\*|\*/|\}|\{|\)\s*$|\]\s*$|>>>|\$ |@[A-Za-z_])"),
    re.compile(r"[;{\\]\s*$"),
)
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def classify_lines(lines: list[str], front_matter_lines: int = 0) -> list[Line]:
    """Classify every line; headings that sit in unfenced code become TEXT."""
    in_fence = fenced_lines(lines)
    out: list[Line] = []
    shapes = _SHAPES
    for i, raw in enumerate(lines):
        number = i + 1
        if i < front_matter_lines:
            out.append(Line(number, raw, Kind.FRONT_MATTER))
            continue
        if in_fence[i] == 1:
            out.append(Line(number, raw, Kind.FENCE))
            continue
        if in_fence[i] == 2:
            out.append(Line(number, raw, Kind.CODE))
            continue
        blank, heading, setext, separator = shapes[raw] if len(raw) <= _SHAPE_LINE_LIMIT else _shape_of(raw)
        if blank:
            out.append(Line(number, raw, Kind.BLANK))
        elif heading is not None:
            out.append(Line(number, raw, Kind.HEADING, heading[0], heading[1]))
        elif setext and _is_setext_title(out):
            prev = out[-1]
            out[-1] = Line(prev.number, prev.text, Kind.HEADING, setext, prev.text.strip())
            out.append(Line(number, raw, Kind.UNDERLINE))
        elif separator:
            out.append(Line(number, raw, Kind.SEPARATOR))
        else:
            out.append(Line(number, raw, Kind.TEXT))
    _demote_code_comments(out)
    return out


_Shape = tuple[bool, "tuple[int, str] | None", int, bool]
"""What a line is by itself: blank, its ATX heading, its setext underline level (0 if it is
not one), whether it is a separator. Its neighbours decide the rest."""

def _shape_of(raw: str) -> _Shape:
    blank = not raw.strip()
    setext = 0
    if _SETEXT.match(raw):
        setext = 1 if raw.strip().startswith("=") else 2
    return (blank, None if blank else parse_atx_heading(raw), setext, is_separator(raw))


_SHAPES: Memo[str, _Shape] = Memo(_shape_of, limit=1 << 16)
"""Line -> its shape. Reading classifies each line twice (the digest, then its item's body),
and digests repeat their boilerplate lines, so a line's shape is worked out once."""
_SHAPE_LINE_LIMIT = 1000
"""Longer lines are not remembered: they are rare, and the memo must not pin large texts."""


def parse_atx_heading(line: str) -> tuple[int, str] | None:
    """``(level, title)`` of an ATX heading line, else None.

    Digests often omit the space after the hashes (``#Title``), so it is optional, except
    that a line of ``#hashtags`` or a C preprocessor line is not a heading.
    """
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith("#"):
        return None
    level = len(stripped) - len(stripped.lstrip("#"))
    if level > 6:
        return None
    rest = stripped[level:]
    if rest and rest[0] not in " \t":
        if _CODE_HASH.match(stripped) or _HASHTAG_LIST.search(rest):
            return None
    title = rest.strip()
    if title.endswith("#"):
        trimmed = title.rstrip("#")
        if not trimmed or trimmed[-1] in " \t":
            title = trimmed.rstrip()
    if not title:
        return None
    return level, title


def is_separator(line: str) -> bool:
    """A thematic break or decorative separator line (``---``, ``***``, ``=====``, ``.....``)."""
    if line.lstrip()[:1] not in _SEPARATOR_FIRST:  # most lines: prose, not one repeated mark
        return False
    compact = "".join(line.split())
    if len(line) - len(line.lstrip(" ")) > 3 or len(compact) < 2:
        return False
    chars = set(compact)
    if chars <= _SEPARATOR_CHARS:
        return len(compact) >= 3
    return len(chars) == 1 and len(compact) >= _SEPARATOR_RUNS.get(compact[0], len(compact) + 1)


def looks_like_code(line: str) -> bool:
    """Whether a line reads as source code or a shell command rather than prose."""
    if not line.strip():
        return False
    # A trailing shell/Python comment may be in Chinese; judge the code before it.
    code = line.split(" #", 1)[0]
    if _CJK.search(code):
        return False
    if _CODE_KEYWORD.match(line) or _CODE_HASH.match(line.lstrip()):
        return True
    if _LIST_OR_QUOTE.match(line):
        return False
    if line.startswith(("    ", "\t")):
        return True
    return any(shape.search(line) for shape in _CODE_SHAPES)


def fenced_lines(lines: list[str]) -> list[int]:
    """Per line: 1 for a fence, 2 inside a fenced block, 0 otherwise.

    A fence that is never closed is ignored (treated as text) rather than swallowing the
    rest of the file, which is what a reader of a messy digest would expect.
    """
    marks = [0] * len(lines)
    fences: list[tuple[int, str, int, bool]] = []
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if match:
            run = match.group(1)
            info = match.group(2).strip()
            bare = not info
            if run[0] == "`" and "`" in info:
                continue
            fences.append((i, run[0], len(run), bare))
    bare: dict[str, list[int]] = {"`": [], "~": []}
    for k, (_, char, _, is_bare) in enumerate(fences):
        if is_bare:
            bare[char].append(k)
    k = 0
    while k < len(fences):
        start, char, length, _ = fences[k]
        candidates = bare[char]
        pos = bisect_right(candidates, k)
        # A closer must be at least as long as the opener; looking a bounded distance
        # ahead keeps pathological files linear (a rarer miss just leaves text as text).
        close = next(
            (c for c in candidates[pos : pos + 64] if fences[c][2] >= length), None
        )
        if close is None:
            k += 1
            continue
        end = fences[close][0]
        marks[start] = marks[end] = 1
        for m in range(start + 1, end):
            marks[m] = 2
        k = close + 1
    return marks


def _is_setext_title(previous: list[Line]) -> bool:
    """A setext underline counts only under a short, single-line plain paragraph."""
    if not previous or previous[-1].kind is not Kind.TEXT:
        return False
    text = previous[-1].text.strip()
    if len(text) > 120 or _LIST_OR_QUOTE.match(text) or text.startswith("<"):
        return False
    # A link line or a finished sentence above "---" is prose followed by a separator.
    if "](" in text or text.endswith(_SENTENCE_ENDS):
        return False
    if len(previous) >= 2 and previous[-2].kind is Kind.TEXT:
        return False
    return True


def _demote_code_comments(lines: list[Line]) -> None:
    """Turn ``# comment`` lines of unfenced code back into text.

    A run of adjacent heading lines is code when the line right after the run (allowing one
    blank line) or the line right before it looks like code.
    """
    i = 0
    n = len(lines)
    while i < n:
        if lines[i].kind is not Kind.HEADING or lines[i].text.lstrip(" ")[:1] != "#":
            i += 1
            continue
        j = i
        while j + 1 < n and lines[j + 1].kind is Kind.HEADING and lines[j + 1].text.lstrip(" ")[:1] == "#":
            j += 1
        before = lines[i - 1] if i > 0 else None
        after = _next_nonblank(lines, j + 1, max_blank=1)
        code_before = before is not None and before.kind is Kind.TEXT and looks_like_code(before.text)
        code_after = after is not None and after.kind is Kind.TEXT and looks_like_code(after.text)
        if code_before or code_after:
            for k in range(i, j + 1):
                old = lines[k]
                lines[k] = Line(old.number, old.text, Kind.TEXT)
        i = j + 1


def _next_nonblank(lines: list[Line], start: int, max_blank: int) -> Line | None:
    blanks = 0
    for k in range(start, len(lines)):
        if lines[k].kind is Kind.BLANK:
            blanks += 1
            if blanks > max_blank:
                return None
            continue
        return lines[k]
    return None
