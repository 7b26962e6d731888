"""Tasks on a Dask cluster (``--dask ADDRESS``, the optional extra ``replay[dask]``).

Sent over the wire: the task (a scenario as validated here, the trace file's name, the cassette
mode, a handle of the run's limiter actor) and the function that runs it, by name: workers run
the same ``replay`` package. Never a secret: workers read API keys from their own environment.
Back come the result and the trace's bytes, written here. The run's rate limits live in one
Dask actor (a :class:`~replay.limits.Limiter` on one worker) that every task asks, so the
cluster keeps to them as one machine does (docs/scale.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from replay.errors import RunIncomplete
from replay.limits._gate import LimiterService
from replay.limits._limiter import Limiter
from replay.spec._scale import RateLimit
from replay.workers._pool import QUEUED

T = TypeVar("T")
R = TypeVar("R")

CONNECT_TIMEOUT = "30s"
"""How long to try reaching the scheduler before the run is could not complete."""


class _ActorLimiter:
    """A worker's view of the limiter actor: each question a round trip, answered in order."""

    def __init__(self, actor: Any) -> None:
        self._actor = actor

    def reserve(self, provider: str, tokens: int, lease: float) -> tuple[float, int]:
        wait, slot = self._actor.reserve(provider, tokens, lease).result()
        return float(wait), int(slot)

    def release(
        self,
        provider: str,
        slot: int,
        estimated: int,
        used: int | None,
        retry_after: float | None = None,
    ) -> None:
        self._actor.release(provider, slot, estimated, used, retry_after).result()


class DaskLimiter:
    """The handle a task carries to the run's limiter actor."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def connect(self) -> LimiterService:
        return _ActorLimiter(self.actor)


class DaskExecutor:
    """A Dask cluster's workers, reached through its scheduler at ``address``."""

    def __init__(
        self, address: str, limits: tuple[RateLimit, ...] = (), queued: int = QUEUED
    ) -> None:
        try:
            import distributed
        except ImportError as exc:
            raise RunIncomplete(
                f"--dask needs dask.distributed ({exc}); install it with pip install 'replay[dask]'"
            ) from None
        try:
            client: Any = distributed.Client  # untyped: distributed ships no annotations for it
            self._client: Any = client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, ValueError, TypeError) as exc:
            raise RunIncomplete(f"--dask: cannot reach the scheduler at {address}: {exc}") from None
        threads = sum(self._client.nthreads().values())
        if threads < 1:
            self._client.close()
            raise RunIncomplete(f"--dask: the cluster at {address} has no workers")
        self.capacity = queued * threads  # as ProcessExecutor: a task waiting per thread
        self._pending: set[Any] = set()
        """The tasks sent and not yet done (Dask futures; the client's threads finish them)."""
        self._lock = threading.Lock()
        self.limiter: DaskLimiter | None = None
        if limits:
            # The future is kept: Dask deletes an actor once no future of it is held.
            self._actor = self._client.submit(Limiter, limits, actor=True, pure=False)
            self.limiter = DaskLimiter(self._actor.result())

    def submit(self, fn: Callable[[T], R], task: T) -> Future[R]:
        future: Future[R] = Future()
        remote: Any = self._client.submit(fn, task, pure=False)
        with self._lock:
            self._pending.add(remote)

        def copy(done: Any) -> None:  # on a thread of the client's: the outcome, as it is
            with self._lock:
                self._pending.discard(done)
            try:
                future.set_result(done.result())
            except BaseException as exc:
                future.set_exception(exc)

        remote.add_done_callback(copy)
        return future

    def lost(self, exc: BaseException) -> str:
        name = type(exc).__name__
        if name == "KilledWorker":
            return f"the Dask workers running it died ({exc})"
        if name == "CancelledError":
            return "the Dask scheduler cancelled it (the cluster shut down or lost it)"
        return f"its Dask worker raised {name}: {exc}"

    def close(self) -> None:
        # A run that stopped early (an invalid trace, an interrupt) leaves tasks on the cluster:
        # cancelled, so its workers do not go on with work nobody will read.
        with self._lock:
            pending = list(self._pending)
        if pending:
            self._client.cancel(pending, force=True)
        self._client.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
