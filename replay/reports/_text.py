"""Reports: render run results for people and machines.

This package holds one module per output: text timelines here (what the CLI prints),
``model`` (the data of report.json), ``markdown``, ``html``, ``junit``, ``manifest`` and
``survival``; :func:`replay.reports.writer.write_reports` writes them all into a report folder.

The text timeline here is what the CLI prints and what the pytest plugin shows on failure: per
finding, the turn it failed, the last turn it held, the compaction event in between (policy,
tokens before and after, the text that was removed and what replaced it), and the probe and
reply. It is one renderer so the CLI and CI show reviewers the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from replay.reports._usage import usage_text, usage_to_json
from replay.results import (
    ERROR,
    FAIL,
    PASS,
    UNPROVEN,
    CheckResult,
    Finding,
    Outcome,
    RunResult,
    merge_usage,
)
from replay.spec._prices import Prices
from replay.spec._words import count

REPORT_SCHEMA_VERSION = "1.2"
"""The version of a report without token usage (its results made no model call, or came from
a replay that did not count them); such a report's bytes stay what they were."""
USAGE_SCHEMA_VERSION = "1.4"
"""The version of a report with token usage: 1.2 plus ``summary.usage`` and each scenario's
``usage`` (1.3 is an audit's fleet report)."""


def _quote(text: str | None, limit: int = 160) -> str:
    if text is None:
        return "(none)"
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f'"{flat}"'


def render_finding(finding: Finding, *, verbose: bool = False) -> list[str]:
    """The timeline of one finding, one line per fact, most important first."""
    lines = [finding.message]
    if finding.until_turn is not None and finding.until_turn != finding.turn:
        lines.append(f"still missing through turn {finding.until_turn}")
    if finding.last_held_turn is not None:
        lines.append(f"last held: turn {finding.last_held_turn}")
    event = finding.compaction
    if event is not None:
        lines.append(
            f"compaction at turn {event.turn}: {event.policy} ({event.reason}; "
            f"{event.tokens_before} -> {event.tokens_after} tokens)"
        )
        limit = 2000 if verbose else 160
        if event.removed_text is not None:
            lines.append(f"  removed:  {_quote(event.removed_text, limit)}")
        if event.replacement_text is not None:
            lines.append(f"  replaced by: {_quote(event.replacement_text, limit)}")
        elif event.removed_text is not None:
            lines.append("  replaced by: nothing (dropped)")
    if finding.lingering is not None:
        lines.append(
            f"still in the input: {finding.lingering.describe()} (a statement, not the duty): "
            f"{_quote(finding.lingering.text)}"
        )
    if finding.answer is not None and finding.decided_by is not None:
        lines.append(f"judged {finding.answer}: {finding.decided_by}")
    if finding.reply_text is not None or verbose:  # the exchange is the evidence
        if finding.user_text is not None:
            lines.append(f"user:  {_quote(finding.user_text)}")
        if finding.reply_text is not None:
            lines.append(f"reply: {_quote(finding.reply_text)}")
    return lines


#: How each outcome is marked in text: only a check that holds is ever "ok".
STATUS = {
    Outcome.HOLDS: "ok  ",
    Outcome.FAILS: "FAIL",
    Outcome.NOT_EXERCISED: "--  ",
    Outcome.COULD_NOT_RUN: "--  ",
}


def outcome_note(check: CheckResult, *, blocking: bool = False) -> str:
    """What a check that neither holds nor fails showed: nothing, and why."""
    note = f"{check.outcome.value.upper()}: {check.reason}"
    if blocking:
        why = (
            "a check that could not run is no proof"
            if check.outcome is Outcome.COULD_NOT_RUN
            else f"required by {'; '.join(check.citations)}"
            if check.citations
            else "no check of the scenario was exercised"
        )
        note += f" ({why}, so the scenario cannot pass)"
    return note


def render_check(
    check: CheckResult, *, verbose: bool = False, limit: int = 5, blocking: bool = False
) -> list[str]:
    lines = [f"  {STATUS[check.outcome]} {check.id}"]
    if check.outcome in (Outcome.NOT_EXERCISED, Outcome.COULD_NOT_RUN):
        lines[0] += f"  {outcome_note(check, blocking=blocking)}"
        return lines
    if check.passed:
        return lines
    if check.citations:
        lines.append(f"       required by: {'; '.join(check.citations)}")
    shown = check.findings if verbose else check.findings[:limit]
    for finding in shown:
        first, *rest = render_finding(finding, verbose=verbose)
        lines.append(f"       turn {finding.turn}: {first}")
        lines.extend(f"         {line}" for line in rest)
    hidden = len(check.findings) - len(shown)
    if hidden:
        lines.append(f"       … and {count(hidden, 'more finding')} (use -v to show all)")
    return lines


def render_result(result: RunResult, *, verbose: bool = False, quiet: bool = False) -> str:
    """A scenario's verdict, its checks and each finding's timeline, as plain text."""
    verdict = result.verdict.upper()
    turns, compactions = count(result.turns, "turn"), count(result.compactions, "compaction")
    head = f"{verdict:5} {result.scenario}  ({result.path}; {turns}, {compactions})"
    lines = [head]
    if result.verdict == ERROR:
        lines.append(f"  ERROR the run could not complete: {result.error}")
        lines.append("        (an incomplete run is never reported compliant)")
    if result.unproven is not None:
        lines.append(f"  UNPROVEN {result.unproven}")
        lines.append("        (a run that did not show compliance is never reported compliant)")
    if quiet and result.verdict != ERROR:
        for c in result.checks:
            if c.findings:
                lines.append(f"  FAIL {c.id}: turn {c.findings[0].turn}: {c.findings[0].message}")
            elif result.blocking(c):
                lines.append(f"  --   {c.id}: {outcome_note(c, blocking=True)}")
        return "\n".join(lines)
    for check in result.checks:
        lines.extend(render_check(check, verbose=verbose, blocking=result.blocking(check)))
    if result.trace_path:
        lines.append(f"  trace: {result.trace_path}")
    return "\n".join(lines)


def render_summary(results: Sequence[RunResult], prices: Prices | None = None) -> str:
    """The verdicts' counts; then, if any model call was made, the run's token usage on a
    second line (with its cost when ``prices`` are given)."""
    counts = {v: sum(1 for r in results if r.verdict == v) for v in (PASS, UNPROVEN, FAIL, ERROR)}
    unproven = f"{counts[UNPROVEN]} unproven, " if counts[UNPROVEN] else ""
    summary = (
        f"{count(len(results), 'scenario')}: {counts[PASS]} passed, {unproven}"
        f"{counts[FAIL]} failed, {counts[ERROR]} could not complete"
    )
    usage = merge_usage(r.usage for r in results)
    if not usage:
        return summary
    return f"{summary}\nusage: {usage_text(usage_to_json(usage, prices))}"


def result_to_json(result: RunResult, prices: Prices | None = None) -> dict[str, Any]:
    """A run result as plain JSON data (the basis of report.json); its ``usage`` has a cost
    when ``prices`` are given (:func:`~replay.reports._usage.usage_to_json`)."""
    return {
        "scenario": result.scenario,
        "path": result.path,
        "verdict": result.verdict,
        "unproven": result.unproven,
        "turns": result.turns,
        "compactions": result.compactions,
        "error": result.error,
        "error_turn": result.error_turn,
        "trace": result.trace_path,
        "regulations": list(result.regulations),
        "rules": list(result.rules),
        "agent": result.agent,
        "checks": [
            {
                "id": c.id,
                "check": c.check,
                "disclosure": c.disclosure,
                "description": c.description,
                "citations": list(c.citations),
                "outcome": c.outcome.value,
                "reason": c.reason,
                "blocking": result.blocking(c),
                "passed": c.passed,
                "observed": c.observed,
                "findings": [f.to_json() for f in c.findings],
            }
            for c in result.checks
        ],
        "usage": usage_to_json(result.usage, prices),
    }
