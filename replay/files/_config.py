"""The scale settings' text forms: ``--rate-limit PROVIDER:KEY=N,...`` and the project config file.

``replay run`` (replay.cli) and the pytest plugin (replay.testing) read both with these
functions, so a limit is spelled, checked and located the same way in either; the layering
keeps the two from importing each other, so the shared reader lives here, with the other
readers of input files, below both. The
file (``replay.toml``; docs/scale.md)::

    [limits.openai]            # requests/tokens per minute, calls in flight, for all workers
    rpm = 500
    concurrent = 8

    [prices."gpt-4o-mini"]     # per million tokens, in your currency (for --max-cost)
    input = "0.15"
    output = "0.60"

    [budget]
    max_tokens = 5000000
    max_cost = "20.00"

A bad file is InvalidInput naming the file, line and column.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from replay.errors import InvalidInput, Problem
from replay.spec._prices import PriceError, Prices, amount, parse_prices
from replay.spec._scale import LIMIT_KEYS, Budget, RateLimit

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the same parser, before it joined the standard library
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

CONFIG_NAME = "replay.toml"
"""The project config file: ``replay run`` reads it from the current folder, the pytest plugin
from the rootdir, when it exists."""
PROVIDERS = ("openai", "anthropic")


def rate_limit(text: str) -> RateLimit:
    """``openai:rpm=500,concurrent=8`` (an argparse type)."""
    provider, sep, rest = text.partition(":")
    if not sep or provider not in PROVIDERS:
        raise argparse.ArgumentTypeError(
            f"expected PROVIDER:KEY=N,... with PROVIDER one of {', '.join(PROVIDERS)}, got {text!r}"
        )
    values: dict[str, int] = {}
    for part in rest.split(","):
        key, eq, value = part.partition("=")
        key = key.strip()
        if key not in LIMIT_KEYS or not eq:
            raise argparse.ArgumentTypeError(
                f"{text!r}: expected KEY=N with KEY one of {', '.join(LIMIT_KEYS)}, got {part!r}"
            )
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            raise argparse.ArgumentTypeError(f"{text!r}: {key} must be a whole number >= 1")
        values[key] = number
    return RateLimit(provider, **values)


def merged_limits(
    configured: Iterable[RateLimit], given: Iterable[RateLimit]
) -> tuple[RateLimit, ...]:
    """A config file's limits with the command line's over them, provider by provider (a
    provider the command line names takes its limits from there alone), sorted."""
    by_provider = {limit.provider: limit for limit in configured}
    for limit in given:
        by_provider[limit.provider] = limit
    return tuple(by_provider[p] for p in sorted(by_provider))


_TABLE = re.compile(r"^\s*\[\s*(?P<name>[^\]]+?)\s*\]\s*(?:#.*)?$")


def _locate(text: str, table: str, key: str | None) -> tuple[int, int]:
    """Line and column of ``key`` in ``[table]`` (or of the table's header), for errors."""
    lines = text.splitlines()
    wanted = re.sub(r"\s+", "", table)
    start = None
    for number, line in enumerate(lines, 1):
        match = _TABLE.match(line)
        if match and re.sub(r"\s+", "", match["name"]) == wanted:
            start = number
            if key is None:
                return number, line.index("[") + 1
            continue
        if start is not None and key is not None:
            if match:
                break
            found = re.match(rf"^(\s*)[\"']?{re.escape(key)}[\"']?\s*=", line)
            if found:
                return number, len(found[1]) + 1
    return (start or 1), 1


def load_config(path: Path) -> tuple[tuple[RateLimit, ...], Budget, Prices | None]:
    """The limits, budget and prices of a TOML config file (InvalidInput, located, if bad)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            [Problem(str(path), 1, 1, f"cannot read the config file: {exc}")]
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(where[1]), int(where[2])) if where else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InvalidInput([Problem(str(path), line, col, f"not valid TOML: {message}")]) from None
    problems: list[Problem] = []

    def problem(table: str, key: str | None, message: str) -> None:
        line, col = _locate(text, table, key)
        problems.append(Problem(str(path), line, col, message))

    for name in data:
        if name not in ("limits", "prices", "budget"):
            problem(
                name,
                None,
                f"unknown table [{name}]; expected [limits.PROVIDER], [prices.MODEL] or [budget]",
            )
    limits = []
    for provider, values in _tables(data.get("limits", {})):
        table = f"limits.{provider}"
        if provider not in PROVIDERS or not isinstance(values, dict):
            problem(table, None, f"[{table}]: expected a provider ({', '.join(PROVIDERS)})")
            continue
        counts: dict[str, int] = {}
        for key, value in values.items():
            if key not in LIMIT_KEYS:
                problem(table, key, f"unknown limit {key!r}; expected {', '.join(LIMIT_KEYS)}")
            elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
                problem(table, key, f"{key} must be a whole number >= 1, got {value!r}")
            else:
                counts[key] = value
        limits.append(RateLimit(provider, **counts))
    prices: Prices | None = None
    table = data.get("prices")
    try:
        if isinstance(table, dict):
            prices = parse_prices(table)
        elif table is not None:
            problem("prices", None, '[prices] must be a table of [prices."MODEL"] entries')
    except PriceError as exc:
        problem(f'prices."{exc.model}"', exc.field, f"[prices]: {exc}")
    budget_values = data.get("budget", {})
    max_tokens = max_cost = None
    if isinstance(budget_values, dict):
        for key, value in budget_values.items():
            if (
                key == "max_tokens"
                and isinstance(value, int)
                and not isinstance(value, bool)
                and value >= 1
            ):
                max_tokens = value
            elif key == "max_cost" and (amount := _amount(value)) is not None and amount > 0:
                max_cost = amount
            else:
                problem(
                    "budget",
                    key,
                    f"[budget]: {key} = {value!r}: expected max_tokens (a "
                    "whole number >= 1) or max_cost (an amount > 0)",
                )
    if problems:
        raise InvalidInput(problems)
    return tuple(limits), Budget(max_tokens, max_cost), prices


def _tables(value: Any) -> list[tuple[str, Any]]:
    return list(value.items()) if isinstance(value, dict) else []


def _amount(value: Any) -> Decimal | None:
    try:
        return amount(value)
    except ValueError:
        return None
