"""A suite of scenarios, in this process, in worker processes (``-j N``) or on a Dask cluster.

    scenarios --run_suite--> RunResults, in the scenarios' order, whatever order they finish in

Every way gives the same results and the same trace bytes: a worker runs exactly what the
serial loop runs (:func:`run_one`), results come back in order, and a scenario whose worker
died, or that the run's budget left unstarted, is a result too: could not complete, never
missing (docs/scale.md).
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from replay.errors import RunIncomplete, os_error
from replay.limits._gate import Gate, LimiterService, SharedLimits
from replay.limits._limiter import Limiter
from replay.results import RunResult, cost, unpriced
from replay.run._runner import incomplete_result, run_scenario
from replay.spec._prices import Prices
from replay.spec._scale import Budget, SuitePlan
from replay.spec._scenario import Scenario
from replay.trace._records import TurnRecord
from replay.workers._dask import DaskExecutor
from replay.workers._open import open_workers
from replay.workers._ordered import Executor, Lost, NotRun, OrderedRun
from replay.workers._pool import QUEUED


class LimiterHandle(Protocol):
    """What a task carries to reach the run's limiter from its worker (no secret in it)."""

    def connect(self) -> LimiterService: ...


@dataclass(frozen=True)
class ScenarioTask:
    """One scenario for a worker: where its trace goes and how it reaches the rate limits."""

    scenario: Scenario
    trace: str | None
    cassette_mode: str | None = None
    limiter: LimiterHandle | None = None
    send_trace: bool = False
    """Write the trace to a temporary file and send its bytes back (a Dask worker's disk is
    not this machine's); the result then names ``trace`` as its trace file."""


@dataclass(frozen=True)
class TaskResult:
    result: RunResult
    trace: bytes | None = None


def run_one(
    scenario: Scenario,
    trace: Path | None,
    *,
    cassette_mode: str | None = None,
    gate: Gate | None = None,
    on_turn: Callable[[TurnRecord], None] | None = None,
) -> RunResult:
    """Replay one scenario of a suite; a run that could not start or finish is a result
    (could not complete), so the suite goes on with the next."""
    try:
        return run_scenario(
            scenario, trace, on_turn=on_turn, cassette_mode=cassette_mode, gate=gate
        )
    except RunIncomplete as exc:
        return incomplete_result(scenario, str(exc))
    except OSError as exc:  # a file the run reads or writes (a cassette)
        return incomplete_result(scenario, os_error(exc))


def run_task(task: ScenarioTask) -> TaskResult:
    """A worker's side of :func:`run_suite`: one scenario, run as the serial loop runs it."""
    gate = Gate(task.limiter.connect()) if task.limiter is not None else None
    if not task.send_trace or task.trace is None:
        trace = Path(task.trace) if task.trace is not None else None
        return TaskResult(
            run_one(task.scenario, trace, cassette_mode=task.cassette_mode, gate=gate)
        )
    with tempfile.TemporaryDirectory(prefix="replay-worker-") as folder:
        local = Path(folder) / Path(task.trace).name
        result = run_one(task.scenario, local, cassette_mode=task.cassette_mode, gate=gate)
        data = local.read_bytes() if local.exists() else None
    # The result names its trace as the serial run's does: only when the run kept one (a run
    # that could not start or write it names none, though a partial file may be sent back).
    named = task.trace if result.trace_path is not None else None
    return TaskResult(dataclasses.replace(result, trace_path=named), data)


class BudgetMeter:
    """A run's budget, counted from its results' usage in the order they are reported.

    It stops the run after the scenario that reached it: the scenarios in flight then finish
    (with ``-j N``, up to N-1 more), the rest do not start and are reported as not run. A cost
    that cannot be counted (a model without a price) stops the run too: an uncounted budget
    would stop nothing.
    """

    def __init__(self, budget: Budget, prices: Prices) -> None:
        self.budget = budget
        self.prices = prices
        self.tokens = 0
        self.cost = Decimal(0)

    def spend(self, result: RunResult) -> str | None:
        """Why the run stops after ``result`` (the budget is spent), else None."""
        budget = self.budget
        self.tokens += sum(u.input_tokens + u.output_tokens for u in result.usage)
        if budget.max_cost is not None:
            spent = cost(result.usage, self.prices)
            if spent is None:
                models = ", ".join(unpriced(result.usage, self.prices))
                return (
                    f"the budget (--max-cost {budget.max_cost}) cannot be counted: "
                    f"{result.scenario} called {models}, which has no price in [prices]"
                )
            self.cost += spent
            if self.cost >= budget.max_cost:
                return (
                    f"the budget was spent: {self.cost:f} of --max-cost {budget.max_cost} "
                    f"after {result.scenario}"
                )
        if budget.max_tokens is not None and self.tokens >= budget.max_tokens:
            return (
                f"the budget was spent: {self.tokens:,} tokens of --max-tokens "
                f"{budget.max_tokens:,} after {result.scenario}"
            )
        return None


NOT_RUN = "did not run: "
"""How the error of a scenario the run did not start begins (the budget was spent)."""


def not_run(scenario: Scenario, why: str) -> RunResult:
    return incomplete_result(scenario, NOT_RUN + why)


def run_suite(
    scenarios: Sequence[Scenario],
    traces: Sequence[Path | None],
    plan: SuitePlan,
    *,
    spending: BudgetMeter | None = None,
    on_start: Callable[[int, str], None] | None = None,
    on_turn: Callable[[TurnRecord], None] | None = None,
) -> Iterator[RunResult]:
    """The results of ``scenarios`` (their traces written to ``traces``), in order."""
    if plan.dask is None and plan.jobs <= 1:
        yield from _serial(scenarios, traces, plan, spending, on_start, on_turn)
        return
    # A budget stops the run between scenarios: then no scenario waits queued behind a
    # worker's, so what the run starts after the budget is spent is only what was running.
    queued = 1 if plan.budget.set else QUEUED
    with ExitStack() as stack:
        executor = stack.enter_context(
            open_workers(plan.jobs, plan.dask, limits=plan.limits, queued=queued)
        )
        assert executor is not None  # more than one job, or a cluster
        limiter: LimiterHandle | None = None
        if isinstance(executor, DaskExecutor):
            limiter = executor.limiter  # the cluster's limiter actor
        elif plan.limits:
            limiter = stack.enter_context(SharedLimits(plan.limits)).address
        yield from _parallel(executor, limiter, scenarios, traces, plan, spending, on_start)


def _keep_trace(result: RunResult, path: Path, data: bytes) -> RunResult:
    """Write a remote worker's trace where the serial run writes it; a trace that cannot be
    kept makes its scenario could not complete (its evidence would be missing)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        return dataclasses.replace(
            result, error=f"cannot write the trace: {os_error(exc)}", trace_path=None
        )
    return result


def _serial(
    scenarios: Sequence[Scenario],
    traces: Sequence[Path | None],
    plan: SuitePlan,
    spending: BudgetMeter | None,
    on_start: Callable[[int, str], None] | None,
    on_turn: Callable[[TurnRecord], None] | None,
) -> Iterator[RunResult]:
    gate = Gate(Limiter(plan.limits)) if plan.limits else None
    stopped: str | None = None
    for index, (scenario, trace) in enumerate(zip(scenarios, traces, strict=True)):
        if stopped is not None:
            yield not_run(scenario, stopped)
            continue
        if on_start is not None:
            on_start(index, scenario.name)
        result = run_one(
            scenario, trace, cassette_mode=plan.cassette_mode, gate=gate, on_turn=on_turn
        )
        if spending is not None:
            stopped = spending.spend(result)
        yield result


def _parallel(
    executor: Executor,
    limiter: LimiterHandle | None,
    scenarios: Sequence[Scenario],
    traces: Sequence[Path | None],
    plan: SuitePlan,
    spending: BudgetMeter | None,
    on_start: Callable[[int, str], None] | None,
) -> Iterator[RunResult]:
    remote = plan.dask is not None
    tasks = [
        ScenarioTask(
            scenario,
            str(trace) if trace is not None else None,
            plan.cassette_mode,
            limiter,
            send_trace=remote,
        )
        for scenario, trace in zip(scenarios, traces, strict=True)
    ]
    run: OrderedRun[ScenarioTask, TaskResult] = OrderedRun(executor, run_task, tasks)
    stopped: str | None = None
    for index, (task, outcome) in enumerate(zip(tasks, run, strict=True)):
        if on_start is not None:
            on_start(index, task.scenario.name)
        if isinstance(outcome, NotRun):
            yield not_run(task.scenario, stopped or "the run stopped before it started")
            continue
        if isinstance(outcome, Lost):
            result = incomplete_result(task.scenario, outcome.reason)
        else:
            result = outcome.result
            if outcome.trace is not None and task.trace is not None:
                result = _keep_trace(result, Path(task.trace), outcome.trace)
        if spending is not None and stopped is None:
            stopped = spending.spend(result)
            if stopped is not None:
                run.stop()
        yield result
