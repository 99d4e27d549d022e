"""``kg view [NAME]``: find the page of an entity or digest in a build's html/ folder.

It reads the build's own search index, so it needs neither the graph nor spaCy.
"""

from __future__ import annotations

import json
import os
import sys
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError
from kg.views import HTML_DIR, SEARCH_INDEX, SEARCH_PREFIX, search_key
from kg.views.paths import INDEX

SUGGESTIONS = 5


@dataclass(frozen=True)
class Page:
    name: str
    type: str
    path: Path


def html_folder(out_dir: Path) -> Path:
    folder = out_dir / HTML_DIR
    if not (folder / INDEX).is_file():
        raise KGError(f"{out_dir}: no HTML views here; run `kg build --out {out_dir}` first")
    return folder


def _entries(folder: Path) -> list[dict]:
    raw = (folder / SEARCH_INDEX).read_text(encoding="utf-8").strip()
    if not raw.startswith(SEARCH_PREFIX) or not raw.endswith(";"):
        raise KGError(f"{folder / SEARCH_INDEX}: not a search index kg wrote; run `kg build` again")
    try:
        return json.loads(raw[len(SEARCH_PREFIX) : -1])
    except json.JSONDecodeError as err:
        raise KGError(f"{folder / SEARCH_INDEX}: damaged ({err.msg}); run `kg build` again") from None


def find_pages(out_dir: Path, name: str | None) -> list[Page]:
    """The overview for no name; else every entity or digest with that exact name or alias
    (any case, width or script), else the one that contains it."""
    folder = html_folder(out_dir)
    if not name:
        return [Page("overview", "index", folder / INDEX)]
    key = search_key(name)
    if not key:
        raise KGError("give a name to look up, or no name for the overview")
    entries = _entries(folder)
    exact = [e for e in entries if key in e["k"]]
    partial = [e for e in entries if any(key in k for k in e["k"])]
    chosen = exact or (partial if len(partial) == 1 else [])
    if not chosen:
        hint = f"; did you mean: {', '.join(e['n'] for e in partial[:SUGGESTIONS])}?" if partial else ""
        raise KGError(f"no entity or digest is named {name!r}{hint} (`kg view` alone opens the overview)")
    return [Page(e["n"], e["t"], folder / e["u"]) for e in chosen]


def open_in_browser(path: Path) -> bool:
    """Open ``path`` in a browser when one can show it (a terminal user on a desktop)."""
    if not sys.stdout.isatty():
        return False
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    try:
        return webbrowser.open(path.resolve().as_uri())
    except webbrowser.Error:
        return False
