"""Enumerations: names listed together are of one kind (``如 Thyme、DeepEyes 等模型``).

Digests name baselines, datasets and methods in lists far more often than one by one, and a
list is typed as a whole: by a cue word around it (``…等基线模型``, ``方法（如 …）``) or by the
members a stronger rule already knows (``MMMU 和 MM-Vet``). The unknown members take that
type. A list whose known members disagree, or that has neither cue nor two known members of
one type, types nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from heapq import merge

from kg.extract.rules.base import _FUNCTION_WORDS, Candidate, Occupied, _name_like
from kg.extract.rules.names import _NOT_SERIES, _YEAR
from kg.resolve.normalize import identity_key

_NAME_WORD = r"(?!(?:and|or|the|of|with|vs)\b)[A-Za-z0-9][A-Za-z0-9.+\-_'²*]*"
_MEMBER = rf"(?:\*\*)?{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}(?:\*\*)?"
_SEPARATOR = r"\s*(?:[、,，/]|以及|和|及|与|或|\band\b|\bor\b|&)\s*"
_ASIDE = r"(?:\s*[（(][^（）()\n]{1,24}[)）])?"
"""A short parenthesis after a member (its score, its acronym) does not end the list."""
_LIST = re.compile(rf"(?<![A-Za-z0-9.\-_]){_MEMBER}{_ASIDE}(?:{_SEPARATOR}{_MEMBER}{_ASIDE})+")
_MEMBER_RE = re.compile(_MEMBER)
_SEPARATOR_AHEAD = re.compile(r"[、,，/&和及与或以](?=及?\s?(?:\*\*)?[a-z]*[A-Z0-9])")
_AND_AHEAD = re.compile(r" (?:and|or) (?=(?:\*\*)?[a-z]*[A-Z0-9])")
"""Separators before a Latin name with a capital or a digit (as list members have), in two
scans: each starts with a literal or a character set, which ``re`` skips ahead to fast (an
alternation of the two would try every position)."""
_MEMBER_END = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+²*')）")
_RUN_BACK = re.compile(r"[A-Za-z0-9.+\-_'²* ]*[A-Za-z0-9+²*']")
"""A member's characters, read backwards from its end."""
_WORD_STARTS = re.compile(r"(?<![A-Za-z0-9.\-_*])[A-Za-z0-9*]")
_URL_PUNCTUATION = frozenset("/=?&#@%")
_TASK_CODE = re.compile(r"[A-Z]{1,2}2[A-Z]{1,2}")
_SIZE = re.compile(r"\d+(?:\.\d+)?[BMKT]", re.I)
_STEP = re.compile(rf"{_ASIDE}(?:{_SEPARATOR})?")

_CUE_WORDS: tuple[tuple[str, str], ...] = (
    (r"基线模型|大模型|语言模型|模型|models?|LLMs?", "Model"),
    (r"基准测试|基准|评测集|测评集|数据集|benchmarks?|datasets?", "Benchmark"),
    (r"框架|算法|方法|架构|methods?|algorithms?|frameworks?|architectures?", "Technique"),
)
_CLAUSE_WORDS = "也已都均被将把是在对"
"""Words that start a clause: a cue after them speaks of something else (``…等应用程序也已支持模型``)."""
_COUNTED = r"(?:等|两个|三个|四个|几个|多个|两种|三种|多种)"
"""``等`` or a count after the last member: ``…等现有 SOTA 加速框架``, ``…两个基准``."""
_TRAILING = [
    (re.compile(rf"\s*(?:{_COUNTED}[^，,。；;、\n（()）{_CLAUSE_WORDS}]{{0,10}}?)?(?:{cue})", re.I), t)
    for cue, t in _CUE_WORDS
]
_LEADING = [
    (re.compile(rf"(?:{cue})\s*[（(:：]\s*(?:如|例如|比如|包括|包含|including|such as|e\.g\.,?)?\s*$", re.I), t)
    for cue, t in _CUE_WORDS
]

STRONG_SOURCES = frozenset(
    "gazetteer model-shape bench-shape bench-variant bench-edition family-version "
    "def-zh-en-acr def-acr-long def-long-acr".split()
)
"""Rules whose type a list may trust: curated names, unmistakable shapes, definitions."""


def find_list_members(
    text: str, known: Iterable[Candidate], taken: Occupied, stopwords: frozenset[str]
) -> list[Candidate]:
    """Unknown members of typed lists, typed as the list is."""
    found: list[Candidate] = []
    types_at: dict[tuple[int, int], set[str]] | None = None  # made when first needed: most items need none
    for m in _lists(text):
        members = [(s, e) for s, e in _members(text, m.start(), m.end()) if e > s]
        open_ = [(s, e) for s, e in members if not taken.overlaps(s, e) and _member_name(text[s:e], stopwords)]
        if len(members) < 2 or not open_:
            continue
        list_type = _cue_type(text, members[0][0], members[-1][1])
        if list_type is None:
            if types_at is None:
                types_at = {}
                for c in known:
                    if c.source in STRONG_SOURCES and c.type != "Paper":
                        types_at.setdefault((c.start, c.end), set()).add(c.type)
            kinds = [types_at.get(span) for span in members]
            known_types = {t for k in kinds if k for t in k}
            if len(known_types) != 1 or sum(1 for k in kinds if k) < 2:
                continue
            list_type = known_types.pop()
        found += [Candidate(s, e, list_type, "list", priority=1) for s, e in open_]
    return found


def _lists(text: str) -> Iterator[re.Match[str]]:
    """``_LIST.finditer(text)``, tried only where a separator stands between two Latin names.

    Separators are found by scans that start with a character set or a literal (which ``re``
    runs fast); the member before each is found backwards from it. Trying the list pattern at
    every word start instead cost four times as much.
    """
    done = 0
    separators = _SEPARATOR_AHEAD.finditer(text)
    if " and " in text or " or " in text:
        separators = merge(separators, _AND_AHEAD.finditer(text), key=lambda m: m.start())
    for sep in separators:
        end = sep.start()
        if end <= done:
            continue
        if end > 0 and text[end - 1] == " ":
            end -= 1
        if end == 0 or text[end - 1] not in _MEMBER_END:
            continue  # most separators: after a Han character
        if text[end - 1] in "）)":  # an aside: "MMLU（+3.1%）、GSM8K"
            opening = max(text.rfind("（", max(done, end - 27), end), text.rfind("(", max(done, end - 27), end))
            if opening < 0:
                continue
            end = opening
            while end > 0 and text[end - 1] == " ":
                end -= 1
        low = max(done, end - 80)
        run = _RUN_BACK.match(text[low:end][::-1])
        if run is None:
            continue
        start = end - run.end()
        if start > 0 and text[start - 1] in _URL_PUNCTUATION:
            continue  # a path or query string: github.com/owner/repo, ?a=1&b=2
        for w in _WORD_STARTS.finditer(text, start, end):
            m = _LIST.match(text, w.start())
            if m is not None and m.end() > sep.start():
                done = m.end()
                yield m
                break


def _members(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The members of the list ``text[start:end]``, asides and separators skipped."""
    members = []
    at = start
    while at < end:
        m = _MEMBER_RE.match(text, at, end)
        if m is None:
            break
        members.append(_strip(text, *m.span()))
        at = _STEP.match(text, m.end(), end).end()
    return members


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """The member without bold marks and trailing punctuation."""
    while start < end and text[start] == "*":
        start += 1
    while end > start and text[end - 1] in "*.-_'":
        end -= 1
    return start, end


def _cue_type(text: str, start: int, end: int) -> str | None:
    after = text[end : end + 24]
    for rx, t in _TRAILING:
        if rx.match(after):
            return t
    before = text[max(0, start - 16) : start].replace("*", "")
    for rx, t in _LEADING:
        if rx.search(before):
            return t
    return None


def _member_name(surface: str, stopwords: frozenset[str]) -> bool:
    """A list member that may be a name: every word capitalised, holding a capital or a digit."""
    words = surface.split()
    if not all(re.search(r"[A-Z0-9]", w) for w in words) or words[0].lower() in _FUNCTION_WORDS:
        return False
    key = identity_key(surface)
    lead = re.match(r"[A-Za-z]*", words[0]).group()  # "Table 3", "Model2-2B": no name
    if key in stopwords or identity_key(lead) in _NOT_SERIES or _YEAR.match(surface):
        return False
    if not re.search(r"[A-Za-z]{2}", surface) or _TASK_CODE.fullmatch(surface) or _SIZE.fullmatch(words[0]):
        return False  # "3D", "4K", numbers; task codes (T2I, TI2V); sizes ("7B Dense")
    return _name_like(surface)
