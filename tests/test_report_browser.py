"""report.html in a real browser: Debian's chromium, headless, over the DevTools protocol.

These tests fail (never skip) when chromium is missing: .ci/run installs it. The screenshot is
kept as a test artifact under reports/artifacts/ (or $REPLAY_ARTIFACTS_DIR).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from replay.trace import read_trace
from tests.chromium import chromium_missing, load_page
from tests.helpers import ROOT
from tests.test_reports import run_examples

PNG = b"\x89PNG\r\n\x1a\n"


def artifacts_dir() -> Path:
    folder = Path(os.environ.get("REPLAY_ARTIFACTS_DIR", ROOT / "reports" / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def chromium() -> None:
    missing = chromium_missing()
    if missing:
        pytest.fail(missing, pytrace=False)


@pytest.mark.usefixtures("chromium")
def test_html_report_loads_cleanly_in_chromium(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    _, folder = run_examples(tmp_path / "work", monkeypatch, capsys)
    selectors = {
        "#overall-verdict": 1,
        "#scenario-table tbody tr": 5,
        "#regulation-table tbody tr": 5,
        "section.scenario": 5,
        "svg.timeline": 5,
        "svg.timeline path.tokens": 5,
        "svg.timeline line.budget": 4,  # sliding-window-loss compacts by message count
        # sliding-window-loss loses the instruction at turn 7 and the lingering statement at 8
        "svg.timeline line.compaction.lost": 3,
        "svg.timeline rect.band.missing": 2,
        "svg.timeline .probe.fail": 2,
        "svg.timeline .probe.pass": 1,
        "article.finding": 8,
        "article.finding .evidence": 7,
        ".pack": 4,
        "#pack-eu-ai-act-art50": 1,
        "#disclaimer": 1,
    }
    page = load_page(folder / "report.html", list(selectors), width=1100, height=1400, pdf=True)
    assert page.console_errors == []
    assert page.external_requests == []
    assert page.counts == selectors
    assert page.texts["#overall-verdict"] == "fail"
    assert "not legal advice" in page.texts["#disclaimer"]
    # Printable: each scenario starts a page, so the PDF has more pages than scenarios.
    assert page.pdf_pages > 5
    assert page.screenshot.startswith(PNG) and len(page.screenshot) > 50_000
    shot = tmp_path / "report-screenshot.png"
    shot.write_bytes(page.screenshot)
    shutil.copy(shot, artifacts_dir() / "report-screenshot.png")


@pytest.mark.usefixtures("chromium")
def test_the_browser_check_catches_errors_and_outside_requests(tmp_path: Path) -> None:
    """The test above could fail: a page with a script error and a remote image does."""
    page_file = tmp_path / "bad.html"
    page_file.write_text(
        "<!DOCTYPE html><html><body><p id='x'>hi</p>"
        "<img src='http://127.0.0.1:9/pixel.png'>"
        "<script>console.error('boom'); undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    page = load_page(page_file, ["#x", "#missing"], full_page=False)
    assert any("boom" in e for e in page.console_errors)
    assert any("undefinedFunction" in e for e in page.console_errors)
    assert page.external_requests == ["http://127.0.0.1:9/pixel.png"]
    assert page.counts == {"#x": 1, "#missing": 0}


def _disclosing_replies(trace: Path) -> list[int]:
    """The turns whose reply carries the disclosure, read from the trace itself."""
    _, records = read_trace(trace)
    turns = []
    for record in records:
        reply = next((m for m in record.messages if m.id == record.reply), None)
        if reply is not None and "ai-identity" in reply.disclosures:
            turns.append(record.index)
    return turns


@pytest.mark.usefixtures("chromium")
def test_time_axis_and_reminder_marks_of_the_companion_examples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    _, folder = run_examples(tmp_path / "work", monkeypatch, capsys)
    failing = "#timeline-scenario-companion-three-hours"
    fixed = "#timeline-scenario-companion-reminder-fixed"
    hours = ["0h", "1h", "2h", "3h", "4h", "5h"]  # five hours of conversation, 10 minutes a turn
    ticks = {
        f"{chart} g.time-axis g.time-tick:nth-of-type({i + 1}) text": 1
        for chart in (failing, fixed)
        for i in range(len(hours))
    }
    selectors = {
        f"{failing} g.time-axis g.time-tick": len(hours),
        f"{fixed} g.time-axis g.time-tick": len(hours),
        **ticks,
        f"{failing} path.disclosed": len(
            _disclosing_replies(folder / "traces/companion-three-hours.trace.jsonl")
        ),
        f"{fixed} path.disclosed": len(
            _disclosing_replies(folder / "traces/companion-reminder-fixed.trace.jsonl")
        ),
        f"{failing} rect.overdue": 1,
        f"{failing} text.overdue-label": 1,
        f"{failing} line.deadline": 1,
        f"{fixed} rect.overdue": 0,
        f"{fixed} line.deadline": 0,
        # A scenario with conversation time but no recurs_every check: an axis, no reminders.
        "#timeline-scenario-support-bot-pinned g.time-axis": 1,
        "#timeline-scenario-support-bot-pinned g.reminders": 0,
    }
    page = load_page(
        folder / "report.html",
        list(selectors),
        width=1100,
        height=900,
        element="scenario-companion-three-hours",
    )
    assert page.console_errors == [] and page.external_requests == []
    assert page.counts == selectors
    # The reminders the chart marks are the replies that disclosed: turn 1 (the first reply)
    # in the failing bot; turns 1 and 18 (2h50m) in the fixed one.
    assert _disclosing_replies(folder / "traces/companion-three-hours.trace.jsonl") == [1]
    assert _disclosing_replies(folder / "traces/companion-reminder-fixed.trace.jsonl") == [1, 18]
    for chart in (failing, fixed):
        labels = [
            page.texts[f"{chart} g.time-axis g.time-tick:nth-of-type({i + 1}) text"]
            for i in range(len(hours))
        ]
        assert labels == hours, chart
    assert page.texts[f"{failing} text.overdue-label"] == "overdue from turn 19 (3h00m)"
    html = (folder / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="timeline-scenario-companion-three-hours"') :]
    section = section[: section.index("</svg>")]
    tick_x = [float(x) for x in re.findall(r'<text class="time-label" x="([\d.]+)"', section)]
    assert tick_x == sorted(tick_x) and len(set(tick_x)) == len(tick_x)
    # The overdue span starts at the 3h tick: the deadline the recurs_every finding names.
    overdue_x = float(re.findall(r'<rect class="overdue" x="([\d.]+)"', section)[0])
    assert overdue_x == tick_x[hours.index("3h")]
    assert "recurs_every[ai-identity]: no disclosure in a reply for 180 minutes" in section
    # Each column's hover title gives its conversation time.
    assert "<title>turn 19 at 3h00m: " in section
    assert page.screenshot.startswith(PNG)
    (artifacts_dir() / "companion-timeline.png").write_bytes(page.screenshot)
