"""A Pydantic AI support agent whose history processor trims the conversation, for replay.

The app's AI disclosure is its opening greeting, kept as the first message of the agent's
message history (a ``ModelResponse``, as if the model had said it); the instructions say
nothing about it (many chat widgets work this way). The agent bounds its context the way
Pydantic AI documents it ("Manage Context Size"): a ``ProcessHistory`` capability with a
history processor. Pydantic AI 2.x makes a processor's result the history itself
(``ProcessHistory.before_model_request`` assigns it to ``ctx.messages``), so what a processor
cuts is gone for good. The instructions are not part of the message history: Pydantic AI sends
them with every request, so they survive. Two processors, one factory each:

- ``make_agent``: ``keep_recent``, the last ``KEEP_MESSAGES`` messages once there are more.
  Once the conversation passes that many messages the greeting is gone.
- ``make_summarizing_agent``: ``summarize_old_messages``; once the history passes
  ``SUMMARY_TRIGGER`` messages, all but the last ``SUMMARY_KEEP`` are summarized by a second
  agent on the model ``replay-summarizer`` (replay's proxy answers it offline) and replaced by
  one ``ModelRequest([CompactionPart(summary)])``, where Pydantic AI documents a summary the
  application wrote. The summary keeps the customer's requests, not the greeting.

The model is ``OpenAIChatModel`` (``POST /v1/chat/completions``) with an ``OpenAIProvider``
whose base URL is ``context.base_url``: under ``replay run`` that is the recording proxy
(``OPENAI_BASE_URL`` holds the same URL).

Set ``SUPPORT_AGENT_STATE_LOG`` to a file to have the agent append, per turn, what the
framework is about to send the model (one JSON object per line), read by a hook that runs
after the history processor and before the model call: the test compares the turn replay
finds with the turn the agent's own state says.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic_ai import Agent, ModelMessage, ModelRequestContext, RunContext
from pydantic_ai.capabilities import Hooks, ProcessHistory
from pydantic_ai.messages import CompactionPart, ModelRequest, ModelResponse, TextPart
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai import OpenAIProvider

GREETING = "Hi! I'm Acme's AI assistant, not a human agent. How can I help you today?"
"""The app's disclosure: shown to the user as the chat's first message, kept in the history."""

KEEP_MESSAGES = 10
"""keep_recent's window: how many of the latest messages the model receives."""

SUMMARY_TRIGGER = 10
"""summarize_old_messages summarizes once the history (with the new request) is longer."""
SUMMARY_KEEP = 4
"""How many of the latest messages it keeps verbatim (even: the kept part starts on a model
response, so Pydantic AI does not merge the summary's request into the next user request)."""

INSTRUCTIONS = (
    "You are Sam, the support assistant for Acme Outdoor Gear. Help customers with orders, "
    "returns and products. Be concise."
)
SUMMARY_INSTRUCTIONS = (
    "Summarize this conversation, omitting small talk and unrelated topics. "
    "Focus on the customer's requests and next steps."
)

Processor = Callable[[list[ModelMessage]], Awaitable[list[ModelMessage]]]


def _model(context: Any, name: str) -> OpenAIChatModel:
    return OpenAIChatModel(
        name, provider=OpenAIProvider(base_url=context.base_url, api_key=context.api_key)
    )


async def keep_recent(messages: list[ModelMessage]) -> list[ModelMessage]:
    """Pydantic AI's documented history processor: the last ten messages, once there are more."""
    return messages[-KEEP_MESSAGES:] if len(messages) > KEEP_MESSAGES else messages


def summarizing(context: Any) -> Processor:
    """The summarizing processor, its summarizer an agent of its own on ``replay-summarizer``."""
    summarizer = Agent(
        _model(context, "replay-summarizer"), name="summarizer", instructions=SUMMARY_INSTRUCTIONS
    )

    async def summarize_old_messages(messages: list[ModelMessage]) -> list[ModelMessage]:
        if len(messages) <= SUMMARY_TRIGGER:
            return messages
        old, recent = messages[:-SUMMARY_KEEP], messages[-SUMMARY_KEEP:]
        summary = await summarizer.run(message_history=old)
        return [ModelRequest(parts=[CompactionPart(content=summary.output)]), *recent]

    return summarize_old_messages


def _holds_greeting(messages: list[ModelMessage]) -> bool:
    return any(
        isinstance(m, ModelResponse)
        and any(isinstance(p, TextPart) and p.content == GREETING for p in m.parts)
        for m in messages
    )


def _summaries(messages: list[ModelMessage]) -> list[str]:
    return [
        p.content or ""
        for m in messages
        if isinstance(m, ModelRequest)
        for p in m.parts
        if isinstance(p, CompactionPart)
    ]


class SupportAgent:
    """One customer conversation: the agent and its message history, driven turn by turn."""

    def __init__(self, context: Any, processor: Processor, settings: dict[str, int]) -> None:
        self.agent = Agent(
            _model(context, "gpt-4o-mini"),
            name="Sam",
            instructions=INSTRUCTIONS,
            capabilities=[ProcessHistory(processor), Hooks(before_model_request=self._record)],
        )
        self.settings = settings
        self.history: list[ModelMessage] = [ModelResponse(parts=[TextPart(GREETING)])]
        self.loop = asyncio.new_event_loop()
        self.turn = 0
        self.state_log = os.environ.get("SUPPORT_AGENT_STATE_LOG")
        self.state: dict[str, Any] = {}

    def reply(self, message: str) -> str:
        self.turn += 1
        # The history as stored, plus this turn's request: what the processor is given.
        self.state = {"turn": self.turn, **self.settings, "stored_messages": len(self.history) + 1}
        result = self.loop.run_until_complete(self.agent.run(message, message_history=self.history))
        self.history = result.all_messages()
        if self.state_log:
            with open(self.state_log, "a", encoding="utf-8") as log:
                log.write(json.dumps(self.state) + "\n")
        return str(result.output)

    async def _record(
        self, ctx: RunContext[None], request_context: ModelRequestContext
    ) -> ModelRequestContext:
        """Runs after the processor, just before the model call: what the model will get."""
        if "sent_messages" not in self.state:  # the turn's first model call
            sent = list(request_context.messages)
            self.state.update(
                sent_messages=len(sent),
                sent_holds_greeting=_holds_greeting(sent),
                history_holds_greeting=_holds_greeting(ctx.messages),
                summaries=_summaries(sent),
            )
        return request_context


def make_agent(context: Any) -> SupportAgent:
    """replay's python adapter calls this once per run (context: replay.AgentContext)."""
    return SupportAgent(context, keep_recent, {"keep_messages": KEEP_MESSAGES})


def make_summarizing_agent(context: Any) -> SupportAgent:
    """The same agent with the summarizing processor (``scenario_summary.yaml``)."""
    settings = {"summary_trigger": SUMMARY_TRIGGER, "summary_keep": SUMMARY_KEEP}
    return SupportAgent(context, summarizing(context), settings)
