"""RDF benchmark: load a generated export of 1M+ triples with pyoxigraph and rdflib, time the
query pack, and report the size of every export format for the sample corpus.

    .venv/bin/python benchmarks/rdf_bench.py [--triples 1000000] [--repeat 5]

The large export is the sample corpus's graph repeated under distinct IRIs (same shape, same
literals), so the queries have realistic joins. Each load runs in its own process so its peak
memory (max RSS) is its own. Results go to benchmarks/results/rdf-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.export.formats import FORMATS, export_rdf  # noqa: E402
from kg.pipeline import SAMPLE_CORPUS, build  # noqa: E402
from kg.sparql import named_query, query_pack, run_local  # noqa: E402

ID = "https://w3id.org/ai-digest-kg/id/"

LOADERS = {
    "pyoxigraph Store.load": "import pyoxigraph as ox; s = ox.Store(); s.load(path=PATH, format=ox.RdfFormat.N_TRIPLES); n = len(s)",
    "rdflib Graph.parse (nt)": "import rdflib; g = rdflib.Graph(); g.parse(PATH, format='nt'); n = len(g)",
    "pyoxigraph Store.load (ttl)": "import pyoxigraph as ox; s = ox.Store(); s.load(path=TTL, format=ox.RdfFormat.TURTLE); n = len(s)",
    "rdflib Graph.parse (ttl)": "import rdflib; g = rdflib.Graph(); g.parse(TTL, format='turtle'); n = len(g)",
}


def replicate(sample_nt: Path, target: int, out_nt: Path, out_ttl: Path) -> int:
    """Write copies of the sample graph, IRIs under id/c<N>/, until ``target`` triples."""
    triples = list(ox.parse(path=str(sample_nt), format=ox.RdfFormat.N_TRIPLES))
    copies = -(-target // len(triples))

    def shift(term, n):
        if isinstance(term, ox.NamedNode) and term.value.startswith(ID):
            return ox.NamedNode(f"{ID}c{n}/{term.value[len(ID):]}")
        return term

    big = [ox.Triple(shift(t.subject, n), t.predicate, shift(t.object, n)) for n in range(copies) for t in triples]
    out_nt.write_bytes(ox.serialize(big, format=ox.RdfFormat.N_TRIPLES))
    out_ttl.write_bytes(ox.serialize(big, format=ox.RdfFormat.TURTLE))
    return len(big)


def measure_load(code: str, nt: Path, ttl: Path) -> dict:
    """Run one loader in a fresh process: seconds, triples, peak RSS."""
    script = (
        f"import time, resource\nPATH={str(nt)!r}\nTTL={str(ttl)!r}\nt=time.perf_counter()\n{code}\n"
        "print(time.perf_counter()-t, n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    seconds, n, rss_kb = float(out[0]), int(out[1]), int(out[2])
    return {"seconds": round(seconds, 2), "triples": n, "triples_per_second": round(n / seconds), "peak_rss_mb": rss_kb // 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs per query for the median")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-rdf-bench-"))
    sample = work / "sample"
    build([SAMPLE_CORPUS], sample)
    export_rdf(sample, ["nt", "jsonld", "trig", "nq"])
    sizes = {fmt: (sample / name).stat().st_size for fmt, (_, name) in FORMATS.items()}
    nt, ttl = work / "big.nt", work / "big.ttl"
    triples = replicate(sample / "graph.nt", args.triples, nt, ttl)
    loads = {name: measure_load(code, nt, ttl) for name, code in LOADERS.items()}
    store = ox.Store()
    store.load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    latency = {}
    for name, q in query_pack().items():
        query = named_query(name, {p: example for p, example, _ in q.params})  # each query's documented example
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            rows = len(run_local(store, query).rows)
            times.append(time.perf_counter() - t)
        latency[name] = {"median_ms": round(statistics.median(times) * 1000, 1), "rows": rows}
    result = {
        "triples": triples,
        "loads": loads,
        "query_pack_median_ms": latency,
        "sample_export_bytes": sizes,
        "python": sys.version.split()[0],
        "pyoxigraph": ox.__version__,
    }
    out = ROOT / "benchmarks" / "results" / f"rdf-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"generated export: {triples:,} triples ({nt.stat().st_size / 1e6:.0f} MB N-Triples, {ttl.stat().st_size / 1e6:.0f} MB Turtle)")
    print(f"{'loader':<30}{'seconds':>9}{'triples/s':>12}{'peak RSS MB':>13}")
    for name, r in loads.items():
        print(f"{name:<30}{r['seconds']:>9}{r['triples_per_second']:>12,}{r['peak_rss_mb']:>13,}")
    print(f"{'query (pyoxigraph, 1M triples)':<30}{'median ms':>10}{'rows':>8}")
    for name, r in latency.items():
        print(f"{name:<30}{r['median_ms']:>10}{r['rows']:>8}")
    print("sample corpus export sizes: " + ", ".join(f"{fmt} {n:,} B" for fmt, n in sizes.items()))
    print(f"wrote {out}")



if __name__ == "__main__":
    main()
