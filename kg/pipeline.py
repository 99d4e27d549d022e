"""The build, top to bottom: the table of contents of kg.

    files    = find_digest_files(paths)                 kg.ingest
    digests  = [read_digest(f) for f in files]          kg.ingest     (bad files -> warnings)
    found    = {item: extractor.extract_item(item)}     kg.extract    (spaCy pipeline)
    graph    = Resolver(gazetteer).resolve(...)         kg.resolve    (one node per real thing)
    outputs  = graph.ttl, graph.json, neo4j/, html/     kg.export, kg.graph, kg.neo4j, kg.views (atomic)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import DigestReadError, NoDigestsError
from kg.export.rdf import write_turtle
from kg.extract import Extractor
from kg.extract.gazetteer import load_gazetteer
from kg.graph import graph_data, write_graph_json
from kg.ingest import find_digest_files, read_digest
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


def read_digests(
    paths: Sequence[Path], progress: Progress | None = None
) -> tuple[list[Digest], list[DigestReadError], int]:
    """Read every digest under ``paths``; unreadable files become errors, the rest go on."""
    files = find_digest_files(paths)
    digests: list[Digest] = []
    errors: list[DigestReadError] = []
    seen_ids: set[str] = set()
    characters = 0
    for done, (path, root) in enumerate(files, start=1):
        try:
            digest = read_digest(path, root)
        except DigestReadError as err:
            log.warning("%s", err)
            errors.append(err)
            continue
        if digest.id in seen_ids:
            log.warning("%s: read twice (the same digest under two inputs); kept once", path)
            continue
        seen_ids.add(digest.id)
        digests.append(digest)
        characters += sum(len(i.full_text) for i in digest.items)
        if progress:
            progress("read", done, len(files))
    return digests, errors, characters


def extract_all(
    digests: Sequence[Digest], extractor: Extractor, progress: Progress | None = None
) -> tuple[dict[str, ItemExtraction], list[DigestReadError]]:
    """Extract every digest; one whose extraction fails is reported and left out, not fatal."""
    extractions: dict[str, ItemExtraction] = {}
    failed: list[DigestReadError] = []
    for done, digest in enumerate(digests, start=1):
        try:
            found = extractor.extract(digest)
        except Exception as err:  # a bug or a pathological input must not cost the other digests
            log.exception("%s: extraction failed", digest.path)
            failed.append(DigestReadError(digest.path, f"could not be extracted ({type(err).__name__}: {err})"))
            continue
        for extraction in found:
            extractions[extraction.item_id] = extraction
        if progress:
            progress("extract", done, len(digests))
    return extractions, failed


def build_graph(paths: Sequence[Path], progress: Progress | None = None) -> BuildResult:
    """Read, extract and resolve: everything but writing."""
    digests, errors, characters = read_digests(paths, progress)
    if not digests:
        reasons = "; ".join(str(e) for e in errors[:3]) or "no .md, .markdown or .txt file found"
        raise NoDigestsError(f"no digest could be built ({reasons})")
    extractions, failed = extract_all(digests, Extractor(), progress)
    if failed:
        errors += failed
        bad = {e.path for e in failed}
        digests = [d for d in digests if d.path not in bad]
        if not digests:
            raise NoDigestsError(f"no digest could be built ({'; '.join(str(e) for e in failed[:3])})")
    graph = Resolver(load_gazetteer()).resolve(digests, extractions)
    return BuildResult(graph=graph, errors=errors, characters=characters)


def write_outputs(graph: KnowledgeGraph, out_dir: Path, overview_size: int = OVERVIEW_SIZE) -> list[Path]:
    """Write graph.ttl, graph.json, the Neo4j bulk-import bundle (neo4j/) and the HTML views (html/)."""
    outputs = [out_dir / "graph.ttl", out_dir / "graph.json"]
    write_turtle(graph, outputs[0])
    data = graph_data(graph, lazy_edges=True)  # graph.json's data, for it and the bundle
    write_graph_json(data, outputs[1])
    write_bundle(data, out_dir)
    views = write_views(graph, out_dir, overview_size)
    return [*outputs, out_dir / "neo4j", views.folder / "index.html"]


def build(
    paths: Sequence[Path], out_dir: Path, progress: Progress | None = None, overview_size: int = OVERVIEW_SIZE
) -> BuildResult:
    """``kg build``: digests in, graph files out."""
    result = build_graph(paths or [SAMPLE_CORPUS], progress)
    result.outputs = write_outputs(result.graph, out_dir, overview_size)
    return result
