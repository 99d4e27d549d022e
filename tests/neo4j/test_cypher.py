"""The Cypher query pack against a real Neo4j loaded with the sample build."""

import subprocess
import sys

import pytest

from kg.errors import KGError
from kg.neo4j.loader import load_graph
from kg.neo4j.queries import prepare, query_pack, run

EXAMPLES = {
    "models-of-organization": {"org": "字节跳动"},
    "benchmarks-of-model": {"model": "Qwen3.6-35B-A3B"},
    "leaderboard": {"benchmark": "SWE-bench Verified"},
    "entity-evidence": {"name": "DeepSeek-V4"},
    "most-mentioned": {"from": "2026-01-01", "to": "2026-12-31"},
    "mentioned-with": {"name": "DeepSeek-V4"},
    "shortest-path": {"source": "ByteDance", "target": "SWE-bench Verified"},
    "new-since": {"since": "2026-03-01"},
}


@pytest.fixture(scope="module")
def loaded(neo4j_server, neo4j_driver, sample_export):
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    load_graph(sample_export, neo4j_server.uri, None, None)
    return neo4j_server.uri


def rows(uri, name, **values):
    return run(name, values or EXAMPLES[name], uri).rows


def test_the_pack_has_eight_documented_queries():
    pack = query_pack()
    assert set(EXAMPLES) <= set(pack)
    for q in pack.values():
        assert q.description and all(example for _, example, _ in q.params)


def test_models_of_an_organization_by_any_alias(loaded):
    by_chinese = rows(loaded, "models-of-organization")
    assert by_chinese == rows(loaded, "models-of-organization", org="ByteDance")
    assert {"Seedream 4.0", "Seedance 2.0"} <= {r[0] for r in by_chinese}


def test_benchmarks_of_a_model_with_scores(loaded):
    found = {(r[0], r[1]) for r in rows(loaded, "benchmarks-of-model")}
    assert ("SWE-bench Verified", "73.4%") in found


def test_leaderboard_is_sorted_by_score(loaded):
    board = rows(loaded, "leaderboard")
    scores = [float(r[1].rstrip("%")) for r in board]
    assert scores == sorted(scores, reverse=True) and len(board) >= 3
    assert "Qwen3.6-35B-A3B" in {r[0] for r in board}


def test_entity_evidence_has_sentences_files_and_dates(loaded):
    found = rows(loaded, "entity-evidence")
    assert ("DEVELOPED_BY", "DeepSeek") in {(r[1], r[2]) for r in found}
    assert all(r[3] and r[4] for r in found)
    dates = [r[0] for r in found]
    assert dates == sorted(dates)


def test_most_mentioned_in_a_date_range(loaded):
    everything = rows(loaded, "most-mentioned")
    counts = [int(r[2]) for r in everything]
    assert counts == sorted(counts, reverse=True) and everything[0][2] != "0"
    assert rows(loaded, "most-mentioned", **{"from": "2030-01-01", "to": "2030-12-31"}) == ()


def test_mentioned_with_and_new_since(loaded):
    assert {"DeepSeek", "mHC"} <= {r[0] for r in rows(loaded, "mentioned-with")}
    new = rows(loaded, "new-since")
    assert new and all(r[0] >= "2026-03-01" for r in new) and "Claude Opus 4.7" in {r[1] for r in new}


def test_shortest_path_between_two_entities(loaded):
    (path, via, hops), = rows(loaded, "shortest-path")
    assert path.startswith("ByteDance") and path.endswith("SWE-bench Verified") and int(hops) >= 1


def test_parameters_are_values_never_query_text(loaded):
    assert rows(loaded, "models-of-organization", org="x' OR 1=1 //") == ()


def test_missing_parameters_and_unknown_queries_say_what_to_do():
    with pytest.raises(KGError, match="--param benchmark="):
        prepare("leaderboard", {})
    with pytest.raises(KGError, match="kg cypher list"):
        prepare("no-such", {})


def test_load_and_query_from_the_command_line(neo4j_server, sample_export):
    kg = [sys.executable, "-m", "kg.cli"]
    loaded = subprocess.run([*kg, "neo4j", "load", str(sample_export), "--uri", neo4j_server.uri], capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    assert "nodes" in loaded.stdout and "relationships" in loaded.stdout
    csv = subprocess.run(
        [*kg, "cypher", "run", "leaderboard", "--param", "benchmark=SWE-bench Verified", "--uri", neo4j_server.uri, "--format", "csv"],
        capture_output=True, text=True, timeout=120,
    )
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines()[0] == "model,score,metric"
    missing = subprocess.run([*kg, "cypher", "run", "leaderboard", "--uri", neo4j_server.uri], capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "--param benchmark=" in missing.stderr and "Traceback" not in missing.stderr
