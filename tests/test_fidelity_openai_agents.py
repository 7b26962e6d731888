"""Preset fidelity of ``openai-agents-limit`` against the OpenAI Agents SDK itself.

``SessionSettings(limit=N)`` makes the Runner send the instructions, the session's latest N
stored items and then the new input: N + 1 messages once the session is full, so the window
counts the history before the turn (``window_excludes_turn``), not the new user message.
"""

from __future__ import annotations

from pathlib import Path

# The Agents SDK is part of the test extra: a missing install must fail, not skip.
import agents  # noqa: F401
import pytest

from tests.fidelity import (
    Conversation,
    assert_same_turns,
    run_both,
    user_turns,
)


def test_fidelity_openai_agents_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = 10
    monkeypatch.setenv("FIDELITY_LIMIT", str(limit))
    conversation = Conversation(users=user_turns(42))
    sdk, preset = run_both(
        tmp_path,
        conversation,
        "tests.fidelity_agents.openai_agents:make_limited",
        {
            "preset": "openai-agents-limit",
            "trigger": {"messages": limit},
            "keep": {"messages": limit},
        },
    )
    assert_same_turns(sdk, preset)
    # Once full, the model receives the instructions, N stored items and the new input.
    assert {len(t.context) for t in sdk if t.compacted} == {1 + limit + 1}
    # The greeting, the session's first item, leaves when the session first stores more
    # than N items: greeting + two items a turn.
    lost = next(t.index for t in sdk if all(s.content != conversation.greeting for s in t.context))
    assert lost == next(t for t in range(1, 99) if 1 + 2 * (t - 1) > limit)
