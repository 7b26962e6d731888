"""Closed vocabularies shared by every layer: message kinds, call purposes, carriers, providers,
adapters, compaction policies and verdicts.

Each is a ``Literal`` type, so mypy rejects a value outside it where it is written, and a tuple of
its values for the places that check data read from a file against it.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

MessageKind = Literal[
    "system", "user", "reply", "summary", "marker", "prompt", "greeting", "notice"
]
"""Where a message came from, independent of the role it is sent with."""
CallPurpose = Literal["reply", "summary", "call"]
"""Why a model was called: the turn's reply, a summary that entered the context, or any other call
an agent made (only the recording proxy sees those)."""
Provider = Literal["openai", "anthropic"]
AdapterKind = Literal["python", "http", "command"]
Policy = Literal[
    "none",
    "truncate_oldest",
    "sliding_window",
    "summarize",
    "running_summary",
    "head_tail",
    "middle_out",
]
Verdict = Literal["pass", "unproven", "fail", "error"]
"""From best to worst; only "pass" exits 0."""

CALL_PURPOSES: tuple[CallPurpose, ...] = get_args(CallPurpose)

# Message kinds: where a message came from, independent of the role it is sent with.
SYSTEM: Final = "system"
USER: Final = "user"
REPLY: Final = "reply"
SUMMARY: Final = "summary"
MARKER: Final = "marker"  # a fixed notice a policy inserts, e.g. AutoGen's "Skipped N messages."
PROMPT: Final = "prompt"  # the instruction given to a summarizer
GREETING: Final = (
    "greeting"  # an opening assistant message the product sends before the user speaks
)
NOTICE: Final = "notice"  # a fixed notice the product puts in the model's input (e.g. a UI banner)
OPENING_KINDS = frozenset({GREETING, NOTICE})


# The two carriers of a disclosure in a model's input, tracked apart (docs/architecture.md):
# the instruction to make it (the duty) and a statement of it (the fact).
INSTRUCTION: Final = "instruction"
STATEMENT: Final = "statement"
Carrier = tuple[str, str]
"""(disclosure id, INSTRUCTION or STATEMENT)."""
