"""replay.agents."""

from __future__ import annotations

from replay.agents._adapters import AdapterAgent, AgentContext, AgentError, describe

__all__ = [
    "AdapterAgent",
    "AgentContext",
    "AgentError",
    "describe",
]
