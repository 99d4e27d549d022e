"""Parallel extraction (``kg build --jobs N``): the same graph as one process, failures stay per digest."""

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import kg.extract.parallel as parallel
from kg.cache import ExtractionCache
from kg.cache.fingerprint import CACHE_FORMAT
from kg.cache.pack import PACK_NAME, Pack
from kg.cache.store import decode_payload
from kg.cli import main
from kg.extract import Extractor
from kg.ingest import read_digest
from kg.ingest.reader import DigestFile
from kg.models import CompactExtraction
from kg.pipeline import SAMPLE_CORPUS, build



def outputs(folder: Path) -> dict[str, bytes]:
    """Every output file of a build (the cache excluded), by path relative to the folder."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".kg-cache" not in p.relative_to(folder).parts
    }


def cached(folder: Path) -> dict:
    """The entries of the build folder's cache: entry name -> CachedDigest."""
    pack = Pack.parse((folder / ".kg-cache" / PACK_NAME).read_bytes(), ExtractionCache(folder).key, CACHE_FORMAT)
    return {name: decode_payload(pack.payload(name)) for name in pack.index}


_real_extract_here = parallel._extract_here


@pytest.fixture
def pool_for_any_input(monkeypatch):
    """Make even the small sample corpus go to a pool, in several batches, and forbid in-process extraction."""
    monkeypatch.setattr(parallel, "MIN_POOL_CHARACTERS", 0)
    monkeypatch.setattr(parallel, "BATCH_CHARACTERS", 3_000)

    def not_here(*args):
        raise AssertionError("extracted in the parent process, not in the pool")

    monkeypatch.setattr(parallel, "_extract_here", not_here)


def sample_digests() -> list:
    return [read_digest(p, SAMPLE_CORPUS) for p in sorted(SAMPLE_CORPUS.iterdir())]


def test_two_jobs_give_byte_identical_outputs_to_one(tmp_path, pool_for_any_input):
    build([SAMPLE_CORPUS], tmp_path / "two", jobs=2, use_cache=False)
    one = tmp_path / "one"
    parallel._extract_here = _real_extract_here  # jobs=1 runs in this process, as it should
    build([SAMPLE_CORPUS], one, jobs=1, use_cache=False)
    assert outputs(tmp_path / "two") == outputs(one)
    assert cached(tmp_path / "two") == cached(one) and len(cached(one)) == 9


def test_the_pool_returns_what_one_extractor_returns(pool_for_any_input):
    digests = sample_digests()
    assert len(parallel._batches(digests)) > 2
    results = list(parallel.extract_digests(digests, jobs=2))
    assert sorted(r.index for r in results) == list(range(len(digests)))
    extractor = Extractor()
    for r in results:
        assert r.error is None
        assert r.extractions == tuple(map(CompactExtraction.of, extractor.extract(digests[r.index])))


def test_a_failing_digest_in_a_worker_costs_only_itself(pool_for_any_input):
    digests = sample_digests()
    digests[3] = replace(digests[3], items=(replace(digests[3].items[0], title="", text=b"not text"),))
    results = {r.index: r for r in parallel.extract_digests(digests, jobs=2)}
    assert results[3].extractions is None and results[3].error
    assert all(results[i].extractions for i in results if i != 3)


def test_a_failing_digest_is_reported_by_path_in_the_build(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    real = Extractor.extract

    def fails_on_one(self, digest):
        if digest.file_name == "reading-list.md":
            raise RuntimeError("boom")
        return real(self, digest)

    monkeypatch.setattr(Extractor, "extract", fails_on_one)
    result = build([corpus], tmp_path / "out", jobs=1)
    assert [e.path for e in result.errors] == [(corpus / "reading-list.md").as_posix()]
    assert "RuntimeError: boom" in str(result.errors[0])
    assert len(result.graph.digests) == 8
    assert len(cached(tmp_path / "out")) == 8  # a failure is never cached


def test_small_input_or_one_job_never_starts_a_pool(tmp_path, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    build([SAMPLE_CORPUS], tmp_path / "a", jobs=8, use_cache=False)  # 26k characters: below MIN_POOL_CHARACTERS
    monkeypatch.setattr(parallel, "MIN_POOL_CHARACTERS", 0)
    build([SAMPLE_CORPUS], tmp_path / "b", jobs=1, use_cache=False)
    one = sample_digests()[:1]
    assert [r.index for r in parallel.extract_digests(one, jobs=8)] == [0]
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_only_uncached_digests_are_extracted(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    (corpus / "new.md").write_text("# 简报 2026-04-02\n\n## 1. 发布\n\nQuokka Labs 发布了 Numbat-3 模型。\n", encoding="utf-8")
    log = tmp_path / "sent"  # a file: the new digest is extracted in a forked process, beside the cache's decoding
    real = parallel.extract_digests

    def spy(digests, jobs=1, extractor=Extractor, store=None):
        with log.open("a", encoding="utf-8") as sent:
            sent.writelines(f"{d.path.name if isinstance(d, DigestFile) else 'parsed ' + d.file_name}\n" for d in digests)
        return real(digests, jobs, extractor, store)

    monkeypatch.setattr("kg.pipeline.extract_digests", spy)
    build([corpus], out, jobs=2)
    assert log.read_text(encoding="utf-8").split() == ["new.md"]  # and sent as a file: the cached digests were not even parsed


def test_default_jobs_is_the_number_of_usable_cores():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert parallel.default_jobs() == expected >= 1


@pytest.mark.parametrize("bad", ["0", "-2", "two"])
def test_jobs_must_be_a_positive_whole_number(bad, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["build", "--jobs", bad])
    assert exit.value.code == 2 and "--jobs" in capsys.readouterr().err


def test_cli_jobs_two_matches_jobs_one(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_POOL_CHARACTERS", 0)
    assert main(["build", str(SAMPLE_CORPUS), "--out", str(tmp_path / "two"), "--jobs", "2"]) == 0
    assert main(["build", str(SAMPLE_CORPUS), "--out", str(tmp_path / "one"), "-j", "1"]) == 0
    assert outputs(tmp_path / "two") == outputs(tmp_path / "one")


class _KillsTheWorker(str):
    """A title that, unpickled in a worker, ends that process at once (as a crash or the OOM killer would)."""

    def __reduce__(self):
        return (os._exit, (1,))


def test_a_dead_worker_costs_nothing_its_digests_are_extracted_here(monkeypatch, caplog):
    monkeypatch.setattr(parallel, "MIN_POOL_CHARACTERS", 0)
    monkeypatch.setattr(parallel, "BATCH_CHARACTERS", 3_000)
    digests = sample_digests()
    first = digests[5].items[0]
    digests[5] = replace(digests[5], items=(replace(first, title=_KillsTheWorker(first.title)), *digests[5].items[1:]))
    results = {r.index: r for r in parallel.extract_digests(digests, jobs=2)}
    assert sorted(results) == list(range(len(digests)))
    extractor = Extractor()
    assert all(results[i].extractions == tuple(map(CompactExtraction.of, extractor.extract(d))) for i, d in enumerate(digests))
    assert "worker process died" in caplog.text


def test_a_dead_process_extracting_beside_the_decoding_costs_nothing(tmp_path, monkeypatch, caplog):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    out = tmp_path / "out"
    build([corpus], out, jobs=1)
    (corpus / "new.md").write_text("# 简报 2026-04-02\n\n## 1. 发布\n\nQuokka Labs 发布了 Numbat-3 模型。\n", encoding="utf-8")
    parent = os.getpid()
    real = parallel.extract_digests

    def dies_in_a_child(digests, jobs=1, extractor=Extractor, store=None):
        if os.getpid() != parent:
            os._exit(9)
        return real(digests, jobs, extractor, store)

    monkeypatch.setattr("kg.pipeline.extract_digests", dies_in_a_child)
    result = build([corpus], out, jobs=2)
    assert "died" in caplog.text and "extracting the new digests in this process" in caplog.text
    assert result.cached == 9 and result.errors == []
    clean = tmp_path / "clean"
    build([corpus], clean, jobs=1, use_cache=False)
    assert outputs(out) == outputs(clean)


def test_workers_fork_safely_while_the_progress_bar_thread_runs(tmp_path, monkeypatch):
    """The CLI's progress bar runs a thread in the parent; forked workers must not hang on it."""
    from kg.cli import _progress_printer

    monkeypatch.setattr(parallel, "MIN_POOL_CHARACTERS", 0)
    monkeypatch.setattr(parallel, "BATCH_CHARACTERS", 3_000)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):  # 27 digests: enough for the bar to start (it waits for 20)
        for path in SAMPLE_CORPUS.iterdir():
            (corpus / f"{n}-{path.name}").write_bytes(path.read_bytes())
    progress = _progress_printer(True)
    result = build([corpus], tmp_path / "out", progress, jobs=2, use_cache=False)
    assert len(result.graph.digests) == 27 and result.errors == []


def test_an_unreadable_file_read_in_a_worker_is_reported_by_path_and_the_rest_built(tmp_path, pool_for_any_input):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    (corpus / "2026-01-01-broken.md").write_bytes(b"\x00\x01binary\xff" * 400)
    (corpus / "2026-01-02-empty.md").write_text("# 只有标题\n", encoding="utf-8")
    result = build([corpus], tmp_path / "two", jobs=2, use_cache=False)
    assert [Path(e.path).name for e in result.errors] == ["2026-01-01-broken.md", "2026-01-02-empty.md"]
    assert len(result.graph.digests) == 9
    parallel._extract_here = _real_extract_here
    one = build([corpus], tmp_path / "one", jobs=1, use_cache=False)
    assert [str(e) for e in one.errors] == [str(e) for e in result.errors]
    assert outputs(tmp_path / "two") == outputs(tmp_path / "one")


def test_workers_write_the_cache_and_the_next_build_uses_all_of_it(tmp_path, pool_for_any_input):
    out = tmp_path / "out"
    first = build([SAMPLE_CORPUS], out, jobs=2)
    assert first.cached == 0 and first.warnings == []
    assert len(cached(out)) == 9
    again = build([SAMPLE_CORPUS], out, jobs=2)
    assert again.cached == 9 and again.warnings == []


def test_a_cache_workers_cannot_write_is_one_warning_and_the_build_goes_on(tmp_path, pool_for_any_input):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".kg-cache").write_text("a file where the cache folder should be")
    result = build([SAMPLE_CORPUS], out, jobs=2)
    assert len(result.graph.digests) == 9 and result.errors == []
    assert len(result.warnings) == 1 and "cannot write the cache" in result.warnings[0]


def test_the_cache_store_travels_to_spawned_workers(tmp_path):
    """Where workers are spawned (macOS, Windows) the store is pickled: it must not carry the cache's state."""
    import pickle

    out = tmp_path / "out"
    build([SAMPLE_CORPUS], out, jobs=1)
    cache = ExtractionCache(out / ".kg-cache")
    path = sorted(SAMPLE_CORPUS.iterdir())[0]
    digest = read_digest(path, SAMPLE_CORPUS)
    assert cache.get(path.as_posix(), digest.id, digest.content_hash) is not None  # the pack is loaded now
    store = pickle.loads(pickle.dumps(cache.encode))
    entry = store(digest, tuple(map(CompactExtraction.of, Extractor().extract(digest))))
    assert decode_payload(entry.payload).digest == digest
