"""The ``kg`` command: thin commands over the library; every error becomes one clear line.

Exit codes: 0 success; 1 the command could not do its job (a KGError, said in one line);
2 bad usage (argparse); 3 an unexpected internal error (one line; KG_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import NoReturn

from kg import __version__
from kg.errors import KGError
from kg.memory import DEFAULT_MAX_MEMORY_MB

log = logging.getLogger("kg")

EXAMPLES = {
    "build": "kg build                       # the bundled sample corpus -> ./exports\n"
    "  kg build ~/digests --out out    # every .md/.markdown/.txt/.srt/.vtt under ~/digests -> out/\n"
    "  kg build ~/digests --out out    # again: only new or changed digests are extracted (out/.kg-cache)\n"
    "  kg build ~/digests --jobs 4     # extract in 4 processes\n"
    "  kg build ~/digests --max-memory 8000   # let writing use up to 8 GB, in more processes\n"
    "  kg build ~/digests --no-cache   # read and extract everything again (and rewrite the cache)\n"
    "  kg build ~/digests --overview-size 500   # 500 entities in the overview of html/index.html",
    "view": "kg view                        # print the overview page of ./exports (opens it on a desktop)\n"
    "  kg view 字节跳动                 # the page of ByteDance, by any of its names\n"
    "  kg view DeepSeek-V3 --out out --no-open",
    "eval": "kg eval tests/data/gold/dev --corpus ../shared/corpus --out /tmp/dev-build\n"
    "  kg eval GOLD_DIR               # score the build already in ./exports",
    "export": "kg export rdf exports --format nt jsonld trig nq   # beside exports/graph.ttl",
    "sparql": "kg sparql --list\n"
    "  kg sparql --name models-by-organization --param org=字节跳动\n"
    "  kg sparql 'SELECT ?m WHERE { ?m a kg:Model } LIMIT 5' --format csv\n"
    "  kg sparql -f my.rq --endpoint http://127.0.0.1:7878/query",
    "rdf": "kg rdf push exports --endpoint http://127.0.0.1:7878/store --graph https://example.org/digests",
    "serve": "kg serve sparql exports --port 7878   # then query http://127.0.0.1:7878/query",
    "validate": "kg validate                    # the build in ./exports\n  kg validate out/graph.ttl --limit 200",
    "neo4j": "kg neo4j serve                 # bolt://127.0.0.1:7687, data in a temporary folder\n"
    "  kg neo4j serve --port 7688 --data ~/.local/share/kg/neo4j\n"
    "  kg neo4j load exports --uri bolt://127.0.0.1:7687\n"
    "  NEO4J_PASSWORD=... kg neo4j load exports --uri bolt://db.example:7687 --user neo4j --replace",
    "cypher": "kg cypher list\n"
    "  kg cypher run leaderboard --param 'benchmark=SWE-bench Verified' --uri bolt://127.0.0.1:7687\n"
    "  kg cypher run models-of-organization --param org=字节跳动 --format csv",
}


def _command(parent, name: str, *, help: str, example: str, description: str | None = None) -> argparse.ArgumentParser:
    """A (sub)command with its help, description and examples: every command shows examples."""
    return parent.add_parser(
        name,
        help=help,
        description=description or help,
        epilog="examples:\n  " + EXAMPLES[example],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build a linked knowledge graph from AI news digests.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every step (to stderr)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = _command(
        sub,
        "build",
        help="read digests and write the graph (RDF, JSON, Neo4j bundle, HTML views)",
        description="Read digests (files or folders, recursively: .md, .markdown, .txt, and .srt/.vtt subtitles), extract "
        "entities and relations, link them across digests and write DIR/graph.ttl, DIR/graph.json, "
        "the Neo4j bundle DIR/neo4j/ and the HTML explorer DIR/html/ (open DIR/html/index.html). "
        "What was read and extracted from each digest is kept in DIR/.kg-cache and reused while the file and "
        "kg's extraction code and data are unchanged; the output is the same as a build without it.",
        example="build",
    )
    build.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="digest files or folders (default: the bundled sample corpus)")
    build.add_argument("--out", type=Path, default=Path("exports"), metavar="DIR", help="output folder (default: ./exports)")
    build.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        metavar="N",
        help="extract and write pages in N processes (default: one per core); the output does not depend on N",
    )
    build.add_argument(
        "--no-cache",
        dest="use_cache",
        action="store_false",
        help="ignore DIR/.kg-cache: read and extract every digest again, then rewrite the cache",
    )
    build.add_argument(
        "--max-memory", type=_positive, default=DEFAULT_MAX_MEMORY_MB, metavar="MB",
        help=f"memory the build may use while writing, all processes together (default: {DEFAULT_MAX_MEMORY_MB}); "
        "it writes the outputs side by side in as many processes as fit, one after another when none does",
    )
    build.add_argument(
        "--overview-size", type=_positive, default=150, metavar="N",
        help="entities drawn in the overview graph of html/index.html, the most mentioned first (default: 150)",
    )
    build.set_defaults(run=_cmd_build)

    view = _command(
        sub,
        "view",
        help="print the path of an HTML page: the overview, or the page of an entity or digest",
        description="Print the path of the overview (DIR/html/index.html), or of the page of the entity "
        "or digest called NAME (any name or alias, Chinese or English). On a desktop it also opens it.",
        example="view",
    )
    view.add_argument("name", nargs="?", metavar="NAME", help="an entity's name or alias, or a digest's title or file name")
    view.add_argument("--out", type=Path, default=Path("exports"), metavar="DIR", help="the build folder (default: ./exports)")
    view.add_argument("--no-open", action="store_true", help="only print the path, never open a browser")
    view.set_defaults(run=_cmd_view)

    ev = _command(
        sub,
        "eval",
        help="score a build against gold annotation files",
        description="Print precision, recall and F1 per entity type, cross-digest linking accuracy and "
        "relation precision, recall and F1 per relation type of the build in DIR against the gold files in GOLD_DIR (annotation-guidelines format). "
        "Writes the full report, with every miss and false positive, to DIR/eval.json.",
        example="eval",
    )
    ev.add_argument("gold", type=Path, metavar="GOLD_DIR", help="folder of gold JSON files")
    ev.add_argument("--out", type=Path, default=Path("exports"), metavar="DIR", help="the build to score (default: ./exports)")
    ev.add_argument("--corpus", type=Path, nargs="+", metavar="PATH", help="build these digests into DIR first")
    ev.set_defaults(run=_cmd_eval)

    export = _command(sub, "export", help="write the build in other formats", example="export")
    export_sub = export.add_subparsers(dest="what", metavar="WHAT", required=True)
    export_rdf = _command(
        export_sub,
        "rdf",
        help="RDF formats: Turtle, N-Triples, JSON-LD, TriG and N-Quads (one named graph per digest)",
        description="Convert DIR/graph.ttl into DIR/graph.<ext> for each format. TriG and N-Quads put each "
        "digest's statements in a named graph (the digest's IRI); JSON-LD uses the published context "
        "(ontology/context.jsonld, copied beside it).",
        example="export",
    )
    export_rdf.add_argument("dir", type=Path, nargs="?", default=Path("exports"), metavar="DIR", help="the build folder (default: ./exports)")
    export_rdf.add_argument("--format", nargs="+", default=["nt", "jsonld", "trig", "nq"], choices=["ttl", "nt", "jsonld", "trig", "nq"])
    export_rdf.set_defaults(run=_cmd_export_rdf)

    sparql = _command(
        sub,
        "sparql",
        help="run a SPARQL query (or a named one) over a build or an endpoint",
        description="Run QUERY, -f FILE or --name NAME over DIR/graph.ttl (pyoxigraph) or a SPARQL endpoint. "
        "The prefixes kg kgid rdf rdfs skos xsd prov schema dcterms wd are declared for you.",
        example="sparql",
    )
    source = sparql.add_mutually_exclusive_group()
    source.add_argument("query", nargs="?", help="the query text")
    source.add_argument("-f", "--file", type=Path, help="read the query from a file")
    source.add_argument("--name", help="a query from the pack (see --list)")
    source.add_argument("--list", action="store_true", help="list the named queries")
    sparql.add_argument("--param", action="append", default=[], metavar="K=V", help="a parameter of a named query")
    sparql.add_argument("--data", type=Path, default=Path("exports"), metavar="DIR", help="the build to query (default: ./exports)")
    sparql.add_argument("--endpoint", metavar="URL", help="query this SPARQL endpoint instead of a build")
    sparql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sparql.set_defaults(run=_cmd_sparql)

    rdf = _command(sub, "rdf", help="send the RDF export to a SPARQL endpoint", example="rdf")
    rdf_sub = rdf.add_subparsers(dest="what", metavar="WHAT", required=True)
    push = _command(
        rdf_sub,
        "push",
        help="load DIR/graph.ttl into a SPARQL 1.1 Graph Store endpoint (Oxigraph, Fuseki, GraphDB, Virtuoso)",
        description="PUT (replace, the default) or POST (--merge) DIR/graph.ttl into the named graph --graph, "
        "or the default graph, of a Graph Store Protocol endpoint.",
        example="rdf",
    )
    push.add_argument("dir", type=Path, nargs="?", default=Path("exports"), metavar="DIR")
    push.add_argument("--endpoint", required=True, metavar="URL", help="the Graph Store endpoint (Oxigraph: http://HOST:PORT/store)")
    push.add_argument("--graph", metavar="IRI", help="the named graph to load into (default: the default graph)")
    push.add_argument("--merge", action="store_true", help="add to the graph instead of replacing it")
    push.set_defaults(run=_cmd_rdf_push)

    serve = _command(sub, "serve", help="serve a build over a local endpoint", example="serve")
    serve_sub = serve.add_subparsers(dest="what", metavar="WHAT", required=True)
    serve_sparql = _command(
        serve_sub,
        "sparql",
        help="a read-only SPARQL endpoint (Oxigraph) on 127.0.0.1 loaded with DIR/graph.ttl",
        example="serve",
    )
    serve_sparql.add_argument("dir", type=Path, nargs="?", default=Path("exports"), metavar="DIR")
    serve_sparql.add_argument("--port", type=int, default=7878)
    serve_sparql.set_defaults(run=_cmd_serve_sparql)

    val = _command(
        sub,
        "validate",
        help="check a build's graph.ttl against the SHACL shapes",
        description="Validate DIR/graph.ttl (or a Turtle file) against ontology/shapes.ttl and print each "
        "violation (focus node, path, message). Exit 0 when it conforms, 1 when not.",
        example="validate",
    )
    val.add_argument("dir", nargs="?", type=Path, default=Path("exports"), metavar="DIR", help="a build folder or a .ttl file (default: ./exports)")
    val.add_argument("--limit", type=int, default=50, metavar="N", help="show at most N violations (default: 50)")
    val.set_defaults(run=_cmd_validate)

    neo4j = _command(sub, "neo4j", help="a local Neo4j server", example="neo4j")
    neo4j_sub = neo4j.add_subparsers(dest="what", metavar="WHAT", required=True)
    neo4j_serve = _command(
        neo4j_sub,
        "serve",
        help="run Neo4j 5.26 Community on 127.0.0.1 with authentication off (needs Java 17 and Maven)",
        description="Build (once, from Maven Central) and run a local Neo4j 5.26 LTS Community server bound to "
        "127.0.0.1 only, with authentication disabled; prints its Bolt URI and runs until Ctrl-C or SIGTERM.",
        example="neo4j",
    )
    neo4j_serve.add_argument("--port", type=int, default=7687)
    neo4j_serve.add_argument("--data", type=Path, metavar="DIR", help="keep the database here (default: a temporary folder)")
    neo4j_serve.add_argument("--import-dir", type=Path, metavar="DIR", help="the folder LOAD CSV reads from")
    neo4j_serve.set_defaults(run=_cmd_neo4j_serve)
    neo4j_load = _command(
        neo4j_sub,
        "load",
        help="load a build into Neo4j over Bolt (idempotent: MERGE on stable ids)",
        description="Load DIR/graph.json into Neo4j: constraints first, then nodes by label and relationships by "
        "type in UNWIND batches. Loading the same build twice changes nothing; --replace also removes kg's own "
        "nodes and relationships the build no longer has (never other data). The password comes from "
        "NEO4J_PASSWORD or a prompt, and only when --user is given.",
        example="neo4j",
    )
    neo4j_load.add_argument("dir", type=Path, nargs="?", default=Path("exports"), metavar="DIR", help="the build folder (default: ./exports)")
    neo4j_load.add_argument("--uri", default="bolt://127.0.0.1:7687", help="the server's Bolt URI (default: bolt://127.0.0.1:7687)")
    neo4j_load.add_argument("--user", help="user name, when the server checks passwords (password: NEO4J_PASSWORD or a prompt)")
    neo4j_load.add_argument("--database", default="neo4j")
    neo4j_load.add_argument("--batch-size", type=int, default=5000, metavar="N", help="rows per transaction (default: 5000)")
    neo4j_load.add_argument("--replace", action="store_true", help="also remove kg's nodes and relationships the build no longer has")
    neo4j_load.set_defaults(run=_cmd_neo4j_load)

    cypher = _command(sub, "cypher", help="the Cypher query pack, run against Neo4j", example="cypher")
    cypher_sub = cypher.add_subparsers(dest="what", metavar="WHAT", required=True)
    cypher_list = _command(cypher_sub, "list", help="list the named Cypher queries and their parameters", example="cypher")
    cypher_list.set_defaults(run=_cmd_cypher_list)
    cypher_run = _command(cypher_sub, "run", help="run a named Cypher query", example="cypher")
    cypher_run.add_argument("name", help="a query from `kg cypher list`")
    cypher_run.add_argument("--param", action="append", default=[], metavar="K=V", help="a parameter of the query")
    cypher_run.add_argument("--uri", default="bolt://127.0.0.1:7687")
    cypher_run.add_argument("--user", help="user name (password: NEO4J_PASSWORD or a prompt)")
    cypher_run.add_argument("--database", default="neo4j")
    cypher_run.add_argument("--format", choices=["table", "csv", "json"], default="table")
    cypher_run.set_defaults(run=_cmd_cypher_run)
    return parser


def _params(pairs: list[str]) -> dict[str, str]:
    values = {}
    for item in pairs:
        key, sep, value = item.partition("=")
        if not sep:
            raise KGError(f"--param {item!r}: write it as NAME=VALUE")
        values[key.strip()] = value
    return values


def _password(user: str | None) -> str | None:
    """NEO4J_PASSWORD, or a prompt; never the command line. No user, no credentials."""
    if user is None:
        return None
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        import getpass

        if not sys.stdin.isatty():
            raise KGError(f"--user {user} needs a password: set NEO4J_PASSWORD")
        password = getpass.getpass(f"Neo4j password for {user}: ")
    return password


def _cmd_neo4j_load(args: argparse.Namespace) -> int:
    from kg.neo4j.loader import load_graph

    summary = load_graph(
        args.dir,
        args.uri,
        args.user,
        _password(args.user),
        database=args.database,
        batch_size=args.batch_size,
        replace=args.replace,
        progress=_progress_printer(sys.stderr.isatty()),
    )
    def line(created: dict[str, int], updated: dict[str, int]) -> str:
        keys = sorted(set(created) | set(updated))
        return ", ".join(f"{k} {created.get(k, 0)}+{updated.get(k, 0)}" for k in keys) or "none"

    print(f"loaded {args.dir} into {args.uri} (Neo4j {summary.server_version}, database {args.database}) in {summary.seconds:.1f} s")
    print(f"nodes          {line(summary.nodes_created, summary.nodes_updated)}   (created+updated)")
    print(f"relationships  {line(summary.relationships_created, summary.relationships_updated)}")
    if args.replace:
        print(f"removed        {summary.nodes_deleted} nodes, {summary.relationships_deleted} relationships no longer in the build")
    return 0


def _cmd_cypher_list(args: argparse.Namespace) -> int:
    from kg.neo4j.queries import query_pack

    for q in query_pack().values():
        print(f"{q.name:<26}{q.description}")
        if q.params:
            print(f"{'':<26}" + " ".join(f"--param {p}={example!r}" for p, example, _ in q.params))
    return 0


def _cmd_cypher_run(args: argparse.Namespace) -> int:
    from kg.neo4j.queries import run
    from kg.tables import format_result

    result = run(args.name, _params(args.param), args.uri, args.user, _password(args.user), args.database)
    print(format_result(result, args.format))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from kg.validate import format_report, validate_export

    report = validate_export(args.dir)
    print(format_report(report, limit=args.limit))
    return 0 if report.conforms else 1


def _cmd_neo4j_serve(args: argparse.Namespace) -> int:
    from kg.neo4j.server import serve

    return serve(port=args.port, data_dir=args.data, import_dir=args.import_dir) or 0


def _cmd_export_rdf(args: argparse.Namespace) -> int:
    from kg.export.formats import export_rdf

    for path in export_rdf(args.dir, list(dict.fromkeys(args.format))):
        print(f"wrote {path}")
    return 0


def _cmd_sparql(args: argparse.Namespace) -> int:
    from kg import sparql
    from kg.tables import format_result

    if args.list:
        for q in sparql.query_pack().values():
            params = " ".join(f"--param {p}={example!r}" for p, example, _ in q.params)
            print(f"{q.name:<28}{q.description}")
            if params:
                print(f"{'':<28}{params}")
        return 0
    values = _params(args.param)
    if args.name:
        query = sparql.named_query(args.name, values)
    elif args.file:
        try:
            query = args.file.read_text(encoding="utf-8")
        except OSError as err:
            raise KGError(f"{args.file}: cannot read the query ({err.strerror})") from None
    elif args.query:
        query = args.query
    else:
        raise KGError("give a query, -f FILE, --name NAME or --list")
    if args.endpoint:
        result = sparql.run_remote(args.endpoint, query)
    else:
        result = sparql.run_local(sparql.load_store(args.data), query)
    print(format_result(result, args.format))
    return 0


def _cmd_rdf_push(args: argparse.Namespace) -> int:
    from kg.endpoint import push

    sent = push(args.dir, args.endpoint, args.graph, replace=not args.merge)
    target = args.graph or "the default graph"
    print(f"{'merged into' if args.merge else 'replaced'} {target} at {args.endpoint} ({sent:,} bytes of Turtle)")
    return 0


def _cmd_serve_sparql(args: argparse.Namespace) -> int:
    import signal as signals

    from kg.endpoint import start_oxigraph

    # SIGTERM stops the server like Ctrl-C; set before anything is printed, so no stop is missed
    signals.signal(signals.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    server = start_oxigraph(args.port, args.dir, read_only=True)
    print(f"SPARQL endpoint (read-only, 127.0.0.1 only): {server.query_url}", flush=True)
    print("stop with Ctrl-C", flush=True)
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


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

    result = build(
        args.paths,
        args.out,
        _progress_printer(sys.stderr.isatty()),
        jobs=args.jobs,
        use_cache=args.use_cache,
        overview_size=args.overview_size,
        max_memory_mb=args.max_memory,
    )
    g = result.graph
    items = sum(len(d.items) for d in g.digests)
    types = Counter(e.type for e in g.entities)
    relations = Counter(r.type for r in g.relations)
    print(f"digests   {len(g.digests)} built, {len(result.errors)} skipped; {items} items, {result.characters:,} characters")
    print("entities  " + ", ".join(f"{t} {types.get(t, 0)}" for t in ("Organization", "Model", "Paper", "Benchmark", "Technique")))
    print("relations " + (", ".join(f"{t} {n}" for t, n in sorted(relations.items())) or "none") + f"; co-mention links {len(g.co_mentions)}")
    extracted = len(g.digests) - result.cached
    print(f"cache     {result.cached} digests reused, {extracted} read and extracted ({args.out / '.kg-cache'})")
    for err in result.errors:
        print(f"warning   {err}")
    for line in result.warnings:
        print(f"warning   {line}")
    for path in result.outputs:
        print(f"wrote     {path}")
    return 0


def _cmd_view(args: argparse.Namespace) -> int:
    from kg.views.lookup import find_pages, open_in_browser

    pages = find_pages(args.out, args.name)
    for page in pages:
        print(page.path if len(pages) == 1 else f"{page.path}\t{page.type}\t{page.name}")
    if len(pages) == 1 and not args.no_open:
        open_in_browser(pages[0].path)
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


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


def run() -> NoReturn:
    """The ``kg`` command: ``main`` with the process's arguments, then exit with its code.

    Before exiting, everything still alive is frozen out of the garbage collector's reach: the
    interpreter's last collection would otherwise scan a whole graph that dies with the process
    (0.14 s after adding one digest to 1,000, about a tenth of that command's time)."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
