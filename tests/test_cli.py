"""`kg build` and `kg eval` as a user runs them: bad input, exit codes, atomic outputs."""

import gc
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


def test_a_failed_write_leaves_the_previous_export_whole(tmp_path, monkeypatch, capsys):
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
    monkeypatch.setattr(files, "_renameat2", lambda *args: -1)  # the exchange fails too, then the rename
    capsys.readouterr()
    assert main(["build", str(tmp_path / "d.md"), "--out", str(out), "--jobs", "1"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("kg: error: ") and "No space left on device" in err
    assert (out / "graph.ttl").read_bytes() == before
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def _commands(parser=None, prefix=()):
    import argparse

    from kg.cli import _parser

    parser = parser or _parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield (*prefix, name), child
                yield from _commands(child, (*prefix, name))


def test_every_command_has_help_with_an_example():
    commands = list(_commands())
    assert {c for c, _ in commands} >= {("build",), ("eval",), ("sparql",), ("export", "rdf"), ("validate",)}
    for command, child in commands:
        text = child.format_help()
        assert "examples:" in text and "kg " + command[0] in text, command
    result = run_kg("build", "--help")
    assert result.returncode == 0 and "examples:" in result.stdout


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


def test_hostile_input_is_built_or_reported_never_crashes(tmp_path):
    """A 5 MB single line, 400-level nested lists, HTML with <script>, quotes and backslashes in
    names, a file that is no digest: every readable one is built, nothing runs, no traceback."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    filler = "今天的讨论没有新名字，只是一段很长的文字，" * 20
    line = (filler + "OpenAI 发布 GPT-5.1 模型。") * (5_000_000 // len((filler + "OpenAI 发布 GPT-5.1 模型。").encode()) + 1)
    (corpus / "long.md").write_text("# 长行 2026-03-01\n\n" + line.replace("。", "，"), encoding="utf-8")
    (corpus / "nested.md").write_text(
        "# 嵌套 2026-03-02\n\n" + "".join("  " * i + f"- 第 {i} 层 DeepSeek-V4 由深度求索推出\n" for i in range(400)),
        encoding="utf-8",
    )
    (corpus / "html.md").write_text(
        '# 网页 2026-03-03\n\n## 1. <img src=x onerror=alert(1)> 谷歌发布新模型\n\n'
        '<script>alert("Orion-X-900B 模型")</script><p>谷歌发布了 <b>Gemini 3 Pro</b> 模型</p>\n',
        encoding="utf-8",
    )
    (corpus / "quotes.md").write_text(
        "# 引号 2026-03-04\n\n## 1. 新模型发布\n\nAurora AI Lab 发布了 O'Neil-LM-7B 模型，"
        '与 "Quote\\"Bench" 基准，路径 `C:\\models\\x`。\n',
        encoding="utf-8",
    )
    (corpus / "data.txt").write_text('{"not": "a digest", "list": [1, 2, 3]}', encoding="utf-8")
    out = tmp_path / "out"
    result = run_kg("build", corpus, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "Orion-X-900B" not in turtle  # script content is stripped, never extracted
    assert "<img" not in turtle
    import rdflib

    g = rdflib.Graph().parse(out / "graph.ttl")
    labels = {str(o) for o in g.objects(predicate=rdflib.RDFS.label)}
    assert {"O'Neil-LM-7B", "Gemini 3 Pro", "DeepSeek-V4", "GPT-5.1"} <= labels


def test_every_kg_command_in_the_readme_parses():
    import re
    import shlex

    from kg.cli import _parser

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            for part in re.split(r"&&", line.split("  #")[0]):
                words = shlex.split(part.strip())
                while words and ("=" in words[0] and not words[0].startswith("-")):
                    words = words[1:]  # VAR=value prefixes
                if words and words[0] in ("kg", ".venv/bin/kg") and "--help" not in words:
                    commands.append(words[1:])
    assert len(commands) >= 20
    parser = _parser()
    for args in commands:
        parser.parse_args(args)  # exits (fails the test) on an unknown command or option


def test_the_kg_command_exits_with_mains_code_and_leaves_no_garbage_collection_to_its_end(monkeypatch, capsys):
    """``kg`` (the console script, ``kg.cli:run``) exits with what ``main`` returned, having first
    frozen what is alive, so that the interpreter's last collection does not scan a graph that
    dies with the process."""
    from importlib.metadata import entry_points

    from kg.cli import run

    (script,) = entry_points(group="console_scripts", name="kg")
    assert script.value == "kg.cli:run"
    monkeypatch.setattr(sys, "argv", ["kg"])  # no command: the help, and exit code 2
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as ended:
            run()
        assert ended.value.code == 2 and "usage: kg" in capsys.readouterr().out
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
