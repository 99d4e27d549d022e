"""Embedded HTML in digests: drop hidden blocks, and turn the rest into Markdown-like text.

Only real HTML tag names are treated as tags, so text such as ``<df_n>`` or ``List<int>``
in a digest's prose survives as written.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HIDDEN_START = re.compile(r"<!--|<(script|style|template|noscript)\b", re.IGNORECASE)
# A "<" that does not open a complete tag is escaped before parsing: HTMLParser rescans
# from every unfinished "<", which is quadratic on text such as "a<b<c<d...".
_STRAY_LT = re.compile(r"<(?!/?[A-Za-z][\w:-]{0,40}(?:\s[^<>]{0,2000})?/?>)")

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details div dl dt figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr html main nav ol p pre section summary table "
    "tbody tfoot thead ul caption".split()
)
_INLINE_TAGS = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i img input ins kbd label "
    "mark q rp rt ruby s samp small span strike strong sub sup time tt u var wbr br li tr "
    "td th col colgroup head meta link title iframe video audio source picture svg path "
    "button select option textarea object embed param track map area canvas".split()
)
_KNOWN_TAGS = _BLOCK_TAGS | _INLINE_TAGS
_BOLD_TAGS = frozenset({"b", "strong"})
_DROPPED_TAGS = frozenset({"head", "title", "svg", "select", "textarea", "object", "canvas"})


def remove_hidden_html(text: str) -> str:
    """Remove ``<script>``/``<style>`` blocks and HTML comments, keeping their line breaks.

    Keeping the newlines keeps every later line number true to the source file. An unclosed
    block runs to the end of the text, as it would in a browser.
    """
    if "<" not in text:
        return text
    parts: list[str] = []
    pos = 0
    while True:
        start = _HIDDEN_START.search(text, pos)
        if start is None:
            parts.append(text[pos:])
            break
        parts.append(text[pos : start.start()])
        if start.group(1) is None:
            end = text.find("-->", start.end())
            stop = len(text) if end < 0 else end + 3
        else:
            closing = re.compile(rf"</{start.group(1)}\s*>", re.IGNORECASE)
            found = closing.search(text, start.end())
            stop = len(text) if found is None else found.end()
        parts.append("\n" * text.count("\n", start.start(), stop))
        pos = stop
    return "".join(parts)


def html_to_markdown(text: str) -> str:
    """Strip HTML tags to their text; bold becomes ``**``, links and images become Markdown.

    Entities are unescaped. Block elements and ``<br>`` become line breaks, table cells are
    joined with `` | ``. Text without ``<`` or ``&`` is returned unchanged.
    """
    if "<" not in text and "&" not in text:
        return text
    converter = _Converter()
    converter.feed(_STRAY_LT.sub("&lt;", text))
    converter.close()
    return "".join(converter.out)


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._links: list[str | None] = []
        self._cells_in_row = 0
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _KNOWN_TAGS:
            self._data(self.get_starttag_text() or "")
            return
        if tag in _DROPPED_TAGS:
            self._dropping += 1
            return
        attributes = dict(attrs)
        if tag in _BOLD_TAGS:
            self._data("**")
        elif tag == "a":
            href = (attributes.get("href") or "").strip()
            url = href if href.lower().startswith(("http://", "https://")) else None
            self._links.append(url)
            if url:
                self._data("[")
        elif tag == "img":
            alt = (attributes.get("alt") or "").strip()
            src = (attributes.get("src") or "").strip()
            if src.lower().startswith(("http://", "https://")):
                self._data(f"![{alt}]({src})")
            elif alt:
                self._data(alt)
        elif tag == "br":
            self._data("\n")
        elif tag == "li":
            self._data("\n- ")
        elif tag == "tr":
            self._data("\n")
            self._cells_in_row = 0
        elif tag in ("td", "th"):
            if self._cells_in_row:
                self._data(" | ")
            self._cells_in_row += 1
        elif tag in _BLOCK_TAGS:
            self._data("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _KNOWN_TAGS:
            self._data(self.get_starttag_text() or "")
            return
        self.handle_starttag(tag, attrs)
        if tag in _DROPPED_TAGS:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BOLD_TAGS or tag == "a":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _KNOWN_TAGS:
            self._data(f"</{tag}>")
            return
        if tag in _DROPPED_TAGS:
            self._dropping = max(0, self._dropping - 1)
            return
        if tag in _BOLD_TAGS:
            self._data("**")
        elif tag == "a":
            url = self._links.pop() if self._links else None
            if url:
                self._data(f"]({url})")
        elif tag in _BLOCK_TAGS or tag == "tr":
            self._data("\n")

    def handle_data(self, data: str) -> None:
        self._data(data)

    def _data(self, text: str) -> None:
        if not self._dropping:
            self.out.append(text)
