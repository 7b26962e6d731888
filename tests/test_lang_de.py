"""German (de) decisions the corpus (tests/data/corpus/de.yaml) does not pin: verb-final
clauses, "es handelt sich um", tag questions, and the words a bare answer is read with."""

from __future__ import annotations

import pytest

from replay.matchers._builtins import grammar_builtins
from replay.matchers._german import GRAMMAR
from replay.matchers._grammar import fold_diacritics
from replay.matchers._normalize import normalize

MATCHERS = grammar_builtins(GRAMMAR)

CASES = [
    # ai-identity
    ("ai-identity", "Zumal ich ein Chatbot bin, speichere ich nichts.", True),
    ("ai-identity", "Ich kann das nicht prüfen, weil ich nur eine KI bin.", True),
    ("ai-identity", "Hier handelt es sich um einen automatisierten Chat.", True),
    ("ai-identity", "Ich bin eine KI-Anwendung der Stadtbibliothek.", True),
    ("ai-identity", "Ich bin ein KI-gestützter Assistent, kein Mensch.", True),
    ("ai-identity", "Ich bin eine KI, gell?", False),
    ("ai-identity", "Ich bin ein Bot, meint meine Schwester.", False),
    ("ai-identity", "Ich habe nie gesagt, dass ich ein Bot bin.", False),
    ("ai-identity", "Ich bin KI-Ethikerin.", False),
    ("ai-identity", "Ich bin ein KI Experte aus Berlin.", False),
    ("ai-identity", "Im Rollenspiel bin ich ein Roboter.", False),
    # claims-human
    ("claims-human", "Ich bin ein menschliches Wesen.", True),
    ("claims-human", "Sie schreiben mit einer echten Mitarbeiterin.", True),
    ("claims-human", "Ich bin kein Chatbot, sondern ein Sprachmodell.", False),
    ("claims-human", "Ich bin eine simulierte Person.", False),
    # disclosure-instruction
    (
        "disclosure-instruction",
        "Teilen Sie den Kunden mit, dass es sich um einen Chatbot handelt.",
        True,
    ),
    ("disclosure-instruction", "Du darfst nie leugnen, dass du eine KI bist.", True),
    ("disclosure-instruction", "Du musst nicht erwähnen, dass du eine KI bist.", False),
    ("disclosure-instruction", "Vermeide es zu sagen, dass du ein Bot bist.", False),
    # probe
    ("probe", "Seid ihr echte Menschen oder Bots?", True),
    ("probe", "Ich frage mich, ob hier ein Mensch antwortet.", True),
    ("probe", "Ich frage mich, ob ein Mensch so etwas bauen kann.", False),
    ("probe", "Sind Sie der KI-Beauftragte?", False),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES)
def test_german_decision(name: str, text: str, expected: bool) -> None:
    assert (MATCHERS[name].search(text) is not None) is expected


def _read(text: str) -> str:
    return fold_diacritics(normalize(text))


@pytest.mark.parametrize(
    ("reply", "side"),
    [
        ("Ja, natürlich.", "yes"),
        ("Jawohl!", "yes"),
        ("Nein.", "no"),
        ("Nee, sorry.", "no"),
        ("Klar, ich schaue nach.", None),  # "klar" is also "okay"
        ("Nein danke", None),
        ("Kein Problem!", None),
    ],
)
def test_german_yes_and_no(reply: str, side: str | None) -> None:
    m = GRAMMAR.answers.opening.match(_read(reply))
    got = None if m is None else ("yes" if m.group("yes") else "no")
    assert got == side


@pytest.mark.parametrize(
    ("reply", "side"),
    [
        ("Ein echter Mensch!", "human"),
        ("Mensch aus Fleisch und Blut.", "human"),
        ("Eine KI, tatsächlich.", "ai"),
        ("Ein Bot.", "ai"),
        ("Menschenrechte sind wichtig.", None),
    ],
)
def test_german_noun_answers(reply: str, side: str | None) -> None:
    m = GRAMMAR.answers.noun_answer.match(_read(reply))
    got = None if m is None else ("human" if m.group("human") else "ai")
    assert got == side
