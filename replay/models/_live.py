"""Live model clients: OpenAI-compatible Chat Completions and the Anthropic Messages API.

Both implement the :class:`replay.models.Model` protocol over ``httpx``. Transient failures
(429, 5xx, timeouts, dropped connections) are retried with ``tenacity``, honouring the server's
``Retry-After`` (capped), and bounded both in attempts and in total time, so a run against a
struggling endpoint ends with a clear :class:`~replay.models.ModelError` (exit 3) instead of
hanging or being reported compliant.

Deadlines are wall-clock, measured from the start: one attempt may take at most ``timeout``
seconds in all (connecting, sending, the headers and every byte of the body), and all attempts
of one request, waits included, at most ``max_retry_time``. httpx's own timeouts apply to each
read, so a server dripping one byte a second would hold a request forever; here every socket
read and write is given only the time left before the deadline, and the body is read in chunks
with the deadline checked between them. The clock is injectable (tests use a fake one).

Responses are bounded (:data:`MAX_BODY_BYTES`, decompressed); a body that is not JSON or whose
``Content-Encoding`` cannot be decoded is a ModelError, not retried. 4xx answers other than
408/409/425/429 are not retried either.

The API key is read from the environment variable the scenario names, with surrounding
whitespace removed (a key read from a file or a CRLF env file ends in a newline); a key with a
control character left in it is refused, naming the variable, never the value. It is sent in a
header and never stored (cassettes keep request bodies only), and it is redacted, in every form
(:func:`replay.cassettes.redact`), from every error message and from every response before a
reply reaches the trace or a cassette, so a server echoing it back cannot leak it.
"""

from __future__ import annotations

import email.utils
import functools
import json
import math
import os
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type

from replay.limits._gate import Gate
from replay.models._base import ModelError, ModelRequest, Reply
from replay.models._cassettes import Cassette, redact, redact_data
from replay.spec._models import ANTHROPIC, ANTHROPIC_VERSION, LiveModelSpec
from replay.spec._words import count as count_words
from replay.trace._records import Message, Usage
from replay.trust._hosts import (
    CredentialRoute,
    allowed_hosts,
    credential_route,
    is_loopback,
    normalise_host,
)

# 409 as the official OpenAI and Anthropic SDKs do (a lock timeout server-side); any other 4xx
# is the request's or the key's fault and fails at once.
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
MAX_BODY_BYTES = 32 * 1024 * 1024
"""The largest response body accepted (after decompression); a larger one is refused."""
ERROR_BODY_BYTES = 64 * 1024
"""How much of an error response is read (for the message's excerpt)."""


LEASE_MARGIN = 30.0
"""Seconds past one attempt's timeout after which the rate limiter takes back the slot of a
call that never said it ended (its worker died mid-call)."""


def estimated_tokens(body: Mapping[str, Any]) -> int:
    """A call's tokens before it is sent, for the tokens-per-minute limit: about four characters
    a token of its messages (the providers' rule of thumb), plus the reply it may write."""
    size = len(json.dumps(body.get("messages", []), ensure_ascii=False))
    size += len(str(body.get("system", "")))
    reply = body.get("max_tokens")
    return size // 4 + (reply if isinstance(reply, int) else 0)


class _Retryable(Exception):
    """A failure worth another attempt; ``retry_after`` is the server's hint, if any."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date (None: no
    usable value; "inf" or "nan" is none)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def retry_after(headers: httpx.Headers) -> float | None:
    """The wait a refusal asks for: OpenAI's ``retry-after-ms`` (milliseconds: the precise
    one) when it is usable, else ``Retry-After`` (whole seconds, or a date)."""
    precise = parse_retry_after(headers.get("retry-after-ms"))
    if precise is not None:
        return precise / 1000
    return parse_retry_after(headers.get("retry-after"))


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


def normalise_api_key(value: str | None, variable: str) -> str | None:
    """The key in ``value`` without surrounding whitespace; None if there is none.

    Raises ModelError, naming ``variable`` but never the value, if a control character (or a
    character outside printable ASCII, which no HTTP header can carry) is left inside it.
    """
    if value is None:
        return None
    key = value.strip()
    if not key:
        return None
    for position, char in enumerate(key, 1):
        if 0x20 <= ord(char) <= 0x7E:
            continue
        what = (
            f"a control character (U+{ord(char):04X})"
            if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F
            else "a character outside printable ASCII"
        )
        raise ModelError(
            f"environment variable {variable} holds an API key with {what} at position "
            f"{position} (surrounding whitespace is already removed); set it to the key alone. "
            "The key was not used."
        )
    return key


class _DeadlinePassed(Exception):
    """The deadline of an attempt (or of the whole request) passed at a socket operation."""


class _DeadlineGuard:
    """Per-thread deadline of the request in progress, enforced on every socket operation."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._local = threading.local()

    @property
    def at(self) -> float | None:
        at: float | None = getattr(self._local, "at", None)
        return at

    @at.setter
    def at(self, value: float | None) -> None:
        self._local.at = value

    def timeout(self, timeout: float | None, error: type[Exception]) -> float | None:
        """``timeout`` shortened to the time left before the deadline (raises if none is)."""
        at = self.at
        if at is None:
            return timeout
        left = at - self.clock()
        if left <= 0:
            raise error("deadline passed")
        return left if timeout is None else min(timeout, left)


class _GuardedStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, guard: _DeadlineGuard) -> None:
        self._stream = stream
        self._guard = guard

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._guard.timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._guard.timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        limit = self._guard.timeout(timeout, httpcore.ConnectTimeout)
        return _GuardedStream(
            self._stream.start_tls(ssl_context, server_hostname, limit), self._guard
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend, guard: _DeadlineGuard) -> None:
        self._backend = backend
        self._guard = guard

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        limit = self._guard.timeout(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, limit, local_address, socket_options)
        return _GuardedStream(stream, self._guard)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        limit = self._guard.timeout(timeout, httpcore.ConnectTimeout)
        return _GuardedStream(
            self._backend.connect_unix_socket(path, limit, socket_options), self._guard
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _guard_transport(transport: object, guard: _DeadlineGuard) -> bool:
    """Route an httpx transport's sockets through ``guard``; False if it has no socket pool.

    httpx exposes no total deadline, so this reaches its httpcore pool's network backend. A
    transport without one (a test's MockTransport) still has the deadline checked between
    body chunks and after the headers.
    """
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if pool is None or not isinstance(backend, httpcore.NetworkBackend):
        return False
    if not isinstance(backend, _GuardedBackend):
        pool._network_backend = _GuardedBackend(backend, guard)
    return True


def tls_context() -> ssl.SSLContext:
    """httpx's default verifying TLS context (certifi's bundle, or ``SSL_CERT_FILE`` /
    ``SSL_CERT_DIR``), built once per process and setting: building one reads the whole CA
    bundle, about 30 ms, which was most of a short scenario's cost (benchmarks/bench_scale.py).
    A context is safe to share between clients and threads."""
    return _tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=4)
def _tls_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    # The arguments are the cache key: httpx reads the same variables itself.
    return httpx.create_ssl_context()


def _env_proxy(url: str) -> str | None:
    """The proxy the environment (HTTPS_PROXY, ALL_PROXY, NO_PROXY) names for ``url``."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    host = parts.hostname or ""
    # A loopback endpoint is never reached through a proxy: a key allowed over plain http
    # because it stays on this machine must not travel to a proxy elsewhere.
    if not proxies or is_loopback(normalise_host(host)) or urllib.request.proxy_bypass(host):
        return None
    return proxies.get(parts.scheme) or proxies.get("all")


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def reply_usage(provider: str, body: Any) -> Usage | None:
    """The token usage a response reports (Chat Completions: ``usage.prompt_tokens`` and
    ``completion_tokens``; Anthropic: ``usage.input_tokens`` and ``output_tokens``), or None if
    it reports none. A number that is not a count is treated as not reported: replay then
    counts that side itself, never trusts a malformed figure."""
    usage = body.get("usage") if isinstance(body, Mapping) else None
    if not isinstance(usage, Mapping):
        return None
    keys = (
        ("input_tokens", "output_tokens")
        if provider == ANTHROPIC
        else ("prompt_tokens", "completion_tokens")
    )
    found = Usage(_count(usage.get(keys[0])), _count(usage.get(keys[1])))
    return None if found == Usage() else found


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
        clock: Callable[[], float] = time.monotonic,
        max_body_bytes: int = MAX_BODY_BYTES,
        gate: Gate | None = None,
    ) -> None:
        self.spec = spec
        self._gate = gate
        """The run's shared rate limits (replay.limits), if it has any."""
        self.name = f"{spec.provider}:{spec.model}"
        self.cassette = cassette
        self._sleep = sleep
        self._clock = clock
        self.max_body_bytes = max_body_bytes
        env = os.environ if environ is None else environ
        raw = env.get(spec.api_key_env) if spec.api_key_env else None
        offline = bool(cassette and cassette.offline)
        # Both forms are redacted: the value as read (with its newline) and the key as used.
        self._secrets: tuple[str, ...] = tuple(v for v in {raw, (raw or "").strip()} if v)
        self._key: str | None = None
        if spec.api_key_env:
            try:
                self._key = normalise_api_key(raw, spec.api_key_env)
            except ModelError:
                if not offline:
                    raise
            if self._key is None and not offline:
                state = "is not set" if raw is None else "is empty"
                raise ModelError(
                    f"environment variable {spec.api_key_env} {state}; export the API key "
                    "there (the scenario's agent.model.api_key_env names it), or replay from "
                    "a cassette"
                )
        self.route: CredentialRoute | None = None
        if spec.api_key_env:
            # Fail closed, before any connection: the CLI checked the same rule before the
            # run, and a caller of the Python API gets it here (docs/security.md).
            try:
                hosts = spec.allowed_hosts | allowed_hosts(environ=env)
            except ValueError as exc:
                raise CredentialRefused(f"{self.name}: {exc}; nothing was sent") from None
            self.route = credential_route(spec.provider, spec.url, spec.api_key_env, hosts)
            self._refuse_unless_allowed()
        self._transport = transport
        self._guard = _DeadlineGuard(clock)
        self._http: httpx.Client | None = None

    # -- the Model protocol

    def reply(self, request: ModelRequest) -> Reply:
        return self.complete_reply(request.messages)

    def complete_text(self, messages: Sequence[Message]) -> str:
        """Send ``messages`` and return the reply text (ModelError if that is impossible)."""
        return self.complete_reply(messages).text

    def complete_reply(self, messages: Sequence[Message]) -> Reply:
        """Send ``messages``; the reply's text and the usage the provider reported."""
        body = self.complete(self.payload(messages))
        try:
            if self.spec.provider == ANTHROPIC:
                return Reply(anthropic_reply_text(body), reply_usage(ANTHROPIC, body))
            return Reply(openai_reply_text(body), reply_usage(self.spec.provider, body))
        except ValueError as exc:
            raise ModelError(
                redact(f"{self.name}: unexpected response: {exc}", self._secrets)
            ) from None

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
        never touched. A network response has the key redacted (in every form) before it is
        returned or recorded.
        """
        cassette = self.cassette
        if cassette is not None:
            found = cassette.lookup(self.spec.provider, body)
            if found is not None:
                return redact_data(found, self._secrets)
            if cassette.offline:
                raise ModelError(
                    f"{self.name}: request not in cassette {cassette.path} (offline replay): "
                    "the conversation or the prompts changed since it was recorded; re-record "
                    "with --record"
                )
        response = redact_data(self._send(body), self._secrets)
        if cassette is not None:
            cassette.record(self.spec.provider, body, response, secrets=self._secrets)
        return response

    @property
    def secrets(self) -> tuple[str, ...]:
        """The key as read and as used, for callers that redact their own output."""
        return self._secrets

    def _refuse_unless_allowed(self) -> None:
        route = self.route
        if route is not None and not route.allowed:
            raise CredentialRefused(
                f"{self.name}: refused to send the credential ${route.variable} to "
                f"{route.host} ({route.url}): {route.reason}. Nothing was sent."
            )

    def headers(self) -> dict[str, str]:
        # Checked again where the key enters a request: no code path sends it unchecked.
        self._refuse_unless_allowed()
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
            if self._transport is not None:
                self._http = httpx.Client(timeout=self.spec.timeout, transport=self._transport)
            else:
                proxy = _env_proxy(self.spec.url)
                transport = httpx.HTTPTransport(proxy=proxy, verify=tls_context())
                _guard_transport(transport, self._guard)
                self._http = httpx.Client(timeout=self.spec.timeout, transport=transport)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
        if self.cassette is not None:
            self.cassette.close()

    def _send(self, body: Mapping[str, Any]) -> Any:
        retry = self.spec.retry
        # From the first attempt's start: waiting for the run's rate limits is not the
        # endpoint's fault, so it does not count against max_retry_time.
        deadline = self._clock() + retry.max_time
        attempts: list[str] = []

        def stop(state: RetryCallState) -> bool:
            # The elapsed total, measured with the client's clock: no wait may end past it.
            return (
                state.attempt_number >= retry.max_attempts
                or self._clock() + state.upcoming_sleep >= deadline
            )

        def attempt_once() -> Any:
            nonlocal deadline
            if self._gate is None:
                return self._attempt(body, deadline)
            estimate = estimated_tokens(body)
            lease = self.spec.timeout + LEASE_MARGIN
            with self._gate.slot(self.spec.provider, estimate, lease) as slot:
                if not attempts:
                    deadline = self._clock() + retry.max_time
                try:
                    response = self._attempt(body, deadline)
                except _Retryable as exc:
                    if exc.retry_after is not None:  # everyone waits what this client would
                        slot.retry_after = min(exc.retry_after, retry.max_wait)
                    raise
                usage = reply_usage(self.spec.provider, response)
                if usage is not None:  # else the limiter keeps its estimate
                    slot.used = (usage.input_tokens or 0) + (usage.output_tokens or 0)
                return response

        retrying = Retrying(
            stop=stop,
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    try:
                        return attempt_once()
                    except _Retryable as exc:
                        attempts.append(exc.reason)
                        raise
        except _Retryable as exc:
            raise ModelError(
                redact(
                    f"{self.name}: gave up after {count_words(len(attempts), 'attempt')} "
                    f"(limits: {retry.max_attempts} attempts, {retry.max_time:g}s): {exc.reason}",
                    self._secrets,
                )
            ) from None
        except _DeadlinePassed as exc:
            raise ModelError(
                redact(
                    f"{self.name}: deadline passed: no complete answer within max_retry_time="
                    f"{retry.max_time:g}s (the wall-clock limit for all attempts of one request, "
                    f"from its start) after {count_words(len(attempts) + 1, 'attempt')}: {exc}",
                    self._secrets,
                )
            ) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _wait(self, state: RetryCallState) -> float:
        retry = self.spec.retry
        exc = state.outcome.exception() if state.outcome else None
        hint = exc.retry_after if isinstance(exc, _Retryable) else None
        backoff = retry.initial_wait * 2 ** (state.attempt_number - 1)
        return float(min(retry.max_wait, hint if hint is not None else backoff))

    def _fail(self, text: str) -> ModelError:
        return ModelError(redact(f"{self.name}: {text}", self._secrets))

    def _attempt(self, body: Mapping[str, Any], deadline: float) -> Any:
        """One attempt, done within ``timeout`` seconds and before ``deadline``, or raising."""
        url = self.spec.url
        started = self._clock()
        per_attempt = started + self.spec.timeout
        until = min(per_attempt, deadline)

        def passed() -> Exception:
            if until >= deadline:
                return _DeadlinePassed(f"calling {url}")
            return _Retryable(
                f"timed out: no complete answer within the {self.spec.timeout:g}s deadline of "
                f"one attempt (timeout, wall-clock) calling {url}"
            )

        key_hint = f" (check the key in {self.spec.api_key_env})" if self.spec.api_key_env else ""
        left = until - started
        if left <= 0:
            raise passed()
        client = self._client()
        try:
            request = client.build_request(
                "POST",
                url,
                content=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                headers=self.headers(),
                timeout=httpx.Timeout(min(self.spec.timeout, left)),
            )
        except httpx.InvalidURL as exc:
            raise self._fail(f"invalid URL {url} (check base_url): {exc}") from None
        except (httpx.HTTPError, ValueError, TypeError):  # UnicodeError is a ValueError
            raise self._fail(
                f"could not build the request to {url}: invalid header{key_hint}"
            ) from None
        self._guard.at = until
        try:
            response = client.send(request, stream=True)
            try:
                status = response.status_code
                limit = self.max_body_bytes if status < 400 else ERROR_BODY_BYTES
                data = self._read(response, url, limit, until, passed)
            finally:
                response.close()
        except httpx.TimeoutException:
            if self._clock() >= until:
                raise passed() from None
            raise _Retryable(f"timed out after {self.spec.timeout:g}s calling {url}") from None
        except httpx.LocalProtocolError:
            # Raised before anything is sent (e.g. a header value h11 refuses); its text can
            # hold the header, so it is never shown; another attempt would fail alike.
            raise self._fail(
                f"could not send the request to {url}: invalid request{key_hint}"
            ) from None
        except httpx.DecodingError:
            raise self._fail(
                f"{url} answered with a body that cannot be decoded (its Content-Encoding "
                "is corrupt or unknown)"
            ) from None
        except (httpx.UnsupportedProtocol, httpx.ProxyError) as exc:
            # Configuration, not a passing fault: another attempt would fail alike.
            raise self._fail(f"cannot call {url}: {type(exc).__name__}: {exc}") from None
        except httpx.TransportError as exc:
            reason = redact(f"{type(exc).__name__}: {exc}", self._secrets)
            raise _Retryable(f"connection failed calling {url} ({reason})") from None
        except httpx.HTTPError as exc:  # e.g. a stream error: no answer, and never a pass
            raise self._fail(f"calling {url} failed: {type(exc).__name__}: {exc}") from None
        finally:
            self._guard.at = None
        excerpt = self._excerpt(data)
        if status in RETRY_STATUSES:
            raise _Retryable(
                f"HTTP {status} from {url}: {excerpt}",
                retry_after(response.headers),
            )
        if status >= 400:
            hint = (
                f"; check the key in {self.spec.api_key_env}"
                if status in (401, 403) and self.spec.api_key_env
                else ""
            )
            raise self._fail(f"HTTP {status} from {url}: {excerpt}{hint}")
        try:
            return json.loads(data)
        except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError too
            raise self._fail(
                f"{url} answered HTTP {status} with a body that is not JSON: {excerpt!r}"
            ) from None

    def _read(
        self,
        response: httpx.Response,
        url: str,
        limit: int,
        until: float,
        passed: Callable[[], Exception],
    ) -> bytes:
        """The decoded body, at most ``limit`` bytes (an error body is cut, a reply refused)."""
        status = response.status_code
        declared = response.headers.get("content-length", "")
        if status < 400 and declared.isdigit() and int(declared) > limit:
            raise self._fail(
                f"{url} answered with a {int(declared)}-byte body, over the "
                f"{limit}-byte limit; refused"
            )
        data = bytearray()
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > limit:
                if status < 400:
                    raise self._fail(
                        f"{url} answered with a body over the {limit}-byte limit (decompressed); "
                        "refused"
                    )
                break
            if self._clock() >= until:
                raise passed()
        if self._clock() >= until:
            raise passed()
        return bytes(data)

    def _excerpt(self, data: bytes, limit: int = 300) -> str:
        text = data[: limit * 4].decode("utf-8", "replace")
        text = redact(text, self._secrets).strip().replace("\n", " ")
        return text if len(text) <= limit else text[:limit] + "..."


class CredentialRefused(ModelError):
    """A credential would go to a host the rule does not allow; nothing was sent."""
