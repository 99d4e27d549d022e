"""pyvis networks built from ready node and edge lists, and the data a page embeds for them.

pyvis's ``add_edge`` scans every existing edge on each call (quadratic), so the lists are
handed to the Network directly. pyvis's own template is not used: it loads vis-network from a
CDN and inserts ``heading`` as raw HTML; kg renders its own escaped pages (``render.py``) and
ships vis-network once in ``html/assets/``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pyvis.network import Network

from kg.views.style import TYPE_COLOURS

SMOOTH_EDGES_UP_TO = 400
"""Curved edges cost a lot to draw; above this many edges they are straight."""


def network(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> Network:
    """A pyvis Network holding ``nodes`` (with fixed x/y) and ``edges``, physics off."""
    net = Network(directed=True, cdn_resources="remote")
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    # The solver used when the reader switches physics on; bounded so it settles quickly.
    net.force_atlas_2based(gravity=-60, central_gravity=0.005, spring_length=120, spring_strength=0.05, damping=0.6, overlap=0.2)
    net.options.physics.stabilization.iterations = 150
    net.toggle_physics(False)
    if len(edges) <= SMOOTH_EDGES_UP_TO:
        net.set_edge_smooth("continuous")
    return net


def page_data(net: Network) -> dict[str, Any]:
    """What the page's script needs: nodes, edges and vis-network options."""
    return {"nodes": net.nodes, "edges": net.edges, "options": _options(len(net.edges) > SMOOTH_EDGES_UP_TO, len(net.edges) > 2000)}


@lru_cache(maxsize=None)
def _options(straight_edges: bool, many_edges: bool) -> dict[str, Any]:
    """vis-network options: pyvis's (physics, solver, smoothing) plus kg's look; made once per kind
    of view, since serializing pyvis's options for every page costs more than the page itself."""
    net = network([], [])
    _nodes, _edges, _heading, _height, _width, options = net.get_network_data()
    settings = json.loads(options) if isinstance(options, str) else options
    if straight_edges:
        settings.setdefault("edges", {})["smooth"] = False
    settings["edges"]["color"] = {"inherit": False}
    settings["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
    settings["edges"]["width"] = 1.2
    settings["interaction"].update(hover=True, tooltipDelay=120, hideEdgesOnDrag=many_edges, hideEdgesOnZoom=many_edges, navigationButtons=False, keyboard=False)
    settings["layout"] = {"improvedLayout": False, "randomSeed": 1}
    settings["nodes"] = {"shape": "dot", "borderWidth": 1, "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"}}
    settings["groups"] = {
        type_: {"color": {"background": colour, "border": "#ffffff", "highlight": {"background": colour, "border": "#1f2328"}, "hover": {"background": colour, "border": "#1f2328"}}}
        for type_, colour in TYPE_COLOURS.items()
    }
    return settings
