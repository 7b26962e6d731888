"""The ``Model`` protocol every reply source implements, its request, and its error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from replay.errors import RunIncomplete
from replay.trace._records import Message, Usage

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


@dataclass(frozen=True)
class Reply:
    """A reply with the token usage its provider reported (a live model's). Offline models
    return the text alone: their calls' usage is counted by replay."""

    text: str
    usage: Usage | None = None


def reply_parts(reply: str | Reply) -> tuple[str, Usage | None]:
    """The text of what a model (or summarizer) returned, and the usage it reported if any."""
    if isinstance(reply, Reply):
        return reply.text, reply.usage
    return reply, None


class Model(Protocol):
    name: str

    def reply(self, request: ModelRequest) -> str | Reply: ...


class ModelError(RunIncomplete, RuntimeError):
    """The model could not produce a reply; the run cannot complete (exit 3)."""


def close_all(*parts: object) -> None:
    """Close the models and summarizers that hold resources (a live client's connections)."""
    for part in parts:
        close = getattr(part, "close", None)
        if callable(close):
            close()
