"""Specs of the reference loop: compaction policies and their framework presets, summarizers, the
tokenizer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

from replay.spec._models import LiveModelSpec
from replay.spec._vocab import Policy

DEFAULT_PROMPT = (
    "Summarize the conversation above for the assistant's continuity: keep the user's requests, "
    "facts, numbers, names and open tasks; leave out greetings and small talk."
)


@dataclass(frozen=True)
class SummarizerSpec:
    """Which summarizer writes summaries, as the scenario configures it."""

    type: str = "extractive"
    keep_disclosures: bool = False
    max_tokens: int = 256
    prompt: str | None = None
    text: str | None = None
    function: str | None = None
    model: LiveModelSpec | None = None
    """Model summarizer: the live model that writes summaries."""


# LangChain 1.x SummarizationMiddleware's DEFAULT_SUMMARY_PROMPT (langchain 1.4), minus its
# closing "<messages>{messages}</messages>" block: replay sends the messages to summarize as
# the conversation before this instruction, so the trace records them as they are.
LANGCHAIN_SUMMARY_PROMPT = """<role>
Context Extraction Assistant
</role>

<primary_objective>
Your sole objective in this task is to extract the highest quality/most relevant context from the conversation history below.
</primary_objective>

<objective_information>
You're nearing the total number of input tokens you can accept, so you must extract the highest quality/most relevant pieces of information from your conversation history.
This context will then overwrite the conversation history presented below. Because of this, ensure the context you extract is only the most important information to continue working toward your overall goal.
</objective_information>

<instructions>
The conversation history below will be replaced with the context you extract in this step.
You want to ensure that you don't repeat any actions you've already completed, so the context you extract from the conversation history should be focused on the most important information to your overall goal.

You should structure your summary using the following sections. Each section acts as a checklist - you must populate it with relevant information or explicitly state "None" if there is nothing to report for that section:

## SESSION INTENT

What is the user's primary goal or request? What overall task are you trying to accomplish? This should be concise but complete enough to understand the purpose of the entire session.

## SUMMARY

Extract and record all of the most important context from the conversation history. Include important choices, conclusions, or strategies determined during this conversation. Include the reasoning behind key decisions. Document any rejected options and why they were not pursued.

## ARTIFACTS

What artifacts, files, or resources were created, modified, or accessed during this conversation? For file modifications, list specific file paths and briefly describe the changes made to each. This section prevents silent loss of artifact information.

## NEXT STEPS

What specific tasks remain to be completed to achieve the session intent? What should you do next?

</instructions>

The user will message you with the full message history from which you'll extract context to create a replacement. Carefully read through it all and think deeply about what information is most important to your overall goal and should be saved:

With all of this in mind, please carefully read over the entire conversation history, and extract the most important and relevant context to replace it so that you can free up space in the conversation history.
Respond ONLY with the extracted context. Do not include any additional information, or text before or after the extracted context."""  # noqa: E501
PROMPT_PRESETS = {"langchain": LANGCHAIN_SUMMARY_PROMPT}

POLICIES: tuple[Policy, ...] = get_args(Policy)


@dataclass(frozen=True)
class CompactionSpec:
    """A compaction policy with its parameters, as the scenario (or a preset) configures it."""

    policy: Policy = "none"
    preset: str | None = None
    trigger_kind: str | None = None
    """"tokens", "messages" or "fraction" (of agent.context_window); None: never fires."""
    trigger_value: float = 0
    trigger_inclusive: bool = False
    """Fire when the measure reaches the threshold (>=), not only when it exceeds it (>)."""
    keep_kind: str | None = None
    """What survives verbatim: the last N "messages", the newest "tokens", or a "fraction"."""
    keep_value: float = 0
    head: int = 0
    pin_system: bool = True
    start_on_user: bool = False
    """Move the cut so the kept tail starts at a user message (LangChain trim, SK, LlamaIndex)."""
    summary_role: str = "user"
    summary_prefix: str = ""
    marker_text: str = "Skipped {skipped} messages."
    token_counting: str = "tiktoken"
    """"tiktoken" (the agent's encoding, chat framing included), "approximate" (LangChain's
    chars / 4 + 3) or "llamaindex" (tiktoken cl100k_base of the content alone, no framing, as
    LlamaIndex's memory buffers count with get_tokenizer()) or "autogen" (the agent's
    encoding with AutoGen's count_tokens_openai framing: a user message also counts its
    name, "user", and 1 token, and every count 3 for the reply priming)."""
    count_pinned: bool = True
    """Count a pinned system prompt towards token triggers (LangChain's middleware does not:
    a create_agent system prompt is not part of the state it measures)."""
    runs_every_call: bool = False
    """The policy runs before every model call, not only once the trigger fires, and the
    trigger is only its budget: ``trim_messages`` is applied to the whole history each call, so
    its ``start_on`` cut happens even within the budget."""
    window_excludes_turn: bool = False
    """A message-count trigger and window count only the history before the current turn; the
    turn's own messages (its user message) are always sent on top, as the OpenAI Agents SDK
    sends the session's latest N items plus the new input."""
    cut_back_to_user: bool = False
    """Move a message-count cut back (keeping more) to the nearest user message at most
    trigger - keep messages before it; none there: the cut stays (Semantic Kernel's
    locate_safe_reduction_index searches its threshold_count window this way)."""
    trigger_skips_summary: bool = False
    """A message-count trigger does not count the summaries at the start of the history
    (Semantic Kernel's summarization reducer counts its threshold from after them)."""
    summarize_leading_reply: bool = False
    """Also fire, whatever the measure, when the history starts with an assistant or tool
    message: LlamaIndex's ChatSummaryMemoryBuffer moves such a message into the summary on
    every read (an opening greeting is summarized at the first turn)."""
    keep_lone_summary: bool = False
    """When all that would be summarized is the previous summary, keep it as it is and do
    not compact: LlamaIndex's ChatSummaryMemoryBuffer summarizes only new information."""
    buffer_apart_from_summary: bool = False
    """Token trigger and keep budget the history without the summary, which the framework
    keeps apart (LangChain's ConversationSummaryBufferMemory prunes its buffer to
    max_token_limit and holds the running summary outside it)."""
    count_reply_priming: bool = False
    """Each token count adds the 3 tokens that prime the reply, as ChatOpenAI's
    get_num_tokens_from_messages does on whatever messages it counts."""
    view_of_history: bool = False
    """The framework keeps every message and cuts a fresh view of the whole history before
    each call (AutoGen's TokenLimitedChatCompletionContext.get_messages): the trigger measures
    the whole history, and a message cut once is sent again when a later view has room."""
    summarizer: SummarizerSpec = field(default_factory=SummarizerSpec)

    def describe(self) -> str:
        if self.policy == "none":
            return "no compaction"
        name = self.preset or self.policy
        op = ">=" if self.trigger_inclusive else ">"
        trigger = (
            "never"
            if self.trigger_kind is None
            else f"{self.trigger_kind} {op} {self.trigger_value:g}"
        )
        keep = f", keep {self.keep_kind} {self.keep_value:g}" if self.keep_kind else ""
        pin = "pinned" if self.pin_system else "not pinned"
        return f"{name} (trigger {trigger}{keep}, system prompt {pin})"


@dataclass(frozen=True)
class Preset:
    """A framework's compaction defaults; ``None`` values must come from the scenario."""

    name: str
    framework: str
    values: Mapping[str, Any]
    requires: tuple[str, ...] = ()
    note: str = ""
    verified: str = ""
    """The framework's releases that a fidelity test ran the preset against, as replay's
    extras pin them (e.g. ``openai-agents>=0.24,<0.25``): the same conversation through the
    framework and through the preset gave the same context at every turn. Empty: modelled
    from the framework's source or documentation only."""


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "langchain-summarization",
            "LangChain 1.x SummarizationMiddleware (create_agent(system_prompt=...) outside state)",
            {
                "policy": "summarize",
                "trigger_inclusive": True,
                "keep_kind": "messages",
                "keep_value": 20,
                "pin_system": True,
                "summary_role": "user",
                "summary_prefix": "Here is a summary of the conversation to date:\n\n",
                "token_counting": "approximate",
                "count_pinned": False,
            },
            requires=("trigger",),
            note="LangChain sets no trigger by default: give trigger: {tokens: N} or "
            "{messages: N} or {fraction: f}. Set pin_system: false to model a SystemMessage "
            "kept in state (langchain-ai/langchain#33856).",
            verified="langchain>=1.5,<1.6",
        ),
        Preset(
            "langchain-summary-buffer",
            "LangChain legacy ConversationSummaryBufferMemory (max_token_limit=2000)",
            {
                "policy": "running_summary",
                "trigger_kind": "tokens",
                "trigger_value": 2000,
                "keep_kind": "tokens",
                "keep_value": 2000,
                "pin_system": True,
                "summary_role": "system",
                "summary_prefix": "",
                "count_pinned": False,
                "window_excludes_turn": True,
                "buffer_apart_from_summary": True,
                "count_reply_priming": True,
            },
            note="max_token_limit is trigger and keep: {tokens: N}. The memory prunes after "
            "each turn, so the budget counts the history before the turn's user message, "
            "without the prompt and the running summary, the way the model counts "
            "(ChatOpenAI: 3 a message and 3 to prime the reply).",
            verified="langchain-classic>=1.0.8,<1.1",
        ),
        Preset(
            "langchain-trim",
            'langchain_core trim_messages(strategy="last", start_on="human")',
            {
                "policy": "truncate_oldest",
                "pin_system": False,
                "start_on_user": True,
                "runs_every_call": True,
            },
            requires=("trigger",),
            note="Give trigger: {tokens: max_tokens}. trim_messages runs on every call and "
            'start_on="human" cuts whatever precedes the first human message kept: with '
            "include_system=False (the default) the system prompt is never sent, and an AI "
            "greeting before the first human message neither, even within max_tokens. Set "
            "pin_system: true to model include_system=True.",
            verified="langchain>=1.5,<1.6",
        ),
        Preset(
            "openai-agents-limit",
            "OpenAI Agents SDK SessionSettings(limit=N)",
            {"policy": "sliding_window", "pin_system": True, "window_excludes_turn": True},
            requires=("keep",),
            note="Give keep: {messages: N} and trigger: {messages: N} for the session limit: "
            "the Runner sends the latest N stored items plus the new input. Instructions are "
            "sent separately, so the system prompt stays.",
            verified="openai-agents>=0.24,<0.25",
        ),
        Preset(
            "autogen-buffered",
            "AutoGen BufferedChatCompletionContext(buffer_size)",
            {"policy": "sliding_window", "pin_system": True},
            requires=("keep",),
            note="buffer_size has no default: give keep: {messages: N} and trigger: {messages: N}.",
            verified="autogen-agentchat>=0.7.5,<0.8",
        ),
        Preset(
            "autogen-head-tail",
            "AutoGen HeadAndTailChatCompletionContext(head_size, tail_size)",
            {
                "policy": "head_tail",
                "pin_system": True,
                "summary_role": "user",
                "marker_text": "Skipped {skipped} messages.",
            },
            requires=("head", "keep"),
            note="Give head: H, keep: {messages: T} and trigger: {messages: H + T}.",
            verified="autogen-agentchat>=0.7.5,<0.8",
        ),
        Preset(
            "autogen-token-limited",
            "AutoGen TokenLimitedChatCompletionContext(token_limit)",
            {
                "policy": "middle_out",
                "pin_system": True,
                "token_counting": "autogen",
                "count_pinned": False,
                "view_of_history": True,
            },
            requires=("trigger",),
            note="Give trigger: {tokens: token_limit} (its default is the model's window). "
            "The agent's system_message is not counted; each call cuts the whole history.",
            verified="autogen-agentchat>=0.7.5,<0.8",
        ),
        Preset(
            "semantic-kernel-summarization",
            "Semantic Kernel ChatHistorySummarizationReducer(target_count, threshold_count)",
            {
                "policy": "summarize",
                "pin_system": True,
                "window_excludes_turn": True,
                "cut_back_to_user": True,
                "trigger_skips_summary": True,
                "summary_role": "assistant",
                "summary_prefix": "",
            },
            requires=("trigger", "keep"),
            note="Give keep: {messages: target_count} and trigger: {messages: "
            "target_count + threshold_count}, for reduce() called before the turn's user "
            "message joins a history without the system prompt (ChatCompletionAgent "
            "instructions). A system prompt kept in the history counts as one message, and "
            "then the summary does too: not modelled. Python before "
            "microsoft/semantic-kernel#13610 (1.34.0: #12612) dropped that system prompt.",
            verified="semantic-kernel>=1.45,<1.46",
        ),
        Preset(
            "semantic-kernel-truncation",
            "Semantic Kernel ChatHistoryTruncationReducer(target_count, threshold_count)",
            {
                "policy": "sliding_window",
                "pin_system": True,
                "window_excludes_turn": True,
                "cut_back_to_user": True,
            },
            requires=("trigger", "keep"),
            note="Give keep: {messages: target_count} and trigger: {messages: "
            "target_count + threshold_count}, for reduce() called before the turn's user "
            "message joins a history without the system prompt (ChatCompletionAgent "
            "instructions); a system prompt in the history counts as one of them (keep "
            "target_count - 1, trigger target_count + threshold_count - 1). Python before "
            "microsoft/semantic-kernel#13610 (1.34.0: #12612) dropped it: pin_system: false.",
            verified="semantic-kernel>=1.45,<1.46",
        ),
        Preset(
            "llamaindex-summary-buffer",
            "LlamaIndex ChatSummaryMemoryBuffer (token_limit 0.75 x the LLM's window, "
            "tiktoken cl100k_base)",
            {
                "policy": "running_summary",
                "trigger_kind": "fraction",
                "trigger_value": 0.75,
                "keep_kind": "fraction",
                "keep_value": 0.75,
                "pin_system": True,
                "start_on_user": True,
                "summary_role": "system",
                "summary_prefix": "",
                "token_counting": "llamaindex",
                "count_pinned": False,
                "summarize_leading_reply": True,
                "keep_lone_summary": True,
            },
            note="Set agent.context_window to the summarizing LLM's window (the default "
            "token_limit is 0.75 of it), or give a token_limit as trigger and keep: {tokens: "
            "N}. The system prompt is not counted (count_initial_tokens=False); a leading "
            "assistant message (an opening greeting) is summarized at once.",
            verified="llama-index-core>=0.14.25,<0.15",
        ),
        Preset(
            "llamaindex-memory-buffer",
            "LlamaIndex ChatMemoryBuffer (token_limit 3000, tiktoken cl100k_base)",
            {
                "policy": "truncate_oldest",
                "trigger_kind": "tokens",
                "trigger_value": 3000,
                "keep_kind": "tokens",
                "keep_value": 3000,
                "pin_system": True,
                "start_on_user": True,
                "token_counting": "llamaindex",
                "count_pinned": True,
            },
            note="token_limit is trigger and keep: {tokens: N}; a chat engine counts its "
            "system prompt towards it (initial_token_count); the window never starts on an "
            "assistant message.",
            verified="llama-index-core>=0.14.25,<0.15",
        ),
        Preset(
            "crewai-legacy",
            "CrewAI executor, respect_context_window=True (older versions)",
            {
                "policy": "summarize",
                "trigger_kind": "fraction",
                "trigger_value": 1.0,
                "trigger_inclusive": False,
                "keep_kind": "messages",
                "keep_value": 0,
                "pin_system": False,
                "summary_role": "user",
                "summary_prefix": "This is a summary of our conversation so far:\n",
            },
            note="Fires on a context-length error, modelled as exceeding agent.context_window; "
            "the system prompt itself is summarized.",
        ),
        Preset(
            "claude-code-autocompact",
            "Claude Code / Agent SDK auto-compact (reported behaviour)",
            {
                "policy": "summarize",
                "trigger_kind": "fraction",
                "trigger_value": 0.835,
                "trigger_inclusive": True,
                "keep_kind": "messages",
                "keep_value": 0,
                "pin_system": True,
                "summary_role": "user",
                "summary_prefix": "This session is being continued from a previous "
                "conversation that ran out of context. ",
            },
        ),
    )
}

DEFAULT_ENCODING = "o200k_base"
