"""Token buckets per provider: requests and tokens per minute, calls in flight, Retry-After.

Providers enforce a per-minute limit over shorter periods too (OpenAI: "quantized" limits), so
a bucket holds a tenth of a second of its limit: a burst of a whole minute's quota at the start
of a run would be refused, and a bucket of a whole second lets a sliding second see twice the
rate (measured: benchmarks/bench_scale.py). A ``Retry-After`` from the server pauses every
worker calling that provider, not only the one that got it: they back off together, as the
limit is shared.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from replay.spec._scale import RateLimit

POLL = 0.01
"""How long a caller waits before asking again while every slot is in flight (seconds)."""
BURST_SECONDS = 0.1
"""A bucket's capacity, in seconds of its rate: a sliding second then sees at most 110% of the
limit, and providers that enforce a minute's limit per second (see the module docstring) are
not refused for the burst."""


@dataclass
class _Bucket:
    """A token bucket: ``level`` of ``capacity``, refilled at ``rate`` per second."""

    rate: float
    capacity: float
    level: float
    stamp: float

    @classmethod
    def per_minute(cls, limit: int, now: float) -> _Bucket:
        rate = limit / 60.0
        capacity = max(1.0, rate * BURST_SECONDS)
        return cls(rate, capacity, capacity, now)

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_for(self, amount: float) -> float:
        """Seconds until ``amount`` is available (0: it is). A request larger than the
        bucket waits for a full bucket, so it is granted, once, instead of never."""
        amount = min(amount, self.capacity)
        # A level a rounding error short of it is there (a refill of 0.05 s at 20 a second).
        return 0.0 if self.level >= amount - 1e-9 else (amount - self.level) / self.rate


@dataclass
class _Provider:
    limit: RateLimit
    requests: _Bucket | None
    tokens: _Bucket | None
    leases: dict[int, float] = field(default_factory=dict)
    """The calls in flight: slot number -> when the slot is taken back if never released."""
    paused_until: float = 0.0


class Limiter:
    """The shared state of a run's rate limits; callers go through a :class:`~replay.limits.Gate`.

    ``reserve`` either grants a call (it is counted and holds a numbered slot) or says how many
    seconds to wait before asking again; ``release`` gives the slot back, corrects the token
    count with what the call really used, and applies a server's ``Retry-After`` to everyone.
    A slot is leased: one that is not released in time (its worker died mid-call) is taken
    back, so a lost worker can slow the run down but never stop it. A provider without limits
    is always granted at once.
    """

    def __init__(
        self, limits: Iterable[RateLimit], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        now = clock()
        self._providers = {
            limit.provider: _Provider(
                limit,
                _Bucket.per_minute(limit.rpm, now) if limit.rpm else None,
                _Bucket.per_minute(limit.tpm, now) if limit.tpm else None,
            )
            for limit in limits
        }
        self._slots = 0
        self.waits = 0
        """How many times a caller was told to wait (for the run's summary and tests)."""
        self.pauses = 0
        """How many Retry-After pauses the servers asked for."""

    def reserve(self, provider: str, tokens: int, lease: float) -> tuple[float, int]:
        """``(0.0, slot)``: one call of about ``tokens`` tokens may start now and must release
        ``slot`` within ``lease`` seconds; ``(seconds, 0)``: wait that long and ask again."""
        state = self._providers.get(provider)
        if state is None:
            return 0.0, 0
        now = self._clock()
        for slot, expiry in list(state.leases.items()):
            if expiry <= now:
                del state.leases[slot]
        wait = max(0.0, state.paused_until - now)
        concurrent = state.limit.concurrent
        if concurrent is not None and len(state.leases) >= concurrent:
            wait = max(wait, POLL)
        for bucket, amount in ((state.requests, 1.0), (state.tokens, float(tokens))):
            if bucket is not None:
                bucket.refill(now)
                wait = max(wait, bucket.wait_for(amount))
        if wait > 0:
            self.waits += 1
            return wait, 0
        if state.requests is not None:
            state.requests.level -= 1.0
        if state.tokens is not None:
            state.tokens.level -= min(float(tokens), state.tokens.capacity)
        self._slots += 1
        state.leases[self._slots] = now + lease
        return 0.0, self._slots

    def release(
        self,
        provider: str,
        slot: int,
        estimated: int,
        used: int | None,
        retry_after: float | None = None,
    ) -> None:
        """The call in ``slot``, granted for ``estimated`` tokens, is over: it used ``used``
        (None: as estimated); ``retry_after`` is the server's Retry-After in seconds, if any."""
        state = self._providers.get(provider)
        if state is None:
            return
        now = self._clock()
        state.leases.pop(slot, None)
        if state.tokens is not None and used is not None:
            state.tokens.refill(now)
            # A debt (used > estimated) delays the next calls: the bucket may go below zero.
            state.tokens.level -= used - min(float(estimated), state.tokens.capacity)
        if retry_after is not None and retry_after > 0:
            self.pauses += 1
            state.paused_until = max(state.paused_until, now + retry_after)

    def counters(self) -> tuple[int, int]:
        """(waits, pauses): for callers that reach the limiter through a proxy."""
        return self.waits, self.pauses
