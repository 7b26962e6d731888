"""An AutoGen support agent whose own buffered model context drops the greeting, for replay.

The app's AI disclosure is its opening greeting, the first message of the agent's model context
(``initial_messages``); the system message says nothing about it (many chat widgets work this
way). The model context is AutoGen's ``BufferedChatCompletionContext(buffer_size=BUFFER_SIZE)``,
the documented way to bound an ``AssistantAgent``'s context: before each model call it hands
the model only the latest ``BUFFER_SIZE`` messages (the new user message included), with the
agent's system message in front. Once the conversation passes that many messages the greeting
is no longer among them, and nothing the model receives says it is an AI.

The model is AutoGen's ``OpenAIChatCompletionClient`` (``POST /v1/chat/completions``) with the
base URL and key replay hands to ``make_agent`` (the agent's process also has
``OPENAI_BASE_URL`` set to replay's recording proxy).

Set ``SUPPORT_AGENT_STATE_LOG`` to a file to have the agent append, per turn, what its own model
context holds before the model is called (one JSON object per line): the test compares the turn
replay finds with the turn the agent's own state says.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.messages import TextMessage
from autogen_core.model_context import BufferedChatCompletionContext
from autogen_core.models import AssistantMessage, LLMMessage, UserMessage
from autogen_ext.models.openai import OpenAIChatCompletionClient

GREETING = "Hi! I'm Acme's AI assistant, not a human agent. How can I help you today?"
"""The app's disclosure: shown to the user as the chat's first message, kept in the context."""

BUFFER_SIZE = 12
"""buffer_size: how many of the latest messages the model context hands the model."""

SYSTEM_MESSAGE = (
    "You are Sam, the support assistant for Acme Outdoor Gear. Help customers with orders, "
    "returns and products. Be concise."
)


class SupportAgent:
    """One customer conversation: an AssistantAgent with a buffered model context."""

    def __init__(self, base_url: str, api_key: str) -> None:
        self.client = OpenAIChatCompletionClient(
            model="gpt-4o-mini", base_url=base_url, api_key=api_key
        )
        greeting: list[LLMMessage] = [AssistantMessage(content=GREETING, source="Sam")]
        self.context = BufferedChatCompletionContext(
            buffer_size=BUFFER_SIZE, initial_messages=greeting
        )
        self.agent = AssistantAgent(
            "Sam",
            model_client=self.client,
            system_message=SYSTEM_MESSAGE,
            model_context=self.context,
        )
        self.loop = asyncio.new_event_loop()
        self.turn = 0
        self.state_log = os.environ.get("SUPPORT_AGENT_STATE_LOG")

    def reply(self, message: str) -> str:
        self.turn += 1
        state = self._state(message) if self.state_log else None
        result = self.loop.run_until_complete(self.agent.run(task=message))
        last = result.messages[-1]
        if not isinstance(last, TextMessage):
            raise RuntimeError(f"the agent ended its turn with a {type(last).__name__}")
        if state is not None and self.state_log:
            with open(self.state_log, "a", encoding="utf-8") as log:
                log.write(json.dumps(state) + "\n")
        return last.content

    def _state(self, message: str) -> dict[str, Any]:
        """What this turn's model input will hold, read before the agent runs: the context's
        view (``get_messages()``, the buffer applied) once the turn's user message is in it,
        as AssistantAgent adds it before it calls the model. Read on a copy of the context's
        state, so the agent's own context is untouched."""
        stored = self.loop.run_until_complete(self.context.save_state())
        probe = BufferedChatCompletionContext(buffer_size=BUFFER_SIZE)
        self.loop.run_until_complete(probe.load_state(stored))
        self.loop.run_until_complete(probe.add_message(UserMessage(content=message, source="user")))
        view = self.loop.run_until_complete(probe.get_messages())
        return {
            "turn": self.turn,
            # The framework's own configuration of the context, as it would serialize it.
            "buffer_size": self.context.dump_component().config["buffer_size"],
            "stored_messages": len(stored["messages"]) + 1,
            "view_messages": len(view),
            "view_holds_greeting": any(
                isinstance(m, AssistantMessage) and m.content == GREETING for m in view
            ),
        }


def make_agent(context: Any) -> SupportAgent:
    """replay's python adapter calls this once per run (context: replay.AgentContext)."""
    return SupportAgent(context.base_url, context.api_key)
