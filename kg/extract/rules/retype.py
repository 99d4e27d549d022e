"""Item-level typing: what the rest of an item says about a name it typed a technique.

A cue word types a name where it stands ("OpenScholar：…引擎" reads as a method); the item as a
whole can say otherwise. Run on the mentions chosen for an item, before its relations.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.rules.base import Candidate, Occupied
from kg.resolve.normalize import identity_key

_SIZE_SUFFIX = re.compile(r"[-_ ]\d+(?:\.\d+)?[BM]$")


def settle_item_types(chosen: list[Candidate], text: str, stopwords: frozenset[str]) -> list[Candidate]:
    """``chosen`` with the techniques the item shows to be models typed Model, and the bare
    family name of a sized model found wherever the item writes it ("远超 U-MARVEL 的 38.2%"
    beside "U-MARVEL-7B"), in text order."""
    families = {name for name in _sized_families(chosen, text) if identity_key(name) not in stopwords}
    if not families:
        return chosen
    keys = {identity_key(name) for name in families}
    retyped = [
        replace(c, type="Model") if _retypable(c) and identity_key(text[c.start : c.end]) in keys else c
        for c in chosen
    ]
    taken = Occupied(len(text), [(c.start, c.end) for c in chosen])
    for name in sorted(families):
        for m in re.finditer(re.escape(name), text):
            if _stands_alone(text, m.start(), m.end()) and not taken.overlaps(m.start(), m.end()):
                retyped.append(Candidate(m.start(), m.end(), "Model", "sized-family"))
                taken.add(m.start(), m.end())
    retyped.sort(key=lambda c: (c.start, c.end, c.type))
    return retyped


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a whole word: not part of a longer name, a path or a URL."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isascii() and (before.isalnum() or before in "-_/.@#"):
        return False
    if after.isascii() and (after.isalnum() or after in "-_/"):
        return False
    return not (after == "." and end + 1 < len(text) and text[end + 1].isalnum())


def _retypable(c: Candidate) -> bool:
    return c.type == "Technique" and c.gazetteer_id is None


def _sized_families(chosen: list[Candidate], text: str) -> set[str]:
    """The names, as written, of the families of the item's models given with a parameter
    count: "OpenScholar" for "OpenScholar-8B"."""
    families = set()
    for c in chosen:
        if c.type == "Model":
            size = _SIZE_SUFFIX.search(text, c.start, c.end)
            if size is not None and size.start() > c.start:
                families.add(text[c.start : size.start()])  # "Baseline-3B": the stop list drops it
    return families
