"""Co-mention links: every pair of entities some item mentions together, weighted by the number
of such items.

A corpus of 1,000 digests gives about 430,000 pairs (an item listing 60 names alone gives
1,770), so they are counted as numbers in numpy, not as tuples in a Counter: each entity is
its place among the sorted ids, each pair ``a * n + b``, and the sorted distinct numbers are
the links in the order of (source, target). Items are taken a share at a time so that the
pairs held at once stay within ``PAIRS_AT_ONCE`` whatever the corpus.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from kg.models import CoMention, ItemMentions

MAX_CO_MENTIONED = 60
"""Co-mention links of one item join at most its 60 most-mentioned entities: beyond that the
item is a list, the links say nothing, and their number would grow with the square."""

PAIRS_AT_ONCE = 4_000_000
"""Pairs counted in one share of the items: about 160 MB of numpy arrays at the peak (measured
with tracemalloc); a corpus of 1,000 digests is one share, one of 16,000 about eleven."""


def co_mentions(item_mentions: Sequence[ItemMentions]) -> tuple[CoMention, ...]:
    """Every pair of entities some item mentions together, weighted by the number of such items
    (an item links only its MAX_CO_MENTIONED most-mentioned entities), sorted by (source, target)."""
    linked = [_linked(m) for m in item_mentions]
    ids = sorted(set().union(*linked))
    place = {entity_id: i for i, entity_id in enumerate(ids)}
    pairs, weights = [], []
    for share in _shares(linked):
        counted = np.unique(_pair_numbers(share, place, len(ids)), return_counts=True)
        pairs.append(counted[0])
        weights.append(counted[1])
    if not pairs:
        return ()
    if len(pairs) == 1:
        numbers, counts = pairs[0], weights[0]
    else:
        numbers, where = np.unique(np.concatenate(pairs), return_inverse=True)
        counts = np.bincount(where, weights=np.concatenate(weights)).astype(np.int64)
    sources, targets = np.divmod(numbers, len(ids))
    name = ids.__getitem__
    return tuple(map(CoMention, map(name, sources.tolist()), map(name, targets.tolist()), counts.tolist()))


def _linked(mentioned: ItemMentions) -> tuple[str, ...] | list[str]:
    """The entities an item links (sorted, so each pair comes as (a, b) with a < b)."""
    linked = mentioned.entity_ids
    if len(linked) > MAX_CO_MENTIONED:
        count = dict(zip(linked, mentioned.counts))
        return sorted(sorted(linked, key=lambda i: (-count[i], i))[:MAX_CO_MENTIONED])
    return linked


def _shares(linked: list) -> Iterator[list]:
    """``linked`` cut into consecutive shares of at most PAIRS_AT_ONCE pairs (or one item)."""
    share: list = []
    pairs = 0
    for entities in linked:
        n = len(entities) * (len(entities) - 1) // 2
        if share and pairs + n > PAIRS_AT_ONCE:
            yield share
            share, pairs = [], 0
        if n:
            share.append(entities)
            pairs += n
    if share:
        yield share


def _pair_numbers(linked: list, place: dict[str, int], n: int) -> np.ndarray:
    """``a * n + b`` for every pair (a, b), a before b, of entities linked by one item.

    The items' entities, numbered, are laid end to end; each position pairs with every later
    position of its own item, so position i of an item ending at ``end`` has ``end - i - 1``
    partners, the positions right after it.
    """
    sizes = np.fromiter(map(len, linked), dtype=np.int64, count=len(linked))
    numbered = np.fromiter(map(place.__getitem__, [e for entities in linked for e in entities]), dtype=np.int64, count=int(sizes.sum()))
    positions = np.arange(len(numbered))
    partners = np.repeat(np.cumsum(sizes), sizes) - positions - 1
    first = np.repeat(positions, partners)
    starts = np.cumsum(partners) - partners  # where each position's pairs begin among all pairs
    second = np.arange(len(first)) - np.repeat(starts, partners) + first + 1
    return numbered[first] * n + numbered[second]
