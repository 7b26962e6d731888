"""Conversations to traces: logged calls recorded by the recording proxy's own recorder and
turn splitter, so an audited conversation reads exactly as a proxied one does.

One implementation: :class:`~replay.proxy.CallRecorder` makes the trace messages and model
calls and infers compaction from what left the model's input; :class:`~replay.proxy.TurnSplitter`
finds the turns. The splitter's clock is the log's timestamps, so a turn's minutes are the
conversation's wall-clock time (what ``recurs_every`` and the hour-based rule packs read).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from replay.audit._records import LogCompaction, LoggedCall
from replay.loop._reference import MessageFactory
from replay.loop._tokens import TokenCounter
from replay.proxy._recorder import CallRecorder
from replay.proxy._server import RefusedRequest
from replay.proxy._splitter import TurnSplitter
from replay.spec._loop import DEFAULT_ENCODING
from replay.spec._scenario import Scenario
from replay.trace._io import TraceWriter, trace_file_name
from replay.trace._records import CompactionEvent, TraceHeader, TurnRecord

NO_OUTPUT = "the log has no output for this call (the call failed or its output was not logged)"
NO_MODEL_INPUT = (
    "the log has no model inputs: it does not record what the model read (a transcript shows "
    "only the chat the user saw, a trace exported without message content shows none; the "
    "instructions, summaries and tools are unknown)"
)


class Calls(Protocol):
    """One conversation's calls as :func:`write_conversation` reads them: held in memory
    (:class:`Conversation`) or parked on disk (:class:`~replay.audit._spill.ParkedConversation`)."""

    @property
    def id(self) -> str: ...
    @property
    def format(self) -> str: ...
    @property
    def models(self) -> tuple[str, ...]: ...
    @property
    def agents(self) -> tuple[str, ...]: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def started(self) -> float | None: ...
    @property
    def calls(self) -> Iterable[LoggedCall]: ...


@dataclass(frozen=True)
class Conversation:
    """One conversation's calls, in the order they were made, held in memory."""

    id: str
    calls: tuple[LoggedCall, ...]
    format: str

    @property
    def sources(self) -> tuple[str, ...]:
        """The log files the conversation was read from, in order."""
        return tuple(dict.fromkeys(c.where.file for c in self.calls))

    @property
    def models(self) -> tuple[str, ...]:
        """The models its calls name, sorted."""
        return tuple(sorted({c.model for c in self.calls if c.model}))

    @property
    def agents(self) -> tuple[str, ...]:
        """The agent names its calls carry, sorted."""
        return tuple(sorted({c.agent for c in self.calls if c.agent}))

    @property
    def started(self) -> float | None:
        """The time of its first call that has one."""
        return next((c.seconds for c in self.calls if c.seconds is not None), None)


def conversations(calls: Iterable[LoggedCall], format: str) -> list[Conversation]:
    """Calls grouped by conversation id (in the order each conversation first appears), each
    ordered by time: sorted by ``seconds`` (stably, so calls logged at the same second keep
    their file order) when every call has one, else in file order (a call without a time
    cannot be placed among timed ones). In memory: an audit parks calls on disk instead
    (replay.audit._spill), with the same order."""
    groups: dict[str, list[LoggedCall]] = {}
    for call in calls:
        groups.setdefault(call.conversation, []).append(call)
    out = []
    for key, group in groups.items():
        if all(c.seconds is not None for c in group):
            group = sorted(group, key=lambda c: c.seconds or 0.0)
        out.append(Conversation(key, tuple(group), format))
    return out


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:80] or "conversation"


def trace_name(conversation: str, *, always_hash: bool = False) -> str:
    """The trace file name of a conversation: its id when that is a safe file name, else the
    id made safe plus a short hash of the id, so two ids never share a name (an id that is
    already safe cannot be another's made-safe name: those all end in a hash). ``always_hash``
    adds the hash to a safe id too (for a file system that folds case)."""
    name = _safe(conversation)
    if name != conversation or always_hash:
        digest = hashlib.sha256(conversation.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        name = f"{name}-{digest}"
    return trace_file_name(name)


def trace_names(items: Sequence[Conversation]) -> list[str]:
    """:func:`trace_name` of each conversation."""
    return [trace_name(c.id) for c in items]


def message_factory(scenario: Scenario) -> MessageFactory:
    """The message factory for ``scenario``'s disclosures, to share between the conversations
    of one audit (:func:`write_conversation` restarts its numbering for each)."""
    return MessageFactory(TokenCounter(scenario.agent.encoding), scenario.disclosures)


def with_logged_compactions(record: TurnRecord, logged: tuple[LogCompaction, ...]) -> TurnRecord:
    """A turn's compaction events with what the log itself records of them: the event the
    recorder observed (what left the model's input) names the log's statement and takes its
    kind as its policy (``logged:summary``); when nothing was seen to leave, the log's event
    is still recorded (removing nothing, losing nothing: the disclosures are judged from the
    inputs, as always), so a report shows where the log says the context was compacted."""
    said = "; ".join(c.describe() for c in logged)
    policy = f"logged:{logged[0].kind}"
    if record.compactions:
        first, *rest = record.compactions
        events = (replace(first, policy=policy, reason=f"{said}; {first.reason}"), *rest)
    else:
        events = (
            CompactionEvent(
                policy=policy,
                reason=f"{said}; no message the audit could see left the model's input",
                tokens_before=logged[0].tokens_before or 0,
                tokens_after=logged[-1].tokens_after or 0,
                messages_before=0,
                messages_after=0,
                removed=(),
            ),
        )
    return replace(record, compactions=events)


class _Clock:
    """The splitter's clock: the time of the call being recorded, from the log."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def write_conversation(
    conversation: Calls, scenario: Scenario, path: Path, factory: MessageFactory | None = None
) -> int:
    """Record one conversation as a trace at ``path``, with ``scenario``'s checks, rule packs
    and disclosures in its header (so ``replay report`` re-checks it from the header alone).

    Returns the number of turns written. ``factory`` (:func:`message_factory`) may be shared
    by the conversations of an audit: texts they share are tokenized and matched once.

    Fail closed: a call without output, or with an error, is recorded with its error, so its
    turn has an error and the conversation cannot complete; a transcript's calls say their
    input is unknown, so no check of the model's context can hold on them.
    """
    disclosures = tuple(d.id for d in scenario.disclosures)
    if factory is None:
        factory = message_factory(scenario)
    factory.restart()
    recorder = CallRecorder(factory, disclosures)
    agent: dict[str, Any] = {"type": "audit", "format": conversation.format}
    if conversation.models:
        agent["model"] = ", ".join(conversation.models)
    if conversation.agents:
        agent["name"] = ", ".join(conversation.agents)
    agent["encoding"] = scenario.agent.encoding or DEFAULT_ENCODING
    header = TraceHeader(
        scenario=conversation.id[:200],
        source=", ".join(conversation.sources),
        disclosures=disclosures,
        agent=agent,
        checks=tuple(c.to_json() for c in scenario.checks),
        rules=scenario.rules,
        regulations=scenario.regulations,
    )
    clock = _Clock(conversation.started or 0.0)
    writer = TraceWriter.open(path)
    turns = 0

    logged: list[LogCompaction] = []  # what the log says of the turn being recorded

    def emit(record: Any) -> None:
        nonlocal turns
        turns += 1
        if logged and isinstance(record, TurnRecord):
            record = with_logged_compactions(record, tuple(logged))
            logged.clear()
        writer.write(record)

    finished = False
    try:
        writer.write(header)
        splitter = TurnSplitter(recorder, emit, clock=clock)
        for call in conversation.calls:
            if call.seconds is not None:
                clock.now = call.seconds
            wire = [(m.role, m.text) for m in call.input]
            if call.turn_user is not None:  # the log says which user message it answers
                answered = ("user", call.turn_user)
                wire = [*(w for w in wire if w != answered), answered]
            try:
                splitter(wire, call.model)
            except RefusedRequest:
                # Two conversations under one id: as the proxy does, the call is refused and
                # every turn from here on carries the conflict, so the trace reads incomplete.
                continue
            logged.extend(call.compactions)  # after the splitter emitted the turn before
            inputs = recorder.resolve(call.input, call.summaries)
            error = call.error
            if error is None and call.output is None:
                error = NO_OUTPUT
            recorder.record_call(
                call.model or "unknown",
                inputs,
                None if error is not None else call.output,
                error,
                input_unknown=None
                if call.input_complete
                else (call.unknown_because or NO_MODEL_INPUT),
                summary=call.purpose == "summary",
            )
        splitter.flush()
        finished = True
    finally:
        writer.close(finished)
    return turns
