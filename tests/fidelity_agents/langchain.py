"""The LangChain agents of the fidelity tests.

- ``make_summarizing``: ``create_agent`` with its ``SummarizationMiddleware``
  (``FIDELITY_TRIGGER_TOKENS``, ``FIDELITY_KEEP_MESSAGES``), the greeting in the state.
- ``make_trimming``: a chat loop that sends ``trim_messages(history, strategy="last",
  start_on="human", max_tokens=FIDELITY_MAX_TOKENS)`` of its whole history (system prompt and
  greeting included, ``include_system`` left at its default) with LangChain's approximate
  token counter, the pattern of LangChain's "trim messages" guide.
"""

from __future__ import annotations

import os

import tiktoken
from langchain.agents import create_agent
from langchain.agents.middleware import SummarizationMiddleware
from langchain_classic.memory import ConversationSummaryBufferMemory
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.messages.utils import count_tokens_approximately, trim_messages

from replay.agents import AgentContext
from replay.agents.langchain import LangChainAgent, ReplayChatModel, checkpointer
from replay.proxy import SUMMARIZER_MODEL
from tests.fidelity import GREETING, SYSTEM_PROMPT


def make_summarizing(context: AgentContext) -> LangChainAgent:
    graph = create_agent(
        model=ReplayChatModel.for_replies(context),
        system_prompt=SYSTEM_PROMPT,
        middleware=[
            SummarizationMiddleware(
                model=ReplayChatModel.for_summaries(context),
                trigger=("tokens", int(os.environ["FIDELITY_TRIGGER_TOKENS"])),
                keep=("messages", int(os.environ["FIDELITY_KEEP_MESSAGES"])),
            )
        ],
        checkpointer=checkpointer(),
    )
    return LangChainAgent(graph, context, opening=[AIMessage(content=GREETING)])


class TrimmingChat:
    """Keeps the whole history and sends the model its trimmed tail each turn."""

    def __init__(self, context: AgentContext, max_tokens: int) -> None:
        self.model = ReplayChatModel.for_replies(context)
        self.max_tokens = max_tokens
        self.history: list[BaseMessage] = [
            SystemMessage(content=SYSTEM_PROMPT),
            AIMessage(content=GREETING),
        ]

    def reply(self, message: str) -> str:
        self.history.append(HumanMessage(content=message))
        sent = trim_messages(
            self.history,
            max_tokens=self.max_tokens,
            strategy="last",
            token_counter=count_tokens_approximately,
            start_on="human",
        )
        answer = self.model.invoke(sent)
        self.history.append(answer)
        return str(answer.text)


def make_trimming(context: AgentContext) -> TrimmingChat:
    return TrimmingChat(context, int(os.environ["FIDELITY_MAX_TOKENS"]))


class ChatOpenAICounting(ReplayChatModel):
    """A proxy chat model that counts tokens as ``ChatOpenAI.get_num_tokens_from_messages``
    does (tiktoken of the model, 3 a message plus its role and content, 3 to prime the reply):
    the legacy memories budget with their model's count, and replay's model has none."""

    def get_num_tokens_from_messages(
        self, messages: list[BaseMessage], tools: object = None
    ) -> int:
        encoding = tiktoken.get_encoding("o200k_base")
        roles = {"human": "user", "ai": "assistant", "system": "system"}
        return 3 + sum(
            3 + len(encoding.encode(roles[m.type])) + len(encoding.encode(m.text)) for m in messages
        )


class SummaryBufferChat:
    """The legacy ConversationSummaryBufferMemory pattern: the prompt, the memory's messages
    (its running summary first, as a system message), the new user message; then
    ``save_context``, which prunes the memory to ``max_token_limit``."""

    def __init__(self, context: AgentContext, limit: int) -> None:
        self.model = ReplayChatModel.for_replies(context)
        summarizer = ChatOpenAICounting(base_url=context.base_url, model_name=SUMMARIZER_MODEL)
        self.memory = ConversationSummaryBufferMemory(
            llm=summarizer, max_token_limit=limit, return_messages=True
        )
        self.memory.chat_memory.add_ai_message(GREETING)

    def reply(self, message: str) -> str:
        history = self.memory.load_memory_variables({})["history"]
        sent = [SystemMessage(content=SYSTEM_PROMPT), *history, HumanMessage(content=message)]
        answer = str(self.model.invoke(sent).text)
        self.memory.save_context({"input": message}, {"output": answer})
        return answer


def make_summary_buffer(context: AgentContext) -> SummaryBufferChat:
    return SummaryBufferChat(context, int(os.environ["FIDELITY_MAX_TOKENS"]))
