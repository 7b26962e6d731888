"""The Pydantic AI agents of the fidelity tests: an Agent with a history-processing capability.

Pydantic AI (pydantic-ai-slim 2.68) ships no history compaction of its own that runs offline:
``OpenAICompaction`` and ``AnthropicCompaction`` ask the provider's server to compact, and the
summarizing and sliding-window strategies live in the separate ``pydantic-ai-harness``
package. What it documents ("Manage Context Size") is a ``ProcessHistory(processor)``
capability; these agents use the two processors it describes, configured by environment
variables (set with ``monkeypatch.setenv`` by the tests, inherited by the agent's process):

- :func:`make_keep_recent`: ``keep_recent``, the last ``FIDELITY_KEEP`` messages once there are
  more. ``FIDELITY_SYSTEM_PROMPT=1`` gives the prompt as ``system_prompt=`` (a
  ``SystemPromptPart`` inside the history) instead of ``instructions=`` (sent apart from it).
- :func:`make_summarizing`: once the history passes ``FIDELITY_TRIGGER`` messages, everything
  but the last ``FIDELITY_KEEP`` is summarized by a second agent on the model
  ``replay-summarizer`` and replaced by one ``ModelRequest([CompactionPart(summary)])``, the
  place Pydantic AI documents for a summary the application wrote.

The greeting is the history's first message, a ``ModelResponse``, as the app showed it.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from pydantic_ai import Agent, ModelMessage
from pydantic_ai.capabilities import ProcessHistory
from pydantic_ai.messages import CompactionPart, ModelRequest, ModelResponse, TextPart
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai import OpenAIProvider

from tests.fidelity import GREETING, SYSTEM_PROMPT

SUMMARY_INSTRUCTIONS = (
    "Summarize this conversation, omitting small talk and unrelated topics. "
    "Focus on the customer's requests and next steps."
)


def _model(context: Any, name: str) -> OpenAIChatModel:
    return OpenAIChatModel(
        name, provider=OpenAIProvider(base_url=context.base_url, api_key=context.api_key)
    )


class Conversation:
    """One conversation: an agent with one history processor, and its message history."""

    def __init__(self, context: Any, processor: ProcessHistory[None], *, greeting: bool) -> None:
        model = _model(context, "gpt-4o-mini")
        self.agent: Agent[None, str]
        if os.environ.get("FIDELITY_SYSTEM_PROMPT") == "1":
            self.agent = Agent(
                model, name="Sam", system_prompt=SYSTEM_PROMPT, capabilities=[processor]
            )
        else:
            self.agent = Agent(
                model, name="Sam", instructions=SYSTEM_PROMPT, capabilities=[processor]
            )
        self.history: list[ModelMessage] = (
            [ModelResponse(parts=[TextPart(GREETING)])] if greeting else []
        )
        self.loop = asyncio.new_event_loop()

    def reply(self, message: str) -> str:
        result = self.loop.run_until_complete(self.agent.run(message, message_history=self.history))
        self.history = result.all_messages()
        return str(result.output)


def make_keep_recent(context: Any) -> Conversation:
    keep = int(os.environ["FIDELITY_KEEP"])

    async def keep_recent(messages: list[ModelMessage]) -> list[ModelMessage]:
        return messages[-keep:] if len(messages) > keep else messages

    greeting = os.environ.get("FIDELITY_GREETING", "1") == "1"
    return Conversation(context, ProcessHistory(keep_recent), greeting=greeting)


def make_summarizing(context: Any) -> Conversation:
    trigger, keep = int(os.environ["FIDELITY_TRIGGER"]), int(os.environ["FIDELITY_KEEP"])
    summarizer = Agent(
        _model(context, "replay-summarizer"), name="summarizer", instructions=SUMMARY_INSTRUCTIONS
    )

    async def summarize_old_messages(messages: list[ModelMessage]) -> list[ModelMessage]:
        if len(messages) <= trigger:
            return messages
        old, recent = messages[:-keep], messages[-keep:]
        summary = await summarizer.run(message_history=old)
        return [ModelRequest(parts=[CompactionPart(content=summary.output)]), *recent]

    return Conversation(context, ProcessHistory(summarize_old_messages), greeting=True)
