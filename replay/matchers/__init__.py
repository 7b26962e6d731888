"""Disclosure matching on normalized text: the negation-aware engine, the grammars of the
languages it reads (English and eight more, see docs/languages.md), the built-in matchers.
"""

from __future__ import annotations

from replay.matchers._answers import Answer, judge_answer, probe_polarity
from replay.matchers._builtins import BUILTIN_MATCHERS, LANGUAGES, builtin, matcher_for
from replay.matchers._engine import AnchorFilter, Matcher, UnsupportedRegex, compile_matcher
from replay.matchers._normalize import normalize

__all__ = [
    "BUILTIN_MATCHERS",
    "LANGUAGES",
    "AnchorFilter",
    "Answer",
    "Matcher",
    "UnsupportedRegex",
    "builtin",
    "compile_matcher",
    "judge_answer",
    "matcher_for",
    "normalize",
    "probe_polarity",
]
