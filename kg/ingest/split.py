"""Split a digest's classified lines into raw item sections, choosing a strategy from its structure.

Strategies, tried in order: headings (with the item level chosen from how headings repeat and
nest), separator lines, bold lines, numbered or bulleted blocks, and blank-line paragraphs.
No rule names a particular digest; every rule reads only the shape of the text.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from kg.ingest.markdown import alnum_count, clean_heading
from kg.ingest.syntax import Kind, Line

log = logging.getLogger(__name__)

MIN_ITEM_CHARS = 20
"""Sections with fewer letters/digits than this and no link are merged into a neighbour."""
MIN_INTRO_CHARS = 100
"""Text before the first item (or under a category) of this size becomes an item of its own."""
MAX_CATEGORY_INTRO = 80
"""A category heading has at most this much text of its own before its first child."""
THIN_CHILD_CHARS = 20
"""Children whose bodies are all smaller than this (e.g. bare link lists) stay in their parent."""
REPEAT_WINDOW = 8
"""How many body lines may sit between an item heading and a heading that repeats it."""
BOLD_LEVEL = 7
"""The heading level given to a bold line standing alone: below every Markdown heading."""
MAX_TITLE_LINE = 100
"""A block's first line longer than this is body text, not the block's title."""
MIN_ENTRY_CHARS = 40
"""Letters/digits each numbered entry under a heading needs to be an item of its own."""

_BOLD_LINE = re.compile(
    r"^ {0,3}(?:\d{1,3}[.、)]\s*)?(?:\*\*[^*\n]{1,200}(?<![:：])\*\*|__[^_\n]{1,200}(?<![:：])__)\s*$"
)
_MARKERS: dict[str, re.Pattern[str]] = {
    "zh-numbered": re.compile(r"^[一二三四五六七八九十百]{1,4}[、.．]"),
    "numbered": re.compile(r"^\d{1,3}[.、)）](?!\d)"),
    "bracketed": re.compile(r"^【[^】\n]{1,60}】"),
    "bulleted": re.compile(r"^[-*+•·]\s+\S"),
}
_ENTRY = re.compile(r"^ {0,3}(?:【(\d{1,3})】|\[(\d{1,3})\]|[（(](\d{1,3})[)）])[ \t]*(\S.*?)\s*$")
"""A numbered entry's first line: ``【1】Title``, ``[2] Title``, ``（3）Title``."""
_LIST_MARKER = re.compile(
    r"^\s*(?:[-*+•·]\s+|\d{1,3}[.、)）](?!\d)\s*|[一二三四五六七八九十百]{1,4}[、.．]\s*)"
)
_BOLD_LEAD = re.compile(r"^(?:\*\*([^*\n]{1,120})\*\*|__([^_\n]{1,120})__)\s*[:：]?\s*(.*)$")
_NOT_CONTENT = (Kind.SEPARATOR, Kind.UNDERLINE, Kind.FRONT_MATTER)
_LEAD_SPLIT = re.compile(r"[:：]| - | — | \| ")


@dataclass(slots=True)
class RawSection:
    """One item before conversion: its raw title, first line and raw body lines."""

    title: str
    """Raw Markdown title ("" when the item has none)."""
    line: int
    """1-based source line where the item starts."""
    body: list[str]
    """Raw Markdown lines of the body, title excluded."""
    tags: tuple[str, ...] = ()
    """Cleaned titles of the category headings the item sits under, outermost first."""
    title_line: str = ""
    """The raw source line holding the title, used when the section is merged into another."""


@dataclass(slots=True)
class Split:
    """How a digest was split: the strategy's name, the title heading and the sections."""

    layout: str
    title: str | None
    """Raw text of the title heading at the top of the file, if any."""
    sections: list[RawSection] = field(default_factory=list)
    preamble: list[Line] = field(default_factory=list)
    """Lines between the title and the first item that did not become an item."""


@dataclass(slots=True)
class _Headings:
    title_index: int | None
    structural: list[int]


def split_digest(lines: list[Line]) -> Split:
    """Split classified lines into sections with the first strategy that fits."""
    real = _structural_headings(lines, _title_candidate(lines))
    title_index = real.title_index
    title = lines[title_index].title if title_index is not None else None
    view = _with_bold_headings(lines)
    # Bold lines standing alone may be the level below the Markdown headings (stories under
    # category headings), so the heading strategy sees them as headings too.
    headings = _structural_headings(view, title_index)
    if not real.structural or not headings.structural:
        for strategy in (_by_messages, _by_separators, _by_bold_lines, _by_markers):
            result = strategy(view, title_index)
            if result is not None and len(result.sections) >= 2:
                return _finish(result, title)
        return _finish(_by_paragraphs(view, title_index), title)

    by_headings = _by_headings(view, headings)
    if len(by_headings.sections) >= 2:
        return _finish(by_headings, title)
    single = by_headings.sections[0] if by_headings.sections else None
    # A lone heading that runs to the end of the file may be a label over blocks that a
    # fallback can split; the fallbacks then only look below it.
    scope = title_index
    if single is not None and headings.structural[-1] == single.line - 1:
        scope = single.line - 1
    for strategy in (_by_separators, _by_markers):
        result = strategy(view, scope)
        if result is None or len(result.sections) < 2:
            continue
        if single is not None and _is_one_article(view, single, result):
            break
        if single is not None and scope != title_index:
            result.preamble = by_headings.preamble + result.preamble
            _tag_sections_under(single, result)
        return _finish(result, title)
    return _finish(by_headings, title)


def _with_bold_headings(lines: list[Line]) -> list[Line]:
    """Lines where a bold line standing alone (``**1. Title**``) is a heading below all others."""
    out = list(lines)
    for i, line in enumerate(lines):
        if line.kind is Kind.TEXT and _BOLD_LINE.match(line.text):
            out[i] = Line(line.number, line.text, Kind.HEADING, BOLD_LEVEL, line.text.strip())
    return out


def _is_one_article(lines: list[Line], single: RawSection, fallback: Split) -> bool:
    """Whether a lone item heading has its own prose before the blocks a fallback found.

    Then the blocks are the article's inner structure (a bullet list, say), not items; a
    heading directly followed by the blocks is a category label over them instead.
    """
    heading = single.line - 1
    later = [s.line - 1 for s in fallback.sections if s.line - 1 > heading]
    stop = later[0] if later else len(lines)
    return _text_chars(lines, heading + 1, stop) >= MIN_ITEM_CHARS


def _tag_sections_under(single: RawSection, fallback: Split) -> None:
    tag = clean_heading(single.title)
    for section in fallback.sections:
        if section.line > single.line and tag and tag not in section.tags:
            section.tags = (*single.tags, tag, *section.tags)


@lru_cache(maxsize=1 << 14)
def heading_key(title: str) -> str:
    """A heading reduced for comparison: no markup, emoji, numbering, spaces or punctuation."""
    return "".join(ch for ch in clean_heading(title).casefold() if ch.isalnum())


def merge_fragments(sections: list[RawSection]) -> list[RawSection]:
    """Fold sections too small to be items into the previous section (or the next one)."""
    fragments = [_is_fragment(s) for s in sections]
    if all(fragments):
        fragments = [False] + fragments[1:]
    out: list[RawSection] = []
    carried: list[str] = []
    for section, fragment in zip(sections, fragments):
        if fragment:
            lines = ([section.title_line] if section.title_line else []) + section.body
            if out:
                out[-1].body.extend([""] + lines)
            else:
                carried.extend(lines + [""])
            continue
        if carried:
            section.body[:0] = carried
            carried = []
        out.append(section)
    if carried and out:
        out[-1].body.extend([""] + carried)
    return out


def _finish(result: Split, title: str | None) -> Split:
    result.title = title
    sections = result.sections
    preamble = [l for l in result.preamble if l.kind not in _NOT_CONTENT]
    if alnum_count("\n".join(l.text for l in preamble)) >= MIN_INTRO_CHARS:
        sections.insert(0, _block_from_lines(preamble))
        result.preamble = []
    elif any(l.text.strip() for l in preamble):
        log.debug("preamble at line %d is too short to be an item", preamble[0].number)
    result.sections = merge_fragments([s for s in sections if s.title or _has_text(s.body)])
    return result


def _is_fragment(section: RawSection) -> bool:
    text = "\n".join([section.title, *section.body])
    if "http://" in text or "https://" in text:
        return False
    return alnum_count(text) < MIN_ITEM_CHARS


def _has_text(body: list[str]) -> bool:
    return any(line.strip() for line in body)


# --- title and heading roles -------------------------------------------------------------


def _title_candidate(lines: list[Line]) -> int | None:
    """The first heading, if nothing but separators or front matter comes before it."""
    for i, line in enumerate(lines):
        if line.kind in (Kind.BLANK, Kind.FRONT_MATTER, Kind.SEPARATOR):
            continue
        return i if line.kind is Kind.HEADING else None
    return None


def _structural_headings(lines: list[Line], title_index: int | None) -> _Headings:
    """Headings that delimit items or categories (not the title, repeats or template subheads)."""
    candidates = [i for i, l in enumerate(lines) if l.kind is Kind.HEADING and i != title_index]
    repeats = _repeated_headings(lines, candidates)
    rest = [i for i in candidates if i not in repeats]
    keys = {i: heading_key(lines[i].title) for i in rest}
    counts = Counter(k for k in keys.values() if k)
    # Headings whose titles repeat are a template's subsections; if every heading repeats,
    # headings cannot delimit items and a fallback strategy will.
    structural = [i for i in rest if counts[keys[i]] < 2]
    if title_index is not None and any(
        lines[i].level <= lines[title_index].level for i in structural
    ):
        structural.insert(0, title_index)
        title_index = None
    return _Headings(title_index=title_index, structural=structural)


def _repeated_headings(lines: list[Line], candidates: list[int]) -> set[int]:
    """Headings that restate the heading just above them (a report's own title inside an item)."""
    repeats: set[int] = set()
    previous: int | None = None
    for i in candidates:
        if (
            previous is not None
            and lines[i].level != lines[previous].level
            and _restates(lines[i].title, lines[previous].title)
        ):
            gap = sum(1 for l in lines[previous + 1 : i] if l.kind is Kind.TEXT)
            if gap <= REPEAT_WINDOW:
                repeats.add(i)
                continue
        previous = i
    return repeats


def _restates(title: str, previous: str) -> bool:
    full = heading_key(previous)
    key = heading_key(title)
    if len(full) < 3 or len(key) < 3:
        return False
    if full in key:
        return True
    lead = heading_key(_LEAD_SPLIT.split(clean_heading(previous), maxsplit=1)[0])
    return len(lead) >= 3 and lead in key


# --- headings --------------------------------------------------------------------------


@dataclass(slots=True)
class _Section:
    index: int
    end: int
    children: list[int]
    intro: int
    """Letters/digits of the section's own text before its first child."""


def _by_headings(lines: list[Line], headings: _Headings) -> Split:
    structural = headings.structural
    levels = sorted({lines[i].level for i in structural})
    sections = _sections(lines, structural)
    item_level = levels[0]
    for deeper in levels[1:]:
        if not _is_category_level([s for s in sections.values() if lines[s.index].level == item_level]):
            break
        item_level = deeper

    boundaries = [i for i in structural if lines[i].level <= item_level]
    first = structural[0]
    start = (headings.title_index + 1) if headings.title_index is not None else 0
    layout = "bold-lines" if item_level == BOLD_LEVEL else f"headings:{item_level}"
    result = Split(layout=layout, title=None)
    result.preamble = lines[start:first]
    categories: dict[int, str] = {}
    skip_until = -1
    for n, index in enumerate(boundaries):
        if index < skip_until:
            continue
        line = lines[index]
        stop = boundaries[n + 1] if n + 1 < len(boundaries) else len(lines)
        tags = tuple(categories[l] for l in sorted(categories) if l < line.level)
        if line.level == item_level:
            result.sections += _heading_sections(lines, index, stop, tags)
            continue
        categories = {l: t for l, t in categories.items() if l < line.level}
        categories[line.level] = clean_heading(line.title)
        section = sections[index]
        inside = structural[bisect_right(structural, index) : bisect_left(structural, section.end)]
        items = [i for i in inside if lines[i].level == item_level]
        if not items or _all_thin(lines, items, sections):
            result.sections += _heading_sections(lines, index, section.end, tags)
            skip_until = section.end
        elif _text_chars(lines, index + 1, stop) >= MIN_INTRO_CHARS:
            result.sections += _heading_sections(lines, index, stop, tags)
    return result


def _sections(lines: list[Line], structural: list[int]) -> dict[int, _Section]:
    """Each structural heading's span, its direct children and the size of its intro."""
    out: dict[int, _Section] = {}
    open_stack: list[int] = []
    for n, i in enumerate(structural):
        level = lines[i].level
        while open_stack and lines[open_stack[-1]].level >= level:
            out[open_stack.pop()].end = i
        if open_stack:
            out[open_stack[-1]].children.append(i)
        following = structural[n + 1] if n + 1 < len(structural) else len(lines)
        intro = _text_chars(lines, i + 1, following)
        out[i] = _Section(index=i, end=len(lines), children=[], intro=intro)
        open_stack.append(i)
    for section in out.values():
        if section.children:
            top = min(lines[c].level for c in section.children)
            section.children = [c for c in section.children if lines[c].level == top]
    return out


def _is_category_level(sections: list[_Section]) -> bool:
    """Sections at a category level mostly hold several child headings and little text.

    Parents must also be a fair share of the level: a few items that happen to contain
    subheadings do not make their whole level a set of categories.
    """
    parents = [s for s in sections if s.children]
    if not parents or len(parents) * 3 < len(sections):
        return False
    several = sum(1 for s in parents if len(s.children) >= 2)
    bare = sum(1 for s in parents if len(s.children) == 1 and s.intro == 0)  # a category of one story
    short = sum(1 for s in parents if s.intro <= MAX_CATEGORY_INTRO)
    return (several + bare) * 2 >= len(parents) and short * 2 >= len(parents) and several > 0


def _all_thin(lines: list[Line], items: list[int], sections: dict[int, _Section]) -> bool:
    return all(
        _text_chars(lines, i + 1, sections[i].end) < THIN_CHILD_CHARS
        for i in items
    )


def _heading_sections(lines: list[Line], index: int, stop: int, tags: tuple[str, ...]) -> list[RawSection]:
    """The section under the heading at ``index``; or, when its text is a run of numbered
    entries (``【1】Title`` then a paragraph or more, ``【2】…``) after little text of its own,
    each entry as an item, the heading then being their category (a roundup's "一、最佳论文")."""
    entries = _numbered_entries(lines, index + 1, stop)
    if not entries:
        return [_heading_section(lines, index, stop, tags)]
    sections = []
    first = entries[0][0]
    if _text_chars(lines, index + 1, first) >= MIN_INTRO_CHARS:
        sections.append(_heading_section(lines, index, first, tags))
    inner = (*tags, clean_heading(lines[index].title))
    for k, (at, title) in enumerate(entries):
        end = entries[k + 1][0] if k + 1 < len(entries) else stop
        sections.append(RawSection(title, lines[at].number, _text_lines(lines, at + 1, end), inner, lines[at].text))
    return sections


def _numbered_entries(lines: list[Line], start: int, stop: int) -> list[tuple[int, str]]:
    """(first line, title) of each numbered entry that makes up ``lines[start:stop]``, or [] when
    they do not: at least two, numbered one after another, each a short title over a body of its
    own, after no more than a category's intro."""
    found = []
    for i in range(start, stop):
        m = _ENTRY.match(lines[i].text) if lines[i].kind is Kind.TEXT else None
        if m is not None and len(m.group(4)) <= MAX_TITLE_LINE and not m.group(4).endswith(("。", ".")):
            found.append((i, int(m.group(1) or m.group(2) or m.group(3)), m.group(4)))
    if len(found) < 2 or any(b - a != 1 for (_, a, _), (_, b, _) in zip(found, found[1:])):
        return []
    starts = [i for i, _, _ in found]
    if _text_chars(lines, start, starts[0]) > MAX_CATEGORY_INTRO:
        return []
    for a, b in zip(starts, [*starts[1:], stop]):
        if _text_chars(lines, a + 1, b) < MIN_ENTRY_CHARS:
            return []
    return [(i, title) for i, _, title in found]


def _heading_section(lines: list[Line], index: int, stop: int, tags: tuple[str, ...]) -> RawSection:
    line = lines[index]
    return RawSection(
        title=line.title,
        line=line.number,
        body=_text_lines(lines, index + 1, stop),
        tags=tags,
        title_line=line.text,
    )


def _text_lines(lines: list[Line], start: int, stop: int) -> list[str]:
    """Raw lines of a span without separators, setext underlines or front matter."""
    return [l.text for l in lines[start:stop] if l.kind not in _NOT_CONTENT]


def _text_chars(lines: list[Line], start: int, stop: int) -> int:
    """Letters and digits in the text of a span (``_text_lines``): how much it says."""
    return alnum_count("\n".join(_text_lines(lines, start, stop)))


# --- fallbacks -------------------------------------------------------------------------


def _body_range(lines: list[Line], title_index: int | None) -> int:
    if title_index is not None:
        return title_index + 1
    return sum(1 for l in lines if l.kind is Kind.FRONT_MATTER)


_MESSAGE_HEADER = re.compile(
    r"[ \t]*(?:[^\[\]\n]{1,60}?,[ \t]*\[\d{1,4}[./-]\d{1,2}[./-]\d{1,4}[ \t]+\d{1,2}:\d{2}(?::\d{2})?\]"
    r"|\[\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?[ \t]+\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[AaPp][Mm])?\][ \t]*[^:\n]{1,60}:)[ \t]*"
)
"""A chat export's line before each message: ``AI前沿观察, [07.01.25 11:05]`` (Telegram),
``[07/01/2025, 11:05] Name:`` with the message on the lines below."""
_MESSAGE_NOTE = re.compile(r"[ \t]*\[(?:Photo|Video|File|Sticker|Album|(?:File|Document): [^\]\n]*|Forwarded from [^\]\n]*|In reply to [^\]\n]*)\][ \t]*")
"""What a chat export notes of a message rather than says: its attachment, where it was forwarded from."""
MIN_MESSAGES = 3


def _by_messages(lines: list[Line], title_index: int | None) -> Split | None:
    """A chat channel's export: a message after each sender-and-time line, an item each."""
    start = _body_range(lines, title_index)
    cuts = [i for i in range(start, len(lines)) if lines[i].kind is Kind.TEXT and _MESSAGE_HEADER.fullmatch(lines[i].text)]
    if len(cuts) < MIN_MESSAGES:
        return None
    result = Split(layout="messages", title=None)
    result.preamble = lines[start : cuts[0]]
    for a, b in zip(cuts, cuts[1:] + [len(lines)]):
        block = [l for l in lines[a + 1 : b] if not (l.kind is Kind.TEXT and _MESSAGE_NOTE.fullmatch(l.text))]
        if any(l.kind is Kind.TEXT for l in block):
            result.sections.append(_block_from_lines(block))
    return result


def _by_separators(lines: list[Line], title_index: int | None) -> Split | None:
    start = _body_range(lines, title_index)
    cuts = [i for i in range(start, len(lines)) if lines[i].kind is Kind.SEPARATOR]
    if not cuts:
        return None
    blocks = []
    for a, b in zip([start - 1] + cuts, cuts + [len(lines)]):
        block = [l for l in lines[a + 1 : b] if l.kind is not Kind.UNDERLINE]
        if any(l.kind is not Kind.BLANK for l in block):
            blocks.append(block)
    if not blocks or _frames_the_body(blocks):
        return None
    result = Split(layout="separators", title=None)
    result.sections = [_block_from_lines(block) for block in blocks]
    return result


def _frames_the_body(blocks: list[list[Line]]) -> bool:
    """Whether the separators are a rule under a header and one over a footer, not rules between
    items: one block holds twice as much text as the others together, in more paragraphs than
    there are blocks."""
    sizes = [sum(len(l.text) for l in block) for block in blocks]
    big = max(range(len(blocks)), key=sizes.__getitem__)
    paragraphs = sum(
        1 for k, l in enumerate(blocks[big]) if l.kind is not Kind.BLANK and (k == 0 or blocks[big][k - 1].kind is Kind.BLANK)
    )
    return sizes[big] > 2 * (sum(sizes) - sizes[big]) and paragraphs > len(blocks)


def _by_bold_lines(lines: list[Line], title_index: int | None) -> Split | None:
    """Items start at bold lines standing alone (``**1. Title**``), when there are no headings."""
    headings = _structural_headings(lines, title_index)
    if not headings.structural:
        return None
    return _by_headings(lines, headings)


def _by_markers(lines: list[Line], title_index: int | None) -> Split | None:
    start = _body_range(lines, title_index)
    found: dict[str, list[int]] = {name: [] for name in _MARKERS}
    for i in range(start, len(lines)):
        if lines[i].kind is not Kind.TEXT:
            continue
        for name, pattern in _MARKERS.items():
            if pattern.match(lines[i].text):
                found[name].append(i)
                break
    usable = [(hits[0], name) for name, hits in found.items() if len(hits) >= 2]
    if not usable:
        return None
    _, name = min(usable)
    return _split_at(lines, start, found[name], "numbered")


def _by_paragraphs(lines: list[Line], title_index: int | None) -> Split:
    start = _body_range(lines, title_index)
    result = Split(layout="paragraphs", title=None)
    block: list[Line] = []
    for line in lines[start:] + [Line(0, "", Kind.BLANK)]:
        if line.kind is Kind.BLANK and block:
            result.sections.append(_block_from_lines(block))
            block = []
        elif line.kind not in (Kind.BLANK, Kind.SEPARATOR, Kind.UNDERLINE) or block:
            block.append(line)
    return result


def _split_at(lines: list[Line], start: int, starts: list[int], layout: str) -> Split:
    result = Split(layout=layout, title=None)
    result.preamble = lines[start : starts[0]]
    for a, b in zip(starts, starts[1:] + [len(lines)]):
        result.sections.append(_block_from_lines(lines[a:b]))
    return result


def _block_from_lines(block: list[Line]) -> RawSection:
    """A section from a block of lines, its title taken from how the block starts.

    A heading, or a bold lead (``1. **Title**: text``), is the title; so is a short first
    line with more lines after it. A block of one line, or a long first line, has no title:
    it is all text.
    """
    kept = [l for l in block if l.kind not in _NOT_CONTENT]
    first = next((k for k, l in enumerate(kept) if l.kind is not Kind.BLANK), None)
    if first is None:
        return RawSection(title="", line=block[0].number if block else 1, body=[])
    head = kept[first]
    rest = [l.text for l in kept[first + 1 :]]
    if head.kind is Kind.HEADING and head.level != BOLD_LEVEL:
        return RawSection(head.title, head.number, rest, title_line=head.text)
    line = _LIST_MARKER.sub("", head.text, count=1).strip()
    lead = _BOLD_LEAD.match(line)
    if lead:
        title, after = lead.group(1) or lead.group(2), lead.group(3)
        return RawSection(title, head.number, [after, *rest] if after else rest, title_line=head.text)
    if any(text.strip() for text in rest) and len(line) <= MAX_TITLE_LINE:
        return RawSection(line, head.number, rest, title_line=head.text)
    return RawSection("", head.number, [line] + rest)
