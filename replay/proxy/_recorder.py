"""The call recorder: received wire messages become trace messages and model calls, compaction is
inferred.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from replay.loop._reference import MessageFactory
from replay.loop._tokens import TOKENS_PER_REPLY_PRIMING
from replay.models._base import ModelRequest
from replay.models._wire import (
    COMPACTION,
    REFERENCE,
    WireMessage,
    WireReply,
    WireRequest,
)
from replay.spec._vocab import (
    GREETING,
    MARKER,
    PROMPT,
    REPLY,
    SUMMARY,
    SYSTEM,
    USER,
    CallPurpose,
    MessageKind,
)
from replay.spec._words import count as count_words
from replay.trace._records import (
    CompactionEvent,
    Message,
    ModelCall,
    ToolCall,
    TurnRecord,
    carriers_of,
    lost_disclosures,
)


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


KEEP_STATE = (
    "keep the conversation's state client-side (send the whole input) or send every request "
    "of the chain through the proxy"
)
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
                    f"serve or relay: the earlier part of the model's input is unknown; "
                    f"{KEEP_STATE}"
                )
            else:
                prior, earlier = found
                if earlier is not None:
                    unknown.append(f"(from {previous}) {earlier}")
        if request.conversation is not None:
            unknown.append(
                f"conversation {request.conversation!r}: its items are stored server-side and "
                f"unknown to the proxy; {KEEP_STATE}"
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
        self._summary_calls: set[int] = set()
        """This turn's calls the caller said wrote a summary (their position in _calls)."""
        self._unsent_side_answers: tuple[Message, ...] = ()
        """The previous turn's text answers of calls other than its reply that no call of that
        turn received: a summary the next turn may send first."""
        self._earlier_outputs: tuple[Message, ...] = ()
        """What the previous turn's calls other than its reply answered: a framework's summary
        call that a turn splitter counted into the turn before the one its summary joins (it
        is sent before the request that starts the next turn, as logs and a standalone proxy
        see it)."""
        self._system_seen = False
        self._replied = False
        """A model call has answered: before that, an assistant message is the product's own
        opening (a greeting), not a reply."""
        self._last_context: tuple[Message, ...] | None = None
        self._user: Message | None = None
        self._turn_inputs: list[Message] = []
        self._said: set[str] = set()
        """What the user said in this conversation so far: a user message with one of these
        texts is the user's, also when a framework sends it again after cutting it (AutoGen's
        token-limited view), not a marker the framework wrote."""

    def begin_turn(self, context: TurnContext, user: Message | None = None) -> None:
        with self._lock:
            self.context = context
            if context.text is not None:
                self._said.add(context.text)
            self._user = user
            if user is not None:
                self._add_live(user)
                self._new.append(user)

    def _add_live(self, message: Message) -> None:
        self._live.setdefault(_message_key(message), []).append(message)

    def resolve(
        self,
        messages: Sequence[WireMessage],
        summaries: Collection[int] = (),
        *,
        summarizing: bool = False,
    ) -> list[Message]:
        """The trace messages for one call's input, creating the ones not seen before.
        ``summaries`` are the positions of messages the caller knows are summaries (a log that
        marks them): created as such whatever their text. ``summarizing``: the call asks
        replay's summarizer, so a system message it brings is the framework's summary prompt,
        never the app's system prompt (LlamaIndex summarizes before the first reply call)."""
        wire = [_wire_key(m) for m in messages]
        with self._lock:
            counts: dict[Key, int] = {}
            for key in wire:
                counts[key] = counts.get(key, 0) + 1
            pools: dict[Key, list[Message]] = {}
            # The previous turn's side-call answers come back as summaries (created anew,
            # in _create), not as the messages they were.
            returned = {o.id for o in self._unsent_side_answers}
            for key, n in counts.items():
                known = [m for m in self._live.get(key, []) if m.id not in returned]
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
                message = self._create(
                    messages[position],
                    last=position == len(wire) - 1,
                    summary=position in summaries,
                    summarizing=summarizing,
                )
                pool.append(message)
                self._add_live(message)
                out.append(message)
            self._turn_inputs.extend(out)
            return out

    def _create(
        self, wire: WireMessage, *, last: bool, summary: bool = False, summarizing: bool = False
    ) -> Message:
        role, content = wire.role, wire.text
        context = self.context
        kind: MessageKind
        if summary:
            kind = SUMMARY  # the log says so (Inspect marks its compaction summaries)
        elif wire.opaque == COMPACTION:
            kind = SUMMARY  # a summary, server-side, whose content no one here can read
        elif role == "system" and summarizing:
            kind = PROMPT
        elif role == "system" and not self._system_seen:
            kind = SYSTEM
            self._system_seen = True
        elif role == "assistant" and not content and (wire.tool_calls or wire.opaque):
            kind = REPLY  # the model's own output (a tool call, reasoning), sent back
        elif role == "assistant" and any(o.content == content for o in self._unsent_side_answers):
            # A session that summarizes while it saves a turn (the OpenAI cookbook's) sends
            # that summary, the previous turn's side call's answer, first in the next history.
            kind = SUMMARY
        elif role == "assistant":
            kind = REPLY if self._replied else GREETING
        elif any(
            output is not None and output.content and output.content in content
            for output in (*(o for _, o in self._calls), *self._earlier_outputs)
        ):
            kind = SUMMARY  # the framework put an earlier call's output back into the context
        elif role == "user" and content in self._said:
            kind = USER  # this turn's message, or an earlier one the framework sends again
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
        summary: bool = False,
    ) -> None:
        """Record one call: its exact input and its output (or the error it ended with), with
        the reply's structure (tool calls on the output message; finish reason, refusal,
        usage, response id on the call) and the request's (its API, its tools by name).
        ``input_unknown`` says why part of the model's real input is not in ``inputs``;
        ``summary`` that the caller knows the call wrote a summary (never the turn's reply)."""
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
            if summary:
                self._summary_calls.add(len(self._calls))
            self._calls.append((call, output))

    def end_turn(self, reply_text: str | None) -> CapturedTurn:
        """Close the turn: classify its calls, find the reply, infer compaction events."""
        with self._lock:
            calls = self._calls
            messages = self._new
            told = self._summary_calls  # calls said to write a summary: never the reply
            self._calls, self._new, self._summary_calls = [], [], set()
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
                    if user_id in calls[i][0].input and i not in told:
                        reply_index = i
                        break
            if reply_index is None and calls:
                # the last call that did not write a summary (a compaction can fold the user
                # message into its summary: the reply's input no longer carries it)
                reply_index = next(
                    (i for i in range(len(calls) - 1, -1, -1) if i not in told), len(calls) - 1
                )
            side = _side_text_answers(calls, reply_index)
            told = told | self._returned_as_history(side, calls, reply_index)
            sent = {i for call, _ in calls for i in call.input}
            self._unsent_side_answers = tuple(o for o in side.values() if o.id not in sent)
            # Kept for the next turn only: its first request may carry one of these outputs
            # back as a summary.
            self._earlier_outputs = tuple(
                output
                for i, (_, output) in enumerate(calls)
                if output is not None and i != reply_index
            )
            summaries = {m.content for m in messages if m.kind == SUMMARY and m.content}
            final_calls: list[ModelCall] = []
            for i, (call, output) in enumerate(calls):
                purpose: CallPurpose = "reply" if i == reply_index else "call"
                if output is not None and (
                    i in told or (output.content and any(output.content in s for s in summaries))
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

    def _returned_as_history(
        self,
        side: Mapping[int, Message],
        calls: Sequence[tuple[ModelCall, Message | None]],
        reply_index: int | None,
    ) -> set[int]:
        """The calls whose text the framework sent back verbatim, in place of history: a side
        call's output that the reply call receives before this turn's user message (Semantic
        Kernel puts its summarizer's answer first in the history as it is). A tool call sent
        back, or text after the user message (a step of the turn), is no summary."""
        if reply_index is None or self._user is None:
            return set()
        sent = calls[reply_index][0].input
        if self._user.id not in sent:
            return set()
        history = set(sent[: sent.index(self._user.id)])
        return {i for i, output in side.items() if output.id in history}

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
                reason=f"{count_words(len(removed), 'message')} left the model's input since "
                "the previous reply call",
                tokens_before=sum(m.tokens for m in before),
                tokens_after=sum(m.tokens for m in current),
                messages_before=len(before),
                messages_after=len(current),
                removed=removed,
                replacement=replacement,
                lost=lost,
            ),
        )


_EMBEDDED = re.compile(r'<message type="(\w+)">(.*?)</message>', re.DOTALL)
_EMBEDDED_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


def _side_text_answers(
    calls: Sequence[tuple[ModelCall, Message | None]], reply_index: int | None
) -> dict[int, Message]:
    """A turn's answers in text (no tool call) of its calls other than the reply, by position."""
    return {
        i: output
        for i, (_, output) in enumerate(calls)
        if i != reply_index and output is not None and output.content and not output.tool_calls
    }


def embedded_messages(inputs: Sequence[Message]) -> Sequence[Message]:
    """The conversation a summarization prompt carries, else ``inputs`` as they are.

    LangChain's SummarizationMiddleware sends one prompt with the messages to summarize
    embedded as ``<message type="human">...</message>``; the extractive summarizer must read
    those messages, not the prompt's instructions around them. Other frameworks send their
    instruction as a system message of its own, before the messages (LlamaIndex, Pydantic AI,
    the OpenAI cookbook's session) or after them (Semantic Kernel): the summarizer reads the
    messages without it.
    """
    conversation = [m for m in inputs if m.role != "system"]
    if conversation and len(conversation) < len(inputs):
        return conversation
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
