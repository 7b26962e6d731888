"""Preset fidelity for AutoGen (autogen-agentchat, autogen-core, autogen-ext 0.7.5): an
AssistantAgent on OpenAIChatCompletionClient with each bounded model context
(``tests/fidelity_agents/autogen.py``) against the preset that models it, 42 turns each.

What the real code does, and the presets now say (autogen_core/model_context/):
- Buffered: ``get_messages()`` is ``self._messages[-buffer_size:]`` after AssistantAgent has
  added the turn's user message, so the window includes it (no ``window_excludes_turn``) and
  the system message is prepended outside it (pinned).
- HeadAndTail: the first head_size + a user message ``Skipped N messages.`` (N counted over the
  whole history) + the last tail_size, only when more than head_size + tail_size are stored.
- TokenLimited: pops ``len(messages) // 2`` of the WHOLE stored history until
  ``count_tokens`` fits (``view_of_history``), counting AutoGen's framing (token_counting
  ``autogen``) and not the system message (``count_pinned: False``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fidelity import (
    Conversation,
    assert_same_turns,
    run_both,
    user_turns,
)

AGENTS = "tests.fidelity_agents.autogen"


def test_fidelity_autogen_buffered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # buffer_size=10 is trigger and keep {messages: 10}: the turn's user message is one of them.
    monkeypatch.setenv("FIDELITY_BUFFER", "10")
    conversation = Conversation(users=user_turns(42))
    ours, theirs = run_both(
        tmp_path,
        conversation,
        f"{AGENTS}:make_buffered",
        {"preset": "autogen-buffered", "trigger": {"messages": 10}, "keep": {"messages": 10}},
    )
    assert_same_turns(ours, theirs)


def test_fidelity_autogen_head_tail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # head_size=2 (the greeting and the first user message), tail_size=6: trigger head + tail.
    # The marker is compared with its text: a user message, kind marker on both sides.
    monkeypatch.setenv("FIDELITY_HEAD", "2")
    monkeypatch.setenv("FIDELITY_TAIL", "6")
    conversation = Conversation(users=user_turns(42))
    ours, theirs = run_both(
        tmp_path,
        conversation,
        f"{AGENTS}:make_head_tail",
        {
            "preset": "autogen-head-tail",
            "head": 2,
            "trigger": {"messages": 8},
            "keep": {"messages": 6},
        },
    )
    assert_same_turns(ours, theirs)


def test_fidelity_autogen_token_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # TokenLimitedChatCompletionContext.get_messages pops the middle of the WHOLE history
    # until count_tokens (AutoGen's framing, the system message not counted) fits: at 250
    # tokens a user message cut at one turn is sent again at a later one.
    monkeypatch.setenv("FIDELITY_TOKEN_LIMIT", "250")
    conversation = Conversation(users=user_turns(42))
    ours, theirs = run_both(
        tmp_path,
        conversation,
        f"{AGENTS}:make_token_limited",
        {"preset": "autogen-token-limited", "trigger": {"tokens": 250}},
    )
    # Some turn sends again a user message that an earlier view cut: the case view_of_history
    # models, and the proxy records the returning message as the user's, as the preset holds it.
    said: set[str] = set()
    previous: set[str] = set()
    resent = []
    for turn in ours:
        users = {s.content for s in turn.context if s.role == "user"}
        if (users - previous) & said:
            resent.append(turn.index)
        said |= users
        previous = users
    assert resent, "no message was sent again: the view_of_history case is not exercised"
    assert_same_turns(ours, theirs)
