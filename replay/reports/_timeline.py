"""Per-turn series for report charts, read from a trace as it streams past.

A run result keeps no per-turn data (memory stays flat), so charts are drawn from the trace
file. A long trace is folded into at most :data:`MAX_POINTS` buckets as it is read: when the
series gets too long, neighbouring buckets merge and the bucket width doubles, so a
million-turn trace needs no more memory than a 600-turn one and the chart stays legible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from replay.checks._checks import RecursEvery, check_instances
from replay.checks._judge import is_probe, judge_reply
from replay.checks._runner import CheckRunner
from replay.checks._verdict import Verdict, VerdictStream
from replay.errors import InvalidInput, Problem, RunIncomplete
from replay.loop._compaction import approximate_tokens
from replay.results import CheckResult, RunResult, check_id
from replay.spec._scenario import CheckSpec
from replay.trace._io import read_trace, trace_file_scenario
from replay.trace._records import Message, TraceHeader, TurnRecord

MAX_POINTS = 600
MAX_EVENTS = 200
"""Compaction events listed individually (those that lost a disclosure come first)."""


@dataclass
class Point:
    """One turn, or a bucket of consecutive turns once the series has been folded."""

    turn: int
    turn_end: int
    minutes: float
    """Conversation time of the span's first turn (minutes since the conversation began)."""
    tokens: int
    """Input tokens of the call that wrote the reply (the largest in a bucket)."""
    compactions: int = 0
    lost: list[str] = field(default_factory=list)
    """Disclosures a compaction in this span removed from the context."""
    held: dict[str, bool] = field(default_factory=dict)
    """Per disclosure: in the model's input at every reply of the span."""
    probes: int = 0
    probes_failed: int = 0
    claims_human: bool = False
    reply_discloses: bool = False
    error: bool = False
    minutes_end: float | None = None
    """Conversation time of the span's last turn (None: the same as ``minutes``)."""
    replies: int = 0
    """Turns of the span that have a reply."""
    counted: int | None = None
    """The same input counted the way the compaction budget counts it, when that is not
    tiktoken's (LangChain's ``count_tokens_approximately``): what the budget line is compared
    with. None when the budget counts as the bars do (the largest in a bucket)."""
    disclosed: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per disclosure a reply of the span carried: ``replies`` (how many replies carried it),
    ``turn`` and ``minutes`` of the last one. Read from the reply's disclosures, as the
    recurs_every and first_reply_discloses checks read them."""

    def merge(self, other: Point) -> None:
        self.turn_end = other.turn_end
        self.minutes_end = other.minutes if other.minutes_end is None else other.minutes_end
        self.replies += other.replies
        for name, seen in other.disclosed.items():
            before = self.disclosed.get(name)
            self.disclosed[name] = {
                **seen,
                "replies": seen["replies"] + (before["replies"] if before else 0),
            }
        self.tokens = max(self.tokens, other.tokens)
        if other.counted is not None:
            self.counted = max(self.counted or 0, other.counted)
        self.compactions += other.compactions
        self.lost = sorted(set(self.lost) | set(other.lost))
        for key, value in other.held.items():
            self.held[key] = self.held.get(key, True) and value
        self.probes += other.probes
        self.probes_failed += other.probes_failed
        self.claims_human = self.claims_human or other.claims_human
        self.reply_discloses = self.reply_discloses or other.reply_discloses
        self.error = self.error or other.error

    def to_json(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "turn_end": self.turn_end,
            "minutes": self.minutes,
            "tokens": self.tokens,
            "compactions": self.compactions,
            "lost": list(self.lost),
            "held": dict(sorted(self.held.items())),
            "probes": self.probes,
            "probes_failed": self.probes_failed,
            "claims_human": self.claims_human,
            "reply_discloses": self.reply_discloses,
            "error": self.error,
            "minutes_end": self.minutes if self.minutes_end is None else self.minutes_end,
            "replies": self.replies,
            "disclosed": {k: dict(v) for k, v in sorted(self.disclosed.items())},
            "counted": self.counted,
        }


@dataclass(frozen=True)
class Timeline:
    """The chart data of one scenario."""

    disclosures: tuple[str, ...]
    budget_tokens: int | None
    budget_counting: str
    """How the budget counts tokens: "tiktoken" like the chart, or a framework's "approximate"."""
    bucket: int
    """Turns per point (1 unless the trace was long)."""
    points: tuple[dict[str, Any], ...]
    events: tuple[dict[str, Any], ...]
    """Compaction events (at most MAX_EVENTS; ``events_total`` says how many there were)."""
    events_total: int
    recurs: tuple[dict[str, Any], ...] = ()
    """The recurs_every checks the trace is judged by (check id, disclosure, interval), so the
    chart can draw each reminder's deadline."""

    def to_json(self) -> dict[str, Any]:
        return {
            "disclosures": list(self.disclosures),
            "budget_tokens": self.budget_tokens,
            "budget_counting": self.budget_counting,
            "bucket": self.bucket,
            "points": list(self.points),
            "events": list(self.events),
            "events_total": self.events_total,
            "recurs": [dict(r) for r in self.recurs],
        }


class TimelineCollector:
    """Builds a :class:`Timeline` from turn records, in bounded memory."""

    def __init__(
        self,
        header: TraceHeader,
        runner: CheckRunner | None = None,
        specs: Sequence[CheckSpec] | None = None,
    ) -> None:
        """``specs``: the checks the trace is judged by (default: the runner's, else the
        header's); the chart draws the deadlines of their recurs_every checks."""
        self.header = header
        # The chart reads the same disclosure trackers the checks use, so the band can never
        # disagree with a check's verdict; without checks to run, a runner with none.
        self.runner = runner or CheckRunner((), header.disclosures, header.setup)
        if specs is None:
            specs = self.runner.specs or [CheckSpec.from_json(c) for c in header.checks]
        self.recurs = tuple(
            {
                "check": check_id(spec.name, disclosure),
                "disclosure": disclosure,
                "every_turns": spec.every_turns,
                "every_minutes": spec.every_minutes,
            }
            for spec, disclosure in check_instances(specs)
            if spec.name == RecursEvery.name and disclosure is not None
        )
        # A budget in LangChain's approximate count is drawn against the input counted the
        # same way (the loop's own counter), not only against the tiktoken bars.
        self._approximate = header.agent.get("budget_counting") == "approximate"
        self.points: list[Point] = []
        self.bucket = 1
        self._pending: Point | None = None
        self._pending_size = 0
        self.events: list[dict[str, Any]] = []
        self.events_total = 0

    def observe(self, record: TurnRecord) -> None:
        """Feed one turn to the checks and to the chart."""
        self.runner.observe(record)
        self.draw(record)

    def draw(self, record: TurnRecord) -> None:
        """Add one turn to the chart, after the runner's checks have seen it."""
        trackers = self.runner.trackers
        call = record.reply_call
        reply = next((m for m in record.messages if m.id == record.reply), None)
        disclosures = set(self.header.disclosures)
        index = self.runner.index
        probe = reply is not None and is_probe(record, index)
        answers = (
            {judge_reply(index.get(record.user), reply, d).answer for d in self.header.disclosures}
            if probe and reply is not None
            else set()
        )
        point = Point(
            turn=record.index,
            turn_end=record.index,
            minutes=record.minutes,
            tokens=call.input_tokens if call is not None else 0,
            counted=(
                sum(approximate_tokens(index[i]) for i in call.input)
                if self._approximate and call is not None
                else None
            ),
            compactions=len(record.compactions),
            lost=sorted({d for event in record.compactions for d in event.lost}),
            held={d: t.held for d, t in trackers.items()} if call is not None else {},
            probes=int(probe),
            probes_failed=int(probe and answers != {"disclosed"}),
            claims_human=reply is not None and (reply.claims_human or "claimed-human" in answers),
            reply_discloses=reply is not None and bool(reply.disclosures & disclosures),
            error=record.error is not None,
            replies=int(reply is not None),
            # The same reading of the reply as recurs_every's (``disclosure in
            # reply.disclosures``): a mark on the chart is a reminder the check counted.
            disclosed={
                d: {"replies": 1, "turn": record.index, "minutes": record.minutes}
                for d in sorted(reply.disclosures & disclosures)
            }
            if reply is not None
            else {},
        )
        for event in record.compactions:
            self.events_total += 1
            entry = {
                "turn": record.index,
                "policy": event.policy,
                "reason": event.reason,
                "tokens_before": event.tokens_before,
                "tokens_after": event.tokens_after,
                "lost": list(event.lost),
            }
            if len(self.events) < MAX_EVENTS:
                self.events.append(entry)
            elif event.lost:
                # Keep the events that matter most: replace the latest one that lost nothing.
                for i in range(len(self.events) - 1, -1, -1):
                    if not self.events[i]["lost"]:
                        del self.events[i]
                        self.events.append(entry)
                        break
        self._add(point)

    def _add(self, point: Point) -> None:
        if self._pending is None:
            self._pending, self._pending_size = point, 1
        else:
            self._pending.merge(point)
            self._pending_size += 1
        if self._pending_size >= self.bucket:
            self.points.append(self._pending)
            self._pending = None
            if len(self.points) > MAX_POINTS:
                self._fold()

    def _fold(self) -> None:
        folded: list[Point] = []
        for i in range(0, len(self.points), 2):
            head = self.points[i]
            if i + 1 < len(self.points):
                head.merge(self.points[i + 1])
            folded.append(head)
        self.points = folded
        self.bucket *= 2

    def finish(self) -> Timeline:
        points = list(self.points)
        if self._pending is not None:
            points.append(self._pending)
        budget = self.header.agent.get("budget_tokens")
        return Timeline(
            disclosures=tuple(self.header.disclosures),
            budget_tokens=budget if isinstance(budget, int) else None,
            budget_counting=str(self.header.agent.get("budget_counting", "tiktoken")),
            bucket=self.bucket,
            points=tuple(p.to_json() for p in points),
            events=tuple(self.events),
            events_total=self.events_total,
            recurs=self.recurs,
        )


@dataclass(frozen=True)
class CheckPlan:
    """What a saved trace is checked against: the checks, the disclosures they watch, the
    setup messages, and optionally how each recorded turn is re-read first (``replay check
    --scenario`` re-annotates messages with the scenario's disclosures)."""

    specs: Sequence[CheckSpec]
    disclosures: tuple[str, ...]
    setup: tuple[Message, ...]
    scenario: str | None = None
    """The name results carry (default: the trace header's)."""
    record: Callable[[TurnRecord], TurnRecord] | None = None


NO_CHECKS = (
    "the trace header lists no checks (a trace from replay proxy has none, or an older replay "
    "wrote it); name the disclosures and checks with replay check TRACE --scenario "
    "SCENARIO.yaml, or re-run its scenario with replay run --report-dir"
)


def header_plan(header: TraceHeader) -> CheckPlan:
    """The checks a trace's own header names."""
    specs = [CheckSpec.from_json(c) for c in header.checks]
    return CheckPlan(specs, tuple(header.disclosures), tuple(header.setup))


@dataclass(frozen=True)
class TraceAnalysis:
    """What one pass over a saved trace yields: the header, the verdict, the chart."""

    header: TraceHeader
    verdict: Verdict
    timeline: Timeline
    trace: Path | None = None
    scenario: str | None = None

    @property
    def turns(self) -> int:
        return self.verdict.turns

    @property
    def compactions(self) -> int:
        return self.verdict.compactions

    @property
    def error(self) -> str | None:
        return self.verdict.error

    @property
    def error_turn(self) -> int | None:
        return self.verdict.error_turn

    @property
    def checks(self) -> tuple[CheckResult, ...]:
        return self.verdict.checks

    def result(self, path: str | None = None) -> RunResult:
        """The run result the trace shows: the one verdict ``replay check`` and ``replay
        report`` give (``path``: the file the result names, default the header's source)."""
        header = self.header
        return self.verdict.result(
            scenario=self.scenario or header.scenario,
            path=path if path is not None else header.source,
            trace_path=str(self.trace) if self.trace is not None else None,
            regulations=header.regulations,
            agent=dict(header.agent),
            rules=header.rules,
        )


def analyse_trace(
    path: Path,
    *,
    run_checks: bool = True,
    plan: Callable[[TraceHeader], CheckPlan] | None = None,
) -> TraceAnalysis:
    """Stream a trace once: run its checks and collect the chart data.

    The one reading of a saved trace behind ``replay check`` and ``replay report`` (and the
    charts of ``replay run --report-dir``); the verdict is :class:`VerdictStream`'s, as for
    ``replay run``. ``plan`` chooses the checks from the header (default: the checks the
    header names). Fail closed: a trace the run did not finish writing (empty, cut mid-line,
    no end record, stopped early), a turn that recorded an error and a trace with no turns
    give an error result (exit 3), never a pass; a file that is not a trace (the codec checks
    every header value's type: an agent that is not an object too), or a header that names no
    checks to run, is InvalidInput (exit 2).
    """
    cut: str | None = None
    try:
        header, records = read_trace(path)
    except RunIncomplete as exc:  # empty, or cut short in its header: there is no header
        header = TraceHeader(
            scenario=trace_file_scenario(path.name), source=str(path), disclosures=()
        )
        records = iter(())
        cut = str(exc)
    chosen: CheckPlan
    if plan is not None:
        chosen = plan(header)
    elif run_checks and not header.checks and cut is None:
        _close(records)
        # Fail closed: with no checks to run, a re-render would call any trace compliant.
        raise InvalidInput([Problem(str(path), 1, 1, NO_CHECKS)])
    else:
        chosen = header_plan(header)
    view = replace(header, disclosures=chosen.disclosures, setup=chosen.setup)
    runner = CheckRunner(chosen.specs if run_checks else (), chosen.disclosures, chosen.setup)
    stream = VerdictStream(runner)
    if cut is not None:
        stream.cut_short(cut)
    collector = TimelineCollector(view, runner, chosen.specs)
    try:
        for record in _closing(records):
            if chosen.record is not None:
                record = chosen.record(record)
            stream.observe(record)
            collector.draw(record)
    except RunIncomplete as exc:  # cut short, or the run stopped early: never compliant
        stream.cut_short(str(exc))
    return TraceAnalysis(
        header=header,
        verdict=stream.finish(),
        timeline=collector.finish(),
        trace=path,
        scenario=chosen.scenario,
    )


def _close(records: Iterator[TurnRecord]) -> None:
    """Close the trace's reader without reading a turn (the file is closed now)."""
    for _ in _closing(records):  # enter and close the reader
        break


def _closing(records: Iterator[TurnRecord]) -> Iterable[TurnRecord]:
    # read_trace's generator closes its file when exhausted or garbage-collected; closing it
    # explicitly keeps the file handle from outliving an exception raised mid-trace.
    try:
        yield from records
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()
