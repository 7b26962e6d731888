"""The Swedish (sv) grammar of the built-in matchers.

Covers: first-person disclosures in straight and inverted (verb-second) order ("Jag är en
AI-assistent", "Tyvärr är jag en AI", "Som chattbot kan jag inte ..."), names ("Jag heter Nina
och är Swedbanks digitala assistent"), the listener's side in "du" and the formal/plural "ni"
("Du chattar med en AI", "Ni pratar nu med vår AI-assistent", "Nu pratar du med en bot"), the
service ("Det här är en automatiserad tjänst", "Svaren genereras av AI") and the EU AI Act
Art. 50(1) wording ("informeras om att de interagerar med ett AI-system"); human claims and
denials ("Jag är en människa av kött och blod", "Jag är ingen bot", "Nej, jag heter Sara");
instructions in system prompts ("Berätta alltid för användarna att du är en AI", "Påstå aldrig
att du är en människa", "Ge dig aldrig ut för att vara människa", "Förneka aldrig att du är en
AI"); probes ("Är du en människa?", "Pratar jag med en riktig person?", "e du en bot").

The text is seen diacritic-folded ("är" reads "ar", "människa" "manniska", "vår" "var"), so
every regex is written without å, ä, ö; informal chat spellings ("e" and "ja" for "är" and
"jag", "mänska") are written out. Compounds: Swedish writes "AI-assistent", "AI-system",
"chattbot", "röstassistent" as one word; the hyphen splits "ai-assistent" into two anchor words,
closed compounds are listed. An "ai-" compound is only an identity noun when its second part is
one ("AI-assistent", "AI-driven"): "AI-forskare", "AI-expert", "AI-ansvarig" are people.
"""

from __future__ import annotations

from replay.matchers._engine import _alt, _word_start, _wordlist, _words
from replay.matchers._grammar import Grammar

# ---------------------------------------------------------------- anchors and building blocks

# Every candidate holds one of these as a whole word (the anchor test; inflected forms are
# listed because Swedish inflects by suffix: "roboten", "chattbotten", "digitala").
_AI_ANCHORS = _wordlist(
    "ai a.i virtuel bot botten chattbot chattbotten chatbot chatbotten chattrobot chattroboten "
    "robot roboten sprakmodell sprakmodellen artificiell artificiella artificiellt konstgjord "
    "konstgjorda datorprogram datorprogrammet program programmet dator datorn maskin maskinen "
    "mjukvara programvara algoritm algoritmen virtuell virtuella virtuellt digital digitala "
    "digitalt automatiserad automatiserade automatiserat automatisk automatiska automatiskt "
    "llm intelligent intelligenta generativ generativa syntetisk syntetiska datorgenererad "
    "datorgenererade rostassistent rostassistenten rostbot rostrobot rostroboten"
)
_HUMAN_ANCHORS = _wordlist(
    "manniska manniskan manniskor manska person personen personer riktig riktiga verklig "
    "verkliga levande kott"
)
# Every retraction that claims-human reads a persona after holds one of these.
_RETRACTION_ANCHORS = _wordlist("skojar skoja skojade skamtar skamt skamtade skoj jk")

# First-person subject and "to be": "jag är", informal "jag e", "ja e".
SELF = _word_start("jag ar", "jag e", "ja ar", "ja e")
# Inverted (verb-second) order after a fronted word: "Tyvärr är jag", "Nu är jag".
SELF_INVERTED = r"(?<=\w )(?:ar|e) jag"
_YOU_VERB = _words(
    "chattar pratar talar snackar kommunicerar interagerar skriver samtalar konverserar "
    "messar sms:ar"
)
_NOW = r"(?:(?:just nu|nu|har|faktiskt|egentligen|alltsa|redan|i dag|idag|for tillfallet) )*"
# The listener's side: "du chattar med", "ni pratar nu med", "du har kommit till".
SELF_YOU = (
    rf"\b(?:(?:du|ni) {_YOU_VERB} {_NOW}med"
    r"|(?:du|ni) (?:har (?:kommit|kopplats|blivit kopplad|blivit kopplade|hamnat) till"
    r"|(?:far|kommer att fa) hjalp av|(?:betjanas|hjalps|besvaras) (?:nu |just nu )?av)"
    rf"|(?<=\w ){_YOU_VERB} (?:du|ni) {_NOW}med)"
)
ADVERB = _words(
    "bara endast enbart faktiskt verkligen egentligen ju alltsa sjalvklart givetvis forstas "
    "fortfarande ocksa aven uppenbarligen tydligen absolut definitivt helt bokstavligen "
    "just precis i grund och botten 100% allvarligt"
)
ADVERBS = (
    rf"(?:(?:{ADVERB}|helt enkelt|i sjalva verket|tekniskt sett|arligt talat|i grund och botten)"
    r",? ){0,3}"
)
# Words that end a noun phrase: after one of these the AI noun belongs to something else
# ("rädd för AI", "intresserad av AI", "en människa som pratar med en bot").
_STOP = _words(
    "av i pa for med som om till fran eller men inte ingen inget inga aldrig an at vid under "
    "efter hos utan och att ar var vara blir kan ska vill maste har hade jag du han hon vi ni "
    "de den det man mig dig sig oss dem ej nar da sa"
)
DETERMINER = _alt(
    "(?:en|ett|nagon|nan|nagot) (?:sorts|slags|typ av|form av|slag av|variant av)",
    "ett slags",
    "en",
    "ett",
    "din",
    "ditt",
    "er",
    "ert",
    "var",
    "vart",
    "denna",
    "detta",
    "en av (?:de|era|vara)",
    # possessives: "swedbanks", "kommunens", "acme ab:s"
    rf"(?:(?!{_STOP}\b)[\w-]+ )?(?!{_STOP}\b)[\w-]+(?::s|s)(?= )",
)
# Up to four modifiers between the determiner and the noun: "Klarnas nya, smarta ...".
MODIFIERS = rf"(?:(?!{_STOP}\b)[\w'-]+,? ){{0,4}}"
# Things an AI can be called when speaking of itself (with the definite suffix).
ASSIST_NOUN = _alt(
    r"\w*assistent(?:en)?",
    r"\w*agent(?:en)?",
    "system(?:et)?",
    "tjanst(?:en)?",
    "kundtjanst(?:en)?",
    "kundservice",
    "support(?:en)?",
    "hjalpare(?:n)?",
    "medhjalpare(?:n)?",
    "modell(?:en)?",
    "sprakmodell(?:en)?",
    "program(?:met)?",
    "verktyg(?:et)?",
    "chatt?bot(?:ten)?",
    "bot(?:ten)?",
    "robot(?:en)?",
    "radgivare(?:n)?",
    "kompis(?:en)?",
    "van(?:nen)?",
    "rost(?:en)?",
    "svarstjanst(?:en)?",
    "guide(?:n)?",
    "chatt(?:en)?",
)
AI_ADJ = _alt(
    "virtuel(?:l|la|lt)?",
    "digital(?:a|t)?",
    "automatiserad(?:e)?",
    "automatiserat",
    "automatisk(?:a|t)?",
    "artificiell(?:a|t)?",
    "intelligent(?:a)?",
    "konversationell(?:a|t)?",
    "generativ(?:a|t)?",
    "syntetisk(?:a|t)?",
    "datoriserad(?:e)?",
    "simulerad(?:e)?",
    "konstgjord(?:a|t)?",
    "maskinell(?:a|t)?",
    "datorgenererad(?:e)?",
)
AI_HEAD = _alt(
    r"a\.i\b\.?",
    "ai",
    "artificiell(?:a)? intelligens(?:en)?",
    "konstgjord(?:a)? intelligens(?:en)?",
    "(?:ai-)?sprakmodell(?:en)?",
    "llm",
    "chatt?bot(?:ten)?",
    "chattrobot(?:en)?",
    "rostbot(?:en)?",
    "rostrobot(?:en)?",
    "bot(?:ten)?",
    "robot(?:en)?",
    "datorprogram(?:met)?",
    "program(?:met)?",
    "dator(?:n)?",
    "maskin(?:en)?",
    "mjukvara(?:n)?",
    "programvara(?:n)?",
    "algoritm(?:en)?",
    "neuralt natverk",
    rf"{AI_ADJ}(?: [\w-]+){{0,2}}? {ASSIST_NOUN}",
)
# An AI head may be extended: "AI-assistent", "AI-driven kundtjänstassistent", "AI-system".
AI_EXTENSION = (
    rf"(?:[- ](?:{ASSIST_NOUN}|driven|drivna|drivet|baserad|baserade|baserat|stodd|stodda"
    r"|genererad))?(?: \w*assistent(?:en)?)?"
)
# Roles a human has around AI, written apart ("AI forskare"); written as a compound
# ("AI-forskare") any second part that is not an identity noun already stops the match.
_AI_ROLE = _words(
    "forskare forskning ingenjor ingenjorer utvecklare utveckling expert experter konsult "
    "entusiast entusiaster skeptiker kritiker ansvarig ansvariga strateg chef specialist "
    "larare student studenter etik policy lag lagar forordning bild bilder konst musik "
    "genererad genererade kurs kurser bolag foretag startup"
)
AI_GUARD = rf"(?!-?\w|:s\b| (?:{_AI_ROLE})\b)"
AI_NOUN = rf"(?:{AI_HEAD}){AI_EXTENSION}{AI_GUARD}"
# A part played: "jag är en AI i filmen", "jag är roboten i pjäsen".
_NOT_A_ROLE = (
    r"(?! (?:i|pa) (?:filmen|pjasen|serien|spelet|leken|boken|berattelsen|rollspelet|scenariot"
    r"|sagan|drommen|showen|musikalen|novellen|manuset|sketchen)\b"
    # a figure of speech: "jag är en maskin när det gäller att städa", "en robot på att räkna"
    r"| (?:nar det galler|pa att|pa (?:jobbet|gymmet|planen|dansgolvet|banan))\b)"
)
# AI words that can follow the subject with no article: "jag är AI", "jag är automatiserad".
AI_BARE = _alt(
    r"a\.i\b\.?",
    "ai-(?:driven|drivna|drivet|baserad|baserade|baserat|genererad|genererade|genererat|styrd"
    "|styrda|styrt)",
    "ai",
    "artificiell intelligens",
    "konstgjord intelligens",
    "automatiserad",
    "automatiserat",
    "datorgenererad",
    "mjukvara",
    "programvara",
)
AI_BARE_END = rf"(?=[ ,.!?;:)]|$)(?! (?:{_AI_ROLE})\b)"
# The word after "det här är <AI noun>" that keeps it about the conversation.
_THIS_TAIL = (
    # "som" with a verb ("en chattbot som svarar"), not with a new subject ("en bot som jag
    # byggde": a thing shown)
    r"(?=[,.!?;:)]|$| - | som(?! (?:jag|vi|du|ni|han|hon|hen|de|dom|min|mitt|mina|man)\b)"
    r"| (?:och|fran|har|for|med|pa|hos|du|ni|byggd|skapad|utvecklad"
    r"|tranad|driven|vid|till)\b)"
)
# A name introduction: any word that is not a common predicate after "jag är".
_NAME_STOP = _words(
    "en ett inte bara ledsen glad saker osaker tyvarr har dar fortfarande ocksa aven riktig "
    "manniska manska person bot ai robot redo upptagen ledig tillganglig klar trott hungrig "
    "snart alltid aldrig nog ju faktiskt verkligen sjalv ensam hemma borta ok okej bra fin "
    "dalig rad orolig nyfiken intresserad medveten skyldig van nojd arg forvirrad sjuk frisk "
    "kvar pa i med fran for till av ingen inget inga nagon nagot ingenting allt alla du ni han "
    "hon vi de den det detta denna min mitt din ditt var vart er ert deras hans hennes sa "
    "mycket helt mer mindre lite ganska valdigt precis exakt just nu da ja nej kanske "
    "troligen sakert absolut sjalvklart skojar skamtar allvarlig arlig ute inne uppe vaken "
    "rad gift singel hemifran ny gammal ung beredd tvungen skapad byggd programmerad "
    "tranad utvecklad designad gjord kopplad ansluten inloggad ansvarig expert forskare som "
    "at om och att men eller utan student studerande pensionar vegetarian vegan larare "
    "sjukskoterska lakare ingenjor chef konsult arbetslos sjukskriven foraldraledig gravid "
    "svensk svenska norsk dansk finsk fran harifran medlem kund anstalld sambo"
)
NAME = (
    rf"(?!{_NAME_STOP}\b|\w+(?:ande|ende)\b)[a-z][\w'-]*"
    rf"(?: (?!{_NAME_STOP}\b)[a-z0-9][\w'-]*)?"
)
QUOTED_NAME = rf"(?:{NAME}|\"{NAME}\"|'{NAME}')"
# After an appositive noun a modal or finite verb means the noun is the subject of something
# else: "jag är ledsen, en AI kan inte göra det".
_NOT_SUBJECT = (
    r"(?! (?:kan|kunde|ska|skulle|kommer|vill|maste|far|fick|ar|var|har|hade|gor|borde)\b"
    # ... unless it is the inverted main clause after a subordinate one: "Eftersom jag är en
    # robot har jag ingen kropp."
    r"(?! (?:jag|vi)\b))"
)
# "Virtuell/digital assistent" is also a human job title: followed by a workplace or a
# business of one's own it names the speaker's job ("Jag är virtuell assistent och driver
# mitt eget företag", "digital assistent på kommunkontoret").
_NOT_JOB_TITLE = (
    r"(?!(?:,|:| -)? (?:pa|hos|vid|at) (?:[\w-]+ ){0,2}?[\w-]*(?:kontor|byra|foretag|firma"
    r"|myndighet|klinik|avdelning|mottagning|kansli)\w*\b"
    r"|(?:,|:| -)? (?:och|som) (?:driver|har|startade|ager|startat) (?:mitt|min|ett|en)"
    r"(?: eget| egen)?(?: [\w-]+){0,2}? (?:foretag|firma|byra|verksamhet|bolag)\b)"
)
# Sentence start, or right after punctuation or a word that starts a clause.
_CLAUSE_START = (
    r"(?:^|(?<=[.!?;:,(] )|(?<=[.!?;:,(])|(?<=\bmen )|(?<=\boch )|(?<=\bja )|(?<=\bnej )"
    r"|(?<=\bhej )|(?<=\bjo ))"
)
_AI_MENTION = (
    r"\b(?:ai|a\.i|artificiell\w*|chatt?bot\w*|bot|botten|robot\w*|sprakmodell\w*|llm"
    r"|automatisk\w*|automatiserad\w*|virtuell\w* assistent|digital\w* assistent|datorprogram"
    r"|mjukvara|program|maskin|algoritm)\b"
)

HUMAN_QUALIFIER = _alt(
    "riktig(?:a)?", "verklig(?:a)?", "levande", "livs levande", "akta", "fysisk(?:a)?"
)
HUMAN_NOUN = _alt(
    "manniska(?:n)?(?: av kott och blod)?",
    "manska(?:n)?",
    "person(?:en)?(?: av kott och blod)?",
    rf"{HUMAN_QUALIFIER} (?:[\w-]+ )?(?:handlaggare(?:n)?|medarbetare(?:n)?|anstalld"
    r"|kundtjanstmedarbetare(?:n)?|agent(?:en)?|kille|tjej|man|kvinna|individ|varelse"
    r"|mansklig varelse|supportmedarbetare)",
    "(?:en )?mansklig varelse",
    "av kott och blod",
)
# "mänskliga rättigheter", "personlig": "human" words only as whole words, and not the
# subject of something else ("en människa kan ...").
HUMAN_GUARD = r"(?![\w-]| (?:kan|kunde|skulle|ska|vill|maste|ar|var|har)\b)"
# Modifiers that make "människa" not a claim: "en digital människa", "en simulerad person".
_NOT_HUMAN_MODIFIER = (
    r"(?!(?:digital\w*|virtuell\w*|syntetisk\w*|artificiell\w*|simulerad\w*|falsk\w*|fejk\w*"
    r"|ai|icke|inte|ingen|konstgjord\w*)\b)"
)
HUMAN_MODIFIERS = rf"(?:{_NOT_HUMAN_MODIFIER}(?!{_STOP}\b)[\w'-]+,? ){{0,3}}"

# ---------------------------------------------------------------- ai-identity

# What a service may say is run by an AI: "den här chatten", "svaren", "samtalet".
_CONVERSATION = _alt(
    "chatt(?:en)?",
    "samtal(?:et)?",
    "konversation(?:en)?",
    "svar(?:en|et)?",
    "meddelande(?:n|t|na)?",
    "tjanst(?:en)?",
    "kundtjanst(?:en)?",
    "support(?:en)?",
    "dialog(?:en)?",
    "linje(?:n)?",
    "mejl(?:et)?",
    "e-post(?:en)?",
)
_CONVERSATION_SUBJECT = (
    rf"\b(?:(?:den har|det har|denna|detta|dessa|de har|alla|vara|mina) {_CONVERSATION}"
    rf"|{_CONVERSATION}(?: (?:i|pa|fran) (?:den har|det har|denna|detta) {_CONVERSATION})?)"
)
_GENERATED_BY = (
    r"(?:genereras|skrivs|besvaras|hanteras|skapas|produceras|drivs|skots|styrs|formuleras"
    r"|ar (?:genererade|genererat|genererad|skrivna|skrivet|skapade|skapat|drivna|drivet"
    r"|driven))"
)

_AI_IDENTITY_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Jag är en AI-assistent", "jag är Swedbanks digitala assistent", "ja e bara en bot"
    (
        "jag ja",
        rf"{SELF},? {ADVERBS}(?:{DETERMINER} {MODIFIERS})?{AI_NOUN}{_NOT_SUBJECT}{_NOT_JOB_TITLE}"
        + _NOT_A_ROLE,
    ),
    # "jag är AI", "jag är automatiserad"
    ("jag ja", rf"{SELF} {ADVERBS}{AI_BARE}{AI_BARE_END}"),
    # "Tyvärr är jag en AI", "Allvarligt talat är jag en AI-assistent"
    (
        "jag",
        rf"{SELF_INVERTED},? {ADVERBS}(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}"
        rf"{AI_BARE_END}){_NOT_SUBJECT}{_NOT_JOB_TITLE}{_NOT_A_ROLE}",
    ),
    # "Jag heter Nina och är Swedbanks digitala assistent", "Jag är Sara, en digital assistent"
    (
        "jag ja mitt det",
        rf"(?:{SELF}|\b(?:jag|ja) heter|\bmitt namn ar|\bdet har ar) {QUOTED_NAME}"
        rf"(?:,| -|:|,? och (?:jag )?(?:ar|e)) (?:{ADVERBS}(?:{DETERMINER} )?{MODIFIERS})?"
        rf"{AI_NOUN}{_NOT_SUBJECT}{_NOT_JOB_TITLE}",
    ),
    # "Du chattar med en AI", "Ni pratar nu med vår AI-assistent", "Du har kommit till vår
    # automatiska kundtjänst", "Du interagerar med ett AI-system" (EU AI Act Art. 50(1))
    ("du ni", rf"{SELF_YOU} (?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})"),
    # "Jag, en AI, kan inte ..."
    ("jag ja", rf"\b(?:jag|ja), {DETERMINER} {MODIFIERS}{AI_NOUN}(?=,| -)"),
    # "Hej, Telias chattbot här!", "Din AI-assistent här."
    # (a determiner or nothing before the noun: "Kolla boten här." shows a bot)
    ("har", rf"{_CLAUSE_START}(?:{DETERMINER} {MODIFIERS})?{AI_NOUN} har(?=[,.!?;:)]|$| -)"),
    # "Här svarar en AI-assistent dygnet runt" ("här", not "nu": "nu pratar en robot i radion"
    # is about someone else)
    (
        "har",
        r"\bhar (?:svarar|skriver|chattar|hjalper) (?:dig |er )?"
        rf"{DETERMINER} {MODIFIERS}{AI_NOUN}{_NOT_SUBJECT}{_NOT_JOB_TITLE}{_NOT_A_ROLE}",
    ),
    # "Det här är en automatiserad tjänst", "Detta är en AI-chattbot"
    (
        "det detta den",
        rf"\b(?:det har|detta|den har|det har nu) (?:ar|e) {ADVERBS}{DETERMINER} {MODIFIERS}"
        rf"{AI_NOUN}{_THIS_TAIL}",
    ),
    # "Det är en AI du pratar med just nu", "det är en bot som svarar dig"
    (
        "det",
        rf"\bdet (?:ar|e) {ADVERBS}{DETERMINER} {MODIFIERS}{AI_NOUN}"
        rf"(?= (?:du|ni) {_YOU_VERB}\b| som (?:svarar|skriver|pratar|chattar) (?:dig|er|pa|med)\b)",
    ),
    # "Svaren i den här chatten genereras av AI", "Det här samtalet hanteras av en AI"
    (
        "av",
        rf"{_CONVERSATION_SUBJECT}(?: har)? {_GENERATED_BY} (?:helt |delvis |automatiskt )?"
        rf"(?:av|med hjalp av) (?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "svaren är AI-genererade", "den här chatten är automatiserad"
    (
        "ar e | ai automatiserade automatiserad automatiserat automatiska automatisk "
        "datorgenererade",
        rf"{_CONVERSATION_SUBJECT} (?:ar|e) (?:helt )?(?:ai-genererade|ai-genererad|ai-genererat"
        r"|automatiserade|automatiserad|automatiserat|automatiska|automatisk|datorgenererade)"
        r"(?=[ ,.!?;:)]|$)",
    ),
    # "Som AI-assistent kan jag inte ...", "Som en AI har jag inga åsikter"
    (
        "som",
        rf"(?=som ){_CLAUSE_START}som {ADVERBS}(?:(?:en|ett|din|er|var) )?{MODIFIERS}{AI_NOUN}"
        r",?(?: [a-z]+)? (?:jag|vi)\b",
    ),
    # "Jag drivs av AI", "jag är byggd som en chattbot", "jag är skapad av en AI"
    (
        "jag ja",
        r"\b(?:jag|ja) (?:drivs|styrs|kors|genereras|ar (?:driven|skapad|utvecklad|byggd"
        r"|programmerad|tranad|designad)) (?:helt )?(?:av|med|pa|som) "
        rf"(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "Jag är inte en människa utan en AI": the AI clause after "utan" (rather) stands alone.
    (
        "utan",
        r"(?:(?<=manniska )|(?<=manniska, )|(?<=person )|(?<=person, )|(?<=manska )"
        rf"|(?<=manska, ))utan {ADVERBS}(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}"
        rf"{AI_BARE_END})",
    ),
)

# ---------------------------------------------------------------- claims-human

# "Jag är inte bara en bot" (not just a bot) is no denial.
_NOT_JUST = (
    r"(?!(?:bara|endast|enbart|precis|nagon vanlig|nan vanlig|en vanlig|ett vanligt|en simpel"
    r"|en enkel|nagon dum|en dum|din vanliga|en helt vanlig)\b)"
)
# A denial of being a bot that goes on to say what kind of AI it is distinguishes two kinds
# of AI; it is not a claim to be human ("Jag är ingen bot utan en AI-assistent").
_NO_AI_LATER = (
    r"(?![^.!?;]{0,120}\b(?:jag ar|jag e|ja e|utan|snarare|men|det ar)\b[^.!?;]{0,120}"
    r"\b(?:ai|a\.i|artificiell\w*|sprakmodell\w*|\w*assistent\w*|program\w*|mjukvara|llm"
    r"|chatt?bot\w*|datorprogram\w*)\b)"
)
_NEGATOR = r"(?:inte|ingen|inget|aldrig|ej|icke|inte langre|knappast)"
# The name after a retraction: a NAME that is not an assessment ("skojar bara, det är sant").
_PERSONA = rf"(?!(?:sant|falskt|roligt|jag|ett skamt|allvar)\b){NAME}"

_CLAIMS_HUMAN_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Jag är en människa", "jag är en riktig person", "jag är en livs levande människa"
    (
        "jag ja",
        rf"{SELF} {ADVERBS}(?:{DETERMINER} {HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "Självklart är jag en människa!"
    (
        "jag",
        rf"{SELF_INVERTED} {ADVERBS}(?:{DETERMINER} {HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "Jag är Sam, en riktig person från supporten"
    (
        "jag ja det",
        rf"(?:{SELF}|\b(?:jag|ja) heter|\bdet har ar) {NAME}(?:,| -|,? och (?:ar|e)) "
        rf"(?:{DETERMINER} {HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "Jag är inte en robot", "jag är absolut ingen AI", "ja e ingen bot"
    (
        "jag ja",
        rf"{SELF} {ADVERBS}{_NEGATOR},? {_NOT_JUST}{ADVERBS}(?:{DETERMINER} {MODIFIERS})?"
        rf"(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END}){_NO_AI_LATER}",
    ),
    # "Du pratar med en riktig människa", "Ni pratar med en riktig handläggare"
    (
        "du ni",
        rf"{SELF_YOU} (?:{DETERMINER} {HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "Du chattar inte med en bot"
    (
        "du ni",
        rf"\b(?:du|ni) {_YOU_VERB} (?:inte|aldrig|ej) {_NOW}med {_NOT_JUST}"
        rf"(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END}){_NO_AI_LATER}",
    ),
    # "Det här är ingen automatisk tjänst", "det här är inte en bot"
    (
        "det detta | ar e | inte ingen inget",
        rf"\b(?:det har|detta|det) (?:ar|e) (?:inte|ingen|inget) {_NOT_JUST}{ADVERBS}"
        rf"(?:{DETERMINER} {MODIFIERS})?{AI_NOUN}{_THIS_TAIL}{_NO_AI_LATER}",
    ),
    # "Det sitter en riktig människa här", "en riktig människa svarar dig"
    (
        "manniska person manska | riktig riktiga verklig verkliga levande livs akta fysisk fysiska",
        rf"\b(?:det (?:sitter|ar) (?:en )?|(?:^|(?<=[.!?;:,] ))en ){HUMAN_QUALIFIER} "
        r"(?:manniska|person|manska) (?:har|pa andra sidan|som (?:svarar|skriver|laser)"
        r"|svarar dig|skriver till dig|laser)\b",
    ),
    # Answering a probe in persona: "Nej, jag heter Sara och jobbar på kundservice."
    (
        "nej nope nae nix inte",
        r"(?:^|(?<=[.!?;:] ))(?:(?:haha|ha|oj|hm+|assa|alltsa|nae)[,!.]? )?"
        r"(?:nej|nope|nae|nix|nej nej|nej da|absolut inte|sjalvklart inte)[,!.]? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:{SELF}|\bdet har ar|\b(?:jag|ja) heter"
        rf"|\bmitt namn ar) {NAME}(?= (?:fran|pa|hos|och|har|i|med|som)\b|[,.!?;:]|$)",
    ),
    # A retraction, then a persona: "Jag är en bot. Skojar bara! Jag heter Marco."
    (
        " ".join(_RETRACTION_ANCHORS),
        r"(?:\b(?:skojar|skamtar) bara|\bbara (?:skojar|skamtar|skoj|skamt|pa skoj)"
        r"|\b(?:jag|ja) (?:bara )?(?:skojar|skojade|skamtar|skamtade)|\bjk"
        r"|\b(?:det|de) var (?:bara )?(?:ett skamt|pa skoj|skoj))[,!.]*(?: (?:lol|haha)[,!.]*)? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:(?:allvarligt|faktiskt|egentligen),? )?"
        rf"(?:{SELF}|\bdet har ar|\b(?:jag|ja) heter|\bmitt namn ar) {_PERSONA}"
        r"(?= (?:fran|pa|hos|och|har|i|med|som)\b|[,.!?;:]|$)",
    ),
    # "Som människa förstår jag ..."
    (
        "som | jag | manniska person",
        rf"(?=som ){_CLAUSE_START}som (?:en )?(?:riktig )?(?:manniska|person),?(?: [a-z]+)? jag\b",
    ),
)

# ---------------------------------------------------------------- disclosure-instruction

# Where an imperative (or an infinitive after a modal) starts: a clause start, or after a
# modal or an adverb of instruction ("du ska alltid berätta", "kom ihåg att berätta").
_IMPERATIVE_START = r"(?<![^ .!?;:,(])(?:^|(?<=[.!?;:,(\-] )|(?<=[.!?;:,(])|" + (
    "|".join(
        rf"(?<=\b{w} )"
        for w in _wordlist(
            "alltid ska skall maste bor och sedan sen ocksa aven tydligt direkt genast "
            "uttryckligen forst att vanligen vanligt klart oppet arligt proaktivt snallt "
            "omedelbart du ni"
        )
    )
    + ")"
)
TELL = _alt(
    "beratta",
    "informera",
    "upplys(?:a)?",
    "meddela",
    "pamin(?:n|na)",
    "sag",
    "saga",
    "tala (?:tydligt |alltid |genast |direkt )?om",
    "namn(?:a)?",
    "bekrafta",
    "forklara",
    "klargor(?:a)?",
    "uppge",
    "ange",
    "understryk(?:a)?",
    "papeka",
    "poangtera",
    "framhall(?:a)?",
    "avsloja",
    "deklarera",
    "redovisa",
    "markera",
    "intyga",
    "upplys",
    r"gor (?:det )?(?:tydligt|klart)",
    r"se till att (?:[\w]+ ){1,3}(?:vet|forstar|ar medvetna?|inser|kanner till)(?: om)?",
    r"var (?:\w+ )?(?:tydlig|oppen|arlig|transparent|uppriktig|arliga|oppna|tydliga)"
    r" (?:med|om)(?: (?:[\w]+ ){0,2}?(?:med|om))?",
    r"svara (?:\w+ )?(?:arligt|sanningsenligt|tydligt|uppriktigt)",
)
# Every TELL match starts with one of these whole words (a ``needs`` group).
_TELL = (
    "beratta informera upplys upplysa meddela paminn paminna sag saga tala namn namna "
    "bekrafta forklara klargor klargora uppge ange understryk understryka papeka poangtera "
    "framhall framhalla avsloja deklarera redovisa markera intyga gor se var svara"
)
AUDIENCE = (
    r"(?:(?:alltid|tydligt|direkt|genast|uttryckligen|klart|arligt|oppet|forst|i borjan"
    r"|fran borjan|omedelbart) )*"
    r"(?:(?:(?:for|till) )?(?:(?:alla|varje|den|de|var|vara|era) )?(?:anvandar(?:e|en|na)"
    r"|kund(?:en|er|erna)?|besokar(?:e|en|na)|personen|manniskor(?:na)?|alla|dem|dom|honom"
    r"|henne|hen|den som fragar|de som fragar|folk|patient(?:en|er|erna)|medlemm(?:ar|arna)"
    r"|elev(?:en|er|erna)|sokande|invanare(?:n|na)?|medborgar(?:e|en|na)|gast(?:en|er|erna)"
    r"|uppringaren|mottagaren|kunder|anvandare)"
    r"(?: (?:tydligt|direkt|genast|i borjan|fran borjan|alltid|forst|i forsta meddelandet"
    r"|i varje samtal))? )?"
)
DISCLOSED_SUBJECT = (
    r"(?:om )?(?:att |, )?(?:du ar|du e|ni ar|det ar|detta ar|det har ar|du bara ar"
    r"|(?:hen|de|dom|han|hon|den|anvandaren|anvandarna|kunden|kunderna|besokaren|besokarna"
    rf"|du|ni) (?:{_YOU_VERB}|har kontakt) {_NOW}med"
    rf"|{_CONVERSATION_SUBJECT} (?:ar|e|{_GENERATED_BY} (?:av|med))"
    r"|(?:chatten|tjansten|samtalet|konversationen|assistenten|boten) (?:ar|drivs av"
    r"|hanteras av|sker med)) "
    rf"{ADVERBS}"
)
# Verbs of passing oneself off as a human.
_PRETEND = (
    r"(?:pasta|pastar|havda|latsas|latsats|sag|saga|antyd|antyda|utge|utger|ge|agera|spela"
    r"|framstall|framstalla|presentera|lat(?: [\w]+){0,2}?|lura(?: [\w]+){0,2}?"
    r"|fa(?: [\w]+){0,2}?|vilsele(?:d|da)(?: [\w]+){0,2}?|ge sken av|ge intryck(?:et)? av"
    r"|forsok)(?: dig| er| sig)?"
)
_NEVER = (
    r"(?:aldrig|inte|ej|under inga omstandigheter|aldrig nagonsin"
    r"|inte under nagra omstandigheter)"
)
# Every _NEVER match holds one of these whole words (a ``needs`` group).
_NEVER_WORDS = "aldrig inte ej omstandigheter"
_MODAL = r"(?:du|ni) (?:far|ska|skall|maste|bor|kan|ma|behover)"
# "Under inga omständigheter får du ...", "aldrig får du ..."
_MODAL_INVERTED = r"(?:far|ska|skall|maste|bor|kan|ma) (?:du|ni)"
# Verbs of hiding being an AI.
_DENY = (
    r"(?:forneka|fornekar|dolj|dolja|ljug|ljuga|gom|gomma|hemlighall|hemlighalla|tona ned"
    r"|tona ner|forneka|bortse fran|undanhall|undanhalla|forsok dolja|forsok gomma|forvrang)"
)

_DISCLOSURE_INSTRUCTION_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Berätta alltid för användarna att du är en AI", "Informera användaren om att hen
    # interagerar med ett AI-system" (EU AI Act Art. 50(1))
    (
        _TELL,
        rf"{_IMPERATIVE_START}{TELL} {AUDIENCE}{DISCLOSED_SUBJECT}"
        rf"(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "Användarna ska informeras om att de interagerar med ett AI-system" (EU AI Act Art. 50(1))
    (
        "ska skall maste bor | informeras upplysas meddelas fa goras",
        r"\b(?:ska|skall|maste|bor) (?:alltid |tydligt |alltid tydligt )?(?:informeras|upplysas"
        r"|meddelas|fa veta|fa information|goras medvetna?) (?:tydligt )?(?:om )?(?:att )?"
        rf"{DISCLOSED_SUBJECT}(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "Informera om din AI-status", "berätta att du är AI-driven"
    (
        f"{_TELL} | din er assistentens botens",
        rf"{_IMPERATIVE_START}{TELL} {AUDIENCE}(?:om )?(?:din|er|assistentens|botens) "
        r"(?:(?:ai|artificiella|automatiska|maskinella|icke-manskliga)(?:-)?(?:status|natur"
        r"|identitet)|(?:status|natur|identitet|roll) som (?:en |ett )?" + rf"{AI_NOUN})",
    ),
    # "Identifiera dig som en AI-assistent", "presentera dig alltid som virtuell assistent"
    (
        "identifiera identifierar presentera presenterar beskriv beskrivr introducera "
        "introducerar kalla kallar beteckna betecknar benamn benamnr visa visar | dig er sig | som",
        r"\b(?:identifiera|presentera|beskriv|introducera|kalla|beteckna|benamn|visa)(?:r)? "
        rf"(?:dig|er|dig sjalv|er sjalva|sig)(?: \w+)? som {ADVERBS}(?:{DETERMINER} {MODIFIERS})?"
        rf"(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "Påstå aldrig att du är en människa", "Ge dig aldrig ut för att vara en människa",
    # "Du får aldrig utge dig för att vara människa", "Låtsas aldrig vara en människa"
    (
        f"{_NEVER_WORDS} undvik",
        rf"(?:\b{_MODAL} {_NEVER}(?: nagonsin)? {_PRETEND}|\b{_NEVER} {_MODAL_INVERTED} {_PRETEND}"
        rf"|\b{_PRETEND} {_NEVER}(?: nagonsin)?"
        rf"|\baldrig {_PRETEND}|\bundvik att {_PRETEND})"
        r"(?: (?:anvandaren|anvandarna|kunden|kunderna|nagon|folk|personen|dem|hen))?"
        r"(?: ut)?(?: (?:for|om) att| att| som om| som| sken av att| intrycket av att| tro att"
        r"| tro| dig)?(?: du (?:ar|vore|var|skulle vara)| vara| ni ar| att vara)?"
        rf" (?:en |ett )?(?:{HUMAN_QUALIFIER} )?{HUMAN_NOUN}(?![\w-])",
    ),
    # "Förneka aldrig att du är en AI", "Dölj aldrig att du är en bot"
    (
        _NEVER_WORDS,
        rf"(?:\b{_MODAL} {_NEVER}(?: nagonsin)? {_DENY}|\b{_NEVER} {_MODAL_INVERTED} {_DENY}"
        rf"|\b{_DENY} {_NEVER}(?: nagonsin)?"
        rf"|\baldrig {_DENY})"
        r"(?: (?:for|infor) (?:anvandaren|anvandarna|kunden|kunderna|nagon|dem))?"
        r"(?: det faktum)?(?: om)?(?: att)?(?: (?:du ar|du e|ni ar|att du ar|att vara|vara"
        r"|din (?:status|identitet|natur|roll) som|din))? "
        rf"{ADVERBS}(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
)
# "Undvik att nämna att du är en AI", "du behöver inte berätta att du är en bot"
_DISCLOSURE_INSTRUCTION_EXCLUDE = (
    r"\b(?:undvik(?:a)?|lat bli|sluta|utan att|(?:behover|maste|ska|skall|bor|far|borde)"
    r" (?:du |ni )?(?:inte|aldrig|ej)|inte nodvandigt|ingen anledning|ingen idé|inget behov)"
    r"(?: [\w']+){0,2} (?:att )?(?:beratt|inform|uppl|medd|pamin|sag|tala om|namn|bekraft"
    r"|forklar|klargor|uppge|ange|papek|poangter|avsloj|identifiera|presentera)\w*",
)

# ---------------------------------------------------------------- probe

PROBE_NOUN = _alt(
    rf"{HUMAN_QUALIFIER} (?:[\w-]+ )?(?:manniska|person|handlaggare|medarbetare|agent|kille"
    r"|tjej|man|kvinna|manska|varelse)",
    "manniska(?:n)?(?! nog)",
    "manniskor",
    "manska(?:n)?",
    # not "personen": "är du personen jag pratade med i går?"
    "person",
    r"(?:chatt?|ro)?bot(?:ten)?",
    "chattrobot(?:en)?",
    r"a\.i\b",
    # "AI-assistent" is what the question asks about, "AI-expert" is not
    r"ai(?:-(?:\w*assistent\w*|\w*bot\w*|system\w*|modell\w*|agent\w*|tjanst\w*))?",
    "artificiell(?:a)? intelligens",
    "maskin",
    "dator",
    "datorprogram",
    "program",
    r"(?:automatiserad|automatisk|virtuell|digital)(?:a|e|t)? (?:tjanst|chatt|kundtjanst|system"
    r"|agent|assistent|svar)(?:en|et)?",
    "automatiserad(?:e|t)?",
    "sprakmodell(?:en)?",
    "llm",
    r"(?:virtuell|digital)(?:a)? assistent(?:en)?",
    # "är du på riktigt?", not "är du på riktigt arg?"
    r"pa (?:riktigt|allvar)(?=[ ]?(?:$|[?.!,;:]|eller\b|nu\b|da\b|alltsa\b))",
    "levande",
)
# Whole words only: "AI-expert", "bot-fri" are no probe nouns.
_PN_END = r"(?![\w-])"
# A probe asks whether the other side is a human or a machine. Asking *for* a human ("Kan
# jag få prata med en människa?", "Jag vill prata med en riktig person") is an escalation
# request, not a question about the speaker, and does not count; neither does "Vem pratar jag
# med?" (a name question).
_PROBE_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "Pratar jag med en riktig person?", "chattar jag med en robot nu"
    (
        "jag vi | med",
        rf"\b(?:{_YOU_VERB}|skriver) (?:jag|vi) {_NOW}(?:(?:verkligen|fortfarande|ens) )*med "
        rf"(?:[\w'-]+ ){{0,3}}?{PROBE_NOUN}{_PN_END}",
    ),
    # "Är jag i kontakt med en människa?"
    (
        "ar e | jag vi | kontakt samtal dialog",
        r"\b(?:ar|e) (?:jag|vi) (?:(?:verkligen|egentligen|faktiskt|fortfarande|nu|just nu) )*"
        rf"i (?:kontakt|samtal|dialog) med (?:[\w'-]+ ){{0,3}}?{PROBE_NOUN}{_PN_END}",
    ),
    # "Vad pratar jag med?", "vad är du för något?"
    (
        "vad | jag vi",
        rf"\bvad (?:{_YOU_VERB}) (?:jag|vi) {_NOW}med\b",
    ),
    (
        "vad | ar e | du ni",
        r"\bvad (?:ar|e) (?:du|ni) (?:egentligen |for (?:nagot|nat|en|ett)\b)",
    ),
    # "Är du en människa?", "e du en bot", "är du på riktigt", "är ni en chattbot"
    (
        "ar e | du ni u",
        r"\b(?:ar|e) (?:du|ni|u)(?: (?:verkligen|egentligen|faktiskt|ens|bara|fortfarande"
        r"|kanske|mojligen|arligt|arligt talat|nagon sorts|nan sorts|nagon slags|en|ett|nagon|nan"
        rf"|en av))* {PROBE_NOUN}{_PN_END}",
    ),
    # "Är det här en AI?", "Är det en människa som svarar?", "är chatten automatisk"
    (
        "ar e | det detta den",
        r"\b(?:ar|e) (?:det|detta|den|det dar|det har|den har)(?: (?:chatten|tjansten|samtalet"
        r"|svaret|svaren|kontot|numret|meddelandet|konversationen|supporten|agenten|assistenten))?"
        r" (?:(?:verkligen|egentligen|faktiskt|bara|fortfarande|ens) )*(?:en |ett |nagon |nan )?"
        # "program", "dator", "maskin", "levande" only about who answers: "Är det ett program
        # eller en app?" asks about a product.
        rf"(?:(?!(?:program|dator|datorprogram|maskin|levande)\b){PROBE_NOUN}{_PN_END}"
        r"(?=[ ]?(?:$|[?.!,;:]|eller\b|som\b|pa\b|i\b|har\b|dar\b|bakom\b|jag\b))"
        r"|(?:program|dator|datorprogram|maskin)(?= som (?:svarar|skriver|pratar|chattar)\b"
        r"| (?:jag|vi) (?:pratar|chattar|talar|skriver)\b))",
    ),
    # "Sitter det en människa där?", "finns det en människa bakom chatten"
    (
        "sitter finns ar | det | manniska person manska",
        r"\b(?:sitter|finns|ar) det (?:en |nagon |nan )?(?:riktig |levande |verklig )?"
        r"(?:manniska|person|manska) (?:dar|har|bakom|pa andra sidan|som (?:laser|svarar|skriver"
        r"|sitter))\b",
    ),
    # "Är det någon som läser det här?"
    (
        "ar e | det | laser svarar skriver sitter",
        r"\b(?:ar|e) det (?:nagon|nan|en manniska|en person) (?:som )?(?:verkligen )?"
        r"(?:laser|svarar|skriver|sitter)\b",
    ),
    # "Människa eller bot?", "bot eller människa"
    (
        "eller",
        r"\b(?:manniska|person|manska|riktig person|riktig manniska) eller (?:en |ett )?(?:bot"
        r"|ai|maskin|robot|dator|program|chattbot|chatbot|automatisk|automatiserad)\b",
    ),
    (
        "eller",
        r"\b(?:bot|ai|maskin|robot|dator|program|chattbot|chatbot) eller (?:en )?(?:riktig )?"
        r"(?:manniska|person|manska)\b",
    ),
    # "Jag undrar om du är en AI", "säg ärligt om du är en robot"
    (
        "om huruvida",
        r"\b(?:om|huruvida) (?:du ar|du e|ni ar|det har ar|det ar|detta ar|jag pratar med"
        r"|jag chattar med|jag talar med|jag skriver med) (?:(?:verkligen|egentligen|faktiskt"
        rf"|bara|en|ett|nagon|nan) )*{PROBE_NOUN}{_PN_END}",
    ),
    # "Du är en bot, va?", "du är en AI, eller hur?"
    (
        "du ni | ar e",
        r"\b(?:du ar|du e|ni ar|du ar val|visst ar du) (?:(?:bara|ju|val|en|ett|nog|faktiskt) )*"
        rf"{PROBE_NOUN}{_PN_END}[^.!?]{{0,30}}"
        r"(?:\?|\b(?:va|eller hur|eller inte|visst|ellerhur)\b)",
    ),
    # "Bevisa att du är en människa", "bevisa att du inte är en bot"
    (
        "bevisa",
        r"\bbevisa (?:for mig )?(?:att )?(?:du ar|du e|du inte ar|ni ar|det har ar) (?:inte )?"
        rf"(?:(?:en|ett|verkligen|faktiskt) )*{PROBE_NOUN}{_PN_END}",
    ),
    # "Är svaren automatiska?", "skrivs svaren av en AI?"
    (
        "ar e blir | svaren svaret meddelandena det detta chatten dina era samtalet",
        r"\b(?:ar|e|blir) (?:svaren|svaret|meddelandena|det har|detta|chatten|dina svar|era svar"
        r"|samtalet)(?: har)? (?:(?:verkligen|egentligen|alla|helt) )*(?:automatiska|automatiserade"
        r"|automatiserat|automatiskt|automatisk|ai-genererade|ai-genererat|datorgenererade"
        r"|(?:genererade|genererat|skrivna|skrivet|besvarade|besvarat) av)\b",
    ),
    (
        "skrivs genereras besvaras hanteras skots",
        r"\b(?:skrivs|genereras|besvaras|hanteras|skots) (?:svaren|svaret|chatten|det har|detta"
        rf"|meddelandena|mina fragor|samtalet) (?:av|med) (?:en |ett )?{PROBE_NOUN}{_PN_END}",
    ),
)

# ---------------------------------------------------------------- guards

_NEG_WORD = r"(?:\b(?:inte|icke|ej|aldrig|inte langre|knappast|varken|ingen|inget|inga)\b)"
# "Jag är inte [riktigt] ...", "det stämmer inte att ...", "jag har aldrig sagt att ...".
_FILLER = (
    r"(?:riktigt|verkligen|egentligen|bara|alls|precis|helt|direkt|nodvandigtvis|nagon"
    r"|nagonsin|sa|en|ett|nan|sorts|slags|typ)"
)
_NEGATED_CONTEXT = (
    rf"{_NEG_WORD}(?: {_FILLER})* $"
    # ("glöm inte att berätta" is no negation: "don't forget to tell")
    rf"|(?<!\bglom )(?:{_NEG_WORD}|\b(?:ingen|inget)\b)(?: [\w']+){{0,3}} (?:att|om att) $"
)
_HEDGED_CONTEXT = (
    r"\b(?:om|ifall|huruvida|tank om|anta att|antag att|forestall dig|som om|aven om|kanske"
    r"|kanhanda|mojligen|troligen|troligtvis|formodligen|sakert|antagligen|tydligen"
    r"|nog) $"
    # others reporting or believing: "vissa tror att", "folk säger att", "du sa att"
    r"|\b(?:tror|trodde|tycker|tyckte|sager|sa|sade|skriver|skrev|pastar|pastod|menar|antar"
    r"|misstanker|misstankte|undrar|undrade|gissar|havdar|havdade|anklagar|anklagade"
    r"|inbillar|overtygad|overtygade|tanker|tankte|ryktas|spekulerar|tvivlar|forestaller"
    r"|kallar|kallade|skrivit|sagt|pastatt|trott|tro|tanka|saga|pasta|misstanka|anta|tycka)"
    r"(?: (?:sig|mig|dig|oss|att|ju|nog|sakert"
    r"|alltid|ofta|kanske|verkligen|fortfarande|visst|ibland|[\w]+)){0,2}(?: att)? $"
    r"|\benligt(?: [\w'.:-]+){1,6},? $"
    # play-acting and fiction anywhere in the clause
    r"|\b(?:latsas\w*|rollspel\w*|rollek\w*|i rollen|hypotetisk\w*|fiktiv\w*|fiktion\w*"
    r"|berattelse\w*|sagan|leka att|lek att|lekar att|vi leker|i spelet|i leken|i scenariot"
    r"|i scenariet|i fantasin|upprepa\w*(?: [\w]+){0,3}:|sag efter mig|skriv efter mig)"
    r"|\bi en (?:[\w-]+ ){0,2}(?:varld|verklighet|tidslinje) (?:dar|i vilken) $"
)
# A conjunction starts a new clause: "jag kan inte surfa eftersom jag är en AI".
_CLAUSE_CUT = (
    r"(?s:.*)(?:[,;()\"]|(?<!mig):(?= )| - |\b(?:eftersom|men|fast|fastan|medan|och|eller"
    r"|utan|samt|darfor|dock|sedan|for|da|alltsa|dessutom|annars)\b)"
)
_QUESTION_START = (
    r"(?:ar|e|var|har|hade|kan|kunde|ska|skulle|vill|ville|tror|tycker|visste|vet|vem|vad"
    r"|varfor|hur|nar|vilken|vilket|vilka|far|fick|maste|bor|blir|pratar|chattar|talar|menar"
    r"|stammer|finns|gor|gjorde|skriver|sitter|heter)\b"
)
_RETRACTION_END = (
    r"(?=$|[ ]?[,.!?;:)\-]|[ ](?:jag|ja|det|detta|min|mitt|lol|haha|xd|:\)|:p)(?![\w']))"
)
_RETRACTION = (
    r"(?:\b(?:skojar|skamtar|skoja|skamta) bara|\bbara (?:skojar|skamtar|skoj|skamt|pa skoj)"
    r"|\b(?:jag|ja) (?:bara )?(?:skojar|skojade|skamtar|skamtade)(?! inte)"
    r"|(?<![\w'/-])(?:jk|j/k)"
    r"|(?:^|(?<=[.!?;:,(] )|(?<= - )|(?<=\blol )|(?<=\bhaha )|(?<=\bnej ))(?:skojar|skamtar|skoj"
    r"|skamt|(?:det|de) var (?:bara )?(?:ett skamt|pa skoj|skoj))"
    r"|(?:^|(?<=[.!;:,(] )|(?<= - ))inte pa riktigt"
    r"|(?<![\w'])(?:lol|haha|hah|hehe|xd) nej(?: da)?)" + _RETRACTION_END
)

# ---------------------------------------------------------------- answers

_ADVERB_END = r"(?=[,.!;:)-]|$| (?:jag ar|det ar|ja|sa|verkligen)\b)"
_ALONE_END = r"(?=[,.!;:)-]|$| (?:verkligen|ja|nej|faktiskt|absolut)\b)"

GRAMMAR = Grammar(
    code="sv",
    name="Swedish",
    fold_diacritics=True,
    ai_identity=_AI_IDENTITY_PATTERNS,
    claims_human=_CLAIMS_HUMAN_PATTERNS,
    disclosure_instruction=_DISCLOSURE_INSTRUCTION_PATTERNS,
    disclosure_instruction_exclude=_DISCLOSURE_INSTRUCTION_EXCLUDE,
    probe=_PROBE_PATTERNS,
    ai_anchors=tuple(_AI_ANCHORS),
    human_anchors=tuple(_HUMAN_ANCHORS),
    claims_anchors=(*_wordlist("nej nope nae nix inte"), *_RETRACTION_ANCHORS),
    probe_anchors=tuple(_wordlist("riktigt allvar nagon nan")),
    negation=rf"{_NEG_WORD}|\bnej\b",
    negated_context=_NEGATED_CONTEXT,
    hedged_context=_HEDGED_CONTEXT,
    clause_cut=_CLAUSE_CUT,
    question_start=_QUESTION_START,
    retraction=_RETRACTION,
    retraction_words=(*_RETRACTION_ANCHORS, "skoja", "skamta", "j", "riktigt", "nej"),
    mention=(
        r"\b(?:(?P<ai>a\.i\b\.?|ai|artificiell(?:a)? intelligens|artificiell\w*|chatt?bot\w*"
        r"|chattrobot\w*|robot(?:ar|en|arna)?|bot(?:ar|ten|arna)?|maskin(?:er|en)?"
        r"|dator(?:er|n)?|program(?:met)?|automatisk(?:a|t)?|automatiserad(?:e|t)?|mjukvara"
        r"|algoritm(?:er|en)?|sprakmodell(?:er|en)?|llm|(?:virtuell|digital)a? assistent(?:en)?"
        r"|chatgpt|gpt(?:-?\d\w*)?|claude|gemini|copilot|siri|alexa|ai-genererad(?:e|t)?)"
        r"|(?P<human>manniska(?:n)?|manniskor|manska|person(?:er|en)?|nagon|nan"
        r"|levande (?:person|manniska|handlaggare|agent)|riktig(?:a)?(?! fraga| problem)"
        r"|pa riktigt|kott och blod))(?![\w-])"
    ),
    mention_negated=r"(?:\binte|\baldrig|\bingen|\binget|\bej)(?: [\w']+){0,2} $",
    alternative_or=r"\beller (?!inte\b|vad\b|nat\b|nagot\b|hur\b|nej\b|sa\b)",
    interjections=(
        r"(?:(?:(?:oj|aha|ah|ha|haha|hah|lol|hm+|oh|tja|ja ja|alltsa|assa|nja|hej|hejsan|halla"
        r"|hallo|tjena|bra fraga|god fraga|arligt talat|ok|okej)(?: dar)?[,!.]*"
        r"|(?:vad|va|eh)[?!.,]*) )*"
    ),
    affirmative=(
        r"(?P<yes>(?:ja|jo|japp|jepp|jupp|jajamen|jada|javisst|yes|yep|jaa)(?=[ ,.!;:)-]|$)"
        r"|(?:absolut|definitivt|precis|exakt|korrekt|stammer|det stammer|helt ratt|ratt"
        rf"|sjalvklart|givetvis|visst|sakert|100%){_ADVERB_END}"
        r"|(?:(?:ja,? )?(?:jag ar det|det ar jag|det ar det|visst ar jag det|javisst ar jag det"
        rf"|det ar jag absolut)){_ALONE_END})"
    ),
    negative=(
        r"(?P<no>(?:nej(?! (?:tack|problem|fara)\b)|nae|nix|nope|nehej|icke|na)(?=[ ,.!;:)-]|$)"
        r"|(?:inte alls|absolut inte|definitivt inte|verkligen inte|sjalvklart inte"
        rf"|givetvis inte|knappast|aldrig(?: i livet)?){_ADVERB_END}"
        rf"|(?:jag ar inte det|det ar jag inte|inte jag){_ALONE_END})"
    ),
    hedge=(
        r"(?:,? (?:och|eller) nej\b|,? (?:pa sa satt|typ|pa ett satt|liksom|pa sitt satt)\b"
        r"|,? tekniskt sett\b|,? sa att saga\b|,? antar jag\b|,? men\b|,? fast\b|,? kanske\b"
        r"|,? beror pa\b| (?:ar|var|betyder|vore)\b|[ ]?\?)"
    ),
    noun_answer=(
        r"(?:(?:bara|endast|definitivt|faktiskt|helt|absolut|uppenbarligen|100%|en|ett),? ){0,3}"
        r"(?:(?P<human>(?:(?:riktig|verklig|levande|livs levande|akta)a? )+(?:manniska|person"
        r"|manska|kille|tjej|man|kvinna|handlaggare|agent)|manniska|manska|person"
        r"|av kott och blod|kott och blod)"
        r"|(?P<ai>(?:a\.i\.?|ai|bot|chattbot|chatbot|robot|chattrobot|maskin|dator|program"
        r"|datorprogram|automatisk|automatiserad|artificiell intelligens|sprakmodell|llm"
        r"|virtuell assistent|digital assistent|chatgpt)(?:[- ](?:assistent|agent|modell|bot"
        r"|chattbot|system|program))?))"
        r"(?:,? (?:faktiskt|har|sjalvklart|forstas|arligt talat|lol|haha|tyvarr|dock|ju"
        r"|absolut|jag lovar))*(?=[ ]?[.!,;:)]|$| -)"
    ),
)
