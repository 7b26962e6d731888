"""The recording proxy: an OpenAI- and Anthropic-compatible endpoint on 127.0.0.1.

An agent in any language, pointed at the proxy with its usual base-URL setting, has every model
request recorded with the exact messages the model received, then answered by a *backend*:
replay's simulator or scripted model, a live model client (with retries and cassettes), or a raw
upstream URL (requests forwarded as they are, credentials included). Streamed requests
(``"stream": true``) are answered as Server-Sent Events; an upstream's SSE stream is read to the
end and its deltas reassembled into the recorded reply before the proxy streams it on (so the
agent sees the whole reply at once, not token by token). This is how the checks see a
framework's real compaction.

Data flow: HTTP request -> wire messages -> :class:`CallRecorder` (trace messages, created once
each through the MessageFactory and deduplicated across calls so the trace stays linear) ->
backend -> reply text -> HTTP response, and a :class:`~replay.trace.ModelCall` for the turn.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

import httpx

from replay.agents import MessageFactory
from replay.cassettes import Cassette
from replay.clients import ANTHROPIC, OPENAI, anthropic_reply_text, openai_reply_text, redact
from replay.models import Model, ModelError, ModelRequest
from replay.summarizers import ExtractiveSummarizer, Summarizer, SummarizerError
from replay.tokens import TOKENS_PER_REPLY_PRIMING
from replay.trace import (
    MARKER,
    PROMPT,
    REPLY,
    SUMMARY,
    SYSTEM,
    USER,
    CompactionEvent,
    Message,
    ModelCall,
    TurnRecord,
)

SUMMARIZER_MODEL = "replay-summarizer"
"""Requests naming this model are answered by replay's summarizer, not by the reply model."""
OPENAI_PATHS = ("/v1/chat/completions", "/chat/completions")
ANTHROPIC_PATHS = ("/v1/messages", "/messages")
# Headers an agent sends that the upstream needs; never written anywhere.
FORWARDED_HEADERS = (
    "authorization",
    "x-api-key",
    "api-key",
    "anthropic-version",
    "anthropic-beta",
    "openai-organization",
    "openai-project",
)


# ----------------------------------------------------------------------------- wire formats


def _text_of(content: Any) -> str:
    """Message content as text: a string, or the text parts of a list of content blocks."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, Mapping) and isinstance(block.get("text"), str):
                parts.append(block["text"])
        return "".join(parts)
    raise ValueError(f"message content must be text or a list of blocks, got {content!r}")


def wire_messages(provider: str, body: Any) -> list[tuple[str, str]]:
    """The (role, text) messages of a request body, in the order the model reads them."""
    if not isinstance(body, Mapping) or not isinstance(body.get("messages"), list):
        raise ValueError("the request body needs a 'messages' list")
    out: list[tuple[str, str]] = []
    if provider == ANTHROPIC and body.get("system"):
        out.append(("system", _text_of(body["system"])))
    for item in body["messages"]:
        if not isinstance(item, Mapping) or not isinstance(item.get("role"), str):
            raise ValueError(f"each message needs a 'role', got {item!r}")
        role = item["role"]
        # developer: OpenAI's newer name for the system role; function: the old tool role.
        role = {"developer": "system", "function": "tool"}.get(role, role)
        if role not in ("system", "user", "assistant", "tool"):
            raise ValueError(f"unknown message role {role!r}")
        out.append((role, _text_of(item.get("content"))))
    return out


def response_body(provider: str, model: str, text: str) -> dict[str, Any]:
    """A complete (non-streamed) response carrying ``text``, in the provider's format."""
    if provider == ANTHROPIC:
        return {
            "id": f"msg_{uuid.uuid4().hex[:24]}",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 0, "output_tokens": 0},
        }
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def _chunks(text: str, size: int = 24) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def sse_events(provider: str, model: str, text: str) -> Iterator[bytes]:
    """``text`` as the provider's Server-Sent Events stream."""

    def event(data: Any, name: str | None = None) -> bytes:
        head = f"event: {name}\n" if name else ""
        return f"{head}data: {json.dumps(data)}\n\n".encode()

    if provider == ANTHROPIC:
        message = response_body(provider, model, "")
        message["content"] = []
        yield event({"type": "message_start", "message": message}, "message_start")
        start = {"type": "content_block_start", "index": 0}
        yield event({**start, "content_block": {"type": "text", "text": ""}}, "content_block_start")
        for piece in _chunks(text):
            delta = {"type": "text_delta", "text": piece}
            yield event(
                {"type": "content_block_delta", "index": 0, "delta": delta}, "content_block_delta"
            )
        yield event({"type": "content_block_stop", "index": 0}, "content_block_stop")
        yield event(
            {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {}},
            "message_delta",
        )
        yield event({"type": "message_stop"}, "message_stop")
        return
    base: dict[str, Any] = {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
    }
    first = True
    for piece in _chunks(text):
        delta = {"role": "assistant", "content": piece} if first else {"content": piece}
        first = False
        yield event({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
    yield event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    yield b"data: [DONE]\n\n"


class SSEAssembler:
    """Reassembles the reply text from a provider's SSE stream, line by line."""

    def __init__(self, provider: str) -> None:
        self.provider = provider
        self.parts: list[str] = []

    def feed(self, line: str) -> None:
        line = line.strip()
        if not line.startswith("data:"):
            return
        data = line[5:].strip()
        if not data or data == "[DONE]":
            return
        try:
            event = json.loads(data)
        except json.JSONDecodeError:
            return
        if self.provider == ANTHROPIC:
            delta = event.get("delta") if event.get("type") == "content_block_delta" else None
            if isinstance(delta, Mapping) and isinstance(delta.get("text"), str):
                self.parts.append(delta["text"])
            return
        for choice in event.get("choices") or ():
            content = (choice.get("delta") or {}).get("content")
            if isinstance(content, str):
                self.parts.append(content)

    @property
    def text(self) -> str:
        return "".join(self.parts)


# ----------------------------------------------------------------------------- recording


@dataclass(frozen=True)
class TurnContext:
    """What the proxy knows of the scripted turn under way (for the simulator and the trace)."""

    turn: int = 0
    minutes: float = 0.0
    probe: bool = False
    text: str | None = None
    scripted_reply: str | None = None


@dataclass(frozen=True)
class CapturedTurn:
    """What the proxy recorded during one turn."""

    messages: tuple[Message, ...]
    calls: tuple[ModelCall, ...]
    compactions: tuple[CompactionEvent, ...]
    reply: Message | None


class CallRecorder:
    """Turns the wire messages an endpoint receives into trace messages and model calls.

    Each distinct message is created once (annotated once) and reused by later calls that send
    it again: a wire message maps to the most recent live message with the same role and text.
    "Live" means it was in the previous call's input or output, or was created since, so a
    message that left the context and comes back (a user saying "thanks" twice) is a new one.
    Between reply calls, messages that left the model's input are recorded as an observed
    compaction event, with the disclosures the context lost.
    """

    def __init__(self, factory: MessageFactory, disclosures: Sequence[str]) -> None:
        self.factory = factory
        self.disclosures = tuple(disclosures)
        self.context = TurnContext()
        self._lock = threading.Lock()
        self._live: dict[tuple[str, str], list[Message]] = {}
        self._new: list[Message] = []
        self._calls: list[tuple[ModelCall, Message | None]] = []
        self._system_seen = False
        self._last_context: tuple[Message, ...] | None = None
        self._user: Message | None = None
        self._turn_inputs: list[Message] = []

    def begin_turn(self, context: TurnContext, user: Message | None = None) -> None:
        with self._lock:
            self.context = context
            self._user = user
            if user is not None:
                self._add_live(user)
                self._new.append(user)

    def _add_live(self, message: Message) -> None:
        self._live.setdefault((message.role, message.content), []).append(message)

    def resolve(self, wire: Sequence[tuple[str, str]]) -> list[Message]:
        """The trace messages for one call's input, creating the ones not seen before."""
        with self._lock:
            counts: dict[tuple[str, str], int] = {}
            for key in wire:
                counts[key] = counts.get(key, 0) + 1
            pools: dict[tuple[str, str], list[Message]] = {}
            for key, n in counts.items():
                known = self._live.get(key, [])
                pools[key] = list(known[-n:]) if len(known) >= n else list(known)
            out: list[Message] = []
            used: dict[tuple[str, str], int] = {}
            for position, key in enumerate(wire):
                i = used.get(key, 0)
                used[key] = i + 1
                pool = pools[key]
                if i < len(pool):
                    out.append(pool[i])
                    continue
                message = self._create(key, last=position == len(wire) - 1)
                pool.append(message)
                self._add_live(message)
                out.append(message)
            self._turn_inputs.extend(out)
            return out

    def _create(self, key: tuple[str, str], *, last: bool) -> Message:
        role, content = key
        context = self.context
        if role == "system" and not self._system_seen:
            kind = SYSTEM
            self._system_seen = True
        elif role == "assistant":
            kind = REPLY
        elif any(
            output is not None and output.content and output.content in content
            for _, output in self._calls
        ):
            kind = SUMMARY  # the framework put an earlier call's output back into the context
        elif role == "user" and context.text is not None and content == context.text:
            kind = USER
        elif last:
            kind = PROMPT
        else:
            kind = MARKER
        message = self.factory.make(
            role, content, kind=kind, turn=context.turn, minutes=context.minutes
        )
        self._new.append(message)
        return message

    def model_request(self, inputs: Sequence[Message]) -> ModelRequest:
        context = self.context
        return ModelRequest(
            messages=inputs,
            turn=context.turn,
            minutes=context.minutes,
            disclosures=self.disclosures,
            probe=context.probe,
            scripted_reply=context.scripted_reply,
        )

    def record_call(
        self, model: str, inputs: Sequence[Message], text: str | None, error: str | None = None
    ) -> None:
        """Record one call: its exact input and its output (or the error it ended with)."""
        with self._lock:
            context = self.context
            output = None
            if text is not None:
                output = self.factory.make(
                    "assistant", text, kind=REPLY, turn=context.turn, minutes=context.minutes
                )
                self._new.append(output)
                self._add_live(output)
            call = ModelCall(
                purpose="reply",
                model=model,
                input=tuple(m.id for m in inputs),
                input_tokens=sum(m.tokens for m in inputs) + TOKENS_PER_REPLY_PRIMING,
                output=None if output is None else output.id,
                error=error,
            )
            self._calls.append((call, output))

    def end_turn(self, reply_text: str | None) -> CapturedTurn:
        """Close the turn: classify its calls, find the reply, infer compaction events."""
        with self._lock:
            calls = self._calls
            messages = self._new
            self._calls, self._new = [], []
            by_id = {m.id: m for m in messages}
            reply_index = None
            for i in range(len(calls) - 1, -1, -1):
                output = calls[i][1]
                if output is not None and reply_text is not None and output.content == reply_text:
                    reply_index = i
                    break
            if reply_index is None and reply_text is None and self._user is not None:
                # No reply text to match (standalone proxy): the reply call is the last one
                # that sent this turn's user message.
                user_id = self._user.id
                for i in range(len(calls) - 1, -1, -1):
                    if user_id in calls[i][0].input:
                        reply_index = i
                        break
            if reply_index is None and calls:
                reply_index = len(calls) - 1
            summaries = {m.content for m in messages if m.kind == SUMMARY}
            final_calls: list[ModelCall] = []
            for i, (call, output) in enumerate(calls):
                purpose = "reply" if i == reply_index else "call"
                if output is not None and any(output.content in s for s in summaries):
                    purpose = "summary"
                    by_id[output.id] = replace(output, kind=SUMMARY)
                final_calls.append(replace(call, purpose=purpose))
            reply: Message | None = None
            if reply_index is not None:
                output = calls[reply_index][1]
                if output is not None and reply_text in (None, output.content):
                    reply = by_id[output.id]
            if reply is None and reply_text is not None:
                # The agent changed the model's text before answering: record what it said.
                reply = self.factory.make(
                    "assistant",
                    reply_text,
                    kind=REPLY,
                    turn=self.context.turn,
                    minutes=self.context.minutes,
                )
                by_id[reply.id] = reply
            ordered = [by_id[m.id] for m in messages]
            if reply is not None and reply.id not in {m.id for m in messages}:
                ordered.append(reply)
            compactions = self._observe_compaction(final_calls, by_id, reply)
            # What later turns may reuse: this turn's call inputs and its new messages (the
            # trace index keeps exactly those). A turn without calls leaves nothing known.
            live = [*self._turn_inputs, *ordered] if final_calls else []
            self._turn_inputs = []
            self._live = {}
            seen: set[str] = set()
            for message in live:
                if message.id not in seen:
                    seen.add(message.id)
                    self._add_live(by_id.get(message.id, message))
            return CapturedTurn(tuple(ordered), tuple(final_calls), compactions, reply)

    def _observe_compaction(
        self,
        calls: Sequence[ModelCall],
        by_id: Mapping[str, Message],
        reply: Message | None,
    ) -> tuple[CompactionEvent, ...]:
        reply_call = next((c for c in reversed(calls) if c.purpose == "reply"), None)
        if reply_call is None:
            return ()
        known = {m.id: m for pool in self._live.values() for m in pool}
        known.update(by_id)
        previous = self._last_context
        current = tuple(known[i] for i in reply_call.input if i in known)
        self._last_context = (*current, reply) if reply is not None else current
        if previous is None:
            return ()
        user = [m for m in by_id.values() if m.kind == USER]
        before = (*previous, *user)
        now = {m.id for m in current}
        removed = tuple(m.id for m in before if m.id not in now)
        if not removed:
            return ()
        replacement = next((m.id for m in current if m.kind == SUMMARY), None)
        lost = tuple(
            d
            for d in self.disclosures
            if any(m.carries(d) for m in before) and not any(m.carries(d) for m in current)
        )
        return (
            CompactionEvent(
                policy="observed",
                reason=f"{len(removed)} message(s) left the model's input since the previous "
                "reply call",
                tokens_before=sum(m.tokens for m in before),
                tokens_after=sum(m.tokens for m in current),
                messages_before=len(before),
                messages_after=len(current),
                removed=removed,
                replacement=replacement,
                lost=lost,
            ),
        )


# ----------------------------------------------------------------------------- backends


class Backend(Protocol):
    """What answers the requests the proxy receives."""

    name: str

    def answer(
        self,
        provider: str,
        body: Mapping[str, Any],
        inputs: Sequence[Message],
        recorder: CallRecorder,
        headers: Mapping[str, str],
    ) -> str: ...


_EMBEDDED = re.compile(r'<message type="(\w+)">(.*?)</message>', re.DOTALL)
_EMBEDDED_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


def embedded_messages(inputs: Sequence[Message]) -> Sequence[Message]:
    """The conversation a summarization prompt carries, else ``inputs`` as they are.

    LangChain's SummarizationMiddleware sends one prompt with the messages to summarize
    embedded as ``<message type="human">...</message>``; the extractive summarizer must read
    those messages, not the prompt's instructions around them.
    """
    if len(inputs) != 1:
        return inputs
    found = _EMBEDDED.findall(inputs[0].content)
    if not found:
        return inputs
    return [
        Message(
            id=f"embedded-{i}",
            role=_EMBEDDED_ROLES.get(kind, "user"),
            content=html.unescape(text.strip()),
            tokens=0,
            turn=inputs[0].turn,
            kind="user",
        )
        for i, (kind, text) in enumerate(found)
    ]


class ModelBackend:
    """Answers with a replay model: the simulator, a scripted model, or a live ChatClient.

    A request for the model named :data:`SUMMARIZER_MODEL` is answered by ``summarizer``
    instead (by default replay's offline, task-focused extractive summarizer), so an agent can
    send its framework's summarization calls through the proxy and have them recorded too.
    """

    def __init__(self, model: Model, summarizer: Summarizer | None = None) -> None:
        self.model = model
        self.name = model.name
        self.summarizer = summarizer or ExtractiveSummarizer()
        self._summaries = 0

    def answer(
        self,
        provider: str,
        body: Mapping[str, Any],
        inputs: Sequence[Message],
        recorder: CallRecorder,
        headers: Mapping[str, str],
    ) -> str:
        if body.get("model") == SUMMARIZER_MODEL:
            self._summaries += 1
            try:
                return self.summarizer.summarize(embedded_messages(inputs), self._summaries)
            except SummarizerError as exc:
                raise ModelError(str(exc)) from exc
        return self.model.reply(recorder.model_request(inputs))

    def close(self) -> None:
        for part in (self.model, self.summarizer):
            close = getattr(part, "close", None)
            if callable(close):
                close()


class UpstreamBackend:
    """Forwards each request as it is to an upstream endpoint, auth headers included.

    The agent's own credentials pass through to the upstream and are never recorded.
    """

    def __init__(self, base_url: str, timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.name = f"upstream:{self.base_url}"
        self._client = httpx.Client(timeout=timeout)

    def url(self, provider: str) -> str:
        base = self.base_url
        if provider == ANTHROPIC:
            return f"{base}/messages" if base.endswith("/v1") else f"{base}/v1/messages"
        return f"{base}/chat/completions"

    def answer(
        self,
        provider: str,
        body: Mapping[str, Any],
        inputs: Sequence[Message],
        recorder: CallRecorder,
        headers: Mapping[str, str],
    ) -> str:
        forwarded = {k: v for k, v in headers.items() if k.lower() in FORWARDED_HEADERS}
        url = self.url(provider)
        secrets = [v.split()[-1] for v in forwarded.values() if v]
        try:
            if body.get("stream"):
                return self._streamed(provider, url, body, forwarded, secrets)
            response = self._client.post(url, json=dict(body), headers=forwarded)
        except httpx.HTTPError as exc:
            reason = redact(f"{type(exc).__name__}: {exc}", secrets)
            raise ModelError(f"upstream {url} failed: {reason}") from None
        if response.status_code >= 400:
            raise ModelError(
                f"upstream {url} answered HTTP {response.status_code}: "
                f"{redact(response.text[:300], secrets)}",
            )
        try:
            data = response.json()
            if provider == ANTHROPIC:
                return "".join(b["text"] for b in data["content"] if b.get("type") == "text")
            return _text_of(data["choices"][0]["message"]["content"])
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ModelError(f"upstream {url} sent an unreadable response ({exc!r})") from None

    def _streamed(
        self,
        provider: str,
        url: str,
        body: Mapping[str, Any],
        headers: Mapping[str, str],
        secrets: Sequence[str],
    ) -> str:
        assembler = SSEAssembler(provider)
        with self._client.stream("POST", url, json=dict(body), headers=dict(headers)) as response:
            if response.status_code >= 400:
                response.read()
                raise ModelError(
                    f"upstream {url} answered HTTP {response.status_code}: "
                    f"{redact(response.text[:300], secrets)}",
                )
            for line in response.iter_lines():
                assembler.feed(line)
        return assembler.text

    def close(self) -> None:
        self._client.close()


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
        before_call: Callable[[Sequence[tuple[str, str]]], None] | None = None,
    ) -> None:
        self.recorder = recorder
        self.backend = backend
        self.model_name = model_name
        self.before_call = before_call
        """Called with each request's wire messages first (the standalone proxy finds turns)."""
        self._calls = threading.Lock()
        handler = type("_Handler", (_Handler,), {"proxy": self})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        """What an OpenAI client's base URL should be set to."""
        return f"{self.url}/v1"

    def start(self) -> RecordingProxy:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="replay-proxy", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()
        close = getattr(self.backend, "close", None)
        if callable(close):
            close()

    def handle(
        self, provider: str, body: Any, headers: Mapping[str, str]
    ) -> tuple[int, dict[str, Any] | None, str | None]:
        """Answer one request: (status, JSON error body or None, reply text or None)."""
        try:
            wire = wire_messages(provider, body)
        except ValueError as exc:
            return 400, _error(provider, f"replay proxy: {exc}", "invalid_request_error"), None
        # One call at a time: the trace is a sequence, and an agent under test waits for its
        # model anyway.
        with self._calls:
            if self.before_call is not None:
                self.before_call(wire)
            inputs = self.recorder.resolve(wire)
            try:
                text = self.backend.answer(provider, body, inputs, self.recorder, headers)
            except ModelError as exc:
                self.recorder.record_call(self.backend.name, inputs, None, str(exc))
                return 502, _error(provider, f"replay proxy: {exc}", "api_error"), None
            self.recorder.record_call(self.backend.name, inputs, text)
            return 200, None, text


def _error(provider: str, message: str, kind: str) -> dict[str, Any]:
    if provider == ANTHROPIC:
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind}}


class _Handler(BaseHTTPRequestHandler):
    proxy: RecordingProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines go nowhere: headers and URLs may carry credentials.
        return

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            self._json(200, {"object": "list", "data": [{"id": self.proxy.model_name}]})
            return
        self._json(404, {"error": {"message": f"no such endpoint: GET {self.path}"}})

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        provider = (
            OPENAI if path in OPENAI_PATHS else ANTHROPIC if path in ANTHROPIC_PATHS else None
        )
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        if provider is None:
            self._json(404, {"error": {"message": f"no such endpoint: POST {self.path}"}})
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
        status, error, text = self.proxy.handle(provider, body, headers)
        if error is not None or text is None:
            self._json(status, error or {})
            return
        model = str(body.get("model") or self.proxy.model_name)
        if body.get("stream"):
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("connection", "close")
            self.end_headers()
            for chunk in sse_events(provider, model, text):
                self.wfile.write(chunk)
            self.wfile.flush()
            self.close_connection = True
            return
        self._json(200, response_body(provider, model, text))

    def _json(self, status: int, data: Any) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class TurnSplitter:
    """For the standalone proxy, which has no script: finds turns in the stream of requests.

    A request whose last user message is new, and which carries more than that one message,
    starts a turn. (A lone new user message is taken to be a framework's summarization request,
    part of the turn under way.) Each finished turn is handed to ``emit``.
    """

    def __init__(
        self,
        recorder: CallRecorder,
        emit: Callable[[TurnRecord], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.recorder = recorder
        self.emit = emit
        self._clock = clock
        self._start = clock()
        self._turn = 0
        self._text: str | None = None
        self._user: Message | None = None
        self._lock = threading.Lock()

    def __call__(self, wire: Sequence[tuple[str, str]]) -> None:
        last_user = next((content for role, content in reversed(wire) if role == "user"), None)
        with self._lock:
            if last_user is None or last_user == self._text:
                return
            if self._turn and len(wire) == 1:
                return
            self._flush()
            self._turn += 1
            self._text = last_user
            minutes = (self._clock() - self._start) / 60
            user = self.recorder.factory.make(
                "user", last_user, kind=USER, turn=self._turn, minutes=minutes
            )
            self._user = user
            self.recorder.begin_turn(
                TurnContext(self._turn, minutes, user.asks_identity, last_user), user
            )

    def flush(self) -> None:
        """Emit the turn under way (call once the agent is done)."""
        with self._lock:
            self._flush()

    def _flush(self) -> None:
        user = self._user
        if user is None:
            return
        self._user = None
        captured = self.recorder.end_turn(None)
        context = self.recorder.context
        self.emit(
            TurnRecord(
                index=context.turn,
                minutes=context.minutes,
                user=user.id,
                probe=context.probe,
                messages=captured.messages,
                compactions=captured.compactions,
                model_calls=captured.calls,
                reply=None if captured.reply is None else captured.reply.id,
            )
        )


class CassetteBackend:
    """Answers from a cassette recorded in the provider's wire format; offline, never the net."""

    def __init__(self, cassette: Cassette) -> None:
        self.cassette = cassette
        self.name = f"cassette:{cassette.path.name}"

    def answer(
        self,
        provider: str,
        body: Mapping[str, Any],
        inputs: Sequence[Message],
        recorder: CallRecorder,
        headers: Mapping[str, str],
    ) -> str:
        request = {k: v for k, v in body.items() if k != "stream"}
        found = self.cassette.lookup(provider, request)
        if found is None:
            raise ModelError(
                f"request not in cassette {self.cassette.path} (offline): the agent's "
                "messages differ from the recording"
            )
        try:
            return (
                anthropic_reply_text(found) if provider == ANTHROPIC else openai_reply_text(found)
            )
        except ValueError as exc:
            raise ModelError(f"cassette {self.cassette.path}: {exc}") from None
