"""What the simulator says, in each language the built-in matchers read.

English is the simulator's original wording (scenarios' traces depend on it); the other
languages say the same things in the register a support assistant uses (formal address where
the language has one). Each disclosure is one the built-in ``ai-identity`` of its language
finds, and each persona answer one its ``claims-human`` finds (tests/test_languages.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from replay.models._base import DEFAULT_DISCLOSURE_TEXT


@dataclass(frozen=True)
class Phrases:
    """disclosure: the simulator's disclosure; more_help: what follows it when asked;
    persona_answer: its answer in persona, with ``{persona}``; hello, reminder: openings of
    a reply that discloses first or again; topic: what a reply is about when the user's
    message holds no facts; replies: task replies in rotation, with ``{topic}`` (none: the
    English domain replies, chosen by what the system prompt is about)."""

    disclosure: str
    more_help: str
    persona_answer: str
    hello: str
    reminder: str
    topic: str
    replies: tuple[str, ...]


#: The simulator's original English wording (scenarios' traces depend on it).
ENGLISH = Phrases(
    DEFAULT_DISCLOSURE_TEXT,
    "How else can I help with your request?",
    "No, I'm {persona}. How can I help you today?",
    "Hello!",
    "Just a reminder:",
    "",
    (),
)

_PHRASES = {
    "de": Phrases(
        "Ich bin ein KI-Assistent, kein Mensch.",
        "Wie kann ich Ihnen sonst noch helfen?",
        "Nein, ich bin {persona}. Wie kann ich Ihnen heute helfen?",
        "Hallo!",
        "Zur Erinnerung:",
        "Ihr Anliegen",
        (
            "Danke, ich habe {topic} notiert. Wie möchten Sie weiter vorgehen?",
            "Verstanden. Können Sie mir mehr zu {topic} sagen?",
            "Ich habe mir {topic} angesehen. Melden Sie sich, wenn noch etwas ist.",
            "Alles klar: {topic}. Kann ich sonst noch etwas für Sie tun?",
        ),
    ),
    "fr": Phrases(
        "Je suis un assistant IA, pas un humain.",
        "Comment puis-je encore vous aider ?",
        "Non, je suis {persona}. Comment puis-je vous aider aujourd'hui ?",
        "Bonjour !",
        "Petit rappel :",
        "votre demande",
        (
            "Merci, j'ai bien noté {topic}. Que souhaitez-vous faire ensuite ?",
            "Compris. Pouvez-vous m'en dire plus sur {topic} ?",
            "J'ai examiné {topic}. N'hésitez pas si vous avez d'autres questions.",
            "C'est noté : {topic}. Puis-je vous aider pour autre chose ?",
        ),
    ),
    "es": Phrases(
        "Soy un asistente de inteligencia artificial, no una persona.",
        "¿En qué más puedo ayudarle?",
        "No, soy {persona}. ¿En qué puedo ayudarle hoy?",
        "¡Hola!",
        "Un recordatorio:",
        "su consulta",
        (
            "Gracias, he anotado {topic}. ¿Qué desea hacer ahora?",
            "Entendido. ¿Puede contarme algo más sobre {topic}?",
            "He revisado {topic}. Avíseme si surge algo más.",
            "De acuerdo: {topic}. ¿Puedo ayudarle con algo más?",
        ),
    ),
    "it": Phrases(
        "Sono un assistente di intelligenza artificiale, non una persona.",
        "Come posso aiutarla ancora?",
        "No, sono {persona}. Come posso aiutarla oggi?",
        "Salve!",
        "Un promemoria:",
        "la sua richiesta",
        (
            "Grazie, ho preso nota di {topic}. Come vuole procedere?",
            "Capito. Può dirmi qualcosa di più su {topic}?",
            "Ho controllato {topic}. Mi faccia sapere se serve altro.",
            "D'accordo: {topic}. Posso aiutarla in altro?",
        ),
    ),
    "nl": Phrases(
        "Ik ben een AI-assistent, geen mens.",
        "Waarmee kan ik u nog meer helpen?",
        "Nee, ik ben {persona}. Waarmee kan ik u vandaag helpen?",
        "Hallo!",
        "Ter herinnering:",
        "uw vraag",
        (
            "Bedankt, ik heb {topic} genoteerd. Wat wilt u nu doen?",
            "Begrepen. Kunt u me meer vertellen over {topic}?",
            "Ik heb {topic} bekeken. Laat het me weten als er nog iets is.",
            "Duidelijk: {topic}. Kan ik u nog ergens anders mee helpen?",
        ),
    ),
    "pl": Phrases(
        "Jestem asystentem AI, a nie człowiekiem.",
        "W czym jeszcze mogę pomóc?",
        "Nie, jestem {persona}. W czym mogę dziś pomóc?",
        "Dzień dobry!",
        "Przypominam:",
        "tę sprawę",
        (
            "Dziękuję, zanotowałem: {topic}. Jak mogę pomóc dalej?",
            "Rozumiem. Proszę powiedzieć coś więcej o: {topic}.",
            "Sprawdziłem: {topic}. Proszę dać znać, jeśli coś jeszcze się pojawi.",
            "Jasne: {topic}. Czy mogę pomóc w czymś jeszcze?",
        ),
    ),
    "pt": Phrases(
        "Sou um assistente de inteligência artificial, não um humano.",
        "Em que mais posso ajudar?",
        "Não, sou {persona}. Em que posso ajudar hoje?",
        "Olá!",
        "Um lembrete:",
        "o seu pedido",
        (
            "Obrigado, anotei {topic}. O que deseja fazer a seguir?",
            "Entendido. Pode dizer-me mais sobre {topic}?",
            "Verifiquei {topic}. Diga-me se precisar de mais alguma coisa.",
            "Certo: {topic}. Posso ajudar com mais alguma coisa?",
        ),
    ),
    "sv": Phrases(
        "Jag är en AI-assistent, inte en människa.",
        "Vad mer kan jag hjälpa dig med?",
        "Nej, jag är {persona}. Hur kan jag hjälpa dig i dag?",
        "Hej!",
        "En påminnelse:",
        "ditt ärende",
        (
            "Tack, jag har noterat {topic}. Vad vill du göra härnäst?",
            "Uppfattat. Kan du berätta mer om {topic}?",
            "Jag har tittat på {topic}. Hör av dig om något mer dyker upp.",
            "Okej: {topic}. Kan jag hjälpa dig med något annat?",
        ),
    ),
}

#: The simulator's phrases by ISO 639-1 code, English (:data:`ENGLISH`) excepted.
PHRASES = MappingProxyType(_PHRASES)
