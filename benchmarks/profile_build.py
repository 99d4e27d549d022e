"""Profile one `kg build`: stage times and RSS, then the top cProfile costs.

    .venv/bin/python benchmarks/profile_build.py CORPUS [--top 30] [--out FILE]

Make a 10x corpus first as build_bench.py does (benchmarks/build_bench.py ``make_corpus``):

    .venv/bin/python -c "import sys; sys.path[:0] = ['benchmarks', '.']; from pathlib import Path; \
        import build_bench as b; b.make_corpus(Path('/tmp/corpus-10x'), 5_000_000, seed=10)"

Two runs of the build, each in its own process: a plain one timed stage by stage (wall time,
RSS after the stage, peak RSS so far), then one under cProfile (slower: every Python call is
counted) whose top functions by cumulative time are listed with their share of the total.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STAGES = """
import resource, sys, time
from pathlib import Path
from kg.extract import Extractor
from kg.extract.gazetteer import load_gazetteer
from kg.pipeline import find_digests, write_outputs
from kg.resolve.resolver import Resolver

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 2**20

t0 = last = time.perf_counter()
def mark(stage):
    global last
    now = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{stage:10}{now - last:8.2f} s   RSS {rss():6} MB   peak {peak:6} MB", flush=True)
    last = now
extractor = Extractor(); mark("init")
found = find_digests([Path(sys.argv[1])]); digests = [w.read() for w in found.work]; mark("read")
chars = sum(len(i.full_text) for d in digests for i in d.items)
extractions = {x.item_id: x for d in digests for x in extractor.extract(d)}; mark("extract")
graph = Resolver(load_gazetteer()).resolve(digests, extractions); mark("resolve")
write_outputs(graph, Path(sys.argv[2])); mark("write")
print(f"{'total':10}{time.perf_counter() - t0:8.2f} s   {chars:,} characters")
"""

PROFILE = """
import cProfile, pstats, sys
from pathlib import Path
from kg.pipeline import build
profile = cProfile.Profile()
profile.runcall(build, [Path(sys.argv[1])], Path(sys.argv[2]), jobs=1)  # one process: cProfile sees no other
stats = pstats.Stats(profile)
total = max(row[3] for row in stats.stats.values())
rows = sorted(stats.stats.items(), key=lambda kv: kv[1][3], reverse=True)
print(f"{'cumulative s':>12} {'share':>6} {'own s':>7} {'calls':>9}  function")
shown = 0
for (file, line, name), (_, calls, own, cumulative, _) in rows:
    if name in ("<module>", "runcall") or "cProfile" in file:
        continue
    where = file.replace(sys.argv[4], "").lstrip("/")
    where = where.split("site-packages/")[-1]
    print(f"{cumulative:12.2f} {cumulative / total:6.1%} {own:7.2f} {calls:9}  {name} ({where}:{line})")
    shown += 1
    if shown == int(sys.argv[3]):
        break
print(f"total under cProfile: {total:.2f} s")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", type=Path, help="also write the report here")
    args = parser.parse_args()
    report = [f"$ {Path(sys.executable).name} benchmarks/profile_build.py {args.corpus} --top {args.top}", ""]
    with tempfile.TemporaryDirectory(prefix="kg-profile-") as work:
        for title, script, extra in (  # each into a folder of its own: a clean build, no page reused
            ("stages (plain run)", STAGES, []),
            ("cProfile, top functions by cumulative time", PROFILE, [str(args.top), str(ROOT)]),
        ):
            out = subprocess.run(
                [sys.executable, "-c", script, str(args.corpus), str(Path(work) / title.split()[0]), *extra],
                capture_output=True, text=True, cwd=ROOT,
            )
            if out.returncode != 0:
                raise SystemExit(out.stderr[-2000:])
            report += [f"## {title}", out.stdout.rstrip(), ""]
    text = "\n".join(report)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
