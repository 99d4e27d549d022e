"""Scopes: the parts of a graph whose exported records are made together, and the keys that
say when a scope's records can be copied from the previous build.

Every record of graph.ttl, graph.json and neo4j/ (a Turtle subject block, a JSON line, a CSV
row) is made from one scope of the graph and from nothing else:

    digest      ``d\\0<digest id>``        the digest's node, its items, their partOf and mentions
    relation    ``r\\0<type>\\0<source>\\0<target>``   a typed relation: its edge or row, its
                                           statement node and its evidence nodes
    co-mention  ``c\\0<source>``           the co-mention links from one entity (and
                                           their nodes in Turtle)
    entity      ``e\\0<entity id>``          an entity's Turtle block, with its relation and
                                           co-mention triples (graph.json and the bundle make
                                           every entity's record afresh: few, small, and most
                                           new digests change some counts and dates)

A scope's key is a hash of every value its records are made from: for a digest, every field
of the digest and of its items that an export writes and each item's resolved mentions (entity
ids, surfaces, counts); for a relation, the relation with all its evidence; for an entity,
the entity and the relations and co-mentions it is the source of; for the co-mentions of an
entity, each link's target and weight. Links are scoped by their source, not one by one: a
corpus has ten times as many links as entities (1.8 million at 100x a corpus whose names vary),
and a scope and key for each took 0.4 GB. Equal key, equal records, whatever else changed in
the graph; the hash is SHA-256 (128 bits kept) over a marshal of plain tuples, which is exact
(see ``_hash``).

Only a well-formed graph (what the resolver makes: unique ids, links between known nodes) is
cut into scopes; for any other, ``export_keys`` is None and the exports are written whole.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from kg.memo import Memo
from kg.models import ENTITY_TYPES, RELATION_TYPES, CoMention, Digest, Entity, ItemMentions, KnowledgeGraph, Relation

NO_SCOPE = ""
"""The scope of records that are never reused."""

DIGEST_FIELDS = ("id", "file_name", "title", "date", "layout", "encoding")
"""The fields of a Digest the exports write (not ``path`` or ``content_hash``; ``items`` apart)."""
ITEM_FIELDS = ("id", "index", "title", "date", "line", "links", "arxiv_ids", "github_repos", "hf_paper_ids", "tags")
"""The fields of an Item the exports write (all but ``text``)."""
MENTION_FIELDS = ("entity_ids", "surfaces", "counts")
"""The fields of an ItemMentions the exports write (its ``item_id`` is the item's)."""
RELATION_FIELDS = ("type", "source", "target", "score", "metric")
EVIDENCE_FIELDS = ("sentence", "item_id", "digest_id", "file_name", "date")
ENTITY_FIELDS = tuple(f.name for f in dataclasses.fields(Entity))

_DIGEST, _ITEM, _MENTION = attrgetter(*DIGEST_FIELDS), attrgetter(*ITEM_FIELDS), attrgetter(*MENTION_FIELDS)
_RELATION, _EVIDENCE, _ENTITY = attrgetter(*RELATION_FIELDS), attrgetter(*EVIDENCE_FIELDS), attrgetter(*ENTITY_FIELDS)

_ITEM_ID, _SOURCE = attrgetter("id"), attrgetter("source")
_SEPARATORS = re.compile("[\0\x1f]")
_MISSING = object()
_ENTITY_SEGMENTS = frozenset(t.lower() for t in ENTITY_TYPES)


def digest_scope(digest_id: str) -> str:
    return "d\0" + digest_id


def relation_scope(r: Relation) -> str:
    return f"r\0{r.type}\0{r.source}\0{r.target}"


def co_mention_scope(source: str) -> str:
    return "c\0" + source


def entity_scope(entity_id: str) -> str:
    return "e\0" + entity_id


def _hash(value: Any) -> bytes:
    # marshal version 2 writes a value's bytes from the value alone: no references between
    # objects (version 3 and later mark an object met twice, so equal tuples could give other
    # bytes), every string as UTF-8 whether interned or not. Values here are tuples of str,
    # int and None.
    return hashlib.sha256(marshal.dumps(value, 2)).digest()[:16]


@dataclass(frozen=True)
class ExportKeys:
    """Every scope of a graph with its key, and the scope of each digest, relation and co-mention."""

    keys: dict[str, Any]
    """Scope -> key (16 bytes of hash)."""
    digests: tuple[str, ...]
    """The scope of each digest of ``kg.digests``, in order."""
    relations: tuple[str, ...]
    co_mentions: tuple[str, ...]
    """The scope of each link (its source's: one string for all of them)."""
    entities: tuple[str, ...]


def export_keys(kg: KnowledgeGraph) -> ExportKeys | None:
    """The scopes of ``kg`` and their keys, or None when ``kg`` is not well-formed (``well_formed``)."""
    if not well_formed(kg):
        return None
    mentions = {im.item_id: _MENTION(im) for im in kg.item_mentions}
    keys: dict[str, Any] = {}
    digests = []
    for d in kg.digests:
        scope = digest_scope(d.id)
        items = d.items
        keys[scope] = _hash((_DIGEST(d), tuple(map(_ITEM, items)), tuple(map(mentions.get, map(_ITEM_ID, items)))))
        digests.append(scope)
    relations = []
    for r in kg.relations:
        scope = relation_scope(r)
        keys[scope] = _hash((_RELATION(r), tuple(map(_EVIDENCE, r.evidence))))
        relations.append(scope)
    linked: dict[str, tuple[list[str], list[int]]] = {}  # entity id -> the targets and weights of its links
    for c in kg.co_mentions:
        found = linked.get(c.source)
        if found is None:
            found = linked[c.source] = ([], [])
        found[0].append(c.target)
        found[1].append(c.weight)
    scope_of: dict[str, str] = {}
    for source, (targets, weights) in linked.items():
        scope = scope_of[source] = co_mention_scope(source)
        keys[scope] = _hash((tuple(targets), tuple(weights)))
    co_mentions = tuple(scope_of[c.source] for c in kg.co_mentions)
    stated: dict[str, list[tuple[str, str]]] = {}  # entity id -> the relations it is the source of
    for r in kg.relations:
        stated.setdefault(r.source, []).append((r.type, r.target))
    entities = []
    no_links: tuple[list[str], list[int]] = ([], [])
    for e in kg.entities:
        scope = entity_scope(e.id)
        keys[scope] = _hash((_ENTITY(e), tuple(linked.get(e.id, no_links)[0]), tuple(stated.get(e.id, ()))))
        entities.append(scope)
    return ExportKeys(keys, tuple(digests), tuple(relations), co_mentions, tuple(entities))


def well_formed(kg: KnowledgeGraph) -> bool:
    """Whether ``kg`` can be cut into scopes whose records never mix: unique digest, item,
    entity, relation and co-mention ids; entity ids under their type's segment (``model/…``),
    so no entity shares a subject or node id with a digest, item, statement or evidence; every
    mention, relation and co-mention between known nodes; no NUL in an id (scopes join ids
    with it) and no U+001F (evidence IRIs hash ids joined with it). What the resolver makes
    always is."""
    entities = {e.id for e in kg.entities}
    if len(entities) != len(kg.entities):
        return False
    for e in kg.entities:
        if e.type not in ENTITY_TYPES or e.id.partition("/")[0] not in _ENTITY_SEGMENTS or _SEPARATORS.search(e.id):
            return False
    digest_ids = {d.id for d in kg.digests}
    if len(digest_ids) != len(kg.digests) or any(_SEPARATORS.search(d) for d in digest_ids):
        return False
    items = {item.id for d in kg.digests for item in d.items}
    if len(items) != sum(len(d.items) for d in kg.digests) or any(_SEPARATORS.search(i) for i in items):
        return False
    mentioned = {im.item_id for im in kg.item_mentions}
    if len(mentioned) != len(kg.item_mentions) or not items.issuperset(mentioned):
        return False
    for im in kg.item_mentions:
        n = len(im.entity_ids)
        if len(im.surfaces) != n or len(im.counts) != n or len(set(im.entity_ids)) != n or not entities.issuperset(im.entity_ids):
            return False
    relations = {(r.type, r.source, r.target) for r in kg.relations}
    if len(relations) != len(kg.relations):
        return False
    for r in kg.relations:
        if r.type not in RELATION_TYPES or r.source not in entities or r.target not in entities:
            return False
    pairs = {(c.source, c.target) for c in kg.co_mentions}
    if len(pairs) != len(kg.co_mentions):
        return False
    return all(c.source < c.target and c.source in entities and c.target in entities for c in kg.co_mentions)


@dataclass(frozen=True)
class Selection:
    """What of a graph to serialize afresh: these digests (with their items and the items'
    mentions), relations, co-mentions and entities (for the Turtle blocks: the other exports
    make every entity's record), each with its scope, in the graph's order."""

    digests: list[tuple[str, Digest]] = field(default_factory=list)
    item_mentions: list[tuple[str, ItemMentions]] = field(default_factory=list)
    relations: list[tuple[str, Relation]] = field(default_factory=list)
    co_mentions: Sequence[tuple[str, CoMention]] = field(default_factory=list)
    entities: list[tuple[str, Entity]] = field(default_factory=list)
    everything: bool = False
    """The whole graph, as it is (``whole``)."""


def whole(kg: KnowledgeGraph, keys: ExportKeys | None = None) -> Selection:
    """Everything of ``kg``, as it is (even when not well-formed); scopes from ``keys`` when given."""
    if keys is None:
        digest_scopes = [digest_scope(d.id) for d in kg.digests]
        relation_scopes = [relation_scope(r) for r in kg.relations]
        co_mention_scopes = list(map(Memo(co_mention_scope).__getitem__, map(_SOURCE, kg.co_mentions)))  # one string a source
        entity_scopes = [entity_scope(e.id) for e in kg.entities]
    else:
        digest_scopes, relation_scopes, co_mention_scopes = list(keys.digests), list(keys.relations), list(keys.co_mentions)
        entity_scopes = list(keys.entities)
    digest_of = {item.id: scope for scope, d in zip(digest_scopes, kg.digests) for item in d.items}
    return Selection(
        list(zip(digest_scopes, kg.digests)),
        [(digest_of.get(im.item_id, NO_SCOPE), im) for im in kg.item_mentions],
        list(zip(relation_scopes, kg.relations)),
        Paired(co_mention_scopes, kg.co_mentions),
        list(zip(entity_scopes, kg.entities)),
        everything=True,
    )


class Paired(Sequence):
    """The pairs of two sequences of one length, made as they are read (``zip``, with a length
    and places). ``whole`` pairs each co-mention link with its scope so: a list of the pairs
    held 120 MB more through every export at 100x a corpus whose names vary."""

    __slots__ = ("firsts", "seconds")

    def __init__(self, firsts: Sequence[Any], seconds: Sequence[Any]) -> None:
        self.firsts, self.seconds = firsts, seconds

    def __len__(self) -> int:
        return len(self.firsts)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return zip(self.firsts, self.seconds)

    def __getitem__(self, place: Any) -> Any:
        if isinstance(place, slice):
            return list(zip(self.firsts[place], self.seconds[place]))
        return (self.firsts[place], self.seconds[place])


class Reuse:
    """For one export: which scopes' records from the previous build are still right (``kept``),
    and what is to be serialized afresh (``fresh``)."""

    def __init__(self, kg: KnowledgeGraph, keys: ExportKeys, previous: dict[str, Any] | None) -> None:
        current = keys.keys
        if previous is None:
            self.kept: frozenset[str] = frozenset()
        else:
            self.kept = frozenset(s for s, k in previous.items() if current.get(s, _MISSING) == k)
        kept = self.kept
        digests = [(s, d) for s, d in zip(keys.digests, kg.digests) if s not in kept]
        mentions = {im.item_id: im for im in kg.item_mentions} if digests else {}
        self.fresh = Selection(
            digests,
            [(s, mentions[item.id]) for s, d in digests for item in d.items if item.id in mentions],
            [(s, r) for s, r in zip(keys.relations, kg.relations) if s not in kept],
            [(s, c) for s, c in zip(keys.co_mentions, kg.co_mentions) if s not in kept],
            [(s, e) for s, e in zip(keys.entities, kg.entities) if s not in kept],
        )
