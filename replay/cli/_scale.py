"""``replay run``'s and ``replay audit``'s scale options: workers, rate limits, budget, Dask.

Limits and prices come from the command line or from a project config file, TOML
(``replay.toml`` in the current folder, or ``--config FILE``; its reader is
:mod:`replay.files._config`); the command line wins. A bad file is exit 2 naming the file, line
and column; so is a ``--max-cost`` that a live model of the run has no price for (a budget
that cannot be counted would not stop anything).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from replay.cli._options import POSITIVE
from replay.errors import InvalidInput, Problem

# Shared with the pytest plugin (replay.testing may not import replay.cli).
from replay.files._config import CONFIG_NAME, load_config, merged_limits, rate_limit
from replay.spec._prices import Prices
from replay.spec._scale import Budget, RateLimit
from replay.spec._scenario import Scenario


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
    budget = Budget(
        args.max_tokens if args.max_tokens is not None else budget.max_tokens,
        args.max_cost if args.max_cost is not None else budget.max_cost,
    )
    jobs_placement(args)  # -j and --dask: one or the other
    return ScaleConfig(
        jobs=args.jobs,
        dask=args.dask,
        limits=merged_limits(limits, args.rate_limit),
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
