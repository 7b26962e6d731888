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
import html
import json
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from secrets import token_urlsafe
from typing import Any, Protocol

import httpx

from replay.agents import MessageFactory
from replay.cassettes import Cassette
from replay.clients import ChatClient, LiveModelSpec, redact
from replay.models import Model, ModelError, ModelRequest, ScriptedModel, close_all
from replay.summarizers import ExtractiveSummarizer, Summarizer, SummarizerError
from replay.tokens import TOKENS_PER_REPLY_PRIMING
from replay.trace import (
    GREETING,
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
    carriers_of,
    lost_disclosures,
)
from replay.wire import (
    CHAT,
    COMPACTION,
    MESSAGES,
    REFERENCE,
    RESPONSES,
    SSEAssembler,
    ToolCall,
    WireError,
    WireMessage,
    WireReply,
    WireRequest,
    new_id,
    parse_reply,
    parse_request,
    render_json,
    render_sse,
    render_sse_error,
)

SUMMARIZER_MODEL = "replay-summarizer"
"""Requests naming this model are answered by replay's summarizer, not by the reply model."""
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
API_OF_PATH = {
    **dict.fromkeys(OPENAI_PATHS, CHAT),
    **dict.fromkeys(ANTHROPIC_PATHS, MESSAGES),
    **dict.fromkeys(RESPONSES_PATHS, RESPONSES),
}
# Headers an agent sends that the upstream needs; never written anywhere.
FORWARDED_HEADERS = (
    "authorization",
    "x-api-key",
    "api-key",
    "anthropic-version",
    "anthropic-beta",
    "openai-organization",
    "openai-project",
    "openai-beta",
    "idempotency-key",
)
# Response headers that describe one connection, not the answer: the proxy's own framing
# (its content-length, or a stream ended by closing the connection) replaces them. The body is
# relayed decoded, so its content-encoding goes too.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "content-encoding",
    }
)
# Request headers whose values are credentials: redacted from every error text.
CREDENTIAL_HEADERS = ("authorization", "x-api-key", "api-key")


def credential_values(headers: Mapping[str, str]) -> set[str]:
    """The credentials in request headers, whole and without a scheme ("Bearer sk-...").

    Short values are placeholders ("x", "none"), not keys; redacting them would garble text.
    """
    found: set[str] = set()
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in CREDENTIAL_HEADERS:
        value = lowered.get(name) or ""
        found.update(v for v in (value, *value.split()[-1:]) if len(v) >= 8)
    return found


def _pairs(messages: Sequence[WireMessage]) -> list[tuple[str, str]]:
    """Messages as (role, text) pairs: what turn finding and ``before_call`` hooks read."""
    return [(m.role, m.text) for m in messages]


Key = tuple[str, str, tuple[str, ...]]
"""How the recorder tells messages apart: role, text, and what is not text (tool calls by id,
the call a tool result answers, an opaque item's kind): two assistant messages that only call
tools both have empty text, and are different messages."""


def _structure(
    tool_calls: Sequence[ToolCall], tool_call_id: str | None, opaque: str | None
) -> tuple[str, ...]:
    if not tool_calls and tool_call_id is None and opaque is None:
        return ()
    calls = tuple(f"call:{c.id}:{c.name}" + ("" if c.id else c.arguments) for c in tool_calls)
    return (*calls, f"result:{tool_call_id}", f"opaque:{opaque}")


def _wire_key(message: WireMessage) -> Key:
    structure = _structure(message.tool_calls, message.tool_call_id, message.opaque)
    return message.role, message.text, structure


def _message_key(message: Message) -> Key:
    structure = _structure(message.tool_calls, message.tool_call_id, message.opaque)
    return message.role, message.content, structure


SERVER_COMPACTION = (
    "a server-side compaction item replaced earlier context; its content is encrypted, so "
    "what it kept (and whether the disclosure survived) is unknown"
)


class ResponseStore:
    """The OpenAI Responses API state this proxy saw: each response id it served or relayed,
    with the conversation that response ends (input without instructions, then its output).

    A request naming ``previous_response_id`` continues that conversation server-side; the
    store gives back what the model really read. Bounded (the oldest are forgotten first): a
    forgotten id is unknown, never guessed.
    """

    LIMIT = 10_000

    def __init__(self) -> None:
        self._chains: dict[str, tuple[tuple[WireMessage, ...], str | None]] = {}
        self._lock = threading.Lock()

    def expand(
        self, request: WireRequest
    ) -> tuple[tuple[WireMessage, ...], tuple[WireMessage, ...], str | None]:
        """(the model's real input, the conversation so far without instructions, why part of
        the input is unknown or None)."""
        unknown: list[str] = []
        prior: tuple[WireMessage, ...] = ()
        previous = request.previous_response_id
        if previous is not None:
            with self._lock:
                found = self._chains.get(previous)
            if found is None:
                unknown.append(
                    f"previous_response_id {previous!r} names a response this proxy did not "
                    "serve or relay: the earlier part of the model's input is unknown"
                )
            else:
                prior, earlier = found
                if earlier is not None:
                    unknown.append(f"(from {previous}) {earlier}")
        if request.conversation is not None:
            unknown.append(
                f"conversation {request.conversation!r}: its items are stored server-side and "
                "unknown to the proxy"
            )
        history = request.history
        if any(m.opaque == COMPACTION for m in history):
            unknown.append(SERVER_COMPACTION)
        if any(m.opaque == REFERENCE for m in history):
            unknown.append("an item_reference names an item stored server-side: unknown")
        chain = (*prior, *history)
        lead = request.messages[: request.instructions]
        return (*lead, *chain), chain, "; ".join(unknown) or None

    def remember(
        self, response_id: str, chain: Sequence[WireMessage], reply: WireReply, unknown: str | None
    ) -> None:
        """Remember the conversation ``response_id`` ends: ``chain`` then the reply."""
        with self._lock:
            if len(self._chains) >= self.LIMIT:
                self._chains.pop(next(iter(self._chains)))
            self._chains[response_id] = ((*chain, reply.message()), unknown)


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

    @property
    def failed_call(self) -> str | None:
        """Why the turn cannot count as complete because a model call failed, if one did."""
        failed = next((c for c in self.calls if c.error is not None), None)
        return None if failed is None else f"a model call failed: {failed.error}"

    def record(self, context: TurnContext, user: Message, error: str | None = None) -> TurnRecord:
        """The trace record of this turn; a failed turn keeps its messages but has no reply."""
        return TurnRecord(
            index=context.turn,
            minutes=context.minutes,
            user=user.id,
            probe=context.probe,
            messages=self.messages,
            compactions=self.compactions,
            model_calls=self.calls,
            reply=None if error is not None or self.reply is None else self.reply.id,
            error=error,
        )


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
        self._live: dict[Key, list[Message]] = {}
        self._new: list[Message] = []
        self._calls: list[tuple[ModelCall, Message | None]] = []
        self._system_seen = False
        self._replied = False
        """A model call has answered: before that, an assistant message is the product's own
        opening (a greeting), not a reply."""
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
        self._live.setdefault(_message_key(message), []).append(message)

    def resolve(self, messages: Sequence[WireMessage]) -> list[Message]:
        """The trace messages for one call's input, creating the ones not seen before."""
        wire = [_wire_key(m) for m in messages]
        with self._lock:
            counts: dict[Key, int] = {}
            for key in wire:
                counts[key] = counts.get(key, 0) + 1
            pools: dict[Key, list[Message]] = {}
            for key, n in counts.items():
                known = self._live.get(key, [])
                pools[key] = list(known[-n:]) if len(known) >= n else list(known)
            out: list[Message] = []
            used: dict[Key, int] = {}
            for position, key in enumerate(wire):
                i = used.get(key, 0)
                used[key] = i + 1
                pool = pools[key]
                if i < len(pool):
                    out.append(pool[i])
                    continue
                message = self._create(messages[position], last=position == len(wire) - 1)
                pool.append(message)
                self._add_live(message)
                out.append(message)
            self._turn_inputs.extend(out)
            return out

    def _create(self, wire: WireMessage, *, last: bool) -> Message:
        role, content = wire.role, wire.text
        context = self.context
        if wire.opaque == COMPACTION:
            kind = SUMMARY  # a summary, server-side, whose content no one here can read
        elif role == "system" and not self._system_seen:
            kind = SYSTEM
            self._system_seen = True
        elif role == "assistant" and not content and (wire.tool_calls or wire.opaque):
            kind = REPLY  # the model's own output (a tool call, reasoning), sent back
        elif role == "assistant":
            kind = REPLY if self._replied else GREETING
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
        message = self._structured(
            self.factory.make(role, content, kind=kind, turn=context.turn, minutes=context.minutes),
            wire.tool_calls,
            wire.tool_call_id,
            wire.parts,
            wire.opaque,
        )
        self._new.append(message)
        return message

    def _structured(
        self,
        message: Message,
        tool_calls: Sequence[ToolCall] = (),
        tool_call_id: str | None = None,
        parts: Sequence[str] = (),
        opaque: str | None = None,
    ) -> Message:
        """``message`` with what is not text: tool calls (their names and arguments count
        towards its tokens, as the model reads them), the call a tool result answers, parts,
        an opaque item's kind. A tool result carries no disclosure and no instruction: it is
        the tool speaking, never the agent telling the user, nor the product's instruction."""
        if not (
            tool_calls or tool_call_id is not None or parts or opaque or message.role == "tool"
        ):
            return message
        tokens = message.tokens + sum(
            self.factory.counter.text(c.name + c.arguments) for c in tool_calls
        )
        if message.role == "tool":
            message = replace(
                message, disclosures=frozenset(), instructions=frozenset(), claims_human=False
            )
        return replace(
            message,
            tokens=tokens,
            tool_calls=tuple(tool_calls),
            tool_call_id=tool_call_id,
            parts=tuple(parts),
            opaque=opaque,
        )

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
        self,
        model: str,
        inputs: Sequence[Message],
        reply: WireReply | None,
        error: str | None = None,
        *,
        request: WireRequest | None = None,
        input_unknown: str | None = None,
    ) -> None:
        """Record one call: its exact input and its output (or the error it ended with), with
        the reply's structure (tool calls on the output message; finish reason, refusal,
        usage, response id on the call) and the request's (its API, its tools by name).
        ``input_unknown`` says why part of the model's real input is not in ``inputs``."""
        text = None if reply is None else reply.text
        with self._lock:
            context = self.context
            output = None
            if reply is not None and text is not None:
                self._replied = True
                output = self._structured(
                    self.factory.make(
                        "assistant",
                        text,
                        kind=REPLY,
                        turn=context.turn,
                        minutes=context.minutes,
                        reply_to=next((m for m in reversed(inputs) if m.role == "user"), None),
                    ),
                    reply.tool_calls,
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
                api=None if request is None else request.api,
                tools=() if request is None else request.tools,
                finish_reason=None if reply is None else reply.finish_reason,
                refusal=None if reply is None else reply.refusal,
                usage=None if reply is None else reply.usage,
                response_id=None if reply is None else reply.id,
                input_unknown=input_unknown,
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
            summaries = {m.content for m in messages if m.kind == SUMMARY and m.content}
            final_calls: list[ModelCall] = []
            for i, (call, output) in enumerate(calls):
                purpose = "reply" if i == reply_index else "call"
                if (
                    output is not None
                    and output.content
                    and any(output.content in s for s in summaries)
                ):
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
                    reply_to=self._user,
                )
                by_id[reply.id] = reply
            ordered = [by_id[m.id] for m in messages]
            if reply is not None and reply.id not in {m.id for m in messages}:
                ordered.append(reply)
            compactions = self._observe_compaction(final_calls, by_id, reply)
            compactions += tuple(
                CompactionEvent(
                    policy="server-side",
                    reason=SERVER_COMPACTION,
                    tokens_before=0,
                    tokens_after=0,
                    messages_before=0,
                    messages_after=0,
                    removed=(),
                    replacement=m.id,
                )
                for m in messages
                if m.opaque == COMPACTION
            )
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
        lost = lost_disclosures(self.disclosures, carriers_of(before), carriers_of(current))
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

    def answer(self, request: ProxyRequest) -> str | Answer:
        """The reply of the model (or of the summarizer), for any of the three APIs: the
        proxy renders it in the request's wire format. A model with structured replies (a
        scripted model's tool calls) is answered whole."""
        if request.body.get("model") == SUMMARIZER_MODEL:
            self._summaries += 1
            try:
                return self.summarizer.summarize(embedded_messages(request.inputs), self._summaries)
            except SummarizerError as exc:
                raise ModelError(str(exc)) from exc
        if isinstance(self.model, ChatClient):
            _refuse_tools(request)
        asked = request.recorder.model_request(request.inputs)
        if isinstance(self.model, ScriptedModel):
            return Answer(self.model.answer(asked))
        return self.model.reply(asked)

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
        self._client = httpx.Client(timeout=timeout)

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
        return self.recorder.resolve(wire)

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


class TurnSplitter:
    """For the standalone proxy, which has no script: finds turns in the stream of requests.

    The rule (docs/agents.md, "How the standalone proxy finds turns"), for each request:

    1. No user message, or its last user message has the text of the turn under way's user
       message and the request carries that text no more often than the request that started
       the turn: part of the turn under way (retries of a request, tool-call roundtrips).
    2. Addressed to the model :data:`SUMMARIZER_MODEL`, or its last user message quotes the
       user message of a turn before the one under way (one of at least :attr:`QUOTE_CHARS`
       characters) within a longer text: a framework's summarization request, part of the
       turn under way.
    3. Otherwise its last user message starts a new turn.

    Each finished turn is handed to ``emit``.

    One proxy records one conversation. A request that starts a turn while carrying, as
    history, a user message (of at least :attr:`QUOTE_CHARS` characters) that an earlier
    turn-starting request had already dropped from the context is another agent's
    conversation: one agent's history does not bring back what it dropped. It is refused
    (:class:`RefusedRequest`, 409) and every turn from then on is recorded with that error, so
    the merged trace reads as incomplete (exit 3). See docs/agents.md.
    """

    QUOTE_CHARS = 12
    """Shorter user messages ("ok", "thanks") are too common to tell a quoting prompt apart."""

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
        self._repeats = 0
        self._user: Message | None = None
        self._earlier: list[str] = []
        self._lock = threading.Lock()
        self._context_users: set[str] = set()
        """The user texts the latest turn-starting request carried."""
        self._dropped: set[str] = set()
        """User texts that left the context between turn-starting requests."""
        self.conflict: str | None = None
        """Why the trace mixes conversations, once a second one was detected."""

    def __call__(self, wire: Sequence[tuple[str, str]], model: str | None = None) -> None:
        last_user = next((content for role, content in reversed(wire) if role == "user"), None)
        # A user may say the same thing again ("thanks"): that request carries the text once
        # more than the one that started the turn, where a retry carries it as often.
        repeats = sum(1 for role, content in wire if role == "user" and content == last_user)
        with self._lock:
            if last_user is None or (last_user == self._text and repeats <= self._repeats):
                return
            if self._turn and (model == SUMMARIZER_MODEL or self._quotes_a_turn(last_user)):
                return
            self._second_conversation(wire, last_user)
            self._flush()
            if self._text is not None and len(self._text) >= self.QUOTE_CHARS:
                self._earlier.append(self._text)
            self._turn += 1
            self._text, self._repeats = last_user, repeats
            minutes = (self._clock() - self._start) / 60
            user = self.recorder.factory.make(
                "user", last_user, kind=USER, turn=self._turn, minutes=minutes
            )
            self._user = user
            self.recorder.begin_turn(
                TurnContext(self._turn, minutes, user.asks_identity, last_user), user
            )

    def _second_conversation(self, wire: Sequence[tuple[str, str]], last_user: str) -> None:
        """Refuse a turn-starting request that brings back history the conversation dropped."""
        users = {c for role, c in wire if role == "user" and len(c) >= self.QUOTE_CHARS}
        history = users - {last_user}
        back = sorted(history & self._dropped)
        if back:
            self.conflict = (
                "a second conversation reached this proxy: a request carried, as history, a "
                f"user message this conversation had already dropped ({back[0][:60]!r}); one "
                "replay proxy records one agent's conversation: start one proxy per agent"
            )
            print(f"replay proxy: refused a request (409): {self.conflict}", file=sys.stderr)
            raise RefusedRequest(f"replay proxy: {self.conflict}")
        self._dropped -= {last_user}  # the user said it again: it is back, legitimately
        self._dropped |= self._context_users - users
        self._context_users = users

    def _quotes_a_turn(self, text: str) -> bool:
        # Not the turn under way's message: a user who repeats and extends it starts a turn.
        return any(earlier in text and earlier != text for earlier in self._earlier)

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
        # Fail closed: a turn whose model call failed did not complete, nor does any turn of a
        # trace that mixes two conversations.
        error = captured.failed_call or self.conflict
        self.emit(captured.record(self.recorder.context, user, error))


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
