"""How a suite runs: where (workers, a cluster), under which rate limits and budget (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

LIMIT_KEYS = ("rpm", "tpm", "concurrent")
"""The keys of one provider's limits, as ``--rate-limit`` and ``[limits.PROVIDER]`` spell them."""


@dataclass(frozen=True)
class RateLimit:
    """One provider's limits, shared by every worker of a run (None: not limited)."""

    provider: str
    rpm: int | None = None
    """Requests per minute."""
    tpm: int | None = None
    """Tokens per minute (input as estimated before the call, corrected by the reply's usage)."""
    concurrent: int | None = None
    """Requests in flight at once."""

    def describe(self) -> str:
        parts = [f"{k}={getattr(self, k)}" for k in LIMIT_KEYS if getattr(self, k) is not None]
        return f"{self.provider}:{','.join(parts)}"


@dataclass(frozen=True)
class Budget:
    """What a run may spend before it stops starting scenarios (None: no limit)."""

    max_tokens: int | None = None
    """Input plus output tokens of every model call."""
    max_cost: Decimal | None = None
    """In the price table's currency (``[prices]``); every live model needs a price."""

    @property
    def set(self) -> bool:
        return self.max_tokens is not None or self.max_cost is not None


@dataclass(frozen=True)
class SuitePlan:
    """How a suite runs: where, under which limits and budget (docs/scale.md)."""

    jobs: int = 1
    dask: str | None = None
    """A Dask scheduler's address (``tcp://host:8786``); None: this machine."""
    limits: tuple[RateLimit, ...] = ()
    budget: Budget = field(default_factory=Budget)
    cassette_mode: str | None = None
