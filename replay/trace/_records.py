"""The trace: what every way of running produces, and what checks and reports read.

A trace is JSON Lines: one header record, then one record per turn. Every message is written
exactly once, in the turn it first appears; model calls and compaction events refer to messages
by id. So a trace grows linearly with the conversation, and a model call's full input can be
printed back by resolving its ids (:func:`model_call_input`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, ClassVar

from replay.results import ModelUsage
from replay.spec._codec import OMIT_IF_DEFAULT, JsonRecord, json_key
from replay.spec._vocab import INSTRUCTION, STATEMENT, CallPurpose, Carrier, MessageKind

TRACE_SCHEMA_VERSION = "2"
"""Version 2 added the structure of model calls: messages' tool calls, tool results, content
parts and opaque items; calls' API, tool definitions, finish reason, refusal, usage, response id
and what of their input is unknown. Every field it added is optional, so a version 1 trace
reads as one whose messages are plain text (see :data:`READABLE_VERSIONS`)."""
READABLE_VERSIONS = frozenset({"1", "1.0", "1.1", TRACE_SCHEMA_VERSION})
"""Trace versions this reader understands; a header naming another is refused (exit 2)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Message(JsonRecord):
    """One chat message, annotated once when it is created.

    Its fields are in the order the trace writes them (see :mod:`replay.spec._codec`)."""

    id: str
    role: str
    kind: MessageKind
    turn: int
    minutes: float = 0.0
    """Conversation time (minutes since the start) at which the message was written."""
    tokens: int
    content: str
    disclosures: frozenset[str] = field(default=frozenset(), metadata=OMIT_IF_DEFAULT)
    """Ids of the disclosures this message states (e.g. "I'm an AI assistant")."""
    instructions: frozenset[str] = field(default=frozenset(), metadata=OMIT_IF_DEFAULT)
    """Ids of the disclosures this message instructs the model to make."""
    claims_human: bool = field(default=False, metadata=OMIT_IF_DEFAULT)
    asks_identity: bool = field(default=False, metadata=OMIT_IF_DEFAULT)
    """The message asks whether the other side is a human or an AI (a probe)."""
    shown: bool = field(default=False, metadata=OMIT_IF_DEFAULT)
    """An opening message the user sees (a greeting in the chat window), not only the model."""
    tool_calls: tuple[ToolCall, ...] = field(default=(), metadata=OMIT_IF_DEFAULT)
    """The tool calls an assistant message makes. They are not text: an assistant message that
    only calls tools has empty ``content`` and shows the user nothing, so no check reads it as
    a statement, a claim or a reply the user saw."""
    tool_call_id: str | None = field(default=None, metadata=OMIT_IF_DEFAULT)
    """For a tool result (role ``tool``): the id of the call it answers. A tool result is what
    a tool returned, never the agent telling the user anything: it carries no disclosure."""
    parts: tuple[str, ...] = field(default=(), metadata=OMIT_IF_DEFAULT)
    """The content's parts in order when it has non-text ones (text parts as text, images and
    files as placeholders such as ``[image]``); ``content`` is the text parts joined."""
    opaque: str | None = field(default=None, metadata=OMIT_IF_DEFAULT)
    """An item whose content the proxy cannot read: ``reasoning`` (the model's own, sent
    back), ``compaction`` (a server-side compaction: what it keeps is unknown),
    ``item_reference`` (an item stored server-side), or a built-in tool's item type."""

    def carries(self, disclosure: str) -> bool:
        """The message states the disclosure or instructs the model to make it."""
        return disclosure in self.disclosures or disclosure in self.instructions

    def carriers(self) -> Iterator[Carrier]:
        """What this message carries, per disclosure and kind."""
        for disclosure in self.instructions:
            yield disclosure, INSTRUCTION
        for disclosure in self.disclosures:
            yield disclosure, STATEMENT


def carriers_of(messages: Iterable[Message]) -> set[Carrier]:
    """Everything some message of ``messages`` carries."""
    return {c for m in messages if m.disclosures or m.instructions for c in m.carriers()}


def lost_disclosures(
    disclosures: Iterable[str], before: AbstractSet[Carrier], after: AbstractSet[Carrier]
) -> tuple[str, ...]:
    """The disclosures a change of the context lost, given what it carried before and after.

    Lost means the instruction to make it left the input, or every carrier of it did. Losing
    the duty is a loss even while an old statement of the fact lingers; a disclosure that was
    never instructed (a greeting-only product) is lost when its last statement goes.
    """
    lost = []
    for d in disclosures:
        instruction, statement = (d, INSTRUCTION), (d, STATEMENT)
        if (instruction in before and instruction not in after) or (
            (instruction in before or statement in before)
            and instruction not in after
            and statement not in after
        ):
            lost.append(d)
    return tuple(sorted(lost))


@dataclass(frozen=True, slots=True)
class ModelCall(JsonRecord):
    """One call to a model: the exact input (message ids, in order) and the output message.

    The output message holds the reply's text and tool calls; the call keeps the rest of the
    reply's structure (finish reason, refusal, usage, response id) and of the request (the
    tools it offered, by name; the API it spoke). ``input_unknown`` says why part of the
    model's real input is not in ``input`` (server-side state the proxy did not record: an
    unknown ``previous_response_id``, a stored ``conversation``, a compaction item): checks
    that read the model's input cannot judge such a call and say "could not run", never pass.
    """

    purpose: CallPurpose
    model: str
    input: tuple[str, ...]
    input_tokens: int
    output: str | None
    error: str | None = field(default=None, metadata=OMIT_IF_DEFAULT)
    api: str | None = field(default=None, metadata=OMIT_IF_DEFAULT)
    """The wire API of the call (``openai``, ``anthropic``, ``responses``), when the proxy
    recorded it."""
    tools: tuple[str, ...] = field(default=(), metadata=OMIT_IF_DEFAULT)
    """The names of the tools the request offered the model."""
    finish_reason: str | None = field(default=None, metadata=OMIT_IF_DEFAULT)
    refusal: str | None = field(default=None, metadata=OMIT_IF_DEFAULT)
    usage: Usage | None = field(default=None, metadata=OMIT_IF_DEFAULT)
    response_id: str | None = field(default=None, metadata=OMIT_IF_DEFAULT)
    """The id the API gave the reply (a Responses API id names server-side state)."""
    input_unknown: str | None = field(default=None, metadata=OMIT_IF_DEFAULT)


@dataclass(frozen=True, slots=True)
class CompactionEvent(JsonRecord):
    """The context was cut: which messages left it and what, if anything, replaced them."""

    policy: str
    reason: str
    tokens_before: int
    tokens_after: int
    messages_before: int
    messages_after: int
    removed: tuple[str, ...]
    replacement: str | None = None
    lost: tuple[str, ...] = ()
    """Disclosures this event lost: it removed the last instruction to make them, or their last
    carrier of any kind (see :func:`lost_disclosures`)."""


@dataclass(frozen=True, slots=True)
class TurnRecord(JsonRecord):
    """Everything that happened in one turn, in order."""

    json_tag: ClassVar[Mapping[str, Any]] = {"type": "turn"}

    index: int = field(metadata=json_key("turn"))
    minutes: float
    """Conversation time of the user message, in minutes since the conversation began."""
    user: str | None
    probe: bool
    messages: tuple[Message, ...]
    """Messages that appear for the first time in this turn (user, summaries, reply)."""
    compactions: tuple[CompactionEvent, ...] = ()
    model_calls: tuple[ModelCall, ...] = ()
    reply: str | None = None
    error: str | None = field(default=None, metadata=OMIT_IF_DEFAULT)

    @property
    def reply_call(self) -> ModelCall | None:
        """The model call that wrote this turn's reply (the last one with purpose "reply")."""
        for call in reversed(self.model_calls):
            if call.purpose == "reply":
                return call
        return None


@dataclass(frozen=True)
class TraceHeader(JsonRecord):
    """The first record of a trace: what was replayed, with which setup."""

    json_tag: ClassVar[Mapping[str, Any]] = {
        "type": "header",
        "schema_version": TRACE_SCHEMA_VERSION,
    }

    scenario: str
    source: str
    disclosures: tuple[str, ...]
    agent: Mapping[str, Any] = field(default_factory=dict)
    setup: tuple[Message, ...] = ()
    """Messages present before the first user turn (the system prompt)."""
    checks: tuple[Mapping[str, Any], ...] = ()
    """The scenario's checks as plain data (``CheckSpec.to_json``), so a saved trace can be
    checked and reported again without its scenario file."""
    rules: tuple[str, ...] = ()
    """Ids of the rule packs the scenario selected."""
    regulations: tuple[str, ...] = ()
    """The scenario's free-text regulation references."""

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> TraceHeader:
        """The header of a trace of any readable version (a version 1 trace reads as it is:
        every field version 2 added has a default)."""
        version = str(record.get("schema_version", "1"))
        if version not in READABLE_VERSIONS:
            raise ValueError(
                f"trace schema version {version!r} is not one this replay reads "
                f"({', '.join(sorted(READABLE_VERSIONS))})"
            )
        return super().from_json(record)


@dataclass(frozen=True, slots=True)
class TraceEnd(JsonRecord):
    """The last record of a trace: how many turns precede it and whether the run finished.

    A trace without one was cut short (the run was killed); one whose run did not finish reads
    as incomplete. Neither is ever the compliant prefix it holds."""

    json_tag: ClassVar[Mapping[str, Any]] = {"type": "end"}

    turns: int
    finished: bool
    usage: tuple[ModelUsage, ...] = field(default=(), metadata=OMIT_IF_DEFAULT)
    """The tokens the trace's model calls used, per model name, sorted (:class:`UsageTally`).
    Written by every trace's writer since it was added; an older trace has none, and a reader
    that needs the totals sums the turns again (they are what decides, not this record)."""


@dataclass(frozen=True, slots=True)
class ToolCall(JsonRecord):
    """One tool (function) call a model made: its id, the tool's name, the JSON arguments."""

    id: str
    name: str
    arguments: str = ""
    """The arguments as the wire carried them (a JSON text; Anthropic's ``input`` object is
    written as compact JSON)."""


@dataclass(frozen=True, slots=True)
class Usage(JsonRecord):
    """Token usage as the API reported it (None where it did not say)."""

    input_tokens: int | None = None
    output_tokens: int | None = None


class UsageTally:
    """Sums the token usage of a stream of turn records, per model name.

    The one place a call's usage is decided, for every stream: the trace writer (the end
    record's ``usage``) and :class:`~replay.checks._verdict.VerdictStream` (a run's result, and
    a saved trace's when it is read back), so a run and its trace report the same totals.
    A call's numbers are the provider's where its reply reported them (``ModelCall.usage``),
    else replay's count: its ``input_tokens``, and its output message's ``tokens`` (none for a
    call that failed without output). A call counted in whole or in part is a counted call.
    """

    __slots__ = ("_models",)

    def __init__(self) -> None:
        self._models: dict[str, list[int]] = {}
        """model -> [calls, input tokens, output tokens, counted calls]."""

    def observe(self, record: TurnRecord) -> None:
        """Add one turn's model calls."""
        if not record.model_calls:
            return
        output_tokens: dict[str, int] | None = None
        for call in record.model_calls:
            usage = call.usage
            given = None if usage is None else usage.input_tokens
            taken = None if usage is None else usage.output_tokens
            if taken is None and call.output is not None:
                if output_tokens is None:  # built once per turn, only when a call needs it
                    output_tokens = {m.id: m.tokens for m in record.messages}
                # The output message is written in the turn of its call: not finding it is a
                # trace that does not say, counted as nothing rather than guessed.
                counted_output = output_tokens.get(call.output, 0)
            else:
                counted_output = 0
            totals = self._models.get(call.model)
            if totals is None:
                totals = self._models[call.model] = [0, 0, 0, 0]
            totals[0] += 1
            totals[1] += call.input_tokens if given is None else given
            totals[2] += counted_output if taken is None else taken
            totals[3] += given is None or taken is None

    def totals(self) -> tuple[ModelUsage, ...]:
        """The usage so far, per model name, sorted by name."""
        return tuple(ModelUsage(m, *self._models[m]) for m in sorted(self._models))
