"""Helpers for hand-written tests: run a scenario, assert it holds, see the timeline if not.

    from replay.testing import assert_compliant, run_scenario_file

    def test_support_bot_keeps_its_disclosure():
        result = run_scenario_file("scenarios/support_bot_pinned.yaml")
        assert_compliant(result)

Under pytest the ``replay_run`` fixture of :mod:`replay.pytest_plugin` does the same with paths
relative to the rootdir. Nothing here depends on pytest.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from replay.errors import RunIncomplete
from replay.results import ERROR, PASS, RunResult
from replay.scenario._load import load_scenario, scenario_from_mapping
from replay.spec._scenario import Scenario

if TYPE_CHECKING:
    from replay.limits._gate import Gate

ScenarioSource = str | os.PathLike[str] | Mapping[str, Any] | Scenario
"""A scenario file's path, the scenario as a Python mapping (as the YAML would load), or a
loaded :class:`~replay.scenario.Scenario`."""


def load(source: ScenarioSource) -> Scenario:
    """The scenario ``source`` names or holds; raises InvalidInput (file:line:col) if invalid."""
    if isinstance(source, Scenario):
        return source
    if isinstance(source, Mapping):
        return scenario_from_mapping(source)
    return load_scenario(Path(source))


def run_scenario_file(
    source: ScenarioSource,
    *,
    trace_path: str | os.PathLike[str] | None = None,
    allow_incomplete: bool = False,
    gate: Gate | None = None,
) -> RunResult:
    """Replay a scenario (file, mapping or Scenario) and return its result with its findings.

    A run that could not complete raises :class:`~replay.errors.RunIncomplete` unless
    ``allow_incomplete`` is true, because ``assert not result.findings`` on an incomplete run
    would pass while checking only part of the conversation. With ``allow_incomplete`` the
    result comes back with ``verdict == "error"`` and the findings seen up to the failure.
    ``gate`` (:class:`replay.limits.Gate`): rate limits every live model call of the run waits
    for, shared with other runs that hold the same limiter (the pytest plugin passes its
    session's, docs/pytest.md); None: no limits.
    """
    # Imported on first use: the pytest plugin imports this module in every pytest process,
    # including xdist's controller and `pytest --co`, which never replay (the runner brings the
    # agents, models and tokenizer: about half a second).
    from replay.run._runner import incomplete_result, run_scenario

    scenario = load(source)
    try:
        result = run_scenario(
            scenario, Path(trace_path) if trace_path is not None else None, gate=gate
        )
    except RunIncomplete as exc:
        if not allow_incomplete:
            raise
        return incomplete_result(scenario, str(exc))
    if result.verdict == ERROR and not allow_incomplete:
        raise RunIncomplete(
            f"{scenario.path}: the run of scenario {scenario.name!r} could not complete: "
            f"{result.error} (pass allow_incomplete=True to inspect the partial result)"
        )
    return result


def assert_compliant(result: RunResult, *, verbose: bool = False) -> None:
    """Raise AssertionError with the findings' timeline unless every check held.

    The message is the text the ``replay run`` command prints, so a failing hand-written test
    shows the failing turn, the last turn the disclosure held and the compaction in between.
    An incomplete run is never compliant.
    """
    if result.verdict != PASS:
        from replay.reports._text import render_result  # the renderers: only for a failure

        raise AssertionError(render_result(result, verbose=verbose))
