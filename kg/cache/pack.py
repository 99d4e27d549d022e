"""The pack file: every entry of the cache in one file, written in one pass, checked piece by piece.

    KGPACK <format>\\n
    <payload><payload>...     each entry's bytes, back to back
    <index>                   JSON: [[entry, offset, length, "<checksum>"], ...], sorted by entry
    \\n<trailer>\\n             JSON: {"entries": n, "format": f, "index_length": L,
                                     "index_checksum": "<hex>", "key": "<fingerprint>"}

The index comes last so that a build can write the pack while entries arrive (copied from the
previous pack, or encoded by the workers), holding none of them. A pack whose magic line,
trailer or index checksum is wrong is *corrupt*, and one written whole in another format or
under another fingerprint (by another version of kg) is *stale*: nothing in it is used. An
entry whose bytes are cut short or do not match their checksum is corrupt on its own; the
others are still good. Checksums: kg.checksum.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import BinaryIO

from kg.checksum import checksum

PACK_NAME = "extractions.kgp"
"""The pack's file name inside the cache folder."""

ADDED_PACK_NAME = "extractions-added.kgp"
"""The file name of the pack of entries added to it (kg.cache.store)."""

MAGIC = b"KGPACK"

WRITE_BATCH = 8 << 20
"""Bytes of payloads joined into one write (``PackWriter.add_all``)."""


class CorruptPack(Exception):
    """Not a valid pack of this cache (one-line reason)."""


class StalePack(Exception):
    """A valid pack written under another fingerprint (other code, data or library versions)."""

    def __init__(self, entries: int) -> None:
        super().__init__(f"{entries} entries written under another fingerprint")
        self.entries = entries


class CorruptEntry(Exception):
    """An entry of a pack whose bytes cannot be trusted (one-line reason)."""


@dataclass(frozen=True, slots=True)
class PackEntry:
    """Where an entry's payload is in the pack, and its checksum."""

    offset: int
    length: int
    checksum: str


class Pack:
    """A pack's bytes with its index read and checked; each payload is checked when it is taken."""

    def __init__(self, data: bytes, index: dict[str, PackEntry], identity: str = "", base: str | None = None) -> None:
        self.data = data
        self.index = index
        self.identity = identity
        """The checksum of its index, which names every entry with its checksum."""
        self.base = base
        """For a pack of additions, the ``identity`` of the pack it adds to."""

    @property
    def payload_bytes(self) -> int:
        """The size of all its entries' payloads."""
        return sum(e.length for e in self.index.values())

    @classmethod
    def parse(cls, data: bytes, key: str, fmt: int) -> Pack:
        """The pack in ``data``; CorruptPack, or StalePack when it was written under another ``key``
        or in another format (by another version of kg)."""
        magic, newline, _ = data[:64].partition(b"\n")
        if not newline or not magic.startswith(MAGIC + b" "):
            raise CorruptPack("not a kg cache file")
        end = data.rfind(b"\n", 0, len(data) - 1)  # where the index ends and the trailer line starts
        try:
            trailer = json.loads(data[end + 1 :]) if end > 0 and data.endswith(b"\n") else None
        except ValueError:
            trailer = None
        if magic != b"%s %d" % (MAGIC, fmt):
            written = magic[len(MAGIC) + 1 :].decode("ascii", "replace")
            if isinstance(trailer, dict) and str(trailer.get("format")) == written and type(trailer.get("entries")) is int:
                raise StalePack(trailer["entries"])  # whole, in another kg's format
            raise CorruptPack(f"cache format {written!r}, expected {fmt}")
        if not isinstance(trailer, dict) or trailer.get("format") != fmt:
            raise CorruptPack("truncated, or no index at its end")
        length = trailer.get("index_length")
        start = end - length if type(length) is int and length >= 0 else -1
        if start < len(magic) + 1:
            raise CorruptPack("truncated, or no index at its end")
        index_bytes = data[start:end]
        if checksum(index_bytes) != trailer.get("index_checksum"):
            raise CorruptPack("index checksum mismatch")
        if trailer.get("key") != key:
            entries = trailer.get("entries")
            raise StalePack(entries if isinstance(entries, int) else 0)
        try:
            rows = json.loads(index_bytes)
            index = {name: PackEntry(offset, size, check) for name, offset, size, check in rows}
        except (ValueError, TypeError):
            raise CorruptPack("unreadable index") from None
        if not all(type(e.offset) is int and type(e.length) is int and type(e.checksum) is str for e in index.values()):
            raise CorruptPack("unreadable index")
        base = trailer.get("base")
        if base is not None and type(base) is not str:
            raise CorruptPack("unreadable trailer")
        return cls(data, index, trailer["index_checksum"], base)

    def payload(self, entry: str) -> memoryview | None:
        """The checked bytes of ``entry`` (None when the pack has no such entry); CorruptEntry
        when they are cut short or do not match their checksum."""
        where = self.index.get(entry)
        if where is None:
            return None
        if not (0 < where.offset and where.offset + where.length <= len(self.data)):
            raise CorruptEntry("outside the pack (truncated?)")
        payload = memoryview(self.data)[where.offset : where.offset + where.length]
        if checksum(payload) != where.checksum:
            raise CorruptEntry("checksum mismatch")
        return payload


class PackWriter:
    """Writes a pack to ``handle`` in one pass: ``add`` each entry, then ``finish``."""

    def __init__(self, handle: BinaryIO, key: str, fmt: int, base: str | None = None) -> None:
        self.handle = handle
        self.key = key
        self.fmt = fmt
        self.base = base
        """The identity of the pack this one adds to (None: a pack on its own)."""
        self.index: dict[str, PackEntry] = {}
        self.offset = handle.write(b"%s %d\n" % (MAGIC, fmt))

    def add(self, entry: str, payload: bytes | memoryview, payload_checksum: str) -> None:
        """Append ``entry``'s payload (once: a second payload under the same name is ignored)."""
        self.add_all([(entry, payload, payload_checksum)])

    def add_all(self, entries: list[tuple[str, bytes | memoryview, str]]) -> None:
        """``add`` each (entry, payload, checksum) of ``entries``, their payloads written a batch
        of about WRITE_BATCH bytes per call: a thread writing a pack then waits for the
        interpreter once per batch, not once per entry, and the copy a batch makes stays small
        whatever the size of the pack."""
        batch: list[bytes | memoryview] = []
        size = 0
        for entry, payload, payload_checksum in entries:
            if entry not in self.index:
                self.index[entry] = PackEntry(self.offset, len(payload), payload_checksum)
                self.offset += len(payload)
                batch.append(payload)
                size += len(payload)
                if size >= WRITE_BATCH:
                    self.handle.write(b"".join(batch))
                    batch.clear()
                    size = 0
        if batch:
            self.handle.write(b"".join(batch))

    def finish(self) -> None:
        """Write the index and the trailer; the pack is then complete."""
        rows = [[name, e.offset, e.length, e.checksum] for name, e in sorted(self.index.items())]
        index = json.dumps(rows, separators=(",", ":")).encode("ascii")
        trailer = {
            "entries": len(rows),
            "format": self.fmt,
            "index_length": len(index),
            "index_checksum": checksum(index),
            "key": self.key,
        }
        if self.base is not None:
            trailer["base"] = self.base
        self.handle.write(index + b"\n" + json.dumps(trailer, sort_keys=True).encode("ascii") + b"\n")
