"""``replay diff`` output: text for a terminal, Markdown for a pull-request comment, JSON.

All three list the same rows in the same order: regressions first, then fixes, then the other
changes (reported, not gating); within each, by scenario. The JSON document's schema is
replay/schemas/diff.schema.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from replay._version import __version__
from replay.reports._diff import (
    DIFF_SCHEMA_VERSION,
    CheckChange,
    FindingChange,
    FindingGroup,
    ReportDiff,
    RunSummary,
    ScenarioChange,
    Status,
    VerdictChange,
)
from replay.spec._words import count

Format = Literal["text", "markdown", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "json")
SECTIONS: tuple[tuple[Status, str], ...] = (
    ("regression", "Regressions"),
    ("fixed", "Fixes"),
    ("info", "Other changes"),
)
NONE = "-"
MARKDOWN_ROWS = 50
"""Rows per section of the Markdown comment: a pull-request comment has a size limit (65,536
characters on GitHub), and a section of a thousand rows is read from its first ones."""


@dataclass(frozen=True)
class Row:
    """One change as every format shows it."""

    status: Status
    scenario: str
    change: str
    old: str
    new: str
    detail: str


def _turns(group: FindingGroup | None) -> str:
    if group is None:
        return NONE
    more = f" ({count(group.count, 'finding')})" if group.count > 1 else ""
    return f"turn {group.first_turn}{more}"


def _finding_row(change: FindingChange) -> Row:
    key = change.key
    what = f"{key.check_id} ({key.kind})"
    label = {
        "new": f"new finding {what}",
        "fixed": f"fixed finding {what}",
        "unchecked": f"finding no longer checked {what}",
        "count": f"finding {what} recurs a different number of times",
        "moved": f"first failing turn of {what} moved "
        + (
            "earlier"
            if change.old and change.new and change.new.first_turn < change.old.first_turn
            else "later (still failing)"
        ),
    }[change.change]
    shown = change.new or change.old
    detail = change.note or (shown.message if shown else "")
    return Row(change.status, key.scenario, label, _turns(change.old), _turns(change.new), detail)


def _scenario_row(change: ScenarioChange) -> Row:
    if change.change == "added":
        detail = f"{change.path}" + ("" if change.verdict == "pass" else ": added not passing")
        return Row(change.status, change.scenario, "scenario added", NONE, change.verdict, detail)
    detail = (
        "removed while passing"
        if change.verdict == "pass"
        else f"removed while {change.verdict}: what it showed is no longer checked"
    )
    return Row(change.status, change.scenario, "scenario removed", change.verdict, NONE, detail)


def _verdict_row(change: VerdictChange) -> Row:
    return Row(change.status, change.scenario, "verdict", change.old, change.new, change.reason)


def _check_row(change: CheckChange) -> Row:
    what = (
        f"check added {change.check}"
        if change.old is None
        else f"check removed {change.check}"
        if change.new is None
        else f"check {change.check}"
    )
    return Row(
        change.status, change.scenario, what, change.old or NONE, change.new or NONE, change.reason
    )


def rows(diff: ReportDiff) -> list[Row]:
    """Every change of the diff, regressions first, then fixes, then the rest."""
    out = [
        *(_scenario_row(c) for c in diff.scenarios),
        *(_verdict_row(c) for c in diff.verdicts),
        *(_check_row(c) for c in diff.checks),
        *(_finding_row(c) for c in diff.findings),
    ]
    order = [status for status, _ in SECTIONS]
    # A stable sort: within a status and scenario, scenario, verdict, check, finding rows.
    return sorted(out, key=lambda r: (order.index(r.status), r.scenario))


def headline(diff: ReportDiff) -> str:
    """One line: the gate's answer and how many changes of each kind."""
    counts = (
        f"{count(diff.tally('regression'), 'regression')}, {count(diff.tally('fixed'), 'fix')}, "
        f"{count(diff.tally('info'), 'other change')}"
    )
    if diff.regression:
        return f"REGRESSION: {counts}"
    if not diff.changed:
        return "no changes: the same scenarios, verdicts, checks and findings"
    return f"no regression: {counts}"


def _side(summary: RunSummary) -> str:
    return (
        f"{summary.verdict}, {count(summary.scenarios, 'scenario')}, "
        f"{count(summary.findings, 'finding')} (replay {summary.tool_version}) {summary.path}"
    )


def _transition(row: Row) -> str:
    # "new finding ...: at turn 14", "scenario removed: was fail"
    if row.old == NONE:
        return f"at {row.new}" if row.new.startswith("turn") else f"now {row.new}"
    if row.new == NONE:
        return f"was at {row.old}" if row.old.startswith("turn") else f"was {row.old}"
    return f"{row.old} -> {row.new}"


def render_text(diff: ReportDiff) -> str:
    """The terminal output: a headline, both runs, then one line per change by section."""
    lines = [headline(diff), f"  old: {_side(diff.old)}", f"  new: {_side(diff.new)}"]
    table = rows(diff)
    for status, title in SECTIONS:
        section = [r for r in table if r.status == status]
        if not section:
            continue
        lines += ["", f"{title}:"]
        for r in section:
            lines.append(f"  {r.scenario}: {r.change}: {_transition(r)}")
            if r.detail:
                lines.append(f"      {' '.join(r.detail.split())}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """A Markdown table cell: one line, pipes escaped, so user text cannot break the table."""
    flat = " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return flat or " "


def render_markdown(diff: ReportDiff) -> str:
    """A pull-request comment: the headline, both runs, then a table per section."""
    lines = [
        f"### replay diff: {_cell(headline(diff))}",
        "",
        f"- old: {_cell(_side(diff.old))}",
        f"- new: {_cell(_side(diff.new))}",
    ]
    table = rows(diff)
    for status, title in SECTIONS:
        section = [r for r in table if r.status == status]
        if not section:
            continue
        lines += [
            "",
            f"#### {title} ({len(section)})",
            "",
            "| scenario | change | old | new | detail |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {' | '.join(_cell(v) for v in (r.scenario, r.change, r.old, r.new, r.detail))} |"
            for r in section[:MARKDOWN_ROWS]
        ]
        if len(section) > MARKDOWN_ROWS:
            more = count(len(section) - MARKDOWN_ROWS, "more change")
            lines += ["", f"… and {more} (every one is in `replay diff --format json`)."]
    lines += ["", "_A testing aid, not legal advice._"]
    return "\n".join(lines) + "\n"


def _group(group: FindingGroup | None) -> dict[str, Any] | None:
    return None if group is None else group.to_json()


def diff_to_json(diff: ReportDiff) -> dict[str, Any]:
    """The JSON document (replay/schemas/diff.schema.json)."""
    return {
        "schema_version": DIFF_SCHEMA_VERSION,
        "tool": {"name": "replay", "version": __version__},
        "old": diff.old.to_json(),
        "new": diff.new.to_json(),
        "regression": diff.regression,
        "exit_code": diff.exit_code,
        "summary": {
            "regressions": diff.tally("regression"),
            "fixes": diff.tally("fixed"),
            "other": diff.tally("info"),
        },
        "scenarios": [
            {
                "scenario": c.scenario,
                "change": c.change,
                "status": c.status,
                "verdict": c.verdict,
                "path": c.path,
            }
            for c in diff.scenarios
        ],
        "verdicts": [
            {
                "scenario": c.scenario,
                "status": c.status,
                "old": c.old,
                "new": c.new,
                "reason": c.reason,
            }
            for c in diff.verdicts
        ],
        "checks": [
            {
                "scenario": c.scenario,
                "check": c.check,
                "status": c.status,
                "old": c.old,
                "new": c.new,
                "reason": c.reason,
            }
            for c in diff.checks
        ],
        "findings": [
            {
                "scenario": c.key.scenario,
                "check": c.key.check,
                "disclosure": c.key.disclosure,
                "kind": c.key.kind,
                "change": c.change,
                "status": c.status,
                "old": _group(c.old),
                "new": _group(c.new),
                "note": c.note,
            }
            for c in diff.findings
        ],
    }


def render_diff(diff: ReportDiff, fmt: Format) -> str:
    """The diff in one of :data:`FORMATS`; JSON with a fixed key order and a final newline."""
    if fmt == "json":
        return json.dumps(diff_to_json(diff), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(diff)
    return render_text(diff)
