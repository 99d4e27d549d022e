"""Exports benchmark: the CPU time of writing graph.ttl, graph.json and the Neo4j bundle, on one
built graph, for this tree and optionally others (an older commit, to compare).

    .venv/bin/python benchmarks/exports_bench.py CORPUS [--tree DIR ...] [--rounds 3] [--repeat 3]

The graph is built once (from DIR/.kg-cache when it is there) and pickled; then, ``--rounds``
times, each tree measures in a process of its own, the trees taking turns so that a busy
machine slows them alike. A process writes each export ``--repeat`` times and keeps the least
CPU time, with the collector set as ``kg build`` sets it (graph frozen, first generation 50,000).
``json`` and ``bundle`` include making graph.json's node-link data, as each does in a process
of its own. An older tree to compare with:

    git archive fff7ee0 kg | tar -x -C /tmp/kg-before   # then --tree /tmp/kg-before

Results go to benchmarks/results/exports-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MEASURE = """
import gc, json, pickle, sys, tempfile, time
from pathlib import Path
from kg.export.rdf import write_turtle
from kg.graph import graph_data, write_graph_json
from kg.neo4j.bundle import write_bundle

graph = pickle.loads(Path(sys.argv[1]).read_bytes())
out = Path(tempfile.mkdtemp(prefix="exports-bench-"))
gc.freeze()
gc.set_threshold(50_000, 20, 100)  # as kg.pipeline.build does
writers = {
    "turtle": lambda: write_turtle(graph, out / "graph.ttl"),
    "json": lambda: write_graph_json(graph_data(graph, lazy_edges=True), out / "graph.json"),
    "bundle": lambda: write_bundle(graph_data(graph, lazy_edges=True), out),
}
best = {}
for _ in range(int(sys.argv[2])):
    for name, write in writers.items():
        start = time.process_time()
        write()
        best[name] = min(best.get(name, float("inf")), time.process_time() - start)
import kg
print(json.dumps({"kg": kg.__file__, **best}))
"""


def build_pickle(corpus: Path, work: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from kg.pipeline import build_graph

    graph = build_graph([corpus], None, jobs=1, cache_dir=work / ".kg-cache").graph
    path = work / "graph.pickle"
    path.write_bytes(pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def measure(tree: Path, graph: Path, repeat: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-c", MEASURE, str(graph), str(repeat)]
    # Run beside the graph, not here: ``-c`` puts the current folder first on sys.path.
    done = subprocess.run(command, env=env, cwd=graph.parent, capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout)
    if not figures.pop("kg").startswith(str(tree)):
        raise SystemExit(f"{tree}: its kg/ was not the one imported")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--tree", type=Path, action="append", default=[], help="another source tree to time (its kg/ is imported)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trees = [ROOT, *(t.resolve() for t in args.tree)]
    with tempfile.TemporaryDirectory(prefix="exports-bench-") as work:
        graph = build_pickle(args.corpus, Path(work))
        best: dict[str, dict[str, float]] = {str(t): {} for t in trees}
        for _ in range(args.rounds):
            for tree in trees:
                figures = measure(tree, graph, args.repeat)
                print(f"{str(tree):40}", "  ".join(f"{k} {v:.3f} s" for k, v in figures.items()), flush=True)
                for name, seconds in figures.items():
                    best[str(tree)][name] = min(best[str(tree)].get(name, float("inf")), seconds)
    print("least CPU time per export:")
    for tree, figures in best.items():
        print(f"{tree:40}", "  ".join(f"{k} {v:.3f} s" for k, v in figures.items()))
    results = ROOT / "benchmarks" / "results" / f"exports-{time.strftime('%Y%m%d-%H%M%S')}.json"
    results.write_text(json.dumps({"corpus": str(args.corpus), "rounds": args.rounds, "repeat": args.repeat, "cpu_seconds": best}, indent=1) + "\n")
    print(f"wrote {results}")


if __name__ == "__main__":
    main()
