"""The local Neo4j server, checked over real Bolt connections."""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest

from kg.errors import KGError
from kg.neo4j import server as server_module
from kg.neo4j.server import (
    Neo4jServer,
    Neo4jServerError,
    build_key,
    find_free_port,
    neo4j_version,
    port_is_free,
    start_server,
)

REPO = Path(__file__).resolve().parents[2]


def test_answers_cypher(neo4j_driver: neo4j.Driver) -> None:
    records, _, _ = neo4j_driver.execute_query("RETURN 1 AS one")
    assert records[0]["one"] == 1


def test_is_neo4j_5_26_community(neo4j_driver: neo4j.Driver) -> None:
    records, _, _ = neo4j_driver.execute_query(
        "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition"
    )
    [kernel] = [r for r in records if r["name"] == "Neo4j Kernel"]
    assert kernel["edition"] == "community"
    assert kernel["versions"][0].startswith("5.26.")
    assert kernel["versions"][0] == neo4j_version()


def test_authentication_is_off(neo4j_server: Neo4jServer) -> None:
    # Any credentials, or none, are accepted: the server says so in `kg neo4j serve`.
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=("nobody", "wrong")) as driver:
        driver.verify_connectivity()


def test_writes_are_seen_by_later_sessions(neo4j_driver: neo4j.Driver) -> None:
    neo4j_driver.execute_query(
        "MERGE (o:TestOrg {key: $key}) SET o.name = $name",
        key="test-writes",
        name="字节跳动",
    )
    with neo4j_driver.session() as session:
        name = session.run("MATCH (o:TestOrg {key: 'test-writes'}) RETURN o.name AS name").single()
    assert name is not None and name["name"] == "字节跳动"


def test_listens_on_loopback_only(neo4j_server: Neo4jServer) -> None:
    # Read the listening sockets from /proc rather than connect to this machine's other
    # addresses: traffic to non-loopback addresses is not allowed on our machines.
    addresses = _listening_addresses(neo4j_server.port)
    assert addresses, f"nothing listens on port {neo4j_server.port}"
    assert all(_is_loopback(a) for a in addresses), addresses


def test_load_csv_reads_the_import_dir(neo4j_driver: neo4j.Driver, neo4j_import_dir: Path) -> None:
    (neo4j_import_dir / "orgs.csv").write_text("key,name\nload-csv-1,Qwen\n", encoding="utf-8")
    records, _, _ = neo4j_driver.execute_query(
        "LOAD CSV WITH HEADERS FROM 'file:///orgs.csv' AS row RETURN row.key AS key, row.name AS name"
    )
    assert [(r["key"], r["name"]) for r in records] == [("load-csv-1", "Qwen")]


def test_a_taken_port_is_refused_before_starting(neo4j_server: Neo4jServer) -> None:
    with pytest.raises(Neo4jServerError, match=f"port {neo4j_server.port} .* already in use"):
        start_server(port=neo4j_server.port)


def test_stop_ends_the_server_and_the_data_outlives_it(neo4j_build: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = find_free_port()
    first = start_server(port=port, data_dir=data_dir)
    try:
        assert first.uri == f"bolt://127.0.0.1:{port}"
        with neo4j.GraphDatabase.driver(first.uri, auth=None) as driver:
            driver.execute_query("CREATE (:TestOrg {key: 'persisted', name: 'DeepSeek'})")
    finally:
        code = first.stop()

    assert not first.is_running()
    assert code in (0, 128 + signal.SIGTERM), first.output_tail()
    assert first.stop() == code  # a second stop is harmless
    assert port_is_free(port)
    assert (data_dir / "data" / "databases" / "neo4j").is_dir()

    with start_server(port=0, data_dir=data_dir) as second:
        with neo4j.GraphDatabase.driver(second.uri, auth=None) as driver:
            records, _, _ = driver.execute_query(
                "MATCH (o:TestOrg {key: 'persisted'}) RETURN o.name AS name"
            )
    assert [r["name"] for r in records] == ["DeepSeek"]


def test_a_server_that_cannot_start_reports_its_output(neo4j_build: Path, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    with pytest.raises(Neo4jServerError, match="exited with code") as caught:
        start_server(port=0, data_dir=not_a_folder, timeout=120)
    assert f"kg.Neo4jServer: cannot use {not_a_folder} as a folder" in str(caught.value)


def test_serve_prints_the_uri_and_stops_cleanly_on_sigterm(neo4j_build: Path) -> None:
    port = find_free_port()
    process = _run_serve(port)
    try:
        lines = _read_until(process, f"bolt://127.0.0.1:{port}")
        lines += _read_until(process, "Stop with Ctrl-C.")
        text = "\n".join(lines)
        assert "127.0.0.1 only" in text and "authentication disabled" in text
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, out
    assert "Neo4j stopped." in out
    assert port_is_free(port)


def test_the_server_does_not_outlive_a_killed_parent(neo4j_build: Path) -> None:
    port = find_free_port()
    process = _run_serve(port)
    try:
        _read_until(process, f"bolt://127.0.0.1:{port}")
    finally:
        process.kill()  # SIGKILL: no chance to stop the server
        process.wait()
    deadline = time.monotonic() + 60
    while not port_is_free(port):
        assert time.monotonic() < deadline, "the server kept running after its parent died"
        time.sleep(0.2)


# Requirements and building, without a server.


def test_missing_java_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    for find in (server_module.find_java, server_module.find_maven):
        with pytest.raises(KGError) as caught:
            find()
        message = str(caught.value)
        assert "\n" not in message
        assert "Java 17 and Maven" in message and "apt-get install" in message


def test_old_java_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "java"
    fake.write_text('#!/bin/sh\necho \'java version "1.8.0_392"\' >&2\n', encoding="utf-8")
    fake.chmod(0o755)
    assert server_module.java_major_version(str(fake)) == 8
    with pytest.raises(Neo4jServerError, match="Java 8"):
        server_module.check_java(str(fake))


def test_without_the_repository_the_error_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(server_module, "SERVER_SOURCE_DIR", tmp_path / "missing")
    with pytest.raises(Neo4jServerError, match="docker/neo4j-server"):
        server_module.ensure_server_built(tmp_path / "cache")


def test_a_changed_pom_or_launcher_means_a_rebuild(tmp_path: Path) -> None:
    source = REPO / "docker" / "neo4j-server"
    copy = tmp_path / "neo4j-server"
    (copy / "src").mkdir(parents=True)
    (copy / "pom.xml").write_bytes((source / "pom.xml").read_bytes())
    key = build_key(copy)
    (copy / "pom.xml").write_text("<project/>", encoding="utf-8")
    assert build_key(copy) != key
    changed_pom = build_key(copy)
    (copy / "src" / "Launcher.java").write_text("class Launcher {}", encoding="utf-8")
    assert build_key(copy) != changed_pom


def test_the_cache_is_reused(neo4j_build: Path) -> None:
    started = time.monotonic()
    assert server_module.ensure_server_built() == neo4j_build
    assert time.monotonic() - started < 5  # a hash, not a Maven run


def _is_loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def _listening_addresses(port: int) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Local addresses of TCP sockets listening on ``port``, from /proc/net/tcp and tcp6."""
    found: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
    for table, ipv6 in (("/proc/net/tcp", False), ("/proc/net/tcp6", True)):
        if not os.path.exists(table):
            continue
        with open(table, encoding="ascii") as handle:
            next(handle)
            for row in handle:
                fields = row.split()
                address, port_hex = fields[1].split(":")
                if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                    found.add(_decode_proc_address(address, ipv6))
    return found


def _decode_proc_address(
    hex_address: str, ipv6: bool
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    raw = bytes.fromhex(hex_address)
    # /proc writes each 32-bit word in host (little-endian) order.
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return ipaddress.IPv6Address(words) if ipv6 else ipaddress.IPv4Address(words)


def _run_serve(port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from kg.neo4j.server import serve; sys.exit(serve(port=int(sys.argv[1])))",
            str(port),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=REPO,
    )


def _read_until(process: subprocess.Popen[str], wanted: str, timeout: float = 180) -> list[str]:
    """Lines of ``process``'s output up to the one containing ``wanted``."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"serve exited before printing {wanted!r}:\n" + "".join(lines))
        lines.append(line.rstrip("\n"))
        if wanted in line:
            return lines
    pytest.fail(f"serve did not print {wanted!r} within {timeout} s:\n" + "\n".join(lines))
