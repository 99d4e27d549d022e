"""kg's property-graph model for Neo4j: labels, types, properties, and graph.json rows as plain dicts.

    (:Model:Entity {id, name, aliases, wikidata, first_seen, last_seen, mention_count, implied})
        -[:DEVELOPED_BY {evidence_sentences, evidence_items, evidence_digests, evidence_dates}]->
    (:Organization:Entity {...})
    (:Item {id, title, date, position, digest, links, arxiv_ids, tags})-[:PART_OF]->(:Digest {id, file_name, title, date})
    (:Item)-[:MENTIONS {count, surfaces}]->(:Entity)
    (:Entity)-[:CO_MENTIONED {weight}]->(:Entity)             the lower id first; weight = items naming both

Every ``id`` is the node's IRI in the RDF export (``https://w3id.org/ai-digest-kg/id/…``), and
every property that points at another node (``Item.digest``, ``evidence_items``,
``evidence_digests``) holds that node's ``id``. Neo4j properties cannot
hold maps, so evidence is four parallel lists; ``evidence_dates`` are ISO strings ("" when the
date is unknown) because a Neo4j list cannot hold a null.

Pure functions of a networkx node-link dict (graph.json): no driver, no files.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from kg.export.rdf import ID as ID_PREFIX
from kg.memo import Memo
from kg.models import ENTITY_TYPES

log = logging.getLogger(__name__)

# Labels. Every entity has its type's label and ENTITY; ids are unique per label.
ENTITY = "Entity"
ORGANIZATION, MODEL, PAPER, BENCHMARK, TECHNIQUE = ENTITY_TYPES
DIGEST = "Digest"
ITEM = "Item"
NODE_LABELS: tuple[str, ...] = (*ENTITY_TYPES, DIGEST, ITEM)
"""Each node's own label, the unit of loading: one UNWIND statement and one CSV file each."""
KG_LABELS: tuple[str, ...] = (ENTITY, *NODE_LABELS)
"""Every label kg writes; each has a uniqueness constraint on ``id``."""

# Relationship types.
DEVELOPED_BY = "DEVELOPED_BY"
AFFILIATED_WITH = "AFFILIATED_WITH"
EVALUATED_ON = "EVALUATED_ON"
PROPOSES = "PROPOSES"
USES = "USES"
VARIANT_OF = "VARIANT_OF"
MENTIONS = "MENTIONS"
PART_OF = "PART_OF"
CO_MENTIONED = "CO_MENTIONED"
RELATION_TYPES: dict[str, str] = {
    "developedBy": DEVELOPED_BY,
    "affiliatedWith": AFFILIATED_WITH,
    "evaluatedOn": EVALUATED_ON,
    "proposes": PROPOSES,
    "uses": USES,
    "variantOf": VARIANT_OF,
}
"""graph.json's typed relation -> its relationship type (each carries evidence)."""
RELATIONSHIP_TYPES: tuple[str, ...] = (*RELATION_TYPES.values(), MENTIONS, PART_OF, CO_MENTIONED)

ENDPOINTS: dict[str, tuple[str, str]] = {
    **{t: (ENTITY, ENTITY) for t in RELATION_TYPES.values()},
    MENTIONS: (ITEM, ENTITY),
    PART_OF: (ITEM, DIGEST),
    CO_MENTIONED: (ENTITY, ENTITY),
}
"""The labels a relationship's start and end nodes are matched by (each has an id constraint)."""

ID_SPACES: dict[str, str] = {**{t: ENTITY for t in ENTITY_TYPES}, DIGEST: DIGEST, ITEM: ITEM}
"""neo4j-admin import ID space per node label: ids are unique within Entity, Digest and Item."""

# Property kinds, named as in neo4j-admin import headers.
STRING, LONG, BOOLEAN, DATE, STRING_LIST = "string", "long", "boolean", "date", "string[]"


@dataclass(frozen=True, slots=True)
class Property:
    """One property of a label or relationship type."""

    name: str
    kind: str
    """STRING, LONG, BOOLEAN, DATE or STRING_LIST; None values mean "no such property"."""


_P = Property
_ENTITY_PROPERTIES = (
    _P("name", STRING),
    _P("aliases", STRING_LIST),
    _P("wikidata", STRING),
    _P("first_seen", DATE),
    _P("last_seen", DATE),
    _P("mention_count", LONG),
)
NODE_PROPERTIES: dict[str, tuple[Property, ...]] = {
    ORGANIZATION: _ENTITY_PROPERTIES,
    MODEL: (*_ENTITY_PROPERTIES, _P("implied", BOOLEAN)),
    PAPER: (*_ENTITY_PROPERTIES, _P("arxiv_id", STRING)),
    BENCHMARK: _ENTITY_PROPERTIES,
    TECHNIQUE: _ENTITY_PROPERTIES,
    DIGEST: (_P("file_name", STRING), _P("title", STRING), _P("date", DATE)),
    ITEM: (
        _P("title", STRING),
        _P("date", DATE),
        _P("position", LONG),
        _P("digest", STRING),
        _P("links", STRING_LIST),
        _P("arxiv_ids", STRING_LIST),
        _P("tags", STRING_LIST),
    ),
}
"""Properties per label besides ``id``, in CSV column order."""

_EVIDENCE_PROPERTIES = (
    _P("evidence_sentences", STRING_LIST),
    _P("evidence_items", STRING_LIST),
    _P("evidence_digests", STRING_LIST),
    _P("evidence_dates", STRING_LIST),
)
RELATIONSHIP_PROPERTIES: dict[str, tuple[Property, ...]] = {
    **{t: _EVIDENCE_PROPERTIES for t in RELATION_TYPES.values()},
    EVALUATED_ON: (_P("score", STRING), _P("metric", STRING), *_EVIDENCE_PROPERTIES),
    MENTIONS: (_P("count", LONG), _P("surfaces", STRING_LIST)),
    PART_OF: (),
    CO_MENTIONED: (_P("weight", LONG),),
}
"""Properties per relationship type, in CSV column order."""

NodeRow = dict[str, Any]
"""``{"id": IRI, "props": {name: value}}``; every declared property is present, None = absent."""
RelationshipRow = dict[str, Any]
"""``{"start": IRI, "end": IRI, "props": {name: value}}``, props as in NodeRow."""


@dataclass(frozen=True, slots=True)
class GraphRows:
    """A build as rows ready for Neo4j, grouped by label and type, sorted by id."""

    nodes: dict[str, list[NodeRow]]
    """Per label of NODE_LABELS (every label present, maybe empty), rows sorted by id."""
    relationships: dict[str, list[RelationshipRow]]
    """Per type of RELATIONSHIP_TYPES (every type present), rows sorted by (start, end)."""

    def node_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    def relationship_count(self) -> int:
        return sum(len(rows) for rows in self.relationships.values())

    def ids(self, label: str) -> set[str]:
        """The ids of one label's nodes; ENTITY gives every entity's."""
        labels = ENTITY_TYPES if label == ENTITY else (label,)
        return {row["id"] for lab in labels for row in self.nodes[lab]}


def schema_statements() -> list[str]:
    """Cypher run before any write: a uniqueness constraint on ``id`` per kg label (its index
    serves every MATCH and MERGE) and an index on entity names for lookups."""
    statements = [
        f"CREATE CONSTRAINT kg_{label.lower()}_id IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.id IS UNIQUE"
        for label in KG_LABELS
    ]
    statements.append(f"CREATE INDEX kg_entity_name IF NOT EXISTS FOR (n:`{ENTITY}`) ON (n.name)")
    return statements


def iri(node_id: str) -> str:
    """A graph.json node id (``model/GPT-4o``, ``digest/…``, ``item/…``) as its IRI."""
    return ID_PREFIX + node_id


def node_link_data(graph: Any) -> dict[str, Any]:
    """The node-link dict of a KnowledgeGraph, a networkx graph, or a node-link dict itself."""
    import networkx as nx

    from kg.graph import to_networkx
    from kg.models import KnowledgeGraph

    if isinstance(graph, KnowledgeGraph):
        graph = to_networkx(graph)
    if isinstance(graph, nx.Graph):
        return nx.node_link_data(graph, edges="edges")
    if isinstance(graph, Mapping) and "nodes" in graph:
        return dict(graph)
    raise TypeError(f"not a kg graph: {type(graph).__name__}")


def graph_rows(data: Mapping[str, Any]) -> GraphRows:
    """Convert graph.json (a networkx node-link dict with ``edges``) into rows for Neo4j."""
    nodes: dict[str, list[NodeRow]] = {label: [] for label in NODE_LABELS}
    kinds: dict[str, str] = {}
    iris = Memo(iri)  # one string per node, however many rows name it
    for node in data["nodes"]:
        made = node_row(node, iris.__getitem__)
        if made is not None:
            label, row = made
            kinds[node["id"]] = label
            nodes[label].append(row)

    relationships: dict[str, dict[tuple[str, str], RelationshipRow]] = {t: {} for t in RELATIONSHIP_TYPES}
    for edge in data.get("edges", data.get("links", ())):
        found = relationship_row(edge, iris.__getitem__)
        if found is None:
            continue
        rel_type, source, target, row = found
        start_labels, end_labels = _ENDPOINT_LABELS[rel_type]
        if kinds.get(source) not in start_labels or kinds.get(target) not in end_labels:
            log.warning("graph.json: %s edge %s -> %s joins unknown nodes; skipped", edge.get("type"), source, target)
            continue
        key = (row["start"], row["end"])
        rows = relationships[rel_type]
        if key in rows:
            log.warning("graph.json: %s edge %s -> %s appears twice; the last one is kept", edge.get("type"), source, target)
        rows[key] = row

    return GraphRows(
        nodes={label: sorted(rows, key=itemgetter("id")) for label, rows in nodes.items()},
        relationships={t: [rows[k] for k in sorted(rows)] for t, rows in relationships.items()},
    )


def node_row(node: Mapping[str, Any], node_iri: Callable[[str], str] = iri) -> tuple[str, NodeRow] | None:
    """One graph.json node as (its label, its row); None, with a warning, for a node of an
    unknown kind or entity type."""
    kind = node.get("kind")
    if kind == "entity":
        label = node.get("type")
        if label not in ENTITY_TYPES:
            log.warning("graph.json: entity %s has unknown type %r; skipped", node.get("id"), label)
            return None
        props = _entity_props(node, label)
    elif kind == "digest":
        label, props = DIGEST, _digest_props(node)
    elif kind == "item":
        label, props = ITEM, _item_props(node)
    else:
        log.warning("graph.json: node %s has unknown kind %r; skipped", node.get("id"), kind)
        return None
    return label, {"id": node_iri(node["id"]), "props": props}


def relationship_row(edge: Mapping[str, Any], node_iri: Callable[[str], str] = iri) -> tuple[str, str, str, RelationshipRow] | None:
    """One graph.json edge as (its relationship type, its start and end node ids, its row);
    None, with a warning, for an edge of an unknown type. A co-mention starts at the lesser id.
    Whether the ends are nodes of the right labels is for the caller, who knows the nodes."""
    source, target, kind = edge["source"], edge["target"], edge.get("type")
    if kind == "mentions":  # most edges: tested first
        rel_type = MENTIONS
        props = {"count": edge.get("count"), "surfaces": list(edge.get("surfaces") or [])}
    elif kind in RELATION_TYPES:
        rel_type, props = RELATION_TYPES[kind], _relation_props(edge, node_iri)
    elif kind == "partOf":
        rel_type, props = PART_OF, {}
    elif kind == "coMention":
        rel_type = CO_MENTIONED
        props = {"weight": edge.get("weight")}
        source, target = sorted((source, target))
    else:
        log.warning("graph.json: edge %s -> %s has unknown type %r; skipped", source, target, kind)
        return None
    return rel_type, source, target, {"start": node_iri(source), "end": node_iri(target), "props": props}


_ENDPOINT_LABELS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    rel_type: tuple(frozenset(ENTITY_TYPES) if label == ENTITY else frozenset({label}) for label in ends)  # type: ignore[misc]
    for rel_type, ends in ENDPOINTS.items()
}
"""Per relationship type, the node labels its start and its end may have (an entity's is its type)."""


def _entity_props(node: Mapping[str, Any], label: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        "name": node.get("name"),
        "aliases": list(node.get("aliases") or []),
        "wikidata": node.get("wikidata") or None,
        "first_seen": _date(node.get("first_seen")),
        "last_seen": _date(node.get("last_seen")),
        "mention_count": node.get("mention_count"),
    }
    if label == MODEL:
        props["implied"] = bool(node.get("implied"))
    if label == PAPER:
        props["arxiv_id"] = node.get("arxiv_id") or None
    return props


def _digest_props(node: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "file_name": node.get("file_name"),
        "title": node.get("title") or None,
        "date": _date(node.get("date")),
    }


def _item_props(node: Mapping[str, Any]) -> dict[str, Any]:
    digest = node.get("digest")
    return {
        # An item without a heading has no title, as in the RDF export.
        "title": node.get("title") or None,
        "date": _date(node.get("date")),
        "position": node.get("index"),
        "digest": iri(f"digest/{digest}") if digest else None,
        "links": list(node.get("links") or []),
        "arxiv_ids": list(node.get("arxiv_ids") or []),
        "tags": list(node.get("tags") or []),
    }


def _relation_props(edge: Mapping[str, Any], node_iri: Callable[[str], str] = iri) -> dict[str, Any]:
    evidence: Sequence[Mapping[str, Any]] = edge.get("evidence") or ()
    props: dict[str, Any] = {}
    if edge.get("type") == "evaluatedOn":
        props["score"] = edge.get("score") or None
        props["metric"] = edge.get("metric") or None
    props.update(
        evidence_sentences=[ev.get("sentence") or "" for ev in evidence],
        evidence_items=[node_iri(f"item/{ev['item']}") if ev.get("item") else "" for ev in evidence],
        evidence_digests=[node_iri(f"digest/{ev['digest']}") if ev.get("digest") else "" for ev in evidence],
        evidence_dates=[_iso(ev.get("date")) for ev in evidence],
    )
    return props


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        log.warning("graph.json: %r is not an ISO date; left out", value)
        return None


def _iso(value: Any) -> str:
    parsed = _date(value)
    return parsed.isoformat() if parsed else ""


__all__ = [
    "BENCHMARK",
    "CO_MENTIONED",
    "DIGEST",
    "ENDPOINTS",
    "ENTITY",
    "ID_PREFIX",
    "ID_SPACES",
    "ITEM",
    "KG_LABELS",
    "MENTIONS",
    "MODEL",
    "NODE_LABELS",
    "NODE_PROPERTIES",
    "ORGANIZATION",
    "PAPER",
    "PART_OF",
    "RELATIONSHIP_PROPERTIES",
    "RELATIONSHIP_TYPES",
    "RELATION_TYPES",
    "TECHNIQUE",
    "GraphRows",
    "Property",
    "graph_rows",
    "iri",
    "node_link_data",
    "node_row",
    "relationship_row",
    "schema_statements",
]
