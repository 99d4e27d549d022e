"""Shared pieces of the extraction rules: candidate spans, overlap tests, Latin phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.text import HAN
from kg.memo import Memo

@dataclass(frozen=True, slots=True)
class Candidate:
    """A span the rules believe names an entity of ``type``."""

    start: int
    end: int
    type: str
    source: str
    gazetteer_id: str | None = None
    arxiv_id: str | None = None
    priority: int = 1
    """Higher wins an overlap of equal length (gazetteer 3, strong shapes 2, cues 1)."""


@dataclass(frozen=True, slots=True)
class Definition:
    """``short`` and ``long`` name the same thing, as the text states (acronym definitions)."""

    type: str
    short: tuple[int, int]
    long: tuple[int, int]
    long_zh: tuple[int, int] | None = None



_WORD = r"[A-Za-z0-9][A-Za-z0-9+'’]*(?:[.\-_][A-Za-z0-9+]+)*"
_PHRASE = re.compile(rf"(?<![A-Za-z0-9.\-_]){_WORD}(?:[ \u00a0](?:{_WORD}))*")
_WORD_RE = re.compile(_WORD)

_FUNCTION_WORDS = frozenset(
    "a an the and or of for in on at to by with via from into vs versus as is are was be "
    "its it this that these than then our we your their not no can will using based over "
    "under through without within per about after before between".split()
)

@lru_cache(maxsize=4)
def latin_phrases(text: str) -> tuple[tuple[int, int], ...]:
    """Maximal runs of Latin words joined by single spaces, cut at function words.

    Several rules read an item's phrases; the last few texts' are kept, so each is found once.
    """
    spans = []
    parts_of = _PHRASE_PARTS
    for m in _PHRASE.finditer(text):
        start = m.start()
        spans += [(start + s, start + e) for s, e in parts_of[m.group()]]
    return tuple(spans)


def _phrase_parts(run: str) -> tuple[tuple[int, int], ...]:
    """The phrases of one run of Latin words, as offsets in ``run``: it is cut at function
    words and each piece loses trailing punctuation."""
    spans = []
    cursor = 0
    for w in _WORD_RE.finditer(run):
        if w.group().lower() in _FUNCTION_WORDS:
            if cursor < w.start():
                spans.append((cursor, w.start()))
            cursor = w.end()
    if cursor < len(run):
        spans.append((cursor, len(run)))
    return tuple((s, e) for s, e in ((s, _rstrip(run, s, e)) for s, e in spans) if e > s)


_PHRASE_PARTS: Memo[str, tuple[tuple[int, int], ...]] = Memo(_phrase_parts, limit=200_000)
"""Run of Latin words -> its phrases: the same runs recur all over a corpus."""


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " .-_'’":
        end -= 1
    return end


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + w.start(), start + w.end()) for w in _WORD_RE.finditer(text[start:end])]


_ROLE_WORDS = frozenset(
    "teacher student critic actor policy reward value base reference target draft judge verifier "
    "world foundation language vision diffusion embedding kernel backbone encoder decoder baseline "
    "scaling dynamics state observation ensemble agent router planner executor generator "
    "discriminator retriever reranker tokenizer adapter expert experts proxy surrogate oracle "
    "memory attention transformer sequence reasoning thinking instruct chat assistant system "
    "model models framework method algorithm architecture benchmark dataset language large".split()
)


def _name_like(surface: str) -> bool:
    """A proper name, not an ML role noun: ``StoryMem``, ``Stirrup``, ``Self Forcing``, not ``Teacher``."""
    words = surface.split()
    if len(words) > 1:
        return all(w[0].isupper() or w[0].isdigit() for w in words) and words[-1].lower() not in _ROLE_WORDS
    return words[0].lower() not in _ROLE_WORDS


class Occupied:
    """Character positions already claimed by a span: O(1) overlap tests on long texts."""

    def __init__(self, length: int, spans: list[tuple[int, int]] = ()) -> None:
        self._mask = bytearray(length + 1)
        for s, e in spans:
            self.add(s, e)

    def add(self, start: int, end: int) -> None:
        self._mask[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return 1 in self._mask[start:end]


def _overlaps(start: int, end: int, taken: "list[tuple[int, int]] | Occupied") -> bool:
    if isinstance(taken, Occupied):
        return taken.overlaps(start, end)
    return any(s < end and start < e for s, e in taken)


def _clause_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in "，,；;。\n：:")
    rights = [text.find(ch, end) for ch in "，,；;。\n"]
    right = min([r for r in rights if r != -1], default=len(text))
    return text[left + 1 : right]



HAN_RE = re.compile(f"[{HAN}]")
