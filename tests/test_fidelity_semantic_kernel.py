"""Preset fidelity of ``semantic-kernel-truncation`` and ``semantic-kernel-summarization``
against Semantic Kernel's own reducers (semantic-kernel 1.45.0).

The agent (``tests/fidelity_agents/semantic_kernel.py``) is a ``ChatCompletionAgent`` whose
thread's history is the reducer, with ``await thread.reduce()`` before each turn's user message
joins it, as Semantic Kernel's samples do. What its code does
(``semantic_kernel/contents/history_reducer/``):

- ``reduce()`` fires when the history holds more than ``target_count + threshold_count``
  messages; it runs before the user message joins, so the window counts the history before the
  turn (``window_excludes_turn``).
- ``locate_safe_reduction_index`` cuts ``target_count`` messages from the end and then looks
  *back*, up to ``threshold_count`` messages, for a user message to start at (keeping more);
  none there: the plain cut (``cut_back_to_user``). The preset used to move the cut forward
  (``start_on_user``), keeping fewer.
- The summarization reducer counts its threshold from after the summaries at the head of the
  history (``offset_count=insertion_point``): once a summary leads, it needs one message more
  to fire again (``trigger_skips_summary``).
- 1.45.0 keeps the first system message (microsoft/semantic-kernel#13610, the fix of #12612);
  kept in the history, it counts as one of ``target_count`` and of the threshold.

An odd ``target_count`` makes the plain cut land on an assistant message (the greeting leads the
history), so every compaction exercises the look-back.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pytest

# Semantic Kernel is part of the test extra: a missing install must fail, not skip.
import semantic_kernel  # noqa: F401

from replay.loop import Compactor, Context
from replay.spec import PRESETS, CompactionSpec
from replay.trace import Message, read_trace
from tests.fidelity import (
    Conversation,
    Turn,
    assert_same_turns,
    run_both,
    summary_placeholder,
    user_turns,
)
from tests.helpers import factory

TARGET = 9
THRESHOLD = 3
AGENTS = "tests.fidelity_agents.semantic_kernel"


def _configure(
    monkeypatch: pytest.MonkeyPatch, *, system_in_history: bool = False, target: int = TARGET
) -> None:
    monkeypatch.setenv("FIDELITY_TARGET", str(target))
    monkeypatch.setenv("FIDELITY_THRESHOLD", str(THRESHOLD))
    monkeypatch.setenv("FIDELITY_SYSTEM_IN_HISTORY", "1" if system_in_history else "0")


def _runs(
    tmp_path: Path, factory: str, compaction: dict[str, object]
) -> tuple[list[Turn], list[Turn]]:
    conversation = Conversation(users=user_turns(42))
    sk, preset = run_both(tmp_path, conversation, f"{AGENTS}:{factory}", compaction)
    return sk, preset


def _lookback_kept(turns: list[Turn], summaries: Collection[str] = ()) -> set[int]:
    """How many history messages the compacted turns' reply calls kept (system, summary and the
    turn's user message not counted)."""
    return {
        sum(
            s.kind in ("user", "reply", "greeting") and s.content not in summaries
            for s in t.context
        )
        - 1
        for t in turns
        if t.compacted
    }


def test_fidelity_semantic_kernel_truncation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(monkeypatch)
    sk, preset = _runs(
        tmp_path,
        "make_truncation",
        {
            "preset": "semantic-kernel-truncation",
            "trigger": {"messages": TARGET + THRESHOLD},
            "keep": {"messages": TARGET},
        },
    )
    assert_same_turns(sk, preset)
    # The plain cut (TARGET from the end) lands on an assistant message: SK looked back one
    # message to the user message before it, keeping TARGET + 1.
    assert _lookback_kept(sk) == {TARGET + 1}
    # The agent's instructions are sent on top; nothing summarizes.
    assert all(t.context[0].kind == "system" and t.calls == 1 for t in sk)


def test_fidelity_semantic_kernel_truncation_with_the_system_prompt_in_the_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ChatHistory.add_system_message: 1.45.0 keeps it, and it counts as one of target_count
    and of the threshold, so the preset is given both minus one."""
    _configure(monkeypatch, system_in_history=True)
    sk, preset = _runs(
        tmp_path,
        "make_truncation",
        {
            "preset": "semantic-kernel-truncation",
            "trigger": {"messages": TARGET + THRESHOLD - 1},
            "keep": {"messages": TARGET - 1},
        },
    )
    assert_same_turns(sk, preset)
    assert all(t.context[0].kind == "system" for t in sk)  # never truncated away


def _summary_outputs(folder: Path, scenario: str) -> dict[str, tuple[str, str]]:
    """The texts the framework's side calls (every call but the reply) answered, with the
    call's purpose and the kind the trace gave the text where it came back into the history."""
    header, records = read_trace(folder / "traces" / f"{scenario}.trace.jsonl")
    known: dict[str, Message] = {m.id: m for m in header.setup}
    outputs: dict[str, tuple[str, str]] = {}
    for record in records:
        known.update({m.id: m for m in record.messages})
        for call in record.model_calls:
            if call is not record.reply_call and call.output is not None:
                outputs[known[call.output].content] = (call.purpose, known[call.output].kind)
    return outputs


def test_fidelity_semantic_kernel_summarization(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(monkeypatch)
    sk, preset = _runs(
        tmp_path,
        "make_summarization",
        {
            "preset": "semantic-kernel-summarization",
            "trigger": {"messages": TARGET + THRESHOLD},
            "keep": {"messages": TARGET},
        },
    )
    summaries = _summary_outputs(tmp_path / "framework", "framework")
    # SK sends the summarizer's assistant answer back verbatim, first in the history: the
    # proxy records that call as a summary call and its answer as a summary, as the
    # reference loop writes them.
    assert len(summaries) >= 3 and set(summaries.values()) == {("summary", "summary")}
    # Pinned difference: the texts differ (SK's own prompt, appended as a system message,
    # reaches the offline summarizer; the reference loop summarizes the messages alone), so
    # summaries are compared by role and place only (summary_placeholder).
    assert_same_turns(sk, preset, normalize=summary_placeholder)
    # Each compaction made a summary call before the reply, as the preset's did.
    assert [t.calls for t in sk] == [t.calls for t in preset]
    assert _lookback_kept(sk, summaries) == {TARGET + 1}
    # After the first summary, SK needs one message more to fire: the summary is not counted.
    compacted = [t.index for t in sk if t.compacted]
    assert compacted[1] - compacted[0] == 2  # not 1, as counting the summary would give


def test_summarization_with_the_system_prompt_in_the_history_is_not_modelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The known difference, asserted so it cannot pass unnoticed: with the system prompt in
    the history (at index 0, not a summary), ``locate_summarization_boundary`` returns 0, so
    the summary after it counts towards the threshold (and the system prompt does too). The
    preset, giving both counts minus one for the system prompt, still skips the summary: SK
    summarizes more often than the preset says. (It shows when the history after the system
    prompt and the summary reaches exactly target + threshold - 1: an even target_count here;
    with TARGET, odd, the parity never lets it, and the two agree.)"""
    target = TARGET + 1
    _configure(monkeypatch, system_in_history=True, target=target)
    sk, preset = _runs(
        tmp_path,
        "make_summarization",
        {
            "preset": "semantic-kernel-summarization",
            "trigger": {"messages": target + THRESHOLD - 1},
            "keep": {"messages": target - 1},
        },
    )
    ours = {t.index for t in sk if t.compacted}
    theirs = {t.index for t in preset if t.compacted}
    assert min(ours) == min(theirs)  # the first summary agrees (no summary counted yet)
    assert theirs < ours  # after it, SK fires on turns the preset does not
    assert all(t.context[0].kind == "system" for t in sk)  # 1.45.0 keeps the system prompt


# The engine's two Semantic Kernel settings, on a history without the framework.

MAKE = factory()


def _history(roles: str, turn_of_last: int = 99) -> list[Message]:
    """u/a/s letters: user, assistant (reply), summary; the last message is its own turn."""
    kinds = {"u": ("user", "user"), "a": ("assistant", "reply"), "s": ("assistant", "summary")}
    out = []
    for n, letter in enumerate(roles):
        role, kind = kinds[letter]
        turn = turn_of_last if n == len(roles) - 1 else n // 2
        out.append(MAKE.make(role, f"{letter}{n}", kind=kind, turn=turn, minutes=0))  # type: ignore[arg-type]
    return out


def _spec(preset: str, target: int, threshold: int) -> CompactionSpec:
    values = dict(PRESETS[preset].values)
    values.update(
        preset=preset,
        trigger_kind="messages",
        trigger_value=target + threshold,
        keep_kind="messages",
        keep_value=target,
    )
    return CompactionSpec(**values)


def _summary(head: object) -> Message:
    return MAKE.make("assistant", "summary", kind="summary", turn=0, minutes=0)


def _no_marker(role: str, text: str) -> Message:
    raise AssertionError("no marker expected")


def test_the_truncation_cut_moves_back_to_a_user_message_within_the_threshold() -> None:
    # History a0 u1 ... a8 (9 messages) before the new user message u9; target 3.
    body = _history("auauauauau")
    context = Context(None, body)
    spec = _spec("semantic-kernel-truncation", 3, 2)
    assert Compactor(spec).apply(context, ("ai-identity",), _summary, _no_marker) is not None
    # The plain cut keeps a6 u7 a8; SK looks back (threshold 2) to the user message u5.
    assert [m.content for m in context.body] == ["u5", "a6", "u7", "a8", "u9"]
    # With threshold 0 there is no window to look back in: the cut stays on the assistant.
    context = Context(None, body)
    spec = _spec("semantic-kernel-truncation", 3, 0)
    assert Compactor(spec).apply(context, ("ai-identity",), _summary, _no_marker) is not None
    assert [m.content for m in context.body] == ["a6", "u7", "a8", "u9"]


def test_a_leading_summary_is_not_counted_by_the_summarization_trigger() -> None:
    spec = _spec("semantic-kernel-summarization", 4, 2)
    # summary + 6 messages + the new user message: SK counts 6 after the summary, not 7.
    assert Compactor(spec).triggered(Context(None, _history("suauaua" + "u"))) is None
    assert Compactor(spec).triggered(Context(None, _history("suauauau" + "u"))) is not None
