"""The build, top to bottom: the table of contents of kg.

    files    = find_digest_files(paths)                 kg.ingest
               each reused from DIR/.kg-cache when unchanged             kg.cache
               (its extractions decoded only if resolution needs them)   kg.cache.extractions
    digests  = [read_digest(f) for f in files]          kg.ingest     (bad files -> warnings)
    found    = {item: extractor.extract_item(item)}     kg.extract    (spaCy pipeline)
               the two together, in N processes                          kg.extract.parallel
    graph    = Resolver(gazetteer).resolve(...)         kg.resolve    (one node per real thing)
               only digests new since the last build's, merged into its      kg.resolve.store
    outputs  = graph.ttl, graph.json, neo4j/, html/     kg.export, kg.graph, kg.neo4j, kg.views (atomic;
               side by side in processes, as memory allows)             kg.background, kg.memory
               unchanged records copied from the last build's files      kg.export.store
"""

from __future__ import annotations

import functools
import gc
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from kg.background import in_background
from kg.cache import CACHE_DIR_NAME, ExtractionCache
from kg.cache.extractions import ItemExtractions, Redo
from kg.cache.pack import CorruptEntry
from kg.cache.store import Hit, PendingExtractions
from kg.errors import DigestReadError, KGError, NoDigestsError, OutputWriteError
from kg.export.files import paused_gc
from kg.export.rdf import write_turtle
from kg.export.store import ExportRecords, prepare as prepare_records
from kg.extract import Extractor
from kg.extract.gazetteer import load_gazetteer
from kg.extract.parallel import DigestExtraction, Store, default_jobs, extract_digests, runs_here
from kg.graph import write_json
from kg.ingest import find_digest_files
from kg.ingest.files import DIGEST_SUFFIXES
from kg.ingest.reader import DigestFile, digest_id_of
from kg.memory import DEFAULT_MAX_MEMORY_MB, free_kept, free_later, freeing_later, give_back, resident_mb, write_plan
from kg.models import CompactExtraction, Digest, KnowledgeGraph
from kg.neo4j.bundle import write_bundle
from kg.resolve import store as resolution_store
from kg.resolve.resolver import Resolver, digest_keys, forget_names
from kg.views import OVERVIEW_SIZE, write_views

log = logging.getLogger(__name__)

SAMPLE_CORPUS = Path(__file__).parent / "sample_corpus"
"""The bundled sample digests that ``kg build`` reads when given no path."""

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) during a build."""


@dataclass
class BuildResult:
    graph: KnowledgeGraph
    outputs: list[Path] = field(default_factory=list)
    errors: list[DigestReadError] = field(default_factory=list)
    characters: int = 0
    warnings: list[str] = field(default_factory=list)
    """Problems that did not change the graph (an unusable cache file, ...), one line each."""
    cached: int = 0
    """Digests whose reading and extraction came from the cache."""
    keep_resolution: Callable[[], object] | None = None
    """Stores what resolving the graph left for the next build (kg.resolve.store), then lets it
    go; ``build`` calls it while the outputs are written. Once: later calls do nothing."""


@dataclass
class FoundDigests:
    """Every digest file found, in build order, before parsing: each one reused from the cache
    (a Digest) or still to read (a DigestFile)."""

    work: list[Digest | DigestFile] = field(default_factory=list)
    errors: list[tuple[tuple[int, int], DigestReadError]] = field(default_factory=list)
    """Files that could not even be opened, each keyed by (0, its place in the build order)."""
    order: list[int] = field(default_factory=list)
    """The place in the build order of each entry of ``work``."""
    cached: dict[str, PendingExtractions] = field(default_factory=dict)
    """Digest id -> the extractions of its items, not decoded yet, for digests reused from the cache."""
    hits: dict[int, Hit] = field(default_factory=dict)
    """Place in ``work`` -> the cache entry of that file, found but not decoded yet (its ``work``
    is still the DigestFile): ``read_and_extract`` decodes it, beside extracting the new files."""


def find_digests(paths: Sequence[Path], progress: Progress | None = None, cache: ExtractionCache | None = None) -> FoundDigests:
    """Open every digest file under ``paths`` and look each up in the cache.

    A file whose name, id and bytes (SHA-256) match a cache entry will not be parsed: its entry
    goes to ``hits``, for ``read_and_extract`` to decode. The others are left for it to read.
    """
    files = find_digest_files(paths)
    found = FoundDigests()
    seen_ids: set[str] = set()
    for done, (path, root) in enumerate(files, start=1):
        if progress:
            progress("read", done, len(files))
        try:
            file = DigestFile.open(path, root)
        except DigestReadError as err:
            log.warning("%s", err)
            found.errors.append(((0, done), err))
            continue
        digest_id = digest_id_of(path, root)
        if digest_id in seen_ids:
            log.warning("%s: read twice (the same digest under two inputs); kept once", path)
            continue
        seen_ids.add(digest_id)
        hit = cache.find(path.as_posix(), digest_id, file.content_hash) if cache is not None else None
        found.order.append(done)
        found.work.append(file)
        if hit is not None:
            found.hits[len(found.work) - 1] = hit
    return found


def _take_hits(found: FoundDigests, cache: ExtractionCache) -> list[int]:
    """Decode the digests of the cache entries of ``found.hits`` into its work (their extractions
    stay pending); the places whose entry turned out corrupt (still DigestFiles, to read and
    extract)."""
    bad = []
    with paused_gc(freeze=True):  # the decoded digests live on: rescanning them cost 4% of an add-one build
        for i, hit in found.hits.items():
            taken = cache.take(hit)
            if taken is None:
                bad.append(i)
            else:
                found.work[i] = taken.digest
                found.cached[taken.digest.id] = taken.extractions
    found.hits = {}
    return bad


@dataclass
class ReadResult:
    """The digests read and extracted (in build order), and the files that could not be."""

    digests: list[Digest]
    extractions: ItemExtractions
    """Item id -> what extraction found in it (what resolution reads); a cached digest's are
    decoded when first looked up."""
    errors: list[DigestReadError]
    characters: int


def read_and_extract(
    found: FoundDigests,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
    *,
    jobs: int = 1,
    cache: ExtractionCache | None = None,
) -> ReadResult:
    """Parse and extract every digest the cache did not hold, in ``jobs`` processes.

    A file that cannot be read or extracted is reported and left out, never fatal. Digests,
    extractions and errors come back in build order whatever ``jobs`` is, so the graph does not
    depend on it. ``cache`` gets its next pack: the entries reused and the new extractions.
    """
    make = (lambda: extractor) if extractor is not None else Extractor
    store = cache.encode if cache is not None else None  # runs where each digest is extracted
    todo = [i for i, work in enumerate(found.work) if isinstance(work, DigestFile) and i not in found.hits]
    early: list[tuple[int, DigestExtraction]] = []  # extracted beside the decoding of the cache's hits
    if found.hits and cache is not None:
        if todo and jobs > 1 and runs_here([found.work[i] for i in todo], jobs):
            early, todo = _extract_while_taking_hits(found, cache, todo, make, store)
        else:
            todo += _take_hits(found, cache)
    built: list[tuple[Digest, tuple[CompactExtraction, ...] | PendingExtractions] | None] = [
        (w, found.cached[w.id]) if isinstance(w, Digest) else None for w in found.work
    ]  # in build order; None for a file that could not be read or extracted
    errors = list(found.errors)
    done = len(found.work) - len(todo) - len(early)
    # the next pack, in place when extraction ends; written beside resolution when nothing is left to extract
    with cache.saving(in_thread=not todo, coming=len(todo) + len(early)) if cache is not None else nullcontext():
        results = ((todo[r.index], r) for r in extract_digests([found.work[i] for i in todo], jobs, make, store))
        for i, result in chain(early, results):
            path = found.work[i].path.as_posix()  # type: ignore[union-attr]
            if result.unreadable is not None:
                err = DigestReadError(path, result.unreadable)
                log.warning("%s", err)
                errors.append(((0, found.order[i]), err))
            elif result.extractions is None:
                log.error("%s: extraction failed (%s)", path, result.error)
                failed = DigestReadError(path, f"could not be extracted ({result.error})")
                errors.append(((1, found.order[i]), failed))  # after every reading error, as the summary lists them
            else:
                built[i] = (result.digest, result.extractions)
                if cache is not None:
                    cache.add(result.stored)
            done += 1
            if progress:
                progress("extract", done, len(found.work))
    if progress and not todo:
        progress("extract", len(found.work), len(found.work))
    kept = [pair for pair in built if pair is not None]
    digests = [digest for digest, _ in kept]
    extractions = ItemExtractions(_extract_again(cache, make))
    for digest, item_extractions in kept:
        extractions.add(digest, item_extractions)
    characters = sum(len(item.full_text) for d in digests for item in d.items)
    return ReadResult(digests, extractions, [err for _, err in sorted(errors, key=lambda e: e[0])], characters)


def _extract_again(cache: ExtractionCache | None, make: Callable[[], Extractor]) -> Redo:
    """For ItemExtractions: extract again, in this process, a digest whose cached extractions
    turned out corrupt when decoded, and have the cache rebuilt by the next build."""
    extractor = functools.cache(make)  # made on first need only

    def redo(digest: Digest, pending: PendingExtractions, err: CorruptEntry) -> tuple[CompactExtraction, ...]:
        if cache is not None:  # always: only the cache's extractions are pending
            cache.distrust(pending, str(err))
        return tuple(map(CompactExtraction.of, extractor().extract(digest)))

    return redo


def _extract_while_taking_hits(
    found: FoundDigests, cache: ExtractionCache, todo: list[int], make: Callable[[], Extractor], store: Store | None
) -> tuple[list[tuple[int, DigestExtraction]], list[int]]:
    """Extract the few new files ``todo`` in a forked process while this one decodes the cache's
    hits (an add-one build: the two take about as long). Returns the results with their places
    in ``found.work``, and the places still to extract here (hits whose entry was corrupt, or
    every one of ``todo`` if the process died)."""
    work = [found.work[i] for i in todo]
    bad: list[int] = []
    try:
        with in_background(lambda: list(extract_digests(work, 1, make, store)), doing="extracting the new digests") as results:
            bad = _take_hits(found, cache)
    except KGError as err:  # it died (killed, out of memory): extract here instead
        log.warning("%s; extracting the new digests in this process", err)
        return [], todo + bad
    return [(todo[r.index], r) for r in results[0]], bad


def build_graph(
    paths: Sequence[Path],
    progress: Progress | None = None,
    *,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> BuildResult:
    """Read, extract and resolve: everything but writing.

    ``cache_dir``: the extraction cache's folder (None: no cache); ``use_cache=False`` ignores
    what it holds but still rewrites it. ``jobs``: reading and extraction processes (None: one
    per core).
    """
    cache = ExtractionCache(cache_dir, read=use_cache) if cache_dir is not None else None
    warnings: list[str] = []
    try:
        found = find_digests(paths, progress, cache)
        read = read_and_extract(found, None, progress, jobs=default_jobs() if jobs is None else jobs, cache=cache)
        if not read.digests:
            reasons = "; ".join(str(e) for e in read.errors[:3]) or f"no {', '.join(sorted(DIGEST_SUFFIXES))} file found"
            raise NoDigestsError(f"no digest could be built ({reasons})")
        with paused_gc(freeze=True):  # the graph, and what resolving it left
            kept, problem = resolution_store.load(cache_dir, digest_keys(read.digests)) if cache_dir is not None and use_cache else (None, None)
            resolved = Resolver(load_gazetteer()).resolve_keeping(read.digests, read.extractions, kept.resolution if kept else None)
        warnings += [problem] if problem else []
        free_later(found, read)  # the extractions are not needed any more, but dropping them takes time
        forget_names()
        give_back()  # what extracting and resolving freed, before writers copy this process
    finally:
        if cache is not None:
            cache.close()  # the pack may be written while resolving
    if cache is not None:
        warnings = cache.warnings() + warnings
    for line in warnings:
        log.warning("%s", line)
    return BuildResult(
        graph=resolved.graph,
        errors=read.errors,
        characters=read.characters,
        warnings=warnings,
        cached=len(found.cached),
        keep_resolution=_Once(functools.partial(resolution_store.save, cache_dir, resolved, kept)) if cache_dir is not None else None,
    )


def write_outputs(
    graph: KnowledgeGraph,
    out_dir: Path,
    overview_size: int = OVERVIEW_SIZE,
    jobs: int = 1,
    reuse_pages: bool = True,
    max_memory_mb: float = DEFAULT_MAX_MEMORY_MB,
    reuse_exports: bool = True,
    warnings: list[str] | None = None,
    then: Callable[[], object] | None = None,
) -> list[Path]:
    """Write graph.ttl, graph.json, the Neo4j bulk-import bundle (neo4j/) and the HTML views (html/).

    With ``jobs`` > 1, Turtle, JSON and the bundle are written in up to ``jobs - 1`` forked
    processes (each preparing the records it reuses) while this one writes the views, whose
    pages are shared among the processes left: never more than ``jobs`` at once, and only as
    many as ``max_memory_mb`` affords (kg.memory). ``reuse_pages``: HTML pages whose content is
    unchanged since the last build are linked from it instead of rendered again
    (kg.views.reuse); ``reuse_exports``: the records of the exports made from parts of the graph
    unchanged since the last build are copied from its files (kg.export.store); False renders
    and serializes everything. A problem with what the last build left is one line added to
    ``warnings``. ``then``: more work for this process, done once the views are written while
    the exports' processes still write, or, when everything is written here, first (so that
    what it lets go is gone before the writers need memory).
    """
    outputs = [out_dir / "graph.ttl", out_dir / "graph.json"]
    writers: dict[str, Callable[[ExportRecords | None], object]] = {
        "graph.ttl": lambda records: write_turtle(graph, outputs[0], records),
        "graph.json": lambda records: write_json(graph, outputs[1], records),
        "neo4j": lambda records: write_bundle(graph, out_dir, records),
    }
    plan = write_plan(jobs, max_memory_mb, resident_mb(), len(writers))
    if then is not None and plan.background == 0:  # no process to do it beside: first, then
        then()
        then = None
        give_back()
    # each process that writes exports prepares their records itself (the scope keys of the
    # whole graph): with one such process beside the views, that work is off the views' path
    tasks = [
        functools.partial(_write_exports, graph, Path(out_dir) / CACHE_DIR_NAME, reuse_exports, [(n, writers[n]) for n in names])
        for names in _grouped(list(writers), plan.background)
    ]
    with in_background(*tasks, enabled=plan.background > 0) as problems:
        views = write_views(
            graph,
            out_dir,
            overview_size,
            jobs=plan.page_processes,
            reuse=reuse_pages,
            cache_dir=Path(out_dir) / CACHE_DIR_NAME,
        )
        if then is not None:
            then()
        free_kept()  # while the exports' processes still write
    problem = next((p for p in problems if p is not None), None)  # every process met the same stores
    if problem is not None:
        log.warning("%s", problem)
        if warnings is not None:
            warnings.append(problem)
    return [*outputs, out_dir / "neo4j", views.folder / "index.html"]


def _write_exports(
    graph: KnowledgeGraph, store: Path, reuse: bool, writers: list[tuple[str, Callable[[ExportRecords | None], object]]]
) -> str | None:
    """Prepare the exports' records (kg.export.store) and run ``writers`` (export name, writer)
    in order; the one line about stores that could not be used, if any."""
    with paused_gc(freeze=True):  # the records, kept until the exports are written
        records, problem = prepare_records(graph, store, read=reuse)
    for name, write in writers:
        write((records or {}).get(name))
    free_later(records)  # in a forked writer: never (it ends without freeing them)
    return problem


def _grouped(names: list[str], groups: int) -> list[list[str]]:
    """``names`` in ``groups`` consecutive shares (at least one)."""
    size = -(-len(names) // max(groups, 1))
    return [names[i : i + size] for i in range(0, len(names), size)]


def build(
    paths: Sequence[Path],
    out_dir: Path,
    progress: Progress | None = None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    overview_size: int = OVERVIEW_SIZE,
    max_memory_mb: float = DEFAULT_MAX_MEMORY_MB,
) -> BuildResult:
    """``kg build``: digests in, graph files out.

    Reading and extraction of each digest are cached in ``out_dir/.kg-cache`` and reused while
    the file's bytes and kg's extraction code and data are unchanged, and so are the exports'
    records of unchanged parts of the graph and unchanged HTML pages; ``use_cache=False``
    trusts nothing from earlier runs: it rebuilds everything (and rewrites the cache). ``jobs``: extraction and page-writing
    processes (None: one per core), as many as ``max_memory_mb`` affords while writing.
    ``overview_size``: entities in html/index.html's graph.
    """
    jobs = default_jobs() if jobs is None else jobs
    with _fewer_collections(), freeing_later(max_memory_mb):
        result = build_graph(paths or [SAMPLE_CORPUS], progress, jobs=jobs, cache_dir=Path(out_dir) / CACHE_DIR_NAME, use_cache=use_cache)
        gc.freeze()  # what is alive now lives until the end: the collector need not scan it again
        try:
            result.outputs = write_outputs(
                result.graph,
                out_dir,
                overview_size,
                jobs=jobs,
                reuse_pages=use_cache,
                max_memory_mb=max_memory_mb,
                reuse_exports=use_cache,
                warnings=result.warnings,
                then=result.keep_resolution,
            )
        except OSError as err:
            where = err.filename or out_dir
            raise OutputWriteError(f"{where}: cannot write the outputs ({err.strerror or err}); each output is either whole or as before") from None
    return result


class _Once:
    """A call to make later, once; what it needs is let go as soon as it is made."""

    def __init__(self, call: Callable[[], object]) -> None:
        self._call: Callable[[], object] | None = call

    def __call__(self) -> None:
        call, self._call = self._call, None
        if call is not None:
            call()


@contextmanager
def _fewer_collections(first_generation: int = 50_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often for the duration of a build.

    A build allocates millions of small objects that stay alive to the end; with the default
    thresholds the collector rescans them again and again (measured: about half the time of a
    build from the cache on 1,000 digests). Restores the thresholds and unfreezes on exit.
    """
    before = gc.get_threshold()
    gc.set_threshold(first_generation, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
