"""Stable digest ids: a slug of the file's path relative to its input root."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePath

_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def digest_id(relative: PurePath) -> str:
    """Lowercase ASCII slug of a relative path, the same on every machine.

    Path parts stay separated by ``/`` and keep their extension (``news/2026-02-07.md``).
    When characters outside ASCII had to be dropped, a short hash of the original path is
    appended so that differently named files cannot share an id.
    """
    return digest_id_of_posix(relative.as_posix())


def digest_id_of_posix(posix: str) -> str:
    """``digest_id`` of a relative path written as pathlib writes it (``as_posix``)."""
    parts = [_slug_part(part) for part in posix.split("/") if part != "."]  # as PurePath(posix).parts
    slug = "/".join(p for p in parts if p)
    if not slug or not posix.isascii():
        digest = hashlib.sha256(posix.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else f"digest-{digest}"
    return slug


def _slug_part(part: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", ascii_text.lower()).strip("-")
