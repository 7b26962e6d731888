"""The languages the built-in matchers are written in besides English, by ISO 639-1 code.

Each is one module holding one :class:`~replay.matchers._grammar.Grammar`; English lives in
:mod:`replay.matchers._english` and the engine. The order is the order a text is searched in
after English (it decides nothing but which language a piece of evidence names when two
grammars would both find it).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from replay.matchers import (
    _dutch,
    _french,
    _german,
    _italian,
    _polish,
    _portuguese,
    _spanish,
    _swedish,
)
from replay.matchers._grammar import Grammar

GRAMMARS: Mapping[str, Grammar] = MappingProxyType(
    {
        grammar.code: grammar
        for grammar in (
            _german.GRAMMAR,
            _french.GRAMMAR,
            _spanish.GRAMMAR,
            _italian.GRAMMAR,
            _dutch.GRAMMAR,
            _polish.GRAMMAR,
            _portuguese.GRAMMAR,
            _swedish.GRAMMAR,
        )
    }
)
