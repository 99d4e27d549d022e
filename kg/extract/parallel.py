"""Read and extract many digests, in this process or in a pool of worker processes.

Each input is a Digest already read (from the cache, say) or a DigestFile still to parse; a
worker parses the latter itself, so reading is shared among the processes too. Each worker
builds its own Extractor once (the spaCy pipeline is not shared between processes) and works
through batches; a digest that cannot be read or whose extraction raises comes back as an
error message, so it never costs the others. Workers are forked on Linux and spawned elsewhere.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from kg.errors import DigestReadError
from kg.extract import Extractor
from kg.ingest.reader import DigestFile
from kg.models import CompactExtraction, Digest

log = logging.getLogger(__name__)

MIN_POOL_CHARACTERS = 200_000
"""Below this much text (about a second of extraction) a pool costs more than it saves."""

BATCH_CHARACTERS = 60_000
"""Digests travel to workers in batches of about this much text (fewer, larger messages)."""

Work = Digest | DigestFile
"""What there is to extract: a digest already read, or a file still to read first."""


@dataclass(frozen=True, slots=True)
class DigestExtraction:
    """What became of one input: its items' extractions (compact: what resolution reads), or
    the error that stopped it."""

    index: int
    """Position of the input in the input sequence."""
    extractions: tuple[CompactExtraction, ...] | None
    error: str | None = None
    """``TypeName: message`` when extraction failed."""
    digest: Digest | None = None
    """The Digest read from a DigestFile input (None when the input was a Digest or unreadable)."""
    unreadable: str | None = None
    """Why a DigestFile input could not be read (DigestReadError's reason); extractions is None."""
    stored: object = None
    """What ``store`` made of the extraction, for the parent to keep (the cache's encoded entry)."""


Store = Callable[[Digest, tuple[CompactExtraction, ...]], object]
"""Prepares a digest's extraction for keeping (encodes the cache entry), in the process that
made it; what it returns travels back with the result."""


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def extract_digests(
    digests: Sequence[Work],
    jobs: int = 1,
    extractor: Callable[[], Extractor] = Extractor,
    store: Store | None = None,
) -> Iterator[DigestExtraction]:
    """Read (DigestFile inputs) and extract every digest, yielding results as they complete (not
    in input order). Each extraction is passed to ``store`` where it was made, so encoding cache
    entries is shared among the processes too.

    With ``jobs`` > 1, more than one digest and at least MIN_POOL_CHARACTERS of text, the work
    goes to min(jobs, batches) worker processes; otherwise it runs here, with ``extractor()``
    built only if there is anything to extract. If a worker dies, the digests it had not
    returned are extracted here instead.
    """
    if not digests:
        return
    if runs_here(digests, jobs):
        yield from _extract_here(digests, range(len(digests)), extractor(), store)
        return
    batches = _batches(digests)
    done: set[int] = set()
    try:
        context = multiprocessing.get_context(_start_method())
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(batches)), mp_context=context, initializer=_init_worker, initargs=(store,))
        try:
            pending: set[Future] = {pool.submit(_extract_batch, [(i, digests[i]) for i in batch]) for batch in batches}
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    for result in future.result():
                        done.add(result.index)
                        yield result
        except BaseException:  # Ctrl-C, a dead worker, the caller giving up: drop the queued batches
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    except BrokenProcessPool as err:
        left = [i for i in range(len(digests)) if i not in done]
        log.warning("a worker process died (%s); extracting the %d remaining digests in this process", err, len(left))
        yield from _extract_here(digests, left, extractor(), store)


def runs_here(digests: Sequence[Work], jobs: int) -> bool:
    """Whether ``extract_digests`` would extract these in the calling process: one process, one
    digest, or too little text for a pool (less than MIN_POOL_CHARACTERS)."""
    return jobs <= 1 or len(digests) <= 1 or sum(_size(d) for d in digests) < MIN_POOL_CHARACTERS


def _start_method() -> str:
    """``fork`` on Linux: workers start at once, share the parent's imports and never re-run the
    caller's ``__main__`` (``spawn`` and ``forkserver`` re-import it, which breaks scripts that call
    ``build`` without an ``if __name__ == "__main__"`` guard). The parent may have threads (the
    progress bar's); the workers never touch what those threads lock. ``spawn`` elsewhere (macOS
    system libraries are not fork-safe; Windows has no fork)."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _size(work: Work) -> int:
    """About how much text there is: a digest's characters, or a file's bytes."""
    if isinstance(work, DigestFile):
        return len(work.data)
    return sum(len(item.full_text) for item in work.items)


def _batches(digests: Sequence[Work]) -> list[list[int]]:
    """Consecutive runs of digest indexes holding about BATCH_CHARACTERS of text each."""
    batches: list[list[int]] = [[]]
    size = 0
    for i, digest in enumerate(digests):
        if batches[-1] and size >= BATCH_CHARACTERS:
            batches.append([])
            size = 0
        batches[-1].append(i)
        size += _size(digest)
    return batches


def _extract_one(extractor: Extractor, index: int, work: Work, store: Store | None) -> DigestExtraction:
    read = None
    if isinstance(work, DigestFile):
        try:
            read = digest = work.read()
        except DigestReadError as err:
            return DigestExtraction(index, None, unreadable=err.reason)
    else:
        digest = work
    try:
        extractions = tuple(map(CompactExtraction.of, extractor.extract(digest)))
    except Exception as err:  # a bug or a pathological input must not cost the other digests
        log.debug("%s: extraction failed", digest.path, exc_info=True)
        return DigestExtraction(index, None, f"{type(err).__name__}: {err}", digest=read)
    stored = store(digest, extractions) if store is not None else None
    return DigestExtraction(index, extractions, digest=read, stored=stored)


def _extract_here(
    digests: Sequence[Work], indexes: Sequence[int], extractor: Extractor, store: Store | None = None
) -> Iterator[DigestExtraction]:
    for i in indexes:
        yield _extract_one(extractor, i, digests[i], store)


_worker_extractor: Extractor | None = None
_worker_store: Store | None = None


def _init_worker(store: Store | None) -> None:
    """Build this worker process's Extractor, once, and keep where its extractions go."""
    global _worker_extractor, _worker_store
    _worker_extractor = Extractor()
    _worker_store = store


def _extract_batch(batch: list[tuple[int, Work]]) -> list[DigestExtraction]:
    assert _worker_extractor is not None, "worker not initialised"
    return [_extract_one(_worker_extractor, i, digest, _worker_store) for i, digest in batch]
