"""Run one task in a forked process while this one does something else.

``kg build --jobs 2`` writes Turtle, JSON and the Neo4j bundle in a child while the parent
writes the HTML views; both work from the same graph, which the child inherits (never pickled).
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
def in_background(task: Callable[[], Any], enabled: bool = True) -> Iterator[None]:
    """Run ``task`` in a forked child while the block runs; wait for it when the block ends.

    An exception in the task is raised here, after the block (the same exception when it can be
    pickled, else a KGError naming it). If the block raises, the child is stopped, and the atomic
    writers it was in remove their temporary files. Without fork, or when not ``enabled``, the
    task runs here, before the block.
    """
    if not enabled or "fork" not in multiprocessing.get_all_start_methods():
        task()
        yield
        return
    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_run, args=(task, send), daemon=True)
    child.start()
    send.close()
    try:
        yield
        error = _message(receive, child)
    except BaseException:
        child.terminate()
        raise
    finally:
        child.join()
        receive.close()
    if error is not None:
        raise error


def _message(receive: Connection, child: Any) -> BaseException | None:
    """Wait for the child's one message: None, or the exception its task raised."""
    try:
        return receive.recv()
    except EOFError:  # it ended without a word: killed, or out of memory
        child.join()
        return KGError(f"the process writing the exports died (exit code {child.exitcode})")


def _run(task: Callable[[], Any], send: Connection) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # unwinds, so open_atomic cleans up
    try:
        task()
        message: BaseException | None = None
    except BaseException as err:  # noqa: BLE001 - every failure goes back to the parent
        message = err
        try:
            pickle.loads(pickle.dumps(err))  # some exceptions pickle but cannot be rebuilt
        except Exception:  # noqa: BLE001
            message = KGError(f"{type(err).__name__}: {err}")
    send.send(message)
    send.close()
