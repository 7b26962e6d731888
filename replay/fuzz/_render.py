"""``replay fuzz``: search a scenario's fuzz ranges for the shortest conversation that fails.

    scenario.yaml (fuzz: ranges) --strategies--> Variation --materialize--> Scenario
        --run_scenario--> RunResult --fails?--> Hypothesis shrinks --> minimal counterexample
        --> fixtures/counterexamples/<scenario>-<hash>.yaml (a standalone regression scenario)

Generation and shrinking are Hypothesis's own (:func:`hypothesis.find`): each policy in the
fuzz section is searched separately, so each gets its own minimal counterexample. A variation
fails when any check has a finding or the run cannot complete (fail closed). A variation whose
run showed nothing ("unproven": no check exercised, or a rule-pack check not exercised, as a
short generated conversation without a probe often is) is no evidence either way: it is never
a counterexample, and never counted as a pass.

The survival sweep (:func:`sweep`) answers "from which length does it fail?" for every length
1..N with one replay per policy: a shorter conversation is a prefix of the longer one and every
check is streaming (a finding at turn t depends only on turns 1..t, and so does whether the
check was exercised by turn t), so the conversation of length L fails exactly when some
finding of the length-N replay is at a turn <= L, and is unproven exactly when the checks
exercised by turn L would leave a replay of L turns unproven.
"""

from __future__ import annotations

import json
from pathlib import Path

from replay.fuzz._results import FuzzReport, SweepResult
from replay.results import (
    ERROR,
    PASS,
)
from replay.spec._words import count

# ----------------------------------------------------------------------------- rendering


def _span(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}..{hi}"


def render_sweep(result: SweepResult, width: int = 50) -> str:
    """Per policy: the first failing length, when each disclosure was lost, and a survival bar.

    In the bar each character stands for a band of lengths: '#' every length in it passes,
    '?' some length in it shows nothing (unproven: no evidence, neither pass nor failure),
    '.' every length fails, '+' it holds the first failing length.
    """
    n = result.length
    lines = [f"survival by length {_span(1, n)} ({result.scenario}; one replay per policy)"]
    name_width = max([len(p.policy) for p in result.policies] + [6])
    for p in result.policies:
        cells = min(width, max(n, 1))
        bar = ""
        for c in range(cells):
            lo = c * n // cells + 1
            hi = (c + 1) * n // cells
            if p.fails(lo):
                bar += "."
            elif p.fails(hi):
                bar += "+"
            elif not p.survives(lo):
                bar += "?"
            else:
                bar += "#"
        if p.error is not None:
            verdict = f"could not complete: {p.error}"
        else:
            end = p.length + 1
            proven = p.proven_from if p.proven_from is not None else end
            failing = p.first_failure if p.first_failure is not None else end
            parts = []
            if min(proven, failing) > 1:
                parts.append(
                    f"no evidence {_span(1, min(proven, failing) - 1)} (unproven: "
                    f"{p.unproven_reason})"
                )
            if proven < failing:
                parts.append(
                    ("passes length 1" if n == 1 else f"passes every length 1..{n}")
                    if proven == 1 and failing == end
                    else f"passes {_span(proven, failing - 1)}"
                )
            if p.first_failure is not None:
                check = p.first_failure_by_check[0][0] if p.first_failure_by_check else "error"
                parts.append(f"fails from {p.first_failure} ({check})")
            verdict = ", ".join(parts)
        lost = ", ".join(
            f"{d} lost at turn {t}" if t is not None else f"{d} never lost"
            for d, t in p.disclosure_lost
        )
        lines.append(f"  {p.policy:<{name_width}} |{bar}| {verdict}; {lost}")
    return "\n".join(lines)


def render_report(report: FuzzReport) -> str:
    """The text ``replay fuzz`` prints."""
    if report.derandomize:
        how = "derandomized"
    elif report.seed is not None:
        how = f"seed {report.seed}"
    else:
        how = "random"
    how += f", example database {report.database}" if report.database else ", no example database"
    lines = [
        f"fuzz {report.scenario} ({report.path}): "
        f"up to {count(report.examples, 'example')} per policy, {how}"
    ]
    # A preset the scenario modifies is said first: every result below is for the modified one.
    lines.extend(f"  {o}" for outcome in report.outcomes for o in outcome.overrides)
    for outcome in report.outcomes:
        cx = outcome.counterexample
        evidence = outcome.evidence
        if cx is None:
            if outcome.verdict == PASS:
                lines.append(
                    f"  ok   {outcome.policy}: {count(outcome.examples, 'example')}, "
                    "no counterexample"
                    + (
                        f" ({evidence.passed} passed; {evidence.unproven} showed nothing "
                        "(unproven) and count as no evidence)"
                        if evidence.unproven
                        else ""
                    )
                )
            else:
                lines.append(
                    f"  UNPROVEN {outcome.policy}: {count(outcome.examples, 'example')}, no "
                    "counterexample, but none passed: every replay showed nothing (unproven)"
                )
            if evidence.never_exercised():
                lines.append(
                    "       not exercised by any replay (no evidence): "
                    + ", ".join(evidence.never_exercised())
                )
            continue
        status = "ERROR" if cx.result.verdict == ERROR else "FAIL"
        replays = count(outcome.examples, "replay")
        searches = count(outcome.searches, "Hypothesis search")
        conversation = cx.variation.conversation
        lines.append(
            f"  {status} {outcome.policy}: minimal counterexample: {count(cx.turns, 'turn')}, "
            f"{count(conversation.words, 'word')}, {count(len(conversation.probes), 'probe')}; "
            f"{cx.setting or cx.variation.compaction.describe()}"
        )
        lines.append(
            f"       ({replays} in {searches}; "
            f"the last found no failure shorter than {count(cx.turns, 'turn')})"
            if outcome.none_shorter
            else f"       ({replays} in {searches})"
        )
        if cx.result.error is not None:
            lines.append(f"       the run could not complete: {cx.result.error}")
        for finding in cx.first_findings():
            label = (
                finding.check
                if finding.disclosure is None
                else f"{finding.check}[{finding.disclosure}]"
            )
            lines.append(f"       turn {finding.turn}: {label}: {finding.message}")
        if cx.not_exercised():
            lines.append(
                "       not exercised by this conversation (no evidence): "
                + ", ".join(c.id for c in cx.not_exercised())
            )
        if cx.path is not None:
            lines.append(f"       written: {cx.path}  (reproduce: replay run {cx.path})")
    if report.sweep is not None:
        lines.append(render_sweep(report.sweep))
    return "\n".join(lines)


def write_json(report: FuzzReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
