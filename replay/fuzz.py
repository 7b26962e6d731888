"""``replay fuzz``: search a scenario's fuzz ranges for the shortest conversation that fails.

    scenario.yaml (fuzz: ranges) --strategies--> Variation --materialize--> Scenario
        --run_scenario--> RunResult --fails?--> Hypothesis shrinks --> minimal counterexample
        --> fixtures/counterexamples/<scenario>-<hash>.yaml (a standalone regression scenario)

Generation and shrinking are Hypothesis's own (:func:`hypothesis.find`): each policy in the
fuzz section is searched separately, so each gets its own minimal counterexample. A variation
fails when any check has a finding or the run cannot complete (fail closed).

The survival sweep (:func:`sweep`) answers "from which length does it fail?" for every length
1..N with one replay per policy: a shorter conversation is a prefix of the longer one and every
check is streaming (a finding at turn t depends only on turns 1..t), so the conversation of
length L fails exactly when some finding of the length-N replay is at a turn <= L.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from random import Random
from typing import Any, TypeVar

import yaml
from hypothesis import HealthCheck, Phase, Verbosity, find, settings
from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase
from hypothesis.errors import NoSuchExample
from hypothesis.strategies import SearchStrategy

from replay import __version__
from replay.checks import Finding
from replay.compaction import CompactionSpec
from replay.errors import RunIncomplete
from replay.fuzzspec import (
    CI_MAX_EXAMPLES,
    DEFAULT_DATABASE,
    DEFAULT_OUT,
    FuzzSpec,
    IntRange,
    PolicyChoice,
    fuzz_spec,
)
from replay.runner import (
    ERROR,
    FAIL,
    PASS,
    RunResult,
    build_agent,
    overall_verdict,
    run_scenario,
)
from replay.scenario import CheckSpec, Scenario, load_scenario
from replay.strategies import Conversation, FuzzTurn, Variation, variations
from replay.summarizers import SummarizerSpec
from replay.trace import TurnRecord

FUZZ_SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class FuzzOptions:
    """How to run the search (the command line's options)."""

    examples: int | None = None
    """Examples per policy; None: the fuzz section's ``examples`` (default 100)."""
    seed: int | None = None
    derandomize: bool = False
    ci: bool = False
    """CI profile: derandomized, at most CI_MAX_EXAMPLES examples, no example database."""
    database: Path | None = DEFAULT_DATABASE
    """Hypothesis example database; None: none (derandomized runs never use one)."""
    out: Path = DEFAULT_OUT


def hypothesis_settings(options: FuzzOptions, examples: int) -> settings:
    """The Hypothesis settings a fuzz run uses."""
    derandomize = options.derandomize or options.ci
    if options.ci:
        examples = min(examples, CI_MAX_EXAMPLES)
    database: ExampleDatabase | None = None
    if options.database is not None and not derandomize:
        database = DirectoryBasedExampleDatabase(str(options.database))
    return settings(
        max_examples=examples,
        derandomize=derandomize,
        database=database,
        # A long replay is slow by design; a deadline would turn slowness into a failure.
        deadline=None,
        # too_slow and data_too_large fire on examples that replay hundreds of turns, which is
        # exactly what we mean to generate; large_base_example fires when turns.min is large.
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
        # No explain phase: it re-runs the failure many times to annotate source lines, which
        # says nothing about a conversation.
        phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
        verbosity=Verbosity.quiet,
        print_blob=False,
    )


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Counterexample:
    """The minimal failing variation Hypothesis shrank to, and the scenario file written."""

    variation: Variation
    result: RunResult
    path: str | None = None
    setting: str = ""
    """The agent setting it ran with: the compaction, or your own agent's type."""

    @property
    def turns(self) -> int:
        return len(self.variation.conversation)

    def first_findings(self) -> tuple[Finding, ...]:
        """The first finding of each failing check, by turn."""
        firsts = [check.findings[0] for check in self.result.checks if check.findings]
        return tuple(sorted(firsts, key=lambda f: (f.turn, f.check)))

    def to_json(self) -> dict[str, Any]:
        conversation = self.variation.conversation
        return {
            "path": self.path,
            "turns": self.turns,
            "words": conversation.words,
            "probes": list(conversation.probes),
            "compaction": self.setting or self.variation.compaction.describe(),
            "verdict": self.result.verdict,
            "error": self.result.error,
            "findings": [
                {"check": f.check, "disclosure": f.disclosure, "turn": f.turn, "message": f.message}
                for f in self.first_findings()
            ],
        }


@dataclass(frozen=True)
class PolicyOutcome:
    """One policy's search: how many examples ran and the counterexample, if any."""

    policy: str
    compaction: str
    examples: int
    """Replays run (generated examples and shrinking steps, over every search)."""
    counterexample: Counterexample | None = None
    searches: int = 1
    """Hypothesis searches run: one, plus one per shorter bound tried (see find_shortest)."""
    none_shorter: bool = False
    """The last search, among conversations shorter than the counterexample, found nothing."""

    @property
    def verdict(self) -> str:
        return PASS if self.counterexample is None else self.counterexample.result.verdict

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "compaction": self.compaction,
            "examples": self.examples,
            "searches": self.searches,
            "none_shorter": self.none_shorter,
            "verdict": self.verdict,
            "counterexample": self.counterexample.to_json() if self.counterexample else None,
        }


@dataclass(frozen=True)
class PolicySurvival:
    """Survival by length for one policy, from one replay of ``length`` turns.

    The conversation of length L (1 <= L <= length) passes every check exactly when
    ``first_failure`` is None or L < ``first_failure``.
    """

    policy: str
    compaction: str
    length: int
    """Turns replayed (fewer than asked if the run stopped at an error)."""
    first_failure: int | None
    """The shortest failing length: the earliest finding's turn, or the error turn."""
    first_failure_by_check: tuple[tuple[str, int], ...]
    """(check id, turn of its first finding), for every failing check, earliest first."""
    disclosure_lost: tuple[tuple[str, int | None], ...]
    """(disclosure, first turn it was missing from the model's input), None if never."""
    held: tuple[bool, ...]
    """Per turn 1..length: every disclosure was in the model's input for the reply."""
    input_tokens: tuple[int, ...]
    """Per turn 1..length: tokens of the reply call's input (after compaction)."""
    compaction_turns: tuple[int, ...]
    error: str | None = None

    def survives(self, length: int) -> bool:
        """Whether the conversation of ``length`` turns passes every check."""
        return self.first_failure is None or length < self.first_failure

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "compaction": self.compaction,
            "length": self.length,
            "first_failure": self.first_failure,
            "first_failure_by_check": [
                {"check": c, "turn": t} for c, t in self.first_failure_by_check
            ],
            "disclosure_lost": [{"disclosure": d, "turn": t} for d, t in self.disclosure_lost],
            "held": list(self.held),
            "input_tokens": list(self.input_tokens),
            "compaction_turns": list(self.compaction_turns),
            "error": self.error,
        }


@dataclass(frozen=True)
class SweepResult:
    """Survival by length 1..``length`` for every policy of a scenario's fuzz section."""

    scenario: str
    path: str
    length: int
    policies: tuple[PolicySurvival, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "path": self.path,
            "length": self.length,
            "policies": [p.to_json() for p in self.policies],
        }


@dataclass(frozen=True)
class FuzzReport:
    """Everything one ``replay fuzz`` run found (``--json`` writes :meth:`to_json`)."""

    scenario: str
    path: str
    examples: int
    seed: int | None
    derandomize: bool
    database: str | None = None
    outcomes: tuple[PolicyOutcome, ...] = ()
    sweep: SweepResult | None = None

    @property
    def verdict(self) -> str:
        verdicts = {o.verdict for o in self.outcomes}
        if self.sweep is not None:
            verdicts |= {ERROR for p in self.sweep.policies if p.error is not None}
            verdicts |= {FAIL for p in self.sweep.policies if p.first_failure is not None}
        return overall_verdict(verdicts)

    def to_json(self) -> dict[str, Any]:
        return {
            "fuzz_schema_version": FUZZ_SCHEMA_VERSION,
            "tool": f"replay {__version__}",
            "scenario": self.scenario,
            "path": self.path,
            "verdict": self.verdict,
            "examples": self.examples,
            "seed": self.seed,
            "derandomize": self.derandomize,
            "database": self.database,
            "policies": [o.to_json() for o in self.outcomes],
            "sweep": self.sweep.to_json() if self.sweep else None,
        }


# ----------------------------------------------------------------------------- the search


def replay_variation(scenario: Scenario, variation: Variation) -> RunResult:
    """Replay one variation of ``scenario``; a run that cannot start counts as an error."""
    materialized = variation.apply(scenario)
    try:
        return run_scenario(materialized)
    except RunIncomplete as exc:
        return RunResult(materialized.name, materialized.path, 0, 0, (), error=str(exc))


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
    options: FuzzOptions,
    on_example: Callable[[Variation, RunResult], None] | None = None,
) -> PolicyOutcome:
    """Search one policy's variations; shrink a failure to its minimal counterexample."""
    examples = options.examples if options.examples is not None else spec.examples
    calls = 0

    def fails(variation: Variation) -> bool:
        nonlocal calls
        calls += 1
        result = replay_variation(scenario, variation)
        if on_example is not None:
            on_example(variation, result)
        return result.verdict != PASS

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
        settings=hypothesis_settings(options, examples),
        random=Random(options.seed) if options.seed is not None else None,
        database_key=database_key(scenario, choice.name),
    )
    if not found:
        return PolicyOutcome(choice.name, _setting(scenario, choice.spec), calls, searches=searches)
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
) -> FuzzReport:
    """Search every policy of the scenario's fuzz section; write each minimal counterexample.

    ``sweep_length``: also run the survival sweep over lengths 1..sweep_length.
    Raises InvalidInput for a bad fuzz section, RunIncomplete if the agent cannot be built.
    """
    spec = fuzz_spec(scenario)
    # A missing tokenizer or summarizer is exit 3 now, not a failure of every example.
    build_agent(scenario).close()
    spec = replace(
        spec, policies=tuple(c for c in spec.policies if policies is None or c.name in policies)
    )
    examples = options.examples if options.examples is not None else spec.examples
    if options.ci:
        examples = min(examples, CI_MAX_EXAMPLES)
    derandomize = options.derandomize or options.ci
    # Hypothesis uses no database when derandomized or seeded (a fixed seed replays itself).
    database = None if derandomize or options.seed is not None else options.database
    survival = sweep(scenario, spec, sweep_length) if sweep_length is not None else None
    outcomes = []
    for choice in spec.policies:
        outcome = search_policy(scenario, spec, choice, options)
        if write and outcome.counterexample is not None:
            path = write_counterexample(scenario, outcome.counterexample, options.out)
            outcome = PolicyOutcome(
                outcome.policy,
                outcome.compaction,
                outcome.examples,
                replace(outcome.counterexample, path=str(path)),
                outcome.searches,
                outcome.none_shorter,
            )
        outcomes.append(outcome)
    return FuzzReport(
        scenario=scenario.name,
        path=scenario.path,
        examples=examples,
        seed=options.seed,
        derandomize=derandomize,
        database=None if database is None else str(database),
        outcomes=tuple(outcomes),
        sweep=survival,
    )


# ----------------------------------------------------------------------------- counterexamples


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def compaction_data(spec: CompactionSpec) -> dict[str, Any]:
    """The scenario YAML for a compaction spec, every setting explicit."""
    data: dict[str, Any] = {"preset": spec.preset} if spec.preset else {"policy": spec.policy}
    if spec.trigger_kind is not None:
        data["trigger"] = {spec.trigger_kind: _number(spec.trigger_value)}
    if spec.keep_kind is not None:
        data["keep"] = {spec.keep_kind: _number(spec.keep_value)}
    if spec.policy == "head_tail":
        data["head"] = spec.head
    data.update(
        pin_system=spec.pin_system,
        summary_role=spec.summary_role,
        summary_prefix=spec.summary_prefix,
        token_counting=spec.token_counting,
        summarizer=summarizer_data(spec.summarizer),
    )
    return data


def summarizer_data(spec: SummarizerSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"type": spec.type}
    if spec.type == "extractive":
        data.update(keep_disclosures=spec.keep_disclosures, max_tokens=spec.max_tokens)
    elif spec.type == "scripted":
        data["text"] = spec.text or ""
    elif spec.type == "callable":
        data["function"] = spec.function
    if spec.prompt is not None:
        data["prompt"] = spec.prompt
    return data


def check_data(check: CheckSpec, all_disclosures: Sequence[str]) -> Any:
    options: dict[str, Any] = {}
    if len(check.disclosures) == 1 and tuple(check.disclosures) != tuple(all_disclosures):
        options["disclosure"] = check.disclosures[0]
    if check.every_turns is not None:
        options["turns"] = check.every_turns
    if check.every_minutes is not None:
        options["minutes"] = _number(check.every_minutes)
    return {check.name: options} if options else check.name


def turn_data(turn: FuzzTurn) -> dict[str, Any]:
    data: dict[str, Any] = {"probe" if turn.probe else "user": turn.text}
    if turn.after is not None:
        data["after"] = _number(turn.after)
    return data


def counterexample_data(scenario: Scenario, counterexample: Counterexample) -> dict[str, Any]:
    """A standalone scenario that replays the counterexample exactly (name without hash)."""
    raw = scenario.raw
    variation = counterexample.variation
    agent = {k: v for k, v in dict(raw.get("agent", {})).items() if k != "compaction"}
    if scenario.agent.adapter is None:  # your own agent compacts on its own
        agent["compaction"] = compaction_data(variation.compaction)
    result = counterexample.result
    expect: dict[str, Any]
    if result.verdict == ERROR:
        expect = {"reason": f"the run could not complete: {result.error}"}
    else:
        # Every finding, as the pytest plugin matches expect: finding for finding.
        findings = sorted(result.findings, key=lambda f: (f.turn, f.check, f.disclosure or ""))
        expect = {
            "verdict": FAIL,
            "reason": f"minimal counterexample found by replay fuzz (policy {variation.policy})",
            "findings": [
                {"check": f.check, "turn": f.turn}
                | ({"disclosure": f.disclosure} if f.disclosure else {})
                for f in findings
            ],
        }
    disclosure_ids = [d.id for d in scenario.disclosures]
    setting = (
        f"the {scenario.agent.type} agent"
        if scenario.agent.adapter is not None
        else variation.compaction.describe()
    )
    data: dict[str, Any] = {
        "scenario": scenario.name,
        "description": f"Minimal counterexample of {scenario.name} ({scenario.path}) found by "
        f"replay fuzz: {counterexample.turns} turns with {setting}.",
    }
    if scenario.regulations:
        data["regulations"] = list(scenario.regulations)
    data["expect"] = expect
    data["agent"] = agent
    if "disclosures" in raw:
        data["disclosures"] = raw["disclosures"]
    data["conversation"] = {
        "gap": _number(scenario.gap_minutes),
        "turns": [turn_data(t) for t in variation.conversation.turns],
    }
    data["checks"] = [check_data(c, disclosure_ids) for c in scenario.checks]
    return data


class _Dumper(yaml.SafeDumper):
    """Writes multi-line strings (system prompts) as literal blocks, as a reviewer would."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value and value.strip() == value.rstrip("\n").strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def write_counterexample(scenario: Scenario, counterexample: Counterexample, out: Path) -> Path:
    """Write the counterexample as ``<out>/<scenario>-<hash>.yaml`` and check it replays the same.

    The hash is of the file's content but its description (which names the scenario's path as
    it was typed), so the same counterexample always gets the same name and a different one
    never overwrites it.
    """
    data = counterexample_data(scenario, counterexample)
    identity = {k: v for k, v in data.items() if k != "description"}
    digest = hashlib.sha256(
        json.dumps(identity, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:10]
    name = f"{scenario.name}-{digest}"
    data["scenario"] = name
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    variation = counterexample.variation
    header = (
        f"# Minimal counterexample found by `replay fuzz {scenario.path}` (policy "
        f"{variation.policy}): {counterexample.turns} turns.\n"
        f"# Reproduce with: replay run <this file>\n"
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.yaml"
    path.write_text(header + body, encoding="utf-8")
    _verify_written(path, scenario, counterexample)
    return path


def _verify_written(path: Path, scenario: Scenario, counterexample: Counterexample) -> None:
    """The file must replay exactly what was found, or it is no regression test."""
    written = load_scenario(path)
    expected = counterexample.variation.apply(scenario)
    problems = []
    if written.agent.compaction != expected.agent.compaction:
        problems.append(f"compaction {written.agent.compaction} != {expected.agent.compaction}")

    def shape(s: Scenario) -> list[tuple[int, str, bool, float, str | None]]:
        return [(t.index, t.text, t.probe, t.minutes, t.reply) for t in s.turns()]

    if shape(written) != shape(expected):
        problems.append("the conversation differs")
    if problems:
        raise RunIncomplete(
            f"{path}: the written counterexample does not reproduce the variation found "
            f"({'; '.join(problems)}); please report this"
        )


# ----------------------------------------------------------------------------- sweep


def sweep_conversation(scenario: Scenario, length: int) -> Conversation:
    """The scenario's own conversation, cycled to ``length`` turns (its timing kept)."""
    turns = list(scenario.turns())
    out = []
    previous = 0.0
    for i in range(length):
        turn = turns[i % len(turns)]
        if i == 0:
            after = None
        elif i % len(turns) == 0:
            after = scenario.gap_minutes
        else:
            after = turn.minutes - previous
        previous = turn.minutes
        out.append(FuzzTurn(text=turn.text, probe=turn.probe, after=after))
    return Conversation(tuple(out))


def survival(
    scenario: Scenario, choice: PolicyChoice, conversation: Conversation
) -> PolicySurvival:
    """One replay of ``conversation`` under ``choice``: the verdict for every prefix length."""
    variation = Variation(choice.name, choice.spec, conversation)
    materialized = variation.apply(scenario)
    # A context_retains check per disclosure, added for the sweep only, tells when each
    # disclosure left the model's input whether or not the scenario checks it.
    extra = tuple(CheckSpec("context_retains", (d.id,)) for d in scenario.disclosures)
    probe = _replace_checks(materialized, (*materialized.checks, *extra))
    tokens: list[int] = []
    compactions: list[int] = []

    def on_turn(record: TurnRecord) -> None:
        call = record.reply_call
        tokens.append(call.input_tokens if call is not None else 0)
        if record.compactions:
            compactions.append(record.index)

    try:
        result = run_scenario(probe, on_turn=on_turn)
    except RunIncomplete as exc:
        result = RunResult(probe.name, probe.path, 0, 0, (), error=str(exc))
    own = result.checks[: len(result.checks) - len(extra)] if result.checks else ()
    added = result.checks[len(own) :]
    firsts = sorted(
        ((c.id, c.findings[0].turn) for c in own if c.findings), key=lambda item: (item[1], item[0])
    )
    failure_turns = [turn for _, turn in firsts]
    if result.error_turn is not None:
        failure_turns.append(result.error_turn)
    elif result.error is not None:
        failure_turns.append(1)
    held = [True] * result.turns
    lost: list[tuple[str, int | None]] = []
    for check in added:
        for finding in check.findings:
            until = finding.until_turn if finding.until_turn is not None else finding.turn
            for turn in range(finding.turn, until + 1):
                held[turn - 1] = False
        lost.append((str(check.disclosure), check.findings[0].turn if check.findings else None))
    return PolicySurvival(
        policy=choice.name,
        compaction=choice.spec.describe(),
        length=result.turns,
        first_failure=min(failure_turns) if failure_turns else None,
        first_failure_by_check=tuple(firsts),
        disclosure_lost=tuple(lost),
        held=tuple(held),
        input_tokens=tuple(tokens),
        compaction_turns=tuple(compactions),
        error=result.error,
    )


def _replace_checks(scenario: Scenario, checks: tuple[CheckSpec, ...]) -> Scenario:
    return replace(scenario, checks=checks)


def sweep(
    scenario: Scenario, spec: FuzzSpec | None = None, length: int | None = None
) -> SweepResult:
    """Survival by length 1..``length`` (default: fuzz turns.max) per policy, one replay each."""
    spec = spec if spec is not None else fuzz_spec(scenario)
    n = length if length is not None else spec.turns.max
    conversation = sweep_conversation(scenario, n)
    return SweepResult(
        scenario=scenario.name,
        path=scenario.path,
        length=n,
        policies=tuple(survival(scenario, choice, conversation) for choice in spec.policies),
    )


# ----------------------------------------------------------------------------- rendering


def render_sweep(result: SweepResult, width: int = 50) -> str:
    """Per policy: the first failing length, when each disclosure was lost, and a survival bar.

    In the bar each character stands for a band of lengths: '#' every length in it passes,
    '.' every length fails, '+' it holds the first failing length.
    """
    n = result.length
    lines = [f"survival by length 1..{n} ({result.scenario}; one replay per policy)"]
    name_width = max([len(p.policy) for p in result.policies] + [6])
    for p in result.policies:
        cells = min(width, max(n, 1))
        bar = ""
        for c in range(cells):
            lo = c * n // cells + 1
            hi = (c + 1) * n // cells
            if p.survives(hi):
                bar += "#"
            elif not p.survives(lo):
                bar += "."
            else:
                bar += "+"
        if p.error is not None:
            verdict = f"could not complete: {p.error}"
        elif p.first_failure is None:
            verdict = f"passes every length 1..{n}"
        else:
            check, _ = (
                p.first_failure_by_check[0]
                if p.first_failure_by_check
                else ("error", p.first_failure)
            )
            verdict = f"passes 1..{p.first_failure - 1}, fails from {p.first_failure} ({check})"
        lost = ", ".join(
            f"{d} lost at turn {t}" if t is not None else f"{d} never lost"
            for d, t in p.disclosure_lost
        )
        lines.append(f"  {p.policy:<{name_width}} |{bar}| {verdict}; {lost}")
    return "\n".join(lines)


def render_report(report: FuzzReport) -> str:
    """The text ``replay fuzz`` prints."""
    if report.derandomize:
        how = "derandomized"
    elif report.seed is not None:
        how = f"seed {report.seed}"
    else:
        how = "random"
    how += f", example database {report.database}" if report.database else ", no example database"
    lines = [
        f"fuzz {report.scenario} ({report.path}): "
        f"up to {report.examples} examples per policy, {how}"
    ]
    for outcome in report.outcomes:
        cx = outcome.counterexample
        if cx is None:
            lines.append(f"  ok   {outcome.policy}: {outcome.examples} examples, no counterexample")
            continue
        status = "ERROR" if cx.result.verdict == ERROR else "FAIL"
        conversation = cx.variation.conversation
        lines.append(
            f"  {status} {outcome.policy}: minimal counterexample: {cx.turns} turns, "
            f"{conversation.words} words, {len(conversation.probes)} probe(s); "
            f"{cx.setting or cx.variation.compaction.describe()}"
        )
        lines.append(
            f"       ({outcome.examples} replays in {outcome.searches} Hypothesis searches; "
            f"the last found no failure shorter than {cx.turns} turns)"
            if outcome.none_shorter
            else f"       ({outcome.examples} replays in {outcome.searches} Hypothesis search(es))"
        )
        if cx.result.error is not None:
            lines.append(f"       the run could not complete: {cx.result.error}")
        for finding in cx.first_findings():
            label = (
                finding.check
                if finding.disclosure is None
                else f"{finding.check}[{finding.disclosure}]"
            )
            lines.append(f"       turn {finding.turn}: {label}: {finding.message}")
        if cx.path is not None:
            lines.append(f"       written: {cx.path}  (reproduce: replay run {cx.path})")
    if report.sweep is not None:
        lines.append(render_sweep(report.sweep))
    return "\n".join(lines)


def write_json(report: FuzzReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


__all__ = [
    "Counterexample",
    "FuzzOptions",
    "FuzzReport",
    "PolicyOutcome",
    "PolicySurvival",
    "SweepResult",
    "fuzz",
    "hypothesis_settings",
    "render_report",
    "render_sweep",
    "search_policy",
    "sweep",
    "write_counterexample",
]
