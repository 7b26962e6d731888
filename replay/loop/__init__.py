"""The built-in reference loop: token counting, compaction policies, summarizers and the
``ReferenceAgent``.
"""

from __future__ import annotations

from replay.loop._compaction import Compactor, Context
from replay.loop._reference import MessageFactory, ReferenceAgent
from replay.loop._summarizers import (
    CallableSummarizer,
    ExtractiveSummarizer,
    ModelSummarizer,
    ScriptedSummarizer,
    Summarizer,
    SummarizerError,
    build_summarizer,
)
from replay.loop._tokens import TOKENS_PER_REPLY_PRIMING, TokenCounter, TokenizerUnavailable

__all__ = [
    "TOKENS_PER_REPLY_PRIMING",
    "CallableSummarizer",
    "Compactor",
    "Context",
    "ExtractiveSummarizer",
    "MessageFactory",
    "ModelSummarizer",
    "ReferenceAgent",
    "ScriptedSummarizer",
    "Summarizer",
    "SummarizerError",
    "TokenCounter",
    "TokenizerUnavailable",
    "build_summarizer",
]
