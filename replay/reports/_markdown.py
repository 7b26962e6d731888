"""report.md: a readable summary for pull requests and tickets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from replay.reports._survival import survival_rows
from replay.reports._templating import environment


def render_markdown(report: Mapping[str, Any]) -> str:
    """The Markdown report of a report document (see replay.reports.model.build_report)."""
    template = environment().get_template("report.md.j2")
    return template.render(report=report, survival_rows=survival_rows(report.get("survival")))
