"""report.html in a real browser: Debian's chromium, headless, over the DevTools protocol.

These tests fail (never skip) when chromium is missing: .ci/run installs it. The screenshot is
kept as a test artifact under reports/artifacts/ (or $REPLAY_ARTIFACTS_DIR).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
