"""Output files: written atomically (a reader or a failed run never sees half a file), and found again."""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from kg.errors import KGError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it, then rename it over ``path``."""
    with open_atomic(path) as handle:
        handle.write(data)


def write_text_atomic(path: Path, pieces: Iterable[str], batch: int = 1 << 20) -> None:
    """Write ``pieces`` (str, UTF-8 encoded) atomically, about ``batch`` characters at a time:
    the whole text is never held in memory, and the file is not written a piece at a time."""
    with open_atomic(path) as handle:
        buffer: list[str] = []
        size = 0
        for piece in pieces:
            buffer.append(piece)
            size += len(piece)
            if size >= batch:
                handle.write("".join(buffer).encode("utf-8"))
                buffer.clear()
                size = 0
        handle.write("".join(buffer).encode("utf-8"))


@contextmanager
def open_atomic(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: a temporary file beside it, flushed and renamed
    over ``path`` when the block ends, removed if it raises.

    Not synced to disk (no fsync): a reader or a failed run never sees half a file, which is what
    the rename is for, and every output can be made again from the digests. Syncing cost an
    add-one build 5% of its time (21 files). After a power failure a file may be short; the
    caches and the exports' records carry checksums and are rebuilt when they fail them.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector for a block that makes many acyclic objects.

    An export makes millions of short-lived tuples and strings next to a large, long-lived
    graph; each collection the allocations trigger would rescan that graph and free nothing
    (reference counting frees them). Collection resumes, as before, when the block ends.

    ``freeze``: the block's objects live on (decoded digests, the graph): they are frozen before
    collection resumes, so no later collection scans them (merely pausing would leave that scan
    to the first allocation after the block). Whoever freezes unfreezes (``gc.unfreeze``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def current_umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def turtle_export(path: Path) -> Path:
    """The Turtle export a command works on: ``path/graph.ttl`` for a build folder, else ``path``."""
    path = Path(path)
    if path.is_dir():
        file = path / "graph.ttl"
        if file.is_file():
            return file
        raise KGError(f"{path}: no graph.ttl here; run `kg build --out {path}` first")
    if path.is_file():
        return path
    if path.suffix == ".ttl":
        raise KGError(f"{path}: no such file; run `kg build --out {path.parent}` first")
    raise KGError(f"{path}: no graph.ttl here; run `kg build --out {path}` first")
