"""Node positions, computed once in Python so a view opens still, with no physics to wait on.

The overview uses igraph's Fruchterman-Reingold (its grid variant on big views, which is close
to linear); an entity's neighbourhood uses rings around it, which needs no iteration at all.
Positions are whole pixels from a seeded generator, so the same graph gives the same file.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Sequence
from pathlib import Path

import igraph

from kg.checksum import checksum
from kg.export.files import write_atomic

GRID_FROM = 300
"""From this many nodes on, Fruchterman-Reingold uses its grid (near-linear) variant."""


def force_layout(
    nodes: Sequence[str], edges: Sequence[tuple[str, str, float]], spacing: float = 70.0, clearance: float = 0.0
) -> dict[str, tuple[int, int]]:
    """Positions for ``nodes`` linked by weighted ``edges``, spread about ``spacing`` px apart and
    no two centres closer than ``clearance`` px (so no node is drawn over another)."""
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
    return _rounded(nodes, _separated(_scaled(layout.coords, len(nodes), spacing), clearance))


OVERVIEW_LAYOUT = "overview-layout.json"
"""The file, in a build's cache folder, that remembers the overview's last layout."""
LAYOUT_VERSION = 1
"""Bump when ``force_layout`` changes what it computes: remembered layouts are then not used."""


class LayoutMemo:
    """The last overview layout a build computed, kept in a file beside the build's caches.

    ``force_layout`` is a pure function of its inputs; adding a digest seldom changes which entities
    the overview shows or how they are linked, so the next build finds the same inputs and takes
    the positions from the file instead of running the layout again (0.02-0.03 s of an add-one
    build). The file is used only when its key (a hash of the inputs, this code's version and
    igraph's) and its checksum match; anything else is computed afresh. Nothing here raises: a
    file that cannot be read or written is as good as none.
    """

    def __init__(self, path: Path | None, *, read: bool = True) -> None:
        self.path = path
        self.read = read

    def force_layout(
        self, nodes: Sequence[str], edges: Sequence[tuple[str, str, float]], spacing: float = 70.0, clearance: float = 0.0
    ) -> dict[str, tuple[int, int]]:
        if self.path is None:
            return force_layout(nodes, edges, spacing, clearance)
        key = _layout_key(nodes, edges, spacing, clearance)
        remembered = self._remembered(key, nodes) if self.read else None
        if remembered is not None:
            return remembered
        positions = force_layout(nodes, edges, spacing, clearance)
        self._remember(key, [[n, *positions[n]] for n in nodes])
        return positions

    def _remembered(self, key: str, nodes: Sequence[str]) -> dict[str, tuple[int, int]] | None:
        try:
            stored = json.loads(self.path.read_bytes())  # type: ignore[union-attr]
            rows = stored["positions"]
            if stored["key"] != key or stored["checksum"] != checksum(json.dumps(rows).encode()):
                return None
            positions = {n: (x, y) for n, x, y in rows}
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if list(positions) != list(nodes) or not all(type(x) is int and type(y) is int for x, y in positions.values()):
            return None
        return positions

    def _remember(self, key: str, rows: list[list]) -> None:
        data = {"key": key, "checksum": checksum(json.dumps(rows).encode()), "positions": rows}
        try:
            write_atomic(self.path, json.dumps(data, ensure_ascii=False).encode())  # type: ignore[arg-type]
        except OSError:
            pass  # the next build computes the layout again


def _layout_key(nodes: Sequence[str], edges: Sequence[tuple[str, str, float]], spacing: float, clearance: float) -> str:
    inputs = [LAYOUT_VERSION, igraph.__version__, list(nodes), [list(e) for e in edges], spacing, clearance]
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()


def _scaled(coords: Sequence[Sequence[float]], count: int, spacing: float) -> list[list[float]]:
    """Centre the layout and scale it so the mean node has about ``spacing`` px of room."""
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = spacing * math.sqrt(count) * 1.2 / extent
    return [[(x - cx) * scale, (y - cy) * scale] for x, y in coords]


def _separated(points: list[list[float]], clearance: float, rounds: int = 200) -> list[list[float]]:
    """Push apart, in place, every two points closer than ``clearance``, each by three quarters
    of the shortfall along the line between them, until none is more than a pixel short (or
    ``rounds`` passes are done; a push can move a point towards a third, so a pair may end a
    pixel or two short).

    Fruchterman-Reingold leaves a few nodes almost on top of each other in a dense view, and a
    node drawn over another cannot be clicked. Pairs are found on a grid of ``clearance``-sized
    cells, so a pass is close to linear; the order is fixed, so the result is deterministic.
    """
    if clearance <= 0:
        return points
    for _ in range(rounds):
        cells: dict[tuple[int, int], list[int]] = {}
        for i, (x, y) in enumerate(points):
            cells.setdefault((math.floor(x / clearance), math.floor(y / clearance)), []).append(i)
        moved = False
        for (cx, cy), members in sorted(cells.items()):
            near = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in cells.get((cx + dx, cy + dy), ())]
            for i in members:
                for j in near:
                    if j <= i:
                        continue
                    a, b = points[i], points[j]
                    dx, dy = b[0] - a[0], b[1] - a[1]
                    distance = math.hypot(dx, dy)
                    if distance >= clearance - 1:  # a pixel short is as good: no endless nudging
                        continue
                    if distance < 1e-6:  # the same spot: part them along a direction fixed by their order
                        dx, dy, distance = math.cos(i + j), math.sin(i + j), 1.0
                    push = (clearance - distance) * 0.75 + 1.0  # over half: converges in far fewer passes
                    a[0] -= dx / distance * push
                    a[1] -= dy / distance * push
                    b[0] += dx / distance * push
                    b[1] += dy / distance * push
                    moved = True
        if not moved:
            break
    return points


def _rounded(nodes: Sequence[str], points: Sequence[Sequence[float]]) -> dict[str, tuple[int, int]]:
    """Whole-pixel positions by node."""
    return {n: (round(x), round(y)) for n, (x, y) in zip(nodes, points)}


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
