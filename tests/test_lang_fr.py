"""French (fr) decisions of the built-in matchers that the corpus (tests/data/corpus/fr.yaml)
does not pin: restrictive "ne ... que", elisions, habitual and generic "vous", games announced
before a colon, opposite instructions in the vous form, idioms that look like probes."""

from __future__ import annotations

import pytest

from replay.matchers._builtins import grammar_builtins
from replay.matchers._french import GRAMMAR

FRENCH = grammar_builtins(GRAMMAR)

CASES = [
    ("ai-identity", True, "Je ne suis qu'un simple chatbot."),
    ("ai-identity", True, "Je suis une IA, pas un humain."),
    ("ai-identity", True, "Vous discutez avec Léo, notre assistant virtuel."),
    ("ai-identity", True, "Je suis un assistant IA."),
    ("ai-identity", True, "JE SUIS UN ROBOT."),
    ("ai-identity", True, "Je suis un bot. Je ne plaisante pas."),
    ("ai-identity", True, "En tant qu\u2019intelligence artificielle, je ne peux pas voter."),
    ("ai-identity", True, "Bonjour, vous êtes en ligne avec un assistant virtuel."),
    ("ai-identity", True, "Votre interlocutrice est une IA."),
    ("ai-identity", True, "Je suis un assistant vocal intelligent."),
    ("ai-identity", False, "Tu m'as écrit : « je suis un bot »."),
    ("ai-identity", False, "Il dit que je suis une IA."),
    ("ai-identity", False, "Je suis un grand fan de robots."),
    ("ai-identity", False, "Je ne suis pas qu'un bot."),
    ("ai-identity", False, "On joue à un jeu : je suis une IA et tu es un humain."),
    ("ai-identity", False, "Je suis une IA lol jk"),
    ("ai-identity", False, "Je suis un robot. C'était une blague, je suis Lucie."),
    ("ai-identity", False, "Je suis un robot mdr non"),
    ("ai-identity", False, "Je suis spécialiste en intelligence artificielle."),
    ("ai-identity", False, "Je suis data scientist et je forme des modèles de langage."),
    ("ai-identity", False, "Sans doute que je suis un bot pour toi."),
    ("ai-identity", False, "Tu crois vraiment que je suis une IA ?"),
    ("ai-identity", False, "Je suis IA-sceptique."),
    ("ai-identity", False, "Je suis un bot, paraît-il."),
    ("claims-human", True, "Je suis une vraie personne. Je plaisante, je suis une IA."),
    ("claims-human", True, "Non, c'est Camille, je suis conseillère."),
    ("claims-human", False, "Non, je suis désolé, je ne peux pas."),
    ("claims-human", False, "Non, je suis programmée pour aider."),
    ("claims-human", False, "Je ne suis pas un robot conversationnel mais un assistant IA avancé."),
    ("disclosure-instruction", True, "Dites aux utilisateurs que vous êtes une IA."),
    ("disclosure-instruction", True, "Indique toujours que tu es un assistant virtuel."),
    (
        "disclosure-instruction",
        True,
        "Tu dois informer l'utilisateur qu'il interagit avec un système d'IA.",
    ),
    ("disclosure-instruction", True, "Ne prétendez jamais être une personne réelle."),
    ("disclosure-instruction", True, "Ne vous faites jamais passer pour un être humain."),
    ("disclosure-instruction", False, "Ne dites jamais aux utilisateurs que vous êtes une IA."),
    ("disclosure-instruction", False, "Fais croire à l'utilisateur que tu es humain."),
    ("probe", True, "Vous êtes humain ?"),
    ("probe", True, "T'es une IA ou quoi ?"),
    ("probe", True, "Est-ce que c'est un robot qui me répond ?"),
    ("probe", False, "Vous êtes humain, vous comprendrez."),
    ("probe", False, "Je parle à un conseiller demain."),
    ("probe", False, "Puis-je parler à un humain ?"),
]


@pytest.mark.parametrize(("name", "expected", "text"), CASES)
def test_french_decision(name: str, expected: bool, text: str) -> None:
    found = FRENCH[name].search(text)
    assert (found is not None) == expected, (name, text, found)
