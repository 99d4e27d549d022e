"""Build benchmark: full `kg build` at 1x, 10x and 100x a generated corpus, against a baseline.

    .venv/bin/python benchmarks/build_bench.py [--base-mb 0.5] [--scales 1 10 100]

The corpus is the sample corpus and the test digests repeated with small variations (a copy
number in every title and a shuffled item order), so no two files are byte-identical, until the
1x corpus holds ``--base-mb`` of text; 100x of the default is 50 MB. Each build runs in its own
process (wall time, characters per second, peak RSS); so does the baseline, spaCy's
``spacy.blank("zh")`` tokenizer alone over the same text with ``nlp.pipe``. Results go to
benchmarks/results/build-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "kg" / "sample_corpus", ROOT / "tests" / "data" / "heldout" / "digests"]

BUILD = """
import resource, sys, time
from pathlib import Path
from kg.pipeline import build
t = time.perf_counter()
result = build([Path(sys.argv[1])], Path(sys.argv[2]))
print(time.perf_counter() - t, result.characters, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
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


def make_corpus(folder: Path, target_chars: int, seed: int) -> int:
    rng = random.Random(seed)
    texts = source_texts()
    folder.mkdir(parents=True, exist_ok=True)
    written, n = 0, 0
    while written < target_chars:
        text = variant(texts[n % len(texts)], n, rng)
        (folder / f"digest-{n:06d}.md").write_text(text, encoding="utf-8")
        written += len(text)
        n += 1
    return written


def run(script: str, *args: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-mb", type=float, default=0.5, help="text in the 1x corpus, in millions of characters")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    work = Path(tempfile.mkdtemp(prefix="kg-build-bench-"))
    rows = []
    try:
        for scale in args.scales:
            corpus = work / f"corpus-{scale}x"
            chars = make_corpus(corpus, int(args.base_mb * 1_000_000 * scale), seed=scale)
            seconds, characters, rss_kb = run(BUILD, str(corpus), str(work / f"out-{scale}x"))
            base_seconds, _, base_rss_kb, tokens = run(BASELINE, str(corpus))
            rows.append(
                {
                    "scale": scale,
                    "files": len(list(corpus.iterdir())),
                    "characters": chars,
                    "build_seconds": round(seconds, 2),
                    "build_chars_per_second": round(chars / seconds),
                    "build_peak_rss_mb": int(rss_kb // 1024),
                    "baseline_seconds": round(base_seconds, 2),
                    "baseline_chars_per_second": round(chars / base_seconds),
                    "baseline_peak_rss_mb": int(base_rss_kb // 1024),
                    "baseline_tokens": int(tokens),
                    "ratio_build_to_baseline": round(seconds / base_seconds, 2),
                }
            )
            shutil.rmtree(corpus)
            shutil.rmtree(work / f"out-{scale}x", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "benchmarks" / "results" / f"build-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"python": sys.version.split()[0], "runs": rows}, indent=1) + "\n")
    print(f"{'scale':>5}{'files':>7}{'chars':>12}{'build s':>9}{'chars/s':>10}{'RSS MB':>8}{'baseline s':>11}{'ratio':>7}")
    for r in rows:
        print(
            f"{r['scale']:>5}{r['files']:>7}{r['characters']:>12,}{r['build_seconds']:>9}"
            f"{r['build_chars_per_second']:>10,}{r['build_peak_rss_mb']:>8}{r['baseline_seconds']:>11}{r['ratio_build_to_baseline']:>7}"
        )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
