"""Geometry of the per-scenario timeline chart (drawn as inline SVG by the HTML template).

The chart has three rows sharing one turn axis: context tokens of each reply call against the
compaction budget, with compaction events as vertical markers; one band per disclosure showing
whether it was in the model's input; and the probes with their verdicts. Coordinates are
rounded to one decimal so the SVG text is the same on every machine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

WIDTH = 960
LEFT, RIGHT, TOP = 64, 16, 14
PLOT_H = 170
BAND_H, BAND_GAP = 16, 6
PROBE_H = 22
AXIS_H = 40


def _f(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _span(point: Mapping[str, Any]) -> str:
    first, last = point["turn"], point["turn_end"]
    return f"turn {first}" if first == last else f"turns {first}-{last}"


def _nice_ceiling(value: float) -> int:
    """A round axis maximum at or above ``value`` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return 10 * magnitude


def chart(
    timeline: Mapping[str, Any], findings: Sequence[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """Everything the SVG template draws, as numbers and strings."""
    points: Sequence[Mapping[str, Any]] = timeline["points"]
    disclosures: Sequence[str] = timeline["disclosures"]
    budget = timeline.get("budget_tokens")
    n = max(len(points), 1)
    plot_w = WIDTH - LEFT - RIGHT
    column = plot_w / n
    peak = max([p["tokens"] for p in points] + [budget or 0])
    ymax = _nice_ceiling(peak * 1.1)
    base = TOP + PLOT_H

    def x(i: int) -> float:
        return LEFT + (i + 0.5) * column

    def y(tokens: float) -> float:
        return base - tokens / ymax * PLOT_H

    area = [f"M{_f(LEFT)} {_f(base)}"]
    for i, p in enumerate(points):
        area.append(f"L{_f(LEFT + i * column)} {_f(y(p['tokens']))}")
        area.append(f"L{_f(LEFT + (i + 1) * column)} {_f(y(p['tokens']))}")
    area.append(f"L{_f(LEFT + len(points) * column)} {_f(base)}Z")

    compactions = [
        {
            "x": _f(x(i)),
            "lost": bool(p["lost"]),
            "title": f"{_span(p)}: {p['compactions']} compaction(s)"
            + (f"; removed disclosure {', '.join(p['lost'])}" if p["lost"] else ""),
        }
        for i, p in enumerate(points)
        if p["compactions"]
    ]

    bands = []
    band_top = base + BAND_GAP + 4
    for row, disclosure in enumerate(disclosures):
        top = band_top + row * (BAND_H + BAND_GAP)
        runs: list[dict[str, Any]] = []
        for i, p in enumerate(points):
            state = (
                "unknown"
                if disclosure not in p["held"]
                else ("held" if p["held"][disclosure] else "missing")
            )
            if runs and runs[-1]["state"] == state:
                runs[-1]["end"] = i + 1
                runs[-1]["last"] = p["turn_end"]
            else:
                runs.append(
                    {
                        "state": state,
                        "start": i,
                        "end": i + 1,
                        "first": p["turn"],
                        "last": p["turn_end"],
                    }
                )
        bands.append(
            {
                "disclosure": disclosure,
                "y": _f(top),
                "label_y": _f(top + BAND_H - 4),
                "runs": [
                    {
                        "state": r["state"],
                        "x": _f(LEFT + r["start"] * column),
                        "w": _f((r["end"] - r["start"]) * column),
                        "title": f"{disclosure}: {r['state']} in the model's input, "
                        + (
                            f"turn {r['first']}"
                            if r["first"] == r["last"]
                            else f"turns {r['first']}-{r['last']}"
                        ),
                    }
                    for r in runs
                ],
            }
        )
    probe_y = band_top + len(disclosures) * (BAND_H + BAND_GAP) + PROBE_H / 2
    probes = [
        {
            "x": _f(x(i)),
            "failed": bool(p["probes_failed"]),
            "title": f"{_span(p)}: probe "
            + ("answered without disclosure" if p["probes_failed"] else "answered with disclosure")
            + ("; the reply claims to be human" if p["claims_human"] else ""),
        }
        for i, p in enumerate(points)
        if p["probes"]
    ]
    finding_turns = sorted({int(f["turn"]) for f in findings})
    marks = []
    for turn in finding_turns:
        for i, p in enumerate(points):
            if p["turn"] <= turn <= p["turn_end"]:
                marks.append({"x": _f(x(i)), "title": f"finding at turn {turn}"})
                break
    axis_y = probe_y + PROBE_H / 2 + 4
    ticks = []
    if points:
        # Label every 1, 2, 5, 10, 20, 50, ... columns: at most about ten labels, round numbers.
        every = 1
        while len(points) / every > 10:
            every = every * 5 // 2 if str(every).startswith("2") else every * 2
        ticks = [
            {"x": _f(x(i)), "label": str(p["turn"])}
            for i, p in enumerate(points)
            if i == 0 or (i + 1) % every == 0
        ]
    height = axis_y + AXIS_H
    return {
        "width": WIDTH,
        "height": _f(height),
        "left": LEFT,
        "right": _f(WIDTH - RIGHT),
        "top": TOP,
        "base": _f(base),
        "area": " ".join(area),
        "budget": None
        if budget is None
        else {"y": _f(y(budget)), "label": _budget_label(timeline), "tokens": budget},
        "ymax": ymax,
        "ymid": {"y": _f(y(ymax / 2)), "label": f"{ymax / 2:g}"},
        "ytop": _f(y(ymax)),
        "compactions": compactions,
        "bands": bands,
        "band_h": BAND_H,
        "probe_y": _f(probe_y),
        "probes": probes,
        "marks": marks,
        "axis_y": _f(axis_y),
        "ticks": ticks,
        "label_y": _f(axis_y + 32),
        "bucket": timeline["bucket"],
    }


def _budget_label(timeline: Mapping[str, Any]) -> str:
    label = f"budget {timeline['budget_tokens']} tokens"
    if timeline.get("budget_counting") == "approximate":
        # The bars are tiktoken counts; a framework that budgets with its own character
        # estimate (LangChain's chars / 4) fires at a different height than the line suggests.
        label += " (framework's approximate count)"
    return label
