"""What every log importer yields: one model call as a log recorded it."""

from __future__ import annotations

from dataclasses import dataclass

from replay.models._wire import WireMessage, WireReply
from replay.spec._scenario import Location


@dataclass(frozen=True)
class LoggedCall:
    """One model call read from a production log, in the wire vocabulary the proxy records.

    ``input`` is what the log says the model received, in order (system instructions first
    when the log has them). ``input_complete`` is False when the log shows only the visible
    chat (a transcript export), not the model's real input: such a call says what the model
    answered, never what was in its context, so checks of the context cannot be judged from
    it (and are never reported as passed).
    """

    conversation: str
    """The conversation (session, thread) the call belongs to, as the log names it."""
    where: Location
    """The log record the call was read from: file and line (column 1 for JSON Lines)."""
    input: tuple[WireMessage, ...]
    output: WireReply | None
    """What the model answered; None when the call failed or the log lost its output."""
    seconds: float | None = None
    """When the call was made (POSIX seconds), for ordering and conversation time."""
    model: str | None = None
    agent: str | None = None
    """The agent's name when the log has one (``gen_ai.agent.name``)."""
    error: str | None = None
    """Why the call failed, as the log says."""
    input_complete: bool = True
    unknown_because: str | None = None
    """When ``input_complete`` is False, why the model's input is not known, in a sentence the
    reports show (default: the log records no model inputs). A Responses ``compaction`` item,
    say, is opaque: what the model read in its place cannot be judged, only what it said."""
