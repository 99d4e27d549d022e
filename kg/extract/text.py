"""Text helpers for extraction: a length-preserving fold for matching, and sentence bounds.

Matching runs on a folded copy of the text whose every character sits at the same offset as in
the original, so a match's offsets are the mention's offsets with no mapping table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from kg.ingest.decode import HAN, RADICAL_TO_HAN


_SENTENCE_END = re.compile(rf"[。！？!?；;\n]+|\.(?=[\s{HAN}]|$)")
"""Sentence ends; a full stop before Han text ends one only after a Latin word (``…Kimi-K2-Instruct.在…``,
Chinese typed with ASCII punctuation), never between two Han characters (``谷.歌``): ``_LATIN_END``."""


@lru_cache(maxsize=1)
def fold_table() -> dict[int, int]:
    """A str.translate table that never changes a string's length.

    It lower-cases ASCII, folds full-width ASCII and the ideographic space to half width,
    and maps each Traditional Chinese character with a one-character Simplified form to it.
    """
    table: dict[int, int] = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
    for c in range(0xFF01, 0xFF5F):  # full-width ! .. ~
        half = c - 0xFEE0
        table[c] = half + 32 if ord("A") <= half <= ord("Z") else half
    table[0x3000] = 0x20
    # Kangxi radicals copied from PDFs (华中科技⼤学): reading folds them already, and so does
    # matching any other text (a gazetteer name, a test's string)
    table.update((radical, ord(han)) for radical, han in RADICAL_TO_HAN.items())
    for trad, simp in _traditional_pairs():
        table.setdefault(ord(trad), ord(simp))
    return table


@lru_cache(maxsize=1)
def _ts_characters() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """OpenCC's Traditional-to-Simplified table of single characters: (Traditional, its Simplified forms)."""
    import opencc  # the package ships OpenCC's dictionaries as text

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        trad, _, simps = line.partition("\t")
        if len(trad) == 1 and simps:
            entries.append((trad, tuple(simps.split(" "))))
    return tuple(entries)


def _traditional_pairs() -> list[tuple[str, str]]:
    return [(trad, simps[0]) for trad, simps in _ts_characters() if len(simps[0]) == 1 and trad != simps[0]]


@lru_cache(maxsize=1)
def _simplified_table() -> tuple[frozenset[str], dict[int, int]]:
    """(the characters only Traditional script writes, the Traditional-to-Simplified table)."""
    # 於, 乾, 徵 … are also written in Simplified text, so they do not tell the script
    own = {trad for trad, simps in _ts_characters() if trad in simps}
    pairs = _traditional_pairs()
    return frozenset(t for t, _ in pairs if t not in own), {ord(t): ord(s) for t, s in pairs}


def simplified(text: str) -> str:
    """``text`` with its Traditional characters made Simplified, one for one, when it is written in
    Traditional script; ``text`` itself otherwise. The rules' cue words are Simplified ("开源",
    "基于"), so a Traditional digest ("開源", "基於") is matched through this copy, whose every
    character sits at the same offset as in ``text``; names and sentences are still cut from ``text``."""
    traditional, table = _simplified_table()
    basic, past = _traditional_patterns()
    if basic.search(text) is None and (past.search(text) is None or traditional.isdisjoint(set(text))):
        return text
    return text.translate(table)


@lru_cache(maxsize=1)
def _traditional_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a class of the Traditional-only characters below U+10000, the span of those past it).

    ``re`` tests a character against the first in one table look-up, much faster than making a
    set of the text's characters, a string object per Han character (the items of the 10x
    benchmark corpus: 0.27 -> 0.07 s). A class of characters past U+10000 is tried one character
    at a time, so those are found by their span, and only a text with one is made a set of.
    """
    traditional, _ = _simplified_table()
    basic = "".join(re.escape(c) for c in sorted(traditional) if ord(c) < 0x10000)
    return re.compile(f"[{basic}]"), _span_of(ord(c) for c in traditional if ord(c) >= 0x10000)


def _span_of(codes: Iterable[int]) -> re.Pattern[str]:
    """A class of every character from the least to the greatest of ``codes`` (one range, which
    ``re`` tests at once); one that matches nothing when there are none."""
    ordered = sorted(codes)
    if not ordered:
        return re.compile("(?!)")
    return re.compile(f"[{re.escape(chr(ordered[0]))}-{re.escape(chr(ordered[-1]))}]")


def fold(text: str) -> str:
    """Fold ``text`` for matching; ``len(fold(t)) == len(t)`` always."""
    folded, past = _fold_list()
    if past.search(text):  # a character the table folds but the list does not hold
        return text.translate(fold_table())
    return text.translate(folded)


@lru_cache(maxsize=1)
def _fold_list() -> tuple[list[int], re.Pattern[str]]:
    """``fold_table()`` up to its last key below U+10000, as a list indexed by code point, and
    the span of its keys past the list's end (``_span_of``).

    ``str.translate`` pays for each character the table leaves alone (most of them): a dict
    raises and clears a KeyError for it, a list returns the character's own code (folding the
    items of the 10x benchmark corpus: 0.35 -> 0.20 s). A character past the list's end raises
    IndexError, which leaves it alone too: right for all but the keys past the end (Traditional
    characters of the CJK extensions), whose span sends a text holding any to the dict.
    """
    table = fold_table()
    folded = list(range(max(c for c in table if c < 0x10000) + 1))
    for c, to in table.items():
        if c < len(folded):
            folded[c] = to
    return folded, _span_of(c for c in table if c >= len(folded))


MAX_SENTENCE = 400
"""Longer runs without a sentence end are cut (at a comma or space when there is one): they are
lists or run-on text, and relation rules over them would pair everything with everything."""


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into (start, end) sentence spans on Chinese and English sentence ends.

    A sentence ends at 。！？!?；; a line break, or a full stop followed by a space or, after a
    Latin word, by Han text; the end punctuation stays with its sentence. Blank spans are skipped.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if end < len(text) and text[m.start()] == "." and not text[end].isspace() and text[m.start() - 1 : m.start()] not in _LATIN_END:
            continue  # "谷.歌": a dot inside a Chinese word
        _add_sentence(text, start, end, spans)
        start = end
    _add_sentence(text, start, len(text), spans)
    return spans


def _add_sentence(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while end - start > MAX_SENTENCE:
        cut = max(text.rfind(ch, start + MAX_SENTENCE // 2, start + MAX_SENTENCE) for ch in "，,、 ")
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        if text[start:cut].strip():
            spans.append((start, cut))
        start = cut
    if text[start:end].strip():
        spans.append((start, end))


_WORD_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_LATIN_END = _WORD_CHARACTERS | frozenset(")]%")
"""What a full stop that ends a sentence before Han text comes after: a Latin word, a bracket, a percent."""


def on_word_edges(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` begins and ends on a word edge: between two Han characters
    or symbols anywhere, between Latin letters and digits only where a run of them ends.

    These are exactly the spans kg's first tokenizer (``kg.mixed_tokenizer.v1``, a token per
    Han character) gave ``Doc.char_span`` in strict mode; kept as a rule on characters so the
    tokenizer may make larger tokens. Whitespace counts as spaCy counts it: a run is a token,
    but one space after a word is that word's trailing space (no edge of its own).
    """
    return start <= end and _starts_word(text, start) and _ends_word(text, end)


def _starts_word(text: str, p: int) -> bool:
    if not 0 <= p < len(text):
        return False
    c = text[p]
    if not c.isspace():
        return not (c in _WORD_CHARACTERS and p > 0 and text[p - 1] in _WORD_CHARACTERS)
    if p > 0 and text[p - 1].isspace():  # inside a run: only after a word's trailing space
        return p - 1 > 0 and text[p - 1] == " " and not text[p - 2].isspace()
    return p == 0 or c != " "


def _ends_word(text: str, p: int) -> bool:
    if not 0 < p <= len(text):
        return False
    c = text[p - 1]
    if not c.isspace():
        return not (c in _WORD_CHARACTERS and p < len(text) and text[p] in _WORD_CHARACTERS)
    if p < len(text) and text[p].isspace():
        return False
    # the end of a run; a lone space after a word is that word's trailing space, not a token
    return not (c == " " and p - 1 > 0 and not text[p - 2].isspace())


_LIST_MARKER = re.compile(r"^\s*(?:[-*+>]|\d+[.、)])\s+")


def clean_sentence(text: str) -> str:
    """The sentence as evidence: Markdown emphasis and list markers removed, spaces collapsed.

    ``str.split`` splits on exactly what ``re``'s ``\\s`` matches (``str.isspace``), so the join
    is ``re.sub(r"\\s+", " ", text).strip()`` without a regex pass.
    """
    text = text.replace("**", "").replace("__", "")
    text = _LIST_MARKER.sub("", text)
    return " ".join(text.split())
