"""Output files: written atomically (a reader or a failed run never sees half a file), and found again."""

from __future__ import annotations

import ctypes
import gc
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
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
        if not _exchanged(tmp, path):
            os.replace(tmp, path)
            return
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        os.unlink(tmp)  # the old file, under the temporary name since the exchange
    except OSError:
        pass  # the new file is in place; a hidden leftover is all that remains


def _exchanged(tmp: str, path: Path) -> bool:
    """Swap the names of ``tmp`` and the regular file ``path`` in one step (Linux's renameat2
    with RENAME_EXCHANGE), leaving the old file at ``tmp``; False when not done (no such file,
    another kind of file, another system or a file system without it): then rename as usual.

    Why not simply rename: ext4 (by default) starts writing a file renamed over another one out
    to disk there and then, which took an add-one build about 15 ms for each export of 20 MB;
    an exchange, then removing the old file, does not. Readers see the old file or the new one,
    as with a rename.
    """
    if _renameat2 is None:
        return False
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
    except OSError:
        return False
    return _renameat2(_AT_FDCWD, os.fsencode(tmp), _AT_FDCWD, os.fsencode(path), _RENAME_EXCHANGE) == 0


def _load_renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later, musl 1.2.1
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    function.restype = ctypes.c_int
    return function


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2 = _load_renameat2()


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
