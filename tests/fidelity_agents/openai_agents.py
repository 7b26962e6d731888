"""The OpenAI Agents SDK agent of the fidelity tests: an ``Agent`` on a limited ``SQLiteSession``.

``FIDELITY_LIMIT`` is the session's ``SessionSettings(limit=...)``. The greeting is the
session's first item, as an app that shows it in the chat window stores it.
"""

from __future__ import annotations

import asyncio
import os

from agents import (
    Agent,
    Runner,
    SessionSettings,
    SQLiteSession,
    set_default_openai_key,
    set_tracing_disabled,
)

from replay.agents import AgentContext
from tests.fidelity import GREETING, SYSTEM_PROMPT

# Tracing would export every run to the vendor: a test run stays on this machine.
set_tracing_disabled(True)


class LimitedSessionAgent:
    """One conversation: the SDK's Runner on a session that sends the latest N items."""

    def __init__(self, context: AgentContext, limit: int) -> None:
        set_default_openai_key(context.api_key, use_for_tracing=False)
        self.agent = Agent(name="Sam", instructions=SYSTEM_PROMPT, model="gpt-4o-mini")
        settings = SessionSettings(limit=limit)
        self.session = SQLiteSession(context.session_id, session_settings=settings)
        self.loop = asyncio.new_event_loop()
        greeting = {"role": "assistant", "content": GREETING}
        self.loop.run_until_complete(self.session.add_items([greeting]))  # type: ignore[list-item]

    def reply(self, message: str) -> str:
        run = Runner.run(self.agent, message, session=self.session)
        return str(self.loop.run_until_complete(run).final_output)


def make_limited(context: AgentContext) -> LimitedSessionAgent:
    return LimitedSessionAgent(context, int(os.environ["FIDELITY_LIMIT"]))
