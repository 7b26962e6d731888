"""The ``fuzz:`` section of a scenario: the ranges ``replay fuzz`` draws variations from.

The JSON Schema checks shapes (``$defs/fuzz``); this module checks meaning, with the same
located errors: an empty or inverted range, a range too large to run, a policy that is neither a
compaction policy nor a framework preset, or one that cannot run with the scenario's settings.

Ranges are written as inclusive ``{min: A, max: B}`` mappings; a single value fixes it::

    fuzz:
      turns: {min: 1, max: 200}
      words: {min: 3, max: 40}
      probe_rate: {min: 0, max: 0.2}
      trigger_tokens: {min: 300, max: 3000}
      keep_messages: 20
      gap: {min: 1m, max: 10m}
      policies: [langchain-summarization, truncate_oldest]
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from replay.errors import InvalidInput, Problem
from replay.spec._loop import POLICIES, PRESETS, CompactionSpec
from replay.spec._source import JsonPath, SourceMap
from replay.spec._words import did_you_mean

if TYPE_CHECKING:
    from replay.spec._scenario import Scenario
from replay.spec._fuzz import (
    DEFAULT_EXAMPLES,
    DEFAULT_PROBE_TEXTS,
    DEFAULT_VOCABULARY,
    PROBE_TEXTS,
    FloatRange,
    FuzzSpec,
    IntRange,
    PolicyChoice,
)

# Bounds on what one generated example may cost: a conversation longer than this is a
# benchmark, not a fuzz example, and Hypothesis replays each example many times while shrinking.
MAX_TURNS = 20_000
MAX_WORDS = 2_000
MAX_WORDS_PER_CONVERSATION = 2_000_000
MAX_TRIGGER_TOKENS = 10_000_000
MAX_KEEP_MESSAGES = 100_000
MAX_GAP_MINUTES = 7 * 24 * 60.0
CI_MAX_EXAMPLES = 100
DEFAULT_DATABASE = Path(".hypothesis") / "examples"
"""Hypothesis's own default location, so one .gitignore entry covers both."""
DEFAULT_OUT = Path("fixtures") / "counterexamples"


def fuzz_spec(scenario: Scenario) -> FuzzSpec:
    """The scenario's validated fuzz section; InvalidInput (located) if it has none or it is bad."""
    data = scenario.raw.get("fuzz")
    source = scenario.source or SourceMap(scenario.path)
    if data is None:
        raise InvalidInput(
            [
                source.problem(
                    (),
                    f"scenario {scenario.name!r} has no 'fuzz:' section; add one with at least "
                    "the range of conversation lengths, e.g.\n"
                    "  fuzz:\n    turns: {min: 1, max: 200}\n"
                    "(see docs/fuzzing.md for every range you can give)",
                )
            ]
        )
    return fuzz_spec_from_data(data, source, scenario)


def fuzz_problems(scenario: Scenario, source: SourceMap) -> list[Problem]:
    """The located problems of a scenario's fuzz section (for the scenario loader)."""
    data = scenario.raw.get("fuzz")
    if data is None:
        return []
    try:
        fuzz_spec_from_data(data, source, scenario)
    except InvalidInput as exc:
        return list(exc.problems)
    return []


def fuzz_spec_from_data(data: Mapping[str, Any], source: SourceMap, scenario: Scenario) -> FuzzSpec:
    """Check the meaning of schema-valid fuzz data; raise InvalidInput listing every problem."""
    parser = _Parser(source)
    spec = parser.parse(data, scenario)
    if parser.problems:
        raise InvalidInput(parser.problems)
    return spec


class _Parser:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, path: JsonPath, message: str) -> None:
        self.problems.append(self.source.problem(path, message))

    def count_range(
        self, data: Any, key: str, *, low: int, high: int, unit: str, default: IntRange
    ) -> IntRange:
        path: JsonPath = ("fuzz", key)
        if data is None:
            return default
        lo, hi = (data, data) if isinstance(data, int) else (data["min"], data["max"])
        return self._bounded(IntRange(lo, hi), path, low=low, high=high, unit=unit, default=default)

    def rate_range(self, data: Any, key: str, default: FloatRange) -> FloatRange:
        if data is None:
            return default
        lo, hi = (data, data) if isinstance(data, (int, float)) else (data["min"], data["max"])
        rate = FloatRange(float(lo), float(hi))
        if rate.min > rate.max:
            self.fail(("fuzz", key), _inverted(key, rate.min, rate.max))
            return default
        return rate

    def duration_range(self, data: Any) -> FloatRange | None:
        from replay.spec._scenario import parse_minutes

        if data is None:
            return None
        if isinstance(data, Mapping):
            rng = FloatRange(parse_minutes(data["min"]), parse_minutes(data["max"]))
        else:
            rng = FloatRange(parse_minutes(data), parse_minutes(data))
        if rng.min > rng.max:
            self.fail(("fuzz", "gap"), _inverted("gap", f"{rng.min:g}m", f"{rng.max:g}m"))
            return None
        if rng.max > MAX_GAP_MINUTES:
            self.fail(
                ("fuzz", "gap", "max") if isinstance(data, Mapping) else ("fuzz", "gap"),
                f"gap of {rng.max:g} minutes is more than the {MAX_GAP_MINUTES:g} (one week) "
                "allowed between two turns",
            )
            return None
        return rng

    def _bounded(
        self, rng: IntRange, path: JsonPath, *, low: int, high: int, unit: str, default: IntRange
    ) -> IntRange:
        key = str(path[-1])
        if rng.min > rng.max:
            self.fail(path, _inverted(key, rng.min, rng.max))
            return default
        if rng.min < low:
            self.fail(
                (*path, "min"),
                f"{key} must be at least {low} {unit}, got {rng.min}; raise min to {low}",
            )
            return default
        if rng.max > high:
            self.fail(
                (*path, "max"),
                f"{key} up to {rng.max} {unit} is too large to run (at most {high:,}); lower "
                "max, or replay one long conversation with `replay run` instead",
            )
            return default
        return rng

    def parse(self, data: Mapping[str, Any], scenario: Scenario) -> FuzzSpec:
        turns = self.count_range(
            data.get("turns"), "turns", low=1, high=MAX_TURNS, unit="turns", default=IntRange(1, 1)
        )
        words = self.count_range(
            data.get("words"), "words", low=1, high=MAX_WORDS, unit="words", default=IntRange(3, 30)
        )
        if turns.max * words.max > MAX_WORDS_PER_CONVERSATION:
            self.fail(
                ("fuzz",),
                f"conversations of up to {turns.max} turns of {words.max} words are too large to "
                f"run ({turns.max * words.max:,} words; at most {MAX_WORDS_PER_CONVERSATION:,}); "
                "lower turns.max or words.max",
            )
        trigger = (
            self.count_range(
                data["trigger_tokens"],
                "trigger_tokens",
                low=1,
                high=MAX_TRIGGER_TOKENS,
                unit="tokens",
                default=IntRange(1, 1),
            )
            if "trigger_tokens" in data
            else None
        )
        keep = (
            self.count_range(
                data["keep_messages"],
                "keep_messages",
                low=0,
                high=MAX_KEEP_MESSAGES,
                unit="messages",
                default=IntRange(0, 0),
            )
            if "keep_messages" in data
            else None
        )
        if scenario.agent.adapter is not None:
            # Your own agent compacts its own context: the reference loop's settings do not apply.
            for key in ("policies", "trigger_tokens", "keep_messages"):
                if key in data:
                    self.fail(
                        ("fuzz", key),
                        f"fuzz.{key} applies to the reference agent's compaction; agent type "
                        f"{scenario.agent.type!r} compacts its own context (fuzz its "
                        "conversations with turns, words, probe_rate and gap)",
                    )
        names = data.get("policies")
        policies = (
            tuple(
                choice
                for i, name in enumerate(names)
                if (choice := self.policy(name, i, scenario, trigger, keep)) is not None
            )
            if names is not None
            else (self.own_policy(scenario, trigger, keep),)
        )
        return FuzzSpec(
            turns=turns,
            words=words,
            probe_rate=self.rate_range(data.get("probe_rate"), "probe_rate", FloatRange(0.0, 0.2)),
            final_probe=bool(data.get("final_probe", False)),
            trigger_tokens=trigger,
            keep_messages=keep,
            gap_minutes=self.duration_range(data.get("gap")),
            policies=policies,
            vocabulary=tuple(data.get("vocabulary", DEFAULT_VOCABULARY)),
            probe_texts=tuple(data.get("probe_texts", ()))
            or _script_probes(scenario)
            or PROBE_TEXTS.get(scenario.languages[0] if scenario.languages else "en")
            or DEFAULT_PROBE_TEXTS,
            examples=int(data.get("examples", DEFAULT_EXAMPLES)),
        )

    def own_policy(
        self, scenario: Scenario, trigger: IntRange | None, keep: IntRange | None
    ) -> PolicyChoice:
        spec = scenario.agent.compaction
        if scenario.agent.adapter is not None:
            return PolicyChoice(f"{scenario.agent.type} agent", spec)
        name = spec.preset or spec.policy
        # None: the scenario's compaction exactly as written. A preset with a `policy:` of the
        # scenario's own runs that policy in `replay run`, and so it must when fuzzed.
        resolved = self.resolve(name, None, ("agent", "compaction"), scenario, trigger, keep)
        return PolicyChoice(name, resolved or spec)

    def policy(
        self,
        name: str,
        index: int,
        scenario: Scenario,
        trigger: IntRange | None,
        keep: IntRange | None,
    ) -> PolicyChoice | None:
        path: JsonPath = ("fuzz", "policies", index)
        if name in PRESETS:
            key = "preset"
        elif name in POLICIES:
            key = "policy"
        else:
            known = sorted({*POLICIES, *PRESETS})
            self.fail(
                path,
                f"unknown compaction policy or preset {name!r}"
                + did_you_mean(name, known)
                + f" (policies: {', '.join(POLICIES)}; presets: `replay presets`)",
            )
            return None
        spec = self.resolve(name, key, path, scenario, trigger, keep)
        return None if spec is None else PolicyChoice(name, spec)

    def resolve(
        self,
        name: str,
        key: str | None,
        path: JsonPath,
        scenario: Scenario,
        trigger: IntRange | None,
        keep: IntRange | None,
    ) -> CompactionSpec | None:
        """The scenario's compaction with ``name`` swapped in as its ``key`` ("preset" or
        "policy"; None: nothing swapped), validated by the scenario loader."""
        from replay.scenario._load import scenario_from_mapping

        data = copy.deepcopy(dict(scenario.raw))
        data.pop("fuzz", None)
        data.pop("expect", None)  # about the scripted conversation, not this policy
        agent = data.setdefault("agent", {})
        compaction = dict(agent.get("compaction", {}))
        if key is not None:
            compaction = {k: v for k, v in compaction.items() if k not in ("preset", "policy")}
            compaction[key] = name
        if trigger is not None and "trigger" not in compaction:
            compaction["trigger"] = {"tokens": trigger.min}
        if keep is not None and "keep" not in compaction:
            compaction["keep"] = {"messages": keep.min}
        agent["compaction"] = compaction
        try:
            return scenario_from_mapping(data, scenario.path).agent.compaction
        except InvalidInput as exc:
            fix = (
                "give the setting in agent.compaction, or a trigger_tokens/keep_messages range "
                "in fuzz:"
            )
            for problem in exc.problems:
                self.fail(path, f"policy {name!r} cannot run here: {problem.message}; {fix}")
            return None


def _inverted(key: str, lo: object, hi: object) -> str:
    return f"{key} range is empty: min {lo} is greater than max {hi}; swap them"


def _script_probes(scenario: Scenario) -> tuple[str, ...]:
    texts: list[str] = []
    stack = list(scenario.script)
    while stack:
        item = stack.pop(0)
        if item.repeat:
            stack[:0] = item.body
        elif item.probe:
            texts.extend(t for t in item.text if t not in texts)
    return tuple(texts)


def policy_names(spec: FuzzSpec) -> Sequence[str]:
    return [choice.name for choice in spec.policies]
