"""The Bolt loader against the real Neo4j 5.26 server: counts, idempotence, replace, errors."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pyoxigraph as ox
import pytest

from kg.errors import KGError
from kg.export.rdf import digest_iri, entity_iri, item_iri
from kg.graph import graph_json, to_networkx
from kg.models import CoMention, Digest, Entity, Evidence, Item, ItemMentions, KnowledgeGraph, Relation
from kg.neo4j import loader, model
from kg.neo4j.loader import (
    Neo4jAuthFailed,
    Neo4jDatabaseNotFound,
    Neo4jLoadError,
    Neo4jUnavailable,
    Neo4jVersionError,
    check_server_version,
    load_graph,
    load_rows,
    naive_load,
)
from kg.neo4j.model import ID_PREFIX, graph_rows
from kg.neo4j.server import Neo4jServer, find_free_port, start_server

REPO = Path(__file__).resolve().parents[2]
KG = "https://w3id.org/ai-digest-kg/ontology#"

# Text that breaks naive quoting somewhere: CSV, Cypher strings, JSON, terminals.
AWKWARD = [
    'Say "hi"',
    "C:\\path\\",
    'quote after backslash \\"x',
    "two\nlines",
    "crlf\r\nline",
    "lone\rreturn",
    "🤖 Robo-LLM 🚀",
    "字节跳动 豆包·大模型",
    "tab\there",
    " padded ",
    "comma, semi; colon | pipe",
    "'single' `back` {brace} $param",
]


def awkward_graph() -> KnowledgeGraph:
    """A small build whose every string is awkward, with an unknown evidence date."""
    digest_id = "awkward.md"
    items = (
        Item(
            id=f"{digest_id}/1",
            index=1,
            title='item "1" \\ 第一条',
            text="",
            line=1,
            date="2026-03-01",
            links=("https://example.org/a,b?q=\"x\"",),
            tags=("标签;x", 'q"uote', "back\\"),
        ),
        Item(id=f"{digest_id}/2", index=2, title="", text="", line=9),
    )
    digest = Digest(
        id=digest_id,
        path=digest_id,
        file_name='we"ird\\name 🤖.md',
        title='标题 "quoted" \\\nsecond line',
        date=None,
        encoding="utf-8",
        layout="test",
        items=items,
        content_hash="0",
    )
    models = tuple(
        Entity(
            id=f"model/awkward-{i}",
            type="Model",
            name=name,
            aliases=tuple(sorted({f"{name} alias", "别名\\", 'a"b'})) if i % 2 else (),
            mention_count=i,
            first_seen="2026-03-01",
            last_seen="2026-03-02",
            digests=(digest_id,),
            implied=i == 3,
        )
        for i, name in enumerate(AWKWARD)
    )
    org = Entity(id="organization/awkward-org", type="Organization", name='Org "Ω" \\', wikidata="Q1")
    bench = Entity(id="benchmark/awkward-bench", type="Benchmark", name="Bench\n\"2\"")
    paper = Entity(id="paper/awkward-paper", type="Paper", name="Paper: \\\"x\\\"", arxiv_id="2601.00001")
    relations = (
        Relation(
            type="developedBy",
            source="model/awkward-0",
            target="organization/awkward-org",
            evidence=(
                Evidence(AWKWARD[1] + " ; " + AWKWARD[4], f"{digest_id}/1", digest_id, digest.file_name, None),
                Evidence("第二句 \"二\" \\", f"{digest_id}/1", digest_id, digest.file_name, "2026-03-01"),
            ),
        ),
        Relation(
            type="evaluatedOn",
            source="model/awkward-1",
            target="benchmark/awkward-bench",
            evidence=(Evidence("only one, date unknown", f"{digest_id}/2", digest_id, digest.file_name, None),),
            score='74.2% "best" \\',
            metric="pass@1, strict",
        ),
        Relation(type="affiliatedWith", source="paper/awkward-paper", target="organization/awkward-org"),
    )
    return KnowledgeGraph(
        digests=(digest,),
        entities=(*models, org, bench, paper),
        relations=relations,
        co_mentions=(CoMention("model/awkward-0", "model/awkward-1", 2),),
        item_mentions=(
            ItemMentions(
                item_id=f"{digest_id}/1",
                entity_ids=("model/awkward-0", "organization/awkward-org"),
                surfaces=(('sur"face\\', "面 🤖"), ("Org",)),
                counts=(2, 1),
            ),
        ),
    )


def awkward_node_link() -> dict[str, Any]:
    return json.loads(graph_json(to_networkx(awkward_graph())))


# Reading the database back.


def snapshot(driver: neo4j.Driver) -> tuple[dict[str, Any], dict[tuple[str, str, str], dict[str, Any]]]:
    """Every node (by id: labels, properties) and relationship (by type, start, end: properties)."""
    nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, labels(a) AS a_labels, properties(a) AS a, "
        "b.id AS end, properties(r) AS props"
    )
    node_map = {_key(r["labels"], r["props"]): (sorted(r["labels"]), _plain(r["props"])) for r in nodes}
    assert len(node_map) == len(nodes), "two nodes share an id"
    rel_map = {(r["type"], _key(r["a_labels"], r["a"]), r["end"]): _plain(r["props"]) for r in rels}
    assert len(rel_map) == len(rels), "a relationship is duplicated"
    return node_map, rel_map


def _key(labels: list[str], props: dict[str, Any]) -> str:
    """A node's id, or for a foreign node without one, its labels and name."""
    return props.get("id") or f"({':'.join(sorted(labels))} {props.get('name')})"


def expected(rows: model.GraphRows) -> tuple[dict[str, Any], dict[tuple[str, str, str], dict[str, Any]]]:
    """What the database must hold after loading ``rows`` into an empty database."""
    nodes = {}
    for label, label_rows in rows.nodes.items():
        labels = sorted([label, model.ENTITY]) if label in model.ENTITY_TYPES else [label]
        for row in label_rows:
            nodes[row["id"]] = (labels, _plain({"id": row["id"], **row["props"]}))
    rels = {
        (rel_type, row["start"], row["end"]): _plain(row["props"])
        for rel_type, rel_rows in rows.relationships.items()
        for row in rel_rows
    }
    return nodes, rels


def _plain(props: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in props.items():
        if value is None:
            continue
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def label_counts(driver: neo4j.Driver) -> dict[str, int]:
    records, _, _ = driver.execute_query("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n")
    return {r["label"]: r["n"] for r in records}


def type_counts(driver: neo4j.Driver) -> dict[str, int]:
    records, _, _ = driver.execute_query("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
    return {r["type"]: r["n"] for r in records}


def ttl_counts(ttl: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Subjects per class and triples per kg predicate in graph.ttl."""
    store = ox.Store()
    store.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    classes = {
        s["c"].value.removeprefix(KG): int(s["n"].value)
        for s in store.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    }
    predicates = {
        s["p"].value.removeprefix(KG): int(s["n"].value)
        for s in store.query(
            f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), '{KG}')) }} GROUP BY ?p"
        )
    }
    return classes, predicates


@pytest.fixture
def db(neo4j_driver: neo4j.Driver) -> neo4j.Driver:
    """The session server's database, emptied (constraints stay: the loader makes them anyway)."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    return neo4j_driver


@pytest.fixture
def uri(neo4j_server: Neo4jServer) -> str:
    return neo4j_server.uri


@pytest.fixture(scope="module")
def sample_rows(sample_export: Path) -> model.GraphRows:
    return graph_rows(json.loads((sample_export / "graph.json").read_bytes()))


# The model, without a server.


def test_ids_are_the_rdf_iris(sample_rows: model.GraphRows) -> None:
    model_row = sample_rows.nodes["Model"][0]
    assert model_row["id"] == entity_iri(model_row["id"].removeprefix(ID_PREFIX))
    item_row = sample_rows.nodes["Item"][0]
    item_id = item_row["id"].removeprefix(ID_PREFIX + "item/")
    assert item_row["id"] == item_iri(item_id)
    assert item_row["props"]["digest"] == digest_iri(item_id.rsplit("/", 1)[0])
    assert all(r["id"].startswith(ID_PREFIX) for rows in sample_rows.nodes.values() for r in rows)


def test_evidence_is_four_parallel_lists(sample_rows: model.GraphRows) -> None:
    for rel_type in model.RELATION_TYPES.values():
        assert sample_rows.relationships[rel_type], rel_type
        for row in sample_rows.relationships[rel_type]:
            lengths = {len(row["props"][f"evidence_{k}"]) for k in ("sentences", "items", "digests", "dates")}
            assert len(lengths) == 1 and lengths != {0}, row


def test_co_mentions_go_from_the_lower_id() -> None:
    data = awkward_node_link()
    for edge in data["edges"]:
        if edge["type"] == "coMention":
            edge["source"], edge["target"] = edge["target"], edge["source"]
    [row] = graph_rows(data).relationships["CO_MENTIONED"]
    assert row["start"] < row["end"]


def test_an_unknown_date_is_an_empty_string_in_the_parallel_list() -> None:
    rows = graph_rows(awkward_node_link())
    [developed] = rows.relationships["DEVELOPED_BY"]
    assert developed["props"]["evidence_dates"] == ["", "2026-03-01"]


@pytest.mark.parametrize("version", ["5.0.0", "5.26.30", "2025.01.0", "2026.02.1"])
def test_neo4j_5_and_calendar_versions_are_accepted(version: str) -> None:
    check_server_version(version, "bolt://h:7687")


@pytest.mark.parametrize("version", ["4.4.30", "3.5.35", "4.0.0-alpha"])
def test_servers_older_than_5_are_refused(version: str) -> None:
    with pytest.raises(Neo4jVersionError) as caught:
        check_server_version(version, "bolt://h:7687")
    assert str(caught.value) == f"Neo4j at bolt://h:7687 is version {version}: kg needs Neo4j 5.0 or later"


def test_labels_and_types_outside_the_model_are_never_spliced_into_cypher() -> None:
    with pytest.raises(ValueError):
        loader._name("Person`) DETACH DELETE n //")
    assert "`Model`" in loader.node_statement("Model")


# Loading into the real server.


def test_counts_per_label_equal_the_classes_of_graph_ttl(db: neo4j.Driver, uri: str, sample_export: Path) -> None:
    summary = load_graph(sample_export / "graph.json", uri, None, None)
    labels, types = label_counts(db), type_counts(db)
    classes, predicates = ttl_counts(sample_export / "graph.ttl")

    for label in model.NODE_LABELS:
        assert labels[label] == classes[label] > 0, label
    assert labels["Entity"] == sum(classes[t] for t in model.ENTITY_TYPES)
    assert set(labels) == set(model.KG_LABELS)
    for rdf_name, rel_type in model.RELATION_TYPES.items():
        assert types[rel_type] == predicates[rdf_name] > 0, rel_type
    assert types["MENTIONS"] == predicates["mentions"]
    assert types["PART_OF"] == predicates["partOf"]
    assert types["CO_MENTIONED"] == predicates["coMentionedWith"]
    assert set(types) == set(model.RELATIONSHIP_TYPES)
    # An empty database: everything was created.
    assert summary.nodes_created == {label: labels[label] for label in model.NODE_LABELS}
    assert summary.relationships_created == types
    assert summary.server_version.startswith("5.26.")


def test_the_database_holds_exactly_the_build(db: neo4j.Driver, uri: str, sample_export: Path, sample_rows: model.GraphRows) -> None:
    load_graph(sample_export, uri, None, None)
    assert snapshot(db) == expected(sample_rows)
    # Types as promised: dates are dates, counts integers, aliases lists.
    record = db.execute_query(
        "MATCH (m:Model:Entity) WHERE m.first_seen IS NOT NULL RETURN m LIMIT 1"
    ).records[0]["m"]
    assert isinstance(record["first_seen"], neo4j.time.Date)
    assert isinstance(record["mention_count"], int) and isinstance(record["implied"], bool)
    assert isinstance(record["aliases"], list)


def test_loading_twice_changes_nothing(db: neo4j.Driver, uri: str, sample_export: Path) -> None:
    load_graph(sample_export, uri, None, None)
    first = snapshot(db)
    again = load_graph(sample_export, uri, None, None, batch_size=97)
    assert snapshot(db) == first
    assert sum(again.nodes_created.values()) == 0 and sum(again.relationships_created.values()) == 0
    assert again.nodes == len(first[0]) and again.relationships == len(first[1])


def test_progress_reports_every_stage_to_its_total(db: neo4j.Driver, uri: str, sample_export: Path, sample_rows: model.GraphRows) -> None:
    calls: list[tuple[str, int, int]] = []
    load_graph(sample_export, uri, None, None, batch_size=100, progress=lambda *a: calls.append(a))
    stages = [stage for stage, _, _ in calls]
    assert stages == sorted(stages, key=["schema", "nodes", "relationships"].index)
    last = {stage: (done, total) for stage, done, total in calls}
    assert last["nodes"] == (sample_rows.node_count(),) * 2
    assert last["relationships"] == (sample_rows.relationship_count(),) * 2
    assert len([s for s in stages if s == "relationships"]) > len(model.RELATIONSHIP_TYPES)  # batches of 100


def modified_build(sample_export: Path, out: Path) -> tuple[Path, dict[str, Any]]:
    """A copy of the sample's graph.json with a renamed entity, a lost wikidata id, a removed
    relation and a removed entity (with its edges)."""
    data = json.loads((sample_export / "graph.json").read_bytes())
    entities = [n for n in data["nodes"] if n["kind"] == "entity"]
    renamed = next(n for n in entities if n["type"] == "Organization")
    renamed["name"] = renamed["name"] + ' (renamed "again")'
    unlinked = next(n for n in entities if n.get("wikidata") and n is not renamed)
    unlinked["wikidata"] = None
    dropped_edge = next(e for e in data["edges"] if e["type"] == "developedBy")
    data["edges"].remove(dropped_edge)
    dropped_node = next(n for n in entities if n["type"] == "Technique" and n is not renamed)
    data["nodes"].remove(dropped_node)
    dropped_edges = [e for e in data["edges"] if dropped_node["id"] in (e["source"], e["target"])]
    data["edges"] = [e for e in data["edges"] if e not in dropped_edges]
    out.mkdir(parents=True, exist_ok=True)
    (out / "graph.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    facts = {
        "renamed": model.iri(renamed["id"]),
        "name": renamed["name"],
        "unlinked": model.iri(unlinked["id"]),
        "dropped_edge": (model.RELATION_TYPES["developedBy"], model.iri(dropped_edge["source"]), model.iri(dropped_edge["target"])),
        "dropped_node": model.iri(dropped_node["id"]),
        "dropped_node_edges": len(dropped_edges),
        "rows": graph_rows(data),
    }
    return out / "graph.json", facts


def test_replace_updates_and_removes(db: neo4j.Driver, uri: str, sample_export: Path, tmp_path: Path) -> None:
    load_graph(sample_export, uri, None, None)
    newer, facts = modified_build(sample_export, tmp_path / "newer")

    summary = load_graph(newer, uri, None, None, replace=True)

    assert snapshot(db) == expected(facts["rows"])
    nodes, rels = snapshot(db)
    assert nodes[facts["renamed"]][1]["name"] == facts["name"]
    assert "wikidata" not in nodes[facts["unlinked"]][1]
    assert facts["dropped_edge"] not in rels
    assert facts["dropped_node"] not in nodes
    assert summary.nodes_deleted == 1
    assert summary.relationships_deleted == 1 + facts["dropped_node_edges"]


def test_without_replace_nothing_is_removed(db: neo4j.Driver, uri: str, sample_export: Path, tmp_path: Path) -> None:
    load_graph(sample_export, uri, None, None)
    newer, facts = modified_build(sample_export, tmp_path / "newer")

    summary = load_graph(newer, uri, None, None)

    nodes, rels = snapshot(db)
    assert nodes[facts["renamed"]][1]["name"] == facts["name"]  # updated ...
    assert "wikidata" not in nodes[facts["unlinked"]][1]
    assert facts["dropped_node"] in nodes and facts["dropped_edge"] in rels  # ... but kept
    assert summary.nodes_deleted == summary.relationships_deleted == 0


def test_replace_never_deletes_foreign_data(db: neo4j.Driver, uri: str, sample_export: Path, tmp_path: Path) -> None:
    load_graph(sample_export, uri, None, None)
    newer, facts = modified_build(sample_export, tmp_path / "newer")
    kept_model = next(iter(facts["rows"].ids("Model")))
    db.execute_query(
        "CREATE (:Person {name: 'x'}), (:Model {id: 'other'}), (:Model {id: 'https://example.org/id/model/x'}), "
        "(:Person {id: $prefix + 'model/not-kg-labelled'}) "
        "WITH 1 AS one MATCH (m:Model {id: $kept}) CREATE (:Person {name: 'fan'})-[:LIKES]->(m)",
        prefix=ID_PREFIX,
        kept=kept_model,
    )

    load_graph(newer, uri, None, None, replace=True)

    nodes, rels = snapshot(db)
    foreign = {k: v for k, v in nodes.items() if not k.startswith(ID_PREFIX) or "Person" in v[0]}
    assert sorted(foreign) == sorted(
        ["(Person x)", "(Person fan)", "other", "https://example.org/id/model/x", ID_PREFIX + "model/not-kg-labelled"]
    )
    assert ("LIKES", "(Person fan)", kept_model) in rels
    kg_nodes = {k: v for k, v in nodes.items() if k not in foreign}
    kg_rels = {k: v for k, v in rels.items() if k[0] != "LIKES"}
    assert (kg_nodes, kg_rels) == expected(facts["rows"])


KILLED_LOADER = """
import os, signal, sys
from pathlib import Path
from kg.neo4j.loader import load_graph

graph, uri, stage, after = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
seen = 0

def progress(current, done, total):
    global seen
    if current == stage:
        seen += 1
        if seen == after:  # this batch is committed; the next one never starts
            os.kill(os.getpid(), signal.SIGKILL)

load_graph(Path(graph), uri, None, None, batch_size=40, progress=progress)
print("not killed")
"""


@pytest.mark.parametrize("stage, after", [("nodes", 2), ("relationships", 3)])
def test_a_killed_load_is_finished_by_running_it_again(
    db: neo4j.Driver, uri: str, sample_export: Path, sample_rows: model.GraphRows, stage: str, after: int
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", KILLED_LOADER, str(sample_export / "graph.json"), uri, stage, str(after)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr
    nodes, rels = snapshot(db)
    assert 0 < len(nodes) + len(rels) < sample_rows.node_count() + sample_rows.relationship_count()

    load_graph(sample_export, uri, None, None)

    assert snapshot(db) == expected(sample_rows)


def test_awkward_text_reads_back_unchanged(db: neo4j.Driver, uri: str) -> None:
    rows = graph_rows(awkward_node_link())
    load_rows(rows, uri, None, None)
    assert snapshot(db) == expected(rows)
    names = {r["name"] for r in db.execute_query("MATCH (m:Model) RETURN m.name AS name").records}
    assert names == set(AWKWARD)
    [evidence] = db.execute_query(
        "MATCH (:Model)-[r:DEVELOPED_BY]->(:Organization) RETURN r.evidence_sentences AS s, r.evidence_dates AS d"
    ).records
    assert evidence["s"] == [AWKWARD[1] + " ; " + AWKWARD[4], '第二句 "二" \\']
    assert evidence["d"] == ["", "2026-03-01"]


def test_naive_load_gives_the_same_graph(db: neo4j.Driver, uri: str, tmp_path: Path) -> None:
    (tmp_path / "graph.json").write_bytes(graph_json(to_networkx(awkward_graph())))
    load_graph(tmp_path, uri, None, None)
    batched = snapshot(db)
    db.execute_query("MATCH (n) DETACH DELETE n")

    summary = naive_load(tmp_path, uri, None, None)

    assert snapshot(db) == batched
    assert summary.nodes == len(batched[0]) and summary.relationships == len(batched[1])


# Errors: one clear line each.


def test_an_unreachable_server_is_one_clear_line(tmp_path: Path, sample_export: Path) -> None:
    uri = f"bolt://127.0.0.1:{find_free_port()}"
    with pytest.raises(Neo4jUnavailable) as caught:
        load_graph(sample_export, uri, None, None)
    assert str(caught.value) == (
        f"cannot reach Neo4j at {uri}: is the server running? "
        "(`kg neo4j serve` or `docker compose -f docker/compose.yml up -d`)"
    )


def test_an_unknown_database_is_one_clear_line(neo4j_server: Neo4jServer, sample_export: Path) -> None:
    with pytest.raises(Neo4jDatabaseNotFound) as caught:
        load_graph(sample_export, neo4j_server.uri, None, None, database="nosuchdb")
    assert str(caught.value) == (
        f"Neo4j at {neo4j_server.uri} has no database 'nosuchdb': check --database "
        "(Community edition has only `neo4j`; SHOW DATABASES lists them)"
    )


@pytest.fixture(scope="module")
def neo4j_server_with_auth(neo4j_build: Path) -> Iterator[Neo4jServer]:
    """A second real server, with authentication on (user neo4j, password not given to kg)."""
    try:
        server = start_server(port=0, auth=True)
    except KGError as exc:
        pytest.fail(f"cannot start the Neo4j test server with authentication: {exc}", pytrace=False)
    with server:
        yield server


@pytest.mark.parametrize("user", ["neo4j", None])
def test_refused_credentials_are_one_clear_line(neo4j_server_with_auth: Neo4jServer, sample_export: Path, user: str | None) -> None:
    uri = neo4j_server_with_auth.uri
    with pytest.raises(Neo4jAuthFailed) as caught:
        load_graph(sample_export, uri, user, "wrong" if user else None)
    message = str(caught.value)
    assert "\n" not in message and uri in message
    assert ("refused user 'neo4j'" in message) if user else ("requires authentication: give --user" in message)


def test_not_a_neo4j_uri_is_one_clear_line(sample_export: Path) -> None:
    with pytest.raises(Neo4jLoadError, match=r"^'http://localhost:7474' is not a Neo4j URI: use bolt://") as caught:
        load_graph(sample_export, "http://localhost:7474", None, None)
    assert "\n" not in str(caught.value)


def test_a_folder_without_graph_json_says_to_build_first(tmp_path: Path) -> None:
    with pytest.raises(KGError, match="no graph.json here: build it first"):
        load_graph(tmp_path, "bolt://127.0.0.1:1", None, None)


def test_a_foreign_index_that_blocks_a_constraint_is_one_clear_line(db: neo4j.Driver, uri: str, sample_export: Path) -> None:
    db.execute_query("DROP CONSTRAINT kg_digest_id IF EXISTS")
    db.execute_query("CREATE INDEX foreign_digest_id IF NOT EXISTS FOR (n:Digest) ON (n.id)")
    try:
        with pytest.raises(Neo4jLoadError) as caught:
            load_graph(sample_export, uri, None, None)
        message = str(caught.value)
        assert "\n" not in message and "refused a statement" in message and "Digest" in message
    finally:
        db.execute_query("DROP INDEX foreign_digest_id IF EXISTS")


def test_summary_counts_match_the_database(db: neo4j.Driver, uri: str, sample_export: Path) -> None:
    summary = load_graph(sample_export, uri, None, None)
    counted = Counter({k: v for k, v in label_counts(db).items() if k != "Entity"})
    assert dict(counted) == {k: summary.nodes_created[k] + summary.nodes_updated[k] for k in model.NODE_LABELS}
    assert summary.seconds > 0
