"""Compaction policies on hand-made contexts: what leaves, what replaces it, what is reported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from replay.loop import Compactor, Context
from replay.spec import PRESETS, CompactionSpec, MessageKind
from replay.trace import Message

from .helpers import factory

MAKE = factory()
DISCLOSURES = ("ai-identity",)


def msg(role: str, text: str, kind: MessageKind | None = None) -> Message:
    kinds: dict[str, MessageKind] = {"system": "system", "user": "user", "assistant": "reply"}
    return MAKE.make(role, text, kind=kind or kinds[role], turn=1, minutes=0)


SYSTEM = msg("system", "You are Sam. Always tell users you are an AI assistant.")


def conversation(turns: int) -> list[Message]:
    out = []
    for i in range(1, turns + 1):
        out.append(msg("user", f"Question {i} about order #{1000 + i}?"))
        out.append(msg("assistant", f"Answer {i}: order #{1000 + i} ships tomorrow."))
    return out


def summarize_with(text: str) -> tuple[list[Sequence[Message]], object]:
    seen: list[Sequence[Message]] = []

    def summarize(head: Sequence[Message]) -> Message:
        seen.append(list(head))
        return msg("user", text, kind="summary")

    return seen, summarize


def no_marker(role: str, text: str) -> Message:
    raise AssertionError("no marker expected")


def apply(spec: CompactionSpec, context: Context, window: int | None = None):  # type: ignore[no-untyped-def]
    seen, summarize = summarize_with("Summary: order #1001 ships tomorrow.")
    event = Compactor(spec, window).apply(context, DISCLOSURES, summarize, no_marker)  # type: ignore[arg-type]
    return event, seen


def test_no_trigger_no_event() -> None:
    context = Context(SYSTEM, conversation(5))
    spec = CompactionSpec(policy="truncate_oldest", trigger_kind="tokens", trigger_value=10**6)
    event, _ = apply(spec, context)
    assert event is None
    assert len(context.body) == 10


def test_truncate_oldest_cuts_until_within_budget_and_keeps_pinned_system() -> None:
    body = conversation(10)
    context = Context(SYSTEM, list(body))
    budget = SYSTEM.tokens + sum(m.tokens for m in body[-6:])
    spec = CompactionSpec(policy="truncate_oldest", trigger_kind="tokens", trigger_value=budget)
    event, _ = apply(spec, context)
    assert event is not None
    assert context.pinned is SYSTEM
    assert context.body == body[-6:]
    assert event.removed == tuple(m.id for m in body[:-6])
    assert event.tokens_after == budget <= event.tokens_before
    assert event.lost == ()


def test_unpinned_system_prompt_is_truncated_and_the_loss_reported() -> None:
    context = Context(None, [SYSTEM, *conversation(10)])
    spec = CompactionSpec(
        policy="truncate_oldest", trigger_kind="tokens", trigger_value=200, pin_system=False
    )
    event, _ = apply(spec, context)
    assert event is not None
    assert SYSTEM.id in event.removed
    assert event.lost == ("ai-identity",)


def test_sliding_window_keeps_last_k() -> None:
    body = conversation(5)
    context = Context(None, [SYSTEM, *body])
    spec = CompactionSpec(
        policy="sliding_window",
        trigger_kind="messages",
        trigger_value=4,
        keep_kind="messages",
        keep_value=4,
    )
    event, _ = apply(spec, context)
    assert context.body == body[-4:]
    assert event is not None and event.messages_after == 4 and event.lost == ("ai-identity",)


def test_summarize_replaces_all_but_last_k_with_one_summary() -> None:
    body = conversation(6)
    context = Context(SYSTEM, list(body))
    spec = CompactionSpec(
        policy="summarize",
        trigger_kind="messages",
        trigger_value=10,
        keep_kind="messages",
        keep_value=4,
    )
    event, seen = apply(spec, context)
    assert seen == [body[:-4]]
    assert [m.kind for m in context.body] == ["summary", "user", "reply", "user", "reply"]
    assert context.body[1:] == body[-4:]
    assert event is not None
    assert event.replacement == context.body[0].id
    assert event.removed == tuple(m.id for m in body[:-4])


def test_summarize_with_fewer_messages_than_keep_does_nothing() -> None:
    context = Context(SYSTEM, conversation(3))
    spec = CompactionSpec(
        policy="summarize",
        trigger_kind="tokens",
        trigger_value=1,
        keep_kind="messages",
        keep_value=20,
    )
    event, seen = apply(spec, context)
    assert event is None and seen == []


def test_running_summary_evicts_only_what_does_not_fit() -> None:
    body = conversation(6)
    context = Context(SYSTEM, list(body))
    keep = sum(m.tokens for m in body[-3:])
    spec = CompactionSpec(
        policy="running_summary",
        trigger_kind="tokens",
        trigger_value=keep + SYSTEM.tokens,
        keep_kind="tokens",
        keep_value=keep,
    )
    event, seen = apply(spec, context)
    assert seen == [body[:-3]]
    assert context.body[1:] == body[-3:]
    assert event is not None


def test_inclusive_trigger_fires_at_the_threshold() -> None:
    body = conversation(2)
    total = SYSTEM.tokens + sum(m.tokens for m in body)
    for inclusive, fires in ((True, True), (False, False)):
        context = Context(SYSTEM, list(body))
        spec = CompactionSpec(
            policy="sliding_window",
            trigger_kind="tokens",
            trigger_value=total,
            trigger_inclusive=inclusive,
            keep_kind="messages",
            keep_value=1,
        )
        event, _ = apply(spec, context)
        assert (event is not None) is fires


def test_fraction_trigger_uses_the_context_window() -> None:
    body = conversation(4)
    total = SYSTEM.tokens + sum(m.tokens for m in body)
    spec = CompactionSpec(
        policy="sliding_window",
        trigger_kind="fraction",
        trigger_value=0.5,
        keep_kind="messages",
        keep_value=2,
    )
    event, _ = apply(spec, Context(SYSTEM, list(body)), window=total * 2 + 10)
    assert event is None
    event, _ = apply(spec, Context(SYSTEM, list(body)), window=total)
    assert event is not None


def test_head_tail_inserts_autogen_marker_with_cumulative_count() -> None:
    body = conversation(5)
    context = Context(SYSTEM, list(body))
    markers: list[Message] = []

    def marker(role: str, text: str) -> Message:
        markers.append(msg(role, text, kind="marker"))
        return markers[-1]

    spec = CompactionSpec(
        **PRESETS["autogen-head-tail"].values,
        trigger_kind="messages",
        trigger_value=6,
        head=2,
        keep_kind="messages",
        keep_value=3,
    )
    compactor = Compactor(spec)
    event = compactor.apply(context, DISCLOSURES, lambda h: msg("user", "x"), marker)
    assert event is not None
    assert markers[-1].content == "Skipped 5 messages."
    assert context.body == [*body[:2], markers[-1], *body[-3:]]
    for message in conversation(1):
        context.append(message)
    compactor.apply(context, DISCLOSURES, lambda h: msg("user", "x"), marker)
    assert markers[-1].content == "Skipped 7 messages."


def test_middle_out_removes_from_the_middle() -> None:
    body = conversation(5)
    context = Context(SYSTEM, list(body))
    budget = SYSTEM.tokens + sum(m.tokens for m in body) - body[5].tokens
    spec = CompactionSpec(policy="middle_out", trigger_kind="tokens", trigger_value=budget)
    event, _ = apply(spec, context)
    assert event is not None
    assert body[0] in context.body and body[-1] in context.body
    assert event.removed == (body[5].id,)


def test_start_on_user_moves_the_cut_to_a_user_message() -> None:
    body = conversation(4)
    context = Context(None, list(body))
    spec = CompactionSpec(
        policy="sliding_window",
        trigger_kind="messages",
        trigger_value=2,
        keep_kind="messages",
        keep_value=3,
        start_on_user=True,
    )
    apply(spec, context)
    assert [m.role for m in context.body] == ["user", "assistant"]


def test_approximate_counting_budgets_with_characters() -> None:
    body = conversation(3)
    chars = sum(-(-(len(m.content) + len(m.role)) // 4) + 3 for m in body)
    spec = CompactionSpec(
        policy="truncate_oldest",
        trigger_kind="tokens",
        trigger_value=chars,
        token_counting="approximate",
    )
    event, _ = apply(spec, Context(None, list(body)))
    assert event is None
    spec = CompactionSpec(
        policy="truncate_oldest",
        trigger_kind="tokens",
        trigger_value=chars - 1,
        token_counting="approximate",
    )
    event, _ = apply(spec, Context(None, list(body)))
    assert event is not None and event.tokens_before == chars


def test_every_preset_builds_a_valid_spec() -> None:
    for preset in PRESETS.values():
        spec = CompactionSpec(**preset.values, preset=preset.name)
        assert spec.policy in (
            "summarize",
            "running_summary",
            "truncate_oldest",
            "sliding_window",
            "head_tail",
            "middle_out",
        )
        assert preset.name in spec.describe()


def turns_of(*texts: str) -> list[Message]:
    """A greeting at turn 0, then user and reply messages of turns 1, 2, ...: ``texts`` name
    them ``g``, ``uN``, ``aN`` (role and turn from the name)."""
    out = []
    for text in texts:
        if text == "g":
            out.append(MAKE.make("assistant", "Hi, I'm an AI.", kind="greeting", turn=0, minutes=0))
        else:
            role, kind = ("user", "user") if text[0] == "u" else ("assistant", "reply")
            out.append(MAKE.make(role, text, kind=kind, turn=int(text[1:]), minutes=0))  # type: ignore[arg-type]
    return out


def test_a_window_that_excludes_the_turn_sends_the_new_input_on_top() -> None:
    # SessionSettings(limit=4): the latest 4 stored items, then the new user message.
    spec = CompactionSpec(
        **{**PRESETS["openai-agents-limit"].values},
        trigger_kind="messages",
        trigger_value=4,
        keep_kind="messages",
        keep_value=4,
    )
    body = turns_of("g", "u1", "a1", "u2", "a2", "u3")
    assert Compactor(spec).triggered(Context(SYSTEM, body[:5])) is None  # 4 stored, no input
    context = Context(SYSTEM, body)  # 5 stored before turn 3, and its user message
    event, _ = apply(spec, context)
    assert event is not None and "5 messages > 4" in event.reason
    assert [m.content for m in context.body] == ["u1", "a1", "u2", "a2", "u3"]


def test_a_policy_that_runs_every_call_cuts_within_the_budget() -> None:
    # trim_messages(start_on="human") with include_system=False: whatever precedes the first
    # human message kept is cut on the first call, far below max_tokens.
    spec = CompactionSpec(
        **{**PRESETS["langchain-trim"].values}, trigger_kind="tokens", trigger_value=10_000
    )
    context = Context(None, [SYSTEM, *turns_of("g", "u1")])
    event, _ = apply(spec, context)
    assert event is not None and event.reason == "every call (budget 10000 tokens)"
    assert [m.content for m in context.body] == ["u1"]
    assert event.lost == ("ai-identity",)
    again, _ = apply(spec, context)
    assert again is None  # nothing more to cut: no event


def test_a_view_of_the_whole_history_sends_a_cut_message_again_when_it_fits() -> None:
    # AutoGen's TokenLimitedChatCompletionContext: every call pops the middle of ALL stored
    # messages until they fit, so a short message cut once returns when a long one goes.
    first, short = msg("user", "Question one?"), msg("assistant", "Noted.")
    long, new = msg("user", "A very long question " * 30), msg("user", "Question two?")
    spec = CompactionSpec(policy="middle_out", trigger_kind="tokens", view_of_history=True)
    limit = Compactor(spec).tokens(Context(None, [first, long]))
    compactor = Compactor(replace(spec, trigger_value=limit))
    context = Context(None, [first, short, long])
    event = compactor.apply(context, DISCLOSURES, lambda head: head[0], no_marker)
    assert event is not None and event.removed == (short.id,)  # the middle of three
    context.append(new)
    event = compactor.apply(context, DISCLOSURES, lambda head: head[0], no_marker)
    assert event is not None and event.removed == (long.id,)  # the middle of all four
    assert [m.id for m in context.body] == [first.id, short.id, new.id]  # the short one is back


def test_a_summary_kept_apart_from_the_buffer_is_not_budgeted() -> None:
    # ConversationSummaryBufferMemory prunes its buffer to max_token_limit; its running summary
    # is held outside the buffer, so a long summary alone does not make it prune.
    text = "Summary: " + "order #1001 ships tomorrow. " * 20
    summary = MAKE.make("system", text, kind="summary", turn=1, minutes=0)
    history = turns_of("u1", "a1", "u2", "a2", "u3")
    spec = CompactionSpec(**PRESETS["langchain-summary-buffer"].values)
    budget = Compactor(spec).measure(Context(SYSTEM, history))[0]  # u1..a2, and the priming
    assert budget > 3 * 4
    apart = replace(spec, trigger_value=budget, keep_value=budget)
    context = Context(SYSTEM, [summary, *history])
    assert Compactor(apart).triggered(context) is None
    counted = replace(apart, buffer_apart_from_summary=False)
    assert Compactor(counted).triggered(context) is not None
