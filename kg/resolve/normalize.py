"""Text normalisation and the two string keys kg matches names by (``match_key``, ``identity_key``).

Every function here is pure and runs on each mention of the corpus, so short inputs are memoised
and the OpenCC converter is built once, on first use (importing this module stays cheap).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opencc import OpenCC

_CACHE_SIZE = 1 << 16
_CACHEABLE_LEN = 256  # mentions are short; whole documents would only pin memory in the caches

_CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),  # CJK radicals supplement, Kangxi radicals
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x323AF),  # extensions B-H and the compatibility supplement
)
_CJK_RE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]")

# Soft hyphen, zero-width and bidi controls, word joiner, BOM: invisible, yet they split keys.
_INVISIBLE_RE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_PUNCT_TABLE = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212", "-"),
        **dict.fromkeys("\u2018\u2019\u201a\u201b", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u301d\u301e\u301f", '"'),
    }
)
_WHITESPACE_RE = re.compile(r"\s+")
_SEPARATORS_RE = re.compile(r"[ ._-]+")
_DIGIT_GAP_RE = re.compile(r"(?<=[0-9])[ ._-]+(?=[0-9])")
_LOOSE_GAP_RE = re.compile(r"(?<![0-9])[ ._-]+|[ ._-]+(?![0-9])")  # a run not between digits
_LATIN_NAME_RE = re.compile(r"[A-Za-z0-9 .\-_+'&/]*[A-Za-z][A-Za-z0-9 .\-_+'&/]*")

_MAX_T2S_PASSES = 4  # one character chain (薴 -> 苧 -> 苎) needs a second pass; 4 is ample


def is_cjk(ch: str) -> bool:
    """True when the single character ``ch`` is a Han ideograph (any CJK block, radicals included).

    Kana, Hangul and CJK punctuation are not ideographs and give False.
    """
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def has_cjk(text: str) -> bool:
    """True when ``text`` holds at least one Han ideograph."""
    return not text.isascii() and _CJK_RE.search(text) is not None


def is_latin_name(text: str) -> bool:
    """True when ``text`` is written only in ASCII letters, digits, spaces and ``. - _ + ' & /``
    and holds at least one letter ("GPT-4o", "AT&T", "Soft Actor-Critic"; not "2025", not "字节").
    """
    return _LATIN_NAME_RE.fullmatch(text) is not None


@cache
def _t2s() -> OpenCC:
    from opencc import OpenCC

    return OpenCC("t2s")


def _short_inputs_memoised(fn: Callable[[str], str]) -> Callable[[str], str]:
    """``fn`` with an LRU cache for the short strings mentions are (long texts bypass it)."""
    cached = lru_cache(maxsize=_CACHE_SIZE)(fn)

    def call(text: str) -> str:
        return cached(text) if len(text) <= _CACHEABLE_LEN else fn(text)

    _memoised.append(cached)
    return call


_memoised: list = []


@_short_inputs_memoised
def _t2s_fixpoint(text: str) -> str:
    convert = _t2s().convert
    for _ in range(_MAX_T2S_PASSES):
        converted = convert(text)
        if converted == text:
            break
        text = converted
    return text


@cache
def _t2s_changes() -> frozenset[str]:
    """The characters OpenCC's ``t2s`` can change: those of its dictionaries' entries (single
    characters and phrases, the only two it reads) that are not their own first Simplified form.

    A text with none of them matches no entry that changes anything, so OpenCC would return it
    as it is: the names and prose of Simplified digests, nearly every text kg sees.
    """
    import opencc  # the package ships OpenCC's dictionaries as text

    folder = Path(opencc.__file__).parent / "dictionary"
    changes: set[str] = set()
    for name in ("TSPhrases.txt", "TSCharacters.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            value = values.split(" ")[0]
            if key == value:
                continue
            if len(key) == len(value):
                changes.update(k for k, v in zip(key, value) if k != v)
            else:  # a phrase that changes length: every character of it may be its start
                changes.update(key)
    return frozenset(changes)


def to_simplified(text: str) -> str:
    """Traditional Chinese to Simplified (OpenCC ``t2s``); text with no character that OpenCC
    could change (ASCII above all, and most Simplified text) is returned as is, without calling it.

    The conversion repeats until the text stops changing, so a second call changes nothing.
    """
    if not has_cjk(text) or _t2s_changes().isdisjoint(text):
        # every entry of OpenCC's t2s dictionaries holds a Han character (a test checks this)
        return text
    return _t2s_fixpoint(text)


def _tidy(text: str) -> str:
    """Everything ``normalize_text`` does except the Traditional-to-Simplified step."""
    # invisible characters go before NFKC, or removing them could leave an uncomposed pair
    text = unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", text))
    return _WHITESPACE_RE.sub(" ", text.translate(_PUNCT_TABLE)).strip()


@_short_inputs_memoised
def _normalize_text(text: str) -> str:
    return to_simplified(_tidy(text))


def normalize_text(text: str) -> str:
    """The form every mention is compared in: Unicode NFKC (full-width to half-width), invisible
    format characters dropped, dashes (‐‑‒–—―−) to ``-``, curly quotes to ASCII quotes, runs of
    whitespace (newlines included) to one space, ends stripped, Traditional to Simplified.

    Idempotent: ``normalize_text(normalize_text(s)) == normalize_text(s)``.
    """
    return _normalize_text(text)


def _finish_key(key: str) -> str:
    # Dropping separators can bring a base letter next to a combining mark (NFKC composes
    # them) or two Han characters together into a phrase OpenCC converts differently
    # ("反 覆" -> "反覆" -> "反复"), so both steps run again on the joined key: that keeps the
    # keys idempotent.
    return to_simplified(unicodedata.normalize("NFKC", key))


@_short_inputs_memoised
def _match_key(name: str) -> str:
    return _finish_key(_SEPARATORS_RE.sub("", _tidy(name).casefold()))


def match_key(name: str) -> str:
    """The annotation guidelines' matching key: normalised, case-folded, with spaces, hyphens,
    underscores and dots dropped ("Qwen 3.6" = "qwen3.6" = "Qwen-3.6" -> "qwen36").

    It scores extraction against gold files. It merges "Qwen3.5" with "Qwen35", so kg never
    decides identity by it (see ``identity_key``).
    """
    return _match_key(name)


def _digit_gap(gap: re.Match[str]) -> str:
    return "." if gap.group() == "." else "-"


def clear_caches() -> None:
    """Empty the caches of the names normalised so far (``kg.resolve.resolver.forget_names``)."""
    for cached in (*_memoised, identity_key):
        cached.cache_clear()


@lru_cache(maxsize=1 << 17)  # one C-level lookup: extraction asks for the same few thousand names a million times
def identity_key(name: str) -> str:
    """The key kg treats as "same entity": ``match_key`` except where dropping a separator
    would join two numbers.

    Rule, after normalising and case-folding: a run of spaces, hyphens, underscores and dots
    between two digits becomes ``.`` when it is a single dot and ``-`` otherwise; every other
    such run is dropped. So "GPT-4" = "GPT 4" = "gpt4", "DeepSeek-V3" = "deepseekv3" and
    "Llama 3.1 8B" = "Llama-3.1-8B" -> "llama3.1-8b", while "Llama 3.18B" ("llama3.18b"),
    "Qwen3.5", "Qwen3.6", "Qwen35" and "GPT-4o" all stay apart.

    Deleting every ``.`` and ``-`` from an identity key gives the ``match_key``, so names that
    share an identity key always share their match key. Only ever given names (short strings),
    so every key is remembered.
    """
    key = _DIGIT_GAP_RE.sub(_digit_gap, _tidy(name).casefold())
    return _finish_key(_LOOSE_GAP_RE.sub("", key))
