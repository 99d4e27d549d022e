"""Loading a build (graph.json) into a live Neo4j 5 server over Bolt, in UNWIND batches.

    constraints and indexes  ->  nodes, one UNWIND statement per label  ->  relationships, one per
    type  ->  (replace only) delete kg's nodes and relationships the build no longer has

Every write is a managed transaction (``driver.execute_query``, retried on transient errors)
of at most ``batch_size`` rows; nodes are MERGEd on ``id`` and relationships on (start, type,
end), so a second load of the same build changes nothing and an interrupted load is finished
by running it again. Labels and types come from ``kg.neo4j.model``, never from the data; values
are always parameters. Only nodes with a kg label and an id under ``model.ID_PREFIX`` are ever
deleted.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, LiteralString, cast

import neo4j
from neo4j import exceptions as neo4j_errors

from kg.errors import InputPathError, KGError
from kg.neo4j import model
from kg.neo4j.model import (
    ENDPOINTS,
    ENTITY,
    ID_PREFIX,
    KG_LABELS,
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    GraphRows,
    schema_statements,
)

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stages: "schema", "nodes", "relationships", "replace"."""

DEFAULT_DATABASE = "neo4j"
DEFAULT_BATCH_SIZE = 5000
MINIMUM_MAJOR_VERSION = 5
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_START_HINT = "is the server running? (`kg neo4j serve` or `docker compose -f docker/compose.yml up -d`)"


class Neo4jLoadError(KGError):
    """Loading into Neo4j failed; the message names the server and what to do."""


class Neo4jUnavailable(Neo4jLoadError):
    def __init__(self, uri: str) -> None:
        super().__init__(f"cannot reach Neo4j at {uri}: {_START_HINT}")
        self.uri = uri


class Neo4jAuthFailed(Neo4jLoadError):
    def __init__(self, uri: str, user: str | None) -> None:
        if user is None:
            message = (
                f"Neo4j at {uri} requires authentication: give --user "
                "(the password is read from NEO4J_PASSWORD or asked for)"
            )
        else:
            message = f"Neo4j at {uri} refused user {user!r}: check --user and the password (NEO4J_PASSWORD)"
        super().__init__(message)
        self.uri = uri
        self.user = user


class Neo4jDatabaseNotFound(Neo4jLoadError):
    def __init__(self, uri: str, database: str) -> None:
        super().__init__(
            f"Neo4j at {uri} has no database {database!r}: check --database "
            "(Community edition has only `neo4j`; SHOW DATABASES lists them)"
        )
        self.uri = uri
        self.database = database


class Neo4jVersionError(Neo4jLoadError):
    def __init__(self, uri: str, version: str) -> None:
        super().__init__(f"Neo4j at {uri} is version {version}: kg needs Neo4j {MINIMUM_MAJOR_VERSION}.0 or later")
        self.uri = uri
        self.version = version


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """What one load did. Created + updated per label (type) = the build's rows of that label."""

    nodes_created: dict[str, int] = field(default_factory=dict)
    nodes_updated: dict[str, int] = field(default_factory=dict)
    """Rows MERGEd onto a node that already existed (their properties are SET again)."""
    relationships_created: dict[str, int] = field(default_factory=dict)
    relationships_updated: dict[str, int] = field(default_factory=dict)
    nodes_deleted: int = 0
    """replace only: kg nodes the build no longer has."""
    relationships_deleted: int = 0
    """replace only: kg relationships the build no longer has (including those of deleted nodes)."""
    seconds: float = 0.0
    server_version: str = ""

    @property
    def nodes(self) -> int:
        return sum(self.nodes_created.values()) + sum(self.nodes_updated.values())

    @property
    def relationships(self) -> int:
        return sum(self.relationships_created.values()) + sum(self.relationships_updated.values())


def load_graph(
    graph_json: Path,
    uri: str,
    user: str | None,
    password: str | None,
    database: str = DEFAULT_DATABASE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    replace: bool = False,
    progress: Progress | None = None,
) -> LoadSummary:
    """Load ``graph_json`` (a build's graph.json, or its folder) into Neo4j at ``uri``.

    Without ``user`` and ``password`` no authentication is sent. ``replace`` also deletes the
    kg nodes and relationships that the build no longer has; without it a load only adds and
    updates. Raises a ``Neo4jLoadError`` (a KGError) with one clear line when the server cannot be
    reached, refuses the credentials, has no such database or is older than 5.0.
    """
    rows = read_rows(graph_json)
    return load_rows(rows, uri, user, password, database, batch_size, replace, progress)


def naive_load(
    graph_json: Path,
    uri: str,
    user: str | None,
    password: str | None,
    database: str = DEFAULT_DATABASE,
    replace: bool = False,
    progress: Progress | None = None,
) -> LoadSummary:
    """``load_graph`` with one statement (and transaction) per row: the same result, slowly.

    Only for the benchmark that shows what batching buys.
    """
    rows = read_rows(graph_json)
    return load_rows(rows, uri, user, password, database, 1, replace, progress, naive=True)


def read_rows(graph_json: Path) -> GraphRows:
    """graph.json (or a build folder holding it) as rows for Neo4j."""
    path = Path(graph_json)
    if path.is_dir():
        path = path / "graph.json"
        if not path.is_file():
            raise KGError(f"{path.parent}: no graph.json here: build it first (`kg build --out {path.parent}`)")
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputPathError(str(path)) from exc
    except OSError as exc:
        raise KGError(f"{path}: cannot read it ({exc.strerror})") from exc
    try:
        return model.graph_rows(json.loads(raw))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KGError(f"{path}: not a kg graph.json ({type(exc).__name__}: {exc})") from exc


def load_rows(
    rows: GraphRows,
    uri: str,
    user: str | None,
    password: str | None,
    database: str = DEFAULT_DATABASE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    replace: bool = False,
    progress: Progress | None = None,
    *,
    naive: bool = False,
) -> LoadSummary:
    """``load_graph`` for rows already in memory (see ``model.graph_rows``)."""
    if batch_size < 1:
        raise KGError(f"the batch size must be at least 1, not {batch_size}")
    started = time.monotonic()
    report = progress or (lambda stage, done, total: None)
    with translated_errors(uri, user, database), open_driver(uri, user, password) as driver:
        loader = _Loader(driver, database, batch_size, report, naive)
        version = loader.check_server(uri)
        loader.create_schema()
        nodes_created, nodes_updated = loader.write_nodes(rows)
        rels_created, rels_updated = loader.write_relationships(rows)
        nodes_deleted = rels_deleted = 0
        if replace:
            nodes_deleted, rels_deleted = loader.delete_stale(rows)
    summary = LoadSummary(
        nodes_created=nodes_created,
        nodes_updated=nodes_updated,
        relationships_created=rels_created,
        relationships_updated=rels_updated,
        nodes_deleted=nodes_deleted,
        relationships_deleted=rels_deleted,
        seconds=time.monotonic() - started,
        server_version=version,
    )
    log.info(
        "loaded %d nodes and %d relationships into %s (%s) in %.2f s",
        summary.nodes,
        summary.relationships,
        uri,
        database,
        summary.seconds,
    )
    return summary


def check_server_version(version: str, uri: str) -> None:
    """Refuse servers older than 5.0 (``4.4.30``); accept 5.x and calendar versions (``2025.01.0``)."""
    match = re.match(r"\s*(\d+)", version)
    if not match:
        log.warning("cannot tell the version of the Neo4j server at %s from %r; trying anyway", uri, version)
        return
    if int(match.group(1)) < MINIMUM_MAJOR_VERSION:
        raise Neo4jVersionError(uri, version)


def node_statement(label: str) -> str:
    """MERGE one label's nodes from ``row`` (``{id, props}``); SET removes props set to null."""
    extra = f" SET n:{_name(ENTITY)}" if label in model.ENTITY_TYPES else ""
    return f"MERGE (n:{_name(label)} {{id: row.id}}){extra} SET n += row.props RETURN count(*) AS rows"


def relationship_statement(rel_type: str) -> str:
    """MERGE one type's relationships from ``row`` (``{start, end, props}``)."""
    start, end = ENDPOINTS[rel_type]
    return (
        f"MATCH (a:{_name(start)} {{id: row.start}}) MATCH (b:{_name(end)} {{id: row.end}}) "
        f"MERGE (a)-[r:{_name(rel_type)}]->(b) SET r += row.props RETURN count(*) AS rows"
    )


def _name(label_or_type: str) -> str:
    """A label or type for Cypher text: only kg's own constants are ever spliced in."""
    if label_or_type not in KG_LABELS and label_or_type not in RELATIONSHIP_TYPES:
        raise ValueError(f"not a kg label or relationship type: {label_or_type!r}")
    return f"`{label_or_type}`"


def _query(text: str) -> LiteralString:
    # Built only from kg's constants (checked by _name); every value is a parameter.
    return cast(LiteralString, text)


class _Loader:
    """The statements of one load, over one driver."""

    def __init__(self, driver: neo4j.Driver, database: str, batch_size: int, progress: Progress, naive: bool) -> None:
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.progress = progress
        self.naive = naive

    def run(self, text: str, read: bool = False, **parameters: Any) -> neo4j.EagerResult:
        return self.driver.execute_query(
            _query(text),
            parameters_=parameters,
            database_=self.database,
            routing_=neo4j.RoutingControl.READ if read else neo4j.RoutingControl.WRITE,
        )

    def check_server(self, uri: str) -> str:
        records, _, _ = self.run(
            "CALL dbms.components() YIELD name, versions RETURN name, versions[0] AS version", read=True
        )
        versions = [r["version"] for r in records if r["name"] == "Neo4j Kernel"] or [r["version"] for r in records]
        version = str(versions[0]) if versions else ""
        check_server_version(version, uri)
        return version

    def create_schema(self) -> None:
        statements = schema_statements()
        for done, statement in enumerate(statements, 1):
            self.run(statement)
            self.progress("schema", done, len(statements))
        # A constraint added to a database that already holds data is built in the background.
        self.run("CALL db.awaitIndexes(300)")

    def write_nodes(self, rows: GraphRows) -> tuple[dict[str, int], dict[str, int]]:
        total, done = rows.node_count(), 0
        created: dict[str, int] = {}
        updated: dict[str, int] = {}
        for label in NODE_LABELS:
            created[label] = 0
            for batch in _batches(rows.nodes[label], self.batch_size):
                written, made = self.write(node_statement(label), batch, "nodes_created")
                created[label] += made
                done += len(batch)
                self.progress("nodes", done, total)
            updated[label] = len(rows.nodes[label]) - created[label]
        return created, updated

    def write_relationships(self, rows: GraphRows) -> tuple[dict[str, int], dict[str, int]]:
        total, done = rows.relationship_count(), 0
        created: dict[str, int] = {}
        updated: dict[str, int] = {}
        for rel_type in RELATIONSHIP_TYPES:
            created[rel_type] = matched = 0
            for batch in _batches(rows.relationships[rel_type], self.batch_size):
                written, made = self.write(relationship_statement(rel_type), batch, "relationships_created")
                created[rel_type] += made
                matched += written
                done += len(batch)
                self.progress("relationships", done, total)
            missing = len(rows.relationships[rel_type]) - matched
            if missing:
                log.warning("%d %s relationships skipped: a start or end node is missing", missing, rel_type)
            updated[rel_type] = matched - created[rel_type]
        return created, updated

    def write(self, statement: str, batch: Sequence[dict[str, Any]], counter: str) -> tuple[int, int]:
        """Write a batch in one transaction (or, naive, each row in its own); (rows, created)."""
        if not self.naive:
            records, summary, _ = self.run(f"UNWIND $rows AS row {statement}", rows=list(batch))
            return int(records[0]["rows"]), int(getattr(summary.counters, counter))
        written = made = 0
        for row in batch:
            records, summary, _ = self.run(f"WITH $row AS row {statement}", row=row)
            written += int(records[0]["rows"])
            made += int(getattr(summary.counters, counter))
        return written, made

    def delete_stale(self, rows: GraphRows) -> tuple[int, int]:
        """Delete kg's relationships, then kg's nodes, that ``rows`` no longer has."""
        stale_relationships: list[tuple[str, list[dict[str, str]]]] = []
        for rel_type in RELATIONSHIP_TYPES:
            start, end = ENDPOINTS[rel_type]
            records, _, _ = self.run(
                f"MATCH (a:{_name(start)})-[:{_name(rel_type)}]->(b:{_name(end)}) "
                "WHERE a.id STARTS WITH $prefix AND b.id STARTS WITH $prefix "
                "RETURN DISTINCT a.id AS start, b.id AS end",
                read=True,
                prefix=ID_PREFIX,
            )
            wanted = {(r["start"], r["end"]) for r in rows.relationships[rel_type]}
            stale = sorted({(r["start"], r["end"]) for r in records} - wanted)
            if stale:
                stale_relationships.append((rel_type, [{"start": s, "end": e} for s, e in stale]))
        stale_nodes: list[tuple[str, list[str]]] = []
        for label in KG_LABELS:
            records, _, _ = self.run(
                f"MATCH (n:{_name(label)}) WHERE n.id STARTS WITH $prefix RETURN n.id AS id",
                read=True,
                prefix=ID_PREFIX,
            )
            stale_ids = sorted({r["id"] for r in records} - rows.ids(label))
            if stale_ids:
                stale_nodes.append((label, stale_ids))

        total = sum(len(s) for _, s in stale_relationships) + sum(len(s) for _, s in stale_nodes)
        done = nodes_deleted = rels_deleted = 0
        self.progress("replace", done, total)
        for rel_type, pairs in stale_relationships:
            start, end = ENDPOINTS[rel_type]
            for batch in _batches(pairs, max(self.batch_size, 1000)):
                _, summary, _ = self.run(
                    f"UNWIND $rows AS row MATCH (a:{_name(start)} {{id: row.start}})"
                    f"-[r:{_name(rel_type)}]->(b:{_name(end)} {{id: row.end}}) DELETE r",
                    rows=batch,
                )
                rels_deleted += summary.counters.relationships_deleted
                done += len(batch)
                self.progress("replace", done, total)
        for label, ids in stale_nodes:
            for batch in _batches(ids, max(self.batch_size, 1000)):
                _, summary, _ = self.run(
                    f"UNWIND $ids AS id MATCH (n:{_name(label)} {{id: id}}) "
                    "WHERE n.id STARTS WITH $prefix DETACH DELETE n",
                    ids=batch,
                    prefix=ID_PREFIX,
                )
                nodes_deleted += summary.counters.nodes_deleted
                rels_deleted += summary.counters.relationships_deleted
                done += len(batch)
                self.progress("replace", done, total)
        if nodes_deleted or rels_deleted:
            log.info("replace: deleted %d nodes and %d relationships", nodes_deleted, rels_deleted)
        return nodes_deleted, rels_deleted


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _auth(user: str | None, password: str | None) -> tuple[str, str] | None:
    if user is None and password is None:
        return None
    return (user or "neo4j", password or "")


@contextmanager
def open_driver(uri: str, user: str | None, password: str | None) -> Iterator[neo4j.Driver]:
    # The driver also takes http:// (a preview of the Query API, needing aiohttp): not for kg.
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise Neo4jLoadError(f"{uri!r} is not a Neo4j URI: use bolt://HOST:PORT or neo4j://HOST:PORT")
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=_auth(user, password),
            connection_timeout=15.0,
            # "constraint already exists" on every load but the first is not news.
            notifications_min_severity="WARNING",
        )
    except (ValueError, neo4j_errors.ConfigurationError) as exc:
        raise Neo4jLoadError(
            f"{uri!r} is not a Neo4j URI: use bolt://HOST:PORT or neo4j://HOST:PORT ({_one_line(str(exc))})"
        ) from exc
    with driver:
        driver.verify_connectivity()
        yield driver


@contextmanager
def translated_errors(uri: str, user: str | None, database: str) -> Iterator[None]:
    """The driver's exceptions as one-line KGErrors."""
    try:
        yield
    except neo4j_errors.AuthError as exc:
        raise Neo4jAuthFailed(uri, user) from exc
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
        raise Neo4jUnavailable(uri) from exc
    except neo4j_errors.Neo4jError as exc:
        if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise Neo4jDatabaseNotFound(uri, database) from exc
        hint = ""
        if ".Schema." in (exc.code or ""):
            hint = (
                f"; kg needs a uniqueness constraint on `id` for each of {', '.join(KG_LABELS)}: "
                "drop the index or the duplicate ids that block it"
            )
        raise Neo4jLoadError(
            f"Neo4j at {uri} refused a statement: {_one_line(exc.message or str(exc))} ({exc.code}){hint}"
        ) from exc
    except neo4j_errors.DriverError as exc:
        raise Neo4jLoadError(f"Neo4j at {uri}: {_one_line(str(exc))}") from exc


def _one_line(text: str) -> str:
    return " ".join(text.split())


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_DATABASE",
    "LoadSummary",
    "Neo4jAuthFailed",
    "Neo4jDatabaseNotFound",
    "Neo4jLoadError",
    "Neo4jUnavailable",
    "Neo4jVersionError",
    "Progress",
    "check_server_version",
    "load_graph",
    "load_rows",
    "naive_load",
    "node_statement",
    "open_driver",
    "read_rows",
    "relationship_statement",
    "translated_errors",
]
