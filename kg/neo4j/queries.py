"""``kg cypher``: the Cypher query pack (``kg/cypher/*.cypher``) run against a Neo4j server.

Each file opens with a comment saying what it answers and which parameters it takes
(``// param: org = ByteDance  (help)``). Values travel only as driver parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.neo4j.loader import DEFAULT_DATABASE, open_driver, translated_errors
from kg.tables import Result

QUERY_DIR = Path(__file__).parents[1] / "cypher"
_PARAM = re.compile(r"^//\s*param:\s*(\w+)\s*=\s*(.*?)\s*(?:\((.*)\))?\s*$")


@dataclass(frozen=True)
class CypherQuery:
    name: str
    description: str
    params: tuple[tuple[str, str, str], ...]
    """(name, example value, help) per parameter."""
    text: str


def query_pack() -> dict[str, CypherQuery]:
    pack = {}
    for path in sorted(QUERY_DIR.glob("*.cypher")):
        lines = path.read_text(encoding="utf-8").splitlines()
        description = lines[0].lstrip("/ ").strip() if lines else ""
        params = tuple((m.group(1), m.group(2), (m.group(3) or "").strip()) for m in map(_PARAM.match, lines) if m)
        pack[path.stem] = CypherQuery(path.stem, description, params, "\n".join(lines))
    return pack


def prepare(name: str, values: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The query text and its parameters; unknown names and missing values are clear errors."""
    pack = query_pack()
    if name not in pack:
        raise KGError(f"no Cypher query named {name!r}; `kg cypher list` shows the {len(pack)} there are")
    query = pack[name]
    known = {p for p, _, _ in query.params}
    unknown = set(values) - known
    if unknown:
        raise KGError(f"query {name!r} takes no parameter {', '.join(sorted(unknown))}")
    missing = [p for p, _, _ in query.params if p not in values]
    if missing:
        hint = " ".join(f"--param {p}={example!r}" for p, example, _ in query.params if p in missing)
        raise KGError(f"query {name!r} needs {', '.join(missing)}: add {hint}")
    return query.text, {p: values[p] for p in known}


def run(
    name: str,
    values: dict[str, str],
    uri: str,
    user: str | None = None,
    password: str | None = None,
    database: str = DEFAULT_DATABASE,
) -> Result:
    """Run a named query (read-only) and return its rows as display strings."""
    text, params = prepare(name, values)
    with translated_errors(uri, user, database), open_driver(uri, user, password) as driver:
        records, _, keys = driver.execute_query(text, params, database_=database, routing_="r")
    return Result(tuple(keys), tuple(tuple(_display(r[k]) for k in keys) for r in records))


def _display(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return " → ".join(str(_display(v)) for v in value) if value and isinstance(value[0], str) else str(value)
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)
