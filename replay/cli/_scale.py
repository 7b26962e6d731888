"""``replay run``'s and ``replay audit``'s scale options: workers, rate limits, budget, Dask.

Limits and prices come from the command line or from a project config file, TOML
(``replay.toml`` in the current folder, or ``--config FILE``); the command line wins::

    [limits.openai]            # requests/tokens per minute, calls in flight, for all workers
    rpm = 500
    tpm = 200000
    concurrent = 8

    [prices."gpt-4o-mini"]     # per million tokens, in your currency (for --max-cost)
    input = "0.15"
    output = "0.60"

    [budget]
    max_tokens = 5000000
    max_cost = "20.00"

A bad file is exit 2 naming the file, line and column; so is a ``--max-cost`` that a live model
of the run has no price for (a budget that cannot be counted would not stop anything).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from replay.cli._options import POSITIVE
from replay.errors import InvalidInput, Problem
from replay.spec._prices import PriceError, Prices, parse_prices
from replay.spec._scale import LIMIT_KEYS, Budget, RateLimit
from replay.spec._scenario import Scenario

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the same parser, before it joined the standard library
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

CONFIG_NAME = "replay.toml"
"""The project config file ``replay run`` reads from the current folder when it exists."""
PROVIDERS = ("openai", "anthropic")


def add_scale_options(parser: argparse.ArgumentParser, *, what: str) -> None:
    """-j, --dask, --rate-limit, --config, --max-tokens, --max-cost (docs/scale.md)."""
    group = add_jobs_options(parser, what=f"run {what}")
    group.add_argument(
        "--rate-limit",
        action="append",
        default=[],
        type=rate_limit,
        metavar="PROVIDER:KEY=N,...",
        help="live models: limits all workers keep to together, e.g. "
        "openai:rpm=500,tpm=200000,concurrent=8 (keys rpm, tpm, concurrent; repeatable)",
    )
    group.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"TOML file with [limits.PROVIDER], [prices.MODEL] and [budget] (default: "
        f"{CONFIG_NAME} in the current folder, if there is one)",
    )
    group.add_argument(
        "--max-tokens",
        type=POSITIVE,
        metavar="N",
        help="stop starting scenarios once the run's model calls used N tokens (input + "
        "output); the rest are reported as not run (exit 3)",
    )
    group.add_argument(
        "--max-cost",
        type=money,
        metavar="AMOUNT",
        help="stop starting scenarios once the run cost AMOUNT, priced by [prices] in the "
        "config file; every live model needs a price (exit 3 when it stops)",
    )


def add_jobs_options(parser: argparse.ArgumentParser, *, what: str) -> argparse._ArgumentGroup:
    """-j and --dask: all a command that makes no model calls takes (``replay audit``: no rate
    limits, no budget); :func:`jobs_placement` reads them. Returns their group."""
    group = parser.add_argument_group("scale (docs/scale.md)")
    group.add_argument(
        "-j",
        "--jobs",
        type=POSITIVE,
        default=1,
        metavar="N",
        help=f"{what} in N worker processes; output, traces and reports are the same as "
        "with -j 1 (default 1)",
    )
    group.add_argument(
        "--dask",
        metavar="ADDRESS",
        help=f"{what} on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786; "
        "needs replay[dask]); results are the same as a local run",
    )
    return group


def jobs_placement(args: argparse.Namespace) -> tuple[int, str | None]:
    """The worker processes and Dask address of :func:`add_jobs_options` (InvalidInput when
    both are given)."""
    if args.dask is not None and args.jobs != 1:
        raise InvalidInput(
            [
                Problem(
                    "<command line>",
                    1,
                    1,
                    "-j and --dask cannot be used together: the cluster sets its workers",
                )
            ]
        )
    jobs: int = args.jobs
    dask: str | None = args.dask
    return jobs, dask


PLACEMENT_OPTIONS = ("-j", "--jobs", "--dask", "--rate-limit")
"""Options that change where and how fast a run goes, never what it shows."""


def reproducing_argv(argv: list[str]) -> list[str]:
    """``argv`` without :data:`PLACEMENT_OPTIONS` and their values (``-j 4``, ``-j4``,
    ``--jobs=4``): the command a report records, the same for a serial and a parallel run."""
    kept: list[str] = []
    skip = False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg == "--":  # the rest are paths, kept as they are
            kept += argv[index:]
            break
        if arg in PLACEMENT_OPTIONS:
            skip = True
            continue
        if arg.startswith(tuple(f"{o}=" for o in PLACEMENT_OPTIONS if o.startswith("--"))):
            continue
        if arg.startswith("-j") and arg[2:].isdigit():
            continue
        kept.append(arg)
    return kept


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


def money(text: str) -> Decimal:
    """A positive amount, read exactly (an argparse type)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"expected an amount like 12.50, got {text!r}") from None
    if not value.is_finite() or value <= 0:
        raise argparse.ArgumentTypeError(f"expected an amount > 0, got {text!r}")
    return value


@dataclass(frozen=True)
class ScaleConfig:
    """The scale options of a run, the command line over the config file."""

    jobs: int = 1
    dask: str | None = None
    limits: tuple[RateLimit, ...] = ()
    budget: Budget = field(default_factory=Budget)
    prices: Prices | None = None
    """The price table, if the config file has one (None: reports show no cost)."""
    source: str | None = None
    """The config file read, if any."""


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
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def scale_config(args: argparse.Namespace) -> ScaleConfig:
    """The scale options of ``args``, over the config file's (InvalidInput if it is bad)."""
    path: Path | None = args.config
    if path is None and Path(CONFIG_NAME).is_file():
        path = Path(CONFIG_NAME)
    limits: tuple[RateLimit, ...] = ()
    budget = Budget()
    prices: Prices | None = None
    if path is not None:
        if not path.is_file():
            raise InvalidInput([Problem(str(path), 1, 1, "--config: no such file")])
        limits, budget, prices = load_config(path)
    by_provider = {limit.provider: limit for limit in limits}
    for limit in args.rate_limit:  # the command line wins, provider by provider
        by_provider[limit.provider] = limit
    budget = Budget(
        args.max_tokens if args.max_tokens is not None else budget.max_tokens,
        args.max_cost if args.max_cost is not None else budget.max_cost,
    )
    jobs_placement(args)  # -j and --dask: one or the other
    return ScaleConfig(
        jobs=args.jobs,
        dask=args.dask,
        limits=tuple(by_provider[p] for p in sorted(by_provider)),
        budget=budget,
        prices=prices,
        source=str(path) if path is not None else None,
    )


def unpriced_models(scenarios: Sequence[Scenario], prices: Prices | None) -> None:
    """Refuse (exit 2) a ``--max-cost`` run whose scenarios name a live model without a price:
    its spending could not be counted, so the budget would stop nothing."""
    problems = []
    for scenario in scenarios:
        live = [scenario.agent.model.live, scenario.agent.compaction.summarizer.model]
        for spec in live:
            if spec is None:
                continue
            name = f"{spec.provider}:{spec.model}"
            if prices is None or prices.price_of(name) is None:
                problems.append(
                    Problem(
                        scenario.path,
                        1,
                        1,
                        f"--max-cost: the live model {name} has no price; add "
                        f'[prices."{spec.model}"] input = "…" and output = "…" (per million '
                        "tokens) to the config file",
                    )
                )
    if problems:
        raise InvalidInput(problems)
