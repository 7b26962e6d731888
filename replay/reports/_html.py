"""report.html: one self-contained file (inline CSS and SVG, no scripts, no external assets)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from replay.reports._chart import chart
from replay.reports._survival import survival_rows
from replay.reports._templating import environment


def anchor(name: str) -> str:
    """An HTML id for a scenario name (names are already restricted to [A-Za-z0-9_.-])."""
    return "scenario-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def render_html(report: Mapping[str, Any]) -> str:
    """The HTML report of a report document (see replay.reports.model.build_report)."""
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
    return template.render(
        report={**report, "scenarios": scenarios},
        survival_rows=survival_rows(report.get("survival")),
    )
