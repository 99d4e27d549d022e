"""Where each page of the HTML views lives, and how one page links to another.

Pages are ``index.html``, ``entity/<type>/<name>.html`` and ``digest/<name>.html`` under
``DIR/html/``. A page's file name is a readable ASCII slug of the entity or digest plus a short
hash of its id, so names that differ only by case, by a Chinese character or by punctuation
never share a file, and no file name grows past what a file system allows.
"""

from __future__ import annotations

import hashlib
import re

ASSETS = "assets"
INDEX = "index.html"

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 48


def _page_name(readable: str, key: str) -> str:
    slug = _NOT_SLUG.sub("-", readable.lower()).strip("-")[:_MAX_SLUG].strip("-")
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}.html" if slug else f"{digest}.html"


def entity_page(entity_id: str, name: str, type_: str) -> str:
    """The page of one entity, relative to the html folder (POSIX separators)."""
    return f"entity/{type_.lower()}/{_page_name(name, entity_id)}"


def digest_page(digest_id: str) -> str:
    """The page of one digest, relative to the html folder."""
    return f"digest/{_page_name(digest_id, digest_id)}"


def item_anchor(index: int) -> str:
    return f"item-{index}"


def href(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A relative link from one page to another, both relative to the html folder.

    Page paths are ASCII slugs (letters, digits, '-', '.', '/'), so they need no quoting and a
    link is just enough '../' to climb to the html folder, then the target.
    """
    link = "../" * from_page.count("/") + to_page
    return f"{link}#{anchor}" if anchor else link
