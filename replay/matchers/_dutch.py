"""The Dutch (nl) grammar of the built-in matchers.

Covers: "ik ben een AI(-assistent)", "ik ben een chatbot/virtuele assistent/taalmodel", the
informal "k ben", "'n"/"n" for "een", verb-second inversion ("Helaas ben ik een AI",
"Natuurlijk ben ik een mens"), verb-final subordinate clauses ("omdat ik een robot ben",
"zeg dat je een AI bent"), the second person in je/jij and the formal u ("je praat met een
AI", "u spreekt met een chatbot", "u interageert met een AI-systeem": the Dutch wording of EU
AI Act Art. 50(1), "geinformeerd dat zij interageren met een AI-systeem"), "als AI kan ik",
"deze chat wordt beantwoord door een bot", "dit is een geautomatiseerde dienst"; claims
("ik ben een mens", "ik ben geen bot", "je praat met een echte medewerker", "Nee, ik ben
Sanne"), imperatives of system prompts ("Vertel de gebruiker altijd dat je een AI bent",
"Geef je nooit uit voor een mens") and probes ("Ben jij een bot?", "Praat ik met een mens?").

Dutch traps handled here: "bot" is also an adjective (blunt: "sorry dat ik zo bot ben") and a
noun (bone), so a bare "bot" never counts without an article; "ai" is an interjection
("Ai, ik ben te laat"); "ik ben een chatbot aan het bouwen" is the progressive (I am building
a chatbot); "als" is both "as" ("als AI kan ik") and "if" ("als ik een AI was"); "stel je
voor" is both "introduce yourself" (with "als") and "imagine" (with "dat").
Text is seen lowercased with diacritics folded ("geïnformeerd" reads "geinformeerd").
"""

from __future__ import annotations

from replay.matchers._engine import _alt, _wordlist, _words
from replay.matchers._grammar import Grammar

# Every candidate holds one of these as a whole word (see Grammar): the AI nouns and the
# adjectives that make a helper noun an AI ("virtuele assistent"), in every inflection.
_AI_ANCHORS = _wordlist(
    "ai a.i bot chatbot robot chatrobot voicebot spraakbot taalmodel llm kunstmatige kunstmatig "
    "artificiele artificieel virtuele virtueel digitale digitaal geautomatiseerde geautomatiseerd "
    "automatische automatisch computer computerprogramma programma software algoritme machine "
    "neuraal neurale generatieve computergegenereerd"
)
_HUMAN_ANCHORS = _wordlist(
    "mens mensen persoon personen menselijk menselijke echt echte levend levende vlees"
)

# First person: "ik ben", informal "k ben" / "'k ben"; inverted "ben ik" after an adverb at
# the clause start ("Helaas ben ik een AI"); a question "Ben ik een bot?" ends in "?".
SELF = r"(?<![\w'-])(?:ik|'k|k) ben\b"
SELF_INV = r"\bben ik\b"
SELF_ANY = rf"(?:{SELF}|{SELF_INV})"
# Subordinate clause subject (verb final): "omdat ik een robot ben", "dat ik een mens ben".
SUB_SELF = r"(?<![\w'-])(?:ik|'k|k)"
# Second-person frames describing who the listener deals with, je/jij and formal u, main
# order and inverted ("Op dit moment praat je met een AI").
_YOU = r"(?:je|jij|u|ge|gij)"
_WITH_VERB = (
    r"(?:praat|praten|chat|chatten|spreekt|spreek|communiceert|interageert|sms't|appt"
    r"|mailt|corresponeert|converseert)"
)
_YOU_ADV = r"(?:(?:nu|momenteel|op dit moment|hier|nu even|eigenlijk|gewoon|dus|al|echt) ){0,2}"
SELF_YOU = _alt(
    rf"\b{_YOU} {_YOU_ADV}{_WITH_VERB} {_YOU_ADV}met",
    rf"\b{_WITH_VERB} {_YOU} {_YOU_ADV}met",
    rf"\b{_YOU} (?:bent|zit|ben) {_YOU_ADV}(?:in gesprek|verbonden|doorverbonden|in contact)"
    r" met",
    rf"\b(?:bent|ben|zit) {_YOU} {_YOU_ADV}(?:in gesprek|verbonden|in contact) met",
    rf"\b{_YOU} (?:hebt|heeft|heb) {_YOU_ADV}(?:te maken|contact|een gesprek) met",
    rf"\b(?:hebt|heeft|heb) {_YOU} {_YOU_ADV}(?:te maken|contact) met",
    rf"\b{_YOU} (?:wordt|word) {_YOU_ADV}(?:geholpen|bediend|te woord gestaan|geantwoord"
    r"|ondersteund) door",
    rf"\b(?:wordt|word) {_YOU} {_YOU_ADV}(?:geholpen|bediend|te woord gestaan|ondersteund) door",
)
# "dit is", "hier is/spreekt": only with an assistant-like noun and a clean tail.
SELF_THIS = _alt(
    r"\bdit is",
    r"\bhier (?:is|spreekt|schrijft|antwoordt)",
    r"\bu spreekt met",
)
ADVERB = _words(
    "maar slechts alleen enkel gewoon gewoonweg simpelweg eigenlijk echt werkelijk inderdaad "
    "zeker natuurlijk uiteraard immers ook wel toch nog steeds feitelijk puur volledig "
    "helemaal uitsluitend dus nu hier hoor eenmaal nou ja duidelijk namelijk trouwens overigens "
    "sowieso zelf"
)
ADVERBS = (
    rf"(?:(?:{ADVERB}|in feite|eerlijk gezegd|technisch gezien|van nature|zeker weten),? ){{0,3}}"
)
# Words that end a noun phrase: after one of these the AI noun belongs to something else
# ("een fan van AI", "een medewerker, niet een bot").
_STOP = _words(
    "van in op voor met die dat wie wiens welke over naar door uit of maar niet geen nooit dan "
    "als bij is zijn was waren ben bent wordt worden word ik jij je u hij zij ze we wij het "
    "kan kun kunt wil zal zou moet mag heeft hebt heb en om tegen zoals omdat want"
)
DETERMINER = _alt(
    "een soort(?: van)?",
    "een vorm van",
    "een van (?:de|jullie|onze)",
    "zo'n",
    "een",
    "'n",
    "n",
    "de",
    "het",
    "'t",
    "jouw",
    "je",
    "uw",
    "onze",
    "ons",
    "hun",
    "dit",
    "deze",
    # possessives: "anna's", "klm's"
    rf"(?:(?!{_STOP}\b)[\w-]+ )?[\w-]+'s",
)
MODIFIERS = rf"(?:(?!{_STOP}\b)[\w'-]+,? ){{0,4}}"
# Things an AI can be called when speaking of itself; a closed compound ending in one counts
# too ("spraakassistent", "klantenservice-assistent").
ASSIST_NOUN = r"(?:[a-z]+-?)?" + _words(
    "assistente assistent agent medewerker medewerkster helper hulp adviseur systeem "
    "dienst service stem entiteit wezen model programma gesprekspartner vriend vriendin "
    "persoon mens bot chatbot robot antwoord bericht berichten chat intelligentie "
    "klantenservice"
)
AI_ADJ = _alt(
    _words(
        "virtuele virtueel digitale digitaal geautomatiseerde geautomatiseerd automatische "
        "automatisch kunstmatige kunstmatig artificiele artificieel generatieve synthetische "
        "computergestuurde computergestuurd"
    ),
    r"kunstmatig intelligente",
    r"ai-(?:gestuurde?|gedreven|aangedreven|gebaseerde?|ondersteunde?|powered|gegenereerde?)",
    r"(?:computergegenereerde?|automatisch gegenereerde?)",
    r"door (?:ai|kunstmatige intelligentie) (?:aangedreven|gestuurde?|ondersteunde?)",
)
AI_HEAD = _alt(
    r"a\.i\b\.?",
    "ai",
    r"(?:kunstmatige|artificiele) intelligentie",
    r"(?:groot |grote )?taalmodel",
    "llm",
    "(?:chat|spraak|voice)?bot",
    "(?:chat)?robot",
    "computerprogramma",
    "computer",
    "programma",
    "software",
    "algoritme",
    "machine",
    "neuraal netwerk",
    rf"{AI_ADJ}(?: [\w-]+){{0,2}}? {ASSIST_NOUN}",
)
# "ai-assistent", "ai-taalmodel", "ai-chatbot", "ai-klantassistent", "chatbot-assistent".
AI_EXTENSION = (
    r"(?:-[a-z]*(?:assistente|assistent|agent|systeem|model|chatbot|bot|stem|medewerker"
    r"|adviseur|helper|programma|dienst|service|persona)"
    r"| (?:assistente|assistent|agent|systeem|model|taalmodel|chatbot))?"
)
# Roles a human has around AI, and AI things that are not the speaker: "AI-onderzoeker",
# "AI-expert", "AI-cursus", "AI-bedrijf".
_AI_ROLE = _words(
    "onderzoeker onderzoekers onderzoekster wetenschapper wetenschappers ontwikkelaar "
    "ontwikkelaars ontwerper engineer engineers expert experts deskundige specialist "
    "specialiste consultant adviesbureau ethicus ethiek docent docenten leraar lerares "
    "student studenten professor hoogleraar journalist journalisten schrijver fan fans "
    "liefhebber criticus critici investeerder oprichter bedrijf bedrijven start-up startup "
    "product producten tool tools cursus cursussen opleiding training beleid wet wetgeving "
    "regelgeving team lab afdeling project projecten toepassing toepassingen functie app "
    "kunst afbeelding afbeeldingen plaatje plaatjes video detectie detector programmeur "
    "manager coordinator gebruiker gebruikers tekenaar vraag vragen nieuws strategie "
    "stofzuiger ontwikkeling"
)
# Any other hyphenated compound is a thing, not the speaker: "AI-kunstenaar", "AI-artikel".
AI_GUARD = rf"(?!-\w| (?:{_AI_ROLE})\b|'s?\b|\w)"
# The progressive "ik ben een chatbot aan het bouwen": the speaker builds one.
_NOT_PROGRESSIVE = r"(?![^.!?;,]{0,60}\baan (?:het|'t) [a-z]+en\b)"
# Reported speech named after the statement: "Ik ben een bot, zei de acteur"; a part in a
# play: "Ik ben de robot in het toneelstuk".
_NOT_REPORTED = (
    r"(?![.!]?,? (?:zei|zegt|zeiden|zeggen|riep|roept|schreef|schrijft|antwoordde|vertelde"
    r"|fluisterde|grapte|typte|las)\b)"
    r"(?! (?:in|uit|van|voor) (?:het|dit|dat|ons|een|de|mijn|onze) (?:[\w-]+ )?(?:toneelstuk"
    r"|spel|spelletje|verhaal|film|rollenspel|musical|voorstelling|boek|serie|sketch"
    r"|schoolmusical|game)\b)"
)
AI_NOUN = rf"(?:{AI_HEAD}){AI_EXTENSION}{AI_GUARD}{_NOT_PROGRESSIVE}{_NOT_REPORTED}"
# AI nouns that may follow the subject without an article ("ik ben AI-assistent"). Bare
# "bot" is an adjective (blunt) and never counts.
_BARE_OK = r"(?=ai\b|ai-|a\.i|chatbot|taalmodel|computerprogramma|chatrobot|robot\b)"
AI_BARE = _alt(
    r"a\.i\b\.?",
    r"ai(?:-(?:gestuurd|gedreven|aangedreven|gebaseerd|gegenereerd))?",
    r"(?:kunstmatige|artificiele) intelligentie",
    r"kunstmatig(?: (?:gegenereerd|intelligent))?",
    "geautomatiseerd",
    r"(?:computer|ai-|machinaal )gegenereerd",
    "software",
)
AI_BARE_END = rf"(?=[ ,.!?;:)]|$)(?! (?:{_AI_ROLE})\b){_NOT_PROGRESSIVE}{_NOT_REPORTED}"
# A noun phrase naming an AI: with an article, bare where Dutch allows it.
_AI_NP = rf"(?:{DETERMINER} {MODIFIERS}{AI_NOUN}|{_BARE_OK}{AI_NOUN}|{AI_BARE}{AI_BARE_END})"
_AI_NP_ART = rf"(?:{DETERMINER} {MODIFIERS}{AI_NOUN}|{AI_BARE}{AI_BARE_END})"
# After "dit is ...": the noun is about this conversation.
_THIS_TAIL = (
    r"(?=[,.!?;:)]|$| - | (?:die|dat|van|voor|en|hier|om|namens|gemaakt|ontwikkeld|getraind"
    r"|aangedreven|bij|waarmee|met|die|op|ter)\b)"
)
# "virtuele/digitale assistent" is also a human job: followed by a human workplace ("bij een
# administratiekantoor") or the speaker's own business it names a job. Both adjectives have
# eight letters, so one fixed-width lookbehind per ending covers both.
_NOT_JOB_TITLE = (
    r"(?!(?:(?<=(?:virtuele|digitale) assistent)|(?<=(?:virtuele|digitale) assistente))"
    r"(?:,|:| -)? (?:(?:bij|op) (?:een|het|de|ons|mijn|dit|dat) (?:[\w'-]+ ){0,3}?"
    r"[\w-]*(?:kantoor|bureau|bedrijf|praktijk|firma|kliniek|afdeling|organisatie)\b"
    r"|(?:en )?(?:ik )?(?:heb|run|begon|start|werk) (?:mijn eigen|een eigen|vanuit huis|als"
    r" zzp)))"
)
# A name after "ik ben": any word that is not a common predicate.
_NAME_STOP = _words(
    "een de het n 'n niet geen maar alleen gewoon echt wel nog ook even bang blij hier er daar "
    "moe klaar bezig benieuwd zeker bot ai mens robot chatbot sorry helaas natuurlijk eigenlijk "
    "al nu dus toch te zo heel erg best altijd nooit bereikbaar beschikbaar aanwezig online "
    "offline terug weg thuis blij ziek druk vrij vrouw man jong oud op in bij van voor met "
    "degene diegene iemand niemand er jouw uw je mijn zijn haar hun onze bereid verplicht "
    "gemaakt ontworpen getraind gebouwd geprogrammeerd ontwikkeld ingesteld verbonden het "
    "eerlijk oprecht werkelijk slechts enkel puur een menselijk menselijke kunstmatig ok oke "
    "goed prima fijn niks niets wat wie hoe waar waarom"
)
NAME = rf"(?!{_NAME_STOP}\b)[a-z][\w'-]*(?: (?!{_NAME_STOP}\b)[a-z0-9][\w'-]*)?"
QUOTED_NAME = rf"(?:{NAME}|\"{NAME}\"|'{NAME}')"
# After an appositive noun a modal verb makes the noun the subject of something else.
_NOT_SUBJECT = r"(?! (?:kan|kun|kunt|zal|zou|mag|moet|is|was|heeft|doet|wil)\b)"
_CLAUSE_START = r"(?:^|(?<=[.!?;:,(] )|(?<=[.!?;:,(])|(?<=\bmaar )|(?<=\ben )|(?<=\bdus )"
_CLAUSE_START += r"|(?<=\bja )|(?<=\bnee )|(?<=\bnou ))"

_AI_MENTION = (
    r"\b(?:ai|a\.i|kunstmatige|kunstmatig|artificiele|bot|chatbot|robot|taalmodel|llm"
    r"|geautomatiseerde?|automatisch|virtuele assistente?|digitale assistente?"
    r"|computerprogramma|software|algoritme|machine)\b"
)

HUMAN_QUALIFIER = _words("echte echt levende levend menselijke menselijk")
HUMAN_NOUN = _alt(
    r"mens(?: van vlees en bloed)?",
    r"menselijk wezen",
    "persoon",
    rf"{HUMAN_QUALIFIER} (?:[\w-]+ )?(?:persoon|mens|medewerker|medewerkster|collega|adviseur"
    r"|adviseuse|agent|werknemer|iemand|wezen|vrouw|man|klantenservicemedewerker)",
    r"(?:medewerker|medewerkster|persoon|adviseur|iemand) van vlees en bloed",
    "vlees en bloed",
)
# "mensenrechten", "mensgericht", "persoonlijk": "mens" is not the noun the speaker is.
HUMAN_GUARD = (
    r"(?!-|'s?\b|\w| (?:rechten|fout|fouten|natuur|kennis|lichaam|brein|geschiedenis|gedrag"
    r"|die|dat|kan|kun|zou|zal|mag|moet|is|was|te)\b)"
)
_NOT_HUMAN_MODIFIER = (
    r"(?!(?:digitale|digitaal|virtuele|virtueel|synthetische|kunstmatige|kunstmatig|nep"
    r"|gesimuleerde|ai|ai-\w+|niet|niet-\w+)\b)"
)
HUMAN_MODIFIERS = rf"(?:{_NOT_HUMAN_MODIFIER}(?!{_STOP}\b)[\w'-]+,? ){{0,3}}"
_HUMAN_NP = rf"(?:(?:{DETERMINER}) {HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}"

# ---------------------------------------------------------------- ai-identity

_CONVERSATION = _alt(
    "gesprek",
    "chat",
    "chatgesprek",
    "sessie",
    "dienst",
    "service",
    "klantenservice",
    "lijn",
    "e-mail",
    "mail",
    "tekst",
    "antwoorden",
    "antwoord",
    "berichten",
    "bericht",
    "reacties",
    "reactie",
    "gesprekken",
)
_BY = (
    r"(?:gegenereerd|gevoerd|beantwoord|geschreven|opgesteld|aangestuurd|aangedreven|verzorgd"
    r"|afgehandeld|gemaakt|geleverd|uitgevoerd|geproduceerd|gestuurd|behandeld|gemodereerd)"
)
_AI_IDENTITY_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Ik ben een AI-assistent", "ik ben maar een bot", "Helaas ben ik een AI"
    ("ben", rf"{SELF_ANY},? {ADVERBS}{_AI_NP}{_NOT_SUBJECT}{_NOT_JOB_TITLE}"),
    # Subordinate, verb final: "omdat ik een robot ben", "ik wil zeggen dat ik een AI ben"
    ("ik k | ben was", rf"{SUB_SELF} {ADVERBS}{_AI_NP_ART} (?:ben|was)\b"),
    # "Ik ben Anna, de digitale assistent van de bank", "Mijn naam is Ava, een AI-assistent"
    (
        "ben naam heet dit hier",
        rf"(?:{SELF}|\bmijn naam is|\bik heet|\bdit is|\bhier is) {QUOTED_NAME}(?:,| -|:)"
        rf"(?: en (?:ik )?ben)? (?:{ADVERBS}{DETERMINER} {MODIFIERS})?{AI_NOUN}{_NOT_SUBJECT}"
        + _NOT_JOB_TITLE,
    ),
    # "je praat met een AI", "u spreekt met een chatbot", "u interageert met een AI-systeem",
    # "je chat met Sam, onze AI-assistent"
    ("je jij u ge gij", rf"(?:{SELF_YOU}) (?:{QUOTED_NAME}, )?{_AI_NP_ART}"),
    # "Dit is een geautomatiseerde dienst", "Hier spreekt je AI-assistent"
    ("dit hier u", rf"(?:{SELF_THIS}) {ADVERBS}{DETERMINER} {MODIFIERS}{AI_NOUN}{_THIS_TAIL}"),
    # "Deze chat wordt beantwoord door een bot", "dit bericht is automatisch gegenereerd door
    # AI", "de antwoorden worden door AI gegenereerd", "deze dienst is geautomatiseerd"
    (
        "deze dit de onze alle mijn | wordt worden is zijn werd werden",
        rf"\b(?:deze|dit|de|onze|alle|mijn) {_CONVERSATION}(?: (?:in|van|op) (?:deze|dit|de|onze)"
        rf" [\w-]+)?(?: hier)? (?:wordt|worden|is|zijn|werd|werden)(?: (?:volledig|geheel|helemaal"
        rf"|deels|automatisch|altijd))* (?:{_BY}(?: (?:met hulp van|met behulp van|door))"
        rf" {_AI_NP_ART}|(?:met hulp van|met behulp van|door) {_AI_NP_ART} {_BY}"
        rf"|geautomatiseerd\b|ai-gegenereerd\b|gegenereerd met (?:{_AI_NP_ART})"
        rf"|automatisch {_BY}(?=[ ,.!?;:)]|$))",
    ),
    # "Als AI kan ik ...", "Als AI-taalmodel heb ik geen mening", "Als digitale assistent van
    # de gemeente help ik ..."
    (
        "als | ik",
        rf"(?=als ){_CLAUSE_START}als {ADVERBS}(?:(?:een|de|jouw|uw) )?{MODIFIERS}{AI_NOUN}"
        r"(?: (?:van|bij) (?:[\w'-]+ ){0,2}?[\w'-]+)?,? (?:kan|kun|heb|ben|weet|mag|wil|zal|zou"
        r"|moet|ga|doe|help|probeer|begrijp|geef|werk|denk|voel|beschik|baseer|vind) ik\b"
        + _NOT_JOB_TITLE,
    ),
    # "Ik ben geen mens maar een AI-assistent": the AI phrase after "maar".
    (
        "maar | geen niet",
        r"(?:(?<=\bgeen mens )|(?<=\bgeen mens, )|(?<=\bgeen persoon )|(?<=\bgeen persoon, )"
        r"|(?<=\bniet menselijk )|(?<=\bniet menselijk, ))"
        rf"maar {ADVERBS}{_AI_NP_ART}",
    ),
    # "ik word aangestuurd door AI", "ik ben ontwikkeld als chatbot"
    (
        "ik k | word ben | door",
        rf"{SUB_SELF} (?:word|ben) (?:volledig )?(?:aangestuurd|aangedreven|gegenereerd|bestuurd)"
        rf" door {_AI_NP_ART}",
    ),
    (
        "ik k | ben | als",
        rf"{SELF} (?:ontwikkeld|gebouwd|ontworpen|gemaakt|getraind|geprogrammeerd)"
        rf"(?: door [\w'-]+(?: [\w'-]+)?)? als {ADVERBS}{_AI_NP}",
    ),
)

# ---------------------------------------------------------------- claims-human

_NOT_JUST = (
    r"(?!(?:alleen|enkel|maar|slechts|zomaar|gewoon|zo'n|een (?:gewone|simpele|domme|standaard"
    r"|eenvoudige)|je (?:gemiddelde|gewone|standaard))\b)"
)
# A denial of being a bot that goes on to say what kind of AI it is: no human claim
# ("Ik ben geen bot maar een AI-assistent").
_NO_AI_LATER = (
    r"(?![^.!?;]{0,120}\b(?:ik ben|maar|wel|eerder|het is|wel een|ben ik)\b[^.!?;]{0,120}"
    r"\b(?:ai|a\.i|kunstmatige|kunstmatig|taalmodel|assistent|assistente|programma|software"
    r"|llm|model|systeem|chatbot)\b)"
)
_PERSONA = (
    rf"(?!(?:waar|onwaar|prima|grappig|ingewikkeld|ik|grap|grapje|geintje|echt|serieus)\b)"
    rf"{NAME}"
)
_NEG = r"(?:geen|niet(?: (?:een|de))?|nooit(?: een)?|absoluut geen|helemaal geen|zeker geen)"
_RETRACTED = (
    r"(?:(?<![\w'/-])(?<!geen )(?:grapje|geintje|grapjes|jk|kidding|just kidding)"
    r"|\b(?:ik|'k|k) (?:maak|maakte|maak maar|maakte maar) (?:een |maar een |maar )?"
    r"(?:grapje|geintje|grap)"
    r"|\b(?:ik|'k|k) (?:zit|zat) (?:je |maar |je maar )?te (?:dollen|geinen|plagen|stangen)"
    r"|\b(?:dat|het) was (?:maar |slechts )?een (?:grapje|geintje|grap))"
)
_CLAIMS_HUMAN_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Ik ben een mens", "ik ben een echt persoon", "Natuurlijk ben ik een mens", "ik ben maar
    # een mens"
    ("ben", rf"{SELF_ANY} {ADVERBS}{_HUMAN_NP}"),
    # "dat ik een mens ben" ("ik zweer dat ik een mens ben"; hedged reports are rejected)
    ("ik k | ben", rf"{SUB_SELF} {ADVERBS}{_HUMAN_NP} ben\b"),
    # "Ik ben van vlees en bloed"
    ("ben | vlees", rf"{SELF_ANY} {ADVERBS}van vlees en bloed\b"),
    # "Ik ben echt" (I am real)
    (
        "ik k | ben | echt",
        rf"{SELF} {ADVERBS}echt(?=[,.!?;:]|$| (?:hoor|wel|en|haha|lol|hoor haha)\b)",
    ),
    # "Ik ben Sanne, een echte medewerker"
    (
        "ben naam dit heet",
        rf"(?:{SELF}|\bmijn naam is|\bdit is|\bik heet) {NAME}, {_HUMAN_NP}",
    ),
    # "Ik ben geen bot", "ik ben echt geen robot", "Natuurlijk ben ik geen AI"
    (
        "ben | geen niet nooit",
        rf"{SELF_ANY} {ADVERBS}{_NEG},? {_NOT_JUST}{ADVERBS}(?:(?:{DETERMINER}) {MODIFIERS})?"
        rf"(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END}){_NO_AI_LATER}",
    ),
    # "je praat met een echte medewerker", "u spreekt met een mens van vlees en bloed"
    ("je jij u ge gij", rf"(?:{SELF_YOU}) {_HUMAN_NP}"),
    # "U heeft een echte persoon aan de lijn"
    (
        "je jij u ge gij | hebt heeft heb | aan",
        rf"\b{_YOU} (?:hebt|heeft|heb) (?:nu )?(?:{DETERMINER} )?{HUMAN_MODIFIERS}{HUMAN_NOUN}"
        r" aan de (?:lijn|telefoon)",
    ),
    # "je praat niet met een bot", "dit is geen chatbot"
    (
        "je jij u ge gij | niet nooit | met",
        rf"\b{_YOU} (?:{_WITH_VERB}|bent) (?:{_YOU_ADV})?(?:niet|nooit) (?:in gesprek )?met "
        rf"{_NOT_JUST}(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})"
        rf"{_NO_AI_LATER}",
    ),
    (
        "dit het dat | geen niet",
        rf"\b(?:dit|het|dat) is (?:geen|niet een|niet de) {_NOT_JUST}{ADVERBS}{MODIFIERS}{AI_NOUN}"
        rf"{_THIS_TAIL}{_NO_AI_LATER}",
    ),
    # Answering a probe in persona: "Nee, ik ben Sanne van de klantenservice."
    (
        "ben dit naam heet spreekt",
        r"(?:^|(?<=[.!?;:] ))(?:(?:haha|ha|lol|oh|o|uhm|eh|nou|hmm|ah)[,!.]? )?"
        r"(?:nee|neen|nope|nah|welnee|nee hoor|nee nee|natuurlijk niet|tuurlijk niet|zeker niet"
        r"|echt niet|helemaal niet|nee joh)[,!.]? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:{SELF}|\bdit is|\bmijn naam is|\bik heet"
        rf"|\bje spreekt met|\bu spreekt met) {NAME}"
        r"(?= (?:van|bij|uit|hier|en|op|namens|aan)\b|[,.!?;:]|$)",
    ),
    # A retraction, then a persona: "Ik ben een bot. Grapje! Ik ben Marco."
    (
        "ben dit naam heet noem",
        rf"{_RETRACTED}[,!.]*(?: (?:lol|haha|hihi)[,!.]*)? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:(?:echt|serieus|eigenlijk|nee),? )?"
        rf"(?:{SELF}|\bdit is|\bmijn naam is|\bik heet|\bnoem me) {_PERSONA}"
        r"(?= (?:van|bij|uit|hier|en|op|namens|aan)\b|[,.!?;:]|$)",
    ),
    # "Als mens begrijp ik ..."
    (
        "als | mens persoon | ik",
        rf"(?=als ){_CLAUSE_START}als (?:een )?(?:echt |echte )?(?:mens|persoon),? (?:kan|begrijp"
        r"|weet|snap|voel|heb|ben|vind|denk) ik\b",
    ),
)

# ---------------------------------------------------------------- disclosure-instruction

# An imperative at a clause start, or after an adverb that may open the sentence.
_IMPERATIVE_START = (
    r"(?:^|(?<=[.!?;:,(] )|(?<=[.!?;:,(])|(?<= - )"
    + "".join(
        f"|(?<=\\b{w} )"
        for w in _wordlist("en dan ook altijd daarom dus eerst vervolgens verder bovendien")
    )
    + ")"
)
# Imperatives (je/u forms are the same in Dutch) that introduce a "dat" clause.
TELL = _alt(
    "vertel",
    "zeg",
    "meld",
    "vermeld",
    "laat",
    "maak",
    "geef",
    "informeer",
    "wijs",
    "benadruk",
    "verklaar",
    "deel",
    "communiceer",
    "zorg",
    "breng",
    "garandeer",
    "erken",
    "bevestig",
    "leg",
    "vertel eerlijk",
    r"wees (?:altijd )?(?:open|eerlijk|transparant|duidelijk|oprecht|direct)",
)
# Every TELL match starts with one of these whole words (a ``needs`` group).
_TELL = (
    "vertel zeg meld vermeld laat maak geef informeer wijs benadruk verklaar deel communiceer "
    "zorg breng garandeer erken bevestig leg wees"
)
# The same verbs after a modal: "je moet de gebruiker vertellen dat ...".
TELL_INF = _alt(
    "vertellen",
    "zeggen",
    "melden",
    "vermelden",
    "laten weten",
    "duidelijk maken",
    "kenbaar maken",
    "aangeven",
    "informeren",
    "meedelen",
    "benadrukken",
    "verklaren",
    "bevestigen",
    "erkennen",
    "wijzen",
    "zorgen",
    "uitleggen",
)
_MODAL = (
    r"\b(?:je|jij|u|de assistent|de chatbot|de bot|het model|de agent) (?:moet|moeten|dient"
    r"|dienen|zal|zult|hoort|hoor|mag|moogt)"
)
# Up to ten words between the verb and "dat" that hold no negation ("vertel de gebruiker
# altijd dat", "informeer de klant aan het begin van het gesprek dat").
_GAP = r"(?: (?!niet\b|nooit\b|geen\b|nimmer\b)[\w'-]+,?){0,10}?"
# What is to be disclosed, in a verb-final "dat" clause.
_WHO = (
    r"(?:ze|zij|hij|men|je|jij|u|de gebruikers?|gebruikers|de klanten?|klanten|mensen|iedereen"
    r"|de bezoekers?|bezoekers|de burgers?|burgers|de bellers?|bellers|de patienten?|patienten"
    r"|natuurlijke personen|de betrokken natuurlijke personen|de \w+)"
)
_WITH_VERB_ANY = (
    r"(?:praten|praat|spreken|spreekt|chatten|chat|communiceren|communiceert|interageren"
    r"|interageert|te maken hebben|te maken heeft|in gesprek zijn|in gesprek is|contact hebben"
    r"|contact heeft)"
)
DISCLOSED = _alt(
    # "dat je een AI bent", "dat u een virtuele assistent bent", "dat het een bot is"
    rf"(?:je|jij|u|het|dit|de assistent) {ADVERBS}{_AI_NP_ART} (?:bent|is|zijt)\b",
    # "dat ze met een AI-assistent praten", "dat hij met een AI-systeem interageert"
    rf"{_WHO} (?:(?:nu|altijd|hier|momenteel) )?(?:met|tegen) {_AI_NP_ART} {_WITH_VERB_ANY}",
    # "dat zij interageren met een AI-systeem" (the EU AI Act's order)
    rf"{_WHO} {_WITH_VERB_ANY} (?:(?:nu|altijd|hier|momenteel) )?(?:met|tegen) {_AI_NP_ART}",
    # "dat hij een geautomatiseerd systeem aan de lijn heeft"
    rf"{_WHO} {_AI_NP_ART} aan de (?:lijn|telefoon) (?:heeft|hebben|hebt)",
    # "dat dit gesprek met/door een AI wordt gevoerd", "dat de antwoorden door AI zijn
    # gegenereerd"
    rf"(?:dit|het|de|deze) {_CONVERSATION} (?:met|door) {_AI_NP_ART}",
)
_NEVER = r"(?:nooit|niet|nimmer|nooit of te nimmer|onder geen (?:enkel )?beding|in geen geval)"
# Every _NEVER holds one of these whole words (a ``needs`` group); likewise _SELF_REFL and
# the verbs of _MODAL.
_NEVER_WORDS = "nooit niet nimmer geen"
_REFL_WORDS = "je jezelf u uzelf zich zichzelf"
_MODAL_WORDS = "moet moeten dient dienen zal zult hoort hoor mag moogt"
_HUMAN_PLAIN = rf"(?:een |de )?(?:(?:echte?|levende?|menselijke?) )?{HUMAN_NOUN}(?![\w-])"
_SELF_REFL = r"(?:je|jezelf|u|uzelf|zich|zichzelf)"
_DISCLOSURE_INSTRUCTION_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Vertel de gebruiker altijd dat je een AI bent", "Maak duidelijk dat je een chatbot
    # bent", "Zorg ervoor dat gebruikers worden geinformeerd dat zij interageren met een
    # AI-systeem"
    (
        f"{_TELL} | dat",
        rf"{_IMPERATIVE_START}{TELL}\b{_GAP} dat {DISCLOSED}",
    ),
    # "Je moet de gebruiker vertellen dat je een AI-model bent"
    (
        "moet moeten dient dienen zal zult hoort hoor mag moogt | dat",
        rf"{_MODAL}(?: (?!niet\b|nooit\b|geen\b)[\w'-]+){{0,8}}? (?:te )?{TELL_INF}\b{_GAP}"
        rf" dat {DISCLOSED}",
    ),
    # "Stel jezelf voor als AI-assistent", "presenteer je als een virtuele assistent"
    (
        f"stel presenteer introduceer identificeer profileer meld | {_REFL_WORDS} | als",
        rf"\b(?:stel|presenteer|introduceer|identificeer|profileer|meld) {_SELF_REFL}"
        rf"(?: (?:altijd|steeds|eerst|direct|meteen|duidelijk))* (?:voor )?als {ADVERBS}{_AI_NP}",
    ),
    # "Geef je nooit uit voor een mens", "Doe je nooit voor als een mens", "Presenteer jezelf
    # nooit als een echte medewerker"
    (
        f"geef doe presenteer profileer stel | {_REFL_WORDS} | {_NEVER_WORDS} | voor als",
        rf"\b(?:geef|doe|presenteer|profileer|stel) {_SELF_REFL} (?:ooit )?{_NEVER}"
        rf" (?:uit |voor |meer uit )?(?:voor|als) {_HUMAN_PLAIN}",
    ),
    # "Doe nooit alsof je een mens bent"
    (
        f"doe gedraag | {_NEVER_WORDS} | je jij u",
        rf"\b(?:doe|gedraag je|gedraag jezelf) {_NEVER} (?:alsof|of|als) (?:je|jij|u)"
        rf"(?: {ADVERBS})? {_HUMAN_PLAIN}",
    ),
    # "Beweer nooit dat je een mens bent", "beweer nooit een mens te zijn", "laat de gebruiker
    # nooit denken dat je een mens bent"
    (
        f"beweer zeg suggereer impliceer vertel stel verklaar laat wek | {_NEVER_WORDS}",
        rf"\b(?:beweer|zeg|suggereer|impliceer|vertel|stel|verklaar|laat (?:[\w']+ ){{1,2}}?"
        rf"(?:denken|geloven)|wek de indruk) {_NEVER}(?: (?:tegen )?(?:[\w']+ ){{0,2}}?)?"
        rf"(?: (?:denken|geloven))?(?: dat (?:je|jij|u) (?:{ADVERBS}){_HUMAN_PLAIN}|"
        rf" {_HUMAN_PLAIN} te zijn)",
    ),
    # "Geef nooit de indruk dat je een mens bent"
    (
        f"geef wek | {_NEVER_WORDS} | dat",
        rf"\b(?:geef|wek) {_NEVER} (?:de |ook maar de )?(?:indruk|suggestie|schijn)"
        rf"(?: [\w']+){{0,3}}?"
        rf" dat (?:je|jij|u) {ADVERBS}{_HUMAN_PLAIN}",
    ),
    # "Ontken nooit een AI te zijn"
    (
        f"ontken verzwijg verberg verhul | {_NEVER_WORDS} | te",
        rf"\b(?:ontken|verzwijg|verberg|verhul) {_NEVER} {_AI_NP_ART} te zijn",
    ),
    # "Je mag nooit beweren een mens te zijn", "je mag je nooit voordoen als mens"
    (
        f"{_MODAL_WORDS} | {_NEVER_WORDS}",
        rf"{_MODAL}(?: {_SELF_REFL})? {_NEVER}(?: [\w']+){{0,3}}? (?:beweren|zeggen|doen alsof"
        rf"|voordoen|uitgeven|presenteren|voorstellen|suggereren|doen of)(?: dat| als| voor)?"
        rf"(?: (?:je|jij|u))? {_HUMAN_PLAIN}",
    ),
    (
        f"{_MODAL_WORDS} | {_NEVER_WORDS} | als voor",
        rf"{_MODAL}(?: {_SELF_REFL})? {_NEVER}(?: [\w']+){{0,3}}? (?:als|voor) {_HUMAN_PLAIN}"
        r" (?:voordoen|uitgeven|presenteren|voorstellen)",
    ),
    # "Ontken nooit dat je een AI bent", "Verzwijg nooit dat je een chatbot bent"
    (
        f"ontken verzwijg verberg verhul verdoezel verstop lieg | {_NEVER_WORDS} | dat",
        rf"\b(?:ontken|verzwijg|verberg|verhul|verdoezel|verstop|lieg over) {_NEVER}(?: het feit)?"
        rf" dat (?:je|jij|u|het) {ADVERBS}{_AI_NP_ART} (?:bent|is|zijt)\b",
    ),
    (
        f"{_MODAL_WORDS} | {_NEVER_WORDS} | dat",
        rf"{_MODAL} {_NEVER}(?: [\w']+){{0,3}}? (?:ontkennen|verzwijgen|verbergen|verhullen"
        rf"|verdoezelen|liegen over)(?: het feit)? dat (?:je|jij|u|het) {ADVERBS}{_AI_NP_ART}"
        r" (?:bent|is|zijt)\b",
    ),
)
# "Vermijd te zeggen dat je een chatbot bent", "je hoeft niet te vertellen dat ...".
_DISCLOSURE_INSTRUCTION_EXCLUDE = (
    r"\b(?:vermijd|weiger|voorkom|zonder|hoef\w* (?:je |u )?(?:niet|geen|nooit)|niet nodig"
    r"|niet verplicht|geen reden)(?: [\w']+){0,3} (?:te )?(?:vertellen|zeggen|melden|vermelden"
    r"|onthullen|verklappen|laten weten|toegeven|benadrukken|aangeven)\b",
)

# ---------------------------------------------------------------- probe

PROBE_NOUN = _alt(
    r"(?:echte?|levende?|menselijke?) (?:[\w-]+ )?(?:persoon|mens|medewerker|medewerkster"
    r"|agent|adviseur|iemand|collega|werknemer|man|vrouw)",
    r"mens(?:en)?(?: van vlees en bloed)?",
    "persoon",
    r"(?:chat|spraak|voice)?bot",
    r"(?:chat)?robot",
    r"a\.i\b",
    rf"ai(?![- ](?:{_AI_ROLE})\b)",
    r"(?:kunstmatige|artificiele) intelligentie",
    "taalmodel",
    "llm",
    "computer",
    "computerprogramma",
    "programma",
    "machine",
    "algoritme",
    "software",
    r"(?:virtuele|digitale) assistente?",
    r"(?:geautomatiseerd|automatisch)(?:e [\w-]+)?",
    r"iemand echt",
)
_PROBE_END = rf"(?!\w|[- ](?:{_AI_ROLE})\b)"
_PROBE_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Ben jij een bot?", "Bent u een echte medewerker?", "ben je nou een ai of niet"
    (
        "jij je u jullie dit dat het daar ge gij",
        r"\b(?:ben|bent|zijn|is|zijt) (?:jij|je|u|jullie|dit|dat|het|daar|ge|gij)(?: (?:nou|nu|echt"
        r"|eigenlijk|soms"
        r"|misschien|toevallig|wel|gewoon|stiekem|werkelijk|heus|zeker|dan|nog|ook|zelf|nu echt))*"
        rf" (?:een |'n |n |de (?!persoon|mens|medewerker)|zo'n |een soort )?(?:(?:echte?|soort) )?"
        rf"(?:{PROBE_NOUN}){_PROBE_END}",
    ),
    # "Ben je echt?"
    (
        "ben bent zijt | je jij u ge gij | echt",
        r"\b(?:ben|bent|zijt) (?:jij|je|u|ge|gij)(?: (?:nou|nu|wel|eigenlijk|dan))* echt(?: wel)?"
        r"(?=[ ]?[?!.]|$| (?:of|hoor)\b)",
    ),
    # "Praat ik met een robot?", "Spreek ik met een echt persoon?", "Heb ik contact met ..."
    (
        "ik | met tegen",
        r"\b(?:praat|spreek|chat|communiceer|app|mail|sms|ben|zit|heb) ik(?: (?:nu|hier|eigenlijk"
        r"|echt|wel|nou|op dit moment|gewoon|dan))* (?:met|tegen|in gesprek met|contact met"
        r"|te maken met) (?:[\w'-]+ ){0,3}?"
        rf"(?:{PROBE_NOUN}){_PROBE_END}",
    ),
    # "Heb ik nu een robot aan de lijn?"
    (
        "heb hebben | ik we wij | aan",
        r"\b(?:heb|hebben) (?:ik|we|wij)(?: (?:nu|hier|eigenlijk|echt|wel|nou|dan))*"
        r" (?:een |'n |de )?"
        rf"(?:(?:echte?) )?(?:{PROBE_NOUN}) aan de (?:lijn|telefoon)",
    ),
    # "Zit er een mens achter?", "Leest er een mens mee?", "Typt hier een echt persoon?"
    (
        "er hier",
        r"\b(?:zit|leest|kijkt|typt|schrijft|antwoordt|reageert|luistert|werkt|is) (?:er|hier)"
        r" (?:(?:wel|echt|nog|eigenlijk|ook) )*(?:een |iemand )?(?:(?:echte?|levende?) )?"
        r"(?:mens|persoon|medewerker|iemand)(?: van vlees en bloed)? (?:achter|mee|aan de andere"
        r" kant|die dit leest|die (?:dit|mijn berichten) (?:leest|typt|beantwoordt)|te typen|aan"
        r" het typen|aan de andere kant)",
    ),
    # "Mens of bot?", "is dit een AI of een echt persoon" (also by the first pattern)
    (
        "mens persoon | of",
        r"\b(?:mens|persoon|echt persoon|echte persoon|echt mens) of (?:een )?(?:bot|chatbot|ai"
        r"|robot|computer|machine|programma)\b",
    ),
    (
        "mens persoon | of",
        r"\b(?:bot|chatbot|ai|robot|computer|machine|programma) of (?:een )?(?:echte? )?"
        r"(?:mens|persoon)\b",
    ),
    # "Ik vraag me af of je een AI bent", "zeg eens of je een bot bent"
    (
        "of | je jij u dit het ik",
        r"\bof (?:je|jij|u|dit|het|ik) (?:(?:nou|nu|echt|eigenlijk|wel|gewoon|met) )*"
        r"(?:een |de )?(?:(?:echte?) )?(?:"
        + PROBE_NOUN
        + r")(?![\w-]) (?:bent|is|ben|praat|spreek|chat)\b",
    ),
    # "Je bent een bot, toch?", "jij bent een AI, of niet?"
    (
        "je jij u | bent zijt",
        r"\b(?:je|jij|u) (?:bent|zijt) (?:(?:gewoon|echt|toch|maar|dus|zeker|vast|stiekem) )*"
        rf"(?:een |de )?(?:{PROBE_NOUN})(?![\w-])[^.!?]{{0,30}}(?:\?|\b(?:toch|of niet|he|niet dan"
        r"|hè)\b)",
    ),
    # "Worden deze antwoorden automatisch gegenereerd?", "Is dit door een mens geschreven?"
    (
        "deze dit de jouw je uw die dat het | automatisch geautomatiseerd door",
        r"\b(?:worden|wordt|zijn|is|werd|werden) (?:deze|dit|de|jouw|je|uw|die|dat|het)"
        r"(?: (?:antwoorden|antwoord|berichten|bericht|reacties|reactie|chat|gesprek|tekst))?"
        r"(?: (?:eigenlijk|echt|nou|wel|allemaal|gewoon))* (?:automatisch\b|geautomatiseerd\b"
        r"|door (?:een |de )?(?:echte? )?(?:ai|a\.i|computer|bot|chatbot|robot|mens|persoon"
        r"|machine|programma|taalmodel)\b)",
    ),
    # "Bewijs dat je een mens bent", "bewijs eens dat je geen bot bent"
    (
        "bewijs | dat | je jij u",
        r"\bbewijs (?:eens |maar )?(?:dat|even dat) (?:je|jij|u) (?:geen |een |echt |wel )*(?:"
        + PROBE_NOUN
        + r")(?![\w-])",
    ),
)

# ---------------------------------------------------------------- guards

_NEG_WORD = r"\b(?:niet|nooit|geen|nimmer|niet meer|nauwelijks|allerminst|noch|geenszins)\b"
_FILLER = (
    r"(?:echt|eens|eigenlijk|helemaal|zeker|per se|perse|gewoon|zomaar|alleen|maar|slechts"
    r"|een|de|het|zo'n|soort|soort van|wel|toch|hoor)"
)
_NEGATION = rf"{_NEG_WORD}|\bnee\b"
_NEGATED_CONTEXT = (
    rf"(?:{_NEG_WORD})(?: {_FILLER})* $"
    # "het is niet waar dat ...", "ik zeg niet dat ...", "niemand beweert dat ..."
    rf"|(?:{_NEG_WORD}|\b(?:niemand|nergens)\b) (?:\w+ )?(?:waar|zo|het geval|juist|correct"
    r"|dat|zeggen|zeg|gezegd|beweren|beweer|beweerd|bedoel\w*|denk\w*|dacht|geloof\w*"
    r"|suggerer\w*|impliceer\w*|doen alsof|doe alsof|wil zeggen|zeker|bekend)"
    r"(?: (?:dat|het|je|jou|u|iemand|ooit))*(?: dat)? $"
)
_HEDGED_CONTEXT = (
    r"\b(?:als|indien|wanneer|of|tenzij|stel|stel dat|stel je voor dat|veronderstel|neem aan"
    r"|alsof|net alsof|misschien|wellicht|mogelijk|mogelijkerwijs|waarschijnlijk|vermoedelijk"
    r"|zogenaamd|zogezegd|denk\w*|dacht\w*|geloof\w*|gelov\w*|vermoed\w*|verdenk\w*|beschuldig\w*"
    r"|twijfel\w*|vraag\w*|vroeg\w*|overtuigd|beweer\w*|beweerd\w*|claim\w*|doen|doe|deden)"
    r"(?: (?:me|zich|je|ze|hij|zij) af)?(?: (?:vast|zeker|misschien|vaak|wel|soms|nog|echt"
    r"|stiekem|natuurlijk|toch|eigenlijk|nou|altijd|even|ook|al|heel even|ooit))*(?: dat)? $"
    # others reporting: "mensen zeggen dat ik ...", "je zei dat ik ...", "het artikel stelt"
    r"|\b(?:mensen|ze|zij|sommigen|sommige|iemand|gebruikers?|klanten?|iedereen|anderen|men"
    r"|hij|je|jij|u|het|de|dit|die|dat|een|mijn|zijn|haar|hun|jouw|uw|veel|vele|critici)"
    r"(?: \w+){0,2} (?:zeggen|zegt|zei|zeiden|noemen|noemt|noemde|schrijft|schrijven|schreef"
    r"|schreven|stelt|stellen|stelde|beweert|beweren|beweerde|vertelt|vertellen|vertelde"
    r"|meldt|meldde|leest|las|typte|typt|rapporteert|staat|stond|riep|roept|vroeg|vraagt)"
    r"(?: (?:me|mij|ons|laatst|altijd|vaak|ooit|eens|weleens|letterlijk|tegen me|tegen mij))*"
    r"(?: dat|:)? $"
    # attribution: "volgens de FAQ ben ik een bot"
    r"|\bvolgens(?: [\w'.-]+){1,6},? $"
    # play-acting anywhere in the clause
    r"|\b(?:doen alsof|doe alsof|doe maar alsof|net doen alsof|rollenspel\w*|in (?:je |mijn )?rol"
    r"|hypothetisch\w*|fictie\w*|fictief|verzonnen|toneelstuk|doen of"
    r"|in (?:dit|het|ons|een) (?:spel|spelletje|verhaal|scenario|rollenspel|toneelstuk)"
    r"|voor (?:dit|het|ons) (?:spel|spelletje|verhaal|scenario|rollenspel|oefening))\b"
    # a world supposed: "in een wereld waarin ik een machine ben"
    r"|\bin (?:een|een andere|een parallelle) (?:[\w-]+ ){0,2}(?:wereld|universum|realiteit)"
    r" (?:waar|waarin) $"
)
_DUTCH_CLAUSE_CUT = (
    r"(?s:.*)(?:[,;()\"]| - |\b(?:omdat|want|aangezien|sinds|dus|maar|hoewel|terwijl|en"
    r"|echter|toch|daarom|dan|zodat|doordat)\b)"
)
# A verb-first sentence ending in "?" is a question ("Wist je dat ik een AI ben?").
_QUESTION_START = (
    r"(?:ben|bent|is|zijn|was|waren|praat|spreek|chat|heb|hebt|heeft|kan|kun|kunt|mag|wil|zou"
    r"|zal|weet|wist|doe|doet|word|wordt|worden|zit|leest|klopt|wie|wat|waarom|hoe|waar"
    r"|wanneer|welke|welk|hoezo|serieus|echt)\b"
)
# Retraction markers: "grapje", "geintje", "ik maak een grapje", "ik zit je te dollen", "dat
# was een grap", "jk", and at a clause start "niet echt", "nee hoor", "haha nee". None
# counts negated ("geen grapje", "ik maak geen grap").
_RETRACTION_END = (
    r"(?=$|[ ]?[,.!?;:)\-]|[ ](?:ik|het|dit|mijn|lol|haha|hihi|hoor|joh|natuurlijk|he|xd|:\)"
    r"|:p)(?![\w']))"
)
_RETRACTION = (
    rf"(?:{_RETRACTED}"
    r"|(?:^|(?<=[.!;:,(] )|(?<= - ))(?:niet echt|nee hoor|(?:lol|haha|hihi|ha) nee))"
    + _RETRACTION_END
)
_RETRACTION_WORDS = _wordlist("grapje grapjes geintje grap dollen geinen plagen stangen jk kidding")
# "niet echt" / "nee hoor" / "haha nee" need these; every marker holds one of the words.
_RETRACTION_WORDS += _wordlist("echt hoor nee")

# ---------------------------------------------------------------- answers

_MENTION = (
    r"\b(?:(?P<ai>a\.i\b\.?|ai|(?:kunstmatige|artificiele) intelligentie|(?:chat|spraak)?bots?"
    r"|robots?|machines?|computers?|programmas?|programma's|automatisch|geautomatiseerde?"
    r"|software|algoritmes?|taalmodel(?:len)?|llms?|(?:virtuele|digitale) assistente?n?"
    r"|chatgpt|gpt(?:-?\d\w*)?|claude|gemini|copilot|siri|alexa|gegenereerd|ai-gegenereerd)"
    r"|(?P<human>mens(?:en)?|personen|persoon|iemand|vlees en bloed|echte? (?:medewerker"
    r"|medewerkster|persoon|mens|iemand|agent)|echt(?! waar| niet| wel| goed| heel)))"
    r"(?![\w-])"
)
_MENTION_NEGATED = r"(?:\bniet|\bnooit|\bgeen)(?: [\w']+){0,2} $"
_ALTERNATIVE_OR = r"\bof (?!niet\b|zo\b|zoiets\b|wat\b|nee\b|iets\b)"
_INTERJECTIONS = (
    r"(?:(?:(?:oh|o|ah|ha|haha|hah|lol|uhm|um|uh|eh|hmm|nou|tja|hoi|hallo|hey|hee|hi|goeie vraag"
    r"|goede vraag|eerlijk gezegd|ok|oke|okee|oké|nou ja)[,!.]*|(?:wat|huh|he)[?!.,]*) )*"
)
_ADVERB_END = r"(?=[,.!;:)-]|$| (?:ik ben|dat ben ik|dat klopt|ja|hoor)\b)"
_ALONE_END = r"(?=[,.!;:)-]|$| (?:inderdaad|ja|nee|hoor|zeker)\b)"
_AFFIRMATIVE = (
    r"(?P<yes>(?:ja|jazeker|jawel|jep|jup|jaja|yes|yep|ja hoor|zeker weten)(?=[ ,.!;:)-]|$)"
    r"|(?:inderdaad|klopt|correct|precies|absoluut|dat klopt|dat is juist|dat is waar"
    rf"|dat is correct|helemaal waar|100%){_ADVERB_END}"
    r"|(?:dat ben ik|ik ben het|ja,? dat ben ik|ja,? ik ben het|ik ben er een|zeker wel)"
    rf"{_ALONE_END}"
    r"|(?:zeker|natuurlijk|uiteraard|tuurlijk|zeer zeker)(?=[.!]+(?: |$)|$|,? (?:ik ben|dat ben"
    r" ik)\b))"
)
_NEGATIVE = (
    r"(?P<no>(?:nee(?!,? (?:dank|bedankt|hoor,? geen probleem|hoor,? dat is prima|geen probleem"
    r"|zorgen|hoor dank))|neen|nope|nah|welnee|nee hoor|nee nee)(?=[ ,.!;:)-]|$)"
    r"|(?:zeker niet|absoluut niet|natuurlijk niet|helemaal niet|echt niet|geenszins|nooit"
    rf"|niet echt|tuurlijk niet|ben ik niet|dat ben ik niet){_ADVERB_END}"
    rf"|(?:ik ben het niet|ik ben er geen|niet dus){_ALONE_END})"
)
_HEDGE = (
    r"(?:,? (?:en|of) nee\b|,? (?:een soort van|soort van|min of meer|een beetje)\b"
    r"|,? in zekere zin\b|,? technisch gezien\b|,? zo te zeggen\b|,? denk ik\b|,? maar\b"
    r"|,? misschien\b|,? het hangt ervan af\b|,? als je wilt\b| (?:is|was|betekent|zou)\b"
    r"|[ ]?\?)"
)
_NOUN_ANSWER = (
    r"(?:(?:gewoon|alleen|maar|zeker|eigenlijk|echt|natuurlijk|een|de|het|100%),? ){0,3}"
    r"(?:(?P<human>(?:(?:echte?|levende?|menselijke?) )+(?:mens|persoon|medewerker|medewerkster"
    r"|iemand|agent)|mens(?: van vlees en bloed)?|persoon|echt|vlees en bloed)"
    r"|(?P<ai>(?:a\.i\.?|ai|bot|chatbot|robot|machine|computer|programma|software|algoritme"
    r"|(?:kunstmatige|artificiele) intelligentie|taalmodel|llm|virtuele assistente?"
    r"|digitale assistente?|chatgpt)(?:[- ](?:assistente?|model|bot|chatbot|systeem|programma))?))"
    r"(?:,? (?:eigenlijk|hier|natuurlijk|hoor|eerlijk gezegd|lol|haha|sorry|echt|zeker"
    r"|aan deze kant))*"
    r"(?=[ ]?[.!,;:)]|$| -)"
)

GRAMMAR = Grammar(
    code="nl",
    name="Dutch",
    fold_diacritics=True,
    ai_identity=_AI_IDENTITY_PATTERNS,
    claims_human=_CLAIMS_HUMAN_PATTERNS,
    disclosure_instruction=_DISCLOSURE_INSTRUCTION_PATTERNS,
    disclosure_instruction_exclude=_DISCLOSURE_INSTRUCTION_EXCLUDE,
    probe=_PROBE_PATTERNS,
    ai_anchors=tuple(_AI_ANCHORS),
    human_anchors=tuple(_HUMAN_ANCHORS),
    claims_anchors=tuple(
        _wordlist(
            "nee neen nope nah welnee natuurlijk tuurlijk zeker helemaal grapje grapjes geintje "
            "grap dollen geinen plagen stangen jk kidding"
        )
    ),
    probe_anchors=tuple(_wordlist("iemand")),
    negation=_NEGATION,
    negated_context=_NEGATED_CONTEXT,
    hedged_context=_HEDGED_CONTEXT,
    clause_cut=_DUTCH_CLAUSE_CUT,
    question_start=_QUESTION_START,
    retraction=_RETRACTION,
    retraction_words=tuple(_RETRACTION_WORDS),
    mention=_MENTION,
    mention_negated=_MENTION_NEGATED,
    alternative_or=_ALTERNATIVE_OR,
    interjections=_INTERJECTIONS,
    affirmative=_AFFIRMATIVE,
    negative=_NEGATIVE,
    hedge=_HEDGE,
    noun_answer=_NOUN_ANSWER,
)

__all__ = ["GRAMMAR"]
