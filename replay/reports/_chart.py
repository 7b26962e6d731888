"""Geometry of the per-scenario timeline chart (drawn as inline SVG by the HTML template).

The chart has three rows sharing one turn axis: context tokens of each reply call against the
compaction budget (both on one token scale), with compaction events as vertical markers; one
band per disclosure showing whether it was in the model's input; and the probes with their
verdicts. A disclosure that a ``recurs_every`` check watches gets a reminder row under its band:
a mark at each reply that carried it, the window in which the next one was due, and the spans
the check found overdue. When the turns carry conversation time, a second axis shows it.
Coordinates are rounded to one decimal so the SVG text is the same on every machine.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from replay.spec._words import count

WIDTH = 960
LEFT, RIGHT, TOP = 64, 16, 14
PLOT_H = 170
BAND_H, BAND_GAP = 16, 6
PROBE_H = 22
AXIS_H = 40
REMIND_H = 14
TIME_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)
"""Conversation-time tick spacings, in minutes: the smallest giving at most MAX_TIME_TICKS."""
MAX_TIME_TICKS = 8
WEEK = 10080
"""Minutes in a week: time steps this long or longer are labelled in days."""


def _f(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _span(point: Mapping[str, Any], timed: bool = False) -> str:
    """The turns of a column, and with ``timed`` their conversation time ("turns 5-8,
    0h40m-1h10m")."""
    first, last = point["turn"], point["turn_end"]
    text = f"turn {first}" if first == last else f"turns {first}-{last}"
    if timed:
        start, end = point["minutes"], point.get("minutes_end", point["minutes"])
        text += f" at {clock(start)}" if start == end else f", {clock(start)}-{clock(end)}"
    return text


def clock(minutes: float) -> str:
    """Conversation time as hours and minutes: "0h00m", "3h10m"."""
    hours, rest = divmod(round(minutes), 60)
    return f"{hours}h{rest:02d}m"


def _duration(minutes: float) -> str:
    """An interval as the scenario would write it: "3h", "90m", "1h30m" (a week or more in
    days: "13d")."""
    if minutes >= WEEK and round(minutes) % 1440 == 0:
        return f"{round(minutes) // 1440}d"
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h" if not rest else f"{hours}h{rest:02d}m"


def _tick_label(minutes: float, step: int) -> str:
    if step >= WEEK:
        return f"{round(minutes) // 1440}d"
    return f"{round(minutes) // 60}h" if step % 60 == 0 else clock(minutes)


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
    timeline: Mapping[str, Any],
    findings: Sequence[Mapping[str, Any]] = (),
    compaction: str | None = None,
) -> dict[str, Any]:
    """Everything the SVG template draws, as numbers and strings.

    ``findings``: the scenario's findings (their turns are marked; the recurs_every ones are
    the overdue spans of the reminder rows). ``compaction``: how the agent compacts, named on
    the chart when its budget is not in tokens and so has no line on the token scale.
    """
    points: Sequence[Mapping[str, Any]] = timeline["points"]
    disclosures: Sequence[str] = timeline["disclosures"]
    budget = timeline.get("budget_tokens")
    timed = any(p.get("minutes_end", p["minutes"]) > 0 for p in points)
    n = max(len(points), 1)
    plot_w = WIDTH - LEFT - RIGHT
    column = plot_w / n
    # One scale for the bars and the budget line: both are tokens, and the axis reaches both.
    counted = [p.get("counted") for p in points]
    peak = max([p["tokens"] for p in points] + [c or 0 for c in counted] + [budget or 0])
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
    columns = [
        {
            "x": _f(LEFT + i * column),
            "w": _f(column),
            "title": f"{_span(p, timed)}: {count(p['tokens'], 'token')} in the model's input"
            + (
                f" ({p['counted']} in the framework's approximate count)"
                if p.get("counted") is not None
                else ""
            ),
        }
        for i, p in enumerate(points)
    ]
    # A budget counted the framework's way (LangChain: characters / 4 + 3 a message) is
    # compared with the input counted that way, drawn as a line over the tiktoken bars, so the
    # compaction happens where this line meets the budget, not where the bars would.
    counted_line = (
        " ".join(
            f"{'M' if i == 0 else 'L'}{_f(x(i))} {_f(y(c))}"
            for i, c in enumerate(counted)
            if c is not None
        )
        if all(c is not None for c in counted) and counted
        else None
    )

    compactions = [
        {
            "x": _f(x(i)),
            "lost": bool(p["lost"]),
            "title": f"{_span(p, timed)}: {count(p['compactions'], 'compaction')}"
            + (f"; removed disclosure {', '.join(p['lost'])}" if p["lost"] else ""),
        }
        for i, p in enumerate(points)
        if p["compactions"]
    ]

    recurs: dict[str, list[Mapping[str, Any]]] = {}
    for entry in timeline.get("recurs", ()):
        recurs.setdefault(entry["disclosure"], []).append(entry)
    bands = []
    reminders = []
    row_top = base + BAND_GAP + 4
    for disclosure in disclosures:
        top = row_top
        row_top += BAND_H + BAND_GAP
        runs: list[dict[str, Any]] = []
        for i, p in enumerate(points):
            state = (
                "unknown"
                if disclosure not in p["held"]
                else ("held" if p["held"][disclosure] else "missing")
            )
            if runs and runs[-1]["state"] == state:
                runs[-1]["end"] = i + 1
                runs[-1]["last"] = p
            else:
                runs.append({"state": state, "start": i, "end": i + 1, "first": p, "last": p})
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
                        + _span({**r["first"], **_end_of(r["last"])}, timed),
                    }
                    for r in runs
                ],
            }
        )
        for entry in recurs.get(disclosure, ()):
            reminders.append(
                _reminder_row(entry, points, findings, row_top - BAND_GAP + 2, x, timed)
            )
            row_top += REMIND_H + BAND_GAP
    probe_y = row_top + PROBE_H / 2
    probes = [
        {
            "x": _f(x(i)),
            "failed": bool(p["probes_failed"]),
            "title": f"{_span(p, timed)}: probe "
            + ("answered without disclosure" if p["probes_failed"] else "answered with disclosure")
            + ("; the reply claims to be human" if p["claims_human"] else ""),
        }
        for i, p in enumerate(points)
        if p["probes"]
    ]
    # One mark per column, however many findings it holds (a lapse at every turn of a
    # million-turn trace is 600 marks, not a million).
    starts = [int(p["turn"]) for p in points]
    by_column: dict[int, list[int]] = {}
    for turn in sorted({int(f["turn"]) for f in findings}):
        at = _column_of_turn(points, turn, starts)
        if at is not None:
            by_column.setdefault(at, []).append(turn)
    marks = [
        {
            "x": _f(x(at)),
            "title": f"finding at turn {turns[0]}"
            if len(turns) == 1
            else f"findings at {count(len(turns), 'turn')}, {turns[0]}-{turns[-1]}",
        }
        for at, turns in sorted(by_column.items())
    ]
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
    time_axis = _time_axis(points, axis_y + AXIS_H + 4, column) if timed else None
    bottom = axis_y + AXIS_H if time_axis is None else float(time_axis["y"]) + AXIS_H
    note = None
    if budget is None and compaction and any(p["compactions"] for p in points):
        # A budget in messages has no height on a token scale: say so rather than draw none.
        note = {
            "y": _f(bottom + 4),
            "text": f"no budget line: compaction is {compaction}, not a token count on this scale",
        }
        bottom += 18
    return {
        "width": WIDTH,
        "height": _f(bottom),
        "left": LEFT,
        "right": _f(WIDTH - RIGHT),
        "top": TOP,
        "base": _f(base),
        "area": " ".join(area),
        "columns": columns,
        "budget": None
        if budget is None
        else {"y": _f(y(budget)), "label": _budget_label(timeline), "tokens": budget},
        "counted": counted_line,
        "ymax": ymax,
        "ymid": {"y": _f(y(ymax / 2)), "label": f"{ymax / 2:g}"},
        "ytop": _f(y(ymax)),
        "y_unit": "tokens",
        "compactions": compactions,
        "bands": bands,
        "band_h": BAND_H,
        "reminders": reminders,
        "remind_h": REMIND_H,
        "probe_y": _f(probe_y),
        "probes": probes,
        "marks": marks,
        "axis_y": _f(axis_y),
        "ticks": ticks,
        "label_y": _f(axis_y + 32),
        "time_axis": time_axis,
        "note": note,
        "bucket": timeline["bucket"],
    }


def _end_of(point: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "turn_end": point["turn_end"],
        "minutes_end": point.get("minutes_end", point["minutes"]),
    }


def _column_of_turn(
    points: Sequence[Mapping[str, Any]], turn: int, starts: Sequence[int]
) -> int | None:
    """The column holding ``turn`` (``starts``: each column's first turn, ascending)."""
    i = bisect.bisect_right(starts, turn) - 1
    return i if i >= 0 and turn <= points[i]["turn_end"] else None


def _column_reaching(
    points: Sequence[Mapping[str, Any]], key: str, value: float, after: int
) -> int | None:
    """The first column after ``after`` whose span reaches ``value`` (of "minutes" or "turn")."""
    end_key = "minutes_end" if key == "minutes" else "turn_end"
    for i in range(after + 1, len(points)):
        if points[i].get(end_key, points[i][key]) >= value:
            return i
    return None


def _reminder_row(
    entry: Mapping[str, Any],
    points: Sequence[Mapping[str, Any]],
    findings: Sequence[Mapping[str, Any]],
    top: float,
    x: Callable[[int], float],
    timed: bool,
) -> dict[str, Any]:
    """One recurs_every check's row: a mark per column whose replies carried the disclosure,
    the window after each in which the next was due, and the overdue spans the check found.

    The marks read the points' ``disclosed`` counts, which the timeline takes from the replies
    as the check reads them; the overdue spans are the check's own findings, never recomputed.
    """
    disclosure = entry["disclosure"]
    minutes, turns = entry.get("every_minutes"), entry.get("every_turns")
    interval = " or ".join(
        part
        for part in (
            f"every {_duration(minutes)}" if minutes is not None else "",
            f"every {count(turns, 'turn')}" if turns is not None else "",
        )
        if part
    )
    right = LEFT + (WIDTH - LEFT - RIGHT)
    marks = []
    moments: list[tuple[int, int, float]] = [(-1, 0, 0.0)]  # (column, turn, minutes)
    for i, p in enumerate(points):
        seen = p.get("disclosed", {}).get(disclosure)
        if not seen:
            continue
        moments.append((i, seen["turn"], seen["minutes"]))
        replies = seen["replies"]
        what = (
            f"the reply disclosed {disclosure}"
            if p["turn"] == p["turn_end"]
            else f"{replies} of {count(p.get('replies', replies), 'reply')} disclosed {disclosure}"
        )
        marks.append(
            {
                "x": _f(x(i)),
                "replies": replies,
                "label": str(replies) if replies > 1 else "",
                "title": f"{_span(p, timed)}: {what}",
            }
        )
    windows = []
    deadlines = []
    for k, (i, turn, at) in enumerate(moments):
        due = [
            c
            for c in (
                _column_reaching(points, "minutes", at + minutes, i)
                if minutes is not None
                else None,
                _column_reaching(points, "turn", turn + turns, i) if turns is not None else None,
            )
            if c is not None
        ]
        deadline = min(due) if due else None
        following = moments[k + 1][0] if k + 1 < len(moments) else None
        start = LEFT if i < 0 else x(i)
        stops = [c for c in (deadline, following) if c is not None]
        end = x(min(stops)) if stops else right
        since = "the start of the conversation" if i < 0 else f"turn {turn}"
        by = " or ".join(
            part
            for part in (
                f"by {clock(at + minutes)}" if minutes is not None else "",
                f"by turn {turn + turns}" if turns is not None else "",
            )
            if part
        )
        if end > start:
            windows.append(
                {
                    "x": _f(start),
                    "w": _f(end - start),
                    "title": f"{disclosure}: next disclosure due {by} ({interval}, since {since})",
                }
            )
        if deadline is not None and (following is None or deadline <= following):
            deadlines.append(
                {
                    "x": _f(x(deadline)),
                    "title": f"{disclosure}: deadline {by} ({interval} since {since}), "
                    f"reached at {_span(points[deadline], timed)}",
                }
            )
    starts = [int(p["turn"]) for p in points]
    moment_columns = [m[0] for m in moments]
    lapses: dict[int, list[Mapping[str, Any]]] = {}
    for f in findings:
        if f.get("check") == "recurs_every" and f.get("disclosure") == disclosure:
            col = _column_of_turn(points, int(f["turn"]), starts)
            if col is not None:
                lapses.setdefault(col, []).append(f)
    overdue = []
    for col, found in sorted(lapses.items()):
        f = found[0]
        after = bisect.bisect_right(moment_columns, col)
        following = moment_columns[after] if after < len(moment_columns) else None
        start = x(col)
        end = right if following is None else x(following)
        label = (
            f"overdue from turn {f['turn']}"
            + (f" ({clock(f['minutes'])})" if timed and f.get("minutes") is not None else "")
            + (f" to turn {points[following]['turn']}" if following is not None else "")
        )
        more = f" (and {count(len(found) - 1, 'more lapse')} in {_span(points[col])})"
        overdue.append(
            {
                "x": _f(start),
                "w": _f(max(end - start, 2.0)),
                "title": f"{entry['check']}: {f['message']}" + (more if len(found) > 1 else ""),
                "label": label,
                "label_x": _f(start + 4),
                # Written on the red span when it fits there (about 6.2 px a character); a
                # short span has its title only, so dense charts do not pile up text.
                "label_shown": end - start >= len(label) * 6.2 + 8,
            }
        )
    return {
        "check": entry["check"],
        "disclosure": disclosure,
        "interval": interval,
        "y": _f(top),
        "mid_y": _f(top + REMIND_H / 2),
        "label_y": _f(top + REMIND_H - 3),
        "marks": marks,
        # Diamonds as wide as a column at most (a folded chart has narrow columns), never
        # narrower than 3 px.
        "mark_r": _f(max(1.5, min(6.0, (right - LEFT) / max(len(points), 1) * 0.45))),
        "windows": windows,
        "deadlines": deadlines,
        "overdue": overdue,
    }


def _time_axis(points: Sequence[Mapping[str, Any]], axis_y: float, column: float) -> dict[str, Any]:
    """Conversation-time ticks under the turn axis: a round step, each tick at the first
    column that reached its time (columns are turns, so the time scale is not linear)."""
    last = points[-1].get("minutes_end", points[-1]["minutes"])
    # Past the longest step (a conversation of months), whole days: still at most MAX_TIME_TICKS.
    step = next(
        (s for s in TIME_STEPS if last / s <= MAX_TIME_TICKS),
        1440 * math.ceil(last / MAX_TIME_TICKS / 1440),
    )
    ticks: list[dict[str, Any]] = []
    at = 0
    i = 0
    while at <= last:
        while i < len(points) and points[i].get("minutes_end", points[i]["minutes"]) < at:
            i += 1
        if i == len(points):
            break
        p = points[i]
        # At the middle of the first column that reached the time, as the turn ticks are.
        tick_x = _f(LEFT + (i + 0.5) * column)
        label = _tick_label(at, step)
        reached = f"of conversation time: reached by {_span(p, True)}"
        if ticks and ticks[-1]["x"] == tick_x:
            # A pause longer than a step: one tick says how far the clock jumped.
            first = ticks[-1]["first"]
            ticks[-1].update(label=label, title=f"{first}-{clock(at)} {reached}")
        else:
            ticks.append(
                {"x": tick_x, "label": label, "title": f"{clock(at)} {reached}", "first": clock(at)}
            )
        at += step
    return {
        "y": _f(axis_y),
        "ticks": [{k: t[k] for k in ("x", "label", "title")} for t in ticks],
        "label_y": _f(axis_y + 32),
        "step": _duration(step),
    }


def _budget_label(timeline: Mapping[str, Any]) -> str:
    label = f"budget {timeline['budget_tokens']} tokens"
    if timeline.get("budget_counting") == "approximate":
        # The bars are tiktoken counts; a framework that budgets with its own character
        # estimate (LangChain's chars / 4) fires at a different height than the line suggests.
        label += " (framework's approximate count)"
    return label


# --- fleet charts (an audit's report) -------------------------------------------------------

HIST_W, HIST_H = 460, 200
HIST_LEFT, HIST_BOTTOM, HIST_TOP = 44, 52, 16
ROW_H, ROW_GAP, ROW_LABEL = 18, 8, 220
"""Horizontal stacked bars: one row per check or group, its label on the left."""


def histogram(
    buckets: Sequence[Mapping[str, Any]], *, noun: str = "conversation"
) -> dict[str, Any] | None:
    """Vertical bars of a fleet distribution (``{"label", "count"}`` per bucket), on a round
    count scale; None without a value (nothing to draw)."""
    if not buckets or not any(b["count"] for b in buckets):
        return None
    ymax = _nice_ceiling(max(b["count"] for b in buckets))
    plot_w = HIST_W - HIST_LEFT - 8
    plot_h = HIST_H - HIST_BOTTOM - HIST_TOP
    base = HIST_TOP + plot_h
    slot = plot_w / len(buckets)
    bars = []
    for i, b in enumerate(buckets):
        h = b["count"] / ymax * plot_h
        x = HIST_LEFT + i * slot
        bars.append(
            {
                "x": _f(x + slot * 0.1),
                "y": _f(base - h),
                "w": _f(slot * 0.8),
                "h": _f(h),
                "cx": _f(x + slot / 2),
                "label": b["label"],
                "count": b["count"],
                "title": f"{b['label']}: {count(int(b['count']), noun)}",
            }
        )
    return {
        "width": HIST_W,
        "height": HIST_H,
        "left": HIST_LEFT,
        "right": _f(HIST_W - 8),
        "top": HIST_TOP,
        "base": _f(base),
        "ymax": ymax,
        "bars": bars,
        "label_y": _f(base + 14),
        "ymid": {"y": _f(base - plot_h / 2), "label": f"{ymax / 2:g}"},
        # Labels are turned when the buckets are too narrow for them side by side (about 6.5
        # pixels a character at the chart's 11px font).
        "turned": max(len(str(b["label"])) for b in buckets) * 6.5 > slot * 0.95,
    }


def stacked_rows(
    rows: Sequence[Mapping[str, Any]], segments: Sequence[tuple[str, str]], *, noun: str
) -> dict[str, Any] | None:
    """One horizontal bar per row, split into ``segments`` (``(key, css class)``, each a
    count of the row) in proportion to the row's total: a check's conversations by outcome,
    a model's by verdict. None without rows."""
    if not rows:
        return None
    plot_w = WIDTH - ROW_LABEL - RIGHT - 130  # room on the right for "100000 conversations"
    drawn = []
    for i, row in enumerate(rows):
        y = TOP + i * (ROW_H + ROW_GAP)
        total = sum(int(row[key]) for key, _ in segments)
        x = float(ROW_LABEL)
        parts = []
        for key, css in segments:
            n = int(row[key])
            if not n:
                continue
            w = n / total * plot_w
            share = 100.0 * n / total
            parts.append(
                {
                    "x": _f(x),
                    "w": _f(w),
                    "css": css,
                    "title": f"{row['label']}: {count(n, noun)} {key.replace('_', ' ')} "
                    f"({share:.1f}%)",
                }
            )
            x += w
        drawn.append(
            {
                "label": row["label"],
                "y": _f(y),
                "text_y": _f(y + ROW_H - 5),
                "parts": parts,
                "total": count(total, noun),
            }
        )
    return {
        "width": WIDTH,
        "height": _f(TOP + len(rows) * (ROW_H + ROW_GAP)),
        "label_x": ROW_LABEL - 6,
        "total_x": _f(ROW_LABEL + plot_w + 6),
        "row_h": ROW_H,
        "rows": drawn,
    }
