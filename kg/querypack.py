"""Named query packs: one documented file per query, for `kg sparql --name` and `kg cypher run`.

A file opens with a comment line saying what the query answers, then one comment line per
parameter: ``# param: org = OpenAI  (help)`` (``//`` for Cypher). The example value is what
``--list`` shows and what benchmarks run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[tuple[str, str, str], ...]
    """(name, example value, help) per parameter."""
    text: str


def load_pack(folder: Path, suffix: str, comment: str) -> dict[str, NamedQuery]:
    """Every ``*suffix`` file in ``folder``, by name (the file's stem)."""
    param = re.compile(rf"^{re.escape(comment)}\s*param:\s*(\w+)\s*=\s*(.*?)\s*(?:\((.*)\))?\s*$")
    pack = {}
    for path in sorted(folder.glob(f"*{suffix}")):
        lines = path.read_text(encoding="utf-8").splitlines()
        description = lines[0].removeprefix(comment).strip() if lines else ""
        params = tuple((m.group(1), m.group(2), (m.group(3) or "").strip()) for m in map(param.match, lines) if m)
        pack[path.stem] = NamedQuery(path.stem, description, params, "\n".join(lines))
    return pack


def checked(pack: dict[str, NamedQuery], name: str, values: dict[str, str], list_command: str) -> NamedQuery:
    """The named query, once its name and parameter values are right; else one clear error."""
    if name not in pack:
        raise KGError(f"no query named {name!r}; `{list_command}` shows the {len(pack)} there are")
    query = pack[name]
    unknown = set(values) - {p for p, _, _ in query.params}
    if unknown:
        raise KGError(f"query {name!r} takes no parameter {', '.join(sorted(unknown))}")
    missing = [p for p, _, _ in query.params if p not in values]
    if missing:
        hint = " ".join(f"--param {p}={example!r}" for p, example, _ in query.params if p in missing)
        raise KGError(f"query {name!r} needs {', '.join(missing)}: add {hint}")
    return query
