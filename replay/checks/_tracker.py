"""Where each disclosure is in the model's input: its carriers, the last turn it held, and what
removed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from replay.results import CompactionEvidence, StatementEvidence, excerpt
from replay.trace._records import (
    CompactionEvent,
    Message,
    TurnRecord,
)


class TraceIndex:
    """The messages a check may still need: those of the live context and this turn."""

    def __init__(self, setup: Iterable[Message] = ()) -> None:
        self._messages: dict[str, Message] = {m.id: m for m in setup}

    def add(self, messages: Iterable[Message]) -> None:
        for message in messages:
            self._messages[message.id] = message

    def __getitem__(self, message_id: str) -> Message:
        return self._messages[message_id]

    def get(self, message_id: str | None) -> Message | None:
        return None if message_id is None else self._messages.get(message_id)

    def ids(self) -> Iterable[str]:
        return self._messages.keys()

    def prune(self, record: TurnRecord) -> bool:
        """Forget messages that left the context (memory stays flat over long traces).

        Returns whether anything was forgotten.
        """
        if not record.compactions and record.index % 64:
            # In the reference loop nothing leaves the context without a compaction event;
            # imported traces may drop messages silently, so sweep now and then too.
            return False
        live = {i for call in record.model_calls for i in call.input}
        live.update(m.id for m in record.messages)
        self._messages = {i: m for i, m in self._messages.items() if i in live}
        return True


@dataclass
class DisclosureTracker:
    """Per disclosure: what of it the model's input carries now, since when, and what took it.

    Two carriers are tracked apart (docs/architecture.md): the *instruction* to disclose (the
    duty: a system or developer message, a summary that kept it, an injected reminder) and a
    *statement* of it (the fact: a greeting, an earlier reply). Once any model input has
    carried the instruction, the disclosure holds only while the instruction does: a model
    that still sees an old "I'm an AI" but no longer its duty tends to answer in persona. A
    product that never instructs it (greeting-only) is judged on its statements instead.
    """

    disclosure: str
    held: bool = False
    """The reply call's input carries what the disclosure is judged on (see above)."""
    instructed: bool = False
    stated: bool = False
    duty: bool = False
    """Some model input carried the instruction: from then on the instruction must hold."""
    last_held_turn: int | None = None
    loss: CompactionEvidence | None = None
    """The compaction that removed what the disclosure is judged on, if one did."""
    instruction_carriers: set[str] = field(default_factory=set)
    statement_carriers: set[str] = field(default_factory=set)
    """Ids of the known messages that instruct or state the disclosure (a set lookup per input
    id is cheaper than asking every message, and this runs for every turn of long traces)."""
    _input: tuple[str, ...] = ()

    def add(self, messages: Iterable[Message]) -> None:
        d = self.disclosure
        for m in messages:
            if m.instructions or m.disclosures:  # most messages carry nothing
                if d in m.instructions:
                    self.instruction_carriers.add(m.id)
                if d in m.disclosures:
                    self.statement_carriers.add(m.id)

    def observe(self, record: TurnRecord, index: TraceIndex) -> None:
        self.add(record.messages)
        for event in record.compactions:
            # Once the duty is what counts, the loss to show is the compaction that removed the
            # instruction, not a later one that dropped a lingering statement.
            if self.disclosure in event.lost and (
                not self.duty or not self.instruction_carriers.isdisjoint(event.removed)
            ):
                self.loss = compaction_evidence(record.index, event, index, self.disclosure)
        call = record.reply_call
        if call is None:
            return
        self._input = call.input
        self.instructed = not self.instruction_carriers.isdisjoint(call.input)
        self.stated = not self.statement_carriers.isdisjoint(call.input)
        self.duty = self.duty or self.instructed
        self.held = self.instructed if self.duty else self.stated
        if self.held:
            self.last_held_turn = record.index

    def forget(self, live: Iterable[str]) -> None:
        """Drop carriers that left the context (the index forgot them)."""
        live = set(live)
        self.instruction_carriers.intersection_update(live)
        self.statement_carriers.intersection_update(live)

    def lingering(self, index: TraceIndex) -> StatementEvidence | None:
        """The oldest statement of the disclosure in the last reply call's input, if any."""
        if not self.stated:
            return None
        for message_id in self._input:
            if message_id in self.statement_carriers:
                message = index.get(message_id)
                if message is not None:
                    return StatementEvidence(
                        message.turn, message.id, message.kind, excerpt(message.content)
                    )
        return None


def removed_carriers(
    event: CompactionEvent, index: TraceIndex, disclosure: str, *, instructions_only: bool = False
) -> list[Message]:
    """The messages the event removed that stated or instructed the disclosure, oldest first."""
    removed = [m for m in (index.get(i) for i in event.removed) if m is not None]
    if instructions_only:
        return [m for m in removed if disclosure in m.instructions]
    return [m for m in removed if m.carries(disclosure)]


def compaction_evidence(
    turn: int, event: CompactionEvent, index: TraceIndex, disclosure: str
) -> CompactionEvidence:
    """What a compaction removed of a disclosure and what replaced it.

    The oldest removed instruction is quoted, else the oldest removed statement: the
    instruction is usually the source (the system prompt) and what the duty hangs on.
    """
    carriers = removed_carriers(
        event, index, disclosure, instructions_only=True
    ) or removed_carriers(event, index, disclosure)
    carrier = carriers[0] if carriers else None
    replacement = index.get(event.replacement)
    return CompactionEvidence(
        turn=turn,
        policy=event.policy,
        reason=event.reason,
        tokens_before=event.tokens_before,
        tokens_after=event.tokens_after,
        removed_id=carrier.id if carrier else None,
        removed_text=excerpt(carrier.content) if carrier else None,
        replacement_id=replacement.id if replacement else None,
        replacement_text=excerpt(replacement.content) if replacement else None,
    )
