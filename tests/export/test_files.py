"""Atomic output files: a file written again replaces the old one in one step, leaves nothing
beside it, and never touches what is not a regular file of its own."""

from __future__ import annotations

import os

import pytest

from kg.export import files
from kg.export.files import open_atomic, write_atomic


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "rename"])
def test_a_file_written_again_is_replaced_whole_and_leaves_no_temporary_file(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(files, "_renameat2", None)  # other systems: a plain rename
    path = tmp_path / "graph.ttl"
    write_atomic(path, b"old " * 1000)
    reader = open(path, "rb")  # a reader that opened the old file keeps reading all of it
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and listing(tmp_path) == ["graph.ttl"]
    assert reader.read() == b"old " * 1000
    reader.close()
    assert path.stat().st_mode & 0o777 == 0o666 & ~files.current_umask()


def test_the_exchange_is_used_on_linux(tmp_path, monkeypatch):
    """What makes rewriting an export cheap on ext4 is really there (the fallback is silent)."""
    if not os.uname().sysname == "Linux":
        pytest.skip("renameat2 is Linux's")
    assert files._renameat2 is not None
    calls = []
    real = files._renameat2
    monkeypatch.setattr(files, "_renameat2", lambda *args: calls.append(args) or real(*args))
    write_atomic(tmp_path / "a", b"1")
    write_atomic(tmp_path / "a", b"2")
    assert len(calls) == 1 and (tmp_path / "a").read_bytes() == b"2" and listing(tmp_path) == ["a"]


def test_a_symlink_in_the_way_is_replaced_and_its_target_left_alone(tmp_path):
    target = tmp_path / "elsewhere.ttl"
    target.write_bytes(b"keep me")
    (tmp_path / "graph.ttl").symlink_to(target)
    write_atomic(tmp_path / "graph.ttl", b"new")
    assert not (tmp_path / "graph.ttl").is_symlink() and (tmp_path / "graph.ttl").read_bytes() == b"new"
    assert target.read_bytes() == b"keep me"


def test_a_folder_in_the_way_is_an_error_and_stays(tmp_path):
    (tmp_path / "graph.ttl").mkdir()
    (tmp_path / "graph.ttl" / "inside").write_bytes(b"x")
    with pytest.raises(OSError):
        with open_atomic(tmp_path / "graph.ttl") as handle:
            handle.write(b"new")
    assert (tmp_path / "graph.ttl" / "inside").read_bytes() == b"x" and listing(tmp_path) == ["graph.ttl"]
