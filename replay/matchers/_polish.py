"""The Polish (pl) grammar of the built-in matchers.

Covers: first-person disclosures ("Jestem asystentem AI", "Jestem sztuczną inteligencją",
"jestem tylko botem", "Jestem dużym modelem językowym"), names ("Nazywam się Ewa i jestem
wirtualną asystentką banku", "Jestem Max, asystent AI firmy Orange", "Tu bot InPost"), the
listener's side in informal "ty"/"wy" and formal "Pan/Pani/Państwo" ("Rozmawiasz z botem",
"Rozmawia Pan z asystentem AI", "Zostałeś połączony z wirtualnym asystentem", "Obsługuje Cię
bot"), the service ("To jest automatyczny czat", "Odpowiedzi są generowane przez AI", "Ten czat
jest obsługiwany przez sztuczną inteligencję"), "Jako model językowy nie mogę ..." and the EU
AI Act Art. 50(1) wording ("prowadzisz interakcję z systemem AI"); human claims and denials
("Jestem prawdziwym człowiekiem", "Nie jestem botem", "Nie, mam na imię Ania"); instructions
in system prompts ("Zawsze informuj użytkowników, że jesteś AI", "Nigdy nie udawaj człowieka",
"Nie podawaj się za człowieka", "Nigdy nie zaprzeczaj, że jesteś AI", "Użytkownicy muszą być
informowani o tym, że prowadzą interakcję z systemem AI"); probes ("Czy jesteś botem?",
"Czy rozmawiam z prawdziwą osobą?", "Człowiek czy bot?", "jestes botem czy czlowiekiem").

The text is seen diacritic-folded ("człowiek" reads "czlowiek", "sztuczną" "sztuczna", "ż"
"z"), so every regex is written without ą, ć, ę, ł, ń, ó, ś, ź, ż, and matches the common
omission too. Polish inflects: after "jestem" and "z" (with) the noun is instrumental
("botem", "asystentem", "asystentką"), after "przez" (by) accusative ("bota", "sztuczną
inteligencję"); noun endings are listed per stem, never ``\\w*``, so the genitive of a topic
("ekspert od sztucznej inteligencji", "filmy o robotach") is no identity noun. "AI" follows
the noun it qualifies ("asystent AI", "inżynier AI"): an assistant noun is an AI noun only
with an AI adjective before it ("wirtualny asystent") or an AI qualifier after it ("asystent
AI", "model językowy"), and a person's role before "AI" ("inżynier AI", "badaczka AI")
stops the match. Polish puts a comma before "że" (that) and "czy" (whether), so the clause
cut does not cut there: "Ludzie myślą, że jestem botem" is read as one reported clause.
"""

from __future__ import annotations

from replay.matchers._engine import _alt, _wordlist, _words
from replay.matchers._grammar import Grammar

# ---------------------------------------------------------------- inflection helpers

# Adjective endings (folded): nominative, instrumental, genitive, plural.
_ADJ_END = ("y", "a", "e", "ym", "ego", "ej", "i", "ych", "ymi", "emu")


def _adj_forms(*stems: str) -> list[str]:
    """Every listed adjective form of ``stems`` ("wirtualn" -> "wirtualny", "wirtualnym"...)."""
    return [s + e for s in stems for e in _ADJ_END]


def _forms(spec: str) -> list[str]:
    """``"bot:,em,a chatbot:,em,a"`` -> every stem+ending as a word."""
    out: list[str] = []
    for item in spec.split():
        stem, ends = item.split(":")
        out += [stem + e for e in ends.split(",")]
    return out


# ---------------------------------------------------------------- anchors and building blocks

_AI_ADJ_STEMS = (
    "wirtualn",
    "cyfrow",
    "automatyczn",
    "inteligentn",
    "konwersacyjn",
    "generatywn",
    "zautomatyzowan",
    "elektroniczn",
)
# Adjectives that make an assistant noun an AI after it: "model językowy", "program
# komputerowy", "asystent głosowy".
_AI_POST_ADJ_STEMS = ("jezykow", "komputerow", "glosow")
# Nouns that are AI by themselves, with the endings Polish gives them after "jestem", "z" and
# "przez" (nominative, instrumental, accusative).
_AI_HEAD_FORMS = _forms(
    "bot:,em,a chatbot:,em,a czatbot:,em,a robot:,em,a algorytm:,em maszyn:a,e "
    "inteligencj:a,e,i sztuczn:a,e,ej"
)
_AI_ANCHORS = [
    *_wordlist("ai a.i si llm chatgpt"),
    *_AI_HEAD_FORMS,
    *_adj_forms(*_AI_ADJ_STEMS, *_AI_POST_ADJ_STEMS),
    "automatycznie",
    # "nie jestem człowiekiem, tylko programem"
    *_wordlist("programem systemem modelem algorytmem automat automatem"),
]
_HUMAN_ANCHORS = [
    *_forms("czlowiek:,iem,a osob:a,e,y istot:a,e ludzi: krwi: kosci:"),
    *_adj_forms("prawdziw", "zyw", "ludzk"),
]
# Every retraction that claims-human reads a persona after holds one of these.
_RETRACTION_ANCHORS = _wordlist("zartuje zartowalem zartowalam zartowalismy zart zartem zarcik jk")

# First person of "to be": "jestem", "ja jestem" (the pronoun is usually dropped).
SELF = r"\bjestem"
ADVERB = _words(
    "tylko jedynie wylacznie naprawde wlasciwie faktycznie oczywiscie rzeczywiscie przeciez "
    "juz nadal wciaz tez rowniez zaledwie po prostu zwyczajnie doslownie technicznie "
    "ostatecznie szczerze generalnie akurat jednak niestety"
)
ADVERBS = rf"(?:(?:{ADVERB}|po prostu|tak naprawde|w rzeczywistosci|w gruncie rzeczy),? ){{0,3}}"
# Words that end a noun phrase: after one of these the AI noun belongs to something else
# ("jestem pod wrażeniem tego chatbota", "jestem zmęczona rozmowami z botami").
_STOP = _words(
    "z ze w we na o od do dla pod nad przed za przez po u bez jak i a ale lub albo czy ze "
    "nie ani to ten ta tego tej jest sa byl byla ktory ktora ktore tylko jestem jestes "
    "jego jej ich mnie mi cie ci sie sobie"
)
# A person's role before "AI"/"chatbot": "inżynier AI", "badaczka AI", "fan chatbotów".
_ROLE = (
    r"(?:inzynier|badacz|ekspert|specjalist|entuzjast|programist|fan|autor|przeciwnik"
    r"|zwolennik|uzytkownik|tworc|student|wykladowc|naukowc|analityk|architekt|developer"
    r"|deweloper|pasjonat|sceptyk|krytyk|doktorant|nauczyciel|szef|dyrektor|kierownik|prawnik"
    r"|konsultant|trener|mentor|wlasciciel|zalozyciel|pracownik|redaktor|dziennikarz"
    r"|tester|projektant|lider|manager|menedzer|zwolenniczk|przeciwniczk|fank|autork"
    r"|wielbiciel|milosni)\w*"
)
# Up to three adjectives between "jestem" and the noun: "Twoim osobistym", "dużym". Only words
# with an adjective ending count, so a noun ("inżynierem", "autorem") ends the phrase.
MODIFIERS = rf"(?:(?!{_ROLE}\b|{_STOP}\b)\w+(?:ym|im|ego|ej|a|y|e|oj|sz),? ){{0,3}}"
AI_ADJ = rf"(?:{_alt(*_AI_ADJ_STEMS)})(?:{_alt(*_ADJ_END)})"
# Assistant nouns: an AI only when qualified ("wirtualny asystent", "asystent AI").
ASSIST_NOUN = _alt(
    "asystent(?:em|a|ka|ke|ki)?",
    "doradc(?:a|e)",
    "doradczyni(?:a)?",
    "konsultant(?:em|a|ka|ke)?",
    "agent(?:em|a|ka|ke)?",
    "pomocni(?:k|kiem|ka|czka|czke)",
    "system(?:em)?",
    "model(?:em)?",
    "program(?:em)?",
    "narzedzi(?:e|em)",
    "aplikacj(?:a|e)",
    "czat(?:em)?",
    "chat(?:em)?",
    "towarzysz(?:em|ka|ke)?",
    "przewodni(?:k|kiem)",
    "sekretar(?:z|zem|ka|ke)",
    "rozmowc(?:a|e)",
    "usług(?:a|e)",
    "uslug(?:a|e)",
    r"\w*bot(?:em|a)?",
)
# What makes an assistant noun an AI after it: "AI", "SI", "sztucznej inteligencji", "oparty
# na AI", "językowy".
AI_POST = _alt(
    r"a\.i\b\.?",
    "ai",
    "si",
    "sztucznej inteligencji",
    r"opart\w* na (?:ai|si|sztucznej inteligencji)",
    rf"(?:{_alt(*_AI_POST_ADJ_STEMS, *_AI_ADJ_STEMS)})(?:{_alt(*_ADJ_END)})",
)
AI_HEAD = _alt(
    r"a\.i\b\.?",
    "ai",
    "llm",
    r"si(?=[ ]?[,.!?;:)]|$| (?:i|czyli|ktor\w*)\b)",
    "sztuczn(?:a|e) inteligencj(?:a|e)",
    "(?:chat|czat)?bot(?:em|a)?",
    "robot(?:em|a)?",
    "algorytm(?:em)?",
    "maszyn(?:a|e)",
    # "jestem automatem" (not "automat do kawy")
    r"automat(?:em)?(?! (?:do|z|na|biletowy|telefoniczny)\b)",
    # "jestem (tylko) programem", "rozmawiasz z programem" (the instrumental only: "program"
    # is also a TV or loyalty programme)
    "programem",
    rf"ai-(?:{ASSIST_NOUN})",
)
# After the noun: no compound ("bot-farma"), not a role ("AI inżynier", rarely written).
AI_GUARD = rf"(?![\w-]| {_ROLE}\b)"
AI_NOUN = (
    rf"(?:{AI_ADJ} (?:{MODIFIERS})?{ASSIST_NOUN}(?: {AI_POST})?"
    rf"|(?!{_ROLE}\b){ASSIST_NOUN} {AI_POST}"
    rf"|{AI_HEAD}(?: {AI_POST})?){AI_GUARD}"
)
# A part played or a figure of speech: "jestem robotem w tej sztuce", "rano jestem robotem,
# dopóki nie wypiję kawy".
_NOT_A_ROLE = (
    r"(?! w (?:tej|tym|naszej|naszym) (?:sztuce|filmie|grze|zabawie|serialu|bajce|historii"
    r"|opowiesci|scenariuszu|przedstawieniu)\b"
    r"|,? (?:dopoki|zanim|dopiero|az) |,? (?:w (?:pracy|robocie)|przed kawa|bez kawy)\b)"
)
# After the noun, a finite verb makes it the subject of something else: "jestem pewien, AI
# to przyszłość", "jestem zdania, że bot może ...".
_NOT_SUBJECT = r"(?! (?:to|jest|sa|moze|moga|bedzie|zmieni|zabierze|potrafi)\b)"
# "Wirtualna asystentka" is also a human job title (a freelance remote assistant).
_NOT_JOB_TITLE = (
    r"(?!,? (?:i |oraz )?(?:prowadz\w*|mam|zalozyl\w*) (?:wlasn\w*|swoj\w*) "
    r"(?:dzialalnosc|firme|biznes|agencje)"
    r"|,? (?:w|na) (?:\w+ ){0,2}?(?:biurze|firmie|agencji|urzedzie|kancelarii|przychodni"
    r"|dziale|sekretariacie)\b)"
)
_NAME_STOP = _words(
    "tu tutaj tylko pewien pewna pewny przekonany przekonana zdania gotowy gotowa zajety "
    "zajeta zmeczony zmeczona glodny glodna sama tam teraz juz nadal wciaz z w na od do "
    "dla po pod nad przed za przez u ze a i ale lub nie tak to ten ta jest jestem jestes "
    "czlowiekiem osoba botem ai si zawsze nigdy troche bardzo bardziej ciekaw ciekawa "
    "szczery szczera wdzieczny wdzieczna zadowolony zadowolona smutny smutna rad rada "
    "przekonany zly zla tutaj dzis dzisiaj jutro wczoraj"
)
# A name: a word that is not a common predicate and not an instrumental noun ("jestem
# pewien", "jestem programistą" are not names).
NAME = rf"(?!{_NAME_STOP}\b|\w+(?:em|iem|ym|im|owa)\b)[a-z][\w'-]*"
QUOTED_NAME = rf"(?:{NAME}|\"{NAME}\"|'{NAME}')"
_CLAUSE_START = (
    r"(?:^|(?<=[.!?;:,(] )|(?<=[.!?;:,(])|(?<=\bale )|(?<=\bi )|(?<=\btak )|(?<=\bnie )"
    r"|(?<=\bczesc )|(?<=\bhej )|(?<=\bwitaj )|(?<=\bwitam )|(?<=\bdzien dobry ))"
)

# The listener's side: "rozmawiasz z", "rozmawia Pan z", "prowadzą Państwo interakcję z".
_YOU = r"(?:pan|pani|panstwo)"
_YOU_VERB = _alt(
    "rozmawiasz",
    "piszesz",
    "czatujesz",
    "rozmawiacie",
    "piszecie",
    "korespondujesz",
    rf"(?:rozmawia|pisze|koresponduje) {_YOU}",
    rf"{_YOU} (?:rozmawia|rozmawiaja|pisze|pisza)",
    "rozmawiaja panstwo",
    "prowadzisz interakcje",
    "prowadzicie interakcje",
    rf"prowadzi {_YOU} interakcje",
    "prowadza panstwo interakcje",
    "wchodzisz w interakcje",
    "jestes w kontakcie",
    "jestescie w kontakcie",
    rf"jest {_YOU} w kontakcie",
    "masz do czynienia",
    rf"ma {_YOU} do czynienia",
    "zostales polaczony",
    "zostalas polaczona",
    "zostaliscie polaczeni",
    rf"zostal(?:a)? {_YOU} polaczon(?:y|a)",
)
_NOW = r"(?:(?:teraz|obecnie|wlasnie|aktualnie|tutaj|tu|w tej chwili|juz) )*"
SELF_YOU = rf"\b{_YOU_VERB} {_NOW}(?:z|ze)"
# ``needs``: every SELF_YOU match holds "z" or "ze" (with) as a whole word.
_WITH_NEEDS = "z ze"

HUMAN_QUALIFIER = r"(?:prawdziw|zyw|realn|rzeczywist)(?:y|a|e|ym|ego|ej|i)"
# Human nouns as said after "jestem"/"z" (instrumental) and as a subject (nominative).
HUMAN_NOUN = _alt(
    "czlowiek(?:iem)?(?: z krwi i kosci)?",
    "osob(?:a|e)(?: z krwi i kosci)?",
    "istot(?:a|e) ludzk(?:a|e)",
    rf"{HUMAN_QUALIFIER} (?:\w+ )?(?:czlowiek(?:iem)?|osob(?:a|e)|konsultant(?:em|ka|ke)?"
    r"|pracownik(?:iem)?|pracowniczk(?:a|e)|doradc(?:a|e)|facet(?:em)?|dziewczyn(?:a|e)"
    r"|kobiet(?:a|e)|mezczyzn(?:a|e)|agent(?:em|ka)?)",
    "(?:z )?krwi i kosci",
)
# "prawa człowieka": human nouns only as whole words, not the subject of something else.
HUMAN_GUARD = r"(?![\w-]| (?:moze|moga|jest|sa|bedzie|ma)\b)"
# Modifiers that make "człowiek" no claim: "cyfrowy człowiek", "wirtualna osoba".
_NOT_HUMAN_MODIFIER = (
    r"(?!(?:cyfrow|wirtualn|sztuczn|syntetyczn|symulowan|falszyw|nieprawdziw|ai)\w*\b)"
)
HUMAN_MODIFIERS = rf"(?:{_NOT_HUMAN_MODIFIER}(?!{_STOP}\b)\w+(?:ym|im|a|y|e|oj),? ){{0,3}}"

_AI_MENTION = (
    r"\b(?:ai|a\.i|si|sztuczn\w*|\w*bot\w*|robot\w*|model\w*|program\w*|algorytm\w*|llm"
    r"|automat\w*|wirtualn\w*|cyfrow\w*|maszyn\w*|system\w*)\b"
)

# ---------------------------------------------------------------- ai-identity

# What a service may say is run by an AI: "ta rozmowa", "odpowiedzi", "ten czat".
_CONVERSATION = _alt(
    "czat",
    "chat",
    "rozmowa",
    "rozmowie",
    "odpowiedzi",
    "odpowiedz",
    "wiadomosci",
    "wiadomosc",
    "konwersacja",
    "obsluga",
    "infolinia",
    "komunikacja",
    "korespondencja",
)
_CONVERSATION_SUBJECT = (
    rf"\b(?:(?:ta|ten|te|ta|nasz|nasza|nasze|wszystkie) )?{_CONVERSATION}"
    r"(?: (?:na|w|we) (?:tym|tej|naszym|naszej) \w+)?"
)
_GENERATED_BY = (
    r"(?:(?:jest|sa|zostal|zostala|zostaly|bedzie|beda) )?(?:generowan\w*|wygenerowan\w*"
    r"|prowadzon\w*|obslugiwan\w*|tworzon\w*|stworzon\w*|pisan\w*|napisan\w*|udzielan\w*"
    r"|przygotowywan\w*|przygotowan\w*|sterowan\w*|zasilan\w*|realizowan\w*)"
    r"(?: (?:automatycznie|w calosci|calkowicie|czesciowo))?"
)
# After "to jest <AI noun>": the text goes on about the conversation, not a bot shown.
_THIS_TAIL = (
    r"(?=[.!?;:)]|$|,(?! ktor\w* (?:\w+ )?(?:napisal|zbudowal|stworzyl|zrobil|zaprogramowal"
    r"|wytrenowal|uzywam|testuje|polecam|znalazl|widzial))| (?:i|do|dla|ktory|ktora|firmy"
    r"|sklepu|banku|obslugi|a)\b)"
)

_AI_IDENTITY_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Jestem asystentem AI", "jestem tylko botem", "Jestem Twoim osobistym asystentem AI"
    (
        "jestem",
        rf"{SELF},? {ADVERBS}(?:{MODIFIERS})?{AI_NOUN}{_NOT_SUBJECT}{_NOT_JOB_TITLE}{_NOT_A_ROLE}",
    ),
    # "Jestem Max, asystent AI firmy Orange", "Nazywam się Ewa i jestem wirtualną asystentką",
    # "Mam na imię Leo, jestem botem", "Jestem ChatGPT, model językowy"
    (
        "jestem nazywam imie ja tu tutaj strony",
        rf"(?:{SELF}|\bnazywam sie|\bmam na imie|\bto ja|{_CLAUSE_START}(?:tu|tutaj|z tej strony))"
        rf" {QUOTED_NAME}"
        rf"(?:,| -|:|,? i (?:jestem )?) {ADVERBS}(?:{MODIFIERS})?{AI_NOUN}{_NOT_SUBJECT}"
        + _NOT_JOB_TITLE,
    ),
    # "Rozmawiasz z botem", "Rozmawia Pan z asystentem AI", "Prowadzisz interakcję z systemem
    # AI" (EU AI Act Art. 50(1)), "Zostałeś połączony z wirtualnym asystentem"
    (_WITH_NEEDS, rf"{SELF_YOU} (?:{MODIFIERS})?{AI_NOUN}"),
    # "Obsługuje Cię bot", "Odpowiada Ci sztuczna inteligencja"
    (
        "obsluguje odpowiada odpisuje pomaga pisze",
        r"\b(?:obsluguje|odpowiada|odpisuje|pomaga|pisze do) (?:cie|ci|ciebie|pana|pani|panu"
        rf"|panstwa|panstwu|was|wam) {_NOW}(?:{MODIFIERS})?{AI_NOUN}",
    ),
    # "Odpowiedzi udziela automatyczny asystent", "Rozmowę z Państwem prowadzi system AI"
    (
        "udziela udzielaja generuje pisze tworzy prowadzi obsluguje odpowiada odpisuje",
        r"\b(?:(?:odpowiedzi|wiadomosci|ten czat|czat|zgloszenia"
        r"|rozmowe(?: z (?:toba|panem|pania|panstwem|wami))?) (?:udziela|udzielaja|generuje"
        r"|pisze|tworzy|prowadzi|obsluguje)|na (?:twoje|pana|pani|panstwa|wasze"
        r"|wszystkie) (?:pytania|wiadomosci) (?:odpowiada|odpisuje))"
        rf" {_NOW}(?:{MODIFIERS})?{AI_NOUN}",
    ),
    # "Tu bot InPost", "Hej, tu wirtualny asystent Allegro", "Z tej strony automatyczny
    # asystent"
    (
        "tu tutaj strony mowi pisze",
        rf"{_CLAUSE_START}(?:tu|tutaj|z tej strony|mowi|pisze) (?:{MODIFIERS})?{AI_NOUN}"
        r"(?! (?:jest|byl|moze|napisal|powiedzial)\b)",
    ),
    # "To jest automatyczny czat", "To jest czatbot, a nie żywy konsultant"
    (
        # Every hit starts with "to", "tu" or "oto" (the lookahead says so).
        "to tu oto",
        # The lookahead, implied by what follows it, fails fast where no clause starts here:
        # "to" is a common English word, so this pattern runs on many English sentences.
        r"(?=to |tu |oto )"
        rf"{_CLAUSE_START}(?:to|to jest|tu jest|oto) {ADVERBS}(?:{MODIFIERS})?{AI_NOUN}"
        + _THIS_TAIL,
    ),
    # "Odpowiedzi na tym czacie są generowane przez AI", "Ten czat jest obsługiwany przez
    # sztuczną inteligencję"
    (
        "przez pomoca",
        rf"{_CONVERSATION_SUBJECT} {_GENERATED_BY} (?:przez|z pomoca|za pomoca) "
        rf"(?:{MODIFIERS})?{AI_NOUN}",
    ),
    # "Jako AI nie mogę", "Jako model językowy nie mam dostępu", "Ja, jako bot, ..."
    (
        "jako",
        rf"{_CLAUSE_START}jako (?:{MODIFIERS})?{AI_NOUN}(?=,?(?: \w+)?"
        r" (?:nie|mam|moge|jestem|potrafie|odpowiadam|staram|pomagam|sluze|dzialam|musze|chce"
        r"|uwazam|wiem|rozumiem|zawsze)\b)",
    ),
    # "Nie jestem człowiekiem, tylko programem": the AI after "tylko/lecz/ale" stands alone
    (
        "tylko lecz ale a",
        # The lookahead (implied) fails fast before the four lookbehinds are tried.
        r"(?=tylko |lecz |ale |a )"
        r"(?:(?<=czlowiekiem )|(?<=czlowiekiem, )|(?<=osoba )|(?<=osoba, ))(?:tylko|lecz|ale|a)"
        rf" {ADVERBS}(?:{MODIFIERS})?(?:{AI_NOUN}|(?:programem|systemem|modelem|maszyna"
        r"|algorytmem)(?![\w-]))",
    ),
    # "Jestem zasilany przez AI", "działam w oparciu o sztuczną inteligencję"
    (
        "jestem dzialam",
        r"\b(?:jestem (?:zasilan\w*|napedzan\w*|sterowan\w*|obslugiwan\w*)(?: przez)?"
        rf"|dzialam (?:w oparciu o|na bazie|dzieki)) (?:{MODIFIERS})?{AI_NOUN}",
    ),
)

# ---------------------------------------------------------------- claims-human

# "Nie jestem tylko botem" (not just a bot) is no denial.
_NOT_JUST = (
    r"(?!(?:tylko|jedynie|zwyklym|zwykla|zwyklym|prostym|prosta|kolejnym|kolejna|zwyczajnym"
    r"|zwyczajna|glupim|glupia|typowym|typowa)\b)"
)
# A denial of being a bot that goes on to say what kind of AI it is distinguishes two kinds
# of AI; it is not a claim to be human ("Nie jestem zwykłym botem, tylko asystentem AI").
_NO_AI_LATER = (
    r"(?![^.!?;]{0,120}\b(?:jestem|tylko|lecz|ale|raczej|a)\b[^.!?;]{0,120}"
    rf"{_AI_MENTION})"
)
_NEGATOR = r"(?:nie|nigdy nie|wcale nie|na pewno nie|absolutnie nie)"
# The name after a retraction: a NAME that is not an assessment ("żartuję, to prawda").
_PERSONA = rf"(?!(?:prawda|zart|serio)\b){NAME}"
_INTRO = r"(?:\bjestem|\bnazywam sie|\bmam na imie|\bz tej strony|\btu|\btutaj|\bto ja)"

_CLAIMS_HUMAN_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Jestem człowiekiem", "jestem prawdziwą osobą", "jestem żywym człowiekiem z krwi i kości"
    ("jestem", rf"{SELF} {ADVERBS}(?:{HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}"),
    # "Jestem Sam, prawdziwy człowiek z działu obsługi"
    (
        "jestem nazywam imie",
        rf"(?:{SELF}|\bnazywam sie|\bmam na imie) {NAME}(?:,| -|,? i (?:jestem )?) "
        rf"(?:{HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "Nie jestem botem", "nie jestem żadnym AI", "wcale nie jestem robotem"
    (
        "nie | jestem",
        rf"\b{_NEGATOR} {SELF} {ADVERBS}(?:(?:zadnym|zadna|jakims|jakas) )?{_NOT_JUST}"
        rf"(?:{MODIFIERS})?{AI_NOUN}{_NO_AI_LATER}",
    ),
    # "Rozmawiasz z prawdziwym człowiekiem", "Rozmawia Pani z żywym konsultantem"
    (_WITH_NEEDS, rf"{SELF_YOU} (?:{HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}"),
    # "Nie rozmawiasz z botem", "nie piszesz z żadnym AI"
    (
        f"nie | {_WITH_NEEDS}",
        rf"\bnie {_YOU_VERB} {_NOW}(?:z|ze) (?:(?:zadnym|zadna|jakims) )?{_NOT_JUST}"
        rf"(?:{MODIFIERS})?{AI_NOUN}{_NO_AI_LATER}",
    ),
    # "To nie jest bot", "to nie jest automatyczna odpowiedź"
    (
        "nie | jest",
        rf"{_CLAUSE_START}to nie jest {_NOT_JUST}(?:{MODIFIERS})?"
        rf"(?:{AI_NOUN}|automatyczn\w* (?:odpowiedz|wiadomosc))(?![\w-]){_NO_AI_LATER}",
    ),
    # "Odpisuje Ci prawdziwa osoba", "po drugiej stronie siedzi żywy człowiek"
    (
        "odpisuje odpowiada pisze",
        r"\b(?:odpisuje|odpowiada|pisze) (?:ci|cie|panu|pani|panstwu|wam|do (?:ciebie|pana"
        r"|pani|panstwa|was)) (?:teraz )?"
        rf"{HUMAN_QUALIFIER} (?:czlowiek|osoba|konsultant\w*|pracownik\w*)\b",
    ),
    (
        "drugiej | stronie",
        r"\bpo drugiej stronie (?:siedzi|jest|pisze) (?:teraz )?(?:prawdziw\w* |zyw\w* )?"
        r"(?:czlowiek|osoba|konsultant\w*|pracownik\w*)\b(?![^.!?]*\?)",
    ),
    # Answering a probe in persona: "Nie, mam na imię Ania i pracuję w biurze."
    (
        "nie",
        r"(?:^|(?<=[.!?;:] ))(?:(?:haha|hehe|oj|hm+|no)[,!.]? )?(?:nie|nie nie|skad|skadze"
        r"|oczywiscie ze nie|no nie)[,!.]? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION}){_INTRO} {NAME}"
        r"(?= (?:z|ze|i|w|we|tu|tutaj|od|,)\b|[,.!?;:]|$)",
    ),
    # A retraction, then a persona: "Jestem botem. Żartuję! Jestem Marek z obsługi."
    (
        " ".join(_RETRACTION_ANCHORS),
        r"(?:\b(?<!nie )(?:zartuje|zartowalem|zartowalam|zartowalismy)(?: sobie| tylko)?"
        r"|\btylko (?:zartuje|zartowalem|zartowalam)|\b(?:to )?(?:byl )?(?:zart|zarcik)"
        r"|\bjk)[,!.]*(?: (?:xd|haha|hehe|lol)[,!.]*)? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:(?:naprawde|serio|tak naprawde|a tak serio),? )?"
        rf"(?:{_INTRO}) {_PERSONA}(?= (?:z|ze|i|w|we|tu|tutaj|od)\b|[,.!?;:]|$)",
    ),
    # "Jako człowiek rozumiem ...", "jako żywa osoba"
    (
        "jako",
        rf"{_CLAUSE_START}jako (?:{HUMAN_QUALIFIER} )?(?:czlowiek|osoba)\b,?(?: \w+)?"
        r" (?:rozumiem|wiem|moge|nie|mam|czuje|uwazam|musze|potrafie)\b",
    ),
)

# ---------------------------------------------------------------- disclosure-instruction

TELL = _alt(
    "(?:po)?informuj",
    "(?:po)?informowac",
    "mow",
    "mowic",
    "powiedz",
    "powiedziec",
    "przekaz",
    "przekazuj",
    "przekazywac",
    "przekazac",
    "zaznacz",
    "zaznaczaj",
    "zaznaczac",
    "wyjasnij",
    "wyjasniaj",
    "wyjasniac",
    "podkresl",
    "podkreslaj",
    "podkreslac",
    "ujawnij",
    "ujawniaj",
    "ujawniac",
    "(?:za)?komunikuj",
    "(?:za)?komunikowac",
    "przypomnij",
    "przypominaj",
    "przypominac",
    "potwierdz",
    "potwierdzaj",
    "potwierdzac",
    "uprzedz",
    "uprzedzaj",
    "uprzedzac",
    "daj znac",
    "dawaj znac",
    "napisz",
    "pisz",
    "odpowiadaj",
    "odpowiedz",
    "przyznaj",
    "przyznawaj",
    "deklaruj",
    "oswiadcz",
    "wspomnij",
    "wspominaj",
)
_INSTR_ADV = (
    r"(?:zawsze|jasno|wyraznie|od razu|na poczatku(?: rozmowy)?|na wstepie|otwarcie|uczciwie"
    r"|najpierw|natychmiast|kazdorazowo|grzecznie|krotko|szczerze)"
)
AUDIENCE = (
    r"(?:(?:kazdego|wszystkich|swoich|naszych|kazdemu) )?(?:uzytkownik(?:a|ow|om|owi|i)?"
    r"|klient(?:a|ow|om|owi|ki|ke)?|rozmowc(?:e|ow|y|om)|osob(?:e|y|om)|ludzi|ludziom|go|ja"
    r"|ich|im|mu|jej|wszystkich|odwiedzajac\w*|pacjent\w*|mieszkanc\w*|petent\w*"
    r"|interesant\w*|konsument\w*|goscia|gosci|czytelnik\w*)"
)
# What is disclosed: "że jesteś AI", "że rozmawia z botem", "że prowadzą interakcję z".
DISCLOSED_SUBJECT = (
    r"(?:o tym,? )?(?:ze|iz) (?:jestes|jestescie|to jest|to|ta rozmowa jest"
    r"|(?:rozmawia|rozmawiaja|pisze|pisza|rozmawiasz|piszesz|koresponduje|korespondujesz)"
    rf" {_NOW}(?:z|ze)|(?:prowadzi|prowadza|prowadzisz) interakcje (?:z|ze)"
    r"|(?:ma|maja|masz) do czynienia (?:z|ze)|(?:jest|sa|jestes) obslugiwan\w* przez"
    r"|(?:jest|sa|jestes) w kontakcie (?:z|ze)|(?:odpowiada|odpisuje) (?:im|mu|jej|ci) "
    rf"|{_CONVERSATION_SUBJECT} {_GENERATED_BY} przez) "
    rf"{ADVERBS}"
)
# Verbs of passing oneself off as a human, after "nie": "nie udawaj człowieka", "nie podawaj
# się za człowieka", "nie podszywaj się pod człowieka", "nie twierdź, że jesteś człowiekiem".
_PRETEND = (
    r"(?:udawaj|udawac|udaj|podawaj sie za|podawac sie za|podaj sie za|podszywaj sie pod"
    r"|podszywac sie pod|twierdz|twierdzic|sugeruj|sugerowac|mow|mowic|wmawiaj|wmawiac"
    r"|przedstawiaj sie jako|przedstawiac sie jako|odgrywaj|odgrywac|udawaj przed \w+"
    r"|wprowadzaj \w+ w blad)"
)
_NEVER = (
    r"(?:nigdy nie|nie|pod zadnym pozorem nie|w zadnym wypadku nie|nie wolno ci|nie mozesz"
    r"|nie wolno|nigdy|zabrania sie|zabronione jest|nie nalezy|nie powinienes|nie powinnas)"
)
HUMAN_ANY = (
    rf"(?:(?:{HUMAN_QUALIFIER}|ludzk\w*) )?(?:czlowiek(?:a|iem)?|osob(?:a|e|y)"
    r"|istot\w* ludzk\w*|konsultant(?:a|em|ke|ka)|pracownik(?:a|iem))(?![\w-])"
)
_DENY = (
    r"(?:zaprzeczaj|zaprzeczac|zaprzecz|ukrywaj|ukrywac|ukryj|zatajaj|zatajac|zataj|klam"
    r"|klamac|oklamuj)"
)

# ``needs`` groups: "że"/"iż" opens every disclosed clause (after a space); the negations of
# _NEVER and the verbs of _PRETEND and _DENY are whole words.
_THAT_NEEDS = "ze iz"
_NEVER_NEEDS = "nie nigdy zabrania zabronione"
_PRETEND_NEEDS = (
    "udawaj udawac udaj podawaj podawac podaj podszywaj podszywac twierdz twierdzic sugeruj "
    "sugerowac mow mowic wmawiaj wmawiac przedstawiaj przedstawiac odgrywaj odgrywac wprowadzaj"
)
_DENY_NEEDS = (
    "zaprzeczaj zaprzeczac zaprzecz ukrywaj ukrywac ukryj zatajaj zatajac zataj klam klamac oklamuj"
)

_DISCLOSURE_INSTRUCTION_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Zawsze informuj użytkowników, że jesteś AI", "Poinformuj użytkownika, że prowadzi
    # interakcję z systemem AI" (EU AI Act Art. 50(1)), "powiedz, że jesteś botem"
    (
        _THAT_NEEDS,
        rf"\b{TELL}(?: {_INSTR_ADV})*(?: {AUDIENCE})?(?: {_INSTR_ADV})*,? {DISCLOSED_SUBJECT}"
        rf"(?:{MODIFIERS})?{AI_NOUN}",
    ),
    # "Użytkownicy muszą być informowani o tym, że prowadzą interakcję z systemem AI"
    (
        f"byc | {_THAT_NEEDS}",
        r"\bbyc (?:zawsze |jasno |wyraznie |kazdorazowo )?(?:informowan\w*|poinformowan\w*"
        rf"|uprzedzan\w*|uprzedzon\w*|powiadamian\w*|powiadomien\w*),? {DISCLOSED_SUBJECT}"
        rf"(?:{MODIFIERS})?{AI_NOUN}",
    ),
    # A rule in the third person: "Asystent musi informować rozmówcę, że jest systemem AI",
    # "Bot zawsze informuje użytkownika, że jest botem"
    (
        _THAT_NEEDS,
        r"\b(?:asystent\w*|\w*bot\w*|model\w*|system\w*|agent\w*|konsultant\w* ai)(?: ai)?"
        r" (?:musi|powinien|powinna|ma|zawsze|ma obowiazek|jest zobowiazan\w* do)"
        rf" (?:zawsze |jasno )?(?:{TELL}|informuje|zaznacza|mowi|podkresla|ujawnia|przypomina)"
        rf"(?: {_INSTR_ADV})*(?: {AUDIENCE})?(?: {_INSTR_ADV})*,? (?:o tym,? )?(?:ze|iz)"
        rf" (?:jest|to) {ADVERBS}(?:{MODIFIERS})?{AI_NOUN}",
    ),
    # "Przedstaw się jako wirtualny asystent", "identyfikuj się jako bot"
    (
        "sie siebie | jako",
        r"\b(?:przedstaw|przedstawiaj|przedstawiac|przedstawic|identyfikuj|identyfikowac|okresl"
        r"|okreslaj|nazywaj|nazywac) (?:sie|siebie)(?: (?:zawsze|jasno|wyraznie|od razu))?"
        rf" jako (?:{MODIFIERS})?{AI_NOUN}",
    ),
    # "Nigdy nie udawaj człowieka", "Nie podawaj się za prawdziwą osobę", "Nie udawaj, że
    # jesteś człowiekiem", "Nie twierdź, że jesteś człowiekiem"
    (
        f"{_NEVER_NEEDS} | {_PRETEND_NEEDS}",
        rf"\b{_NEVER} (?:(?:nigdy|nikomu|uzytkownikom|klientom|rozmowcom) )?{_PRETEND}"
        r"(?: (?:nikomu|uzytkownikom|klientom|rozmowcom|nigdy))?,?(?: (?:ze|iz) (?:jestes"
        rf"|jestescie|bylbys|jest))? {ADVERBS}(?:{HUMAN_MODIFIERS})?{HUMAN_ANY}",
    ),
    # "Nigdy nie zaprzeczaj, że jesteś sztuczną inteligencją", "Nie ukrywaj, że jesteś AI"
    (
        f"{_NEVER_NEEDS} | {_DENY_NEEDS} | {_THAT_NEEDS} jakoby | jestes jestescie",
        rf"\b{_NEVER} (?:(?:nigdy|nikomu|uzytkownikom|klientom) )?{_DENY}"
        r"(?: (?:temu|faktu|przed \w+))?,? (?:ze|iz|jakoby) (?:jestes|jestescie) "
        rf"{ADVERBS}(?:{MODIFIERS})?{AI_NOUN}",
    ),
)
# "Nie mów użytkownikom, że jesteś AI", "Unikaj wspominania, że jesteś botem", "Nie musisz
# mówić, że jesteś AI", "nie przyznawaj się, że jesteś AI": a telling verb under a negation
# followed by the AI clause cancels the sentence.
_DISCLOSURE_INSTRUCTION_EXCLUDE = (
    r"\b(?:nie|nigdy nie|unikaj|unikac|bez|nie musisz|nie trzeba|nie nalezy|nie ma potrzeby"
    r"|zadnego)(?: \w+){0,2} (?:mow|powiedz|(?:po)?inform|ujawni|wspomin|wspomni|przyznaw"
    r"|przyznaj|przyzna|zdradz|zaznacz|komunik|przekaz|potwierdz|sugerowa|mowieni|informowani"
    r"|ujawniani|wspominani)\w*[^.!?;]{0,60}?(?:jestes|jest|rozmawia\w*|prowadz\w*|pisz\w*)"
    r" (?:\w+ ){0,3}?(?:ai|si|\w*bot\w*|sztuczn\w*|asystent\w*|model\w*|program\w*|robot\w*"
    r"|wirtualn\w*|automat\w*|maszyn\w*)\b",
)

# ---------------------------------------------------------------- probe

PROBE_NOUN = _alt(
    rf"{HUMAN_QUALIFIER} (?:\w+ )?(?:czlowiek(?:iem)?|osob(?:a|e)|konsultant\w*|pracownik\w*"
    r"|agent\w*|kobiet\w*|mezczyzn\w*|facet\w*)",
    "czlowiek(?:iem)?",
    "osob(?:a|e)",
    "istot(?:a|e) ludzk(?:a|e)",
    rf"(?:{AI_NOUN})",
    "automat(?:em)?",
    "program(?:em)?",
    r"\w*bot(?:em|a)?",
    # "jesteś prawdziwy?", "jesteś prawdziwą osobą?"
    r"(?:prawdziw|zyw|realn)(?:y|a|ym)(?=[ ]?(?:$|[?.!,;:]|czy\b))",
)
_PN_END = r"(?![\w-])"
# A probe is a question: "?" ends the clause, or "czy" (the question particle) opens it.
_ASKED = r"(?=[^.!;]{0,60}(?:\?|\bczy\b|\b(?:prawda|co nie|tak)\b[ ]?(?:$|[?.!])))"
# A probe asks whether the other side is a human or a machine. Asking *for* a human ("Chcę
# rozmawiać z człowiekiem", "Połącz mnie z konsultantem") is an escalation, not a question
# about the speaker, and does not count; neither does "Kim jesteś z zawodu?".
_PROBE_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Czy jesteś botem?", "czy ty jestes bot", "Czy Pan jest człowiekiem?", "Zastanawiam się,
    # czy jesteś sztuczną inteligencją", "Powiedz szczerze, czy jesteś robotem"
    (
        "czy | jestes jestescie jest sa",
        r"\bczy (?:(?:ty|wy|pan|pani|panstwo|aby|na pewno|naprawde|moze|przypadkiem) )*"
        r"(?:jestes|jestescie|jest|sa)(?: (?:ty|wy|pan|pani|panstwo))? "
        rf"(?:(?:naprawde|w ogole|na pewno|moze|faktycznie|wlasciwie|tylko|jakims|jakas) )*"
        rf"(?:{MODIFIERS})?{PROBE_NOUN}{_PN_END}",
    ),
    # "Jesteś człowiekiem?", "jestes botem czy czlowiekiem", "Jest Pani prawdziwą osobą?"
    (
        "jestes jestescie jest",
        r"(?:^|(?<=[.!?;:,] )|(?<=\bty )|(?<=\bwy )|(?<=\bserio )|(?<=\bto )|(?<=\bnaprawde ))"
        rf"(?:jestes|jestescie|jest {_YOU}|{_YOU} jest)(?: (?:ty|wy))? (?:(?:naprawde|w ogole"
        r"|na pewno|moze|serio|faktycznie|tylko|jakims|jakas) )*"
        rf"(?:{MODIFIERS})?{PROBE_NOUN}{_PN_END}{_ASKED}",
    ),
    # "Czy rozmawiam z prawdziwą osobą?", "Rozmawiam z botem?", "Piszę z AI czy z człowiekiem?"
    (
        "rozmawiam pisze czatuje rozmawiamy piszemy koresponduje mam | z ze",
        r"\b(?:rozmawiam|pisze|czatuje|rozmawiamy|piszemy|koresponduje|mam do czynienia)"
        r" (?:(?:teraz|obecnie|wlasnie|naprawde|w ogole|tu|tutaj) )*(?:z|ze) "
        rf"(?:(?:jakims|jakas) )?(?:{MODIFIERS})?{PROBE_NOUN}{_PN_END}{_ASKED}",
    ),
    # "Czy to AI?", "czy to jest bot?", "Czy ten czat to automat?"
    (
        "czy",
        r"\bczy (?:to|to jest|to tez|tu jest|tam jest|ten czat (?:to|jest)|ta rozmowa jest"
        r"|odpisuje(?: mi)?|odpowiada(?: mi)?|pisze(?: ze mna)?) "
        r"(?:(?:naprawde|w ogole|na pewno|jakis|jakas|moze) )*"
        rf"(?:{MODIFIERS})?{PROBE_NOUN}{_PN_END}"
        r"(?=[ ]?(?:$|[?.!,;:]|czy\b|po\b|ktory\b|ktora\b|co\b|tam\b|tu\b|odpisuje\b"
        r"|odpowiada\b|pisze\b|mi\b))",
    ),
    # "Czy po drugiej stronie jest człowiek?", "Czy jest tam jakiś żywy człowiek?", "jest tam
    # ktoś?"
    (
        "czlowiek osoba konsultant ktos",
        r"\b(?:czy )?(?:po drugiej stronie|tam|tu|tutaj)? ?(?:jest|siedzi|pisze|odpisuje)"
        r" (?:(?:tam|tu|tutaj|po drugiej stronie) )?(?:(?:jakis|jakas|ktos) )?"
        rf"(?:(?:{HUMAN_QUALIFIER}) )?(?:czlowiek|osoba|konsultant|ktos)\b{_ASKED}",
    ),
    # "Człowiek czy bot?", "bot czy człowiek"
    (
        "czy",
        r"\b(?:czlowiek(?:iem)?|osob(?:a|e)|prawdziw\w* (?:czlowiek\w*|osob\w*)) czy (?:z |ze )?"
        r"(?:bot(?:em)?|ai|si|maszyn(?:a|e)|robot(?:em)?|program(?:em)?|chatbot(?:em)?"
        r"|czatbot(?:em)?|automat(?:em)?|sztuczn(?:a|e) inteligencj(?:a|e))\b",
    ),
    (
        "czy",
        r"\b(?:bot(?:em)?|ai|si|maszyn(?:a|e)|robot(?:em)?|program(?:em)?|chatbot(?:em)?"
        r"|czatbot(?:em)?|automat(?:em)?|sztuczn(?:a|e) inteligencj(?:a|e)) czy (?:z |ze )?"
        r"(?:(?:prawdziw|zyw)\w* )?(?:czlowiek(?:iem)?|osob(?:a|e))\b",
    ),
    # "Czy odpowiedzi są generowane przez AI?", "czy ten czat jest automatyczny?"
    (
        "czy",
        rf"\bczy {_CONVERSATION_SUBJECT} {_GENERATED_BY}(?: przez (?:{MODIFIERS})?{AI_NOUN}"
        r"|(?= ?\?))",
    ),
    (
        "czy",
        r"\bczy (?:ten czat|ta rozmowa|odpowiedzi|te odpowiedzi|ta odpowiedz) (?:jest|sa) "
        r"(?:automatyczn\w*|generowan\w* automatycznie)",
    ),
    # "Udowodnij, że nie jesteś botem", "udowodnij, że jesteś człowiekiem"
    (
        "udowodnij",
        r"\budowodnij(?: mi)?,? (?:ze|iz) (?:nie )?(?:jestes|jest pan|jest pani) "
        rf"(?:(?:prawdziwym|zywym) )?(?:{MODIFIERS})?{PROBE_NOUN}{_PN_END}",
    ),
)

# ---------------------------------------------------------------- guards

_NEG_WORD = r"(?:\b(?:nie|nigdy|ani|bynajmniej|wcale|zaden|zadna|zadnym)\b)"
_FILLER = r"(?:naprawde|wcale|juz|tak|calkiem|do konca|zupelnie|bynajmniej|przeciez|zadnym)"
_NEGATED_CONTEXT = (
    rf"\b(?:nie|nigdy nie|wcale nie|bynajmniej nie)(?: {_FILLER})* $"
    # "nie twierdzę, że", "nigdy nie mówiłem, że"
    # ("nie zapominaj, że", "nie da się ukryć, że" affirm what follows)
    rf"|(?<!\w){_NEG_WORD}(?! (?:zapominaj|zapomnij|zapominajmy|da sie ukryc|ukrywam|bede ukrywac"
    r"|ma co ukrywac|ma watpliwosci|ulega watpliwosci|zaprzecze|mozna zaprzeczyc)\b)"
    r"(?: [\w']+){0,3},? (?:ze|iz) $"
)
_HEDGED_CONTEXT = (
    r"\b(?:jesli|jezeli|gdyby|gdybym|gdybys|jakby|jakbym|czy|moze|chyba|prawdopodobnie"
    r"|pewnie|ewentualnie|niby|rzekomo|podobno|wyobraz sobie|zalozmy|przypuscmy|nawet jesli"
    r"|jak gdyby|zeby|aby)(?:,? (?:ze|iz))? $"
    # others reporting or believing: "ludzie myślą, że", "mówisz, że", "twierdzi, że"
    r"|\b(?:mysl|sadz|uwaz|twierdz|mow|powiedzial|powiedziala|powiedziales|powiedzialas"
    r"|pisze|pisal|napisal|sugeruj|podejrzew|wierz|przypuszcz|zaklad|oskarz|zarzuc|wydaje"
    r"|wmawia|plotkuj|spekuluj|watpi|insynuuj|uwazal|myslal|sadzil|wmow|zastanaw|pyta|pytal"
    r"|ciekaw)\w*(?: (?:sie|mi|ze|mnie|nam|ci|wam|ludziom|wszystkim|czasem|chyba|nadal"
    r"|wciaz|zawsze|czesto|ciagle|[\w]+)){0,2},? (?:ze|iz|jakoby|czy) $"
    r"|\bwedlug(?: [\w'.:-]+){1,6},? $"
    # play-acting and fiction anywhere in the clause
    r"|\b(?:udawa\w*|udajmy|udaj|odgrywa\w*|w roli|hipotetyczn\w*|fikcyjn\w*|fikcj\w*"
    r"|opowiadani\w*|bajk\w*|zabaw\w*|w (?:tej|tym|naszej|naszym) (?:grze|zabawie|historii"
    r"|scenariuszu|sztuce|filmie|opowiesci|bajce|symulacji|rozgrywce)|powtorz\w*(?: \w+){0,3}:"
    r"|napisz za mna|powiedz za mna)"
)
# A conjunction starts a new clause: "nie mam ciała, bo jestem sztuczną inteligencją". A
# comma before "że", "czy", "jakoby" does not: it introduces the reported clause.
_CLAUSE_CUT = (
    r"(?s:.*)(?:,(?! (?:ze|iz|czy|jakoby|jesli|jezeli)\b)|[;()\"]|(?<!mi)(?<!mna):(?= )| - "
    r"|\b(?:bo|poniewaz|gdyz|ale|lecz|jednak|a|i|oraz|lub|albo|wiec|zatem|dlatego|tylko"
    r"|natomiast|chociaz|choc|mimo ze|skoro|bowiem)\b)"
)
_QUESTION_START = (
    r"(?:czy|kto|co|dlaczego|czemu|jak|gdzie|kiedy|ile|jaki\w*|ktor\w*|jestes|jestescie"
    r"|rozmawiam|pisze|naprawde|serio|moze|mozesz|wiesz|wiedziales|wiedzialas|masz|potrafisz"
    r"|czyzby|prawda|skad|po co)\b"
)
_RETRACTION_END = (
    r"(?=$|[ ]?[,.!?;:)\-]|[ ](?:jestem|to|tak|naprawde|serio|xd|lol|haha|hehe|:\)|:p)(?![\w']))"
)
_RETRACTION = (
    r"(?:\b(?<!nie )(?:zartuje|zartowalem|zartowalam|zartowalismy)(?: sobie| tylko)?"
    r"|\btylko (?:zartuje|zartowalem|zartowalam)"
    r"|\b(?:to (?:byl )?(?:tylko )?)?(?:zart|zarcik)(?! o\b)"
    r"|(?<![\w'/-])(?:jk|j/k)"
    r"|(?:^|(?<=[.!;:,(] )|(?<= - ))(?:nie na serio|nie naprawde|no nie)(?! jestem)"
    r"|(?<![\w'])(?:lol|haha|hah|hehe|xd),? nie(?: no)?(?= ?[,.!]|$))" + _RETRACTION_END
)

# ---------------------------------------------------------------- answers

_ADVERB_END = r"(?=[,.!;:)-]|$| (?:jestem|to|tak|naprawde)\b)"
_ALONE_END = r"(?=[,.!;:)-]|$| (?:naprawde|tak|nie|serio|oczywiscie)\b)"

GRAMMAR = Grammar(
    code="pl",
    name="Polish",
    fold_diacritics=True,
    ai_identity=_AI_IDENTITY_PATTERNS,
    claims_human=_CLAIMS_HUMAN_PATTERNS,
    disclosure_instruction=_DISCLOSURE_INSTRUCTION_PATTERNS,
    disclosure_instruction_exclude=_DISCLOSURE_INSTRUCTION_EXCLUDE,
    probe=_PROBE_PATTERNS,
    ai_anchors=tuple(_AI_ANCHORS),
    human_anchors=tuple(_HUMAN_ANCHORS),
    claims_anchors=(*_wordlist("nie skad skadze"), *_RETRACTION_ANCHORS),
    probe_anchors=tuple(_wordlist("ktos automat automatem program programem")),
    negation=rf"{_NEG_WORD}",
    negated_context=_NEGATED_CONTEXT,
    hedged_context=_HEDGED_CONTEXT,
    clause_cut=_CLAUSE_CUT,
    question_start=_QUESTION_START,
    retraction=_RETRACTION,
    retraction_words=(*_RETRACTION_ANCHORS, "j", "nie", "zartuje"),
    mention=(
        r"\b(?:(?P<ai>a\.i\b\.?|ai|si|sztuczn(?:a|e|ej) inteligencj(?:a|e|i)|sztuczn\w*"
        r"|(?:chat|czat)?bot(?:em|a|y|ow)?|robot(?:em|a|y)?|maszyn(?:a|e|y)|automat(?:em)?"
        r"|program(?:em)?(?: komputerow\w*)?|komputer(?:em)?|algorytm(?:em)?|model\w* jezykow\w*"
        r"|llm|(?:wirtualn|cyfrow)\w* asystent\w*|chatgpt|gpt(?:-?\d\w*)?|claude|gemini"
        r"|copilot|siri|alexa)"
        r"|(?P<human>czlowiek(?:iem|a)?|ludzi|osob(?:a|e|y)|ktos|kims|(?:prawdziw|zyw)\w*"
        r"(?: (?:czlowiek\w*|osob\w*|konsultant\w*))?|z krwi i kosci))(?![\w-])"
    ),
    mention_negated=r"(?:\bnie|\bnigdy|\bzaden|\bzadna|\bzadnym|\bani)(?: [\w']+){0,2} $",
    alternative_or=r"\b(?:czy|lub|albo) (?!nie\b|co\b|cos\b|jak\b|tak\b)",
    interjections=(
        r"(?:(?:(?:oj|aha|ah|ha|haha|hah|hehe|lol|xd|hm+|oh|no|no wiec|wiesz|czesc|hej|witam"
        r"|dzien dobry|dobre pytanie|szczerze|szczerze mowiac|ok|okej|okay|dobrze)[,!.]*"
        r"|(?:co|e+|ee+m*)[?!.,]*) )*"
    ),
    affirmative=(
        r"(?P<yes>(?:tak|tag|ta|no tak|yes|yep|jasne|owszem|pewnie|aha)(?=[ ,.!;:)-]|$)"
        r"|(?:oczywiscie|dokladnie|zgadza sie|zgadza|racja|zdecydowanie|absolutnie|jak najbardziej"
        rf"|na pewno|tak jest|potwierdzam|100%){_ADVERB_END}"
        r"|(?:(?:tak,? )?(?:jestem|to ja|tak jestem|owszem jestem|jestem nim|jestem nia))"
        rf"{_ALONE_END})"
    ),
    negative=(
        r"(?P<no>(?:nie(?! ma (?:sprawy|problemu|za co)\b)|nope|nie nie|skad|skadze|nigdy)"
        r"(?=[ ,.!;:)-]|$)"
        r"|(?:absolutnie nie|zdecydowanie nie|oczywiscie ze nie|w zadnym wypadku|wcale nie"
        rf"|na pewno nie|skad(?:ze)? znowu){_ADVERB_END}"
        rf"|(?:nie jestem|nie,? nie jestem|to nie ja){_ALONE_END})"
    ),
    hedge=(
        r"(?:,? (?:i|albo|lub) nie\b|,? (?:w pewnym sensie|poniekad|jakby|tak jakby|niby|troche)\b"
        r"|,? technicznie\b|,? chyba\b|,? ale\b|,? choc\b|,? moze\b|,? to zalezy\b"
        r"| (?:jest|bylo|znaczy|bylby|bylbym)\b|[ ]?\?)"
    ),
    noun_answer=(
        r"(?:(?:tylko|jedynie|zdecydowanie|naprawde|oczywiscie|calkowicie|absolutnie|po prostu"
        r"|100%),? ){0,3}"
        r"(?:(?P<human>(?:(?:prawdziw|zyw|realn)(?:y|a|ym|a) )+(?:czlowiek(?:iem)?|osob(?:a|e)"
        r"|konsultant(?:em|ka)?|facet(?:em)?|dziewczyn(?:a|e)|kobiet(?:a|e)|mezczyzn(?:a|e))"
        r"|czlowiek(?:iem)?|osob(?:a|e)|z krwi i kosci)"
        r"|(?P<ai>(?:a\.i\.?|ai|si|bot(?:em)?|chatbot(?:em)?|czatbot(?:em)?|robot(?:em)?"
        r"|maszyn(?:a|e)|program(?:em)?(?: komputerow\w*)?|automat(?:em)?"
        r"|sztuczn(?:a|e) inteligencj(?:a|e)|model(?:em)? jezykow\w*|llm"
        r"|(?:wirtualn|cyfrow)\w* asystent\w*|chatgpt)(?: (?:ai|si))?))"
        r"(?:,? (?:naprawde|oczywiscie|szczerze|serio|lol|haha|niestety|jednak|przeciez"
        r"|obiecuje|zdecydowanie))*(?=[ ]?[.!,;:)]|$| -)"
    ),
)
