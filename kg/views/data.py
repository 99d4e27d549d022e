"""The lookups every page needs, built once from the KnowledgeGraph in linear time.

A page never scans the whole graph: it asks this index for one entity's relations, strongest
co-mentions, mentioning items, or one digest's items and their entities.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.models import Digest, Entity, Item, ItemMentions, KnowledgeGraph, Relation
from kg.views.paths import digest_page, entity_page

TOP_CO_MENTIONS = 12
"""Co-mentioned neighbours kept per entity (the strongest), for pages and the overview."""


@dataclass(frozen=True, slots=True)
class ItemRef:
    """Where an item sits: its digest and the item itself."""

    digest: Digest
    item: Item


@dataclass
class ViewIndex:
    kg: KnowledgeGraph
    entities: dict[str, Entity] = field(default_factory=dict)
    entity_pages: dict[str, str] = field(default_factory=dict)
    digests: dict[str, Digest] = field(default_factory=dict)
    digest_pages: dict[str, str] = field(default_factory=dict)
    relations_of: dict[str, list[Relation]] = field(default_factory=lambda: defaultdict(list))
    """Every typed relation an entity takes part in, as source or target, in graph order."""
    co_mentioned: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """The strongest co-mentioned entities of each entity: (other id, items in common)."""
    items_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """The items that mention each entity, in digest order."""
    items: dict[str, ItemRef] = field(default_factory=dict)
    mentions_in: dict[str, ItemMentions] = field(default_factory=dict)

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> ViewIndex:
        index = cls(kg)
        for e in kg.entities:
            index.entities[e.id] = e
            index.entity_pages[e.id] = entity_page(e.id, e.name, e.type)
        for d in kg.digests:
            index.digests[d.id] = d
            index.digest_pages[d.id] = digest_page(d.id)
            for item in d.items:
                index.items[item.id] = ItemRef(d, item)
        for r in kg.relations:
            index.relations_of[r.source].append(r)
            if r.target != r.source:
                index.relations_of[r.target].append(r)
        strongest: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for c in kg.co_mentions:
            strongest[c.source].append((-c.weight, c.target))  # sorted as they are: strongest first, then by id
            strongest[c.target].append((-c.weight, c.source))
        for entity_id, pairs in strongest.items():
            pairs.sort()
            index.co_mentioned[entity_id] = [(other, -weight) for weight, other in pairs[:TOP_CO_MENTIONS]]
        for im in kg.item_mentions:
            index.mentions_in[im.item_id] = im
            for entity_id in im.entity_ids:
                index.items_of[entity_id].append(im.item_id)
        return index

    def degree(self, entity_id: str) -> int:
        return len(self.relations_of.get(entity_id, ()))
