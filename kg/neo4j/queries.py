"""``kg cypher``: the Cypher query pack (``kg/cypher/*.cypher``) run against a Neo4j server.

Each file opens with a comment saying what it answers and which parameters it takes
(``// param: org = ByteDance  (help)``). Values travel only as driver parameters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.neo4j.loader import DEFAULT_DATABASE, open_driver, translated_errors
from kg.querypack import NamedQuery, checked, load_pack
from kg.tables import Result

QUERY_DIR = Path(__file__).parents[1] / "cypher"


def query_pack() -> dict[str, NamedQuery]:
    """Every named Cypher query, by name."""
    return load_pack(QUERY_DIR, ".cypher", "//")


def prepare(name: str, values: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The query text and its parameters; unknown names and missing values are clear errors."""
    query = checked(query_pack(), name, values, "kg cypher list")
    return query.text, {p: values[p] for p, _, _ in query.params}


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
