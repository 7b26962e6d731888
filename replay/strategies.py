"""Hypothesis strategies for conversations, probes, budgets, compaction settings and scenarios.

These are what ``replay fuzz`` draws from, and they are public so that you can write your own
property tests over the replay engine or your own agent::

    from hypothesis import given, settings
    from replay import load_scenario, run_scenario
    from replay.strategies import scenarios

    BASE = load_scenario("scenarios/support_bot_pinned.yaml")

    @settings(max_examples=50, deadline=None)
    @given(scenarios(BASE))
    def test_disclosure_survives(scenario):
        assert not run_scenario(scenario).findings

Every strategy shrinks towards the shortest conversation first (fewest turns), then towards
the shortest messages, the fewest and earliest probes, the smallest budgets and gaps: so a
failure Hypothesis reports is the simplest conversation it could find that still fails.
Probes are drawn as turn *positions*, so shrinking can move them as well as remove them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from hypothesis import strategies as st

from replay.compaction import CompactionSpec
from replay.fuzzspec import (
    DEFAULT_PROBE_TEXTS,
    DEFAULT_VOCABULARY,
    FloatRange,
    FuzzSpec,
    IntRange,
    PolicyChoice,
    fuzz_spec,
)
from replay.scenario import Scenario, ScriptItem

__all__ = [
    "Conversation",
    "FuzzTurn",
    "Variation",
    "budgets",
    "compaction_specs",
    "conversations",
    "probe_positions",
    "scenarios",
    "user_messages",
    "variations",
]

Bounds = tuple[int, int] | IntRange
RateBounds = tuple[float, float] | FloatRange


@dataclass(frozen=True)
class FuzzTurn:
    """One generated user turn."""

    text: str
    probe: bool = False
    after: float | None = None
    """Minutes since the previous turn; None: the scenario's ``conversation.gap``."""


@dataclass(frozen=True)
class Conversation:
    """A generated conversation: the user's side, turn by turn."""

    turns: tuple[FuzzTurn, ...]

    def __len__(self) -> int:
        return len(self.turns)

    @property
    def probes(self) -> tuple[int, ...]:
        """The 1-based positions of the probe turns."""
        return tuple(i for i, turn in enumerate(self.turns, 1) if turn.probe)

    @property
    def words(self) -> int:
        """Words in all the user messages (the size the shrinker minimises after length)."""
        return sum(len(turn.text.split()) for turn in self.turns)

    def script(self) -> tuple[ScriptItem, ...]:
        """The conversation as scenario script items (for :meth:`Scenario.with_script`)."""
        return tuple(ScriptItem(text=(t.text,), probe=t.probe, after=t.after) for t in self.turns)

    def prefix(self, length: int) -> Conversation:
        return Conversation(self.turns[:length])


@dataclass(frozen=True)
class Variation:
    """One generated variation of a scenario: a conversation and a compaction setting."""

    policy: str
    compaction: CompactionSpec
    conversation: Conversation

    def apply(self, scenario: Scenario) -> Scenario:
        """The scenario with this conversation and compaction (everything else unchanged)."""
        agent = replace(scenario.agent, compaction=self.compaction)
        return replace(scenario.with_script(self.conversation.script()), agent=agent)


def _bounds(value: Bounds) -> tuple[int, int]:
    return (value.min, value.max) if isinstance(value, IntRange) else (value[0], value[1])


def _rate_bounds(value: RateBounds) -> tuple[float, float]:
    return (value.min, value.max) if isinstance(value, FloatRange) else (value[0], value[1])


# Hypothesis records every choice it makes and gives up on an example that needs too many
# (its BUFFER_SIZE), so a conversation is made of a bounded number of choices whatever its
# length: a cycle of distinct messages, a cycle of gaps, a bounded number of probe positions,
# and messages built from a short phrase of drawn words repeated to the drawn length.
MAX_PHRASE_WORDS = 12
MAX_DISTINCT_MESSAGES = 16
MAX_DISTINCT_GAPS = 16
MAX_PROBES = 50


def user_messages(
    vocabulary: Sequence[str] = DEFAULT_VOCABULARY, words: Bounds = (3, 30)
) -> st.SearchStrategy[str]:
    """User messages of ``words`` (min, max) words drawn from ``vocabulary``.

    The length in words is drawn first, then a phrase of up to 12 words, repeated to that
    length. Shrinks towards fewer words, and towards the first words of the vocabulary.
    """
    lo, hi = _bounds(words)
    if lo < 1 or lo > hi:
        raise ValueError(f"words must be a range with 1 <= min <= max, got {lo}..{hi}")
    if not vocabulary:
        raise ValueError("vocabulary must hold at least one word")
    pool = st.sampled_from(tuple(vocabulary))

    @st.composite
    def draw_message(draw: st.DrawFn) -> str:
        count = draw(st.integers(lo, hi))
        phrase = draw(st.lists(pool, min_size=1, max_size=min(count, MAX_PHRASE_WORDS)))
        return " ".join(phrase[i % len(phrase)] for i in range(count))

    return draw_message()


def probe_positions(
    turns: int, rate: RateBounds = (0.0, 0.2), *, final: bool = False
) -> st.SearchStrategy[tuple[int, ...]]:
    """Sorted 1-based positions of the probe turns in a conversation of ``turns`` turns.

    Between ``ceil(rate.min * turns)`` and ``floor(rate.max * turns)`` probes, but at most 50,
    at distinct positions; ``final`` adds the last turn. Shrinks towards fewer and earlier
    probes, and each position can move on its own.
    """
    lo_rate, hi_rate = _rate_bounds(rate)
    if not 0.0 <= lo_rate <= hi_rate <= 1.0:
        raise ValueError(f"rate must satisfy 0 <= min <= max <= 1, got {lo_rate}..{hi_rate}")
    if turns < 1:
        return st.just(())
    hi = min(math.floor(hi_rate * turns + 1e-9), MAX_PROBES)
    lo = min(math.ceil(lo_rate * turns - 1e-9), hi)

    @st.composite
    def draw_positions(draw: st.DrawFn) -> tuple[int, ...]:
        chosen = draw(st.lists(st.integers(1, turns), min_size=lo, max_size=hi, unique=True))
        if final:
            chosen.append(turns)
        return tuple(sorted(set(chosen)))

    return draw_positions()


@st.composite
def conversations(
    draw: st.DrawFn,
    turns: Bounds = (1, 50),
    words: Bounds = (3, 30),
    probe_rate: RateBounds = (0.0, 0.2),
    gap_minutes: RateBounds | None = None,
    *,
    vocabulary: Sequence[str] = DEFAULT_VOCABULARY,
    probe_texts: Sequence[str] = DEFAULT_PROBE_TEXTS,
    final_probe: bool = False,
) -> Conversation:
    """Conversations of ``turns`` (min, max) user turns.

    Non-probe turns cycle through up to 16 distinct messages of ``words`` words from
    ``vocabulary`` (the way a long conversation returns to its topics); probe turns, at
    positions drawn by :func:`probe_positions`, cycle through texts from ``probe_texts``.
    ``gap_minutes`` (min, max) draws up to 16 gaps in whole seconds, cycled over the turns;
    None leaves the timing to the scenario's ``conversation.gap``.

    The number of turns is drawn first, so Hypothesis shrinks to the fewest turns first, then
    to fewer and shorter messages.
    """
    lo, hi = _bounds(turns)
    if lo < 1 or lo > hi:
        raise ValueError(f"turns must be a range with 1 <= min <= max, got {lo}..{hi}")
    if not probe_texts:
        raise ValueError("probe_texts must hold at least one text")
    count = draw(st.integers(lo, hi), label="turns")
    probes = set(draw(probe_positions(count, probe_rate, final=final_probe), label="probes"))
    users = max(count - len(probes), 1)
    messages = draw(
        st.lists(
            user_messages(vocabulary, words),
            min_size=1,
            max_size=min(users, MAX_DISTINCT_MESSAGES),
        )
    )
    asks = draw(
        st.lists(
            st.sampled_from(tuple(probe_texts)),
            min_size=1,
            max_size=max(1, min(len(probes), MAX_DISTINCT_MESSAGES)),
        )
    )
    gaps: list[float] = []
    if gap_minutes is not None:
        gap_lo, gap_hi = _rate_bounds(gap_minutes)
        # Whole seconds: they shrink to round values and print exactly in a scenario file.
        seconds = st.integers(round(gap_lo * 60), round(gap_hi * 60))
        gaps = [
            s / 60
            for s in draw(
                st.lists(seconds, min_size=1, max_size=max(1, min(count - 1, MAX_DISTINCT_GAPS)))
            )
        ]
    out = []
    asked = said = 0
    for index in range(1, count + 1):
        if index in probes:
            text, asked = asks[asked % len(asks)], asked + 1
        else:
            text, said = messages[said % len(messages)], said + 1
        after = gaps[(index - 2) % len(gaps)] if gaps and index > 1 else None
        out.append(FuzzTurn(text=text, probe=index in probes, after=after))
    return Conversation(tuple(out))


def budgets(tokens: Bounds = (256, 8192)) -> st.SearchStrategy[int]:
    """Compaction trigger budgets in tokens; shrinks towards the smallest budget."""
    lo, hi = _bounds(tokens)
    if lo < 1 or lo > hi:
        raise ValueError(f"tokens must be a range with 1 <= min <= max, got {lo}..{hi}")
    return st.integers(lo, hi)


@st.composite
def compaction_specs(
    draw: st.DrawFn,
    base: CompactionSpec,
    trigger_tokens: Bounds | None = None,
    keep_messages: Bounds | None = None,
) -> CompactionSpec:
    """``base`` with a token trigger drawn from ``trigger_tokens`` and a kept-message count
    from ``keep_messages`` (either None: keep the base's own)."""
    spec = base
    if trigger_tokens is not None:
        spec = replace(spec, trigger_kind="tokens", trigger_value=draw(budgets(trigger_tokens)))
    if keep_messages is not None:
        lo, hi = _bounds(keep_messages)
        spec = replace(spec, keep_kind="messages", keep_value=draw(st.integers(lo, hi)))
    return spec


def _policy_choices(spec: FuzzSpec, policy: str | None) -> tuple[PolicyChoice, ...]:
    if policy is None:
        return spec.policies
    return (spec.policy(policy),)


@st.composite
def variations(
    draw: st.DrawFn,
    scenario: Scenario,
    spec: FuzzSpec | None = None,
    policy: str | None = None,
) -> Variation:
    """Variations of ``scenario`` within its ``fuzz:`` ranges (or ``spec``).

    ``policy`` fixes one of the spec's policies (``replay fuzz`` searches each separately, so
    every policy gets its own minimal counterexample); otherwise the policy is drawn too.
    """
    spec = spec if spec is not None else fuzz_spec(scenario)
    choices = _policy_choices(spec, policy)
    choice = choices[0] if len(choices) == 1 else draw(st.sampled_from(choices))
    conversation = draw(
        conversations(
            spec.turns,
            spec.words,
            spec.probe_rate,
            spec.gap_minutes,
            vocabulary=spec.vocabulary,
            probe_texts=spec.probe_texts,
            final_probe=spec.final_probe,
        )
    )
    compaction = draw(compaction_specs(choice.spec, spec.trigger_tokens, spec.keep_messages))
    return Variation(choice.name, compaction, conversation)


def scenarios(
    scenario: Scenario, spec: FuzzSpec | None = None, policy: str | None = None
) -> st.SearchStrategy[Scenario]:
    """Whole scenarios: ``scenario`` with generated conversations and compaction settings."""
    return variations(scenario, spec, policy).map(lambda v: v.apply(scenario))
