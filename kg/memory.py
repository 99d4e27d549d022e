"""How many forked processes a build can afford while it writes, within a memory budget; and
freeing large structures where the build waits anyway.

A forked process starts out sharing its parent's memory, but CPython writes to every object it
reads (reference counts), so a writer that walks the whole graph ends up with its own copy of
most of it, and then its own working data on top. Each process that writes from the graph is
therefore counted as ``WRITER_PEAK`` times this process's resident size.
"""

from __future__ import annotations

import ctypes
import functools
import os
import resource
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

DEFAULT_MAX_MEMORY_MB = 2048
"""The budget of ``kg build`` (``--max-memory``): 2 GB, what a build of 50 MB of digests is meant to fit in."""

WRITER_PEAK = 1.75
"""A process writing the outputs peaks at about this many times the build's resident size when
writing starts: its copy of the graph, plus the pages and lines it is making. Measured with
``kg build --jobs 2`` at 60x and 100x the benchmark corpus: one process writing everything peaked
at 1.16-1.25 times (891 MB from 710, 1,337 from 1,073; 1.75 before the Turtle writer stopped
holding every evidence's triples at once), two side by side at 2.1-2.2 times together in clean
builds (1,499 MB from 709, 2,347 from 1,074), but at 2.9 times (1,890 MB from 653) adding one
digest to 16,490, where the exports' process also maps the previous outputs to copy records from
them. 1.3 would have let such a build past 2 GB from 710 MB on, so the factor stays. (Counting a
bare copy, 1.0, let two processes reach 2.5 GB at 100x.)"""


@dataclass(frozen=True)
class WritePlan:
    """How the outputs are written: exports in ``background`` forked processes (0: here, before
    the views), and the views' pages in ``page_processes`` processes (1: here)."""

    background: int
    page_processes: int


def resident_mb() -> float:
    """This process's resident memory now, in MB (its peak where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1024  # KB on Linux


def write_plan(jobs: int, max_memory_mb: float, resident: float, exports: int = 3) -> WritePlan:
    """Share ``jobs`` among the ``exports`` writers and the page writers, within the budget.

    ``jobs`` is how many processes work at once: this one writes the views (or waits for the
    page writers), so the exports get up to ``jobs - 1`` processes, a share each or several in
    one, and the pages what is left of ``jobs`` if that is two or more. More processes than
    cores only take turns, and each forked writer pays for its own copy of the graph's pages
    (measured on 2 cores: three export writers beside the views wrote a clean 10x build no
    faster than one, and an add-one build 0.1 s slower). Every process, this one included, may
    peak at ``WRITER_PEAK`` times ``resident`` MB; only as many as fit are used.
    """
    if jobs <= 1:
        return WritePlan(0, 1)
    copies = int(max_memory_mb // (max(resident, 1.0) * WRITER_PEAK))  # this process included
    extra = max(0, copies - 1)
    background = min(exports, extra, jobs - 1)
    pages = min(jobs - background, extra - background)
    return WritePlan(background, pages if pages >= 2 else 1)


_kept: list[object] | None = None
"""What ``free_later`` keeps, while a ``freeing_later`` block runs."""
_keep_below_mb = 0.0
"""``free_later`` keeps objects only while this process's resident memory is below this."""

KEEP_SHARE = 0.25
"""Objects are kept for later only while the process holds less than this share of the memory
budget: keeping the extractions of a clean 100x build (16,490 digests) through the writing took
its peak from 1,743 to 2,065 MB, over the 2 GB budget; an add-one build of 1,000 digests holds
about 200 MB when it has resolved, and keeps them."""


@contextmanager
def freeing_later(budget_mb: float = DEFAULT_MAX_MEMORY_MB) -> Iterator[None]:
    """A block (a build) in which ``free_later`` keeps objects alive until ``free_kept`` or the
    block's end, while memory is plentiful (``KEEP_SHARE`` of ``budget_mb``). Freeing a large
    structure is not free: the extractions of 1,000 digests take about 10 ms to drop, on the
    build's critical path where they go out of scope. Kept, they are dropped where the build
    waits anyway (for the exports' processes), and never in a forked writer, whose memory goes
    back to the system when it ends."""
    global _kept, _keep_below_mb
    outer = _kept, _keep_below_mb
    _kept, _keep_below_mb = [], budget_mb * KEEP_SHARE
    try:
        yield
    finally:
        _kept, _keep_below_mb = outer


def free_later(*objects: object) -> None:
    """Keep ``objects`` alive until ``free_kept`` (outside a ``freeing_later`` block, or when
    memory is short: no effect, they go when their last reference does)."""
    if _kept is not None and resident_mb() < _keep_below_mb:
        _kept.extend(objects)


def free_kept() -> None:
    """Drop what ``free_later`` kept."""
    if _kept is not None:
        _kept.clear()


def give_back() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere
    nothing). Freed memory stays this process's until then when it lies between blocks still in
    use: after a clean build of 100x a corpus whose names vary had read, extracted and resolved
    in one process, 250 of its 1,590 MB were such pages, and each forked writer would have
    counted them again."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]  # the C library Python runs on
    except (OSError, AttributeError):  # not glibc
        return None
