"""A file kg writes for a later build to read back: a magic line, a JSON header, a checksummed payload.

    <MAGIC> <format>\\n
    {"checksum": "<hex>", "format": <format>, "length": N, ...}\\n
    <N bytes of payload>

The export stores (kg.export.store) and the resolution store (kg.resolve.store) are such files;
each adds its own fields to the header (which export, which fingerprint) and checks them.
"""

from __future__ import annotations

import json
from typing import Any

from kg.checksum import Running, checksum


class Unsealed(Exception):
    """A file that cannot be trusted; the message says why, in a few words. ``stale``: a
    well-formed file of another format (written by another version of kg), not damage."""

    def __init__(self, reason: str, stale: bool = False) -> None:
        super().__init__(reason)
        self.stale = stale


def seal(magic: bytes, fmt: int, fields: dict[str, Any], *payload: bytes) -> bytes:
    """The magic line and header line to write before ``payload`` (its pieces, to be written
    one after the other), with ``fields`` in the header."""
    running = Running()
    for piece in payload:
        running.update(piece)
    header = {**fields, "format": fmt, "length": sum(map(len, payload)), "checksum": running.hexdigest()}
    return b"%s %d\n%s\n" % (magic, fmt, json.dumps(header, sort_keys=True).encode())


def unseal(data: bytes, magic: bytes, fmt: int, kind: str) -> tuple[dict[str, Any], memoryview]:
    """The header and the payload of a file's bytes, once its magic line, format, length and
    checksum are right; Unsealed when they are not. ``kind`` names the file in the reasons.
    The payload is a view of ``data``, not a copy: a store is hundreds of MB in a large corpus."""
    end = data.find(b"\n")
    first = data[:end] if end >= 0 else data
    if not first.startswith(magic + b" "):
        raise Unsealed(f"not a kg {kind}")
    if first != b"%s %d" % (magic, fmt):
        raise Unsealed(f"another {kind} format", stale=True)
    stop = data.find(b"\n", end + 1)
    line = data[end + 1 : stop] if stop >= 0 else data[end + 1 :]
    payload = memoryview(data)[stop + 1 :] if stop >= 0 else memoryview(b"")
    try:
        header = json.loads(line)
    except ValueError:
        raise Unsealed("unreadable header") from None
    if not isinstance(header, dict) or header.get("format") != fmt:
        raise Unsealed("unreadable header")
    if header.get("length") != len(payload):
        raise Unsealed(f"truncated or padded ({len(payload)} bytes, header says {header.get('length')})")
    if header.get("checksum") != checksum(payload):
        raise Unsealed("checksum mismatch")
    return header, payload
