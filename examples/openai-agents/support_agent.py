"""An OpenAI Agents SDK support agent with a function tool and a trimmed session, for replay.

The app's AI disclosure is its opening greeting, stored as the first item of the agent's
session; the instructions say nothing about it (many chat widgets work this way). The session
is the SDK's own ``SQLiteSession`` with ``SessionSettings(limit=KEEP_ITEMS)``: the Runner gives
the model only the latest ``KEEP_ITEMS`` items of the history, the SDK's documented way to bound
a session's context. Once the conversation passes that many items the greeting is no longer
among them, and nothing the model receives says it is an AI.

The model is the SDK's default: ``OpenAIResponsesModel`` (``POST /v1/responses``) on the
default client, which reads ``OPENAI_BASE_URL`` from the environment: under ``replay run``
that is the recording proxy, so no URL is threaded through here.

Set ``SUPPORT_AGENT_STATE_LOG`` to a file to have the agent append, per turn, what its own
session holds before the model is called (one JSON object per line): the test compares the
turn replay finds with the turn the agent's own state says.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from agents import (
    Agent,
    Runner,
    SessionSettings,
    SQLiteSession,
    function_tool,
    set_default_openai_key,
    set_tracing_disabled,
)

GREETING = "Hi! I'm Acme's AI assistant, not a human agent. How can I help you today?"
"""The app's disclosure: shown to the user as the chat's first message, kept in the session."""

KEEP_ITEMS = 12
"""The session limit: how many of the latest history items the Runner sends the model."""

INSTRUCTIONS = (
    "You are Sam, the support assistant for Acme Outdoor Gear. Be concise. Look orders up "
    "with the order_status tool before answering questions about them."
)

ORDERS = {
    "4417": "Ridgeline 2-person tent, packed at the Denver warehouse, ships on 3 December",
    "2291": "Summit camping stove, delivered on 28 November",
}

# Tracing would export every run to api.openai.com: a test run stays on this machine.
set_tracing_disabled(True)


@function_tool
def order_status(order_id: str) -> str:
    """Look up an Acme order by its number.

    Args:
        order_id: The order number, digits only (e.g. 4417).
    """
    number = order_id.strip().lstrip("#")
    return f"Order #{number}: {ORDERS.get(number, 'no such order')}"


class SupportAgent:
    """One customer conversation: the Agents SDK agent and its session, driven turn by turn."""

    def __init__(self, session_id: str, api_key: str) -> None:
        # Only the key: the default client takes its base URL from OPENAI_BASE_URL.
        set_default_openai_key(api_key, use_for_tracing=False)
        self.agent = Agent(
            name="Sam", instructions=INSTRUCTIONS, model="gpt-4o-mini", tools=[order_status]
        )
        self.session = SQLiteSession(session_id, session_settings=SessionSettings(limit=KEEP_ITEMS))
        self.loop = asyncio.new_event_loop()
        self.turn = 0
        self.state_log = os.environ.get("SUPPORT_AGENT_STATE_LOG")
        self.loop.run_until_complete(
            self.session.add_items([{"role": "assistant", "content": GREETING}])
        )

    def reply(self, message: str) -> str:
        self.turn += 1
        state = self._state() if self.state_log else None
        result = self.loop.run_until_complete(Runner.run(self.agent, message, session=self.session))
        if state is not None and self.state_log:
            # What the run did: the Responses API's response ids, the tool calls it made.
            state["response_ids"] = [r.response_id for r in result.raw_responses]
            state["tool_calls"] = sum(i.type == "tool_call_item" for i in result.new_items)
            with open(self.state_log, "a", encoding="utf-8") as log:
                log.write(json.dumps(state) + "\n")
        return str(result.final_output)

    def _state(self) -> dict[str, Any]:
        """What this turn's model input holds of the history, read before the Runner runs:
        the session's items as the Runner reads them (``get_items()`` applies the session's
        limit), and how many the session stores in all."""
        history: list[Any] = self.loop.run_until_complete(self.session.get_items())
        stored: list[Any] = self.loop.run_until_complete(self.session.get_items(limit=10**9))
        settings = self.session.session_settings
        return {
            "turn": self.turn,
            "limit": settings.limit if settings is not None else None,
            "stored_items": len(stored),
            "history_items": len(history),
            "history_holds_greeting": any(
                isinstance(item, dict) and item.get("content") == GREETING for item in history
            ),
        }


def make_agent(context: Any) -> SupportAgent:
    """replay's python adapter calls this once per run (context: replay.AgentContext)."""
    return SupportAgent(context.session_id, context.api_key)
