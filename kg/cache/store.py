"""The extraction cache of a build folder: a pack file holding an entry for every digest built,
and one of the entries added since.

    DIR/.kg-cache/extractions.kgp        the pack (the file format: kg.cache.pack)
    DIR/.kg-cache/extractions-added.kgp  the entries added since it was written, if any

An entry's name is a hash of the digest's file name, its id (its path relative to the input
folder) and the SHA-256 of its bytes, so a changed file gets a new entry and a renamed one is
read again; the pack as a whole is keyed by the extraction fingerprint. A build

1. looks each digest up (``get``, or ``find`` then ``take``): the pack is read, and its index
   checked, on the first look-up; an entry's digest is decoded only after its payload's checksum
   matched, and its extractions only if the build needs them (``PendingExtractions``: a build
   that reuses the resolution of the digest never does);
2. writes the next pack while extraction runs (``saving``): first the entries it reused, copied
   byte for byte, then each new entry as it arrives, already encoded by the process that
   extracted it (``encode``). When extraction ends the new pack replaces the old one, so entries
   no digest uses any more (deleted or changed files) are gone; old-format files
   (``<entry>.kgc``, one per digest, from kg before the pack) and stray temporary files go too.
   When the build uses every entry of the pack and only adds a few (today's digest), the pack
   is left as it is and only the pack of additions is written, with every entry added since the
   pack was, while they come to at most an eighth of its size (past that, one whole pack again):
   adding one digest to 1,000 writes a few kilobytes, not the 14 MB pack, whose writing slowed
   that build by about 50 ms even from a thread (alternating runs). A pack of additions names
   the pack it adds to (its index's checksum) and is used only beside it.
   A build that has every entry at hand when the block starts (it extracted its few new
   digests beside decoding the others) has the pack written by a thread instead, while it
   resolves (``saving(in_thread=True)``); ``warnings``, ``wait`` and ``close`` wait for it.

Nothing here raises: a corrupt or stale pack or entry is a miss and an unwritable folder means
nothing is kept; each kind of problem is one line of ``warnings()``.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import struct
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

from kg.cache.codec import CodecError, decode, decode_extractions, encode, encode_extractions
from kg.cache.fingerprint import CACHE_FORMAT, extraction_fingerprint
from kg.cache.pack import ADDED_PACK_NAME, PACK_NAME, CorruptEntry, CorruptPack, Pack, PackWriter, StalePack
from kg.checksum import checksum
from kg.export.files import open_atomic
from kg.models import CompactExtraction, Digest

log = logging.getLogger(__name__)

CACHE_DIR_NAME = ".kg-cache"
"""The cache's folder inside a build's output folder (hidden, so never read as digests)."""

OLD_SUFFIX = ".kgc"
"""The files of the cache format before the pack (CACHE_FORMAT 1): never read, removed."""

MARSHAL_VERSION = 4
"""marshal's format 4 stores a string or tuple met twice in an entry once (by reference)."""

DIGEST_LENGTH = struct.Struct("<I")
"""An entry's payload: the length of its digest's dump, that dump, then its extractions' dump."""

ADDED_SHARE = 8
"""Entries are added beside the pack while they come to at most 1/ADDED_SHARE of its size;
past that, the next build writes one pack of all of them."""


@dataclass(frozen=True, slots=True)
class CachedDigest:
    """A digest as it was read and what extraction found in each of its items (what resolution reads of it)."""

    digest: Digest
    extractions: tuple[CompactExtraction, ...]


@dataclass(frozen=True, slots=True)
class PendingExtractions:
    """The extractions of a digest reused from the cache, checked (the entry's checksum matched)
    but not decoded yet: about three quarters of an entry's decoding, which a build that reuses the
    digest's resolution (kg.resolve.store) never needs."""

    payload: memoryview
    """A view of the pack's bytes, which stay in memory while the build holds any of these."""
    where: str
    """The entry, and the file it is in, for a warning."""

    def decode(self, digest: Digest) -> tuple[CompactExtraction, ...]:
        """The extractions of ``digest``'s items, the digest of the same entry; CorruptEntry
        when they are not what they should be (never, unless the code that wrote them erred:
        their bytes are those it wrote)."""
        try:
            return decode_extractions(marshal.loads(self.payload), [item.id for item in digest.items])
        except (EOFError, ValueError, TypeError, CodecError) as err:  # CodecError is a ValueError
            raise CorruptEntry(f"bad payload ({type(err).__name__})") from None


@dataclass(frozen=True, slots=True)
class ReusedDigest:
    """A digest reused from the cache, decoded, and its extractions, still pending."""

    digest: Digest
    extractions: PendingExtractions


@dataclass(frozen=True, slots=True)
class Hit:
    """A file's entry found in the pack (its payload's checksum matched), not decoded yet."""

    entry: str
    payload: memoryview
    checksum: str
    shown_path: str
    """The path as the build found it (put back on the decoded digest)."""
    file_name: str
    digest_id: str
    content_hash: str
    in_pack: bool = True
    """In the pack itself, not among the entries added to it."""

    @property
    def where(self) -> str:
        """The entry, and the file it is in, for a warning."""
        return _where(self.entry, self.in_pack)


@dataclass(frozen=True, slots=True)
class EncodedEntry:
    """A digest's entry ready to be written: its name, payload and the payload's checksum."""

    name: str
    payload: bytes
    checksum: str


def _where(entry: str, in_pack: bool) -> str:
    """An entry and the file it is in (the pack, or its additions), for a warning."""
    return f"{PACK_NAME if in_pack else ADDED_PACK_NAME}, entry {entry}"


def entry_name(file_name: str, digest_id: str, content_hash: str) -> str:
    """The entry of a digest: a hash of its file name, its id and its bytes' hash.

    These are all reading depends on besides the bytes (the id comes from the path relative to
    the input folder); the path as typed (``corpus/a.md`` or ``/home/me/corpus/a.md``) is not,
    so it is not part of the key and is put back on a hit.
    """
    return hashlib.sha256(f"{file_name}\0{digest_id}\0{content_hash}".encode()).hexdigest()[:40]


def encode_payload(cached: CachedDigest) -> bytes:
    """The payload of an entry: the marshal dumps of the codec's plain tuples of the digest and
    of its extractions, the first behind its length (``DIGEST_LENGTH``)."""
    digest = marshal.dumps(encode(cached.digest), MARSHAL_VERSION)
    extractions = marshal.dumps(encode_extractions(cached.extractions), MARSHAL_VERSION)
    return b"".join((DIGEST_LENGTH.pack(len(digest)), digest, extractions))


def decode_payload(payload: bytes | memoryview) -> CachedDigest:
    """The entry in ``payload``, both halves; CorruptEntry when it is not one."""
    reused = decode_digest(memoryview(payload), "")
    return CachedDigest(reused.digest, reused.extractions.decode(reused.digest))


def decode_digest(payload: memoryview, where: str) -> ReusedDigest:
    """The digest of the entry in ``payload``, its extractions left pending; CorruptEntry when
    it is not one.

    marshal is not safe against erroneous or maliciously made data (a damaged dump can crash
    the interpreter). It is safe here only because a payload reaches it after its checksum
    matched the index, whose own checksum matched: a damaged pack or entry is refused before
    this, so only bytes this code wrote are unmarshalled (a forger able to rewrite the cache
    with matching checksums could rewrite the outputs beside it too).
    """
    try:
        (length,) = DIGEST_LENGTH.unpack_from(payload)
        start = DIGEST_LENGTH.size
        if start + length > len(payload):
            raise ValueError("the digest's dump runs past the entry")
        digest = decode(Digest, marshal.loads(payload[start : start + length]))
    except (EOFError, ValueError, TypeError, struct.error) as err:  # CodecError is a ValueError
        raise CorruptEntry(f"bad payload ({type(err).__name__})") from None
    return ReusedDigest(digest, PendingExtractions(payload[start + length :], where))


class ExtractionCache:
    """The cache in ``folder``; ``read=False`` ignores what is there (and replaces it)."""

    def __init__(self, folder: Path, *, read: bool = True, key: str | None = None) -> None:
        self.folder = Path(folder)
        self.read = read
        self.key = key or extraction_fingerprint()
        self.hits = 0
        self.corrupt: list[tuple[str, str]] = []
        """(what, why) for each corrupt pack or entry met."""
        self.stale = 0
        """Entries written by another version of kg (another fingerprint or an older format)."""
        self.write_errors: list[str] = []
        self._pack: Pack | None = None
        self._added: Pack | None = None
        """The pack of the entries added to ``_pack`` since it was written (None: none)."""
        self._loaded = False
        self._reused: dict[str, tuple[memoryview, str, bool]] = {}
        """Entry -> (payload, checksum, whether it is in the pack itself) of the hits so far: the
        next pack's first entries."""
        self._saver: _PackSaver | _ThreadSaver | None = None
        self._thread: threading.Thread | None = None
        self._distrusted = False
        """An entry's extractions were found corrupt after its digest was taken (``distrust``)."""

    @property
    def path(self) -> Path:
        """The pack file."""
        return self.folder / PACK_NAME

    @property
    def added_path(self) -> Path:
        """The file of the entries added to the pack."""
        return self.folder / ADDED_PACK_NAME

    def payloads(self) -> dict[str, memoryview]:
        """Every entry the cache holds, with its checked payload (entries added last win); a
        corrupt entry is left out (and noted)."""
        self._load()
        found: dict[str, memoryview] = {}
        for pack, in_pack in ((self._pack, True), (self._added, False)):
            if pack is None:
                continue
            for entry in pack.index:
                try:
                    payload = pack.payload(entry)
                except CorruptEntry as err:
                    self.corrupt.append((_where(entry, in_pack), str(err)))
                else:
                    if payload is not None:
                        found[entry] = payload
        return found

    def get(self, shown_path: str, digest_id: str, content_hash: str) -> ReusedDigest | None:
        """The cached reading and extraction of this exact file, or None (a miss)."""
        hit = self.find(shown_path, digest_id, content_hash)
        return self.take(hit) if hit is not None else None

    def find(self, shown_path: str, digest_id: str, content_hash: str) -> Hit | None:
        """The entry of this exact file, its payload checked but not decoded yet, or None (a miss)."""
        if not self.read:
            return None
        pack = self._load()
        if pack is None:
            return None
        file_name = shown_path.rpartition("/")[2]  # PurePosixPath(shown_path).name, without parsing
        entry = entry_name(file_name, digest_id, content_hash)
        for where, in_pack in ((self._added, False), (pack, True)):
            if where is None:
                continue
            try:
                payload = where.payload(entry)
            except CorruptEntry as err:
                self.corrupt.append((_where(entry, in_pack), str(err)))
                return None
            if payload is not None:
                return Hit(entry, payload, where.index[entry].checksum, shown_path, file_name, digest_id, content_hash, in_pack)
        return None

    def take(self, hit: Hit) -> ReusedDigest | None:
        """The digest of a ``find``, decoded, with its extractions pending, and the entry kept
        for the next pack; None (and a problem noted) when the entry is not what it should be.
        Before ``saving``."""
        try:
            reused = decode_digest(hit.payload, hit.where)
        except CorruptEntry as err:
            self.corrupt.append((hit.where, str(err)))
            return None
        d = reused.digest
        if (d.file_name, d.id, d.content_hash) != (hit.file_name, hit.digest_id, hit.content_hash):
            self.corrupt.append((hit.where, "it belongs to another digest"))
            return None
        self.hits += 1
        self._reused[hit.entry] = (hit.payload, hit.checksum, hit.in_pack)
        return reused if d.path == hit.shown_path else ReusedDigest(replace(d, path=hit.shown_path), reused.extractions)

    def distrust(self, pending: PendingExtractions, reason: str) -> None:
        """Note that the extractions of an entry ``take`` returned turned out corrupt when
        decoded (the build extracts that digest again): ``close`` removes the pack, which may
        hold the entry again by then, so that the next build rebuilds it."""
        self.corrupt.append((pending.where, reason))
        self._distrusted = True

    def close(self) -> None:
        """``wait``, then remove the packs if an entry of them was ``distrust``ed."""
        self.wait()
        if self._distrusted:
            _remove(self.path)
            _remove(self.added_path)

    def _load(self) -> Pack | None:
        """The pack, read and checked once (with the pack of entries added to it, when there is
        one made for it); None (and a problem noted) when there is none to trust."""
        if not self._loaded:
            self._loaded = True
            pack = self._read_pack(PACK_NAME)
            if pack is not None and pack.base is not None:
                self.corrupt.append((PACK_NAME, "a pack of additions in place of the pack"))
                pack = None
            if pack is None:
                self.stale += self._old_format_entries() if not self.path.exists() else 0
            else:
                added = self._read_pack(ADDED_PACK_NAME)
                # another pack's additions (the pack was replaced, then the build stopped) are not used
                self._added = added if added is not None and added.base == pack.identity else None
            self._pack = pack
        return self._pack

    def _read_pack(self, name: str) -> Pack | None:
        try:
            data = (self.folder / name).read_bytes()
        except (FileNotFoundError, NotADirectoryError):  # none, or no cache folder but something else in its place
            return None
        except OSError as err:
            self.corrupt.append((name, f"cannot read it ({err.strerror or err})"))
            return None
        try:
            return Pack.parse(data, self.key, CACHE_FORMAT)
        except StalePack as err:
            self.stale += err.entries
        except CorruptPack as err:
            self.corrupt.append((name, str(err)))
        return None

    def _old_format_entries(self) -> int:
        """How many entries of the format before the pack the folder holds (never read)."""
        try:
            return sum(1 for file in self.folder.iterdir() if file.suffix == OLD_SUFFIX)
        except OSError:
            return 0

    @staticmethod  # a plain function: it travels to spawned workers without the cache's state
    def encode(digest: Digest, extractions: tuple[CompactExtraction, ...]) -> EncodedEntry:
        """The entry of a digest just extracted, ready for ``add``.

        Runs in the process that extracted the digest (a worker, say), so encoding is shared
        among the processes and the parent only copies bytes.
        """
        payload = encode_payload(CachedDigest(digest, extractions))
        name = entry_name(digest.file_name, digest.id, digest.content_hash)
        return EncodedEntry(name, payload, checksum(payload))

    def saving(self, *, in_thread: bool = False, coming: int = 0) -> _PackSaver | _ThreadSaver:
        """A context that writes the next pack: the entries ``get`` returned so far at once, then
        each one ``add``ed, and puts it in place of the old pack when the block ends (or, when
        they only add to it, the pack of additions in place of the old one). If the block
        raises, or writing fails (a warning), the old pack is left as it was and no partial file
        remains. ``coming``: how many entries the block is expected to add. ``in_thread``: the
        entries are only gathered in the block, and written after it by a thread (the file is
        written, not built: the thread mostly waits on the disk without holding the
        interpreter); ``wait`` for it before reading the cache folder again."""
        if in_thread:
            return _ThreadSaver(self)
        pack = self._pack
        average = pack.payload_bytes // len(pack.index) if pack is not None and pack.index else 0
        return _PackSaver(self, coming * average)

    def wait(self) -> None:
        """Wait until a pack being written by a thread (``saving(in_thread=True)``) is in place."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def add(self, entry: EncodedEntry) -> None:
        """Put a new entry (from ``encode``) in the pack being written by ``saving``."""
        if self._saver is not None:
            self._saver.add(entry.name, entry.payload, entry.checksum)

    def warnings(self) -> list[str]:
        """One line per kind of problem met, for the build summary (after the pack is written)."""
        self.wait()
        lines = []
        if self.corrupt:
            what, reason = self.corrupt[0]
            more = f" and {len(self.corrupt) - 1} more" if len(self.corrupt) > 1 else ""
            lines.append(f"{self.folder}: ignored a corrupt cache file ({what}: {reason}){more}; re-extracted")
        if self.stale:
            entries = "1 cache entry" if self.stale == 1 else f"{self.stale} cache entries"
            lines.append(
                f"{self.folder}: {entries} written by another version of kg's code, gazetteer or libraries; re-extracted"
            )
        if self.write_errors:
            more = f" and {len(self.write_errors) - 1} more" if len(self.write_errors) > 1 else ""
            lines.append(f"cannot write the cache ({self.write_errors[0]}){more}; the next build extracts again")
        return lines

    def _adding_to(self, coming: int) -> str | None:
        """The identity of the pack the next one can add to, when the build used every entry of
        it and what is added (``coming`` bytes more, and the entries added before) stays small;
        None when a whole pack is to be written."""
        pack = self._pack
        if pack is None or not pack.index:
            return None
        if sum(1 for *_, in_pack in self._reused.values() if in_pack) != len(pack.index):
            return None  # entries no digest uses any more, or corrupt ones: a new pack drops them
        added = coming + sum(len(payload) for payload, _, in_pack in self._reused.values() if not in_pack)
        return pack.identity if added * ADDED_SHARE <= pack.payload_bytes else None

    def _remove_leftovers(self) -> None:
        """Delete old-format entries and stray temporary files (a killed build's) beside the pack."""
        try:
            files = list(self.folder.iterdir())
        except OSError:
            return
        for file in files:
            if file.suffix == OLD_SUFFIX or (file.name.startswith(".") and file.name.endswith(".tmp")):
                _remove(file)


def _remove(file: Path) -> None:
    try:
        file.unlink(missing_ok=True)
    except OSError as err:
        log.info("cannot remove %s: %s", file, err.strerror)


class _PackSaver:
    """The writing of one pack, or of the additions to the current one (see ExtractionCache.saving)."""

    def __init__(self, cache: ExtractionCache, coming: int = 0) -> None:
        self.cache = cache
        self.base = cache._adding_to(coming)
        """The identity of the pack this one adds to (None: a whole pack)."""
        # a pack cut short by a power failure fails the checks and is rebuilt
        self.atomic = open_atomic(cache.path if self.base is None else cache.added_path)
        self.opened = False
        self.writer: PackWriter | None = None
        self.error: OSError | None = None
        """The first write error: nothing more is written, and the pack is not put in place."""

    def __enter__(self) -> _PackSaver:
        cache = self.cache
        adding = self.base is not None
        try:
            handle = self.atomic.__enter__()
            self.opened = True
            self.writer = PackWriter(handle, cache.key, CACHE_FORMAT, self.base)
            reused = [(name, payload, check) for name, (payload, check, in_pack) in cache._reused.items() if not (adding and in_pack)]
            self.writer.add_all(reused)
        except OSError as err:
            self.error = err
        cache._reused.clear()
        cache._pack = cache._added = None  # the old packs' bytes are no longer needed
        cache._saver = self
        return self

    def add(self, name: str, payload: bytes, payload_checksum: str) -> None:
        self.add_all([(name, payload, payload_checksum)])

    def add_all(self, entries: list[tuple[str, bytes, str]]) -> None:
        if self.writer is not None and self.error is None:
            try:
                self.writer.add_all(entries)
            except OSError as err:
                self.error = err

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        cache = self.cache
        cache._saver = None
        # nothing to add to the pack (a build with no new digest): no file of additions at all
        nothing_added = self.base is not None and self.writer is not None and not self.writer.index
        if self.opened:
            if exc is None and self.error is None and self.writer is not None and not nothing_added:
                try:
                    self.writer.finish()
                except OSError as err:
                    self.error = err
            failure = exc if exc is not None else self.error
            if failure is None and nothing_added:
                failure = _NothingAdded()
            try:
                if failure is None:
                    self.atomic.__exit__(None, None, None)  # renames the temporary file into place
                else:  # removes it, and hands the failure back without raising it
                    self.atomic.__exit__(type(failure), failure, failure.__traceback__)
            except OSError as err:
                self.error = err
        if exc is None:
            if self.error is not None:
                cache.write_errors.append(f"{cache.path if self.base is None else cache.added_path}: {self.error.strerror or self.error}")
            else:
                if self.base is None or nothing_added:  # the pack holds every entry: the old additions go
                    _remove(cache.added_path)
                cache._remove_leftovers()
        return False


class _NothingAdded(Exception):
    """Discards a file of additions that would hold none."""


class _ThreadSaver:
    """``saving(in_thread=True)``: gathers the entries ``add``ed in the block, then writes the
    pack in a thread (see ExtractionCache.saving); nothing is written if the block raises."""

    def __init__(self, cache: ExtractionCache) -> None:
        self.cache = cache
        self.entries: list[tuple[str, bytes, str]] = []

    def __enter__(self) -> _ThreadSaver:
        self.cache.wait()  # one pack at a time
        self.cache._saver = self
        return self

    def add(self, name: str, payload: bytes, payload_checksum: str) -> None:
        self.entries.append((name, payload, payload_checksum))

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        cache = self.cache
        cache._saver = None
        if exc is None:
            cache._thread = threading.Thread(target=self._write, name="kg cache pack", daemon=False)
            cache._thread.start()
        return False

    def _write(self) -> None:
        try:
            with _PackSaver(self.cache, sum(len(payload) for _, payload, _ in self.entries)) as saver:
                saver.add_all(self.entries)
        except Exception as err:  # noqa: BLE001 - a thread's error would print a traceback; this one is a warning
            self.cache.write_errors.append(f"{self.cache.path}: {type(err).__name__}: {err}")
