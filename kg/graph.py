"""The networkx view of a KnowledgeGraph: node and edge attribute names live here.

Nodes are entities (id = entity id), digests (``digest/<id>``) and items (``item/<id>``);
edges are typed relations (key = relation type), ``mentions`` (item -> entity), ``partOf``
(item -> digest) and ``coMention`` (entity -> entity, the lower id first).
"""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby, islice
from operator import attrgetter
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export.files import open_atomic, paused_gc, write_text_atomic
from kg.export.merge import OldFile, OrderedWriter, Written
from kg.export.scopes import ExportKeys, export_keys
from kg.export.store import ExportRecords, write_reusing
from kg.models import CoMention, Digest, Entity, Item, ItemMentions, KnowledgeGraph, Relation

log = logging.getLogger(__name__)

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
    for node, attrs in _nodes(kg):
        g.add_node(node, **attrs)
    for source, target, key, attrs in _edges(kg):
        g.add_edge(source, target, key=key, **attrs)
    return g


def graph_data(kg: KnowledgeGraph, lazy_edges: bool = False) -> dict[str, Any]:
    """``node_link(to_networkx(kg))``, made straight from ``kg``: the same nodes and edges in
    the same order (networkx lists edges by source node, then target, then key, each in the
    order first added), without building the networkx graph on the way.

    ``lazy_edges=True`` gives ``edges`` as an ``Edges``: a sequence that makes each edge dict
    when iterated (as often as iterated), so writers that read the edges once never hold them
    all. Only for a well-formed graph (unique nodes and edges, every edge between known nodes,
    typed relations and co-mentions between entities); otherwise a list, as without it.
    """
    if lazy_edges:
        edges = Edges.of(kg)
        if edges is not None:
            nodes = [{**attrs, "id": node} for node, attrs in _nodes(kg)]
            return {"directed": True, "multigraph": True, "graph": {}, "nodes": nodes, "edges": edges}
    nodes: dict[str, dict[str, Any]] = {}
    for node, attrs in _nodes(kg):
        found = nodes.get(node)
        if found is None:
            nodes[node] = {**attrs, "id": node}
        else:
            found.update(attrs)
    out: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for source, target, key, attrs in _edges(kg):
        for node in (source, target):
            if node not in nodes:
                nodes[node] = {"id": node}
        by_key = out.setdefault(source, {}).setdefault(target, {})
        found = by_key.get(key)
        if found is None:
            by_key[key] = {**attrs, "source": source, "target": target, "key": key}
        else:
            found.update(attrs)
    edges = [edge for node in nodes for by_key in out.get(node, {}).values() for edge in by_key.values()]
    return {"directed": True, "multigraph": True, "graph": {}, "nodes": list(nodes.values()), "edges": edges}


class Edges:
    """graph.json's edges, made on each iteration in networkx's order (see ``graph_data``)."""

    def __init__(self, kg: KnowledgeGraph, by_source: dict[str, dict[str, list[tuple]]], count: int) -> None:
        self._kg = kg
        self._by_source = by_source  # entity id -> target -> [(source, target, key, attrs)]
        self._count = count

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> Edges | None:
        """The lazy edges of ``kg``, or None when it is not well-formed enough for them."""
        entities = {e.id for e in kg.entities}
        node_ids = [*entities, *(digest_node(d.id) for d in kg.digests)]
        items = {item_node(item.id) for d in kg.digests for item in d.items}
        if len(set(node_ids)) != len(node_ids) or len(items) != sum(len(d.items) for d in kg.digests) or items & set(node_ids):
            return None
        mentioned = [item_node(im.item_id) for im in kg.item_mentions]
        if len(set(mentioned)) != len(mentioned) or not items.issuperset(mentioned):
            return None
        count = len(items)
        for im in kg.item_mentions:
            if len(set(im.entity_ids)) != len(im.entity_ids) or not entities.issuperset(im.entity_ids):
                return None
            count += len(im.entity_ids)
        by_source: dict[str, dict[str, list[tuple]]] = {}
        seen: set[tuple[str, str, str]] = set()
        for edge in _typed_edges(kg):
            source, target, key, _ = edge
            if source not in entities or target not in entities or (source, target, key) in seen:
                return None
            seen.add((source, target, key))
            by_source.setdefault(source, {}).setdefault(target, []).append(edge)
            count += 1
        return cls(kg, by_source, count)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for e in self._kg.entities:
            for found in self._by_source.get(e.id, {}).values():
                for source, target, key, attrs in found:
                    yield {**attrs, "source": source, "target": target, "key": key}
        mentions = {im.item_id: im for im in self._kg.item_mentions}
        for d in self._kg.digests:
            yield from _digest_edges(d, mentions)


def _nodes(kg: KnowledgeGraph) -> Iterator[tuple[str, dict[str, Any]]]:
    for e in kg.entities:
        yield e.id, _entity_attrs(e)
    for d in kg.digests:
        yield from _digest_nodes(d)


def _entity_attrs(e: Entity) -> dict[str, Any]:
    return {
        KIND: ENTITY,
        "type": e.type,
        "name": e.name,
        "aliases": list(e.aliases),
        "wikidata": e.wikidata,
        "arxiv_id": e.arxiv_id,
        "mention_count": e.mention_count,
        "first_seen": e.first_seen,
        "last_seen": e.last_seen,
        "digests": list(e.digests),
        "implied": e.implied,
    }


def _digest_nodes(d: Digest) -> Iterator[tuple[str, dict[str, Any]]]:
    """A digest's node, then its items'."""
    yield digest_node(d.id), _digest_attrs(d)
    for item in d.items:
        yield item_node(item.id), _item_attrs(item, d)


def _digest_attrs(d: Digest) -> dict[str, Any]:
    return {
        KIND: DIGEST,
        "file_name": d.file_name,
        "title": d.title,
        "date": d.date,
        "layout": d.layout,
        "encoding": d.encoding,
        "items": len(d.items),
    }


def _item_attrs(item: Item, d: Digest) -> dict[str, Any]:
    return {
        KIND: ITEM,
        "title": item.title,
        "date": item.date or d.date,
        "digest": d.id,
        "index": item.index,
        "line": item.line,
        "links": list(item.links),
        "arxiv_ids": list(item.arxiv_ids),
        "github_repos": list(item.github_repos),
        "hf_paper_ids": list(item.hf_paper_ids),
        "tags": list(item.tags),
    }


def _edges(kg: KnowledgeGraph) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    for d in kg.digests:
        for item in d.items:
            yield item_node(item.id), digest_node(d.id), PART_OF, {"type": PART_OF}
    for im in kg.item_mentions:
        yield from _mention_edges(im)
    yield from _typed_edges(kg)


def _mention_edges(im: ItemMentions) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    for entity_id, surfaces, count in zip(im.entity_ids, im.surfaces, im.counts, strict=True):
        yield item_node(im.item_id), entity_id, MENTIONS, {"type": MENTIONS, "surfaces": list(surfaces), "count": count}


def _typed_edges(kg: KnowledgeGraph) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Typed relations, then co-mentions: the edges between entities."""
    for r in kg.relations:
        yield r.source, r.target, r.type, _relation_attrs(r)
    for c in kg.co_mentions:
        yield c.source, c.target, CO_MENTION, {"type": CO_MENTION, "weight": c.weight}


def _relation_attrs(r: Relation) -> dict[str, Any]:
    return {
        "type": r.type,
        "score": r.score,
        "metric": r.metric,
        "evidence": [
            {"sentence": ev.sentence, "item": ev.item_id, "digest": ev.digest_id, "file_name": ev.file_name, "date": ev.date}
            for ev in r.evidence
        ],
    }


def _digest_edges(d: Digest, mentions: dict[str, ItemMentions]) -> Iterator[dict[str, Any]]:
    """The edges from a digest's items, in graph.json's order: each item's partOf, then its mentions."""
    digest = digest_node(d.id)
    for item in d.items:
        node = item_node(item.id)
        yield {"type": PART_OF, "source": node, "target": digest, "key": PART_OF}
        im = mentions.get(item.id)
        if im is not None:  # _mention_edges' edges, each made as one dict
            for entity_id, surfaces, count in zip(im.entity_ids, im.surfaces, im.counts, strict=True):
                yield {"type": MENTIONS, "surfaces": list(surfaces), "count": count, "source": node, "target": entity_id, "key": MENTIONS}


def node_link(g: nx.MultiDiGraph) -> dict[str, Any]:
    """networkx node-link data of the graph, edges under ``edges``: what graph.json holds."""
    return nx.node_link_data(g, edges="edges")


def graph_json(g: nx.MultiDiGraph) -> bytes:
    """networkx node-link JSON, keys sorted, UTF-8 (byte-identical for the same graph)."""
    return "".join(json_pieces(node_link(g))).encode("utf-8")


def write_graph_json(data: dict[str, Any], path: Path) -> None:
    """Write node-link ``data`` (see ``node_link``) as graph.json, streamed: the same bytes as
    ``graph_json``, without the whole text in memory at once."""
    with paused_gc():
        write_text_atomic(path, json_pieces(data))


def write_json(kg: KnowledgeGraph, path: Path, records: ExportRecords | None = None) -> None:
    """Write graph.json for ``kg`` (atomically): the bytes ``write_graph_json`` writes for
    ``graph_data(kg)``, made record by record.

    A node or edge is one line, whose bytes depend on it alone; graph.json is a fixed frame
    around two lists of them. With ``records`` (kg.export.store), the lines of scopes unchanged
    since the previous build (a digest's nodes, a digest's edges, a relation, a co-mention) are
    copied from the old file and the others made afresh, then the new records are stored;
    without, every line is made (the same path, with nothing to copy). A graph that cannot be
    cut into scopes (kg.export.scopes) is written from ``graph_data`` as a whole.
    """
    keys = records.keys if records is not None else export_keys(kg)
    if keys is None:
        write_graph_json(graph_data(kg, lazy_edges=True), path)
        return
    previous = None
    kept: frozenset[str] = frozenset()
    if records is not None and records.previous_keys is not None:
        kept = records.reuse(kg).kept
        old_index = _JsonIndex.unpack(records.old_index()) if kept else None
        old = OldFile.open(path, old_index.stamp) if old_index is not None else None
        if old is not None:
            previous = (old, old_index)
        elif kept:
            log.info("%s: not the file the export store describes; written whole", path)

    def write(attempt: tuple[OldFile, _JsonIndex] | None) -> _JsonIndex:
        with open_atomic(path) as handle, paused_gc():
            return _write_records(kg, keys, Written(handle), attempt, kept if attempt is not None else frozenset())

    if write_reusing(path, previous, write, records, _JsonIndex.pack) is None:
        write_graph_json(graph_data(kg, lazy_edges=True), path)


@dataclass
class _JsonIndex:
    """Where graph.json's reusable records are: a digest's node and its items' (``nodes``), its
    items' edges (``edges``), each at (offset, length); and the edges from each entity
    (``groups``): entity id -> (offset, length, signature, {a relation's scope, or a co-mention
    link's target: (offset from the group's start, length)})."""

    nodes: dict[str, tuple[int, int]] = field(default_factory=dict)
    edges: dict[str, tuple[int, int]] = field(default_factory=dict)
    groups: dict[str, tuple[int, int, bytes, dict[str, tuple[int, int]]]] = field(default_factory=dict)
    stamp: tuple[int, str] = (0, "")
    """(size, checksum) of the file."""

    def pack(self) -> tuple:
        return (self.nodes, self.edges, self.groups, self.stamp)

    @classmethod
    def unpack(cls, value: Any) -> _JsonIndex | None:
        try:
            nodes, edges, groups, stamp = value
        except (TypeError, ValueError):
            return None
        if not (isinstance(nodes, dict) and isinstance(edges, dict) and isinstance(groups, dict)):
            return None
        if not (isinstance(stamp, tuple) and len(stamp) == 2):
            return None
        return cls(nodes, edges, groups, stamp)


_SEPARATOR = b",\n  "
_SOURCE = attrgetter("source")


def _write_records(kg: KnowledgeGraph, keys: ExportKeys, out: Written, previous: tuple[OldFile, _JsonIndex] | None, kept: frozenset[str]) -> _JsonIndex:
    """graph.json (as ``json_pieces`` writes it) into ``out``: each record of a scope in ``kept``
    copied from ``previous``, the others made afresh. Returns the new file's index."""
    old, old_index = previous if previous is not None else (None, _JsonIndex())
    writer = OrderedWriter(out, old, _SEPARATOR)
    index = _JsonIndex()

    def record(found: dict[str, tuple[int, int]], made: dict[str, tuple[int, int]], scope: str, make: Callable[[], str]) -> None:
        place = found.get(scope) if scope in kept else None
        if place is not None:
            made[scope] = writer.copy(*place)
        elif data := make().encode("utf-8"):
            made[scope] = writer.fresh(data)

    mentions = {im.item_id: im for im in kg.item_mentions}
    has_edges = bool(kg.relations or kg.co_mentions) or any(d.items for d in kg.digests)
    writer.write(b'{\n "directed": true,\n "edges": ' + (b"[\n  " if has_edges else b"[]"))
    if has_edges:
        stated: dict[str, dict[str, list[tuple[str, Relation]]]] = {}  # source -> target -> its relations
        for scope, r in zip(keys.relations, kg.relations):
            stated.setdefault(r.source, {}).setdefault(r.target, []).append((scope, r))
        linked = _places_by_source(kg.co_mentions)
        for e in kg.entities:
            edges = _edges_from(stated.get(e.id, {}), linked.get(e.id, ()), keys.co_mentions, kg.co_mentions)
            if edges:
                index.groups[e.id] = _edge_group(writer, edges, old_index.groups.get(e.id), kept)
        for scope, d in zip(keys.digests, kg.digests):
            record(old_index.edges, index.edges, scope, partial(_digest_edge_lines, d, mentions))
        writer.write(b"\n ]")
    has_nodes = bool(kg.entities or kg.digests)
    writer.write(b',\n "graph": {},\n "multigraph": true,\n "nodes": ' + (b"[\n  " if has_nodes else b"[]"))
    if has_nodes:
        for e in kg.entities:
            writer.fresh(_compact({**_entity_attrs(e), "id": e.id}).encode("utf-8"))
        for scope, d in zip(keys.digests, kg.digests):
            record(old_index.nodes, index.nodes, scope, partial(_lines, ({**attrs, "id": node} for node, attrs in _digest_nodes(d))))
        writer.write(b"\n ]")
    writer.write(b"\n}\n")
    index.stamp = out.stamp()
    return index


def _places_by_source(links: Sequence[CoMention]) -> dict[str, Sequence[int]]:
    """Where each entity's co-mention links are in ``links``: a range when they are side by
    side, as the resolver's sorted links always are; a list of places when not."""
    places: dict[str, Sequence[int]] = {}
    start = 0
    for source, run in groupby(links, key=_SOURCE):
        end = start + sum(1 for _ in run)
        places[source] = [*places[source], *range(start, end)] if source in places else range(start, end)
        start = end
    return places


def _edges_from(
    stated: dict[str, list[tuple[str, Relation]]], places: Sequence[int], scopes: Sequence[str], links: Sequence[CoMention]
) -> list[tuple[str, Relation | CoMention]]:
    """The edges from one entity, each with its scope, as graph_data lists them: by target, the
    targets in the order they first come (its relations' targets first, then its co-mentions'),
    a target's relations before its co-mention link. Made an entity at a time: held for every
    entity at once, with a function per edge, they took 0.5 GB at 100x a corpus whose names vary."""
    if not places:
        return [edge for edges in stated.values() for edge in edges]
    links_to = {links[i].target: (scopes[i], links[i]) for i in places}  # one link a pair (scopes.well_formed)
    edges: list[tuple[str, Relation | CoMention]] = []
    for target, relations in stated.items():
        edges += relations
        link = links_to.pop(target, None)
        if link is not None:
            edges.append(link)
    edges += links_to.values()
    return edges


def _edge_group(writer: OrderedWriter, edges: list[tuple[str, Relation | CoMention]], old: Any, kept: frozenset[str]) -> tuple:
    """Write the edges from one entity (relations and co-mentions, each with its scope): in one
    piece when the old file has the same ones, in the same order, all kept; else one by one.
    Returns the group's place in the index."""
    scopes = [scope for scope, _ in edges]
    signature = hashlib.sha1(marshal.dumps(scopes, 2)).digest()  # marshal 2: the bytes of the values alone
    if old is not None and old[2] == signature and kept.issuperset(scopes):
        offset, length = writer.copy(old[0], old[1])
        return (offset, length, signature, old[3])
    old_start, old_inner = (old[0], old[3]) if old is not None else (0, {})
    inner: dict[str, tuple[int, int]] = {}
    start = end = -1
    for scope, edge in edges:
        name = edge.target if type(edge) is CoMention else scope  # an entity's links share its co-mention scope
        place = old_inner.get(name) if scope in kept else None
        offset, length = writer.copy(old_start + place[0], place[1]) if place is not None else writer.fresh(_edge_line(edge).encode("utf-8"))
        if start < 0:
            start = offset
        inner[name] = (offset - start, length)
        end = offset + length
    return (start, end - start, signature, inner)


def _edge_line(edge: Relation | CoMention) -> str:
    return _co_mention_line(edge) if type(edge) is CoMention else _relation_line(edge)  # type: ignore[arg-type]


def _relation_line(r: Relation) -> str:
    return _compact({**_relation_attrs(r), "source": r.source, "target": r.target, "key": r.type})


def _co_mention_line(c: CoMention) -> str:
    return _compact({"type": CO_MENTION, "weight": c.weight, "source": c.source, "target": c.target, "key": CO_MENTION})


def _digest_edge_lines(d: Digest, mentions: dict[str, ItemMentions]) -> str:
    """``_lines(_digest_edges(d, mentions))``, each line written directly rather than by the
    encoder from a dict: these are most of graph.json's lines, and their keys are known. The
    text is the encoder's, keys sorted and strings as it writes them (``encode_basestring``);
    a count is an int (ItemMentions), which the encoder writes as ``str`` does."""
    digest = encode_basestring(digest_node(d.id))
    lines = []
    for item in d.items:
        node = encode_basestring(item_node(item.id))
        lines.append(f'{{"key": {_PART_OF}, "source": {node}, "target": {digest}, "type": {_PART_OF}}}')
        im = mentions.get(item.id)
        if im is None:
            continue
        for entity_id, surfaces, count in zip(im.entity_ids, im.surfaces, im.counts, strict=True):
            written = ", ".join(map(encode_basestring, surfaces))
            lines.append(
                f'{{"count": {count}, "key": {_MENTIONS}, "source": {node}, "surfaces": [{written}], "target": {encode_basestring(entity_id)}, "type": {_MENTIONS}}}'
            )
    return ",\n  ".join(lines)


_MENTIONS, _PART_OF = encode_basestring(MENTIONS), encode_basestring(PART_OF)


def _lines(records: Iterable[dict[str, Any]]) -> str:
    return ",\n  ".join(map(_compact, records))


def json_pieces(data: Any, batch: int = 1000) -> Iterator[str]:
    """graph.json's text, in pieces: the top-level keys sorted, one per line, and each node and
    edge compact on a line of its own (keys sorted, UTF-8 as is).

    One record a line keeps the file greppable and its diffs small, and lets the standard
    library's C encoder write each record (with ``indent`` it falls back to pure Python, which
    took 10% of a build); records are encoded and joined ``batch`` at a time, in C.
    """
    if not isinstance(data, dict) or not data:
        yield _compact(data) + "\n"
        return
    yield "{"
    first = True
    for key, value in sorted(data.items()):
        yield ("\n " if first else ",\n ") + _key(key) + ": "
        first = False
        if isinstance(value, (list, tuple, Edges)) and len(value):
            records = iter(value)  # streamed: 100x has millions of edges
            opening = "[\n  "
            while chunk := ",\n  ".join(map(_compact, islice(records, batch))):
                yield opening + chunk
                opening = ",\n  "
            yield "\n ]"
        else:
            yield _compact(value)
    yield "\n}\n"


_compact = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
"""One JSON value on one line, keys sorted (the C encoder)."""


def _key(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    raise TypeError(f"graph.json keys are strings, not {type(key).__name__}")


def read_graph_json(raw: bytes) -> nx.MultiDiGraph:
    return nx.node_link_graph(json.loads(raw), edges="edges", multigraph=True, directed=True)
