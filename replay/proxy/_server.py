"""The recording proxy: an OpenAI- and Anthropic-compatible endpoint on 127.0.0.1.

An agent in any language, pointed at the proxy with its usual base-URL setting, has every model
request recorded with the exact messages the model received, then answered by a *backend*:
replay's simulator or scripted model, a live model client (with retries and cassettes), or a raw
upstream URL (requests forwarded as they are, credentials included). It serves OpenAI Chat
Completions, the OpenAI Responses API and Anthropic Messages (the wire formats live in
:mod:`replay.wire`), streamed (``"stream": true``, Server-Sent Events) or not.

An upstream's answer reaches the agent as the upstream sent it: its status, its end-to-end
headers and its body byte for byte, a stream relayed chunk by chunk as it arrives (the proxy's
own framing replaces only the hop-by-hop headers). The recorded reply is parsed from those same
bytes. This is how the checks see a framework's real compaction without changing the agent's
path.

Data flow: HTTP request -> :class:`~replay.wire.WireRequest` -> :class:`CallRecorder` (trace
messages, created once each through the MessageFactory and deduplicated across calls so the
trace stays linear) -> backend -> :class:`~replay.wire.WireReply` (and, from an upstream, its
bytes) -> HTTP response, and a :class:`~replay.trace.ModelCall` for the turn.
"""

from __future__ import annotations

import hmac
import json
import socket
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from secrets import token_urlsafe
from typing import Any

from replay.models._base import ModelError
from replay.models._cassettes import redact
from replay.models._wire import (
    CHAT,
    MESSAGES,
    RESPONSES,
    WireError,
    WireMessage,
    WireReply,
    new_id,
    parse_request,
    render_json,
    render_sse,
    render_sse_error,
)
from replay.proxy._backends import (
    SUMMARIZER_MODEL,
    Answer,
    Backend,
    ProxyRequest,
    Relay,
    UpstreamFailure,
    UpstreamResponse,
)
from replay.proxy._headers import credential_values
from replay.proxy._recorder import CallRecorder, ResponseStore, _pairs
from replay.trace._records import (
    Message,
)

STOPPING = "replay proxy: the proxy is stopping; this request was not answered"
INTERRUPTED = "interrupted: the proxy was stopped while this model call was unanswered"
LEFT_BEHIND = "interrupted: the agent answered its turn while this model call was still unanswered"
MAX_BODY = 16 * 1024 * 1024
"""Largest request body the proxy reads (bytes); a larger one is answered 413, unread."""
GENERATE = "generate"
"""RecordingProxy's default credential: a fresh random one per proxy."""
OPENAI_PATHS = ("/v1/chat/completions", "/chat/completions")
ANTHROPIC_PATHS = ("/v1/messages", "/messages")
RESPONSES_PATHS = ("/v1/responses", "/responses")
COMPACT_PATHS = ("/v1/responses/compact", "/responses/compact")
SERVER_COMPACTION_REFUSED = (
    "replay proxy: POST /v1/responses/compact (server-side compaction, e.g. the OpenAI Agents "
    "SDK's OpenAIResponsesCompactionSession) is not served: its result is an encrypted item, "
    "so what the model reads after it could not be checked. Test the agent with a client-side "
    "session (SQLiteSession with SessionSettings(limit=...), or your own summarizing session)"
)
API_OF_PATH = {
    **dict.fromkeys(OPENAI_PATHS, CHAT),
    **dict.fromkeys(ANTHROPIC_PATHS, MESSAGES),
    **dict.fromkeys(RESPONSES_PATHS, RESPONSES),
}


# ----------------------------------------------------------------------------- the server


class RecordingProxy:
    """The proxy server; ``start()`` serves in a background thread until ``stop()``."""

    def __init__(
        self,
        recorder: CallRecorder,
        backend: Backend,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        model_name: str = "replay-proxy",
        before_call: Callable[[Sequence[tuple[str, str]], str | None], None] | None = None,
        credential: str | None = GENERATE,
        max_body: int = MAX_BODY,
    ) -> None:
        self.credential = token_urlsafe(24) if credential == GENERATE else credential
        """The per-run secret path prefix every request must carry (``None``: no check, for
        an agent whose base URL was fixed before the run, the ``http`` adapter's)."""
        self.recorder = recorder
        self.backend = backend
        self.model_name = model_name
        self.before_call = before_call
        """Called first with each request's wire messages and the model it names (the
        standalone proxy finds turns there)."""
        self._calls = threading.Lock()
        self._record = threading.Lock()
        """Held while a request's messages are resolved and while its call is recorded (never
        while a backend answers), so :meth:`interrupt` cannot race a handler."""
        self._pending: list[_Pending] = []
        self._answered = threading.Condition(self._record)
        """Notified whenever a pending request is answered or dropped."""
        self._closing = False
        self.interrupted = 0
        """Requests the proxy stopped before answering: recorded as interrupted calls, or, if
        they arrived while it was stopping, refused (503)."""
        self._secrets: set[str] = set()
        self._secrets_lock = threading.Lock()
        self.max_body = max_body
        self.responses = ResponseStore()
        """The Responses API state this proxy served or relayed (``previous_response_id``)."""
        handler = type("_Handler", (_Handler,), {"proxy": self})
        self._server = _Server((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def origin(self) -> str:
        """Scheme, host and port, without the credential: not a base URL any agent can use."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The proxy's root, credential included (the Anthropic base URL)."""
        prefix = f"/{self.credential}" if self.credential else ""
        return f"{self.origin}{prefix}"

    @property
    def openai_base_url(self) -> str:
        """What an OpenAI client's base URL should be set to (credential included)."""
        return f"{self.url}/v1"

    @property
    def anthropic_base_url(self) -> str:
        """What an Anthropic client's base URL should be set to (credential included)."""
        return self.url

    def authorized_path(self, path: str) -> str | None:
        """``path`` without the credential prefix, or None if it does not carry the
        credential (compared in constant time)."""
        if self.credential is None:
            return path
        head, sep, rest = path.lstrip("/").partition("/")
        if not hmac.compare_digest(head.encode(), self.credential.encode()):
            return None
        return "/" + rest if sep else "/"

    def start(self) -> RecordingProxy:
        # A short poll: stop() waits for the serving loop to notice, and with the default
        # 0.5 s every adapter run (and every fuzz example) idled that long on shutdown.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="replay-proxy",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving; every request still unanswered is recorded as interrupted."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()
        self.interrupt()
        close = getattr(self.backend, "close", None)
        if callable(close):
            close()

    def settle(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for the requests in flight to be answered; return how
        many are still unanswered (an answer being written back is a matter of milliseconds;
        a call the agent left behind is not)."""
        with self._answered:
            self._answered.wait_for(lambda: not self._pending, timeout)
            return len(self._pending)

    def interrupt(self, reason: str = INTERRUPTED) -> int:
        """Record every request still unanswered as a failed call (fail closed), refuse new ones.

        A request waiting its turn (another call was being answered) is recorded too, with the
        messages it carried: the agent asked, the model never answered. Returns how many.
        """
        with self._record:
            self._closing = True
            pending, self._pending = self._pending, []
            for item in pending:
                item.interrupted = True
                if item.inputs is None:
                    try:
                        item.inputs = self._resolve(item.wire, item.model)
                    except RefusedRequest:
                        continue  # it would have been refused: the splitter recorded why
                self.recorder.record_call(self.backend.name, item.inputs, None, reason)
            self.interrupted += len(pending)
            return len(pending)

    def _resolve(self, wire: Sequence[WireMessage], model: str | None) -> list[Message]:
        if self.before_call is not None:
            self.before_call(_pairs(wire), model)
        return self.recorder.resolve(wire, summarizing=model == SUMMARIZER_MODEL)

    def secrets(self) -> tuple[str, ...]:
        """Credentials to redact from error text: agents' auth header values, live API keys,
        the proxy's own per-run credential."""
        found = getattr(self.backend, "secrets", None)
        with self._secrets_lock:
            seen = tuple(self._secrets)
        own = (self.credential,) if self.credential else ()
        return own + seen + (tuple(found()) if callable(found) else ())

    def _remember_credentials(self, headers: Mapping[str, str]) -> None:
        # Kept in memory only, to be redacted from any error text an agent might echo.
        with self._secrets_lock:
            self._secrets.update(credential_values(headers))

    def handle(
        self,
        provider: str,
        body: Any,
        headers: Mapping[str, str],
        relay: Relay | None = None,
        raw: bytes = b"",
    ) -> Outcome:
        """Answer one request of API ``provider``; the caller sends the :class:`Outcome`.

        With ``relay``, a streaming backend may already have sent the answer through it
        (``relay`` knows whether it started).
        """
        self._remember_credentials(headers)
        try:
            request = parse_request(provider, body)
        except WireError as exc:
            return Outcome(400, _error(provider, f"replay proxy: {exc}", "invalid_request_error"))
        item = _Pending(request.messages, request.model)
        with self._record:
            if self._closing:
                # Too late to be recorded, but the agent asked and was not answered: the
                # recording is not whole (serve() then marks the trace unfinished).
                self.interrupted += 1
                return Outcome(503, _error(provider, STOPPING, "api_error"))
            self._pending.append(item)
        # One call at a time: the trace is a sequence, and an agent under test waits for its
        # model anyway.
        with self._calls:
            chain: tuple[WireMessage, ...] = ()
            unknown: str | None = None
            if provider == RESPONSES:
                # Server-side state: the model reads the stored conversation, then the input.
                expanded, chain, unknown = self.responses.expand(request)
                request = replace(request, messages=expanded)
            with self._record:
                if item.interrupted:
                    return Outcome(503, _error(provider, STOPPING, "api_error"))
                item.wire = request.messages
                try:
                    inputs = item.inputs = self._resolve(item.wire, item.model)
                except RefusedRequest as exc:
                    self._pending.remove(item)
                    self._answered.notify_all()
                    return Outcome(exc.status, _error(provider, str(exc), "invalid_request_error"))
            proxied = ProxyRequest(
                provider, body, inputs, self.recorder, headers, relay, raw, request
            )
            answer: Answer | None = None
            reason: str | None = None
            upstream: UpstreamResponse | None = None
            try:
                found = self.backend.answer(proxied)
                answer = found if isinstance(found, Answer) else Answer(WireReply(found))
                if answer.upstream is None and answer.reply.id is None:
                    # The proxy renders this reply: it names it, as the API would.
                    answer = Answer(replace(answer.reply, id=new_id(provider)))
            except UpstreamFailure as exc:
                reason = redact(str(exc), self.secrets())
                upstream = exc.response
            except ModelError as exc:
                reason = redact(str(exc), self.secrets())
            with self._record:
                if item.interrupted:  # recorded as interrupted meanwhile: the answer is too late
                    return Outcome(503, _error(provider, STOPPING, "api_error"))
                self._pending.remove(item)
                reply = None if answer is None else answer.reply
                self.recorder.record_call(
                    self.backend.name,
                    inputs,
                    reply,
                    reason,
                    request=request,
                    input_unknown=unknown,
                )
                self._answered.notify_all()
            if provider == RESPONSES and reply is not None and reply.id is not None:
                self.responses.remember(reply.id, chain, reply, unknown)
            if reason is not None:
                error = _error(provider, f"replay proxy: {reason}", "api_error")
                # An upstream's own error answer reaches the agent as it was sent.
                return Outcome(502 if upstream is None else upstream.status, error, None, upstream)
            assert answer is not None
            return Outcome(200, None, answer.reply, answer.upstream)


@dataclass(frozen=True)
class Outcome:
    """How the proxy answers one request: an upstream's answer to relay as it is, a reply to
    render, or an error body (with its status)."""

    status: int
    error: dict[str, Any] | None = None
    reply: WireReply | None = None
    upstream: UpstreamResponse | None = None


class RefusedRequest(Exception):
    """Raised by a ``before_call`` hook: the request is answered ``status`` with this message
    and not recorded."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class _Pending:
    """A request the proxy received and has not answered yet."""

    wire: Sequence[WireMessage]
    model: str | None
    inputs: list[Message] | None = None
    """Its messages as trace messages, once resolved."""
    interrupted: bool = False


def _error(provider: str, message: str, kind: str) -> dict[str, Any]:
    if provider == MESSAGES:
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind}}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    """The listen backlog: the default 5 refused connections from 50-200 concurrent clients."""


class _Handler(BaseHTTPRequestHandler):
    proxy: RecordingProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines go nowhere: headers and URLs may carry credentials.
        return

    def _authorized(self, method: str) -> str | None:
        """The request's path without the credential; or None, the request refused (401,
        logged without the path, which may hold a guess at the credential or a secret)."""
        path = self.proxy.authorized_path(self.path.split("?", 1)[0])
        if path is not None:
            return path
        self.close_connection = True  # its body is never read
        client = f"{self.client_address[0]}:{self.client_address[1]}"
        print(
            f"replay proxy: refused {method} from {client}: the path does not carry this "
            "run's credential (not recorded)",
            file=sys.stderr,
            flush=True,
        )
        self._json(
            401,
            {
                "error": {
                    "message": "replay proxy: this request does not carry the proxy's per-run "
                    "credential (the path prefix of the base URL replay gave the agent); it was "
                    "refused and not recorded",
                    "type": "authentication_error",
                }
            },
        )
        return None

    def do_GET(self) -> None:
        path = self._authorized("GET")
        if path is None:
            return
        if path.rstrip("/") in ("/v1/models", "/models"):
            self._json(200, {"object": "list", "data": [{"id": self.proxy.model_name}]})
            return
        self._json(404, {"error": {"message": f"no such endpoint: GET {path}"}})

    def do_POST(self) -> None:
        authorized = self._authorized("POST")
        if authorized is None:
            return
        path = authorized.rstrip("/")
        provider = API_OF_PATH.get(path)
        raw = self._body()
        if raw is None:
            return
        if path in COMPACT_PATHS:
            self._json(501, _error(RESPONSES, SERVER_COMPACTION_REFUSED, "not_implemented"))
            return
        if provider is None:
            self._json(404, {"error": {"message": f"no such endpoint: POST {path}"}})
            return
        try:
            body = json.loads(raw or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            self._json(400, _error(provider, "replay proxy: body is not JSON", "invalid_request"))
            return
        if not isinstance(body, dict):
            self._json(400, _error(provider, "replay proxy: body must be an object", "invalid"))
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        relay = _StreamRelay(self) if body.get("stream") else None
        outcome = self.proxy.handle(provider, body, headers, relay, raw)
        if relay is not None and relay.started:
            # The backend relayed the upstream's stream as it arrived. A failure midway (a cut
            # stream, an error event) was recorded; the agent gets an error event to end it,
            # so a broken stream never reads as whole.
            if outcome.error is not None:
                message = str(outcome.error.get("error", {}).get("message", "replay proxy"))
                relay.send(render_sse_error(provider, message))
            self.close_connection = True
            return
        if outcome.upstream is not None:
            self._relay(outcome.upstream)
            return
        if outcome.reply is None:
            self._json(outcome.status, outcome.error or {})
            return
        model = str(body.get("model") or self.proxy.model_name)
        if relay is not None:
            relay.start()
            for chunk in render_sse(provider, model, outcome.reply):
                relay.send(chunk)
            self.close_connection = True
            return
        self._json(200, render_json(provider, model, outcome.reply))

    def _relay(self, upstream: UpstreamResponse) -> None:
        """Send an upstream's whole answer as it was (only the framing headers are ours)."""
        reason = self.responses.get(upstream.status, ("",))[0]
        head = [f"{self.protocol_version} {upstream.status} {reason}"]
        head.extend(f"{k}: {v}" for k, v in upstream.headers)
        head.append(f"content-length: {len(upstream.body)}")
        if self.close_connection:
            head.append("connection: close")
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + upstream.body)

    def setup(self) -> None:
        super().setup()
        # Each answer is one write (head and body together), and small writes go out at once:
        # Nagle's algorithm meeting the client's delayed ACK cost ~40 ms per answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _body(self) -> bytes | None:
        """The request body (Content-Length or chunked), or None once a clean 4xx was sent:
        bad or missing length 400/411, larger than the proxy's limit 413 (never read)."""
        limit = self.proxy.max_body
        if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
            return self._chunked(limit)
        value = self.headers.get("content-length")
        if value is None:
            return self._refuse(411, "a request body needs a Content-Length (or chunked encoding)")
        if not value.strip().isdigit():
            return self._refuse(400, "bad Content-Length header")
        length = int(value)
        if length > limit:
            return self._refuse(413, f"request body of {length} bytes exceeds the limit {limit}")
        raw = self.rfile.read(length)
        if len(raw) < length:
            return self._refuse(400, "the request body ended before its Content-Length")
        return raw

    def _chunked(self, limit: int) -> bytes | None:
        parts: list[bytes] = []
        size = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                chunk = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                return self._refuse(400, "bad chunked request body")
            if chunk < 0:
                return self._refuse(400, "bad chunked request body")
            if chunk == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers: ignored
                return b"".join(parts)
            size += chunk
            if size > limit:
                return self._refuse(413, f"request body exceeds the limit {limit} bytes")
            data = self.rfile.read(chunk)
            if len(data) < chunk or self.rfile.readline(1024).strip():
                return self._refuse(400, "bad chunked request body")
            parts.append(data)

    def _refuse(self, status: int, message: str) -> bytes | None:
        """Answer a request whose body cannot be read; None (no body), for ``return``."""
        self.close_connection = True  # what is left of the body is never read
        self._json(status, {"error": {"message": f"replay proxy: {message}", "type": "invalid"}})
        return None

    def _json(self, status: int, data: Any) -> None:
        payload = json.dumps(data).encode()
        reason = self.responses.get(status, ("",))[0]
        head = [
            f"{self.protocol_version} {status} {reason}",
            "content-type: application/json",
            f"content-length: {len(payload)}",
        ]
        if self.close_connection:
            head.append("connection: close")
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload)


class _StreamRelay:
    """Sends an SSE answer to the agent piece by piece, flushing each piece at once."""

    def __init__(self, handler: _Handler) -> None:
        self.handler = handler
        self.started = False
        self.gone = False

    def start(self, status: int = 200, headers: Sequence[tuple[str, str]] | None = None) -> None:
        handler = self.handler
        if headers is None:
            headers = (("content-type", "text/event-stream"), ("cache-control", "no-cache"))
        reason = handler.responses.get(status, ("",))[0]
        # The stream ends when the connection closes: no length, no chunked framing.
        lines = [f"{handler.protocol_version} {status} {reason}"]
        lines.extend(f"{k}: {v}" for k, v in headers)
        lines.append("connection: close")
        self.started = True
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def send(self, data: bytes) -> None:
        if self.gone:
            return
        try:
            self.handler.wfile.write(data)
            self.handler.wfile.flush()
        except OSError:
            # The agent hung up; the upstream's reply is still read to the end and recorded.
            self.gone = True
