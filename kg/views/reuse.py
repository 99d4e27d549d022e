"""Pages of the previous build reused when nothing that decides their bytes has changed.

A page's bytes are a function of its template, its context (the plain dict from pages.py) and
the code that renders it. Its *fingerprint* hashes all three: the template name and the context
pickled without a memo (exact for what contexts are made of: str, int, float, bool, None,
lists, tuples, dicts in insertion order, kg's frozen dataclasses; and twice as fast as
``repr``), salted with a hash of every file of the kg.views package and of the Jinja and
MarkupSafe versions.

The manifest ``html/.kg-pages.json`` maps each page to its fingerprint and to the size and
hash of the bytes written. It lives inside html/ and is swapped in with the pages, so it always
describes the files beside it, whether a run failed or the folder was copied elsewhere. A page
is reused only when its fingerprint equals the manifest's and the old file still has exactly
the bytes recorded (a page edited, truncated or lost since is rendered again); it is then
hard-linked into the fresh folder, or copied where links are not possible. Anything odd about
the manifest (missing, unreadable, another format or code version) means every page is rendered.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import stat
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kg.cache.versions import VersionHash

MANIFEST = ".kg-pages.json"
"""The manifest's name inside html/ (hidden: it is not a page)."""

FORMAT = 1
"""Bump when the manifest's layout or the way fingerprints are made changes."""

PACKAGE = Path(__file__).resolve().parent
"""The kg.views package folder: its code, templates and assets all count."""

HASH_CHARS = 32
"""Hex digits kept of each SHA-256 (128 bits)."""

LIBRARIES = ("jinja2", "markupsafe")
"""Installed distributions whose behaviour decides the rendered bytes."""


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One page in the manifest: what it was made from, and what was written."""

    fingerprint: str
    """Hash of the template name and context, salted with the code's hash (hex)."""
    size: int
    """Bytes in the file."""
    content: str
    """Hash of the file's bytes (hex)."""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def source_files() -> list[Path]:
    """Every file of the kg.views package (code, templates, assets), sorted; no caches."""
    return sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@cache
def code_salt() -> bytes:
    """The version of everything besides a context that decides a page's bytes, as a hash."""
    h = VersionHash()
    h.part("format", str(FORMAT).encode())
    h.part("python", f"{sys.version_info[0]}.{sys.version_info[1]}".encode())
    h.libraries(LIBRARIES)
    h.sources(source_files(), PACKAGE)
    return h.digest()


def fingerprint(template: str, context: dict[str, Any], salt: bytes) -> str:
    """The hash of what a page is rendered from (``salt``: see ``code_salt``)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=2)
    # No memo: the bytes then depend on the values alone, never on which equal strings happen
    # to be one object (a digest decoded from the cache shares fewer than a fresh one).
    pickler.fast = True
    pickler.dump((template, context))
    h = hashlib.sha256(salt)
    h.update(buffer.getbuffer())
    return h.hexdigest()[:HASH_CHARS]


def manifest_bytes(records: dict[str, PageRecord], salt: bytes) -> bytes:
    """The manifest of one build; the same pages give the same bytes."""
    pages = {path: [r.fingerprint, r.size, r.content] for path, r in sorted(records.items())}
    return json.dumps({"format": FORMAT, "salt": salt.hex(), "pages": pages}, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def read_manifest(folder: Path, salt: bytes) -> dict[str, PageRecord]:
    """The pages the manifest in ``folder`` records, or none when it is missing, damaged or was
    written by other code (another salt): a manifest is a hint, never a reason to fail."""
    try:
        data = json.loads((folder / MANIFEST).read_bytes())
        if data.get("format") != FORMAT or data.get("salt") != salt.hex():
            return {}
        records = {}
        for path, (fp, size, content) in data["pages"].items():
            if not (isinstance(path, str) and isinstance(fp, str) and isinstance(size, int) and isinstance(content, str)):
                return {}
            records[path] = PageRecord(fp, size, content)
        return records
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return {}


class PreviousPages:
    """The previous build's html/ folder and its manifest, to take unchanged pages from."""

    def __init__(self, folder: Path, records: dict[str, PageRecord]) -> None:
        self.folder = folder
        self.records = records

    @classmethod
    def of(cls, folder: Path, salt: bytes) -> PreviousPages:
        return cls(folder, read_manifest(folder, salt))

    def take(self, path: str, fingerprint: str, target: Path) -> PageRecord | None:
        """Put the old page ``path`` at ``target`` when it was made from ``fingerprint`` and still
        holds the bytes recorded; its record then, else None (``target`` is not created)."""
        record = self.records.get(path)
        if record is None or record.fingerprint != fingerprint:
            return None
        old = self.folder / path
        data = _intact(old, record)
        if data is None:
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old, target, follow_symlinks=False)
        except FileExistsError:  # a page twice in one build is a bug, never something to hide
            raise
        except OSError:  # another device, or a file system without hard links: copy
            with open(target, "xb") as handle:
                handle.write(data)
        return record


def _intact(path: Path, record: PageRecord) -> bytes | None:
    """The bytes of ``path`` when it is a regular file of the size and hash recorded, else None."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != record.size:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return data if content_hash(data) == record.content else None
