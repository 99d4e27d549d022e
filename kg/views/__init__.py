"""The HTML explorer that ``kg build`` writes into ``DIR/html/``.

    index    = ViewIndex.of(graph)                      data.py     (lookups, built once)
    pages    = index_page / entity_page / digest_page   pages.py    (plain dicts per page)
    graphs   = overview / neighbourhood                 graphs.py   (nodes, edges, fixed layout)
    files    = PageWriter + swapped_folder              render.py   (escaped Jinja, atomic folder)

Every page works from ``file://`` with no network: vis-network is copied into ``html/assets/``
from the pyvis package, and the search index is a local script.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kg.models import KnowledgeGraph
from kg.resolve.normalize import to_simplified
from kg.views.data import ViewIndex
from kg.views.graphs import OVERVIEW_SIZE, rank
from kg.views.pages import digest_page, entity_page, index_page
from kg.views.paths import INDEX
from kg.views.render import PageWriter, swapped_folder
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


def write_views(graph: KnowledgeGraph, out_dir: Path, overview_size: int = OVERVIEW_SIZE) -> ViewsWritten:
    """Write ``out_dir/html/``: index.html, one page per entity and per digest, assets, search."""
    index = ViewIndex.of(graph)
    target = out_dir / HTML_DIR
    with swapped_folder(target) as folder:
        writer = PageWriter(folder)
        writer.copy_assets()
        writer.write(SEARCH_INDEX, _search_index(index))
        writer.page("index", INDEX, index_page(index, INDEX, overview_size))
        for entity in graph.entities:
            page = index.entity_pages[entity.id]
            writer.page("entity", page, entity_page(index, entity, page))
        for digest in graph.digests:
            page = index.digest_pages[digest.id]
            writer.page("digest", page, digest_page(index, digest, page))
    return ViewsWritten(target, writer.pages, writer.bytes_written)


def search_key(text: str) -> str:
    """What search compares: NFKC, lower case, single spaces, Traditional folded to Simplified."""
    return " ".join(to_simplified(unicodedata.normalize("NFKC", text)).lower().split())


def _search_index(index: ViewIndex) -> bytes:
    """``window.KG_SEARCH``: every entity, most mentioned first, then every digest, newest first."""
    entries = []
    for e in rank(index):
        keys: list[str] = []
        for name in (e.name, *e.aliases):
            for key in (" ".join(unicodedata.normalize("NFKC", name).lower().split()), search_key(name)):
                if key and key not in keys:
                    keys.append(key)
        entries.append({"n": e.name, "t": e.type, "u": index.entity_pages[e.id], "m": e.mention_count, "a": list(e.aliases), "k": keys})
    for d in sorted(index.kg.digests, key=lambda d: (d.date or "", d.id), reverse=True):
        keys = list(dict.fromkeys(k for k in (search_key(d.title), search_key(d.file_name)) if k))
        entries.append({"n": d.title, "t": DIGEST, "u": index.digest_pages[d.id], "m": len(d.items), "a": [d.file_name], "k": keys})
    return f"{SEARCH_PREFIX}{script_json(entries)};\n".encode("utf-8")
