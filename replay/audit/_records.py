"""What every log importer yields: one model call as a log recorded it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from replay.models._wire import WireMessage, WireReply
from replay.spec._scenario import Location


@dataclass(frozen=True)
class BadRecord:
    """A part of a log that could not be read: where it is and why (what importers that
    yield their malformed records beside their calls yield; an audit counts them in
    ``replay.audit._read.BadRecords``)."""

    where: Location
    reason: str


@dataclass(frozen=True)
class LogCompaction:
    """A compaction the log itself records (Inspect AI's ``CompactionEvent``): explicit
    evidence that the conversation was compacted before the call that carries it."""

    where: Location
    """The log record that says so."""
    kind: str
    """What was done, as the log names it (``summary``, ``edit``, ``trim``)."""
    source: str | None = None
    """Who compacted (``inspect``, an agent such as ``claude_code``)."""
    tokens_before: int | None = None
    tokens_after: int | None = None

    def describe(self) -> str:
        """The log's statement, for a trace's compaction reason."""
        by = f" by {self.source}" if self.source else ""
        tokens = (
            f", {self.tokens_before} -> {self.tokens_after} tokens"
            if self.tokens_before is not None and self.tokens_after is not None
            else ""
        )
        where = self.where
        article = "an" if self.kind[:1] in ("a", "e", "i", "o", "u") else "a"
        return (
            f"the log records {article} {self.kind} compaction{by}{tokens} "
            f"({where.file}:{where.line}:{where.column})"
        )


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
    purpose: Literal["summary"] | None = None
    """``"summary"`` when the log says this call wrote a compaction summary (Inspect's
    ``CompactionSummary`` call, just before its ``CompactionEvent``): never the turn's reply,
    its output the summary a later input carries."""
    turn_user: str | None = None
    """The user message whose turn this call belongs to, when the log knows it and the input
    does not end with it: Inspect's summary compaction folds the pending user message into
    the summary, so the summarization call ends with its prompt and the call after it with
    the summary, and both still answer that message."""
    summaries: tuple[int, ...] = ()
    """Positions in ``input`` of the messages the log marks as compaction summaries (Inspect's
    ``metadata.summary``), whatever their text."""
    compactions: tuple[LogCompaction, ...] = ()
    """Compactions the log records between the previous call of the conversation and this
    one (explicit evidence beside what the recorder observes leaving the input)."""
