"""The ``kg`` command: thin commands over the library; every error becomes one clear line.

Exit codes: 0 success; 1 the command could not do its job (a KGError, said in one line);
2 bad usage (argparse); 3 an unexpected internal error (one line; KG_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections import Counter
from pathlib import Path

from kg import __version__
from kg.errors import KGError

log = logging.getLogger("kg")

EXAMPLES = {
    "build": "kg build                       # the bundled sample corpus -> ./exports\n"
    "  kg build ~/digests --out out    # every .md/.markdown/.txt under ~/digests -> out/",
    "eval": "kg eval tests/data/gold/dev --corpus ../shared/corpus --out /tmp/dev-build\n"
    "  kg eval GOLD_DIR               # score the build already in ./exports",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build a linked knowledge graph from AI news digests.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every step (to stderr)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser(
        "build",
        help="read digests and write the graph (RDF Turtle and networkx JSON)",
        description="Read digests (files or folders, recursively: .md, .markdown, .txt), extract "
        "entities and relations, link them across digests and write DIR/graph.ttl and DIR/graph.json.",
        epilog="examples:\n  " + EXAMPLES["build"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="digest files or folders (default: the bundled sample corpus)")
    build.add_argument("--out", type=Path, default=Path("exports"), metavar="DIR", help="output folder (default: ./exports)")
    build.set_defaults(run=_cmd_build)

    ev = sub.add_parser(
        "eval",
        help="score a build against gold annotation files",
        description="Print precision, recall and F1 per entity type, cross-digest linking accuracy and "
        "relation recall of the build in DIR against the gold files in GOLD_DIR (annotation-guidelines format). "
        "Writes the full report, with every miss and false positive, to DIR/eval.json.",
        epilog="examples:\n  " + EXAMPLES["eval"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ev.add_argument("gold", type=Path, metavar="GOLD_DIR", help="folder of gold JSON files")
    ev.add_argument("--out", type=Path, default=Path("exports"), metavar="DIR", help="the build to score (default: ./exports)")
    ev.add_argument("--corpus", type=Path, nargs="+", metavar="PATH", help="build these digests into DIR first")
    ev.set_defaults(run=_cmd_eval)
    return parser


def _progress_printer(enabled: bool):
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True)
    tasks: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if total < 20:
            return
        if not bar.live.is_started:
            bar.start()
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done)
        if stage == "extract" and done == total:
            bar.stop()

    return progress


def _cmd_build(args: argparse.Namespace) -> int:
    from kg.pipeline import build

    result = build(args.paths, args.out, _progress_printer(sys.stderr.isatty()))
    g = result.graph
    items = sum(len(d.items) for d in g.digests)
    types = Counter(e.type for e in g.entities)
    relations = Counter(r.type for r in g.relations)
    print(f"digests   {len(g.digests)} built, {len(result.errors)} skipped; {items} items, {result.characters:,} characters")
    print("entities  " + ", ".join(f"{t} {types.get(t, 0)}" for t in ("Organization", "Model", "Paper", "Benchmark", "Technique")))
    print("relations " + (", ".join(f"{t} {n}" for t, n in sorted(relations.items())) or "none") + f"; co-mention links {len(g.co_mentions)}")
    for err in result.errors:
        print(f"warning   {err}")
    for path in result.outputs:
        print(f"wrote     {path}")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    import json

    from kg.evaluation import evaluate, format_report, load_gold
    from kg.export.files import write_atomic
    from kg.graph import read_graph_json
    from kg.pipeline import build

    gold = load_gold(args.gold)
    if args.corpus:
        build(args.corpus, args.out)
    graph_file = args.out / "graph.json"
    if not graph_file.is_file():
        raise KGError(f"{graph_file}: no build to score; run `kg build PATH --out {args.out}` first, or pass --corpus PATH")
    report = evaluate(gold, read_graph_json(graph_file.read_bytes()))
    print(format_report(report))
    report_file = args.out / "eval.json"
    write_atomic(report_file, (json.dumps(report.as_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    print(f"wrote {report_file}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.ERROR,
        format="kg: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except KGError as err:
        print(f"kg: error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (head, less) went away: nothing left to say
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("kg: interrupted; outputs already written are complete, the rest were not started", file=sys.stderr)
        return 130
    except Exception as err:  # the user gets one line; developers ask for the traceback
        if os.environ.get("KG_DEBUG"):
            raise
        print(f"kg: internal error: {type(err).__name__}: {err} (set KG_DEBUG=1 for the traceback)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
