"""report.md: a readable summary for pull requests and tickets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from replay.reports._fleet import first_lapse, fleet_view, listed_as
from replay.reports._survival import survival_rows
from replay.reports._templating import environment


def render_markdown(report: Mapping[str, Any]) -> str:
    """The Markdown report of a report document (see replay.reports.model.build_report).

    An audit's report (one with a ``fleet`` section) shows the fleet first, then the
    conversations it lists (the worst and a sample), each as a replay's scenario is shown."""
    template = environment().get_template("report.md.j2")
    fleet = report.get("fleet")
    return template.render(
        report=report,
        survival_rows=survival_rows(report.get("survival")),
        fleet=fleet_view(fleet) if fleet else None,
        listed_as=listed_as,
        first_lapse=first_lapse,
    )
