"""The LlamaIndex agents of the fidelity tests: a SimpleChatEngine over one of its memory buffers.

``make_summary_buffer``: ``ChatSummaryMemoryBuffer`` (its default limit), its summaries
requested from the model ``replay-summarizer`` (answered offline by the proxy).
``make_memory_buffer``: ``ChatMemoryBuffer`` (``FIDELITY_TOKEN_LIMIT``), which only trims.

The model is a minimal LlamaIndex ``CustomLLM`` posting Chat Completions to the proxy with
httpx: ``llama-index-llms-openai`` requires ``openai<3`` and would downgrade the project's
``openai`` (see docs/compaction.md).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import httpx
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.chat_engine import SimpleChatEngine
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.memory import ChatMemoryBuffer, ChatSummaryMemoryBuffer

from tests.fidelity import GREETING, SYSTEM_PROMPT


class ProxyLLM(CustomLLM):
    """Chat Completions over httpx: the messages as LlamaIndex gives them, one request each."""

    base_url: str
    api_key: str
    model: str = "gpt-4o-mini"

    context_window: int = 128_000

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window, is_chat_model=True, model_name=self.model
        )

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        body = {
            "model": self.model,
            "messages": [{"role": m.role.value, "content": m.content or ""} for m in messages],
        }
        headers = {"Authorization": f"Bearer {self.api_key}"}
        response = httpx.post(
            f"{self.base_url}/chat/completions", json=body, headers=headers, timeout=30
        )
        response.raise_for_status()
        text = response.json()["choices"][0]["message"]["content"]
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        reply = self.chat([ChatMessage(role=MessageRole.USER, content=prompt)])
        return CompletionResponse(text=reply.message.content or "")

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        yield self.complete(prompt)


class Engine:
    def __init__(self, context: Any, memory: Any) -> None:
        llm = ProxyLLM(base_url=context.base_url, api_key=context.api_key)
        self.engine = SimpleChatEngine.from_defaults(
            llm=llm, memory=memory, system_prompt=SYSTEM_PROMPT
        )

    def reply(self, message: str) -> str:
        return str(self.engine.chat(message).response)


def _greeting() -> list[ChatMessage]:
    return [ChatMessage(role=MessageRole.ASSISTANT, content=GREETING)]


def make_summary_buffer(context: Any) -> Engine:
    """No token_limit: ``from_defaults`` takes 0.75 of the summarizer's context window
    (``FIDELITY_CONTEXT_WINDOW``)."""
    summarizer = ProxyLLM(
        base_url=context.base_url,
        api_key=context.api_key,
        model="replay-summarizer",
        context_window=int(os.environ["FIDELITY_CONTEXT_WINDOW"]),
    )
    memory = ChatSummaryMemoryBuffer.from_defaults(chat_history=_greeting(), llm=summarizer)
    return Engine(context, memory)


def make_memory_buffer(context: Any) -> Engine:
    memory = ChatMemoryBuffer.from_defaults(
        chat_history=_greeting(), token_limit=int(os.environ["FIDELITY_TOKEN_LIMIT"])
    )
    return Engine(context, memory)
