"""The survival sweep: one replay per policy, reporting the turn at which each check first fails."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from replay.checks._runner import CheckRunner
from replay.errors import RunIncomplete
from replay.fuzz._results import PolicySurvival, SweepResult
from replay.results import (
    CheckResult,
    Outcome,
    check_id,
    unproven_reason,
)
from replay.run._runner import incomplete_result, run_scenario
from replay.scenario._fuzzspec import fuzz_spec
from replay.spec._fuzz import Conversation, FuzzSpec, FuzzTurn, PolicyChoice, Variation
from replay.spec._scenario import (
    CheckSpec,
    Scenario,
)
from replay.trace._io import read_trace
from replay.trace._records import TurnRecord

# ----------------------------------------------------------------------------- sweep


def sweep_conversation(scenario: Scenario, length: int) -> Conversation:
    """The scenario's own conversation, cycled to ``length`` turns (its timing kept)."""
    turns = list(scenario.turns())
    out = []
    previous = 0.0
    for i in range(length):
        turn = turns[i % len(turns)]
        if i == 0:
            after = None
        elif i % len(turns) == 0:
            after = scenario.gap_minutes
        else:
            after = turn.minutes - previous
        previous = turn.minutes
        out.append(FuzzTurn(text=turn.text, probe=turn.probe, after=after))
    return Conversation(tuple(out))


def survival(
    scenario: Scenario, choice: PolicyChoice, conversation: Conversation
) -> PolicySurvival:
    """One replay of ``conversation`` under ``choice``: the verdict for every prefix length."""
    variation = Variation(choice.name, choice.spec, conversation)
    materialized = variation.apply(scenario)
    # A context_retains check per disclosure, added for the sweep only, tells when each
    # disclosure left the model's input whether or not the scenario checks it.
    extra = tuple(CheckSpec("context_retains", (d.id,)) for d in scenario.disclosures)
    probe = _replace_checks(materialized, (*materialized.checks, *extra))
    tokens: list[int] = []
    compactions: list[int] = []

    def on_turn(record: TurnRecord) -> None:
        call = record.reply_call
        tokens.append(call.input_tokens if call is not None else 0)
        if record.compactions:
            compactions.append(record.index)

    with tempfile.TemporaryDirectory(prefix="replay-sweep-") as folder:
        trace = Path(folder) / "sweep.jsonl"
        try:
            result = run_scenario(probe, trace_path=trace, on_turn=on_turn)
        except RunIncomplete as exc:
            result = incomplete_result(probe, str(exc))
        exercised = _exercised_by_turn(trace, materialized.checks) if trace.exists() else None
    own = result.checks[: len(result.checks) - len(extra)] if result.checks else ()
    added = result.checks[len(own) :]
    firsts = sorted(
        ((c.id, c.findings[0].turn) for c in own if c.findings), key=lambda item: (item[1], item[0])
    )
    failure_turns = [turn for _, turn in firsts]
    if result.error_turn is not None:
        failure_turns.append(result.error_turn)
    elif result.error is not None:
        failure_turns.append(1)
    held = [True] * result.turns
    lost: list[tuple[str, int | None]] = []
    for check in added:
        for finding in check.findings:
            until = finding.until_turn if finding.until_turn is not None else finding.turn
            for turn in range(finding.turn, until + 1):
                held[turn - 1] = False
        lost.append((str(check.disclosure), check.findings[0].turn if check.findings else None))
    proven_from, first_exercised, reason = exercised or (None, (), None)
    return PolicySurvival(
        policy=choice.name,
        compaction=choice.spec.describe(),
        length=result.turns,
        first_failure=min(failure_turns) if failure_turns else None,
        first_failure_by_check=tuple(firsts),
        disclosure_lost=tuple(lost),
        held=tuple(held),
        input_tokens=tuple(tokens),
        compaction_turns=tuple(compactions),
        error=result.error,
        proven_from=proven_from,
        first_exercised=first_exercised,
        unproven_reason=reason,
        error_turn=result.error_turn
        if result.error_turn is not None
        else (1 if result.error is not None else None),
    )


def _exercised_by_turn(
    trace: Path, checks: Sequence[CheckSpec]
) -> tuple[int | None, tuple[tuple[str, int | None], ...], str | None]:
    """From a sweep's trace: the first length whose replay would not be unproven, the first
    turn that exercised each check, and why the longest unproven length is unproven.

    The scenario's checks are run again over the trace (the sweep's own extra checks are not
    among them), asking after every turn which of them a replay of that length exercised;
    the answer is the runner's own rule (runner.unproven_reason).
    """
    header, records = read_trace(trace)
    runner = CheckRunner(checks, header.disclosures, header.setup)
    first: list[int | None] = [None] * len(runner.checks)
    proven_from: int | None = None
    reason: str | None = None
    try:
        for record in records:
            runner.observe(record)
            for i, check in enumerate(runner.checks):
                if first[i] is None and check.exercised():
                    first[i] = record.index
            if proven_from is None:
                why = unproven_reason(
                    [
                        CheckResult(
                            check.name,
                            check.disclosure,
                            (),
                            0,
                            citations=check.spec.citations,
                            outcome=Outcome.HOLDS if seen is not None else Outcome.NOT_EXERCISED,
                        )
                        for check, seen in zip(runner.checks, first, strict=True)
                    ]
                )
                if why is None:
                    proven_from = record.index
                else:
                    reason = why
    except RunIncomplete:
        pass  # the run stopped at an error; its turns so far were judged
    ids = [check_id(c.name, c.disclosure) for c in runner.checks]
    return proven_from, tuple(zip(ids, first, strict=True)), reason


def _replace_checks(scenario: Scenario, checks: tuple[CheckSpec, ...]) -> Scenario:
    return replace(scenario, checks=checks)


def sweep(
    scenario: Scenario, spec: FuzzSpec | None = None, length: int | None = None
) -> SweepResult:
    """Survival by length 1..``length`` (default: fuzz turns.max) per policy, one replay each."""
    spec = spec if spec is not None else fuzz_spec(scenario)
    n = length if length is not None else spec.turns.max
    conversation = sweep_conversation(scenario, n)
    return SweepResult(
        scenario=scenario.name,
        path=scenario.path,
        length=n,
        policies=tuple(survival(scenario, choice, conversation) for choice in spec.policies),
    )
