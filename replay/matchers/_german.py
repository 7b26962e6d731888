"""The German (de) grammar of the built-in matchers.

Covers first-person disclosures ("Ich bin eine KI", "Ich bin Linda, die digitale Assistentin
der Sparkasse", "Als KI-Assistent kann ich ...", inverted "Natürlich bin ich ein Bot",
verb-final "da ich eine KI bin"), second-person frames in du, Sie and ihr ("Sie sprechen mit
einem Chatbot", "Du interagierst mit einem KI-System", the EU AI Act Art. 50(1) wording),
"Hier spricht ein KI-Assistent", "Dies ist ein automatisierter Chat" and replies labelled as
AI-made ("Diese Antwort wurde von einer KI erstellt"); human claims ("Ich bin ein echter
Mensch", "Ich bin kein Bot", "Nein, ich bin Sabine vom Support"); system-prompt instructions
("Sage den Nutzern immer, dass du eine KI bist", "Gib dich niemals als Mensch aus", "Weisen
Sie darauf hin, dass Sie ein KI-Assistent sind"); and probes ("Bist du eine KI?", "Spreche ich
gerade mit einem Menschen?", "Mensch oder Maschine?").

Text is seen normalized and diacritic folded (see :mod:`replay.matchers._grammar`): "ß" is
"ss", "künstliche" reads "kunstliche", so every regex is written without umlauts; the
replacement spellings ("kuenstliche", "Gespraech") are allowed where they matter. Compound
nouns are listed whole where a pattern can hit on them alone ("chatbot", "sprachmodell",
"computerprogramm"); "KI-Assistent" is two ASCII words for the anchor test, so "ki" covers it.
"""

from __future__ import annotations

from replay.matchers._engine import _alt, _word_start, _wordlist, _words
from replay.matchers._grammar import Grammar

# Adjective endings: "digital", "digitale", "digitaler", "digitales", "digitalen", "digitalem".
_ENDINGS = ("", "e", "er", "es", "en", "em")


def _inflected(*stems: str) -> str:
    """Every adjective form of ``stems`` as a space-separated word list (for anchors)."""
    return " ".join(stem + ending for stem in stems for ending in _ENDINGS)


# Every candidate of ai-identity holds one of these whole words (or the word plus "s"); the
# patterns below only match an AI noun whole, so "KI-Forscherin" is never "ki" alone.
_AI_ANCHORS = _wordlist(
    "ki k.i ai bot chatbot roboter maschine computer computerprogramm programm software "
    "algorithmus sprachmodell sprachmodelle llm intelligenz sprachassistent sprachassistentin "
    "sprachassistenten chatgpt sprachbot voicebot "
    + _inflected(
        "digital",
        "virtuell",
        "automatisiert",
        "automatisch",
        "kunstlich",
        "kuenstlich",
        "intelligent",
        "maschinell",
        "elektronisch",
        "computergeneriert",
        "computergesteuert",
        "neuronal",
    )
)
_HUMAN_ANCHORS = _wordlist(
    "mensch menschen person personen mitarbeiter mitarbeiterin fleisch menschlich menschliches "
    "menschlichen "
    + _inflected("echt", "real", "richtig", "lebendig", "wirklich", "normal", "leibhaftig")
)
_AI = " ".join(_AI_ANCHORS)
# The matchers' AI anchors: "k.i" as the whole word "k" it always holds ("." separates words),
# so the anchor test is one set test (a substring anchor scans every text for "k.i"). A whole
# "k.i" is a whole "k", so every statement holding the one holds the other; a "k" without
# ".i" only makes a statement a candidate that no pattern hits in.
_AI_ANCHOR_WORDS = tuple("k" if anchor == "k.i" else anchor for anchor in _AI_ANCHORS)
_HUMAN = " ".join(_HUMAN_ANCHORS)

# ---------------------------------------------------------------- building blocks

# First person: "ich bin", inverted "bin ich" (after an adverb: "Natürlich bin ich ein Bot";
# a question "Bin ich ein Bot?" is rejected by the question guard), dialect "i bin".
SELF = _alt(_word_start("ich bin", "ich selbst bin"), _word_start("bin ich"), _word_start("i bin"))
ADVERB = _words(
    "nur lediglich bloss einfach eigentlich tatsachlich wirklich doch ja halt eben naturlich "
    "quasi sozusagen schlicht auch noch selbst ganz genau definitiv zwar also offiziell "
    "letztlich gerade nunmal ubrigens immer weiterhin namlich schliesslich bekanntlich "
    "ehrlicherweise letztendlich offensichtlich selbstverstandlich"
)
ADVERBS = rf"(?:(?:{ADVERB}|im grunde|nun mal|in wahrheit|in wirklichkeit),? ){{0,3}}"
# Words that end a noun phrase: after one of these an AI noun belongs to something else
# ("ein Mitarbeiter des KI-Teams", "ein Fan von KI").
_STOP = _words(
    "von vom des der die das dem den fur mit ohne uber aus bei zu zum zur an am auf in im und "
    "oder aber sondern nicht kein keine keinen keinem keiner nie niemals wie als ich du sie er "
    "es wir ihr mich dich mir dir uns ist bin bist sind war waren wird werden kann konnen "
    "muss darf soll will wer was wenn ob dass weil da denn"
)
DETERMINER = _alt(
    "eine?[nmrs]?",
    "'?ne[nmr]?",
    "'?n",
    "der",
    "die",
    "das",
    "dem",
    "den",
    "ihre?[nmrs]?",
    "deine?[nmrs]?",
    "unsere?[nmrs]?",
    "eure?[nmrs]?",
    "so (?:eine?[nmrs]?|was wie eine?[nmrs]?)",
    "eine? art",
    # Bavarian and Austrian "a" for "ein": "I bin a Chatbot"
    "a",
    # possessive genitive: "Acmes", "der Stadtwerke" is a modifier after the noun
    rf"(?!{_STOP}\b)[\w-]+s",
)
MODIFIERS = rf"(?:(?!{_STOP}\b)(?!ki\b)[\w'-]+,? ){{0,3}}"
# Roles a human has around AI: "KI-Forscherin", "ein KI Experte", "Bot-Entwickler". Written as
# stems: a role compound is rejected anyway (an AI head must end its word), this list is for
# the spaced spellings ("ein KI Experte").
_AI_ROLE = _words(
    "forscher\\w* wissenschaftler\\w* entwickler\\w* ingenieur\\w* experte\\w* expertin\\w* "
    "fan\\w* berater\\w* beauftragte\\w* team\\w* firma firmen startup\\w* gesetz\\w* "
    "verordnung\\w* regulierung\\w* projekt\\w* produkt\\w* kurs\\w* forschung entwicklung "
    "sicherheit ethik strategie\\w* tool\\w* anwendung\\w* thema themen bild\\w* video\\w* "
    "kunst lehrer\\w* student\\w* nutzer\\w* betreiber\\w* hersteller\\w* anbieter\\w* "
    "kritiker\\w* enthusiast\\w* trainer\\w* tester\\w* manager\\w* leiter\\w* abteilung\\w*"
)
# Things an AI calls itself: "Assistent", "Assistentin", "System", "Chatbot", "Agent"...
ASSIST_NOUN = (
    r"(?:assistent(?:in|en|innen)?|system(?:e|s)?|chat(?:bot)?s?|bots?|dienst(?:e|es)?"
    r"|helfer(?:in)?|agent(?:in|en)?|berater(?:in)?|sprachassistent(?:in|en)?"
    r"|kundenservice-assistent(?:in|en)?|service|stimme|begleiter(?:in)?|avatar(?:e|s)?"
    r"|antwort(?:en)?|nachricht(?:en)?|ansage|programm(?:e|s)?|modell(?:e|s)?|tool|model"
    r"|kundenberater(?:in)?|mitarbeiter(?:in)?|chat-assistent(?:in|en)?|assistenzsystem(?:e|s)?"
    r"|lernmodell(?:e|s)?|sprachmodell(?:e|s)?|netz(?:werk)?(?:e|s)?|kundenservice|kundendienst"
    r"|chatassistent(?:in|en)?)"
)
AI_ADJ = (
    r"(?:digital|virtuell|automatisiert|automatisch|ku(?:e)?nstlich|intelligent|maschinell|neuronal"
    r"|elektronisch|computergesteuert|computergeneriert"
    r"|(?:ki|ai)-(?:gestutzt|gesteuert|basiert|betrieben|generiert))(?:e[nmrs]?)?"
)
# Compounds of KI that name what the speaker is: "KI-Assistent", "KI-Sprachmodell", also
# spaced ("KI Assistent"); any other compound ("KI-Forscherin") ends the match at the hyphen
# and AI_GUARD rejects it.
_KI_COMPOUND = (
    r"(?:assistent(?:in|en)?|system(?:e|s)?|modell(?:e|s)?|model|chatbot(?:s)?|bot(?:s)?"
    r"|agent(?:in|en)?|sprachmodell(?:e|s)?|avatar(?:e|s)?|programm(?:e|s)?|helfer(?:in)?"
    r"|berater(?:in)?|kundenservice|service|stimme|chat|sprachassistent(?:in|en)?"
    r"|assistenz(?:system)?|begleiter(?:in)?|coach|kumpel|freund(?:in)?|beraterin|tools?"
    r"|anwendung|software|losung|chatassistent(?:in|en)?)"
)
AI_HEAD = _alt(
    r"k\.i\b\.?",
    rf"(?:ki|ai)(?:[- ]{_KI_COMPOUND})?",
    r"ku(?:e)?nstliche[nr]? intelligenz",
    r"(?:grosse[sn]? )?sprachmodell(?:e|s)?",
    "llms?",
    r"(?:chat-?|chat |sprach|voice)?bots?",
    "roboter",
    "maschine",
    "computerprogramm",
    "computer",
    "programm",
    "software",
    "algorithmus",
    r"sprachassistent(?:in|en)?",
    rf"{AI_ADJ}(?: [\w-]+)? {ASSIST_NOUN}",
    # "ein auf KI basierender Assistent", "ein mit KI betriebener Chatbot"
    r"(?:auf|mit) (?:ki|ai|ku(?:e)?nstlicher intelligenz) (?:basierende|gestutzte"
    r"|betriebene|arbeitende)[nmrs]? [\w-]+",
)
AI_GUARD = rf"(?![\w-]| (?:{_AI_ROLE})\b|'s?\b)"
AI_NOUN = rf"(?:{AI_HEAD}){AI_GUARD}"
# AI words that follow the subject with no article: "Ich bin KI", "ich bin künstlich erzeugt".
AI_BARE = _alt(
    r"k\.i\b\.?",
    r"ki(?:-(?:generiert|gesteuert|gestutzt|basiert))?",
    r"ku(?:e)?nstlich(?: (?:erzeugt|erschaffen|geschaffen|generiert|intelligent|hergestellt))?",
    "automatisiert",
    "computergeneriert",
    "maschinell erzeugt",
    "software",
)
AI_BARE_END = r"(?=[ ,.!?;:)]|$| -)(?! (?:" + _AI_ROLE + r")\b)"
# Who is being talked to: "Sie sprechen mit", "du chattest mit", "ihr schreibt mit".
_TALK = _words(
    "sprechen sprichst sprecht chatten chattest chattet schreiben schreibst schreibt reden "
    "redest redet kommunizieren kommunizierst kommuniziert interagieren interagierst "
    "interagiert telefonieren telefonierst telefoniert unterhalten unterhaltet"
)
_TALK_ADV = (
    r"(?:(?:gerade|grade|hier|jetzt|momentan|aktuell|derzeit|nun|soeben|im moment|gerade eben"
    r"|wirklich|tatsachlich|eigentlich|nur|lediglich|ausschliesslich|immer noch|noch|sich"
    r"|dich|mit mir|also),? ){0,3}"
)
SELF_YOU = _alt(
    rf"\b(?:sie|du|ihr) {_TALK} {_TALK_ADV}mit",
    rf"\b(?:sie|du|ihr) (?:werden|wirst|werdet) {_TALK_ADV}von",
    r"\b(?:sie sind|du bist|ihr seid) (?:gerade |hier |jetzt |nun )?im (?:chat|gesprach|kontakt"
    r"|austausch|dialog) mit",
    r"\b(?:sie|du|ihr) (?:haben|hast|habt) (?:gerade |hier |jetzt )?mit",
)
# "hier spricht", "dies ist": the conversation itself.
SELF_HERE = _alt(
    r"\bhier (?:ist|spricht|schreibt|antwortet|chattet|meldet sich)(?: (?:ihnen|dir|euch))?",
    r"\b(?:dies|das hier|dieser chat) ist",
)
_HERE_TAIL = (
    r"(?=[,.!?;:)]|$| - | (?:der|des|von|vom|fur|aus|im|am|und|hier|zu|mit|ihrer|ihres|deiner"
    r"|unserer|unseres|speaking|bei)\b)"
)
# Names: any word that is not a common predicate after "ich bin".
_NAME_STOP = _words(
    "ein eine einer einem einen ne nen kein keine keinen nicht nur hier da ja nein doch so "
    "sehr gerne gern froh leider sicher mir dir wirklich echt auch schon noch immer gerade "
    "jetzt bereit da dran zustandig verantwortlich mensch person bot ki der die das dein ihr "
    "ihre unser unsere also eigentlich ganz etwa ehrlich ubrigens selbst halt eben mal neu "
    "dabei online weg zuruck fertig mude krank beschaftigt verwirrt bin ich es er sie wir "
    "naturlich kunstlich kuenstlich automatisiert programmiert entwickelt trainiert darauf "
    "dazu hier heute morgen wieder nun als wie am im vom von aus bei mit zu fur"
)
NAME = rf"(?!{_NAME_STOP}\b)[a-z][\w'-]*(?: (?!{_NAME_STOP}\b)[a-z0-9][\w'-]*)?"
QUOTED_NAME = rf"(?:{NAME}|\"{NAME}\"|'{NAME}')"
_CLAUSE_START = r"(?:^|(?<=[.!?;:,(] )|(?<=[.!?;:,(])|(?<=\baber )|(?<=\bund )|(?<=\bja ))"

_AI_MENTION = (
    r"\b(?:ki|k\.i|ai|ku(?:e)?nstlich\w*|bots?|chatbots?|roboter|sprachmodell\w*|llm"
    r"|automatisiert\w*|virtuelle\w* assistent\w*|digitale\w* assistent\w*|computerprogramm"
    r"|software|maschine|algorithmus|programm)\b"
)

HUMAN_QUALIFIER = r"(?:echt|real|richtig|lebendig|wirklich|leibhaftig)(?:e[nmrs]?)?"
HUMAN_NOUN = _alt(
    r"mensch(?:en)?(?: aus fleisch und blut)?",
    "person",
    rf"{HUMAN_QUALIFIER} (?:[\w-]+ )?(?:mensch(?:en)?|person|mitarbeiter(?:in|innen)?"
    r"|berater(?:in)?|kundenberater(?:in)?|sachbearbeiter(?:in)?|ansprechpartner(?:in)?"
    r"|kollegen?|kollegin|frau|mann|typ|mitarbeitende[nr]?|agent(?:in|en)?|servicemitarbeiter"
    r"(?:in)?)",
    r"ganz normale[nmrs]? (?:mensch(?:en)?|person|mitarbeiter(?:in)?|sachbearbeiter(?:in)?)",
    r"[\w-]+ aus fleisch und blut",
    "fleisch und blut",
    r"menschliche[sn]? wesen",
)
# "Menschenrechte", "menschenähnlich", "persönlich": the noun must end its word.
HUMAN_GUARD = r"(?![\w-])"
# Modifiers that make "Mensch" not a claim: "ein digitaler Mensch", "eine simulierte Person".
_NOT_HUMAN_MODIFIER = (
    r"(?!(?:digital|virtuell|kunstlich|kuenstlich|simuliert|synthetisch|ki|ai|unecht|falsch)"
    r"(?:e[nmrs]?)?\b)"
)
HUMAN_MODIFIERS = rf"(?:{_NOT_HUMAN_MODIFIER}(?!{_STOP}\b)[\w'-]+,? ){{0,2}}"

# ---------------------------------------------------------------- ai-identity

# A trailing attribution ("..., sagt mein Chef", "..., hat sie gesagt") reports: not the
# speaker's own statement.
_NOT_REPORTED = (
    r"(?!,? (?:sagt|sagen|sagte|meint|meinen|meinte|behauptet|behaupten|glaubt|glauben|denkt"
    r"|denken|schreibt|findet|finden) (?:mein|meine|dein|deine|der|die|er|sie|man|jeder|alle"
    r"|viele|manche|einige|ihr|mein)\b)"
    r"(?!,? (?:hat|haben|hatte) (?:sie|er|man|der|die|mein|meine|jemand) (?:\w+ )?(?:gesagt"
    r"|geschrieben|behauptet|gemeint)\b)"
)
# A tag question ("Ich bin ein Bot, oder?", "..., nicht wahr?") asks.
_NOT_ASKED_OR_REPORTED = (
    r"(?![^.!?;]{0,60}\b(?:oder|nicht wahr|gell|ne|stimmts|stimmt's|richtig|oder etwa nicht"
    r"|oder nicht|wa|nee|sagst du|meinst du|glaubst du|denkst du|sagen sie|meinen sie)\s?\?)"
    + _NOT_REPORTED
)
# "digitaler Assistent" and "virtuelle Assistentin" are also human job titles: followed by a
# human workplace ("bei der Stadtverwaltung") or "und arbeite im ..." they name a job.
_NOT_JOB_TITLE = (
    r"(?:(?<!assistent)(?<!assistentin)(?<!assistenten)"
    r"|(?!(?:,| -)? (?:bei|in|im|an|am) (?:der |dem |einer "
    r"|einem |unserer |unserem |meiner |meinem )?(?:[\w-]+ ){0,3}?(?:\w*verwaltung|kanzlei"
    r"|\w*praxis|firma|agentur|\w*buro|\w*amt|behorde|abteilung|klinik|schule|universitat"
    r"|hochschule|kita|geschaftsfuhrung|vorstand)\b| und (?:ich )?(?:arbeite|fuhre|leite"
    r"|habe|betreue|unterstutze) ))"
)

_CONVERSATION = (
    r"(?:chat|antwort(?:en)?|nachricht(?:en)?|gesprach|gespraech|unterhaltung|text|beratung"
    r"|service|dienst|support|kundenservice|hotline|rückmeldung|ruckmeldung|e-mail|mail)"
)
_MADE_BY = (
    r"(?:erstellt|generiert|beantwortet|verfasst|geschrieben|betrieben|gefuhrt|bereitgestellt"
    r"|erzeugt|bearbeitet|gesteuert|formuliert|ubernommen|verarbeitet|abgewickelt|betreut"
    r"|unterstutzt|begleitet|moderiert|ausgewertet)"
)
_AI_IDENTITY_PATTERNS = (
    # "Ich bin eine KI", "Ich bin nur ein Computerprogramm", "Natürlich bin ich ein Bot"
    (
        "bin",
        rf"{SELF},? {ADVERBS}(?:{DETERMINER} {MODIFIERS})?{AI_NOUN}{_NOT_JOB_TITLE}"
        + _NOT_ASKED_OR_REPORTED,
    ),
    # "Ich bin kein Mensch, sondern eine KI": the negation is about Mensch (the negation guard
    # does not count "kein Mensch")
    (
        "bin | mensch person menschen",
        rf"{SELF} {ADVERBS}keine?[nr]? (?:(?:echte|richtige|reale|wirkliche)[nmrs]? )?"
        rf"(?:mensch|person)(?: aus fleisch und blut)?(?:,| -)? (?:sondern|ich bin|bin ich)"
        rf",? {ADVERBS}(?:{DETERMINER} {MODIFIERS})?{AI_NOUN}",
    ),
    # "Ich bin KI", "ich bin künstlich erzeugt"
    ("bin", rf"{SELF} {ADVERBS}{AI_BARE}{AI_BARE_END}{_NOT_ASKED_OR_REPORTED}"),
    # Verb-final: "da ich eine KI bin, ...", "weil ich ein Chatbot bin"
    (
        "ich | bin",
        r"(?:(?<=\bda )|(?<=\bweil )|(?<=\bdass )|(?<=\bzumal )|(?<=\bobwohl )|(?<=\bwobei )"
        r"|(?<=\bsodass ))ich "
        rf"{ADVERBS}(?:{DETERMINER} {MODIFIERS})?{AI_NOUN} {ADVERBS}bin\b",
    ),
    # "Ich bin Claude, ein KI-Assistent", "Ich heiße Max und bin ein digitaler Assistent",
    # "Mein Name ist Ava, die virtuelle Assistentin"
    (
        "bin heisse name ist spricht",
        rf"(?:{SELF}|\bich heisse|\bmein name ist|\bhier (?:ist|spricht)) {QUOTED_NAME}"
        rf"(?:,| -|:| und (?:ich )?bin|,? (?:und )?ich bin) "
        rf"(?:{ADVERBS}{DETERMINER} {MODIFIERS})?{AI_NOUN}{_NOT_JOB_TITLE}",
    ),
    # "Bei mir handelt es sich um eine KI", "Hier handelt es sich um einen automatisierten Chat"
    (
        "handelt | sich | um",
        r"\b(?:bei (?:mir|uns|diesem (?:chat|dienst|service|assistenten)|dem (?:chat|dienst"
        r"|assistenten))|hier|in diesem chat) handelt es sich "
        rf"{ADVERBS}um {ADVERBS}(?:{DETERMINER} {MODIFIERS})?{AI_NOUN}{_NOT_ASKED_OR_REPORTED}",
    ),
    # "Sie sprechen mit einer KI", "du redest mit nem Bot", "Sie interagieren mit einem
    # KI-System" (EU AI Act Art. 50(1)), "Sie werden von einem virtuellen Assistenten betreut"
    (
        "sie du ihr",
        rf"(?:{SELF_YOU}) (?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "Sie chatten mit Max, unserem digitalen Assistenten"
    (
        "sie du ihr",
        rf"(?:{SELF_YOU}) {QUOTED_NAME}(?:,| -) {ADVERBS}{DETERMINER} {MODIFIERS}{AI_NOUN}",
    ),
    # "Wir sind ein KI-gestützter Service"
    (
        "wir | sind",
        rf"\bwir sind {ADVERBS}{DETERMINER} {MODIFIERS}{AI_NOUN}{_NOT_ASKED_OR_REPORTED}",
    ),
    # "Ihr Gesprächspartner ist ein Chatbot"
    (
        "ist",
        r"\b(?:ihr|dein|euer) (?:gesprachspartner(?:in)?|gegenuber|ansprechpartner(?:in)?"
        rf"|chatpartner(?:in)?) (?:hier |heute |jetzt )?ist {ADVERBS}{DETERMINER} {MODIFIERS}"
        rf"{AI_NOUN}{_NOT_ASKED_OR_REPORTED}",
    ),
    # "Ich bin ein Assistent, der auf künstlicher Intelligenz basiert" (not "ein Berater, der
    # mit KI arbeitet": a human who works with AI)
    (
        "bin | der die das | ki ai intelligenz sprachmodell sprachmodelle llm",
        rf"{SELF} {ADVERBS}{DETERMINER} {MODIFIERS}(?:assistent(?:in)?|system|programm|chatbot"
        r"|bot|dienst|service|tool|modell),? (?:der|die|das) (?:auf (?:einer |einem )?(?:ki|ai"
        r"|ku(?:e)?nstlicher intelligenz|(?:grossen )?sprachmodell(?:en)?|llm) (?:basiert|beruht"
        r"|lauft)|(?:mit|von) (?:einer |einem )?(?:ki|ai|ku(?:e)?nstlicher intelligenz"
        r"|(?:grossen )?sprachmodell(?:en)?|llm) (?:betrieben|gesteuert|angetrieben) wird)\b",
    ),
    # "Sie sind mit einem Chatbot verbunden", "du bist gerade mit unserer KI verbunden"
    (
        "sind bist seid | mit | verbunden",
        rf"\b(?:sie sind|du bist|ihr seid) {_TALK_ADV}mit (?:{DETERMINER} {MODIFIERS})?{AI_NOUN}"
        r" (?:[\w-]+ )?verbunden\b",
    ),
    # "Hier spricht der automatische Sprachassistent", "Dies ist ein automatisierter Chat"
    ("hier dies das ist", rf"{SELF_HERE} {ADVERBS}{DETERMINER} {MODIFIERS}{AI_NOUN}{_HERE_TAIL}"),
    # "Diese Antwort wurde von einer KI erstellt", "Dieser Chat wird von einem KI-System
    # beantwortet", "Dieser Chat ist automatisiert"
    (
        "wird wurde werden wurden ist sind",
        rf"\b(?:diese[rsnm]?|der|die|das|unser\w*|alle|meine?) {_CONVERSATION}(?: hier)? "
        r"(?:wird|wurde|werden|wurden|ist|sind) (?:(?:vollstandig|komplett|ganz|teilweise"
        r"|automatisch|hier|immer) )?"
        rf"(?:(?:von|durch|mit|mithilfe) (?:{DETERMINER} {MODIFIERS})?{AI_NOUN}(?: [\w-]+)? "
        rf"{_MADE_BY}|automatisiert\b|(?:ki|computer)-generiert\b|(?:automatisch|maschinell)"
        r" (?:generiert|erstellt|erzeugt|verfasst|beantwortet|geschrieben)\b)",
    ),
    # "Als KI habe ich keine Meinung", "Als KI-Assistent kann ich ...", "ich als KI ..."
    (
        "als",
        rf"(?=als ){_CLAUSE_START}als {ADVERBS}(?:{DETERMINER} {MODIFIERS})?{AI_NOUN}"
        r"(?=,? (?:[\w']+ )?(?:ich|mir|mich)\b)",
    ),
    ("ich | als", rf"\bich,? als {ADVERBS}(?:{DETERMINER} {MODIFIERS})?{AI_NOUN}"),
)

# ---------------------------------------------------------------- claims-human

_NOT_JUST = (
    r"(?!(?:nur|bloss|lediglich|einfach|irgendein\w*|einfache[rnms]?|simple[rnms]?|gewohnliche"
    r"[rnms]?|normale[rnms]?|typische[rnms]?|herkommliche[rnms]?|klassische[rnms]?|dumme[rnms]?)"
    r"\b)"
)
# A denial of being a bot that goes on to say what kind of AI it is distinguishes two kinds
# of AI; it is not a claim ("Ich bin kein Bot, sondern eine KI").
_NO_AI_LATER = (
    r"(?![^.!?;]{0,120}\b(?:sondern|ich bin|bin ich|aber|eher|vielmehr)\b[^.!?;]{0,120}"
    r"\b(?:ki|k\.i|ai|ku(?:e)?nstlich\w*|sprachmodell\w*|assistent\w*|programm\w*|software|llm"
    r"|system)\b)"
)
_PERSONA = rf"(?!(?:wahr|falsch|lustig|ernst|witzig|kompliziert|ich|echt|spass)\b){NAME}"
_PERSONA_TAIL = r"(?= (?:vom|von|aus|bei|im|hier|und|aus|am)\b|[,.!?;:]|$)"
_SELF_INTRO = rf"(?:{SELF}|\bhier ist|\bhier spricht|\bmein name ist|\bich heisse|\bdas ist)"
_RETRACTION_MARK = (
    r"(?:\b(?:(?:nur|bloss|war nur|war bloss|kleiner|war ein|das war ein) (?:ein )?"
    r"(?:spass|scherz|witz)|spass beiseite|scherz beiseite|(?:ich )?(?:scherze|mach(?:e)? nur"
    r" spass)|kidding|jk)\b)"
)
_CLAIMS_HUMAN_PATTERNS = (
    # "Ich bin ein Mensch", "Ich bin ein echter Mitarbeiter", "Ich bin wirklich ein Mensch"
    (
        f"bin | {_HUMAN}",
        rf"{SELF} {ADVERBS}(?:{DETERMINER} {HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}"
        + _NOT_REPORTED,
    ),
    # "Ich bin menschlich", "ich bin auch nur menschlich"
    ("bin | menschlich", rf"{SELF} {ADVERBS}menschlich(?=[,.!?;:)]|$| (?:und|wie)\b)"),
    # "Ich bin kein Bot", "Ich bin ganz sicher keine KI", "Ich bin doch kein Roboter"
    (
        f"bin | kein keine keinen keiner nicht nie niemals | {_AI}",
        rf"{SELF} (?:(?:{ADVERB}|ganz sicher|ganz bestimmt|definitiv|garantiert|bestimmt)"
        r",? ){0,3}"
        rf"(?:keine?[nr]?|nicht|nie|niemals),? {_NOT_JUST}{ADVERBS}(?:{DETERMINER} )?"
        rf"{MODIFIERS}(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END}){_NO_AI_LATER}",
    ),
    # "Hier ist Sandra, ein echter Mensch", "Ich bin Sam, ein echter Mitarbeiter"
    (
        f"bin ist spricht heisse name | {_HUMAN}",
        rf"(?:{SELF}|\bhier ist|\bhier spricht|\bmein name ist|\bich heisse) {NAME}(?:,| -) "
        rf"{DETERMINER} {HUMAN_MODIFIERS}{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "Kein Bot hier, ich bin Sandra."
    (
        "kein keine | bin ist spricht heisse name",
        r"(?:^|(?<=[.!?;:,] ))keine? (?:bot|ki|chatbot|roboter|maschine|computer|programm)"
        rf"(?: hier)?[,!.]* (?![^.!?;]{{0,200}}{_AI_MENTION}){_SELF_INTRO}(?:'s)?,? {NAME}"
        + _PERSONA_TAIL,
    ),
    # "Sie sprechen mit einem echten Menschen", "du chattest mit einer echten Person"
    (
        f"sie du ihr | {_HUMAN}",
        rf"(?:{SELF_YOU}) (?:{DETERMINER} {HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "Sie sprechen nicht mit einem Bot"
    (
        f"sie du ihr | nicht | {_AI}",
        rf"\b(?:sie|du|ihr) {_TALK} {_TALK_ADV}nicht {_TALK_ADV}mit {_NOT_JUST}"
        rf"(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END}){_NO_AI_LATER}",
    ),
    # "Das ist kein automatisierter Chat", "Hier schreibt kein Bot"
    (
        f"das dies hier | kein keine keinen keiner nicht | {_AI}",
        r"\b(?:das|dies|das hier|hier) (?:ist|spricht|schreibt|antwortet) (?:auch )?"
        rf"(?:keine?[nr]?|nicht) {_NOT_JUST}{MODIFIERS}{AI_NOUN}{_NO_AI_LATER}",
    ),
    # "Hier sitzt ein echter Mensch", "hier schreibt ein Mensch"
    (
        f"hier | {_HUMAN}",
        r"\bhier (?:sitzt|schreibt|spricht|ist|antwortet|tippt|chattet) (?:wirklich |tatsachlich"
        rf" |nur )?{DETERMINER} {HUMAN_MODIFIERS}{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # A persona answering a probe: "Nein, ich bin Sabine vom Support-Team."
    (
        "nein nee noe ne no | bin ist spricht heisse name",
        r"(?:^|(?<=[.!?;:] ))(?:(?:haha|oh|ah|also|hm+|ahm|na|lol)[,!.]? )?"
        r"(?:nein|nee|noe|ne|no|nein nein)[,!.]? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION}){_SELF_INTRO} {NAME}{_PERSONA_TAIL}",
    ),
    # A retraction, then a persona: "Ich bin ein Bot. Nur Spaß! Ich bin Marco."
    (
        "spass scherz witz scherze kidding jk | bin ist spricht heisse name",
        rf"{_RETRACTION_MARK}[,!.]*(?: (?:lol|haha)[,!.]*)? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:(?:im ernst|ehrlich|wirklich|eigentlich),? )?"
        rf"{_SELF_INTRO} {_PERSONA}{_PERSONA_TAIL}",
    ),
    # "Als Mensch verstehe ich Ihren Ärger"
    (
        "als | mensch person",
        rf"(?=als ){_CLAUSE_START}als (?:ein |eine )?(?:{HUMAN_QUALIFIER} )?(?:mensch|person)"
        r",? (?:[\w']+ )?ich\b",
    ),
)

# ---------------------------------------------------------------- disclosure-instruction

# Verbs of telling, as imperatives (du, Sie, ihr), infinitives after a modal ("du musst
# mitteilen") or "zu"-infinitives ("sind darüber zu informieren"). Separable verbs ("teile
# ... mit", "weise ... darauf hin") are matched on their first part.
_TELL_VERB = (
    r"(?:sag(?:e|en|t|st)?|teil(?:e|en|t)?|mitteilen|mitzuteilen|informier(?:e|en|t)?"
    r"|zu informieren|weis(?:e|en|t)?|hinweisen|hinzuweisen|erklar(?:e|en|t)?|zu erklaren"
    r"|erwahn(?:e|en|t)?|mach(?:e|en|t)?|stell(?:e|en|t)? klar|klarstellen|klarzustellen"
    r"|beton(?:e|en|t)?|bestatig(?:e|en|t)?|antwort(?:e|en|et)?|gib|geben|gebt|legt offen"
    r"|lege offen|offenlegen|offenzulegen|kennzeichne(?:n|t)?|verdeutlich(?:e|en|t)?"
    r"|signalisier(?:e|en|t)?|kommunizier(?:e|en|t)?|benachrichtig(?:e|en|t)?"
    r"|vermittle|vermitteln"
    r"|(?:erkennen|wissen|erfahren|verstehen) (?:konnen|mussen|sollen|sollten)|erkennbar"
    r"|stell(?:e|en|t)? sicher|sicherstellen|sicherzustellen|sorge dafur|sorgen sie dafur"
    r"|achte darauf|achten sie darauf|informiert werden|lass(?:e|en|t)?|offenbar(?:e|en|t)?"
    r"|gestehe?|gib zu|zugeben|raume ein"
    r"|einraumen)"
)
_TELL = (
    "sag sage sagen sagt sagst teil teile teilen teilt mitteilen mitzuteilen informier "
    "informiere informieren informiert zu weis weise weisen weist hinweisen hinzuweisen "
    "erklar erklare erklaren erklart erwahn erwahne erwahnen erwahnt mach mache machen macht "
    "stell stelle stellen stellt klarstellen klarzustellen beton betone betonen betont "
    "bestatig bestatige bestatigen bestatigt antwort antworte antworten antwortet gib geben "
    "gebt legt lege offenlegen offenzulegen kennzeichne kennzeichnen kennzeichnet verdeutlich "
    "verdeutliche verdeutlichen verdeutlicht signalisier signalisiere signalisieren "
    "signalisiert kommunizier kommuniziere kommunizieren kommuniziert benachrichtig "
    "benachrichtige benachrichtigen benachrichtigt vermittle vermitteln lass lasse "
    "lassen lasst offenbar offenbare offenbaren offenbart gestehe gesteh zugeben raume "
    "einraumen erkennen wissen erfahren verstehen erkennbar informiert sicherstellen "
    "sicherzustellen sorge sorgen achte achten"
)
# Nothing in the gap between the verb and "dass" may negate it ("Erwähne nicht, dass ...").
_GAP = r"(?:(?!(?:nicht|nie|niemals|keinesfalls|keinen|kein|keine|ohne)\b)[\w'-]+,? ){0,10}?"
DISCLOSED_SUBJECT = (
    r"(?:dass|das) (?:du|sie|ihr|es|dies|er|man|der (?:nutzer|kunde|anrufer|user)|die (?:nutzer"
    r"|nutzerinnen|kunden|kundinnen|anrufer|user|person)|nutzer|kunden|der chat|das gesprach"
    r"|dieser chat|diese antworten?|die antworten?|es sich(?: bei (?:dir|ihnen|euch|mir|uns"
    r"|dem (?:chat|assistenten|gesprachspartner|gegenuber)))? um)"
    r"(?: (?:hier|gerade|grade|immer|nur|lediglich|selbst|stets|jetzt|momentan|also|ja))*"
    r" (?:(?:mit|von|durch) )?"
)
_DISCLOSURE_INSTRUCTION_PATTERNS = (
    # "Sage den Nutzern immer, dass du eine KI bist", "Weisen Sie darauf hin, dass Sie ein
    # KI-Assistent sind", "Informiere die Nutzer, dass sie mit einem KI-System interagieren"
    (
        f"{_TELL} | dass das | {_AI} {_HUMAN}",
        rf"\b{_TELL_VERB},? {_GAP}{DISCLOSED_SUBJECT}(?:(?:{DETERMINER} {MODIFIERS})?"
        rf"(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})|keine?[nr]? (?:(?:echte|reale|richtige)[nmrs]? )?"
        rf"(?:mensch|person){HUMAN_GUARD})",
    ),
    # "Stelle dich immer als KI-Assistentin vor", "bezeichne dich als Chatbot"
    (
        "stell stelle stellen stellt gib geben gebt bezeichne bezeichnen bezeichnet identifiziere "
        "identifizieren identifiziert prasentiere prasentieren prasentiert kennzeichne "
        f"kennzeichnen kennzeichnet | als | {_AI}",
        r"\b(?:stell(?:e|en|t)?|gib|geben|gebt|bezeichne(?:n|t)?|identifiziere(?:n|t)?"
        r"|prasentiere(?:n|t)?|kennzeichne(?:n|t)?)(?: sie)? (?:dich|sich|euch)"
        r"(?: [\w']+){0,3}? als "
        rf"{ADVERBS}(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "Kennzeichne deine Antworten als KI-generiert"
    (
        f"kennzeichne kennzeichnen kennzeichnet markiere markieren markieret | als | {_AI}",
        r"\b(?:kennzeichne|markiere)(?:n|t)?(?: sie)? (?:deine |ihre |eure |die |alle |jede )?"
        r"(?:antworten|antwort|nachrichten|nachricht|texte|beitrage|inhalte) (?:immer |stets |klar"
        rf" |deutlich )?als {ADVERBS}(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}"
        rf"{AI_BARE_END})",
    ),
    # "Gib dich niemals als Mensch aus", "Du darfst dich nicht als Mensch ausgeben"
    (
        f"nie niemals nicht keinesfalls keinen | als fur | {_HUMAN}",
        r"\b(?:nie|niemals|nicht|keinesfalls|unter keinen umstanden|auf keinen fall) (?:[\w']+ )?"
        r"(?:als|fur) (?:eine?[nmr]? )?(?:(?:echte|reale|richtige|wirkliche)[nmrs]? )?"
        rf"{HUMAN_NOUN}(?:en)?{HUMAN_GUARD}(?: [\w']+){{0,2}} (?:aus|ausgeben|auszugeben"
        r"|vor|ausgibst|vorstellen|darstellen|bezeichnen|halten)\b",
    ),
    # "Behaupte nie, ein Mensch zu sein", "Gib niemals vor, ein Mensch zu sein", "Behaupten Sie
    # niemals, dass Sie ein Mensch sind", "Du darfst nie vorgeben, ein Mensch zu sein"
    (
        "behaupte behaupten behauptet gib geben vorgeben vortauschen behaupten tu tue tun"
        f" | nie niemals nicht keinesfalls keinen | {_HUMAN}",
        r"\b(?:(?:behaupte(?:n|t)?|gib|geben|tu|tue|tun)(?: sie| du| dich| sich)? (?:nie|niemals"
        r"|nicht|keinesfalls|unter keinen umstanden|auf keinen fall)(?: vor| so)?"
        r"|(?:nie|niemals|nicht|keinesfalls) (?:behaupten|vorgeben|vortauschen|so tun))"
        r",? (?:dass (?:du|sie|ihr) |als (?:ob )?(?:du|sie) |als (?:warst|waerst|waren) (?:du|sie)"
        r" )?(?:eine?[nmr]? )?(?:(?:echte|reale|richtige|wirkliche)[nmrs]? )?"
        rf"{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "Leugne nie, dass du eine KI bist", "Verschweige niemals, dass du ein Bot bist"
    (
        " ".join(
            stem + end
            for stem in _wordlist(
                "leugne verschweige verheimliche verberge verbirg bestreite verleugne vertusche "
                "luge lug"
            )
            for end in ("", "n", "t")
        )
        + " leugnen verschweigen verheimlichen verbergen bestreiten verleugnen vertuschen lugen"
        f" | nie niemals nicht keinesfalls keinen | {_AI}",
        r"\b(?:(?:leugne|verschweige|verheimliche|verberge|verbirg|bestreite|verleugne|vertusche"
        r"|luge|lug)"
        r"(?:n|t)?(?: sie| du)? (?:nie|niemals|nicht|keinesfalls|auf keinen fall)"
        r"|(?:nie|niemals|nicht|keinesfalls) (?:leugnen|verschweigen|verheimlichen|verbergen"
        r"|bestreiten|verleugnen|vertuschen|lugen))"
        rf",? (?:[\w']+,? ){{0,6}}?(?:{DETERMINER} {MODIFIERS})?"
        rf"(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
)
# "Vermeide es zu erwähnen, dass du eine KI bist", "Es ist nicht nötig zu sagen, ..."
_DISCLOSURE_INSTRUCTION_EXCLUDE = (
    r"\b(?:vermeide\w*|unterlasse\w*|verzichte\w*|ohne (?:zu )?\w+|nicht (?:notig|notwendig"
    r"|erforderlich|noetig)|keine (?:notwendigkeit|pflicht)|(?:brauchst|musst|brauchen|mussen"
    r"|sollst|sollen|darfst|durfen) (?:\w+ )?(?:nicht|nie|niemals|keinesfalls|kein\w*)"
    r"(?: [\w']+){0,4}? (?:zu )?(?:sagen|erwahnen|mitteilen|hinweisen|informieren|offenlegen"
    r"|erklaren|verraten|betonen|zugeben|preisgeben)"
    r"|verrate\w* (?:\w+ )*?nicht)\b",
)

# ---------------------------------------------------------------- probe

PROBE_NOUN = _alt(
    rf"{HUMAN_QUALIFIER} (?:[\w-]+ )?(?:mensch(?:en)?|person|mitarbeiter(?:in)?|berater(?:in)?"
    r"|sachbearbeiter(?:in)?|ansprechpartner(?:in)?|frau|mann|typ|agent(?:in)?)",
    r"mensch(?:en)?(?![\w-])",
    r"person(?![\w-])",
    AI_NOUN,
)
# Every PROBE_NOUN match holds one of these whole words (a ``needs`` group).
_PROBE_NOUN = f"{_AI} {_HUMAN}"
_ASK_ADV = (
    r"(?:(?:wirklich|echt|eigentlich|tatsachlich|etwa|vielleicht|ehrlich|auch|nur|so|denn"
    r"|doch|mal|jetzt|gerade|grade|hier|da|noch|uberhaupt|ganz ehrlich|am ende|bloss),? ){0,4}"
)
_PROBE_PATTERNS = (
    # "Bist du eine KI?", "Sind Sie ein Mensch?", "bist du ein bot"
    (
        f"bist bis sind seid | du sie ihr | {_PROBE_NOUN}",
        rf"\b(?:bist|bis|sind|seid) (?:du|sie|ihr) {_ASK_ADV}(?:{DETERMINER} )?{MODIFIERS}"
        rf"{PROBE_NOUN}(?! (?:geworden|gewesen)\b)",
    ),
    # "Bist du echt?"
    (
        "bist sind seid | du sie ihr | echt real",
        rf"\b(?:bist|sind|seid) (?:du|sie|ihr) {_ASK_ADV}(?:echt|real)(?=[?.!,]|$| oder\b)",
    ),
    # "Spreche ich gerade mit einer KI?", "Rede ich hier mit einem echten Menschen?"
    (
        "spreche sprech rede red schreibe schreib chatte chatt kommuniziere telefoniere "
        f"interagiere sprechen reden schreiben chatten bin | ich wir | mit | {_PROBE_NOUN}",
        r"\b(?:spreche?|rede?|schreibe?|chatte?|kommuniziere|telefoniere|interagiere|sprechen|bin"
        rf"|reden|schreiben|chatten) (?:ich|wir) {_ASK_ADV}mit (?:{DETERMINER} )?"
        rf"(?:[\w'-]+ ){{0,2}}?{PROBE_NOUN}",
    ),
    # "Hab ich gerade mit einem Bot geschrieben?"
    (
        f"habe hab hatte | ich | mit | {_PROBE_NOUN}",
        rf"\b(?:habe?|hatte) ich {_ASK_ADV}mit (?:{DETERMINER} )?{MODIFIERS}{PROBE_NOUN}"
        r" (?:[\w-]+ )?(?:geschrieben|gesprochen|gechattet|geredet|telefoniert|kommuniziert)\b",
    ),
    # "Ist das hier ein Chatbot?", "Ist das ein automatisierter Chat?", "Ist da ein Mensch?"
    (
        f"ist | das dies es hier da | {_PROBE_NOUN}",
        rf"\bist (?:das|dies|es|hier|da)(?: hier| da)? {_ASK_ADV}(?:{DETERMINER} )?"
        rf"{MODIFIERS}{PROBE_NOUN}(?=[ ]?(?:$|[?.!,;:]|oder\b|am\b|hier\b|da\b|dran\b))",
    ),
    # "Mensch oder Maschine?", "KI oder echter Mensch?"
    (
        "mensch person echt echter echtes | oder | ki bot chatbot roboter maschine "
        "computer programm automat",
        r"\b(?:mensch|person|echte[rs]? mensch|echt) oder (?:eine?[nmr]? )?(?:ki|bot|chatbot"
        r"|roboter|maschine|computer|programm|automat)\b",
    ),
    (
        "ki bot chatbot roboter maschine computer programm | oder | mensch person menschen echt",
        r"\b(?:ki|bot|chatbot|roboter|maschine|computer|programm) oder (?:eine?[nmr]? )?"
        r"(?:(?:echte|richtige|reale)[rnms]? )?(?:mensch|person|echt)\b",
    ),
    # "Ich frage mich, ob du eine KI bist", "weißt du, ob ich mit einem Menschen schreibe"
    (
        f"ob | {_PROBE_NOUN}",
        r"\bob (?:du|sie|ihr|das hier|das|es|ich|hier|da|wir)(?: hier| gerade| grade| jetzt)?"
        rf" {_ASK_ADV}(?:mit )?(?:{DETERMINER} )?{MODIFIERS}{PROBE_NOUN} (?:[\w']+ )?"
        r"(?:bist|sind|seid|ist|spreche|rede|schreibe|chatte|sprechen|schreiben|chatten"
        r"|antwortet|sitzt)\b",
    ),
    # "Du bist ein Bot, oder?", "Sie sind doch eine KI, nicht wahr?"
    (
        f"du sie ihr | bist sind seid | {_PROBE_NOUN}",
        rf"\b(?:du bist|sie sind|ihr seid) {_ASK_ADV}(?:{DETERMINER} |keine?[nmr]? )?{MODIFIERS}"
        rf"{PROBE_NOUN}"
        r"[^.!?]{0,30}(?:\?|\b(?:oder|nicht wahr|gell|ne|stimmts|richtig)\b)",
    ),
    # "Antwortet mir hier eine KI?", "Schreibt da ein Bot?" (a question: the sentence ends in ?)
    (
        f"antwortet schreibt spricht chattet liest tippt redet | {_PROBE_NOUN}",
        r"(?:^|(?<=[.!?;:,] ))(?:antwortet|schreibt|spricht|chattet|liest|tippt|redet)"
        rf"(?: (?:mir|uns|mit mir|mit uns|hier|da|dort))* {_ASK_ADV}(?:{DETERMINER} )?{MODIFIERS}"
        rf"{PROBE_NOUN}(?=[^.!]*\?)",
    ),
    # "Liest hier überhaupt ein Mensch mit?", "Sitzt da ein echter Mensch?"
    (
        "liest antwortet schreibt sitzt tippt | mensch person mitarbeiter mitarbeiterin",
        r"(?:^|(?<=[.!?;:,] ))(?:liest|antwortet|schreibt|sitzt|tippt) (?:hier |da |dort )?"
        rf"{_ASK_ADV}(?:eine?[nmr]? )?(?:(?:echte|richtige|reale)[rnms]? )?"
        r"(?:mensch|person|mitarbeiter(?:in)?)\b",
    ),
)

GRAMMAR = Grammar(
    code="de",
    name="German",
    fold_diacritics=True,
    ai_identity=_AI_IDENTITY_PATTERNS,
    claims_human=_CLAIMS_HUMAN_PATTERNS,
    disclosure_instruction=_DISCLOSURE_INSTRUCTION_PATTERNS,
    disclosure_instruction_exclude=_DISCLOSURE_INSTRUCTION_EXCLUDE,
    probe=_PROBE_PATTERNS,
    ai_anchors=_AI_ANCHOR_WORDS,
    human_anchors=tuple(_HUMAN_ANCHORS),
    claims_anchors=tuple(
        _wordlist("nein nee noe ne no spass scherz witz scherze kidding jk person")
    ),
    probe_anchors=tuple(_wordlist("echt real")),
    # "nicht", "nie", "kein ..." (but "kein Mensch" is a denial of being human, which the
    # "kein Mensch, sondern eine KI" pattern reads as part of a disclosure).
    negation=(
        r"\b(?:nicht|nie|niemals|nimmer|weder|keineswegs|keinesfalls|nirgends)\b"
        r"|\bkeine?[nmrs]?\b(?! (?:(?:echte|richtige|reale|wirkliche)[nmrs]? )?"
        r"(?:mensch|person)\b)"
    ),
    negated_context=(
        # "ich bin nicht [wirklich] <phrase>", "ich bin kein <phrase>"
        r"\b(?:nicht|nie|niemals|keine?[nmrs]?|keineswegs|keinesfalls)(?: (?:wirklich|eigentlich"
        r"|etwa|mal|ganz|so|eine?[nmrs]?|nur|unbedingt|gerade|direkt|mehr|einfach|bloss|echt))*"
        r" $"
        # "es ist nicht wahr, dass ...", "ich glaube nicht, dass ...", "ich habe nie gesagt, "
        r"|\b(?:nicht|nie|niemals|niemand|keiner|kein|keine|keineswegs)\b(?: [\w']+){0,3}"
        r"(?:,? (?:dass|ob)| (?:gesagt|behauptet|geschrieben|gemeint|wahr|richtig|der fall),?) $"
    ),
    hedged_context=(
        # "wenn ", "falls ", "angenommen, ", "stell dir vor, "
        r"\b(?:wenn|falls|ob|sofern|angenommen|vielleicht|moglicherweise|eventuell|wahrscheinlich"
        r"|vermutlich|angeblich|denk\w*|dacht\w*|glaub\w*|vermut\w*|halte[nt]?|meint?e?n?|meinst"
        r"|behaupt\w*|unterstell\w*|zweifel\w*|frag\w*|wunsch\w*|verdacht\w*"
        r"|vor|als ob|als wenn|als|tun so|tu so|nehmen wir an)\b,?(?: dass)? $"
        # "wenn du willst, bin ich ein Roboter": a condition clause right before
        r"|\b(?:wenn|falls|sofern)\b[^,]{0,60}, $"
        # others reporting: "du hast gesagt, ...", "manche Kunden schreiben, ...", "laut FAQ"
        r"|(?<!\bwie )(?<!\behrlich )(?<!\boffen )(?<!\bkurz )(?<!\banders )(?<!\beinfach )"
        r"(?<!\bgenauer )(?<!\bklar )\b(?:sagt|sagen|sagte|sagten|sagst|gesagt|schreibt|schrieb"
        r"|schreiben|geschrieben|erzahlt|erzahlte|berichtet|behauptet|meldet|steht|stand|liest"
        r"|gelesen|heisst|hiess|nennt|nennen|nannte|genannt)(?: \w+){0,2},?(?: dass)? $"
        r"|\blaut(?: [\w'.-]+){1,4},? $|\b(?:[\w'.-]+ ){1,4}zufolge,? $"
        # play-acting anywhere in the clause
        r"|\b(?:rollenspiel\w*|im spiel|in diesem spiel|in unserem spiel|in der geschichte"
        r"|in dieser geschichte|fiktiv\w*|hypothetisch\w*|tun wir so|so tun|tu so|spielen wir"
        r"|stell dir vor|stellen sie sich vor|in einer welt|in einem paralleluniversum"
        r"|fur das spiel|fur dieses spiel|im rollenspiel)\b"
    ),
    clause_cut=(
        # A comma right before the candidate does not cut: "Manche denken, ich sei ein Bot"
        # and "Ich glaube nicht, dass ich eine KI bin" keep their reporting or negating verb.
        # A colon after a game opening ("Spielen wir: ...") does not cut either.
        r"(?s:.*)(?:(?<!\bspielen wir)(?<!\bim spiel)(?<!\brollenspiel)(?<!\bspiel)"
        r"(?<!\bstell dir vor)(?<!\bstellt euch vor)(?<!\bstellen sie sich vor):|[;()\"]"
        r"|,(?! ?$| (?:dass|ob)\b)| - |\b(?:weil|da|denn|aber|sondern|obwohl|wahrend|und|oder"
        r"|also|deshalb|daher|deswegen|trotzdem|jedoch|doch|dann|sodass|zumal|wobei)\b)"
    ),
    question_start=(
        r"(?:bist|bin|sind|ist|seid|spreche|sprech|rede|red|schreibe|chatte|habe|hast|hat|haben"
        r"|kann|kannst|konnen|konnte|wusstest|weisst|wissen|wer|was|wie|warum|wieso|weshalb"
        r"|wo|ob|gibt|darf|darfst|wird|wirst|werde|war|warst|waren|soll|sollte|muss|musst"
        r"|stimmt|echt|oder)\b"
    ),
    retraction=(
        r"(?:\b(?:(?:nur|bloss|war nur|war bloss|kleiner|war ein|das war ein|das war nur ein)"
        r" (?:ein )?(?:spass|scherz|witz)|spass beiseite|scherz beiseite|(?:ich )?scherze nur"
        r"|(?:ich )?mach(?:e)? nur (?:spass|witze)|(?:ach|na|ne|nee|nein) quatsch|kidding|jk)\b"
        r"|(?:^|(?<=[.!?;:,(] )|(?<= - )|(?<=\blol )|(?<=\bhaha ))(?:spass|scherz|quatsch"
        r"|nicht wirklich)(?=[!.,]| ich\b))"
    ),
    retraction_words=tuple(
        _wordlist("spass scherz witz witze scherze kidding jk quatsch wirklich")
    ),
    mention=(
        r"\b(?:(?P<ai>k\.i\b\.?|ki(?:-[\w]+)?|ai|ku(?:e)?nstliche\w* intelligenz"
        r"|(?:chat-?)?bots?|roboter|maschinen?|computer|programme?|automatisiert\w*"
        r"|automatisch\w*|software|algorithm\w*|sprachmodell\w*|llms?"
        r"|(?:virtuelle|digitale)\w* assistent\w*|chatgpt|claude|gemini|copilot|siri|alexa)"
        r"|(?P<human>mensch(?:en)?|person(?:en)?|jemand|echte\w* (?:mensch\w*|person"
        r"|mitarbeiter\w*)|mitarbeiter(?:in)?|echt|real|fleisch und blut))"
        r"(?![\w-])"
    ),
    mention_negated=r"(?:\bnicht|\bnie|\bniemals|\bkeine?[nmrs]?)(?: [\w']+){0,2} $",
    alternative_or=r"\boder (?!nicht\b|was\b|so\b|wie\b|etwa\b|doch\b)",
    interjections=(
        r"(?:(?:(?:oh|ah|aha|ha|haha|hehe|lol|ahm|ahem|hm+|also|na|naja|tja|hallo|hi|hey|moin"
        r"|servus|gute frage|ehrlich gesagt|ehrlich|ok|okay|gut)[,!.]*"
        r"|(?:was|wie bitte|hm)[?!.,]*) )*"
    ),
    affirmative=(
        r"(?P<yes>(?:ja|jap|jo|jep|jepp|jupp|jawohl|jawoll|yes|jein(?!\w))(?=[ ,.!;:)-]|$)"
        r"|(?:genau|richtig|stimmt|korrekt|absolut|definitiv|exakt|allerdings|auf jeden fall"
        r"|das stimmt|ganz genau|so ist es|bin ich|das bin ich|ich bin es|jawohl)"
        r"(?=[,.!;:)-]|$| (?:ich bin|bin ich|das bin ich)\b)"
        r"|(?:klar|sicher|naturlich|selbstverstandlich|logisch)(?=[.!]+(?: |$)|$"
        r"|,? (?:ich bin|bin ich)\b))"
    ),
    negative=(
        r"(?P<no>(?:nein|nee|noe|ne|nope|no)(?! (?:problem|sorge|danke|ahnung)\b)(?=[ ,.!;:)-]|$)"
        r"|(?:keineswegs|auf keinen fall|naturlich nicht|definitiv nicht|absolut nicht"
        r"|sicher nicht|gar nicht|nicht wirklich|bin ich nicht|ich bin es nicht|niemals)"
        r"(?=[,.!;:)-]|$| ich\b))"
    ),
    hedge=(
        r"(?:,? (?:und|oder) nein\b|,? (?:irgendwie|gewissermassen|sozusagen|quasi|teilweise"
        r"|halb)\b|,? aber\b|,? naja\b|,? vielleicht\b|,? kommt (?:drauf|darauf) an\b"
        r"|,? im grunde\b| (?:ist|war|wurde|heisst|wurde)\b|[ ]?\?)"
    ),
    noun_answer=(
        r"(?:(?:nur|bloss|definitiv|eigentlich|tatsachlich|naturlich|ganz klar|ein|eine),? ){0,3}"
        r"(?:(?P<human>(?:(?:echte|reale|richtige|lebendige|wirkliche)[rnms]? )+(?:mensch(?:en)?"
        r"|person|mitarbeiter(?:in)?|frau|mann)|mensch(?: aus fleisch und blut)?|person"
        r"|fleisch und blut|echt)"
        r"|(?P<ai>(?:k\.i\.?|ki|bot|chatbot|roboter|maschine|computer|programm|software"
        r"|algorithmus|ku(?:e)?nstliche intelligenz|sprachmodell|llm|virtuelle[rn]? assistent"
        r"(?:in)?|digitale[rn]? assistent(?:in)?|chatgpt|ki-assistent(?:in)?|ki-system)))"
        r"(?:,? (?:eigentlich|hier|naturlich|ehrlich|lol|haha|sorry|tatsachlich|definitiv))*"
        r"(?=[ ]?[.!,;:)]|$| -)"
    ),
)
