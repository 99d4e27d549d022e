"""Neo4j benchmark: load a generated graph.json of 100k+ nodes and 300k+ relationships into a
fresh local Neo4j 5.26 (kg.neo4j.server) with the batched loader, the naive one-row-per-
statement loader (on a subset: it is far too slow for the full graph), and the batched loader
again with the neo4j-rust-ext packstream extension (in a separate venv, in a subprocess);
also time loading the sample corpus build and the held-out digests build.

    .venv/bin/python benchmarks/neo4j_bench.py [--nodes 100000] [--relationships 300000]
        [--naive-nodes 3000] [--naive-relationships 9000] [--rust-venv /tmp/kg-bench-rust]

The large graph is the sample corpus's graph.json repeated with every node id suffixed per
copy (same shape, same properties). The rust venv is created when missing
(python3 -m venv; pip install -e . "neo4j-rust-ext==<driver version>.*"). Rates are elements
(nodes + relationships) per second of wall time around the loader call, which includes reading
and converting graph.json; the loader's own time (LoadSummary.seconds) is also recorded.
The database is emptied in batches (DETACH DELETE IN TRANSACTIONS) between runs.
Results go to benchmarks/results/neo4j-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import neo4j

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.neo4j.loader import DEFAULT_BATCH_SIZE, load_graph, naive_load  # noqa: E402
from kg.neo4j.server import start_server  # noqa: E402
from kg.pipeline import SAMPLE_CORPUS, build  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "heldout" / "digests"

RUST_SCRIPT = r"""
import json, sys, time
from pathlib import Path
import neo4j._rust  # neo4j-rust-ext installs this compiled module (there is no neo4j_rust_ext module)
from neo4j._codec.packstream import RUST_AVAILABLE
from neo4j._codec.packstream import v1
assert RUST_AVAILABLE and v1._rust_pack is not None, "neo4j-rust-ext is not active"
from kg.neo4j.loader import load_graph
path, uri, batch = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
t = time.perf_counter()
s = load_graph(path, uri, None, None, batch_size=batch)
wall = time.perf_counter() - t
from importlib.metadata import version
print(json.dumps({"wall": wall, "seconds": s.seconds, "nodes": s.nodes, "relationships": s.relationships,
                  "rust_available": bool(RUST_AVAILABLE), "rust_pack": v1._rust_pack.__module__ + "." + v1._rust_pack.__name__, "rust_so": neo4j._rust.__file__,
                  "neo4j_rust_ext": version("neo4j-rust-ext"), "neo4j": version("neo4j")}))
"""


def replicate(sample: dict, copies: int) -> dict:
    """``copies`` copies of a node-link graph, every node id (and id reference) suffixed ``~c<N>``."""
    nodes, edges = [], []
    for n in range(copies):
        sfx = f"~c{n}"
        for node in sample["nodes"]:
            node = dict(node, id=node["id"] + sfx)
            if node.get("kind") == "item" and node.get("digest"):
                node["digest"] = node["digest"] + sfx
            nodes.append(node)
        for edge in sample["edges"]:
            edge = dict(edge, source=edge["source"] + sfx, target=edge["target"] + sfx)
            if edge.get("type") == "coMention":
                edge["items"] = [i + sfx for i in edge.get("items") or []]
            edges.append(edge)
    return dict(sample, nodes=nodes, edges=edges)


def subset(graph: dict, max_nodes: int, max_edges: int) -> dict:
    """The first ``max_nodes`` nodes and the first ``max_edges`` edges between them."""
    nodes = graph["nodes"][:max_nodes]
    ids = {n["id"] for n in nodes}
    edges = [e for e in graph["edges"] if e["source"] in ids and e["target"] in ids][:max_edges]
    return dict(graph, nodes=nodes, edges=edges)


def write(graph: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(graph), encoding="utf-8")
    return path


def clear(uri: str) -> None:
    """Empty the database in batches (Community has no CREATE OR REPLACE DATABASE)."""
    with neo4j.GraphDatabase.driver(uri, auth=None) as driver, driver.session(database="neo4j") as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        left = session.run("MATCH (n) RETURN count(n) AS n").single()["n"]
    assert left == 0, left


def count(uri: str) -> tuple[int, int]:
    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        n = driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]
        r = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c").records[0]["c"]
    return n, r


def timed(fn, *args, **kwargs) -> dict:
    t = time.perf_counter()
    s = fn(*args, **kwargs)
    wall = time.perf_counter() - t
    return result(wall, s.seconds, s.nodes, s.relationships)


def result(wall: float, seconds: float, nodes: int, relationships: int) -> dict:
    elements = nodes + relationships
    return {
        "nodes": nodes,
        "relationships": relationships,
        "seconds": round(wall, 2),
        "loader_seconds": round(seconds, 2),
        "elements_per_second": round(elements / wall),
    }


def ensure_rust_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    pin = f"neo4j-rust-ext=={version('neo4j')}.*"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import neo4j._rust, kg"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", str(ROOT), pin], check=True)
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=100_000, help="at least this many nodes")
    parser.add_argument("--relationships", type=int, default=300_000, help="at least this many relationships")
    parser.add_argument("--naive-nodes", type=int, default=3_000)
    parser.add_argument("--naive-relationships", type=int, default=9_000)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--rust-venv", type=Path, default=Path("/tmp/kg-bench-rust"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-neo4j-bench-"))
    batch = args.batch_size

    build([SAMPLE_CORPUS], work / "sample")
    build([HELDOUT], work / "heldout")
    sample = json.loads((work / "sample" / "graph.json").read_text(encoding="utf-8"))
    copies = max(-(-args.nodes // len(sample["nodes"])), -(-args.relationships // len(sample["edges"])))
    big = replicate(sample, copies)
    big_json = write(big, work / "big" / "graph.json")
    small_json = write(subset(big, args.naive_nodes, args.naive_relationships), work / "subset" / "graph.json")
    del big
    rust_python = ensure_rust_venv(args.rust_venv)

    runs: dict[str, dict] = {}
    with start_server(port=0) as server:
        uri = server.uri
        # (a) batched, full graph, into the fresh empty database
        runs["batched (full, fresh db)"] = timed(load_graph, big_json, uri, None, None, batch_size=batch)
        full_counts = count(uri)
        clear(uri)
        # (c) batched with neo4j-rust-ext, in its own venv and process
        out = subprocess.run(
            [str(rust_python), "-c", RUST_SCRIPT, str(big_json), uri, str(batch)],
            capture_output=True, text=True, check=True,
        ).stdout
        rust = json.loads(out.strip().splitlines()[-1])
        runs["batched + rust-ext (full, cleared db)"] = result(rust["wall"], rust["seconds"], rust["nodes"], rust["relationships"])
        clear(uri)
        # (a') batched again on a cleared database: the like-for-like baseline for (c)
        runs["batched (full, cleared db)"] = timed(load_graph, big_json, uri, None, None, batch_size=batch)
        clear(uri)
        # (b) naive vs batched on the subset
        runs["naive (subset)"] = timed(naive_load, small_json, uri, None, None)
        clear(uri)
        runs["batched (subset)"] = timed(load_graph, small_json, uri, None, None, batch_size=batch)
        clear(uri)
        # 3. real builds
        runs["batched (sample build)"] = timed(load_graph, work / "sample", uri, None, None, batch_size=batch)
        clear(uri)
        runs["batched (heldout build)"] = timed(load_graph, work / "heldout", uri, None, None, batch_size=batch)
        clear(uri)
        with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
            server_version = driver.get_server_info().agent

    naive_rate = runs["naive (subset)"]["elements_per_second"]
    ratios = {
        "batched_full_over_naive": round(runs["batched (full, fresh db)"]["elements_per_second"] / naive_rate, 1),
        "batched_subset_over_naive": round(runs["batched (subset)"]["elements_per_second"] / naive_rate, 1),
        "rust_over_python_cleared_db": round(
            runs["batched + rust-ext (full, cleared db)"]["elements_per_second"]
            / runs["batched (full, cleared db)"]["elements_per_second"], 2),
    }
    results = {
        "generated": {"copies_of_sample": copies, "nodes": len(sample["nodes"]) * copies,
                      "edges": len(sample["edges"]) * copies, "in_neo4j": {"nodes": full_counts[0], "relationships": full_counts[1]},
                      "graph_json_mb": round(big_json.stat().st_size / 1e6, 1)},
        "batch_size": batch,
        "runs": runs,
        "ratios": ratios,
        "naive_note": "naive_load (one statement and transaction per row) is measured on a subset only: it is far too slow for the full graph",
        "rust_ext": {k: rust[k] for k in ("rust_available", "rust_pack", "rust_so", "neo4j_rust_ext", "neo4j")},
        "server": server_version,
        "python": sys.version.split()[0],
        "neo4j_driver": version("neo4j"),
    }
    out_path = ROOT / "benchmarks" / "results" / f"neo4j-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(results, indent=1) + "\n")

    g = results["generated"]
    print(f"generated graph.json: {g['nodes']:,} nodes, {g['edges']:,} edges ({copies} copies of the sample, "
          f"{g['graph_json_mb']} MB); in Neo4j: {full_counts[0]:,} nodes, {full_counts[1]:,} relationships")
    print(f"server {server_version}, driver neo4j {version('neo4j')}, batch size {batch}")
    print(f"{'run':<40}{'nodes':>9}{'rels':>10}{'wall s':>9}{'loader s':>10}{'elements/s':>12}")
    for name, r in runs.items():
        print(f"{name:<40}{r['nodes']:>9,}{r['relationships']:>10,}{r['seconds']:>9}{r['loader_seconds']:>10}{r['elements_per_second']:>12,}")
    print("naive_load runs one statement per row: far too slow for the full graph, so it is measured on a subset.")
    print(f"batched/naive: {ratios['batched_full_over_naive']}x (full batched rate), "
          f"{ratios['batched_subset_over_naive']}x (same subset); "
          f"rust-ext/pure-python (both on a cleared db): {ratios['rust_over_python_cleared_db']}x")
    print(f"rust ext active in the subprocess: {rust['rust_available']} (neo4j-rust-ext {rust['neo4j_rust_ext']}, neo4j {rust['neo4j']})")
    print(f"wrote {out_path}")


if __name__ == "__main__":
    main()
