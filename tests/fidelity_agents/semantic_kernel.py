"""The Semantic Kernel agents of the fidelity tests: history reducers as the thread's history.

Configured by environment variables (the agent runs in a process of its own):
``FIDELITY_TARGET`` and ``FIDELITY_THRESHOLD`` (the reducer's ``target_count`` and
``threshold_count``), and ``FIDELITY_SYSTEM_IN_HISTORY=1`` to put the system prompt into the
reducer's history (``ChatHistory.add_system_message``, the service-level samples) instead of
the agent's ``instructions`` (sent by ``ChatCompletionAgent`` outside the thread's history).

Each turn first calls ``reduce()`` and then adds the user message, as Semantic Kernel's samples
do ("Attempt to reduce before adding the user message to the chat history"; for agents,
``await thread.reduce()`` between turns). The summarizer's service asks for the model
``replay-summarizer``, which the proxy answers offline.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from openai import AsyncOpenAI
from semantic_kernel.agents import ChatCompletionAgent, ChatHistoryAgentThread
from semantic_kernel.connectors.ai.open_ai import OpenAIChatCompletion
from semantic_kernel.contents import (
    ChatHistoryReducer,
    ChatHistorySummarizationReducer,
    ChatHistoryTruncationReducer,
)

from tests.fidelity import GREETING, SYSTEM_PROMPT


def _counts() -> tuple[int, int]:
    return int(os.environ["FIDELITY_TARGET"]), int(os.environ["FIDELITY_THRESHOLD"])


def _system_in_history() -> bool:
    return os.environ.get("FIDELITY_SYSTEM_IN_HISTORY") == "1"


class ReducedThread:
    """One conversation: a ChatCompletionAgent whose thread's history is a reducer."""

    def __init__(self, context: Any, reducer: ChatHistoryReducer, service: Any) -> None:
        in_history = _system_in_history()
        if in_history:
            reducer.add_system_message(SYSTEM_PROMPT)
        reducer.add_assistant_message(GREETING)
        self.agent = ChatCompletionAgent(
            service=service, name="Sam", instructions=None if in_history else SYSTEM_PROMPT
        )
        self.thread = ChatHistoryAgentThread(chat_history=reducer)
        self.loop = asyncio.new_event_loop()

    def reply(self, message: str) -> str:
        return self.loop.run_until_complete(self._reply(message))

    async def _reply(self, message: str) -> str:
        await self.thread.reduce()
        response = await self.agent.get_response(messages=message, thread=self.thread)
        return str(response.message.content)


def _client(context: Any) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=context.base_url, api_key=context.api_key)


def make_truncation(context: Any) -> ReducedThread:
    target, threshold = _counts()
    service = OpenAIChatCompletion(ai_model_id="gpt-4o-mini", async_client=_client(context))
    reducer = ChatHistoryTruncationReducer(target_count=target, threshold_count=threshold)
    return ReducedThread(context, reducer, service)


def make_summarization(context: Any) -> ReducedThread:
    target, threshold = _counts()
    client = _client(context)
    service = OpenAIChatCompletion(ai_model_id="gpt-4o-mini", async_client=client)
    summarizer = OpenAIChatCompletion(ai_model_id="replay-summarizer", async_client=client)
    reducer = ChatHistorySummarizationReducer(
        service=summarizer, target_count=target, threshold_count=threshold
    )
    return ReducedThread(context, reducer, service)
