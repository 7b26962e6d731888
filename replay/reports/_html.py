"""report.html: one self-contained file (inline CSS and SVG, no scripts, no external assets)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from replay.reports._chart import chart, histogram, stacked_rows
from replay.reports._fleet import first_lapse, fleet_view, listed_as
from replay.reports._survival import survival_rows
from replay.reports._templating import environment

CHECK_SEGMENTS = (
    ("failed", "fails"),
    ("could_not_run", "could-not-run"),
    ("not_exercised", "not-exercised"),
    ("held", "holds"),
)
VERDICT_SEGMENTS = (
    ("passed", "pass"),
    ("unproven", "unproven"),
    ("failed", "fail"),
    ("errors", "error"),
)


def anchor(name: str) -> str:
    """An HTML id for a scenario name (names are already restricted to [A-Za-z0-9_.-])."""
    return "scenario-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def fleet_charts(fleet: Mapping[str, Any]) -> dict[str, Any]:
    """The fleet section's plots: conversations per check by outcome, the first lapse's turn,
    the hours between disclosures, conversations per model and agent name by verdict."""

    def groups(rows: Any) -> dict[str, Any] | None:
        return stacked_rows(
            [{**r, "label": r["value"]} for r in rows], VERDICT_SEGMENTS, noun="conversation"
        )

    return {
        "checks": stacked_rows(
            [{**r, "label": r["id"]} for r in fleet["checks"]],
            CHECK_SEGMENTS,
            noun="conversation",
        ),
        "lapse": histogram(fleet["first_lapse_turn"]["buckets"]),
        "gaps": histogram(fleet["hours_between_disclosures"]["buckets"], noun="interval"),
        "by_model": groups(fleet["by_model"]),
        "by_agent": groups(fleet["by_agent"]),
    }


def render_html(report: Mapping[str, Any]) -> str:
    """The HTML report of a report document (see replay.reports.model.build_report).

    An audit's report (one with a ``fleet`` section) shows the fleet first, with its plots,
    then the conversations it lists (the worst and a sample) as a replay's scenarios are shown.
    """
    scenarios = []
    for scenario in report["scenarios"]:
        findings = [f for check in scenario["checks"] for f in check["findings"]]
        timeline = scenario["timeline"]
        scenarios.append(
            {
                **scenario,
                "anchor": anchor(scenario["scenario"]),
                "chart": chart(timeline, findings, scenario["agent"].get("compaction"))
                if timeline and timeline["points"]
                else None,
            }
        )
    template = environment().get_template("report.html.j2")
    fleet = report.get("fleet")
    return template.render(
        report={**report, "scenarios": scenarios},
        survival_rows=survival_rows(report.get("survival")),
        fleet={**fleet_view(fleet), "charts": fleet_charts(fleet)} if fleet else None,
        listed_as=listed_as,
        first_lapse=first_lapse,
    )
