"""Replaying a scenario: build the agent it describes, stream each turn to the trace and the
checks.
"""

from __future__ import annotations

from replay.run._runner import build_agent, describe_agent, incomplete_result, run_scenario

__all__ = [
    "build_agent",
    "describe_agent",
    "incomplete_result",
    "run_scenario",
]
