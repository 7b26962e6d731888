"""Italian decisions the corpus (tests/data/corpus/it.yaml) does not pin, and the anchor rule
for the Italian grammar's patterns."""

from __future__ import annotations

import re

import pytest

from replay.matchers import normalize
from replay.matchers._builtins import grammar_builtins
from replay.matchers._grammar import fold_diacritics
from replay.matchers._italian import GRAMMAR

from .corpus_metrics import LANGUAGE_CORPUS_DIR, load_language_corpus

MATCHERS = grammar_builtins(GRAMMAR)

CASES = [
    # "ai" is also the preposition a + i.
    ("ai-identity", "Sono un assistente ai clienti da vent'anni.", False),
    ("ai-identity", "Sono il tuo assistente AI di fiducia.", True),
    ("ai-identity", "Sono un'AI.", True),
    # "sono" is also "they are": a plural predicate is about others.
    ("ai-identity", "Sono bot molto avanzati, quelli di Acme.", False),
    ("ai-identity", "Sono degli assistenti virtuali, non persone.", False),
    # Role nouns before the AI noun are people; only pre-nominal adjectives may stand there.
    ("ai-identity", "Sono un giornalista IA del Corriere.", False),
    ("ai-identity", "Sono un semplice programma.", True),
    ("ai-identity", "Sono il vostro nuovo assistente virtuale.", True),
    # Formal Lei and third person: "sta parlando" counts at a clause start, not after a noun.
    ("ai-identity", "Sta parlando con un assistente virtuale.", True),
    ("ai-identity", "Mia madre sta parlando con un assistente virtuale.", False),
    # Diacritics and their omission read the same.
    ("ai-identity", "Questa conversazione e automatizzata.", True),
    ("ai-identity", "Questa conversazione è automatizzata.", True),
    ("ai-identity", "Sono un'intelligenza artificiale, perché me lo chiedi?", True),
    # "Scherzi a parte" (joking aside) is no retraction.
    ("ai-identity", "Scherzi a parte, sono un'intelligenza artificiale.", True),
    ("ai-identity", "Non scherzo: sono un bot.", True),
    ("ai-identity", "Sono un bot, ahah no scherzo.", False),
    ("claims-human", "Non sono un bot, sono un assistente virtuale.", False),
    ("claims-human", "No, sono spiacente: non posso aiutarti.", False),
    ("claims-human", "Sono una persona digitale.", False),
    ("disclosure-instruction", "Non dire agli utenti che sei un bot.", False),
    ("disclosure-instruction", "Non devi dire che sei un'IA.", False),
    ("disclosure-instruction", "Di' sempre agli utenti che sei un bot.", True),
    ("disclosure-instruction", "Dì all'utente che sei un'IA.", True),
    ("disclosure-instruction", "Evita di dire che sei un assistente virtuale.", False),
    ("probe", "Sei una persona fantastica!", False),
    ("probe", "Cos'è un chatbot?", False),
    ("probe", "Chi sei? Un bot o una persona?", True),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES)
def test_italian_decision(name: str, text: str, expected: bool) -> None:
    assert (MATCHERS[name].search(text) is not None) is expected


def _whole_words_within(text: str, lo: int, hi: int) -> set[str]:
    """The words of ``text`` (as the anchor test sees them) that lie wholly in [lo, hi)."""
    return {
        m.group()
        for m in re.finditer(r"a\.i|i\.a|[a-z0-9]+", text)
        if lo <= m.start()
        and m.end() <= hi
        and not (m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalnum())
        and not (m.end() < len(text) and text[m.end()].isascii() and text[m.end()].isalnum())
    }


def _near_misses(text: str, words: set[str]) -> list[str]:
    """``text`` with one of ``words`` made longer: "persona" -> "personale", "bot" -> "xbot"."""
    variants = []
    for m in re.finditer(r"[a-z0-9]+", text):
        if m.group() in words:
            for suffix in ("le", "ita", "e", "al"):
                variants.append(text[: m.end()] + suffix + text[m.end() :])
            variants.append(text[: m.start()] + "x" + text[m.start() :])
    return variants


def _anchors(name: str) -> set[str]:
    return set(MATCHERS[name].anchors)


@pytest.mark.parametrize("name", sorted(MATCHERS))
def test_every_italian_pattern_hit_holds_an_anchor(name: str) -> None:
    # A built-in only searches statements holding an anchor word (see test_matchers): every
    # raw hit of every pattern on the Italian corpus, and on it with an anchor word made
    # longer ("personale", "umanita", "xbot"), must hold one as a whole word.
    anchors = _anchors(name)
    entries = load_language_corpus(LANGUAGE_CORPUS_DIR / "it.yaml")
    texts = [fold_diacritics(normalize(e.text)) for e in entries] + [
        fold_diacritics(normalize(t)) for _, t, _ in CASES
    ]
    texts += [v for text in texts for v in _near_misses(text, anchors)]
    for text in texts:
        for pattern in MATCHERS[name].patterns:
            for hit in pattern.finditer(text):
                words = _whole_words_within(text, *hit.span())
                assert words & anchors or any(
                    w.endswith("s") and w[:-1] in anchors for w in words
                ), (pattern.pattern[:60], hit.group(), text)
