"""An output file as records: the previous build's still-right records copied, new ones merged in.

A file is a header, records and (for graph.json) more fixed text between and after them. An
*index* says where each record of a file is and which scope it was made from; with it, the
next build copies the runs of records whose scope is unchanged straight from the old file
(mapped, never parsed) and writes the records made afresh between them, in the file's order:

    sorted files  (graph.ttl, the CSVs)  records in the order of a sort key each has; new
                  records are placed by binary search among the old keys (``write_sorted``)
    ordered files (graph.json)           the graph's own order, walked record by record
                  (``OrderedWriter``)

An old file is used only while its size and checksum (kg.checksum) are those recorded when it
was written.
"""

from __future__ import annotations

import logging
import mmap
import os
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import numpy as np

from kg.checksum import Running

log = logging.getLogger(__name__)


class Inconsistent(Exception):
    """Records made afresh clash with records kept (a bug if it ever happens): the caller
    writes the export whole instead."""


class Written:
    """A binary file being written, with the size and checksum of what went in."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.checksum = Running()
        self.size = 0

    def write(self, data: bytes | memoryview) -> None:
        self.handle.write(data)
        self.checksum.update(data)
        self.size += len(data)

    def stamp(self) -> tuple[int, str]:
        """(size, checksum) of everything written."""
        return self.size, self.checksum.hexdigest()


class OldFile:
    """An output file of the previous build, mapped read-only, and known to be the one indexed.

    A page of the file, once read, stays in this process's memory (and counts in its size)
    until it is let go: without ``let_go``, adding one digest to 16,000 held the whole old
    graph.ttl, 1 GB where names vary, on top of the graph. Pages let go are read again from the
    page cache or the disk if they are needed again."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        self.data = data
        self.view = memoryview(data)

    def pieces(self, start: int, end: int) -> Iterator[memoryview]:
        """Bytes [start, end) of the file, ``_STEP`` at a time, each let go once the caller is
        done with it (asks for the next)."""
        for first in range(start, end, _STEP):
            last = min(first + _STEP, end)
            yield self.view[first:last]
            self.let_go(first, last)

    def let_go(self, start: int, end: int) -> None:
        """Drop the pages of bytes [start, end) from this process's memory, when mapped."""
        if isinstance(self.data, mmap.mmap) and end > start and _DONTNEED is not None:
            first = start - start % mmap.PAGESIZE
            self.data.madvise(_DONTNEED, first, min(end, len(self.data)) - first)

    @classmethod
    def open(cls, path: Path, stamp: Any) -> OldFile | None:
        """The file at ``path`` when it has the (size, checksum) ``stamp``, else None."""
        if not (isinstance(stamp, tuple) and len(stamp) == 2):
            return None
        size, expected = stamp
        try:
            with open(path, "rb") as handle:
                if os.fstat(handle.fileno()).st_size != size:
                    return None
                data: bytes | mmap.mmap = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        except (OSError, ValueError):
            return None
        old = cls(data)
        running = Running()
        for piece in old.pieces(0, size):
            running.update(piece)
        if running.hexdigest() != expected:
            return None
        return old


_STEP = 1 << 24
"""Bytes of an old file checked, or copied in one piece, before they are let go."""
_DONTNEED = getattr(mmap, "MADV_DONTNEED", None)


# Sorted files


class Chunk(NamedTuple):
    """Records made afresh, in order: their bytes one after the other in ``body``."""

    keys: list[str]
    """Ascending, none holding U+001F (see Keys)."""
    scopes: list[str]
    lengths: list[int]
    body: bytes
    tags: list[Any] | None = None
    """A value per record that its writer keeps in the index (see SortedIndex.tags)."""


class Keys:
    """The sort keys of a sorted file's records: UTF-8, end to end in one buffer, each followed
    by U+001F, which no key holds (ids never do: kg.export.scopes.well_formed; a key that did
    would show as one key too many, and the index would not be used). A large file has millions
    of records (2.8 million in graph.ttl at 100x a corpus whose names vary): a str object and a
    list slot each took 0.2 GB there, held to the end of the write."""

    __slots__ = ("data", "count", "_ends", "_listed")

    def __init__(self, data: bytes = b"") -> None:
        self.data: bytes | bytearray = data if data else bytearray()
        self.count = data.count(_SEPARATOR)
        self._ends: np.ndarray | None = None
        self._listed: list[str] | None = None

    def __len__(self) -> int:
        return self.count

    def extend(self, keys: list[str]) -> None:
        self.data += b"".join([key.encode("utf-8") + _SEPARATOR for key in keys])  # type: ignore[operator]  # a Keys being written holds a bytearray
        self.count += len(keys)
        self._ends = self._listed = None

    def extend_from(self, other: Keys, start: int, stop: int) -> None:
        """Add the keys [start, stop) of ``other``, copied as they are."""
        if stop <= start:
            return
        ends = other.ends()
        self.data += memoryview(other.data)[int(ends[start - 1]) if start else 0 : int(ends[stop - 1])]  # type: ignore[operator]
        self.count += stop - start
        self._ends = self._listed = None

    def ends(self) -> np.ndarray:
        """Where each key and its separator end in ``data`` (worked out once)."""
        if self._ends is None:
            self._ends = np.flatnonzero(np.frombuffer(self.data, dtype=np.uint8) == _SEPARATOR[0]) + 1
        return self._ends

    def as_list(self) -> list[str]:
        """Every key, in a list (what binary search reads; made once)."""
        if self._listed is None:
            self._listed = self.data[:-1].decode("utf-8").split(_SEPARATOR.decode()) if self.data else []
        return self._listed


_SEPARATOR = b"\x1f"


@dataclass
class SortedIndex:
    """Where the records of a sorted file are: after ``head`` bytes, one after the other."""

    head: int = 0
    keys: Keys = field(default_factory=Keys)
    """Each record's sort key, ascending (str order)."""
    scopes: list[str] = field(default_factory=list)
    lengths: array = field(default_factory=lambda: array("q"))
    tags: list[Any] | None = None
    """With some writers, a value per record (None for most) that says, besides its scope,
    what the record was made from: graph.ttl's evidence blocks (see kg.export.rdf)."""
    stamp: tuple[int, str] = (0, "")
    """(size, checksum) of the file."""

    def pack(self) -> tuple:
        return (self.head, self.keys.data, self.scopes, self.lengths.tobytes(), self.tags, self.stamp)

    @classmethod
    def unpack(cls, value: Any) -> SortedIndex | None:
        """The index ``pack`` made, or None when ``value`` is not one."""
        try:
            head, keys, scopes, lengths, tags, stamp = value
            keys = bytes(keys) if isinstance(keys, bytearray) else keys
            sizes = array("q")
            sizes.frombytes(lengths)
        except (TypeError, ValueError):
            return None
        if not (isinstance(head, int) and isinstance(keys, bytes) and isinstance(scopes, list) and isinstance(stamp, tuple)):
            return None
        if keys and not keys.endswith(_SEPARATOR):
            return None
        found = Keys(keys)
        if not (len(found) == len(scopes) == len(sizes)) or len(stamp) != 2 or (sizes and min(sizes) < 0):
            return None
        if tags is not None and (not isinstance(tags, list) or len(tags) != len(scopes)):
            return None
        if stamp[0] < head + sum(sizes):
            return None
        return cls(head, found, scopes, sizes, tags, stamp)


def write_sorted(
    out: Written,
    head: bytes,
    chunks: Iterable[Chunk],
    previous: tuple[OldFile, SortedIndex] | None = None,
    kept: frozenset[str] = frozenset(),
    *,
    also_kept: Iterable[int] = (),
    head_alone: bool = True,
    tags: bool = False,
) -> SortedIndex:
    """Write ``head`` then the records: those of ``previous`` whose scope is in ``kept`` (and
    those at the places ``also_kept``), and those of ``chunks`` (ascending keys), merged by key.
    ``head_alone=False``: a file without records is empty, head included (as pyoxigraph writes
    an empty graph). ``tags``: keep the records' tags in the index. Returns the index of what
    was written. Raises Inconsistent when a fresh record has the key of a kept one."""
    index = SortedIndex(head=len(head), tags=[] if tags else None)
    pieces = _merged(chunks, previous, kept, also_kept, index)
    first = next(pieces, None)
    if first is not None or head_alone:
        out.write(head)
    if first is not None:
        out.write(first)
        for piece in pieces:
            out.write(piece)
    if first is None and not head_alone:
        index.head = 0
    index.stamp = out.stamp()
    return index


def _merged(
    chunks: Iterable[Chunk], previous: tuple[OldFile, SortedIndex] | None, kept: frozenset[str], also_kept: Iterable[int], index: SortedIndex
) -> Iterator[bytes | memoryview]:
    """The pieces of the file after its head, in order; fills ``index`` as they come."""
    keys, scopes, lengths, tags = index.keys, index.scopes, index.lengths, index.tags

    def fresh_tags(chunk: Chunk, start: int, end: int) -> None:
        if tags is not None:
            tags.extend(chunk.tags[start:end] if chunk.tags is not None else [None] * (end - start))

    if previous is None:
        for chunk in chunks:
            keys.extend(chunk.keys)
            scopes += chunk.scopes
            lengths.extend(chunk.lengths)
            fresh_tags(chunk, 0, len(chunk.keys))
            yield chunk.body
        return
    old, old_index = previous
    old_keys, old_scopes, old_lengths, old_tags = old_index.keys.as_list(), old_index.scopes, old_index.lengths, old_index.tags
    n = len(old_keys)
    offsets = array("q", accumulate(old_lengths, initial=old_index.head))  # not a list: an int object a record
    alive = bytearray(map(kept.__contains__, old_scopes))  # 1 for a record to copy, 0 for one to drop
    for i in also_kept:
        alive[i] = 1

    def copied(a: int, b: int) -> Iterator[memoryview]:
        """The old records in [a, b) to keep, in runs."""
        while a < b:
            dropped = alive.find(0, a, b)
            stop = b if dropped < 0 else dropped
            if stop > a:
                keys.extend_from(old_index.keys, a, stop)
                scopes.extend(old_scopes[a:stop])
                lengths.extend(old_lengths[a:stop])
                if tags is not None:
                    tags.extend(old_tags[a:stop] if old_tags is not None else [None] * (stop - a))
                yield from old.pieces(offsets[a], offsets[stop])
            a = b if dropped < 0 else dropped + 1

    i = 0  # the next old record to consider
    for chunk in chunks:
        fresh, m = chunk.keys, len(chunk.keys)
        starts = list(accumulate(chunk.lengths, initial=0))
        body = memoryview(chunk.body)
        r = 0
        while r < m:
            j = bisect_left(old_keys, fresh[r], i)
            if j < n and alive[j] and old_keys[j] == fresh[r]:
                raise Inconsistent(f"record {fresh[r]!r} is both kept and made afresh")
            yield from copied(i, j)
            i = j
            end = bisect_left(fresh, old_keys[j], r + 1) if j < n else m  # the fresh records before old record j
            keys.extend(fresh[r:end])
            scopes.extend(chunk.scopes[r:end])
            lengths.extend(chunk.lengths[r:end])
            fresh_tags(chunk, r, end)
            yield body[starts[r] : starts[end]]
            r = end
    yield from copied(i, n)


# Ordered files


class OrderedWriter:
    """Records in an order the caller walks, in lists whose records are separated by
    ``separator``: each record copied from the old file (runs of consecutive ones in one piece)
    or given afresh. Each call returns the record's (offset, length) in the new file."""

    def __init__(self, out: Written, old: OldFile | None, separator: bytes) -> None:
        self.out = out
        self.old = old
        self.separator = separator
        self.position = out.size  # where the next record would start, once pending bytes are written
        self.first = True  # no record in the current list yet
        self.pending: tuple[int, int, bool] | None = None  # an old run [start, end) not written yet, after a separator?

    def copy(self, offset: int, length: int) -> tuple[int, int]:
        """The old record at ``offset``."""
        if self.old is None or offset < 0 or length <= 0 or offset + length > len(self.old.view):
            raise Inconsistent(f"no old record at {offset}+{length}")
        place, after_separator = self._place(length)
        pending = self.pending
        # the next record of the old file: the records of a list are apart by the separator
        # alone, and the lists by longer text, so this one is the next in the same list
        if pending is not None and pending[1] + len(self.separator) == offset:
            self.pending = (pending[0], offset + length, pending[2])
        else:
            self._flush()
            self.pending = (offset, offset + length, after_separator)
        return place

    def fresh(self, data: bytes) -> tuple[int, int]:
        """A record made afresh (not empty)."""
        self._flush()
        place, after_separator = self._place(len(data))
        if after_separator:
            self.out.write(self.separator)
        self.out.write(data)
        return place

    def end(self) -> None:
        """Write what is pending; the next record starts a new list."""
        self._flush()
        self.first = True

    def write(self, text: bytes) -> None:
        """Fixed text, after the current list."""
        self.end()
        self.out.write(text)
        self.position = self.out.size

    def _place(self, length: int) -> tuple[tuple[int, int], bool]:
        after_separator = not self.first
        if after_separator:
            self.position += len(self.separator)
        self.first = False
        place = (self.position, length)
        self.position += length
        return place, after_separator

    def _flush(self) -> None:
        if self.pending is not None:
            assert self.old is not None
            start, end, after_separator = self.pending
            if after_separator:
                self.out.write(self.separator)
            for piece in self.old.pieces(start, end):
                self.out.write(piece)
            self.pending = None
