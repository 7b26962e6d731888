"""A LangChain 1.x support agent with SummarizationMiddleware, for replay's python adapter.

The app shows an AI disclosure as the opening greeting and keeps it in the conversation state;
the system prompt says nothing about it. LangChain's own SummarizationMiddleware later
summarizes the greeting away with the rest of the early conversation.
"""

from __future__ import annotations

from langchain.agents import create_agent
from langchain.agents.middleware import SummarizationMiddleware
from langchain_core.messages import AIMessage

from replay.agents import AgentContext
from replay.agents.langchain import LangChainAgent, ReplayChatModel, checkpointer

GREETING = "Hi! I'm Acme's AI assistant, not a human agent. How can I help you today?"


def make_agent(context: AgentContext) -> LangChainAgent:
    graph = create_agent(
        model=ReplayChatModel.for_replies(context),
        system_prompt="You are Sam, the support assistant for Acme Outdoor Gear. Be concise.",
        middleware=[
            SummarizationMiddleware(
                model=ReplayChatModel.for_summaries(context),
                trigger=("tokens", 350),
                keep=("messages", 6),
            )
        ],
        checkpointer=checkpointer(),
    )
    return LangChainAgent(graph, context, opening=[AIMessage(content=GREETING)])
