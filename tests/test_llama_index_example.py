"""examples/llama-index: a LlamaIndex agent whose own ChatMemoryBuffer trims the greeting away.

The agent (``SimpleChatEngine`` over a ``ChatMemoryBuffer(token_limit=...)``, its model a
LlamaIndex ``CustomLLM`` posting Chat Completions to the proxy) runs under ``replay run``,
answered by replay's simulator. The agent logs, each turn, what the engine hands its LLM and
what its memory stores; the test asserts replay's first failing turn is the turn at which the
engine's request first lacks the disclosure, computed from the agent's log (and again from the
buffer's token limit), never written down here.

Offline, and proved so (``tests/framework_examples.py``): the test asserts that nothing in
replay's or the agent's process tried to reach anything but 127.0.0.1.

Two scenarios: ``scenario.yaml`` (ChatMemoryBuffer: the token limit trims the greeting) and
``scenario_summary.yaml`` (ChatSummaryMemoryBuffer: the greeting is summarized at once).
"""

from __future__ import annotations

from pathlib import Path

# LlamaIndex is part of the test extra: a missing install must fail, not skip.
import llama_index.core  # noqa: F401

from replay.trace import Message, read_trace
from tests.framework_examples import (
    GREETING,
    ROOT,
    run_logged,
)

EXAMPLE = ROOT / "examples" / "llama-index"
SCENARIO = EXAMPLE / "scenario.yaml"
SUMMARY_SCENARIO = EXAMPLE / "scenario_summary.yaml"


def test_memory_buffer_loses_the_greeting_at_the_turn_the_agents_state_says(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    # The agent's own account, turn by turn: one model call per turn, logged in its LLM.
    findings, state = run_logged(SCENARIO, tmp_path, offline)
    limit = state[0]["token_limit"]
    assert isinstance(limit, int)
    lost_at = next(s["turn"] for s in state if not s["sent_holds_greeting"])
    # The same turn follows from the buffer's limit: the greeting is the first message stored,
    # so the engine sends it while everything stored, with the system prompt, fits the limit.
    assert lost_at == next(s["turn"] for s in state if s["stored_tokens"] > limit)
    assert all(s["sent_holds_greeting"] for s in state[: lost_at - 1])
    assert not any(s["sent_holds_greeting"] for s in state[lost_at - 1 :])
    # Trimmed from what is sent, never from what is stored: the memory keeps it.
    assert all(s["memory_holds_greeting"] for s in state)
    # Until the cut the engine sends the system prompt and every stored message.
    assert all(s["sent_messages"] == 1 + s["stored_messages"] for s in state[: lost_at - 1])

    # replay finds the loss exactly there, and nothing earlier.
    assert min(turn for _, turn in findings) == lost_at
    assert ("context_retains", lost_at) in findings
    probe = len(state)  # the scenario's last turn asks whether a person is answering
    assert ("probe_discloses", probe) in findings and ("never_claims_human", probe) in findings
    assert probe > lost_at

    # The trace holds what the model received: the greeting up to the turn before, not after.
    _, turns = read_trace(tmp_path / "traces" / "llama-index-memory-buffer.trace.jsonl")
    known: dict[str, Message] = {}
    holds = []
    for record in turns:
        known.update({m.id: m for m in record.messages})
        call = record.reply_call
        assert call is not None and record.error is None and len(record.model_calls) == 1
        assert call.api == "openai"  # Chat Completions
        sent = [known[i] for i in call.input]
        assert len(sent) == state[record.index - 1]["sent_messages"]
        holds.append(any(m.content == GREETING for m in sent))
    assert holds == [s["sent_holds_greeting"] for s in state]


def test_summary_buffer_summarizes_the_greeting_away_at_the_turn_the_agents_state_says(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    """scenario_summary.yaml: ChatSummaryMemoryBuffer moves a leading assistant message into
    its summary on every read, so the greeting leaves at the first turn, within the limit."""
    findings, state = run_logged(SUMMARY_SCENARIO, tmp_path, offline)
    lost_at = next(s["turn"] for s in state if not s["sent_holds_greeting"])
    # From the buffer's rules, not its limit: the greeting is the first message stored, an
    # assistant message, and the memory still fits its token limit when it is summarized.
    assert lost_at == 1
    assert state[0]["stored_tokens"] <= state[0]["token_limit"]
    assert not any(s["sent_holds_greeting"] or s["memory_holds_greeting"] for s in state)
    assert all(s["sent_summaries"] == 1 for s in state)  # one system summary, sent every turn

    assert min(turn for _, turn in findings) == lost_at
    probe = len(state)
    assert sorted(findings) == sorted(
        [("context_retains", lost_at), ("probe_discloses", probe), ("never_claims_human", probe)]
    )

    # The trace: turn 1's first call is the summary request, which carries the greeting; the
    # reply call after it has the summary in the greeting's place, and no reply call has it.
    _, turns = read_trace(tmp_path / "traces" / "llama-index-summary-buffer.trace.jsonl")
    known: dict[str, Message] = {}
    for record in turns:
        known.update({m.id: m for m in record.messages})
        call = record.reply_call
        assert call is not None and record.error is None
        sent = [known[i] for i in call.input]
        assert not any(GREETING in m.content for m in sent)
        # The system prompt, then the summary: a system message (ChatSummaryMemoryBuffer's).
        assert [(m.role, m.kind) for m in sent[1:2]] == [("system", "summary")]
        assert sent[0].role == "system" and sent[0].content.startswith("You are Sam")
        if record.index == 1:
            summary_call, _ = record.model_calls
            assert any(GREETING in known[i].content for i in summary_call.input)
