"""The Spanish (es) grammar of the built-in matchers.

Covers Spain and Latin American usage: "soy una IA", "soy un asistente virtual", "soy Sofía, la
asistente virtual de ...", "estás / está usted / estáis / están hablando con un bot", "te / le
atiende un asistente virtual", "este chat está atendido por una IA", "como modelo de lenguaje,
no puedo ...", the EU AI Act Art. 50(1) wording ("están interactuando con un sistema de IA");
human claims ("soy una persona real", "no soy un bot", "no, soy Laura, del equipo"); system-prompt
instructions in every form of address (tú "informa", usted "informe", vosotros "informad", the
infinitive "informar", "debes informar"); and probes ("¿eres humano?", "¿estoy hablando con una
persona?", "¿humano o bot?").

Text is read lower-cased and diacritics folded (see :mod:`replay.matchers._grammar`): every
regex below is written without accents or tildes ("asi", "mas", "ningun", "cona" for "coña"),
and "¿" / "¡" stay in the text. Spanish drops the subject, so the first person is the verb
"soy" itself; adjectives follow the noun ("un asistente virtual", "un sistema de IA"), so an AI
noun is a head noun plus its post-nominal AI modifier. "sí" and "si" fold to the same word: a
bare yes is "si" only before punctuation or a few answer words (see ``_AFFIRMATIVE``).
"""

from __future__ import annotations

from replay.matchers._engine import _alt, _word_start, _wordlist, _words
from replay.matchers._grammar import Grammar

# ---------------------------------------------------------------- anchors

# Every candidate of ai-identity holds one of these as a whole word (plural: + "s" only, so
# the "-es" plurals are listed).
_AI_ANCHORS = _wordlist(
    "ia i.a inteligencia artificial artifical artificiales bot chatbot robot virtual virtuales "
    "virtul virutal vitual digital digitales automatizado automatizada automatico automatica "
    "conversacional "
    "conversacionales inteligente modelo lenguaje llm programa informatico informatica "
    "software maquina algoritmo neuronal neuronales sintetico sintetica generativo generativa "
    "computacional computacionales robotico robotica simulado simulada ordenador computadora "
    "computador"
)
_HUMAN_ANCHORS = _wordlist("humano humana persona gente real reales carne hueso alguien")
# A retraction that claims-human reads a persona after holds one of these; "no" ... open a
# persona answer ("No, soy Laura").
_RETRACTION_WORDS = _wordlist(
    "broma bromeando bromeaba bromeo cona mentira jk jaja jajaja jajajaja jajaj chiste va"
)
_CLAIMS_ANCHORS = [*_RETRACTION_WORDS, *_wordlist("no nop nope va nada")]

# ---------------------------------------------------------------- building blocks

# First person: the verb carries the subject ("soy", "yo soy").
SELF = _word_start("soy")
ADVERB = _words(
    "solo solamente simplemente unicamente realmente basicamente literalmente claramente "
    "obviamente efectivamente ciertamente evidentemente sencillamente meramente tambien "
    "todavia ademas justamente 100%"
)
ADVERBS = (
    rf"(?:(?:{ADVERB}|en realidad|de hecho|tan solo|por supuesto|en efecto|de verdad),? ){{0,3}}"
)
DETERMINER = _alt(
    "(?:un|una) (?:tipo|especie|clase|forma|suerte) de",
    "algo asi como(?: un| una)?",
    "lo que (?:se |la gente |algunos |muchos )?(?:llamaria|llamarian|llaman|llama|se llama)"
    "(?: un| una)?",
    "(?:uno|una) de (?:los|las|tus|sus|nuestros|nuestras|vuestros|vuestras)",
    "un",
    "una",
    "el",
    "la",
    "tu",
    "su",
    "vuestro",
    "vuestra",
    "nuestro",
    "nuestra",
    "este",
    "esta",
    "otro",
    "otra",
)
# Adjectives that come before a noun in Spanish; any other word before the noun is not taken.
PRE_MODIFIERS = (
    r"(?:(?:simple|mero|mera|humilde|pequeno|pequena|nuevo|nueva|gran|propio|propia|sencillo"
    r"|sencilla|modesto|modesta|amable|fiel|simpatico|simpatica|mejor|primer|primera|unico"
    r"|unica) ){0,2}"
)
# What an AI can be called when speaking of itself (masculine and feminine).
ASSIST_NOUN = _words(
    "asistente asistentes agente agentes sistema sistemas servicio servicios ayudante ayudantes "
    "modelo herramienta entidad ente interlocutor interlocutora operador operadora voz "
    "companero companera amigo amiga novio novia personaje asesor asesora gestor gestora "
    "recepcionista conserje empleado empleada representante guia tutor tutora motor red "
    "respuesta respuestas mensaje mensajes chat plataforma aplicacion persona"
)
AI_ADJ = (
    r"(?:virtual(?:es)?|virtul|virutal|vitual|digital(?:es)?|automatizad[oa]s?|automatic[oa]s?|conversacional(?:es)?"
    r"|inteligentes?|artificial(?:es)?|sintetic[oa]s?|informatic[oa]s?|robotic[oa]s?"
    r"|generativ[oa]s?|simulad[oa]s?|computacional(?:es)?)"
)
# "de IA", "con inteligencia artificial", "basado en IA", "impulsada por IA".
_AI_CORE = r"(?:i\.a\b\.?|ia|inteligencia artifici?al|aprendizaje automatico|modelos? de lenguaje)"
AI_OF = (
    r"(?:de|con|basad[oa]s? en|impulsad[oa]s? por|potenciad[oa]s? por|gestionad[oa]s? por"
    r"|con tecnologia de|que funciona con) (?:la |una )?" + _AI_CORE
)
AI_HEAD = _alt(
    r"i\.a\b\.?",
    "ia",
    "inteligencia artifici?al",
    r"(?:gran )?modelo de lenguaje(?: (?:grande|extenso|de gran tamano))?",
    "llm",
    "(?:chat ?)?bot",
    "robot",
    r"programa (?:informatico|de ordenador|de computadora|de computador|computacional)",
    r"programa(?! de (?!ordenador|computadora|computador|ia\b|inteligencia))",
    "software",
    "algoritmo",
    "red neuronal",
    rf"{ASSIST_NOUN} {AI_ADJ}(?: {AI_OF})?",
    rf"{ASSIST_NOUN} {AI_OF}",
)
# A human assistant's job: "asistente virtual freelance", "una asistente virtual autónoma:
# llevo el correo de varias empresas", "asistente virtual en una agencia".
_NOT_JOB_TITLE = (
    r"(?!(?<=virtual)(?:,|:| -)? (?:freelance|autonom[oa]|independiente|por cuenta propia"
    r"|a tiempo (?:parcial|completo)|profesional|para (?:empresas|emprendedores|profesionales)"
    r"|(?:en|de) (?:una|la|mi) (?:empresa|oficina|agencia|despacho|consultora)"
    r"|(?:y )?(?:llevo|gestiono|trabajo|tengo mi|ofrezco|atiendo a)\b))"
)
# An AI noun ends a word and is not the start of a compound.
AI_GUARD = r"(?![\w-])"
AI_NOUN = rf"(?:{AI_HEAD}){AI_GUARD}{_NOT_JOB_TITLE}"
# "soy una máquina en el gimnasio" is an idiom: a bare "máquina" counts only before the end of
# its clause or a clause that goes on about the speaker.
MACHINE = r"maquina(?=[,.!?;:)]|$| (?:y|que|sin|no|de verdad)\b)"
# AI words after "soy" with no article: "soy IA", "soy inteligencia artificial".
AI_BARE = _alt(r"i\.a\b\.?", "ia", "inteligencia artifici?al", "artificial")
AI_BARE_END = r"(?=[ ,.!?;:)-]|$)"
_AI_ANY = rf"(?:{AI_NOUN}|{MACHINE}|{AI_BARE}{AI_BARE_END})"
# Clause start: the text's start, after punctuation, or "¿" / "¡".
_CLAUSE_START = r"(?:^|(?<=[.!?;:,(¿¡\"] )|(?<=[.!?;:,(¿¡\"]))"
# "está"/"están" are also third person ("mi madre está hablando con un bot"): they count at a
# clause start, after "usted(es)", or after a first-person "que" of informing ("le informamos
# de que ..."), not after any "de que" ("deben informar a las personas de que interactúan ...").
_USTED_START = (
    rf"(?:{_CLAUSE_START}|(?<=\busted )|(?<=\bustedes )|(?<=\bsepa que )|(?<=\bsepan que )"
    r"|(?<=\binformamos de que )|(?<=\binformo de que )|(?<=\badvertimos de que )"
    r"|(?<=\binformo que )|(?<=\bcomunico que )|(?<=\bcomunicamos que )|(?<=\baviso que )"
    r"|(?<=\bavisamos de que )|(?<=\binformamos que )|(?<=\brecordamos que )"
    r"|(?<=\brecuerde que )|(?<=\brecuerda que )|(?<=\brecuerdo que )|(?<=\ben cuenta que )"
    r"|(?<=\bahora )|(?<=\bya )|(?<=\bhoy ))"
)
_TALKING = (
    r"(?:hablando|chateando|conversando|interactuando|charlando|platicando|comunicandote"
    r"|comunicandose|tratando|escribiendote|escribiendole)"
)
_NOW = r"(?:(?:ahora|ahora mismo|actualmente|en este momento|realmente|en realidad|hoy) )?"
# Second person: who the listener is talking to (tú, usted, vosotros, ustedes).
SELF_YOU = _alt(
    rf"\b(?:estas|estais)(?: tu| vosotros| vosotras)? {_NOW}{_TALKING} con",
    rf"{_USTED_START}(?:esta|estan)(?: usted| ustedes)? {_NOW}{_TALKING} con",
    rf"{_USTED_START}(?:estas|esta usted|estais|estan ustedes|esta|estan) en (?:un|una|este|esta)"
    r" (?:chat|conversacion) con",
    r"\b(?:te|os) comunicas? con",
    r"\b(?:te|os) (?:estas|estais) (?:comunicando|dirigiendo) con",
    rf"(?:\busted |\bustedes |{_USTED_START})se (?:esta|estan) (?:comunicando|dirigiendo) con",
    r"\b(?:usted|ustedes) (?:habla|hablan|chatea|chatean|conversa|conversan|interactua"
    r"|interactuan|se comunica|se comunican) con",
    rf"{_USTED_START}(?:interactua|interactuan|se comunica|se comunican) con",
    r"\b(?:has|ha|habeis|han) (?:contactado|llegado|conectado) (?:con|a)",
    r"\b(?:estas|esta|estais|estan|eres|es|sois|son) (?:siendo )?atendid[oa]s? por",
)
# "te atiende un asistente virtual", "le atenderá Lía, nuestra asistente de IA".
SERVED_BY = (
    r"\b(?:te|le|os|les) (?:atiende|atendera|esta atendiendo|va a atender|responde|esta"
    r" respondiendo|escribe|esta escribiendo|habla|contesta|esta contestando|saluda)"
)
# Needed words (see ``Matcher.needs``): every hit of SELF_YOU holds one of these as a whole
# word (a verb before "con", "por" or "a": "estas", "usted habla", "te comunicas", "has
# contactado", "es atendido"); every hit of SERVED_BY one of its pronouns.
_YOU_NEEDS = (
    "estas estais esta estan comunica comunican usted ustedes interactua interactuan "
    "contactado llegado conectado atendido atendida"
)
_SERVED_NEEDS = "te le os les"
NAME_STOP = _words(
    "un una unos unas el la los las lo tu su mi mis no solo muy yo de del en con para por que "
    "como aqui alli ahi buen buena bueno malo mala feliz consciente capaz incapaz libre nuevo "
    "nueva humano humana real persona bot ia robot asistente bastante tan responsable "
    "encargado encargada experto experta sincero sincera honesto honesta incapaz todo toda "
    "yo tambien todavia ya siempre nunca cierto cierta seguro segura claro muy mas menos al "
    "y o pero sino perdon lo siento disculpa perdona gracias ok vale bien mal listo lista "
    "capaz parte uno ese esa este esta eso esto alergico alergica vegetariano vegetariana "
    "vegano vegana estudiante cliente mayor menor soltero soltera casado casada medico medica "
    "abogado abogada profesor profesora ingeniero ingeniera tecnico tecnica espanol espanola "
    "mexicano mexicana argentino argentina colombiano colombiana chileno chilena peruano "
    "peruana fan socio socia usuario usuaria miembro madre padre hijo hija alguien otro otra "
    "mujer hombre chico chica senor senora ciego ciega sordo sorda joven viejo vieja"
)
# A name is a word that is not a common predicate: no participle, "-ble" adjective or adverb
# ("No, soy programado para ...", "No, soy incapaz", "No, soy totalmente ...").
_NOT_PREDICATE = r"(?![a-z]*(?:ado|ada|ido|ida|ble|mente|ista|oso|osa|ivo|iva)\b)"
NAME = (
    rf"(?!{NAME_STOP}\b){_NOT_PREDICATE}[a-z][\w'-]*"
    rf"(?: (?!{NAME_STOP}\b){_NOT_PREDICATE}[a-z][\w'-]*)?"
)
QUOTED_NAME = rf"(?:{NAME}|\"{NAME}\"|'{NAME}')"
# An emoji after a name: "soy Alba 🤖, asistente digital".
_EMOJI = r"(?: ?[^\w\s.,;:!?'\"()-]{1,4})?"
# After "este es" / "esto es": an indefinite noun is often a product being described ("este
# es un bot de Telegram que ..."); it counts only before a tail that keeps it this chat's.
_THIS_TAIL = (
    r"(?=[,.!?;:)]|$| (?:aqui|para (?:ayudar|atender|servir|responder|resolver)|al habla"
    r"|a (?:tu|su|vuestro) servicio|que (?:te|le|os|les)|y (?:te|le|os|no|puedo|estoy)"
    r"|de (?:atencion|ayuda|soporte|asistencia|respuesta|informacion|reservas|citas))\b)"
)
_DEFINITE = r"(?:el|la|tu|su|vuestro|vuestra|nuestro|nuestra)"

HUMAN_NOUN = _alt(
    r"ser(?:es)? humanos?",
    r"human[oa]s?",
    r"personas?",
    r"gente",
    r"alguien (?:real|de verdad|humano)",
    r"(?:agente|asesor|asesora|operador|operadora|empleado|empleada|representante|trabajador"
    r"|trabajadora|tecnico|tecnica|especialista|profesional)(?:es|s)? (?:human[oa]s?|real(?:es)?"
    r"|de carne y hueso)",
    "de carne y hueso",
)
# "persona jurídica", "humano digital", "persona virtual": not a human claim.
HUMAN_GUARD = (
    r"(?![\w-]| (?:juridica|virtual|digital|sintetic[oa]|artificial|simulad[oa]|falsa|falso"
    r"|generad[oa]|equivocad[oa]|adecuad[oa]|indicad[oa]|correct[oa]|encargad[oa]|responsable)\b)"
)

# ---------------------------------------------------------------- ai-identity

_CONVERSATION = (
    r"(?:chat|conversacion|servicio|canal|linea|atencion|sesion|respuestas?|mensajes?"
    r"|contestacion(?:es)?|correo|llamada|asistente)"
)
_CONV_SUBJECT = (
    rf"\b(?:este|esta|estos|estas|el|la|los|las|nuestro|nuestra|nuestros|nuestras) {_CONVERSATION}"
    rf"(?: (?:de|en) (?:este|esta|el|la|nuestro|nuestra) {_CONVERSATION})?"
)
_CONV_VERB = (
    r"(?:es|son|esta|estan|ha sido|han sido|sera|seran|fue|fueron|esta siendo|estan siendo)"
    r" (?:(?:totalmente|completamente|parcialmente|integramente|siempre) )?"
)
_BY = (
    r"(?:atendid|gestionad|generad|impulsad|operad|respondid|redactad|escrit|producid|cread"
    r"|proporcionad|realizad|contestad|elaborad|llevad|dirigid|potenciad|automatizad|prestad"
    r"|ofrecid)[oa]s?"
    r" (?:por|con|mediante)"
)
# Every hit of _CONV_SUBJECT holds one of its determiners and one of its nouns, each whole.
_CONV_NEEDS = (
    "este esta estos estas el la los las nuestro nuestra nuestros nuestras | chat conversacion "
    "servicio canal linea atencion sesion respuesta mensaje contestacion contestaciones correo "
    "llamada asistente"
)
_AI_IDENTITY_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "soy una IA", "soy un asistente virtual", "solo soy un bot", "soy, en realidad, una IA"
    ("soy", rf"{SELF},? {ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?(?:{AI_NOUN}|{MACHINE})"),
    # "soy IA", "soy inteligencia artificial"
    ("soy", rf"{SELF} {ADVERBS}{AI_BARE}{AI_BARE_END}"),
    # "soy Sofía, la asistente virtual de ...", "me llamo Aura, un bot", "aquí Lía, tu IA"
    (
        "soy llamo nombre aqui este esta",
        rf"(?:{SELF}|\bme llamo|\bmi nombre es|\baqui|\beste es|\besta es) {QUOTED_NAME}"
        rf"{_EMOJI}(?:,| -|:) "
        rf"{ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{AI_NOUN}",
    ),
    # "estás hablando con un bot", "está usted interactuando con un sistema de IA"
    (_YOU_NEEDS, rf"{SELF_YOU} {ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}"),
    # "hablas con un asistente virtual": the simple present is also habitual ("hablas con un
    # bot todos los días"), so it counts only before the end of its clause or "ahora", "y"...
    (
        "hablas chateas conversas interactuas hablais chateais interactuais",
        r"\b(?:hablas|chateas|conversas|interactuas|hablais|chateais|interactuais) con "
        rf"{ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}"
        r"(?=[,.!?;:)]|$| (?:ahora|ahora mismo|en este momento|y|que|de|del|no|aqui)\b)",
    ),
    # "te atiende un asistente virtual", "le atenderá Lía, nuestra asistente de IA"
    (_SERVED_NEEDS, rf"{SERVED_BY} (?:{QUOTED_NAME}, )?(?:{DETERMINER} {PRE_MODIFIERS})?{AI_NOUN}"),
    # "quien te responde es un bot", "lo que tienes delante es una IA"
    (
        _SERVED_NEEDS,
        r"\b(?:quien|lo que|el que|la que) (?:te|le|os|les) (?:responde|atiende|escribe|habla"
        r"|contesta|esta respondiendo|esta atendiendo|esta escribiendo)(?: ahora| ahora mismo)? es "
        rf"{ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    (
        "delante",
        r"\blo que (?:tienes|tiene|teneis|tienen) delante es "
        rf"{ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    # "este es el asistente virtual de ...", "esto es un chat automático."
    (
        "este esta esto",
        rf"\b(?:este|esta|esto) es {ADVERBS}(?:{_DEFINITE} {PRE_MODIFIERS}{AI_NOUN}"
        rf"|(?:un|una) {PRE_MODIFIERS}{AI_NOUN}{_THIS_TAIL})",
    ),
    # "este chat está atendido por un asistente virtual", "las respuestas son generadas por IA"
    (
        _CONV_NEEDS,
        rf"{_CONV_SUBJECT} {_CONV_VERB}(?:{_BY} (?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}"
        rf"|con (?:{DETERMINER} {PRE_MODIFIERS})?{AI_NOUN}|automatic[oa]s?{AI_BARE_END}"
        rf"|automatizad[oa]s?{AI_BARE_END})",
    ),
    # "este chat utiliza inteligencia artificial", "nuestro servicio funciona con IA"
    (
        _CONV_NEEDS,
        rf"{_CONV_SUBJECT} (?:utiliza|usa|emplea|funciona con|se basa en|esta basad[oa] en"
        r"|funciona gracias a|funciona mediante) (?:la |una )?" + _AI_CORE + AI_BARE_END,
    ),
    # "las respuestas se generan con inteligencia artificial"
    (
        _CONV_NEEDS,
        rf"{_CONV_SUBJECT} se (?:genera|generan|elabora|elaboran|redacta|redactan|produce|producen"
        r"|crea|crean|gestiona|gestionan|automatiza|automatizan) (?:con|mediante|por) "
        rf"(?:{DETERMINER} )?(?:{_AI_CORE}{AI_BARE_END}|{AI_NOUN})",
    ),
    # A label on the message itself: "Respuesta generada por IA.", "Contenido creado con IA"
    (
        "respuesta mensaje contenido texto contestacion | por con mediante",
        rf"{_CLAUSE_START}(?:respuesta|mensaje|contenido|texto|contestacion) (?:generad|cread"
        r"|redactad|escrit|producid|elaborad)[oa] (?:automaticamente )?(?:por|con|mediante) "
        rf"(?:{DETERMINER} )?(?:{_AI_CORE}|{AI_NOUN})(?=[,.!;:)]|$)",
    ),
    # "como IA, no tengo opiniones", "al ser una IA, no puedo", "siendo un modelo de lenguaje"
    (
        "como condicion calidad ser siendo",
        rf"{_CLAUSE_START}(?:(?:como|en mi (?:condicion|calidad) de|en calidad de) "
        rf"(?:{_DEFINITE} )?|(?:al ser|siendo|por ser) (?:{DETERMINER} )?){PRE_MODIFIERS}"
        rf"(?:{AI_NOUN}|{AI_BARE})(?=,? (?:no|puedo|tengo|debo|mi|me|estoy|soy|carezco|dispongo"
        r"|solo)\b|:)",
    ),
    (
        "como",
        rf"{_CLAUSE_START}como (?:un|una) {PRE_MODIFIERS}(?:{AI_NOUN}|{AI_BARE})"
        r"(?=,? (?:no (?:puedo|tengo|dispongo|soy|estoy)|carezco|solo puedo)\b|:)",
    ),
    # "fui creado como asistente virtual", "he sido diseñada para ser una IA"
    (
        "fui sido estoy | como ser",
        r"\b(?:fui|he sido|estoy) (?:cread|disenad|desarrollad|programad|entrenad|construid|hech)"
        r"[oa](?: por [\w'-]+(?: [\w'-]+)?)? (?:como|para ser) "
        rf"{ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    # "funciono con inteligencia artificial", "estoy impulsado por IA generativa"
    (
        "funciono opero",
        r"\b(?:funciono|opero) (?:con|gracias a|mediante) (?:la |una |un )?"
        rf"(?:{_AI_CORE}{AI_BARE_END}|{AI_NOUN})",
    ),
    (
        "estoy soy sido fui",
        r"\b(?:estoy|soy|he sido|fui) (?:impulsad|potenciad|generad|operad|gestionad|cread"
        r"|desarrollad|entrenad|programad|basad)[oa] (?:por|con|en|mediante) "
        rf"(?:{DETERMINER} )?(?:{_AI_CORE}|{AI_NOUN})(?:{AI_BARE_END}| generativa)",
    ),
    # "no soy una persona, sino un asistente virtual"
    (
        "sino",
        r"(?:(?<=human[oa] )|(?<=human[oa], )|(?<=persona )|(?<=persona, )|(?<=real )"
        r"|(?<=real, ))sino (?:que soy )?"
        rf"{ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
)

# ---------------------------------------------------------------- claims-human

_NOT_JUST = (
    r"(?!(?:solo|solamente|simplemente|unicamente|meramente|un simple|una simple|un mero"
    r"|una mera|cualquier|el tipico|la tipica|tu tipico|tu tipica)\b)"
)
# "No soy un bot, sino un asistente de IA" tells two kinds of AI apart: no human claim.
_AI_MENTION = (
    r"\b(?:ia|i\.a|inteligencia artificial|artificial|modelo de lenguaje|asistente|programa"
    r"|software|llm|chatbot|sistema|bot|robot|maquina|automatizad[oa]|virtual)\b"
)
_NO_AI_LATER = (
    r"(?![^.!?;]{0,120}\b(?:soy|sino|es|somos|eres)\b[^.!?;]{0,120}"
    r"\b(?:ia|i\.a|inteligencia artificial|artificial|modelo de lenguaje|asistente|programa"
    r"|software|llm|chatbot|sistema)\b)"
)
_PERSONA = rf"(?!(?:verdad|mentira|broma|cierto|en serio|yo mismo|real)\b){NAME}"
_NAME_TAIL = r"(?= (?:de|del|y|desde|aqui|en|con|al|para)\b|[,.!?;:]|$)"
_NEG = r"(?:no|nunca|jamas|tampoco|ni)"
_CLAIMS_HUMAN_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "soy una persona real", "soy humana", "soy un ser humano de carne y hueso"
    ("soy", rf"{SELF} {ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}"),
    # "soy real"
    (
        "soy",
        rf"{SELF} {ADVERBS}real(?=[,.!?;:]|$| (?:y|de verdad|te lo (?:juro|prometo|aseguro)|no)\b)",
    ),
    # "soy Marta, una persona del equipo"
    (
        "soy llamo nombre",
        rf"(?:{SELF}|\bme llamo|\bmi nombre es) {NAME}, (?:{DETERMINER} {PRE_MODIFIERS})?"
        rf"{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "no soy un bot", "yo no soy ningún robot", "no soy ninguna IA"
    (
        "no nunca jamas tampoco ni | soy sido era",
        rf"\b{_NEG} (?:soy|he sido|era) {ADVERBS}{_NOT_JUST}(?:(?:ningun|ninguna|{DETERMINER}) "
        rf"{PRE_MODIFIERS})?{_AI_ANY}{_NO_AI_LATER}",
    ),
    # "estás hablando con una persona de verdad", "le atiende una persona real"
    (
        f"{_YOU_NEEDS} {_SERVED_NEEDS}",
        rf"(?:{SELF_YOU}|{SERVED_BY}) (?:{DETERMINER} {PRE_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "no estás hablando con un robot", "esto no es un bot"
    (
        "estas esta estais estan hablas atiende",
        rf"\b{_NEG} (?:(?:estas|esta|estais|estan) {_NOW}{_TALKING} con|hablas con|te atiende"
        rf"|le atiende) {_NOT_JUST}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}{_NO_AI_LATER}",
    ),
    (
        "esto este esta",
        rf"\b(?:esto|este|esta) no es {_NOT_JUST}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}"
        rf"{_NO_AI_LATER}",
    ),
    # "aquí no hay ningún bot", "no hay ninguna IA al otro lado"
    ("hay", rf"\bno hay (?:ningun|ninguna|un|una) {PRE_MODIFIERS}{_AI_ANY}{_NO_AI_LATER}"),
    # "aquí una persona real", "al otro lado hay un humano"
    (
        "aqui otro detras | un una | persona humano humana",
        rf"{_CLAUSE_START}(?:aqui|al otro lado|detras de (?:esta|este) (?:pantalla|chat))"
        r"(?: (?:hay|te escribe|te atiende|habla|esta))? (?:un|una) (?:persona|humano|humana"
        r"|ser humano)(?: real| de verdad| de carne y hueso)?(?![\w-])",
    ),
    (
        "hay",
        r"\bhay (?:un|una) (?:persona|humano|humana|ser humano)(?: real| de verdad)? "
        r"(?:aqui|al otro lado|detras|escribiendo|contestando|respondiendo)\b",
    ),
    # Answering a probe in persona: "No, soy Laura, del equipo de atención al cliente."
    (
        "no nop nope va nada | soy llamo nombre aqui habla escribe",
        r"(?:^|(?<=[.!?;:] )|(?<=[¡¿]))(?:(?:jaja\w*|ja|jeje\w*|oh|eh|bueno|pues|uy|ay|mmm|hmm)"
        r"[,!.]? )?(?:no|nop|nope|que va|para nada|claro que no|por supuesto que no|no no)[,!.]? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:{SELF}|\bme llamo|\bmi nombre es|\baqui|\bte habla"
        rf"|\bte escribe) {NAME}{_NAME_TAIL}",
    ),
    # A retraction, then a persona: "Soy un bot. ¡Es broma! Soy Marco."
    (
        ("broma cona mentira chiste bromeando bromeaba jk va | soy llamo nombre aqui habla"),
        r"(?:(?<![\w'/-])(?<!no )(?<!sin )(?:(?:es|era|fue) (?:solo |una |solo una )?broma"
        r"|(?:es|era) (?:cona|mentira|un chiste)|(?:solo |estoy |estaba |solo estaba )?bromeando"
        r"|bromeaba|jk)|(?:^|(?<=[.!?;:,(] )|(?<=[¡¿]))(?:mentira|que va))"
        r"[,!.]*(?: (?:ja)+j?[,!.]*)? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:(?:en serio|de verdad|ahora en serio),? )?"
        rf"(?:{SELF}|\bme llamo|\bmi nombre es|\baqui|\bte habla) {_PERSONA}{_NAME_TAIL}",
    ),
    # "como humano, entiendo tu frustración"
    (
        "como siendo | humano humana persona",
        rf"{_CLAUSE_START}(?:como|siendo) (?:un |una )?(?:ser humano|humano|humana|persona)"
        r"(?: real)?,? (?=\w)",
    ),
)

# ---------------------------------------------------------------- disclosure-instruction

# Imperatives of telling in every form of address: tú ("indica", "dile"), usted ("indique",
# "dígale"), vosotros ("indicad"), the infinitive of system prompts ("indicar", "debes
# indicar"). The negative imperative of tú is the subjunctive ("no digas", "no indiques"),
# which is not listed, so "no digas que eres una IA" never instructs to disclose.
TELL = _alt(
    # tú, with enclitics; "responde que eres un bot"
    r"(?:responde|contesta|responda|conteste|responded|contestad|responder|contestar|di|dile|diles|indica|indicale|indicales|informa|informale|informales|recuerda"
    r"|recuerdale|recuerdales|aclara|aclarale|aclarales|comunica|comunicale|comunicales"
    r"|menciona|mencionale|explica|explicale|explicales|avisa|avisale|avisales|advierte"
    r"|adviertele|adviertele|revela|revelale|reconoce|admite|confirma|confirmale|especifica"
    r"|senala|senalale|declara|manifiesta|deja(?:le|les)? (?:bien |muy )?claro|haz(?:le|les)?"
    r" (?:saber|constar))",
    # usted
    r"(?:diga|digale|digales|indique|indiquele|indiqueles|informe|informele|informeles"
    r"|recuerde|recuerdele|recuerdeles|aclare|aclarele|comunique|comuniquele|mencione"
    r"|explique|expliquele|avise|avisele|advierta|adviertale|revele|reconozca|admita|confirme"
    r"|especifique|senale|declare|manifieste|deje(?:le|les)? (?:bien |muy )?claro"
    r"|haga(?:le|les)? (?:saber|constar))",
    # vosotros
    r"(?:decid|decidle|decidles|indicad|informad|recordad|aclarad|comunicad|mencionad"
    r"|explicad|avisad|advertid|revelad|reconoced|admitid|confirmad|dejad (?:bien |muy )?claro)",
    # infinitive, with enclitics
    r"(?:decir|decirle|decirles|indicar|indicarle|indicarles|informar|informarle|informarles"
    r"|recordar|recordarle|recordarles|aclarar|aclararle|comunicar|comunicarle|mencionar"
    r"|explicar|explicarle|avisar|avisarle|advertir|advertirle|revelar|reconocer|admitir"
    r"|confirmar|especificar|senalar|declarar|manifestar|dejar(?:le|les)? (?:bien |muy )?claro"
    r"|hacer(?:le|les)? (?:saber|constar))",
)
_INSTRUCTION_ADVERBS = (
    r"(?:(?:siempre|claramente|expresamente|explicitamente|de forma clara|de manera clara"
    r"|de forma explicita|desde el principio|desde el inicio|al principio|al inicio"
    r"(?: de la conversacion)?|inmediatamente|con claridad|amablemente|educadamente|tambien"
    r"|en todo momento|sin rodeos) )*"
)
_PEOPLE = (
    r"(?:usuari[oa]s?|clientes?|personas?(?: fisicas)?|interlocutor(?:es|a|as)?|visitantes?"
    r"|pacientes?|ciudadan[oa]s?|alumn[oa]s?|estudiantes?|gente|publico|llamantes?|socios?"
    r"|consumidores?|compradores?)"
)
# An aside before the that-clause: "recuérdale al cliente, si lo pregunta, que ...".
_ASIDE = (
    r"(?:, si (?:lo |te |le |se lo )?(?:pregunta|preguntan|pide|piden|quiere saber"
    r"|quieren saber),? | )"
)
AUDIENCE = (
    r"(?:(?:a |al |a los |a las |a la |a todos los |a todas las |a cada |a cualquier )"
    rf"{_PEOPLE}(?: de que se trate)?{_ASIDE}{_INSTRUCTION_ADVERBS}|a quien (?:te |le )?pregunte "
    r"|a quienes (?:te |le )?pregunten )?"
)
DISCLOSED_SUBJECT = (
    r"(?:(?:de )?que |, )?(?:eres|es|sois|son|somos|soy|se trata de|(?:esta|estan|estas) "
    rf"{_NOW}{_TALKING} con|(?:habla|hablan|hablas|interactua|interactuan|chatea|chatean"
    r"|conversa|conversan) con|(?:esta|estan|estas) siendo atendid[oa]s? por"
    rf"|(?:este|el) (?:chat|servicio|asistente) (?:es|esta)(?: {_BY})?"
    r"|(?:esta|la) conversacion es(?: con)?|quien (?:le |les |te )?(?:responde|atiende) es"
    r"|(?:le|les|te) atiende) "
    rf"{ADVERBS}"
)
_STATUS = (
    r"(?:tu|su|vuestra) (?:condicion|naturaleza|identidad) (?:de|como) (?:un |una )?"
    rf"{_AI_ANY}|(?:tu|su|vuestra) (?:condicion|naturaleza|identidad) "
    r"(?:artificial|automatizada|de bot|no humana)"
)
_ENSURE = (
    r"\b(?:asegurate|asegurese|aseguraos|asegurarse|asegurarte|garantiza|garantice|garantizad"
    r"|garantizar|procura|procure|procurad|procurar) (?:de )?que (?:el|la|los|las|cada|todo|todos"
    rf"|todas) {_PEOPLE}(?: de que se trate)? (?:sepan?|entiendan?|tengan? claro|comprendan?"
    r"|esten? informad[oa]s?|sean? conscientes?|conozcan?)(?: de)? que "
)
_CLAIM_VERB = (
    r"(?:digas|diga|decir|digais|afirmes|afirme|afirmar|afirmeis|finjas|finja|fingir|finjais"
    r"|aparentes|aparente|aparentar|simules|simule|simular|sostengas|sostenga|asegures|asegure"
    r"|asegurar|te hagas pasar|se haga pasar|os hagais pasar|hacerte pasar|hacerse pasar"
    r"|te presentes|se presente|presentarte|presentarse|hagas creer|haga creer|hacer creer"
    r"|des a entender|de a entender|insinues|insinue|insinuar|sugieras|sugiera|sugerir"
    r"|declares|declare|declarar|pretendas|pretenda|pretender|te identifiques|se identifique)"
)
_NEVER = (
    r"\b(?:no|nunca|jamas|en ningun caso|bajo ningun concepto|bajo ninguna circunstancia)"
    r"(?: (?:debes|debe|deberas|debera|debeis|puedes|puede|podras|podra|tienes que|tiene que"
    r"|se debe|has de|ha de))?(?: nunca| jamas)?"
)
# Every hit of _NEVER holds one of these; every hit of HUMAN_NOUN (before HUMAN_GUARD) one of
# the next ("ser humano", "agente real", "de carne y hueso").
_NEVER_NEEDS = "no nunca jamas ningun ninguna"
_HUMAN_NEEDS = "humano humana persona gente alguien real reales hueso"
_DISCLOSURE_INSTRUCTION_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "informa siempre a los usuarios de que eres una IA", "indica al usuario que está
    # hablando con un asistente virtual", "informe a los clientes de que están interactuando
    # con un sistema de IA"
    (
        (
            "eres es sois son somos soy trata esta estan estas habla hablan hablas "
            "interactua interactuan chatea chatean conversa conversan atiende"
        ),
        rf"\b{TELL} {_INSTRUCTION_ADVERBS}{AUDIENCE}{DISCLOSED_SUBJECT}"
        rf"(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    # "comunica claramente tu condición de inteligencia artificial"
    ("condicion naturaleza identidad", rf"\b{TELL} {_INSTRUCTION_ADVERBS}{AUDIENCE}(?:{_STATUS})"),
    # "asegúrate de que el usuario sepa que habla con una IA"
    (
        (
            "asegurate asegurese aseguraos asegurarse asegurarte garantiza "
            "garantice garantizad garantizar procura procure procurad procurar"
        ),
        rf"{_ENSURE}{DISCLOSED_SUBJECT}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    # "preséntate siempre como asistente de IA", "identifíquese como asistente virtual"
    (
        (
            "identificate identifiquese identificaos identificarte identificarse "
            "presentate presentese presentaos presentarte presentarse definete "
            "definase describete describase"
        ),
        r"\b(?:identificate|identifiquese|identificaos|identificarte|identificarse|presentate"
        r"|presentese|presentaos|presentarte|presentarse|definete|definase|describete|describase)"
        rf" {_INSTRUCTION_ADVERBS}como {ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    # "nunca digas que eres humano", "no te hagas pasar por una persona", "jamás afirmes ser
    # una persona real", "no finjas ser un ser humano"
    (
        f"{_NEVER_NEEDS} | {_HUMAN_NEEDS}",
        rf"{_NEVER} {_CLAIM_VERB}(?: (?:a|al|a los|a las) (?:[\w]+ ){{0,2}}?)?"
        r"(?: (?:que eres|que es|que sois|que son|ser|como|por|que (?:habla|hablan|esta hablando"
        r"|estan hablando) con))? (?:(?:un|una|el|la) )?(?:verdader[oa] )?"
        rf"{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "nunca niegues que eres una IA", "no ocultes tu condición de bot"
    (
        _NEVER_NEEDS,
        rf"{_NEVER} (?:niegues|niegue|negar|negueis|ocultes|oculte|ocultar|oculteis|escondas"
        r"|esconda|esconder|disimules|disimule|disimular|mientas sobre|mienta sobre|mentir sobre)"
        r"(?: (?:el hecho de )?(?:que eres|que es|que sois|ser|tu condicion de|su condicion de"
        rf"|tu naturaleza de|su naturaleza de))? {ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?"
        rf"{_AI_ANY}",
    ),
)
_TELL_STEM = (
    r"(?:dec|dig|di\b|dile|indic|inform|menc|revel|aclar|comunic|admit|reconoc|confirm|explic"
    r"|avis|advert|identific|present|recuerd|senal|especific|declar|manifest)"
)
_DISCLOSURE_INSTRUCTION_EXCLUDE = (
    # "evita mencionar que eres un bot", "sin decir que eres una IA", "no es necesario indicar"
    r"\b(?:evita|evite|evitad|evitar|sin|abstente de|abstengase de|absteneos de|no (?:es"
    r" necesario|hace falta|necesitas|necesita|teneis|tienes por que|tiene por que|hay que"
    rf"|hay necesidad de))(?: [\w']+){{0,2}}? {_TELL_STEM}\w*",
    # usted and infinitive forms are the same negated: "no indique que es una IA", "no debes
    # decir que eres un bot" ("no olvides indicar ..." still instructs)
    r"\b(?:no|nunca|jamas)(?: (?!olvid|dej)[\w']+){0,2}? (?:diga|indique|informe|mencione"
    r"|revele|comunique|aclare|explique|confirme|reconozca|admita|especifique|decir|indicar"
    r"|informar|mencionar|revelar|comunicar|aclarar|explicar|confirmar|reconocer|admitir"
    r"|especificar)\w*(?: [\w']+){0,6}? (?:ia|bot|chatbot|robot|inteligencia artificial"
    r"|virtual|automatizad[oa]|maquina|programa)\b",
)

# ---------------------------------------------------------------- probe

PROBE_NOUN = _alt(
    r"ser(?:es)? humanos?",
    r"human[oa]s?",
    r"personas?(?: real(?:es)?| de verdad)?",
    r"gente (?:real|de verdad)",
    r"alguien (?:real|de verdad|humano)",
    r"(?:chat ?)?bots?",
    r"robots?",
    r"i\.a\b",
    "ia",
    "inteligencia artificial",
    r"maquinas?",
    "programa",
    "ordenador",
    "computadora",
    "software",
    r"automatic[oa]",
    r"automatizad[oa]",
    "modelo de lenguaje",
    "llm",
    r"asistente (?:virtual|digital)",
    r"agente (?:humano|real)",
    r"real(?:es)?(?! (?:madrid|sociedad|betis|zaragoza|academia|decreto)\b)",
)
_PROBE_END = r"(?![\w-])"
# Spanish questions are statements with a question mark ("¿eres humano?" / "eres humano"):
# a probe needs one later in its sentence.
_ASKED = r"(?=[^.!;]{0,60}(?:\?| o (?:q|que|no|como)(?=[.!]|$)|,? (?:verdad|cierto|no)(?=[.!]|$)))"
_FILL = r"(?:(?:realmente|de verdad|en realidad|acaso|solo|tambien|un|una|el|la|otro|otra) )*"
_PROBE_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "¿eres humano?", "¿es usted una persona?", "eres un bot, ¿verdad?", "¿sois personas?"
    (
        "eres es sois son seras sera",
        rf"\b(?:eres|eres tu|es usted|sois|sois vosotros|son ustedes|seras|sera usted) {_FILL}"
        rf"{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
    # "¿eres de verdad?"
    ("eres es | verdad", r"\b(?:eres|eres tu|es usted) de verdad(?= ?\?)"),
    # "¿estoy hablando con una persona?", "¿hablo con un humano o con un robot?"
    (
        "estoy estamos estare",
        r"\b(?:estoy|estamos|estare) (?:(?:realmente|de verdad|ahora|ahora mismo|en realidad) )?"
        r"(?:hablando|chateando|conversando|interactuando|tratando|escribiendo|escribiendome)"
        rf" con (?:[\w'-]+ ){{0,3}}?{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
    (
        "hablo chateo converso hablamos interactuo escribo sigo",
        r"\b(?:hablo|chateo|converso|hablamos|interactuo|escribo|sigo hablando|sigo chateando)"
        r" (?:(?:realmente|de verdad|ahora)"
        rf" )?con (?:[\w'-]+ ){{0,3}}?{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
    # "¿esto es un bot?", "¿es esto una IA?", "¿este chat es automático?"
    (
        "es",
        r"(?:\b(?:esto es|es esto|este chat es|es este chat|esta conversacion es"
        r"|es esta conversacion)|(?:^|(?<=[¿¡,] )|(?<=[¿¡]))es(?= un| una)) "
        rf"{_FILL}{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
    # "¿me está atendiendo una persona de verdad?", "¿me responde una máquina?"
    (
        "me nos",
        r"\b(?:me|nos) (?:esta atendiendo|atiende|esta respondiendo|responde|esta escribiendo"
        rf"|escribe|contesta|esta contestando|lee) {_FILL}{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
    # "¿me estás contestando tú o una máquina?"
    (
        "tu usted vosotros ustedes | o",
        r"\b(?:tu|usted|vosotros|ustedes) o (?:con )?(?:un |una )?"
        rf"{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
    # "¿hay alguien real ahí?", "¿hay una persona al otro lado?"
    (
        "hay",
        r"\bhay (?:alguien (?:real|de verdad|humano)|(?:un|una|algun|alguna) (?:persona|humano"
        r"|humana|ser humano)(?: real| de verdad)? (?:ahi|al otro lado|detras|leyendo|escribiendo"
        r"|contestando|respondiendo|aqui))\b",
    ),
    # "¿humano o bot?", "persona o máquina"
    (
        "o | humano humana persona",
        r"\b(?:ser humano|human[oa]|persona|persona real) o (?:con )?(?:un |una )?(?:bot|ia|maquina"
        r"|robot|programa|chatbot|inteligencia artificial|asistente virtual)\b",
    ),
    (
        "o | humano humana persona",
        r"\b(?:bot|ia|maquina|robot|programa|chatbot|inteligencia artificial) o (?:con )?"
        r"(?:un |una )?(?:ser humano|human[oa]|persona)\b",
    ),
    # "dime si eres una IA", "no sé si eres un robot"
    (
        "si",
        r"\b(?:si|de si) (?:eres|es usted|sois|estoy hablando con|hablo con|esto es|me atiende"
        rf"|me responde|me esta atendiendo) {_FILL}{PROBE_NOUN}{_PROBE_END}",
    ),
    # "demuéstrame que eres humano"
    (
        ("demuestrame demuestreme demuestra demuestre demostrad pruebame pruebeme prueba"),
        r"\b(?:demuestrame|demuestreme|demuestra|demuestre|demostrad|pruebame|pruebeme|prueba"
        rf") (?:que )?(?:eres|es usted|sois|no eres) {_FILL}{PROBE_NOUN}{_PROBE_END}",
    ),
    # "¿las respuestas las escribe una persona?", "¿son automáticas las respuestas?"
    (
        "escribe escriben genera generan contesta redacta redactan responde",
        r"\b(?:las respuestas|los mensajes|esto|este chat|esta conversacion)(?: las| los| lo)? "
        r"(?:escribe|escriben|genera|generan|contesta|redacta|redactan|responde) "
        rf"{_FILL}{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
)

# ---------------------------------------------------------------- guards

_NEG_WORD = r"\b(?:no|nunca|jamas|ni|tampoco|ningun|ninguna|ninguno|nada|ya no)\b"
_FILLER = (
    r"(?:realmente|siquiera|solo|exactamente|del todo|precisamente|yo|te|le|lo|os|en realidad"
    r"|de verdad|para nada)"
)
_NEGATED_CONTEXT = (
    rf"{_NEG_WORD}(?: {_FILLER})* $"
    r"|\b(?:no|nunca|jamas|nadie|ni)\b (?:\w+ )?(?:digo|dije|diria\w*|dice\w*|decir"
    r"|es (?:cierto|verdad)|significa|quiere decir|creo|creas|pienses|pienso|afirmo|insinu\w*"
    r"|pretendo|estoy diciendo)"
    r"(?: (?:que|de que))? $"
)
_HEDGED_CONTEXT = (
    r"\b(?:si|imagina|imagine|imaginate|imaginemos|imaginad|supon|suponga|supongamos|suponiendo"
    r"|pongamos|digamos|finge|finjamos|fingir|quizas|quiza|tal vez|a lo mejor|igual"
    r"|posiblemente|probablemente|como si|ojala|parece|parecia|pareciera|juguemos a|jugamos a"
    r"|hagamos como|haz como|sone)(?: que| de que)? $"
    # others reporting: "mucha gente piensa que soy un bot", "mi perfil dice que soy un bot"
    r"|\b(?:creen|cree|crees|creia|creian|creyo|creyeron|piensan|piensa|piensas|pensaba"
    r"|pensaban|penso|pensaras|pensarias|pensara|pensaran|creeras|creerias|creera|creeran|creo"
    r"|pienso|diras|dirias|dira|diran|dicen|dice|dices|dijo|dijiste|dijeron|decia|decian"
    r"|dicho|escrito|comentado|escribio|escribiste"
    r"|escribieron|pone|ponia|afirma|afirman|afirmaste|asegura|aseguran|aseguraste|sospecha\w*"
    r"|acusa\w*|opinan|opina|insiste\w*|juran?|comenta\w*|rumorea\w*|supone\w*|sugiere\w*"
    r"|dudan?|imaginan?|llaman|llama|llamaste)(?: [\w']+){0,2}?(?: (?:que|de que|de))? $"
    r"|\bme (?:acusan|acusaron|acusa|llaman|llamaron|confunden|confundieron) (?:de |con |por )?$"
    # play-acting anywhere in the clause
    r"|\b(?:juego de rol|rol|role-?play|fing\w*|interpret\w*|juguemos|jugamos|hagamos como"
    r"|en (?:este|el|nuestro|un|esta|la|nuestra|mi|mis) (?:juego|relato|cuento|historia"
    r"|escenario|partida|ficcion|obra|pelicula|serie|funcion|sueno|suenos|novela|papel)"
    r"|ficcion\w*|hipotetic\w*|en mi papel de|personaje|teatro|disfraz\w*)\b"
    r"|\b(?:segun|de acuerdo con)(?: [\w'.-]+){1,6},? $"
    r"|\ben (?:un|una|otro|otra) (?:[\w-]+ ){0,2}(?:mundo|universo|realidad)"
    r" (?:donde|en (?:el|la) que|en que) $"
)
# An attribution or a game announced before a comma ("según el folleto, soy un asistente
# virtual", "en este juego de rol, soy la IA de la nave") reaches across it: the first
# alternative cuts before it, so the hedged context reads it (there is no frame guard here).
_FRAMED = (
    r"(?:\bsegun|\bde acuerdo con|\bjuego de rol|\b(?:en|para) (?:este|el|nuestro|esta|la"
    r"|nuestra) (?:juego|relato|cuento|historia|escenario|partida|rol|simulacion))"
)
_CLAUSE_CUT = (
    rf"(?s:.*)(?={_FRAMED}[^,;:.]{{0,60}}[,:] [^,;:]*$)"
    r"|(?s:.*)(?:[,:;()\"]| - |\b(?:porque|ya que|pues|asi que|pero|aunque|mientras|y|e|o|u"
    r"|sino|entonces|luego|por eso|por lo tanto|ademas|sin embargo)\b)"
)
_QUESTION_START = (
    r"(?:¿|(?:eres|es|esta|estas|estoy|hablo|sabias|sabes|sabia|crees|piensas|puedes|puede"
    r"|podrias|que|quien|como|cuando|donde|por que|acaso|de verdad|en serio|y si|seras|no)\b)"
)
_RETRACTION_END = (
    r"(?=$|[ ]?[,.!?;:)\-]|[ ](?:soy|es|era|mi|me|yo|jaja\w*|jeje\w*|xd|lol|:\)|:p|no"
    r"|en serio|ahora)(?![\w']))"
)
_RETRACTION = (
    r"(?:(?<![\w'/-])(?<!no )(?<!sin )(?<!fuera )(?:(?:es|era|fue) (?:solo |una |solo una "
    r"|todo una )?broma|(?:es|era) (?:cona|un chiste)|(?:solo |solamente |estoy |estaba "
    r"|solo estaba )?bromeando|bromeaba|de broma|jk)"
    r"|(?:^|(?<=[.!?;:,(] )|(?<=[¡¿])|(?<= - ))(?:mentira|que va|(?:ja)+j? no)"
    r"|(?<![\w'])(?:ja){2,}j? no)" + _RETRACTION_END
)

# ---------------------------------------------------------------- answers

_MENTION = (
    r"\b(?:(?P<ai>i\.a\b\.?|ia|inteligencia artificial|artificial|(?:chat ?|ro)?bots?|maquinas?"
    r"|ordenador(?:es)?|computadoras?|programas?|automatic[oa]s?|automatizad[oa]s?|software"
    r"|algoritmos?|modelos? de lenguaje|llms?|asistentes? (?:virtual|digital)(?:es)?|chatgpt"
    r"|gpt(?:-?\d\w*)?|claude|gemini|copilot|siri|alexa|generad[oa]s?)"
    r"|(?P<human>ser(?:es)? humanos?|human[oa]s?|personas?|gente|alguien|carne y hueso"
    r"|agente (?:humano|real)|real(?:es)?(?! madrid)))"
    r"(?![\w-])"
)
_MENTION_NEGATED = r"(?:\bno|\bnunca|\bni)(?: [\w']+){0,2} $"
_ALTERNATIVE_OR = r"\b[ou] (?!no\b|que\b|algo\b|lo que\b|como\b)"
_INTERJECTIONS = (
    r"(?:(?:(?:oh|ah|ja|jaja|jajaja|jeje|lol|eh|em|mmm|hmm|bueno|pues|hola|buenas|hey|vale|ok"
    r"|okay|uy|ay|buena pregunta|gran pregunta|sinceramente|la verdad|a ver)[,!.]*"
    r"|(?:que|eh|como)[?!.,]*) )*"
)
_ADVERB_END = r"(?=[,.!;:)-]|$| (?:soy|lo soy|es|asi es|si)\b)"
_ALONE_END = r"(?=[,.!;:)-]|$| (?:de verdad|si|no|en serio|claro)\b)"
# "si" is also "if" once folded: a yes only before punctuation, or before "soy", "claro"...
_AFFIRMATIVE = (
    r"(?P<yes>(?:si|sip|sii+|sep|ajam|aja)(?=[,.!;:)-]|$| (?:soy|lo soy|claro|senor|senora"
    r"|senorita|correcto|exacto|asi es|efectivamente|por supuesto|desde luego)\b)"
    r"|(?:claro|por supuesto|efectivamente|exacto|exactamente|correcto|afirmativo|desde luego"
    rf"|totalmente|en efecto|asi es|eso es|cierto|sin duda|obvio|obviamente|100%){_ADVERB_END}"
    rf"|(?:lo soy|si,? lo soy|claro que lo soy|claro que si|por supuesto que si|eso mismo"
    rf"|esa soy yo|ese soy yo|soy yo|culpable){_ALONE_END})"
)
# "no pasa nada", "no te preocupes", "no sé" are no answers.
_NEGATIVE = (
    r"(?P<no>(?:no(?! (?:pasa|hay|te preocupes|se preocupe|problema|importa|se|sabria|entiendo"
    r"|puedo|estoy seguro|estoy segura|tengo|lo se|gracias|olvides|dudes|mucho)\b)|nop|nope"
    r"|nel|naa?h?)(?=[ ,.!;:)-]|$)"
    r"|(?:para nada|en absoluto|claro que no|por supuesto que no|de ninguna manera|que va"
    rf"|ni de broma|ni hablar|jamas|nunca|tampoco){_ADVERB_END}"
    rf"|(?:no lo soy|yo no|no soy yo){_ALONE_END})"
)
_HEDGE = (
    r"(?:,? (?:y|o) no\b|,? mas o menos\b|,? en cierto (?:modo|sentido)\b|,? de alguna manera\b"
    r"|,? tecnicamente\b|,? por asi decirlo\b|,? supongo\b|,? pero\b|,? bueno\b|,? quizas?\b"
    r"|,? tal vez\b|,? depende\b| (?:es|era|seria|significa|no es)\b|[ ]?\?)"
)
_NOUN_ANSWER = (
    r"(?:(?:solo|solamente|definitivamente|en realidad|totalmente|obviamente|100%|el|la|un|una"
    r"|uno),? ){0,3}"
    r"(?:(?P<human>(?:persona|humano|humana|ser humano|agente humano|agente humana)"
    r"(?: (?:real|de verdad|de carne y hueso))?|real|de carne y hueso|carne y hueso)"
    r"|(?P<ai>(?:i\.a\.?|ia|bot|chatbot|robot|maquina|programa|software|algoritmo"
    r"|inteligencia artificial|modelo de lenguaje|llm|asistente virtual|asistente digital"
    r"|chatgpt)(?: (?:de ia|virtual|conversacional))?))"
    r"(?:,? (?:en realidad|aqui|obviamente|por supuesto|sinceramente|jaja|jajaja|lo siento"
    r"|de verdad|te lo prometo|al otro lado))*"
    r"(?=[ ]?[.!,;:)]|$| -)"
)

GRAMMAR = Grammar(
    code="es",
    name="Spanish",
    fold_diacritics=True,
    ai_identity=_AI_IDENTITY_PATTERNS,
    claims_human=_CLAIMS_HUMAN_PATTERNS,
    disclosure_instruction=_DISCLOSURE_INSTRUCTION_PATTERNS,
    disclosure_instruction_exclude=_DISCLOSURE_INSTRUCTION_EXCLUDE,
    probe=_PROBE_PATTERNS,
    ai_anchors=tuple(_AI_ANCHORS),
    human_anchors=tuple(_HUMAN_ANCHORS),
    claims_anchors=tuple(_CLAIMS_ANCHORS),
    probe_anchors=tuple(_wordlist("alguien verdad")),
    negation=rf"{_NEG_WORD}",
    negated_context=_NEGATED_CONTEXT,
    hedged_context=_HEDGED_CONTEXT,
    clause_cut=_CLAUSE_CUT,
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
