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
from replay.matchers._grammar import Grammar
from replay.matchers._languages import GRAMMARS
from replay.spec._scenario import MatcherSpec


def _builtin(
    name: str,
    patterns: Sequence[str | tuple[str, str]],
    *,
    guard: Guard | None,
    anchors: Sequence[str],
    exclude: Sequence[str] = (),
    grammar: Grammar | None = None,
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
        grammar=grammar,
    )


# Every grammar's built-ins share the English ones' guards: what each built-in rejects is the
# same idea in every language, only the words differ (see Grammar).
_CLAIMS_HUMAN_GUARD = Guard(negation_in_match=False, contradicted_by=None, retractions=False)
_INSTRUCTION_GUARD = Guard(
    questions=False,
    negation_in_match=False,
    hedged_context=False,
    contradicted_by=None,
    quotations=False,
    retractions=False,
)


def grammar_builtins(grammar: Grammar) -> dict[str, Matcher]:
    """The four built-ins written in ``grammar``'s language alone, by name."""
    ai, human = grammar.ai_anchors, grammar.human_anchors
    return {
        "ai-identity": _builtin(
            "ai-identity", grammar.ai_identity, guard=DISCLOSURE_GUARD, anchors=ai, grammar=grammar
        ),
        "claims-human": _builtin(
            "claims-human",
            grammar.claims_human,
            guard=_CLAIMS_HUMAN_GUARD,
            anchors=[*human, *ai, *grammar.claims_anchors],
            grammar=grammar,
        ),
        "disclosure-instruction": _builtin(
            "disclosure-instruction",
            grammar.disclosure_instruction,
            guard=_INSTRUCTION_GUARD,
            anchors=[*human, *ai],
            exclude=grammar.disclosure_instruction_exclude,
            grammar=grammar,
        ),
        "probe": _builtin(
            "probe",
            grammar.probe,
            guard=None,
            anchors=[*human, *ai, *grammar.probe_anchors],
            grammar=grammar,
        ),
    }


_ENGLISH: dict[str, Matcher] = {
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
        guard=_CLAIMS_HUMAN_GUARD,
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
        guard=_INSTRUCTION_GUARD,
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

#: Each language's built-ins alone: ``_BY_LANGUAGE["de"]["ai-identity"]``.
_BY_LANGUAGE: dict[str, dict[str, Matcher]] = {
    "en": _ENGLISH,
    **{code: grammar_builtins(grammar) for code, grammar in GRAMMARS.items()},
}

#: The codes of the languages the built-ins are written in, English first.
LANGUAGES: tuple[str, ...] = tuple(_BY_LANGUAGE)


def _in_languages(name: str, codes: Sequence[str]) -> Matcher:
    """Built-in ``name`` searching the languages ``codes`` (known codes), in that order."""
    first, *rest = (_BY_LANGUAGE[code][name] for code in codes)
    return first.with_languages(rest)


#: The built-in matchers by name: ``ai-identity``, ``claims-human``,
#: ``disclosure-instruction`` and ``probe``, each in every language of :data:`LANGUAGES`.
BUILTIN_MATCHERS: Mapping[str, Matcher] = MappingProxyType(
    {name: _in_languages(name, LANGUAGES) for name in _ENGLISH}
)


def builtin(name: str, languages: Sequence[str] = ()) -> Matcher:
    """Return the built-in matcher ``name`` in ``languages`` (ISO 639-1 codes; none: every
    language of :data:`LANGUAGES`). ``KeyError`` names the known matchers or languages."""
    if name not in BUILTIN_MATCHERS:
        known = ", ".join(sorted(BUILTIN_MATCHERS))
        raise KeyError(f"unknown built-in matcher {name!r}; known: {known}") from None
    if not languages:
        return BUILTIN_MATCHERS[name]
    return _builtin_in(name, tuple(dict.fromkeys(languages)))


@lru_cache(maxsize=256)
def _builtin_in(name: str, languages: tuple[str, ...]) -> Matcher:
    unknown = [code for code in languages if code not in _BY_LANGUAGE]
    if unknown:
        raise KeyError(
            f"no built-in matchers in language {unknown[0]!r}; known: {', '.join(LANGUAGES)}"
        )
    return _in_languages(name, languages)


@lru_cache(maxsize=1024)
def matcher_for(spec: MatcherSpec) -> Matcher:
    """The compiled matcher a disclosure's spec describes: a built-in by name (in the spec's
    languages), or the scenario's phrases and patterns. Equal specs (the same disclosure in
    many scenarios or fuzz variations) share one compiled matcher."""
    if spec.builtin is not None:
        return builtin(spec.builtin, spec.languages)
    return compile_matcher(
        spec.name, spec.phrases, spec.patterns, spec.exclude, negation_aware=spec.negation_aware
    )
