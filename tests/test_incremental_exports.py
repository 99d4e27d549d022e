"""Incremental builds copy the exports' unchanged records from the last build (DIR/.kg-cache/
exports-*.kgx), and the outputs never show it: after any sequence of corpus edits, each build
equals a clean build of the same corpus byte for byte; a damaged, foreign or stale store is
ignored with one warning line; ``--no-cache`` ignores it.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.export.store as export_store
from kg.cache import CACHE_DIR_NAME
from kg.checksum import checksum
from kg.cli import main
from kg.export.store import EXPORTS, STORE_FORMAT, pack, store_file, unpack
from kg.pipeline import build

ORGS = ["Quokka Labs", "Numbat Research", "Wallaby AI"]
MODELS = ["Wombat-7B", "Kiwi-3B", "Wombat-13B"]
BENCHMARKS = ["KoalaBench", "PossumEval"]
DEFINED = [("XQZ", "Xylo Quantum Zeta"), ("PRB", "Plinth Routing Blend")]
"""Acronyms and long forms: two entities until a digest defines one as the other."""
DATES = ["2026-04-01", "2026-04-03", "2026-05-10"]

RELEASE = st.builds(
    "{} 发布了 {} 模型，在 {} 基准上得分 {}。".format,
    st.sampled_from(ORGS), st.sampled_from(MODELS), st.sampled_from(BENCHMARKS), st.sampled_from(["71.5", "80.2"]),
)
USES = st.builds("{} 使用 {} 算法训练。".format, st.sampled_from(MODELS), st.sampled_from([a for a, _ in DEFINED]))
PROPOSES = st.builds("{} 提出 {} 方法。".format, st.sampled_from(ORGS), st.sampled_from([long for _, long in DEFINED]))
ITEM = st.lists(st.one_of(RELEASE, USES, PROPOSES), min_size=1, max_size=3).map("".join)
DIGEST = st.tuples(st.sampled_from(DATES), st.lists(ITEM, min_size=1, max_size=3))


def digest_text(date: str, items: list[str]) -> str:
    body = "".join(f"## {i}. 动态\n\n{text}\n\n" for i, text in enumerate(items, start=1))
    return f"# 每日简报 {date}\n\n{body}"


EDITS = st.one_of(
    st.tuples(st.just("add"), DIGEST),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("change"), st.integers(0, 9), ITEM),
    st.tuples(st.just("alias"), st.sampled_from(DEFINED), st.sampled_from(ORGS), st.sampled_from(MODELS)),  # two entities merge
    st.tuples(st.just("rename"), st.sampled_from(["FooNet", "FOONET"]), st.integers(1, 3)),  # the most used form names it
    st.tuples(st.just("redate"), st.integers(0, 9), st.sampled_from(DATES)),
)


def apply(corpus: Path, edit: tuple, counter: list[int]) -> None:
    files = sorted(corpus.iterdir())
    kind = edit[0]

    def new_file(text: str) -> None:
        counter[0] += 1
        (corpus / f"d{counter[0]:02d}.md").write_text(text, encoding="utf-8")

    if kind == "add":
        new_file(digest_text(*edit[1]))
    elif kind == "delete" and len(files) > 1:
        files[edit[1] % len(files)].unlink()
    elif kind == "change":
        path = files[edit[1] % len(files)]
        path.write_text(path.read_text(encoding="utf-8") + f"## 补充\n\n{edit[2]}\n", encoding="utf-8")
    elif kind == "alias":
        (short, long), org, model = edit[1:]
        new_file(digest_text(DATES[1], [f"{org} 提出的 {long} ({short}) 算法被 {model} 采用。"]))
    elif kind == "rename":
        surface, times = edit[1:]
        new_file(digest_text(DATES[2], [f"{surface} 框架。" * times]))
    elif kind == "redate":
        path = files[edit[1] % len(files)]
        text = path.read_text(encoding="utf-8")
        path.write_text(f"# 每日简报 {edit[2]}" + text[text.index("\n") :], encoding="utf-8")


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and CACHE_DIR_NAME not in p.relative_to(folder).parts
    }


def clean_build(corpus: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    build([corpus], out, jobs=1, use_cache=False)
    return outputs(out)


SEED = "FooNet 框架。Numbat Research 提出 Xylo Quantum Zeta 方法。Wombat-7B 使用 XQZ 算法训练。"
"""In every first corpus: an "alias" edit then merges two entities, a "rename" edit renames one."""


@settings(max_examples=10, deadline=None)
@given(first=st.lists(DIGEST, max_size=3), edits=st.lists(st.tuples(EDITS, st.sampled_from([1, 2])), min_size=1, max_size=6))
def test_after_any_sequence_of_edits_an_incremental_build_equals_a_clean_one(tmp_path_factory, first, edits):
    work = tmp_path_factory.mktemp("edits")
    corpus, out = work / "corpus", work / "out"
    corpus.mkdir()
    counter = [0]
    for date, items in [(DATES[0], [SEED]), *first]:
        apply(corpus, ("add", (date, items)), counter)
    build([corpus], out, jobs=1)
    for edit, jobs in edits:
        apply(corpus, edit, counter)
        result = build([corpus], out, jobs=jobs)  # 2: the exports are written in forked processes
        assert result.warnings == []
        assert outputs(out) == clean_build(corpus, work / "clean"), edit
        assert all(store_file(out / CACHE_DIR_NAME, e).is_file() for e in EXPORTS)


NEW_DIGEST = digest_text(DATES[2], ["Quokka Labs 发布了 Kiwi-3B 模型，在 PossumEval 基准上得分 80.2。"])


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path]:
    """A corpus of three digests, built into out/."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    counter = [0]
    for date, items in [(DATES[0], ["Quokka Labs 发布了 Wombat-7B 模型，在 KoalaBench 基准上得分 71.5。Wombat-7B 使用 XQZ 算法训练。"]),
                        (DATES[1], ["Numbat Research 提出 Xylo Quantum Zeta 方法。", "Wallaby AI 发布了 Wombat-13B 模型。"]),
                        (DATES[2], ["FooNet 框架。Kiwi-3B 使用 PRB 算法训练。"])]:
        apply(corpus, ("add", (date, items)), counter)
    build([corpus], out, jobs=1)
    return corpus, out


def _store(out: Path, export: str = "graph.ttl") -> Path:
    return store_file(out / CACHE_DIR_NAME, export)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-10])


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00 not a store at all")


def _flip_payload_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))


def _other_format(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"KGEXPORT %d\n" % STORE_FORMAT, b"KGEXPORT 99\n", 1))


def _foreign(path: Path) -> None:
    path.write_bytes(_store(path.parent.parent, "graph.json").read_bytes())


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize(
    "damage, reason",
    [
        (_truncate, "truncated"),
        (_garbage, "not a kg export store"),
        (_flip_payload_byte, "checksum mismatch"),
        (_foreign, "the store of 'graph.json'"),
        (_empty, "not a kg export store"),
        (_other_format, "another version"),
    ],
)
def test_a_damaged_store_is_one_warning_line_and_the_outputs_are_still_right(built, tmp_path, damage, reason):
    corpus, out = built
    damage(_store(out))
    (corpus / "new.md").write_text(NEW_DIGEST, encoding="utf-8")
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and reason in result.warnings[0] and "\n" not in result.warnings[0]
    assert outputs(out) == clean_build(corpus, tmp_path / "clean")
    assert build([corpus], out, jobs=1).warnings == []  # healed: the store was written again


def test_every_damaged_store_still_makes_one_line(built, tmp_path):
    corpus, out = built
    for export in EXPORTS:
        _flip_payload_byte(_store(out, export))
    result = build([corpus], out, jobs=2)
    assert len(result.warnings) == 1 and "checksum mismatch" in result.warnings[0] and "2 more" in result.warnings[0]
    assert outputs(out) == clean_build(corpus, tmp_path / "clean")


def test_a_store_from_another_version_of_the_export_code_is_a_warning(built, tmp_path, monkeypatch):
    corpus, out = built
    monkeypatch.setattr(export_store, "export_fingerprint", lambda: "0" * 64)
    build([corpus], out, jobs=1)  # stores written under another fingerprint
    monkeypatch.undo()
    (corpus / "new.md").write_text(NEW_DIGEST, encoding="utf-8")
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and "3 export store(s) written by another version" in result.warnings[0]
    assert outputs(out) == clean_build(corpus, tmp_path / "clean")


@pytest.mark.parametrize("change", ["edit", "delete", "truncate"])
def test_an_output_changed_since_the_last_build_is_written_whole_without_a_warning(built, tmp_path, change):
    """The store describes files that are no longer there: nothing is copied from them."""
    corpus, out = built
    for name in ("graph.ttl", "graph.json", "neo4j/rels-MENTIONS.csv"):
        path = out / name
        if change == "edit":
            path.write_bytes(path.read_bytes().replace(b"Wombat", b"Wamb0t"))
        elif change == "delete":
            path.unlink()
        else:
            path.write_bytes(path.read_bytes()[:100])
    (corpus / "new.md").write_text(NEW_DIGEST, encoding="utf-8")
    result = build([corpus], out, jobs=1)
    assert result.warnings == []
    assert outputs(out) == clean_build(corpus, tmp_path / "clean")


def _forge(out: Path, old: bytes, new: bytes) -> None:
    """Change graph.ttl (``old`` to ``new``, of the same length: every offset holds) and make
    its store describe the changed file: a store trusted as it should be, whose copied records
    would show the change."""
    ttl = out / "graph.ttl"
    data = ttl.read_bytes()
    forged = data.replace(old, new, 1)
    assert forged != data and len(forged) == len(data)
    ttl.write_bytes(forged)
    path = _store(out)
    keys, index = unpack(path.read_bytes(), "graph.ttl", export_store.export_fingerprint())
    stamp = (len(forged), checksum(forged))
    path.write_bytes(pack("graph.ttl", export_store.export_fingerprint(), keys, (*index[:-1], stamp)))


def test_records_are_really_copied_and_no_cache_copies_nothing(built):
    corpus, out = built
    _forge(out, '"Quokka Labs"'.encode(), '"Quokka Labz"'.encode())  # an entity's label: made every build
    _forge(out, '"动态"'.encode(), '"天外"'.encode())  # an item's title: copied while its digest is unchanged
    (corpus / "new.md").write_text(NEW_DIGEST, encoding="utf-8")
    build([corpus], out, jobs=1)
    turtle = (out / "graph.ttl").read_bytes()
    assert b"Quokka Labz" not in turtle and "天外".encode() in turtle
    assert main(["build", str(corpus), "--out", str(out), "--no-cache", "-j", "1"]) == 0
    assert "天外".encode() not in (out / "graph.ttl").read_bytes()


def test_the_stores_describe_the_files_beside_them_whichever_process_wrote_them(built, tmp_path):
    corpus, out = built
    (corpus / "new.md").write_text(NEW_DIGEST, encoding="utf-8")
    build([corpus], out, jobs=3)
    for export in EXPORTS:
        keys, index = unpack(_store(out, export).read_bytes(), export, export_store.export_fingerprint())
        indexes = {export: index} if export != "neo4j" else {f"neo4j/{name}": i for name, i in index.items()}
        for name, (*_, (size, expected)) in indexes.items():
            path = out / name
            data = path.read_bytes()
            assert (len(data), checksum(data)) == (size, expected)
    assert outputs(out) == clean_build(corpus, tmp_path / "clean")


def test_a_store_that_cannot_be_written_does_not_stop_the_build(built, tmp_path, monkeypatch):
    corpus, out = built
    real_replace = os.replace

    def disk_full(src, dst):
        if str(dst).endswith(".kgx"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_full)
    (corpus / "new.md").write_text(NEW_DIGEST, encoding="utf-8")
    build([corpus], out, jobs=1)
    monkeypatch.undo()
    assert not [p for p in (out / CACHE_DIR_NAME).iterdir() if p.name.endswith(".tmp")]
    assert outputs(out) == clean_build(corpus, tmp_path / "clean")
    result = build([corpus], out, jobs=1)  # the old stores describe older files: not used, no warning
    assert result.warnings == []
    assert outputs(out) == clean_build(corpus, tmp_path / "clean")


def test_the_fingerprint_covers_the_code_that_makes_records():
    """A kg module the exports import must be in store.SOURCES (or be the cache's fingerprint)."""
    import subprocess
    import sys

    code = (
        "import sys, kg.export.rdf, kg.graph, kg.neo4j.bundle\n"
        "for n, m in sorted(sys.modules.items()):\n"
        "    if n.startswith('kg.') and getattr(m, '__file__', None): print(m.__file__)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    package = export_store.PACKAGE
    covered = set()
    for name in export_store.SOURCES:
        path = package / name
        covered |= set(path.rglob("*.py")) if path.is_dir() else {path}
    from kg.cache.fingerprint import source_files

    covered |= set(source_files())
    harmless = {"__init__.py", "errors.py", "memory.py", "cache/versions.py", "ontology/__init__.py", "neo4j/__init__.py"}
    ours = {Path(f).resolve() for f in loaded if Path(f).resolve().is_relative_to(package)}
    missing = {p.relative_to(package).as_posix() for p in ours - covered} - harmless
    assert missing == set(), json.dumps(sorted(missing))
