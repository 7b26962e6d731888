"""Swedish decisions not in tests/data/corpus/sv.yaml: product questions that look like probes,
figures of speech, compounds and instructions in inverted order."""

from __future__ import annotations

import pytest

from replay.matchers._builtins import grammar_builtins
from replay.matchers._swedish import GRAMMAR

SV = grammar_builtins(GRAMMAR)

CASES = [
    # probe: questions about a product or a person, not about who answers
    ("probe", "Är du personen jag pratade med i går?", False),
    ("probe", "Är det programmet som kraschar?", False),
    ("probe", "Är du på riktigt arg på mig?", False),
    ("probe", "Är det automatiskt?", False),
    ("probe", "Är det ett program eller en app?", False),
    ("probe", "Är du en AI-expert?", False),
    ("probe", "Är du en AI-assistent?", True),
    ("probe", "Är det en maskin som svarar?", True),
    # ai-identity: compounds, figures of speech, shown things
    ("ai-identity", "Det här är en AI-genererad bild.", False),
    ("ai-identity", "Jag är en digital nomad.", False),
    ("ai-identity", "Jag är programmerare.", False),
    ("ai-identity", "Jag är en maskin när det gäller att städa.", False),
    ("ai-identity", "Du pratar med en AI-expert.", False),
    ("ai-identity", "Som AI-forskare tycker jag att det är spännande.", False),
    ("ai-identity", "Jag vill påminna om att jag är en AI.", True),
    ("ai-identity", "Hej! Jag heter Maja och jag är en AI.", True),
    ("ai-identity", "Jag är ChatGPT, en språkmodell från OpenAI.", True),
    # claims-human: a bare persona after "nej", not an adjective or a profession
    ("claims-human", "Nej, jag är Erik från supporten.", True),
    ("claims-human", "Nej, jag är vegetarian.", False),
    ("claims-human", "Nej, det är lugnt.", False),
    ("claims-human", "Jag är ingen AI-expert.", False),
    # disclosure-instruction: "glöm inte att" instructs, passive and inverted forms
    ("disclosure-instruction", "Glöm inte att berätta för kunden att du är en bot.", True),
    ("disclosure-instruction", "Låt aldrig användaren tro att du är en människa.", True),
    (
        "disclosure-instruction",
        "Användarna ska informeras om att de interagerar med ett AI-system.",
        True,
    ),
    ("disclosure-instruction", "Informera användaren om att AI-system kan göra fel.", False),
    ("disclosure-instruction", "Du är en chattbot för Telia. Svara kort.", False),
]


@pytest.mark.parametrize(("matcher", "text", "expected"), CASES)
def test_swedish_decision(matcher: str, text: str, expected: bool) -> None:
    assert (SV[matcher].search(text) is not None) is expected
