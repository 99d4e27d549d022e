"""Turn an item's Markdown (with embedded HTML) into readable plain text, collecting its URLs.

Kept: every word of prose, link texts, table cells (`` | ``-joined rows), code, and ``**``
bold markers (the extractor reads bold as a signal). Dropped: heading hashes, fences,
separators, blockquote markers, tags, link targets (collected as ``links`` instead).
Backslashes and quotes are left exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg.ingest.htmltext import html_to_markdown
from kg.ingest.syntax import Kind, classify_lines, fenced_lines, parse_atx_heading

_URL_BODY = r"(?i:https?)://[^\s<>\"'`\x7f-\U0010ffff]{1,4000}"
"""A bare URL: stops at whitespace, quotes and the first non-ASCII character."""
_TARGET = (
    r"\(\s*<?(?P<{name}>[^\s()<>]{{0,2000}}(?:\([^\s()<>]{{0,2000}}\)[^\s()<>]{{0,2000}}){{0,4}})>?"
    r"(?:\s+(?:\"[^\"\n]{{0,300}}\"|'[^'\n]{{0,300}}'))?\s*\)"
)
_WIKI_LINK = re.compile(
    r"(?P<embed>!)?\[\[(?P<wiki>[^\[\]|#\n]{1,300})(?:#[^\[\]|\n]{0,300})?(?:\|(?P<shown>[^\[\]\n]{0,300}))?\]\]"
)
"""A wiki-link (Obsidian, Logseq, Foam): ``[[Note]]``, ``[[Note#Part|shown]]``, ``![[chart.png|480]]``."""
_INLINE = re.compile(
    r"!\[(?P<alt>[^\[\]\n]{0,500})\]" + _TARGET.format(name="src")
    + r"|\[(?P<label>[^\[\]\n]{0,1000})\]" + _TARGET.format(name="href")
    + r"|<(?P<auto>(?i:https?)://[^\s<>]{1,4000})>"
    + r"|`(?P<code>[^`\n]{1,2000})`"
    + r"|(?P<bare>" + _URL_BODY + ")"
)
# Not IGNORECASE: case folding would let "i", "k" and "s" match the non-ASCII exclusion.
_BARE_URL = re.compile(_URL_BODY)
_ARXIV_HREF = re.compile(r"^(?i:https?)://(?:www\.)?arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?(?:[?#]\S*)?$")
"""A link to an arXiv paper's page or PDF; group 1 is its id (without version)."""
_REFERENCE = re.compile(r"^ {0,3}\[([^\]\n]{1,200})\]:\s*<?(\S+?)>?\s*(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\))?\s*$")
"""A link reference definition, ``[ref]: https://… "title"``: a link, not text. A line that goes on
after its target (``[^2]: "MiniCPM4: …", arXiv 2506.07900 — OpenBMB.``) is a footnote's text, kept."""
_REF_LINK = re.compile(r"\[([^\[\]\n]{1,1000})\]\[[^\[\]\n]{0,200}\]")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_TABLE_DELIMITER = re.compile(r"^\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?$")
"""Matched against a stripped line."""
_RANK_AND_VOTES = re.compile(
    r"^(?:#\d{1,4}\s+)?"
    r"(?:[▲△↑⬆👍]\ufe0f?\s*\d[\d,.]*[kK]?\s*(?:[·•|｜:：—–-]\s*)?"  # a vote arrow and its count
    r"|[⭐★☆🔥]\ufe0f?\s*\d[\d,.]*[kK]?\s*[·•|｜:：—–-]\s*)?"  # a star count only before a separator
)
"""A list's rank and vote count before a title: "#1 ▲ 356 · Title", "⭐ 1,204 | Title" (not the
number of a title that starts with one: "🔥 3 条命令", "★ 5 ways")."""
_NUMBERING = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3})+\.?\s+"
    r"|\d{1,3}[.、)）](?!\d)\s*"
    r"|[一二三四五六七八九十百]{1,4}[、.．]\s*"
    r"|[（(](?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）]\s*)"
)
_EMPHASIS = re.compile(r"\*\*|__")
_URL_TAIL = ".,;:!?*_~'\"，。；：！？、"
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}


@dataclass(frozen=True, slots=True)
class PlainText:
    """Readable text and the http(s) URLs found in it (link targets included), in order."""

    text: str
    links: tuple[str, ...]


def to_plain(lines: Sequence[str]) -> PlainText:
    """Convert Markdown lines (one item's body) to plain text and its URLs."""
    source = classify_lines(_convert_html_outside_code(list(lines)))
    links: list[str] = []
    out: list[str] = []
    in_table = False
    for line in source:
        kind = line.kind
        if kind in (Kind.FENCE, Kind.SEPARATOR, Kind.UNDERLINE, Kind.FRONT_MATTER):
            continue
        if kind is Kind.CODE:
            out.append(line.text.rstrip())
            for url in _BARE_URL.finditer(line.text):
                _record(url.group(0), links)
            continue
        if kind is Kind.HEADING:
            out.append(_inline(line.title, links))
            continue
        quote = _QUOTE.match(line.text)
        text = (line.text[quote.end() :] if quote else line.text).rstrip()
        stripped = text.strip()
        if not stripped:
            out.append("")
            in_table = False
            continue
        reference = _REFERENCE.match(text)
        if reference and (not reference.group(1).startswith("^") or "://" in reference.group(2)):
            _record(reference.group(2), links)
            continue
        if _TABLE_DELIMITER.match(stripped) and ("|" in stripped or in_table):
            in_table = True
            continue
        if stripped.startswith("|") or (in_table and "|" in stripped):
            in_table = True
            out.append(" | ".join(_inline(c, links, arxiv_ids=True) for c in _table_cells(stripped)))
            continue
        if quote and (heading := parse_atx_heading(text)) is not None:
            text = heading[1]
        out.append(_inline(text, links, arxiv_ids=True))
    return PlainText(text=_tidy(out), links=_unique([clean_url(u) for u in links]))


def _convert_html_outside_code(lines: list[str]) -> list[str]:
    """Embedded HTML becomes Markdown-like text; code blocks are left exactly as written."""
    marks = fenced_lines(lines)
    out: list[str] = []
    start = 0
    for i in range(len(lines) + 1):
        if i == len(lines) or marks[i]:
            if start < i:
                out.extend(html_to_markdown("\n".join(lines[start:i])).split("\n"))
            if i < len(lines):
                out.append(lines[i])
            start = i + 1
    return out


def inline_to_plain(text: str) -> str:
    """One line of Markdown as plain text, links reduced to their texts."""
    return _inline(html_to_markdown(text).replace("\n", " "), [])


@lru_cache(maxsize=1 << 14)
def clean_heading(text: str) -> str:
    """A heading as a title: plain text without bold markers, leading emoji or numbering.

    Remembered: splitting and reading ask for the same headings several times each.
    """
    plain = _EMPHASIS.sub("", inline_to_plain(text))
    plain = " ".join(plain.split())
    plain = _RANK_AND_VOTES.sub("", plain, count=1) or plain
    plain = strip_leading_symbols(plain)
    numbering = _NUMBERING.match(plain)
    if numbering and numbering.end() < len(plain):
        plain = strip_leading_symbols(plain[numbering.end() :])
    return plain.strip()


def strip_leading_symbols(text: str) -> str:
    """Drop leading emoji, pictographs and other symbol characters (and spaces)."""
    i = 0
    while i < len(text) and (text[i].isspace() or _is_symbol(text[i])):
        i += 1
    return text[i:]


def clean_url(url: str) -> str:
    """Strip the punctuation and unbalanced brackets that prose glues onto a URL's end."""
    while url:
        last = url[-1]
        if last in _URL_TAIL:
            url = url[:-1]
        elif last in _CLOSERS and url.count(last) > url.count(_CLOSERS[last]):
            url = url[:-1]
        else:
            break
    return url


def alnum_count(text: str, without_urls: bool = True) -> int:
    """Letters and digits (any script) in ``text``; URLs are not counted by default."""
    if without_urls:
        text = _BARE_URL.sub(" ", text)
    return sum(map(str.isalnum, text))


def _inline(text: str, links: list[str], *, arxiv_ids: bool = False) -> str:
    """``text`` with Markdown's links, images and code spans reduced to what a reader sees; their
    URLs go to ``links``. ``arxiv_ids``: a link to an arXiv paper keeps the paper's id beside its
    text (body text; a heading stays as written)."""
    if "[" in text and "][" in text:
        text = _REF_LINK.sub(r"\1", text)

    if "[[" in text:
        text = _WIKI_LINK.sub(_wiki_link, text)

    def replace(match: re.Match[str]) -> str:
        if match.group("bare") is not None:
            _record(match.group("bare"), links)
            return match.group("bare")
        if match.group("auto") is not None:
            _record(match.group("auto"), links)
            return match.group("auto")
        if match.group("code") is not None:
            for url in _BARE_URL.finditer(match.group("code")):
                _record(url.group(0), links)
            return match.group("code")
        if match.group("src") is not None:
            _record(match.group("src"), links)
            return match.group("alt") or ""
        label = match.group("label") or ""
        for url in _BARE_URL.finditer(label):
            _record(url.group(0), links)
        _record(match.group("href"), links)
        label = label.replace("`", "")
        paper = _ARXIV_HREF.search(match.group("href")) if arxiv_ids else None
        if paper and label.strip() and paper.group(1) not in label:
            # "[Molmo and PixMo: …](https://arxiv.org/abs/2409.17146)", "[相关论文](…)": the link's
            # text alone would lose which paper it is; the id stays beside it, as digests write it
            return f"{label} (arXiv:{paper.group(1)})"
        return label

    text = _INLINE.sub(replace, text)
    if ".md)" in text or ".csv)" in text:
        text = _FILE_REFERENCE.sub("", text)
    return text


_FILE_REFERENCE = re.compile(r"[ \t]*\((?![A-Za-z][A-Za-z0-9+.\-]*:)[^()\s]*(?:/|%20)[^()\s]*\.(?:md|csv)\)")
"""A note's path in brackets after a name, as Notion exports a relation ("机构: Ai2
(../%E6%9C%BA%E6%9E%84/Ai2%202b41e0c5a7d38033.md)"): where the note is, not text."""


def _wiki_link(match: re.Match[str]) -> str:
    """The text a reader sees of a wiki-link (Obsidian, Logseq, Foam): ``[[Note|shown]]`` is
    "shown", ``[[Note#Part]]`` is "Note"; an embedded file (``![[chart.png|480]]``) is no text."""
    target = match.group("wiki").strip()
    if match.group("embed") and _EMBEDDED_FILE.search(target):
        return ""
    shown = match.group("shown")
    return shown.strip() if shown and not (match.group("embed") and shown.strip().isdigit()) else target


_EMBEDDED_FILE = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|bmp|avif|pdf|mp[34]|webm|mov|wav|ogg|m4a)$", re.I)


def _record(url: str, links: list[str]) -> None:
    if url.lower().startswith(("http://", "https://")):
        cleaned = clean_url(url)
        if len(cleaned) > len("https://"):
            links.append(cleaned)


def _table_cells(row: str) -> list[str]:
    body = row.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in body:
        if ch == "|" and not escaped:
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        escaped = ch == "\\" and not escaped
    cells.append("".join(current).strip())
    return [c for c in cells if c]


def _tidy(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _is_symbol(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("So", "Sk", "Cf", "Mn", "Co") or ch in "\ufe0f\u200d\u20e3"
