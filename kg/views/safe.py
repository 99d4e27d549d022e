"""Digest text inside HTML: every string from a digest reaches a page escaped for its context.

Jinja's autoescape covers element text and attribute values; JSON that a script reads is
escaped here so no string can close the <script> element; and only http(s) URLs become links.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
_QID = re.compile(r"Q[1-9][0-9]*")
_ARXIV = re.compile(r"[0-9]{4}\.[0-9]{4,5}|[a-z-]+(?:\.[A-Z]{2})?/[0-9]{7}")


def script_json(data: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` element (or a .js file): no '<', '>' or '&'."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES:  # str.replace runs in C; str.translate with a dict does not
        if char in text:
            text = text.replace(char, escape)
    return Markup(text)


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL with a host, else None (never a javascript: or data: link)."""
    if not url or any(c in url for c in "\x00\r\n\t "):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def wikidata_url(qid: str | None) -> str | None:
    return f"https://www.wikidata.org/wiki/{qid}" if qid and _QID.fullmatch(qid) else None


def arxiv_url(arxiv_id: str | None) -> str | None:
    return f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id and _ARXIV.fullmatch(arxiv_id) else None
