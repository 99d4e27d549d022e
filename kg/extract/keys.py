"""``identity_key`` remembered per string, for extraction.

The rules ask for the key of the same few thousand surfaces hundreds of thousands of times per
corpus (stop-word tests, gazetteer lookups); one C-level cache lookup answers them, where
``kg.resolve.normalize.identity_key`` passes through two Python calls before its own cache.
"""

from __future__ import annotations

from functools import lru_cache

from kg.resolve import normalize

identity_key = lru_cache(maxsize=1 << 17)(normalize.identity_key)
"""``kg.resolve.normalize.identity_key``, the same keys."""
