"""`kg build` and `kg eval` as a user runs them: bad input, exit codes, atomic outputs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main

GOOD = "# 每日简报 2026-03-02\n\n## 1. 字节跳动发布 Seedream 4.0 模型\n\n字节跳动发布了 Seedream 4.0 模型，在 GenEval 基准上得分 0.84。\n"


def run_kg(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_bad_files_are_reported_by_path_and_the_rest_still_builds(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.md").write_text(GOOD, encoding="utf-8")
    (corpus / "empty.md").write_bytes(b"")
    (corpus / "binary.md").write_bytes(bytes(range(256)) * 40)
    out = tmp_path / "out"
    result = run_kg("build", corpus, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "empty.md" in result.stdout and "binary.md" in result.stdout
    assert "1 built, 2 skipped" in result.stdout
    assert (out / "graph.ttl").stat().st_size > 0


def test_no_readable_digest_exits_non_zero_with_one_line(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    result = run_kg("build", tmp_path, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no digest could be built" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_missing_input_path_is_one_clear_line(tmp_path):
    result = run_kg("build", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "nowhere" in result.stderr and "no such file" in result.stderr


def test_a_failed_write_leaves_the_previous_export_whole(tmp_path, monkeypatch):
    (tmp_path / "d.md").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "d.md"), "--out", str(out)]) == 0
    before = (out / "graph.ttl").read_bytes()

    import kg.export.files as files

    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith("graph.ttl"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", failing_replace)
    assert main(["build", str(tmp_path / "d.md"), "--out", str(out)]) == 3
    assert (out / "graph.ttl").read_bytes() == before
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_every_command_has_help_with_an_example():
    for command in ("build", "eval"):
        result = run_kg(command, "--help")
        assert result.returncode == 0
        assert "examples:" in result.stdout and f"kg {command}" in result.stdout


def test_eval_without_a_build_says_what_to_do(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "d.md.json").write_text(json.dumps({"digest": "d.md", "entities": [], "relations": []}))
    result = run_kg("eval", gold, "--out", tmp_path / "nothing")
    assert result.returncode == 1 and "kg build" in result.stderr


def test_malformed_gold_file_is_named(tmp_path):
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    result = run_kg("eval", tmp_path, "--out", tmp_path)
    assert result.returncode == 1 and "bad.json" in result.stderr
