"""``replay fuzz``: Hypothesis search over conversation variations, shrinking, counterexamples, the
survival sweep.
"""

from __future__ import annotations

from replay.fuzz._render import render_report, render_sweep, write_json
from replay.fuzz._results import FuzzReport, SweepResult
from replay.fuzz._search import (
    FuzzOptions,
    FuzzSettings,
    find_shortest,
    fuzz,
    hypothesis_settings,
    replay_variation,
    resolve_options,
)
from replay.fuzz._sweep import sweep, sweep_conversation

__all__ = [
    "FuzzOptions",
    "FuzzReport",
    "FuzzSettings",
    "SweepResult",
    "find_shortest",
    "fuzz",
    "hypothesis_settings",
    "render_report",
    "render_sweep",
    "replay_variation",
    "resolve_options",
    "sweep",
    "sweep_conversation",
    "write_json",
]
