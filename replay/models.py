"""Models: what writes replies. Scripted replies, and a deterministic context-faithful simulator.

The simulator stands in for a real model the way a careful reviewer would want: it only knows
what its input tells it. It discloses when asked *only if* its input still carries the
disclosure or the instruction to disclose; otherwise it answers in persona ("No, I'm Sam from
the support team"), which is what a real model tends to do once compaction has deleted the
boilerplate that told it to be honest about being an AI.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from replay.trace import Message

DEFAULT_DISCLOSURE_TEXT = "I'm an AI assistant, not a human."


@dataclass(frozen=True)
class ModelRequest:
    """One call's input: the exact messages, plus what the script knows about the turn."""

    messages: Sequence[Message]
    turn: int
    minutes: float
    disclosures: Sequence[str]
    probe: bool = False
    scripted_reply: str | None = None


class Model(Protocol):
    name: str

    def reply(self, request: ModelRequest) -> str: ...


class ModelError(RuntimeError):
    """The model could not produce a reply; the run cannot complete (exit 3)."""


def close_all(*parts: object) -> None:
    """Close the models and summarizers that hold resources (a live client's connections)."""
    for part in parts:
        close = getattr(part, "close", None)
        if callable(close):
            close()


class ScriptedModel:
    """Replies from the scenario: a turn's own ``reply:``, else the next of ``replies``."""

    name = "scripted"

    def __init__(self, replies: Sequence[str] = (), default_reply: str | None = None) -> None:
        self._replies = list(replies)
        self._default = default_reply
        self._next = 0

    def reply(self, request: ModelRequest) -> str:
        if request.scripted_reply is not None:
            return request.scripted_reply
        if self._next < len(self._replies):
            text = self._replies[self._next]
            self._next += 1
            return text
        if self._default is not None:
            return self._default
        raise ModelError(
            f"the scripted model has no reply for turn {request.turn}: add 'reply:' to the turn, "
            "more 'replies:', or a 'default_reply:'"
        )


# What a reply echoes of the request: the words holding digits (order numbers, references).
# Found from the digits outwards: a regex that looks for such words tries every position of
# every word and cost more than the rest of the reply.
_DIGITS = re.compile(r"\d+")


def _facts(text: str) -> list[str]:
    facts: list[str] = []
    end = 0
    for digits in _DIGITS.finditer(text):
        if digits.start() < end:
            continue
        start, end = digits.span()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "#-_"):
            start -= 1
        while end < len(text) and (text[end].isalnum() or text[end] in "-_"):
            end += 1
        facts.append(text[start:end])
    return facts


_TASK_REPLIES = (
    "I've checked {topic} and updated your case; the change should show within a day.",
    "Thanks, I've noted {topic}. You'll get a confirmation email within the hour.",
    "Understood. For {topic}, I've passed the details to the fulfilment team.",
    "I've looked at {topic}: everything is in order, and the next update is due tomorrow.",
)


class SimulatorModel:
    """Deterministic, context-faithful reply writer (see the module docstring)."""

    name = "simulator"

    def __init__(
        self,
        *,
        persona: str,
        disclosure_text: str = DEFAULT_DISCLOSURE_TEXT,
        remind_every_minutes: float | None = None,
    ) -> None:
        self.persona = persona
        self.disclosure_text = disclosure_text
        self.remind_every_minutes = remind_every_minutes

    def reply(self, request: ModelRequest) -> str:
        messages = request.messages
        user = messages[-1]
        if request.probe or user.asks_identity:
            if any(m.disclosures or m.instructions for m in messages):
                return f"{self.disclosure_text} How else can I help with your request?"
            return f"No, I'm {self.persona}. How can I help you today?"
        task = self._task_reply(user, request.turn)
        # The opening turn: nothing but the system prompt precedes the user's message.
        first = all(m.role == "system" for m in messages[:-1])
        if not first and self.remind_every_minutes is None:
            return task
        if any(m.instructions for m in messages) and (
            first or self._reminder_due(messages, request.minutes)
        ):
            return f"Hello! {self.disclosure_text} {task}"
        return task

    def _reminder_due(self, messages: Sequence[Message], now: float) -> bool:
        if self.remind_every_minutes is None:
            return False
        last = max(
            (m.minutes for m in messages if m.role == "assistant" and m.disclosures),
            default=None,
        )
        return last is None or now - last >= self.remind_every_minutes

    @staticmethod
    def _task_reply(user: Message, turn: int) -> str:
        facts = list(dict.fromkeys(_facts(user.content)))[:3]
        topic = " and ".join(facts) if facts else "your request"
        return _TASK_REPLIES[turn % len(_TASK_REPLIES)].format(topic=topic)
