"""Find digest files under the paths given on the command line."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from operator import itemgetter
from pathlib import Path

from kg.errors import InputPathError
from kg.ingest.subtitles import SUBTITLE_SUFFIXES

log = logging.getLogger(__name__)

DIGEST_SUFFIXES = frozenset({".md", ".markdown", ".txt", *SUBTITLE_SUFFIXES})
"""File extensions read as digests when walking a folder (compared case-insensitively); subtitle
files are read as transcripts (kg.ingest.subtitles)."""


def find_digest_files(paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """Every digest file under ``paths`` with the root it was found under.

    Folders are walked recursively, skipping hidden files and folders and not following links
    to folders; a file named directly is taken whatever its extension, with its own folder as
    root. A file reached twice (its real path, links resolved) is listed once. The result is
    sorted by root, then by path within the root.

    Raises InputPathError for a path that does not exist.
    """
    found: list[tuple[tuple[str, tuple[str, ...]], Path, Path, str]] = []  # (sort key, file, root, real path)
    for path in paths:
        if not path.exists():
            raise InputPathError(str(path))
        if path.is_dir():
            top, real_top = path.as_posix(), os.path.realpath(path)
            for parts, link in _walk(path):
                # below the root only links can lead elsewhere: a walked folder is never one
                real = os.path.realpath(link) if link is not None else os.path.join(real_top, *parts)
                found.append(((top, parts), path.joinpath(*parts), path, real))
        else:
            found.append(((path.parent.as_posix(), (path.name,)), path, path.parent, os.path.realpath(path)))
    seen: set[str] = set()
    unique: list[tuple[Path, Path]] = []
    for _, file, root, real in sorted(found, key=itemgetter(0)):
        if real not in seen:
            seen.add(real)
            unique.append((file, root))
    return unique


def is_digest_name(name: str) -> bool:
    """Whether a file name has a digest extension and is not hidden."""
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in DIGEST_SUFFIXES


def _walk(root: Path) -> list[tuple[tuple[str, ...], str | None]]:
    """The digest files under ``root``: each one's path below it, in parts, and its own path
    when it is a link (None otherwise). Links to folders are not followed, like ``os.walk``."""
    files: list[tuple[tuple[str, ...], str | None]] = []
    folders: list[tuple[str, tuple[str, ...]]] = [(os.fspath(root), ())]
    while folders:
        folder, parts = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as error:
            log.warning("cannot list %s: %s", error.filename, error.strerror)
            continue
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if not entry.name.startswith(".") and not entry.is_symlink():
                    folders.append((entry.path, (*parts, entry.name)))
            elif is_digest_name(entry.name):
                files.append(((*parts, entry.name), entry.path if entry.is_symlink() else None))
    return files
