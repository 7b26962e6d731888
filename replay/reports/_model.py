"""The report document: one plain-data structure every report format renders.

report.json is this document verbatim (validated against replay/schemas/report.schema.json);
Markdown, HTML and JUnit render it. It carries no timestamp and no absolute path, so the same
inputs give the same bytes (the one timestamp lives in manifest.json).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from replay._version import __version__
from replay.reports._text import (
    REPORT_SCHEMA_VERSION,
    USAGE_SCHEMA_VERSION,
    render_finding,
    result_to_json,
)
from replay.reports._timeline import Timeline
from replay.reports._usage import usage_to_json
from replay.results import (
    ERROR,
    EXIT_CODES,
    FAIL,
    PASS,
    UNPROVEN,
    Outcome,
    RunResult,
    exit_code_of,
    merge_usage,
    overall_verdict,
)
from replay.scenario._rulepacks import RulePack, RulePackError, load_pack
from replay.spec._prices import Prices

DISCLAIMER = (
    "A testing aid, not legal advice. The checks encode one reading of each rule; passing them "
    "does not show that a product complies, and failing them does not show that it breaches "
    "the law."
)
OWN_CHECKS = "scenario checks (no rule pack)"
FLEET_SCHEMA_VERSION = "1.3"
"""The schema version of a report with a ``fleet`` section (an audit's). A report without one
keeps saying 1.2, the version that describes it, so its bytes do not change; 1.3 only adds the
optional ``fleet`` section and a listed conversation's ``listed``."""
FLEET_USAGE_SCHEMA_VERSION = "1.5"
"""A fleet report whose traces counted tokens: 1.3 plus the fleet's ``usage`` (a fleet without
usage stays 1.3, its bytes unchanged)."""


@dataclass(frozen=True)
class ScenarioEntry:
    """One scenario's result, its chart data and its trace path relative to the report."""

    result: RunResult
    timeline: Timeline | None = None
    trace: str | None = None


def build_report(
    entries: Sequence[ScenarioEntry],
    survival: Mapping[str, Any] | None = None,
    fleet: Mapping[str, Any] | None = None,
    prices: Prices | None = None,
) -> dict[str, Any]:
    """The report document for a set of scenario results.

    ``fleet``: an audit's fleet section (:meth:`replay.reports._fleet.FleetAccumulator.fleet`);
    ``entries`` are then the conversations it kept (the worst and the sample), the summary and
    the by-regulation counts are the whole fleet's, and each listed conversation says why it
    is listed.

    When the results made model calls, the summary and each scenario carry their token
    ``usage`` (schema :data:`USAGE_SCHEMA_VERSION`), priced with ``prices`` when given (else
    no cost at all); a report without usage is version 1.2, as before usage was counted. An
    audit's fleet report carries none yet.
    """
    if fleet is not None:
        return _fleet_report(entries, survival, fleet)
    results = [e.result for e in entries]
    packs = _packs(results)
    usage = merge_usage(r.usage for r in results)
    scenarios = [_scenario(e, prices, usage=bool(usage)) for e in entries]
    checks = [c for r in results for c in r.checks]
    verdict = overall_verdict(r.verdict for r in results)
    summary = {
        "verdict": verdict,
        "exit_code": exit_code_of(results),
        "scenarios": len(results),
        "passed": sum(r.verdict == PASS for r in results),
        "unproven": sum(r.verdict == UNPROVEN for r in results),
        "failed": sum(r.verdict == FAIL for r in results),
        "errors": sum(r.verdict == ERROR for r in results),
        "checks": len(checks),
        "failed_checks": sum(c.outcome is Outcome.FAILS for c in checks),
        "not_exercised_checks": sum(c.outcome is Outcome.NOT_EXERCISED for c in checks),
        "findings": sum(len(c.findings) for c in checks),
    }
    if usage:
        summary["usage"] = usage_to_json(usage, prices)
    return {
        "schema_version": USAGE_SCHEMA_VERSION if usage else REPORT_SCHEMA_VERSION,
        "tool": {"name": "replay", "version": __version__},
        "disclaimer": DISCLAIMER,
        "summary": summary,
        "by_regulation": _by_regulation(results, packs),
        "rule_packs": [packs[k].to_json() for k in sorted(packs)],
        "scenarios": scenarios,
        "survival": dict(survival) if survival is not None else None,
    }


def _fleet_report(
    entries: Sequence[ScenarioEntry],
    survival: Mapping[str, Any] | None,
    fleet: Mapping[str, Any],
) -> dict[str, Any]:
    """The report of an audit: the fleet's counts, the kept conversations' evidence."""
    results = [e.result for e in entries]
    packs = rule_packs(fleet["rules"])
    verdicts = fleet["verdicts"]
    # An empty fleet showed nothing: never a pass.
    verdict = (
        overall_verdict(v for v, n in verdicts.items() if n) if fleet["conversations"] else UNPROVEN
    )
    worst = {(w["id"], w["trace"]): w["rank"] for w in fleet["worst"]}
    sampled = {(s["id"], s["trace"]) for s in fleet["sample"]}
    scenarios = []
    for entry in entries:
        data = _scenario(entry, None, usage=False)
        key = (entry.result.scenario, entry.trace)
        data["listed"] = {"worst": worst.get(key), "sample": key in sampled}
        scenarios.append(data)
    # The citations' counts are the fleet's; the names are those of the listed conversations
    # (a fleet's would be 100,000 names): fleet.by_regulation counts the conversations.
    listed = {row["citation"]: row for row in _by_regulation(results, packs)}
    by_regulation = []
    for row in fleet["by_regulation"]:
        names = listed.get(row["citation"], {})
        by_regulation.append(
            {
                "citation": row["citation"],
                "pack": row["pack"],
                "status": row["status"],
                "scenarios": names.get("scenarios", []),
                "failing_scenarios": names.get("failing_scenarios", []),
                "checks": row["checks"],
                "failed_checks": row["failed_checks"],
                "not_exercised_checks": row["not_exercised_checks"],
                "findings": row["findings"],
            }
        )
    return {
        "schema_version": FLEET_USAGE_SCHEMA_VERSION if "usage" in fleet else FLEET_SCHEMA_VERSION,
        "tool": {"name": "replay", "version": __version__},
        "disclaimer": DISCLAIMER,
        "summary": {
            "verdict": verdict,
            "exit_code": EXIT_CODES[verdict],
            "scenarios": fleet["conversations"],
            "passed": verdicts[PASS],
            "unproven": verdicts[UNPROVEN],
            "failed": verdicts[FAIL],
            "errors": verdicts[ERROR],
            "checks": fleet["check_instances"],
            "failed_checks": fleet["failed_check_instances"],
            "not_exercised_checks": fleet["not_exercised_instances"],
            "findings": fleet["findings"],
        },
        "fleet": dict(fleet),
        "by_regulation": by_regulation,
        "rule_packs": [packs[k].to_json() for k in sorted(packs)],
        "scenarios": scenarios,
        "survival": dict(survival) if survival is not None else None,
    }


def rule_packs(ids: Iterable[str]) -> dict[str, RulePack]:
    """The rule packs of these ids this replay knows, by id."""
    packs: dict[str, RulePack] = {}
    for pack_id in ids:
        if pack_id in packs:
            continue
        try:
            packs[pack_id] = load_pack(pack_id)
        except RulePackError:
            # A trace from a newer version may name a pack this one lacks: its checks still
            # carry their citation text, only the pack's metadata is missing.
            continue
    return packs


def _packs(results: Sequence[RunResult]) -> dict[str, RulePack]:
    return rule_packs(pack_id for result in results for pack_id in result.rules)


def _by_regulation(
    results: Sequence[RunResult], packs: Mapping[str, RulePack]
) -> list[dict[str, Any]]:
    """Per citation: which scenarios it was checked on, failed checks and findings."""
    rows: dict[str, dict[str, Any]] = {}
    label_to_pack = {p.citation_label: p for p in packs.values()}

    def row(label: str) -> dict[str, Any]:
        if label not in rows:
            pack = label_to_pack.get(label)
            rows[label] = {
                "citation": label,
                "pack": pack.id if pack else None,
                "status": pack.status if pack else None,
                "scenarios": [],
                "failing_scenarios": [],
                "checks": 0,
                "failed_checks": 0,
                "not_exercised_checks": 0,
                "findings": 0,
            }
        return rows[label]

    for result in results:
        for check in result.checks:
            for label in check.citations or (OWN_CHECKS,):
                entry = row(label)
                if result.scenario not in entry["scenarios"]:
                    entry["scenarios"].append(result.scenario)
                entry["checks"] += 1
                if check.outcome is Outcome.NOT_EXERCISED:
                    entry["not_exercised_checks"] += 1
                if check.outcome is Outcome.FAILS:
                    entry["failed_checks"] += 1
                    entry["findings"] += len(check.findings)
                    if result.scenario not in entry["failing_scenarios"]:
                        entry["failing_scenarios"].append(result.scenario)
    return [rows[k] for k in sorted(rows, key=lambda k: (k == OWN_CHECKS, k))]


def _scenario(entry: ScenarioEntry, prices: Prices | None, *, usage: bool) -> dict[str, Any]:
    """A scenario's part of the report; with its ``usage`` only in a report that has usage."""
    result = entry.result
    data = result_to_json(result, prices)
    if not usage:
        del data["usage"]
    data["trace"] = entry.trace
    for check_data, check in zip(data["checks"], result.checks, strict=True):
        for finding_data, finding in zip(check_data["findings"], check.findings, strict=True):
            finding_data["citations"] = list(check.citations)
            finding_data["text"] = render_finding(finding, verbose=True)
    data["failed_checks"] = sum(c.outcome is Outcome.FAILS for c in result.checks)
    data["findings"] = len(result.findings)
    data["timeline"] = entry.timeline.to_json() if entry.timeline else None
    return data
