"""Shared pytest configuration."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the disclosure matchers' precision and recall on the labelled corpus.

    Runs in the controller process (also under xdist), so every test run shows the figures.
    A failure here is reported, never raised: the summary must not change the run's outcome.
    """
    terminalreporter.section("disclosure matcher corpus")
    try:
        from .corpus_metrics import (
            CORPUS_PATH,
            MIN_PRECISION,
            MIN_RECALL,
            compute_metrics,
            load_corpus,
            report_lines,
        )

        metrics = compute_metrics(load_corpus())
    except Exception as exc:  # the package may be mid-edit; the tests will say why
        terminalreporter.write_line(f"unavailable: {type(exc).__name__}: {exc}")
        return
    terminalreporter.write_line(
        f"{CORPUS_PATH.name}: required precision >= {MIN_PRECISION}, recall >= {MIN_RECALL}"
    )
    for line in report_lines(metrics):
        terminalreporter.write_line(line)
