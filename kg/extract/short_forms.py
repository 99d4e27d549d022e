"""Short forms of a model's name inside one digest: "ER 1.5" for Gemini Robotics-ER 1.5, "V3.1"
for DeepSeek-V3.1, "N1" for GR00T N1.

A digest that names a model in full often goes on with the tail of its name. A Model mention
shaped like a short form (kg.resolve.modelname.is_short_model_form) that no gazetteer entry
names, and that ends exactly one longer Model name of the same digest after a space or hyphen,
is linked to that name as a definition links an acronym: the resolver joins the two unless
another digest gives the same short form to another name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kg.models import AliasLink, ItemExtraction
from kg.resolve.modelname import is_short_model_form


def link_short_forms(extractions: Sequence[ItemExtraction]) -> tuple[ItemExtraction, ...]:
    """The extractions of one digest's items, each with a link from every short form it uses to
    the digest's full name for it."""
    names = {m.surface.strip() for x in extractions for m in x.mentions if m.type == "Model"}
    shorts = {n for n in names if is_short_model_form(n)}
    if not shorts:
        return tuple(extractions)
    full_names = {short: _full_name(short, names) for short in shorts}
    linked = []
    for x in extractions:
        links = [
            AliasLink(x.item_id, "Model", short, full)
            for m in x.mentions
            if m.type == "Model" and m.gazetteer_id is None
            for short in (m.surface.strip(),)
            if (full := full_names.get(short)) is not None
        ]
        linked.append(replace(x, aliases=tuple(dict.fromkeys((*x.aliases, *links)))) if links else x)
    return tuple(linked)


def _full_name(short: str, names: set[str]) -> str | None:
    """The one name of ``names`` that ``short`` ends after a space or hyphen (the shortest when the
    others only add a prefix to it: "GR00T N1", "NVIDIA GR00T N1"); None when there is none, or
    when two differ ("Kimi K2", "Foo K2")."""
    ending = [n for n in names if len(n) > len(short) + 1 and n.endswith(short) and n[-len(short) - 1] in " -_"]
    if not ending:
        return None
    shortest = min(ending, key=lambda n: (len(n), n))
    return shortest if all(n.endswith(shortest) for n in ending) else None
