"""replay: prove that an AI agent's required disclosures survive long conversations.

The public API is small; everything else is internal and may change::

    from replay import load_scenario, run_scenario
    result = run_scenario(load_scenario("scenarios/support_bot_pinned.yaml"))
    assert result.verdict == "pass", result  # "unproven" and "error" are never a pass

or, with the timeline as the failure message, ``replay.testing.assert_compliant(result)``.

Data flows one way: scenario -> replay (agent under test) -> trace -> checks -> findings ->
reports. See docs/architecture.md.
"""

from __future__ import annotations

from replay._version import __version__
from replay.errors import InvalidInput, Problem, RunIncomplete
from replay.results import (
    CheckResult,
    CompactionEvidence,
    Finding,
    Outcome,
    RunResult,
    StatementEvidence,
)
from replay.run._runner import run_scenario
from replay.scenario._load import load_scenario, scenario_from_mapping
from replay.spec._scenario import Scenario

__all__ = [
    "CheckResult",
    "CompactionEvidence",
    "Finding",
    "InvalidInput",
    "Outcome",
    "Problem",
    "RunIncomplete",
    "RunResult",
    "Scenario",
    "StatementEvidence",
    "__version__",
    "load_scenario",
    "run_scenario",
    "scenario_from_mapping",
]
