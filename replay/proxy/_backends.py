"""What answers the proxy's model calls: a replay model, a cassette, or a real upstream relayed
byte for byte.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from replay.loop._summarizers import (
    ExtractiveSummarizer,
    Summarizer,
    SummarizerError,
    summarize_with_usage,
)
from replay.models._base import Model, ModelError, close_all, reply_parts
from replay.models._cassettes import Cassette, redact
from replay.models._live import ChatClient, tls_context
from replay.models._scripted import ScriptedModel
from replay.models._wire import (
    MESSAGES,
    RESPONSES,
    SSEAssembler,
    WireError,
    WireReply,
    WireRequest,
    parse_reply,
)
from replay.proxy._headers import FORWARDED_HEADERS, HOP_BY_HOP, credential_values
from replay.proxy._recorder import CallRecorder, embedded_messages
from replay.spec._models import LiveModelSpec
from replay.trace._records import Message, Usage

SUMMARIZER_MODEL = "replay-summarizer"
"""Requests naming this model are answered by replay's summarizer, not by the reply model."""


# ----------------------------------------------------------------------------- backends


class Relay(Protocol):
    """Where a streaming backend sends an SSE stream to the agent while it is still arriving."""

    def start(self, status: int = 200, headers: Sequence[tuple[str, str]] | None = None) -> None:
        """Send the response head; call once, before ``send``. ``headers`` (an upstream's
        end-to-end headers) replace the default ``text/event-stream`` head."""

    def send(self, data: bytes) -> None:
        """Send raw stream bytes to the agent now."""


@dataclass(frozen=True)
class ProxyRequest:
    """One request the proxy answers, as every backend sees it."""

    provider: str
    """The wire API (:data:`~replay.wire.CHAT`, :data:`~replay.wire.MESSAGES`,
    :data:`~replay.wire.RESPONSES`)."""
    body: Mapping[str, Any]
    inputs: Sequence[Message]
    """The request's messages as trace messages (already recorded)."""
    recorder: CallRecorder
    headers: Mapping[str, str] = field(default_factory=dict)
    relay: Relay | None = None
    """Set for streamed requests: a backend that streams relays the events as they arrive."""
    raw: bytes = b""
    """The request body exactly as the agent sent it (an upstream gets these bytes)."""
    wire: WireRequest | None = None
    """The parsed request."""


@dataclass(frozen=True)
class UpstreamResponse:
    """An upstream's answer, to be relayed to the agent as it is."""

    status: int
    headers: tuple[tuple[str, str], ...]
    """Its end-to-end headers, in order (hop-by-hop ones dropped: see :data:`HOP_BY_HOP`)."""
    body: bytes


@dataclass(frozen=True)
class Answer:
    """What a backend answered: the reply, and, from an upstream, what to relay instead of a
    rendering of it."""

    reply: WireReply
    upstream: UpstreamResponse | None = None


class UpstreamFailure(ModelError):
    """The upstream's answer is no reply (an error status, an unreadable body): the call is
    recorded as failed, and the agent still gets the upstream's answer as it was sent."""

    def __init__(self, message: str, response: UpstreamResponse) -> None:
        super().__init__(message)
        self.response = response


class Backend(Protocol):
    """What answers the requests the proxy receives."""

    name: str

    def answer(self, request: ProxyRequest) -> str | Answer:
        """The reply: its text, or an :class:`Answer` (raises ModelError if there is none)."""
        ...


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

    def answer(self, request: ProxyRequest) -> str | Answer:
        """The reply of the model (or of the summarizer), for any of the three APIs: the
        proxy renders it in the request's wire format. A model with structured replies (a
        scripted model's tool calls) is answered whole."""
        if request.body.get("model") == SUMMARIZER_MODEL:
            self._summaries += 1
            try:
                text, usage = summarize_with_usage(
                    self.summarizer, embedded_messages(request.inputs), self._summaries
                )
                return _answer(text, usage)
            except SummarizerError as exc:
                raise ModelError(str(exc)) from exc
        if isinstance(self.model, ChatClient):
            _refuse_tools(request)
        asked = request.recorder.model_request(request.inputs)
        if isinstance(self.model, ScriptedModel):
            return Answer(self.model.answer(asked))
        return _answer(*reply_parts(self.model.reply(asked)))

    def secrets(self) -> tuple[str, ...]:
        """The API keys of the live models behind this backend (to redact from error text)."""
        found = []
        for part in (self.model, getattr(self.summarizer, "model", None)):
            spec = getattr(part, "spec", None)
            if isinstance(spec, LiveModelSpec) and spec.api_key_env:
                key = os.environ.get(spec.api_key_env)
                if key:
                    found.append(key)
        return tuple(found)

    def close(self) -> None:
        close_all(self.model, self.summarizer)


def _answer(text: str, usage: Usage | None) -> str | Answer:
    """A model's (or summary model's) reply as the backend answers it: a live model's usage
    goes into the reply the proxy renders (and records), so the agent and the trace see the
    provider's numbers."""
    return text if usage is None else Answer(WireReply(text, usage=usage))


def _refuse_tools(request: ProxyRequest) -> None:
    """A live model behind :class:`ModelBackend` is sent the conversation's text only, so a
    request that uses tools would reach it without them: the model would answer a different
    agent than the one under test. Fail the call (the run cannot complete) rather than judge
    that agent by another's replies."""
    wire = request.wire
    if wire is None:
        return
    tools = list(wire.tools)
    if not tools and not any(m.tool_calls or m.tool_call_id for m in wire.messages):
        return
    offered = f" (offers {', '.join(tools)})" if tools else " (carries tool calls or results)"
    raise ModelError(
        f"this request uses tools{offered}, and replay's live-model backend forwards the "
        "conversation's text only, so the model would not see them; test a tool-using agent "
        "against a live model with `replay proxy --upstream URL` (requests go up as they are), "
        "or offline with a scripted model that scripts its tool calls (docs/agents.md)"
    )


class UpstreamBackend:
    """Forwards each request as it is to an upstream endpoint, auth headers included.

    The request body goes up byte for byte; the agent's own credentials pass through and are
    never recorded. The upstream's answer comes back to the agent as it was sent (status,
    end-to-end headers, body byte for byte); a streamed answer is relayed chunk by chunk as the
    upstream sends it. The recorded reply is parsed from the same bytes. An error status, an
    unreadable body or a broken stream is a failed call (fail closed), relayed all the same.
    """

    def __init__(self, base_url: str, timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.name = f"upstream:{self.base_url}"
        self._client = httpx.Client(timeout=timeout, verify=tls_context())

    def url(self, provider: str) -> str:
        base = self.base_url
        if provider == MESSAGES:
            return f"{base}/messages" if base.endswith("/v1") else f"{base}/v1/messages"
        if provider == RESPONSES:
            return f"{base}/responses"
        return f"{base}/chat/completions"

    def answer(self, request: ProxyRequest) -> Answer:
        headers = request.headers
        forwarded = {k: v for k, v in headers.items() if k.lower() in FORWARDED_HEADERS}
        secrets = sorted(credential_values(forwarded), key=len, reverse=True)
        # identity: the bytes the upstream sends are the bytes the agent gets (no decoding).
        forwarded["accept-encoding"] = "identity"
        forwarded["content-type"] = "application/json"
        url = self.url(request.provider)
        body = request.raw or json.dumps(dict(request.body)).encode()
        streamed = bool(request.body.get("stream"))
        try:
            with self._client.stream("POST", url, content=body, headers=forwarded) as response:
                kept = tuple(
                    (k, v) for k, v in response.headers.multi_items() if k.lower() not in HOP_BY_HOP
                )
                is_stream = "text/event-stream" in response.headers.get("content-type", "")
                if streamed and request.relay is not None and response.status_code < 400:
                    assembler = self._relay(request.provider, response, request.relay, kept)
                    return Answer(self._whole(url, assembler, secrets))
                raw = response.read()
        except httpx.HTTPError as exc:
            reason = redact(f"{type(exc).__name__}: {exc}", secrets)
            raise ModelError(f"upstream {url} failed: {reason}") from None
        upstream = UpstreamResponse(response.status_code, kept, raw)
        if response.status_code >= 400:
            excerpt = raw[:300].decode("utf-8", errors="replace")
            raise UpstreamFailure(
                f"upstream {url} answered HTTP {response.status_code}: {redact(excerpt, secrets)}",
                upstream,
            )
        if streamed or is_stream:  # streamed, but nobody to relay to: reassemble, then relay
            assembler = SSEAssembler(request.provider)
            assembler.feed_bytes(raw)
            assembler.close()
            problem = assembler.problem()
            if problem is not None:
                raise UpstreamFailure(f"upstream {url}: {redact(problem, secrets)}", upstream)
            return Answer(assembler.reply(), upstream)
        try:
            reply = parse_reply(request.provider, json.loads(raw))
        except (ValueError, UnicodeDecodeError) as exc:
            raise UpstreamFailure(
                f"upstream {url} sent an unreadable response ({redact(str(exc), secrets)})",
                upstream,
            ) from None
        return Answer(reply, upstream)

    @staticmethod
    def _whole(url: str, assembler: SSEAssembler, secrets: Sequence[str]) -> WireReply:
        """The reassembled reply; a broken stream (cut, error event, empty) is a failed call,
        never an empty or partial reply."""
        problem = assembler.problem()
        if problem is not None:
            raise ModelError(f"upstream {url}: {redact(problem, secrets)}")
        return assembler.reply()

    @staticmethod
    def _relay(
        provider: str,
        response: httpx.Response,
        relay: Relay,
        headers: Sequence[tuple[str, str]],
    ) -> SSEAssembler:
        assembler = SSEAssembler(provider)
        relay.start(response.status_code, headers)
        try:
            for chunk in response.iter_bytes():
                relay.send(chunk)
                assembler.feed_bytes(chunk)
        finally:
            assembler.close()
        return assembler

    def close(self) -> None:
        self._client.close()


class CassetteBackend:
    """Answers from a cassette recorded in the provider's wire format; offline, never the net.

    The recorded body is parsed whole (text, tool calls, refusal, finish reason), so a
    recorded tool call is answered as a tool call."""

    def __init__(self, cassette: Cassette) -> None:
        self.cassette = cassette
        self.name = f"cassette:{cassette.path.name}"

    def answer(self, request: ProxyRequest) -> Answer:
        provider = request.provider
        found = self.cassette.lookup(
            provider, {k: v for k, v in request.body.items() if k != "stream"}
        )
        if found is None:
            raise ModelError(
                f"request not in cassette {self.cassette.path} (offline): the agent's "
                "messages differ from the recording"
            )
        try:
            return Answer(parse_reply(provider, found))
        except WireError as exc:
            raise ModelError(f"cassette {self.cassette.path}: {exc}") from None
