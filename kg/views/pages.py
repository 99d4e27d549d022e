"""What each page shows, as plain dicts for its template: no HTML is written here."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from kg.models import ENTITY_TYPES, RELATION_TYPES, Digest, Entity
from kg.views.data import ViewIndex
from kg.views.graphs import neighbourhood, overview
from kg.views.layout import LayoutMemo
from kg.views.network import network, page_data
from kg.views.paths import INDEX, href, item_anchor
from kg.views.safe import arxiv_url, web_url, wikidata_url
from kg.views.style import CO_MENTION, CO_MENTION_COLOUR, RELATION_COLOURS, TYPE_COLOURS, TYPE_LABELS

RELATION_PHRASES: dict[str, tuple[str, str]] = {
    "developedBy": ("developed by", "develops"),
    "affiliatedWith": ("affiliated with", "affiliation of"),
    "evaluatedOn": ("evaluated on", "evaluates"),
    "proposes": ("proposes", "proposed by"),
    "uses": ("uses", "used by"),
    "variantOf": ("variant of", "has variant"),
}
"""How a relation reads from its source's page and from its target's page."""

EVIDENCE_SHOWN = 3
"""Evidence sentences shown per relation before the rest fold away under "more"."""
DIGESTS_LISTED = 200
"""Digests listed (newest first) under "Mentioned in"; the count of older ones is shown."""
EVIDENCE_LISTED = 30
"""Evidence sentences listed per relation at most; a hub's page would otherwise grow with every
digest that repeats the relation (the count of the rest is shown)."""


def _common(page: str) -> dict[str, Any]:
    return {
        "page": page,
        "root": href(page, INDEX).removesuffix(INDEX),
        "type_colours": TYPE_COLOURS,
        "type_labels": TYPE_LABELS,
    }


def _entity_link(index: ViewIndex, page: str, entity: Entity) -> dict[str, Any]:
    return {"name": entity.name, "type": entity.type, "href": href(page, index.entity_pages[entity.id])}


def _item_href(index: ViewIndex, page: str, item_id: str) -> str:
    ref = index.items[item_id]
    return href(page, index.digest_pages[ref.digest.id], item_anchor(ref.item.index))


def index_page(index: ViewIndex, page: str, overview_size: int, layout: LayoutMemo | None = None) -> dict[str, Any]:
    kg = index.kg
    nodes, edges = overview(index, overview_size, layout)
    per_type = Counter(e.type for e in kg.entities)
    directory: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in sorted(kg.entities, key=lambda e: (e.name.casefold(), e.id)):
        directory[e.type].append({"name": e.name, "href": href(page, index.entity_pages[e.id]), "mentions": e.mention_count})
    dates = sorted(d for e in kg.entities for d in (e.first_seen, e.last_seen) if d)
    relation_counts = Counter(r.type for r in kg.relations)
    return {
        **_common(page),
        "title": "kg explorer",
        "graph": page_data(network(nodes, edges)),
        "shown": len(nodes),
        "co_mentions_shown": not any(e.get("hidden") for e in edges),
        "overview_size": overview_size,
        "stats": {"digests": len(kg.digests), "item_count": sum(len(d.items) for d in kg.digests), "entities": len(kg.entities), "relations": len(kg.relations)},
        "types": [{"type": t, "label": TYPE_LABELS[t], "colour": TYPE_COLOURS[t], "count": per_type.get(t, 0)} for t in ENTITY_TYPES],
        "relations": [{"type": t, "colour": RELATION_COLOURS[t], "count": relation_counts.get(t, 0)} for t in RELATION_TYPES]
        + [{"type": CO_MENTION, "colour": CO_MENTION_COLOUR, "count": len(kg.co_mentions)}],
        "date_min": dates[0] if dates else "",
        "date_max": dates[-1] if dates else "",
        "digests": [_digest_row(index, page, d) for d in sorted(kg.digests, key=lambda d: (d.date or "", d.id), reverse=True)],
        "directory": [{"type": t, "label": TYPE_LABELS[t], "colour": TYPE_COLOURS[t], "entities": directory[t]} for t in ENTITY_TYPES if directory[t]],
    }


def _digest_row(index: ViewIndex, page: str, d: Digest) -> dict[str, Any]:
    return {"title": d.title, "date": d.date or "", "item_count": len(d.items), "file_name": d.file_name, "href": href(page, index.digest_pages[d.id])}


def _digest_order(index: ViewIndex, d: Digest) -> tuple[str, str, str]:
    return (d.date or "", d.title, index.digest_pages[d.id])


def entity_page(index: ViewIndex, entity: Entity, page: str) -> dict[str, Any]:
    relations = []
    for r in index.relations_of.get(entity.id, ()):
        outgoing = r.source == entity.id
        other = index.entities[r.target if outgoing else r.source]
        evidence = [
            {
                "sentence": ev.sentence,
                "date": ev.date or "",
                "file_name": ev.file_name,
                "digest": index.items[ev.item_id].digest.title,
                "href": _item_href(index, page, ev.item_id),
            }
            for ev in r.evidence[:EVIDENCE_LISTED]
        ]
        relations.append(
            {
                "type": r.type,
                "colour": RELATION_COLOURS[r.type],
                "phrase": RELATION_PHRASES[r.type][0 if outgoing else 1],
                "other": _entity_link(index, page, other),
                "score": r.score,
                "metric": r.metric,
                "evidence": evidence[:EVIDENCE_SHOWN],
                "more_evidence": evidence[EVIDENCE_SHOWN:],
                "unlisted": max(0, len(r.evidence) - EVIDENCE_LISTED),
            }
        )
    relations.sort(key=lambda x: (RELATION_TYPES.index(x["type"]), x["phrase"], x["other"]["name"], x["other"]["href"]))
    by_digest: dict[str, list[str]] = defaultdict(list)
    for item_id in index.items_of.get(entity.id, ()):
        by_digest[index.items[item_id].digest.id].append(item_id)
    # Newest first by (date, title, link); a link is the same climb to html/ plus the digest's
    # page, so the page orders them as the link would. Only the digests listed become rows.
    newest = sorted(by_digest.values(), key=lambda items: _digest_order(index, index.items[items[0]].digest), reverse=True)
    older = max(0, len(newest) - DIGESTS_LISTED)
    mentioned_in = []
    for items in newest[:DIGESTS_LISTED]:
        digest = index.items[items[0]].digest
        mentioned_in.append(
            {
                **_digest_row(index, page, digest),
                "mentions": [
                    {"index": index.items[i].item.index, "title": index.items[i].item.title, "href": _item_href(index, page, i)}
                    for i in sorted(items, key=lambda i: index.items[i].item.index)
                ],
            }
        )
    co = [
        {**_entity_link(index, page, index.entities[other]), "weight": weight}
        for other, weight in index.co_mentioned.get(entity.id, ())
    ]
    nodes, edges = neighbourhood(index, entity.id)
    return {
        **_common(page),
        "title": f"{entity.name} · kg explorer",
        "entity": entity,
        "colour": TYPE_COLOURS[entity.type],
        "wikidata": wikidata_url(entity.wikidata),
        "arxiv": arxiv_url(entity.arxiv_id),
        "relations": relations,
        "co_mentioned": co,
        "mentioned_in": mentioned_in,
        "older_digests": older,
        "graph": page_data(network(nodes, edges)),
    }


EXCERPT_LENGTH = 280


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[: EXCERPT_LENGTH - 1] + "…"


def digest_page(index: ViewIndex, digest: Digest, page: str) -> dict[str, Any]:
    items = []
    for item in digest.items:
        found = index.mentions_in.get(item.id)
        entities = []
        if found:
            pairs = sorted(zip(found.entity_ids, found.counts), key=lambda p: (-p[1], index.entities[p[0]].name))
            entities = [{**_entity_link(index, page, index.entities[e]), "count": c} for e, c in pairs if e in index.entities]
        items.append(
            {
                "index": item.index,
                "anchor": item_anchor(item.index),
                "title": item.title or f"Item {item.index}",
                "date": item.date or "",
                "tags": item.tags,
                "excerpt": _excerpt(item.text),
                "links": [{"text": link, "url": web_url(link)} for link in item.links],
                "entities": entities,
            }
        )
    return {
        **_common(page),
        "title": f"{digest.title} · kg explorer",
        # What the page shows of the digest, not the Digest: its path, hash and item texts would
        # make the page's fingerprint change (and the page render again) when they do.
        "digest": {"title": digest.title, "date": digest.date, "file_name": digest.file_name},
        "items": items,
        "graph": None,
    }
