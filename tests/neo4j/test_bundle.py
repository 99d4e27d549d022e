"""The bulk bundle: deterministic CSVs that LOAD CSV and neo4j-admin import read back exactly."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import neo4j
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.graph import graph_json, to_networkx
from kg.models import CoMention, Digest, Entity, Evidence, Item, ItemMentions, KnowledgeGraph, Relation
from kg.neo4j import bundle, model
from kg.neo4j.bundle import ARRAY_DELIMITER, import_arguments, write_bundle
from kg.neo4j.loader import load_rows
from kg.neo4j.model import NODE_LABELS, RELATIONSHIP_TYPES, graph_rows
from kg.neo4j.server import LAUNCHER_JAR, Neo4jServer, find_java, start_server
from kg.pipeline import SAMPLE_CORPUS, build_graph

HOSTILE = [
    'Say "hi"',
    "ends in a backslash\\",
    'backslash then quote \\"',
    '\\\\"\\',
    "two\nlines",
    "crlf\r\nline",
    "lone\rreturn",
    "🤖 emoji 🚀",
    "字节跳动 豆包·大模型",
    "tab\there, comma; semicolon | pipe",
    " padded ",
    '"',
    "",
]


def hostile_graph() -> KnowledgeGraph:
    """Every string a CSV writer can get wrong, in names, aliases, titles and evidence."""
    digest_id = "hostile.md"
    item = Item(
        id=f"{digest_id}/1",
        index=1,
        title='标题 "1" \\',
        text="",
        line=1,
        date="2026-03-01",
        links=('https://example.org/?q="a,b"',),
        tags=tuple(HOSTILE[:4]),
    )
    digest = Digest(
        id=digest_id,
        path=digest_id,
        file_name='we"ird\\name.md',
        title="Digest\n\"title\" \\",
        date=None,
        encoding="utf-8",
        layout="test",
        items=(item,),
        content_hash="0",
    )
    models = tuple(
        Entity(
            id=f"model/hostile-{i}",
            type="Model",
            name=name or "(empty)",
            aliases=tuple(sorted({name, name + "’s alias"})) if i % 2 else (),
            mention_count=i,
            first_seen="2026-03-01",
            last_seen="2026-03-01",
            implied=bool(i % 3),
        )
        for i, name in enumerate(HOSTILE)
    )
    org = Entity(id="organization/hostile-org", type="Organization", name='Org "Ω" \\', wikidata="Q42")
    bench = Entity(id="benchmark/hostile-bench", type="Benchmark", name="Bench\\")
    return KnowledgeGraph(
        digests=(digest,),
        entities=(*models, org, bench),
        relations=(
            Relation(
                "developedBy",
                "model/hostile-0",
                "organization/hostile-org",
                evidence=tuple(
                    Evidence(text, item.id, digest_id, digest.file_name, None if n % 2 else "2026-03-01")
                    for n, text in enumerate(HOSTILE)
                ),
            ),
            Relation(
                "evaluatedOn",
                "model/hostile-1",
                "benchmark/hostile-bench",
                evidence=(Evidence("one, date unknown", item.id, digest_id, digest.file_name, None),),
                score='74.2% "best" \\',
                metric="pass@1",
            ),
        ),
        co_mentions=(CoMention("model/hostile-0", "model/hostile-1", 1),),
        item_mentions=(
            ItemMentions(item.id, ("model/hostile-0",), surfaces=(tuple(sorted(HOSTILE[:6])),), counts=(6,)),
        ),
    )


def sample_and_hostile(sample_export: Path) -> dict[str, Any]:
    """The sample build with the hostile graph beside it, as one node-link dict."""
    sample = json.loads((sample_export / "graph.json").read_bytes())
    hostile = json.loads(graph_json(to_networkx(hostile_graph())))
    return {**sample, "nodes": sample["nodes"] + hostile["nodes"], "edges": sample["edges"] + hostile["edges"]}


def snapshot(driver: neo4j.Driver, drop_empty_lists: bool = False) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any]]:
    """Every node by id (labels, properties) and relationship by (type, start, end).

    ``drop_empty_lists`` leaves out ``[]`` and ``[""]``, which neo4j-admin import cannot write.
    """
    nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS start, b.id AS end, properties(r) AS props"
    )

    def plain(props: dict[str, Any]) -> dict[str, Any]:
        return {
            k: v.iso_format() if isinstance(v, neo4j.time.Date) else v
            for k, v in props.items()
            if not (drop_empty_lists and v in ([], [""]))
        }

    node_map = {r["props"]["id"]: (sorted(r["labels"]), plain(r["props"])) for r in nodes}
    rel_map = {(r["type"], r["start"], r["end"]): plain(r["props"]) for r in rels}
    assert len(node_map) == len(nodes) and len(rel_map) == len(rels)
    return node_map, rel_map


def run_script(driver: neo4j.Driver, script: str) -> None:
    """What cypher-shell -f does: each statement in its own auto-commit transaction."""
    statements = [s for s in script.split(";\n") if s.strip()]
    assert statements
    with driver.session(database="neo4j") as session:
        for statement in statements:
            session.run(statement).consume()


@pytest.fixture
def db(neo4j_driver: neo4j.Driver) -> neo4j.Driver:
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    return neo4j_driver


# The files.


def test_the_bundle_has_a_csv_per_label_and_type_and_the_scripts(sample_export: Path, tmp_path: Path) -> None:
    written = write_bundle(sample_export / "graph.json", tmp_path)
    assert {p.parent for p in written} == {tmp_path / "neo4j"}
    assert sorted(p.name for p in written) == sorted(
        [f"nodes-{label}.csv" for label in NODE_LABELS]
        + [f"rels-{t}.csv" for t in RELATIONSHIP_TYPES]
        + ["schema.cypher", "load.cypher", "README.md"]
    )
    assert sorted(p.name for p in (tmp_path / "neo4j").iterdir()) == sorted(p.name for p in written)  # no temp files


def test_the_same_graph_gives_the_same_bytes(sample_export: Path, tmp_path: Path) -> None:
    kg = build_graph([SAMPLE_CORPUS]).graph
    sources = {
        "path": sample_export / "graph.json",
        "folder": sample_export,
        "knowledge graph": kg,
        "networkx": to_networkx(kg),
    }
    outputs = {}
    for name, source in sources.items():
        write_bundle(source, tmp_path / name)
        outputs[name] = {p.name: p.read_bytes() for p in sorted((tmp_path / name / "neo4j").iterdir())}
    first = outputs["path"]
    assert all(out == first for out in outputs.values())
    write_bundle(sample_export, tmp_path / "path")  # again, over the old files
    assert {p.name: p.read_bytes() for p in (tmp_path / "path" / "neo4j").iterdir()} == first


def test_headers_name_id_spaces_and_types() -> None:
    rows = graph_rows(json.loads(graph_json(to_networkx(hostile_graph()))))
    files = bundle.bundle_files(rows)
    assert files["nodes-Model.csv"].decode().splitlines()[0] == (
        "id:ID(Entity),name,aliases:string[],wikidata,first_seen:date,last_seen:date,mention_count:long,implied:boolean"
    )
    assert files["nodes-Item.csv"].decode().splitlines()[0] == (
        "id:ID(Item),title,date:date,position:long,digest,links:string[],arxiv_ids:string[],tags:string[]"
    )
    assert files["rels-EVALUATED_ON.csv"].decode().splitlines()[0] == (
        ":START_ID(Entity),:END_ID(Entity),:TYPE,score,metric,"
        "evidence_sentences:string[],evidence_items:string[],evidence_digests:string[],evidence_dates:string[]"
    )
    assert files["rels-PART_OF.csv"].decode().splitlines()[0] == ":START_ID(Item),:END_ID(Digest),:TYPE"
    assert files["rels-MENTIONS.csv"].decode().splitlines()[0] == (
        ":START_ID(Item),:END_ID(Entity),:TYPE,count:long,surfaces:string[]"
    )


def test_the_readme_gives_the_import_command_that_the_tests_run() -> None:
    text = bundle.readme()
    assert "neo4j-admin database import full \\\n" in text
    for argument in import_arguments()[3:]:
        assert f"    {argument}" in text
    assert "--array-delimiter=U+001F" in text and "--legacy-style-quoting=true" in text


_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters=ARRAY_DELIMITER), max_size=40)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(_TEXT, min_size=1, max_size=5), element_lists=st.lists(st.lists(_TEXT, min_size=1, max_size=4), max_size=3))
def test_fields_survive_a_backslash_escaping_csv_reader(values: list[str], element_lists: list[list[str]]) -> None:
    # Python's csv with escapechar='\\' reads quotes and backslashes as LOAD CSV's legacy mode does.
    text_field = model.Property("x", model.STRING)
    list_field = model.Property("y", model.STRING_LIST)
    line = ",".join(
        [bundle._field(v, text_field) for v in values] + [bundle._field(e, list_field) for e in element_lists]
    )
    [row] = list(csv.reader(io.StringIO(line + "\n", newline=""), escapechar="\\", doublequote=True, strict=True))
    assert row[: len(values)] == values
    assert [cell.split(ARRAY_DELIMITER) for cell in row[len(values) :]] == element_lists


def test_no_value_and_empty_list_are_empty_unquoted_fields_and_empty_text_is_quoted() -> None:
    assert bundle._field(None, model.Property("x", model.STRING)) == ""
    assert bundle._field([], model.Property("x", model.STRING_LIST)) == ""
    assert bundle._field("", model.Property("x", model.STRING)) == '""'
    assert bundle._field([""], model.Property("x", model.STRING_LIST)) == '""'


def test_the_list_delimiter_inside_text_is_replaced_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kg.neo4j.bundle"):
        field = bundle._field(["a\x1fb", "c"], model.Property("aliases", model.STRING_LIST))
    assert field == '"a\ufffdb\x1fc"'
    assert "U+001F" in caplog.text and "aliases" in caplog.text


# Through the real server.


def test_load_cypher_gives_the_graph_the_live_loader_gives(
    db: neo4j.Driver, neo4j_server: Neo4jServer, neo4j_import_dir: Path, sample_export: Path, tmp_path: Path
) -> None:
    data = sample_and_hostile(sample_export)
    load_rows(graph_rows(data), neo4j_server.uri, None, None)
    live = snapshot(db)
    db.execute_query("MATCH (n) DETACH DELETE n")

    write_bundle(data, tmp_path)
    for csv_file in (tmp_path / "neo4j").glob("*.csv"):
        shutil.copy(csv_file, neo4j_import_dir / csv_file.name)
    script = (tmp_path / "neo4j" / "load.cypher").read_text(encoding="utf-8")
    run_script(db, script)

    loaded = snapshot(db)
    assert {k: len(v) for k, v in _counts(loaded).items()} == {k: len(v) for k, v in _counts(live).items()}
    hostile_names = {v[1]["name"] for k, v in loaded[0].items() if "/model/hostile-" in k}
    assert hostile_names == {h or "(empty)" for h in HOSTILE}
    evidence = loaded[1][("DEVELOPED_BY", model.iri("model/hostile-0"), model.iri("organization/hostile-org"))]
    assert evidence["evidence_sentences"] == HOSTILE
    assert evidence["evidence_dates"] == ["" if n % 2 else "2026-03-01" for n in range(len(HOSTILE))]
    assert loaded == live  # every node, relationship and property

    run_script(db, script)  # MERGE: a second run changes nothing
    assert snapshot(db) == live


def test_neo4j_admin_import_gives_the_graph_the_live_loader_gives(
    db: neo4j.Driver, neo4j_server: Neo4jServer, neo4j_build: Path, sample_export: Path, tmp_path: Path
) -> None:
    data = sample_and_hostile(sample_export)
    load_rows(graph_rows(data), neo4j_server.uri, None, None)
    live = snapshot(db, drop_empty_lists=True)

    write_bundle(data, tmp_path)
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    classpath = os.pathsep.join([str(neo4j_build / LAUNCHER_JAR), str(neo4j_build / "lib" / "*")])
    # neo4j-admin is this class; the arguments are the README's.
    result = subprocess.run(
        [find_java(), "-Xmx512m", "-cp", classpath, "org.neo4j.cli.AdminTool", *import_arguments()],
        cwd=tmp_path / "neo4j",
        env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "IMPORT DONE" in result.stdout

    with start_server(port=0, data_dir=home) as imported, neo4j.GraphDatabase.driver(imported.uri, auth=None) as driver:
        run_script(driver, (tmp_path / "neo4j" / "schema.cypher").read_text(encoding="utf-8"))
        constraints = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names").records[0]
        assert sorted(constraints["names"]) == sorted(f"kg_{label.lower()}_id" for label in model.KG_LABELS)
        imported_graph = snapshot(driver)
    assert imported_graph == live  # the same graph, but for [] and [""], which it leaves out
    hostile = imported_graph[0][model.iri("model/hostile-2")][1]
    assert hostile["name"] == HOSTILE[2] and hostile["first_seen"] == "2026-03-01"


def _counts(snap: tuple[dict[str, Any], dict[tuple[str, str, str], Any]]) -> dict[str, list[Any]]:
    by: dict[str, list[Any]] = {}
    for labels, _ in snap[0].values():
        for label in labels:
            by.setdefault(label, []).append(1)
    for rel_type, _, _ in snap[1]:
        by.setdefault(rel_type, []).append(1)
    return by
