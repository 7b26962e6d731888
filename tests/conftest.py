"""Shared pytest configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from tests.framework_examples import offline_env

# Every property test draws the same examples on every run and machine (a red CI run can be
# reproduced, a green one is not luck) and writes no example database into the checkout.
# A test's own @settings still sets its example count and deadline.
settings.register_profile("replay-tests", derandomize=True, database=None)
settings.load_profile("replay-tests")


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
    _eval_corpus_summary(terminalreporter)
    _language_corpora_summary(terminalreporter)


def _language_corpora_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Per-language precision and recall on tests/data/corpus/<code>.yaml (every language
    active, as by default), and the sentences each got wrong. Reported, never raised."""
    terminalreporter.section("disclosure matchers by language")
    try:
        from .corpus_metrics import compute_metrics, language_corpora, load_language_corpus

        results = {
            code: compute_metrics(load_language_corpus(path))
            for code, path in language_corpora().items()
        }
    except Exception as exc:  # the package may be mid-edit; the tests will say why
        terminalreporter.write_line(f"unavailable: {type(exc).__name__}: {exc}")
        return
    wrong: list[str] = []
    for code, metrics in results.items():
        for m in metrics.values():
            terminalreporter.write_line(f"{code}  {m.summary()}")
            wrong += [f"  {code} {m.matcher} missed: {t!r}" for t in m.missed]
            wrong += [f"  {code} {m.matcher} fired wrongly: {t!r}" for t in m.wrong]
    if wrong:
        terminalreporter.write_line("misclassified:")
        for line in wrong:
            terminalreporter.write_line(line)


def _eval_corpus_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Per-class precision and recall on tests/data/eval_corpus.yaml, and what they got wrong.

    The corpus was written apart from the matchers (its header says how); the minimums are
    asserted in tests/test_eval_corpus.py. Reported, never raised, like the section above.
    """
    terminalreporter.section("disclosure evaluation corpus")
    try:
        from .corpus_metrics import EVAL_CORPUS_PATH, compute_eval_metrics, load_eval_corpus

        entries = load_eval_corpus()
        standalone, pairs = compute_eval_metrics(entries)
    except Exception as exc:  # the package may be mid-edit; the tests will say why
        terminalreporter.write_line(f"unavailable: {type(exc).__name__}: {exc}")
        return
    public = sum(not e.is_adversarial for e in entries)
    terminalreporter.write_line(
        f"{EVAL_CORPUS_PATH.name}: {len(entries)} entries ({public} public-sourced, "
        f"{len(entries) - public} adversarial); a false discloses/disclosed is a false PASS"
    )
    for m in (standalone, pairs):
        for line in m.summary_lines():
            terminalreporter.write_line(line)
    errors = standalone.error_lines() + pairs.error_lines()
    if errors:
        terminalreporter.write_line("misclassified:")
        for line in errors:
            terminalreporter.write_line(line)


@pytest.fixture
def offline(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """The environment of a bundled framework example's offline run (tests/framework_examples.py):
    the network guard on, no real key, tracing off."""
    return offline_env(tmp_path)
