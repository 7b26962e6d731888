"""The AutoGen agents of the fidelity tests: an AssistantAgent on OpenAIChatCompletionClient with
each of AutoGen's bounded model contexts (autogen-core 0.7.5, ``autogen_core.model_context``).

Configured by environment variables the test sets (the agent runs in a process of its own):
``FIDELITY_BUFFER`` (buffer_size), ``FIDELITY_HEAD`` / ``FIDELITY_TAIL`` (head_size,
tail_size), ``FIDELITY_TOKEN_LIMIT`` (token_limit). The opening greeting is the model
context's initial message, as an app that shows it to the user keeps it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.messages import TextMessage
from autogen_core.model_context import (
    BufferedChatCompletionContext,
    ChatCompletionContext,
    HeadAndTailChatCompletionContext,
    TokenLimitedChatCompletionContext,
)
from autogen_core.models import AssistantMessage, LLMMessage
from autogen_ext.models.openai import OpenAIChatCompletionClient

from tests.fidelity import GREETING, SYSTEM_PROMPT

MODEL = "gpt-4o-mini"


class Agent:
    """One conversation with an AssistantAgent whose model context is built by ``context``."""

    def __init__(
        self,
        context: Any,
        model_context: Callable[
            [OpenAIChatCompletionClient, list[LLMMessage]], ChatCompletionContext
        ],
    ) -> None:
        self.client = OpenAIChatCompletionClient(
            model=MODEL, base_url=context.base_url, api_key=context.api_key
        )
        greeting: list[LLMMessage] = [AssistantMessage(content=GREETING, source="Sam")]
        self.agent = AssistantAgent(
            "Sam",
            model_client=self.client,
            system_message=SYSTEM_PROMPT,
            model_context=model_context(self.client, greeting),
        )
        self.loop = asyncio.new_event_loop()

    def reply(self, message: str) -> str:
        result = self.loop.run_until_complete(self.agent.run(task=message))
        last = result.messages[-1]
        assert isinstance(last, TextMessage), last
        return last.content


def _env(name: str) -> int:
    return int(os.environ[name])


def make_buffered(context: Any) -> Agent:
    return Agent(
        context,
        lambda _, initial: BufferedChatCompletionContext(
            buffer_size=_env("FIDELITY_BUFFER"), initial_messages=initial
        ),
    )


def make_head_tail(context: Any) -> Agent:
    return Agent(
        context,
        lambda _, initial: HeadAndTailChatCompletionContext(
            head_size=_env("FIDELITY_HEAD"),
            tail_size=_env("FIDELITY_TAIL"),
            initial_messages=initial,
        ),
    )


def make_token_limited(context: Any) -> Agent:
    return Agent(
        context,
        lambda client, initial: TokenLimitedChatCompletionContext(
            client, token_limit=_env("FIDELITY_TOKEN_LIMIT"), initial_messages=initial
        ),
    )
