"""Preset fidelity of ``langchain-summarization`` and ``langchain-trim`` against LangChain."""

from __future__ import annotations

from pathlib import Path

# LangChain is part of the test extra: a missing install must fail, not skip.
import langchain  # noqa: F401
import pytest

from tests.fidelity import (
    Conversation,
    assert_same_turns,
    run_both,
    summary_placeholder,
    user_turns,
)

AGENTS = "tests.fidelity_agents.langchain"


def test_fidelity_langchain_summarization(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trigger, keep = 600, 6
    monkeypatch.setenv("FIDELITY_TRIGGER_TOKENS", str(trigger))
    monkeypatch.setenv("FIDELITY_KEEP_MESSAGES", str(keep))
    conversation = Conversation(users=user_turns(44))
    framework, preset = run_both(
        tmp_path,
        conversation,
        f"{AGENTS}:make_summarizing",
        {
            "preset": "langchain-summarization",
            "trigger": {"tokens": trigger},
            "keep": {"messages": keep},
        },
    )
    assert_same_turns(framework, preset, normalize=summary_placeholder)


def test_fidelity_langchain_trim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    max_tokens = 400
    monkeypatch.setenv("FIDELITY_MAX_TOKENS", str(max_tokens))
    conversation = Conversation(users=user_turns(42))
    framework, preset = run_both(
        tmp_path,
        conversation,
        f"{AGENTS}:make_trimming",
        {
            "preset": "langchain-trim",
            "trigger": {"tokens": max_tokens},
            "token_counting": "approximate",
        },
    )
    # start_on="human" cuts the system prompt and the greeting from the very first call, so
    # the framework never sends them: the proxy cannot see that cut, the preset records it.
    assert_same_turns(framework, preset, unseen_cuts={1})
    assert all(s.role == "user" for t in framework for s in t.context[:1])


def test_fidelity_langchain_summary_buffer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The legacy ConversationSummaryBufferMemory (langchain-classic) prunes after each turn, so
    its budget is the history before the turn's user message, without the prompt and its
    running summary, counted as ChatOpenAI counts (3 to prime the reply included: at this
    limit, leaving the 3 out cuts at turn 7 where LangChain does not)."""
    limit = 200
    monkeypatch.setenv("FIDELITY_MAX_TOKENS", str(limit))
    conversation = Conversation(users=user_turns(42))
    framework, preset = run_both(
        tmp_path,
        conversation,
        f"{AGENTS}:make_summary_buffer",
        {
            "preset": "langchain-summary-buffer",
            "trigger": {"tokens": limit},
            "keep": {"tokens": limit},
        },
    )
    assert_same_turns(framework, preset, normalize=summary_placeholder)
