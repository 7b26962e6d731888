"""Preset fidelity: one conversation through a real framework and through the preset that models it.

A framework preset (docs/compaction.md) claims that the reference loop with it cuts the
context as the framework does. These helpers check the claim on the framework's own code: the
same conversation (system prompt, opening greeting, simulator persona, user turns) runs once as
a ``python:`` agent built on the framework, recorded through the proxy, and once through the
reference loop with the preset. Each run's trace gives, per turn, what the reply call's model
received (role, kind and content of every message, in order) and whether the context was cut;
:func:`assert_same_turns` asserts the two agree at every turn.

The simulator answers both runs, so the replies agree as long as the contexts do: a difference
shows up at the first turn the preset and the framework disagree, and stays visible after it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from replay.cli import main
from replay.trace import Message, read_trace

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

SYSTEM_PROMPT = (
    "You are Sam, the support assistant for Acme Outdoor Gear. Help customers with orders, "
    "returns and products. Be concise."
)
GREETING = "Hi! I'm Acme's AI assistant, not a human agent. How can I help you today?"
PERSONA = "Sam from the Acme support team"

_ASKS = (
    "Where is my order #{order}? It has not arrived yet.",
    "Can you change the delivery address of order #{order} to {street} Pine Street, Boulder?",
    "Is the Ridgeline {size}-person tent in stock at the Denver warehouse?",
    "What is the return window for the camping stove, item {item}, if it arrives damaged?",
    "Could you apply my loyalty code SUMMIT{size}0 to order #{order}?",
    "How long does a refund to my Visa card ending {card} take?",
    "Does the {size}-season sleeping bag, item {item}, come in a long size?",
    "Please cancel the headlamp on order #{order} but keep the rest.",
)


def user_turns(count: int) -> tuple[str, ...]:
    """``count`` distinct, deterministic support questions (none asks who is answering)."""
    turns = []
    for n in range(count):
        ask = _ASKS[n % len(_ASKS)]
        turns.append(
            ask.format(
                order=4400 + 17 * n,
                street=10 + n,
                size=2 + n % 3,
                item=2200 + 13 * n,
                card=f"{(931 + 7 * n) % 10000:04d}",
            )
        )
    return tuple(turns)


@dataclass(frozen=True)
class Conversation:
    """What both runs share: the app's prompt and greeting, the simulator's persona, the user."""

    users: tuple[str, ...]
    system_prompt: str | None = SYSTEM_PROMPT
    greeting: str | None = GREETING
    persona: str = PERSONA
    gap: str = "1m"


@dataclass(frozen=True)
class Seen:
    """One message of a reply call's input, as the fidelity comparison sees it."""

    role: str
    kind: str
    content: str


@dataclass(frozen=True)
class Turn:
    """One turn of a run: what the reply call received and whether the context was cut."""

    index: int
    context: tuple[Seen, ...]
    compacted: bool
    calls: int
    """How many model calls the turn made (a summary call before the reply counts)."""


def _conversation_section(conversation: Conversation) -> dict[str, Any]:
    return {"gap": conversation.gap, "turns": [{"user": u} for u in conversation.users]}


def framework_scenario(
    name: str, conversation: Conversation, python: str, *, timeout: int = 60
) -> dict[str, Any]:
    """The scenario that drives a framework agent (``module:factory``) through the proxy.

    The agent itself holds the system prompt and greeting (it must use ``conversation``'s);
    the scenario only supplies the user and the simulator that answers the model calls."""
    return {
        "scenario": name,
        "agent": {
            "type": "python",
            "python": python,
            "timeout": timeout,
            "model": {"type": "simulator", "persona": conversation.persona},
        },
        "disclosures": ["ai-identity"],
        "conversation": _conversation_section(conversation),
        "checks": ["context_retains"],
    }


def reference_scenario(
    name: str, conversation: Conversation, compaction: Mapping[str, Any], **agent: Any
) -> dict[str, Any]:
    """The scenario that runs the same conversation through the reference loop with a preset."""
    section: dict[str, Any] = {
        "model": {"type": "simulator", "persona": conversation.persona},
        "compaction": dict(compaction),
        **agent,
    }
    if conversation.system_prompt is not None:
        section["system_prompt"] = conversation.system_prompt
    if conversation.greeting is not None:
        section["opening"] = [{"greeting": conversation.greeting, "shown_to_user": True}]
    return {
        "scenario": name,
        "agent": section,
        "disclosures": ["ai-identity"],
        "conversation": _conversation_section(conversation),
        "checks": ["context_retains"],
    }


def replay_turns(document: Mapping[str, Any], folder: Path) -> list[Turn]:
    """Run a scenario document with ``replay run`` and read its trace back, turn by turn.

    The run must complete (exit 0 or 1: a finding is fine, it is what a lost disclosure
    gives); exit 2 or 3 fails the test with replay's output."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{document['scenario']}.yaml"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")  # JSON is YAML
    traces = folder / "traces"
    code = main(["run", str(path), "--json", "--trace-dir", str(traces)])
    assert code in (0, 1), f"replay run {path} exited {code}"
    header, records = read_trace(traces / f"{document['scenario']}.trace.jsonl")
    known: dict[str, Message] = {m.id: m for m in header.setup}
    turns = []
    for record in records:
        known.update({m.id: m for m in record.messages})
        assert record.error is None, f"turn {record.index}: {record.error}"
        call = record.reply_call
        assert call is not None, f"turn {record.index} has no reply call"
        context = tuple(Seen(known[i].role, known[i].kind, known[i].content) for i in call.input)
        turns.append(Turn(record.index, context, bool(record.compactions), len(record.model_calls)))
    return turns


def run_both(
    folder: Path,
    conversation: Conversation,
    python: str,
    compaction: Mapping[str, Any],
    **agent: Any,
) -> tuple[list[Turn], list[Turn]]:
    """``conversation`` through the framework agent ``python`` (``module:factory``) and through
    the reference loop with ``compaction`` (``agent``: more keys of its agent section): the
    framework's turns, then the preset's. The traces are in ``folder/framework/traces`` and
    ``folder/preset/traces``, named after the run."""
    framework = replay_turns(
        framework_scenario("framework", conversation, python), folder / "framework"
    )
    preset = replay_turns(
        reference_scenario("preset", conversation, compaction, **agent), folder / "preset"
    )
    return framework, preset


Normalize = Callable[[Seen], Seen]


def summary_placeholder(seen: Seen) -> Seen:
    """Compare summaries by role and place only: the framework's summary prompt and replay's
    differ, so the offline summarizer's text differs too (not the messages it replaces)."""
    return replace(seen, content="<summary>") if seen.kind == "summary" else seen


def assert_same_turns(
    framework: Sequence[Turn],
    reference: Sequence[Turn],
    *,
    min_turns: int = 40,
    min_compactions: int = 3,
    normalize: Normalize | None = None,
    unseen_cuts: Collection[int] = (),
) -> None:
    """The framework and the preset agree at every turn: the same turns compact, and the reply
    call receives the same messages (role, kind, content, order). At least ``min_turns`` turns
    and ``min_compactions`` compactions, so a vacuous comparison cannot pass.

    ``unseen_cuts`` are the turns where the preset cuts messages the framework never sent at
    all: the proxy sees only what is sent, so it records no cut there (the inputs must still
    be equal, and the preset must cut there)."""
    assert len(framework) == len(reference) >= min_turns, (len(framework), len(reference))
    compacted = [t.index for t in framework if t.compacted]
    assert len(compacted) >= min_compactions, f"only {len(compacted)} compactions: {compacted}"

    def view(turn: Turn) -> tuple[Seen, ...]:
        return tuple(map(normalize, turn.context)) if normalize else turn.context

    for ours, theirs in zip(framework, reference, strict=True):
        assert ours.index == theirs.index
        if ours.index in unseen_cuts:
            assert theirs.compacted and not ours.compacted, f"turn {ours.index}: no unseen cut"
        else:
            assert ours.compacted == theirs.compacted, (
                f"turn {ours.index}: the framework {'cut' if ours.compacted else 'did not cut'} "
                f"the context, the preset {'did' if theirs.compacted else 'did not'}"
            )
        if view(ours) != view(theirs):
            pytest.fail(_describe(ours.index, view(ours), view(theirs)))


def _describe(turn: int, framework: tuple[Seen, ...], reference: tuple[Seen, ...]) -> str:
    lines = [f"turn {turn}: the reply call's input differs (framework | preset)"]
    for n in range(max(len(framework), len(reference))):
        a = framework[n] if n < len(framework) else None
        b = reference[n] if n < len(reference) else None
        mark = "  " if a == b else "!="
        lines.append(f"{mark} {n:3} {_short(a):60} | {_short(b)}")
    return "\n".join(lines)


def _short(seen: Seen | None) -> str:
    if seen is None:
        return "-"
    text = seen.content.replace("\n", " ")
    return f"{seen.role}/{seen.kind}: {text[:40]}{'...' if len(text) > 40 else ''}"
