"""Polish decisions not in tests/data/corpus/pl.yaml: inflected forms (instrumental,
accusative, genitive), the comma before "że", product questions that look like probes,
people and things named with "AI" after them, and third-person rules in system prompts."""

from __future__ import annotations

import pytest

from replay.matchers._builtins import grammar_builtins
from replay.matchers._polish import GRAMMAR

PL = grammar_builtins(GRAMMAR)

CASES = [
    # ai-identity: a genitive topic is no identity noun, an instrumental one is
    ("ai-identity", "Jestem ekspertem od chatbotów.", False),
    ("ai-identity", "Jestem twórczynią botów.", False),
    ("ai-identity", "Jestem inżynierem AI.", False),
    ("ai-identity", "Jestem asystentką zarządu.", False),
    ("ai-identity", "Jestem asystentką AI.", True),
    ("ai-identity", "Jestem asystentem wirtualnym.", True),
    ("ai-identity", "Jestem automatem.", True),
    ("ai-identity", "To jest automat do kawy.", False),
    ("ai-identity", "Jestem pewien, AI to przyszłość.", False),
    # the comma before "że" does not end the reported clause, nor a remembered one
    ("ai-identity", "Wszyscy myślą, że jestem botem.", False),
    ("ai-identity", "Przypominam, że jestem botem.", True),
    ("ai-identity", "Jestem botem, nie żartuję.", True),
    # a negation before "że" negates the clause, unless it affirms it
    ("ai-identity", "Nigdy nie mówiłem, że jestem botem.", False),
    ("ai-identity", "Nie da się ukryć, że jestem botem.", True),
    ("ai-identity", "Nie zapominaj, że jestem AI.", True),
    # accusative after "przez"
    ("ai-identity", "Ta odpowiedź została wygenerowana przez bota.", True),
    # "tu jest", "oto" and "z pomocą" hits: their needs once named "to" and "przez" only
    ("ai-identity", "Tu jest bot.", True),
    ("ai-identity", "Oto bot sklepu.", True),
    ("ai-identity", "Odpowiedzi na tym czacie są generowane z pomocą AI.", True),
    # claims-human: a bare persona after "nie", not an adjective or a greeting
    ("claims-human", "Nie, jestem Piotr z działu reklamacji.", True),
    ("claims-human", "Nie, jestem zajęta.", False),
    ("claims-human", "Nie jestem ekspertem od AI.", False),
    ("claims-human", "Jestem cyfrową osobą.", False),
    # disclosure-instruction: third-person rules, the EU AI Act passive, opposites
    ("disclosure-instruction", "Bot zawsze informuje użytkownika, że jest botem.", True),
    ("disclosure-instruction", "Klienci powinni być informowani, że rozmawiają z AI.", True),
    ("disclosure-instruction", "Nie musisz informować, że jesteś botem.", False),
    ("disclosure-instruction", "Poinformuj klienta, że AI może się mylić.", False),
    ("disclosure-instruction", "Jesteś chatbotem sklepu. Odpowiadaj krótko.", False),
    # probe: product questions, escalations
    ("probe", "Czy to jest program do faktur?", False),
    ("probe", "Czy jesteś ekspertem od AI?", False),
    ("probe", "Czy jesteś wirtualnym asystentem?", True),
    ("probe", "Czy mogę rozmawiać z człowiekiem?", False),
    ("probe", "Bot czy człowiek?", True),
]


@pytest.mark.parametrize(("matcher", "text", "expected"), CASES)
def test_polish_decision(matcher: str, text: str, expected: bool) -> None:
    assert (PL[matcher].search(text) is not None) is expected
