"""Checksums of the files kg writes and later reads back: the cache's pack, the exports' stores,
the exports themselves and the HTML pages.

A checksum tells whether a file is still the one kg wrote (not damaged, cut short or edited);
it names nothing. What identifies content stays SHA-256 (a digest file's bytes, the cache's
entry names, the fingerprints of code and of pages' inputs). xxh3-128 is a non-cryptographic
hash made for this job: about 10 GB/s on our machines against SHA-256's 1.2 GB/s, which matters
because adding one digest to a build of 1,000 reads and writes about 130 MB of checked files.
"""

from __future__ import annotations

import xxhash

Running = xxhash.xxh3_128
"""A checksum fed piece by piece: ``update(data)``, then ``hexdigest()``."""


def checksum(data: bytes | memoryview) -> str:
    """The checksum of ``data`` (32 hex digits)."""
    return xxhash.xxh3_128_hexdigest(data)
