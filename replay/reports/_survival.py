"""Survival by conversation length, per compaction policy, from a fuzzing sweep's JSON.

The report reads the sweep that ``replay fuzz --sweep`` writes (``SweepResult.to_json``, alone
or under ``"sweep"`` in a fuzz report); the fields it needs are in
replay/schemas/survival.schema.json::

    {"scenario": "...", "length": 40,
     "policies": [{"policy": "truncate_oldest", "compaction": "...", "length": 40,
                   "first_failure": 14,
                   "disclosure_lost": [{"disclosure": "ai-identity", "turn": 14}],
                   "error": null}]}

A conversation of length L fails iff L >= first_failure: the sweep replays the longest
conversation once and every shorter one is a prefix of it. A shorter length survives only if
it is also at least ``proven_from``: before that a replay of it would exercise too little to
show anything (unproven, "no evidence"), and it is never drawn or counted as holding.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from replay.errors import InvalidInput
from replay.files._schemas import packaged_schema
from replay.files.sourcemap import load_json, schema_problems_at_top

BAR_WIDTH = 240
TEXT_BAR = 40


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(packaged_schema("survival"))


def load_survival(path: Path) -> dict[str, Any]:
    """Read and validate a sweep; return the fields reports show (per-turn arrays dropped)."""
    data = load_json(path)
    validator = _validator()
    if not validator.is_valid(data):
        sweep = data.get("sweep", data) if isinstance(data, dict) else data
        errors = list(validator.iter_errors(data))
        if isinstance(sweep, dict):
            # Report against the sweep's own shape: "not valid under any of the given schemas"
            # would hide which field is wrong.
            schema = packaged_schema("survival")
            sub = jsonschema.Draft202012Validator(
                {**schema["$defs"]["sweep"], "required": ["policies"]}
            )
            errors = list(sub.iter_errors(sweep)) or errors
        raise InvalidInput(
            schema_problems_at_top(
                path,
                errors,
                "expected the JSON of `replay fuzz --sweep`; see "
                "replay/schemas/survival.schema.json",
            )
        )
    sweep = data.get("sweep", data)
    return {
        "scenario": sweep.get("scenario"),
        "length": sweep.get("length"),
        "policies": [
            {
                "policy": p["policy"],
                "compaction": p.get("compaction"),
                "length": p["length"],
                "first_failure": p["first_failure"],
                "proven_from": p.get("proven_from", 1),
                "unproven_reason": p.get("unproven_reason"),
                "disclosure_lost": [
                    {"disclosure": d["disclosure"], "turn": d["turn"]}
                    for d in p.get("disclosure_lost", ())
                ],
                "error": p.get("error"),
                "first_failure_by_check": [
                    {"check": c["check"], "turn": c["turn"]}
                    for c in p.get("first_failure_by_check", ())
                ],
            }
            for p in sweep["policies"]
        ],
    }


def survival_rows(survival: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """One row per policy: first failing length, longest surviving length, bar segments.

    Lengths before ``proven_from`` are "unproven" (grey, ``?``), never "held".
    """
    if not survival:
        return []
    rows = []
    for entry in survival["policies"]:
        length = int(entry["length"])
        first = entry["first_failure"]
        fails_from = length + 1 if first is None else min(length + 1, first)
        # Lengths that show nothing: before proven_from, unless a check already fails there.
        proven = entry.get("proven_from", 1)
        proven_from = fails_from if proven is None else min(int(proven), fails_from)
        survives_up_to = fails_from - 1 if proven_from < fails_from else 0
        scale = BAR_WIDTH / max(length, 1)
        spans = (
            ("unknown", 1, proven_from - 1, "unproven: a replay this short shows nothing"),
            ("held", proven_from, fails_from - 1, "every check holds"),
            ("missing", fails_from, length, "a check fails"),
        )
        segments = [
            {
                "state": state,
                "x": f"{(lo - 1) * scale:.1f}",
                "w": f"{(hi - lo + 1) * scale:.1f}",
                "title": f"length {lo}: {what}" if lo == hi else f"lengths {lo}-{hi}: {what}",
            }
            for state, lo, hi, what in spans
            if hi >= lo
        ]
        cells = min(TEXT_BAR, length)
        marks = []
        for i in range(cells):
            # Each character stands for a band of lengths, judged by its longest length.
            longest = ((i + 1) * length) // cells
            marks.append("x" if longest >= fails_from else "?" if longest < proven_from else "#")
        bar = "".join(marks)
        lost = [
            f"{d['disclosure']} at turn {d['turn']}"
            for d in entry["disclosure_lost"]
            if d["turn"] is not None
        ]
        rows.append(
            {
                "policy": entry["policy"],
                "failing_check": _failing_check(entry),
                "lengths": _lengths(length, "\N{EN DASH}"),
                "lengths_text": _lengths(length, "-"),
                "compaction": entry["compaction"] or "",
                "first_failure": first,
                "lost": "; ".join(lost) if lost else "never",
                "length": length,
                "survives_up_to": survives_up_to,
                "proven_from": proven_from if proven_from <= length else None,
                "unproven_reason": entry.get("unproven_reason"),
                "error": entry["error"],
                "segments": segments,
                "svg_width": BAR_WIDTH,
                "bar": bar,
            }
        )
    return rows


def _lengths(length: int, dash: str) -> str:
    """The lengths a sweep judged: "1-40", "1" (never "1-1"), "none" (never "1-0")."""
    if length < 1:
        return "none"
    return "1" if length == 1 else f"1{dash}{length}"


def _failing_check(entry: Mapping[str, Any]) -> str:
    """Which check fails first ("probe_discloses[ai-identity]"), with any failing later; a dash
    for a policy that never fails. A sweep written before it named the checks: "not recorded".
    """
    first = entry["first_failure"]
    if first is None:
        return "\N{EM DASH}"
    by_check = entry.get("first_failure_by_check") or ()
    if not by_check:
        return "the run could not complete" if entry.get("error") else "not recorded"
    at_first = [c["check"] for c in by_check if c["turn"] == first]
    later = [f"{c['check']} from {c['turn']}" for c in by_check if c["turn"] != first]
    text = ", ".join(at_first) if at_first else "the run could not complete"
    return text + (f" (then {'; '.join(later)})" if later else "")
