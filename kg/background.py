"""Run tasks in forked processes while this one does something else.

``kg build --jobs N`` writes Turtle, JSON and the Neo4j bundle in up to N - 1 children while
the parent writes the HTML views (kg.memory decides how many); all work from the same graph,
which the children inherit (never pickled).
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from kg.errors import KGError


@contextmanager
def in_background(*tasks: Callable[[], Any], enabled: bool = True, doing: str = "writing the exports") -> Iterator[list[Any]]:
    """Run each task in a forked child of its own while the block runs; wait for them after it.

    The block gets a list that holds, once it has ended, what each task returned, in order
    (small values: they travel back pickled). An exception in a task is raised here, after the
    block (the same exception when it can be pickled, else a KGError naming it; the first
    task's first). If the block raises, the children are stopped, and the atomic writers they
    were in remove their temporary files. Off Linux (no safe fork), or when not ``enabled``,
    the tasks run here, in order, before the block. ``doing`` names the tasks in the error of a
    child that dies without a word.
    """
    results: list[Any] = []
    if not enabled or not sys.platform.startswith("linux"):  # fork is unsafe on macOS, absent on Windows
        results += [task() for task in tasks]
        yield results
        return
    context = multiprocessing.get_context("fork")
    running = []
    try:
        for task in tasks:
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_run, args=(task, send), daemon=True)
            child.start()
            send.close()
            running.append((child, receive))
        yield results
        messages = [_message(receive, child, doing) for child, receive in running]
    except BaseException:
        for child, _ in running:
            child.terminate()
        raise
    finally:
        for child, receive in running:
            child.join()
            receive.close()
    for error, _ in messages:
        if error is not None:
            raise error
    results += [value for _, value in messages]


def _message(receive: Connection, child: Any, doing: str) -> tuple[BaseException | None, Any]:
    """Wait for the child's one message: (None, what its task returned), or (the exception it raised, None)."""
    try:
        return receive.recv()
    except EOFError:  # it ended without a word: killed, or out of memory
        child.join()
        return KGError(f"the process {doing} died (exit code {child.exitcode})"), None


def _run(task: Callable[[], Any], send: Connection) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # unwinds, so open_atomic cleans up
    try:
        message: tuple[BaseException | None, Any] = (None, task())
    except BaseException as err:  # noqa: BLE001 - every failure goes back to the parent
        failure: BaseException = err
        try:
            pickle.loads(pickle.dumps(err))  # some exceptions pickle but cannot be rebuilt
        except Exception:  # noqa: BLE001
            failure = KGError(f"{type(err).__name__}: {err}")
        message = (failure, None)
    send.send(message)
    send.close()
