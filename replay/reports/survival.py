"""Survival by conversation length, per compaction policy, from a fuzzing sweep's JSON.

The report reads the sweep that ``replay fuzz --sweep`` writes (``SweepResult.to_json``, alone
or under ``"sweep"`` in a fuzz report); the fields it needs are in
replay/schemas/survival.schema.json::

    {"scenario": "...", "length": 40,
     "policies": [{"policy": "truncate_oldest", "compaction": "...", "length": 40,
                   "first_failure": 14,
                   "disclosure_lost": [{"disclosure": "ai-identity", "turn": 14}],
                   "error": null}]}

A conversation of length L survives iff L < first_failure: the sweep replays the longest
conversation once and every shorter one is a prefix of it.
"""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from replay.errors import InvalidInput
from replay.sourcemap import load_json, schema_problems_at_top

BAR_WIDTH = 240
TEXT_BAR = 40


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    text = importlib.resources.files("replay").joinpath("schemas/survival.schema.json")
    return jsonschema.Draft202012Validator(json.loads(text.read_text(encoding="utf-8")))


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
            schema = json.loads(
                importlib.resources.files("replay")
                .joinpath("schemas/survival.schema.json")
                .read_text(encoding="utf-8")
            )
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
                "disclosure_lost": [
                    {"disclosure": d["disclosure"], "turn": d["turn"]}
                    for d in p.get("disclosure_lost", ())
                ],
                "error": p.get("error"),
            }
            for p in sweep["policies"]
        ],
    }


def survival_rows(survival: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """One row per policy: first failing length, longest surviving length, bar segments."""
    if not survival:
        return []
    rows = []
    for entry in survival["policies"]:
        length = int(entry["length"])
        first = entry["first_failure"]
        survives_up_to = length if first is None else min(length, first - 1)
        scale = BAR_WIDTH / max(length, 1)
        segments = []
        if survives_up_to:
            segments.append(
                {
                    "state": "held",
                    "x": "0",
                    "w": f"{survives_up_to * scale:.1f}",
                    "title": f"lengths 1-{survives_up_to}: every check holds",
                }
            )
        if survives_up_to < length:
            segments.append(
                {
                    "state": "missing",
                    "x": f"{survives_up_to * scale:.1f}",
                    "w": f"{(length - survives_up_to) * scale:.1f}",
                    "title": f"lengths {survives_up_to + 1}-{length}: a check fails",
                }
            )
        cells = min(TEXT_BAR, length)
        bar = "".join(
            # Each character stands for a band of lengths, judged by its longest length.
            "#" if ((i + 1) * length) // cells <= survives_up_to else "x"
            for i in range(cells)
        )
        lost = [
            f"{d['disclosure']} at turn {d['turn']}"
            for d in entry["disclosure_lost"]
            if d["turn"] is not None
        ]
        rows.append(
            {
                "policy": entry["policy"],
                "compaction": entry["compaction"] or "",
                "first_failure": first,
                "lost": "; ".join(lost) if lost else "never",
                "length": length,
                "survives_up_to": survives_up_to,
                "error": entry["error"],
                "segments": segments,
                "svg_width": BAR_WIDTH,
                "bar": bar,
            }
        )
    return rows
