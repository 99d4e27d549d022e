"""The export store: where the previous build's records of each export are, beside the outputs.

One file per export in the cache folder, written by the process that wrote the export, right
after it (so it describes the file beside it whichever process wrote which export)::

    DIR/.kg-cache/exports-graph.ttl.kgx     exports-graph.json.kgx     exports-neo4j.kgx

    KGEXPORT <format>\\n
    {"export": "graph.ttl", "fingerprint": "<hex>", "format": 3, "length": N, "checksum": "<hex>",
     "keys": K, "index": "<hex>"}\\n
    <N bytes: K bytes of marshal of the scope keys, then the marshal of the index>

The payload is plain dicts, lists, tuples, str, bytes and int behind a checksum (kg.checksum), so that
reading it takes a few milliseconds: marshal loads such values at memory speed and, unlike
pickle, cannot be made to run code (the checksum catches damage; marshal is only ever given
bytes that passed it). The scope keys are those of the graph the records were made from
(kg.export.scopes); the index says where each record is in the output, and the output's size
and checksum, which are checked before a byte of it is copied.

An index's large buffers (graph.ttl's sort keys: 0.1 GB at 100x a corpus whose names vary) are
written as they are, not copied into a marshal first, and read back the same way.

A build reads every store's keys first, to work out what is kept, and an export's index only
when that export is written (``ExportRecords.old_index``, which reads it again and checks it
against its own checksum, ``"index"``): the three indexes of a large corpus held together took
0.4 GB more while the largest was being written.

A store written by other export code, pyoxigraph or extraction (another *fingerprint*) is
stale, one that fails any check is corrupt, one named for another export is foreign: each is
ignored (that export is serialized whole) and reported in one warning line for the build.
"""

from __future__ import annotations

import logging
import marshal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from kg.cache.fingerprint import extraction_fingerprint
from kg.cache.versions import VersionHash
from kg.checksum import Running
from kg.export.files import open_atomic
from kg.export.merge import Inconsistent
from kg.export.scopes import ExportKeys, Reuse, export_keys
from kg.export.sealed import Unsealed, seal, unseal
from kg.memory import give_back
from kg.models import KnowledgeGraph

log = logging.getLogger(__name__)

STORE_FORMAT = 4
"""Bump when the layout of a store file or of an index changes (2: xxh3-128 checksums; 3: the
keys and the index marshalled apart; 4: an index's sort keys in one buffer, kg.export.merge.Keys,
and an index's large buffers written apart)."""

MAGIC = b"KGEXPORT"
EXPORTS = ("graph.ttl", "graph.json", "neo4j")
"""The exports that keep records, by output name."""

PACKAGE = Path(__file__).resolve().parents[1]
SOURCES = ("export", "checksum.py", "graph.py", "neo4j/bundle.py", "neo4j/model.py", "models.py", "memo.py")
"""kg's code that decides the bytes of a record (relative to the package)."""
LIBRARIES = ("pyoxigraph",)


def store_file(folder: Path, export: str) -> Path:
    return Path(folder) / f"exports-{export}.kgx"


@cache
def export_fingerprint() -> str:
    """SHA-256 (hex) over the store format, the export code, pyoxigraph's version, Python's and
    the extraction fingerprint: records are reused only under the same one."""
    h = VersionHash()
    h.part("format", str(STORE_FORMAT).encode())
    h.part("python", f"{sys.version_info[0]}.{sys.version_info[1]}".encode())
    h.libraries(LIBRARIES)
    files = []
    for name in SOURCES:
        path = PACKAGE / name
        files += sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts) if path.is_dir() else [path]
    h.sources(files, PACKAGE)
    h.part("extraction", extraction_fingerprint().encode())
    return h.hexdigest()


StoreProblem = Unsealed
"""A store file that cannot be trusted (``stale``: written by another version of kg)."""


def pack(export: str, fingerprint: str, keys: dict[str, Any], index: Any) -> bytes:
    """The bytes of a store file."""
    return b"".join(_packed(export, fingerprint, keys, index))


def _packed(export: str, fingerprint: str, keys: dict[str, Any], index: Any) -> list[bytes | bytearray]:
    """A store file in pieces, its header, its keys and its index's (not copied into one)."""
    keys_part = marshal.dumps(keys)
    buffers: list[bytes | bytearray] = []
    parts = [marshal.dumps(_left_out(index, buffers)), *buffers]
    running = Running()
    for part in parts:
        running.update(part)
    fields = {"export": export, "fingerprint": fingerprint, "keys": len(keys_part), "index": running.hexdigest(), "parts": [len(p) for p in parts]}
    return [seal(MAGIC, STORE_FORMAT, fields, keys_part, *parts), keys_part, *parts]


_APART = 1 << 20
"""Buffers of an index this long or longer are written apart."""
_MARK = "\0apart"
"""(_MARK, n) stands in the marshalled index for its n-th buffer written apart (no index holds
a str that starts with NUL: keys are ids, scopes start with a letter)."""


_LOOKED_INTO = 64
"""Dicts of up to this many entries are looked into for large buffers. An index is a tuple, or
a few tuples in a dict (the bundle's, one per CSV); its large dicts and lists hold records,
which are small, and are not walked through."""


def _left_out(value: Any, buffers: list[bytes | bytearray]) -> Any:
    """``value`` with each large buffer in its tuples and small dicts replaced by a mark, the
    buffer added to ``buffers``."""
    if isinstance(value, (bytes, bytearray)) and len(value) >= _APART:
        buffers.append(value)
        return (_MARK, len(buffers) - 1)
    if isinstance(value, tuple):
        return tuple(_left_out(v, buffers) for v in value)
    if isinstance(value, dict) and len(value) <= _LOOKED_INTO:
        return {k: _left_out(v, buffers) for k, v in value.items()}
    return value


def _put_back(value: Any, buffers: list[bytes]) -> Any:
    """``_left_out`` undone; _BAD when a mark names no buffer."""
    if isinstance(value, tuple):
        if len(value) == 2 and value[0] == _MARK:
            n = value[1]
            return buffers[n] if type(n) is int and 0 <= n < len(buffers) else _BAD
        value = tuple(_put_back(v, buffers) for v in value)
        return _BAD if any(v is _BAD for v in value) else value
    if isinstance(value, dict) and len(value) <= _LOOKED_INTO:
        value = {k: _put_back(v, buffers) for k, v in value.items()}
        return _BAD if any(v is _BAD for v in value.values()) else value
    return value


def unpack(data: bytes, export: str, fingerprint: str) -> tuple[dict[str, Any], Any]:
    """(scope keys, index) of a store file's bytes; StoreProblem when they cannot be trusted."""
    keys, stored = _keys(data, export, fingerprint, None)
    index = stored.assemble(stored.pieces(data))
    if index is _BAD:
        raise StoreProblem("bad payload")
    return keys, index


class StoredIndex(NamedTuple):
    """Where a store's index is, to be read when its export is written: its parts' lengths in
    the file from ``start`` (the marshal, then the buffers written apart) and their checksum."""

    path: Path | None
    start: int
    parts: tuple[int, ...]
    checksum: str

    def pieces(self, data: bytes | memoryview) -> list[bytes]:
        """The index's parts, cut from the store file's bytes."""
        found, at = [], self.start
        for length in self.parts:
            found.append(bytes(data[at : at + length]))
            at += length
        return found

    def load(self) -> Any:
        """The index, or None when the file no longer holds it (changed since it was read)."""
        try:
            with open(self.path, "rb") as handle:  # type: ignore[arg-type]
                handle.seek(self.start)
                pieces = [handle.read(length) for length in self.parts]  # each read once, into its own bytes
        except (OSError, TypeError):
            return None
        index = self.assemble(pieces)
        return None if index is _BAD else index

    def assemble(self, pieces: list[bytes]) -> Any:
        """The index from its parts, or _BAD when they are not what the header said."""
        running = Running()
        for piece, length in zip(pieces, self.parts, strict=True):
            if len(piece) != length:
                return _BAD
            running.update(piece)
        if running.hexdigest() != self.checksum:
            return _BAD
        value = _loads(pieces[0])
        return _BAD if value is _BAD else _put_back(value, pieces[1:])


_BAD = object()


def _loads(data: bytes | memoryview) -> Any:
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return _BAD


def _keys(data: bytes, export: str, fingerprint: str, path: Path | None) -> tuple[dict[str, Any], StoredIndex]:
    """The scope keys of a store file's bytes and where its index is; StoreProblem when they
    cannot be trusted."""
    header, payload = unseal(data, MAGIC, STORE_FORMAT, "export store")
    if header.get("export") != export:
        raise StoreProblem(f"the store of {header.get('export')!r}, not of {export}")
    if header.get("fingerprint") != fingerprint:
        raise StoreProblem("written by another version of kg's export code or pyoxigraph", stale=True)
    split, index_checksum, parts = header.get("keys"), header.get("index"), header.get("parts")
    if type(split) is not int or not 0 <= split <= len(payload) or not isinstance(index_checksum, str):
        raise StoreProblem("unreadable header")
    if not (isinstance(parts, list) and parts and all(type(n) is int and n >= 0 for n in parts) and split + sum(parts) == len(payload)):
        raise StoreProblem("unreadable header")
    keys = _loads(payload[:split])
    if not isinstance(keys, dict):
        raise StoreProblem("bad payload")
    start = len(data) - len(payload) + split
    return keys, StoredIndex(path, start, tuple(parts), index_checksum)


@dataclass
class ExportRecords:
    """What one export's writer needs to reuse records: the graph's scope keys, the previous
    records (None: serialize everything) and where to store the new ones (None: nowhere)."""

    keys: ExportKeys
    previous_keys: dict[str, Any] | None = None
    previous_index: Any = None
    """The previous records' index, or where it is in the store (StoredIndex): ``old_index``."""
    folder: Path | None = None
    export: str = ""
    made: list[tuple[KnowledgeGraph, dict[str, Any] | None, Reuse]] = field(default_factory=list, repr=False, compare=False)
    """The Reuse of each (graph, previous keys) so far, shared by the records ``prepare`` made
    together: their stores hold the same keys (one dict, see ``prepare``), so one Reuse serves
    every export."""

    def reuse(self, kg: KnowledgeGraph) -> Reuse:
        for graph, previous, made in self.made:
            if graph is kg and previous is self.previous_keys:
                return made
        made = Reuse(kg, self.keys, self.previous_keys)
        self.made.append((kg, self.previous_keys, made))
        return made

    def old_index(self) -> Any:
        """The previous records' index (read from the store now, when it was not yet), or None."""
        index = self.previous_index
        return index.load() if isinstance(index, StoredIndex) else index

    def save(self, index: Any) -> None:
        """Store ``index`` (the export's new records) with the keys they were made under."""
        if self.folder is None:
            return
        path = store_file(self.folder, self.export)
        give_back()  # what the writer freed, before the store's bytes take room: 70 MB less at 100x varied names
        try:
            # a store cut short (a power failure) fails its checksum, and the export is made whole
            with open_atomic(path) as handle:
                for piece in _packed(self.export, export_fingerprint(), self.keys.keys, index):
                    handle.write(piece)
        except OSError as err:
            log.warning("cannot write %s (%s); the next build serializes %s whole", path, err.strerror or err, self.export)


Previous = TypeVar("Previous")
Result = TypeVar("Result")


def write_reusing(
    where: Path,
    previous: Previous | None,
    write: Callable[[Previous | None], Result],
    records: ExportRecords | None,
    index_of: Callable[[Result], Any],
) -> Result | None:
    """``write(previous)``, copying the records still right from the previous build's files;
    when a fresh record clashes with a kept one (Inconsistent: a bug if it ever happens),
    ``write(None)``, making every record. The index of what was written (``index_of``) is
    stored with ``records``. None when even that clashed: the caller writes the export whole."""
    for attempt in (previous, None) if previous is not None else (None,):
        try:
            written = write(attempt)
        except Inconsistent as err:
            log.warning("%s: %s; written whole", where, err)
            continue
        if records is not None:
            records.save(index_of(written))
        return written
    return None


def prepare(kg: KnowledgeGraph, folder: Path | None, *, read: bool = True) -> tuple[dict[str, ExportRecords] | None, str | None]:
    """The records of each export for a build of ``kg`` whose store is in ``folder``, and the
    one warning line about stores that could not be used (None when there is none to give).

    ``read=False`` ignores the stores (every export is serialized whole) but still replaces
    them. None instead of records when ``kg`` cannot be cut into scopes: the exports are then
    written whole, and the stores, which would describe older files, are removed.
    """
    keys = export_keys(kg)
    if keys is None:
        if folder is not None:
            for export in EXPORTS:
                try:
                    store_file(folder, export).unlink(missing_ok=True)
                except OSError:
                    pass
        return None, None
    made: list = []
    records = {export: ExportRecords(keys, folder=folder, export=export, made=made) for export in EXPORTS}
    if folder is None or not read:
        return records, None
    problems: list[tuple[str, str]] = []  # (export, reason)
    stale = 0
    distinct: list[dict[str, Any]] = []  # the previous keys read so far, each once
    for export, record in records.items():
        try:
            loaded = _load(store_file(folder, export), export)
        except FileNotFoundError:
            continue
        except StoreProblem as err:
            if err.stale:
                stale += 1
            else:
                problems.append((export, str(err)))
            continue
        record.previous_keys, record.previous_index = _shared(loaded[0], distinct), loaded[1]
        del loaded  # keys equal to some read before go now, not once all are read
    found = []
    if problems:
        export, reason = problems[0]
        found.append(f"a corrupt export store ({export}: {reason})" + (f" and {len(problems) - 1} more" if len(problems) > 1 else ""))
    if stale:
        found.append(f"{stale} export store(s) written by another version of kg's code or libraries")
    if not found:
        return records, None
    return records, f"{folder}: ignored {' and '.join(found)}; those exports were serialized whole"


def _load(path: Path, export: str) -> tuple[dict[str, Any], StoredIndex]:
    """(previous keys, where the index is) from the store at ``path``; its bytes are let go on
    return. FileNotFoundError when there is none; StoreProblem when it cannot be used."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise FileNotFoundError(path) from None
    except OSError as err:
        raise StoreProblem(f"cannot read it ({err.strerror or err})") from None
    return _keys(data, export, export_fingerprint(), path)


def _shared(keys: dict[str, Any], distinct: list[dict[str, Any]]) -> dict[str, Any]:
    """``keys``, or the dict of ``distinct`` equal to it: the previous keys of stores that are
    equal (as when one build wrote them) are one dict, and what is kept of them is then worked
    out once (ExportRecords.reuse). A large corpus's keys are a few hundred MB as objects, so
    equal ones are let go as soon as they are read."""
    same = next((known for known in distinct if known == keys), None)
    if same is None:
        distinct.append(keys)
        return keys
    return same
