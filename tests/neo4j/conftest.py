"""One real Neo4j 5.26 server for the session (built by Maven on first use), and a driver.

A server that cannot be built or started fails the tests that need it, with the reason;
they are never skipped: Java 17 and Maven are requirements of the test suite.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from kg.errors import KGError
from kg.neo4j.server import Neo4jServer, ensure_server_built, start_server


@pytest.fixture(scope="session")
def neo4j_build() -> Path:
    """The built server (``kg-neo4j-server.jar`` and ``lib/``), from kg's cache."""
    try:
        return ensure_server_built()
    except KGError as exc:
        pytest.fail(f"cannot build the Neo4j test server: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def neo4j_import_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session server's server.directories.import: files put here are LOAD CSV-able."""
    return tmp_path_factory.mktemp("neo4j-import")


@pytest.fixture(scope="session")
def neo4j_server(
    neo4j_build: Path,
    neo4j_import_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Neo4jServer]:
    """A server on a port it picks itself, with its own data folder, stopped at the end."""
    data_dir = tmp_path_factory.mktemp("neo4j-data")
    try:
        server = start_server(port=0, data_dir=data_dir, import_dir=neo4j_import_dir)
    except KGError as exc:
        pytest.fail(f"cannot start the Neo4j test server: {exc}", pytrace=False)
    with server:
        yield server


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: Neo4jServer) -> Iterator[neo4j.Driver]:
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=None) as driver:
        driver.verify_connectivity()
        yield driver
