"""How the views look: a colour per entity type and per relation, and node sizes."""

from __future__ import annotations

import math

from kg.models import ENTITY_TYPES, RELATION_TYPES, Entity

TYPE_COLOURS: dict[str, str] = {
    "Organization": "#4e79a7",
    "Model": "#f28e2b",
    "Paper": "#59a14f",
    "Benchmark": "#e15759",
    "Technique": "#b07aa1",
}
TYPE_LABELS: dict[str, str] = {
    "Organization": "Organization 机构",
    "Model": "Model 模型",
    "Paper": "Paper 论文",
    "Benchmark": "Benchmark 基准",
    "Technique": "Technique 技术",
}
RELATION_COLOURS: dict[str, str] = {
    "developedBy": "#4e79a7",
    "affiliatedWith": "#76b7b2",
    "evaluatedOn": "#e15759",
    "proposes": "#59a14f",
    "uses": "#b07aa1",
    "variantOf": "#f28e2b",
}
CO_MENTION = "coMention"
CO_MENTION_COLOUR = "#c9ced6"

assert set(TYPE_COLOURS) == set(ENTITY_TYPES) and set(RELATION_COLOURS) == set(RELATION_TYPES)


def node_size(mentions: int) -> float:
    """Area grows with mentions, but a hub never swallows the view."""
    return round(min(10 + 5 * math.log2(1 + mentions), 48), 1)


def tooltip(entity: Entity, max_aliases: int = 8) -> str:
    """Hover text: shown by vis-network as plain text, never as HTML."""
    lines = [entity.name, f"Type: {entity.type}"]
    if entity.aliases:
        shown = ", ".join(entity.aliases[:max_aliases])
        more = len(entity.aliases) - max_aliases
        lines.append(f"Aliases: {shown}" + (f" (+{more} more)" if more > 0 else ""))
    lines.append(f"Mentions: {entity.mention_count}")
    if entity.first_seen:
        lines.append(f"Seen: {entity.first_seen} – {entity.last_seen}")
    return "\n".join(lines)
