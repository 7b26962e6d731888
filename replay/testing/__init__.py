"""Testing with replay: the pytest plugin and the helpers for hand-written tests."""

from __future__ import annotations

from replay.testing._api import assert_compliant, load, run_scenario_file

__all__ = [
    "assert_compliant",
    "load",
    "run_scenario_file",
]
