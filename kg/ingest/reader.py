"""Read one digest file into a Digest: decode, split into items, convert to text, add metadata."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path, PurePath

from kg.errors import DigestReadError
from kg.ingest.decode import decode_digest
from kg.ingest.frontmatter import parse_front_matter
from kg.ingest.htmltext import remove_hidden_html
from kg.ingest.ids import digest_id_of_posix
from kg.ingest.markdown import PlainText, clean_heading, to_plain
from kg.ingest.metadata import (
    arxiv_ids,
    digest_date,
    github_repos,
    hf_paper_ids,
    item_date,
    item_tags,
)
from kg.ingest.split import RawSection, split_digest
from kg.ingest.subtitles import SUBTITLE_SUFFIXES, subtitles_to_text
from kg.ingest.syntax import classify_lines
from kg.models import Digest, Item

log = logging.getLogger(__name__)


def read_digest(path: Path, root: Path) -> Digest:
    """Read the digest at ``path`` (found under ``root``) into a Digest with its items.

    Raises DigestReadError, and only DigestReadError, when the file cannot be read, is
    empty or binary, cannot be decoded, or holds no item.
    """
    return read_digest_bytes(read_file_bytes(path), path, root)


@dataclass(frozen=True, slots=True)
class DigestFile:
    """A digest file's bytes, read but not parsed yet (parsing may happen in a worker process)."""

    path: Path
    root: Path
    data: bytes
    content_hash: str
    """SHA-256 (hex) of ``data``, taken once when the file was opened."""

    @classmethod
    def open(cls, path: Path, root: Path) -> DigestFile:
        """The file's bytes and their hash; DigestReadError when it cannot be read."""
        data = read_file_bytes(path)
        return cls(path, root, data, hashlib.sha256(data).hexdigest())

    def read(self) -> Digest:
        """``read_digest_bytes`` of this file: a Digest, or DigestReadError."""
        return read_digest_bytes(self.data, self.path, self.root, self.content_hash)


def read_file_bytes(path: Path) -> bytes:
    """The raw bytes of a digest file; DigestReadError when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DigestReadError(path.as_posix(), f"cannot read the file: {exc.strerror or exc}") from exc


def read_digest_bytes(data: bytes, path: Path, root: Path, content_hash: str | None = None) -> Digest:
    """``parse_digest`` that raises DigestReadError, and only DigestReadError, for a bad file."""
    shown = path.as_posix()
    try:
        return parse_digest(data, path, root, content_hash)
    except DigestReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - callers rely on one error type per bad file
        log.debug("unexpected error reading %s", shown, exc_info=True)
        raise DigestReadError(shown, f"unexpected error: {type(exc).__name__}: {exc}") from exc


def digest_id_of(path: PurePath, root: PurePath) -> str:
    """The id the digest at ``path`` (found under ``root``) gets, known before reading it."""
    return digest_id_of_posix(_relative(path, root))


def parse_digest(data: bytes, path: PurePath, root: PurePath, content_hash: str | None = None) -> Digest:
    """Build a Digest from a file's bytes; ``path`` and ``root`` only name it. ``content_hash``:
    the SHA-256 (hex) of ``data`` when the caller has it already."""
    shown = path.as_posix()
    decoded = decode_digest(data, shown)
    text = decoded.text
    if path.suffix.lower() in SUBTITLE_SUFFIXES:
        text = subtitles_to_text(text)
        if not text.strip():
            raise DigestReadError(shown, "no subtitles: a subtitle file needs cues with timing lines (00:00:01,000 --> 00:00:04,000)")
    lines = remove_hidden_html(text).split("\n")
    front = parse_front_matter(lines)
    classified = classify_lines(lines, front.line_count)
    split = split_digest(classified)
    converted = [(s, to_plain(s.body)) for s in split.sections]
    # A section can still turn out empty once code fences and markup are gone.
    kept = [(s, plain) for s, plain in converted if plain.text or clean_heading(s.title)]
    if not kept:
        raise DigestReadError(shown, "no items: the file holds no text besides a title or markup")

    the_id = digest_id_of(path, root)
    fm_title = front.data.get("title")
    heading_title = clean_heading(split.title) if split.title else ""
    title = (fm_title if isinstance(fm_title, str) and fm_title else "") or heading_title or path.stem
    date = digest_date(front.data, heading_title or None, path.stem, decoded.text)
    items = tuple(
        _item(section, plain, the_id, n) for n, (section, plain) in enumerate(kept, start=1)
    )
    log.debug("%s: %d items (%s)", shown, len(items), split.layout)
    return Digest(
        id=the_id,
        path=shown,
        file_name=path.name,
        title=title,
        date=date,
        encoding=decoded.encoding,
        layout=split.layout,
        items=items,
        content_hash=content_hash or hashlib.sha256(data).hexdigest(),
    )


def _item(section: RawSection, plain: PlainText, digest: str, index: int) -> Item:
    title = clean_heading(section.title) if section.title else ""
    title_links = to_plain([section.title]).links if section.title else ()
    links = tuple(dict.fromkeys((*title_links, *plain.links)))
    return Item(
        id=f"{digest}/{index}",
        index=index,
        title=title,
        text=plain.text,
        line=section.line,
        date=item_date([section.title_line, *section.body]),
        links=links,
        arxiv_ids=arxiv_ids(links, f"{title}\n{plain.text}"),
        github_repos=github_repos(links),
        hf_paper_ids=hf_paper_ids(links),
        tags=item_tags(section.body, section.tags),
    )


def _relative(path: PurePath, root: PurePath) -> str:
    """``path`` below ``root`` as pathlib writes it (``as_posix``), or its name alone when it is
    not below. A path under its root is cut from the string: ``relative_to`` parses both."""
    posix, top = path.as_posix(), root.as_posix()
    if top not in (".", "/") and posix.startswith(top + "/"):
        return posix[len(top) + 1 :]
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name
