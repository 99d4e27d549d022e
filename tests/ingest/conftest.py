"""Helpers for the ingest tests: write a digest's bytes to a temporary folder and read it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.ingest import read_digest
from kg.models import Digest


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (UTF-8 unless bytes are given) to ``tmp_path / name`` and return the path."""

    def _write(content: str | bytes, name: str = "digest.md") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write


@pytest.fixture
def read(write: Callable[..., Path], tmp_path: Path) -> Callable[..., Digest]:
    """Write a digest and read it back with read_digest."""

    def _read(content: str | bytes, name: str = "digest.md") -> Digest:
        return read_digest(write(content, name), tmp_path)

    return _read
