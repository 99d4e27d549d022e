"""HTML views benchmark: writing the views of 1k, 5k and 20k-entity graphs, and opening a big
overview in Debian's headless Chromium.

    .venv/bin/python benchmarks/views_bench.py [--sizes 1000 5000 20000] [--jobs 1 2] [--browser-nodes 5000]

For each size: the time to write html/ (every page), the number of pages and their total size,
and the time to write the same views again over them (every page reused, nothing rendered);
each as wall time and as CPU time (this process and the page writers it forked).
Then an overview of --browser-nodes nodes is opened from file:// and timed: navigation start to
the first drawn frame (the page is interactive from then on: physics is off, positions fixed),
and one full redraw (what a pan or zoom costs). Results go to benchmarks/results/views-<time>.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import synthetic_graph  # noqa: E402
from kg.views import write_views  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (forked page writers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def write_figures(size: int, work: Path, overview: int, jobs: int = 1) -> dict:
    graph = synthetic_graph(size)
    gc.collect()
    gc.freeze()  # as `kg build` does before writing: the graph lives to the end
    start, cpu = time.perf_counter(), cpu_seconds()
    written = write_views(graph, work / f"g{size}", overview_size=overview, jobs=jobs)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    start, again_cpu = time.perf_counter(), cpu_seconds()
    again = write_views(graph, work / f"g{size}", overview_size=overview, jobs=jobs)
    again_seconds, again_cpu = time.perf_counter() - start, cpu_seconds() - again_cpu
    return {
        "entities": size,
        "relations": len(graph.relations),
        "co_mentions": len(graph.co_mentions),
        "digests": len(graph.digests),
        "jobs": jobs,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "again_seconds": round(again_seconds, 2),
        "again_cpu_seconds": round(again_cpu, 2),
        "again_reused": again.reused,
        "pages": written.pages,
        "megabytes": round(written.bytes / 1e6, 1),
        "folder": written.folder,
    }


def browser_figures(index: Path, runs: int = 3) -> dict:
    from playwright.sync_api import sync_playwright

    drawn, redraw = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(index.as_uri())
            page.wait_for_selector("body[data-drawn]", timeout=60000)
            drawn.append(int(page.get_attribute("body", "data-drawn-ms")))
            redraw.append(page.evaluate("() => { const t = performance.now(); kgView.network.redraw(); return performance.now() - t; }"))
            nodes = int(page.get_attribute("body", "data-drawn"))
            page.close()
        browser.close()
    return {"nodes": nodes, "first_draw_ms": sorted(drawn)[len(drawn) // 2], "redraw_ms": round(sorted(redraw)[len(redraw) // 2], 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--browser-nodes", type=int, default=5000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="page-writing processes; one run per value")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-views-bench-") as tmp:
        work = Path(tmp)
        for size in args.sizes:
            for jobs in args.jobs:
                row = write_figures(size, work, overview=150, jobs=jobs)
                print(
                    f"{size:>7,} entities  jobs {jobs}  {row['seconds']:>7.2f} s (CPU {row['cpu_seconds']:.2f})  {row['pages']:>7,} pages"
                    f"  {row['megabytes']:>8.1f} MB  again {row['again_seconds']:.2f} s (CPU {row['again_cpu_seconds']:.2f}, {row['again_reused']:,} reused)",
                    flush=True,
                )
                shutil.rmtree(row.pop("folder"))
                rows.append(row)
        big = write_figures(args.browser_nodes, work, overview=args.browser_nodes)
        browser = browser_figures(big["folder"] / "index.html")
        print(f"overview of {browser['nodes']:,} nodes in Chromium: first draw {browser['first_draw_ms']} ms after navigation, redraw {browser['redraw_ms']} ms")
    out = ROOT / "benchmarks" / "results" / f"views-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"write": rows, "browser": browser}, indent=1) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
