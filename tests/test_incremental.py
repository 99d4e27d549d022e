"""Incremental builds: DIR/.kg-cache reuses unchanged digests, and the output never shows it.

Every incremental build here is compared byte for byte (graph.ttl, graph.json, neo4j/) with a
clean ``use_cache=False`` build of the same corpus in another folder.
"""

import json
import os
import shutil
import subprocess
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

import kg.cache.store as store
import kg.pipeline as pipeline
from kg.cache import CACHE_DIR_NAME, CachedDigest, ExtractionCache
from kg.cache.codec import decode_entry, encode_entry
from kg.cache.fingerprint import PACKAGE, source_files
from kg.cache.store import entry_name, pack
from kg.cli import main
from kg.extract import Extractor
from kg.ingest.reader import DigestFile
from kg.pipeline import SAMPLE_CORPUS, build

NEW_DIGEST = (
    "# 每日简报 2026-04-01\n\n## 1. 新模型 Zephyrine-9B 发布\n\n"
    "Quokka Labs 发布了 Zephyrine-9B 模型，在 MMLU 基准上得分 81.2。\n"
)


def outputs(folder: Path) -> dict[str, bytes]:
    """Every output file of a build (the cache excluded), by path relative to the folder."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and CACHE_DIR_NAME not in p.relative_to(folder).parts
    }


def cache_files(folder: Path) -> list[Path]:
    return sorted((folder / CACHE_DIR_NAME).glob("*.kgc"))


def assert_same_as_clean_build(corpus: Path, out: Path, tmp_path: Path) -> None:
    clean = tmp_path / f"clean-{len(list(tmp_path.iterdir()))}"
    build([corpus], clean, jobs=1, use_cache=False)
    got, want = outputs(out), outputs(clean)
    assert sorted(got) == sorted(want)
    assert {"graph.ttl", "graph.json", "neo4j/README.md"} <= set(got)
    for name in want:
        assert got[name] == want[name], name


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, folder)
    return folder


@pytest.fixture
def extracted(monkeypatch) -> list[str]:
    """The paths of the digests extracted (in this process) from now on."""
    seen: list[str] = []

    class Counting(Extractor):
        def extract(self, digest):
            seen.append(digest.path)
            return super().extract(digest)

    monkeypatch.setattr(pipeline, "Extractor", Counting)
    return seen


def test_second_build_reads_and_extracts_nothing_and_is_identical(corpus, tmp_path, monkeypatch, extracted):
    out = tmp_path / "out"
    first = build([corpus], out, jobs=1)
    assert first.cached == 0 and len(extracted) == 9
    before = outputs(out)

    def no_parsing(*args):
        raise AssertionError("a cached digest was parsed again")

    monkeypatch.setattr(DigestFile, "read", no_parsing)
    extracted.clear()
    second = build([corpus], out, jobs=1)
    assert second.cached == 9 and extracted == [] and second.warnings == []
    assert outputs(out) == before
    assert len(cache_files(out)) == 9


def test_add_change_and_delete_digests_match_a_clean_build(corpus, tmp_path, extracted):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)

    (corpus / "2026-04-01-new.md").write_text(NEW_DIGEST, encoding="utf-8")
    extracted.clear()
    added = build([corpus], out, jobs=1)
    assert added.cached == 9 and extracted == [(corpus / "2026-04-01-new.md").as_posix()]
    assert "Zephyrine-9B" in (out / "graph.ttl").read_text(encoding="utf-8")
    assert_same_as_clean_build(corpus, out, tmp_path)

    changed = corpus / "2026-W06.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n## 补充\n\nQuokka Labs 推出 Wombat-2 模型。\n", encoding="utf-8")
    extracted.clear()
    result = build([corpus], out, jobs=1)
    assert result.cached == 9 and extracted == [changed.as_posix()]
    assert "Wombat-2" in (out / "graph.ttl").read_text(encoding="utf-8")
    assert_same_as_clean_build(corpus, out, tmp_path)

    (corpus / "2026-04-01-new.md").unlink()
    extracted.clear()
    result = build([corpus], out, jobs=1)
    assert result.cached == 9 and extracted == []
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "Zephyrine-9B" not in turtle and "2026-04-01-new" not in turtle  # entity, digest and evidence gone
    assert_same_as_clean_build(corpus, out, tmp_path)
    assert len(cache_files(out)) == 9  # the deleted digest's and the old version's entries are pruned


def test_renaming_and_retitling_digests_with_two_jobs_match_a_clean_build(corpus, tmp_path):
    """What a digest's pages and its entities' pages show of it (its file name, id, title) changes
    with no new mention: every page showing it is written again, and nothing else differs."""
    out = tmp_path / "out"
    build([corpus], out, jobs=2)
    (corpus / "2026-W06.md").rename(corpus / "2026-W06-renamed.md")
    build([corpus], out, jobs=2)
    assert_same_as_clean_build(corpus, out, tmp_path)
    retitled = corpus / "digest_0316.md"
    text = retitled.read_text(encoding="utf-8")
    first_line = text.splitlines()[0]
    retitled.write_text(text.replace(first_line, first_line + " (revised)", 1), encoding="utf-8")
    build([corpus], out, jobs=2)
    assert "(revised)" in (out / "html" / "index.html").read_text(encoding="utf-8")
    assert_same_as_clean_build(corpus, out, tmp_path)


def test_no_cache_extracts_everything_and_rewrites_the_cache(corpus, tmp_path, extracted):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    for file in cache_files(out):
        file.write_bytes(b"stale")
    extracted.clear()
    result = build([corpus], out, jobs=1, use_cache=False)
    assert result.cached == 0 and len(extracted) == 9 and result.warnings == []
    extracted.clear()
    again = build([corpus], out, jobs=1)
    assert again.cached == 9 and extracted == [] and again.warnings == []


def _first_entry(out: Path) -> Path:
    return cache_files(out)[0]


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 8)


def _wrong_format(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"KGCACHE 1\n", b"KGCACHE 99\n", 1))


def _flipped_payload_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))


def _another_digests_entry(path: Path) -> None:
    other = [p for p in cache_files(path.parents[1]) if p != path][0]
    path.write_bytes(other.read_bytes())


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize(
    "damage, reason",
    [
        (_truncate, "truncated"),
        (_garbage, "not a kg cache file"),
        (_wrong_format, "cache format '99'"),
        (_flipped_payload_byte, "checksum mismatch"),
        (_another_digests_entry, "belongs to another digest"),
        (_empty, "not a kg cache file"),
    ],
)
def test_a_damaged_cache_file_is_a_warning_and_is_rebuilt(corpus, tmp_path, extracted, damage, reason):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    damage(_first_entry(out))
    extracted.clear()
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and reason in result.warnings[0] and "re-extracted" in result.warnings[0]
    assert "\n" not in result.warnings[0]
    assert result.cached == 8 and len(extracted) == 1
    assert_same_as_clean_build(corpus, out, tmp_path)
    healed = build([corpus], out, jobs=1)
    assert healed.cached == 9 and healed.warnings == []


def test_a_cache_from_another_code_version_is_a_warning_and_is_rebuilt(corpus, tmp_path, monkeypatch, extracted):
    out = tmp_path / "out"
    real = store.extraction_fingerprint
    monkeypatch.setattr(store, "extraction_fingerprint", lambda: "0" * 64)
    build([corpus], out, jobs=1)
    monkeypatch.setattr(store, "extraction_fingerprint", real)
    extracted.clear()
    result = build([corpus], out, jobs=1)
    assert result.cached == 0 and len(extracted) == 9
    assert len(result.warnings) == 1 and "9 cache file(s) written by another version" in result.warnings[0]
    assert_same_as_clean_build(corpus, out, tmp_path)
    assert build([corpus], out, jobs=1).warnings == []


def test_a_trusted_entry_is_really_used(corpus, tmp_path):
    """The cache is not decoration: a valid entry (right key, name and checksum) is what the graph shows."""
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    cache = ExtractionCache(out / CACHE_DIR_NAME)
    for file in cache_files(out):
        payload = file.read_bytes().split(b"\n", 2)[2]
        digest, extractions = decode_entry(json.loads(zlib.decompress(payload)))
        forged = replace(digest, title=digest.title + " (from the cache)")
        file.write_bytes(pack(file.stem, cache.key, CachedDigest(forged, extractions)))
    build([corpus], out, jobs=1)
    assert "(from the cache)" in (out / "graph.ttl").read_text(encoding="utf-8")
    build([corpus], out, jobs=1, use_cache=False)
    assert "(from the cache)" not in (out / "graph.ttl").read_text(encoding="utf-8")


def test_entries_round_trip_to_equal_objects(corpus):
    from kg.ingest import read_digest

    extractor = Extractor()
    for path in sorted(corpus.iterdir()):
        digest = read_digest(path, corpus)
        extractions = extractor.extract(digest)
        again = decode_entry(json.loads(json.dumps(encode_entry(digest, extractions), ensure_ascii=False)))
        assert again == (digest, extractions)
        assert isinstance(again[0].items, tuple) and isinstance(again[1][0].mentions, tuple)


def test_entry_names_depend_on_name_id_and_content():
    names = {
        entry_name("x.md", "x", "0" * 64),
        entry_name("y.md", "x", "0" * 64),
        entry_name("x.md", "y", "0" * 64),
        entry_name("x.md", "x", "1" * 64),
    }
    assert len(names) == 4


def test_the_same_folder_named_another_way_is_served_from_the_cache(corpus, tmp_path, monkeypatch, extracted):
    """``kg build corpus`` then ``kg build /abs/corpus``: nothing to extract, and Digest.path is the new one."""
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    build([Path("corpus")], out, jobs=1)
    extracted.clear()
    result = build([corpus.resolve()], out, jobs=1)
    assert result.cached == 9 and extracted == []
    assert all(d.path.startswith(corpus.resolve().as_posix()) for d in result.graph.digests)
    assert_same_as_clean_build(corpus.resolve(), out, tmp_path)


def test_a_cache_that_cannot_be_written_does_not_stop_the_build(corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / CACHE_DIR_NAME).write_text("a file where the cache folder should be")
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and "cannot write the cache" in result.warnings[0]
    assert_same_as_clean_build(corpus, out, tmp_path)


def test_the_fingerprint_covers_every_kg_module_reading_and_extraction_import():
    """A kg module that reading or extraction starts to import must be added to fingerprint.SOURCES."""
    code = (
        "import sys, kg.ingest, kg.extract, kg.extract.parallel\n"
        "for n, m in sorted(sys.modules.items()):\n"
        "    if n.startswith('kg.') and getattr(m, '__file__', None): print(m.__file__)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    ours = {Path(f).resolve() for f in loaded} - {PACKAGE / "__init__.py", PACKAGE / "resolve" / "__init__.py"}
    ours = {f for f in ours if f.is_relative_to(PACKAGE)}
    assert PACKAGE / "extract" / "spacy_pipeline.py" in ours
    assert ours - {p.resolve() for p in source_files()} == set()


def test_cli_reports_a_corrupt_cache_in_one_line_and_builds(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out), "--jobs", "1"]) == 0
    assert "cache     0 digests reused, 9 read and extracted" in capsys.readouterr().out
    _garbage(_first_entry(out))
    assert main(["build", str(corpus), "--out", str(out), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "cache     8 digests reused, 1 read and extracted" in printed
    warnings = [line for line in printed.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "corrupt cache file" in warnings[0]
    assert main(["build", str(corpus), "--out", str(out), "--no-cache", "-j", "1"]) == 0
    assert "cache     0 digests reused, 9 read and extracted" in capsys.readouterr().out


def test_cache_writes_are_atomic_a_failed_write_leaves_no_file(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"

    real_replace = os.replace  # the cache writes through kg.export.files.write_atomic

    def disk_full(src, dst):
        if str(dst).endswith(".kgc"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_full)
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and "No space left on device" in result.warnings[0]
    assert list((out / CACHE_DIR_NAME).iterdir()) == []  # neither an entry nor a temporary file
    assert_same_as_clean_build(corpus, out, tmp_path)


def test_progress_reaches_the_end_of_each_stage_when_everything_is_cached(corpus, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    events = []
    build([corpus], out, lambda stage, done, total: events.append((stage, done, total)), jobs=1)
    assert ("read", 9, 9) in events and events[-1] == ("extract", 9, 9)
