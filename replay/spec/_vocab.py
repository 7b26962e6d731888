"""Closed vocabularies shared by every layer: message kinds and disclosure carriers."""

from __future__ import annotations

# Message kinds: where a message came from, independent of the role it is sent with.
SYSTEM = "system"
USER = "user"
REPLY = "reply"
SUMMARY = "summary"
MARKER = "marker"  # a fixed notice a policy inserts, e.g. AutoGen's "Skipped N messages."
PROMPT = "prompt"  # the instruction given to a summarizer
GREETING = "greeting"  # an opening assistant message the product sends before the user speaks
NOTICE = "notice"  # a fixed notice the product puts in the model's input (e.g. a UI banner)
OPENING_KINDS = frozenset({GREETING, NOTICE})


# The two carriers of a disclosure in a model's input, tracked apart (docs/architecture.md):
# the instruction to make it (the duty) and a statement of it (the fact).
INSTRUCTION = "instruction"
STATEMENT = "statement"
Carrier = tuple[str, str]
"""(disclosure id, INSTRUCTION or STATEMENT)."""
