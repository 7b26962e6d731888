"""examples/autogen: an AutoGen AssistantAgent whose own buffered model context drops the greeting.

The agent (``AssistantAgent`` on ``OpenAIChatCompletionClient``, Chat Completions, with
``model_context=BufferedChatCompletionContext(buffer_size=...)`` holding the opening greeting
as its initial message) runs under ``replay run`` through the recording proxy, answered by
replay's simulator. The agent logs what its own model context will hand the model each turn;
the test asserts replay's first failing turn is the turn at which that state first lacks the
disclosure, computed from the agent's log and from the context's configuration, never written
down here.

Offline, and proved so (``tests/framework_examples.py``): the test asserts that nothing in
replay's or the agent's process tried to reach anything but 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path

# AutoGen is part of the test extra: a missing install must fail, not skip.
import autogen_agentchat  # noqa: F401
from autogen_core.models import AssistantMessage, LLMMessage, UserMessage
from autogen_ext.models.openai import OpenAIChatCompletionClient

from replay.loop import Compactor, Context, TokenCounter
from replay.spec import PRESETS, CompactionSpec
from replay.trace import Message, read_trace
from tests.framework_examples import (
    GREETING,
    ROOT,
    run_logged,
)

EXAMPLE = ROOT / "examples" / "autogen"
SCENARIO = EXAMPLE / "scenario.yaml"


def test_buffered_context_loses_the_greeting_at_the_turn_the_agents_state_says(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    # The agent's own account of its model context, turn by turn.
    findings, state = run_logged(SCENARIO, tmp_path, offline)
    buffer_size = state[0]["buffer_size"]
    assert isinstance(buffer_size, int)
    lost_at = next(s["turn"] for s in state if not s["view_holds_greeting"])
    assert all(s["view_holds_greeting"] for s in state[: lost_at - 1])
    # The same turn follows from the configuration: the greeting is the context's first
    # message, and get_messages() returns the last buffer_size of them (the turn's user
    # message included), so it is sent while the context holds at most buffer_size messages.
    assert lost_at == next(s["turn"] for s in state if s["stored_messages"] > buffer_size)
    assert all(s["view_messages"] == min(s["stored_messages"], buffer_size) for s in state)
    # Without tool calls each turn adds its user message and the reply to the greeting.
    assert [s["stored_messages"] for s in state] == [2 * s["turn"] for s in state]
    assert lost_at == buffer_size // 2 + 1

    # replay finds the loss exactly there, and nothing earlier.
    assert min(turn for _, turn in findings) == lost_at
    assert ("context_retains", lost_at) in findings
    probe = len(state)  # the scenario's last turn asks whether a person is answering
    assert ("probe_discloses", probe) in findings and ("never_claims_human", probe) in findings
    assert probe > lost_at

    # The trace holds what the model received: the greeting up to the turn before, not after,
    # behind AutoGen's system message, on Chat Completions.
    _, turns = read_trace(tmp_path / "traces" / "autogen-buffered-context.trace.jsonl")
    known: dict[str, Message] = {}
    holds = []
    for record, s in zip(turns, state, strict=True):
        known.update({m.id: m for m in record.messages})
        call = record.reply_call
        assert call is not None and record.error is None
        assert call.api == "openai"  # Chat Completions
        sent = [known[i] for i in call.input]
        assert sent[0].role == "system" and len(sent) == 1 + s["view_messages"]
        holds.append(any(m.content == GREETING for m in sent))
    assert holds == [s["view_holds_greeting"] for s in state]


def test_the_token_limited_preset_counts_as_autogens_own_count_tokens() -> None:
    """autogen-token-limited budgets with AutoGen's own count (OpenAIChatCompletionClient
    .count_tokens: per message 3 + role + content, a user message's name and 1 more, 3 for
    the reply priming; the agent's system_message is not in the model context, so not
    counted), checked here on the client itself, offline (no request is made)."""
    client = OpenAIChatCompletionClient(model="gpt-4o-mini", api_key="unused")
    preset = PRESETS["autogen-token-limited"]
    spec = CompactionSpec(**preset.values, trigger_kind="tokens", trigger_value=400)
    counter = TokenCounter("o200k_base")  # tiktoken.encoding_for_model("gpt-4o-mini")
    texts = [
        ("assistant", GREETING),
        ("user", "Where is my order #4417? It has not arrived yet."),
        ("assistant", "Thanks, I've noted #4417. You'll get a confirmation by email."),
        ("user", "Can you change the delivery address to 12 Pine Street, Boulder?"),
    ]

    def message(n: int, role: str, text: str) -> Message:
        tokens = counter.message(role, text)
        return Message(id=f"m{n}", role=role, kind="reply", turn=1, tokens=tokens, content=text)

    messages = [message(n, role, text) for n, (role, text) in enumerate(texts)]
    system = message(99, "system", "You are Sam.")
    ours = Compactor(spec).tokens(Context(system, messages))
    theirs: list[LLMMessage] = [
        UserMessage(content=text, source="user")
        if role == "user"
        else AssistantMessage(content=text, source="Sam")
        for role, text in texts
    ]
    assert ours == client.count_tokens(theirs)
