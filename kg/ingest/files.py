"""Find digest files under the paths given on the command line."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from kg.errors import InputPathError
from kg.ingest.subtitles import SUBTITLE_SUFFIXES

log = logging.getLogger(__name__)

DIGEST_SUFFIXES = frozenset({".md", ".markdown", ".txt", *SUBTITLE_SUFFIXES})
"""File extensions read as digests when walking a folder (compared case-insensitively); subtitle
files are read as transcripts (kg.ingest.subtitles)."""


def find_digest_files(paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """Every digest file under ``paths`` with the root it was found under.

    Folders are walked recursively, skipping hidden files and folders; a file named directly
    is taken whatever its extension, with its own folder as root. A file reached twice is
    listed once. The result is sorted by root, then by path within the root.

    Raises InputPathError for a path that does not exist.
    """
    found: list[tuple[Path, Path]] = []
    for path in paths:
        if not path.exists():
            raise InputPathError(str(path))
        if path.is_dir():
            found.extend((file, path) for file in _walk(path))
        else:
            found.append((path, path.parent))
    seen: set[Path] = set()
    unique: list[tuple[Path, Path]] = []
    for file, root in sorted(found, key=_sort_key):
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((file, root))
    return unique


def is_digest_name(name: str) -> bool:
    """Whether a file name has a digest extension and is not hidden."""
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in DIGEST_SUFFIXES


def _walk(root: Path) -> list[Path]:
    files: list[Path] = []

    def warn(error: OSError) -> None:
        log.warning("cannot list %s: %s", error.filename, error.strerror)

    for folder, dirnames, filenames in os.walk(root, onerror=warn):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        base = Path(folder)
        files.extend(base / name for name in filenames if is_digest_name(name))
    return files


def _sort_key(entry: tuple[Path, Path]) -> tuple[str, tuple[str, ...]]:
    file, root = entry
    try:
        relative = file.relative_to(root).parts
    except ValueError:
        relative = file.parts
    return root.as_posix(), relative
