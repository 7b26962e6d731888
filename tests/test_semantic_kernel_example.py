"""examples/semantic-kernel: a Semantic Kernel agent whose truncation reducer drops the greeting.

The agent (``OpenAIChatCompletion`` on an ``AsyncOpenAI`` client pointed at the proxy, the
history a ``ChatHistoryTruncationReducer`` with ``auto_reduce=True``) runs under ``replay run``
through the recording proxy, answered by replay's simulator. The agent logs what its history
holds each turn, just before the model call; the test asserts replay's first failing turn is
the turn at which that state first lacks the disclosure, computed from the agent's log (and
again from the reducer's settings), never written down here.

Offline, and proved so (``tests/framework_examples.py``): the test asserts that nothing in
replay's or the agent's process tried to reach anything but 127.0.0.1.
"""

from __future__ import annotations

import asyncio
from itertools import count
from pathlib import Path

# Semantic Kernel is part of the test extra: a missing install must fail, not skip.
from semantic_kernel.contents import AuthorRole, ChatHistoryTruncationReducer, ChatMessageContent

from replay.trace import Message, read_trace
from tests.framework_examples import (
    GREETING,
    ROOT,
    run_logged,
)

EXAMPLE = ROOT / "examples" / "semantic-kernel"
SCENARIO = EXAMPLE / "scenario.yaml"


def test_truncation_reducer_loses_the_greeting_at_the_turn_the_agents_state_says(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    # The agent's own account of its history, turn by turn.
    findings, state = run_logged(SCENARIO, tmp_path, offline)
    assert all(s["auto_reduce"] for s in state)
    lost_at = next(s["turn"] for s in state if not s["history_holds_greeting"])
    assert all(s["history_holds_greeting"] for s in state[: lost_at - 1])
    # Semantic Kernel 1.45.0 keeps the system prompt (first) through every cut.
    assert all(s["history_holds_system_prompt"] and s["roles"][0] == "system" for s in state)
    # The same turn follows from the reducer's settings: the history (system prompt, greeting,
    # two messages a turn) first holds more than target + threshold when a turn's user message
    # joins it, and that first cut takes the greeting.
    target, threshold = state[0]["target_count"], state[0]["threshold_count"]
    assert isinstance(target, int) and isinstance(threshold, int)
    assert lost_at == next(t for t in count(1) if 2 + 2 * (t - 1) + 1 > target + threshold)
    assert all(s["history_messages"] <= target + threshold for s in state)

    # replay finds the loss exactly there, and nothing earlier.
    assert min(turn for _, turn in findings) == lost_at
    assert ("context_retains", lost_at) in findings
    probe = len(state)  # the scenario's last turn asks whether a person is answering
    assert ("probe_discloses", probe) in findings and ("never_claims_human", probe) in findings
    assert probe > lost_at

    # The trace holds what the model received: the greeting up to the turn before, not after,
    # and the system prompt first on every turn.
    _, turns = read_trace(tmp_path / "traces" / "semantic-kernel-truncation-reducer.trace.jsonl")
    known: dict[str, Message] = {}
    holds = []
    for record, logged in zip(turns, state, strict=True):
        known.update({m.id: m for m in record.messages})
        call = record.reply_call
        assert call is not None and record.error is None and len(record.model_calls) == 1
        assert call.api == "openai"  # OpenAIChatCompletion: POST /v1/chat/completions
        sent = [known[i] for i in call.input]
        assert [m.role for m in sent] == logged["roles"]
        assert sent[0].kind == "system"
        holds.append(any(m.content == GREETING for m in sent))
    assert holds == [s["history_holds_greeting"] for s in state]


def _history(messages: int) -> ChatHistoryTruncationReducer:
    history = ChatHistoryTruncationReducer(
        target_count=4, threshold_count=0, auto_reduce=True, system_message="sys"
    )
    for n in range(messages):
        role = AuthorRole.USER if n % 2 == 0 else AuthorRole.ASSISTANT
        history.add_message(ChatMessageContent(role=role, content=f"m{n}"))
    return history


def test_auto_reduce_acts_only_in_add_message_async() -> None:
    """What the example relies on, from the installed reducer itself: ``add_message`` (what
    ``add_user_message`` and ``ChatHistoryAgentThread`` call) never reduces, even with
    ``auto_reduce=True``; ``add_message_async`` does, and the system prompt stays first."""
    history = _history(8)
    assert len(history.messages) == 9  # sys + 8: nothing was reduced
    asyncio.run(history.add_message_async(ChatMessageContent(role=AuthorRole.USER, content="m8")))
    # target_count counts the system prompt: it and the last 3 messages.
    assert [m.content for m in history.messages] == ["sys", "m6", "m7", "m8"]
