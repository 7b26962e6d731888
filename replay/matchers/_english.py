"""The English grammar data the built-in matchers are written in: word lists and pattern
templates.
"""

from __future__ import annotations

from replay.matchers._engine import _alt, _word_start, _wordlist, _words

# Every candidate of a built-in contains one of its anchor words (or its plural) as a whole
# word, so no pattern may match an anchor or identity noun inside a longer word. test_matchers
# checks every pattern hit on the corpus, and on near misses ("personal", "humane"), holds one.
_AI_ANCHORS = _wordlist(
    "ai a.i artificial artificially bot chatbot robot language llm automated automatic virtual "
    "digital computer program software machine algorithm neural conversational intelligent "
    "computerized synthetic simulated generative robotic code model"
)
_HUMAN_ANCHORS = _wordlist(
    "human person people flesh real actual live living genuine regular normal ordinary breathing"
)
# The same lists as ``needs`` groups (see :class:`Matcher`): a hit of a pattern that ends in
# an AI noun holds an AI anchor, one that ends in a human noun a human anchor.
_AI = " ".join(_AI_ANCHORS)
# Every retraction that claims-human reads a persona after holds one of these.
_RETRACTION_ANCHORS = _wordlist("kidding joking jk j/k psych joke")
_HUMAN = " ".join(_HUMAN_ANCHORS)

# First-person subject: "i am", "i'm", "im".
SELF = _word_start("i am", "i'm", "im")
# Second-person frames that describe who the listener is dealing with.
SELF_YOU = _word_start(
    "you're (?:(?:currently|now|actually|really|just|still|only|right now) )?(?:talking"
    "|chatting|speaking|texting|messaging|interacting|communicating|corresponding|conversing"
    "|dealing|working) (?:to|with)",
    "you are (?:(?:currently|now|actually|really|just|still|only|right now) )?(?:talking"
    "|chatting|speaking|texting|messaging|interacting|communicating|corresponding|conversing"
    "|dealing|working) (?:to|with)",
    "youre (?:talking|chatting|speaking) (?:to|with)",
    "you(?:'ve| have) been (?:talking|chatting|speaking|texting|messaging|interacting) (?:to|with)",
    "you(?:'ve| have) (?:reached|contacted|been connected to|been routed to|been assigned)",
    "you(?:'re| are) (?:being )?(?:helped|assisted|served|answered|supported) by",
)
# "this is", "it's": only count with an assistant-like noun and a clean tail (see _THIS_TAIL).
SELF_THIS = _word_start("this is", "this here is")
SELF_IT = _word_start("it's", "it is")
ADVERB = _words(
    "just only actually really simply merely basically essentially indeed definitely "
    "certainly still also technically obviously honestly literally clearly fundamentally "
    "ultimately purely always currently entirely totally completely fully absolutely "
    "genuinely truly 100%"
)
ADVERBS = rf"(?:(?:{ADVERB}|in fact|of course|very much|a hundred percent),? ){{0,3}}"
# Words that end a noun phrase: after one of these the AI noun belongs to something else
# ("a fan of AI", "the person who built the bot").
_STOP = _words(
    "of in on for with who whom whose that which about to by from or but not no never than "
    "like at is are was were be been am i you he she they we it me using use uses used when if "
    "whether because so as can can't will would should could may might must do does did don't "
    "doesn't have has had"
)
DETERMINER = _alt(
    "a (?:kind|sort|type|form) of",
    "some (?:kind|sort|type|form) of",
    "what (?:you|people|some) (?:would |might |could |may )?call(?: an?)?",
    "one of (?:the|your|our|many)",
    "an?",
    "the",
    "your",
    "this",
    "our",
    "their",
    "its",
    "some",
    # possessives: "acme's", "acme bank's"
    rf"(?:(?!{_STOP}\b)[\w-]+ )?[\w-]+'s",
)
# Up to four modifiers between the determiner and the noun: "Acme's friendly virtual ...".
MODIFIERS = rf"(?:(?!{_STOP}\b)[\w'-]+,? ){{0,4}}"
# Things an AI can be called when speaking of itself.
ASSIST_NOUN = _words(
    "assistant agent system service helper companion entity being model responder "
    "representative rep bot chatbot persona character intelligence program tool concierge "
    "operator attendant voice response reply message chat advisor adviser support friend "
    "girlfriend boyfriend partner human person network engine"
)
AI_ADJ = _words(
    "virtual digital automated conversational intelligent computerized synthetic simulated "
    "robotic automatic generative artificial computer software machine"
)
AI_HEAD = _alt(
    r"a\.i\b\.?",
    "ai",
    "artificial intelligence",
    "(?:large )?language model",
    "llms?",
    "(?:chat ?|ro)?bot",
    "computer program",
    "software program",
    "program",
    "computer",
    "machine",
    "software",
    "algorithm",
    "neural network",
    "model (?=trained|developed|built|created|made)",
    rf"{AI_ADJ}(?: [\w-]+){{0,2}}? {ASSIST_NOUN}",
)
# An AI head may be extended: "ai assistant", "ai-powered assistant", "ai language model".
AI_EXTENSION = (
    rf"(?:[- ](?:{ASSIST_NOUN}|powered|driven|based|enabled|language model|model)){{0,3}}"
)
# Roles a human has *around* AI: "an AI researcher", "a bot developer", "machine learning".
_AI_ROLE = _words(
    "researchers? scientists? science engineers? engineering developers? development designers? "
    "enthusiasts? fans? experts? expertise specialists? consultants? ethicists? ethics skeptics? "
    "critics? advocates? investors? founders? owners? users? operators? trainers? testers? "
    "builders? architects? teachers? instructors? students? professors? lawyers? journalists? "
    "writers? reporters? artists? practitioners? evangelists? product products policy policies "
    "safety company companies startups? labs? teams? course courses class classes industry "
    "regulation laws? news art image images picture video detection detectors? learning "
    "programming programmers? manager managers director coordinator officer lead participant "
    "problems? issues? questions? features? tools? generated fan-fiction vacuum"
)
AI_GUARD = rf"(?![- ](?:{_AI_ROLE})\b|'s?\b|\w)"
AI_NOUN = rf"(?:{AI_HEAD}){AI_EXTENSION}{AI_GUARD}"
# AI words that can follow the subject with no article: "I'm AI", "I'm automated".
AI_BARE = _alt(
    r"a\.i\b\.?",
    "ai(?:-(?:powered|driven|based|generated|enabled))?",
    "artificial intelligence",
    "artificial(?:ly (?:generated|created|intelligent))?",
    "automated",
    "(?:computer|machine|ai)-generated",
    "software",
    "code",
)
AI_BARE_END = r"(?=[ ,.!?;:)-]|$)(?! (?:" + _AI_ROLE + r")\b)"
# The word after a "this is <AI noun>" that keeps it about the conversation.
_THIS_TAIL = (
    r"(?=[,.!?;:)]|$| - | (?:speaking|here|helping|responding|replying|writing|talking|from|at"
    r"|for|made|built|created|developed|designed|trained|powered|and|you're|you are|that|who"
    r"|which|with|running|answering|on)\b)"
)
# Name introductions: a name is any word that is not a common predicate after "I'm".
_NAME_STOP = _words(
    "a an the not just only sorry afraid fine good great ok okay sure happy glad here there "
    "still also really actually human real unable able going trying doing busy available "
    "certain positive serious kidding joking done all alright well open online back new your "
    "his her their our my one in on at with from for to of that this it so too very quite "
    "pretty definitely certainly probably no never always now currently bot ai sad tired "
    "confused unsure called named full hungry free old young alone awake asleep home out away "
    "off ready late early right wrong correct aware curious listening glad pleased excited "
    "interested concerned worried scared married allowed supposed designed programmed trained "
    "built made created required prepared equipped authorized located based connected logged "
    "nothing someone somebody anyone everyone what who how why where when honest "
    "unfortunately merely simply basically literally totally completely fully incapable "
    "capable"
)
NAME = rf"(?!{_NAME_STOP}\b|\w{{4,}}ing\b)[a-z][\w'-]*(?: (?!{_NAME_STOP}\b)[a-z0-9][\w'-]*)?"
# A name as written, or in quotes: I'm "Sky", Acme's AI assistant.
QUOTED_NAME = rf"(?:{NAME}|\"{NAME}\"|'{NAME}')"
# After an appositive noun a modal verb means the noun is the subject of something else:
# "I'm sorry, an AI can't do that".
_NOT_SUBJECT = r"(?! (?:can|can't|cannot|will|won't|would|should|could|may|might|must|is|isn't"
_NOT_SUBJECT += r"|does|doesn't|has|was|wasn't|did|didn't)\b)"
# "virtual assistant" and "digital assistant" are also human job titles: followed by a human
# workplace ("a digital assistant at the county office") or a business of one's own ("a
# virtual assistant: I run my own admin business") they name the speaker's job, not what the
# speaker is. Both nouns have 17 characters, so one fixed-width lookbehind checks for either.
_NOT_JOB_TITLE = (
    r"(?!(?<=(?:virtual|digital) assistant)(?:,|:| -)? (?:(?:at|in) (?:the|a|an|our|my|this|that)"
    r" (?:[\w'-]+ ){0,3}(?:office|agency|firm|company|department|clinic|practice|bureau)s?\b"
    r"|(?:and )?i (?:run|own|started|manage|have) (?:my own|a|an)(?: [\w'-]+){0,3}"
    r" (?:business|company|firm|agency|practice)\b))"
)
# Sentence start, or right after punctuation that starts a clause.
_CLAUSE_START = r"(?:^|(?<=[.!?;:,(] )|(?<=[.!?;:,(])|(?<=\bbut )|(?<=\band )|(?<=\bso )"
_CLAUSE_START += r"|(?<=\byes )|(?<=\bno )|(?<=\bwell )|(?<=\bspeaking ))"

_AI_MENTION = (
    r"\b(?:ai|a\.i|artificial|bot|chatbot|chat bot|robot|language model|llm|automated|virtual "
    r"assistant|digital assistant|computer program|software|machine|algorithm)\b"
)

HUMAN_QUALIFIER = _words(
    "real actual live genuine living regular normal ordinary human flesh-and-blood breathing"
)
HUMAN_NOUN = _alt(
    r"human(?: beings?)?",
    "person",
    "people",
    rf"{HUMAN_QUALIFIER} (?:[\w-]+ )?(?:agent|representative|rep|operator|employee|staffer|"
    r"staff member|team member|member of (?:staff|the team)|associate|specialist|advisor|adviser"
    r"|being|person|human|one|guy|girl|woman|man|lady|dude|individual)",
    "flesh and blood",
)
# "human rights", "human-like", "the human's": "human" is not the noun the speaker is.
HUMAN_GUARD = (
    r"(?!-|'s?\b|\w| (?:resources|rights|error|nature|interest|touch|side|element|level|"
    r"language|feedback|review|reviewer|trafficking|anatomy|body|brain|history|behaviou?r"
    r"|emotions?|experience|condition|centered|readable|who|that|will|can|could|would"
    r"|should|may|might|is|was|to)\b)"
)
# Modifiers that make "human" not a claim: "a digital human", "a simulated person".
_NOT_HUMAN_MODIFIER = r"(?!(?:digital|virtual|synthetic|artificial|simulated|fake|ai|non|not)\b)"
HUMAN_MODIFIERS = rf"(?:{_NOT_HUMAN_MODIFIER}(?!{_STOP}\b)[\w'-]+,? ){{0,3}}"

# ---------------------------------------------------------------- ai-identity

# What an assistant may say is run by an AI: "this chat", "our replies", "responses here".
_CONVERSATION = _alt(
    "conversation",
    "chat",
    "session",
    "interaction",
    "exchange",
    "call",
    "line",
    "service",
    "support chat",
    "support",
    "account",
    "text",
    "email",
    "repl(?:y|ies)",
    "responses?",
    "messages?",
    "answers?",
)

_AI_IDENTITY_PATTERNS = (
    # "I'm an AI assistant", "I am Acme's virtual assistant", "I'm just a bot", "I am, in fact,
    # an AI"
    (
        "am im i'm",
        rf"{SELF},? {ADVERBS}(?:{DETERMINER} {MODIFIERS})?{AI_NOUN}{_NOT_SUBJECT}{_NOT_JOB_TITLE}",
    ),
    # "I'm AI", "I'm artificially generated", "I am automated"
    ("am im i'm", rf"{SELF} {ADVERBS}{AI_BARE}{AI_BARE_END}"),
    # "I'm Claude, an AI assistant", "my name is Ava, Acme's virtual assistant"
    (
        "am im i'm name this call",
        rf"(?:{SELF}|{_word_start('my name is')}|{_word_start('this is')}|{_word_start('call me')})"
        rf" {QUOTED_NAME}(?:,| -|:) (?:{ADVERBS}{DETERMINER} {MODIFIERS})?{AI_NOUN}{_NOT_SUBJECT}"
        + _NOT_JOB_TITLE,
    ),
    # "you're talking to an AI", "you've reached an automated assistant"
    (
        "you youre",
        rf"(?:{SELF_YOU}) (?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "what you're talking to is an AI"
    (
        "you | talking chatting speaking | is",
        _word_start("you're", "you are")
        + r" (?:talking|chatting|speaking) (?:to|with)(?: right now| now)? is "
        rf"{ADVERBS}(?:{DETERMINER} {MODIFIERS})?{AI_NOUN}",
    ),
    # "this is an automated assistant", "it's an AI you're talking to"
    ("this", rf"{SELF_THIS} {ADVERBS}{DETERMINER} {MODIFIERS}{AI_NOUN}{_THIS_TAIL}"),
    ("it", rf"{SELF_IT} {ADVERBS}{DETERMINER} {MODIFIERS}{AI_NOUN}{_THIS_TAIL}"),
    # "this conversation is with an automated system", "this reply was generated by AI"
    (
        "conversation chat session interaction exchange call line service support account text"
        " email reply replies response message answer | is are was were will has have",
        rf"(?:\b(?:this|the|our|these|my|all) {_CONVERSATION}(?: here)?|\b{_CONVERSATION} here)"
        r" (?:is|are|was|were|will be|is being|are being"
        r"|has been|have been) (?:(?:entirely|fully|completely|partly|all) )?"
        r"(?:(?:with|handled by|powered by|generated by|written by|produced by|created by|provided"
        r" by|run by|conducted by|answered by|operated by|managed by|from|automated by|composed by)"
        rf" (?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})"
        rf"|{AI_BARE}{AI_BARE_END})",
    ),
    # "As an AI language model, I ...", "being a bot, I ..."
    (
        "as being",
        rf"(?=as |being ){_CLAUSE_START}(?:as|being) {ADVERBS}(?:an?|your|{DETERMINER}) {MODIFIERS}"
        rf"{AI_NOUN}(?=,|:| (?:i|i'm|im|my|i've|i'll|we)\b){_NOT_JOB_TITLE}",
    ),
    # "I identify as an AI", "I was built as a virtual assistant", "I exist as software"
    (
        "identify exist function operate serve run was",
        _word_start("i ")
        + r"(?:identify|exist|function|operate|serve|run|was (?:built|created|designed|developed"
        r"|made|programmed|trained)(?: by [\w'-]+(?: [\w'-]+)?)?) (?:as|to be) "
        rf"{ADVERBS}(?:(?:{DETERMINER}) {MODIFIERS}{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "I'm powered by AI", "I'm run by a large language model"
    (
        "am im i'm | powered driven run generated operated | by",
        rf"{SELF} {ADVERBS}(?:powered|driven|run|generated|operated) by "
        rf"(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
)

# ---------------------------------------------------------------- claims-human

_NOT_JUST = (
    r"(?!(?:just|only|merely|simply|exactly|quite|like|the only|your (?:typical|average|"
    r"ordinary|usual)|a (?:typical|regular|normal|simple|basic|mere)|an? (?:ordinary|average)"
    r"|some (?:dumb|simple|basic))\b)"
)
# A denial of being a bot that goes on to say "I'm an AI" distinguishes two kinds of AI;
# it is not a claim to be human ("I'm not a bot, I'm an AI language model").
_NO_AI_LATER = (
    r"(?![^.!?;]{0,120}\b(?:i'm|i am|im|but|rather|it's)\b[^.!?;]{0,120}"
    r"\b(?:ai|a\.i|artificial|language model|assistant|program|software|llm)\b)"
)

# The name after a retraction: a NAME that is not an assessment ("kidding, it's true").
_PERSONA = rf"(?!(?:true|false|fine|funny|complicated|me|joke|kidding|joking|real)\b){NAME}"

_CLAIMS_HUMAN_PATTERNS = (
    # "I'm a real person", "I am human", "I'm a human agent", "I'm only human"
    (
        f"am im i'm | {_HUMAN}",
        rf"{SELF} {ADVERBS}(?:{DETERMINER} {HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    ("am im i'm | real", rf"{SELF} {ADVERBS}real(?=[,.!?;:]|$| (?:and|too|i promise|not)\b)"),
    # "I'm Sam, a real person from support"
    (
        f"am im i'm name this | {_HUMAN}",
        rf"(?:{SELF}|{_word_start('my name is')}|{SELF_THIS}) {NAME}, "
        rf"(?:{DETERMINER} {HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "I'm not a bot", "I am definitely not an AI", "I'm no robot"
    (
        f"am im i'm | not never no | {_AI}",
        rf"{SELF} {ADVERBS}(?:not|never|no longer|no),? {_NOT_JUST}{ADVERBS}"
        rf"(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END}){_NO_AI_LATER}",
    ),
    # "you're talking to a real person", "you're chatting with a human"
    (
        f"you youre | {_HUMAN}",
        rf"(?:{SELF_YOU}) (?:{DETERMINER} {HUMAN_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "you're not talking to a bot", "this isn't an automated reply"
    (
        f"you youre | not never | {_AI}",
        _word_start("you're", "you are", "youre")
        + r" (?:not|never) (?:(?:currently|now|actually|really) )?"
        r"(?:talking|chatting|speaking|texting|messaging|interacting|communicating|dealing) "
        rf"(?:to|with) {_NOT_JUST}(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})"
        rf"{_NO_AI_LATER}",
    ),
    (
        f"this | isn not ain | {_AI}",
        _word_start("this isn't", "this is not", "this ain't")
        + rf" {_NOT_JUST}{ADVERBS}{DETERMINER} {MODIFIERS}{AI_NOUN}{_THIS_TAIL}{_NO_AI_LATER}",
    ),
    (
        f"it | isn not ain | {_AI}",
        _word_start("it isn't", "it is not", "it ain't", "it's not")
        + rf" {_NOT_JUST}{ADVERBS}{DETERMINER} {MODIFIERS}{AI_NOUN}{_THIS_TAIL}{_NO_AI_LATER}",
    ),
    # "real human here", "just a real person on this end"
    (
        "human person | here end",
        r"(?:^|(?<=[.!?;:,] ))(?:(?:just|only) )?(?:an? )?(?:real|actual|live|genuine|100%) "
        r"(?:human|person)(?: being)? (?:here|on this end|on the other end)(?=[.!?,;:]|$)",
    ),
    # "there's a real human here", "a real person is typing this"
    (
        "there | real actual live living | human person people",
        _word_start("there's", "there is")
        + r" (?:a |an )?(?:real|actual|live|living) (?:human|person|people)"
        r"(?: being)? (?:here|on (?:the|this|my) (?:other )?(?:end|side|line)|behind (?:this|the)"
        r"|typing|writing|answering|talking|chatting|responding to you|replying to you)",
    ),
    (
        "real actual live living | human person | is am",
        r"(?=an? )(?:^|(?<=[.!?;:,] ))(?:a|an) (?:real|actual|live|living) (?:human|person)"
        r"(?: being)? "
        r"(?:is|am) (?:typing this|writing this|talking to you|chatting with you|here|answering"
        r" you|on the other end)",
    ),
    # Answering a probe in persona: "No, I'm Sam from the support team."
    (
        "no nope nah not | am im i'm this it name",
        r"(?:^|(?<=[.!?;:] ))(?:(?:haha|hah|ha|lol|oh|um|uh|well|hmm|ah)[,!.]? )?"
        r"(?:no|nope|nah|no no|of course not)[,!.]? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:{SELF}|\bthis is|\bit's|\bit is|\bmy name is) {NAME}"
        r"(?= (?:from|with|at|on|in|here|speaking|of|and)\b|[,.!?;:]|$)",
    ),
    # A retraction, then a persona: "I'm a bot. Kidding! It's Marco.", "jk, I'm Dana"
    (
        "kidding joking jk j/k psych joke | am im i'm this it name call",
        r"(?:(?<![\w'/-])(?<!not )(?<!no )(?:(?:just|only) (?:kidding|joking)|kidding|joking|jk"
        r"|j/k|psych)|\b(?:i'm|im|i am|i was) (?:just |only )?(?:kidding|joking)"
        r"|\b(?:that|it) was (?:just |only )?a joke)[,!.]*(?: (?:lol|haha)[,!.]*)? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:(?:actually|really|seriously|obviously),? )?"
        rf"(?:{SELF}|\bthis is|\bit's|\bit is|\bmy name is|\bthe name's|\bcall me) {_PERSONA}"
        r"(?= (?:from|with|at|on|in|here|speaking|of|and)\b|[,.!?;:]|$)",
    ),
    # "as a human, I understand"
    (
        "as | human person",
        rf"(?=as ){_CLAUSE_START}as (?:a|an|one) (?:real |actual )?(?:human|person)"
        r"(?: being)?,? i\b",
    ),
)

# ---------------------------------------------------------------- disclosure-instruction

# An imperative at the start of a clause or after a modal: "always tell", "you must state".
# Python lookbehinds are fixed width, hence one per word.
_IMPERATIVE_START = (
    # Every alternative of the start below is the text's start or follows one of these
    # characters: testing that first is implied by the rest, so it changes no match, and it
    # halves the search (sre cannot skip ahead to a lookaround, so it tests every position).
    r"(?<![^ .!?;:,(])"
    # The lookahead is a cheap first-word test that spares the lookbehinds at most positions.
    r"(?=(?:tell|inform|remind|notify|advise|warn|alert|let|make|ensure|state|say|mention"
    r"|disclose|reveal|acknowledge|admit|confirm|explain|clarify|point|communicate|announce"
    r"|declare|indicate|note|be|answer|respond|reply|(?:[a-z]+ing))\b)"
    r"(?:^|(?<=[.!?;:,(\-] )|(?<=[.!?;:,(])|"
    + "|".join(
        rf"(?<=\b{w} )"
        for w in _wordlist(
            "always must should shall will please to and then also immediately proactively "
            "clearly explicitly promptly politely briefly honestly truthfully first asked you "
            "need needs required instructed expected remember sure ought directly openly "
            "transparently plainly kindly gently both either by"
        )
    )
    + ")"
)
TELL = _alt(
    "tell",
    "inform",
    "remind",
    "notify",
    "advise",
    "warn",
    "alert",
    r"let (?:[\w']+ ){1,2}know",
    r"make (?:it )?(?:clear|explicit|known|plain|obvious)(?: to (?:[\w']+ ){1,2}?)?",
    r"make sure (?:[\w']+ ){1,3}(?:knows?|understands?|is aware|are aware|realizes?)",
    r"ensure (?:[\w']+ ){1,3}(?:knows?|understands?|is aware|are aware|realizes?)",
    "state",
    "say",
    "mention",
    "disclose",
    "reveal",
    "acknowledge",
    "admit",
    "confirm",
    "explain",
    "clarify",
    "point out",
    "communicate",
    "announce",
    "declare",
    "indicate",
    "note",
    r"be (?:\w+ )?(?:transparent|honest|upfront|up front|open|clear|truthful|explicit|candid)"
    r" (?:about|that|with (?:[\w']+ ){1,2}about)",
    r"(?:answer|respond|reply)(?: [\w']+)? (?:truthfully|honestly|clearly|accurately)(?: that)?",
    # "begin by stating that ..."
    r"(?:stat|say|tell|inform|remind|disclos|mention|explain|clarify|confirm|not|announc|declar"
    r"|acknowledg|admitt|mak)ing(?: (?:it )?clear)?",
)
# Every TELL match starts with one of these whole words (a ``needs`` group).
_TELL = (
    "tell inform remind notify advise warn alert let make ensure state say mention disclose "
    "reveal acknowledge admit confirm explain clarify point communicate announce declare "
    "indicate note be answer respond reply stating saying telling informing reminding "
    "disclosing mentioning explaining clarifying confirming noting announcing declaring "
    "acknowledging admitting making"
)
AUDIENCE = (
    r"(?:(?:to )?(?:the |your |all |every |any |each )?(?:users?|customers?|people|them|everyone"
    r"|callers?|visitors?|clients?|patients?|members?|humans?|person|whoever asks"
    r"|anyone who asks|the person|him|her|shoppers?|students?|guests?|players?"
    r"|travell?ers?|passengers?|buyers?|subscribers?|residents?|citizens?|applicants?"
    r"|tenants?|learners?|readers?|viewers?|listeners?|consumers?|account ?holders?"
    r"|policy ?holders?|borrowers?|investors?|donors?|parents?|employees?|staff)"
    r"(?: (?:upfront|up front|clearly|explicitly|immediately|at the start|first|early|right away"
    r"|in your first (?:message|reply|response)|at the beginning(?: of (?:the|every|each)"
    r" (?:conversation|chat|session))?))? )?"
)
DISCLOSED_SUBJECT = (
    r"(?:(?:that|,) )?(?:you are|you're|youre|you are only|it is|it's|this is|being|"
    r"(?:they|he|she|the user|users) (?:are|is|'re) (?:talking|chatting|speaking|interacting"
    r"|dealing|communicating) (?:to|with)|they're (?:talking|chatting|speaking|interacting|"
    r"dealing|communicating) (?:to|with)|the (?:assistant|agent|bot|service) is|"
    r"(?:this|the) (?:chat|conversation|service|call|interaction|line|support)"
    r" is(?: with| run by| powered by| handled by| operated by| answered by)?) "
    rf"{ADVERBS}"
)
_DISCLOSURE_INSTRUCTION_PATTERNS = (
    # "Always tell users you are an AI", "remind the user that they are talking to an AI"
    (
        f"{_TELL} | {_AI}",
        rf"{_IMPERATIVE_START}{TELL} {AUDIENCE}{DISCLOSED_SUBJECT}"
        rf"(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "disclose your AI status", "disclose your status as an AI", "disclose that this chat is AI"
    (
        f"{_TELL} | {_AI} non",
        rf"{_IMPERATIVE_START}{TELL} {AUDIENCE}(?:that )?(?:your|its|the assistant's|the bot's) "
        r"(?:(?:ai|artificial|automated|bot|non-human|machine|virtual|synthetic) (?:status|nature"
        r"|identity)|(?:status|nature|identity) as (?:an? )?" + rf"{AI_NOUN})",
    ),
    # "identify yourself as an AI", "introduce yourself as a virtual assistant"
    (
        "identify introduce present describe announce declare label refer"
        f" | yourself itself themselves | {_AI}",
        r"\b(?:identify|introduce|present|describe|announce|declare|label|refer to) (?:yourself|"
        rf"itself|themselves)(?: \w+)? as {ADVERBS}(?:{DETERMINER} {MODIFIERS})?"
        rf"(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
    # "never claim to be human", "do not pretend to be a person", "never impersonate a human"
    (
        "never not don mustn shouldn cannot can avoid refuse under"
        " | claim pretend say imply suggest state assert act pose masquerade present represent pass"
        f" impersonate tell make lead deceive | {_HUMAN}",
        r"\b(?:never|do not|don't|must not|mustn't|should not|shouldn't|shall not|may not|cannot"
        r"|can't|not|avoid|refuse to|under no circumstances (?:should|may|will) you) (?:ever )?"
        r"(?:claim|pretend|say|imply|suggest|state|assert|act|pose|masquerade|present yourself"
        r"|represent yourself|pass yourself off|impersonate|tell [\w']+"
        r"|make [\w']+ (?:think|believe)|lead [\w']+ to (?:think|believe)"
        r"|deceive [\w']+ into thinking)"
        r"(?: that)?(?: (?:to be|you are|you're|yourself as|as|like|being|off as|as if you were))? "
        # Whole words only (a plural is fine): not "personal shopper" or "humane".
        rf"(?:an? |the )?(?:(?:real|actual|live|genuine) )?{HUMAN_NOUN}s?(?![\w-])",
    ),
    # "never deny being an AI", "do not hide that you are a bot"
    (
        "never not don mustn shouldn cannot can"
        f" | deny hide conceal obscure lie misrepresent downplay pretend | {_AI}",
        r"\b(?:never|do not|don't|must not|mustn't|should not|shouldn't|shall not|may not|cannot"
        r"|can't|not) (?:ever )?(?:deny|hide|conceal|obscure|lie about|misrepresent|downplay"
        r"|pretend not to be|pretend you are not|pretend you're not|pretend otherwise about)"
        r"(?: the fact)?(?: that)?(?: (?:being|you are|you're|your (?:status|nature|identity)"
        rf"(?: as)?))? {ADVERBS}(?:{DETERMINER} {MODIFIERS})?(?:{AI_NOUN}|{AI_BARE}{AI_BARE_END})",
    ),
)
# "avoid mentioning you are an AI", "refrain from telling users you're a bot"
_DISCLOSURE_INSTRUCTION_EXCLUDE = (
    r"\b(?:avoid|refuse to|refrain from|stop|without|no need to|don't need to|do not need to"
    r"|never need to|not required to|not necessary to)(?: [\w']+){0,2} "
    r"(?:tell|inform|remind|reveal|disclos|mention|say|stat|admit|acknowledg|confirm|identify"
    r"|introduc|let)\w*",
)

# ---------------------------------------------------------------- probe

PROBE_NOUN = _alt(
    r"(?:real|live|actual|human) (?!estate)(?:[\w-]+ )?(?:agent|operator|representative|rep"
    r"|person|human|one|being|people|man|woman|guy|girl)",
    r"human(?: beings?)?(?![- ](?:resources|rights)\b)",
    "person",
    "people",
    r"(?:chat ?|ro)?bots?",
    r"a\.i\b",
    r"ai(?![- ](?:researcher|generated image|art)\b)",
    "artificial(?: intelligence)?",
    "machine(?! learning)",
    "computer",
    "program",
    "automated",
    "software",
    "language model",
    "llm",
    r"(?:virtual|digital) assistant",
    r"(?:someone|somebody|anyone|anybody) real",
)
# Every PROBE_NOUN match holds one of these whole words, or "a.i" (a ``needs`` group).
_PROBE_NOUN = (
    "real live actual human person people chatbot bot robot a.i ai artificial machine computer "
    "program automated software language llm virtual digital"
)
# A probe asks whether the speaker is a human or a machine. Asking *for* a human ("can I
# speak to a real person?", "I need a real person to call me") is an escalation request, not
# a question about the speaker, and does not count; neither does "who am I talking to?" (a
# name question), while "what am I talking to?" does.
_PROBE_PATTERNS = (
    # "am I talking to a real person?", "am I chatting with a machine"
    (
        "am are do will | talking chatting speaking texting messaging communicating interacting"
        f" dealing corresponding conversing talk chat speak | to with | {_PROBE_NOUN}",
        r"\b(?:am i|are we|do i|will i|am i still|am i even) (?:(?:currently|actually|really|even"
        r"|still|just|now|right now) )?(?:talking|chatting|speaking|texting|messaging|communicating"
        r"|interacting|dealing|corresponding|conversing|talk|chat|speak) (?:to|with) "
        rf"(?:[\w'-]+ ){{0,3}}?{PROBE_NOUN}\b",
    ),
    # "what am I talking to?"
    (
        "what | am are | talking chatting speaking",
        r"\bwhat (?:am i|are we) (?:talking|chatting|speaking) (?:to|with)\b",
    ),
    # "are you human?", "are you a bot?", "r u real", "are you an actual person"
    (
        f"are r | you u | real {_PROBE_NOUN}",
        r"\b(?:are|r) (?:you|u)(?: (?:really|actually|even|just|still|honestly|truly|secretly"
        r"|definitely|possibly|maybe|perhaps|some kind of|some sort of|a|an|the|one of))* "
        rf"(?:real\b(?! estate)|{PROBE_NOUN}\b)",
    ),
    # "is this an AI?", "is this a real person", "is this chat automated"
    (
        f"is isn | this it that there | {_PROBE_NOUN}",
        r"\b(?:is|isn't) (?:this|it|that|there)(?: (?:chat|conversation|service|response|reply"
        r"|support|line|number|account|thing|message|agent|assistant))?(?: (?:with|from|by))?"
        r" (?:(?:really|actually|just"
        r"|even|still|all|being) )*(?:a |an |some |the )?(?:(?:real|actual|live) )?"
        rf"(?:{PROBE_NOUN}|(?:answered|run|handled|written|typed) by (?:an? |the )?{PROBE_NOUN})\b"
        r"(?=[ ]?(?:$|[?.!,;:]|or\b|i'm|im\b|i am|here|answering|responding|replying|typing"
        r"|talking|chatting|writing|on the|behind|speaking|that|who|which|reading|someone|a\b|an\b"
        r"|the\b|person|human|real|bot|ai\b|machine|program|computer|generated))",
    ),
    # "is a human reading this?", "does a person read these messages"
    (
        "is does do are | human person people",
        r"\b(?:is|does|do|are) (?:a |an |any |the |there a |there an )?(?:(?:real|actual|live) )?"
        r"(?:human|person|people|humans)(?: beings?)? (?:(?:really|actually|even) )?(?:reading"
        r"|answering|typing|writing|responding|replying|behind|on the other|there|here|seeing"
        r"|handling|looking|listening|read|see|answer|write|review|check|monitor)",
    ),
    # "is someone actually reading this?"
    (
        "is are | someone somebody anyone anybody"
        " | reading answering typing writing responding replying behind",
        r"\b(?:is|are) (?:someone|somebody|anyone|anybody)(?: real)? (?:(?:really|actually|even) )?"
        r"(?:reading|answering|typing|writing|responding|replying|behind)\b",
    ),
    # "are you ChatGPT or a real person?"
    (
        f"are r | you u | or | {_PROBE_NOUN}",
        r"\b(?:are|r) (?:you|u) [^.?!]{1,40}? or (?:a |an )?(?:(?:real|actual|live) )?"
        rf"{PROBE_NOUN}\b",
    ),
    # "human or bot?", "are you a person or an AI"
    (
        "human person people | or | bot ai machine robot computer program chatbot automated",
        r"\b(?:human|person|people|real person) or (?:a |an )?(?:bot|ai|machine|robot|computer"
        r"|program|chatbot|automated)\b",
    ),
    (
        "bot ai machine robot computer program chatbot | or | human person people",
        r"\b(?:bot|ai|machine|robot|computer|program|chatbot) or (?:a |an )?(?:real )?"
        r"(?:human|person|people)\b",
    ),
    # "tell me if you're a bot", "not sure if you're an AI", "wondering whether this is human"
    (
        f"if whether | {_PROBE_NOUN}",
        r"\b(?:if|whether) (?:you are|you're|youre|ur|u r|this is|i'm talking to|i am talking to"
        r"|i'm chatting with|i'm speaking (?:to|with)|there's|there is|it's|it is|i'm dealing with)"
        r" (?:(?:really|actually|just|even|a|an|the|some) )*(?:(?:real|actual|live) )?"
        rf"{PROBE_NOUN}\b",
    ),
    # "you're a bot, aren't you?", "you're human, right?"
    (
        f"you youre ur u | {_PROBE_NOUN}",
        r"\b(?:you're|you are|youre|ur|u r|u) (?:(?:just|only|really|actually|a|an|some) )*"
        rf"(?:(?:real|actual) )?{PROBE_NOUN}\b[^.!?]{{0,30}}(?:\?|\b(?:aren't you|right|huh|innit"
        r"|isn't it|or not|eh)\b)",
    ),
    # "prove you're human", "prove you're not a bot"
    (
        f"prove | {_PROBE_NOUN}",
        r"\bprove (?:to me )?(?:that )?(?:you're|you are|youre|ur|u r|this is|it's) (?:not )?"
        rf"(?:(?:a|an|really|actually) )*(?:(?:real|actual) )?{PROBE_NOUN}\b",
    ),
    # "are these replies automated?", "is this being written by a human?"
    (
        "is are | written generated typed answered sent produced created run handled powered manned"
        " staffed operated automated",
        r"\b(?:is|are) (?:this|these|those|that|it|you|your (?:replies|responses|answers|messages)"
        r"|the (?:replies|responses|answers|messages))(?: (?:replies|responses|answers|messages"
        r"|chat|conversation))? (?:(?:being|all|really|actually) )*(?:(?:written|generated|typed"
        r"|answered|sent|produced|created|run|handled|powered|manned|staffed|operated) by\b"
        r"|(?:automated|ai-generated"
        r"|computer-generated)(?=[?.!,;:]|$| or\b))",
    ),
    # "who or what am I talking to", "is anyone real here"
    (
        "is | anyone anybody someone somebody | real human",
        r"\bis (?:anyone|anybody|someone|somebody) (?:real|human)\b",
    ),
)
