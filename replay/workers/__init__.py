"""Tasks in other processes: a local pool (``-j N``) or a Dask cluster (``--dask``).

    tasks --OrderedRun--> at most ``capacity`` in flight --> outcomes, in task order

A task's outcome is its value, :class:`Lost` (its worker died or raised: the task may have run
in part, and its caller reports it as could not complete) or :class:`NotRun` (the run was
stopped before it started). Nothing is ever silently missing (docs/scale.md).
"""

from replay.workers._open import open_workers
from replay.workers._ordered import Executor, Lost, NotRun, OrderedRun
from replay.workers._pool import ProcessExecutor

__all__ = ["Executor", "Lost", "NotRun", "OrderedRun", "ProcessExecutor", "open_workers"]
