"""Add-one benchmark by stage: the CPU time of a clean ``kg build --jobs 1`` and of the same build
with one digest added, split into reading and resolving, each export writer and the views, for
this tree and others (an older commit, to compare); with ``--jobs N``, the wall time of both.

    .venv/bin/python benchmarks/add_one_bench.py CORPUS FILE [--tree DIR ...] [--rounds 3] [--jobs 1]

Each round, for each tree in turn (in a process of its own): a clean build of CORPUS
(``use_cache=False``) into an empty folder, then a build of CORPUS plus FILE into a copy of that
folder. With ``--jobs 1`` every writer runs in the build's process, so each pipeline function is
wrapped in a ``time.process_time`` counter; with more, work runs in forked processes those
counters do not see, and "wall" (the build's wall time, always reported) is the figure to
compare. Reported: the median over the rounds. Results go to benchmarks/results/add-one-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from trees import run_in_tree

ROOT = Path(__file__).resolve().parents[1]

MEASURE = r"""
import functools, json, shutil, sys, time
from pathlib import Path
import kg.pipeline as p
counted = {}
def timed(name):
    real = getattr(p, name)
    @functools.wraps(real)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            counted[name] = counted.get(name, 0) + time.process_time() - start
    setattr(p, name, wrapper)
for name in ("build_graph", "prepare_records", "write_turtle", "write_json", "write_graph_json", "write_bundle", "write_views"):
    if hasattr(p, name):
        timed(name)
mode, corpus, out, base, jobs = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
shutil.rmtree(out, ignore_errors=True)
if mode == "add":
    shutil.copytree(base, out)
start, wall = time.process_time(), time.perf_counter()
p.build([corpus], out, jobs=jobs, use_cache=mode == "add")
counted["total"] = time.process_time() - start
counted["wall"] = time.perf_counter() - wall
import kg
print(json.dumps({"kg": kg.__file__, **counted}))
"""


def measure(tree: Path, mode: str, corpus: Path, out: Path, base: Path, jobs: int) -> dict[str, float]:
    return run_in_tree(tree, MEASURE, [mode, str(corpus), str(out), str(base), str(jobs)], cwd=out.parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("file", type=Path, help="the digest added")
    parser.add_argument("--tree", type=Path, action="append", default=[], help="another source tree to time (its kg/ is imported)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="the builds' --jobs (above 1, compare the wall times)")
    args = parser.parse_args()
    args.corpus = args.corpus.resolve()  # the measuring processes run in another folder
    trees = [ROOT, *(t.resolve() for t in args.tree)]
    runs: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="add-one-bench-") as work:
        bigger = Path(work) / "corpus"
        shutil.copytree(args.corpus, bigger, ignore=shutil.ignore_patterns(".*"))
        shutil.copy(args.file, bigger / f"zz-added-{args.file.name}")
        for _ in range(args.rounds):
            for i, tree in enumerate(trees):
                base, added = Path(work) / f"clean-{i}", Path(work) / f"added-{i}"
                for mode, corpus, out in (("clean", args.corpus, base), ("add", bigger, added)):
                    figures = measure(tree, mode, corpus, out, base, args.jobs)
                    print(f"{str(tree):30} {mode:5}", "  ".join(f"{k} {v:.3f}" for k, v in figures.items()), flush=True)
                    for name, seconds in figures.items():
                        runs.setdefault(f"{tree} {mode}", {}).setdefault(name, []).append(seconds)
    medians = {key: {name: statistics.median(values) for name, values in figures.items()} for key, figures in runs.items()}
    print(f"seconds (CPU of this process; 'wall': the build's wall time), --jobs {args.jobs}, median of the rounds:")
    for key, figures in medians.items():
        print(f"{key:40}", "  ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    results = ROOT / "benchmarks" / "results" / f"add-one-{time.strftime('%Y%m%d-%H%M%S')}.json"
    results.write_text(json.dumps({"corpus": str(args.corpus), "file": str(args.file), "rounds": args.rounds, "jobs": args.jobs, "seconds": medians}, indent=1) + "\n")
    print(f"wrote {results}")


if __name__ == "__main__":
    main()
