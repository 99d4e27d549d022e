"""The memory budget of writing (``kg build --max-memory``): processes only where they fit."""

import weakref

import pytest

from kg.cli import main
from kg.memory import WRITER_PEAK, WritePlan, free_kept, free_later, freeing_later, resident_mb, write_plan
from kg.pipeline import SAMPLE_CORPUS
from tests.test_jobs import outputs


@pytest.mark.parametrize(
    ("jobs", "budget", "resident", "plan"),
    [
        (2, 2048, 100, WritePlan(1, 1)),  # two processes at once: the exports in one, the views here
        (2, 2048, 450, WritePlan(1, 1)),  # 2 writers fit: the same
        (2, 2048, 700, WritePlan(0, 1)),  # one writer takes over half the budget: one after another
        (1, 100_000, 100, WritePlan(0, 1)),  # --jobs 1 is one process whatever the budget
        (8, 100_000, 100, WritePlan(3, 5)),  # every export apart, the pages in the other five
        (8, 2048, 250, WritePlan(3, 1)),  # 4 writers fit: the exports apart, the pages here
        (8, 2048, 100, WritePlan(3, 5)),  # 11 fit, 8 at once
        (4, 100_000, 100, WritePlan(3, 1)),
    ],
)
def test_writers_get_processes_only_while_their_copies_fit(jobs, budget, resident, plan):
    assert write_plan(jobs, budget, resident) == plan
    copies = 1 + plan.background + (plan.page_processes if plan.page_processes > 1 else 0)
    assert copies == 1 or copies * resident * WRITER_PEAK <= budget


def test_resident_memory_is_this_process_s():
    before = resident_mb()
    block = bytearray(64 * 2**20)
    block[:: 4096] = b"x" * len(block[:: 4096])  # touch every page
    assert resident_mb() - before > 50


@pytest.mark.parametrize("budget", ["1", "100000"])
def test_the_budget_never_changes_the_output(tmp_path, budget):
    assert main(["build", str(SAMPLE_CORPUS), "--out", str(tmp_path / "one"), "-j", "1"]) == 0
    assert main(["build", str(SAMPLE_CORPUS), "--out", str(tmp_path / "two"), "-j", "2", "--max-memory", budget]) == 0
    assert outputs(tmp_path / "two") == outputs(tmp_path / "one")


class _Big:
    """Something that can be watched being freed."""


def test_what_is_freed_later_lives_until_free_kept_or_the_block_ends_and_never_outside_one():
    outside = _Big()
    gone_outside = weakref.ref(outside)
    free_later(outside)
    del outside
    assert gone_outside() is None  # outside a build, kept by nobody
    with freeing_later(budget_mb=1e9):
        kept, second = _Big(), _Big()
        watched, watched_second = weakref.ref(kept), weakref.ref(second)
        free_later(kept)
        del kept
        assert watched() is not None
        free_kept()
        assert watched() is None
        free_later(second)
        del second
        assert watched_second() is not None
    assert watched_second() is None  # the build's end drops the rest


def test_nothing_is_kept_for_later_when_memory_is_short():
    with freeing_later(budget_mb=1):  # this process already holds more than a quarter of 1 MB
        big = _Big()
        watched = weakref.ref(big)
        free_later(big)
        del big
        assert watched() is None
