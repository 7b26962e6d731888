"""The search: one ``hypothesis.find`` per compaction policy, then re-searches under shorter
bounds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from random import Random
from typing import TypeVar

from hypothesis import HealthCheck, Phase, Verbosity, find, settings
from hypothesis.configuration import set_hypothesis_home_dir, storage_directory
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.errors import NoSuchExample
from hypothesis.strategies import SearchStrategy

from replay.checks._checks import check_ids
from replay.errors import RunIncomplete
from replay.fuzz._counterexample import write_counterexample
from replay.fuzz._overrides import preset_overrides
from replay.fuzz._results import Counterexample, Evidence, FuzzReport, PolicyOutcome
from replay.fuzz._sweep import sweep
from replay.fuzz.strategies import variations
from replay.results import (
    ERROR,
    FAIL,
    PASS,
    UNPROVEN,
    Outcome,
    RunResult,
)
from replay.run._runner import build_agent, incomplete_result, run_scenario
from replay.scenario._fuzzspec import CI_MAX_EXAMPLES, DEFAULT_DATABASE, DEFAULT_OUT, fuzz_spec
from replay.spec._fuzz import DEFAULT_EXAMPLES, FuzzSpec, IntRange, PolicyChoice, Variation
from replay.spec._loop import CompactionSpec
from replay.spec._scenario import (
    Scenario,
)


@dataclass(frozen=True)
class FuzzOptions:
    """How to run the search, as asked for (the command line's options); a run uses them only
    through :func:`resolve_options`."""

    examples: int | None = None
    """Examples per policy; None: the fuzz section's ``examples`` (default 100)."""
    seed: int | None = None
    derandomize: bool = False
    ci: bool = False
    """CI profile: derandomized, at most CI_MAX_EXAMPLES examples, no example database."""
    database: Path | None = DEFAULT_DATABASE
    """Hypothesis example database; None: none (seeded and derandomized runs never use one)."""
    out: Path = DEFAULT_OUT


@dataclass(frozen=True)
class FuzzSettings:
    """How a fuzz run searches, resolved once by :func:`resolve_options`: what the search
    uses, what the report states, and nothing else decides it."""

    examples: int
    """Examples per policy and search."""
    seed: int | None
    """The seed of every search's random choices; None: derandomized or fresh randomness."""
    derandomize: bool
    database: Path | None
    """The example database; None for every run meant to be reproducible."""
    out: Path
    """Where counterexamples are written."""

    def hypothesis(self) -> settings:
        """The Hypothesis settings of every search of the run."""
        return settings(
            # Hypothesis's own defaults, not whatever profile the calling process loaded (a
            # test suite's): a run's examples depend on these settings alone.
            settings.get_profile("default"),
            max_examples=self.examples,
            derandomize=self.derandomize,
            database=(
                None if self.database is None else DirectoryBasedExampleDatabase(str(self.database))
            ),
            # A long replay is slow by design; a deadline would turn slowness into a failure.
            deadline=None,
            # too_slow and data_too_large fire on examples that replay hundreds of turns, which
            # is exactly what we mean to generate; large_base_example fires when turns.min is
            # large.
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.large_base_example,
            ],
            # No explain phase: it re-runs the failure many times to annotate source lines,
            # which says nothing about a conversation.
            phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
            verbosity=Verbosity.quiet,
            print_blob=False,
        )

    def random(self) -> Random | None:
        """The random source of a seeded run's searches (None: Hypothesis chooses)."""
        return None if self.seed is None else Random(self.seed)


def resolve_options(options: FuzzOptions, section_examples: int = DEFAULT_EXAMPLES) -> FuzzSettings:
    """The one reading of a fuzz run's options: the command line's ``options`` over the
    scenario's fuzz section (``section_examples``, its ``examples``).

    - examples: ``--examples``, else the fuzz section's; ``--ci`` caps either at
      CI_MAX_EXAMPLES.
    - derandomize: ``--derandomize`` or ``--ci``.
    - database: none when seeded, derandomized or ``--ci`` (a database replays its stored
      examples first, so such a run would depend on the machine's history), else ``--database``
      (None: ``--no-database``).
    - seed: ``--seed`` (with ``--derandomize`` too, Hypothesis draws from the seed).
    """
    examples = options.examples if options.examples is not None else section_examples
    if options.ci:
        examples = min(examples, CI_MAX_EXAMPLES)
    derandomize = options.derandomize or options.ci
    reproducible = derandomize or options.seed is not None
    return FuzzSettings(
        examples=examples,
        seed=options.seed,
        derandomize=derandomize,
        database=None if reproducible else options.database,
        out=options.out,
    )


def hypothesis_settings(options: FuzzOptions, examples: int) -> settings:
    """The Hypothesis settings a fuzz run of ``options`` uses, for a fuzz section asking for
    ``examples`` examples (see :func:`resolve_options`)."""
    return resolve_options(options, examples).hypothesis()


@contextlib.contextmanager
def hypothesis_storage(resolved: FuzzSettings) -> Iterator[None]:
    """Where Hypothesis keeps its files while the run searches.

    Hypothesis caches more than examples under ``./.hypothesis`` (the constants it finds in
    local source files, ``constants/``) and reads those caches back. A run without an example
    database keeps them in a folder of its own, removed afterwards: it reads nothing a previous
    run left and leaves nothing behind. A run with a database keeps Hypothesis's default.
    """
    if resolved.database is not None:
        yield
        return
    previous = storage_directory(intent_to_write=False).home_directory
    with tempfile.TemporaryDirectory(prefix="replay-fuzz-") as folder:
        set_hypothesis_home_dir(folder)
        try:
            yield
        finally:
            set_hypothesis_home_dir(previous)


# ----------------------------------------------------------------------------- the search


def replay_variation(scenario: Scenario, variation: Variation) -> RunResult:
    """Replay one variation of ``scenario``; a run that cannot start counts as an error."""
    materialized = variation.apply(scenario)
    try:
        return run_scenario(materialized)
    except RunIncomplete as exc:
        return incomplete_result(materialized, str(exc))


def database_key(scenario: Scenario, policy: str) -> bytes:
    """Examples are saved per scenario content and policy, so an edited scenario starts over."""
    payload = json.dumps([dict(scenario.raw), policy], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).digest()


T = TypeVar("T")


def find_shortest(
    strategy_for: Callable[[int], SearchStrategy[T]],
    length: Callable[[T], int],
    condition: Callable[[T], bool],
    *,
    min_length: int,
    max_length: int,
    settings: settings,
    random: Random | None = None,
    database_key: bytes | None = None,
) -> tuple[list[T], int]:
    """Ever shorter values satisfying ``condition`` (the last is the shortest), and how many
    searches it took.

    Hypothesis's shrinker only ever makes choices smaller, so it stops at a *local* minimum: it
    never lengthens a message to drop a turn. So once it has shrunk a failure to L turns, search
    again, with Hypothesis's own generation and shrinking, among values of at most L - 1 turns
    (``strategy_for(L - 1)``), until a search finds none: then no shorter failure turned up in a
    whole search budget, and the last one found is reported.
    """
    found: list[T] = []
    bound = max_length
    searches = 0
    while bound >= min_length:
        searches += 1
        key = None if database_key is None else database_key + f".{bound}".encode()
        try:
            value = find(
                strategy_for(bound),
                condition,
                settings=settings,
                random=None if random is None else Random(random.getrandbits(64)),
                database_key=key,
            )
        except NoSuchExample:
            break
        found.append(value)
        bound = length(value) - 1
    return found, searches


def search_policy(
    scenario: Scenario,
    spec: FuzzSpec,
    choice: PolicyChoice,
    resolved: FuzzSettings,
    on_example: Callable[[Variation, RunResult], None] | None = None,
) -> PolicyOutcome:
    """Search one policy's variations; shrink a failure to its minimal counterexample.

    A variation is a counterexample when its run has findings or cannot complete. One that
    completed without findings but showed nothing ("unproven") is no evidence either way:
    not a counterexample, and not counted as a pass (see :class:`Evidence`).
    """
    calls = 0
    verdicts = {PASS: 0, UNPROVEN: 0}
    exercised = dict.fromkeys(check_ids(scenario.checks), 0)

    def fails(variation: Variation) -> bool:
        nonlocal calls
        calls += 1
        result = replay_variation(scenario, variation)
        if on_example is not None:
            on_example(variation, result)
        for check in result.checks:
            if check.outcome in (Outcome.HOLDS, Outcome.FAILS):
                exercised[check.id] = exercised.get(check.id, 0) + 1
        verdict = result.verdict
        if verdict in verdicts:
            verdicts[verdict] += 1
        return verdict in (FAIL, ERROR)

    def strategy_for(bound: int) -> SearchStrategy[Variation]:
        narrowed = replace(spec, turns=IntRange(spec.turns.min, bound))
        return variations(scenario, narrowed, choice.name)

    def turns(variation: Variation) -> int:
        return len(variation.conversation)

    found, searches = find_shortest(
        strategy_for,
        turns,
        fails,
        min_length=spec.turns.min,
        max_length=spec.turns.max,
        settings=resolved.hypothesis(),
        random=resolved.random(),
        database_key=database_key(scenario, choice.name),
    )
    evidence = Evidence(verdicts[PASS], verdicts[UNPROVEN], tuple(exercised.items()))
    if not found:
        return PolicyOutcome(
            choice.name,
            _setting(scenario, choice.spec),
            calls,
            searches=searches,
            evidence=evidence,
        )
    minimal = found[-1]
    result = replay_variation(scenario, minimal)
    setting = _setting(scenario, minimal.compaction)
    return PolicyOutcome(
        choice.name,
        _setting(scenario, choice.spec),
        calls,
        Counterexample(minimal, result, setting=setting),
        searches=searches,
        none_shorter=searches > len(found),
        evidence=evidence,
    )


def _setting(scenario: Scenario, compaction: CompactionSpec) -> str:
    if scenario.agent.adapter is not None:
        return f"your {scenario.agent.type} agent (it compacts its own context)"
    return compaction.describe()


def fuzz(
    scenario: Scenario,
    options: FuzzOptions = FuzzOptions(),
    *,
    write: bool = True,
    sweep_length: int | None = None,
    policies: Sequence[str] | None = None,
    on_example: Callable[[Variation, RunResult], None] | None = None,
) -> FuzzReport:
    """Search every policy of the scenario's fuzz section; write each minimal counterexample.

    ``sweep_length``: also run the survival sweep over lengths 1..sweep_length.
    ``on_example``: called after each variation is replayed, with its result (progress).
    Raises InvalidInput for a bad fuzz section, RunIncomplete if the agent cannot be built.
    """
    spec = fuzz_spec(scenario)
    # A missing tokenizer or summarizer is exit 3 now, not a failure of every example.
    build_agent(scenario).close()
    spec = replace(
        spec, policies=tuple(c for c in spec.policies if policies is None or c.name in policies)
    )
    resolved = resolve_options(options, spec.examples)
    survival = sweep(scenario, spec, sweep_length) if sweep_length is not None else None
    outcomes = []
    with hypothesis_storage(resolved):
        for choice in spec.policies:
            outcome = search_policy(scenario, spec, choice, resolved, on_example)
            outcome = replace(outcome, overrides=preset_overrides(scenario, spec, choice))
            if write and outcome.counterexample is not None:
                path = write_counterexample(scenario, outcome.counterexample, resolved.out)
                outcome = replace(
                    outcome, counterexample=replace(outcome.counterexample, path=str(path))
                )
            outcomes.append(outcome)
    return FuzzReport(
        scenario=scenario.name,
        path=scenario.path,
        examples=resolved.examples,
        seed=resolved.seed,
        derandomize=resolved.derandomize,
        database=None if resolved.database is None else str(resolved.database),
        outcomes=tuple(outcomes),
        sweep=survival,
    )
