"""replay.strategies: bounds, shrinking order, and properties of the engine tested with them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import find, given, settings
from hypothesis import strategies as st

from replay.fuzz import find_shortest
from replay.fuzz.strategies import (
    budgets,
    compaction_specs,
    conversations,
    probe_positions,
    scenario_documents,
    scenarios,
    user_messages,
    variations,
)
from replay.loop import TokenCounter
from replay.results import Finding
from replay.run import run_scenario
from replay.scenario import DEFAULT_VOCABULARY, fuzz_spec, load_scenario, scenario_from_mapping
from replay.spec import CompactionSpec, Scenario
from replay.spec._fuzz import Conversation, Variation

ROOT = Path(__file__).resolve().parent.parent
# Bounded and derandomized: the suite stays fast and gives the same result on every run.
BOUNDED = settings(max_examples=40, deadline=None, derandomize=True)
PINNED = load_scenario(ROOT / "scenarios" / "fuzz_support_bot_pinned.yaml")


# ----------------------------------------------------------------------------- bounds


@BOUNDED
@given(user_messages(("alpha", "beta", "gamma"), words=(2, 9)))
def test_user_messages_have_the_drawn_number_of_vocabulary_words(text: str) -> None:
    words = text.split(" ")
    assert 2 <= len(words) <= 9
    assert set(words) <= {"alpha", "beta", "gamma"}


@BOUNDED
@given(st.data(), st.integers(1, 300), st.floats(0, 1), st.floats(0, 1), st.booleans())
def test_probe_positions_are_distinct_sorted_and_within_the_rate(
    data: st.DataObject, turns: int, a: float, b: float, final: bool
) -> None:
    lo, hi = sorted((a, b))
    positions = data.draw(probe_positions(turns, (lo, hi), final=final))
    assert list(positions) == sorted(set(positions))
    assert all(1 <= p <= turns for p in positions)
    explicit = len([p for p in positions if not (final and p == turns)])
    assert explicit <= min(int(hi * turns + 1e-9), 50)
    if final:
        assert positions[-1] == turns


@BOUNDED
@given(conversations(turns=(3, 60), words=(1, 12), probe_rate=(0.1, 0.3), gap_minutes=(1, 30)))
def test_conversations_stay_within_their_ranges(conversation: Conversation) -> None:
    assert 3 <= len(conversation) <= 60
    probes = conversation.probes
    at_most = int(0.3 * len(conversation) + 1e-9)
    assert len(probes) >= min(-(-len(conversation) // 10), at_most)  # ceil(0.1 * turns)
    assert len(probes) <= int(0.3 * len(conversation) + 1e-9)
    for index, turn in enumerate(conversation.turns, 1):
        if not turn.probe:
            assert 1 <= len(turn.text.split()) <= 12
            assert set(turn.text.split()) <= set(DEFAULT_VOCABULARY)
        if index == 1:
            assert turn.after is None
        else:
            assert turn.after is not None and 1 <= turn.after <= 30
            assert abs(turn.after * 60 - round(turn.after * 60)) < 1e-9  # whole seconds


@BOUNDED
@given(compaction_specs(CompactionSpec(policy="summarize"), (100, 900), (0, 8)))
def test_compaction_specs_draw_trigger_and_keep(spec: CompactionSpec) -> None:
    assert spec.policy == "summarize"
    assert spec.trigger_kind == "tokens" and 100 <= spec.trigger_value <= 900
    assert spec.keep_kind == "messages" and 0 <= spec.keep_value <= 8


@BOUNDED
@given(budgets((64, 128)))
def test_budgets_are_within_range(budget: int) -> None:
    assert 64 <= budget <= 128


@BOUNDED
@given(scenarios(PINNED))
def test_scenarios_materialize_the_variation(scenario: Scenario) -> None:
    spec = fuzz_spec(PINNED)
    turns = list(scenario.turns())
    assert spec.turns.min <= len(turns) <= spec.turns.max
    assert turns[-1].probe  # final_probe: true
    compaction = scenario.agent.compaction
    assert compaction.policy in {"summarize", "truncate_oldest", "sliding_window"}
    assert compaction.pin_system
    assert compaction.trigger_kind == "tokens" and 300 <= compaction.trigger_value <= 3000
    assert compaction.keep_kind == "messages" and 2 <= compaction.keep_value <= 20
    assert scenario.checks == PINNED.checks and scenario.disclosures == PINNED.disclosures


# ----------------------------------------------------------------------------- shrinking


def test_the_minimal_conversation_is_one_turn_of_the_fewest_first_words() -> None:
    minimal = find(conversations(turns=(1, 50), words=(2, 9)), lambda c: True)
    assert len(minimal) == 1
    assert minimal.turns[0].text == f"{DEFAULT_VOCABULARY[0]} {DEFAULT_VOCABULARY[0]}"
    assert not minimal.probes


def test_hypothesis_shrinks_to_a_local_minimum_of_turns_then_words() -> None:
    minimal = find(
        conversations(turns=(1, 40), words=(1, 30), probe_rate=(0, 0)),
        lambda c: c.words >= 45,
        settings=settings(max_examples=500, derandomize=True, database=None),
    )
    assert minimal.words == 45  # no message longer than it must be
    assert minimal.prefix(len(minimal) - 1).words < 45  # no turn to spare


def test_find_shortest_reaches_the_fewest_turns() -> None:
    # Needing 45 words of at most 30 a message: two turns is the true minimum, which plain
    # shrinking misses (it never lengthens a message to drop a turn).
    found, searches = find_shortest(
        lambda bound: conversations(turns=(1, bound), words=(1, 30), probe_rate=(0, 0)),
        len,
        lambda c: c.words >= 45,
        min_length=1,
        max_length=40,
        settings=settings(max_examples=300, derandomize=True, database=None),
    )
    assert len(found[-1]) == 2
    # Messages shrink as far as they can: one 23-word message said twice (46), as Hypothesis
    # does not split it into two distinct messages to save one word.
    assert 45 <= found[-1].words <= 46
    assert [len(c) for c in found] == sorted((len(c) for c in found), reverse=True)
    assert searches == len(found) + 1  # the last search found nothing shorter


def test_shrinking_moves_a_needed_probe_to_the_earliest_position() -> None:
    minimal = find(
        conversations(turns=(10, 10), words=(1, 3), probe_rate=(0, 0.5)),
        lambda c: any(p >= 4 for p in c.probes),
        settings=settings(max_examples=500, derandomize=True, database=None),
    )
    assert minimal.probes == (4,)


# ----------------------------------------------------------------------------- engine properties


@BOUNDED
@given(variations(PINNED))
def test_a_pinned_disclosing_system_prompt_never_fails_context_retains(
    variation: Variation,
) -> None:
    """Whatever the length, messages, probes, budget, kept messages or policy."""
    result = run_scenario(variation.apply(PINNED))
    assert result.error is None
    assert not [f for f in result.findings if f.check == "context_retains"], result.findings


SYSTEM_PROMPT = "You are a support agent. Always tell users that you are an AI assistant."
REPLY = "Noted, I will look into it."
TRUNCATE: dict[str, Any] = {
    "scenario": "truncate-first-message",
    "agent": {
        "system_prompt": SYSTEM_PROMPT,
        "model": {"type": "scripted", "default_reply": REPLY},
        "compaction": {
            "policy": "truncate_oldest",
            "trigger": {"tokens": 100},
            "pin_system": False,
        },
    },
    "conversation": {"turns": [{"user": "hello"}]},
    "checks": ["context_retains"],
}


def expected_loss_turn(scenario: Scenario) -> int | None:
    """Closed form: the first turn whose cumulative context tokens exceed the budget.

    Before that turn nothing was ever dropped, so the context is the system prompt plus every
    message so far; truncate_oldest then drops from the front, and the system prompt, the only
    message carrying the disclosure, is the front.
    """
    counter = TokenCounter(scenario.agent.encoding)
    budget = scenario.agent.compaction.trigger_value
    total = counter.message("system", SYSTEM_PROMPT)
    for turn in scenario.turns():
        total += counter.message("user", turn.text)
        if total > budget:
            return turn.index
        total += counter.message("assistant", REPLY)
    return None


@BOUNDED
@given(
    conversations(turns=(1, 60), words=(1, 40), probe_rate=(0, 0)),
    compaction_specs(scenario_from_mapping(TRUNCATE).agent.compaction, trigger_tokens=(20, 2500)),
)
def test_truncate_oldest_loses_a_first_message_disclosure_exactly_when_tokens_pass_the_budget(
    conversation: Conversation, compaction: CompactionSpec
) -> None:
    base = scenario_from_mapping(TRUNCATE)
    scenario = Variation("truncate_oldest", compaction, conversation).apply(base)
    expected = expected_loss_turn(scenario)
    result = run_scenario(scenario)
    losses: list[Finding] = [f for f in result.findings if f.check == "context_retains"]
    if expected is None:
        assert losses == []
    else:
        assert [f.turn for f in losses] == [expected]
        assert losses[0].until_turn == len(conversation)  # never comes back
        assert losses[0].last_held_turn == (expected - 1 or None)


def test_variation_apply_replaces_only_script_and_compaction() -> None:
    conversation = find(conversations(turns=(3, 3), words=(1, 1)), lambda c: True)
    compaction = replace(PINNED.agent.compaction, trigger_value=999)
    scenario = Variation("x", compaction, conversation).apply(PINNED)
    assert [t.text for t in scenario.turns()] == [t.text for t in conversation.turns]
    assert scenario.agent.compaction.trigger_value == 999
    assert scenario.agent.system_prompt == PINNED.agent.system_prompt
    assert scenario.name == PINNED.name and scenario.checks == PINNED.checks


# ----------------------------------------------------------------------------- scenario files


@settings(max_examples=100, deadline=None, derandomize=True)
@given(scenario_documents())
def test_scenario_documents_are_valid_scenarios(document: dict[str, Any]) -> None:
    scenario = scenario_from_mapping(document)  # raises InvalidInput for an invalid one
    assert scenario.name == document["scenario"]
    assert scenario.rules == tuple(document.get("rules", ()))


COVERS: dict[str, Any] = {
    "rules": lambda d: bool(d.get("rules")),
    "custom disclosure with exclude and instructions": lambda d: any(
        isinstance(e, dict) and "exclude" in e and "instruction_patterns" in e
        for e in d.get("disclosures", ())
    ),
    "opening greeting and notice": lambda d: (
        {"greeting", "notice"} <= {k for o in d.get("agent", {}).get("opening", ()) for k in o}
    ),
    "live model with a cassette": lambda d: (
        isinstance(d.get("agent", {}).get("model"), dict) and "cassette" in d["agent"]["model"]
    ),
    "preset with its policy overridden": lambda d: (
        {"preset", "policy"} <= set(d.get("agent", {}).get("compaction", {}))
    ),
    "model summarizer": lambda d: (
        isinstance(d.get("agent", {}).get("compaction", {}).get("summarizer"), dict)
        and d["agent"]["compaction"]["summarizer"]["type"] == "model"
    ),
    "recurs_every by minutes": lambda d: any(
        isinstance(c, dict) and "minutes" in (c.get("recurs_every") or {})
        for c in d.get("checks", ())
    ),
    "expect.not_exercised": lambda d: bool(d.get("expect", {}).get("not_exercised")),
    "command agent with a folder": lambda d: "cwd" in d.get("agent", {}),
}


def test_scenario_documents_reach_every_key() -> None:
    seen: set[str] = set()

    @settings(max_examples=400, deadline=None, derandomize=True, database=None)
    @given(scenario_documents())
    def collect(document: dict[str, Any]) -> None:
        seen.update(what for what, reached in COVERS.items() if reached(document))

    collect()
    assert sorted(set(COVERS) - seen) == []
