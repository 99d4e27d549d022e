"""The resolution store: a build that only adds digests, wherever they come in the corpus,
gathers only their items (kg.resolve.store, Resolver.resolve_keeping), and the outputs never show it.

Every build here is compared byte for byte with a clean ``use_cache=False`` build of the same
corpus in another folder (``outputs`` of tests/test_incremental.py).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cache import CACHE_DIR_NAME
from kg.cache.fingerprint import source_files as extraction_sources
from kg.pipeline import SAMPLE_CORPUS, Resolver, build
from kg.resolve import store
from test_incremental import NEW_DIGEST, outputs

LATER_DIGEST = (
    "# 每日简报 2026-04-02\n\n## 1. Quokka Labs 开源 Zephyrine-9B-Chat\n\n"
    "Quokka Labs 开源了 Zephyrine-9B-Chat，它基于 Zephyrine-9B，在 GSM8K 上得分 88.0。\n\n"
    "## 2. 字节跳动发布 Seed-Coder\n\n字节跳动发布了 Seed-Coder 模型，在 SWE-bench 上得分 51.3。\n"
)


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A copy of the sample corpus, to add digests to."""
    return Path(shutil.copytree(SAMPLE_CORPUS, tmp_path / "corpus"))


@pytest.fixture
def gathered(monkeypatch) -> list[int]:
    """How many items each resolution gathered, from now on."""
    seen: list[int] = []
    gather = Resolver._gather

    def counting(self, into, census, entity_of):
        seen.append(len(census.items))
        return gather(self, into, census, entity_of)

    monkeypatch.setattr(Resolver, "_gather", counting)
    return seen


def store_files(out: Path) -> dict[str, bytes]:
    folder = out / CACHE_DIR_NAME
    return {name: (folder / name).read_bytes() for name in (store.STORE_NAME, store.ADDED_NAME) if (folder / name).exists()}


def assert_like_a_clean_build(corpus: Path, out: Path, tmp_path: Path) -> None:
    clean = tmp_path / f"clean-{len(list(tmp_path.iterdir()))}"
    build([corpus], clean, jobs=1, use_cache=False)
    assert outputs(out) == outputs(clean)


def build_and_add_one(corpus: Path, out: Path) -> None:
    """A clean build into ``out``, then one digest added at the end and built again."""
    build([corpus], out, jobs=1)
    (corpus / "weekly-2026-04-01.md").write_text(NEW_DIGEST, encoding="utf-8")
    build([corpus], out, jobs=1)


def edit_digest(path: Path, edit: str) -> None:
    """Delete the digest at ``path``, or change it by adding an item."""
    if edit == "delete":
        path.unlink()
    else:
        path.write_text(path.read_text(encoding="utf-8") + "\n## 9. 补充\n\nQuokka Labs 也在 MMLU 上测了 Zephyrine-9B。\n", encoding="utf-8")


def items_in(*texts: str) -> int:
    return sum(text.count("\n## ") for text in texts)


@pytest.mark.parametrize("jobs", [1, 2])
def test_digests_added_at_the_end_are_resolved_alone_and_match_a_clean_build(corpus, tmp_path, gathered, jobs):
    out = tmp_path / "out"
    first = build([corpus], out, jobs=jobs)
    whole = store_files(out)
    assert list(whole) == [store.STORE_NAME] and gathered == [sum(len(d.items) for d in first.graph.digests)]

    (corpus / "weekly-2026-04-01.md").write_text(NEW_DIGEST, encoding="utf-8")
    gathered.clear()
    second = build([corpus], out, jobs=jobs)
    assert gathered == [items_in(NEW_DIGEST)] and second.warnings == []
    assert store_files(out)[store.STORE_NAME] == whole[store.STORE_NAME]  # only the additions are written
    assert len(store_files(out)[store.ADDED_NAME]) < len(whole[store.STORE_NAME]) / 10
    assert_like_a_clean_build(corpus, out, tmp_path)

    (corpus / "weekly-2026-04-02.md").write_text(LATER_DIGEST, encoding="utf-8")
    gathered.clear()
    build([corpus], out, jobs=jobs)
    assert gathered == [items_in(LATER_DIGEST)]  # the first addition came from the additions file
    assert_like_a_clean_build(corpus, out, tmp_path)

    before = store_files(out)
    gathered.clear()
    build([corpus], out, jobs=jobs)
    assert gathered == [0] and store_files(out) == before  # nothing added: nothing gathered or written


@pytest.mark.parametrize("jobs", [1, 2])
def test_digests_added_before_and_among_others_are_resolved_alone_and_match_a_clean_build(corpus, tmp_path, gathered, monkeypatch, jobs):
    """Digests are in path order, so today's digest of one series (``news/``) comes before the
    digests of another (``papers/``); it is gathered alone all the same."""
    monkeypatch.setattr(store, "WHOLE_AGAIN", 0.5)  # the additions, in corpus order, stay apart from the whole file
    out = tmp_path / "out"
    build_and_add_one(corpus, out)
    whole = store_files(out)[store.STORE_NAME]
    (corpus / "2000-01-01-early.md").write_text(LATER_DIGEST, encoding="utf-8")
    gathered.clear()
    result = build([corpus], out, jobs=jobs)
    assert gathered == [items_in(LATER_DIGEST)] and result.warnings == []
    assert store_files(out)[store.STORE_NAME] == whole  # only the additions are written
    assert_like_a_clean_build(corpus, out, tmp_path)

    middle = sorted(corpus.glob("*.md"))[len(list(corpus.glob("*.md"))) // 2]
    (corpus / f"{middle.stem}-b.md").write_text(NEW_DIGEST.replace("04-01", "03-15"), encoding="utf-8")
    gathered.clear()
    build([corpus], out, jobs=jobs)
    assert gathered == [items_in(NEW_DIGEST)]  # the earlier additions came from the additions file
    assert store_files(out)[store.STORE_NAME] == whole
    assert_like_a_clean_build(corpus, out, tmp_path)


@pytest.mark.parametrize("edit", ["delete", "change"])
@pytest.mark.parametrize("which", ["added since the whole file", "in the whole file"])
def test_a_digest_changed_or_deleted_resolves_the_whole_corpus_unless_it_was_added_since_the_whole_file(corpus, tmp_path, gathered, which, edit):
    """Today's digest, fixed or taken back after its build, only sets the additions aside: the
    whole file still serves. A digest the whole file holds changes what it was made from."""
    out = tmp_path / "out"
    build_and_add_one(corpus, out)
    whole = store_files(out)[store.STORE_NAME]
    path = corpus / "weekly-2026-04-01.md" if which == "added since the whole file" else sorted(corpus.glob("*.md"))[0]
    edit_digest(path, edit)
    gathered.clear()
    result = build([corpus], out, jobs=1)
    assert result.warnings == []
    if which == "added since the whole file":
        assert gathered == [0 if edit == "delete" else items_in(path.read_text(encoding="utf-8"))]
        assert store_files(out)[store.STORE_NAME] == whole
    else:
        assert gathered == [sum(len(d.items) for d in result.graph.digests)]
        assert list(store_files(out)) == [store.STORE_NAME]  # written whole again, no additions left
    assert_like_a_clean_build(corpus, out, tmp_path)


def _flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


def _other_fingerprint(data: bytes) -> bytes:
    head, line, payload = data.split(b"\n", 2)
    return b"\n".join([head, line.replace(store.resolution_fingerprint().encode(), b"0" * 64), payload])


@pytest.mark.parametrize(
    "damage, reason",
    [
        (_flip_last_byte, "checksum mismatch"),
        (lambda data: data[: len(data) // 2], "truncated"),
        (lambda data: b"not a store at all\n", "not a kg resolution store"),
        (lambda data: data.replace(b"KGRESOLUTION %d" % store.STORE_FORMAT, b"KGRESOLUTION 0", 1), "another resolution store format"),
        (_other_fingerprint, "another version of kg's code, data or libraries"),
    ],
)
def test_a_damaged_or_foreign_store_is_a_warning_and_the_whole_corpus_is_resolved(corpus, tmp_path, gathered, damage, reason):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    path = out / CACHE_DIR_NAME / store.STORE_NAME
    path.write_bytes(damage(path.read_bytes()))
    (corpus / "weekly-2026-04-01.md").write_text(NEW_DIGEST, encoding="utf-8")
    gathered.clear()
    result = build([corpus], out, jobs=1)
    assert gathered == [sum(len(d.items) for d in result.graph.digests)]
    assert len(result.warnings) == 1 and str(path) in result.warnings[0] and reason in result.warnings[0]
    assert_like_a_clean_build(corpus, out, tmp_path)
    gathered.clear()
    assert build([corpus], out, jobs=1).warnings == [] and gathered == [0]  # stored anew, and trusted


def test_damaged_additions_are_a_warning_and_the_whole_file_still_serves(corpus, tmp_path, gathered):
    out = tmp_path / "out"
    build_and_add_one(corpus, out)
    added = out / CACHE_DIR_NAME / store.ADDED_NAME
    added.write_bytes(_flip_last_byte(added.read_bytes()))
    (corpus / "weekly-2026-04-02.md").write_text(LATER_DIGEST, encoding="utf-8")
    gathered.clear()
    result = build([corpus], out, jobs=1)
    assert gathered == [items_in(NEW_DIGEST, LATER_DIGEST)]  # both digests after the whole file
    assert len(result.warnings) == 1 and str(added) in result.warnings[0] and "checksum mismatch" in result.warnings[0]
    assert_like_a_clean_build(corpus, out, tmp_path)


def test_additions_made_for_another_whole_file_are_not_used(corpus, tmp_path, gathered):
    out = tmp_path / "out"
    build_and_add_one(corpus, out)
    assert store.ADDED_NAME in store_files(out)
    other = tmp_path / "other"  # a whole file that already holds what the additions add
    build([corpus], other, jobs=1)
    (out / CACHE_DIR_NAME / store.STORE_NAME).write_bytes(store_files(other)[store.STORE_NAME])
    gathered.clear()
    result = build([corpus], out, jobs=1)
    assert result.warnings == [] and gathered == [0]  # the additions were not added to it again
    assert_like_a_clean_build(corpus, out, tmp_path)


def test_additions_reaching_a_share_of_the_corpus_make_the_whole_file_again(corpus, tmp_path, gathered, monkeypatch):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    whole = store_files(out)[store.STORE_NAME]
    monkeypatch.setattr(store, "WHOLE_AGAIN", 0.15)  # 1 of 10 digests stays an addition, 2 of 11 do not
    (corpus / "weekly-2026-04-01.md").write_text(NEW_DIGEST, encoding="utf-8")
    build([corpus], out, jobs=1)
    assert store_files(out)[store.STORE_NAME] == whole and store.ADDED_NAME in store_files(out)
    (corpus / "weekly-2026-04-02.md").write_text(LATER_DIGEST, encoding="utf-8")
    gathered.clear()
    build([corpus], out, jobs=1)
    assert gathered == [items_in(LATER_DIGEST)]
    assert list(store_files(out)) == [store.STORE_NAME] and store_files(out)[store.STORE_NAME] != whole
    gathered.clear()
    (corpus / "weekly-2026-04-03.md").write_text(NEW_DIGEST.replace("04-01", "04-03"), encoding="utf-8")
    build([corpus], out, jobs=1)
    assert gathered == [items_in(NEW_DIGEST)]  # the new whole file serves
    assert_like_a_clean_build(corpus, out, tmp_path)


def test_no_cache_gathers_everything_and_stores_the_whole_resolution(corpus, tmp_path, gathered):
    out = tmp_path / "out"
    build_and_add_one(corpus, out)
    gathered.clear()
    result = build([corpus], out, jobs=1, use_cache=False)
    assert gathered == [sum(len(d.items) for d in result.graph.digests)]
    assert list(store_files(out)) == [store.STORE_NAME]


def test_a_store_that_cannot_be_written_is_a_logged_warning_and_the_build_goes_on(corpus, tmp_path, gathered, caplog):
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    path = out / CACHE_DIR_NAME / store.STORE_NAME
    path.unlink()
    path.mkdir()  # a folder where the file should be: it cannot be replaced
    result = build([corpus], out, jobs=1)
    assert len(result.warnings) == 1 and "cannot read it" in result.warnings[0] and (out / "graph.ttl").exists()
    assert any(str(path) in r.getMessage() and "cannot write" in r.getMessage() for r in caplog.records)
    assert not any(name.startswith(f".{store.STORE_NAME}.") for name in os.listdir(path.parent))  # no temporary file left


def test_the_fingerprint_covers_every_kg_module_resolution_imports():
    """A kg module that resolution starts to import must be added to store.SOURCES (or be one the
    extraction fingerprint covers, which the resolution's includes)."""
    code = (
        "import sys, kg.resolve.resolver\n"
        "for n, m in sorted(sys.modules.items()):\n"
        "    if n.startswith('kg.') and getattr(m, '__file__', None): print(m.__file__)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    ours = {Path(f).resolve() for f in loaded if Path(f).resolve().is_relative_to(store.PACKAGE)} - {store.PACKAGE / "__init__.py"}
    assert store.PACKAGE / "resolve" / "comentions.py" in ours
    assert ours - {p.resolve() for p in [*store.source_files(), *extraction_sources()]} == set()
