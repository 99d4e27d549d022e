"""The curated gazetteer (``ontology/gazetteer.tsv``): loading it and matching it over text.

Matching is one Aho-Corasick automaton (leftmost-longest) over the folded text, so its cost
grows with the text, not with the number of names. Latin names must stand on word boundaries;
a name that ends in a digit must not run on into a longer version (``GPT-4`` never matches
inside ``GPT-4o`` or ``GPT-4.1``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import ahocorasick_rs

from kg.errors import GazetteerError
from kg.extract.text import HAN, fold
from kg.models import ENTITY_TYPES
from kg.ontology import data_file
from kg.resolve.normalize import identity_key, normalize_text

_COLUMNS = ["id", "type", "name", "aliases", "wikidata", "flags"]
_SEPARATORS = re.compile(r"[\s\-_]+")
_ALNUM = re.compile(r"[a-z0-9]")
_NO_TYPES: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One curated entity: its canonical name, type and every alias."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    wikidata: str | None
    case_sensitive: bool

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class GazetteerMatch:
    start: int
    end: int
    entry: GazetteerEntry


class Gazetteer:
    """The curated entities, indexed for matching in text and for lookup by name."""

    def __init__(self, entries: list[GazetteerEntry]) -> None:
        self.entries = tuple(entries)
        self.by_id = {e.id: e for e in entries}
        self._by_key: dict[tuple[str, str], GazetteerEntry] = {}
        self._by_key_any: dict[str, list[GazetteerEntry]] = {}
        for entry in entries:
            for name in entry.names:
                key = identity_key(name)
                self._by_key.setdefault((entry.type, key), entry)
                bucket = self._by_key_any.setdefault(key, [])
                if entry not in bucket:
                    bucket.append(entry)
        self._types_by_key = {key: frozenset(e.type for e in found) for key, found in self._by_key_any.items()}

    @cached_property
    def _matcher(self) -> tuple[ahocorasick_rs.AhoCorasick, list[list[tuple[GazetteerEntry, str]]]]:
        """The automaton over every folded variant of every name, and the (entry, variant) pairs
        of each of its patterns. Built on the first ``find``: resolution only looks names up
        (an add-one build's resolving process never matches text)."""
        patterns: dict[str, list[tuple[GazetteerEntry, str]]] = {}
        for entry in self.entries:
            for name in entry.names:
                for variant in _variants(normalize_text(name)):
                    patterns.setdefault(fold(variant), []).append((entry, variant))
        keys = sorted(patterns)
        automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        return automaton, [patterns[p] for p in keys]

    def lookup(self, name: str, type: str | None = None) -> GazetteerEntry | None:
        """The entry one of whose names has the same identity key as ``name``."""
        key = identity_key(name)
        if type is not None:
            return self._by_key.get((type, key))
        found = self._by_key_any.get(key)
        return found[0] if found else None

    def types_of(self, name: str) -> frozenset[str]:
        """The types of the entries named ``name`` (by identity key); empty when none is."""
        return self._types_by_key.get(identity_key(name), _NO_TYPES)

    def find(self, text: str, folded: str | None = None, *, joined: bool = False) -> list[GazetteerMatch]:
        """Every gazetteer name in ``text`` that stands on proper boundaries; with ``joined``, also
        a name ending in a digit that a hyphen joins to more ("DeepSeek-VL2" of "DeepSeek-VL2-Tiny"),
        for the caller to take the whole token or nothing."""
        folded = fold(text) if folded is None else folded
        automaton, pattern_entries = self._matcher
        matches = []
        for index, start, end in automaton.find_matches_as_indexes(folded):
            if not _on_boundaries(folded, start, end) and not (joined and hyphen_joined(folded, start, end)):
                continue
            candidates = pattern_entries[index]
            surface = text[start:end]
            chosen = None
            for entry, variant in candidates:
                if entry.case_sensitive and surface != variant:
                    continue
                chosen = entry
                break
            if chosen is not None:
                matches.append(GazetteerMatch(start, end, chosen))
        return matches


def _variants(name: str) -> set[str]:
    """The name as written, plus its Latin words joined by space, hyphen and nothing, and with
    or without a space where Han meets Latin (字节跳动Seed, 字节跳动 Seed: digests write both)."""
    variants = {name}
    if _ALNUM.search(name.lower()) and _SEPARATORS.search(name):
        parts = [p for p in _SEPARATORS.split(name) if p]
        for joiner in (" ", "-", ""):
            variants.add(joiner.join(parts))
    if _HAN_THEN_LATIN.search(name) or _LATIN_THEN_HAN.search(name):
        for v in list(variants):
            joined = _LATIN_THEN_HAN.sub(r"\1", _HAN_THEN_LATIN.sub(r"\1", v))
            variants.add(joined)
            variants.add(_LATIN_THEN_HAN.sub(r" \1", _HAN_THEN_LATIN.sub(r"\1 ", joined)))
    return {v for v in variants if len(v) >= 2}


_HAN_THEN_LATIN = re.compile(rf"([{HAN}]) ?(?=[A-Za-z0-9])")
_LATIN_THEN_HAN = re.compile(rf"(?<=[A-Za-z0-9]) ?([{HAN}])")


_ALNUM_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
"""What ``_ALNUM`` matches, as a set: a membership test is cheaper than a regex call, and
boundaries are tested for every automaton hit."""


def hyphen_joined(folded: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` ends in a digit that a hyphen joins to more ("DeepSeek-VL2"
    of "DeepSeek-VL2-Tiny"), standing on a proper boundary at its start."""
    alnum = _ALNUM_CHARACTERS
    return (
        folded[end - 1].isdigit()
        and folded[end : end + 1] == "-"
        and folded[end + 1 : end + 2] in alnum  # "" (the text's end) is not
        and not (folded[start] in alnum and start > 0 and folded[start - 1] in alnum)
    )


def _on_boundaries(folded: str, start: int, end: int) -> bool:
    first, last = folded[start], folded[end - 1]
    alnum = _ALNUM_CHARACTERS
    if first in alnum and start > 0 and folded[start - 1] in alnum:
        return False
    if last in alnum and end < len(folded):
        nxt = folded[end]
        if nxt in alnum:
            return False
        # "GPT-4" must not match the start of "GPT-4.1" or "GPT-4-turbo".
        if last.isdigit() and nxt in ".-_" and end + 1 < len(folded) and folded[end + 1] in alnum:
            return False
    return True


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Read a gazetteer TSV (columns: id, type, name, aliases, wikidata, flags)."""
    return _load(str(path or data_file("gazetteer.tsv")))


@lru_cache(maxsize=4)
def _load(path: str) -> Gazetteer:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError as err:
        raise GazetteerError(path, f"cannot read: {err.strerror}") from None
    if not rows or rows[0] != _COLUMNS:
        raise GazetteerError(path, f"the header must be: {' '.join(_COLUMNS)}")
    entries, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if len(row) != len(_COLUMNS):
            raise GazetteerError(path, f"line {number}: expected {len(_COLUMNS)} tab-separated fields")
        id_, type_, name, aliases, wikidata, flags = (field.strip() for field in row)
        if type_ not in ENTITY_TYPES:
            raise GazetteerError(path, f"line {number}: unknown type {type_!r}")
        if id_ in seen or not id_ or not name:
            raise GazetteerError(path, f"line {number}: missing or repeated id/name")
        seen.add(id_)
        entries.append(
            GazetteerEntry(
                id=id_,
                type=type_,
                name=name,
                aliases=tuple(a.strip() for a in aliases.split("|") if a.strip()),
                wikidata=wikidata or None,
                case_sensitive="cs" in flags.split(","),
            )
        )
    return Gazetteer(entries)


@lru_cache(maxsize=4)
def load_stopwords(path: str | None = None) -> frozenset[str]:
    """Generic terms that are never entities, as identity keys."""
    file = Path(path) if path else data_file("stopwords.txt")
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise GazetteerError(str(file), f"cannot read: {err.strerror}") from None
    return frozenset(identity_key(line.strip()) for line in lines if line.strip() and not line.startswith("#"))
