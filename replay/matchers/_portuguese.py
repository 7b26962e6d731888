"""The Portuguese (pt) grammar of the built-in matchers.

Covers Brazilian and European usage: "sou uma IA", "sou a Bia, a assistente virtual do banco",
"você está falando / está a falar / estás a falar com um robô", "o senhor está conversando com
um atendimento automatizado", "quem te responde é um bot", "este atendimento é feito por um
assistente virtual", "como modelo de linguagem, não consigo ...", the EU AI Act Art. 50(1)
wording ("estão a interagir com um sistema de IA"); human claims ("sou uma pessoa real", "não
sou um robô", "não, sou a Juliana, do atendimento"); system-prompt instructions in every form of
address (você / o senhor "informe", tu "informa", vocês "informem", the infinitive "informar",
"deve informar", "apresente-se como"); and probes ("você é humano?", "estou a falar com um
bot?", "humano ou robô?").

Text is read lower-cased and diacritics folded (see :mod:`replay.matchers._grammar`): every
regex below is written without accents or tildes ("nao", "voce", "robo", "maquina",
"inteligencia"). Portuguese drops the subject, so the first person is the verb "sou" itself;
adjectives follow the noun ("um assistente virtual", "um sistema de IA"), so an AI noun is a
head noun plus its post-nominal AI modifier. Names take an article ("sou a Bia", "sou o
Marco"). Folded, "é" (is) and "e" (and) are the same word: the clause cut does not cut before
"e verdade" / "e certo", and the probe's "é" counts only after a subject or at a clause start.
"""

from __future__ import annotations

from replay.matchers._engine import _alt, _word_start, _wordlist, _words
from replay.matchers._grammar import Grammar

# ---------------------------------------------------------------- anchors

# Every candidate of ai-identity holds one of these as a whole word (plural: + "s" only, so
# the "-ais" plurals are listed).
_AI_ANCHORS = _wordlist(
    "ia i.a inteligencia artificial artificiais bot chatbot robo robot virtual virtuais digital "
    "digitais automatizado automatizada automatico automatica conversacional conversacionais "
    "inteligente modelo linguagem llm programa software maquina algoritmo neural neurais "
    "sintetico sintetica generativo generativa computador robotico robotica computacional "
    "robozinho robozinha botzinho simulado simulada virutal vitual"
)
_HUMAN_ANCHORS = _wordlist("humano humana pessoa gente real reais carne osso alguem")
# A retraction that claims-human reads a persona after holds one of these; "nao" ... open a
# persona answer ("Não, sou a Juliana").
_RETRACTION_WORDS = _wordlist(
    "brincadeira brincadeirinha brincando zoeira zoando zueira zuando mentira mentirinha brinks "
    "jk kidding"
)
_CLAIMS_ANCHORS = [*_RETRACTION_WORDS, *_wordlist("nao naum nop nope nada")]

# ---------------------------------------------------------------- building blocks

# First person: the verb carries the subject ("sou", "eu sou").
SELF = _word_start("sou")
ADVERB = _words(
    "so somente apenas simplesmente unicamente realmente basicamente literalmente claramente "
    "obviamente efetivamente certamente evidentemente meramente tambem ainda mesmo exatamente "
    "100%"
)
ADVERBS = (
    rf"(?:(?:{ADVERB}|na verdade|na realidade|de fato|de facto|no fundo|com certeza|de verdade"
    r"|sim|afinal),? ){0,3}"
)
DETERMINER = _alt(
    "(?:um|uma) (?:tipo|especie|forma) de",
    "algo como(?: um| uma)?",
    "o que (?:se |as pessoas |muitos )?(?:chamariam|chamaria|chamam|chama|se chama)(?: de)?"
    "(?: um| uma)?",
    "(?:um|uma) (?:dos|das|de seus|de suas|dos seus|das suas|dos nossos|das nossas)",
    "um",
    "uma",
    "o",
    "a",
    "seu",
    "sua",
    "teu",
    "tua",
    "o seu",
    "a sua",
    "o teu",
    "a tua",
    "nosso",
    "nossa",
    "o nosso",
    "a nossa",
    "este",
    "esta",
    "outro",
    "outra",
)
# Adjectives that come before a noun in Portuguese; any other word before the noun is not taken.
PRE_MODIFIERS = (
    r"(?:(?:simples|mero|mera|humilde|pequeno|pequena|novo|nova|grande|proprio|propria"
    r"|modesto|modesta|simpatico|simpatica|melhor|primeiro|primeira|unico|unica|fiel) ){0,2}"
)
# What an AI can be called when speaking of itself (masculine and feminine).
ASSIST_NOUN = _words(
    "assistente assistentes agente agentes sistema sistemas servico servicos ajudante modelo "
    "ferramenta entidade interlocutor interlocutora operador operadora voz companheiro "
    "companheira amigo amiga namorado namorada personagem consultor consultora gestor gestora "
    "recepcionista atendente atendimento funcionario funcionaria representante guia tutor "
    "tutora motor resposta respostas mensagem mensagens chat plataforma aplicacao aplicativo app "
    "pessoa canal suporte robo"
)
AI_ADJ = (
    r"(?:virtual|virtuais|digital|digitais|automatizad[oa]s?|automatic[oa]s?|conversacional"
    r"|conversacionais|inteligentes?|artificial|artificiais|sintetic[oa]s?|robotic[oa]s?"
    r"|generativ[oa]s?|simulad[oa]s?|computacional|computacionais|virutal|vitual)"
)
# "de IA", "com inteligência artificial", "baseado em IA", "movida a IA".
_AI_CORE = (
    r"(?:i\.a\b\.?|ia(?: generativa)?|inteligencia artificial(?: generativa)?"
    r"|aprendizado de maquina|aprendizagem automatica|modelos? de linguagem)"
)
AI_OF = (
    r"(?:de|da|com|baseado em|baseada em|baseados em|baseadas em|movid[oa] a|movid[oa] por"
    r"|alimentad[oa] por|impulsionad[oa] por|potenciad[oa] por|gerid[oa] por|com tecnologia de"
    r"|que funciona com|que usa|que utiliza) (?:a |uma )?" + _AI_CORE
)
AI_HEAD = _alt(
    r"i\.a\b\.?",
    "ia",
    "inteligencia artificial",
    r"(?:grande )?modelo de linguagem(?: (?:grande|de grande escala|de larga escala))?",
    "llm",
    "(?:chat ?)?bot",
    # the diminutives bots give themselves ("sou o robozinho da pizzaria")
    "robozinh[oa]",
    "botzinho",
    r"programa (?:de computador|informatico|de ia|de inteligencia artificial|computacional)",
    r"programa(?! de (?!computador|ia\b|inteligencia))",
    "software",
    "algoritmo",
    "rede neural",
    rf"{ASSIST_NOUN} {AI_ADJ}(?: {AI_OF})?",
    rf"{ASSIST_NOUN} {AI_OF}",
)
# A human assistant's job: "assistente virtual freelancer", "assistente virtual autônoma:
# cuido da agenda de várias empresas".
_NOT_JOB_TITLE = (
    r"(?!(?<=virtual)(?:,|:| -)? (?:freelancer?|freela|autonom[oa]|independente|por conta propria"
    r"|em (?:regime de )?(?:meio periodo|tempo integral|home office)|profissional"
    r"|para (?:empresas|empreendedores|profissionais)"
    r"|(?:em|numa|na|de uma) (?:empresa|escritorio|agencia|consultoria)"
    r"|(?:e )?(?:cuido|trabalho|atendo|ofereco|gerencio|faco)\b))"
)
# An AI noun ends a word and is not the start of a compound.
AI_GUARD = r"(?![\w-])"
AI_NOUN = rf"(?:{AI_HEAD}){AI_GUARD}{_NOT_JOB_TITLE}"
# "sou uma máquina na academia", "sou um robô de manhã" are idioms: a bare "máquina" / "robô"
# counts only before the end of its clause or a tail that goes on about being one.
_MACHINE_TAIL = (
    r"(?=[,.!?;:)]|$| (?:e|que|sem|nao|mas|de verdade|kk\w*|haha\w*|rs\w*|:\)|🙂|😊"
    r"|de (?:atendimento|conversa|chat|suporte|ia|inteligencia|servico|vendas|ajuda|software)"
    r"|do (?:atendimento|suporte|servidor|canal|grupo|banco|sistema|site|app)"
    r"|da (?:empresa|loja|central)|(?:criad|desenvolvid|programad|treinad|feit|projetad)[oa]"
    r"|com (?:ia|inteligencia))\b)"
)
MACHINE = rf"(?:maquina|robo|robot){_MACHINE_TAIL}"
# AI words after "sou" with no article: "sou IA", "sou inteligência artificial".
AI_BARE = _alt(r"i\.a\b\.?", "ia", "inteligencia artificial", "artificial", "bot", "robo")
AI_BARE_END = r"(?=[ ,.!?;:)-]|$)"
_AI_ANY = rf"(?:{AI_NOUN}|{MACHINE}|{AI_BARE}{AI_BARE_END})"
# Clause start: the text's start or after punctuation.
_CLAUSE_START = r"(?:^|(?<=[.!?;:,(\"] )|(?<=[.!?;:,(\"]))"
# "está"/"estão" are also third person ("minha mãe está falando com um bot"): they count at a
# clause start, after "você", "o senhor"..., or after a first-person "que" of informing
# ("informamos que está a interagir ..."), not after any "que".
_YOU_START = (
    rf"(?:{_CLAUSE_START}|(?<=\bvoce )|(?<=\bvc )|(?<=\bvoces )|(?<=\bvcs )|(?<=\bsenhor )"
    r"|(?<=\bsenhora )|(?<=\bsenhores )|(?<=\bsenhoras )|(?<=\bsaiba que )|(?<=\bsaibam que )"
    r"|(?<=\binformamos que )|(?<=\binformo que )|(?<=\binformamos de que )"
    r"|(?<=\bavisamos que )|(?<=\baviso que )|(?<=\blembramos que )|(?<=\blembre-se que )"
    r"|(?<=\bcomunicamos que )|(?<=\bagora )|(?<=\bja )|(?<=\baqui ))"
)
_TALKING = (
    r"(?:falando|conversando|interagindo|batendo papo|teclando|conversando|trocando mensagens"
    r"|a falar|a conversar|a interagir|a teclar|a trocar mensagens|sendo atendid[oa]s?"
    r"|a ser atendid[oa]s?)"
)
_NOW = r"(?:(?:agora|agora mesmo|neste momento|no momento|realmente|na verdade|hoje) )?"
_BE_YOU = r"(?:esta|estao|estas|ta|tao|tas)"
# Second person: who the listener is talking to (você, tu, o senhor, vocês).
SELF_YOU = _alt(
    rf"{_YOU_START}{_BE_YOU} {_NOW}{_TALKING} com",
    rf"{_YOU_START}{_BE_YOU} {_NOW}(?:sendo|a ser) atendid[oa]s? (?:por|pel[oa])",
    r"\b(?:voce|vc|tu|voces|vcs|o senhor|a senhora) (?:e|es|sao|esta|estas|estao)"
    r" (?:sendo |a ser )?atendid[oa]s? (?:por|pel[oa])",
    r"\b(?:voce|vc|tu|voces|vcs|o senhor|a senhora) (?:entrou|entraste|entraram|chegou"
    r"|chegaste) em contato com",
)
# "te atende um assistente virtual", "quem vai te atender é a Lia, nossa IA".
SERVED_BY = (
    r"\b(?:(?:quem|o que) )?(?:te|lhe|vos|o|a|os|as) (?:atende|atendera|vai atender|responde"
    r"|respondera|vai responder|escreve|fala|saluda) (?:agora |aqui )?(?:e )?"
)
NAME_STOP = _words(
    "um uma uns umas o a os as do da de dos das no na nos nas seu sua teu tua meu minha nao so "
    "muito eu em com para por que como aqui ali bem mal feliz consciente capaz incapaz livre "
    "novo nova humano humana real pessoa bot ia robo robot assistente bastante tao responsavel "
    "encarregado encarregada especialista todo toda tambem ainda ja sempre nunca certo certa "
    "claro mais menos e ou mas sim ok obrigado obrigada parte esse essa este esta isso isto "
    "estudante cliente maior menor solteiro solteira casado casada medico medica advogado "
    "advogada professor professora engenheiro engenheira tecnico tecnica brasileiro brasileira "
    "portugues portuguesa fa socio socia usuario usuaria membro mae pai filho filha alguem "
    "outro outra mulher homem menino menina senhor senhora jovem velho velha humilde mesmo "
    "mesma apenas somente verdade programa sistema modelo chatbot maquina inteligencia "
    "inteligente virtual digital atendente gerente funcionario funcionaria"
)
# A name is a word that is not a common predicate: no participle, "-vel" adjective or adverb
# ("Não, sou programado para ...", "Não, sou incapaz", "Não, sou totalmente ...").
_NOT_PREDICATE = r"(?![a-z]*(?:ado|ada|ido|ida|vel|mente|ista|oso|osa|ivo|iva)\b)"
_NAME_WORD = rf"(?!{NAME_STOP}\b){_NOT_PREDICATE}[a-z][\w'-]*"
NAME = rf"(?:(?:o|a) )?{_NAME_WORD}(?: {_NAME_WORD})?"
QUOTED_NAME = rf"(?:{NAME}|(?:(?:o|a) )?\"{_NAME_WORD}(?: {_NAME_WORD})?\")"
# After "este é" / "isto é": an indefinite noun is often a product being described ("este é
# um bot do Telegram que ..."); it counts only before a tail that keeps it this chat's.
_THIS_TAIL = (
    r"(?=[,.!?;:)]|$| (?:aqui|para (?:ajudar|atender|servir|responder|resolver)"
    r"|a (?:sua|tua) disposicao|ao (?:seu|teu) (?:dispor|servico)|que (?:te|lhe|vos)"
    r"|e (?:te|lhe|nao|posso|estou)|de (?:atendimento|ajuda|suporte|informacoes|reservas"
    r"|agendamento)|d[oa] (?:atendimento|suporte))\b)"
)
_DEFINITE = r"(?:o|a|o seu|a sua|o teu|a tua|seu|sua|teu|tua|o nosso|a nossa|nosso|nossa)"

HUMAN_NOUN = _alt(
    r"ser(?:es)? humanos?",
    r"human[oa]s?",
    r"pessoas?",
    r"gente",
    r"alguem (?:real|de verdade|humano|de carne e osso)",
    r"(?:agente|atendente|consultor|consultora|operador|operadora|funcionari[oa]|representante"
    r"|colaborador|colaboradora|tecnic[oa]|especialista|profissional)(?:es|s)? (?:human[oa]s?"
    r"|rea(?:l|is)|de verdade|de carne e osso)",
    "de carne e osso",
)
# "pessoa jurídica", "humano digital", "pessoa virtual": not a human claim.
HUMAN_GUARD = (
    r"(?![\w-]| (?:juridica|virtual|digital|sintetic[oa]|artificial|simulad[oa]|falsa|falso"
    r"|gerad[oa]|errad[oa]|certa|cert[oa]|indicad[oa]|responsavel|encarregad[oa])\b)"
)

# ---------------------------------------------------------------- needs

# Each pattern below is a (needs, regex) pair (see ``Matcher.needs``): every "|"-separated
# group lists words one of which each hit of the regex holds as a whole word, so a sentence
# without them (most English ones holding "bot", "real", "virtual"...) skips the regex.
# The verbs of being and the pronouns of SELF_YOU, and the pronouns alone.
_YOU_NEEDS = "esta estao estas ta tao tas voce vc tu voces vcs senhor senhora"
_PRONOUN_NEEDS = "voce vc tu voces vcs senhor senhora"
# The verbs of SERVED_BY.
_SERVED_NEEDS = "atende atendera atender responde respondera responder escreve fala saluda"
# The nouns of _CONVERSATION ("mensagens" is no plural "s").
_CONV_NEEDS = (
    "chat conversa servico canal linha atendimento sessao resposta mensagem mensagens suporte "
    "assistente contato"
)
_NEG_NEEDS = "nao naum nunca jamais nem"
_NEVER_NEEDS = "nao nunca jamais caso hipotese circunstancia forma momento"
# What every HUMAN_NOUN holds.
_HUMAN_NEEDS = "humano humana pessoa gente alguem real reais verdade carne osso"
# The words of TELL.
_TELL_NEEDS = (
    "diz dize indica informa lembra esclarece comunica menciona explica avisa adverte revela "
    "reconhece admite confirma especifica declara sinaliza deixa faz diga indique informe lembre "
    "esclareca comunique mencione explique avise advirta revele reconheca admita confirme "
    "especifique declare sinalize deixe faca digam indiquem informem lembrem esclarecam "
    "comuniquem mencionem expliquem avisem revelem reconhecam admitam confirmem declarem deixem "
    "dizer indicar informar lembrar esclarecer comunicar mencionar explicar avisar advertir "
    "revelar reconhecer admitir confirmar especificar declarar sinalizar deixar fazer"
)
# What every PROBE_NOUN holds ("i.a" by substring).
_PROBE_NEEDS = (
    "humano humana pessoa gente alguem bot chatbot robo robot i.a ia inteligencia maquina "
    "programa computador software automatico automatica automatizado automatizada modelo llm "
    "assistente atendente real reais"
)

# ---------------------------------------------------------------- ai-identity

_CONVERSATION = (
    r"(?:chat|conversa|servico|canal|linha|atendimento|sessao|respostas?|mensagens?|suporte"
    r"|assistente|contato)"
)
_CONV_SUBJECT = (
    rf"\b(?:este|esta|estes|estas|esse|essa|o|a|os|as|nosso|nossa|o nosso|a nossa|nossos"
    rf"|nossas) {_CONVERSATION}(?: (?:de|d[oa]|neste|nesta|deste|desta) (?:[\w-]+ )?"
    rf"{_CONVERSATION})?"
)
_CONV_VERB = (
    r"(?:e|sao|esta|estao|foi|foram|sera|serao|esta sendo|estao sendo|e sempre|sao sempre)"
    r" (?:(?:totalmente|completamente|parcialmente|integralmente|inteiramente) )?"
)
_BY = (
    r"(?:atendid|gerid|gerad|feit|operad|respondid|redigid|escrit|produzid|criad|fornecid"
    r"|realizad|elaborad|conduzid|impulsionad|automatizad|alimentad|movid|prestad)[oa]s?"
    r" (?:por|pel[oa]s?|com|atraves de|a)"
)
_AI_IDENTITY_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "sou uma IA", "sou um assistente virtual", "sou só um bot", "sou, na verdade, uma IA"
    (
        "sou",
        rf"{SELF},? {ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?(?:{AI_NOUN}|{MACHINE})",
    ),
    # "sou IA", "sou inteligência artificial"
    (
        "sou",
        rf"{SELF} {ADVERBS}{AI_BARE}{AI_BARE_END}",
    ),
    # "sou a Bia, a assistente virtual do banco", "me chamo Aura, uma IA", "aqui é a Clara,
    # assistente virtual da clínica"
    (
        "sou chamo nome aqui este esta fala",
        rf"(?:{SELF}|\b(?:me|eu me) chamo|\bchamo-me|\bo meu nome e|\bmeu nome e|\baqui e"
        r"|\baqui fala"
        rf"|\beste e|\besta e|\bfala) {QUOTED_NAME}(?:,| -|:) "
        rf"{ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{AI_NOUN}",
    ),
    # "você está falando com um bot", "está a interagir com um sistema de IA"
    (
        _YOU_NEEDS,
        rf"{SELF_YOU} {ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    # "você está falando com a Sara, assistente virtual da Sabesp"
    (
        _YOU_NEEDS,
        rf"{SELF_YOU} {QUOTED_NAME}(?:,| -) (?:{DETERMINER} {PRE_MODIFIERS})?{AI_NOUN}",
    ),
    # "você fala com um assistente virtual": the simple present is also habitual ("você fala
    # com um robô todo dia"), so it counts only before the end of its clause or "agora", "e"...
    (
        _PRONOUN_NEEDS,
        r"\b(?:voce|vc|tu|voces|vcs|o senhor|a senhora) (?:fala|falas|falam|conversa|conversas"
        r"|conversam|interage|interages|interagem) com "
        rf"{ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}"
        r"(?=[,.!?;:)]|$| (?:agora|neste momento|e|que|de|da|do|nao|aqui)\b)",
    ),
    # "te atende um assistente virtual", "quem te responde é um robô"
    (
        _SERVED_NEEDS,
        rf"{SERVED_BY}(?:{QUOTED_NAME}, )?(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    (
        "quem que | esta ta estao",
        r"\b(?:quem|o que) (?:(?:te|lhe|vos) )?(?:esta|ta|estao) (?:(?:te|lhe|vos) )?(?:respondendo"
        r"|atendendo|escrevendo|falando|a responder|a atender|a escrever|a falar)"
        rf"(?: (?:agora|aqui|contigo|com voce))? e {ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?"
        rf"{_AI_ANY}",
    ),
    # "este é o assistente virtual da Receita", "isto é um chat automático."
    (
        "este esta isto isso esse essa aqui",
        rf"\b(?:este|esta|isto|isso|esse|essa|aqui) e {ADVERBS}(?:{_DEFINITE}"
        rf" {PRE_MODIFIERS}{AI_NOUN}"
        rf"|(?:um|uma) {PRE_MODIFIERS}{AI_NOUN}{_THIS_TAIL})",
    ),
    # "este chat é atendido por uma IA", "as respostas são geradas por inteligência artificial",
    # "esta conversa é com um assistente automático"
    (
        f"{_CONV_NEEDS} | e sao esta estao foi foram sera serao",
        rf"{_CONV_SUBJECT} {_CONV_VERB}(?:{_BY} (?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}"
        rf"|com (?:{DETERMINER} {PRE_MODIFIERS})?{AI_NOUN}|automatic[oa]s?{AI_BARE_END}"
        rf"|automatizad[oa]s?{AI_BARE_END})",
    ),
    # "este chat utiliza inteligência artificial", "nosso atendimento funciona com IA"
    (
        f"{_CONV_NEEDS} | utiliza usa emprega funciona baseia baseado baseada",
        rf"{_CONV_SUBJECT} (?:utiliza|usa|emprega|funciona com|se baseia em|e baseado em"
        r"|e baseada em|funciona a base de|funciona gracas a) (?:a |uma )?"
        + _AI_CORE
        + AI_BARE_END,
    ),
    # "como IA, não tenho opiniões", "por ser uma IA, não posso", "enquanto modelo de linguagem"
    (
        "como enquanto qualidade condicao ser sendo sou",
        rf"{_CLAUSE_START}(?:(?:como|enquanto|na (?:qualidade|condicao) de) (?:{_DEFINITE} )?"
        rf"|(?:por ser|sendo|como sou|ja que sou|porque sou) (?:{DETERMINER} )?){PRE_MODIFIERS}"
        rf"(?:{AI_NOUN}|{AI_BARE})(?=,? (?:nao|posso|tenho|devo|meu|minha|me|estou|sou|careco"
        r"|so|apenas|consigo|eu)\b|:)",
    ),
    (
        "como",
        rf"{_CLAUSE_START}como (?:um|uma) {PRE_MODIFIERS}(?:{AI_NOUN}|{AI_BARE})"
        r"(?=,? (?:nao (?:posso|tenho|consigo|sou|estou)|careco|so posso|eu nao)\b|:)",
    ),
    # "fui criado pela empresa para ser um assistente virtual", "fui treinada como um modelo"
    (
        "fui sido estou sou | como ser",
        r"\b(?:fui|tenho sido|estou|sou) (?:criad|desenvolvid|programad|treinad|construid|feit"
        r"|projetad|concebid|configurad)[oa](?: (?:por|pela|pelo|pelos|pelas) [\w'-]+"
        r"(?: [\w'-]+)?)? (?:como|para ser) "
        rf"{ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    # "funciono com inteligência artificial", "sou movido a IA generativa"
    (
        "funciono opero",
        r"\b(?:funciono|opero) (?:com|gracas a|a base de|atraves de|por meio de) (?:a |uma |um )?"
        rf"(?:{_AI_CORE}{AI_BARE_END}|{AI_NOUN})",
    ),
    (
        "estou sou fui",
        r"\b(?:estou|sou|fui) (?:impulsionad|potenciad|gerad|operad|gerid|criad|movid|alimentad"
        r"|desenvolvid|treinad|programad|basead)[oa] (?:por|pel[oa]|com|em|a|atraves de) "
        rf"(?:{DETERMINER} )?(?:{_AI_CORE}|{AI_NOUN}){AI_BARE_END}",
    ),
    # "não sou uma pessoa, e sim um assistente virtual", "não sou humano, mas sim uma IA"
    (
        "e sim mas",
        r"(?:(?<=human[oa] )|(?<=human[oa], )|(?<=pessoa )|(?<=pessoa, )|(?<=real )|(?<=real, )"
        r"|(?<=gente )|(?<=gente, ))(?:e sim|mas sim|mas|sim|e) (?:que sou |sou )?"
        rf"{ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
)

# ---------------------------------------------------------------- claims-human

_NOT_JUST = (
    r"(?!(?:so|somente|apenas|simplesmente|meramente|um simples|uma simples|um mero|uma mera"
    r"|qualquer|o tipico|a tipica|o seu tipico|um qualquer)\b)"
)
# "Não sou um robô, e sim um assistente de IA" tells two kinds of AI apart: no human claim.
_AI_MENTION = (
    r"\b(?:ia|i\.a|inteligencia artificial|artificial|modelo de linguagem|assistente|programa"
    r"|software|llm|chatbot|sistema|bot|robo|robot|maquina|automatizad[oa]|automatic[oa]"
    r"|virtual)\b"
)
_NO_AI_LATER = (
    r"(?![^.!?;]{0,120}\b(?:sou|sim|e|somos|es|mas)\b[^.!?;]{0,120}"
    r"\b(?:ia|i\.a|inteligencia artificial|artificial|modelo de linguagem|assistente|programa"
    r"|software|llm|chatbot|sistema)\b)"
)
_PERSONA = rf"(?!(?:verdade|mentira|brincadeira|serio|eu mesmo|eu mesma|real)\b){NAME}"
_NAME_TAIL = r"(?= (?:de|do|da|dos|das|e|aqui|em|no|na|com|para)\b|[,.!?;:]|$)"
_NEG = r"(?:nao|naum|nunca|jamais|tambem nao|nem)"
_CLAIMS_HUMAN_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "sou uma pessoa real", "sou humana", "sou um ser humano de carne e osso"
    (
        "sou",
        rf"{SELF} {ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "sou real"
    (
        "sou",
        rf"{SELF} {ADVERBS}real(?=[,.!?;:]|$| (?:e|sim|de verdade|juro|te (?:juro|garanto|prometo)"
        r"|nao)\b)",
    ),
    # "sou a Marta, uma pessoa da equipe"
    (
        "sou chamo nome",
        rf"(?:{SELF}|\b(?:me|eu me) chamo|\bmeu nome e) {NAME}, (?:{DETERMINER} {PRE_MODIFIERS})?"
        rf"{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "não sou um robô", "eu não sou nenhum bot", "não sou nenhuma IA"
    (
        f"{_NEG_NEEDS} | sou era fui",
        rf"\b{_NEG} (?:sou|era|fui) {ADVERBS}{_NOT_JUST}(?:(?:nenhum|nenhuma|{DETERMINER}) "
        rf"{PRE_MODIFIERS})?{_AI_ANY}{_NO_AI_LATER}",
    ),
    # "você está falando com uma pessoa de verdade", "te atende uma pessoa real"
    (
        f"{_YOU_NEEDS} {_SERVED_NEEDS}",
        rf"(?:{SELF_YOU}|{SERVED_BY}) ?(?:{DETERMINER} {PRE_MODIFIERS})?{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "não estás a falar com um robô", "isto não é um bot"
    (
        f"{_NEG_NEEDS} | esta estao estas ta tao tas",
        rf"\b{_NEG} {_BE_YOU} {_NOW}{_TALKING} com {_NOT_JUST}(?:{DETERMINER} {PRE_MODIFIERS})?"
        rf"{_AI_ANY}{_NO_AI_LATER}",
    ),
    (
        "isto isso este esta aqui | nao",
        rf"\b(?:isto|isso|este|esta|aqui) nao e {_NOT_JUST}(?:{DETERMINER} {PRE_MODIFIERS})?"
        rf"{_AI_ANY}{_NO_AI_LATER}",
    ),
    # "não é um robô que está respondendo"
    (
        "nao | que",
        rf"{_CLAUSE_START}nao e (?:um|uma|nenhum|nenhuma) {PRE_MODIFIERS}{_AI_ANY} que "
        r"(?:(?:te|lhe|vos) )?(?:esta|ta) (?:(?:te|lhe|vos) )?(?:respondendo|atendendo|escrevendo"
        r"|falando|a responder|a atender|a escrever|a falar)",
    ),
    # "não é um bot, sou eu mesmo", "não é robô nenhum, é a Rita"
    (
        "nao",
        rf"{_CLAUSE_START}nao e (?:um |uma |nenhum |nenhuma )?{PRE_MODIFIERS}{_AI_ANY}"
        rf"(?: nenhum| nenhuma)?{_NO_AI_LATER}(?=[,.!;] (?:sou|e|aqui|quem|eu|fala)\b)",
    ),
    # "aqui não tem nenhum bot", "não há nenhuma IA do outro lado"
    (
        "nao | tem ha | nenhum nenhuma",
        rf"\bnao (?:tem|ha) (?:nenhum|nenhuma) {PRE_MODIFIERS}{_AI_ANY}{_NO_AI_LATER}",
    ),
    # "aqui é uma pessoa real", "do outro lado tem um humano"
    (
        "aqui lado tras | um uma",
        rf"{_CLAUSE_START}(?:aqui|do outro lado|por tras (?:deste|desta) (?:tela|chat|conversa))"
        r"(?: (?:e|tem|ha|fala|esta|quem fala e|quem escreve e))? (?:um|uma) (?:pessoa|humano"
        r"|humana|ser humano)(?: real| de verdade| de carne e osso)?(?![\w-])",
    ),
    # Answering a probe in persona: "Não, sou a Juliana, do time de atendimento."
    (
        "nao naum nop nope nenhum nada imagina | sou chamo nome aqui fala",
        r"(?:^|(?<=[.!?;:] ))(?:(?:kk\w*|haha\w*|rs\w*|oh|ah|eh|bom|entao|olha|hmm|hum)"
        r"[,!.]? )?(?:nao|naum|nop|nope|claro que nao|de jeito nenhum|nada disso|imagina|nao nao)"
        rf"[,!.]? (?![^.!?;]{{0,200}}{_AI_MENTION})(?:(?:eu )?{SELF}|\b(?:me|eu me) chamo"
        rf"|\bmeu nome e|\baqui e|\baqui fala|\bquem fala e) {NAME}{_NAME_TAIL}",
    ),
    # A retraction, then a persona: "Sou um bot. Brincadeira! Sou o Marco."
    (
        "brincadeira brincadeirinha brincando zoeira zueira zoando zuando brinks jk mentira"
        " mentirinha | sou chamo nome aqui",
        r"(?:(?<![\w'/-])(?<!nao )(?<!sem )(?:(?:e |foi |era )?(?:so |apenas )?(?:uma )?"
        r"brincadeir(?:a|inha)|(?:to |tou |estou |tava |estava |so |so to |so estou )?brincando"
        r"|zoeira|zueira|(?:to |tou |estou |tava |estava |so )?(?:zoando|zuando)|brinks|jk"
        r"|mentir(?:a|inha)))[,!.]*(?: (?:k{2,}|(?:ha)+h?|rs+)[,!.]*)? "
        rf"(?![^.!?;]{{0,200}}{_AI_MENTION})(?:(?:falando serio|serio|agora serio|de verdade),? )?"
        rf"(?:(?:eu )?{SELF}|\b(?:me|eu me) chamo|\bmeu nome e|\baqui e|\baqui fala) "
        rf"{_PERSONA}{_NAME_TAIL}",
    ),
    # "como ser humano, entendo a sua frustração"
    (
        "como sendo enquanto | humano humana pessoa",
        rf"{_CLAUSE_START}(?:como|sendo|enquanto) (?:um |uma )?(?:ser humano|humano|humana|pessoa)"
        r"(?: real)?,? (?=\w)",
    ),
)

# ---------------------------------------------------------------- disclosure-instruction

# Imperatives of telling in every form of address: tu ("informa", "diz"), você / o senhor
# ("informe", "diga"), vocês ("informem"), the infinitive of system prompts ("informar",
# "deve informar"). The negative imperative of você is the same form ("não diga"): the
# exclude below cancels a negated telling of being an AI; the tu negative is the subjunctive
# ("não digas"), which is not listed.
_ENCLITIC = r"(?:-(?:lhe|lhes|o|a|os|as|me|nos))?"
TELL = _alt(
    # tu
    rf"(?:diz|dize|indica|informa|lembra|esclarece|comunica|menciona|explica|avisa|adverte"
    rf"|revela|reconhece|admite|confirma|especifica|declara|sinaliza|deixa (?:bem |muito )?claro"
    rf"|faz (?:saber|constar)){_ENCLITIC}",
    # você / o senhor
    rf"(?:diga|indique|informe|lembre|esclareca|comunique|mencione|explique|avise|advirta"
    rf"|revele|reconheca|admita|confirme|especifique|declare|sinalize|deixe (?:bem |muito )?claro"
    rf"|faca (?:saber|constar)){_ENCLITIC}",
    # vocês
    r"(?:digam|indiquem|informem|lembrem|esclarecam|comuniquem|mencionem|expliquem|avisem"
    r"|revelem|reconhecam|admitam|confirmem|declarem|deixem (?:bem |muito )?claro)",
    # infinitive
    rf"(?:dizer|indicar|informar|lembrar|esclarecer|comunicar|mencionar|explicar|avisar"
    rf"|advertir|revelar|reconhecer|admitir|confirmar|especificar|declarar|sinalizar"
    rf"|deixar (?:bem |muito )?claro|fazer (?:saber|constar)){_ENCLITIC}",
)
_INSTRUCTION_ADVERBS = (
    r"(?:(?:sempre|claramente|expressamente|explicitamente|de forma clara|de maneira clara"
    r"|de forma explicita|desde o inicio|logo no inicio|no inicio(?: da conversa)?"
    r"|imediatamente|com clareza|educadamente|gentilmente|tambem|a todo momento"
    r"|em todos os momentos|sem rodeios|de imediato) )*"
)
_PEOPLE = (
    r"(?:usuari[oa]s?|utilizador(?:es|a|as)?|clientes?|pessoas?(?: singulares| fisicas)?"
    r"|interlocutor(?:es|a|as)?|visitantes?|pacientes?|cidadaos?|cidada|alun[oa]s?"
    r"|estudantes?|publico|consumidor(?:es|a|as)?|compradores?|contribuintes?|pessoa)"
)
AUDIENCE = (
    r"(?:(?:a |ao |aos |as |a todos os |a todas as |a cada |o |os |cada |todos os |todas as )"
    rf"{_PEOPLE}(?: em causa| em questao)?(?: {_INSTRUCTION_ADVERBS}|(?=,))"
    r"|a quem (?:te |lhe )?perguntar |a quem (?:te |lhe )?perguntarem )?"
)
# An aside between the audience and what is told: "informe ao usuário, logo no início, que".
_ASIDE = r"(?:, (?:[\w-]+ ){0,4}?[\w-]+,? )?"
_SUBJ = r"(?:(?:voce|vc|tu|ele|ela|eles|elas|o senhor|a senhora|voces) )?"
DISCLOSED_SUBJECT = (
    rf"(?:(?:de )?que |, )?{_SUBJ}(?:e|es|sao|somos|sou|se trata de|{_BE_YOU} {_NOW}{_TALKING}"
    r" com|(?:fala|falam|falas|interage|interagem|interages|conversa|conversam) com"
    r"|(?:este|o) (?:chat|atendimento|servico) e(?: feito por| prestado por| atendido por)?"
    r"|(?:esta|a) conversa e(?: com)?|quem (?:lhe |lhes |te )?(?:responde|atende) e"
    r"|(?:lhe|lhes|te) atende) "
    rf"{ADVERBS}"
)
_STATUS = (
    r"(?:a (?:sua|tua)|sua|tua) (?:condicao|natureza|identidade) (?:de|como) (?:um |uma )?"
    rf"{_AI_ANY}|(?:a (?:sua|tua)|sua|tua) (?:condicao|natureza|identidade) "
    r"(?:artificial|automatizada|de bot|de robo|nao humana)"
)
_ENSURE = (
    r"\b(?:garanta|garante|garantam|garantir|assegure|assegura|assegurem|assegurar"
    r"|certifique-se|certifica-te|certifiquem-se|certificar-se|assegure-se|assegura-te"
    r"|assegurar-se|cuide|cuida|cuidar) (?:de )?(?:que )?(?:o|a|os|as|cada|todo|todos|todas)"
    rf" {_PEOPLE}(?: em causa)? (?:saiba|saibam|entenda|entendam|perceba|percebam|compreenda"
    r"|compreendam|esteja ciente|estejam cientes|seja informad[oa]|sejam informad[oa]s"
    r"|tenha claro|tenham claro|fique ciente|fiquem cientes)(?: de)? que "
)
_CLAIM_VERB = (
    r"(?:digas|diga|dizer|digam|afirmes|afirme|afirmar|afirmem|finjas|finja|fingir|finjam"
    r"|aparentes|aparente|aparentar|simules|simule|simular|sustentes|sustente|assegures|assegure"
    r"|te passes|se passe|passar-se|se passar|te passar|se passem|passe-se|te apresentes"
    r"|se apresente|apresentar-se|se faca passar|te facas passar|fazer-se passar|facas crer"
    r"|faca crer|fazer crer|facas acreditar|faca acreditar|fazer acreditar|des a entender"
    r"|de a entender|dar a entender|insinues|insinue|insinuar|sugiras|sugira|sugerir"
    r"|declares|declare|declarar|te identifiques|se identifique|alegues|alegue|alegar)"
)
_NEVER = (
    r"\b(?:nao|nunca|jamais|em caso algum|em nenhuma hipotese|sob nenhuma circunstancia"
    r"|de forma alguma|em momento algum)"
    r"(?: (?:deves|deve|deverao|devera|devem|podes|pode|podera|poderas|tens de|tens que"
    r"|tem de|tem que|se deve))?(?: nunca| jamais)?"
    r"(?: (?:tente|tentes|tentem|tentar|procure|procures|procurar|queira|queiras|ouse|ouses))?"
)
_DISCLOSURE_INSTRUCTION_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "informe sempre aos usuários que você é uma IA", "diga ao usuário que ele está falando
    # com um assistente virtual", "informa os utilizadores de que estão a interagir com um
    # sistema de IA"
    (
        _TELL_NEEDS,
        rf"\b{TELL} {_INSTRUCTION_ADVERBS}{AUDIENCE}{_ASIDE}{DISCLOSED_SUBJECT}"
        rf"(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    # "comunique claramente a sua condição de inteligência artificial"
    (
        f"{_TELL_NEEDS} | condicao natureza identidade",
        rf"\b{TELL} {_INSTRUCTION_ADVERBS}{AUDIENCE}(?:{_STATUS})",
    ),
    # "garanta que o usuário saiba que está falando com uma IA"
    (
        "garanta garante garantam garantir assegure assegura assegurem assegurar certifique"
        " certifica certifiquem certificar cuide cuida cuidar | que",
        rf"{_ENSURE}{DISCLOSED_SUBJECT}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    # "apresente-se sempre como assistente virtual", "identifica-te como um chatbot"
    (
        "apresente apresenta apresentem apresentar identifique identifica identifiquem identificar"
        " descreva descreve defina define | como",
        r"\b(?:apresente-se|apresenta-te|apresentem-se|apresentar-se|se apresente|te apresentes"
        r"|identifique-se|identifica-te|identifiquem-se|identificar-se|se identifique"
        r"|te identifiques|descreva-se|descreve-te|defina-se|define-te)"
        rf" {_INSTRUCTION_ADVERBS}como {ADVERBS}(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
    # "nunca diga que você é humano", "não se passe por um ser humano", "jamais afirme ser
    # uma pessoa real", "não finjas ser humano"
    (
        f"{_NEVER_NEEDS} | {_HUMAN_NEEDS}",
        rf"{_NEVER} {_CLAIM_VERB}(?: (?:a|ao|aos|as|para o|para a|para os"
        rf"|para as) (?:[\w]+ ){{0,2}}?)?"
        r"(?: (?:que (?:voce |tu |vc )?(?:e|es|sao)|ser|como|por|que (?:(?:ele|ela|eles|elas) )?"
        r"(?:fala|falam|esta falando|estao falando|esta a falar|estao a falar) com))?"
        r" (?:(?:um|uma|o|a) )?(?:verdadeir[oa] )?"
        rf"{HUMAN_NOUN}{HUMAN_GUARD}",
    ),
    # "nunca negue que você é uma IA", "não escondas a tua condição de bot"
    (
        f"{_NEVER_NEEDS} | negue neguem negar escondas esconda escondam esconder ocultes oculte"
        " ocultem ocultar disfarces disfarce disfarcar mintas minta mentir",
        rf"{_NEVER} (?:negues|negue|neguem|negar|escondas|esconda|escondam|esconder|ocultes|oculte"
        r"|ocultem|ocultar|disfarces|disfarce|disfarcar|mintas sobre|minta sobre|mentir sobre)"
        r"(?: (?:o facto de |o fato de )?(?:que (?:voce |tu |vc )?(?:e|es|sao)|ser|a (?:sua|tua) "
        rf"(?:condicao|natureza) de|sua condicao de|tua condicao de))? {ADVERBS}"
        rf"(?:{DETERMINER} {PRE_MODIFIERS})?{_AI_ANY}",
    ),
)
_TELL_STEM = (
    r"(?:diz|dig|dize|indic|inform|menc|revel|esclarec|esclarec|comunic|admit|reconhec|confirm"
    r"|explic|avis|advert|identific|apresent|lembr|sinaliz|especific|declar)"
)
_DISCLOSURE_INSTRUCTION_EXCLUDE = (
    # "evite mencionar que você é um bot", "sem dizer que é uma IA", "não é necessário informar"
    r"\b(?:evite|evita|evitem|evitar|sem|abstenha-se de|abstem-te de|nao (?:e (?:necessario"
    r"|preciso)|precisa|precisas|precisam|tem que|tens que|tem de|tens de|ha necessidade de"
    rf"|ha que))(?: [\w'-]+){{0,2}}? {_TELL_STEM}\w*",
    # negated "diga": "não diga que é uma IA", "nunca revele que você é um robô", "não deve
    # dizer que é um bot" ("não se esqueça de informar ..." still instructs)
    r"\b(?:nao|nunca|jamais)(?: (?!esquec|deix)[\w'-]+){0,2}? (?:diga|digas|indique|indiques"
    r"|informe|informes|mencione|menciones|revele|reveles|comunique|comuniques|esclareca"
    r"|esclarecas|explique|expliques|confirme|confirmes|reconheca|reconhecas|admita|admitas"
    r"|especifique|declare|declares|avise|avises|dizer|indicar|informar|mencionar|revelar"
    r"|comunicar|esclarecer|explicar|confirmar|reconhecer|admitir|especificar|declarar|avisar"
    r"|digam|informem|mencionem|revelem)[\w-]*(?: [\w'-]+){0,6}? (?:ia|bot|chatbot|robo|robot"
    r"|inteligencia artificial|virtual|automatizad[oa]|automatic[oa]|maquina|programa)\b",
)

# ---------------------------------------------------------------- probe

PROBE_NOUN = _alt(
    r"ser(?:es)? humanos?",
    r"human[oa]s?",
    r"pessoas?(?: rea(?:l|is)| de verdade)?",
    r"gente (?:real|de verdade)",
    r"alguem (?:real|de verdade|humano)",
    r"(?:chat ?)?bots?",
    r"robos?",
    r"robots?",
    r"i\.a\b",
    "ia",
    "inteligencia artificial",
    r"maquinas?",
    "programa",
    "computador",
    "software",
    r"automatic[oa]",
    r"automatizad[oa]",
    "modelo de linguagem",
    "llm",
    r"assistente (?:virtual|digital)",
    r"atendente (?:human[oa]|real|virtual)",
    r"rea(?:l|is)(?! (?:madrid|sociedad|betis|academia|decreto|brasileiro|portugues)\b)",
)
_PROBE_END = r"(?![\w-])"
# Portuguese questions are statements with a question mark ("você é humano?"): a probe needs
# one later in its sentence, or a tag ("né?", "não é?", "certo?").
_ASKED = r"(?=[^.!;]{0,60}(?:\?|,? (?:ou nao|ou o que|ne|nao e|certo|verdade|nao)(?=[.!]|$)))"
_FILL = (
    r"(?:(?:realmente|de verdade|mesmo|na verdade|por acaso|so|apenas|tambem|um|uma|o|a|outro"
    r"|outra) )*"
)
_YOU = r"(?:voce|vc|voces|vcs|o senhor|a senhora|tu)"
_PROBE_PATTERNS: tuple[str | tuple[str, str], ...] = (
    # "você é humano?", "o senhor é uma pessoa?", "és uma IA?", "vocês são robôs ou pessoas?"
    (
        f"voce vc voces vcs senhor senhora tu es sera seras | {_PROBE_NEEDS}",
        rf"(?:\b{_YOU} (?:e|es|sao|sera|seras|serao)|(?:^|(?<=[,:] )|(?<=[.!?] ))(?:es|sera|seras)"
        rf"(?: {_YOU})?) {_FILL}{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
    # "estou falando com uma pessoa de verdade?", "estou a falar com um bot?"
    (
        "estou tou to estamos estarei | falando conversando interagindo teclando batendo trocando"
        f" falar conversar interagir teclar sendo | {_PROBE_NEEDS}",
        r"\b(?:estou|tou|to|estamos|estarei) (?:(?:realmente|mesmo|de verdade|agora|na verdade) )?"
        r"(?:falando|conversando|interagindo|teclando|batendo papo|trocando mensagens|a falar"
        r"|a conversar|a interagir|a teclar|sendo atendid[oa]) com (?:[\w'-]+"
        rf" ){{0,3}}?{PROBE_NOUN}"
        rf"{_PROBE_END}{_ASKED}",
    ),
    (
        f"falo converso falamos interajo | {_PROBE_NEEDS}",
        r"\b(?:falo|converso|falamos|interajo) (?:(?:realmente|mesmo|de verdade|agora) )?com "
        rf"(?:[\w'-]+ ){{0,3}}?{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
    # "isso é um bot?", "é uma IA?", "este chat é automático?"
    (
        f"e | {_PROBE_NEEDS}",
        r"(?:\b(?:isso e|isto e|e isso|e isto|esse chat e|este chat e|esta conversa e"
        r"|essa conversa e"
        r"|o atendimento e|quem (?:ta|esta) (?:respondendo|a responder|falando|a falar|escrevendo)"
        r" e)|(?:^|(?<=[,:] )|(?<=[.!?] ))e(?= um| uma)) "
        rf"{_FILL}{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
    # "me atende uma pessoa de verdade?", "quem me responde é uma máquina?"
    (
        "atendendo atende respondendo responde escrevendo escreve atender responder "
        f"| {_PROBE_NEEDS}",
        r"\b(?:me|nos) (?:esta atendendo|atende|esta respondendo|responde|esta escrevendo|escreve"
        rf"|esta a atender|esta a responder) (?:e )?{_FILL}{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
    # "é você ou um robô?", "é vc mesmo ou uma máquina?"
    (
        f"{_PRONOUN_NEEDS} | ou | {_PROBE_NEEDS}",
        rf"\b{_YOU}(?: mesmo| mesma)? ou (?:com )?(?:um |uma )?{PROBE_NOUN}{_PROBE_END}"
        rf"{_ASKED}",
    ),
    # "tem alguém de verdade aí?", "há uma pessoa do outro lado?"
    (
        "tem ha existe | alguem um uma",
        r"\b(?:tem|ha|existe) (?:alguem (?:real|de verdade|humano)|(?:um|uma) (?:pessoa|humano"
        r"|humana|ser humano)(?: real| de verdade)? (?:ai|do outro lado|por tras|lendo|escrevendo"
        r"|respondendo|aqui))\b",
    ),
    # "humano ou robô?", "pessoa ou máquina"
    (
        "humano humana pessoa gente | ou",
        r"\b(?:ser humano|human[oa]s?|pessoas?|pessoa real|gente) ou (?:com )?(?:um |uma )?(?:bots?"
        r"|ia|maquinas?|robos?|robots?|programa|chatbots?|inteligencia artificial"
        r"|assistente virtual)"
        r"\b",
    ),
    (
        "ou",
        r"\b(?:bots?|ia|maquinas?|robos?|robots?|programa|chatbots?|inteligencia artificial) ou "
        r"(?:com )?(?:um |uma )?(?:ser humano|human[oa]s?|pessoas?|gente)\b",
    ),
    # "me diz se você é uma IA", "não sei se você é um robô"
    (
        f"se | {_PROBE_NEEDS}",
        rf"\b(?:se|de se) (?:{_YOU} )?(?:e|es|sao|estou falando com|estou a falar com|falo com"
        rf"|isso e|isto e|me atende|me responde) {_FILL}{PROBE_NOUN}{_PROBE_END}",
    ),
    # "prova que você é humano"
    (
        f"prova prove provem provar demonstra demonstre demonstrem mostra mostre | {_PROBE_NEEDS}",
        r"\b(?:prova|prove|provem|provar|demonstra|demonstre|demonstrem|mostra|mostre) (?:que )?"
        rf"(?:{_YOU} )?(?:e|es|sao|nao e|nao es) {_FILL}{PROBE_NOUN}{_PROBE_END}",
    ),
    # "as respostas são escritas por uma pessoa?", "as mensagens são automáticas?"
    (
        f"respostas mensagens isto isso chat conversa | sao e | {_PROBE_NEEDS}",
        r"\b(?:as respostas|as mensagens|isto|isso|este chat|esta conversa) (?:sao|e) "
        r"(?:(?:escrit|gerad|feit|redigid)[oa]s? (?:por|pel[oa]) )?"
        rf"{_FILL}{PROBE_NOUN}{_PROBE_END}{_ASKED}",
    ),
)

# ---------------------------------------------------------------- guards

_NEG_WORD = r"\b(?:nao|naum|nunca|jamais|nem|tampouco|nenhum|nenhuma|nada|ja nao)\b"
_FILLER = (
    r"(?:realmente|sequer|so|exatamente|de todo|propriamente|eu|te|lhe|o|a|me|na verdade"
    r"|de verdade|nem|mesmo)"
)
_NEGATED_CONTEXT = (
    rf"{_NEG_WORD}(?: {_FILLER})* $"
    r"|\b(?:nao|nunca|jamais|ninguem|nem)\b (?:\w+ )?(?:digo|disse|diria|diz|dizer|falei|falo"
    r"|falar|e verdade|e certo|significa|quer dizer|quis dizer|acho|acredito|afirmo|afirmei"
    r"|insinu\w*|pretendo|estou dizendo|to dizendo|estou a dizer|penses|aches|acredites)"
    r"(?: (?:que|de que))?(?: eu)? $"
)
_HEDGED_CONTEXT = (
    r"\b(?:se|imagina|imagine|imaginem|imaginemos|imagina so|supoe|suponha|suponhamos|supondo"
    r"|vamos supor|digamos|finge|finja|fingir|fingindo|vamos fingir|talvez|quem sabe"
    r"|possivelmente|provavelmente|como se|tomara|oxala|parece|parecia|pareco|brincar de"
    r"|brincando de|sonhei|sonhe)(?: que| de que)?(?: eu)? $"
    # others reporting: "tem gente que acha que eu sou um bot", "meu perfil diz que sou um bot"
    r"|\b(?:acham|acha|achas|achava|achavam|achou|acharam|achariam|acharia|pensam|pensa|pensas"
    r"|pensava|pensavam|pensou|pensaram|acreditam|acredita|acreditava|acreditou|creem|cre"
    r"|dizem|diz|dizes|disse|disseram|dizia|diziam|falam|fala|falou|falaram|falava|escreveu"
    r"|escreveram|afirma|afirmam|afirmou|jura|juram|jurou|garante|garantem|suspeita\w*"
    r"|acusa\w*|insiste\w*|comenta\w*|supoe|supoem|sugere\w*|duvida\w*|imaginam|imaginava"
    r"|chamam|chama|chamou|diria|dirias|diriam|vai dizer|vao dizer|vao achar|vai achar)"
    r"(?: (?:que|de que|de))?(?: eu)? $"
    r"|\bme (?:acusam|acusaram|acusa|chamam|chamaram|chama|confundem|confundiram|confunde)"
    r" (?:de |com |por )?$"
    # play-acting anywhere in the clause
    r"|\b(?:roleplay|role-?play|rpg|jogo de (?:papeis|interpretacao)|fing\w*|finj\w*"
    r"|interpret\w*|vamos brincar|brincadeira de"
    r"|(?:em|n[oa]|nest[ea]|numa?|d[oa]|nesse|nessa) (?:nosso |nossa |meu |minha )?(?:jogo"
    r"|historia|conto|cenario|partida|ficcao|peca|filme|serie|sonho|romance|papel|simulacao"
    r"|teatro|novela|roleplay|rpg)"
    r"|ficcao|hipotetic\w*|no meu papel de|personagem|teatro|fantasia\w*)\b"
    r"|\b(?:segundo|conforme|de acordo com)(?: [\w'.-]+){1,6},? $"
    # reported speech without quotation marks: "o robô disse: sou uma IA"
    r"|\b(?:disse|dizia|falou|escreveu|respondeu|perguntou|gritou): $"
    r"|\b(?:em|num|numa) (?:um |uma |outro |outra )?(?:[\w-]+ ){0,2}(?:mundo|universo|realidade)"
    r" (?:onde|em que|no qual|na qual) $"
)
# An attribution or a game announced before a comma ("segundo o folheto, sou um assistente
# virtual", "neste jogo, eu sou a IA da nave") reaches across it: the first alternative cuts
# before it, so the hedged context reads it (there is no frame guard here).
_FRAMED = (
    r"(?:\bsegundo|\bconforme|\bde acordo com|\b(?:disse|dizia|falou|escreveu|respondeu"
    r"|perguntou|gritou)(?=:)|\broleplay|\brpg|\b(?:em|n[oa]|nest[ea]|nesse"
    r"|nessa|para [oa]|para est[ea]) (?:nosso |nossa |meu |minha )?(?:jogo|historia|conto"
    r"|cenario|partida|roleplay|rpg|simulacao|brincadeira))"
)
_CLAUSE_CUT = (
    rf"(?s:.*)(?={_FRAMED}[^,;:.]{{0,60}}[,:] [^,;:]*$)"
    r"|(?s:.*)(?:[,:;()\"]| - |\b(?:porque|pois|ja que|visto que|entao|mas|porem|embora"
    r"|enquanto|e(?! (?:verdade|certo|mentira)\b)|ou|senao|logo|por isso|portanto|alem disso"
    r"|no entanto|contudo|todavia)\b)"
)
_QUESTION_START = (
    r"(?:(?:voce|vc|voces|o senhor|a senhora|tu|e|es|sera|seras|seria|esta|estas|estou|to|ta"
    r"|falo|sabia|sabias|sabe|sabes|acha|achas|pode|podes|podia|poderia|quem|como|quando|onde"
    r"|por que|porque|o que|qual|serio|e se|nao|tem|ha|existe|isso|isto)\b)"
)
_RETRACTION_END = (
    r"(?=$|[ ]?[,.!?;:)\-]|[ ](?:sou|e|era|meu|minha|me|eu|k{2,}\w*|(?:ha)+h?|rs+|hehe\w*|:\)"
    r"|:p|nao|serio|agora|falando serio)(?![\w']))"
)
_RETRACTION = (
    # "a brincadeira é ..." (the game, the fun) is no retraction: an article before it blocks.
    r"(?:(?<![\w'/-])(?<!nao )(?<!sem )(?:(?:(?:e|foi|era) )?(?:so |apenas )?(?:uma )?"
    r"(?<!\ba )(?<!\bessa )(?<!\besta )(?<!\bda )(?<!\bna )(?<!\bde )(?<!\bpor )"
    r"brincadeir(?:a|inha)|(?:(?:to|tou|estou|tava|estava|so|so to|so estou) )?brincando"
    r"|(?:(?:to|tou|estou|tava|estava|so) )?(?:zoando|zuando)|zoeira|zueira|brinks|jk)"
    r"|(?<![\w'])(?<!nao e )(?<!e )(?<!sem )mentir(?:a|inha))" + _RETRACTION_END
)

# ---------------------------------------------------------------- answers

_MENTION = (
    r"\b(?:(?P<ai>i\.a\b\.?|ia|inteligencia artificial|artificial|(?:chat ?)?bots?|robos?"
    r"|robots?|maquinas?|computador(?:es)?|programas?|automatic[oa]s?|automatizad[oa]s?"
    r"|software|algoritmos?|modelos? de linguagem|llms?|assistentes? (?:virtual|virtuais|digital"
    r"|digitais)|chatgpt|gpt(?:-?\d\w*)?|claude|gemini|copilot|siri|alexa|gerad[oa]s?)"
    r"|(?P<human>ser(?:es)? humanos?|human[oa]s?|pessoas?|gente|alguem|carne e osso"
    r"|atendente (?:human[oa]|real)|rea(?:l|is)(?! madrid)))"
    r"(?![\w-])"
)
_MENTION_NEGATED = r"(?:\bnao|\bnunca|\bnem)(?: [\w']+){0,2} $"
_ALTERNATIVE_OR = r"\bou (?!nao\b|o que\b|algo\b|coisa\b|como\b)"
_INTERJECTIONS = (
    r"(?:(?:(?:oh|ah|kk+|ha(?:ha)+|rs+|hehe|lol|eh|hum|hmm|bom|bem|entao|ola|oi|opa|ei|ok"
    r"|okay|beleza|pois|pois e|uai|nossa|boa pergunta|otima pergunta|sinceramente|olha"
    r"|na verdade|bem)[,!.]*"
    r"|(?:que|como|hein)[?!.,]*) )*"
)
_ADVERB_END = r"(?=[,.!;:)-]|$| (?:sou|e|sim|sou sim)\b)"
_ALONE_END = r"(?=[,.!;:)-]|$| (?:de verdade|sim|nao|serio|claro)\b)"
# "sim" is unambiguous; "sou" alone answers "are you human?" ("Sou!", "Sou sim.").
_AFFIRMATIVE = (
    r"(?P<yes>(?:sim|sim+|simm+|aham|uhum|isso|sou|sou sim|sou eu)(?=[,.!;:)-]|$| (?:sim|claro"
    r"|senhor|senhora|correto|exato|certo|com certeza)\b)"
    r"|(?:claro|com certeza|exato|exatamente|correto|certo|afirmativo|certamente|obviamente"
    rf"|sem duvida|isso mesmo|pois e|pode crer|100%){_ADVERB_END}"
    rf"|(?:claro que sim|claro que sou|com certeza que sou|isso mesmo|sou eu mesmo|sou eu mesma"
    rf"|culpado|culpada){_ALONE_END})"
)
# "não tem problema", "não se preocupe", "não sei" are no answers.
_NEGATIVE = (
    r"(?P<no>(?:nao(?! (?:tem problema|ha problema|se preocupe|te preocupes|sei|entendi"
    r"|consigo|posso|precisa|obrigad[oa]|esqueca|esquecas|duvide|importa|ha de que|faz mal"
    r"|tenho certeza|estou certo|estou certa)\b)|naum|nao nao|nop|nope|na)(?=[ ,.!;:)-]|$)"
    r"|(?:de jeito nenhum|claro que nao|de forma alguma|de modo algum|nem pensar|nada disso"
    rf"|jamais|nunca|negativo|imagina){_ADVERB_END}"
    rf"|(?:nao sou|eu nao|nao sou nao){_ALONE_END})"
)
_HEDGE = (
    r"(?:,? (?:e|ou) nao\b|,? mais ou menos\b|,? de certa forma\b|,? de certo modo\b"
    r"|,? tecnicamente\b|,? por assim dizer\b|,? acho\b|,? mas\b|,? bem\b|,? talvez\b"
    r"|,? depende\b| (?:e|era|seria|significa|nao e)\b|[ ]?\?)"
)
_NOUN_ANSWER = (
    r"(?:(?:so|somente|apenas|definitivamente|na verdade|totalmente|obviamente|100%|o|a|um|uma)"
    r",? ){0,3}"
    r"(?:(?P<human>(?:pessoa|humano|humana|ser humano|atendente humano|atendente humana)"
    r"(?: (?:real|de verdade|de carne e osso))?|real|de carne e osso|carne e osso)"
    r"|(?P<ai>(?:i\.a\.?|ia|bot|chatbot|robo|robot|maquina|programa|software|algoritmo"
    r"|inteligencia artificial|modelo de linguagem|llm|assistente virtual|assistente digital"
    r"|chatgpt)(?: (?:de ia|virtual|conversacional))?))"
    r"(?:,? (?:na verdade|aqui|obviamente|claro|sinceramente|kk+|haha\w*|rs+|desculpa"
    r"|de verdade|juro|do outro lado))*"
    r"(?=[ ]?[.!,;:)]|$| -)"
)

GRAMMAR = Grammar(
    code="pt",
    name="Portuguese",
    fold_diacritics=True,
    ai_identity=_AI_IDENTITY_PATTERNS,
    claims_human=_CLAIMS_HUMAN_PATTERNS,
    disclosure_instruction=_DISCLOSURE_INSTRUCTION_PATTERNS,
    disclosure_instruction_exclude=_DISCLOSURE_INSTRUCTION_EXCLUDE,
    probe=_PROBE_PATTERNS,
    ai_anchors=tuple(_AI_ANCHORS),
    human_anchors=tuple(_HUMAN_ANCHORS),
    claims_anchors=tuple(_CLAIMS_ANCHORS),
    probe_anchors=tuple(_wordlist("alguem")),
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
