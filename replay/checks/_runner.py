"""Running a scenario's checks over a stream of turn records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from replay.checks._checks import CHECKS, Check, check_instances
from replay.checks._tracker import DisclosureTracker, TraceIndex
from replay.checks._verdict import VerdictStream
from replay.results import CheckResult
from replay.spec._scenario import CheckSpec
from replay.trace._records import (
    Message,
    TraceHeader,
    TurnRecord,
)


@dataclass
class CheckRunner:
    """Runs a scenario's checks over a stream of turn records."""

    specs: Sequence[CheckSpec]
    disclosures: Sequence[str]
    setup: Sequence[Message] = ()
    checks: list[Check] = field(init=False)

    def __post_init__(self) -> None:
        self.index = TraceIndex(self.setup)
        self.trackers = {d: DisclosureTracker(d) for d in self.disclosures}
        for tracker in self.trackers.values():
            tracker.add(self.setup)
        self.checks = [CHECKS[spec.name](spec, d) for spec, d in check_instances(self.specs)]
        for check in self.checks:
            check.setup(self.setup)
        self._per_turn_checks = [c for c in self.checks if not c.compactions_only]

    def observe(self, record: TurnRecord) -> None:
        self.index.add(record.messages)
        for tracker in self.trackers.values():
            tracker.observe(record, self.index)
        # Checks that only look at compaction events (summary_retains) have nothing to see
        # on the many turns without one.
        checks = self.checks if record.compactions else self._per_turn_checks
        unknown = next((c.input_unknown for c in record.model_calls if c.input_unknown), None)
        if unknown is not None:
            # Part of what the model read is server-side state nobody here saw: neither a
            # finding nor a hold can be drawn from this turn's input.
            for check in self.checks:
                if check.reads_input:
                    check.unjudged = check.unjudged or f"turn {record.index}: {unknown}"
            checks = [c for c in checks if not c.reads_input]
        for check in checks:
            check.observe(record, self.index, self.trackers)
        if self.index.prune(record):
            for tracker in self.trackers.values():
                tracker.forget(self.index.ids())

    def finish(self, complete: bool = True) -> list[CheckResult]:
        """The results; ``complete`` is False when the run stopped early (no check holds)."""
        return [check.finish(complete) for check in self.checks]


def check_trace(
    header: TraceHeader, turns: Iterable[TurnRecord], specs: Sequence[CheckSpec]
) -> list[CheckResult]:
    """Run checks over a saved or imported trace.

    The verdict's rules apply (:class:`~replay.checks._verdict.VerdictStream`): no check holds
    over a trace with no turns or with a turn that recorded an error, and a trace cut short
    raises RunIncomplete as it is read.
    """
    stream = VerdictStream(CheckRunner(specs, header.disclosures, header.setup))
    for record in turns:
        stream.observe(record)
    return list(stream.finish().checks)
