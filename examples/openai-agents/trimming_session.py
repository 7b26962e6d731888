"""An OpenAI Agents SDK support agent on a session that keeps the last N user turns, for replay.

The OpenAI cookbook's "short-term memory management with sessions" trims an agent's memory with
a custom ``Session`` that keeps only the last ``max_turns`` user turns (a turn: a user message
and every item after it up to the next user message), trimmed on every write and read. This is
that pattern on the SDK's ``SessionABC``. The app's AI disclosure is its opening greeting, the
session's first item, which belongs to no user turn: once the session holds ``MAX_TURNS`` user
messages, the earliest of them starts what is kept, and the greeting is gone, though nothing
about the conversation's length or tokens says so.

The model is the SDK's default (the Responses API) on the default client, which reads
``OPENAI_BASE_URL``: under ``replay run`` that is the recording proxy.

Set ``SUPPORT_AGENT_STATE_LOG`` to a file to have the agent append, per turn, what its session
holds before the Runner reads it (one JSON object per line): the test compares the turn replay
finds with the turn the session's own state says.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from agents import Agent, Runner, set_default_openai_key, set_tracing_disabled
from agents.items import TResponseInputItem
from agents.memory.session import SessionABC

GREETING = "Hi! I'm Acme's AI assistant, not a human agent. How can I help you today?"
"""The app's disclosure: shown to the user as the chat's first message, kept in the session."""

MAX_TURNS = 4
"""How many of the latest user turns the session keeps."""

INSTRUCTIONS = "You are Sam, the support assistant for Acme Outdoor Gear. Be concise."

# Tracing would export every run to api.openai.com: a test run stays on this machine.
set_tracing_disabled(True)


def _is_user_message(item: TResponseInputItem) -> bool:
    return isinstance(item, dict) and item.get("role") == "user"


def last_user_turns(items: list[TResponseInputItem], turns: int) -> list[TResponseInputItem]:
    """The suffix that starts at the ``turns``-th user message from the end; all of ``items``
    while they hold fewer user messages."""
    seen = 0
    for index in range(len(items) - 1, -1, -1):
        if _is_user_message(items[index]):
            seen += 1
            if seen == turns:
                return items[index:]
    return list(items)


class TrimmingSession(SessionABC):
    """In-memory session history, trimmed to the last ``max_turns`` user turns on every write
    and read."""

    def __init__(self, session_id: str, max_turns: int) -> None:
        self.session_id = session_id
        self.max_turns = max_turns
        self._items: list[TResponseInputItem] = []

    async def get_items(self, limit: int | None = None) -> list[TResponseInputItem]:
        items = last_user_turns(self._items, self.max_turns)
        return items[-limit:] if limit is not None else items

    async def add_items(self, items: list[TResponseInputItem]) -> None:
        self._items = last_user_turns([*self._items, *items], self.max_turns)

    async def pop_item(self) -> TResponseInputItem | None:
        return self._items.pop() if self._items else None

    async def clear_session(self) -> None:
        self._items = []


class SupportAgent:
    """One customer conversation: the SDK's Runner on a trimming session."""

    def __init__(self, session_id: str, api_key: str) -> None:
        set_default_openai_key(api_key, use_for_tracing=False)
        self.agent = Agent(name="Sam", instructions=INSTRUCTIONS, model="gpt-4o-mini")
        self.session = TrimmingSession(session_id, MAX_TURNS)
        self.loop = asyncio.new_event_loop()
        self.turn = 0
        self.state_log = os.environ.get("SUPPORT_AGENT_STATE_LOG")
        greeting: Any = {"role": "assistant", "content": GREETING}
        self.loop.run_until_complete(self.session.add_items([greeting]))

    def reply(self, message: str) -> str:
        self.turn += 1
        if self.state_log:
            history = self.loop.run_until_complete(self.session.get_items())
            state = {
                "turn": self.turn,
                "max_turns": self.session.max_turns,
                "user_turns_stored": sum(map(_is_user_message, history)),
                "history_holds_greeting": any(
                    isinstance(item, dict) and item.get("content") == GREETING for item in history
                ),
            }
            with open(self.state_log, "a", encoding="utf-8") as log:
                log.write(json.dumps(state) + "\n")
        result = self.loop.run_until_complete(Runner.run(self.agent, message, session=self.session))
        return str(result.final_output)


def make_agent(context: Any) -> SupportAgent:
    """replay's python adapter calls this once per run (context: replay.AgentContext)."""
    return SupportAgent(context.session_id, context.api_key)
