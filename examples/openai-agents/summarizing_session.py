"""An OpenAI Agents SDK support agent on a session that summarizes older turns, for replay.

The OpenAI cookbook's "short-term memory management with sessions" also compresses an agent's
memory with a custom ``Session``: once the history holds more than ``CONTEXT_LIMIT`` real user
turns, everything before the earliest of the last ``KEEP_TURNS`` turns is summarized by a
model into a synthetic pair, a user message ``Summarize the conversation we had so far.`` and
an assistant message with the summary, and the last turns stay verbatim. This is that pattern
on the SDK's ``SessionABC``, its summaries asked of the model ``replay-summarizer`` so that
replay's proxy writes them offline (task-focused, as real summaries are). The app's AI
disclosure is its opening greeting, the session's first item: the first summary folds it in,
and what the model receives from then on does not say it is an AI.

The agent's model and the summarizer use the SDK's default client settings, which read
``OPENAI_BASE_URL``: under ``replay run`` that is the recording proxy.

Set ``SUPPORT_AGENT_STATE_LOG`` to a file to have the agent append, per turn, what its session
holds before the Runner reads it (one JSON object per line): the test compares the turn replay
finds with the turn the session's own state says.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any, cast

from agents import Agent, Runner, set_default_openai_key, set_tracing_disabled
from agents.items import TResponseInputItem
from agents.memory.session import SessionABC
from openai import AsyncOpenAI

GREETING = "Hi! I'm Acme's AI assistant, not a human agent. How can I help you today?"
"""The app's disclosure: shown to the user as the chat's first message, kept in the session."""

CONTEXT_LIMIT = 3
"""The most real user turns the session holds before it summarizes."""

KEEP_TURNS = 2
"""How many of the latest user turns a summary leaves verbatim."""

SHADOW_PROMPT = "Summarize the conversation we had so far."
SUMMARY_PROMPT = (
    "Compress the earlier support conversation into a short, factual snapshot for the next "
    "agent: the customer's orders and requests, what was done, and what is still open."
)
INSTRUCTIONS = "You are Sam, the support assistant for Acme Outdoor Gear. Be concise."

# Tracing would export every run to api.openai.com: a test run stays on this machine.
set_tracing_disabled(True)


class SummarizingSession(SessionABC):
    """In-memory history that summarizes all but the last ``keep_turns`` user turns once it
    holds more than ``context_limit`` of them (the synthetic pair does not count as a turn)."""

    def __init__(self, session_id: str, client: AsyncOpenAI, context_limit: int, keep_turns: int):
        self.session_id = session_id
        self.client = client
        self.context_limit = context_limit
        self.keep_turns = keep_turns
        self._items: list[dict[str, Any]] = []
        self.summaries = 0

    def _user_turn_starts(self) -> list[int]:
        return [
            i
            for i, item in enumerate(self._items)
            if item.get("role") == "user" and not item.get("synthetic")
        ]

    async def get_items(self, limit: int | None = None) -> list[TResponseInputItem]:
        # Only role and content reach the model: the synthetic mark stays in the session.
        items: list[Any] = [{"role": i["role"], "content": i["content"]} for i in self._items]
        return items[-limit:] if limit is not None else items

    async def add_items(self, items: list[TResponseInputItem]) -> None:
        for item in items:
            self._items.append(dict(item) if isinstance(item, dict) else {"content": str(item)})
        starts = self._user_turn_starts()
        if len(starts) <= self.context_limit:
            return
        boundary = starts[-self.keep_turns]
        summary = await self._summarize(self._items[:boundary])
        shadow = {"role": "user", "content": SHADOW_PROMPT, "synthetic": True}
        answer = {"role": "assistant", "content": summary, "synthetic": True}
        self._items = [shadow, answer, *self._items[boundary:]]
        self.summaries += 1

    async def _summarize(self, items: list[dict[str, Any]]) -> str:
        lines = [
            f"{str(i.get('role', 'assistant')).upper()}: {text}"
            for i in items
            if isinstance(text := i.get("content"), str) and text.strip()
        ]
        response = await self.client.chat.completions.create(
            model="replay-summarizer",
            messages=[
                {"role": "system", "content": SUMMARY_PROMPT},
                {"role": "user", "content": "\n".join(lines)},
            ],
        )
        return response.choices[0].message.content or ""

    async def pop_item(self) -> TResponseInputItem | None:
        if not self._items:
            return None
        item = self._items.pop()
        popped: Any = {"role": item["role"], "content": item["content"]}
        return cast(TResponseInputItem, popped)

    async def clear_session(self) -> None:
        self._items = []


class SupportAgent:
    """One customer conversation: the SDK's Runner on a summarizing session."""

    def __init__(self, session_id: str, api_key: str) -> None:
        set_default_openai_key(api_key, use_for_tracing=False)
        self.agent = Agent(name="Sam", instructions=INSTRUCTIONS, model="gpt-4o-mini")
        client = AsyncOpenAI(api_key=api_key)  # its base URL: OPENAI_BASE_URL, the proxy
        self.session = SummarizingSession(session_id, client, CONTEXT_LIMIT, KEEP_TURNS)
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
                "context_limit": self.session.context_limit,
                "keep_turns": self.session.keep_turns,
                "summaries": self.session.summaries,
                "user_turns_stored": len(self.session._user_turn_starts()),
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
