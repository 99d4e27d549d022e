"""What an entity or digest page is made from, gathered cheaply enough to fingerprint every page.

A page's context (pages.py) costs more to build than most pages cost to link from the previous
build, so reuse.py fingerprints these *inputs* instead: every value of the graph that the
page's context is computed from, and nothing else. Inputs shared by many pages (a digest's
title and item titles, a relation with its evidence, a neighbour's own relations) are hashed
once and enter each page as that hash.

What each page reads (keep in step with pages.py and graphs.py; tests/views/test_inputs.py
changes every field the graph has and checks that a page whose context changed has other inputs):

entity page   the entity (every field); each of its relations: type, ends, score, metric,
              the first EVIDENCE_LISTED pieces of evidence with the digest and item each
              points to, the evidence count, the name and type of both ends; each item that
              mentions it, with its digest (id, title, date, file, item ids, indices and
              titles); its strongest co-mentions with their names and types; for each typed
              neighbour, that neighbour's relations (type, ends, score) and the names and types
              of their ends (the second ring of the neighbourhood graph).
digest page   the digest's id, title, date and file name; every field of every item; for each
              item the entities it mentions (ids, counts) with their names and types.

Counts that move with every new mention (a neighbour's mentions, dates, aliases) are not inputs
of other entities' pages: those pages never show them (kg.js reads them from the search index).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import fields
from operator import attrgetter
from typing import Any

from kg.models import Digest, Entity, Item, Relation
from kg.views.data import ViewIndex
from kg.views.pages import EVIDENCE_LISTED
from kg.views.reuse import plain_bytes

_ENTITY_FIELDS = attrgetter(*(f.name for f in fields(Entity)))
_ITEM_FIELDS = attrgetter(*(f.name for f in fields(Item) if f.name != "text"))
"""Every field of an item but its text, which is hashed apart (the bulk of a digest's bytes)."""


def _hash(value: Any) -> bytes:
    """A short hash of a plain value, for a part of the inputs many pages share."""
    return hashlib.sha256(plain_bytes(value)).digest()[:16]


MISSING = bytes(16)
"""Stands for an entity the graph does not hold (a page naming one cannot be made anyway)."""
MISSING_ITEM = bytes(20)
"""Stands for an item the graph does not hold (likewise)."""


def _joined(table: dict[str, bytes], keys: Sequence[str], missing: bytes) -> bytes:
    """The values of ``keys`` in ``table`` end to end (all of one length; ``missing`` for a key
    the table lacks): looked up in C, as the thousands of items of a hub are."""
    try:
        return b"".join(map(table.__getitem__, keys))
    except KeyError:
        return b"".join([table.get(key, missing) for key in keys])


class PageInputs:
    """The inputs of each entity and digest page of one graph; shared parts hashed once."""

    def __init__(self, index: ViewIndex) -> None:
        self.index = index
        self.idents = {e.id: (e.id, e.name, e.type) for e in index.kg.entities}
        """What another page shows of an entity: its name and type (and the link they make)."""
        self._ident_hashes: dict[str, bytes] | None = None
        self._items: dict[str, bytes] | None = None
        self._relations: dict[int, bytes] = {}
        self._around: dict[str, bytes] = {}

    def items(self) -> dict[str, bytes]:
        """For each item id, what entity pages show of it and of its digest: the hash of the
        digest's id, title, date, file name and items (ids, indices, titles), and the item's
        place among them. Made as ViewIndex.items is, so a repeated id means the same item."""
        if self._items is None:
            found = {}
            for d in self.index.kg.digests:
                h = _hash((d.id, d.title, d.date, d.file_name, [(i.id, i.index, i.title) for i in d.items]))
                for place, item in enumerate(d.items):
                    found[item.id] = h + place.to_bytes(4, "big")
            self._items = found
        return self._items

    def _relation(self, r: Relation) -> bytes:
        """A relation as either end's page shows it, hashed (each relation is on two pages)."""
        h = self._relations.get(id(r))
        if h is None:
            items = self.items()
            evidence = [(ev.sentence, ev.date, ev.file_name, items.get(ev.item_id, MISSING_ITEM)) for ev in r.evidence[:EVIDENCE_LISTED]]
            ends = (self.idents.get(r.source), self.idents.get(r.target))
            h = self._relations[id(r)] = _hash((r.type, r.source, r.target, r.score, r.metric, len(r.evidence), ends, evidence))
        return h

    def _neighbour(self, entity_id: str) -> bytes:
        """A neighbour's own typed relations as the neighbourhood graph draws them: the second
        ring (names and types of their far ends) and its edges (type, ends, score)."""
        h = self._around.get(entity_id)
        if h is None:
            idents = self.idents
            relations = self.index.relations_of.get(entity_id, ())
            h = self._around[entity_id] = _hash([(r.type, r.source, r.target, r.score, idents.get(r.source), idents.get(r.target)) for r in relations])
        return h

    def entity(self, entity: Entity, page: str) -> tuple[Any, ...]:
        index = self.index
        relations = index.relations_of.get(entity.id, ())
        items = self.items()
        idents = self.idents
        return (
            page,
            _ENTITY_FIELDS(entity),
            [self._relation(r) for r in relations],
            [self._neighbour(r.target if r.source == entity.id else r.source) for r in relations],
            _joined(items, index.items_of.get(entity.id, ()), MISSING_ITEM),
            [(other, weight, idents.get(other)) for other, weight in index.co_mentioned.get(entity.id, ())],
        )

    def ident_hashes(self) -> dict[str, bytes]:
        """``idents``, each hashed (a digest page lists many entities, and 16 bytes pickle faster)."""
        if self._ident_hashes is None:
            self._ident_hashes = {key: _hash(ident) for key, ident in self.idents.items()}
        return self._ident_hashes

    def digest(self, digest: Digest, page: str) -> tuple[Any, ...]:
        mentions_in = self.index.mentions_in
        idents = self.ident_hashes()
        items = []
        texts = []
        for item in digest.items:
            found = mentions_in.get(item.id)
            mentioned = None if found is None else (_joined(idents, found.entity_ids, MISSING), found.counts)
            items.append((_ITEM_FIELDS(item), len(item.text), mentioned))
            texts.append(item.text)
        # the texts end to end (their lengths are above): hashed in one go, not pickled one by one
        text = hashlib.sha256("".join(texts).encode("utf-8", "surrogatepass")).digest()
        return (page, digest.id, digest.title, digest.date, digest.file_name, text, items)
