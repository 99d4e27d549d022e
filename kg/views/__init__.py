"""The HTML explorer that ``kg build`` writes into ``DIR/html/``.

    index    = ViewIndex.of(graph)                      data.py     (lookups, built once)
    pages    = index_page / entity_page / digest_page   pages.py    (plain dicts per page)
    graphs   = overview / neighbourhood                 graphs.py   (nodes, edges, fixed layout)
    files    = PageWriter + swapped_folder              render.py   (escaped Jinja, atomic folder)
    inputs   = what each page is made from              inputs.py   (cheap to gather, for fingerprints)
    reuse    = fingerprints + html/.kg-pages.json       reuse.py    (unchanged pages linked, not rendered)

Every page works from ``file://`` with no network: vis-network is copied into ``html/assets/``
from the pyvis package, and the search index is a local script.
"""

from __future__ import annotations

import multiprocessing
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kg.models import KnowledgeGraph
from kg.resolve.normalize import normalize_text
from kg.views.data import ViewIndex
from kg.views.graphs import OVERVIEW_SIZE, rank
from kg.views.inputs import PageInputs
from kg.views.layout import OVERVIEW_LAYOUT, LayoutMemo
from kg.views.pages import digest_page, entity_page, index_page
from kg.views.paths import INDEX
from kg.views.render import (
    TEMPLATE_CACHE,
    CompiledTemplates,
    PagesWritten,
    PageWriter,
    page_template,
    swapped_folder,
    use_compiled_templates,
)
from kg.views.reuse import PreviousPages, code_salt, fingerprint, seal
from kg.views.safe import script_json

HTML_DIR = "html"
SEARCH_INDEX = "search-index.js"
SEARCH_PREFIX = "window.KG_SEARCH = "
DIGEST = "Digest"


@dataclass(frozen=True)
class ViewsWritten:
    folder: Path
    pages: int
    bytes: int
    """Size of every file in the folder."""
    rendered: int
    """Pages rendered by this run."""
    reused: int
    """Pages taken unchanged from the previous build (hard links, see reuse.py)."""


PARALLEL_FROM = 400
"""Below this many pages to render, one process renders them all (a pool costs more than it saves)."""

Work = list[tuple[str, str, str | None]]
"""Pages to render: (kind, entity or digest id, fingerprint when already known)."""


def write_views(
    graph: KnowledgeGraph,
    out_dir: Path,
    overview_size: int = OVERVIEW_SIZE,
    jobs: int = 1,
    reuse: bool = True,
    cache_dir: Path | None = None,
) -> ViewsWritten:
    """Write ``out_dir/html/``: index.html, one page per entity and per digest, assets, search.

    With ``reuse``, a page made from the same inputs by the same code as in the html/ folder
    being replaced is taken from it instead of being rendered again; the bytes are the same either
    way. Only the pages left to render have their contexts built. With ``jobs`` > 1 and enough
    of them, they are shared among that many processes; each page depends only on the graph, so
    the files are the same whatever ``jobs`` is. ``cache_dir``: where the overview's layout
    (kg.views.layout.LayoutMemo) and the compiled templates (render.CompiledTemplates) are kept
    between builds; None computes them every time. Without ``reuse``, neither is read.
    """
    index = ViewIndex.of(graph)
    target = out_dir / HTML_DIR
    previous = PreviousPages.of(target, code_salt()) if reuse else None
    templates = CompiledTemplates(cache_dir / TEMPLATE_CACHE, code_salt(), read=reuse) if cache_dir else None
    use_compiled_templates(templates)
    with swapped_folder(target) as folder:
        writer = PageWriter(folder, previous)
        writer.copy_assets()
        writer.write(SEARCH_INDEX, _search_index(index))
        layout = LayoutMemo(cache_dir / OVERVIEW_LAYOUT if cache_dir else None, read=reuse)
        writer.page("index", INDEX, index_page(index, INDEX, overview_size, layout))
        inputs = PageInputs(index)  # its memos serve every page of this process (and of forked ones)
        work: Work = [("entity", e.id, None) for e in graph.entities] + [("digest", d.id, None) for d in graph.digests]
        if previous is not None and previous.records:
            work = _reuse_unchanged(index, inputs, writer, work)
        if jobs > 1 and len(work) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
            shares = _write_in_processes(index, inputs, folder, work, jobs)
        else:
            shares = [_render_pages(index, inputs, folder, work)]
        pages = PagesWritten.total([writer.done(), *shares])
        writer.write_manifest(pages.records)
    seal(target)
    size = writer.bytes_written + sum(share.bytes for share in shares)  # the manifest included
    return ViewsWritten(target, pages.rendered + pages.reused, size, pages.rendered, pages.reused)


def _reuse_unchanged(index: ViewIndex, inputs: PageInputs, writer: PageWriter, work: Work) -> Work:
    """Take every page whose inputs are unchanged from the previous build; the rest, to render."""
    digests = index.digests
    left: Work = []
    for kind, key, _ in work:
        if kind == "entity":
            page = index.entity_pages[key]
            made_from = fingerprint(kind, inputs.entity(index.entities[key], page), writer.salt)
        else:
            page = index.digest_pages[key]
            made_from = fingerprint(kind, inputs.digest(digests[key], page), writer.salt)
        if not writer.reuse(page, made_from):
            left.append((kind, key, made_from))
    return left


def _render_pages(index: ViewIndex, inputs: PageInputs, folder: Path, work: Work) -> PagesWritten:
    writer = PageWriter(folder)
    digests = index.digests
    for kind, key, made_from in work:
        if kind == "entity":
            entity, page = index.entities[key], index.entity_pages[key]
            if made_from is None:
                made_from = fingerprint(kind, inputs.entity(entity, page), writer.salt)
            writer.render(kind, page, entity_page(index, entity, page), made_from)
        else:
            digest, page = digests[key], index.digest_pages[key]
            if made_from is None:
                made_from = fingerprint(kind, inputs.digest(digest, page), writer.salt)
            writer.render(kind, page, digest_page(index, digest, page), made_from)
    return writer.done()


_FORKED: tuple[ViewIndex, PageInputs, Path] | None = None
"""The index, inputs and folder a forked page writer inherits (never pickled)."""


def _write_share(work: Work) -> PagesWritten:
    assert _FORKED is not None
    return _render_pages(*_FORKED, work)


def _write_in_processes(index: ViewIndex, inputs: PageInputs, folder: Path, work: Work, jobs: int) -> list[PagesWritten]:
    global _FORKED
    shares = [work[i::jobs * 4] for i in range(jobs * 4)]  # interleaved: big hub pages spread out
    for kind in sorted({kind for kind, _, _ in work}):
        page_template(kind)  # compiled once here, inherited by every writer
    _FORKED = (index, inputs, folder)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(_write_share, shares, chunksize=1)
    finally:
        _FORKED = None


def search_key(text: str) -> str:
    """What search compares: the resolver's normal form (NFKC, dashes and quotes, single spaces,
    Traditional to Simplified), lower-cased."""
    return normalize_text(text).lower()


def _search_index(index: ViewIndex) -> bytes:
    """``window.KG_SEARCH``: every entity, most mentioned first, then every digest, newest first."""
    entries = []
    for e in rank(index):
        keys: list[str] = []
        for name in (e.name, *e.aliases):
            for key in (" ".join(unicodedata.normalize("NFKC", name).lower().split()), search_key(name)):
                if key and key not in keys:
                    keys.append(key)
        entry = {"n": e.name, "t": e.type, "u": index.entity_pages[e.id], "m": e.mention_count, "a": list(e.aliases), "k": keys}
        if e.first_seen:  # the graphs' tooltips show the dates (kg.js)
            entry.update(f=e.first_seen, l=e.last_seen or e.first_seen)
        entries.append(entry)
    for d in sorted(index.kg.digests, key=lambda d: (d.date or "", d.id), reverse=True):
        keys = list(dict.fromkeys(k for k in (search_key(d.title), search_key(d.file_name)) if k))
        entries.append({"n": d.title, "t": DIGEST, "u": index.digest_pages[d.id], "m": len(d.items), "a": [d.file_name], "k": keys})
    return f"{SEARCH_PREFIX}{script_json(entries)};\n".encode("utf-8")
