"""Exports written from the previous build's records are the exports written whole, byte for byte.

Hypothesis makes a small well-formed graph (as the resolver makes them, with digest ids that
share prefixes, so that items of two digests interleave in sorted files, and literals that
need escapes), then edits it step by step: a digest added, replaced, redated or removed, an
entity renamed or recounted, a relation's evidence or score changed, a co-mention's weight.
After each step the three exports are written with the records the last step stored, and
compared with the same graph written whole by the writers kg had before records existed.
"""

import copy
import dataclasses
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.export import merge
from kg.export import store as export_store
from kg.export.rdf import to_turtle, write_turtle
from kg.export.scopes import DIGEST_FIELDS, ITEM_FIELDS, export_keys, well_formed
from kg.export.store import EXPORTS, prepare, store_file
from kg.graph import graph_data, json_pieces, write_json
from kg.models import ENTITY_TYPES, RELATION_TYPES, CoMention, Digest, Entity, Evidence, Item, ItemMentions, KnowledgeGraph, Relation
from kg.neo4j.bundle import bundle_files, write_bundle
from kg.neo4j.model import ID_PREFIX, graph_rows

ENTITY_IDS = [f"{t.lower()}/{name}" for t in ENTITY_TYPES for name in ("A", "B%20C", "A-1")]
DIGEST_IDS = ["a", "a/1", "a-1", "a/1/2", "b.md", "news/2026-02-07.md"]
"""Ids whose items interleave when sorted: a/1 (digest a), a/1/1 (digest a/1), a/10, a/2 …"""
DATES = [None, "2026-01-05", "2026-02-07", "2026-03-01"]
TEXT = st.text(st.sampled_from(list('ab Z"\\\n\t中文é<>%\x1f')), max_size=6)
SMALL = st.integers(0, 3)


@st.composite
def items(draw):
    return {
        "title": draw(TEXT),
        "date": draw(st.sampled_from(DATES)),
        "tags": draw(st.lists(TEXT, max_size=2)),
        "links": draw(st.lists(st.sampled_from(["https://x.org/a", "https://y.org/b?q=\"1\""]), max_size=2, unique=True)),
        "mentions": draw(st.dictionaries(st.sampled_from(ENTITY_IDS), st.tuples(st.lists(TEXT, min_size=1, max_size=2), st.integers(1, 3)), max_size=4)),
    }


@st.composite
def digests(draw):
    return {"title": draw(TEXT), "date": draw(st.sampled_from(DATES)), "items": draw(st.lists(items(), min_size=1, max_size=4))}  # a digest has items


@st.composite
def relations(draw):
    evidence = st.tuples(st.sampled_from(DIGEST_IDS), SMALL, st.sampled_from(["s1", "s2 \"q\"", "句子"]))
    return {
        "score": draw(st.sampled_from([None, "71.5", "80%"])),
        "metric": draw(st.sampled_from([None, "pass@1"])),
        "evidence": draw(st.lists(evidence, max_size=4)),
    }


@st.composite
def graphs(draw):
    pairs = st.tuples(st.sampled_from(ENTITY_IDS), st.sampled_from(ENTITY_IDS)).filter(lambda p: p[0] < p[1])
    triples = st.tuples(st.sampled_from(RELATION_TYPES), st.sampled_from(ENTITY_IDS), st.sampled_from(ENTITY_IDS))
    return {
        "entities": draw(st.dictionaries(st.sampled_from(ENTITY_IDS), st.tuples(TEXT, st.integers(0, 9)), min_size=1)),
        "digests": draw(st.dictionaries(st.sampled_from(DIGEST_IDS), digests(), min_size=1, max_size=4)),
        "relations": draw(st.dictionaries(triples, relations(), max_size=5)),
        "co_mentions": draw(st.dictionaries(pairs, st.integers(1, 4), max_size=5)),
    }


def to_kg(spec) -> KnowledgeGraph:
    """The graph of a spec, as the resolver would make it: only links between nodes that exist."""
    entities = spec["entities"]
    digest_list, mentions, item_of = [], [], {}
    for did in sorted(spec["digests"]):
        d = spec["digests"][did]
        file_name = did.rsplit("/", 1)[-1] + ".md"
        built = []
        for i, it in enumerate(d["items"], start=1):
            item = Item(f"{did}/{i}", i, it["title"], "the text", i * 3, it["date"], tuple(it["links"]), tags=tuple(it["tags"]))
            built.append(item)
            item_of[(did, i - 1)] = (item, file_name, it["date"] or d["date"])
            found = sorted((e, m) for e, m in it["mentions"].items() if e in entities)
            mentions.append(
                ItemMentions(item.id, tuple(e for e, _ in found), tuple(tuple(sorted(set(s))) for _, (s, _) in found), tuple(n for _, (_, n) in found))
            )
        digest_list.append(Digest(did, f"in/{did}", file_name, d["title"], d["date"], "utf-8", "h2", tuple(built), "0" * 64))
    relation_list = []
    for (kind, source, target), r in sorted(spec["relations"].items()):
        if source == target or source not in entities or target not in entities:
            continue
        evidence = set()
        for did, pos, sentence in r["evidence"]:
            if (did, pos) in item_of:
                item, file_name, date = item_of[(did, pos)]
                evidence.add(Evidence(sentence, item.id, did, file_name, date))
        ordered = tuple(sorted(evidence, key=lambda e: (e.date or "", e.digest_id, e.item_id, e.sentence)))
        relation_list.append(Relation(kind, source, target, ordered, r["score"], r["metric"]))
    co_mentions = tuple(CoMention(s, t, w) for (s, t), w in sorted(spec["co_mentions"].items()) if s in entities and t in entities)
    type_of = {t.lower(): t for t in ENTITY_TYPES}
    entity_list = tuple(
        Entity(e, type_of[e.split("/")[0]], name, ("alias",) if count % 2 else (), mention_count=count, first_seen=DATES[count % 4], digests=tuple(sorted(spec["digests"]))[: count % 3])
        for e, (name, count) in sorted(entities.items())
    )
    return KnowledgeGraph(tuple(digest_list), entity_list, tuple(relation_list), co_mentions, tuple(mentions))


@st.composite
def edited(draw, spec):
    """``spec`` after one edit a new digest, a changed corpus or resolution could make."""
    spec = copy.deepcopy(spec)
    edit = draw(st.sampled_from(["digest", "delete", "redate", "rename", "recount", "relation", "co-mention"]))
    if edit == "digest":  # added, or replaced by another version
        spec["digests"][draw(st.sampled_from(DIGEST_IDS))] = draw(digests())
    elif edit == "delete" and len(spec["digests"]) > 1:
        del spec["digests"][draw(st.sampled_from(sorted(spec["digests"])))]
    elif edit == "redate":
        spec["digests"][draw(st.sampled_from(sorted(spec["digests"])))]["date"] = draw(st.sampled_from(DATES))
    elif edit == "rename":  # an entity gets another id (renamed, or merged into one that did not exist)
        old, new = draw(st.sampled_from(sorted(spec["entities"]))), draw(st.sampled_from(ENTITY_IDS))
        if new not in spec["entities"]:
            _rename(spec, old, new)
    elif edit == "recount":
        entity = draw(st.sampled_from(sorted(spec["entities"])))
        spec["entities"][entity] = (spec["entities"][entity][0], draw(st.integers(0, 9)))
    elif edit == "relation":
        key = draw(st.sampled_from(sorted(spec["relations"]))) if spec["relations"] and draw(st.booleans()) else None
        if key is not None and draw(st.booleans()):
            del spec["relations"][key]
        else:
            triple = st.tuples(st.sampled_from(RELATION_TYPES), st.sampled_from(ENTITY_IDS), st.sampled_from(ENTITY_IDS))
            spec["relations"][key or draw(triple)] = draw(relations())
    else:
        pair = st.tuples(st.sampled_from(ENTITY_IDS), st.sampled_from(ENTITY_IDS)).filter(lambda p: p[0] < p[1])
        spec["co_mentions"][draw(pair)] = draw(st.integers(0, 4))
        spec["co_mentions"] = {p: w for p, w in spec["co_mentions"].items() if w}
    return spec


def _rename(spec, old, new):
    spec["entities"][new] = spec["entities"].pop(old)
    for d in spec["digests"].values():
        for it in d["items"]:
            if old in it["mentions"]:
                it["mentions"][new] = it["mentions"].pop(old)
    swap = lambda e: new if e == old else e  # noqa: E731
    spec["relations"] = {(k, swap(s), swap(t)): r for (k, s, t), r in spec["relations"].items()}
    spec["co_mentions"] = {tuple(sorted((swap(s), swap(t)))): w for (s, t), w in spec["co_mentions"].items() if swap(s) != swap(t)}


def exports(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and ".kg-cache" not in p.parts}


def write_from_records(kg: KnowledgeGraph, folder: Path) -> dict[str, bytes]:
    records, problem = prepare(kg, folder / ".kg-cache")
    assert problem is None and records is not None
    write_turtle(kg, folder / "graph.ttl", records["graph.ttl"])
    write_json(kg, folder / "graph.json", records["graph.json"])
    write_bundle(kg, folder, records["neo4j"])
    return exports(folder)


def write_whole(kg: KnowledgeGraph) -> dict[str, bytes]:
    """The exports as kg made them before records: each in one stream, from the whole graph."""
    data = graph_data(kg, lazy_edges=True)
    bundle = bundle_files(graph_rows(data))
    return {"graph.json": "".join(json_pieces(data)).encode(), "graph.ttl": to_turtle(kg), **{f"neo4j/{n}": b for n, b in bundle.items()}}


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_exports_from_the_last_builds_records_equal_exports_written_whole(data):
    _edit_and_compare(data)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_old_files_read_a_few_bytes_at_a_time_give_the_same_exports(data):
    """An old file is checked and copied a step at a time, each step let go from memory once
    done (merge._STEP, 16 MB; 7 bytes here, so that checks and copied runs cross steps)."""
    with mock.patch.object(merge, "_STEP", 7):
        _edit_and_compare(data)


def _edit_and_compare(data):
    spec = data.draw(graphs())
    with tempfile.TemporaryDirectory(prefix="kg-records-") as work:
        for step in range(data.draw(st.integers(2, 6))):
            kg = to_kg(spec)
            assert well_formed(kg)
            assert write_from_records(kg, Path(work)) == write_whole(kg), f"step {step}"
            spec = data.draw(edited(spec))


def test_stores_with_equal_keys_share_what_is_kept_and_others_keep_their_own(tmp_path):
    """One build writes the three stores with the same keys: the next build works out what is
    kept once for all three. A store left by another graph is worked out on its own."""
    spec = {
        "entities": {"model/A": ("A", 2), "organization/A": ("O", 1)},
        "digests": {"a": {"title": "t", "date": "2026-01-05", "items": [{"title": "i", "date": None, "tags": [], "links": [], "mentions": {"model/A": (["A"], 2)}}]}},
        "relations": {("developedBy", "model/A", "organization/A"): {"score": None, "metric": None, "evidence": [("a", 0, "s")]}},
        "co_mentions": {("model/A", "organization/A"): 1},
    }
    kg = to_kg(spec)
    write_from_records(kg, tmp_path)
    records, _ = prepare(kg, tmp_path / ".kg-cache")
    ttl, json_, neo4j = (records[e] for e in ("graph.ttl", "graph.json", "neo4j"))
    assert ttl.previous_keys is json_.previous_keys is neo4j.previous_keys
    assert ttl.reuse(kg) is json_.reuse(kg) is neo4j.reuse(kg)
    assert ttl.reuse(kg).kept == set(export_keys(kg).keys)

    other = copy.deepcopy(spec)
    other["digests"]["a"]["title"] = "another title"
    write_turtle(to_kg(other), tmp_path / "graph.ttl", prepare(to_kg(other), tmp_path / ".kg-cache")[0]["graph.ttl"])
    records, _ = prepare(kg, tmp_path / ".kg-cache")
    ttl, json_, neo4j = (records[e] for e in ("graph.ttl", "graph.json", "neo4j"))
    assert ttl.previous_keys is not json_.previous_keys and json_.previous_keys is neo4j.previous_keys
    assert ttl.reuse(kg) is not json_.reuse(kg)
    assert "d\0a" not in ttl.reuse(kg).kept and "d\0a" in json_.reuse(kg).kept


def test_a_clean_write_takes_the_same_path_and_gives_the_same_bytes(tmp_path):
    """write_turtle, write_json and write_bundle without records: nothing to copy, same bytes."""
    spec = {
        "entities": {"model/A": ("A \"1\"", 2), "organization/A": ("O", 1)},
        "digests": {"a": {"title": "t", "date": "2026-01-05", "items": [{"title": "i", "date": None, "tags": ["x"], "links": [], "mentions": {"model/A": (["A"], 2)}}]}},
        "relations": {("developedBy", "model/A", "organization/A"): {"score": None, "metric": None, "evidence": [("a", 0, "s")]}},
        "co_mentions": {("model/A", "organization/A"): 1},
    }
    kg = to_kg(spec)
    write_turtle(kg, tmp_path / "graph.ttl")
    write_json(kg, tmp_path / "graph.json")
    write_bundle(kg, tmp_path)
    assert exports(tmp_path) == write_whole(kg) and not (tmp_path / ".kg-cache").exists()


def test_co_mentions_given_out_of_order_are_written_in_order(tmp_path):
    """The resolver sorts its co-mentions; a graph made otherwise may not. The bundle's rows
    come sorted either way, first build or from records, as graph_rows sorts them, and
    graph.json lists an entity's edges as graph_data does, even with its links apart."""
    spec = {
        "entities": {e: (e.upper(), 1) for e in ("model/a", "model/b", "model/c", "organization/a")},
        "digests": {"a": {"title": "t", "date": None, "items": [{"title": "i", "date": None, "tags": [], "links": [], "mentions": {"model/a": (["a"], 1)}}]}},
        "relations": {("developedBy", "model/a", "organization/a"): {"score": None, "metric": None, "evidence": [("a", 0, "s")]}},
        "co_mentions": {("model/a", "model/b"): 2, ("model/a", "organization/a"): 1, ("model/b", "model/c"): 3},
    }
    kg = to_kg(spec)
    a_b, a_o, b_c = kg.co_mentions
    shuffled = dataclasses.replace(kg, co_mentions=(a_b, b_c, a_o))  # model/a's links apart; one to its relation's target
    assert well_formed(shuffled)
    whole = write_whole(shuffled)  # graph.json keeps the graph's order; the other files sort
    assert write_from_records(shuffled, tmp_path) == whole
    assert write_from_records(shuffled, tmp_path) == whole  # the second from the first's records
    rows = whole["neo4j/rels-CO_MENTIONED.csv"].decode().splitlines()[1:]
    assert [row.rsplit(",", 1)[1] for row in rows] == ["2", "1", "3"]


def test_nodes_and_relations_given_out_of_order_are_written_in_order(tmp_path):
    """The bundle makes its rows from the graph's digests, items, entities and relations a
    batch at a time, not through graph_rows: given in any order, they come out sorted as
    graph_rows sorts them, first build or from records."""
    item = {"title": "i", "date": None, "tags": [], "links": [], "mentions": {"model/a": (["a"], 1)}}
    relation = {"score": None, "metric": None, "evidence": [("d/1", 0, "s")]}
    spec = {
        "entities": {e: (e.upper(), 1) for e in ("model/a", "model/b", "model/c", "organization/a", "organization/b")},
        "digests": {d: {"title": "t", "date": None, "items": [item, item]} for d in ("d/1", "d/2")},
        "relations": {("developedBy", m, o): relation for m in ("model/a", "model/b") for o in ("organization/a", "organization/b")},
        "co_mentions": {},
    }
    kg = to_kg(spec)
    shuffled = dataclasses.replace(
        kg,
        entities=kg.entities[::-1],
        digests=tuple(dataclasses.replace(d, items=d.items[::-1]) for d in kg.digests[::-1]),
        relations=(*kg.relations[2:], *kg.relations[:2])[::-1],
    )
    assert well_formed(shuffled)
    whole = write_whole(shuffled)
    assert write_from_records(shuffled, tmp_path) == whole
    assert write_from_records(shuffled, tmp_path) == whole  # the second from the first's records
    rows = whole["neo4j/rels-DEVELOPED_BY.csv"].decode().splitlines()[1:]
    assert [row.split(",")[:2] for row in rows] == [
        [f'"{ID_PREFIX}{m}"', f'"{ID_PREFIX}{o}"'] for m in ("model/a", "model/b") for o in ("organization/a", "organization/b")
    ]
    assert [row.split(",")[0] for row in whole["neo4j/nodes-Item.csv"].decode().splitlines()[1:]] == [
        f'"{ID_PREFIX}item/{d}/{i}"' for d in ("d/1", "d/2") for i in (1, 2)
    ]


def test_an_entitys_co_mention_links_are_kept_or_made_afresh_together(tmp_path):
    """A corpus has ten times as many links as entities, so the stores hold a scope for the
    links of each source entity, not one per link. A link added or reweighted remakes the
    links of its source alone; the others are copied, each in its place, even among an
    entity's edges that are made afresh around them (a new relation)."""
    spec = {
        "entities": {e: (e, 1) for e in ("model/A", "model/A-1", "model/B%20C", "organization/A")},
        "digests": {"a": {"title": "t", "date": None, "items": [{"title": "i", "date": None, "tags": [], "links": [], "mentions": {"model/A": (["A"], 1)}}]}},
        "relations": {},
        "co_mentions": {("model/A", "model/A-1"): 1, ("model/A", "model/B%20C"): 2, ("model/A-1", "organization/A"): 3},
    }
    kg = to_kg(spec)
    assert sorted(s for s in export_keys(kg).keys if s.startswith("c\0")) == ["c\0model/A", "c\0model/A-1"]
    write_from_records(kg, tmp_path)
    relation = {"score": None, "metric": None, "evidence": [("a", 0, "s")]}
    edits = [  # (what changes, its source's links made afresh?)
        (("co_mentions", ("model/A", "model/B%20C"), 4), True),
        (("co_mentions", ("model/A", "organization/A"), 1), True),
        (("relations", ("developedBy", "model/A", "organization/A"), relation), False),
    ]
    for (part, key, value), afresh in edits:
        spec[part][key] = value
        kg = to_kg(spec)
        kept = prepare(kg, tmp_path / ".kg-cache")[0]["graph.ttl"].reuse(kg).kept
        assert "c\0model/A-1" in kept and ("c\0model/A" not in kept) == afresh
        assert write_from_records(kg, tmp_path) == write_whole(kg)


def test_a_store_replaced_after_its_keys_were_read_is_not_trusted(tmp_path):
    """A build reads each store's keys first and an export's index only when it writes that
    export, checked then against the checksum read with the keys. A store that changed in
    between (here: two digests' records swapped, as a forger or another build could) is not
    used, and every export still comes out right."""
    item = {"title": "i", "date": None, "tags": [], "links": [], "mentions": {"model/A": (["A"], 1)}}
    spec = {
        "entities": {"model/A": ("A", 2)},
        "digests": {d: {"title": d, "date": "2026-01-05", "items": [dict(item)]} for d in ("a/1", "a-1")},
        "relations": {},
        "co_mentions": {},
    }
    write_from_records(to_kg(spec), tmp_path)
    spec["digests"]["a/1"]["title"] = "changed"
    kg = to_kg(spec)
    records, problem = prepare(kg, tmp_path / ".kg-cache")
    assert problem is None
    for export in EXPORTS:  # one digest's records now claim the other's scope, and the other way round
        path = store_file(tmp_path / ".kg-cache", export)
        path.write_bytes(path.read_bytes().replace(b"d\0a/1", b"\xff").replace(b"d\0a-1", b"d\0a/1").replace(b"\xff", b"d\0a-1"))
    write_turtle(kg, tmp_path / "graph.ttl", records["graph.ttl"])
    write_json(kg, tmp_path / "graph.json", records["graph.json"])
    write_bundle(kg, tmp_path, records["neo4j"])
    assert exports(tmp_path) == write_whole(kg)


@pytest.mark.parametrize("apart", [1 << 20, 1], ids=["buffers-in-the-marshal", "buffers-apart"])
def test_records_copied_from_the_last_build_are_indexed_for_the_next(tmp_path, caplog, monkeypatch, apart):
    """An index keeps its records' keys end to end in one buffer (merge.Keys), and a run of
    kept records has its keys copied from the old index as bytes. Each build in a row of
    add-one builds can then copy from the files of the one before: none is written whole.
    The same when the index's buffers are large enough to be stored apart from its marshal,
    as a large corpus's are (here: every buffer)."""
    monkeypatch.setattr(export_store, "_APART", apart)
    item = {"title": "i", "date": None, "tags": [], "links": [], "mentions": {"model/A": (["A"], 1), "model/B": (["B"], 1)}}
    spec = {
        "entities": {"model/A": ("A", 1), "model/B": ("B", 1), "organization/O": ("O", 1)},
        "digests": {d: {"title": d, "date": "2026-01-05", "items": [dict(item), dict(item)]} for d in ("a", "b", "c", "d")},
        "relations": {("developedBy", m, "organization/O"): {"score": None, "metric": None, "evidence": [("a", 0, "s")]} for m in ("model/A", "model/B")},
        "co_mentions": {("model/A", "model/B"): 2},
    }
    write_from_records(to_kg(spec), tmp_path)
    for digest in ("b", "c", "b"):  # kept runs before and after the one changed, each build from the last one's index
        spec["digests"][digest]["title"] += "!"
        kg = to_kg(spec)
        with caplog.at_level("INFO", logger="kg"):
            assert write_from_records(kg, tmp_path) == write_whole(kg)
        assert not [r.getMessage() for r in caplog.records if "describes" in r.getMessage() or "whole" in r.getMessage()]
        caplog.clear()


def test_a_graph_that_cannot_be_cut_into_scopes_is_written_whole(tmp_path):
    spec = {
        "entities": {"model/A": ("A", 2)},
        "digests": {"a": {"title": "t", "date": None, "items": [{"title": "i", "date": None, "tags": [], "links": [], "mentions": {"model/A": (["A"], 1)}}]}},
        "relations": {},
        "co_mentions": {},
    }
    kg = to_kg(spec)
    odd = KnowledgeGraph(kg.digests * 2, kg.entities, kg.relations, kg.co_mentions, kg.item_mentions)  # a digest twice
    assert export_keys(odd) is None
    records, problem = prepare(odd, tmp_path / ".kg-cache")
    assert records is None and problem is None
    write_turtle(odd, tmp_path / "graph.ttl")
    assert (tmp_path / "graph.ttl").read_bytes() == to_turtle(odd)


ITEM = Item("a/1", 1, "t", "text", 3, "2026-01-05", ("https://x.org",), ("2501.00001",), ("o/r",), ("1",), ("tag",))
DIGEST = Digest("a", "in/a.md", "a.md", "T", "2026-01-05", "utf-8", "h2", (ITEM,), "0" * 64)


@pytest.mark.parametrize("cls, instance, keyed", [(Digest, DIGEST, DIGEST_FIELDS), (Item, ITEM, ITEM_FIELDS)])
def test_a_digest_key_covers_every_field_an_export_writes(cls, instance, keyed):
    """A field left out of a digest's key (Digest.path and .content_hash, Item.text) must be
    one no export writes: changing it changes no byte (and no key)."""
    left_out = [f.name for f in dataclasses.fields(cls) if f.name not in keyed and f.name != "items"]
    assert left_out
    entity = Entity("model/A", "Model", "A", mention_count=1)
    base = KnowledgeGraph((DIGEST,), (entity,), (), (), (ItemMentions("a/1", ("model/A",), (("A",),), (1,)),))
    before = write_whole(base)
    for name in left_out:
        changed = dataclasses.replace(instance, **{name: getattr(instance, name) + "x"})
        digest = dataclasses.replace(DIGEST, items=(changed,)) if cls is Item else changed
        kg = dataclasses.replace(base, digests=(digest,))
        assert write_whole(kg) == before, name
        assert export_keys(kg).keys == export_keys(base).keys
