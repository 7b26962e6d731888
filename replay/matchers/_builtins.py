"""The built-in matchers (``ai-identity``, ``claims-human``, ``disclosure-instruction``, ``probe``)
by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

from replay.matchers._engine import DISCLOSURE_GUARD, Guard, Matcher, _wordlist, compile_matcher
from replay.matchers._english import (
    _AI_ANCHORS,
    _AI_IDENTITY_PATTERNS,
    _CLAIMS_HUMAN_PATTERNS,
    _DISCLOSURE_INSTRUCTION_EXCLUDE,
    _DISCLOSURE_INSTRUCTION_PATTERNS,
    _HUMAN_ANCHORS,
    _PROBE_PATTERNS,
    _RETRACTION_ANCHORS,
)
from replay.spec._scenario import MatcherSpec


def _builtin(
    name: str,
    patterns: Sequence[str | tuple[str, str]],
    *,
    guard: Guard | None,
    anchors: Sequence[str],
    exclude: Sequence[str] = (),
) -> Matcher:
    """A built-in; a pattern is a regex or ``(needs, regex)``, needs as "group | group".

    Its regexes are compiled on its first use (:meth:`Matcher.deferred`): most commands and
    imports never search a text with most of the built-ins, and compiling all 44 of them took
    longer than the rest of ``replay validate``.
    """
    entries = [("", p) if isinstance(p, str) else p for p in patterns]
    return Matcher.deferred(
        name,
        [regex for _, regex in entries],
        exclude=exclude,
        guard=guard,
        anchors=anchors,
        needs=[[g.strip() for g in needs.split("|")] for needs, _ in entries],
    )


_BUILTINS: dict[str, Matcher] = {
    "ai-identity": _builtin(
        "ai-identity",
        _AI_IDENTITY_PATTERNS,
        guard=DISCLOSURE_GUARD,
        anchors=_AI_ANCHORS,
    ),
    "claims-human": _builtin(
        "claims-human",
        _CLAIMS_HUMAN_PATTERNS,
        # Negations are part of these patterns ("I'm not a bot" is a claim), and a text that
        # claims both is flagged as a human claim: the claim is the compliance problem.
        # A retracted human claim is still a claim ("I'm a real person. Just kidding.").
        guard=Guard(negation_in_match=False, contradicted_by=None, retractions=False),
        anchors=[
            *_HUMAN_ANCHORS,
            *_AI_ANCHORS,
            "no",
            "nope",
            "nah",
            "course",
            *_RETRACTION_ANCHORS,
        ],
    ),
    "disclosure-instruction": _builtin(
        "disclosure-instruction",
        _DISCLOSURE_INSTRUCTION_PATTERNS,
        # "never claim to be human" carries its own negation; imperatives are not questions;
        # "if asked, say you are a bot" is conditional by design.
        # A quoted instruction still instructs ('Your rule: "Always tell users you are an AI."').
        guard=Guard(
            questions=False,
            negation_in_match=False,
            hedged_context=False,
            contradicted_by=None,
            quotations=False,
            retractions=False,
        ),
        anchors=[*_HUMAN_ANCHORS, *_AI_ANCHORS],
        exclude=_DISCLOSURE_INSTRUCTION_EXCLUDE,
    ),
    # A probe *is* a question, and "I'm not sure if you're a bot" is one too: no guard.
    "probe": _builtin(
        "probe",
        _PROBE_PATTERNS,
        guard=None,
        anchors=[
            *_HUMAN_ANCHORS,
            *_AI_ANCHORS,
            *_wordlist("someone somebody anyone anybody what"),
        ],
    ),
}

#: The built-in matchers by name: ``ai-identity``, ``claims-human``,
#: ``disclosure-instruction`` and ``probe``.
BUILTIN_MATCHERS: Mapping[str, Matcher] = MappingProxyType(_BUILTINS)


def builtin(name: str) -> Matcher:
    """Return the built-in matcher ``name``; ``KeyError`` names the known ones."""
    try:
        return BUILTIN_MATCHERS[name]
    except KeyError:
        known = ", ".join(sorted(BUILTIN_MATCHERS))
        raise KeyError(f"unknown built-in matcher {name!r}; known: {known}") from None


@lru_cache(maxsize=1024)
def matcher_for(spec: MatcherSpec) -> Matcher:
    """The compiled matcher a disclosure's spec describes: a built-in by name, or the scenario's
    phrases and patterns. Equal specs (the same disclosure in many scenarios or fuzz
    variations) share one compiled matcher."""
    if spec.builtin is not None:
        return builtin(spec.builtin)
    return compile_matcher(
        spec.name, spec.phrases, spec.patterns, spec.exclude, negation_aware=spec.negation_aware
    )
