"""Token usage and cost as the reports show them: JSON data, a text line, table rows.

A run's usage is :class:`~replay.results.ModelUsage` per model (summed by
:class:`~replay.trace._records.UsageTally`); its cost needs a price table the user supplies
(:class:`~replay.spec._prices.Prices`). Without one nothing says a cost; with one, a model the
table does not price makes the cost unknown and the reports name it ("no price for MODEL"):
a partial sum, or $0, would read as what the run cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from replay.results import ModelUsage, cost, model_cost, unpriced
from replay.spec._prices import Prices


def decimal_text(amount: Decimal) -> str:
    """An exact amount as JSON carries it: a decimal string, never in exponent notation
    (``Decimal("1E-7")`` is ``"0.0000001"``), never a float."""
    return format(amount, "f")


def money(amount: Decimal | str) -> str:
    """An amount in dollars for people: four decimals (``$0.0123``), a positive amount too
    small for them as ``<$0.0001`` (never as $0)."""
    value = Decimal(amount)
    if 0 < value < Decimal("0.0001"):
        return "<$0.0001"
    return f"${value:,.4f}"


def usage_to_json(usage: Iterable[ModelUsage], prices: Prices | None = None) -> dict[str, Any]:
    """Usage as report data: totals, then per model. With ``prices``, a ``cost`` (a decimal
    string, or null when some model has no price) and the ``unpriced`` models; without, no
    cost key at all."""
    models = list(usage)
    data: dict[str, Any] = {
        "calls": sum(u.calls for u in models),
        "input_tokens": sum(u.input_tokens for u in models),
        "output_tokens": sum(u.output_tokens for u in models),
        "counted_calls": sum(u.counted_calls for u in models),
    }
    if prices is not None:
        total = cost(models, prices)
        data["cost"] = None if total is None else decimal_text(total)
        data["unpriced"] = list(unpriced(models, prices))
    rows = []
    for u in models:
        row: dict[str, Any] = u.to_json()
        if prices is not None:
            part = model_cost(u, prices)
            row["cost"] = None if part is None else decimal_text(part)
        rows.append(row)
    data["models"] = rows
    return data


def cost_text(data: Mapping[str, Any]) -> str | None:
    """What the usage cost, as people read it, or None if no price table was given."""
    if "cost" not in data:
        return None
    if data["cost"] is None:
        return "cost unknown: no price for " + ", ".join(data["unpriced"])
    return f"cost {money(data['cost'])}"


def usage_text(data: Mapping[str, Any]) -> str:
    """One line: ``12 model calls, 3,456 input + 789 output tokens (12 counted by replay);
    cost $0.0123``."""
    calls = data["calls"]
    text = (
        f"{calls:,} model call{'' if calls == 1 else 's'}, {data['input_tokens']:,} input + "
        f"{data['output_tokens']:,} output tokens"
    )
    if data["counted_calls"]:
        text += f" ({data['counted_calls']:,} counted by replay)"
    priced = cost_text(data)
    return text if priced is None else f"{text}; {priced}"


def usage_rows(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """The rows of a usage table (model, calls, input, output, counted, cost), figures
    formatted; the cost column is empty without a price table, "no price" for a model the
    table lacks."""
    rows = []
    for m in data["models"]:
        if "cost" not in m:
            priced = ""
        elif m["cost"] is None:
            priced = "no price"
        else:
            priced = money(m["cost"])
        rows.append(
            {
                "model": m["model"],
                "calls": f"{m['calls']:,}",
                "input": f"{m['input_tokens']:,}",
                "output": f"{m['output_tokens']:,}",
                "counted": f"{m['counted_calls']:,}",
                "cost": priced,
            }
        )
    return rows
