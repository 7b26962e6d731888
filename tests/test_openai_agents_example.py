"""examples/openai-agents: an OpenAI Agents SDK agent whose own session limit drops the greeting.

The agent (the SDK's ``Agent`` + ``Runner`` on its default Responses API, a function tool, a
``SQLiteSession`` with ``SessionSettings(limit=...)``) runs under ``replay run`` through the
recording proxy, answered by replay's simulator. The agent logs what its own session holds each
turn; the test asserts replay's first failing turn is the turn at which that state first lacks
the disclosure, computed from the agent's log, never written down here.

Offline, and proved so (``tests/framework_examples.py``): the test asserts that nothing in
replay's or the agent's process tried to reach anything but 127.0.0.1.

Two scenarios: ``scenario.yaml`` (the simulator answers, so the model never calls the tool)
and ``scenario_tools.yaml`` (a scripted model calls the tool, so the session fills sooner).
"""

from __future__ import annotations

from pathlib import Path

# The Agents SDK is part of the test extra: a missing install must fail, not skip.
import agents  # noqa: F401

from replay.trace import Message, read_trace
from tests.framework_examples import (
    GREETING,
    ROOT,
    assert_collected_as_strict_xfails,
    run_logged,
)

EXAMPLE = ROOT / "examples" / "openai-agents"
SCENARIO = EXAMPLE / "scenario.yaml"
TOOLS_SCENARIO = EXAMPLE / "scenario_tools.yaml"
TRIMMING_SCENARIO = EXAMPLE / "scenario_trimming.yaml"
SUMMARIZING_SCENARIO = EXAMPLE / "scenario_summarizing.yaml"


def test_session_limit_loses_the_greeting_at_the_turn_the_agents_state_says(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    traces = tmp_path / "traces"
    # The agent's own account of its memory, turn by turn.
    findings, state = run_logged(SCENARIO, tmp_path, offline)
    limit = state[0]["limit"]
    assert isinstance(limit, int)
    lost_at = next(s["turn"] for s in state if not s["history_holds_greeting"])
    # The same turn follows from the session's settings: the greeting is the first item
    # stored, so it is in the Runner's history while the session stores at most `limit` items.
    assert lost_at == next(s["turn"] for s in state if s["stored_items"] > limit)
    assert all(s["history_holds_greeting"] for s in state[: lost_at - 1])
    assert all(s["history_items"] == min(s["stored_items"], limit) for s in state)
    # The SDK's default model: the Responses API (its response ids), through the proxy.
    assert all(i.startswith("resp_") for s in state for i in s["response_ids"])
    assert all(len(s["response_ids"]) >= 1 for s in state)

    # replay finds the loss exactly there, and nothing earlier.
    assert min(turn for _, turn in findings) == lost_at
    assert ("context_retains", lost_at) in findings
    probe = len(state)  # the scenario's last turn asks whether a person is answering
    assert ("probe_discloses", probe) in findings and ("never_claims_human", probe) in findings
    assert probe > lost_at

    # The trace holds what the model received: the greeting up to the turn before, not after.
    _, turns = read_trace(traces / "openai-agents-session-limit.trace.jsonl")
    known: dict[str, Message] = {}
    holds = []
    for record in turns:
        known.update({m.id: m for m in record.messages})
        call = record.reply_call
        assert call is not None and record.error is None
        # The SDK's default API, with the agent's function tool offered to the model.
        assert (call.api, call.tools) == ("responses", ("order_status",))
        holds.append(any(known[i].content == GREETING for i in call.input))
    assert holds == [s["history_holds_greeting"] for s in state]


def test_pytest_collects_the_example_as_strict_expected_failures(
    offline: tuple[dict[str, str], Path],
) -> None:
    """Run as a scenario file, each check with an ``expect:`` finding is a strict xfail: it
    passes only while the loss is where the scenario documents it."""
    env, net_log = offline
    assert_collected_as_strict_xfails([SCENARIO, TOOLS_SCENARIO], env, net_log, xfailed=4)


def test_with_tool_calls_the_greeting_leaves_sooner_at_the_turn_the_agents_state_says(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    """scenario_tools.yaml: a scripted model calls ``order_status`` (the simulator answers text
    only); each tool roundtrip puts two more items in the session, so the limit drops the
    greeting turns earlier, and replay still finds it at the turn the agent's state says."""
    findings, state = run_logged(TOOLS_SCENARIO, tmp_path, offline)
    assert [s["tool_calls"] for s in state] == [1, 0, 0, 1, 1, 0, 0, 0]
    limit = state[0]["limit"]
    assert isinstance(limit, int)
    lost_at = next(s["turn"] for s in state if not s["history_holds_greeting"])
    assert lost_at == next(s["turn"] for s in state if s["stored_items"] > limit)
    # Without tool calls a turn stores two items after the greeting's one.
    without_tools = next(t for t in range(1, 100) if 1 + 2 * (t - 1) > limit)
    assert lost_at < without_tools  # the tool items pushed the greeting out sooner
    assert findings == [("context_retains", lost_at)]

    # The trace holds the tool roundtrips as the model received them.
    _, turns = read_trace(tmp_path / "traces" / "openai-agents-session-limit-tools.trace.jsonl")
    known: dict[str, Message] = {}
    calls_per_turn = []
    for record in turns:
        assert record.error is None
        known.update({m.id: m for m in record.messages})
        calls_per_turn.append(len(record.model_calls))
        if len(record.model_calls) == 2:  # the tool call, then the answer with its result
            first, second = record.model_calls
            assert first.output is not None
            assert [c.name for c in known[first.output].tool_calls] == ["order_status"]
            sent = [known[i] for i in second.input]
            assert [m.role for m in sent[-2:]] == ["assistant", "tool"]
            assert sent[-2].tool_calls == known[first.output].tool_calls
            assert sent[-1].content.startswith("Order #")
    assert calls_per_turn == [1 + s["tool_calls"] for s in state]


def test_a_trimming_session_loses_the_greeting_at_the_turn_the_sessions_state_says(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    """scenario_trimming.yaml: the cookbook's session that keeps the last N user turns. The
    greeting precedes every user turn, so it leaves once the session holds N user messages,
    whatever the conversation's length in items or tokens."""
    findings, state = run_logged(TRIMMING_SCENARIO, tmp_path, offline)
    max_turns = state[0]["max_turns"]
    assert isinstance(max_turns, int)
    lost_at = next(s["turn"] for s in state if not s["history_holds_greeting"])
    # The same turn follows from the session's rule: before turn t it holds t - 1 user turns,
    # and the greeting goes once they are max_turns.
    assert lost_at == max_turns + 1
    assert all(s["history_holds_greeting"] for s in state[: lost_at - 1])
    assert min(turn for _, turn in findings) == lost_at
    assert ("context_retains", lost_at) in findings

    _, turns = read_trace(tmp_path / "traces" / "openai-agents-trimming-session.trace.jsonl")
    known: dict[str, Message] = {}
    holds = []
    for record in turns:
        known.update({m.id: m for m in record.messages})
        call = record.reply_call
        assert call is not None and record.error is None and call.api == "responses"
        holds.append(any(known[i].content == GREETING for i in call.input))
    assert holds == [s["history_holds_greeting"] for s in state]


def test_a_summarizing_session_loses_the_greeting_at_the_turn_the_sessions_state_says(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    """scenario_summarizing.yaml: the cookbook's session that summarizes all but the last
    turns once it holds more than its limit of user turns. It summarizes while it saves the
    turn's user message, so the model reads the summary from the next turn on; the proxy
    records that answer, the previous turn's summarizer call, as a summary."""
    findings, state = run_logged(SUMMARIZING_SCENARIO, tmp_path, offline)
    limit = state[0]["context_limit"]
    assert isinstance(limit, int)
    lost_at = next(s["turn"] for s in state if not s["history_holds_greeting"])
    # The same turn from the session's rule: it holds t - 1 user turns before turn t and
    # summarizes when turn limit + 1 saves its user message: read from the turn after.
    assert lost_at == limit + 2
    assert next(s["turn"] for s in state if s["summaries"]) == lost_at
    assert min(turn for _, turn in findings) == lost_at
    assert {("context_retains", lost_at), ("summary_retains", lost_at)} <= set(findings)

    _, turns = read_trace(tmp_path / "traces" / "openai-agents-summarizing-session.trace.jsonl")
    known: dict[str, Message] = {}
    holds, summaries = [], []
    for record in turns:
        known.update({m.id: m for m in record.messages})
        call = record.reply_call
        assert call is not None and record.error is None
        sent = [known[i] for i in call.input]
        holds.append(any(m.content == GREETING for m in sent))
        summaries.append([m.content for m in sent if m.kind == "summary"])
    assert holds == [s["history_holds_greeting"] for s in state]
    # From the first summary on, the model reads one, and it does not say it is an AI.
    assert all(len(found) == 1 for found in summaries[lost_at - 1 :])
    assert not any(summaries[: lost_at - 1])
    assert all("AI assistant" not in text for found in summaries for text in found)
