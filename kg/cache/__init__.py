"""The extraction cache of ``kg build``: what was read and extracted from each digest, reused while valid.

    DIR/.kg-cache/<entry>.kgc       one file per digest, keyed by its path, id and content hash
    codec.py                        Digest / ItemExtraction <-> JSON-able lists
    fingerprint.py                  the version of the code, data and libraries extraction depends on
    store.py                        the files: header, checksum, atomic writes, validation, pruning
"""

from kg.cache.fingerprint import extraction_fingerprint
from kg.cache.store import CACHE_DIR_NAME, CachedDigest, ExtractionCache

__all__ = ["CACHE_DIR_NAME", "CachedDigest", "ExtractionCache", "extraction_fingerprint"]
