"""The extraction cache of ``kg build``: what was read and extracted from each digest, reused while valid.

    DIR/.kg-cache/extractions.kgp   the pack: an entry per digest, keyed by its name, id and content hash
    DIR/.kg-cache/extractions-added.kgp   the entries added since the pack was written (a build that only adds)
    codec.py                        Digest / CompactExtraction <-> plain tuples (marshal payloads)
    fingerprint.py                  the version of the code, data and libraries extraction depends on
    pack.py                         the pack file: payloads, checksummed index, one-pass writing
    store.py                        the cache of a build: look-ups, encoding, the next pack, warnings
    extractions.py                  the extractions of a build's items, the cache's decoded when first needed
"""

from kg.cache.fingerprint import extraction_fingerprint
from kg.cache.store import CACHE_DIR_NAME, CachedDigest, ExtractionCache

__all__ = ["CACHE_DIR_NAME", "CachedDigest", "ExtractionCache", "extraction_fingerprint"]
