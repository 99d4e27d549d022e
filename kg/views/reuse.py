"""Pages of the previous build reused when nothing that decides their bytes has changed.

A page's bytes are a function of its template, what it is made from and the code that renders
it. Its *fingerprint* hashes all three: the template name; for an entity or digest page its
inputs (inputs.py: every value of the graph its context is computed from, gathered without
computing the context, so an unchanged page costs no context at all), for the overview its
context (the plain dict from pages.py); both pickled without a memo; salted with a hash of
every file of the kg.views package, of kg/models.py (the order of relation types), of kg's
version, of the Jinja, MarkupSafe and pyvis versions, and of the Python version and machine.

The manifest ``html/.kg-pages.json`` maps each page to its fingerprint and to the size and
hash of the bytes written. It lives inside html/ and is swapped in with the pages, so it always
describes the files beside it, whether a run failed or the folder was copied elsewhere. A page
is reused only when its fingerprint equals the manifest's and the old file still has exactly
the bytes recorded (a page edited, truncated or lost since is rendered again); it is then
hard-linked into the fresh folder, or copied where links are not possible. Whether the old
file still has those bytes is read from its status (``seal``) when it has not changed since
the manifest was written, else from its bytes. Anything odd about the manifest (missing,
unreadable, another format or code version) means every page is rendered.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import platform
import stat
import sys
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import kg
from kg.cache.versions import VersionHash
from kg.checksum import checksum

MANIFEST = ".kg-pages.json"
"""The manifest's name inside html/ (hidden: it is not a page)."""

FORMAT = 3
"""Bump when the manifest's layout or the way fingerprints are made changes (3: pages'
checksums are xxh3-128, kg.checksum)."""

PACKAGE = Path(__file__).resolve().parent
"""The kg.views package folder: its code, templates and assets all count."""

HASH_CHARS = 32
"""Hex digits kept of each fingerprint's SHA-256 (128 bits)."""

MODELS = Path(kg.__file__).resolve().parent / "models.py"
"""kg's data model: pages read its constants (the order of entity and relation types) and
inputs.py takes every field of its Entity and Item."""

LIBRARIES = ("jinja2", "markupsafe", "pyvis")
"""Installed distributions whose behaviour decides the rendered bytes (pyvis: graph options)."""


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One page in the manifest: what it was made from, and what was written."""

    fingerprint: str
    """Hash of the template name and the context or inputs, salted with the code's hash (hex)."""
    size: int
    """Bytes in the file."""
    content: str
    """Hash of the file's bytes (hex)."""


def source_files() -> list[Path]:
    """Every file of the kg.views package (code, templates, assets), sorted; no caches."""
    return sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@cache
def code_salt() -> bytes:
    """The version of everything besides a page's context or inputs that decides its bytes, as a hash."""
    h = VersionHash()
    h.part("format", str(FORMAT).encode())
    h.part("kg", kg.__version__.encode())
    h.part("python", f"{sys.version} on {sys.platform} {platform.machine()}".encode())  # json, float formatting, math
    h.libraries(LIBRARIES)
    h.part("source models.py", MODELS.read_bytes())
    h.sources(source_files(), PACKAGE)
    return h.digest()


def plain_bytes(value: Any) -> bytes:
    """``value`` pickled without a memo: the bytes then depend on the values alone, never on
    which equal strings happen to be one object (a digest decoded from the cache shares fewer
    than a fresh one). Exact for what contexts and inputs are made of: str, bytes, int, float,
    bool, None, lists, tuples, dicts in insertion order, kg's frozen dataclasses."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=4)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def fingerprint(template: str, made_from: Any, salt: bytes) -> str:
    """The hash of what a page is rendered from: its context, or its inputs (inputs.py); ``salt``:
    see ``code_salt``."""
    h = hashlib.sha256(salt)
    h.update(plain_bytes((template, made_from)))
    return h.hexdigest()[:HASH_CHARS]


def manifest_bytes(records: dict[str, PageRecord], salt: bytes) -> bytes:
    """The manifest of one build; the same pages give the same bytes."""
    pages = {path: [r.fingerprint, r.size, r.content] for path, r in sorted(records.items())}
    return json.dumps({"format": FORMAT, "salt": salt.hex(), "pages": pages}, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def read_manifest(folder: Path, salt: bytes) -> tuple[dict[str, PageRecord], int]:
    """The pages the manifest in ``folder`` records, or none when it is missing, damaged or was
    written by other code (another salt): a manifest is a hint, never a reason to fail. With
    them, the manifest's modification time (ns; see ``seal``)."""
    try:
        with open(folder / MANIFEST, "rb") as handle:
            sealed = os.fstat(handle.fileno()).st_mtime_ns
            data = json.loads(handle.read())
        if data.get("format") != FORMAT or data.get("salt") != salt.hex():
            return {}, 0
        records = {}
        for path, (fp, size, content) in data["pages"].items():
            if not (isinstance(path, str) and isinstance(fp, str) and isinstance(size, int) and isinstance(content, str)):
                return {}, 0
            records[path] = PageRecord(fp, size, content)
        return records, sealed
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return {}, 0


def seal(folder: Path) -> None:
    """Set the modification time of the manifest in ``folder`` to now, after every change this
    build made to the pages beside it (the last: removing the replaced folder's names for them).

    A page whose inode changed in any way (written, truncated, linked or unlinked, its mode or
    owner changed) has a status-change time (ctime, which no program can set) at or after that
    change. So a page whose ctime is before the manifest's modification time has not changed
    since the manifest was written, when it held the bytes recorded; the next build need not read
    it. Pages written or changed later, or when the seal is missing (a run that stopped just after
    the swap), are read and hashed: the seal only decides how many are. (What it cannot see: a
    page of the previous views edited during the build itself, after it was checked and before
    the manifest was written, is taken as the build found it.)

    The seal is stamped until its time is past that of the first stamp: a change made in the
    same clock tick as the seal has the seal's very time, so without this the pages the build
    touched last (often hundreds: file systems stamp unobserved changes with a coarse clock)
    would be read again by the next build.
    """
    manifest = folder / MANIFEST
    try:
        os.utime(manifest)
        first = os.stat(manifest).st_mtime_ns
        for _ in range(_SEAL_TRIES):
            os.utime(manifest)
            if os.stat(manifest).st_mtime_ns > first:
                return
            time.sleep(0.001)
    except OSError:
        pass


_SEAL_TRIES = 50
"""How many times ``seal`` stamps again, a millisecond apart, waiting for the clock to move
(one tick: at most 10 ms). If it never does, the pages changed last are read next time."""


class PreviousPages:
    """The previous build's html/ folder and its manifest, to take unchanged pages from."""

    def __init__(self, folder: Path, records: dict[str, PageRecord], sealed: int = 0) -> None:
        self.folder = folder
        self.records = records
        self.sealed = sealed
        """The manifest's modification time (ns): pages unchanged since are not read (``seal``)."""
        self._root = os.fspath(folder)
        self._folders: set[str] = set()

    @classmethod
    def of(cls, folder: Path, salt: bytes) -> PreviousPages:
        return cls(folder, *read_manifest(folder, salt))

    def take(self, path: str, fingerprint: str, target: str) -> PageRecord | None:
        """Put the old page ``path`` at ``target`` when it was made from ``fingerprint`` and still
        holds the bytes recorded; its record then, else None (``target`` is not created)."""
        record = self.records.get(path)
        if record is None or record.fingerprint != fingerprint:
            return None
        old = f"{self._root}/{path}"  # strings, not Paths: this runs for every page
        if not _intact(old, record, self.sealed):
            return None
        parent = os.path.dirname(target)
        if parent not in self._folders:
            os.makedirs(parent, exist_ok=True)
            self._folders.add(parent)
        try:
            os.link(old, target, follow_symlinks=False)
        except FileExistsError:  # a page twice in one build is a bug, never something to hide
            raise
        except OSError:  # another device, or a file system without hard links: copy
            try:
                with open(old, "rb") as handle:
                    data = handle.read()
            except OSError:
                return None
            if checksum(data) != record.content:
                return None
            with open(target, "xb") as handle:
                handle.write(data)
        return record


def _intact(path: str, record: PageRecord, sealed: int) -> bool:
    """Whether ``path`` is a regular file of the size and hash recorded; its bytes are not read
    when it has not changed since the manifest was sealed (its ctime is before ``sealed``)."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != record.size:
            return False
        if info.st_ctime_ns < sealed:
            return True
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    return checksum(data) == record.content
