"""The graphs the pages draw: the overview of the most important entities, and one entity's
neighbourhood. Both come out as vis-network node and edge dicts with fixed positions."""

from __future__ import annotations

from typing import Any

from kg.models import Entity, Relation
from kg.views.data import ViewIndex
from kg.views.layout import LayoutMemo, ring_layout
from kg.views.style import CO_MENTION, CO_MENTION_COLOUR, RELATION_COLOURS

OVERVIEW_SIZE = 150
"""Entities in the overview unless ``--overview-size`` says otherwise."""
CO_MENTIONS_HIDDEN_ABOVE = 1000
"""In bigger overviews co-mention links start hidden (a checkbox shows them): drawing them all
would triple the edges and slow every pan and zoom."""
OVERVIEW_CO_MENTIONS = 3
"""Co-mention links drawn per overview node (its strongest within the view)."""
OVERVIEW_CLEARANCE = 100.0
"""Least distance between two overview nodes' centres, in px: twice the largest node radius
kg.js draws (48), and a margin, so no node is ever drawn over another and each can be clicked."""
NEIGHBOURHOOD_SIZE = 60
"""At most this many nodes around an entity on its page."""
CO_MENTIONS_AROUND = 8
"""Co-mentioned neighbours drawn around an entity besides its typed relations."""
SECOND_HOP_PER_NODE = 6
"""Typed neighbours of a neighbour drawn on the second ring."""


LABEL_LENGTH = 28
"""Longer names (paper titles) are cut on the canvas; the tooltip and page show them whole."""


def short_label(name: str) -> str:
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1].rstrip() + "…"


def rank(index: ViewIndex) -> list[Entity]:
    """Entities by importance: mentions, then typed relations, then name (a total order)."""
    return sorted(index.entities.values(), key=lambda e: (-e.mention_count, -index.degree(e.id), e.type, e.name, e.id))


def _node(index: ViewIndex, entity: Entity, position: tuple[int, int], **extra: Any) -> dict[str, Any]:
    """A node as drawn: what only changes when the entity itself is renamed or moved.

    Its tooltip and size (mention count, aliases, dates) are filled in by ``kg.js`` from the
    search index every page loads, found by ``page`` (the entity's page, from the html root). So a
    page whose neighbour was mentioned again is byte-identical to before and is reused, not
    rendered again (``reuse.py``).
    """
    return {
        "id": entity.id,
        "label": short_label(entity.name),
        "group": entity.type,
        "x": position[0],
        "y": position[1],
        "page": index.entity_pages[entity.id],
        "type": entity.type,
        **extra,
    }


def _relation_edge(r: Relation) -> dict[str, Any]:
    label = r.type + (f" {r.score}" if r.score else "")
    return {"from": r.source, "to": r.target, "kind": r.type, "title": label, "color": RELATION_COLOURS[r.type]}


def _co_mention_edge(a: str, b: str, weight: int) -> dict[str, Any]:
    source, target = sorted((a, b))
    return {
        "from": source,
        "to": target,
        "kind": CO_MENTION,
        "title": f"mentioned together in {weight} item{'s' if weight != 1 else ''}",
        "color": CO_MENTION_COLOUR,
        "dashes": True,
        "arrows": {"to": {"enabled": False}},
        "width": 0.8,
    }


def _typed_edges(index: ViewIndex, members: set[str]) -> list[dict[str, Any]]:
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for node in sorted(members):
        for r in index.relations_of.get(node, ()):
            if r.source in members and r.target in members:
                edges.setdefault((r.source, r.target, r.type), _relation_edge(r))
    return [edges[k] for k in sorted(edges)]


def overview(index: ViewIndex, size: int, layout: LayoutMemo | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``size`` most important entities, their typed relations and strongest co-mentions,
    placed by ``layout`` (the last build's positions when their inputs are the same)."""
    chosen = rank(index)[:size]
    members = {e.id for e in chosen}
    edges = _typed_edges(index, members)
    co: dict[tuple[str, str], int] = {}
    for e in chosen:
        kept = 0
        for other, weight in index.co_mentioned.get(e.id, ()):
            if other in members and kept < OVERVIEW_CO_MENTIONS:
                co[tuple(sorted((e.id, other)))] = weight
                kept += 1
    hidden = {"hidden": True} if len(chosen) > CO_MENTIONS_HIDDEN_ABOVE else {}
    edges += [{**_co_mention_edge(a, b, w), **hidden} for (a, b), w in sorted(co.items())]
    ids = [e.id for e in chosen]
    weighted = [(x["from"], x["to"], 2.0 if x["kind"] != CO_MENTION else 1.0) for x in edges]
    positions = (layout or LayoutMemo(None)).force_layout(ids, weighted, spacing=120.0, clearance=OVERVIEW_CLEARANCE)
    nodes = [
        _node(index, e, positions[e.id], mentions=e.mention_count, first=e.first_seen or "", last=e.last_seen or "")  # for the filters
        for e in chosen
    ]
    return nodes, edges


def neighbourhood(index: ViewIndex, centre: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One entity, its typed neighbours and strongest co-mentions, then their typed neighbours."""
    present = {centre}
    ring1: list[tuple[str, str | None]] = []
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def take(other: str, parent: str, ring: list[tuple[str, str | None]]) -> bool:
        if other in present or len(present) >= NEIGHBOURHOOD_SIZE:
            return other in present
        present.add(other)
        ring.append((other, parent))
        return True

    for r in index.relations_of.get(centre, ()):
        other = r.target if r.source == centre else r.source
        if take(other, centre, ring1):
            edges.setdefault((r.source, r.target, r.type), _relation_edge(r))
    typed_ring1 = [node for node, _ in ring1]
    for other, weight in index.co_mentioned.get(centre, ())[:CO_MENTIONS_AROUND]:
        if other not in present and take(other, centre, ring1):
            edges[(*sorted((centre, other)), CO_MENTION)] = _co_mention_edge(centre, other, weight)
    ring2: list[tuple[str, str | None]] = []
    for node in typed_ring1:
        taken = 0
        for r in index.relations_of.get(node, ()):
            if taken >= SECOND_HOP_PER_NODE:
                break
            other = r.target if r.source == node else r.source
            if other == centre:
                continue
            if take(other, node, ring2):
                edges.setdefault((r.source, r.target, r.type), _relation_edge(r))
                taken += 1
    positions = ring_layout(centre, [ring1, ring2])
    hops = {centre: 0, **{n: 1 for n, _ in ring1}, **{n: 2 for n, _ in ring2}}
    nodes = []
    for node_id in [centre] + [n for n, _ in ring1] + [n for n, _ in ring2]:
        extra: dict[str, Any] = {"hop": hops[node_id]}
        if node_id == centre:
            extra.update(borderWidth=4, font={"size": 18})
        nodes.append(_node(index, index.entities[node_id], positions[node_id], **extra))
    return nodes, [edges[k] for k in sorted(edges)]
