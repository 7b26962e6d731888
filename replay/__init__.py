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

__version__ = "0.1.0"

from replay.checks import CheckResult, CompactionEvidence, Finding, Outcome, StatementEvidence
from replay.errors import InvalidInput, Problem, RunIncomplete
from replay.runner import RunResult, run_scenario
from replay.scenario import Scenario, load_scenario, scenario_from_mapping

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
