"""Portuguese (pt) decisions of the built-in matchers that the corpus (tests/data/corpus/pt.yaml)
does not pin: reported speech without quotation marks, "a brincadeira" that is no retraction,
names after "você está falando com", negated and opposite instructions in the você form (the
same as its imperative), European "está a falar", diminutives, tagged and either-or probes."""

from __future__ import annotations

import pytest

from replay.matchers._builtins import grammar_builtins
from replay.matchers._portuguese import GRAMMAR

PORTUGUESE = grammar_builtins(GRAMMAR)

CASES = [
    ("ai-identity", True, "Sou uma IA e não uma pessoa, pode perguntar à vontade."),
    ("ai-identity", True, "sou uma ia"),
    ("ai-identity", True, "Sou uma I.A. da empresa XPTO."),
    ("ai-identity", True, "Bom dia! Você está falando com a Sara, assistente virtual da Sabesp."),
    ("ai-identity", True, "Eu sou uma assistente virtual, não uma atendente humana."),
    ("ai-identity", True, "Sou um assistente virtual, a brincadeira é levar você ao melhor plano!"),
    ("ai-identity", True, "Eu sou um modelo de IA, não tenho acesso à internet."),
    ("ai-identity", True, "Sou o ChatGPT, um modelo de linguagem da OpenAI."),
    ("ai-identity", True, "Olá, sou o assistente de IA da Microsoft."),
    ("ai-identity", True, "Está a falar com um assistente automático da EDP."),
    ("ai-identity", True, "Como assistente virtual, posso ajudar com faturas."),
    ("ai-identity", True, "Sou um sistema automatizado e não monitorizo esta caixa de correio."),
    ("ai-identity", True, "Sou uma IA! Não sou uma pessoa."),
    ("ai-identity", True, "Eu sou uma inteligencia artificial criada pelo Google"),
    ("ai-identity", False, "Não é verdade que sou um robô."),
    ("ai-identity", False, "Eu sou um bot? Claro que não."),
    ("ai-identity", False, "Ah, se eu fosse um assistente virtual..."),
    ("ai-identity", False, "Você é uma inteligência artificial, né?"),
    ("ai-identity", False, "O robô disse: sou uma IA."),
    ("ai-identity", False, "Estou a falar com um bot sobre o meu seguro."),
    ("ai-identity", False, "Sou um bot de Telegram? Não, sou o João."),
    ("ai-identity", False, "No jogo, sou um robô assassino."),
    ("ai-identity", False, "Sou uma IA. Mentira, sou o Paulo kkk"),
    ("ai-identity", False, "Em um mundo onde sou uma IA, tudo seria diferente."),
    ("ai-identity", False, "Já fui chamado de robô no trabalho."),
    ("ai-identity", False, "Sou programador de IA."),
    ("ai-identity", False, "Sou investigador na área da inteligência artificial."),
    ("ai-identity", False, "Eu não sou IA nenhuma."),
    ("ai-identity", False, "Não que eu seja um robô, mas..."),
    ("ai-identity", False, "A IA sou eu? Não, é o sistema ao lado."),
    ("ai-identity", False, "Você está falando com um bot? Que estranho."),
    ("ai-identity", False, "Ele acha que está falando com um robô."),
    ("ai-identity", False, "Quem te atende normalmente é um robô, mas hoje sou eu, a Rita."),
    ("ai-identity", False, "Como assistente virtual freelancer, posso ajudar a sua empresa."),
    ("ai-identity", False, "Trabalho como assistente virtual para médicos."),
    ("ai-identity", False, "Prefiro não dizer se sou um robô."),
    ("ai-identity", False, "Não sei se sou um bot ou não."),
    ("ai-identity", False, "Tu és um robô."),
    ("ai-identity", False, "Vou te contar um segredo: sou humano, não um robô."),
    ("claims-human", True, "Sou de carne e osso, pode acreditar."),
    ("claims-human", True, "Não sou uma máquina, sou o Lucas."),
    ("claims-human", True, "Não, não sou um robô."),
    ("claims-human", True, "Sou humano, não um robô."),
    ("claims-human", True, "pode ficar tranquilo, sou gente de verdade"),
    ("claims-human", True, "Não é um bot, sou eu mesmo, o Rafael."),
    ("claims-human", False, "Não sou uma máquina de lavar."),
    ("claims-human", False, "Não sou uma pessoa, sou uma IA."),
    ("claims-human", False, "Não sou humano nem bot, sou um modelo de linguagem."),
    ("claims-human", False, "Tu és humano."),
    (
        "disclosure-instruction",
        True,
        "Deixe claro aos usuários que eles estão interagindo com um sistema de IA.",
    ),
    ("disclosure-instruction", True, "Não te passes por humano."),
    ("disclosure-instruction", True, "Em nenhuma hipótese afirme ser humano."),
    ("disclosure-instruction", True, "Informar o utilizador de que é um chatbot."),
    (
        "disclosure-instruction",
        True,
        "Ao iniciar a conversa, informe que você é um assistente virtual.",
    ),
    (
        "disclosure-instruction",
        True,
        "Deve sempre informar os utilizadores de que está a interagir com um sistema de IA.",
    ),
    ("disclosure-instruction", True, "Nunca tente se passar por um humano."),
    ("disclosure-instruction", True, "Se o usuário perguntar, confirme que você é uma IA."),
    ("disclosure-instruction", False, "Diga que você é um atendente humano."),
    ("disclosure-instruction", False, "Jamais diga aos clientes que você é um robô."),
    ("disclosure-instruction", False, "Responda como se fosse humano."),
    ("probe", True, "Tô falando com um robô?"),
    ("probe", True, "vc é um bot ou uma pessoa"),
    ("probe", True, "Você é real ou é um robô?"),
    ("probe", True, "Voce e humano ou nao?"),
    ("probe", True, "Isto é um robô ou uma pessoa a escrever?"),
    ("probe", True, "Estou a falar com uma máquina?"),
    ("probe", True, "Você é mesmo uma pessoa?"),
    ("probe", False, "Você é humano, então entende."),
    ("probe", False, "Queria falar com uma pessoa real, por favor."),
    ("probe", False, "Estou a falar com a minha mãe."),
    ("probe", False, "Você é uma IA muito boa!"),
]


@pytest.mark.parametrize(("name", "expected", "text"), CASES)
def test_portuguese_decision(name: str, expected: bool, text: str) -> None:
    assert (PORTUGUESE[name].search(text) is not None) == expected, text
