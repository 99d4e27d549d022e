"""A hash of versions: formats, Python, installed libraries and files, each part labelled.

What the extraction cache (kg.cache.fingerprint) and the reused HTML pages (kg.views.reuse)
are keyed under: any change to a part gives another hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path


class VersionHash:
    """SHA-256 over labelled parts; a part's label and length go in first, so parts never run together."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def part(self, label: str, data: bytes) -> None:
        self._hash.update(f"{label}\0{len(data)}\0".encode())
        self._hash.update(data)

    def libraries(self, names: Iterable[str]) -> None:
        """The installed version of each distribution (``absent`` when it is not installed)."""
        for name in names:
            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                version = "absent"
            self.part(f"library {name}", version.encode())

    def sources(self, files: Iterable[Path], root: Path) -> None:
        """The bytes of each file, labelled by its path relative to ``root``."""
        for path in files:
            self.part(f"source {path.relative_to(root).as_posix()}", path.read_bytes())

    def digest(self) -> bytes:
        return self._hash.digest()

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
