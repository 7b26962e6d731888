"""The agent under test when it is the user's own: adapters (python:, http:, command:) and
LangChain.

``replay.agents.langchain`` is an optional extra and is not imported here.
"""

from __future__ import annotations

from replay.agents._adapters import AdapterAgent, AgentContext, AgentError, describe

__all__ = [
    "AdapterAgent",
    "AgentContext",
    "AgentError",
    "describe",
]
