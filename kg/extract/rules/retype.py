"""Item-level settling: what the whole item says about the names its sentences found.

A cue word finds and types a name where it stands ("SeedFold 模型", "OpenScholar：…引擎" read as a
method); the item as a whole knows more: the same name elsewhere with no cue beside it, or a sized
version of it that makes it a model. Run on the mentions chosen for an item, before its relations.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.rules.base import Candidate, Occupied
from kg.resolve.normalize import identity_key

_SIZE_SUFFIX = re.compile(r"[-_ ]\d+(?:\.\d+)?[BM]$")


def settle_item_types(chosen: list[Candidate], text: str, stopwords: frozenset[str]) -> list[Candidate]:
    """``chosen`` with the techniques the item shows to be models typed Model, and every other
    place the item writes a name it found once, in text order: a name typed by its cue in one
    sentence ("SeedFold 模型") is the same name in a title with no cue ("字节发布SeedFold超越AF3"),
    and the bare family of a sized model is a model ("远超 U-MARVEL 的 38.2%" beside
    "U-MARVEL-7B")."""
    chosen = _scored_on(chosen, text)
    families = {name for name in _sized_families(chosen, text) if identity_key(name) not in stopwords}
    keys = {identity_key(name) for name in families}
    settled = [
        replace(c, type="Model") if _retypable(c) and identity_key(text[c.start : c.end]) in keys else c
        for c in chosen
    ] if keys else list(chosen)
    names = _names_to_repeat(settled, text)
    for name in families:
        names[name] = "Model" if names.get(name, "Model") == "Model" else None
    names = {name: type_ for name, type_ in names.items() if type_ is not None}
    if not names:
        return settled
    taken = Occupied(len(text), [(c.start, c.end) for c in chosen])
    added = False
    for name in sorted(names):
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            if not taken.overlaps(at, end) and _stands_alone(text, at, end):
                settled.append(Candidate(at, end, names[name], "repeated"))
                taken.add(at, end)
                added = True
            at = text.find(name, end)
    if added:
        settled.sort(key=lambda c: (c.start, c.end, c.type))
    return settled


_REPEATABLE = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*[A-Za-z0-9]")


def _names_to_repeat(chosen: list[Candidate], text: str) -> dict[str, str | None]:
    """Latin names the rules (not the gazetteer, which finds its names everywhere) found in the
    item -> their type; None for a name found with two types."""
    names: dict[str, str | None] = {}
    for c in chosen:
        if c.gazetteer_id is not None or c.type == "Paper":
            continue
        name = text[c.start : c.end]
        if len(name) < 3 or not _REPEATABLE.fullmatch(name):
            continue
        names[name] = c.type if names.get(name, c.type) == c.type else None
    return names


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a whole word: not part of a longer name, a path or a URL."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isascii() and (before.isalnum() or before in "-_/.@#"):
        return False
    if after.isascii() and (after.isalnum() or after in "-_/"):
        return False
    return not (after == "." and end + 1 < len(text) and text[end + 1].isalnum())


_SCORED_ON = re.compile(
    r"\s*(?:上|中)[^，。；,;\n]{0,12}?(?:\d+(?:\.\d+)?\s*[%％分]|得分|准确率|成功率|通过率|正确率|(?:为|达到?|取得|拿到)\s*\d)"
)
"""After "在 X": X is where a score was taken ("在 Something-Something v2 上取得 77.3%")."""
_SIZED = re.compile(r"\d+(?:\.\d+)?[BbMm]\b")


def _scored_on(chosen: list[Candidate], text: str) -> list[Candidate]:
    """``chosen`` with the model-shaped names the item scores models on typed Benchmark: a name
    with a number but no parameter count that stands in "在 X 上 … 77.3%" (KitchenShelf-30,
    Epic-Kitchens-100, IntPhys 2), wherever the item writes it."""
    keys = set()
    for c in chosen:
        if (
            c.type == "Model"
            and c.source == "model-shape"
            and text[max(0, c.start - 3) : c.start].rstrip().endswith("在")
            and _SCORED_ON.match(text, c.end)
            and not _SIZED.search(text, c.start, c.end)
        ):
            keys.add(identity_key(text[c.start : c.end]))
    if not keys:
        return chosen
    return [replace(c, type="Benchmark") if c.type == "Model" and identity_key(text[c.start : c.end]) in keys else c for c in chosen]


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
