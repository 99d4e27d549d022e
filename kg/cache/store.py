"""The cache files: one per digest, validated before use, written atomically, pruned after a build.

A file is ``<entry>.kgc``::

    KGCACHE <format>\\n
    {"format": 1, "key": "<fingerprint>", "entry": "<entry>", "length": N, "sha256": "<hex>"}\\n
    <N bytes: zlib-compressed UTF-8 JSON of [digest, extractions]>

``entry`` is a hash of the digest's file name, its id (its path relative to the input folder)
and the SHA-256 of its bytes, so a changed file gets a new entry and a renamed one is read
again. A file whose magic line, format, entry name, length, checksum or payload is wrong is
*corrupt*: ignored, counted and re-extracted.
A file written under another fingerprint (other code, gazetteer or library versions) is *stale*:
the same. Neither is ever trusted; either way the build goes on and ends with one warning line.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from kg.cache.codec import CodecError, decode_entry, encode_entry
from kg.cache.fingerprint import CACHE_FORMAT, extraction_fingerprint
from kg.export.files import write_atomic
from kg.models import Digest, ItemExtraction

log = logging.getLogger(__name__)

CACHE_DIR_NAME = ".kg-cache"
"""The cache's folder inside a build's output folder (hidden, so never read as digests)."""

MAGIC = b"KGCACHE"
SUFFIX = ".kgc"


@dataclass(frozen=True, slots=True)
class CachedDigest:
    """A digest as it was read and what extraction found in each of its items."""

    digest: Digest
    extractions: tuple[ItemExtraction, ...]


class CorruptEntry(Exception):
    """A cache file that is not a valid entry of this cache (one-line reason)."""


class StaleEntry(Exception):
    """A valid cache file written by another version of the code or data."""


def entry_name(file_name: str, digest_id: str, content_hash: str) -> str:
    """The entry (file stem) of a digest: a hash of its file name, its id and its bytes' hash.

    These are all reading depends on besides the bytes (the id comes from the path relative to
    the input folder); the path as typed (``corpus/a.md`` or ``/home/me/corpus/a.md``) is not,
    so it is not part of the key and is put back on a hit.
    """
    return hashlib.sha256(f"{file_name}\0{digest_id}\0{content_hash}".encode()).hexdigest()[:40]


def pack(entry: str, key: str, cached: CachedDigest) -> bytes:
    """The bytes of a cache file holding ``cached`` under ``entry`` and fingerprint ``key``."""
    text = json.dumps(encode_entry(cached.digest, cached.extractions), ensure_ascii=False, separators=(",", ":"))
    payload = zlib.compress(text.encode("utf-8"), 6)
    header = {
        "format": CACHE_FORMAT,
        "key": key,
        "entry": entry,
        "length": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    return b"%s %d\n%s\n%s" % (MAGIC, CACHE_FORMAT, json.dumps(header, sort_keys=True).encode(), payload)


def unpack(data: bytes, entry: str, key: str) -> CachedDigest:
    """The entry in a cache file's bytes; CorruptEntry or StaleEntry when it cannot be trusted."""
    magic, _, rest = data.partition(b"\n")
    if not magic.startswith(MAGIC + b" "):
        raise CorruptEntry("not a kg cache file")
    if magic != b"%s %d" % (MAGIC, CACHE_FORMAT):
        raise CorruptEntry(f"cache format {magic[len(MAGIC) + 1:].decode('ascii', 'replace')!r}, expected {CACHE_FORMAT}")
    line, _, payload = rest.partition(b"\n")
    try:
        header = json.loads(line)
    except ValueError:
        raise CorruptEntry("unreadable header") from None
    if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
        raise CorruptEntry("unreadable header")
    if header.get("entry") != entry:
        raise CorruptEntry("the file belongs to another digest")
    if header.get("length") != len(payload):
        raise CorruptEntry(f"truncated or padded ({len(payload)} bytes, header says {header.get('length')})")
    if header.get("sha256") != hashlib.sha256(payload).hexdigest():
        raise CorruptEntry("checksum mismatch")
    if header.get("key") != key:
        raise StaleEntry("written by another version of kg's code, data or libraries")
    try:
        digest, extractions = decode_entry(json.loads(zlib.decompress(payload).decode("utf-8")))
    except (zlib.error, CodecError, ValueError, TypeError) as err:  # UnicodeDecodeError is a ValueError
        raise CorruptEntry(f"bad payload ({type(err).__name__})") from None
    return CachedDigest(digest, extractions)


class ExtractionCache:
    """The per-digest cache in ``folder``; ``read=False`` ignores what is there (and replaces it).

    Problems never raise: an unreadable or untrustworthy file is a miss, an unwritable folder
    means nothing is cached; both end up in ``warnings()``.
    """

    def __init__(self, folder: Path, *, read: bool = True, key: str | None = None) -> None:
        self.folder = Path(folder)
        self.read = read
        self.key = key or extraction_fingerprint()
        self.hits = 0
        self.used: set[str] = set()
        self.corrupt: list[tuple[str, str]] = []
        self.stale = 0
        self.write_errors: list[str] = []

    def path(self, entry: str) -> Path:
        return self.folder / f"{entry}{SUFFIX}"

    def get(self, shown_path: str, digest_id: str, content_hash: str) -> CachedDigest | None:
        """The cached reading and extraction of this exact file, or None (a miss)."""
        file_name = PurePosixPath(shown_path).name
        entry = entry_name(file_name, digest_id, content_hash)
        self.used.add(entry)
        if not self.read:
            return None
        path = self.path(entry)
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):  # no entry, or no cache folder: a miss
            return None
        except OSError as err:
            self.corrupt.append((path.name, f"cannot read it ({err.strerror or err})"))
            return None
        try:
            cached = unpack(data, entry, self.key)
        except StaleEntry:
            self.stale += 1
            return None
        except CorruptEntry as err:
            self.corrupt.append((path.name, str(err)))
            return None
        d = cached.digest
        if (d.file_name, d.id, d.content_hash) != (file_name, digest_id, content_hash):
            self.corrupt.append((path.name, "the file belongs to another digest"))
            return None
        self.hits += 1
        return cached if d.path == shown_path else CachedDigest(replace(d, path=shown_path), cached.extractions)

    def write(self, digest: Digest, extractions: tuple[ItemExtraction, ...]) -> str | None:
        """Write the entry's file and return None, or the reason it could not be written.

        Only writes: it may run in a worker process (a forked copy of this cache), and the
        parent then calls ``record`` with what it returned.
        """
        path = self.path(entry_name(digest.file_name, digest.id, digest.content_hash))
        try:
            # no fsync: 1,000 of them cost a full build 3.5 s, and an entry cut short by a power
            # failure fails its checksum and is rebuilt
            write_atomic(path, pack(path.stem, self.key, CachedDigest(digest, extractions)), durable=False)
        except OSError as err:
            return f"{path}: {err.strerror or err}"
        return None

    def record(self, digest: Digest, write_error: str | None) -> None:
        """Note that this build stored ``digest``'s entry (so prune keeps it), or failed to."""
        self.used.add(entry_name(digest.file_name, digest.id, digest.content_hash))
        if write_error is not None:
            self.write_errors.append(write_error)

    def prune(self) -> int:
        """Delete the entries this build did not use (deleted or changed digests) and stray temporaries."""
        removed = 0
        try:
            files = list(self.folder.iterdir())
        except OSError:
            return 0
        for file in files:
            ours = file.suffix == SUFFIX or (file.name.startswith(".") and file.name.endswith(".tmp"))
            if ours and file.is_file() and file.stem not in self.used:
                try:
                    file.unlink()
                    removed += 1
                except OSError as err:
                    log.info("cannot remove %s: %s", file, err.strerror)
        return removed

    def warnings(self) -> list[str]:
        """One line per kind of problem met, for the build summary."""
        lines = []
        if self.corrupt:
            name, reason = self.corrupt[0]
            more = f" and {len(self.corrupt) - 1} more" if len(self.corrupt) > 1 else ""
            lines.append(f"{self.folder}: ignored a corrupt cache file ({name}: {reason}){more}; re-extracted")
        if self.stale:
            lines.append(
                f"{self.folder}: {self.stale} cache file(s) written by another version of kg's code, "
                "gazetteer or libraries; re-extracted"
            )
        if self.write_errors:
            more = f" and {len(self.write_errors) - 1} more" if len(self.write_errors) > 1 else ""
            lines.append(f"cannot write the cache ({self.write_errors[0]}){more}; the next build extracts again")
        return lines
