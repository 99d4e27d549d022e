"""Overview positions: every node apart from every other, so each one can be clicked."""

from __future__ import annotations

import itertools
import math
import random

from kg.views.graphs import OVERVIEW_CLEARANCE
from kg.views.layout import force_layout


def _dense_graph(nodes: int, seed: int) -> tuple[list[str], list[tuple[str, str, float]]]:
    """A hub-heavy graph like a digest corpus's overview: a few entities linked to most others."""
    rng = random.Random(seed)
    ids = [f"model/M{i}" for i in range(nodes)]
    edges = [(ids[rng.randrange(5)], ids[i], float(rng.randint(1, 9))) for i in range(5, nodes)]
    edges += [(ids[rng.randrange(nodes)], ids[rng.randrange(nodes)], 1.0) for _ in range(nodes)]
    return ids, [(a, b, w) for a, b, w in edges if a != b]


def test_no_two_overview_nodes_are_drawn_on_each_other():
    for nodes, seed in ((40, 1), (150, 2), (400, 3)):  # 400: igraph's grid variant
        ids, edges = _dense_graph(nodes, seed)
        positions = force_layout(ids, edges, spacing=120.0, clearance=OVERVIEW_CLEARANCE)
        closest = min(math.dist(positions[a], positions[b]) for a, b in itertools.combinations(ids, 2))
        assert closest >= OVERVIEW_CLEARANCE - 2, (nodes, closest)  # whole pixels; the clearance keeps a margin


def test_nodes_on_the_same_spot_are_parted_the_same_way_every_time():
    ids = [f"technique/T{i}" for i in range(6)]
    edges = [(ids[0], other, 1.0) for other in ids[1:]]
    first = force_layout(ids, edges, clearance=OVERVIEW_CLEARANCE)
    assert first == force_layout(ids, edges, clearance=OVERVIEW_CLEARANCE)
    assert len(set(first.values())) == len(ids)
