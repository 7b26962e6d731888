"""A LlamaIndex support agent whose chat memory buffer trims the greeting away, for replay.

The agent is LlamaIndex's ``SimpleChatEngine`` with a ``ChatMemoryBuffer(token_limit=...)``,
the framework's token-bounded chat memory. The app's AI disclosure is its opening greeting,
stored as the first message of that memory; the system prompt says nothing about it (many chat
widgets work this way). On every turn the engine sends the system prompt plus the newest
messages that fit in ``TOKEN_LIMIT`` tokens together with it (counted by LlamaIndex's
tokenizer, tiktoken cl100k_base, on the messages' content). Once the conversation outgrows
the limit, the greeting is trimmed from the model's input, and nothing the model receives says
it is an AI.

The model is a minimal LlamaIndex ``CustomLLM`` posting OpenAI Chat Completions with httpx to
``OPENAI_BASE_URL`` (under ``replay run``: the recording proxy). It stands in for
``llama-index-llms-openai``, which requires ``openai<3``; with that package installed,
``OpenAI(model="gpt-4o-mini", api_base=context.base_url, api_key=context.api_key)`` would
replace it (not installed here, so not tested).

Set ``SUPPORT_AGENT_STATE_LOG`` to a file to have the agent append, per turn, what the engine
hands the model (read in the LLM, before the request is sent) and what the memory stores
(one JSON object per line): the test compares the turn replay finds with that state.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
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

GREETING = "Hi! I'm Acme's AI assistant, not a human agent. How can I help you today?"
"""The app's disclosure: shown to the user as the chat's first message, kept in the memory."""

TOKEN_LIMIT = 300
"""The memory's token_limit: system prompt plus the history the engine sends, at most."""

SYSTEM_PROMPT = (
    "You are Sam, the support assistant for Acme Outdoor Gear. Help customers with orders, "
    "returns and products. Be concise."
)


class ChatCompletionsLLM(CustomLLM):
    """OpenAI Chat Completions over httpx: each ``chat()`` is one request with the messages as
    LlamaIndex passes them. ``on_request`` sees them first (the agent's state log)."""

    base_url: str
    api_key: str
    model: str = "gpt-4o-mini"
    on_request: Callable[[Sequence[ChatMessage]], None] | None = None

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=128_000, is_chat_model=True, model_name=self.model)

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        if self.on_request is not None:
            self.on_request(messages)
        body = {
            "model": self.model,
            "messages": [{"role": m.role.value, "content": m.content or ""} for m in messages],
        }
        response = httpx.post(
            f"{self.base_url.rstrip('/')}/chat/completions",
            json=body,
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=30,
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


class SupportAgent:
    """One customer conversation: a SimpleChatEngine over a ChatMemoryBuffer, or with
    ``summarize`` over a ChatSummaryMemoryBuffer whose summaries the model
    ``replay-summarizer`` writes (the proxy answers it offline)."""

    def __init__(self, base_url: str, api_key: str, *, summarize: bool = False) -> None:
        self.turn = 0
        self.state_log = os.environ.get("SUPPORT_AGENT_STATE_LOG")
        history = [ChatMessage(role=MessageRole.ASSISTANT, content=GREETING)]
        self.memory: ChatMemoryBuffer | ChatSummaryMemoryBuffer
        if summarize:
            summarizer = ChatCompletionsLLM(
                base_url=base_url, api_key=api_key, model="replay-summarizer"
            )
            self.memory = ChatSummaryMemoryBuffer.from_defaults(
                chat_history=history, llm=summarizer, token_limit=TOKEN_LIMIT
            )
        else:
            self.memory = ChatMemoryBuffer.from_defaults(
                chat_history=history, token_limit=TOKEN_LIMIT
            )
        llm = ChatCompletionsLLM(
            base_url=base_url,
            api_key=api_key,
            on_request=self._log_state if self.state_log else None,
        )
        self.engine = SimpleChatEngine.from_defaults(
            llm=llm, memory=self.memory, system_prompt=SYSTEM_PROMPT
        )

    def reply(self, message: str) -> str:
        self.turn += 1
        return str(self.engine.chat(message).response)

    def _log_state(self, sent: Sequence[ChatMessage]) -> None:
        """What this turn's model call receives (the engine's system prompt plus the window
        ``ChatMemoryBuffer.get()`` returned) and what the memory stores, with its token count
        as the buffer measures it (the stored messages' content joined, plus the system prompt:
        SimpleChatEngine passes it as ``initial_token_count``)."""
        stored = self.memory.get_all()
        tokens = self.memory.tokenizer_fn
        state = {
            "turn": self.turn,
            "token_limit": self.memory.token_limit,
            "stored_messages": len(stored),
            "stored_tokens": len(tokens(" ".join(str(m.content) for m in stored)))
            + len(tokens(SYSTEM_PROMPT)),
            "sent_messages": len(sent),
            "sent_holds_greeting": any(m.content == GREETING for m in sent),
            "memory_holds_greeting": any(m.content == GREETING for m in stored),
            "sent_summaries": sum(m.role == MessageRole.SYSTEM for m in sent[1:]),
        }
        assert self.state_log is not None
        with open(self.state_log, "a", encoding="utf-8") as log:
            log.write(json.dumps(state) + "\n")


def make_agent(context: Any) -> SupportAgent:
    """replay's python adapter calls this once per run (context: replay.AgentContext)."""
    return SupportAgent(os.environ.get("OPENAI_BASE_URL", context.base_url), context.api_key)


def make_summary_agent(context: Any) -> SupportAgent:
    """The same agent on a ChatSummaryMemoryBuffer (scenario_summary.yaml)."""
    base_url = os.environ.get("OPENAI_BASE_URL", context.base_url)
    return SupportAgent(base_url, context.api_key, summarize=True)
