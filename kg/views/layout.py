"""Node positions, computed once in Python so a view opens still, with no physics to wait on.

The overview uses igraph's Fruchterman-Reingold (its grid variant on big views, which is close
to linear); an entity's neighbourhood uses rings around it, which needs no iteration at all.
Positions are whole pixels from a seeded generator, so the same graph gives the same file.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import igraph

GRID_FROM = 300
"""From this many nodes on, Fruchterman-Reingold uses its grid (near-linear) variant."""


def force_layout(nodes: Sequence[str], edges: Sequence[tuple[str, str, float]], spacing: float = 70.0) -> dict[str, tuple[int, int]]:
    """Positions for ``nodes`` linked by weighted ``edges``, spread about ``spacing`` px apart."""
    if not nodes:
        return {}
    position = {node: i for i, node in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(position[a], position[b]) for a, b, _ in edges])
    weights = [w for _, _, w in edges] or None
    state = random.getstate()
    random.seed(20260523)  # python-igraph draws from Python's random module
    try:
        layout = graph.layout_fruchterman_reingold(weights=weights, niter=500, grid=len(nodes) >= GRID_FROM)
    finally:
        random.setstate(state)
    return _scaled(nodes, layout.coords, spacing)


def _scaled(nodes: Sequence[str], coords: Sequence[Sequence[float]], spacing: float) -> dict[str, tuple[int, int]]:
    """Centre the layout and scale it so the mean node has about ``spacing`` px of room."""
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    target = spacing * math.sqrt(len(nodes)) * 1.2
    scale = target / extent
    return {n: (round((x - cx) * scale), round((y - cy) * scale)) for n, (x, y) in zip(nodes, coords)}


def ring_layout(centre: str, rings: Sequence[Sequence[tuple[str, str | None]]]) -> dict[str, tuple[int, int]]:
    """``centre`` in the middle, ring k holds the nodes k hops away as (node, parent) pairs.

    Ring 1 is spread evenly; a node on ring 2 sits near its parent's angle, so a neighbour's own
    neighbours fan out behind it.
    """
    positions = {centre: (0, 0)}
    angle: dict[str, float] = {centre: 0.0}
    for depth, ring in enumerate(rings, start=1):
        if not ring:
            continue
        radius = max(220.0 * depth, 38.0 * len(ring) / math.pi)
        if depth == 1:
            for i, (node, _) in enumerate(ring):
                angle[node] = 2 * math.pi * i / len(ring)
        else:
            by_parent: dict[str | None, list[str]] = {}
            for node, parent in ring:
                by_parent.setdefault(parent, []).append(node)
            step = 2 * math.pi / max(len(ring), 1)
            for parent, children in by_parent.items():
                base = angle.get(parent, 0.0) if parent is not None else 0.0
                for j, node in enumerate(children):
                    angle[node] = base + (j - (len(children) - 1) / 2) * step
        for node, _ in ring:
            a = angle[node]
            positions[node] = (round(radius * math.cos(a)), round(radius * math.sin(a)))
    return positions
