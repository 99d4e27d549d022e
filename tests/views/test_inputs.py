"""Page inputs (kg/views/inputs.py) against page contexts (kg/views/pages.py).

A page is reused when its inputs are unchanged, and it is rendered from its context; so every
change to the graph that changes a page's context must change its inputs. Here every field of
the objects around one entity (itself, a typed neighbour, a neighbour's neighbour, a co-mentioned
entity, their relations and evidence, a digest that mentions it, its items and item mentions) is
changed in turn, and every page whose inputs stayed the same must have the same context.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass, replace
from typing import Any

import pytest

from kg.models import CoMention, Digest, Entity, Evidence, Item, ItemMentions, KnowledgeGraph, Relation
from kg.pipeline import SAMPLE_CORPUS, build_graph
from kg.views.data import ViewIndex
from kg.views.inputs import PageInputs
from kg.views.pages import EVIDENCE_LISTED, digest_page, entity_page
from kg.views.reuse import plain_bytes


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return build_graph([SAMPLE_CORPUS]).graph


def pages(graph: KnowledgeGraph) -> tuple[ViewIndex, list[tuple[str, Any, str]]]:
    """Every entity and digest page: (kind, entity or digest, page path)."""
    index = ViewIndex.of(graph)
    listed = [("entity", e, index.entity_pages[e.id]) for e in graph.entities]
    listed += [("digest", d, index.digest_pages[d.id]) for d in graph.digests]
    return index, listed


def inputs_of(graph: KnowledgeGraph) -> dict[tuple[str, str], bytes]:
    index, listed = pages(graph)
    inputs = PageInputs(index)
    return {(kind, x.id): plain_bytes(inputs.entity(x, page) if kind == "entity" else inputs.digest(x, page)) for kind, x, page in listed}


def contexts_of(graph: KnowledgeGraph, only: set[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    index, listed = pages(graph)
    made = {}
    for kind, x, page in listed:
        if (kind, x.id) in only:
            made[(kind, x.id)] = plain_bytes(entity_page(index, x, page) if kind == "entity" else digest_page(index, x, page))
    return made


def field_names(record: Any) -> list[str]:
    """The fields of a model object or class: a frozen dataclass or a named tuple (kg.models)."""
    return list(record._fields) if hasattr(record, "_fields") else [f.name for f in fields(record)]


def is_record(value: Any) -> bool:
    return is_dataclass(value) or (isinstance(value, tuple) and hasattr(value, "_fields"))


def replaced(record: Any, **changes: Any) -> Any:
    return record._replace(**changes) if hasattr(record, "_fields") else replace(record, **changes)


def other_value(value: Any, field: str, graph: KnowledgeGraph, avoid: str) -> Iterator[tuple[str, Any]]:
    """Other values a field could take: a valid graph either way."""
    entity_ids = [e.id for e in graph.entities if e.id != avoid]
    item_ids = [i.id for d in graph.digests for i in d.items]
    if field in ("source", "target"):
        yield "another entity", next(e for e in entity_ids if e != value)
    elif field == "entity_ids":
        yield "another entity", (next(e for e in entity_ids if e not in value), *value[1:])
    elif field == "item_id":
        yield "another item", next(i for i in item_ids if i != value)
    elif isinstance(value, bool):
        yield "flipped", not value
    elif isinstance(value, int):
        yield "plus one", value + 1
    elif isinstance(value, str):
        yield "longer", value + " x"
        yield "other text", "2099-12-31"
        if value:
            yield "first character changed", ("y" if value[0] != "y" else "z") + value[1:]  # the same length
    elif value is None:
        yield "set", "2099-12-31"
    elif isinstance(value, tuple) and value and is_record(value[0]):
        yield "one fewer", value[:-1]
        yield "reversed", value[::-1]
        for label, changed in variants(value[0], graph, avoid):
            yield f"first {label}", (changed, *value[1:])
    elif isinstance(value, tuple):
        yield "one more", (*value, value[0] if value else "x")
        if value:
            yield "one fewer", value[1:]
            if isinstance(value[0], (int, str)):
                yield "first changed", (value[0] + 1 if isinstance(value[0], int) else value[0] + " x", *value[1:])
            elif isinstance(value[0], tuple):
                yield "first changed", ((*value[0], "x"), *value[1:])


UNCHANGED = {(Item, "id")}
"""Identities the rest of the graph refers to (changing one makes the graph inconsistent)."""


def variants(obj: Any, graph: KnowledgeGraph, avoid: str = "") -> Iterator[tuple[str, Any]]:
    for name in field_names(obj):
        if (type(obj), name) in UNCHANGED or (isinstance(obj, Entity) and name == "id"):
            continue
        for label, value in other_value(getattr(obj, name), name, graph, avoid):
            yield f"{type(obj).__name__}.{name} {label}", replaced(obj, **{name: value})


def swapped(graph: KnowledgeGraph, old: Any, new: Any) -> KnowledgeGraph:
    changes = {}
    for f in fields(graph):
        values = getattr(graph, f.name)
        if any(v is old for v in values):
            changes[f.name] = tuple(new if v is old else v for v in values)
    assert changes, old
    return replace(graph, **changes)


def neighbourhood_objects(graph: KnowledgeGraph) -> list[Any]:
    """One entity with typed relations and co-mentions, what is around it, and one of its digests."""
    index = ViewIndex.of(graph)
    centre = max(graph.entities, key=lambda e: (index.degree(e.id), len(index.co_mentioned.get(e.id, ())), e.id))
    first = index.relations_of[centre.id][0]
    neighbour = index.entities[first.target if first.source == centre.id else first.source]
    far = next(r for r in index.relations_of[neighbour.id] if centre.id not in (r.source, r.target))
    second = index.entities[far.target if far.source == neighbour.id else far.source]
    co = next(c for c in graph.co_mentions if centre.id in (c.source, c.target))
    co_mentioned = index.entities[index.co_mentioned[centre.id][0][0]]
    item_mentions = index.mentions_in[index.items_of[centre.id][0]]
    digest = index.items[item_mentions.item_id].digest
    return [centre, neighbour, second, co_mentioned, first, far, co, item_mentions, digest]


def changes(graph: KnowledgeGraph) -> Iterator[tuple[str, KnowledgeGraph]]:
    for obj in neighbourhood_objects(graph):
        for label, changed in variants(obj, graph, avoid=getattr(obj, "id", "")):
            yield label, swapped(graph, obj, changed)
    for f in ("relations", "co_mentions", "item_mentions", "digests", "entities"):
        yield f"{f} in reverse order", replace(graph, **{f: getattr(graph, f)[::-1]})


def assert_inputs_cover_contexts(graph: KnowledgeGraph, changed_graphs: Iterator[tuple[str, KnowledgeGraph]]) -> int:
    before_inputs = inputs_of(graph)
    before_contexts = contexts_of(graph, set(before_inputs))
    tried = 0
    for label, changed in changed_graphs:
        after_inputs = inputs_of(changed)
        same = {page for page, made_from in after_inputs.items() if before_inputs.get(page) == made_from}
        after_contexts = contexts_of(changed, same)
        stale = sorted(page for page in same if after_contexts[page] != before_contexts[page])
        assert not stale, f"{label}: pages whose context changed with the same inputs: {stale[:5]}"
        tried += 1
    return tried


def test_a_page_whose_context_changes_has_other_inputs(graph):
    assert assert_inputs_cover_contexts(graph, changes(graph)) > 80


def test_evidence_a_page_only_counts_is_an_input(graph):
    """A relation stated more often than a page lists: the count of the rest is shown."""
    first = neighbourhood_objects(graph)[4]
    many = tuple(replaced(first.evidence[0], sentence=f"{first.evidence[0].sentence} ({n})") for n in range(EVIDENCE_LISTED + 10))
    long = replace(first, evidence=many)
    graph = swapped(graph, first, long)
    assert assert_inputs_cover_contexts(graph, ((label, swapped(graph, long, r)) for label, r in variants(long, graph))) > 5


def test_every_field_a_page_could_read_is_changed(graph):
    """The changes above reach every field of every kind of object a page is made from (items
    and evidence through the digest's and the relation's first one)."""
    reached = {word for label, _ in changes(graph) for word in label.split() if "." in word}
    classes = (Entity, Relation, Evidence, CoMention, ItemMentions, Digest, Item)
    expected = {f"{cls.__name__}.{name}" for cls in classes for name in field_names(cls)} - {"Entity.id", "Item.id"}
    assert expected - reached == set()


@pytest.mark.parametrize("field", ["mention_count", "aliases", "first_seen", "last_seen", "digests"])
def test_what_moves_with_new_mentions_is_an_input_of_the_entity_own_page_only(graph, field):
    neighbour = neighbourhood_objects(graph)[1]
    grown = {
        "mention_count": neighbour.mention_count + 5,
        "aliases": (*neighbour.aliases, "another alias"),
        "first_seen": "2001-01-01",
        "last_seen": "2099-12-31",
        "digests": (*neighbour.digests, "d-new"),
    }
    changed = swapped(graph, neighbour, replace(neighbour, **{field: grown[field]}))
    before, after = inputs_of(graph), inputs_of(changed)
    assert {page for page in before if before[page] != after[page]} == {("entity", neighbour.id)}


@pytest.mark.parametrize("field", ["path", "content_hash", "encoding", "layout"])
def test_what_no_page_shows_of_a_digest_is_no_input(graph, field):
    digest = neighbourhood_objects(graph)[-1]
    changed = swapped(graph, digest, replace(digest, **{field: getattr(digest, field) + "-moved"}))
    assert inputs_of(changed) == inputs_of(graph)
