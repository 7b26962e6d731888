"""Typed results of a fuzz run: counterexamples, evidence, per-policy outcomes, the survival
sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from replay._version import __version__
from replay.fuzz._overrides import Override
from replay.results import (
    ERROR,
    FAIL,
    PASS,
    UNPROVEN,
    CheckResult,
    Finding,
    Outcome,
    RunResult,
    overall_verdict,
)
from replay.spec._fuzz import Variation

FUZZ_SCHEMA_VERSION = "1"


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Counterexample:
    """The minimal failing variation Hypothesis shrank to, and the scenario file written."""

    variation: Variation
    result: RunResult
    path: str | None = None
    setting: str = ""
    """The agent setting it ran with: the compaction, or your own agent's type."""

    @property
    def turns(self) -> int:
        return len(self.variation.conversation)

    def first_findings(self) -> tuple[Finding, ...]:
        """The first finding of each failing check, by turn."""
        firsts = [check.findings[0] for check in self.result.checks if check.findings]
        return tuple(sorted(firsts, key=lambda f: (f.turn, f.check)))

    def not_exercised(self) -> tuple[CheckResult, ...]:
        """The checks this conversation did not exercise (it shows nothing about them)."""
        return tuple(c for c in self.result.checks if c.outcome is Outcome.NOT_EXERCISED)

    def to_json(self) -> dict[str, Any]:
        conversation = self.variation.conversation
        return {
            "path": self.path,
            "turns": self.turns,
            "words": conversation.words,
            "probes": list(conversation.probes),
            "compaction": self.setting or self.variation.compaction.describe(),
            "verdict": self.result.verdict,
            "error": self.result.error,
            "findings": [
                {"check": f.check, "disclosure": f.disclosure, "turn": f.turn, "message": f.message}
                for f in self.first_findings()
            ],
            "not_exercised": [c.id for c in self.not_exercised()],
        }


@dataclass(frozen=True)
class Evidence:
    """What the replays of one search showed, beyond its counterexample.

    Only a replay whose verdict is "pass" is evidence that the disclosure holds; an
    "unproven" one (it completed without findings but exercised nothing, or not a check a rule
    pack requires) shows nothing and is counted apart. ``exercised`` counts, per check, the
    replays in which it was exercised (it held or failed).
    """

    passed: int = 0
    unproven: int = 0
    exercised: tuple[tuple[str, int], ...] = ()
    """(check id, replays that exercised it), in the scenario's check order."""

    def never_exercised(self) -> tuple[str, ...]:
        """The checks no replay exercised: the search shows nothing about them."""
        return tuple(check for check, count in self.exercised if count == 0)


@dataclass(frozen=True)
class PolicyOutcome:
    """One policy's search: how many examples ran and the counterexample, if any."""

    policy: str
    compaction: str
    examples: int
    """Replays run (generated examples and shrinking steps, over every search)."""
    counterexample: Counterexample | None = None
    searches: int = 1
    """Hypothesis searches run: one, plus one per shorter bound tried (see find_shortest)."""
    none_shorter: bool = False
    """The last search, among conversations shorter than the counterexample, found nothing."""
    evidence: Evidence = Evidence()
    """How many replays passed, how many showed nothing, and which checks they exercised."""
    overrides: tuple[Override, ...] = ()
    """A framework preset's settings the scenario or the fuzz ranges replace (see
    replay.fuzz._overrides): the replays ran a modified preset."""

    @property
    def verdict(self) -> str:
        """The counterexample's verdict; without one, "pass" only if some replay passed (an
        unproven replay is no evidence), else "unproven"."""
        if self.counterexample is not None:
            return self.counterexample.result.verdict
        return PASS if self.evidence.passed else UNPROVEN

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "compaction": self.compaction,
            "examples": self.examples,
            "searches": self.searches,
            "none_shorter": self.none_shorter,
            "verdict": self.verdict,
            "passed": self.evidence.passed,
            "unproven": self.evidence.unproven,
            "exercised": [{"check": c, "replays": n} for c, n in self.evidence.exercised],
            "never_exercised": list(self.evidence.never_exercised()),
            "counterexample": self.counterexample.to_json() if self.counterexample else None,
            "overrides": [o.to_json() for o in self.overrides],
        }


@dataclass(frozen=True)
class PolicySurvival:
    """Survival by length for one policy, from one replay of ``length`` turns.

    The conversation of length L (1 <= L <= length) fails exactly when ``first_failure`` is
    not None and L >= ``first_failure``; otherwise it passes when ``proven_from`` is not None
    and L >= ``proven_from``, and is unproven (it shows nothing) when shorter (see
    :meth:`verdict`).
    """

    policy: str
    compaction: str
    length: int
    """Turns replayed (fewer than asked if the run stopped at an error)."""
    first_failure: int | None
    """The shortest failing length: the earliest finding's turn, or the error turn."""
    first_failure_by_check: tuple[tuple[str, int], ...]
    """(check id, turn of its first finding), for every failing check, earliest first."""
    disclosure_lost: tuple[tuple[str, int | None], ...]
    """(disclosure, first turn it was missing from the model's input), None if never."""
    held: tuple[bool, ...]
    """Per turn 1..length: every disclosure was in the model's input for the reply."""
    input_tokens: tuple[int, ...]
    """Per turn 1..length: tokens of the reply call's input (after compaction)."""
    compaction_turns: tuple[int, ...]
    error: str | None = None
    proven_from: int | None = 1
    """The shortest length whose replay would not be unproven (its checks exercised as a
    replay of that length needs, see runner.unproven_reason); None: no length up to
    ``length``. Lengths below it are no evidence, whether or not they fail."""
    first_exercised: tuple[tuple[str, int | None], ...] = ()
    """(check id, first turn that exercised it, None if none), in the scenario's check order."""
    unproven_reason: str | None = None
    """Why the longest unproven length is unproven (None if no length is)."""
    error_turn: int | None = None
    """The turn the run stopped at (1 if it could not start), None if it completed."""

    def fails(self, length: int) -> bool:
        """Whether the conversation of ``length`` turns has a finding or cannot complete."""
        return self.first_failure is not None and length >= self.first_failure

    def verdict(self, length: int) -> str:
        """The verdict a replay of the first ``length`` turns on its own would have."""
        if self.error_turn is not None and length >= self.error_turn:
            return ERROR
        if self.fails(length):
            return FAIL
        if self.proven_from is not None and length >= self.proven_from:
            return PASS
        return UNPROVEN

    def survives(self, length: int) -> bool:
        """Whether the conversation of ``length`` turns passes: every check it exercises
        holds and it exercises what a pass needs (an unproven length does not survive, it
        shows nothing)."""
        return self.verdict(length) == PASS

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "compaction": self.compaction,
            "length": self.length,
            "first_failure": self.first_failure,
            "first_failure_by_check": [
                {"check": c, "turn": t} for c, t in self.first_failure_by_check
            ],
            "proven_from": self.proven_from,
            "unproven_reason": self.unproven_reason,
            "first_exercised": [{"check": c, "turn": t} for c, t in self.first_exercised],
            "disclosure_lost": [{"disclosure": d, "turn": t} for d, t in self.disclosure_lost],
            "held": list(self.held),
            "input_tokens": list(self.input_tokens),
            "compaction_turns": list(self.compaction_turns),
            "error": self.error,
            "error_turn": self.error_turn,
        }


@dataclass(frozen=True)
class SweepResult:
    """Survival by length 1..``length`` for every policy of a scenario's fuzz section."""

    scenario: str
    path: str
    length: int
    policies: tuple[PolicySurvival, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "path": self.path,
            "length": self.length,
            "policies": [p.to_json() for p in self.policies],
        }


@dataclass(frozen=True)
class FuzzReport:
    """Everything one ``replay fuzz`` run found (``--json`` writes :meth:`to_json`)."""

    scenario: str
    path: str
    examples: int
    seed: int | None
    derandomize: bool
    database: str | None = None
    outcomes: tuple[PolicyOutcome, ...] = ()
    sweep: SweepResult | None = None

    @property
    def verdict(self) -> str:
        verdicts = {o.verdict for o in self.outcomes}
        if self.sweep is not None:
            # The sweep's verdict is that of its longest conversation: shorter ones that show
            # nothing yet are expected (no probe so far), not a finding.
            verdicts |= {
                ERROR if p.error is not None else p.verdict(p.length) for p in self.sweep.policies
            }
        return overall_verdict(verdicts)

    def to_json(self) -> dict[str, Any]:
        return {
            "fuzz_schema_version": FUZZ_SCHEMA_VERSION,
            "tool": f"replay {__version__}",
            "scenario": self.scenario,
            "path": self.path,
            "verdict": self.verdict,
            "examples": self.examples,
            "seed": self.seed,
            "derandomize": self.derandomize,
            "database": self.database,
            "policies": [o.to_json() for o in self.outcomes],
            "sweep": self.sweep.to_json() if self.sweep else None,
        }
