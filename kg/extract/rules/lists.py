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

from kg.extract.rules.base import _FUNCTION_WORDS, Candidate, Occupied, _name_like, latin_phrases
from kg.extract.rules.names import _NOT_SERIES, _YEAR
from kg.resolve.normalize import identity_key

_NAME_WORD = r"(?!(?:and|or|the|of|with|vs)\b)[A-Za-z0-9][A-Za-z0-9.+\-_'²*]*"
_MEMBER = rf"(?:\*\*)?{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}(?:\*\*)?"
_SEPARATOR = r"\s*(?:[、,，/]|以及|和|及|与|或|\band\b|\bor\b|&)\s*"
_ASIDE = r"(?:\s*[（(][^（）()\n]{1,24}[)）])?"
"""A short parenthesis after a member (its score, its acronym) does not end the list."""
_LIST = re.compile(rf"(?<![A-Za-z0-9.\-_]){_MEMBER}{_ASIDE}(?:{_SEPARATOR}{_MEMBER}{_ASIDE})+")
_MEMBER_RE = re.compile(_MEMBER)
_JOINT = re.compile(rf"[*)）²'.\-_]*{_ASIDE}{_SEPARATOR}(?:\*\*)?[A-Za-z0-9]")
_AFTER_MEMBER = frozenset("、,，/&和及与或以*)）²'.-_ \t（(ao")
"""The characters a list may hold right after a member's last letter (a quick test first)."""
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
_TRAILING = [
    (re.compile(rf"\s*(?:(?:等|两个|三个|四个|几个|多个|两种|三种|多种)[^，,。；;、\n（()）{_CLAUSE_WORDS}]{{0,10}}?)?(?:{cue})", re.I), t)
    for cue, t in _CUE_WORDS
]
_LEADING = [
    (re.compile(rf"(?:{cue})\s*[（(:：]\s*(?:如|例如|比如|包括|包含|including|such as|e\.g\.,?)?\s*$", re.I), t)
    for cue, t in _CUE_WORDS
]

STRONG_SOURCES = frozenset(
    "gazetteer model-shape bench-shape bench-variant bench-edition zh-model-version "
    "def-zh-en-acr def-acr-long def-long-acr".split()
)
"""Rules whose type a list may trust: curated names, unmistakable shapes, definitions."""
WEAK_SOURCES = frozenset({"cue", "camel-cue", "bold-cue"})
"""Rules that type a name from a cue word somewhere in its clause: a list's type overrides them."""


def find_list_members(
    text: str, known: Iterable[Candidate], taken: Occupied, stopwords: frozenset[str]
) -> list[Candidate]:
    """Unknown members of typed lists, typed as the list is."""
    types_at: dict[tuple[int, int], set[str]] = {}
    weak: set[tuple[int, int]] = set()
    for c in known:
        if c.source in STRONG_SOURCES and c.type != "Paper":
            types_at.setdefault((c.start, c.end), set()).add(c.type)
        elif c.source in WEAK_SOURCES:
            weak.add((c.start, c.end))
    found = []
    for m in _lists(text):
        members = [(s, e) for s, e in _members(text, m.start(), m.end()) if e > s]
        if len(members) < 2:
            continue
        open_ = [  # the members a list type would add or correct
            (s, e, (s, e) in weak)
            for s, e in members
            if (s, e) in weak or (s, e) not in types_at and not taken.overlaps(s, e)
        ]
        if not open_:
            continue
        list_type = _cue_type(text, members[0][0], members[-1][1])
        if list_type is None:
            kinds = [types_at.get(span) for span in members]
            known_types = {t for k in kinds if k for t in k}
            if len(known_types) != 1 or sum(1 for k in kinds if k) < 2:
                continue
            list_type = known_types.pop()
        for start, end, is_weak in open_:
            if is_weak:  # a cue in the clause typed it alone: the list knows better
                found.append(Candidate(start, end, list_type, "list", priority=2))
            elif _member_name(text[start:end], stopwords):
                found.append(Candidate(start, end, list_type, "list", priority=1))
    return found


def _lists(text: str) -> Iterator[re.Match[str]]:
    """``_LIST.finditer(text)``, tried only in the Latin phrases (found once per text for all
    rules) that a separator and another Latin name follow: a scan of its own for lists cost
    as much again."""
    done = 0
    size = len(text)
    joint = _JOINT.match
    for start, end in latin_phrases(text):
        if end <= done or end >= size or text[end] not in _AFTER_MEMBER or joint(text, end) is None:
            continue
        if start > 0 and text[start - 1] in _URL_PUNCTUATION:
            continue  # a path or query string: github.com/owner/repo, ?a=1&b=2
        for w in _WORD_STARTS.finditer(text, max(start, done), end):
            m = _LIST.match(text, w.start())
            if m is not None and m.end() > end:
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
