"""Test helpers for runs on workers: a local Dask cluster, and a real pool whose chosen task's
worker dies (SIGKILL) instead of running it, with no hook in the product."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

from replay.workers import ProcessExecutor

T = TypeVar("T")
R = TypeVar("R")


@contextmanager
def local_cluster(threads_per_worker: int = 1) -> Iterator[str]:
    """Two Dask worker processes on 127.0.0.1, no dashboard; yields the scheduler's address."""
    from distributed import LocalCluster

    cluster_of: Any = LocalCluster  # untyped: distributed ships no annotations for it
    with cluster_of(
        n_workers=2,
        threads_per_worker=threads_per_worker,
        host="127.0.0.1",
        dashboard_address=None,
        processes=True,
    ) as cluster:
        yield cluster.scheduler_address


def _die(task: object) -> NoReturn:
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable: the process is gone")


class Killing:
    """A real pool of ``jobs`` worker processes whose ``victim``-th task of type ``kind`` (0
    first) kills its worker instead of running; other tasks run as they would."""

    def __init__(self, jobs: int, victim: int, kind: type) -> None:
        self.pool = ProcessExecutor(jobs)
        self.capacity = self.pool.capacity
        self.victim = victim
        self.kind = kind
        self.sent: list[Any] = []

    def submit(self, fn: Callable[[T], R], task: T) -> Future[R]:
        if not isinstance(task, self.kind):  # e.g. the audit's warm-up while the logs are read
            return self.pool.submit(fn, task)
        self.sent.append(task)
        if len(self.sent) - 1 == self.victim:
            return self.pool.submit(_die, task)
        return self.pool.submit(fn, task)

    def lost(self, exc: BaseException) -> str:
        return self.pool.lost(exc)

    @contextmanager
    def opened(self, jobs: int, dask: str | None, **options: object) -> Iterator[Killing | None]:
        """In place of :func:`replay.workers.open_workers`: this pool for ``-j 2``, this
        process (None) for ``-j 1``."""
        if jobs <= 1 and dask is None:
            yield None
            return
        assert jobs == 2 and dask is None
        yield self
        self.pool.close()
