"""Exports benchmark: the CPU time of writing graph.ttl, graph.json and the Neo4j bundle, on one
built graph, for this tree and optionally others (an older commit, to compare).

    .venv/bin/python benchmarks/exports_bench.py CORPUS [--add-one FILE] [--tree DIR ...] [--rounds 3] [--repeat 3]

The graph is built once (from DIR/.kg-cache when it is there) and pickled; then, ``--rounds``
times, each tree measures in a process of its own, the trees taking turns so that a busy
machine slows them alike. A process writes each export ``--repeat`` times and keeps the least
CPU time; the figure reported is the median over the rounds, with the collector set as ``kg build`` sets it (graph frozen, first generation 50,000).
``json`` and ``bundle`` include making what each needs from the graph, as each does in a
process of its own; where the tree keeps export records (kg.export.store), each export's time
includes storing them, and ``keys`` is the time of the graph's scope keys, made once for all
three before they are written (as ``kg build`` does).

``--add-one FILE``: the graph of CORPUS plus FILE is built too, and what is measured is the
add-one build's writing: the exports of CORPUS are written (with their records) into a folder,
which is put back before each measured write of the bigger graph's exports; ``keys`` then
includes reading the stores. A tree without records writes everything again.

An older tree to compare with:

    git archive fff7ee0 kg ontology | tar -x -C /tmp/kg-before   # then --tree /tmp/kg-before

Results go to benchmarks/results/exports-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from trees import run_in_tree

ROOT = Path(__file__).resolve().parents[1]

MEASURE = """
import gc, json, pickle, shutil, sys, tempfile, time
from pathlib import Path
from kg.export.rdf import write_turtle
from kg.neo4j.bundle import write_bundle
try:
    from kg.export.store import prepare
    from kg.graph import write_json
except ImportError:  # a tree from before export records
    prepare = None
    from kg.graph import graph_data, write_graph_json

graphs = [pickle.loads(Path(p).read_bytes()) for p in sys.argv[3:]]
graph = graphs[-1]
work = Path(tempfile.mkdtemp(prefix="exports-bench-"))
out, base = work / "out", work / "base"
gc.freeze()
gc.set_threshold(50_000, 20, 100)  # as kg.pipeline.build does
records = {}

def keys():
    if prepare is not None:
        records.update(prepare(graph, out / ".kg-cache", read=len(graphs) > 1)[0])

def write(name):
    if prepare is not None:
        {"turtle": lambda: write_turtle(graph, out / "graph.ttl", records["graph.ttl"]),
         "json": lambda: write_json(graph, out / "graph.json", records["graph.json"]),
         "bundle": lambda: write_bundle(graph, out, records["neo4j"])}[name]()
    else:
        {"turtle": lambda: write_turtle(graph, out / "graph.ttl"),
         "json": lambda: write_graph_json(graph_data(graph, lazy_edges=True), out / "graph.json"),
         "bundle": lambda: write_bundle(graph_data(graph, lazy_edges=True), out)}[name]()

if len(graphs) > 1:  # the previous build's exports and records, put back before every write
    first = graphs[0]
    if prepare is not None:
        found = prepare(first, base / ".kg-cache")[0]
        write_turtle(first, base / "graph.ttl", found["graph.ttl"])
        write_json(first, base / "graph.json", found["graph.json"])
        write_bundle(first, base, found["neo4j"])
best = {}
for _ in range(int(sys.argv[2])):
    for name in ("keys", "turtle", "json", "bundle"):
        shutil.rmtree(out, ignore_errors=True)
        if base.exists():
            shutil.copytree(base, out)
        if name != "keys":
            keys()
        start = time.process_time()
        keys() if name == "keys" else write(name)
        best[name] = min(best.get(name, float("inf")), time.process_time() - start)
shutil.rmtree(work)
import kg
print(json.dumps({"kg": kg.__file__, **best}))
"""


def build_pickle(corpus: Path, work: Path, name: str) -> Path:
    sys.path.insert(0, str(ROOT))
    from kg.pipeline import build_graph

    graph = build_graph([corpus], None, jobs=1, cache_dir=work / ".kg-cache").graph
    path = work / f"{name}.pickle"
    path.write_bytes(pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def measure(tree: Path, graphs: list[Path], repeat: int) -> dict[str, float]:
    return run_in_tree(tree, MEASURE, ["-", str(repeat), *map(str, graphs)], cwd=graphs[0].parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--add-one", type=Path, help="a digest file: measure writing the exports of CORPUS plus it, after CORPUS's")
    parser.add_argument("--tree", type=Path, action="append", default=[], help="another source tree to time (its kg/ is imported)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trees = [ROOT, *(t.resolve() for t in args.tree)]
    with tempfile.TemporaryDirectory(prefix="exports-bench-") as work:
        graphs = [build_pickle(args.corpus, Path(work), "graph")]
        if args.add_one:
            bigger = Path(work) / "corpus"
            shutil.copytree(args.corpus, bigger, ignore=shutil.ignore_patterns(".*"))
            shutil.copy(args.add_one, bigger / f"zz-added-{args.add_one.name}")
            graphs.append(build_pickle(bigger, Path(work), "added"))
        runs: dict[str, dict[str, list[float]]] = {str(t): {} for t in trees}
        for _ in range(args.rounds):
            for tree in trees:
                figures = measure(tree, graphs, args.repeat)
                print(f"{str(tree):40}", "  ".join(f"{k} {v:.3f} s" for k, v in figures.items()), flush=True)
                for name, seconds in figures.items():
                    runs[str(tree)].setdefault(name, []).append(seconds)
    best = {tree: {name: statistics.median(values) for name, values in figures.items()} for tree, figures in runs.items()}
    print("CPU time per export, median of the rounds" + (" (add-one)" if args.add_one else "") + ":")
    for tree, figures in best.items():
        print(f"{tree:40}", "  ".join(f"{k} {v:.3f} s" for k, v in figures.items()))
    results = ROOT / "benchmarks" / "results" / f"exports-{time.strftime('%Y%m%d-%H%M%S')}.json"
    record = {"corpus": str(args.corpus), "add_one": str(args.add_one) if args.add_one else None, "rounds": args.rounds, "repeat": args.repeat}
    results.write_text(json.dumps({**record, "cpu_seconds": best}, indent=1) + "\n")
    print(f"wrote {results}")


if __name__ == "__main__":
    main()
