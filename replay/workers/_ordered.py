"""Run tasks on an executor and give their outcomes back in task order, whatever order they
finish in, so a parallel run prints and writes the same bytes as a serial one."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Lost:
    """The task's result never came back: its worker died, or the task raised."""

    reason: str


@dataclass(frozen=True)
class NotRun:
    """The run stopped (:meth:`OrderedRun.stop`) before this task was sent to a worker."""


class Executor(Protocol):
    """Where tasks run: a local process pool or a Dask cluster."""

    capacity: int
    """How many tasks to keep in flight (more than the workers, so none waits for work)."""

    def submit(self, fn: Callable[[T], R], task: T) -> Future[R]: ...

    def lost(self, exc: BaseException) -> str:
        """Why a task whose future raised ``exc`` did not come back, in one line."""
        ...


class OrderedRun(Generic[T, R]):
    """``fn`` over ``tasks`` on ``executor``; iterate for the outcomes, in task order.

    Tasks are sent as workers free up, never more than ``executor.capacity`` at once, so
    :meth:`stop` leaves the rest unsent: they come out as :class:`NotRun`, and the ones in
    flight finish and come out as they are.
    """

    def __init__(self, executor: Executor, fn: Callable[[T], R], tasks: Sequence[T]) -> None:
        self._executor = executor
        self._fn = fn
        self._tasks = tasks
        self._stopped = False

    def stop(self) -> None:
        """Send no more tasks."""
        self._stopped = True

    def __iter__(self) -> Iterator[R | Lost | NotRun]:
        in_flight: dict[Future[R], int] = {}
        done: dict[int, R | Lost] = {}
        sent = 0
        for index in range(len(self._tasks)):
            while index not in done:
                while (
                    not self._stopped
                    and sent < len(self._tasks)
                    and len(in_flight) < self._executor.capacity
                ):
                    try:
                        in_flight[self._executor.submit(self._fn, self._tasks[sent])] = sent
                    except Exception as exc:  # a broken pool: this task is lost, not a crash
                        done[sent] = Lost(self._executor.lost(exc))
                    sent += 1
                if index >= sent:  # stopped before it was sent
                    break
                if index in done:  # its submission failed
                    break
                finished, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
                for future in finished:
                    position = in_flight.pop(future)
                    try:
                        done[position] = future.result()
                    except Exception as exc:  # a dead worker or a task that raised
                        done[position] = Lost(self._executor.lost(exc))
            if index in done:
                yield done.pop(index)
            else:
                yield NotRun()
