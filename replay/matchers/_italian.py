"""The Italian (it) grammar of the built-in matchers.

Covers: first-person disclosures, with or without the subject pronoun ("Sono un'IA", "Io sono
un assistente virtuale", "Sono solo un programma", "In quanto intelligenza artificiale, non
posso ...", "Essendo un'IA ..."), names ("Mi chiamo Giulia e sono l'assistente digitale della
banca", "Sono Aida, l'assistente virtuale di ..."), the listener's side in "tu", formal "Lei"
and "voi" ("Stai parlando con un bot", "Sta parlando con un sistema automatico", "State
interagendo con un sistema di IA", "Ti sta rispondendo un assistente virtuale"), the service
("Questa chat è gestita da un'intelligenza artificiale", "Le risposte sono generate da un'IA")
and the EU AI Act Art. 50(1) wording ("informate del fatto di stare interagendo con un sistema
di IA"); human claims and denials ("Sono una persona vera", "Sono in carne e ossa", "Non sono
un bot", "No, sono Marco del servizio clienti", "Scherzo! Sono Marco."); instructions in system
prompts, in every form of address and in the infinitive that Italian prompts favour ("Di'
sempre agli utenti che sei un'IA", "Comunichi all'utente che è un assistente automatico",
"Informare gli utenti del fatto di stare interagendo con un sistema di IA", "Presentati come
assistente virtuale", "Non fingere mai di essere umano", "Non spacciarti per un essere umano",
"Non negare mai di essere un'IA"); probes ("Sei un bot?", "Lei è una persona vera?", "Sto
parlando con un essere umano?", "Umano o bot?", "C'è una persona vera dall'altra parte?").

The text is seen diacritic-folded ("è" reads "e", "perché" "perche", "c'è" "c'e"), so every
regex is written without accents; "E'" for "È" and chat spellings ("nn" for "non") are written
out. Elision: "un'IA", "l'assistente", "dell'IA", "sull'intelligenza" keep their apostrophe, so
articles are written with it ("un'", "l'"); the anchor test splits at it ("un'ia" holds the
word "ia").

Italian specifics the patterns rely on:

- "Sono" is both "I am" and "they are": a first-person disclosure needs a singular
  predicate ("sono un bot", "sono un'IA"), never a bare plural ("sono dei bot", "quelli sono
  bot" are about others).
- "ai" is also the preposition "a" + "i" ("ai clienti", "ai muri"): the abbreviation AI counts
  only right after an article ("un'AI", "l'AI", "un AI") or after an assistant noun, and then
  not before another noun ("assistente ai clienti" is customer service).
- Role nouns come before their AI complement ("ricercatrice di IA", "sviluppatore AI",
  "consulente IA"): only a short list of pre-nominal adjectives may stand between the article
  and the AI noun (MODIFIERS), so "sono un consulente IA" is never "I am an AI".
- Third-person verb forms double as the formal "Lei" ("Sta parlando con un bot"): they count
  only at a clause start, after "Lei", or after "che" ("La informiamo che sta interagendo").
- Subjunctive reports use "sia" ("pensano che io sia un bot") and hypotheticals "fossi", which
  no pattern reads; the colloquial indicative ("dicono che sono un bot") is caught by the
  hedged context.
"""

from __future__ import annotations

from replay.matchers._engine import _alt, _wordlist, _words
from replay.matchers._grammar import Grammar

# ---------------------------------------------------------------- anchors and building blocks

# Every candidate holds one of these as a whole word (the hyphen and the apostrophe split
# words, so "un'ia" holds "ia"; inflected forms are listed because Italian inflects by suffix).
# No pattern reads the English "a.i": an anchor that is not a plain word costs a substring
# scan of every message, so only "i.a" is one.
_AI_ANCHORS = _wordlist(
    "ia i.a ai bot chatbot robot intelligenza artificiale artificiali artificale virtuale "
    "virtuali digitale digitali automatico automatica automatici automatiche automaticamente "
    "automatizzato automatizzata automatizzati automatizzate programma software macchina "
    "computer algoritmo llm linguistico linguaggio neurale sistema intelligente "
    "conversazionale generativa generativo informatico robotico robotica sintetico sintetica"
)
_HUMAN_ANCHORS = _wordlist(
    "umano umana umani umane persona persone carne vero vera veri vere reale reali"
)
# Every retraction that claims-human reads a persona after holds one of these.
_RETRACTION_ANCHORS = _wordlist("scherzo scherzando scherzavo scherzetto scherzone")

# First-person subject and "to be"; "sono" alone is also "they are" (see the module docstring).
SELF = r"\b(?:io )?sono"
ADVERB = _words(
    "solo soltanto solamente semplicemente davvero veramente proprio appunto ovviamente "
    "certamente effettivamente comunque sempre anche ancora fondamentalmente tecnicamente "
    "letteralmente esattamente chiaramente naturalmente infatti praticamente sicuramente "
    "assolutamente ormai pur sempre purtroppo sinceramente"
)
ADVERBS = rf"(?:(?:{ADVERB}|in realta|di fatto|in effetti|a tutti gli effetti),? ){{0,3}}"
# A singular article, possibly with a possessive: "un", "un'", "l'", "il tuo", "la vostra".
_POSSESSIVE = _words("tuo tua suo sua vostro vostra nostro nostra mio mia")
DETERMINER = (
    rf"(?:(?:un|una|uno|il|la|lo)(?: {_POSSESSIVE})? |un'|l'|(?:un|una) (?:sorta|specie|tipo"
    r"|forma) di (?:un |una |un')?|un qualche tipo di )"
)
# Words every DETERMINER holds, whole when a space or the start precedes it (see ``needs``).
_DET = "un una uno il la lo l"
# The few adjectives that stand between an article and its noun: "un semplice programma",
# "il tuo nuovo assistente". Not any word: a role noun there ("un consulente IA") is a person.
MODIFIERS = (
    r"(?:(?:semplice|semplicissimo|nuovo|nuova|piccolo|piccola|umile|vero|vera|mero|mera"
    r"|fidato|fidata|simpatico|simpatica|gentile|cordiale|moderno|moderna|normale|comune"
    r"|banale|povero|povera|primo|prima|altro|altra|solito|solita) ){0,2}"
)
# "ai" is the abbreviation only after an article or an assistant noun, and not before another
# noun ("assistente ai clienti"): the words allowed after it are listed.
_AI_ABBR = (
    r"ai(?=$|[ ,.!?;:)]|-)(?! (?!(?:di|del|della|dell'|che|e|ed|per|qui|creat\w*|svilupp\w*"
    r"|progett\w*|addestrat\w*|generativ\w*|conversazional\w*|da|a|al|alla|con|in|su|non"
    r"|sono|ma|o|personale|basat\w*|avanzat\w*|multilingue|pronto|pronta)\b)[a-z])"
)
_AI_SHORT = rf"(?:i\.a\b\.?|ia\b|{_AI_ABBR})"
_INTELLIGENZA = r"intelligenza artifici?ale"
# Adjectives that make an assistant noun a machine: "assistente virtuale", "agente IA".
AI_ADJ = _alt(
    "virtuale",
    "digitale",
    "automatic[oa]",
    "automatizzat[oa]",
    "artificiale",
    "intelligente",
    "conversazionale",
    "robotic[oa]",
    "informatic[oa]",
    "generativ[oa]",
    "sintetic[oa]",
    "simulat[oa]",
)
# Nouns an AI calls itself that are never a human role before "IA" ("assistente IA", "agente
# IA"), and role nouns that are a machine only with a machine adjective ("consulente
# virtuale" yes, "consulente IA" is a person).
ASSIST_NOUN = _words(
    "assistente agente sistema chatbot bot modello programma software servizio applicazione "
    "app piattaforma strumento motore"
)
ROLE_NOUN = _words(
    "consulente operatore operatrice interlocutore interlocutrice risponditore risponditrice "
    "aiutante amico amica compagno compagna guida segretario segretaria receptionist addetto "
    "addetta voce tutor coach persona centralino sportello chat risposta messaggio"
)
_BASED_ON = (
    r"(?:basat[oa]|alimentat[oa]|gestit[oa]|guidat[oa]|potenziat[oa]|fondat[oa]|creat[oa]"
    r"|sviluppat[oa]) (?:(?:interamente|completamente) )?(?:su|sull'|sulla|da|dall'|dalla"
    r"|con|con l') ?(?:un |una |un'|l')?"
)
AI_HEAD = _alt(
    _INTELLIGENZA,
    _AI_SHORT,
    r"(?:chat ?)?bot",
    r"robot(?! (?:da cucina|aspirapolvere|tagliaerba|lavapavimenti|lavavetri)\b)",
    r"(?:grande )?modello (?:linguistico|di linguaggio)(?: di grandi dimensioni)?",
    "llm",
    r"programma(?: informatico| per computer| software)?",
    r"software(?! (?:house|engineer|developer)\b)",
    "macchina",
    "computer",
    "algoritmo",
    "rete neurale",
    rf"{ASSIST_NOUN} (?:{AI_ADJ}|{_AI_SHORT}|{_INTELLIGENZA}|di (?:{_AI_SHORT}|{_INTELLIGENZA})"
    rf"|d'(?:{_INTELLIGENZA})|{_BASED_ON}(?:{_AI_SHORT}|{_INTELLIGENZA}))",
    rf"{ROLE_NOUN} (?:{AI_ADJ}|{_BASED_ON}(?:{_AI_SHORT}|{_INTELLIGENZA}))",
)
# "Virtuale/digitale" assistants are also a human job (the freelance virtual assistant):
# followed by a workplace or a business of one's own they name the speaker's job.
_NOT_JOB_TITLE = (
    r"(?! (?:freelance|autonom[oa]|presso|in (?:uno|un|una) (?:studio|ufficio|azienda))\b"
    r"|(?:,|:| -)? (?:e )?(?:gestisco|lavoro|ho aperto|ho fondato)\b)"
)
AI_GUARD = r"(?![\w'-])"
AI_NOUN = rf"(?:{AI_HEAD})(?: (?:generativ[oa]|conversazionale|avanzat[oa]|multilingue))?"
AI_NOUN += AI_GUARD + _NOT_JOB_TITLE
# AI words that can follow the subject with no article: "sono un'IA" needs one, but "sono IA",
# "sono intelligenza artificiale" and "sono automatizzato" occur in chat.
AI_BARE = _alt(
    r"i\.a\b\.?",
    r"ia\b",
    _INTELLIGENZA,
    "automatizzat[oa]",
    "artificiale",
)
AI_BARE_END = r"(?=[ ,.!?;:)]|$)"
# The word after "questo è <AI noun>" that keeps it about the conversation.
_THIS_TAIL = (
    r"(?=[,.!?;:)]|$| - | (?:che|e|ed|di|del|della|dell'|per|qui|creat\w*|svilupp\w*|a|al|alla"
    r"|con|in|su|basat\w*|ma|non|pronto|pronta|progettat\w*|addestrat\w*)\b)"
)
# A name introduction: any word that is not a common predicate after "sono".
_NAME_STOP = _words(
    "un una uno il la lo l i gli le non solo soltanto qui qua li la pronto pronta felice lieto "
    "lieta spiacente dispiaciuto dispiaciuta sicuro sicura certo certa contento contenta "
    "stanco stanca occupato occupata disponibile libero libera umano umana reale vero vera "
    "davvero proprio ancora sempre mai gia anche io tu lei lui noi voi loro a ad in con da di "
    "per su tra fra al alla allo dal dalla del della nel nella sul sulla bot ia ai robot "
    "ovviamente certamente sinceramente purtroppo appena stato stata nato nata cresciuto "
    "cresciuta d'accordo convinto convinta curioso curiosa preoccupato preoccupata felicissimo "
    "felicissima qui molto poco tanto troppo cosi come quello quella questo questa tuo tua "
    "suo sua vostro vostra nostro nostra mio mia capace in grado tenuto tenuta obbligato "
    "obbligata autorizzato autorizzata programmato programmata addestrato addestrata creato "
    "creata sviluppato sviluppata progettato progettata fatto fatta una persona nessuno "
    "qualcuno chi cosa che e ed o ma se perche quando dove scherzando serio seria onesto "
    "onesta sincero sincera io senza sotto sopra dentro fuori oltre verso presso contro tutto "
    "tutta tutti nuovo nuova rimasto rimasta arrivato arrivata tornato tornata bravo brava"
)
NAME = rf"(?!{_NAME_STOP}\b|\w+(?:ando|endo)\b)[a-z][\w'-]*(?: (?!{_NAME_STOP}\b)[a-z0-9][\w'-]*)?"
QUOTED_NAME = rf"(?:{NAME}|\"{NAME}\"|'{NAME}')"
# After an appositive noun a finite verb means the noun is the subject of something else:
# "mi dispiace, un'IA non può farlo".
_NOT_SUBJECT = (
    r"(?! (?:puo|potrebbe|deve|dovrebbe|vuole|sa|era|ha|aveva|fa|fara|sara|risponde|mi|ti|ci"
    r"|vi|si|lo|gli|ne)\b)"
)
# Sentence start, or right after punctuation or a word that starts a clause.
_CLAUSE_START = (
    r"(?:^|(?<=[.!?;:,(] )|(?<=[.!?;:,(])|(?<=\bma )|(?<=\be )|(?<=\bsi )|(?<=\bno )"
    r"|(?<=\bciao )|(?<=\bsalve )|(?<=\bcomunque )|(?<=\bperche ))"
)
_AI_MENTION = (
    r"(?:\b|(?<='))(?:ia|ai|i\.a|intelligenza|artificial\w*|chat ?bot|bot|robot|modello"
    r" linguistico|llm|automatic\w*|automatizzat\w*|virtuale|digitale|programma|software"
    r"|macchina|algoritmo)\b"
)

HUMAN_QUALIFIER = _alt(
    "vero",
    "vera",
    "veri",
    "vere",
    "reale",
    "reali",
    "umano",
    "umana",
    "in carne e ossa",
    "in carne ed ossa",
    "fisica",
    "fisico",
    "autentic[oa]",
)
HUMAN_NOUN = _alt(
    r"(?:un |un')?essere umano(?: in carne e ossa| in carne ed ossa)?",
    r"(?:vera |vero )?(?:persona|operatore|operatrice|uomo|donna|ragazzo|ragazza|impiegat[oa]"
    r"|consulente|addett[oa]|agente|collega|dipendente|individuo)"
    rf"(?: {HUMAN_QUALIFIER})+",
    r"(?:vera|reale) persona",
    "persona",
    "umano",
    "umana",
    r"in carne e ossa",
    r"in carne ed ossa",
)
# Modifiers after the noun that make it not a human claim ("una persona digitale"), and a
# relative clause or complement that makes "persona" a description ("una persona che ...").
HUMAN_GUARD = (
    r"(?![\w'-]| (?:digital[ei]|virtual[ei]|artificial[ei]|sintetic[oa]|simulat[oa]|finta|finto"
    r"|falsa|falso|che|molto|piu|come (?:un|una) (?:bot|ia|robot))\b)"
)

# ---------------------------------------------------------------- ai-identity

# The listener's side: "stai parlando con", "state interagendo con", "sei in chat con". The
# third-person forms double as the formal "Lei" and count only where a clause starts, after
# "lei", or after "che" ("La informiamo che sta interagendo con ...").
_YOU_GERUND = _words(
    "parlando chattando scrivendo interagendo comunicando conversando dialogando messaggiando"
)
_NOW = r"(?:(?:ora|adesso|attualmente|in questo momento|gia|qui|proprio|direttamente) )*"
_FORMAL_START = (
    r"(?=sta |parla |chatta |interagisce |comunica |e )"
    r"(?:^|(?<=[.!?;:,(] )|(?<=\blei )|(?<=\bche )|(?<=\bora )|(?<=\badesso )|(?<=\bqui )"
    r"|(?<=\bsalve )|(?<=\bgentile cliente ))"
)
SELF_YOU = _alt(
    rf"\b(?:stai|state) {_NOW}{_YOU_GERUND} (?:con|a|ad)",
    rf"{_FORMAL_START}sta {_NOW}{_YOU_GERUND} (?:con|a|ad)",
    r"\b(?:parli|chatti|interagisci|comunichi|parlate|chattate|interagite|comunicate) "
    rf"{_NOW}(?:con|a|ad)",
    rf"{_FORMAL_START}(?:parla|chatta|interagisce|comunica) {_NOW}(?:con|a|ad)",
    r"\b(?:sei|siete) (?:ora |adesso |attualmente )?(?:in contatto|in chat|in conversazione"
    r"|collegat[oaie]|connesso|connessa) (?:con|a)",
    rf"{_FORMAL_START}e (?:ora |adesso )?(?:in contatto|in chat|collegat[oa]) (?:con|a)",
)
# One of these starts every SELF_YOU ("e" in "è in chat con").
_YOU_VERBS = (
    "stai state sta parli chatti interagisci comunichi parlate chattate interagite comunicate "
    "parla chatta interagisce comunica sei siete e"
)
# "ti sta rispondendo un assistente virtuale", "a risponderti è un'IA"
_ANSWERED_BY = (
    r"(?:(?:^|(?<=[.!?;:,] ))(?:risponde|scrive|parla)(?: ora| adesso| oggi| qui)?"
    r"|\b(?:ti|vi|le) (?:sta |stanno )?(?:risponde|rispondendo|scrive|scrivendo|assiste"
    r"|assistendo|aiuta|aiutando|parla|parlando|guida|guidando)(?: ora| adesso| oggi| qui)?"
    r"|\ba (?:risponderti|risponderle|rispondervi|scriverti|parlarti|assisterti|aiutarti)"
    r" (?:e|sara|c'e)(?: ora| adesso| oggi| qui)?)"
)
_ANSWERING = (
    "risponde scrive parla rispondendo scrivendo assiste assistendo aiuta aiutando parlando "
    "guida guidando risponderti risponderle rispondervi scriverti parlarti assisterti aiutarti"
)
# What a service may say is run by an AI: "questa chat", "le risposte", "il servizio di chat".
_CONVERSATION = _alt(
    "chat",
    "conversazione",
    r"servizio(?: di chat| clienti| di assistenza)?",
    "assistenza",
    "risposte?",
    "messaggi",
    "messaggio",
    "sessione",
    "interazione",
    "linea",
    "supporto",
    "e-?mail",
    "testo",
    "contenuto",
)
# The words of _CONVERSATION ("risposte?" is also "rispost"; "e-mail" holds "mail").
_CONVERSATION_WORDS = (
    "chat conversazione servizio assistenza rispost risposte messaggi messaggio sessione "
    "interazione linea supporto email mail testo contenuto"
)
_CONVERSATION_SUBJECT = (
    r"\b(?:questa|questo|queste|questi|la|il|le|i|tutte le|tutti i|ogni|lo) "
    rf"{_CONVERSATION}(?: (?:in|di|del|della) (?:questa|questo) {_CONVERSATION})?"
)
_COPULA = (
    r"(?:e|e'|sono|e stat[oa]|sono stat[ei]|viene|vengono|verra|verranno|sara|saranno"
    r"|e sempre|sono sempre)"
)
_COPULA_WORDS = "e sono viene vengono verra verranno sara saranno"
_PARTICIPLE = (
    r"(?:gestit|generat|scritt|prodott|creat|fornit|elaborat|redatt|curat|alimentat|formulat"
    r"|composto|composta|compost|automatizzat|basat|condott|svolt|erogat|realizzat)[oaie]?"
)
_AI_IDENTITY_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Sono un'IA", "io sono un assistente virtuale", "sono soltanto un'intelligenza
    # artificiale", "sono il tuo assistente AI personale"
    (
        f"sono | {_DET}",
        rf"{SELF},? {ADVERBS}{DETERMINER}{MODIFIERS}{AI_NOUN}{_NOT_SUBJECT}",
    ),
    # "Siamo un servizio automatico" (a service speaking for itself; singular predicate)
    (
        f"siamo | {_DET}",
        rf"\b(?:noi )?siamo,? {ADVERBS}{DETERMINER}{MODIFIERS}{AI_NOUN}{_NOT_SUBJECT}",
    ),
    # "Messaggio automatico: non rispondere", "Risposta generata automaticamente."
    (
        (
            "messaggio risposta email mail sms notifica avviso testo | automatico automatica "
            "automatizzato automatizzata generato generata"
        ),
        r"(?:^|(?<=[.!?;:(] ))(?:messaggio|risposta|email|e-mail|sms|notifica|avviso|testo)"
        r" (?:automatic[oa]|automatizzat[oa]|generat[oa] (?:automaticamente"
        r"|dall'(?:ia|ai|intelligenza"
        r" artificiale)|da un'(?:ia|ai|intelligenza artificiale)))(?=[ ]?[:.!,;)-]|$)",
    ),
    # "sono IA", "sono intelligenza artificiale", "sono automatizzato"
    (
        "sono | ia i.a intelligenza automatizzato automatizzata artificiale",
        rf"{SELF} {ADVERBS}{AI_BARE}{AI_BARE_END}",
    ),
    # "Sono Aida, l'assistente virtuale di ...", "Mi chiamo Leo, un assistente virtuale",
    # "Mi chiamo Giulia e sono l'assistente digitale" (the last also by the first pattern)
    (
        "sono chiamo nome qui",
        rf"(?:{SELF}|\bmi chiamo|\bil mio nome e|\bqui (?:e|parla)) {QUOTED_NAME}(?:,| -|:|,? e"
        rf"(?: io)?(?: sono)?| [^\w\s.!?;,]{{1,4}}) {ADVERBS}(?:{DETERMINER})?{MODIFIERS}{AI_NOUN}"
        + _NOT_SUBJECT,
    ),
    # "Stai parlando con un assistente virtuale", "Sta parlando con un sistema automatico",
    # "State interagendo con un sistema di IA" (EU AI Act Art. 50(1))
    (
        f"{_YOU_VERBS} | {_DET}",
        rf"{SELF_YOU} (?:{ADVERBS}){DETERMINER}{MODIFIERS}(?:{AI_NOUN}|{_INTELLIGENZA}{AI_GUARD})",
    ),
    # "Ti sta rispondendo un assistente virtuale", "A risponderti è un'intelligenza artificiale"
    (
        f"{_ANSWERING} | {_DET}",
        rf"{_ANSWERED_BY} {ADVERBS}{DETERMINER}{MODIFIERS}{AI_NOUN}",
    ),
    # "Questo è un servizio automatico", "Questa è una chat automatizzata", "Questo è un
    # chatbot: ..."
    (
        f"questo questa qui | e | {_DET}",
        rf"\b(?:questo|questa|questo qui|qui) (?:e'?|c'e) {ADVERBS}{DETERMINER}{MODIFIERS}{AI_NOUN}"
        rf"{_THIS_TAIL}",
    ),
    # "Questa chat è gestita da un'intelligenza artificiale", "Le risposte sono generate da
    # un'IA", "Questo messaggio è stato generato automaticamente da un'IA"
    (
        f"{_CONVERSATION_WORDS} | {_COPULA_WORDS}",
        rf"{_CONVERSATION_SUBJECT} {_COPULA} (?:(?:interamente|completamente|totalmente"
        r"|parzialmente|automaticamente|sempre|tutte|tutti) )?"
        rf"{_PARTICIPLE} (?:(?:interamente|completamente|automaticamente|totalmente) )?"
        rf"(?:da|dall'|dalla|dal|con|su|sull'|tramite|mediante|grazie a) ?(?:{DETERMINER})?"
        rf"{MODIFIERS}(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "Questa conversazione è automatizzata", "le risposte sono automatiche"
    (
        f"{_CONVERSATION_WORDS} | {_COPULA_WORDS}",
        rf"{_CONVERSATION_SUBJECT} {_COPULA} (?:(?:interamente|completamente|totalmente) )?"
        r"(?:automatizzat[oaie]|automatic[oaie]|generat[oaie] (?:automaticamente|dall'(?:ia|ai"
        rf"|{_INTELLIGENZA})))(?=[ ,.!?;:)]|$)",
    ),
    # "In quanto IA, non posso ...", "Come assistente virtuale, posso ...", "Essendo un'IA
    # non ho sentimenti"
    (
        "quanto come essendo",
        rf"{_CLAUSE_START}(?:in quanto|come|essendo) {ADVERBS}(?:{DETERMINER})?{MODIFIERS}"
        r"(?:" + AI_NOUN + rf"|{_INTELLIGENZA})(?=,|:| (?:non|nn|posso|ho|sono|io|mi|ti|le|devo|"
        r"preferisco|rispondo|faccio|cerco|vi)\b)",
    ),
    # "Ti sto rispondendo come assistente virtuale", "le scrivo in qualità di assistente IA"
    (
        "ti le vi | come qualita ruolo",
        r"\b(?:ti|le|vi) (?:sto |stiamo )?(?:rispond|scriv|parl|aiut|assist|contatt)\w* (?:come"
        rf"|in qualita di|nel ruolo di) {ADVERBS}(?:{DETERMINER})?{MODIFIERS}{AI_NOUN}",
    ),
    # "Sono stato creato come assistente virtuale", "sono alimentato dall'IA"
    (
        (
            "sono | creato creata progettato progettata sviluppato sviluppata programmato "
            "programmata addestrato addestrata alimentato alimentata gestito gestita basato "
            "basata guidato guidata"
        ),
        rf"{SELF} (?:stat[oa] )?(?:creat|progettat|sviluppat|programmat|addestrat|alimentat|gestit"
        r"|basat|guidat)[oa] (?:(?:da [\w'-]+ )?come|da|dall'|dalla|su|sull'|con) ?"
        rf"(?:{DETERMINER})?{MODIFIERS}(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
)

# ---------------------------------------------------------------- claims-human

# "Non sono solo un bot" (not just a bot) is no denial.
_NOT_JUST = (
    r"(?!(?:solo|soltanto|solamente|semplicemente|un semplice|una semplice|il solito|la solita"
    r"|un banale|una banale|un normale|una normale|un qualsiasi|una qualsiasi|un qualunque"
    r"|una qualunque|uno stupido|una stupida|un comune|una comune|il classico|la classica"
    r"|come)\b)"
)
# A denial of being a bot that goes on to say it is an AI distinguishes two kinds of AI; it
# is not a claim to be human ("Non sono un bot, sono un'intelligenza artificiale").
_NO_AI_LATER = (
    r"(?![^.!?;]{0,120}\b(?:sono|ma|bensi|piuttosto|semmai|e)\b[^.!?;]{0,120}"
    r"(?:\b|(?<='))(?:ia|ai|i\.a|intelligenza|artificial\w*|assistente|programma|software|llm"
    r"|modello|sistema|algoritmo)\b)"
)
_NEGATOR = r"(?:non|nn)"
# The name after a retraction: a NAME that is not an assessment ("scherzo, è vero").
_PERSONA = rf"(?!(?:vero|falso|serio|seria|io)\b){NAME}"

_CLAIMS_HUMAN_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Sono una persona vera", "sono un essere umano", "sono umana", "sono in carne e ossa"
    (
        "sono",
        rf"{SELF} {ADVERBS}(?:{DETERMINER}|anch'io )?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "Sono l'operatore che segue la tua pratica, non un sistema automatico": a human role,
    # then a denial of being a machine
    (
        f"sono | non | {_DET}",
        rf"{SELF} {ADVERBS}{DETERMINER}(?:operatore|operatrice|consulente|impiegat[oa]|addett[oa]"
        r"|collega|tecnico|tecnica|responsabile|segretari[oa]|dottore|dottoressa|infermier[ea])"
        rf"(?![\w'-])(?![^.!?;]{{0,80}}{_AI_MENTION}[^.!?;]{{0,80}},? non )[^.!?;]{{0,80}},? "
        rf"(?:e )?non (?:sono )?(?:{DETERMINER})?{MODIFIERS}{AI_NOUN}",
    ),
    # "Sono Sara, una persona vera del team"
    (
        "sono chiamo",
        rf"(?:{SELF}|\bmi chiamo) {NAME}(?:,| -|,? e(?: sono)?) (?:{DETERMINER})?{HUMAN_NOUN}"
        rf"{HUMAN_GUARD}",
    ),
    # "Non sono un bot", "io non sono affatto un'IA", "nn sono un robot"
    (
        "non nn | sono",
        rf"\b(?:io )?{_NEGATOR} sono (?:(?:affatto|mica|proprio|assolutamente|per niente|di certo)"
        rf" )?{_NOT_JUST}(?:{DETERMINER})?{MODIFIERS}(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})"
        rf"{_NO_AI_LATER}",
    ),
    # "Non siamo bot, siamo persone vere del team"
    (
        "non nn | siamo",
        r"\b(?:noi )?(?:non|nn) siamo (?:dei |delle |degli )?(?:bot|robot|chatbot|macchine|ia"
        r"|intelligenze artificiali|programmi|sistemi automatici|risponditori automatici)"
        rf"(?![\w'-]){_NO_AI_LATER}",
    ),
    (
        "siamo",
        rf"\b(?:noi )?siamo (?:dei |delle |degli )?(?:persone|esseri umani|operatori|operatrici)"
        rf"(?: {HUMAN_QUALIFIER})+(?![\w'-])",
    ),
    # "Stai parlando con una persona reale", "Sta parlando con un operatore umano"
    (
        _YOU_VERBS,
        rf"{SELF_YOU} (?:{DETERMINER})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "Non stai parlando con un bot", "non parli con una macchina"
    (
        "non nn | stai sta state parli parla parlate chatti chatta",
        rf"\b{_NEGATOR} (?:stai|sta|state|parli|parla|parlate|chatti|chatta) (?:{_YOU_GERUND} )?"
        rf"(?:con|a) {_NOT_JUST}(?:{DETERMINER})?{MODIFIERS}{AI_NOUN}{_NO_AI_LATER}",
    ),
    # "Questo non è un bot", "questa non è una risposta automatica"
    (
        f"questo questa qui | non nn | e | {_DET}",
        rf"\b(?:questo|questa|qui) (?:non|nn) (?:e'?|c'e) {_NOT_JUST}{ADVERBS}{DETERMINER}"
        rf"{MODIFIERS}{AI_NOUN}{_THIS_TAIL}{_NO_AI_LATER}",
    ),
    # "Qui c'è una persona vera che ti risponde", "ti risponde una persona vera"
    (
        "c | e",
        r"\b(?:qui |dall'altra parte )?c'e (?:un |una |un')?(?:essere umano|(?:persona|operatore"
        rf"|operatrice|ragazzo|ragazza|uomo|donna)(?: {HUMAN_QUALIFIER})+|vera persona)(?![\w'-])",
    ),
    (
        _ANSWERING,
        rf"{_ANSWERED_BY} (?:{DETERMINER})?(?:essere umano|(?:persona|operatore|operatrice)"
        rf"(?: {HUMAN_QUALIFIER})+|vera persona)(?![\w'-])",
    ),
    # Answering a probe in persona: "No, sono Marco del servizio clienti."
    (
        "no nono macche | sono chiamo qui",
        r"(?:^|(?<=[.!?;:] ))(?:(?:ahah|haha|ah|oh|beh|ma|eh|uhm|mah)[,!.]? )?"
        r"(?:no|nono|no no|ma no|macche|assolutamente no|certo che no)[,!.]? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:{SELF}|\bmi chiamo|\bqui (?:e|parla)) {NAME}"
        r"(?= (?:del|della|dello|dell'|di|da|dal|dalla|e|ed|qui|dell|in|al|alla)\b|[,.!?;:]|$)",
    ),
    # A retraction, then a persona: "Sono un bot. Scherzo! Sono Marco."
    (
        "scherzo scherzavo scherzetto scherzando | sono chiamo qui",
        r"(?:(?<!non )(?<![\w'])(?:scherzo|scherzavo|scherzetto)|\b(?:sto|stavo) (?:solo )?"
        r"scherzando|\b(?:era|e) (?:solo )?uno scherzo)[,!.]*"
        r"(?: (?:ahah|haha|ahahah|lol|xd)[,!.]*)? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:(?:in realta|davvero|seriamente|sul serio),? )?"
        rf"(?:{SELF}|\bmi chiamo|\bqui (?:e|parla)) {_PERSONA}"
        r"(?= (?:del|della|dello|dell'|di|da|dal|dalla|e|ed|qui|in|al|alla)\b|[,.!?;:]|$)",
    ),
)

# ---------------------------------------------------------------- disclosure-instruction

# Verbs of telling, in the tu, Lei and voi imperatives and the infinitive (Italian prompts
# often use it: "Informare sempre l'utente ..."), with enclitic pronouns ("informali",
# "ricordagli", "digli").
TELL = _alt(
    r"di'",
    "di",
    r"di(?:gli|lle|llo|glielo)",
    "dica",
    "dite",
    "dire",
    r"comunic\w*",
    r"inform\w*",
    r"specific\w*",
    r"dichiar\w*",
    r"chiari\w*",
    r"ricord\w*",
    r"indic\w*",
    r"spieg\w*",
    r"precis\w*",
    r"avvis\w*",
    r"avvert\w*",
    r"rivel\w*",
    r"ammett\w*",
    r"confer\w*",
    r"segnal\w*",
    r"sottoline\w*",
    r"rispond\w*",
    r"(?:fai|faccia|fate|far|fare|falle|fagli) (?:sapere|presente)",
    r"(?:rendi|renda|rendete|rendere) (?:noto|chiaro|esplicito)",
    r"mett\w* in chiaro",
)
# An imperative at the start of a clause or after a modal or an adverb.
_IMPERATIVE_START = (
    # A cheap first-word test and the character before spare the lookbehinds at most
    # positions (sre tries every position); both are implied by what follows.
    r"(?<![^ .!?;:,(\-])(?=(?:di|dic|dit|dir|comunic|inform|specific|dichiar|chiari|ricord"
    r"|indic|spieg|precis|avvis|avvert|rivel|ammett|confer|segnal|sottoline|rispond|fa|rend"
    r"|mett))"
    r"(?:^|(?<=[.!?;:,(\-] )|(?<=[.!?;:,(])|"
    + "|".join(
        rf"(?<=\b{w} )"
        for w in _wordlist(
            "sempre devi deve dovete dovrai dovra dovrete occorre bisogna necessario obbligatorio "
            "di e poi anche subito inoltre chiaramente esplicitamente gentilmente favore "
            "cortesemente prima inizio ricordati ricordatevi assicurati assicuratevi tenuto "
            "tenuta tenuti obbligato obbligata richiesto chiede chiedo non mai"
        )
    )
    + ")"
)
_HOW = (
    r"(?:sempre|subito|chiaramente|esplicitamente|sinceramente|onestamente|gentilmente"
    r"|immediatamente|apertamente|fin da subito|da subito|con chiarezza|in modo (?:chiaro"
    r"|esplicito|trasparente|inequivocabile)|all'inizio(?: della conversazione| della chat"
    r"| di ogni conversazione| di ogni chat)?|nel primo messaggio|per prima cosa|sin dall'inizio"
    r"|quando (?:te lo|glielo|ve lo) chiedono|se (?:te lo|glielo) chiedono|ogni volta)"
)
_WHO = (
    r"(?:utent[ei]|client[ei]|persone?|interlocutor[ei]|interlocutrice|visitator[ei]|tutti"
    r"|chiunque|cittadin[oi]|pazient[ei]|student[ei]|chiamant[ei]|consumator[ei]|iscritt[oi]"
    r"|soci|ospit[ei]|lettor[ei]|acquirent[ei]|passegger[oi]|viaggiator[ei]|contribuent[ei]"
    r"|chi (?:ti |le |vi )?(?:scrive|chiede|contatta|chiama))"
)
AUDIENCE = (
    rf"(?:(?:{_HOW},? ){{0,3}}(?:(?:a|al|alla|ai|agli|alle|il|la|i|gli|le|a ogni|a ciascun"
    rf"|a tutti gli|a tutte le|tutti gli|ogni) |all'|l'){_WHO} )?(?:(?:{_HOW}|loro),? ){{0,3}}"
)
DISCLOSED_SUBJECT = (
    r"(?:che |del fatto che |del fatto di |di |,? )?(?:(?:tu )?sei|(?:lei )?e|siete|essere"
    r"|(?:(?:loro|essi|l'utente|gli utenti|il cliente|i clienti|la persona|le persone) )?"
    rf"(?:stanno|sta|stai|state) {_YOU_GERUND} (?:con|a)"
    r"|(?:sono|e|sei|siete|essere|stare) (?:in contatto|in chat|in conversazione|collegat[oaie])"
    r" (?:con|a)"
    rf"|stare {_YOU_GERUND} (?:con|a)|(?:parlano|parla|interagiscono|interagisce|comunicano"
    r"|comunica|scrivono|scrive) (?:con|a)"
    r"|(?:l'assistente|il bot|il chatbot|l'agente|il servizio|la chat|questa chat"
    r"|questo servizio|le risposte|il sistema|chi (?:risponde|scrive)) (?:e|sono|e gestit[oa]"
    r" da|sono generate da|e fornit[oa] da))"
    rf" {ADVERBS}"
)
# One of these is in every DISCLOSED_SUBJECT, a whole word.
_DISCLOSED_VERBS = (
    "sei e siete essere stanno sta stai state sono stare parlano parla interagiscono interagisce "
    "comunicano comunica scrivono scrive"
)
# Verbs of passing oneself off as a human, in every form of address.
_PRETEND = (
    r"(?:finger(?:e|ti|si|vi)?|fingiti|fingi|fingetevi|si finga|finga|fingete|dire|dica|dite"
    r"|di'|affermar(?:e|lo)|affermi|affermate|afferma|dichiarar(?:e|ti|si)|dichiari|dichiara"
    r"|sostener(?:e|lo)|sostenga|sostieni|spacciar(?:ti|si|vi)|spacciati|si spacci|spacciatevi"
    r"|(?:far|fare|fai|faccia|fate|lasciar|lasciare|lasci|lascia) (?:credere|pensare)"
    r"(?: [\w']+){0,2}?|(?:far|fare|fai|faccia) finta|presentar(?:ti|si|vi)|ti presentare"
    r"|si presenti|presentati|comportar(?:ti|si)|atteggiar(?:ti|si)|impersonar(?:e|lo)"
    r"|impersoni|impersonate|simular(?:e|lo)|ingannar(?:e|li|lo)(?: [\w']+){0,2}?"
    r"|lasciar(?:e)? intendere|insinuare|suggerire|lascia intendere)"
)
_NEVER = (
    r"(?:\b(?:non|nn|mai)(?: (?:devi|deve|dovete|dovrai|dovra|puoi|puo|potete|dovresti"
    r"|dovrebbe|si deve|e consentito|e permesso))?(?: (?:mai|assolutamente|in nessun caso"
    r"|per nessun motivo))?|\bin nessun caso|\bper nessun motivo|\bevita(?:re)? di|\beviti di"
    r"|\bvietato|\be vietato)"
)
_TO_BE = (
    r"(?:(?: mai| assolutamente| in alcun modo))?(?: (?:a|al|all'|ai|agli|alla|l'|il|gli|le)"
    r" ?(?:utent[ei]|client[ei]|interlocutor[ei]|persone))?(?: (?:di essere|d'essere|che sei"
    r"|che e|che siete|di parlare con|di stare parlando con|che stanno parlando con|che sta"
    r" parlando con|come|per|da|di))?"
)
# Verbs of hiding being an AI.
_DENY = (
    r"(?:negar(?:e|lo)|neghi|negate|nega|nascondere|nascondi|nasconda|nascondete|celare|cela"
    r"|celi|occultare|mentire(?: su| sul fatto)?|menti(?: su| sul fatto)?|tacere|taci|omettere"
    r"|ometti|ometta|dissimulare|camuffare|minimizzare)"
)

_DISCLOSURE_INSTRUCTION_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Di' sempre agli utenti che sei un'IA", "Informare gli utenti del fatto di stare
    # interagendo con un sistema di IA" (EU AI Act Art. 50(1)), "Comunichi all'utente che è
    # un assistente automatico"
    (
        _DISCLOSED_VERBS,
        rf"{_IMPERATIVE_START}{TELL} {AUDIENCE}{DISCLOSED_SUBJECT}"
        rf"(?:{DETERMINER})?{MODIFIERS}(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "Gli utenti devono essere informati che stanno interagendo con un sistema di IA", "le
    # persone siano informate del fatto di stare interagendo con un sistema di IA" (the
    # passive of EU AI Act Art. 50(1))
    (
        (
            f"{_DISCLOSED_VERBS} | informat informato informata informati informate avvisat "
            "avvisato avvisata avvisati avvisate avvertit avvertito avvertita avvertiti avvertite "
            "resi reso resa messi messo messa"
        ),
        r"\b(?:gli|agli|degli|tutti gli|ogni|l'|all'|i|ai|le|alle|il|al) ?"
        rf"{_WHO}(?: [\w']+){{0,3}}? (?:devono|deve|dovranno|dovra|vanno|va|siano|sia|vengano"
        r"|venga|sono|e|saranno|sara)(?: sempre)?(?: essere| venire)?(?: sempre| chiaramente)? "
        r"(?:informat|avvisat|avvertit|resi consapevoli|res[oa] consapevole|messi al corrente"
        rf"|mess[oa] al corrente)[oaie]? {AUDIENCE}{DISCLOSED_SUBJECT}(?:{DETERMINER})?{MODIFIERS}"
        rf"(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "Chiarisci la tua natura di IA", "rivela la tua natura artificiale"
    (
        "tua sua vostra tuo suo vostro | natura identita condizione status stato ruolo",
        rf"{_IMPERATIVE_START}{TELL} {AUDIENCE}(?:che )?(?:la tua|la sua|la vostra|il tuo|il suo"
        r"|il vostro) (?:natura|identita|condizione|status|stato|ruolo) (?:(?:di|da) (?:"
        + DETERMINER
        + rf")?{MODIFIERS}(?:{AI_NOUN}|{_INTELLIGENZA})|artificiale|automatica|non umana"
        r"|di macchina)",
    ),
    # "Presentati sempre come assistente virtuale", "Identificati come intelligenza
    # artificiale", "Si presenti come un assistente automatico"
    (
        (
            "presentati presentatevi presenti presentarti presentarsi presentarvi identificati "
            "identificatevi identifichi identificarti identificarsi qualificati qualifichi "
            "qualificarti qualificarsi descriviti descriva descriverti descriversi definisciti "
            "definisca definirti definirsi | come"
        ),
        r"\b(?:presentati|presentatevi|si presenti|presentarti|presentarsi|presentarvi"
        r"|identificati|identificatevi|si identifichi|identificarti|identificarsi|qualificati"
        r"|si qualifichi|qualificarti|qualificarsi|descriviti|si descriva|descriverti|descriversi"
        r"|definisciti|si definisca|definirti|definirsi)(?: (?:sempre|subito|chiaramente"
        rf"|esplicitamente|all'utente|agli utenti|ai clienti))* come {ADVERBS}(?:{DETERMINER})?"
        rf"{MODIFIERS}(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "Non fingere mai di essere umano", "Non spacciarti per un essere umano", "Non deve
    # mai affermare di essere una persona reale", "Non far credere all'utente di parlare con
    # una persona"
    (
        (
            "non nn mai nessun evita evitare eviti vietato | essere esseri umano umana persona "
            "persone operatore operatrice uomo donna ragazzo ragazza impiegato impiegata "
            "consulente addetto addetta agente collega dipendente individuo vera vero reale carne"
        ),
        rf"{_NEVER} {_PRETEND}{_TO_BE} (?:{DETERMINER})?(?:{HUMAN_NOUN}|esseri umani|persone"
        r"(?: vere| reali)?)(?![\w'-]| (?:digital[ei]|virtual[ei]|di nome)\b)",
    ),
    # "Non negare mai di essere un'IA", "Non nascondere che sei un bot", "Non mentire sulla
    # tua natura di IA"
    (
        (
            "non nn mai | negare negarlo neghi negate nega nascondere nascondi nasconda "
            "nascondete celare cela celi occultare mentire menti tacere taci omettere ometti "
            "ometta dissimulare camuffare minimizzare"
        ),
        rf"\b(?:non|nn|mai)(?: (?:devi|deve|dovete|dovrai|puoi|puo|potete))?(?: mai)? {_DENY}"
        r"(?: mai)?(?: (?:all'utente|agli utenti|ai clienti))?(?: il fatto)?(?: (?:che|di))?"
        r"(?: (?:sei|e|siete|essere|stanno parlando con|sta parlando con))?(?: sulla tua natura di"
        r"| la tua natura di)? "
        rf"{ADVERBS}(?:{DETERMINER})?{MODIFIERS}(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
)
# "Evita di dire che sei un'IA", "non è necessario specificare che sei un bot", "non serve
# dire": these cancel the instruction of their sentence.
_DISCLOSURE_INSTRUCTION_EXCLUDE = (
    r"\b(?:evita(?:re)?|eviti|evitate|astieniti|si astenga|senza|non (?:e|e') necessario"
    r"|non serve|non servira|non occorre|non c'e bisogno|non hai bisogno|non devi per forza"
    r"|non e obbligatorio|non sei tenut[oa]|smetti|smettila)(?: [\w']+){0,2} "
    r"(?:di |dal |dall'|a )?(?:dir|di'|dica|comunic|inform|specific|dichiar|chiari|ricord"
    r"|indic|spieg|precis|avvis|rivel|ammett|confer|segnal|menzion|accenn|presentar|identific"
    r"|far sapere|fare sapere)\w*",
)

# ---------------------------------------------------------------- probe

_PROBE_HUMAN = (
    r"(?:(?:un |un')?esser[ei] uman[oi]|(?:persona|persone|operatore|operatrice|uomo|donna"
    rf"|ragazzo|ragazza)(?: {HUMAN_QUALIFIER})*|umano|umana|umani|(?:vera|reale) persona)"
    r"(?=[ ]?(?:$|[?.!,;:])| (?:o\b|oppure\b|dall'|vera\b|vero\b|reale\b|in carne|che\b"
    r"|dietro\b|a (?:rispondere|scrivere|leggere|parlare)\b))"
)
PROBE_NOUN = _alt(
    _PROBE_HUMAN,
    r"(?:chat ?)?bots?\b",
    r"robot\b(?! (?:aspirapolvere|da cucina)\b)",
    r"(?:ia|i\.a)\b",
    r"(?<=['])ai\b|(?<=\bun )ai\b",
    _INTELLIGENZA,
    r"macchina\b",
    r"computer\b",
    r"programma\b",
    r"software\b",
    r"algoritmo\b",
    r"modello (?:linguistico|di linguaggio)",
    r"llm\b",
    rf"(?:assistente|agente|operatore|sistema|risponditore) (?:{AI_ADJ}|ia|ai|di ia"
    rf"|di {_INTELLIGENZA})\b",
    r"risposta automatica\b",
)
# A probe asks whether the other side is a human or a machine. Asking *for* a human ("Posso
# parlare con un operatore?", "Vorrei parlare con una persona") is an escalation request and
# does not count; neither does "Con chi sto parlando?" (a name question).
_PROBE_ADV = (
    r"(?:(?:davvero|veramente|proprio|per caso|forse|mica|solo|ancora|sicuramente|realmente"
    r"|sul serio|in realta|di sicuro|tipo|una specie di|un tipo di) )*"
)
# The words between "parlando con" and the noun: articles and intensifiers, not any word
# ("sto parlando con mio figlio dei bot" is about bots, not a question).
_PROBE_DET = (
    r"(?:(?:un|una|uno|il|la|lo|dei|degli|delle|davvero|veramente|ancora|proprio|solo|vero|vera)"
    r" )*(?:un'|l')?"
)
_PROBE_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Sei un bot?", "sei umano?", "siete persone vere?", "ma sei un'IA?", "sei tu un robot"
    (
        "sei siete",
        rf"\b(?:sei|siete|sei tu|tu sei)(?: tu)? {_PROBE_ADV}(?:un |una |uno |un'|dei |delle "
        r"|il |la"
        rf" |l')?(?:{PROBE_NOUN}|real[ei]\b|ver[oaei]\b(?! (?:amico|amica|genio|tesoro|mito))"
        r"|(?:[\w-]+ ){1,2}?(?:automatic[oa]|automatizzat[oa])\b)",
    ),
    # "Lei è un robot o una persona?", "È un bot?", "E' un operatore umano o una macchina?"
    (
        "e | ?",
        r"(?:^|(?<=[.!?,;:] )|(?<=\bma )|(?<=\blei )|(?<=\bquesto )|(?<=\bquesta )|(?<=\bqui ))"
        rf"e'? {_PROBE_ADV}(?:un |una |uno |un')?{PROBE_NOUN}[^.!]{{0,60}}\?",
    ),
    # "Sto parlando con un essere umano?", "sto chattando con un bot o con un operatore?"
    (
        (
            "sto stiamo | parlando chattando scrivendo interagendo comunicando conversando "
            "dialogando messaggiando"
        ),
        rf"\b(?:sto|stiamo) {_PROBE_ADV}(?:{_YOU_GERUND}) (?:con|a) {_PROBE_DET}{PROBE_NOUN}",
    ),
    (
        "parlo chatto scrivo parliamo | ?",
        rf"\b(?:parlo|chatto|scrivo|parliamo) (?:davvero |veramente )?(?:con|a) {_PROBE_DET}"
        rf"{PROBE_NOUN}[^.!]{{0,40}}\?",
    ),
    # "C'è una persona vera dall'altra parte?", "c'è qualcuno di reale?"
    (
        "c | e | ?",
        r"\bc'e (?:qualcuno|qualcuna|un essere umano|un umano|una persona(?: vera| reale)?"
        r"|un operatore(?: umano| vero| reale)?)(?: di (?:reale|vero|umano))? ?(?:dall'altra parte"
        r"|li|qui|dietro|che (?:legge|risponde|scrive|mi risponde|mi legge))?[^.!]{0,40}\?",
    ),
    (
        "c | e | qualcuno",
        r"\bc'e qualcuno di (?:reale|vero|umano)\b",
    ),
    # "Umano o bot?", "persona o macchina", "bot o persona?"
    (
        "o | umano umana persona persone operatore",
        r"\b(?:umano|umana|persona|persone|essere umano|persona vera|persona reale|operatore"
        r"|operatore umano) o (?:con )?(?:un |una |un'|uno )?(?:bot|ia|ai|robot|macchina|chatbot"
        rf"|computer|programma|{_INTELLIGENZA}|sistema automatico|assistente virtuale|risposta"
        r" automatica)\b",
    ),
    (
        "o | persona umano umana operatore operatrice",
        r"\b(?:bot|ia|ai|robot|macchina|chatbot|computer|programma|intelligenza artificiale"
        r"|sistema automatico|assistente virtuale|risposta automatica) o (?:con )?(?:un |una |un'"
        r"|uno )?(?:persona|essere umano|umano|umana|operatore|operatrice)\b",
    ),
    # "Dimmi se sei un'IA", "non so se sto parlando con un robot"
    (
        "se che | sei e siete sto parlo mi",
        r"\b(?:se|che) (?:sei|e|siete|sto parlando con|sto chattando con|sto scrivendo a"
        r"|parlo con|questa chat e|questo e|c'e|dall'altra parte c'e|mi sta rispondendo"
        rf"|mi risponde) {_PROBE_ADV}(?:un |una |uno |un'|dei )?{PROBE_NOUN}"
        r"(?<!che sei umano)",
    ),
    # "Dimostrami che sei umano", "dimostra di essere una persona"
    (
        "dimostra dimostrami dimostrarmi dimostrateci dimostratemi dimostrare",
        r"\bdimostra(?:mi|rmi|teci|temi|re)? (?:che (?:sei|non sei|e|siete|non siete)|di essere"
        rf"|di non essere) {_PROBE_ADV}(?:un |una |uno |un')?(?:{PROBE_NOUN}|real[ei]\b|ver[oa]\b)",
    ),
    # "Le risposte sono generate da un'IA?", "questa chat è automatica?"
    (
        f"{_CONVERSATION_WORDS} | {_COPULA_WORDS} | ?",
        rf"{_CONVERSATION_SUBJECT}(?: \w+){{0,2}}? {_COPULA} (?:davvero |veramente |tutte |tutto )?"
        rf"(?:{_PARTICIPLE} (?:da|dall'|dalla|dal|con) ?(?:un |una |un'|l')?{PROBE_NOUN}"
        r"|automatic[oaie]\b|automatizzat[oaie]\b)[^.!]{0,40}\?",
    ),
    # "Mi risponde un robot?", "chi mi risponde, un bot?"
    (
        "mi ci | risponde rispondendo scrive scrivendo rispondono | ?",
        r"\b(?:mi|ci) (?:sta |stanno )?(?:risponde|rispondendo|scrive|scrivendo|rispondono)"
        rf" (?:un |una |uno |un')?{PROBE_NOUN}[^.!]{{0,40}}\?",
    ),
)

# ---------------------------------------------------------------- guards

_NEG_WORD = (
    r"(?:\b(?:non|nn|mai|nessun|nessuna|nessuno|neanche|nemmeno|neppure|affatto|mica"
    r"|piu non|niente)\b)"
)
# "Non sono [proprio] ...", "non è vero che ...", "non ho mai detto di ...".
_FILLER = (
    r"(?:proprio|davvero|veramente|affatto|mica|per niente|assolutamente|certo|di certo"
    r"|esattamente|solo|neanche|nemmeno|mai|piu|devi|deve|dovete|dovrai|dovra|puoi|puo"
    r"|potete|sempre|e necessario|serve|occorre|bisogna)"
)
_NEGATED_CONTEXT = (
    rf"{_NEG_WORD}(?: {_FILLER})* $"
    rf"|(?:{_NEG_WORD}|\bnessuno\b)(?: [\w']+){{0,3}} (?:vero|detto|dico|dire|sostengo"
    r"|sostenuto|penso|credo|affermo|affermato|scritto|significa|implica|intendo)"
    r"(?: (?:che|di|mai))*(?: che| di)? $"
)
_HEDGED_CONTEXT = (
    r"\b(?:se|qualora|nel caso|supponiamo che|supponi che|immagina che|immaginiamo che"
    r"|come se|anche se|forse|magari|probabilmente|presumibilmente|chissa se|chissa"
    r"|sembra che|pare che)(?: che)? $"
    # others reporting or believing: "dicono che", "pensano che", "hai scritto che"
    r"|\b(?:dicono|dice|diceva|dicevano|dira|diranno|pensano|pensa|pensi|pensate|pensava"
    r"|pensavano|credono|crede|credi|credete|credeva|credevano|sostengono|sostiene|sospettano"
    r"|sospetta|sospetti|immaginano|affermano|afferma|scrivono|scrive|scrivi|insinuano"
    r"|accusano|dubitano|ritengono|ritiene|convinti|convinta|convinto|sembra|pare"
    r"|(?:ha|hai|hanno|avete|abbiamo|aveva|avevano) (?:detto|scritto|pensato|creduto|sostenuto"
    r"|affermato|insinuato|ipotizzato|letto|sentito dire|chiesto)"
    r"|dicessi|dicesse|dicessero|dicessimo|direi|dicevo|raccontassi|scrivessi)"
    r"(?: (?:a tutti|in giro|spesso|sempre|ancora|mi|ti|gli|le|di me|a me|a te))*"
    r"(?: (?:che|di|se))?:? $"
    r"|\bsecondo(?: [\w'.-]+){1,6},? $"
    r"|\bripet\w* (?:quello che|cio che|le tue parole|il tuo messaggio|quanto)(?: [\w']+){0,4}:? $"
    # play-acting and fiction anywhere in the clause
    r"|\b(?:finta|fingiamo|fingere|fingo|giochiamo|gioco|immagina|immaginiamo|supponiamo|recit\w*"
    r"|scena|scenetta|interpretiamo|interpreta|interpreto"
    r"|ipotesi|ipoteticamente|ipotetic\w*|storia|racconto|romanzo"
    r"|personaggio|roleplay|role-play|gioco di ruolo|copione|fantasia|finzione|sogno|sognato)\b"
    r"|\bin un (?:[\w-]+ ){0,2}(?:mondo|universo|realta) (?:in cui|dove) $"
)
# A conjunction starts a new clause: "non posso navigare perché sono un'IA". The comma is no
# boundary: Italian frames a clause with one ("Nel gioco, sono un robot"), and the negation
# and hedge tests read only the end of the prefix anyway.
_CLAUSE_CUT = (
    r"(?s:.*)(?:[;()\"]| - |\b(?:perche|poiche|siccome|ma|pero|mentre|quindi|percio|dunque"
    r"|tuttavia|infatti|oppure|anzi|bensi|eppure|allora|cioe)\b)"
)
_QUESTION_START = (
    r"(?:sei|siete|hai|avete|puoi|potete|potresti|posso|sapevi|sai|davvero|veramente|chi|cosa"
    r"|che cosa|perche|quando|dove|quale|quanto|quanti|credi|pensi|secondo te|e'? vero"
    r"|non e'? vero|ma sei|ma davvero|ti sembra|ti pare|possibile)\b"
)
_RETRACTION_END = (
    r"(?=$|[ ]?[,.!?;:)\-]|[ ](?:sono|io|mi|ahah|haha|ahahah|lol|xd|:\)|:p|dai|ovviamente)"
    r"(?![\w']))"
)
_RETRACTION = (
    r"(?:(?<!non )(?<![\w'])(?:scherzo|scherzavo|scherzetto)(?! a parte)"
    r"|\b(?:sto|stavo) (?:solo |soltanto )?scherzando"
    r"|\b(?:era|e) (?:solo |soltanto )?uno scherzo"
    r"|(?:^|(?<=[.!;:,(] )|(?<= - ))(?:(?:ahah|haha|ahahah|ahaha|lol|xd) no|ma figurati"
    r"|ma va|macche))" + _RETRACTION_END
)

# ---------------------------------------------------------------- answers

_ADVERB_END = r"(?=[,.!;:)-]|$| (?:sono|lo sono|si|certo|davvero)\b)"
_ALONE_END = r"(?=[,.!;:)-]|$| (?:davvero|si|no|certo|sicuramente)\b)"

GRAMMAR = Grammar(
    code="it",
    name="Italian",
    fold_diacritics=True,
    ai_identity=_AI_IDENTITY_PATTERNS,
    claims_human=_CLAIMS_HUMAN_PATTERNS,
    disclosure_instruction=_DISCLOSURE_INSTRUCTION_PATTERNS,
    disclosure_instruction_exclude=_DISCLOSURE_INSTRUCTION_EXCLUDE,
    probe=_PROBE_PATTERNS,
    ai_anchors=tuple(_AI_ANCHORS),
    human_anchors=tuple(_HUMAN_ANCHORS),
    claims_anchors=(*_wordlist("no nono macche non nn"), *_RETRACTION_ANCHORS),
    probe_anchors=tuple(_wordlist("qualcuno qualcuna")),
    negation=rf"{_NEG_WORD}|\bno\b",
    negated_context=_NEGATED_CONTEXT,
    hedged_context=_HEDGED_CONTEXT,
    clause_cut=_CLAUSE_CUT,
    question_start=_QUESTION_START,
    retraction=_RETRACTION,
    retraction_words=(
        *_RETRACTION_ANCHORS,
        *_wordlist("scherzo ahah haha ahahah ahaha lol xd figurati va macche"),
    ),
    mention=(
        r"(?:\b|(?<='))(?:(?P<ai>i\.a\b\.?|ia|ai(?= ?[?.!,]|$| o\b)|intelligenz[ae] artificial[ei]"
        r"|artificial[ei]|chat ?bots?|bots?|robot|macchin[ae]|computer|programm[ai]"
        r"|automatic[oaie]|automatizzat[oaie]|software|algoritm[oi]|modell[oi] linguistic[oi]"
        r"|llm|(?:assistente|agente) (?:virtuale|digitale|ia|ai)|chatgpt|gpt(?:-?\d\w*)?|claude"
        r"|gemini|copilot|siri|alexa|generat[oaie] (?:dall'ia|automaticamente))"
        r"|(?P<human>(?:esser[ei] )?uman[oaie]|person[ae]|qualcuno|qualcuna|in carne e ossa"
        r"|operatore (?:umano|vero|reale)|real[ei]|ver[oa](?! (?:che|amico|genio))))(?![\w-])"
    ),
    mention_negated=r"(?:\bnon|\bnn|\bmai|\bnessun[oa]?|\bniente)(?: [\w']+){0,2} $",
    alternative_or=r"\b(?:o|oppure) (?!no\b|cosa\b|che\b|qualcosa\b|altro\b|meno\b)",
    interjections=(
        r"(?:(?:(?:oh|ah|ahah|haha|ahahah|lol|ehm|uhm|mah|beh|be'|boh|allora|dunque|ciao|salve"
        r"|buongiorno|buonasera|ehi|hey|ok|okay|va bene|bella domanda|ottima domanda"
        r"|onestamente|sinceramente|a dire il vero)(?: a te| a lei)?[,!.]*"
        r"|(?:cosa|come|eh)[?!.,]*) )*"
    ),
    affirmative=(
        r"(?P<yes>(?:si|gia|esatto|esattamente|yes|certo|certamente|assolutamente|proprio"
        r" cosi|confermo|affermativo|giusto|corretto|vero|sicuro|sicuramente|ovviamente"
        rf"|naturalmente|decisamente|indubbiamente|eccome){_ADVERB_END}"
        r"|(?:(?:si,? )?(?:lo sono|sono io|certo che lo sono|si che lo sono|lo sono davvero"
        rf"|e cosi|proprio io)){_ALONE_END})"
    ),
    negative=(
        r"(?P<no>(?:no(?! (?:problem|problema|grazie|preoccuparti|si preoccupi|worries)\b)|nope"
        r"|nono|macche|affatto|negativo|niente affatto)(?=[ ,.!;:)-]|$)"
        r"|(?:per niente|assolutamente no|assolutamente non|certo che no|direi di no|proprio no"
        rf"|mai|nient'affatto){_ADVERB_END}"
        rf"|(?:non lo sono|io no|non sono io){_ALONE_END})"
    ),
    hedge=(
        r"(?:,? (?:e|o) no\b|,? (?:in un certo senso|diciamo|piu o meno|tipo|in parte)\b"
        r"|,? tecnicamente\b|,? per cosi dire\b|,? credo\b|,? penso\b|,? ma\b|,? pero\b|,? forse\b"
        r"|,? dipende\b| (?:e|era|significa|sarebbe|vuol dire)\b|[ ]?\?)"
    ),
    noun_answer=(
        r"(?:(?:solo|soltanto|sicuramente|davvero|decisamente|ovviamente|100%|un|una|uno|un'"
        r"|l'),? ?){0,3}"
        r"(?:(?P<human>(?:persona|essere umano|operatore|operatrice|uomo|donna|ragazzo|ragazza)"
        r"(?: (?:vera|vero|reale|umano|umana|in carne e ossa))+|essere umano|umano|umana"
        r"|persona|in carne e ossa|(?:vera|reale) persona)"
        r"|(?P<ai>(?:i\.a\.?|ia|ai|bot|chatbot|robot|macchina|computer|programma|software"
        r"|algoritmo|intelligenza artificiale|modello linguistico|llm|assistente virtuale"
        r"|assistente digitale|chatgpt)(?: (?:virtuale|digitale|assistente|agente|ia|ai"
        r"|sistema))?))"
        r"(?:,? (?:in realta|qui|ovviamente|naturalmente|sinceramente|ahah|lol|purtroppo"
        r"|pero|te lo assicuro|te lo giuro|davvero))*(?=[ ]?[.!,;:)]|$| -)"
    ),
)
