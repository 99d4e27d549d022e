"""The build, top to bottom: the table of contents of kg.

    files    = find_digest_files(paths)                 kg.ingest
    digests  = [read_digest(f) for f in files]          kg.ingest     (bad files -> warnings)
    found    = {item: extractor.extract_item(item)}     kg.extract    (spaCy pipeline; N processes)
               both reused from DIR/.kg-cache for unchanged files          kg.cache
    graph    = Resolver(gazetteer).resolve(...)         kg.resolve    (one node per real thing)
    outputs  = graph.ttl, graph.json, neo4j/, html/     kg.export, kg.graph, kg.neo4j, kg.views (atomic)
"""

from __future__ import annotations

import gc
import hashlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kg.cache import CACHE_DIR_NAME, ExtractionCache
from kg.errors import DigestReadError, NoDigestsError
from kg.export.rdf import write_turtle
from kg.extract import Extractor
from kg.extract.gazetteer import load_gazetteer
from kg.extract.parallel import default_jobs, extract_digests
from kg.graph import graph_data, write_graph_json
from kg.ingest import find_digest_files
from kg.ingest.reader import digest_id_of, read_digest_bytes, read_file_bytes
from kg.models import Digest, ItemExtraction, KnowledgeGraph
from kg.neo4j.bundle import write_bundle
from kg.resolve.resolver import Resolver
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


@dataclass
class ReadResult:
    """The digests read (in build order), the files that could not be, and what the cache held."""

    digests: list[Digest]
    errors: list[DigestReadError]
    characters: int
    cached: dict[str, tuple[ItemExtraction, ...]] = field(default_factory=dict)
    """Digest id -> the extractions of its items, for digests reused from the cache."""


def read_digests(
    paths: Sequence[Path], progress: Progress | None = None, cache: ExtractionCache | None = None
) -> ReadResult:
    """Read every digest under ``paths``; unreadable files become errors, the rest go on.

    With a cache, a file whose name, id and bytes (SHA-256) match an entry is not parsed: its
    Digest and extractions come from the entry.
    """
    files = find_digest_files(paths)
    result = ReadResult([], [], 0)
    seen_ids: set[str] = set()
    for done, (path, root) in enumerate(files, start=1):
        try:
            data = read_file_bytes(path)
            digest_id = digest_id_of(path, root)
            hit = cache.get(path.as_posix(), digest_id, hashlib.sha256(data).hexdigest()) if cache is not None else None
            digest = hit.digest if hit else read_digest_bytes(data, path, root)
        except DigestReadError as err:
            log.warning("%s", err)
            result.errors.append(err)
            continue
        if digest.id in seen_ids:
            log.warning("%s: read twice (the same digest under two inputs); kept once", path)
            continue
        seen_ids.add(digest.id)
        result.digests.append(digest)
        if hit:
            result.cached[digest.id] = hit.extractions
        result.characters += sum(len(i.full_text) for i in digest.items)
        if progress:
            progress("read", done, len(files))
    return result


def extract_all(
    digests: Sequence[Digest],
    extractor: Extractor | None = None,
    progress: Progress | None = None,
    *,
    jobs: int = 1,
    cached: Mapping[str, tuple[ItemExtraction, ...]] | None = None,
    cache: ExtractionCache | None = None,
) -> tuple[dict[str, ItemExtraction], list[DigestReadError]]:
    """Extract every digest; one whose extraction fails is reported and left out, not fatal.

    Digests in ``cached`` (by id) are not extracted again; the others are, in ``jobs`` processes
    (see kg.extract.parallel), and stored in ``cache``. Extractions and failures come back in
    the order of ``digests`` whatever ``jobs`` is, so the graph does not depend on it.
    """
    cached = cached or {}
    todo = [d for d in digests if d.id not in cached]
    found: dict[str, tuple[ItemExtraction, ...]] = dict(cached)
    failed: dict[str, DigestReadError] = {}
    make = (lambda: extractor) if extractor is not None else Extractor
    done = len(digests) - len(todo)
    for result in extract_digests(todo, jobs, make):
        digest = todo[result.index]
        if result.extractions is None:
            log.error("%s: extraction failed (%s)", digest.path, result.error)
            failed[digest.id] = DigestReadError(digest.path, f"could not be extracted ({result.error})")
        else:
            found[digest.id] = result.extractions
            if cache is not None:
                cache.put(digest, result.extractions)
        done += 1
        if progress:
            progress("extract", done, len(digests))
    if progress and not todo:
        progress("extract", len(digests), len(digests))
    extractions = {x.item_id: x for d in digests if d.id in found for x in found[d.id]}
    return extractions, [failed[d.id] for d in digests if d.id in failed]


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
    what it holds but still rewrites it. ``jobs``: extraction processes (None: one per core).
    """
    cache = ExtractionCache(cache_dir, read=use_cache) if cache_dir is not None else None
    read = read_digests(paths, progress, cache)
    digests, errors = read.digests, read.errors
    if not digests:
        reasons = "; ".join(str(e) for e in errors[:3]) or "no .md, .markdown or .txt file found"
        raise NoDigestsError(f"no digest could be built ({reasons})")
    extractions, failed = extract_all(
        digests, None, progress, jobs=default_jobs() if jobs is None else jobs, cached=read.cached, cache=cache
    )
    if failed:
        errors += failed
        bad = {e.path for e in failed}
        digests = [d for d in digests if d.path not in bad]
        if not digests:
            raise NoDigestsError(f"no digest could be built ({'; '.join(str(e) for e in failed[:3])})")
    graph = Resolver(load_gazetteer()).resolve(digests, extractions)
    warnings = []
    if cache is not None:
        cache.prune()
        warnings = cache.warnings()
        for line in warnings:
            log.warning("%s", line)
    return BuildResult(graph=graph, errors=errors, characters=read.characters, warnings=warnings, cached=len(read.cached))


def write_outputs(graph: KnowledgeGraph, out_dir: Path, overview_size: int = OVERVIEW_SIZE, jobs: int = 1) -> list[Path]:
    """Write graph.ttl, graph.json, the Neo4j bulk-import bundle (neo4j/) and the HTML views (html/)."""
    outputs = [out_dir / "graph.ttl", out_dir / "graph.json"]
    write_turtle(graph, outputs[0])
    data = graph_data(graph, lazy_edges=True)  # graph.json's data, for it and the bundle
    write_graph_json(data, outputs[1])
    write_bundle(data, out_dir)
    views = write_views(graph, out_dir, overview_size, jobs=jobs)
    return [*outputs, out_dir / "neo4j", views.folder / "index.html"]


def build(
    paths: Sequence[Path],
    out_dir: Path,
    progress: Progress | None = None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    overview_size: int = OVERVIEW_SIZE,
) -> BuildResult:
    """``kg build``: digests in, graph files out.

    Reading and extraction of each digest are cached in ``out_dir/.kg-cache`` and reused while
    the file's bytes and kg's extraction code and data are unchanged; ``use_cache=False``
    rebuilds everything (and rewrites the cache). ``jobs``: extraction and page-writing
    processes (None: one per core). ``overview_size``: entities in html/index.html's graph.
    """
    jobs = default_jobs() if jobs is None else jobs
    with _fewer_collections():
        result = build_graph(paths or [SAMPLE_CORPUS], progress, jobs=jobs, cache_dir=Path(out_dir) / CACHE_DIR_NAME, use_cache=use_cache)
        gc.freeze()  # what is alive now lives until the end: the collector need not scan it again
        result.outputs = write_outputs(result.graph, out_dir, overview_size, jobs=jobs)
    return result


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
