"""LangChain integration (``pip install 'replay[langchain]'``): test a LangChain 1.x agent.

A LangChain agent runs under replay's ``python`` adapter like any Python agent; what this
module adds is a chat model that sends every call to replay's recording proxy, so the trace
holds the exact messages each model call received *after* the framework's own middleware
(``SummarizationMiddleware`` included) rewrote the state:

    from langchain.agents import create_agent
    from langchain.agents.middleware import SummarizationMiddleware
    from replay.agents.langchain import LangChainAgent, ReplayChatModel

    def make_agent(context):
        graph = create_agent(
            model=ReplayChatModel.for_replies(context),
            system_prompt="You are Sam, Acme's support assistant.",
            middleware=[SummarizationMiddleware(
                model=ReplayChatModel.for_summaries(context),
                trigger=("tokens", 600), keep=("messages", 6),
            )],
        )
        return LangChainAgent(graph, context)

``for_replies`` is answered by the scenario's model (the simulator, a scripted model, or a live
model through its cassette); ``for_summaries`` by replay's offline extractive summarizer,
which, like the task-focused summaries real models write, drops statements about the assistant
itself. Point ``ReplayChatModel`` at any base URL to record a real model the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from replay.agents._adapters import AgentContext
from replay.proxy._backends import SUMMARIZER_MODEL

try:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
    from langchain_core.outputs import ChatGeneration, ChatResult
    from langgraph.checkpoint.memory import InMemorySaver
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "replay's LangChain integration needs LangChain 1.x: pip install 'replay[langchain]'"
    ) from exc

_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


def openai_wire(message: BaseMessage) -> dict[str, str]:
    """A LangChain message in the Chat Completions wire format (text content only)."""
    return {"role": _ROLES.get(message.type, "user"), "content": message.text}


class ReplayChatModel(BaseChatModel):
    """A LangChain chat model that calls an OpenAI-compatible endpoint (replay's proxy)."""

    base_url: str
    model_name: str = "replay-proxy"
    timeout: float = 60.0

    @classmethod
    def for_replies(cls, context: AgentContext) -> ReplayChatModel:
        """Replies, answered by the scenario's model through the proxy."""
        return cls(base_url=context.base_url, model_name=context.model)

    @classmethod
    def for_summaries(cls, context: AgentContext) -> ReplayChatModel:
        """Summaries, answered by replay's extractive summarizer through the proxy."""
        return cls(base_url=context.base_url, model_name=SUMMARIZER_MODEL)

    @property
    def _llm_type(self) -> str:
        return "replay-proxy"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        body = {"model": self.model_name, "messages": [openai_wire(m) for m in messages]}
        response = httpx.post(
            f"{self.base_url.rstrip('/')}/chat/completions", json=body, timeout=self.timeout
        )
        if response.status_code != 200:
            raise RuntimeError(f"model call failed: HTTP {response.status_code}: {response.text}")
        text = response.json()["choices"][0]["message"]["content"]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


class LangChainAgent:
    """Adapts a compiled LangChain agent graph to replay's python adapter: ``reply(message)``.

    The conversation lives in the graph's checkpointer under the replay session id, so the
    framework owns the history (and compacts it) exactly as it would in production.
    ``opening`` messages (e.g. a greeting the app shows before the user types) are put into the
    state with the first user message.
    """

    def __init__(
        self,
        graph: Any,
        context: AgentContext,
        *,
        opening: Sequence[BaseMessage] = (),
    ) -> None:
        self.graph = graph
        self.config = {"configurable": {"thread_id": context.session_id}}
        self._opening = list(opening)

    def reply(self, message: str) -> str:
        new: list[BaseMessage] = [*self._opening, HumanMessage(content=message)]
        self._opening = []
        result = self.graph.invoke({"messages": new}, config=self.config)
        last = result["messages"][-1]
        return str(last.text)


def checkpointer() -> InMemorySaver:
    """An in-memory checkpointer, so a graph keeps one conversation per replay session."""
    return InMemorySaver()
