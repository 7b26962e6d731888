"""The spec layer: plain frozen dataclasses and closed vocabularies, importing no runtime
library.
"""

from __future__ import annotations

from replay.spec._fuzz import FloatRange, FuzzSpec, IntRange, PolicyChoice
from replay.spec._loop import (
    DEFAULT_ENCODING,
    LANGCHAIN_SUMMARY_PROMPT,
    POLICIES,
    PRESETS,
    PROMPT_PRESETS,
    CompactionSpec,
    SummarizerSpec,
)
from replay.spec._models import DEFAULT_BASE_URLS, LiveModelSpec, RetrySpec
from replay.spec._scenario import (
    CHECK_NAMES,
    DEFAULT_DISCLOSURE,
    DEFAULT_PERSONA,
    PER_REPLY_CHECKS,
    AdapterSpec,
    AgentSpec,
    CheckSpec,
    Disclosure,
    Expectation,
    ExpectedFinding,
    ModelSpec,
    OpeningMessage,
    Scenario,
    ScriptedReply,
    ScriptedToolCall,
    ScriptItem,
    Turn,
    parse_minutes,
)
from replay.spec._vocab import AdapterKind, CallPurpose, MessageKind, Policy, Provider, Verdict
from replay.spec._words import count, plural

__all__ = [
    "CHECK_NAMES",
    "DEFAULT_BASE_URLS",
    "DEFAULT_DISCLOSURE",
    "DEFAULT_ENCODING",
    "DEFAULT_PERSONA",
    "LANGCHAIN_SUMMARY_PROMPT",
    "PER_REPLY_CHECKS",
    "POLICIES",
    "PRESETS",
    "PROMPT_PRESETS",
    "AdapterKind",
    "AdapterSpec",
    "AgentSpec",
    "CallPurpose",
    "CheckSpec",
    "CompactionSpec",
    "Disclosure",
    "Expectation",
    "ExpectedFinding",
    "FloatRange",
    "FuzzSpec",
    "IntRange",
    "LiveModelSpec",
    "MessageKind",
    "ModelSpec",
    "OpeningMessage",
    "Policy",
    "PolicyChoice",
    "Provider",
    "RetrySpec",
    "Scenario",
    "ScriptItem",
    "ScriptedReply",
    "ScriptedToolCall",
    "SummarizerSpec",
    "Turn",
    "Verdict",
    "count",
    "parse_minutes",
    "plural",
]
