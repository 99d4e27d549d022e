"""Item-level typing: what the rest of an item says about a name it typed a technique.

A cue word types a name where it stands ("OpenScholar：…引擎" reads as a method); the item as a
whole can say otherwise. Run on the mentions chosen for an item, before its relations.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.rules.base import Candidate
from kg.resolve.normalize import identity_key

_SIZE_SUFFIX = re.compile(r"[-_ ]\d+(?:\.\d+)?[BM]$")


def settle_item_types(chosen: list[Candidate], text: str) -> list[Candidate]:
    """``chosen`` with the techniques the item shows to be models typed Model."""
    models = _sized_families(chosen, text)
    if not models:
        return chosen
    return [
        replace(c, type="Model") if _retypable(c) and identity_key(text[c.start : c.end]) in models else c
        for c in chosen
    ]


def _retypable(c: Candidate) -> bool:
    return c.type == "Technique" and c.gazetteer_id is None


def _sized_families(chosen: list[Candidate], text: str) -> set[str]:
    """Names the item also gives with a parameter count: "OpenScholar" beside "OpenScholar-8B"."""
    families = set()
    for c in chosen:
        if c.type == "Model":
            size = _SIZE_SUFFIX.search(text, c.start, c.end)
            if size is not None and size.start() > c.start:
                families.add(identity_key(text[c.start : size.start()]))
    return families
