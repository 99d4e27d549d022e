"""``Memo``: a value worked out once per key, for the hot loops that meet the same keys again.

A corpus repeats itself (the same names, lines and phrases, the same node ids in every edge),
so several stages keep what they made by key. A hit is a plain dict lookup, done in C; only a
miss runs Python.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(dict[K, V], Generic[K, V]):
    """``memo[key]`` is ``make(key)``, made on first use. With ``limit``, a memo that holds that
    many values forgets them all before it takes another: the keys that matter come straight
    back, and memory stays bounded however large the corpus."""

    def __init__(self, make: Callable[[K], V], limit: int | None = None) -> None:
        super().__init__()
        self.make = make
        self.limit = limit

    def __missing__(self, key: K) -> V:
        if self.limit is not None and len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value
