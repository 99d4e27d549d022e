"""Co-mention links counted in shares of the items are the links counted all at once."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.models import CoMention, ItemMentions
from kg.resolve import comentions
from kg.resolve.resolver import _summed

ENTITY_IDS = [f"model/M{i}" for i in range(8)]

ITEMS = st.lists(
    st.lists(st.tuples(st.sampled_from(ENTITY_IDS), st.integers(1, 4)), unique_by=lambda pair: pair[0], max_size=8),
    max_size=12,
)


def _item_mentions(items: list[list[tuple[str, int]]]) -> list[ItemMentions]:
    out = []
    for n, mentioned in enumerate(items):
        mentioned = sorted(mentioned)
        ids = tuple(e for e, _ in mentioned)
        out.append(ItemMentions(f"d/{n}", ids, tuple((e[-2:],) for e in ids), tuple(c for _, c in mentioned)))
    return out


def _expected(item_mentions: list[ItemMentions], most: int) -> tuple[CoMention, ...]:
    pairs: Counter = Counter()
    for m in item_mentions:
        count = dict(zip(m.entity_ids, m.counts))
        linked = sorted(sorted(m.entity_ids, key=lambda e: (-count[e], e))[:most])
        pairs.update(combinations(linked, 2))
    return tuple(CoMention(a, b, w) for (a, b), w in sorted(pairs.items()))


@settings(max_examples=200, deadline=None)
@given(ITEMS, st.sampled_from([1, 2, 5, 40, comentions.PAIRS_AT_ONCE]), st.sampled_from([2, 4, 60]))
def test_pairs_are_counted_alike_whatever_the_share_of_items_at_once(items, pairs_at_once, most):
    item_mentions = _item_mentions(items)
    with mock.patch.object(comentions, "PAIRS_AT_ONCE", pairs_at_once), mock.patch.object(comentions, "MAX_CO_MENTIONED", most):
        assert comentions.co_mentions(item_mentions) == _expected(item_mentions, most)


@pytest.mark.parametrize("pairs_at_once", [3, 6, comentions.PAIRS_AT_ONCE])
def test_a_pair_met_in_several_items_of_several_shares_weighs_every_item(pairs_at_once):
    """Three items name A, B and C together (three pairs each): in shares of three pairs each
    item is alone, in shares of six two share one, and all the same the links weigh 3."""
    items = [ItemMentions(f"d/{n}", ("model/A", "model/B", "model/C"), (("A",), ("B",), ("C",)), (1, 1, 1)) for n in range(3)]
    with mock.patch.object(comentions, "PAIRS_AT_ONCE", pairs_at_once):
        assert comentions.co_mentions(items) == (
            CoMention("model/A", "model/B", 3),
            CoMention("model/A", "model/C", 3),
            CoMention("model/B", "model/C", 3),
        )


def test_an_item_that_names_one_entity_links_nothing():
    assert comentions.co_mentions([ItemMentions("d/0", ("model/A",), (("A",),), (2,))]) == ()
    assert comentions.co_mentions([]) == ()


@settings(max_examples=200, deadline=None)
@given(ITEMS, st.integers(0, 12))
def test_the_links_of_two_shares_of_the_items_summed_are_the_links_of_all(items, cut):
    """What an incremental build does (Resolution.add): the links of the digests kept and of
    those added, summed, are the links of the whole corpus."""
    mentions = _item_mentions(items)
    kept, added = comentions.co_mentions(mentions[:cut]), comentions.co_mentions(mentions[cut:])
    assert _summed(tuple(kept), tuple(added)) == tuple(comentions.co_mentions(mentions))
