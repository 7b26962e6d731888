"""Checks: streaming rules over a trace that turn its turn records into findings and outcomes."""

from __future__ import annotations

from replay.checks._checks import check_ids, check_instances
from replay.checks._judge import is_probe, judge_reply
from replay.checks._runner import CheckRunner, check_trace
from replay.results import check_id

__all__ = [
    "CheckRunner",
    "check_id",
    "check_ids",
    "check_instances",
    "check_trace",
    "is_probe",
    "judge_reply",
]
