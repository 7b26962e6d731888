"""One verdict from a stream of turn records.

    TurnRecords (played by ``replay run``, or read back by ``replay check`` / ``replay report``)
        --> VerdictStream --> counts, check results, error, token usage --> RunResult

Every way a stream of turn records becomes a verdict goes through :class:`VerdictStream`, so
the replay of a scenario and the re-reading of its trace cannot disagree on what counts as
complete. Fail closed: a stream with no turns, a turn that recorded an error (a model or
summarizer failure, a model call still in flight when the proxy stopped) and a stream that
ended before its end (a trace cut short, a run that stopped early) all give an error verdict,
and no check of such a stream holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from replay.results import CheckResult, ModelUsage, RunResult
from replay.trace._records import TurnRecord, UsageTally

if TYPE_CHECKING:  # the runner's check_trace streams through here: no import at run time
    from replay.checks._runner import CheckRunner

NO_TURNS = (
    "the trace holds no turns, so nothing was checked (recorded by replay proxy: did the agent "
    "send any request to it? read by replay audit: did the log record any user message?)"
)
"""The error of a trace without a turn (what the proxy writes when no request reached it, and
the audit when a log's calls carry no user message, e.g. exported without message content)."""


@dataclass(frozen=True)
class Verdict:
    """What a whole stream of turn records showed: its counts, check results, error and
    token usage."""

    turns: int
    compactions: int
    checks: tuple[CheckResult, ...]
    error: str | None
    """Why the stream is incomplete (then the verdict is "error"), else None."""
    error_turn: int | None
    usage: tuple[ModelUsage, ...] = ()
    """The tokens the stream's model calls used, per model (:class:`UsageTally`)."""

    def result(
        self,
        *,
        scenario: str,
        path: str,
        trace_path: str | None = None,
        regulations: Iterable[str] = (),
        agent: dict[str, Any] | None = None,
        rules: Iterable[str] = (),
    ) -> RunResult:
        """The run result of this stream, for the scenario (and trace file) it belongs to."""
        return RunResult(
            scenario=scenario,
            path=path,
            turns=self.turns,
            compactions=self.compactions,
            checks=self.checks,
            error=self.error,
            error_turn=self.error_turn,
            trace_path=trace_path,
            regulations=tuple(regulations),
            agent=dict(agent) if agent is not None else {},
            rules=tuple(rules),
            usage=self.usage,
        )


class VerdictStream:
    """Feeds turn records to a scenario's checks and keeps what decides the verdict.

    Nothing per turn is kept (memory stays flat); the first turn that recorded an error is
    the one the verdict names. The caller decides whether to read on after it
    (:attr:`stopped`): a replay stops there, a saved trace is read to its end (its chart shows
    the rest).
    """

    def __init__(self, runner: CheckRunner, *, empty: str = NO_TURNS) -> None:
        self.runner = runner
        self.turns = 0
        self.compactions = 0
        self.error: str | None = None
        self.error_turn: int | None = None
        self.usage = UsageTally()
        """Every turn's model calls, the failed turn's included (it made them: they count)."""
        self._empty = empty
        """The error of a stream that ended without a turn."""

    @property
    def stopped(self) -> bool:
        """A turn recorded an error: the conversation did not go on as scripted."""
        return self.error_turn is not None

    def observe(self, record: TurnRecord) -> None:
        """One turn: counted, shown to the checks, its error (if the first) kept."""
        self.turns += 1
        self.compactions += len(record.compactions)
        self.usage.observe(record)
        self.runner.observe(record)
        if record.error is not None and self.error is None:
            self.error, self.error_turn = f"turn {record.index}: {record.error}", record.index

    def cut_short(self, reason: str) -> None:
        """The stream ended before its end (a trace cut short, a run that stopped early).

        An error already recorded stays the one named: it is what stopped the run.
        """
        if self.error is None:
            self.error = reason

    def finish(self) -> Verdict:
        """The verdict of the stream so far; a stream without a turn is never complete."""
        error = self.error
        if self.turns == 0 and error is None:
            error = self._empty  # fail closed: nothing recorded means nothing was checked
        return Verdict(
            turns=self.turns,
            compactions=self.compactions,
            checks=tuple(self.runner.finish(complete=error is None)),
            error=error,
            error_turn=self.error_turn,
            usage=self.usage.totals(),
        )
