"""Reports: the text timeline, JSON, Markdown, HTML, JUnit, the manifest and the survival table."""

from __future__ import annotations

from replay.reports._chart import chart
from replay.reports._diff import FindingKey, ReportDiff, diff_reports, finding_kind, load_report
from replay.reports._diff_render import diff_to_json, render_diff
from replay.reports._manifest import FileEntry, generated_at, verify_manifest
from replay.reports._survival import load_survival
from replay.reports._text import (
    outcome_note,
    render_check,
    render_finding,
    render_result,
    render_summary,
    result_to_json,
)
from replay.reports._timeline import MAX_POINTS, CheckPlan, Point, TimelineCollector, analyse_trace
from replay.reports._writer import (
    SURVIVAL,
    TRACES,
    WrittenReport,
    entries_from_run,
    entries_from_traces,
    scenario_inputs,
    write_reports,
)

__all__ = [
    "MAX_POINTS",
    "SURVIVAL",
    "TRACES",
    "CheckPlan",
    "FileEntry",
    "FindingKey",
    "Point",
    "ReportDiff",
    "TimelineCollector",
    "WrittenReport",
    "analyse_trace",
    "chart",
    "diff_reports",
    "diff_to_json",
    "entries_from_run",
    "entries_from_traces",
    "finding_kind",
    "generated_at",
    "load_report",
    "load_survival",
    "outcome_note",
    "render_check",
    "render_diff",
    "render_finding",
    "render_result",
    "render_summary",
    "result_to_json",
    "scenario_inputs",
    "verify_manifest",
    "write_reports",
]
