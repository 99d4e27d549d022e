"""Exports written in a forked process beside the views (``kg build --jobs 2``): failures are
never lost, and an interrupted writer leaves no half file behind."""

import os
import time

import pytest

from kg.background import in_background
from kg.cli import main
from kg.errors import KGError
from kg.export.files import write_text_atomic
from kg.pipeline import SAMPLE_CORPUS


def test_the_task_runs_in_another_process_beside_the_block(tmp_path):
    marker = tmp_path / "pid"
    with in_background(lambda: marker.write_text(str(os.getpid()))):
        here = os.getpid()
    assert int(marker.read_text()) != here


def test_the_tasks_error_is_raised_after_the_block_which_still_ran(tmp_path):
    def fails():
        raise KGError("the exports could not be made")

    ran = []
    with pytest.raises(KGError, match="the exports could not be made"):
        with in_background(fails):
            ran.append(True)
    assert ran == [True]


def test_an_os_error_keeps_its_file_name_and_reason(tmp_path):
    (tmp_path / "graph.ttl").mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(OSError) as caught:
        with in_background(lambda: write_text_atomic(tmp_path / "graph.ttl", ["x"])):
            pass
    assert caught.value.filename and "graph.ttl" in str(caught.value.filename) + str(caught.value.filename2)


def test_a_dead_writer_is_an_error_not_a_silent_success():
    with pytest.raises(KGError, match="died"):
        with in_background(lambda: os._exit(9)):
            pass


def test_a_failing_block_stops_the_writer_and_no_temporary_file_is_left(tmp_path):
    def slow_writer():
        def pieces():
            while True:
                yield "x" * 1000
                time.sleep(0.001)

        write_text_atomic(tmp_path / "graph.ttl", pieces())

    with pytest.raises(RuntimeError):
        with in_background(slow_writer):
            time.sleep(0.3)
            raise RuntimeError("the views failed")
    assert list(tmp_path.iterdir()) == []


def test_not_enabled_runs_the_task_here_first(tmp_path):
    order = []
    with in_background(lambda: order.append(("task", os.getpid())), enabled=False):
        order.append(("block", os.getpid()))
    assert order == [("task", os.getpid()), ("block", os.getpid())]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unwritable_output_is_one_line_naming_it_and_the_views_stay_whole(tmp_path, capsys, jobs):
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE_CORPUS), "--out", str(out)]) == 0
    index = (out / "html" / "index.html").read_bytes()
    (out / "graph.json").unlink()
    (out / "graph.json").mkdir()
    (out / "graph.json" / "keep").write_text("a folder in the way")
    capsys.readouterr()
    assert main(["build", str(SAMPLE_CORPUS), "--out", str(out), "--jobs", jobs, "--no-cache"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kg: error: ") and "graph.json" in err[0]
    assert "Traceback" not in err[0]
    assert (out / "html" / "index.html").read_bytes() == index
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_several_tasks_each_run_and_the_first_failure_is_raised(tmp_path):
    def writes(name):
        return lambda: (tmp_path / name).write_text(str(os.getpid()))

    def fails(message):
        def task():
            raise KGError(message)

        return task

    with pytest.raises(KGError, match="first"):
        with in_background(writes("a"), fails("first"), writes("b"), fails("second")):
            pass
    assert (tmp_path / "a").read_text() != (tmp_path / "b").read_text()


@pytest.mark.parametrize("enabled", [True, False])
def test_what_each_task_returns_is_there_after_the_block(enabled):
    with in_background(lambda: "ttl", lambda: ("json", os.getpid()), enabled=enabled) as results:
        assert results == [] if enabled else results == ["ttl", ("json", os.getpid())]
    assert results[0] == "ttl" and results[1][0] == "json"
    assert (results[1][1] != os.getpid()) == enabled
