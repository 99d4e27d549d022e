"""kg sparql: the query pack answers what users ask, locally and from a real endpoint."""

import pytest

from kg.endpoint import push, start_oxigraph
from kg.errors import KGError
from kg.sparql import load_store, named_query, query_pack, run_local, run_remote
from kg.tables import format_result

ARGS = {
    "entities-by-type": {"type": "Organization"},
    "models-by-organization": {"org": "字节跳动"},
    "evaluated-on": {"benchmark": "SWE-bench Verified"},
    "papers-with-organizations": {},
    "entity-timeline": {"name": "DeepSeek-V4"},
    "digest-mentions": {"file": "2026-W06.md"},
    "co-mentioned": {"name": "DeepSeek-V4"},
    "first-seen-after": {"date": "2026-03-01"},
}


@pytest.fixture(scope="module")
def store(sample_export):
    return load_store(sample_export)


def rows(store, name, **values):
    return run_local(store, named_query(name, values or ARGS[name])).rows


def test_the_pack_has_at_least_eight_documented_queries():
    pack = query_pack()
    assert set(ARGS) <= set(pack)
    for q in pack.values():
        assert q.description and all(example for _, example, _ in q.params)


def test_entities_by_type_counts_mentions(store):
    found = {row[0]: int(row[1]) for row in rows(store, "entities-by-type")}
    assert found["ByteDance"] >= 4 and found["Google"] >= 4
    assert "GPT-4o" not in found  # a model, not an organization


def test_models_by_organization_accepts_any_alias(store):
    by_chinese = rows(store, "models-by-organization")
    by_english = rows(store, "models-by-organization", org="ByteDance")
    assert by_chinese == by_english
    assert {"Seedream 4.0", "Seedance 2.0"} <= {r[0] for r in by_chinese}


def test_evaluated_on_has_scores_and_sources(store):
    found = rows(store, "evaluated-on")
    assert ("Qwen3.6-35B-A3B", "73.4%") in {(r[0], r[1]) for r in found}
    assert all(r[4] for r in found)  # every row names the digest file it came from


def test_papers_with_organizations(store):
    found = rows(store, "papers-with-organizations")
    assert any("ShadowLoRA" in paper and org == "Tsinghua University" for paper, _, org in found)


def test_entity_timeline_is_dated_evidence(store):
    found = rows(store, "entity-timeline")
    assert ("developedBy", "DeepSeek") in {(r[1], r[2]) for r in found}
    dates = [r[0] for r in found]
    assert dates == sorted(dates) and all("DeepSeek-V4" in r[3] for r in found if r[1] == "developedBy")


def test_digest_mentions_lists_items_in_order(store):
    found = rows(store, "digest-mentions")
    positions = [int(r[0]) for r in found]
    assert positions == sorted(positions) and len(set(positions)) >= 5
    assert ("Genie 3", "Model") in {(r[2], r[3]) for r in found}


def test_co_mentioned_and_first_seen(store):
    assert {"DeepSeek", "mHC"} <= {r[0] for r in rows(store, "co-mentioned")}
    first = rows(store, "first-seen-after")
    assert first and all(r[0] > "2026-03-01" for r in first)
    assert "Claude Opus 4.7" in {r[1] for r in first}


def test_parameters_are_values_never_query_text(store):
    hostile = 'x" } } ; DROP ALL ; SELECT * { ?s ?p ?o'
    assert rows(store, "models-by-organization", org=hostile) == ()


def test_a_malformed_query_reports_line_and_column(store):
    with pytest.raises(KGError, match=r"2:\d+"):
        run_local(store, "SELECT ?x WHERE {\n  ?x a kg:Model ")


def test_missing_parameters_and_unknown_queries_say_what_to_do():
    with pytest.raises(KGError, match="--param benchmark="):
        named_query("evaluated-on", {})
    with pytest.raises(KGError, match="kg sparql --list"):
        named_query("no-such-query", {})


def test_output_formats(store):
    result = run_local(store, named_query("models-by-organization", ARGS["models-by-organization"]))
    assert format_result(result, "csv").splitlines()[0] == "model,evidence"
    import json

    assert json.loads(format_result(result, "json"))[0].keys() == {"model", "evidence"}
    assert "rows)" in format_result(result, "table")


def test_the_pack_returns_the_same_rows_from_a_real_endpoint_after_a_push(sample_export, store):
    with start_oxigraph() as server:
        push(sample_export, server.store_url)
        for name in ARGS:
            query = named_query(name, ARGS[name])
            local = run_local(store, query)
            remote = run_remote(server.query_url, query)
            assert remote.columns == local.columns, name
            assert sorted(remote.rows, key=str) == sorted(local.rows, key=str), name


def test_push_to_a_named_graph_replaces_or_merges(sample_export):
    graph = "https://example.org/digests"
    with start_oxigraph() as server:
        push(sample_export, server.store_url, graph)
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }" % graph
        first = run_remote(server.query_url, count).rows[0][0]
        push(sample_export, server.store_url, graph)  # replace: same size
        assert run_remote(server.query_url, count).rows[0][0] == first
        push(sample_export, server.store_url, graph, replace=False)  # merge of the same triples
        assert run_remote(server.query_url, count).rows[0][0] == first
        assert int(first) > 1000


def test_read_only_local_endpoint_serves_the_export(sample_export, store):
    with start_oxigraph(data=sample_export, read_only=True) as server:
        query = named_query("evaluated-on", ARGS["evaluated-on"])
        assert sorted(run_remote(server.query_url, query).rows, key=str) == sorted(run_local(store, query).rows, key=str)
        with pytest.raises(KGError, match="refused"):
            push(sample_export, server.store_url)


def test_unreachable_endpoint_is_one_clear_error(sample_export):
    from kg.endpoint import free_port

    with pytest.raises(KGError, match="cannot reach"):
        push(sample_export, f"http://127.0.0.1:{free_port()}/store")


def test_kg_serve_sparql_serves_until_terminated(sample_export):
    import signal
    import subprocess
    import sys
    import time

    from kg.endpoint import free_port

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "sparql", str(sample_export), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/query" in line and "read-only" in line
        deadline = time.monotonic() + 60
        while True:
            try:
                result = run_remote(f"http://127.0.0.1:{port}/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Model }")
                break
            except KGError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert int(result.rows[0][0]) > 50
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    assert "Traceback" not in process.stderr.read()
