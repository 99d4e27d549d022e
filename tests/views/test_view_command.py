"""`kg view [NAME]` as a user runs it: the right page's path, by any name, or one clear error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kg.graph import read_graph_json
from kg.views.paths import entity_page


def run_kg(*args):
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True, timeout=120)


def page_of(build: Path, entity_id: str) -> Path:
    node = read_graph_json((build / "graph.json").read_bytes()).nodes[entity_id]
    return build / "html" / entity_page(entity_id, node["name"], node["type"])


def test_no_name_prints_the_overview(sample_export):
    result = run_kg("view", "--out", sample_export)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == sample_export / "html" / "index.html"


def test_any_name_or_alias_finds_the_entity_page(sample_export):
    expected = page_of(sample_export, "organization/ByteDance")
    for name in ("ByteDance", "字节跳动", "字节", "bytedance", "ＢｙｔｅＤａｎｃｅ", "字節跳動"):
        result = run_kg("view", name, "--out", sample_export, "--no-open")
        assert result.returncode == 0, (name, result.stderr)
        assert Path(result.stdout.strip()) == expected, name
        assert expected.is_file()


def test_a_version_finds_its_own_page_not_a_neighbours(sample_export):
    result = run_kg("view", "GPT-4", "--out", sample_export, "--no-open")
    assert Path(result.stdout.strip()) == page_of(sample_export, "model/GPT-4")


def test_a_digest_is_found_by_its_file_name(sample_export):
    result = run_kg("view", "2026-01-12.md", "--out", sample_export, "--no-open")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent.name == "digest" and "2026-01-12.md" in path.read_text(encoding="utf-8")


def test_an_unknown_name_is_one_line_with_suggestions(sample_export):
    result = run_kg("view", "Seedre", "--out", sample_export, "--no-open")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "did you mean" in result.stderr and "Seedream" in result.stderr
    result = run_kg("view", "没有这个东西", "--out", sample_export)
    assert result.returncode == 1 and "no entity or digest is named" in result.stderr


def test_a_folder_without_views_says_how_to_build_them(tmp_path):
    result = run_kg("view", "--out", tmp_path)
    assert result.returncode == 1
    assert "kg build --out" in result.stderr and "Traceback" not in result.stderr
