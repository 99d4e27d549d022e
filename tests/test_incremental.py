"""Incremental builds: DIR/.kg-cache reuses unchanged digests, and the output never shows it.

Every incremental build here is compared byte for byte (graph.ttl, graph.json, neo4j/) with a
clean ``use_cache=False`` build of the same corpus in another folder.
"""

import gc
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

import kg.cache.store as store
import kg.pipeline as pipeline
from kg.cache import CACHE_DIR_NAME, CachedDigest, ExtractionCache
from kg.cache.fingerprint import CACHE_FORMAT, PACKAGE, source_files
from kg.cache.pack import ADDED_PACK_NAME, PACK_NAME, Pack, PackWriter
from kg.cache.store import decode_payload, encode_payload, entry_name
from kg.checksum import checksum
from kg.cli import main
from kg.extract import Extractor
from kg.ingest.reader import DigestFile, digest_id_of
from kg.models import CompactExtraction
from kg.pipeline import SAMPLE_CORPUS, build
from kg.views.layout import OVERVIEW_LAYOUT
from kg.views.render import TEMPLATE_CACHE

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


def pack_path(folder: Path) -> Path:
    return folder / CACHE_DIR_NAME / PACK_NAME


def cache_listing(folder: Path) -> list[str]:
    """The files of the cache folder but the export stores (tests/test_incremental_exports.py), the
    overview's layout (tests/views/test_layout.py), the compiled templates (tests/views/test_reuse.py)
    and the resolution store (tests/test_incremental_resolution.py)."""
    return sorted(
        name
        for name in os.listdir(folder / CACHE_DIR_NAME)
        if not name.startswith(("exports-", "resolution")) and name not in (OVERVIEW_LAYOUT, TEMPLATE_CACHE)
    )


def entries(folder: Path) -> dict[str, bytes]:
    """The payload of every entry of the build folder's cache (the pack and its additions), by entry name."""
    return {name: bytes(payload) for name, payload in ExtractionCache(folder / CACHE_DIR_NAME).payloads().items()}


def pack_entries(path: Path) -> set[str]:
    """The entries of one pack file."""
    return set(Pack.parse(path.read_bytes(), ExtractionCache(path.parent).key, CACHE_FORMAT).index)


def rewrite_pack(folder: Path, payloads: dict[str, bytes], fmt: int = CACHE_FORMAT) -> None:
    """Replace the pack with a valid one (right key and checksums) holding these payloads."""
    with open(pack_path(folder), "wb") as handle:
        writer = PackWriter(handle, ExtractionCache(folder).key, fmt)
        for name, payload in payloads.items():
            writer.add(name, payload, checksum(payload))
        writer.finish()


def entry_names(corpus: Path) -> set[str]:
    """The entries a build of ``corpus`` (a flat folder) should keep."""
    return {
        entry_name(p.name, digest_id_of(p, corpus), hashlib.sha256(p.read_bytes()).hexdigest()) for p in corpus.iterdir()
    }


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
    assert set(entries(out)) == entry_names(corpus) and len(entry_names(corpus)) == 9
    assert cache_listing(out) == [PACK_NAME]


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
    assert set(entries(out)) == entry_names(corpus)  # the deleted digest's and the old version's entries are gone


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
    pack_path(out).write_bytes(b"stale")
    extracted.clear()
    result = build([corpus], out, jobs=1, use_cache=False)
    assert result.cached == 0 and len(extracted) == 9 and result.warnings == []
    extracted.clear()
    again = build([corpus], out, jobs=1)
    assert again.cached == 9 and extracted == [] and again.warnings == []


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 8)


def _wrong_format(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"KGPACK %d\n" % CACHE_FORMAT, b"KGPACK 99\n", 1))


def _flipped_index_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[data.rindex(b"\n", 0, len(data) - 1) - 100] ^= 0x01  # inside the index, just before the trailer
    path.write_bytes(bytes(data))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _flipped_first_payload_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[data.index(b"\n") + 10] ^= 0x01  # inside the first entry's payload
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage, reason",
    [
        (_truncate, "truncated"),
        (_garbage, "not a kg cache file"),
        (_wrong_format, "cache format '99'"),
        (_flipped_index_byte, "index checksum mismatch"),
        (_empty, "not a kg cache file"),
    ],
)
def test_a_damaged_pack_is_a_warning_and_is_rebuilt(corpus, tmp_path, extracted, damage, reason):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    damage(pack_path(out))
    extracted.clear()
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and reason in result.warnings[0] and "re-extracted" in result.warnings[0]
    assert "\n" not in result.warnings[0]
    assert result.cached == 0 and len(extracted) == 9
    assert_same_as_clean_build(corpus, out, tmp_path)
    healed = build([corpus], out, jobs=1)
    assert healed.cached == 9 and healed.warnings == []


def _flipped_payload_byte(out: Path, name: str) -> None:
    data = bytearray(pack_path(out).read_bytes())
    pack = Pack.parse(bytes(data), ExtractionCache(out).key, CACHE_FORMAT)
    data[pack.index[name].offset + 200] ^= 0xFF
    pack_path(out).write_bytes(bytes(data))


def _another_digests_entry(out: Path, name: str) -> None:
    payloads = entries(out)
    payloads[name] = next(payload for other, payload in payloads.items() if other != name)
    rewrite_pack(out, payloads)  # right checksums: only what the payload says gives it away


def _not_an_entry(out: Path, name: str) -> None:
    payloads = entries(out)
    payloads[name] = b"\xe9 no marshal dump"
    rewrite_pack(out, payloads)


@pytest.mark.parametrize(
    "damage, reason",
    [
        (_flipped_payload_byte, "checksum mismatch"),
        (_another_digests_entry, "belongs to another digest"),
        (_not_an_entry, "bad payload"),
    ],
)
def test_a_damaged_entry_is_a_warning_and_only_its_digest_is_rebuilt(corpus, tmp_path, extracted, damage, reason):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    name = sorted(entries(out))[3]
    damage(out, name)
    extracted.clear()
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and reason in result.warnings[0] and name in result.warnings[0]
    assert result.cached == 8 and len(extracted) == 1
    assert_same_as_clean_build(corpus, out, tmp_path)
    healed = build([corpus], out, jobs=1)
    assert healed.cached == 9 and healed.warnings == []
    assert set(entries(out)) == entry_names(corpus)


@pytest.mark.parametrize(
    "damage, reason",
    [
        (_flipped_payload_byte, "checksum mismatch"),  # found when looked up: a miss from the start
        (_another_digests_entry, "belongs to another digest"),  # found when decoded: extracted after
    ],
)
def test_with_two_jobs_a_new_digest_is_extracted_beside_the_decoding_and_a_damaged_entry_too(corpus, tmp_path, damage, reason):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    name = sorted(entries(out))[3]
    damage(out, name)
    (corpus / "new.md").write_text("# 简报 2026-04-02\n\n## 1. 发布\n\nQuokka Labs 发布了 Numbat-3 模型。\n", encoding="utf-8")
    result = build([corpus], out, jobs=2)
    assert len(result.warnings) == 1 and reason in result.warnings[0]
    assert result.cached == 8 and "Numbat-3" in {e.name for e in result.graph.entities}
    assert_same_as_clean_build(corpus, out, tmp_path)
    assert set(entries(out)) == entry_names(corpus)  # the new pack has every digest, the healed one too


def test_a_cache_from_another_code_version_is_a_warning_and_is_rebuilt(corpus, tmp_path, monkeypatch, extracted):
    out = tmp_path / "out"
    real = store.extraction_fingerprint
    monkeypatch.setattr(store, "extraction_fingerprint", lambda: "0" * 64)
    build([corpus], out, jobs=1)
    monkeypatch.setattr(store, "extraction_fingerprint", real)
    extracted.clear()
    result = build([corpus], out, jobs=1)
    assert result.cached == 0 and len(extracted) == 9
    assert len(result.warnings) == 1 and "9 cache entries written by another version" in result.warnings[0]
    assert_same_as_clean_build(corpus, out, tmp_path)
    assert build([corpus], out, jobs=1).warnings == []


def test_a_pack_of_an_older_format_is_another_versions_and_is_rebuilt(corpus, tmp_path, extracted):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    rewrite_pack(out, entries(out), fmt=CACHE_FORMAT - 1)
    extracted.clear()
    result = build([corpus], out, jobs=1)
    assert result.cached == 0 and len(extracted) == 9
    assert result.warnings == [f"{out / CACHE_DIR_NAME}: 9 cache entries written by another version of kg's code, gazetteer or libraries; re-extracted"]
    assert_same_as_clean_build(corpus, out, tmp_path)
    assert build([corpus], out, jobs=1).warnings == []


@pytest.fixture
def decoded(monkeypatch) -> list[str]:
    """The cache entries whose extractions were decoded (in this process) from now on."""
    seen: list[str] = []
    decode = store.PendingExtractions.decode

    def counting(self, digest):
        seen.append(self.where)
        return decode(self, digest)

    monkeypatch.setattr(store.PendingExtractions, "decode", counting)
    return seen


def test_a_build_that_reuses_the_resolution_decodes_no_cached_extraction(corpus, tmp_path, decoded, extracted):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    (corpus / "zz-new.md").write_text(NEW_DIGEST, encoding="utf-8")
    extracted.clear()
    added = build([corpus], out, jobs=1)
    assert added.cached == 9 and len(extracted) == 1 and decoded == []
    assert "Zephyrine-9B" in {e.name for e in added.graph.entities}
    assert_same_as_clean_build(corpus, out, tmp_path)
    (corpus / "zz-new.md").write_text(NEW_DIGEST.replace("81.2", "82.5"), encoding="utf-8")
    changed = build([corpus], out, jobs=1)  # one the whole resolution was not made from: still only it
    assert changed.cached == 9 and decoded == []
    assert_same_as_clean_build(corpus, out, tmp_path)
    first = sorted(corpus.glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nQuokka Labs 还发布了 Numbat-3。\n", encoding="utf-8")
    whole = build([corpus], out, jobs=1)  # a digest of the whole resolution changed: every item is resolved
    assert whole.cached == 9 and len(decoded) == 9
    assert_same_as_clean_build(corpus, out, tmp_path)


def _bad_extractions(out: Path, name: str) -> None:
    """The entry's digest as it was, its extractions not a dump at all, under right checksums."""
    payloads = entries(out)
    payload = payloads[name]
    (length,) = store.DIGEST_LENGTH.unpack_from(payload)
    payloads[name] = payload[: store.DIGEST_LENGTH.size + length] + b"\xe9 no marshal dump"
    rewrite_pack(out, payloads)


@pytest.mark.parametrize("jobs", [1, 2])
def test_extractions_found_corrupt_when_decoded_are_extracted_again_and_the_cache_rebuilt(corpus, tmp_path, extracted, jobs):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    name = sorted(entries(out))[3]
    _bad_extractions(out, name)
    for kept in (out / CACHE_DIR_NAME).glob("resolution*"):
        kept.unlink()  # so the build resolves every item, and needs every digest's extractions
    extracted.clear()
    result = build([corpus], out, jobs=jobs)
    assert result.cached == 9 and len(extracted) == 1  # its digest is decoded, its extractions made again
    assert len(result.warnings) == 1 and name in result.warnings[0] and "bad payload" in result.warnings[0]
    assert_same_as_clean_build(corpus, out, tmp_path)
    assert not pack_path(out).exists()  # it held the entry: the next build makes it anew
    extracted.clear()
    rebuilt = build([corpus], out, jobs=1)
    assert rebuilt.warnings == [] and len(extracted) == 9
    assert build([corpus], out, jobs=1).cached == 9


def test_a_trusted_entry_is_really_used(corpus, tmp_path):
    """The cache is not decoration: a valid entry (right key, name and checksum) is what the graph shows."""
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    forged = {}
    for name, payload in entries(out).items():
        cached = decode_payload(payload)
        digest = replace(cached.digest, title=cached.digest.title + " (from the cache)")
        forged[name] = encode_payload(CachedDigest(digest, cached.extractions))
    rewrite_pack(out, forged)
    build([corpus], out, jobs=1)
    assert "(from the cache)" in (out / "graph.ttl").read_text(encoding="utf-8")
    build([corpus], out, jobs=1, use_cache=False)
    assert "(from the cache)" not in (out / "graph.ttl").read_text(encoding="utf-8")


def test_entries_round_trip_to_equal_objects(corpus):
    from kg.ingest import read_digest

    extractor = Extractor()
    for path in sorted(corpus.iterdir()):
        digest = read_digest(path, corpus)
        extractions = tuple(map(CompactExtraction.of, extractor.extract(digest)))
        again = decode_payload(encode_payload(CachedDigest(digest, extractions)))
        assert again == CachedDigest(digest, extractions)
        assert isinstance(again.digest.items, tuple) and isinstance(again.extractions[0].shapes, tuple)


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
    _garbage(pack_path(out))
    assert main(["build", str(corpus), "--out", str(out), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "cache     0 digests reused, 9 read and extracted" in printed
    warnings = [line for line in printed.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "corrupt cache file" in warnings[0]
    assert main(["build", str(corpus), "--out", str(out), "--no-cache", "-j", "1"]) == 0
    assert "cache     0 digests reused, 9 read and extracted" in capsys.readouterr().out


def test_cache_writes_are_atomic_a_failed_write_leaves_no_file(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"

    real_replace = os.replace  # the cache writes through kg.export.files.open_atomic

    def disk_full(src, dst):
        if str(dst).endswith(PACK_NAME):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_full)
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and "No space left on device" in result.warnings[0]
    assert cache_listing(out) == []  # neither a pack nor a temporary file
    assert_same_as_clean_build(corpus, out, tmp_path)


def test_a_failed_write_keeps_the_previous_pack_as_it_was(corpus, tmp_path, monkeypatch, extracted):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    before = pack_path(out).read_bytes()
    (corpus / "2026-04-01-new.md").write_text(NEW_DIGEST, encoding="utf-8")
    real_write = PackWriter.add_all
    calls = []

    def disk_full_midway(self, entries):
        calls.append(entries)
        if len(calls) > 1:  # the entries reused went in (none, when adding to the pack); the new one does not
            raise OSError(28, "No space left on device")
        return real_write(self, entries)

    monkeypatch.setattr(PackWriter, "add_all", disk_full_midway)
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and "No space left on device" in result.warnings[0]
    assert pack_path(out).read_bytes() == before and cache_listing(out) == [PACK_NAME]
    assert_same_as_clean_build(corpus, out, tmp_path)
    monkeypatch.setattr(PackWriter, "add_all", real_write)
    extracted.clear()
    again = build([corpus], out, jobs=1)
    assert again.cached == 9 and extracted == [(corpus / "2026-04-01-new.md").as_posix()]


def test_with_two_jobs_the_pack_is_written_beside_resolution_and_holds_every_digest(corpus, tmp_path, monkeypatch, extracted):
    """An add-one build with two jobs has every entry at hand once the new digest is extracted
    (beside the decoding), so a thread writes the pack (here: its additions) while it resolves:
    the build waits for it, and the next build finds every digest there."""
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    (corpus / "2026-04-01-new.md").write_text(NEW_DIGEST, encoding="utf-8")
    threads = []
    real_start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda self: threads.append(self.name) or real_start(self))
    result = build([corpus], out, jobs=2)
    assert result.cached == 9 and result.warnings == [] and threads == ["kg cache pack"]
    assert set(entries(out)) == entry_names(corpus) and cache_listing(out) == [ADDED_PACK_NAME, PACK_NAME]
    extracted.clear()
    again = build([corpus], out, jobs=1)
    assert again.cached == 10 and extracted == []


def added_path(folder: Path) -> Path:
    return folder / CACHE_DIR_NAME / ADDED_PACK_NAME


def another_digest(n: int) -> str:
    return NEW_DIGEST.replace("2026-04-01", f"2026-04-{n + 1:02d}").replace("Zephyrine-9B", f"Zephyrine-{n}B")


@pytest.mark.parametrize("jobs", [1, 2])
def test_adding_digests_leaves_the_pack_as_it_is_and_writes_only_what_was_added(corpus, tmp_path, extracted, jobs):
    """Adding today's digest writes its entry beside the pack, not the whole pack again; what is
    added piles up in one file, which the next builds use."""
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    pack = pack_path(out).read_bytes()
    first, second = corpus / "2026-04-01-new.md", corpus / "2026-04-02-new.md"
    first.write_text(NEW_DIGEST, encoding="utf-8")
    result = build([corpus], out, jobs=jobs)
    assert result.cached == 9 and result.warnings == []
    assert pack_path(out).read_bytes() == pack
    assert pack_entries(added_path(out)) == entry_names(corpus) - pack_entries(pack_path(out)) != set()
    second.write_text(another_digest(1), encoding="utf-8")
    result = build([corpus], out, jobs=jobs)
    assert result.cached == 10 and result.warnings == []
    assert pack_path(out).read_bytes() == pack and cache_listing(out) == [ADDED_PACK_NAME, PACK_NAME]
    assert len(pack_entries(added_path(out))) == 2 and set(entries(out)) == entry_names(corpus)
    assert_same_as_clean_build(corpus, out, tmp_path)
    extracted.clear()
    again = build([corpus], out, jobs=1)
    assert again.cached == 11 and extracted == [] and again.warnings == []
    assert pack_path(out).read_bytes() == pack  # nothing new: nothing written


def test_a_build_that_adds_nothing_writes_no_pack(corpus, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    before = os.stat(pack_path(out))
    again = build([corpus], out, jobs=2)
    assert again.cached == 9 and again.warnings == [] and cache_listing(out) == [PACK_NAME]
    after = os.stat(pack_path(out))
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def _delete_one(corpus: Path) -> None:
    (corpus / "reading-list.md").unlink()


def _change_one(corpus: Path) -> None:
    path = corpus / "2026-01-12.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## 99. 补充\n\nQuokka Labs 发布了 Tamarin-2 模型。\n", encoding="utf-8")


@pytest.mark.parametrize("edit", [_delete_one, _change_one])
def test_a_deleted_or_changed_digest_makes_one_whole_pack_again(corpus, tmp_path, edit):
    """An entry no digest uses any more is dropped: the pack is written whole, with what was
    added before, and the file of additions goes."""
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    (corpus / "2026-04-01-new.md").write_text(NEW_DIGEST, encoding="utf-8")
    build([corpus], out, jobs=1)
    assert added_path(out).exists()
    edit(corpus)
    result = build([corpus], out, jobs=2)
    assert result.warnings == [] and cache_listing(out) == [PACK_NAME]
    assert pack_entries(pack_path(out)) == entry_names(corpus)
    assert_same_as_clean_build(corpus, out, tmp_path)


def test_additions_past_an_eighth_of_the_pack_make_one_whole_pack_again(corpus, tmp_path):
    """Each build writes every entry added since the pack: past an eighth of the pack's size they
    go into one whole pack instead, so the additions a build writes stay small."""
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    whole_writes = 0
    for n, source in enumerate(sorted(SAMPLE_CORPUS.iterdir())):
        pack = ExtractionCache(out / CACHE_DIR_NAME)
        pack._load()
        before, base_size = pack_path(out).read_bytes(), pack._pack.payload_bytes
        added_before = sum(len(p) for name, p in entries(out).items() if name not in pack._pack.index)
        copy = corpus / f"copy-{n}{source.suffix}"
        shutil.copy(source, copy)
        build([corpus], out, jobs=2)  # the pack is written by a thread, which knows the new entry's size
        now = entries(out)
        new = entry_name(copy.name, digest_id_of(copy, corpus), hashlib.sha256(copy.read_bytes()).hexdigest())
        assert new in now
        if (added_before + len(now[new])) * 8 <= base_size:
            assert pack_path(out).read_bytes() == before and added_path(out).exists()
        else:
            whole_writes += 1
            assert cache_listing(out) == [PACK_NAME] and pack_entries(pack_path(out)) == entry_names(corpus)
        assert set(entries(out)) == entry_names(corpus)
    assert whole_writes >= 1 and whole_writes < len(list(SAMPLE_CORPUS.iterdir()))
    assert_same_as_clean_build(corpus, out, tmp_path)


def test_additions_made_for_another_pack_are_not_used(corpus, tmp_path, extracted):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    new = corpus / "2026-04-01-new.md"
    new.write_text(NEW_DIGEST, encoding="utf-8")
    build([corpus], out, jobs=1)
    old_additions = added_path(out).read_bytes()
    new.unlink()
    _change_one(corpus)
    build([corpus], out, jobs=1)  # a whole pack, without the new digest
    added_path(out).write_bytes(old_additions)  # as if the build had stopped before removing them
    new.write_text(NEW_DIGEST, encoding="utf-8")
    extracted.clear()
    result = build([corpus], out, jobs=1)
    assert result.cached == 9 and extracted == [new.as_posix()] and result.warnings == []
    assert set(entries(out)) == entry_names(corpus)
    assert_same_as_clean_build(corpus, out, tmp_path)


@pytest.mark.parametrize(
    "damage, reason",
    [(_truncate, "truncated"), (_garbage, "not a kg cache file"), (_flipped_first_payload_byte, "checksum mismatch"), (_empty, "not a kg cache file")],
)
def test_damaged_additions_are_a_warning_and_only_their_digests_are_extracted_again(corpus, tmp_path, extracted, damage, reason):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    new = corpus / "2026-04-01-new.md"
    new.write_text(NEW_DIGEST, encoding="utf-8")
    build([corpus], out, jobs=1)
    damage(added_path(out))
    extracted.clear()
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and ADDED_PACK_NAME in result.warnings[0] and reason in result.warnings[0]
    assert result.cached == 9 and extracted == [new.as_posix()]
    assert set(entries(out)) == entry_names(corpus)
    assert_same_as_clean_build(corpus, out, tmp_path)
    healed = build([corpus], out, jobs=1)
    assert healed.cached == 10 and healed.warnings == []


def test_a_pack_the_thread_fails_to_write_is_a_warning_and_the_old_one_stays(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    before = pack_path(out).read_bytes()
    (corpus / "2026-04-01-new.md").write_text(NEW_DIGEST, encoding="utf-8")

    def disk_full(self, entries):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(PackWriter, "add_all", disk_full)
    result = build([corpus], out, jobs=2)
    assert len(result.warnings) == 1 and "cannot write the cache" in result.warnings[0] and "No space left" in result.warnings[0]
    assert pack_path(out).read_bytes() == before and cache_listing(out) == [PACK_NAME]
    assert_same_as_clean_build(corpus, out, tmp_path)


def test_a_build_that_fails_during_extraction_leaves_the_pack_as_it_was(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    before = pack_path(out).read_bytes()
    (corpus / "2026-04-01-new.md").write_text(NEW_DIGEST, encoding="utf-8")

    def interrupted(self, digest):
        raise KeyboardInterrupt

    monkeypatch.setattr(Extractor, "extract", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build([corpus], out, jobs=1)
    assert pack_path(out).read_bytes() == before and cache_listing(out) == [PACK_NAME]


def test_an_old_format_cache_is_not_trusted_and_is_removed(corpus, tmp_path, extracted):
    """A folder of one ``<entry>.kgc`` file per digest (kg before the pack): a version change."""
    out = tmp_path / "out"
    (out / CACHE_DIR_NAME).mkdir(parents=True)
    for name in entry_names(corpus):
        header = b'{"entry": "%s", "format": 1, "key": "%s", "length": 2, "sha256": "0"}' % (name.encode(), b"0" * 64)
        (out / CACHE_DIR_NAME / f"{name}.kgc").write_bytes(b"KGCACHE 1\n" + header + b"\n[]")
    (out / CACHE_DIR_NAME / ".0123abcd.kgc.tmp").write_bytes(b"a killed build's temporary file")
    result = build([corpus], out, jobs=1)
    assert result.cached == 0 and len(extracted) == 9
    assert len(result.warnings) == 1 and "9 cache entries written by another version" in result.warnings[0]
    assert cache_listing(out) == [PACK_NAME]
    assert_same_as_clean_build(corpus, out, tmp_path)
    again = build([corpus], out, jobs=1)
    assert again.cached == 9 and again.warnings == []


def test_progress_reaches_the_end_of_each_stage_when_everything_is_cached(corpus, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    events = []
    build([corpus], out, lambda stage, done, total: events.append((stage, done, total)), jobs=1)
    assert ("read", 9, 9) in events and events[-1] == ("extract", 9, 9)


def test_a_build_leaves_the_garbage_collector_as_it_found_it(corpus, tmp_path, monkeypatch):
    """A build pauses and freezes the collector while it decodes and resolves (kg.pipeline);
    a program that calls it, or the tests, must get the collector back enabled, with its own
    thresholds and nothing left frozen, whether the build ended well or was interrupted."""
    out = tmp_path / "out"
    threshold = gc.get_threshold()
    build([corpus], out, jobs=1)
    (corpus / "2026-04-01-new.md").write_text(NEW_DIGEST, encoding="utf-8")
    build([corpus], out, jobs=1)  # decodes the cache's entries
    assert gc.isenabled() and gc.get_threshold() == threshold and gc.get_freeze_count() == 0

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.Resolver, "resolve_keeping", interrupted)
    (corpus / "2026-04-02-new.md").write_text(NEW_DIGEST, encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        build([corpus], out, jobs=1)
    assert gc.isenabled() and gc.get_threshold() == threshold and gc.get_freeze_count() == 0
