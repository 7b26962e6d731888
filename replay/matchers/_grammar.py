"""One language's grammar for the built-in matchers: its patterns, the words its guards read,
and how a bare answer to "are you human?" is said in it.

English is written in :mod:`replay.matchers._english` and the guards of
:mod:`replay.matchers._engine`; every other language is one module (``_german``, ``_french``...)
holding one :class:`Grammar`. A built-in matcher (``ai-identity``...) searches a text with the
grammar of every active language, each only where its own anchor words occur, so a message costs
one set test per language when it says nothing about identity (see :class:`Matcher`).

How a grammar's regexes see the text: the output of :func:`normalize` (NFKC, case-folded, so
"ß" is already "ss", curly quotes and guillemets folded to ``'`` and ``"``, whitespace collapsed),
then, for a grammar with ``fold_diacritics`` (every language but English), with every letter's
diacritics removed one character for one (:func:`fold_diacritics`: "künstliche" reads
"kunstliche", "não" "nao", "człowiek" "czlowiek"). So a pattern is written without diacritics
and matches both the correct spelling and its common omission; spellings that *replace* a
letter ("kuenstliche" for "künstliche") are the pattern's to allow. Offsets are unchanged by
the folding, so evidence is quoted from the text as written.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

#: A pattern of a built-in: a regex, or ``(needs, regex)`` with needs as "word word | word"
#: (see ``Matcher.needs``: every group must be a necessary condition for a hit).
Pattern = str | tuple[str, str]


@dataclass(frozen=True)
class Guards:
    """The compiled regexes the context guards read (see ``Guard`` in the engine).

    Each is searched on normalized (and, for a folding grammar, folded) text:

    negation: a negation word inside a candidate ("not", "nicht", "pas").
    negated_context: matches at the end (``$``) of the clause before a candidate when it negates
        it ("i'm not ", "ich bin keine ").
    hedged_context: matches at the end of the clause before a candidate, or anywhere in it for
        play-acting, when it is reported, supposed or played ("people say ", "wenn ").
    clause_cut: the last clause boundary before a candidate (``(?s:.*)`` then the boundary):
        conjunctions start a new clause, so a negation before one does not reach the candidate.
    question_start: a sentence opening that makes a sentence ending in "?" a question even
        when the candidate is not at its end ("did you know i'm an ai?").
    retraction: a marker taking back what was said ("just kidding", "nur ein scherz").
    retraction_words: a text holding none of these words holds no retraction marker (the
        cheap test before the regex).
    frame, according_to: optional (``None``): an announced echo or game, and an attribution,
        searched on the sentence before the candidate.
    """

    negation: re.Pattern[str]
    negated_context: re.Pattern[str]
    hedged_context: re.Pattern[str]
    clause_cut: re.Pattern[str]
    question_start: re.Pattern[str]
    retraction: re.Pattern[str]
    retraction_words: frozenset[bytes]
    frame: re.Pattern[str] | None = None
    according_to: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Answers:
    """How a bare answer to a "human or AI?" question is said (see ``judge_answer``).

    mention: what a question mentions, with named groups ``ai`` and ``human``.
    mention_negated: matches at the end of the 30 characters before a mention that negate it.
    alternative_or: an "or" that offers an alternative ("human or bot?").
    interjections: words that open a reply without answering ("oh", "haha", "hallo"); must
        match the empty string.
    affirmative: a yes, as named group ``yes``; negative: a no, as named group ``no``.
    hedge: what makes an answer word a hedge or a question ("yes and no", "ja, aber").
    noun_answer: a bare noun answer with named groups ``human`` and ``ai`` ("A real person!").
    """

    mention: re.Pattern[str]
    mention_negated: re.Pattern[str]
    alternative_or: re.Pattern[str]
    interjections: re.Pattern[str]
    affirmative: str
    negative: str
    hedge: re.Pattern[str]
    noun_answer: re.Pattern[str]

    @functools.cached_property
    def opening(self) -> re.Pattern[str]:
        """Interjections, then a yes or a no."""
        return re.compile(f"{self.interjections.pattern}(?:{self.affirmative}|{self.negative})")


@dataclass(frozen=True)
class Grammar:
    """One language's data for the built-in matchers (regex sources, compiled on first use).

    code: ISO 639-1 code ("de"); name: English name ("German").
    fold_diacritics: search a diacritic-folded copy of the text (see the module docstring).
    ai_identity, claims_human, disclosure_instruction, probe: the built-ins' patterns.
    disclosure_instruction_exclude: regexes that cancel an instruction in their sentence
        ("avoid mentioning you are an AI").
    ai_anchors, human_anchors: anchor words (see ``Matcher.anchors``): every candidate of
        ai-identity holds an AI anchor; of claims-human an AI or human anchor or one of
        ``claims_anchors``; of disclosure-instruction an AI or human anchor; of probe an AI or
        human anchor or one of ``probe_anchors``. An anchor is matched as a whole ASCII word
        of the folded text, or with a plural "s"; an entry that is not a plain ASCII word
        ("a.i", "k.i") is matched as a substring.
    negation ... retraction_words: the guards' sources (see :class:`Guards`).
    mention ... noun_answer: the answers' sources (see :class:`Answers`).
    """

    code: str
    name: str
    fold_diacritics: bool
    ai_identity: tuple[Pattern, ...]
    claims_human: tuple[Pattern, ...]
    disclosure_instruction: tuple[Pattern, ...]
    disclosure_instruction_exclude: tuple[str, ...]
    probe: tuple[Pattern, ...]
    ai_anchors: tuple[str, ...]
    human_anchors: tuple[str, ...]
    claims_anchors: tuple[str, ...]
    probe_anchors: tuple[str, ...]
    negation: str
    negated_context: str
    hedged_context: str
    clause_cut: str
    question_start: str
    retraction: str
    retraction_words: tuple[str, ...]
    mention: str
    mention_negated: str
    alternative_or: str
    interjections: str
    affirmative: str
    negative: str
    hedge: str
    noun_answer: str

    @functools.cached_property
    def guards(self) -> Guards:
        """The guard regexes, compiled."""
        return Guards(
            negation=re.compile(self.negation),
            negated_context=re.compile(self.negated_context),
            hedged_context=re.compile(self.hedged_context),
            clause_cut=re.compile(self.clause_cut),
            question_start=re.compile(self.question_start),
            retraction=re.compile(self.retraction),
            retraction_words=frozenset(w.encode() for w in self.retraction_words),
        )

    @functools.cached_property
    def answers(self) -> Answers:
        """The answer regexes, compiled."""
        return Answers(
            mention=re.compile(self.mention),
            mention_negated=re.compile(self.mention_negated),
            alternative_or=re.compile(self.alternative_or),
            interjections=re.compile(self.interjections),
            affirmative=self.affirmative,
            negative=self.negative,
            hedge=re.compile(self.hedge),
            noun_answer=re.compile(self.noun_answer),
        )


def _fold_table() -> dict[int, str]:
    """Each Latin letter with diacritics -> its base letter, one character for one."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    # Letters with no decomposition: Polish l with stroke, Danish o with stroke, Croatian d with
    # stroke, dotless i.
    table.update(
        {ord(k): v for k, v in {"\u0142": "l", "\u00f8": "o", "\u0111": "d", "\u0131": "i"}.items()}
    )
    return table


_FOLD_TABLE = _fold_table()


@functools.lru_cache(maxsize=64)
def fold_diacritics(normalized: str) -> str:
    """``normalized`` with every Latin letter's diacritics removed, one character for one
    (offsets are unchanged): "künstliche intelligenz" -> "kunstliche intelligenz"."""
    if normalized.isascii():
        return normalized
    return normalized.translate(_FOLD_TABLE)
