"""How the views look: a colour per entity type and per relation (node sizes and tooltips: kg.js)."""

from __future__ import annotations

from kg.models import ENTITY_TYPES, RELATION_TYPES

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
