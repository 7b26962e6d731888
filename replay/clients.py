"""Live model clients: OpenAI-compatible Chat Completions and the Anthropic Messages API.

Both implement the :class:`replay.models.Model` protocol over ``httpx``. Transient failures
(429, 5xx, timeouts, dropped connections) are retried with ``tenacity``, honouring the server's
``Retry-After`` (capped), and bounded both in attempts and in total time, so a run against a
struggling endpoint ends with a clear :class:`~replay.models.ModelError` (exit 3) instead of
hanging or being reported compliant. The API key is read from the environment variable the
scenario names and is redacted from every error message; it is sent in a header and never
stored (cassettes keep request bodies only).
"""

from __future__ import annotations

import email.utils
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
)

from replay.cassettes import Cassette
from replay.models import ModelError, ModelRequest
from replay.trace import Message

OPENAI, ANTHROPIC = "openai", "anthropic"
DEFAULT_BASE_URLS = {OPENAI: "https://api.openai.com/v1", ANTHROPIC: "https://api.anthropic.com"}
ANTHROPIC_VERSION = "2023-06-01"
RETRY_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})


@dataclass(frozen=True)
class RetrySpec:
    """How hard to try: attempts, total time, and the longest single wait (seconds)."""

    max_attempts: int = 4
    max_time: float = 120.0
    max_wait: float = 30.0
    """Cap on one wait, including a server's Retry-After."""
    initial_wait: float = 1.0
    """First backoff when the server gives no Retry-After; doubles each attempt."""


@dataclass(frozen=True)
class LiveModelSpec:
    """A live model endpoint, as the scenario's ``agent.model`` section names it."""

    provider: str  # "openai" or "anthropic"
    model: str
    base_url: str | None = None
    api_key_env: str | None = None
    cassette: str | None = None
    """Path of the cassette file (resolved against the scenario's folder)."""
    timeout: float = 60.0
    retry: RetrySpec = RetrySpec()
    temperature: float | None = None
    max_tokens: int | None = None

    @property
    def url(self) -> str:
        base = (self.base_url or DEFAULT_BASE_URLS[self.provider]).rstrip("/")
        if self.provider == ANTHROPIC:
            return f"{base}/v1/messages" if not base.endswith("/v1") else f"{base}/messages"
        return f"{base}/chat/completions"


class _Retryable(Exception):
    """A failure worth another attempt; ``retry_after`` is the server's hint, if any."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret value replaced (servers echo keys back in error bodies)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def openai_messages(messages: Sequence[Message]) -> list[dict[str, str]]:
    """Trace messages in the Chat Completions wire format."""
    return [{"role": m.role, "content": m.content} for m in messages]


def anthropic_messages(messages: Sequence[Message]) -> tuple[str | None, list[dict[str, str]]]:
    """Trace messages as Anthropic's (system, messages): system text goes in ``system``.

    Consecutive messages of one role are joined, as the Messages API expects turns to alternate.
    """
    system = [m.content for m in messages if m.role == "system"]
    out: list[dict[str, str]] = []
    for m in messages:
        if m.role == "system":
            continue
        role = "assistant" if m.role == "assistant" else "user"
        if out and out[-1]["role"] == role:
            out[-1] = {"role": role, "content": out[-1]["content"] + "\n\n" + m.content}
        else:
            out.append({"role": role, "content": m.content})
    return ("\n\n".join(system) if system else None), out


def openai_reply_text(body: Any) -> str:
    """The reply text of a Chat Completions response (raises ValueError if it has none)."""
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise ValueError(f"no choices[0].message.content in the response ({exc!r})") from exc
    if isinstance(content, list):  # content parts
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    if not isinstance(content, str):
        raise ValueError("choices[0].message.content is not text")
    return content


def anthropic_reply_text(body: Any) -> str:
    """The reply text of an Anthropic Messages response (its text blocks, joined)."""
    try:
        blocks = body["content"]
        return "".join(b["text"] for b in blocks if b.get("type") == "text")
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"no text content blocks in the response ({exc!r})") from exc


class ChatClient:
    """A live (or recorded) chat model: OpenAI-compatible or Anthropic, chosen by the spec."""

    def __init__(
        self,
        spec: LiveModelSpec,
        *,
        cassette: Cassette | None = None,
        environ: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.spec = spec
        self.name = f"{spec.provider}:{spec.model}"
        self.cassette = cassette
        self._sleep = sleep
        env = os.environ if environ is None else environ
        self._key: str | None = env.get(spec.api_key_env) if spec.api_key_env else None
        if spec.api_key_env and not self._key and not (cassette and cassette.offline):
            raise ModelError(
                f"environment variable {spec.api_key_env} is not set; export the API key there "
                "(the scenario's agent.model.api_key_env names it), or replay from a cassette"
            )
        self._transport = transport
        self._http: httpx.Client | None = None

    # -- the Model protocol

    def reply(self, request: ModelRequest) -> str:
        return self.complete_text(request.messages)

    def complete_text(self, messages: Sequence[Message]) -> str:
        """Send ``messages`` and return the reply text (ModelError if that is impossible)."""
        body = self.complete(self.payload(messages))
        try:
            if self.spec.provider == ANTHROPIC:
                return anthropic_reply_text(body)
            return openai_reply_text(body)
        except ValueError as exc:
            raise ModelError(f"{self.name}: unexpected response: {exc}") from exc

    def payload(self, messages: Sequence[Message]) -> dict[str, Any]:
        """The request body for ``messages`` (no secrets: the key travels in a header)."""
        spec = self.spec
        body: dict[str, Any] = {"model": spec.model}
        if spec.provider == ANTHROPIC:
            system, wire = anthropic_messages(messages)
            if system is not None:
                body["system"] = system
            body["messages"] = wire
            body["max_tokens"] = spec.max_tokens or 1024
        else:
            body["messages"] = openai_messages(messages)
            if spec.max_tokens is not None:
                body["max_tokens"] = spec.max_tokens
        if spec.temperature is not None:
            body["temperature"] = spec.temperature
        return body

    def complete(self, body: Mapping[str, Any]) -> Any:
        """One exchange: from the cassette when it has it, else over the network (and recorded).

        In offline mode a request that is not in the cassette is a ModelError; the network is
        never touched.
        """
        cassette = self.cassette
        if cassette is not None:
            found = cassette.lookup(self.spec.provider, body)
            if found is not None:
                return found
            if cassette.offline:
                raise ModelError(
                    f"{self.name}: request not in cassette {cassette.path} (offline replay): "
                    "the conversation or the prompts changed since it was recorded; re-record "
                    "with --record"
                )
        response = self._send(body)
        if cassette is not None:
            cassette.record(self.spec.provider, body, response, secrets=self._secrets)
        return response

    @property
    def _secrets(self) -> tuple[str, ...]:
        return (self._key,) if self._key else ()

    def headers(self) -> dict[str, str]:
        headers = {"content-type": "application/json"}
        if self.spec.provider == ANTHROPIC:
            headers["anthropic-version"] = ANTHROPIC_VERSION
            if self._key:
                headers["x-api-key"] = self._key
        elif self._key:
            headers["authorization"] = f"Bearer {self._key}"
        return headers

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(timeout=self.spec.timeout, transport=self._transport)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
        if self.cassette is not None:
            self.cassette.close()

    def _send(self, body: Mapping[str, Any]) -> Any:
        retry = self.spec.retry
        attempts: list[str] = []
        retrying = Retrying(
            stop=stop_after_attempt(retry.max_attempts) | stop_before_delay(retry.max_time),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    try:
                        return self._attempt(body)
                    except _Retryable as exc:
                        attempts.append(exc.reason)
                        raise
        except _Retryable as exc:
            raise ModelError(
                f"{self.name}: gave up after {len(attempts)} attempt(s) "
                f"(limits: {retry.max_attempts} attempts, {retry.max_time:g}s): {exc.reason}"
            ) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _wait(self, state: RetryCallState) -> float:
        retry = self.spec.retry
        exc = state.outcome.exception() if state.outcome else None
        hint = exc.retry_after if isinstance(exc, _Retryable) else None
        backoff = retry.initial_wait * 2 ** (state.attempt_number - 1)
        return float(min(retry.max_wait, hint if hint is not None else backoff))

    def _attempt(self, body: Mapping[str, Any]) -> Any:
        url = self.spec.url
        try:
            response = self._client().post(url, json=body, headers=self.headers())
        except httpx.TimeoutException:
            raise _Retryable(f"timed out after {self.spec.timeout:g}s calling {url}") from None
        except httpx.TransportError as exc:
            reason = redact(f"{type(exc).__name__}: {exc}", self._secrets)
            raise _Retryable(f"connection failed calling {url} ({reason})") from None
        status = response.status_code
        if status in RETRY_STATUSES:
            raise _Retryable(
                f"HTTP {status} from {url}: {self._excerpt(response)}",
                parse_retry_after(response.headers.get("retry-after")),
            )
        if status >= 400:
            hint = (
                f"; check the key in {self.spec.api_key_env}"
                if status in (401, 403) and self.spec.api_key_env
                else ""
            )
            raise ModelError(
                f"{self.name}: HTTP {status} from {url}: {self._excerpt(response)}{hint}"
            )
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ModelError(
                f"{self.name}: {url} answered HTTP {status} with a body that is not JSON: "
                f"{self._excerpt(response)!r}"
            ) from None

    def _excerpt(self, response: httpx.Response, limit: int = 300) -> str:
        text = redact(response.text, self._secrets).strip().replace("\n", " ")
        return text if len(text) <= limit else text[:limit] + "..."
