"""Survival by conversation length, per compaction policy, from a fuzzing sweep's JSON.

The report reads the minimal shape in replay/schemas/survival.schema.json::

    {"scenario": "...",                      # optional
     "policies": [{"policy": "truncate_oldest", "first_lost_turn": 14, "max_length": 40,
                   "survival": [{"length": 1, "survived": true}, ...]}]}   # survival optional

Without per-length verdicts, a conversation of length L survives iff L < first_lost_turn: the
sweep replays the longest conversation once and every prefix shares its first turns.
"""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from replay.errors import InvalidInput, Problem
from replay.sourcemap import read_text

BAR_WIDTH = 240
TEXT_BAR = 40


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    text = importlib.resources.files("replay").joinpath("schemas/survival.schema.json")
    return jsonschema.Draft202012Validator(json.loads(text.read_text(encoding="utf-8")))


def load_survival(path: Path) -> dict[str, Any]:
    """Read and validate a survival summary; InvalidInput names the file and what is wrong."""
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            [Problem(str(path), exc.lineno, exc.colno, f"not JSON: {exc.msg}")]
        ) from None
    problems = [
        Problem(
            str(path),
            1,
            1,
            f"{'/'.join(str(p) for p in e.absolute_path) or 'top level'}: {e.message} "
            "(see replay/schemas/survival.schema.json)",
        )
        for e in _validator().iter_errors(data)
    ]
    if problems:
        raise InvalidInput(problems)
    assert isinstance(data, dict)
    return data


def survival_rows(survival: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """One row per policy: first turn lost, longest surviving length, bar segments."""
    if not survival:
        return []
    rows = []
    for entry in survival["policies"]:
        max_length = int(entry["max_length"])
        first_lost = entry["first_lost_turn"]
        verdicts = {int(v["length"]): bool(v["survived"]) for v in entry.get("survival", ())}
        if not verdicts:
            verdicts = {n: first_lost is None or n < first_lost for n in range(1, max_length + 1)}
        survives_up_to = 0
        for n in range(1, max_length + 1):
            if not verdicts.get(n, False):
                break
            survives_up_to = n
        runs: list[dict[str, Any]] = []
        for n in range(1, max_length + 1):
            state = "unknown" if n not in verdicts else ("held" if verdicts[n] else "missing")
            if runs and runs[-1]["state"] == state:
                runs[-1]["last"] = n
            else:
                runs.append({"state": state, "first": n, "last": n})
        scale = BAR_WIDTH / max_length
        segments = [
            {
                "state": r["state"],
                "x": f"{(r['first'] - 1) * scale:.1f}",
                "w": f"{(r['last'] - r['first'] + 1) * scale:.1f}",
                "title": f"lengths {r['first']}-{r['last']}: "
                + {
                    "held": "every check held",
                    "missing": "a check failed",
                    "unknown": "not tested",
                }[r["state"]],
            }
            for r in runs
        ]
        bar = "".join(
            "#" if verdicts.get(n) else ("x" if n in verdicts else ".")
            for n in (
                max(1, round((i + 1) * max_length / min(TEXT_BAR, max_length)))
                for i in range(min(TEXT_BAR, max_length))
            )
        )
        rows.append(
            {
                "policy": entry["policy"],
                "first_lost_turn": first_lost,
                "max_length": max_length,
                "survives_up_to": survives_up_to,
                "segments": segments,
                "svg_width": BAR_WIDTH,
                "bar": bar,
            }
        )
    return rows
