"""examples/pydantic-ai: a Pydantic AI agent whose own history processor drops the greeting.

The agent (``Agent`` on ``OpenAIChatModel`` + ``OpenAIProvider(base_url=the proxy)``, with the
``ProcessHistory(keep_recent)`` capability Pydantic AI documents for managing context size)
runs under ``replay run`` through the recording proxy, answered by replay's simulator. A hook
that runs after the processor, just before the model call, logs what the framework is about to
send; the test asserts replay's first failing turn is the turn at which that state first lacks
the disclosure, computed from the agent's log, never written down here.

Offline, and proved so (``tests/framework_examples.py``): the test asserts that nothing in
replay's or the agent's process tried to reach anything but 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path

# Pydantic AI is part of the test extra: a missing install must fail, not skip.
import pydantic_ai  # noqa: F401

from replay.trace import Message, read_trace
from tests.framework_examples import (
    GREETING,
    ROOT,
    run_logged,
)

EXAMPLE = ROOT / "examples" / "pydantic-ai"
SCENARIO = EXAMPLE / "scenario.yaml"
SUMMARY_SCENARIO = EXAMPLE / "scenario_summary.yaml"


def test_keep_recent_processor_loses_the_greeting_at_the_turn_the_agents_state_says(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    # The agent's own account of what the framework sends, turn by turn.
    findings, state = run_logged(SCENARIO, tmp_path, offline)
    keep = state[0]["keep_messages"]
    assert isinstance(keep, int)
    lost_at = next(s["turn"] for s in state if not s["sent_holds_greeting"])
    assert all(s["sent_holds_greeting"] for s in state[: lost_at - 1])
    # ProcessHistory writes the processor's result back into the run's history: once cut,
    # the greeting is gone from the framework's memory too, not only from one request.
    assert [s["history_holds_greeting"] for s in state] == [s["sent_holds_greeting"] for s in state]
    # The processor sends the history plus the new request, cut to the last `keep` once longer.
    assert all(s["sent_messages"] == min(s["stored_messages"], keep) for s in state)
    assert lost_at == next(s["turn"] for s in state if s["stored_messages"] > keep)
    # And from the configuration alone: the greeting and two messages (request, response)
    # per earlier turn, plus this turn's request, is 2 * turn messages; the greeting is cut at
    # the first turn where that passes `keep`.
    assert lost_at == next(t for t in range(1, 100) if 2 * t > keep)

    # replay finds the loss exactly there, and nothing earlier.
    assert min(turn for _, turn in findings) == lost_at
    assert ("context_retains", lost_at) in findings
    probe = len(state)  # the scenario's last turn asks whether a person is answering
    assert ("probe_discloses", probe) in findings and ("never_claims_human", probe) in findings
    assert probe > lost_at

    # The trace holds what the model received: the greeting up to the turn before, not after.
    _, turns = read_trace(tmp_path / "traces" / "pydantic-ai-keep-recent.trace.jsonl")
    known: dict[str, Message] = {}
    holds = []
    for record in turns:
        known.update({m.id: m for m in record.messages})
        call = record.reply_call
        assert call is not None and record.error is None
        assert call.api == "openai"  # OpenAIChatModel: Chat Completions
        sent = [known[i] for i in call.input]
        # The instructions are sent with every request as the system message, outside the
        # history the processor trims; the rest is the processor's window, one for one.
        assert sent[0].role == "system" and sent[0].content.startswith("You are Sam")
        assert len(sent) - 1 == state[record.index - 1]["sent_messages"]
        holds.append(any(m.content == GREETING for m in sent))
    assert holds == [s["sent_holds_greeting"] for s in state]


def test_summarizing_processor_loses_the_greeting_at_the_turn_the_agents_state_says(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    """scenario_summary.yaml: the summarizing processor replaces all but the newest messages
    with one ``CompactionPart`` summary written on ``replay-summarizer``; the greeting, the
    oldest message, is summarized away at the first summary, and the summary does not carry it."""
    findings, state = run_logged(SUMMARY_SCENARIO, tmp_path, offline)
    trigger, keep = state[0]["summary_trigger"], state[0]["summary_keep"]
    assert isinstance(trigger, int) and isinstance(keep, int)
    lost_at = next(s["turn"] for s in state if not s["sent_holds_greeting"])
    assert all(s["sent_holds_greeting"] for s in state[: lost_at - 1])
    assert not any(s["sent_holds_greeting"] for s in state[lost_at - 1 :])
    # The turn the greeting leaves is the turn of the first summary...
    summarized_at = next(s["turn"] for s in state if s["summaries"])
    assert (
        lost_at == summarized_at == next(s["turn"] for s in state if s["stored_messages"] > trigger)
    )
    # ... which follows from the configuration alone: 2 * turn messages reach the processor
    # (the greeting, a request and a response per earlier turn, this turn's request).
    assert lost_at == next(t for t in range(1, 100) if 2 * t > trigger)
    # Right after it the model gets the summary and the last `keep` messages; the summary
    # (replay's extractive summarizer, answering replay-summarizer) does not carry the greeting.
    assert state[lost_at - 1]["sent_messages"] == 1 + keep
    assert all(GREETING not in text and "AI" not in text for s in state for text in s["summaries"])

    assert min(turn for _, turn in findings) == lost_at
    assert ("context_retains", lost_at) in findings
    probe = len(state)
    assert ("probe_discloses", probe) in findings and ("never_claims_human", probe) in findings

    # The trace: the summary call (replay-summarizer, answered offline) at exactly that turn,
    # before the reply call, whose input holds the framed summary and no greeting.
    _, turns = read_trace(tmp_path / "traces" / "pydantic-ai-summarizing.trace.jsonl")
    known: dict[str, Message] = {}
    holds, summary_turns = [], []
    for record in turns:
        known.update({m.id: m for m in record.messages})
        call = record.reply_call
        assert call is not None and record.error is None and call is record.model_calls[-1]
        if any(c.purpose == "summary" for c in record.model_calls):
            summary_turns.append(record.index)
        sent = [known[i] for i in call.input]
        holds.append(any(m.content == GREETING for m in sent))
        if record.index >= lost_at:
            (summary,) = [m for m in sent if m.kind == "summary"]
            assert summary.role == "user"
            assert summary.content.startswith("<pyai:conversation_summary>\n")
    assert holds == [s["sent_holds_greeting"] for s in state]
    assert summary_turns == [s["turn"] for s in state if s["stored_messages"] > trigger]
    assert summary_turns[0] == lost_at
