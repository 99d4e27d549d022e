"""The networkx view of a KnowledgeGraph: node and edge attribute names live here.

Nodes are entities (id = entity id), digests (``digest/<id>``) and items (``item/<id>``);
edges are typed relations (key = relation type), ``mentions`` (item -> entity), ``partOf``
(item -> digest) and ``coMention`` (entity -> entity, the lower id first).
"""

from __future__ import annotations

import json

import networkx as nx

from kg.models import KnowledgeGraph

KIND = "kind"
ENTITY, DIGEST, ITEM = "entity", "digest", "item"
MENTIONS, PART_OF, CO_MENTION = "mentions", "partOf", "coMention"


def digest_node(digest_id: str) -> str:
    return f"digest/{digest_id}"


def item_node(item_id: str) -> str:
    return f"item/{item_id}"


def to_networkx(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """Build the graph; nodes and edges are added in sorted order so output is deterministic."""
    g = nx.MultiDiGraph()
    for e in kg.entities:
        g.add_node(
            e.id,
            **{KIND: ENTITY},
            type=e.type,
            name=e.name,
            aliases=list(e.aliases),
            wikidata=e.wikidata,
            arxiv_id=e.arxiv_id,
            mention_count=e.mention_count,
            first_seen=e.first_seen,
            last_seen=e.last_seen,
            digests=list(e.digests),
            implied=e.implied,
        )
    for d in kg.digests:
        g.add_node(
            digest_node(d.id),
            **{KIND: DIGEST},
            file_name=d.file_name,
            title=d.title,
            date=d.date,
            layout=d.layout,
            encoding=d.encoding,
            items=len(d.items),
        )
        for item in d.items:
            node = item_node(item.id)
            g.add_node(
                node,
                **{KIND: ITEM},
                title=item.title,
                date=item.date or d.date,
                digest=d.id,
                index=item.index,
                line=item.line,
                links=list(item.links),
                arxiv_ids=list(item.arxiv_ids),
                github_repos=list(item.github_repos),
                hf_paper_ids=list(item.hf_paper_ids),
                tags=list(item.tags),
            )
            g.add_edge(node, digest_node(d.id), key=PART_OF, type=PART_OF)
    for im in kg.item_mentions:
        for entity_id, surfaces, count in zip(im.entity_ids, im.surfaces, im.counts, strict=True):
            g.add_edge(item_node(im.item_id), entity_id, key=MENTIONS, type=MENTIONS, surfaces=list(surfaces), count=count)
    for r in kg.relations:
        g.add_edge(
            r.source,
            r.target,
            key=r.type,
            type=r.type,
            score=r.score,
            metric=r.metric,
            evidence=[
                {"sentence": ev.sentence, "item": ev.item_id, "digest": ev.digest_id, "file_name": ev.file_name, "date": ev.date}
                for ev in r.evidence
            ],
        )
    for c in kg.co_mentions:
        g.add_edge(c.source, c.target, key=CO_MENTION, type=CO_MENTION, weight=c.weight, items=list(c.items))
    return g


def graph_json(g: nx.MultiDiGraph) -> bytes:
    """networkx node-link JSON, keys sorted, UTF-8 (byte-identical for the same graph)."""
    data = nx.node_link_data(g, edges="edges")
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def read_graph_json(raw: bytes) -> nx.MultiDiGraph:
    return nx.node_link_graph(json.loads(raw), edges="edges", multigraph=True, directed=True)
