"""Where a model call waits for its turn: the :class:`Gate`, and the limiter it asks.

One process: the gate asks a :class:`~replay.limits.Limiter` directly. ``replay run -j N``:
the limiter lives in a server process of the run (:class:`SharedLimits`, a
``multiprocessing`` manager on a local socket with a random key) and every worker asks it.
``--dask``: it lives in a Dask actor (replay.workers). The gate sleeps on its own clock between
questions, so the limiter never blocks and one slow caller never holds up the others.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.managers import BaseManager
from typing import Any, Protocol

from replay.limits._limiter import Limiter
from replay.spec._scale import RateLimit


class LimiterService(Protocol):
    """What a gate asks: a :class:`Limiter`, or a proxy of one in another process."""

    def reserve(self, provider: str, tokens: int, lease: float) -> tuple[float, int]: ...

    def release(
        self,
        provider: str,
        slot: int,
        estimated: int,
        used: int | None,
        retry_after: float | None = None,
    ) -> None: ...


@dataclass
class Slot:
    """A granted call: what it used and the server's Retry-After, told to the limiter after."""

    used: int | None = None
    retry_after: float | None = None


class Gate:
    """Waits until the limiter grants a call, and tells it how the call went."""

    def __init__(
        self, service: LimiterService, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._service = service
        self._sleep = sleep

    @contextmanager
    def slot(self, provider: str, tokens: int, lease: float) -> Iterator[Slot]:
        """Hold one of ``provider``'s slots for a call of about ``tokens`` tokens that ends
        within ``lease`` seconds (else the limiter takes the slot back)."""
        while True:
            wait, number = self._service.reserve(provider, tokens, lease)
            if wait <= 0:
                break
            self._sleep(wait)
        slot = Slot()
        try:
            yield slot
        finally:
            self._service.release(provider, number, tokens, slot.used, slot.retry_after)


@dataclass(frozen=True)
class LimitsAddress:
    """How a worker process reaches the run's limiter server (the key is per run, random)."""

    address: Any
    authkey: bytes

    def connect(self) -> LimiterService:
        manager = _Manager(address=self.address, authkey=self.authkey)
        manager.connect()
        return manager.limiter()  # type: ignore[attr-defined, no-any-return]


class _Manager(BaseManager):
    pass


_served: list[Limiter] = []
"""The one limiter of a limiter server process (set by its initializer, before it serves)."""


def _serve(limits: tuple[RateLimit, ...]) -> None:
    _served.append(Limiter(limits))


def _limiter() -> Limiter:
    return _served[0]


_Manager.register("limiter", callable=_limiter)


class SharedLimits:
    """The run's limiter in a server process of its own, for ``replay run -j N``'s workers."""

    def __init__(self, limits: Iterable[RateLimit]) -> None:
        key = secrets.token_bytes(32)
        self._manager = _Manager(authkey=key, ctx=get_context("spawn"))
        self._manager.start(_serve, (tuple(limits),))
        self.address = LimitsAddress(self._manager.address, key)

    def close(self) -> None:
        self._manager.shutdown()

    def __enter__(self) -> SharedLimits:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
