"""Where a command's tasks run: this process, worker processes, or a Dask cluster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from replay.spec._scale import RateLimit
from replay.workers._ordered import Executor
from replay.workers._pool import QUEUED, ProcessExecutor


@contextmanager
def open_workers(
    jobs: int,
    dask: str | None,
    *,
    limits: tuple[RateLimit, ...] = (),
    queued: int = QUEUED,
) -> Iterator[Executor | None]:
    """The executor of ``-j jobs`` / ``--dask ADDRESS`` (None: this process, -j 1), with
    ``queued`` tasks in flight per worker; on a cluster, ``limits`` live in its limiter actor
    (:attr:`~replay.workers._dask.DaskExecutor.limiter`). An exception (an interrupt) stops a
    local pool at once, its workers killed."""
    if dask is not None:
        from replay.workers._dask import DaskExecutor

        with DaskExecutor(dask, limits, queued) as cluster:
            yield cluster
        return
    if jobs <= 1:
        yield None
        return
    pool = ProcessExecutor(jobs, queued)
    try:
        yield pool
    except BaseException:
        pool.abort()
        raise
    pool.close()
