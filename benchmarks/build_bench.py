"""Build benchmark: full `kg build` at 1x, 10x and 100x a generated corpus, against a baseline.

    .venv/bin/python benchmarks/build_bench.py [--base-mb 0.5] [--scales 1 10 100] [--jobs 1 2] [--repeat 3] [--against DIR]
    .venv/bin/python benchmarks/build_bench.py --incremental 1000 [--jobs 1 2] [--added-as zz-added.md 00-added.md]

With ``--jobs``, every scale is built once per value of ``--jobs`` (clean builds, no cache),
and the speed-up over the first value is reported. ``--repeat R`` runs the baseline and every
build R times, one round after another (so a slow spell of this shared machine touches every
kind of run alike), and reports the median time of each with the others in the results file;
memory is the largest of the R runs. ``--against DIR`` also builds, in every round right after
this checkout's build, with the code of the kg checkout in DIR (another revision: ``git worktree
add DIR REV``), and reports how much faster or slower this one is: the way to see a change of a
few percent on a machine whose speed drifts by more. ``--incremental N`` measures the cache
instead: a clean build of N generated digests, then one digest added and the build run again
into the same folder (served from DIR/.kg-cache), timed by stage; the ratio of the two is the
figure of merit (the outputs of both are checked against a clean build of the same files).
``--added-as`` names the added file (one run per name): ``zz-added.md`` (the default) comes last
in the corpus's order, as a digest named by date does; ``00-added.md`` comes first, as today's
digest of one series does before the files of another. Either way the build resolves only the
added digest (kg.resolve.store).

The corpus is the sample corpus and the test digests repeated with small variations (a copy
number in every title and a shuffled item order), so no two files are byte-identical, until the
1x corpus holds ``--base-mb`` of text; 100x of the default is 50 MB. Repeated so, it names the
same few hundred things however large it grows. ``--names varied`` renames, in each pass over
the seed digests after the first, every name made of a word and a version (Qwen3.6-35B-A3B,
GSM8K) by inserting a code of the pass (QwenBs3.6-35B-A3B, GSMBs8K): its models and benchmarks,
their relations and co-mention links grow with the corpus, as a real reader's do (30x: 26,500
entities and 570,000 co-mention links, against 470 and 11,800 repeated). Each build runs in its own
process (wall time, characters per second, peak RSS of the main process, and peak PSS of it with
all its workers together, "all MB"); so does the baseline, spaCy's
``spacy.blank("zh")`` tokenizer alone over the same text with ``nlp.pipe``. Results go to
benchmarks/results/build-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "kg" / "sample_corpus", ROOT / "tests" / "data" / "heldout" / "digests"]

BUILD = """
import resource, sys, time
from pathlib import Path
import kg
assert Path(kg.__file__).resolve().is_relative_to(Path(sys.argv[5]).resolve()), f"kg from {kg.__file__}, not {sys.argv[5]}"
from kg.pipeline import build
t = time.perf_counter()
result = build([Path(sys.argv[1])], Path(sys.argv[2]), jobs=int(sys.argv[3]), use_cache=sys.argv[4] == "cache")
print(time.perf_counter() - t, result.characters, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

STAGED = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
import kg.pipeline as p
from kg.resolve.resolver import Resolver
stages = {"import": time.perf_counter() - started}

def timed(name, f):
    def run(*args, **kwargs):
        t = time.perf_counter()
        try:
            return f(*args, **kwargs)
        finally:
            stages[name] = stages.get(name, 0) + time.perf_counter() - t
    return run

p.find_digests = timed("find", p.find_digests)  # open files, reuse cache entries
p.read_and_extract = timed("read+extract", p.read_and_extract)
Resolver.resolve_keeping = timed("resolve", Resolver.resolve_keeping)
p.resolution_store.load = timed("resolve", p.resolution_store.load)  # what the last build's resolution left
p.write_outputs = timed("write", p.write_outputs)
p.write_views = timed("views", p.write_views)  # part of "write"
t = time.perf_counter()
result = p.build([Path(sys.argv[1])], Path(sys.argv[2]), jobs=int(sys.argv[3]), use_cache=sys.argv[4] == "cache")
stages["build"] = time.perf_counter() - t
stages["process"] = time.perf_counter() - started
stages["cached"] = result.cached
print(json.dumps(stages))
"""

BASELINE = """
import resource, sys, time
from pathlib import Path
import spacy
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).iterdir())]
nlp = spacy.blank("zh")
nlp.max_length = 10**9
t = time.perf_counter()
tokens = sum(len(doc) for doc in nlp.pipe(texts))
print(time.perf_counter() - t, sum(map(len, texts)), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, tokens)
"""


def source_texts() -> list[str]:
    """The seed digests as UTF-8 text (whatever their encoding on disk)."""
    from kg.ingest.decode import decode_digest

    texts = []
    for folder in SOURCES:
        for path in sorted(folder.iterdir()):
            if path.suffix in (".md", ".markdown", ".txt"):
                texts.append(decode_digest(path.read_bytes(), str(path)).text)
    return texts


def variant(text: str, n: int, rng: random.Random) -> str:
    """A copy that differs from every other: numbered headings, paragraphs in a new order."""
    head, _, body = text.partition("\n\n")
    blocks = body.split("\n\n")
    if len(blocks) > 3:
        middle = blocks[1:-1]
        rng.shuffle(middle)
        blocks = [blocks[0], *middle, blocks[-1]]
    return f"{head} (copy {n})\n\n" + "\n\n".join(blocks) + f"\n\n第 {n} 期完。\n"


VERSIONED_NAME = re.compile(r"(?<![A-Za-z0-9_.-])([A-Z][A-Za-z]{2,})(?=-?[0-9])")
"""The word of a name made of a word and a version: Qwen in Qwen3.6-35B, GSM in GSM8K."""


def renamed(text: str, generation: int) -> str:
    """``text`` with a code of ``generation`` (1 -> A, 2 -> B, 27 -> Aa ...) after the word of every
    versioned name: other names of other things for each pass over the seed digests."""
    code, g = "", generation
    while g:
        g, r = divmod(g - 1, 26)
        code = chr(ord("a") + r) + code
    code = code.capitalize()
    return VERSIONED_NAME.sub(lambda m: m.group(1) + code, text) if code else text


def make_corpus(folder: Path, target_chars: int, seed: int, files: int | None = None, vary_names: bool = False) -> int:
    """Write variants until ``target_chars`` of text (or exactly ``files`` files) are in ``folder``;
    with ``vary_names``, each pass over the seed digests names other things (``renamed``)."""
    rng = random.Random(seed)
    texts = source_texts()
    folder.mkdir(parents=True, exist_ok=True)
    written, n = 0, 0
    while (n < files) if files is not None else (written < target_chars):
        seed_text = texts[n % len(texts)]
        text = variant(renamed(seed_text, n // len(texts)) if vary_names else seed_text, n, rng)
        (folder / f"digest-{n:06d}.md").write_text(text, encoding="utf-8")
        written += len(text)
        n += 1
    return written


def _cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine so far (Linux /proc/stat)."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:9]]
    return sum(values) - values[3] - values[4], sum(values)


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def _pss_mb(pids: list[int]) -> float:
    """The proportional set size of these processes together: shared (forked, copy-on-write)
    pages are counted once across them, so this is the memory the build really holds."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def _others(script: str, *args: str, code: Path = ROOT) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run a script in a child process; also return how many cores *other* processes kept busy
    meanwhile (this machine is shared: a figure taken while others compute is not a figure) and
    the peak memory of the child with all its worker processes (PSS, sampled every 50 ms)."""
    busy0, total0 = _cpu_jiffies()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)} if code != ROOT else None,
    )
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _pss_mb(_tree(process.pid)))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    sampler.join()
    out = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    wall = time.perf_counter() - wall
    busy1, total1 = _cpu_jiffies()
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    ours = (children1.ru_utime - children0.ru_utime) + (children1.ru_stime - children0.ru_stime)
    tick = os.sysconf("SC_CLK_TCK")
    others = max(0.0, (busy1 - busy0) / tick - ours) / wall
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    return out, round(others, 2), round(peak[0])


def run(script: str, *args: str, code: Path = ROOT) -> list[float]:
    out, others, tree_mb = _others(script, *args, code=code)
    return [float(x) for x in out.stdout.split()] + [others, tree_mb]


def run_json(script: str, *args: str) -> dict:
    out, others, tree_mb = _others(script, *args)
    return {**json.loads(out.stdout.splitlines()[-1]), "other_cores_busy": others, "all_processes_peak_pss_mb": tree_mb}


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".kg-cache" not in p.relative_to(folder).parts
    }


def incremental(work: Path, files: int, jobs: int, name: str = "zz-added.md", vary_names: bool = False) -> dict:
    """Clean build of ``files`` digests, add one named ``name``, build again from the cache; time both by stage."""
    corpus = work / f"corpus-{files}"
    if not corpus.exists():
        make_corpus(corpus, 0, seed=files, files=files, vary_names=vary_names)
    (corpus / name).unlink(missing_ok=True)
    out = work / f"incremental-{files}-j{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    full = run_json(STAGED, str(corpus), str(out), str(jobs), "no-cache")
    rng = random.Random(7)
    (corpus / name).write_text(variant(source_texts()[3], files + 1, rng), encoding="utf-8")
    added = run_json(STAGED, str(corpus), str(out), str(jobs), "cache")
    clean = work / f"clean-{files}"
    shutil.rmtree(clean, ignore_errors=True)
    run_json(STAGED, str(corpus), str(clean), str(jobs), "no-cache")
    identical = outputs(out) == outputs(clean)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(clean, ignore_errors=True)
    (corpus / name).unlink()
    r = lambda d: {k: round(v, 2) if isinstance(v, float) else v for k, v in d.items()}  # noqa: E731
    return {
        "files": files,
        "names": "varied" if vary_names else "repeated",
        "jobs": jobs,
        "added_as": name,
        "full": r(full),
        "add_one": r(added),
        "ratio_build": round(added["build"] / full["build"], 3),
        "ratio_process": round(added["process"] / full["process"], 3),
        "identical_to_clean_build": identical,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-mb", type=float, default=0.5, help="text in the 1x corpus, in millions of characters")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1], help="extraction processes; one build per value")
    parser.add_argument("--repeat", type=int, default=1, metavar="R", help="run every build and the baseline R times; report medians")
    parser.add_argument("--against", type=Path, metavar="DIR", help="also build with the kg checkout in DIR, in the same rounds, and compare")
    parser.add_argument(
        "--names", choices=["repeated", "varied"], default="repeated", help="the seed digests' names in every copy, or other names in each pass over them"
    )
    parser.add_argument("--incremental", type=int, metavar="N", help="measure adding one digest to N instead")
    parser.add_argument("--added-as", nargs="+", default=["zz-added.md"], help="with --incremental: the added file's name (one run per name)")
    args = parser.parse_args()
    if args.incremental and (args.repeat > 1 or args.against):
        parser.error("--repeat and --against time full builds; --incremental runs each build once")
    if args.against and not (args.against / "kg" / "__init__.py").is_file():
        parser.error(f"--against {args.against}: no kg checkout there (make one with: git worktree add DIR REV)")
    sys.path.insert(0, str(ROOT))
    work = Path(tempfile.mkdtemp(prefix="kg-build-bench-"))
    load = os.getloadavg()[0]
    try:
        if args.incremental:
            rows = [incremental(work, args.incremental, jobs, name, args.names == "varied") for name in args.added_as for jobs in args.jobs]
            name = "incremental"
        else:
            rows = scales(work, args)
            name = "build"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "benchmarks" / "results" / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"cores": len(os.sched_getaffinity(0)), "load_before": round(load, 2)}
    out.write_text(json.dumps({"python": sys.version.split()[0], **meta, "runs": rows}, indent=1) + "\n")
    if args.incremental:
        print(f"{'files':>6}{'jobs':>5}{'added as':>13}{'full s':>8}{'add-one s':>10}{'ratio':>7}{'process ratio':>14}  add-one stages (s)")
        for r in rows:
            stages = ", ".join(f"{k} {r['add_one'][k]}" for k in ("import", "find", "read+extract", "resolve", "write", "views"))
            print(
                f"{r['files']:>6}{r['jobs']:>5}{r['added_as']:>13}{r['full']['build']:>8}{r['add_one']['build']:>10}"
                f"{r['ratio_build']:>7}{r['ratio_process']:>14}  {stages}  identical: {r['identical_to_clean_build']}"
                f"  others busy {r['full']['other_cores_busy']}/{r['add_one']['other_cores_busy']}"
            )
    else:
        print(f"{'scale':>5}{'jobs':>5}{'files':>7}{'chars':>12}{'build s':>9}{'chars/s':>10}{'RSS MB':>8}{'all MB':>8}{'speed-up':>9}{'baseline s':>11}{'ratio':>7}")
        for r in rows:
            print(
                f"{r['scale']:>5}{r['jobs']:>5}{r['files']:>7}{r['characters']:>12,}{r['build_seconds']:>9}"
                f"{r['build_chars_per_second']:>10,}{r['build_peak_rss_mb']:>8}{r['build_all_processes_peak_pss_mb']:>8}{r['speed_up']:>9}"
                f"{r['baseline_seconds']:>11}{r['ratio_build_to_baseline']:>7}  others busy {r['other_cores_busy']}"
                + (f"  code: {r['code']} (this checkout {r['this_against_it']:+.1%} against it)" if r["code"] != "this" else "")
            )
        if args.repeat > 1:
            print(f"times: the median of {args.repeat} runs each (every run is in the results file); memory: the largest")
    print(f"wrote {out}")


def scales(work: Path, args: argparse.Namespace) -> list[dict]:
    rows = []
    for scale in args.scales:
        corpus = work / f"corpus-{scale}x"
        chars = make_corpus(corpus, int(args.base_mb * 1_000_000 * scale), seed=scale, vary_names=args.names == "varied")
        baselines: list[list[float]] = []
        codes = [ROOT] + ([args.against.resolve()] if args.against else [])
        builds: dict[tuple[Path, int], list[list[float]]] = {(code, jobs): [] for jobs in args.jobs for code in codes}
        for _ in range(max(1, args.repeat)):  # rounds: each kind of run once per round
            baselines.append(run(BASELINE, str(corpus)))
            for code, jobs in builds:
                out = work / f"out-{scale}x-{jobs}"
                builds[code, jobs].append(run(BUILD, str(corpus), str(out), str(jobs), "no-cache", str(code), code=code))
                shutil.rmtree(out, ignore_errors=True)
        base_seconds = statistics.median(b[0] for b in baselines)
        for (code, jobs), runs in builds.items():
            first = statistics.median(b[0] for b in builds[code, args.jobs[0]])
            seconds = statistics.median(r[0] for r in runs)
            this = statistics.median(r[0] for r in builds[ROOT, jobs])
            rows.append(
                {
                    "scale": scale,
                    "names": args.names,
                    "jobs": jobs,
                    "code": "this" if code == ROOT else str(code),
                    **({"this_against_it": round(this / seconds - 1, 4)} if code != ROOT else {}),
                    "files": len(list(corpus.iterdir())),
                    "characters": chars,
                    "build_seconds": round(seconds, 2),
                    "build_chars_per_second": round(chars / seconds),
                    "build_peak_rss_mb": int(max(r[2] for r in runs) // 1024),
                    "build_all_processes_peak_pss_mb": int(max(r[4] for r in runs)),
                    "speed_up": round(first / seconds, 2),
                    "other_cores_busy": max(r[3] for r in runs),
                    "baseline_seconds": round(base_seconds, 2),
                    "baseline_chars_per_second": round(chars / base_seconds),
                    "baseline_peak_rss_mb": int(max(b[2] for b in baselines) // 1024),
                    "baseline_tokens": int(baselines[0][3]),
                    "ratio_build_to_baseline": round(seconds / base_seconds, 2),
                    **(
                        {
                            "build_seconds_runs": [round(r[0], 2) for r in runs],
                            "baseline_seconds_runs": [round(b[0], 2) for b in baselines],
                        }
                        if len(runs) > 1
                        else {}
                    ),
                }
            )
        shutil.rmtree(corpus)
    return rows


if __name__ == "__main__":
    main()
