"""Preset fidelity for LlamaIndex (llama-index-core 0.14.25): its memory buffers under a
``SimpleChatEngine`` against the presets that model them (docs/compaction.md).

The agents are in ``tests/fidelity_agents/llama_index.py``; the token limit reaches their
process through ``FIDELITY_TOKEN_LIMIT``. LlamaIndex counts with ``get_tokenizer()``
(tiktoken cl100k_base, the content alone): the presets' ``token_counting: llamaindex``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import llama_index.core  # noqa: F401  # the llama-index extra: a missing install must fail
import pytest

from tests.fidelity import (
    Conversation,
    Turn,
    assert_same_turns,
    run_both,
    summary_placeholder,
    user_turns,
)

AGENTS = "tests.fidelity_agents.llama_index"
LIMIT = 500
WINDOW = 667
"""The summarizer LLM's context window: ChatSummaryMemoryBuffer.from_defaults(llm=...) takes
int(0.75 * 667) = 500 tokens, the preset 0.75 of agent.context_window."""


def _runs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    factory: str,
    compaction: Mapping[str, object],
    **agent: object,
) -> tuple[list[Turn], list[Turn]]:
    monkeypatch.setenv("FIDELITY_TOKEN_LIMIT", str(LIMIT))
    monkeypatch.setenv("FIDELITY_CONTEXT_WINDOW", str(WINDOW))
    conversation = Conversation(users=user_turns(42))
    # LlamaIndex's tokenizer is cl100k_base whatever the model: the reference counts with it.
    ours, theirs = run_both(
        tmp_path, conversation, f"{AGENTS}:{factory}", compaction, encoding="cl100k_base", **agent
    )
    return ours, theirs


def test_fidelity_llamaindex_memory_buffer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ChatMemoryBuffer(token_limit=500): the window the engine sends is exactly the preset's,
    greeting, cut points and all, with no normalization."""
    compaction = {
        "preset": "llamaindex-memory-buffer",
        "trigger": {"tokens": LIMIT},
        "keep": {"tokens": LIMIT},
    }
    ours, theirs = _runs(tmp_path, monkeypatch, "make_memory_buffer", compaction)
    assert_same_turns(ours, theirs)


def test_fidelity_llamaindex_summary_buffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ChatSummaryMemoryBuffer.from_defaults(llm=<replay-summarizer>), its default token_limit
    (0.75 of the LLM's window) against the preset's defaults: the same turns
    summarize (two model calls), the same messages survive, the summary is a system message
    in the same place."""
    compaction = {"preset": "llamaindex-summary-buffer"}  # its defaults, nothing overridden
    ours, theirs = _runs(
        tmp_path, monkeypatch, "make_summary_buffer", compaction, context_window=WINDOW
    )
    # Pinned: turn 1 summarizes the opening greeting in both (LlamaIndex never lets the history
    # start on an assistant message), but the framework's trace cannot call it a compaction:
    # the greeting was never in a model call, so no call's input lost it. The app's system
    # prompt is still recorded as such, though the summary call's prompt came first.
    assert (ours[0].calls, theirs[0].calls) == (2, 2)
    assert [s.kind for s in ours[0].context] == ["system", "summary", "user"]
    # The summary's text: LlamaIndex asks its summarizer with its own prompt (SUMMARIZE_PROMPT
    # and a "Transcript so far:" message), replay's reference loop with its own, so the
    # offline summarizer's text differs: compared by role, kind and place.
    assert_same_turns(ours, theirs, normalize=summary_placeholder, unseen_cuts={1})
    # Every later summary call is a compaction the trace sees, and the reverse.
    assert all((t.calls == 2) == t.compacted for t in ours[1:])


def test_replays_default_counting_would_make_the_memory_buffer_preset_cut_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison is not vacuous: with replay's default counting (the agent's encoding
    with the chat framing, 3 + role tokens a message, as the preset counted before it was
    verified) the reference cuts the greeting turns earlier than ChatMemoryBuffer does."""
    compaction = {
        "preset": "llamaindex-memory-buffer",
        "trigger": {"tokens": LIMIT},
        "keep": {"tokens": LIMIT},
        "token_counting": "tiktoken",
    }
    ours, theirs = _runs(tmp_path, monkeypatch, "make_memory_buffer", compaction)
    first_cut = [next(t.index for t in run if t.compacted) for run in (ours, theirs)]
    assert first_cut[1] < first_cut[0], first_cut
    with pytest.raises(AssertionError, match=f"turn {first_cut[1]}: the framework did not cut"):
        assert_same_turns(ours, theirs)
