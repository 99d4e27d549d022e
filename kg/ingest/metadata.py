"""Metadata read from a digest's text: dates, tags, arXiv ids, GitHub repos, Hugging Face papers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
    r"|(?<!\d)(?P<y2>(?:19|20)\d\d)\s{0,2}年\s{0,2}(?P<m2>\d{1,2})\s{0,2}月\s{0,2}(?P<d2>\d{1,2})\s{0,2}[日号]"
)
_COMPACT_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(\d\d)[-_.]?(\d\d)(?!\d)")
_DATE_LABEL = re.compile(
    r"(?:时间|日期|发布时间|发布日期|发表时间|发表日期|更新时间|\b(?:date|time|published|updated)\b)"
    r"[*_\s]{0,3}[:：]",
    re.IGNORECASE,
)
_BRACKETED_DATE = re.compile(r"[\[【(（]\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*[\]】)）]")
_ONLY_DATE = re.compile(r"^[\s*_`>-]*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?:[ T]\d{1,2}:\d\d(?::\d\d)?)?[\s*_`]*$")
_TAG_LABEL = re.compile(r"(?:标签|关键词|关键字|\b(?:tags?|keywords)\b)[*_\s]{0,3}[:：]\s*(.*)$", re.IGNORECASE)
_BRACKET_TAG = re.compile(r"[\[【]([^\[\]【】\n]{1,60})[\]】]")
_TAG_SPLIT = re.compile(r"[,，、;；|/]")

_ARXIV_URL = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5}|[a-z][a-z.\-]{1,20}/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_ARXIV_TEXT = re.compile(r"\barxiv(?:\*\*)?\s{0,2}[:：]?\s{0,2}(?:\*\*)?\s{0,2}(\d{4}\.\d{4,5})(?:v\d+)?(?!\d)", re.IGNORECASE)
_GITHUB = re.compile(
    r"^https?://(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100})",
    re.IGNORECASE,
)
_HF_PAPER = re.compile(r"^https?://(?:www\.)?huggingface\.co/papers/(\d{4}\.\d{4,5})(?!\d)", re.IGNORECASE)
_GITHUB_RESERVED = frozenset(
    "about apps blog collections contact customer-stories enterprise events explore features "
    "issues join login marketplace notifications orgs organizations pricing pulls readme search "
    "security settings site sponsors team topics trending users".split()
)

METADATA_LINES = 6
"""How many non-blank lines under an item's title are read as its metadata block."""


def iso_date(year: str | int, month: str | int, day: str | int) -> str | None:
    """``YYYY-MM-DD`` for a real calendar date, else None."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> Iterator[str]:
    """Every valid date in ``text`` (YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日), in order."""
    for match in _DATE.finditer(text):
        if match.group("y"):
            date = iso_date(match.group("y"), match.group("m"), match.group("d"))
        else:
            date = iso_date(match.group("y2"), match.group("m2"), match.group("d2"))
        if date:
            yield date


def first_date(text: str) -> str | None:
    """The first valid date in ``text``; for a range the start of the range."""
    return next(find_dates(text), None)


def file_name_date(stem: str) -> str | None:
    """A date in a file name, also written compactly (``20260207``, ``2026_02_07``)."""
    found = first_date(stem)
    if found:
        return found
    for match in _COMPACT_DATE.finditer(stem):
        date = iso_date(*match.groups())
        if date:
            return date
    return None


def digest_date(
    front_matter: Mapping[str, object], title: str | None, stem: str, content: str
) -> str | None:
    """Front matter ``date``, else a date in the title, the file name, then the content."""
    stated = front_matter.get("date")
    if isinstance(stated, str):
        found = first_date(stated)
        if found:
            return found
    return (title and first_date(title)) or file_name_date(stem) or first_date(content)


def item_date(body: Sequence[str]) -> str | None:
    """A date stated in the item's metadata lines (``**时间**: 2026-02-07``, ``[2026-01-04]``)."""
    for line in _metadata_lines(body):
        label = _DATE_LABEL.search(line)
        if label:
            found = first_date(line[label.end() : label.end() + 60])
            if found:
                return found
        for pattern in (_BRACKETED_DATE, _ONLY_DATE):
            match = pattern.search(line)
            if match:
                found = first_date(match.group(1))
                if found:
                    return found
    return None


def item_tags(body: Sequence[str], categories: Iterable[str] = ()) -> tuple[str, ...]:
    """Category headings (outermost first), then tags stated after a 标签/tags label."""
    tags: list[str] = [c for c in categories if c]
    for line in body:
        label = _TAG_LABEL.search(line)
        if not label:
            continue
        rest = label.group(1)
        bracketed = _BRACKET_TAG.findall(rest)
        values = bracketed if bracketed else _TAG_SPLIT.split(rest)
        tags.extend(v.strip().strip("*_`#").strip() for v in values)
    return tuple(dict.fromkeys(t for t in tags if t))


def arxiv_ids(links: Iterable[str], text: str) -> tuple[str, ...]:
    """arXiv ids from arxiv.org links and ``arXiv:NNNN.NNNNN`` mentions, without versions."""
    found = [m.group(1) for url in links for m in _ARXIV_URL.finditer(url)]
    found.extend(m.group(1) for m in _ARXIV_TEXT.finditer(text))
    return tuple(dict.fromkeys(found))


def github_repos(links: Iterable[str]) -> tuple[str, ...]:
    """``owner/name`` of every GitHub repository linked, unique regardless of case."""
    seen: dict[str, str] = {}
    for url in links:
        match = _GITHUB.match(url)
        if not match:
            continue
        owner, name = match.group(1), match.group(2)
        if name.lower().endswith(".git"):
            name = name[:-4]
        name = name.rstrip(".")
        if owner.lower() in _GITHUB_RESERVED or not name:
            continue
        seen.setdefault(f"{owner}/{name}".lower(), f"{owner}/{name}")
    return tuple(seen.values())


def hf_paper_ids(links: Iterable[str]) -> tuple[str, ...]:
    """Ids of linked Hugging Face paper pages (``huggingface.co/papers/<id>``)."""
    return tuple(dict.fromkeys(m.group(1) for url in links if (m := _HF_PAPER.match(url))))


def _metadata_lines(body: Sequence[str]) -> Iterator[str]:
    count = 0
    for line in body:
        if not line.strip():
            continue
        yield line
        count += 1
        if count >= METADATA_LINES:
            return
