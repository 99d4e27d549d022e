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


def test_a_remembered_layout_is_the_one_computed_and_is_used_only_for_the_same_inputs(tmp_path, monkeypatch):
    import kg.views.layout as layout_module
    from kg.views.layout import LayoutMemo

    ids, edges = _dense_graph(60, 4)
    memo_file = tmp_path / "overview-layout.json"
    computed = LayoutMemo(memo_file).force_layout(ids, edges, spacing=120.0, clearance=OVERVIEW_CLEARANCE)
    assert computed == force_layout(ids, edges, spacing=120.0, clearance=OVERVIEW_CLEARANCE)

    calls = []
    real = layout_module.force_layout
    monkeypatch.setattr(layout_module, "force_layout", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert LayoutMemo(memo_file).force_layout(ids, edges, spacing=120.0, clearance=OVERVIEW_CLEARANCE) == computed
    assert calls == []  # the same inputs: taken from the file
    moved = edges[:-1]
    assert LayoutMemo(memo_file).force_layout(ids, moved, spacing=120.0, clearance=OVERVIEW_CLEARANCE) == real(
        ids, moved, spacing=120.0, clearance=OVERVIEW_CLEARANCE
    )
    assert len(calls) == 1  # one link fewer: computed again
    LayoutMemo(memo_file, read=False).force_layout(ids, moved, spacing=120.0, clearance=OVERVIEW_CLEARANCE)
    assert len(calls) == 2  # told not to read (kg build --no-cache): computed again


def test_a_damaged_or_edited_layout_file_is_not_trusted(tmp_path):
    import json

    from kg.views.layout import LayoutMemo

    ids, edges = _dense_graph(30, 5)
    memo_file = tmp_path / "overview-layout.json"
    expected = LayoutMemo(memo_file).force_layout(ids, edges, clearance=OVERVIEW_CLEARANCE)
    stored = json.loads(memo_file.read_text())
    stored["positions"][0][1] += 500  # a position edited: the checksum no longer matches
    memo_file.write_text(json.dumps(stored))
    assert LayoutMemo(memo_file).force_layout(ids, edges, clearance=OVERVIEW_CLEARANCE) == expected
    memo_file.write_bytes(b"\x00garbage")
    assert LayoutMemo(memo_file).force_layout(ids, edges, clearance=OVERVIEW_CLEARANCE) == expected
    assert json.loads(memo_file.read_text())["positions"][0][0] == ids[0]  # rewritten whole
