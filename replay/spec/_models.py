"""Specs of live model endpoints: provider, base URL, retries and timeouts."""

from __future__ import annotations

from dataclasses import dataclass

from replay.spec._vocab import Provider

OPENAI, ANTHROPIC = "openai", "anthropic"
DEFAULT_BASE_URLS = {OPENAI: "https://api.openai.com/v1", ANTHROPIC: "https://api.anthropic.com"}
ANTHROPIC_VERSION = "2023-06-01"


@dataclass(frozen=True)
class RetrySpec:
    """How hard to try: attempts, total time, and the longest single wait (seconds)."""

    max_attempts: int = 4
    max_time: float = 120.0
    """Wall-clock limit for all attempts of one request, waits included, from its start."""
    max_wait: float = 30.0
    """Cap on one wait, including a server's Retry-After."""
    initial_wait: float = 1.0
    """First backoff when the server gives no Retry-After; doubles each attempt."""


@dataclass(frozen=True)
class LiveModelSpec:
    """A live model endpoint, as the scenario's ``agent.model`` section names it."""

    provider: Provider
    model: str
    base_url: str | None = None
    api_key_env: str | None = None
    cassette: str | None = None
    """Path of the cassette file (resolved against the scenario's folder)."""
    timeout: float = 60.0
    """Wall-clock limit for one attempt: connecting, sending and receiving the whole body."""
    retry: RetrySpec = RetrySpec()
    temperature: float | None = None
    max_tokens: int | None = None
    allowed_hosts: frozenset[str] = frozenset()
    """Hosts the user allowed on the command line (``--allow-host``) to receive the key, on
    top of ``$REPLAY_ALLOW_HOSTS`` (never from the scenario: see :func:`credential_route`)."""

    @property
    def base(self) -> str:
        """The base URL requests go to (the provider's default when none is given)."""
        return self.base_url or DEFAULT_BASE_URLS[self.provider]

    @property
    def url(self) -> str:
        base = self.base.rstrip("/")
        if self.provider == ANTHROPIC:
            return f"{base}/v1/messages" if not base.endswith("/v1") else f"{base}/messages"
        return f"{base}/chat/completions"
