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
from typing import Any

from replay.spec._vocab import INSTRUCTION, STATEMENT, CallPurpose, Carrier, MessageKind

TRACE_SCHEMA_VERSION = "2"
"""Version 2 added the structure of model calls: messages' tool calls, tool results, content
parts and opaque items; calls' API, tool definitions, finish reason, refusal, usage, response id
and what of their input is unknown. Every field it added is optional, so a version 1 trace
reads as one whose messages are plain text (see :data:`READABLE_VERSIONS`)."""
READABLE_VERSIONS = frozenset({"1", "1.0", "1.1", TRACE_SCHEMA_VERSION})
"""Trace versions this reader understands; a header naming another is refused (exit 2)."""


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message, annotated once when it is created."""

    id: str
    role: str
    content: str
    tokens: int
    turn: int
    kind: MessageKind
    minutes: float = 0.0
    """Conversation time (minutes since the start) at which the message was written."""
    disclosures: frozenset[str] = frozenset()
    """Ids of the disclosures this message states (e.g. "I'm an AI assistant")."""
    instructions: frozenset[str] = frozenset()
    """Ids of the disclosures this message instructs the model to make."""
    claims_human: bool = False
    asks_identity: bool = False
    """The message asks whether the other side is a human or an AI (a probe)."""
    shown: bool = False
    """An opening message the user sees (a greeting in the chat window), not only the model."""
    tool_calls: tuple[ToolCall, ...] = ()
    """The tool calls an assistant message makes. They are not text: an assistant message that
    only calls tools has empty ``content`` and shows the user nothing, so no check reads it as
    a statement, a claim or a reply the user saw."""
    tool_call_id: str | None = None
    """For a tool result (role ``tool``): the id of the call it answers. A tool result is what
    a tool returned, never the agent telling the user anything: it carries no disclosure."""
    parts: tuple[str, ...] = ()
    """The content's parts in order when it has non-text ones (text parts as text, images and
    files as placeholders such as ``[image]``); ``content`` is the text parts joined."""
    opaque: str | None = None
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

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "role": self.role,
            "kind": self.kind,
            "turn": self.turn,
            "minutes": self.minutes,
            "tokens": self.tokens,
            "content": self.content,
        }
        if self.disclosures:
            record["disclosures"] = sorted(self.disclosures)
        if self.instructions:
            record["instructions"] = sorted(self.instructions)
        if self.claims_human:
            record["claims_human"] = True
        if self.asks_identity:
            record["asks_identity"] = True
        if self.shown:
            record["shown"] = True
        if self.tool_calls:
            record["tool_calls"] = [c.to_json() for c in self.tool_calls]
        if self.tool_call_id is not None:
            record["tool_call_id"] = self.tool_call_id
        if self.parts:
            record["parts"] = list(self.parts)
        if self.opaque is not None:
            record["opaque"] = self.opaque
        return record

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> Message:
        return cls(
            id=record["id"],
            role=record["role"],
            content=record["content"],
            tokens=record["tokens"],
            turn=record["turn"],
            kind=record["kind"],
            minutes=record.get("minutes", 0.0),
            disclosures=frozenset(record.get("disclosures", ())),
            instructions=frozenset(record.get("instructions", ())),
            claims_human=record.get("claims_human", False),
            asks_identity=record.get("asks_identity", False),
            shown=record.get("shown", False),
            tool_calls=tuple(ToolCall.from_json(c) for c in record.get("tool_calls", ())),
            tool_call_id=record.get("tool_call_id"),
            parts=tuple(record.get("parts", ())),
            opaque=record.get("opaque"),
        )


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
class ModelCall:
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
    error: str | None = None
    api: str | None = None
    """The wire API of the call (``openai``, ``anthropic``, ``responses``), when the proxy
    recorded it."""
    tools: tuple[str, ...] = ()
    """The names of the tools the request offered the model."""
    finish_reason: str | None = None
    refusal: str | None = None
    usage: Usage | None = None
    response_id: str | None = None
    """The id the API gave the reply (a Responses API id names server-side state)."""
    input_unknown: str | None = None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "purpose": self.purpose,
            "model": self.model,
            "input": list(self.input),
            "input_tokens": self.input_tokens,
            "output": self.output,
        }
        if self.error is not None:
            record["error"] = self.error
        if self.api is not None:
            record["api"] = self.api
        if self.tools:
            record["tools"] = list(self.tools)
        if self.finish_reason is not None:
            record["finish_reason"] = self.finish_reason
        if self.refusal is not None:
            record["refusal"] = self.refusal
        if self.usage is not None:
            record["usage"] = self.usage.to_json()
        if self.response_id is not None:
            record["response_id"] = self.response_id
        if self.input_unknown is not None:
            record["input_unknown"] = self.input_unknown
        return record

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> ModelCall:
        return cls(
            purpose=record["purpose"],
            model=record["model"],
            input=tuple(record["input"]),
            input_tokens=record["input_tokens"],
            output=record.get("output"),
            error=record.get("error"),
            api=record.get("api"),
            tools=tuple(record.get("tools", ())),
            finish_reason=record.get("finish_reason"),
            refusal=record.get("refusal"),
            usage=Usage.from_json(record["usage"]) if record.get("usage") else None,
            response_id=record.get("response_id"),
            input_unknown=record.get("input_unknown"),
        )


@dataclass(frozen=True, slots=True)
class CompactionEvent:
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

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "reason": self.reason,
            "tokens_before": self.tokens_before,
            "tokens_after": self.tokens_after,
            "messages_before": self.messages_before,
            "messages_after": self.messages_after,
            "removed": list(self.removed),
            "replacement": self.replacement,
            "lost": list(self.lost),
        }

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> CompactionEvent:
        return cls(
            policy=record["policy"],
            reason=record["reason"],
            tokens_before=record["tokens_before"],
            tokens_after=record["tokens_after"],
            messages_before=record["messages_before"],
            messages_after=record["messages_after"],
            removed=tuple(record["removed"]),
            replacement=record.get("replacement"),
            lost=tuple(record.get("lost", ())),
        )


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """Everything that happened in one turn, in order."""

    index: int
    minutes: float
    """Conversation time of the user message, in minutes since the conversation began."""
    user: str | None
    probe: bool
    messages: tuple[Message, ...]
    """Messages that appear for the first time in this turn (user, summaries, reply)."""
    compactions: tuple[CompactionEvent, ...] = ()
    model_calls: tuple[ModelCall, ...] = ()
    reply: str | None = None
    error: str | None = None

    @property
    def reply_call(self) -> ModelCall | None:
        """The model call that wrote this turn's reply (the last one with purpose "reply")."""
        for call in reversed(self.model_calls):
            if call.purpose == "reply":
                return call
        return None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "type": "turn",
            "turn": self.index,
            "minutes": self.minutes,
            "user": self.user,
            "probe": self.probe,
            "messages": [m.to_json() for m in self.messages],
            "compactions": [c.to_json() for c in self.compactions],
            "model_calls": [c.to_json() for c in self.model_calls],
            "reply": self.reply,
        }
        if self.error is not None:
            record["error"] = self.error
        return record

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> TurnRecord:
        return cls(
            index=record["turn"],
            minutes=record["minutes"],
            user=record.get("user"),
            probe=record.get("probe", False),
            messages=tuple(Message.from_json(m) for m in record.get("messages", ())),
            compactions=tuple(CompactionEvent.from_json(c) for c in record.get("compactions", ())),
            model_calls=tuple(ModelCall.from_json(c) for c in record.get("model_calls", ())),
            reply=record.get("reply"),
            error=record.get("error"),
        )


@dataclass(frozen=True)
class TraceHeader:
    """The first record of a trace: what was replayed, with which setup."""

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

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "header",
            "schema_version": TRACE_SCHEMA_VERSION,
            "scenario": self.scenario,
            "source": self.source,
            "disclosures": list(self.disclosures),
            "agent": dict(self.agent),
            "setup": [m.to_json() for m in self.setup],
            "checks": [dict(c) for c in self.checks],
            "rules": list(self.rules),
            "regulations": list(self.regulations),
        }

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
        return cls(
            scenario=record["scenario"],
            source=record["source"],
            disclosures=tuple(record["disclosures"]),
            agent=record.get("agent", {}),
            setup=tuple(Message.from_json(m) for m in record.get("setup", ())),
            checks=tuple(record.get("checks", ())),
            rules=tuple(record.get("rules", ())),
            regulations=tuple(record.get("regulations", ())),
        )


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One tool (function) call a model made: its id, the tool's name, the JSON arguments."""

    id: str
    name: str
    arguments: str = ""
    """The arguments as the wire carried them (a JSON text; Anthropic's ``input`` object is
    written as compact JSON)."""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "arguments": self.arguments}

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> ToolCall:
        return cls(str(record["id"]), str(record["name"]), str(record.get("arguments", "")))


@dataclass(frozen=True, slots=True)
class Usage:
    """Token usage as the API reported it (None where it did not say)."""

    input_tokens: int | None = None
    output_tokens: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens}

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> Usage:
        return cls(record.get("input_tokens"), record.get("output_tokens"))
