"""A Semantic Kernel support agent whose chat history is a ChatHistoryTruncationReducer, for replay.

The app's AI disclosure is its opening greeting, the history's first message after the system
prompt; the system prompt says nothing about it (many chat widgets work this way). The history
is Semantic Kernel's own ``ChatHistoryTruncationReducer(target_count=TARGET_COUNT,
threshold_count=THRESHOLD_COUNT, auto_reduce=True)``, its documented way to bound a chat's
context: every ``add_message_async`` reduces the history to ``target_count`` messages once it
holds more than ``target_count + threshold_count``. Semantic Kernel 1.45.0 keeps the system
prompt through that (users reported 1.34.0 deleting it, microsoft/semantic-kernel#12612), but
not the greeting: once the conversation passes the threshold, nothing the model receives says
it is an AI.

``auto_reduce`` only acts in ``add_message_async``: ``add_user_message`` and ``add_message``
(and ``ChatHistoryAgentThread``, which calls ``add_message``) never reduce, so this agent adds
every message with ``add_message_async``.

The model is ``OpenAIChatCompletion`` (``POST /v1/chat/completions``) on an ``AsyncOpenAI``
client whose base URL is the one replay gives the agent: under ``replay run`` that is the
recording proxy.

Set ``SUPPORT_AGENT_STATE_LOG`` to a file to have the agent append, per turn, what its history
holds just before the model is called (one JSON object per line): the test compares the turn
replay finds with the turn the agent's own state says.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from openai import AsyncOpenAI
from semantic_kernel.connectors.ai.open_ai import (
    OpenAIChatCompletion,
    OpenAIChatPromptExecutionSettings,
)
from semantic_kernel.contents import AuthorRole, ChatHistoryTruncationReducer, ChatMessageContent

GREETING = "Hi! I'm Acme's AI assistant, not a human agent. How can I help you today?"
"""The app's disclosure: shown to the user as the chat's first message, kept in the history."""

TARGET_COUNT = 8
"""How many messages the reducer keeps, the system prompt among them."""
THRESHOLD_COUNT = 2
"""How many more it lets the history hold before it reduces."""

INSTRUCTIONS = (
    "You are Sam, the support assistant for Acme Outdoor Gear. Help customers with orders, "
    "returns and products. Be concise."
)


class SupportAgent:
    """One customer conversation: the chat service and its reducing history, turn by turn."""

    def __init__(self, base_url: str, api_key: str) -> None:
        client = AsyncOpenAI(base_url=base_url, api_key=api_key)
        self.service = OpenAIChatCompletion(ai_model_id="gpt-4o-mini", async_client=client)
        self.settings = OpenAIChatPromptExecutionSettings()
        self.history = ChatHistoryTruncationReducer(
            target_count=TARGET_COUNT,
            threshold_count=THRESHOLD_COUNT,
            auto_reduce=True,
            system_message=INSTRUCTIONS,
        )
        self.history.add_assistant_message(GREETING)
        self.loop = asyncio.new_event_loop()
        self.turn = 0
        self.state_log = os.environ.get("SUPPORT_AGENT_STATE_LOG")

    def reply(self, message: str) -> str:
        return self.loop.run_until_complete(self._reply(message))

    async def _reply(self, message: str) -> str:
        self.turn += 1
        await self.history.add_message_async(
            ChatMessageContent(role=AuthorRole.USER, content=message)
        )
        if self.state_log:
            with open(self.state_log, "a", encoding="utf-8") as log:
                log.write(json.dumps(self._state()) + "\n")
        answer = await self.service.get_chat_message_content(self.history, self.settings)
        if answer is None:
            raise RuntimeError("the model returned no message")
        await self.history.add_message_async(answer)
        return str(answer.content)

    def _state(self) -> dict[str, Any]:
        """What this turn's model input holds, read after the user message joined the history
        (and the reducer ran) and before the service is called."""
        messages = self.history.messages
        return {
            "turn": self.turn,
            "target_count": self.history.target_count,
            "threshold_count": self.history.threshold_count,
            "auto_reduce": self.history.auto_reduce,
            "history_messages": len(messages),
            "roles": [str(m.role.value) for m in messages],
            "history_holds_system_prompt": any(
                m.role == AuthorRole.SYSTEM and m.content == INSTRUCTIONS for m in messages
            ),
            "history_holds_greeting": any(m.content == GREETING for m in messages),
        }


def make_agent(context: Any) -> SupportAgent:
    """replay's python adapter calls this once per run (context: replay.AgentContext)."""
    return SupportAgent(context.base_url, context.api_key)
