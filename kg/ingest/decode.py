"""Turn a digest file's raw bytes into text: detect the encoding, reject binaries, normalise
newlines and the radical look-alikes of Chinese characters."""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass

from kg.errors import DigestReadError

log = logging.getLogger(__name__)

MAX_CONTROL_SHARE = 0.02
"""Above this share of control characters a decoded file is treated as binary."""

MAX_GUESS_CHAOS = 0.2
"""charset-normalizer's "mess" ratio above which its guess is not trusted."""

# Unicode category Cc minus tab, LF, VT, FF and CR.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text with newlines normalised to LF, and the encoding it was read with."""

    text: str
    encoding: str


def decode_digest(data: bytes, path: str = "<bytes>") -> DecodedText:
    """Decode a digest's bytes; raise DigestReadError for empty, binary or undecodable files."""
    if not data.strip():
        raise DigestReadError(path, "empty file")
    text, encoding = _decode(data, path)
    text = fold_radicals(normalize_newlines(text))
    if not text.strip():
        raise DigestReadError(path, "empty file")
    share = control_share(text)
    if share > MAX_CONTROL_SHARE:
        raise DigestReadError(
            path, f"binary file ({share:.0%} control characters), not a text digest"
        )
    return DecodedText(text=text, encoding=encoding)


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Character-class body for Han (CJK unified ideographs and extensions A, compatibility)."""

_RADICAL = re.compile("[\u2e80-\u2fdf]")
RADICAL_TO_HAN = {
    cp: han
    for cp in range(0x2E80, 0x2FE0)
    if len(han := unicodedata.normalize("NFKC", chr(cp))) == 1 and han != chr(cp)
}
"""Kangxi and supplementary radicals -> the character each looks like (⽂ -> 文, ⼤ -> 大)."""


def fold_radicals(text: str) -> str:
    """Text copied out of a PDF often has radicals in place of the characters they look like
    ("论⽂标题" for 论文标题), which no word, cue or name matches; fold them, one character for
    one, so every offset stays where it was."""
    return text.translate(RADICAL_TO_HAN) if _RADICAL.search(text) else text


def control_share(text: str) -> float:
    """Share of control characters other than ordinary whitespace."""
    if not text:
        return 0.0
    return sum(1 for _ in _CONTROL.finditer(text)) / len(text)


def _decode(data: bytes, path: str) -> tuple[str, str]:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name
            except UnicodeDecodeError as exc:
                raise DigestReadError(path, f"undecodable {name} text ({exc.reason})") from exc
    if b"\x00" in data:
        raise DigestReadError(path, "binary file (NUL bytes), not a text digest")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if text.startswith("\ufeff"):
            return text[1:], "utf-8-sig"
        return text, "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    return _guess(data, path)


NOT_GUESSED = ("cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140")
"""EBCDIC code pages: never a digest's, and a guess of one turns a few stray bytes into text whose
line breaks are not the file's (``%`` is a line feed in cp037)."""


def _guess(data: bytes, path: str) -> tuple[str, str]:
    # Imported here so that `kg --help` and UTF-8 corpora never pay for it.
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_exclusion=list(NOT_GUESSED)).best()
    if best is None or best.chaos > MAX_GUESS_CHAOS:
        raise DigestReadError(
            path, "undecodable: not UTF-8, UTF-16 or GB18030, and no confident guess"
        )
    log.info("%s: decoded as %s (guessed)", path, best.encoding)
    return str(best), best.encoding
