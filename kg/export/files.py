"""Output files: written atomically (a reader or a failed run never sees half a file), and found again."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kg.errors import KGError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
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
