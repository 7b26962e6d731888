"""``replay fuzz``: search a scenario's fuzz ranges for the shortest conversation that fails.

    scenario.yaml (fuzz: ranges) --strategies--> Variation --materialize--> Scenario
        --run_scenario--> RunResult --fails?--> Hypothesis shrinks --> minimal counterexample
        --> fixtures/counterexamples/<scenario>-<hash>.yaml (a standalone regression scenario)

Generation and shrinking are Hypothesis's own (:func:`hypothesis.find`): each policy in the
fuzz section is searched separately, so each gets its own minimal counterexample. A variation
fails when any check has a finding or the run cannot complete (fail closed). A variation whose
run showed nothing ("unproven": no check exercised, or a rule-pack check not exercised, as a
short generated conversation without a probe often is) is no evidence either way: it is never
a counterexample, and never counted as a pass.

The survival sweep (:func:`sweep`) answers "from which length does it fail?" for every length
1..N with one replay per policy: a shorter conversation is a prefix of the longer one and every
check is streaming (a finding at turn t depends only on turns 1..t, and so does whether the
check was exercised by turn t), so the conversation of length L fails exactly when some
finding of the length-N replay is at a turn <= L, and is unproven exactly when the checks
exercised by turn L would leave a replay of L turns unproven.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
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
from replay.checks import (
    CheckResult,
    CheckRunner,
    Finding,
    Outcome,
    check_id,
    check_ids,
)
from replay.clients import LiveModelSpec
from replay.compaction import PRESETS, CompactionSpec
from replay.errors import InvalidInput, RunIncomplete
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
    UNPROVEN,
    RunResult,
    build_agent,
    overall_verdict,
    run_scenario,
    unproven_reason,
)
from replay.scenario import (
    DEFAULT_DISCLOSURE,
    AgentSpec,
    CheckSpec,
    Expectation,
    ModelSpec,
    OpeningMessage,
    Scenario,
    ScriptedReply,
    ScriptItem,
    load_scenario,
    scenario_from_mapping,
)
from replay.strategies import Conversation, FuzzTurn, Variation, variations
from replay.summarizers import PROMPT_PRESETS, SummarizerSpec
from replay.trace import TurnRecord, read_trace

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

    def not_exercised(self) -> tuple[CheckResult, ...]:
        """The checks this conversation did not exercise (it shows nothing about them)."""
        return tuple(c for c in self.result.checks if c.outcome is Outcome.NOT_EXERCISED)

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
            "not_exercised": [c.id for c in self.not_exercised()],
        }


@dataclass(frozen=True)
class Evidence:
    """What the replays of one search showed, beyond its counterexample.

    Only a replay whose verdict is "pass" is evidence that the disclosure holds; an
    "unproven" one (it completed without findings but exercised nothing, or not a check a rule
    pack requires) shows nothing and is counted apart. ``exercised`` counts, per check, the
    replays in which it was exercised (it held or failed).
    """

    passed: int = 0
    unproven: int = 0
    exercised: tuple[tuple[str, int], ...] = ()
    """(check id, replays that exercised it), in the scenario's check order."""

    def never_exercised(self) -> tuple[str, ...]:
        """The checks no replay exercised: the search shows nothing about them."""
        return tuple(check for check, count in self.exercised if count == 0)


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
    evidence: Evidence = Evidence()
    """How many replays passed, how many showed nothing, and which checks they exercised."""

    @property
    def verdict(self) -> str:
        """The counterexample's verdict; without one, "pass" only if some replay passed (an
        unproven replay is no evidence), else "unproven"."""
        if self.counterexample is not None:
            return self.counterexample.result.verdict
        return PASS if self.evidence.passed else UNPROVEN

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "compaction": self.compaction,
            "examples": self.examples,
            "searches": self.searches,
            "none_shorter": self.none_shorter,
            "verdict": self.verdict,
            "passed": self.evidence.passed,
            "unproven": self.evidence.unproven,
            "exercised": [{"check": c, "replays": n} for c, n in self.evidence.exercised],
            "never_exercised": list(self.evidence.never_exercised()),
            "counterexample": self.counterexample.to_json() if self.counterexample else None,
        }


@dataclass(frozen=True)
class PolicySurvival:
    """Survival by length for one policy, from one replay of ``length`` turns.

    The conversation of length L (1 <= L <= length) fails exactly when ``first_failure`` is
    not None and L >= ``first_failure``; otherwise it passes when ``proven_from`` is not None
    and L >= ``proven_from``, and is unproven (it shows nothing) when shorter (see
    :meth:`verdict`).
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
    proven_from: int | None = 1
    """The shortest length whose replay would not be unproven (its checks exercised as a
    replay of that length needs, see runner.unproven_reason); None: no length up to
    ``length``. Lengths below it are no evidence, whether or not they fail."""
    first_exercised: tuple[tuple[str, int | None], ...] = ()
    """(check id, first turn that exercised it, None if none), in the scenario's check order."""
    unproven_reason: str | None = None
    """Why the longest unproven length is unproven (None if no length is)."""
    error_turn: int | None = None
    """The turn the run stopped at (1 if it could not start), None if it completed."""

    def fails(self, length: int) -> bool:
        """Whether the conversation of ``length`` turns has a finding or cannot complete."""
        return self.first_failure is not None and length >= self.first_failure

    def verdict(self, length: int) -> str:
        """The verdict a replay of the first ``length`` turns on its own would have."""
        if self.error_turn is not None and length >= self.error_turn:
            return ERROR
        if self.fails(length):
            return FAIL
        if self.proven_from is not None and length >= self.proven_from:
            return PASS
        return UNPROVEN

    def survives(self, length: int) -> bool:
        """Whether the conversation of ``length`` turns passes: every check it exercises
        holds and it exercises what a pass needs (an unproven length does not survive, it
        shows nothing)."""
        return self.verdict(length) == PASS

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "compaction": self.compaction,
            "length": self.length,
            "first_failure": self.first_failure,
            "first_failure_by_check": [
                {"check": c, "turn": t} for c, t in self.first_failure_by_check
            ],
            "proven_from": self.proven_from,
            "unproven_reason": self.unproven_reason,
            "first_exercised": [{"check": c, "turn": t} for c, t in self.first_exercised],
            "disclosure_lost": [{"disclosure": d, "turn": t} for d, t in self.disclosure_lost],
            "held": list(self.held),
            "input_tokens": list(self.input_tokens),
            "compaction_turns": list(self.compaction_turns),
            "error": self.error,
            "error_turn": self.error_turn,
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
            # The sweep's verdict is that of its longest conversation: shorter ones that show
            # nothing yet are expected (no probe so far), not a finding.
            verdicts |= {
                ERROR if p.error is not None else p.verdict(p.length) for p in self.sweep.policies
            }
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
    """Search one policy's variations; shrink a failure to its minimal counterexample.

    A variation is a counterexample when its run has findings or cannot complete. One that
    completed without findings but showed nothing ("unproven") is no evidence either way:
    not a counterexample, and not counted as a pass (see :class:`Evidence`).
    """
    examples = options.examples if options.examples is not None else spec.examples
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
        settings=hypothesis_settings(options, examples),
        random=Random(options.seed) if options.seed is not None else None,
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
            outcome = replace(
                outcome, counterexample=replace(outcome.counterexample, path=str(path))
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
#
# A counterexample file is a standalone scenario: the writer below turns a loaded Scenario back
# into scenario YAML, every key that can change a finding included (rules, regulations,
# disclosures, the agent's opening messages, model, compaction and summarizer, checks with
# their parameters, gap, expect). Loading what it writes gives an equal Scenario (see
# tests/test_fuzz.py), and write_counterexample checks that for every file it writes.


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _relative(path: str, folder: Path) -> str:
    """A file a scenario refers to, as a scenario file in ``folder`` names it (scenario paths
    are resolved against the scenario's folder)."""
    return Path(os.path.relpath(path, folder)).as_posix()


def live_model_data(spec: LiveModelSpec, folder: Path) -> dict[str, Any]:
    """A live model by reference: endpoint, model name, key variable (never the key), cassette
    (relative to ``folder``), and the limits that differ from the defaults."""
    data: dict[str, Any] = {"type": spec.provider, "model": spec.model}
    if spec.base_url is not None:
        data["base_url"] = spec.base_url
    if spec.api_key_env is not None:
        data["api_key_env"] = spec.api_key_env
    if spec.cassette is not None:
        data["cassette"] = _relative(spec.cassette, folder)
    default = LiveModelSpec(spec.provider, spec.model)
    if spec.timeout != default.timeout:
        data["timeout"] = _number(spec.timeout)
    for key, value, default_value in (
        ("max_attempts", spec.retry.max_attempts, default.retry.max_attempts),
        ("max_retry_time", spec.retry.max_time, default.retry.max_time),
        ("max_retry_wait", spec.retry.max_wait, default.retry.max_wait),
        ("retry_initial_wait", spec.retry.initial_wait, default.retry.initial_wait),
    ):
        if value != default_value:
            data[key] = _number(value)
    if spec.temperature is not None:
        data["temperature"] = _number(spec.temperature)
    if spec.max_tokens is not None:
        data["max_tokens"] = spec.max_tokens
    return data


def _reply_data(reply: str | ScriptedReply) -> str | dict[str, Any]:
    if isinstance(reply, str):
        return reply
    calls: list[dict[str, Any]] = []
    for call in reply.tool_calls:
        item: dict[str, Any] = {"name": call.name, "arguments": call.arguments}
        if call.id is not None:
            item["id"] = call.id
        calls.append(item)
    return {"text": reply.text, "tool_calls": calls} if reply.text else {"tool_calls": calls}


def model_data(spec: ModelSpec, folder: Path) -> dict[str, Any]:
    """What writes the replies: the simulator, scripted replies, or a live model."""
    if spec.live is not None:
        return live_model_data(spec.live, folder)
    data: dict[str, Any] = {"type": spec.type}
    if spec.type == "scripted":
        if spec.replies:
            data["replies"] = [_reply_data(r) for r in spec.replies]
        if spec.default_reply is not None:
            data["default_reply"] = spec.default_reply
        return data
    data["persona"] = spec.persona
    if spec.remind_every_minutes is not None:
        data["remind_every"] = _number(spec.remind_every_minutes)
    return data


def compaction_data(spec: CompactionSpec, folder: Path = Path(".")) -> dict[str, Any]:
    """The scenario YAML for a compaction spec, every setting a scenario can give explicit.

    With a preset, the settings only a preset can give (``trigger_inclusive``,
    ``start_on_user``, ``marker_text``, ``count_pinned``) come from it again on loading.
    """
    data: dict[str, Any] = {}
    preset = PRESETS.get(spec.preset) if spec.preset else None
    if preset is not None:
        data["preset"] = spec.preset
    if preset is None or preset.values.get("policy") != spec.policy:
        data["policy"] = spec.policy
    if spec.trigger_kind is not None:
        data["trigger"] = {spec.trigger_kind: _number(spec.trigger_value)}
    if spec.keep_kind is not None:
        data["keep"] = {spec.keep_kind: _number(spec.keep_value)}
    # A preset's required keys are written even at their zero value: loading demands them.
    if (
        spec.policy == "head_tail"
        or spec.head
        or (preset is not None and "head" in preset.requires)
    ):
        data["head"] = spec.head
    data.update(
        pin_system=spec.pin_system,
        summary_role=spec.summary_role,
        summary_prefix=spec.summary_prefix,
        token_counting=spec.token_counting,
        summarizer=summarizer_data(spec.summarizer, folder),
    )
    return data


def summarizer_data(spec: SummarizerSpec, folder: Path = Path(".")) -> dict[str, Any]:
    data: dict[str, Any] = {"type": spec.type}
    if spec.type == "extractive":
        data.update(keep_disclosures=spec.keep_disclosures, max_tokens=spec.max_tokens)
    elif spec.type == "scripted":
        data["text"] = spec.text or ""
    elif spec.type == "callable":
        data["function"] = spec.function
    elif spec.type == "model" and spec.model is not None:
        data["model"] = live_model_data(spec.model, folder)
    if spec.prompt is not None:
        preset = next((k for k, v in PROMPT_PRESETS.items() if v == spec.prompt), None)
        if spec.type == "model" and preset is not None:
            data["prompt_preset"] = preset
        else:
            data["prompt"] = spec.prompt
    return data


def opening_data(message: OpeningMessage) -> dict[str, Any]:
    if message.kind == "greeting":
        return {"greeting": message.content, "shown_to_user": message.shown_to_user}
    return {"notice": message.content, "role": message.role, "shown_to_user": message.shown_to_user}


def agent_data(agent: AgentSpec, folder: Path) -> dict[str, Any]:
    """The agent section: the reference loop with its compaction, or your own agent."""
    adapter = agent.adapter
    if adapter is not None:
        data: dict[str, Any] = {
            "type": adapter.kind,
            adapter.kind: list(adapter.target)
            if isinstance(adapter.target, tuple)
            else adapter.target,
        }
        if adapter.kind == "command":
            # Relative to the counterexample's folder, so the command runs where it ran.
            if adapter.cwd is not None:
                data["cwd"] = _relative(adapter.cwd, folder)
            if adapter.env:
                data["env"] = dict(adapter.env)
        # A python agent's module is imported from the scenario's folder (or sys.path): a
        # scenario cannot name another folder, so keep the module importable from where the
        # counterexample runs (docs/fuzzing.md).
        if adapter.timeout != 60.0:
            data["timeout"] = _number(adapter.timeout)
        if adapter.proxy_port:
            data["proxy_port"] = adapter.proxy_port
        data["model"] = model_data(agent.model, folder)
        data["encoding"] = agent.encoding
        return data
    data = {}
    if agent.system_prompt is not None:
        data["system_prompt"] = agent.system_prompt
    if agent.opening:
        data["opening"] = [opening_data(o) for o in agent.opening]
    data["model"] = model_data(agent.model, folder)
    data["compaction"] = compaction_data(agent.compaction, folder)
    data["encoding"] = agent.encoding
    if agent.context_window is not None:
        data["context_window"] = agent.context_window
    return data


def script_data(items: Sequence[ScriptItem]) -> list[dict[str, Any]]:
    """Script items as written: texts unexpanded ({n}, {turn}), repeats kept as blocks."""
    out: list[dict[str, Any]] = []
    for item in items:
        if item.repeat:
            out.append({"repeat": item.repeat, "turns": script_data(item.body)})
            continue
        text: str | list[str] = item.text[0] if len(item.text) == 1 else list(item.text)
        data: dict[str, Any] = {"probe" if item.probe else "user": text}
        if item.reply is not None:
            data["reply"] = item.reply
        if item.after is not None:
            data["after"] = _number(item.after)
        if item.at is not None:
            data["at"] = _number(item.at)
        out.append(data)
    return out


def turn_data(turn: FuzzTurn) -> dict[str, Any]:
    """One generated turn as a scenario turn."""
    (data,) = script_data(Conversation((turn,)).script())
    return data


def check_data(check: CheckSpec, all_disclosures: Sequence[str]) -> Any:
    """One check as written under ``checks:`` (``all_disclosures``: the sorted disclosure ids
    a check without ``disclosure:`` runs over)."""
    options: dict[str, Any] = {}
    if len(check.disclosures) == 1 and tuple(check.disclosures) != tuple(all_disclosures):
        options["disclosure"] = check.disclosures[0]
    if check.every_turns is not None:
        options["turns"] = check.every_turns
    if check.every_minutes is not None:
        options["minutes"] = _number(check.every_minutes)
    return {check.name: options} if options else check.name


def checks_data(scenario: Scenario, disclosures: Any) -> list[Any]:
    """The scenario's own checks: those its rule packs do not already bring.

    ``Scenario.checks`` holds the scenario's own checks merged with its packs' (each with the
    packs' citations). Writing only the checks no pack cites gives the same merge back when it
    keeps their order; otherwise every check is written (the packs add their citations to
    them again on loading).
    """
    ids = sorted(d.id for d in scenario.disclosures)
    every = [check_data(c, ids) for c in scenario.checks]
    if not scenario.rules:
        return every
    own = [check_data(c, ids) for c in scenario.checks if not c.citations]
    probe: dict[str, Any] = {
        "scenario": scenario.name,
        "rules": list(scenario.rules),
        "conversation": {"turns": [{"user": "-"}]},
    }
    if disclosures is not None:
        probe["disclosures"] = disclosures
    if own:
        probe["checks"] = own
    try:
        merged = scenario_from_mapping(probe, scenario.path).checks
    except InvalidInput:
        return every
    return own if _checks_key(merged) == _checks_key(scenario.checks) else every


def _checks_key(checks: Sequence[CheckSpec]) -> list[CheckSpec]:
    return [replace(c, location=None) for c in checks]


def expect_data(expect: Expectation) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if expect.verdict is not None:
        data["verdict"] = expect.verdict
    if expect.reason:
        data["reason"] = expect.reason
    if expect.findings:
        data["findings"] = [
            {"check": f.check, "turn": f.turn}
            | ({"disclosure": f.disclosure} if f.disclosure else {})
            for f in expect.findings
        ]
    if expect.not_exercised:
        data["not_exercised"] = [
            {"check": f.check} | ({"disclosure": f.disclosure} if f.disclosure else {})
            for f in expect.not_exercised
        ]
    return data


def scenario_document(
    scenario: Scenario,
    folder: Path,
    *,
    description: str | None = None,
    expect: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``scenario`` as scenario YAML data for a file in ``folder``: loading it gives an equal
    Scenario (its ``fuzz:`` section, which no Scenario field holds, is left out).

    Disclosures are written as the scenario's YAML gave them (``scenario.raw``): their
    matchers are compiled and cannot be written back. Paths (cassettes, a command agent's
    folder) are written relative to ``folder``. ``description`` and ``expect`` replace the
    scenario's own.
    """
    data: dict[str, Any] = {"scenario": scenario.name}
    text = scenario.description if description is None else description
    if text:
        data["description"] = text
    if scenario.rules:
        data["rules"] = list(scenario.rules)
    if scenario.regulations:
        data["regulations"] = list(scenario.regulations)
    written_expect = expect_data(scenario.expect) if expect is None else dict(expect)
    if written_expect:
        data["expect"] = written_expect
    data["agent"] = agent_data(scenario.agent, folder)
    disclosures = scenario.raw.get("disclosures")
    if disclosures is not None:
        data["disclosures"] = disclosures
    elif [d.id for d in scenario.disclosures] != [DEFAULT_DISCLOSURE]:
        raise ValueError(
            f"scenario {scenario.name!r}: its disclosures are not in its YAML data (raw), so "
            "they cannot be written"
        )
    data["conversation"] = {
        "gap": _number(scenario.gap_minutes),
        "turns": script_data(scenario.script),
    }
    checks = checks_data(scenario, disclosures)
    if checks:
        data["checks"] = checks
    return data


def counterexample_expect(counterexample: Counterexample) -> dict[str, Any]:
    """The ``expect:`` of a counterexample file: every finding (the pytest plugin matches
    expect finding for finding) and every check the conversation does not exercise."""
    result = counterexample.result
    if result.verdict == ERROR:
        return {"reason": f"the run could not complete: {result.error}"}
    findings = sorted(result.findings, key=lambda f: (f.turn, f.check, f.disclosure or ""))
    expect: dict[str, Any] = {
        "verdict": FAIL,
        "reason": "minimal counterexample found by replay fuzz (policy "
        f"{counterexample.variation.policy})",
        "findings": [
            {"check": f.check, "turn": f.turn}
            | ({"disclosure": f.disclosure} if f.disclosure else {})
            for f in findings
        ],
    }
    quiet = counterexample.not_exercised()
    if quiet:
        expect["not_exercised"] = [
            {"check": c.check} | ({"disclosure": c.disclosure} if c.disclosure else {})
            for c in quiet
        ]
    return expect


def counterexample_data(
    scenario: Scenario, counterexample: Counterexample, folder: Path = DEFAULT_OUT
) -> dict[str, Any]:
    """A standalone scenario that replays the counterexample exactly (name without hash), for
    a file in ``folder``."""
    variation = counterexample.variation
    setting = (
        f"the {scenario.agent.type} agent"
        if scenario.agent.adapter is not None
        else variation.compaction.describe()
    )
    return scenario_document(
        variation.apply(scenario),
        folder,
        description=f"Minimal counterexample of {scenario.name} ({scenario.path}) found by "
        f"replay fuzz: {counterexample.turns} turns with {setting}.",
        expect=counterexample_expect(counterexample),
    )


class _Dumper(yaml.SafeDumper):
    """Writes multi-line strings (system prompts) as literal blocks, as a reviewer would."""


# Line breaks to YAML besides \n and \r. PyYAML (with allow_unicode) writes them unescaped in
# plain, single-quoted and block scalars, where a loader reads them as line breaks (NEL
# becomes "\n", or a space when folded): only a double-quoted scalar escapes them.
_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style: str | None = None
    if any(ch in value for ch in _UNICODE_BREAKS):
        style = '"'
    elif "\n" in value:
        style = "|"  # PyYAML falls back to a quoted style where a literal block cannot hold it
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_scenario(data: Mapping[str, Any]) -> str:
    """Scenario YAML data as the text of a scenario file."""
    return yaml.dump(dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_counterexample(scenario: Scenario, counterexample: Counterexample, out: Path) -> Path:
    """Write the counterexample as ``<out>/<scenario>-<hash>.yaml`` and check it replays the same.

    The hash is of the file's content but its description (which names the scenario's path as
    it was typed), so the same counterexample always gets the same name and a different one
    never overwrites it.
    """
    data = counterexample_data(scenario, counterexample, out)
    identity = {k: v for k, v in data.items() if k != "description"}
    digest = hashlib.sha256(
        json.dumps(identity, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:10]
    name = f"{scenario.name}-{digest}"
    data["scenario"] = name
    body = dump_scenario(data)
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


def comparable(scenario: Scenario) -> Scenario:
    """``scenario`` without what a written copy of it may differ in and still run the same:
    where things were written (locations, the file's path), its name, description and
    expectation, and how paths it refers to are spelled (made absolute).

    The folder of a python or http agent is the scenario file's own by definition (only a
    command agent's can be given), so it is left out."""

    def where(path: str | None) -> str | None:
        return None if path is None else os.path.normpath(os.path.abspath(path))

    def live(spec: LiveModelSpec | None) -> LiveModelSpec | None:
        return None if spec is None else replace(spec, cassette=where(spec.cassette))

    def script(items: Sequence[ScriptItem]) -> tuple[ScriptItem, ...]:
        return tuple(replace(i, location=None, body=script(i.body)) for i in items)

    agent = scenario.agent
    adapter = agent.adapter
    if adapter is not None:
        adapter = replace(adapter, cwd=where(adapter.cwd) if adapter.kind == "command" else None)
    compaction = agent.compaction
    summarizer = replace(compaction.summarizer, model=live(compaction.summarizer.model))
    agent = replace(
        agent,
        adapter=adapter,
        opening=tuple(replace(o, location=None) for o in agent.opening),
        model=replace(agent.model, live=live(agent.model.live)),
        compaction=replace(compaction, summarizer=summarizer),
    )
    return replace(
        scenario,
        name="",
        path="",
        description="",
        expect=Expectation(),
        agent=agent,
        script=script(scenario.script),
        checks=tuple(replace(c, location=None) for c in scenario.checks),
    )


def _verify_written(path: Path, scenario: Scenario, counterexample: Counterexample) -> None:
    """The file must replay exactly what was found, or it is no regression test."""
    written = load_scenario(path)
    expected = counterexample.variation.apply(scenario)
    a, b = comparable(written), comparable(expected)
    if a == b:
        return
    problems = [
        f"{f.name}: {getattr(a, f.name)!r} != {getattr(b, f.name)!r}"
        for f in dataclasses.fields(Scenario)
        if f.compare and getattr(a, f.name) != getattr(b, f.name)
    ]
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

    with tempfile.TemporaryDirectory(prefix="replay-sweep-") as folder:
        trace = Path(folder) / "sweep.jsonl"
        try:
            result = run_scenario(probe, trace_path=trace, on_turn=on_turn)
        except RunIncomplete as exc:
            result = RunResult(probe.name, probe.path, 0, 0, (), error=str(exc))
        exercised = _exercised_by_turn(trace, materialized.checks) if trace.exists() else None
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
    proven_from, first_exercised, reason = exercised or (None, (), None)
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
        proven_from=proven_from,
        first_exercised=first_exercised,
        unproven_reason=reason,
        error_turn=result.error_turn
        if result.error_turn is not None
        else (1 if result.error is not None else None),
    )


def _exercised_by_turn(
    trace: Path, checks: Sequence[CheckSpec]
) -> tuple[int | None, tuple[tuple[str, int | None], ...], str | None]:
    """From a sweep's trace: the first length whose replay would not be unproven, the first
    turn that exercised each check, and why the longest unproven length is unproven.

    The scenario's checks are run again over the trace (the sweep's own extra checks are not
    among them), asking after every turn which of them a replay of that length exercised;
    the answer is the runner's own rule (runner.unproven_reason).
    """
    header, records = read_trace(trace)
    runner = CheckRunner(checks, header.disclosures, header.setup)
    first: list[int | None] = [None] * len(runner.checks)
    proven_from: int | None = None
    reason: str | None = None
    try:
        for record in records:
            runner.observe(record)
            for i, check in enumerate(runner.checks):
                if first[i] is None and check.exercised():
                    first[i] = record.index
            if proven_from is None:
                why = unproven_reason(
                    [
                        CheckResult(
                            check.name,
                            check.disclosure,
                            (),
                            0,
                            citations=check.spec.citations,
                            outcome=Outcome.HOLDS if seen is not None else Outcome.NOT_EXERCISED,
                        )
                        for check, seen in zip(runner.checks, first, strict=True)
                    ]
                )
                if why is None:
                    proven_from = record.index
                else:
                    reason = why
    except RunIncomplete:
        pass  # the run stopped at an error; its turns so far were judged
    ids = [check_id(c.name, c.disclosure) for c in runner.checks]
    return proven_from, tuple(zip(ids, first, strict=True)), reason


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


def _span(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}..{hi}"


def render_sweep(result: SweepResult, width: int = 50) -> str:
    """Per policy: the first failing length, when each disclosure was lost, and a survival bar.

    In the bar each character stands for a band of lengths: '#' every length in it passes,
    '?' some length in it shows nothing (unproven: no evidence, neither pass nor failure),
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
            if p.fails(lo):
                bar += "."
            elif p.fails(hi):
                bar += "+"
            elif not p.survives(lo):
                bar += "?"
            else:
                bar += "#"
        if p.error is not None:
            verdict = f"could not complete: {p.error}"
        else:
            end = p.length + 1
            proven = p.proven_from if p.proven_from is not None else end
            failing = p.first_failure if p.first_failure is not None else end
            parts = []
            if min(proven, failing) > 1:
                parts.append(
                    f"no evidence {_span(1, min(proven, failing) - 1)} (unproven: "
                    f"{p.unproven_reason})"
                )
            if proven < failing:
                parts.append(
                    f"passes every length 1..{n}"
                    if proven == 1 and failing == end
                    else f"passes {_span(proven, failing - 1)}"
                )
            if p.first_failure is not None:
                check = p.first_failure_by_check[0][0] if p.first_failure_by_check else "error"
                parts.append(f"fails from {p.first_failure} ({check})")
            verdict = ", ".join(parts)
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
        evidence = outcome.evidence
        if cx is None:
            if outcome.verdict == PASS:
                lines.append(
                    f"  ok   {outcome.policy}: {outcome.examples} examples, no counterexample"
                    + (
                        f" ({evidence.passed} passed; {evidence.unproven} showed nothing "
                        "(unproven) and count as no evidence)"
                        if evidence.unproven
                        else ""
                    )
                )
            else:
                lines.append(
                    f"  UNPROVEN {outcome.policy}: {outcome.examples} examples, no "
                    "counterexample, but none passed: every replay showed nothing (unproven)"
                )
            if evidence.never_exercised():
                lines.append(
                    "       not exercised by any replay (no evidence): "
                    + ", ".join(evidence.never_exercised())
                )
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
        if cx.not_exercised():
            lines.append(
                "       not exercised by this conversation (no evidence): "
                + ", ".join(c.id for c in cx.not_exercised())
            )
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
    "Evidence",
    "FuzzOptions",
    "FuzzReport",
    "PolicyOutcome",
    "PolicySurvival",
    "SweepResult",
    "fuzz",
    "hypothesis_settings",
    "render_report",
    "render_sweep",
    "scenario_document",
    "search_policy",
    "sweep",
    "write_counterexample",
]
