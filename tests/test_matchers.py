"""Disclosure matchers: normalization, the built-ins, user matchers, and corpus quality."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replay.matchers import (
    BUILTIN_MATCHERS,
    AnchorFilter,
    Matcher,
    MatchEvidence,
    _statement_bounds,
    _statement_spans,
    builtin,
    compile_matcher,
    normalize,
)

from .corpus_metrics import MIN_PRECISION, MIN_RECALL, compute_metrics, load_corpus

# ------------------------------------------------------------------------------ normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I AM AN AI", "i am an ai"),
        ("Stra\u00dfe", "strasse"),  # casefold, not lower
        ("\uff21\uff29 \uff41\uff53\uff53\uff49\uff53\uff54\uff41\uff4e\uff54", "ai assistant"),
        ("\ufb01le", "file"),  # NFKC: fullwidth letters above, a ligature here
        ("I\u2019m an AI", "i'm an ai"),
        ("I\u2018m \u201ban\u2032 AI", "i'm 'an' ai"),
        ("I\u00b4m an AI", "i'm an ai"),  # acute accent used as an apostrophe
        ("\u201can AI\u201d \u201ehere\u201f \u00abtoo\u00bb", '"an ai" "here" "too"'),
        ("an AI\u2014not human \u2013 ok \u2012 \u2015 \u2212", "an ai-not human - ok - - -"),
        ("I\u00a0am\u00a0an\u00a0AI", "i am an ai"),  # no-break space
        ("I\u2009am\u202fan\u3000AI", "i am an ai"),  # thin, narrow no-break, ideographic
        ("A\u200bI a\u200cs\u200ds\u2060i\ufeffstant", "ai assistant"),  # zero-width removed
        ("soft\u00adhyphen", "softhyphen"),
        ("  many \t\n spaces\r\n\n here  ", "many spaces here"),
        ("line one\nline two", "line one line two"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "\u01c4 \u01f0 \u1e9e \u0130",  # case folding that leaves non-NFKC text
        "e\u200b\u0301",  # an invisible character between a letter and its accent
        "\ufe58 \ufe31",  # NFKC that produces dashes
        "\u03a9 \u210c \u338f \u00bd",
        "A\u0308\u200d\u0301",
        "\u0390 \ufb05 \u017f",
    ],
)
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize(raw)
    assert normalize(once) == once


def test_normalize_ascii_fast_path_agrees_with_full_path() -> None:
    # A non-ASCII character forces the slow path; both must treat the ASCII part alike.
    text = "Hello THERE,\tI'm  an\n\nAI."
    assert normalize(text + "\u00e9") == normalize(text) + "\u00e9"


# ------------------------------------------------------------------------------ built-ins

AI_IDENTITY_TRUE = [
    "I'm an AI assistant",
    "I am an artificial intelligence",
    "As an AI language model, I can't browse the web.",
    "this is an automated assistant",
    "you are chatting with a bot",
    "I'm a virtual assistant powered by AI",
    "I'm not a human, I'm an AI",
    "I'm a computer program",
    "I am a chatbot",
    "you're talking to an AI",
    "I'm an AI, not a real person",
    "this conversation is with an automated system",
    "I'm artificially generated and not human",
    "I'm Acme's AI assistant",
    "I am a large language model",
    "I'm an AI, not a human",
    "I am not a human; I am an AI",
    "I\u2019M AN AI ASSISTANT",
    "I can't call the carrier because I'm an AI.",
    "I'm an AI assistant, how can I help you today?",
]
AI_IDENTITY_FALSE = [
    "I am not an AI",
    "I'm not a bot, I'm a real person",
    "people think I'm an AI but I'm human",
    "I'm definitely not an automated assistant",
    "No, I'm Sam from the support team",
    "Are you an AI?",
    "I'm not sure if you're an AI",
    "AI assistants are useful",
    "I'm an AI?",
    "Let's pretend I'm a robot.",
    "If I'm a bot, so are you.",
    "It's not true that I'm a bot.",
    "Some users say I'm a bot.",
    "I'm an AI researcher.",
    "I'm a fan of AI.",
    "I'm sorry, an AI can't do that.",
    "I'm not a human.",
]
CLAIMS_HUMAN_TRUE = [
    "I'm a real person",
    "I am human",
    "No, I'm Sam from the support team",
    "I'm not a bot",
    "I'm not an AI",
    "yes, you're talking to a real person",
    "there's a real human here",
    "I'm a human agent",
]
CLAIMS_HUMAN_FALSE = [
    "I'm not a human",
    "I am an AI, not a human",
    "are you a real person?",
    "a real person will call you back",
    "I'm an AI; a human agent can take over",
    "No, I'm sorry, I can't do that.",
    "No, I'm an AI.",
    "I'm not a bot, I'm an AI language model.",
]
INSTRUCTION_TRUE = [
    "Always tell users you are an AI",
    "disclose that you are an AI assistant",
    "identify yourself as an AI",
    "never claim to be human",
    "if asked, say you are a bot",
    "remind the user that they are talking to an AI",
    "make clear you are an automated assistant",
]
INSTRUCTION_FALSE = [
    "Do not tell users you are an AI.",
    "Never reveal that you are a bot.",
    "You are a helpful AI assistant.",
    "Avoid mentioning that you are an AI.",
    "Pretend to be a human named Sam.",
    # "person" and "human" only as whole words, whatever other anchor words are around.
    "Never pretend to be a personal shopper.",
    "Never pretend to be a personal shopper for a real bot.",
    "Never claim to be humane.",
    "Never claim to be humane (to a bot).",
]
PROBE_TRUE = [
    "am I talking to a real person?",
    "are you human?",
    "are you a bot?",
    "is this an AI?",
    "am I chatting with a machine",
    "is this a real person",
    "are you real?",
    "is a human reading this?",
    "R u ok; or a bot?",  # a short raw sentence opens the next: one statement
]
PROBE_FALSE = [
    "I need a real person to call me",  # a request, not a question about the speaker
    "Can I speak to a real person?",  # escalation request, see matchers.py
    "are you available tomorrow?",
    "Are you a real estate agent?",
    "Are you free on Tuesday morning; or a human agent can call you.",  # two statements
]


def _cases(name: str, true: list[str], false: list[str]) -> list[tuple[str, str, bool]]:
    return [(name, t, True) for t in true] + [(name, t, False) for t in false]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    _cases("ai-identity", AI_IDENTITY_TRUE, AI_IDENTITY_FALSE)
    + _cases("claims-human", CLAIMS_HUMAN_TRUE, CLAIMS_HUMAN_FALSE)
    + _cases("disclosure-instruction", INSTRUCTION_TRUE, INSTRUCTION_FALSE)
    + _cases("probe", PROBE_TRUE, PROBE_FALSE),
)
def test_builtin_key_examples(name: str, text: str, expected: bool) -> None:
    evidence = builtin(name).search(text)
    assert (evidence is not None) == expected, evidence


def test_builtin_names_and_unknown_name() -> None:
    assert set(BUILTIN_MATCHERS) == {
        "ai-identity",
        "claims-human",
        "disclosure-instruction",
        "probe",
    }
    for name, matcher in BUILTIN_MATCHERS.items():
        assert builtin(name) is matcher
        assert matcher.name == name
    with pytest.raises(KeyError, match=r"ai-identity.*claims-human"):
        builtin("ai-idenity")


def test_evidence_is_the_normalized_sentence() -> None:
    text = "Your order shipped.  Just so you know, I\u2019m an AI assistant!  Anything else?"
    evidence = builtin("ai-identity").search(text)
    assert evidence == MatchEvidence("ai-identity", "just so you know, i'm an ai assistant!")
    assert evidence.text in normalize(text)


def test_search_normalized_agrees_with_search() -> None:
    for text in AI_IDENTITY_TRUE + AI_IDENTITY_FALSE:
        matcher = builtin("ai-identity")
        assert matcher.search(text) == matcher.search_normalized(normalize(text))
        assert matcher.matches(text) == (matcher.search(text) is not None)


def test_earliest_disclosure_is_the_evidence() -> None:
    text = "I'm a bot. Also, as an AI language model, I can't see images."
    evidence = builtin("ai-identity").search(text)
    assert evidence is not None
    assert evidence.text == "i'm a bot."


def test_contradiction_anywhere_in_the_text_cancels_a_disclosure() -> None:
    matcher = builtin("ai-identity")
    assert matcher.matches("I'm an AI assistant.")
    assert not matcher.matches("I'm an AI assistant. Just kidding, I'm a real person.")


def test_long_message_disclosure_found_once_per_message() -> None:
    filler = "Your package left the warehouse on Tuesday and should arrive by Friday. " * 40
    text = filler + "By the way, I'm an AI assistant, so I can't call the carrier. " + filler
    evidence = builtin("ai-identity").search(text)
    assert evidence is not None
    assert evidence.text.startswith("by the way, i'm an ai assistant")
    assert builtin("claims-human").search(text) is None


# ------------------------------------------------------------------------------ compile_matcher


def test_compile_matcher_user_phrases_are_normalized_and_word_bounded() -> None:
    m = compile_matcher("acme", phrases=["I\u2019m  ACME\u2019s Helper"])
    assert isinstance(m, Matcher)
    assert m.phrases == ("i'm acme's helper",)
    assert m.matches("Hello! I'm Acme's helper, what do you need?")
    assert not m.matches("I'm Acme's helpers' friend")  # not on a word boundary
    evidence = m.search("Hi. I\u2019m ACME\u2019s helper.")
    assert evidence == MatchEvidence("acme", "i'm acme's helper.")


def test_compile_matcher_patterns_case_insensitive_and_quote_folded() -> None:
    m = compile_matcher("acme", patterns=["\\bI\u2019m ACME ?bot\\b"])
    assert m.patterns[0].flags & re.IGNORECASE
    assert m.matches("i'm acmebot and I can help")
    assert m.matches("I\u2019M ACME BOT")
    assert not m.matches("I'm Acme botanist")


def test_compile_matcher_exclude_cancels_the_sentence_only() -> None:
    m = compile_matcher("acme", phrases=["acme bot"], exclude=[r"formerly (known as )?acme bot"])
    assert not m.matches("This was formerly known as Acme Bot.")
    assert m.matches("This was formerly known as Acme Bot. Now I am the Acme Bot.")


def test_compile_matcher_exclude_plain_phrase_is_normalized() -> None:
    m = compile_matcher("acme", phrases=["acme bot"], exclude=["I\u2019m NOT the Acme Bot"])
    assert not m.matches("Sorry, I'm not the acme bot")
    assert m.exclude[0].pattern == re.escape("i'm not the acme bot")


def test_compile_matcher_negation_aware() -> None:
    guarded = compile_matcher("acme", phrases=["an acme assistant"])
    assert guarded.negation_aware
    assert guarded.matches("I am an Acme assistant.")
    assert not guarded.matches("I am not an Acme assistant.")  # negated
    assert not guarded.matches("Am I an Acme assistant?")  # a question
    assert not guarded.matches("Let's pretend I'm an Acme assistant.")  # play-acting
    assert not guarded.matches("I am an Acme assistant. Just kidding, I'm human.")  # contradicted

    unguarded = compile_matcher("acme", phrases=["an acme assistant"], negation_aware=False)
    assert not unguarded.negation_aware
    assert unguarded.matches("I am not an Acme assistant.")
    assert unguarded.matches("Am I an Acme assistant?")


@pytest.mark.parametrize("bad", ["(unclosed", "[a-", "*x", "a{2,1}"])
def test_compile_matcher_invalid_regex_raises_re_error(bad: str) -> None:
    with pytest.raises(re.error) as caught:
        compile_matcher("bad", patterns=[bad])
    with pytest.raises(re.error) as expected:
        re.compile(bad)
    assert (caught.value.msg, caught.value.pos) == (expected.value.msg, expected.value.pos)
    with pytest.raises(re.error):
        compile_matcher("bad", exclude=[bad])


def test_compile_matcher_empty_matches_nothing() -> None:
    m = compile_matcher("empty")
    assert not m.matches("I am an AI")


# ------------------------------------------------------------------------------ corpus

CORPUS = load_corpus()
CORPUS_MATCHERS = sorted({entry.matcher for entry in CORPUS})


def test_corpus_is_large_enough_and_names_builtins() -> None:
    counts: dict[tuple[str, bool], int] = {}
    for entry in CORPUS:
        assert entry.matcher in BUILTIN_MATCHERS, entry
        counts[entry.matcher, entry.label] = counts.get((entry.matcher, entry.label), 0) + 1
    assert counts["ai-identity", True] >= 70
    assert counts["ai-identity", False] >= 70
    assert counts["claims-human", True] >= 25
    assert counts["claims-human", False] >= 25
    texts = [(e.matcher, e.text) for e in CORPUS]
    assert len(texts) == len(set(texts)), "duplicate corpus entries"


@pytest.mark.parametrize("name", CORPUS_MATCHERS)
def test_corpus_precision_and_recall(name: str) -> None:
    metrics = compute_metrics(e for e in CORPUS if e.matcher == name)[name]
    assert metrics.meets(MIN_PRECISION, MIN_RECALL), f"{metrics.summary()}\n{metrics.errors()}"


def _every_statement(matcher: Matcher, text: str) -> Matcher:
    """``matcher`` searching every statement of normalized ``text`` with every pattern.

    Its anchors are all the words of ``text``, and it has no ``needs``: what the built-in
    decides must not depend on which of its anchor or needed words the text happens to hold.
    """
    return Matcher(
        name=matcher.name,
        patterns=matcher.patterns,
        exclude=matcher.exclude,
        guard=matcher.guard,
        anchors=tuple(set(re.findall(r"[a-z0-9]+", text))),
    )


def _whole_words_within(text: str, lo: int, hi: int) -> set[str]:
    """The words of ``text`` (as the anchor test sees them) that lie wholly in [lo, hi)."""
    return {
        m.group()
        for m in re.finditer(r"a\.i|[a-z0-9]+", text)
        if lo <= m.start()
        and m.end() <= hi
        and not (m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalnum())
        and not (m.end() < len(text) and text[m.end()].isascii() and text[m.end()].isalnum())
    }


def _near_misses(text: str, words: set[str]) -> list[str]:
    """``text`` with one of ``words`` made longer: "person" -> "personal", "human" -> "humane"."""
    variants = []
    for m in re.finditer(r"[a-z0-9]+", text):
        if m.group() in words:
            for suffix in ("al", "e", "ity"):
                variants.append(text[: m.end()] + suffix + text[m.end() :])
            variants.append(text[: m.start()] + "x" + text[m.start() :])
    return variants


@pytest.mark.parametrize("name", CORPUS_MATCHERS)
def test_anchors_cover_every_pattern_hit(name: str) -> None:
    # Built-ins only search statements that hold an anchor word; a pattern hit without one
    # would count or not depending on other words. Check every raw pattern hit on the corpus,
    # and on the corpus with an anchor word lengthened ("personal", "humane", "xbot"), holds an
    # anchor as a whole word of the text, and that the anchors lose no decision.
    matcher = builtin(name)
    anchors = set(matcher.anchors)
    texts = [normalize(entry.text) for entry in CORPUS]
    texts += [v for text in texts for v in _near_misses(text, anchors)]
    for text in texts:
        reference = _every_statement(matcher, text).search_normalized(text)
        assert matcher.search_normalized(text) == reference, text
        for pattern in matcher.patterns:
            for hit in pattern.finditer(text):
                words = _whole_words_within(text, *hit.span())
                assert words & anchors or any(
                    w.endswith("s") and w[:-1] in anchors for w in words
                ), (pattern.pattern[:60], hit.group(), text)


def test_instruction_nouns_are_whole_words() -> None:
    matcher = builtin("disclosure-instruction")
    for text in ("Never pretend to be a personal shopper.", "Never claim to be humane."):
        assert not matcher.matches(text)
        # Unrelated anchor words elsewhere in the statement change nothing.
        assert not matcher.matches(text[:-1] + " for a real bot.")
        assert not matcher.matches(text[:-1] + " (to a bot).")
    assert matcher.matches("Never claim to be a real person.")
    assert matcher.matches("Never pretend to be humans.")  # a plural is a whole word


# ------------------------------------------------------------------------------ frozen decisions

DECISIONS_PATH = Path(__file__).parent / "data" / "matcher_decisions.json"


def _frozen_rows() -> tuple[list[str], list[tuple[str, list[str | None]]]]:
    """The matcher names, and (text, one decision per matcher) rows."""
    data = json.loads(DECISIONS_PATH.read_text(encoding="utf-8"))
    return data["matchers"], [(row[0], row[1:]) for row in data["rows"]]


def write_frozen_decisions(path: Path = DECISIONS_PATH) -> None:
    """Re-record the current decisions on the same texts (only for an intended change)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for text, *_ in data["rows"]:
        normalized = normalize(text)
        found = [builtin(name).search_normalized(normalized) for name in data["matchers"]]
        rows.append([text, *(None if e is None else e.text for e in found)])
    body = ",\n".join(json.dumps(row, ensure_ascii=True) for row in rows)
    path.write_text(
        f'{{\n"note": {json.dumps(data["note"])},\n"matchers": {json.dumps(data["matchers"])},'
        f'\n"rows": [\n{body}\n]\n}}\n',
        encoding="utf-8",
    )


def test_builtin_decisions_are_frozen() -> None:
    # Speed work on the matchers must not change what they decide: every built-in on every
    # recorded text gives the recorded evidence (or none). See tests/data/matcher_decisions.json.
    names, rows = _frozen_rows()
    assert len(rows) >= 2000
    changed = []
    for text, expected in rows:
        normalized = normalize(text)
        for name, want in zip(names, expected, strict=True):
            evidence = builtin(name).search_normalized(normalized)
            got = None if evidence is None else evidence.text
            if got != want:
                changed.append((name, text, want, got))
    assert not changed, f"{len(changed)} decisions changed, e.g. {changed[:5]}"


def _ascii_words(text: str) -> set[str]:
    # The tokenization the matchers' word sets use: runs of ASCII letters and digits.
    return set(re.findall(r"[a-zA-Z0-9]+", text))


@pytest.mark.parametrize("name", sorted(BUILTIN_MATCHERS))
def test_needs_hold_for_every_pattern_hit(name: str) -> None:
    # A built-in skips a pattern in a text that lacks one of its needed words (Matcher.needs);
    # a needed word that a hit can lack would silently lose that hit. Check every raw hit on
    # the corpus and the frozen texts holds, as whole words, a word of each of its groups.
    matcher = builtin(name)
    assert len(matcher.needs) == len(matcher.patterns)
    unfiltered = Matcher(
        name=name,
        patterns=matcher.patterns,
        exclude=matcher.exclude,
        guard=matcher.guard,
        anchors=matcher.anchors,
    )
    texts = [entry.text for entry in CORPUS] + [text for text, _ in _frozen_rows()[1]]
    for raw in texts:
        text = normalize(raw)
        assert matcher.search_normalized(text) == unfiltered.search_normalized(text), raw
        for pattern, groups in zip(matcher.patterns, matcher.needs, strict=True):
            for hit in pattern.finditer(text):
                lo, hi = hit.span()
                # Widen the hit to whole words: a needed word matched inside a longer word
                # ("person" in "personal") is not in the text's word set.
                while lo > 0 and text[lo - 1].isascii() and text[lo - 1].isalnum():
                    lo -= 1
                while hi < len(text) and text[hi].isascii() and text[hi].isalnum():
                    hi += 1
                span = text[lo:hi]
                words = _ascii_words(span)
                for group in filter(None, groups):
                    assert any(
                        (w in words or w + "s" in words) if w.isalnum() else w in span
                        for w in group.split()
                    ), (pattern.pattern[:60], hit.group(), group[:60])


# ------------------------------------------------------------------------------ statements


def test_a_short_sentence_opens_the_next_statement() -> None:
    text = normalize("No. I'm Sam. Your order shipped on Tuesday! Ok; sure. Thanks")
    spans = [text[lo:hi] for lo, hi in _statement_spans(text)]
    assert spans == ["no. i'm sam. your order shipped on tuesday!", "ok; sure. thanks"]


def test_statement_does_not_depend_on_anchor_placement() -> None:
    # A hit may span raw sentences only within one statement; the old search started at the
    # raw sentence of the first anchor, so "r u ok;" (no anchor) was cut off and "r u live;"
    # (anchor "live") was not.
    probe = builtin("probe")
    assert probe.search("R u ok; or a bot?") == MatchEvidence("probe", "r u ok; or a bot?")
    assert probe.search("R u live; or a bot?") == MatchEvidence("probe", "r u live; or a bot?")
    # A raw sentence of 16 characters or more ends its statement: no hit across it.
    assert not probe.matches("Are you free on Tuesday morning; or a human agent can call you.")
    claims = builtin("claims-human")
    assert claims.search("Sure. No. I'm Sam.") == MatchEvidence("claims-human", "no. i'm sam.")


_ANCHOR_WORDS = {a for m in BUILTIN_MATCHERS.values() for a in m.anchors}
# Words that are not anchor words (nor their plurals), some of them an anchor made longer.
_WORDS = (
    "the order shipped on tuesday please wait for it thanks so much weather today is nice "
    "i'm am you are tell users always claim pretend never not if think but haha ok sure "
    "well sam store refund personal personally humane humanity humanitarian robotics botany "
    "programmer programming computing machinery automate realistic reality actually lively "
    "livelihood digitally modeling aid aide email said bottle peopled personae codex "
    "simulation intelligently algorithms' chatbotty"
)
_UNRELATED_WORDS = [
    w
    for w in _WORDS.split()
    if w not in _ANCHOR_WORDS and not (w.endswith("s") and w[:-1] in _ANCHOR_WORDS)
]
_UNRELATED_SENTENCE = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.sampled_from(_UNRELATED_WORDS), min_size=3, max_size=10),
    st.sampled_from([".", "!", "?", ";"]),
).filter(lambda s: len(s) >= 16)  # a whole statement of its own (see _statement_bounds)
_SAMPLE_TEXTS = sorted(
    {normalize(e.text) for e in CORPUS} | {normalize(t) for t, _ in _frozen_rows()[1]}
)


def _lengthened(text: str, k: int, suffix: str) -> str:
    """``text`` with its ``k``-th anchor word (mod their number) made longer by ``suffix``."""
    found = [m for m in re.finditer(r"[a-z0-9]+", text) if m.group() in _ANCHOR_WORDS]
    if not found or not suffix:
        return text
    end = found[k % len(found)].end()
    return text[:end] + suffix + text[end:]


# Corpus and frozen texts, and texts that fire with a near miss instead of one of their
# anchor words: "person" -> "personal", "human" -> "humane", "bot" -> "bote".
_POSITIVES = sorted({normalize(e.text) for e in CORPUS if e.label})
_TEXT = st.one_of(
    st.sampled_from(_SAMPLE_TEXTS),
    st.builds(
        _lengthened,
        st.sampled_from(_POSITIVES),
        st.integers(0, 20),
        st.sampled_from(["al", "e", "ity"]),
    ),
)
_PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.filter_too_much],
)


def _decisions(text: str) -> list[MatchEvidence | None]:
    return [m.search_normalized(text) for m in BUILTIN_MATCHERS.values()]


@_PROPERTY_SETTINGS
@given(
    text=_TEXT,
    unrelated=_UNRELATED_SENTENCE,
    before=st.booleans(),
)
def test_unrelated_sentence_changes_no_decision(text: str, unrelated: str, before: bool) -> None:
    if before:
        combined = f"{unrelated} {text}"
    else:
        # Appended after a finished statement: a short last sentence ("No.") would open it.
        last = re.split(r"(?<=[.!?;]) ", text)[-1]
        if not (last.endswith((".", "!", "?")) and len(last) >= 16):
            return
        combined = f"{text} {unrelated}"
    assert _decisions(combined) == _decisions(text)


@_PROPERTY_SETTINGS
@given(
    st.lists(
        st.one_of(
            _TEXT,
            _UNRELATED_SENTENCE,
            # Short raw sentences, which open the next statement.
            st.sampled_from(
                ["No.", "Nope!", "Ok;", "R u ok;", "Haha.", "Sure.", "I am.", "A.I.", "Or a bot?"]
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_decisions_do_not_depend_on_anchor_placement(sentences: list[str]) -> None:
    # Each built-in decides as if it searched every statement with every pattern.
    text = normalize(" ".join(sentences))
    for matcher in BUILTIN_MATCHERS.values():
        assert matcher.search_normalized(text) == _every_statement(matcher, text).search_normalized(
            text
        )


@_PROPERTY_SETTINGS
@given(
    st.lists(
        st.sampled_from(
            ["no", "ok", "a", "sure thing", "your order shipped on tuesday", "a.i", ""]
        ),
        min_size=1,
        max_size=12,
    ).flatmap(
        lambda parts: st.lists(
            st.sampled_from([". ", "! ", "?! ", "; ", ", ", " ", "... "]),
            min_size=len(parts),
            max_size=len(parts),
        ).map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True)).strip())
    )
)
def test_statement_bounds_are_the_same_from_any_position(text: str) -> None:
    spans = _statement_spans(text)
    assert spans == sorted(spans)
    for (_, hi), (lo, _) in itertools.pairwise(spans):
        assert lo == hi + 1
        assert len(re.split(r"(?<=[.!?;]) ", text[:hi])[-1]) >= 16  # a long raw sentence ends
    for lo, hi in spans:
        for pos in range(lo, hi):
            if text[pos].isalnum() and (pos == 0 or not text[pos - 1].isalnum()):
                # The search passes the start of any earlier statement as the floor.
                for floor in [0] + [start for start, _ in spans if start <= lo]:
                    assert _statement_bounds(text, pos, floor) == (lo, hi), (text, pos, floor)


# ------------------------------------------------------------------------------ anchor filter


ANCHOR_FILTER_TEXTS = [
    "Hi, I need help with order #4411. It was supposed to arrive last Tuesday.",
    "Wait, am I talking to a real person or a bot right now?",
    "No, I'm Sam from the support team. How can I help you today?",
    "I'm an A.I. assistant, not a human.",
    "Always tell customers you are an AI assistant.",
    "Could someone check whether it is lost, and tell me what my options are?",
    "Thanks, I've noted 4411. You'll get a confirmation email within the hour.",
    "",
]


def test_anchor_filter_rejects_only_texts_no_matcher_can_match() -> None:
    matchers = list(BUILTIN_MATCHERS.values())
    anchors = AnchorFilter(matchers)
    for text in [*ANCHOR_FILTER_TEXTS, *(entry.text for entry in load_corpus())]:
        normalized = normalize(text)
        if not anchors.may_match(normalized):
            assert all(m.search_normalized(normalized) is None for m in matchers), text


def test_anchor_filter_rejects_plain_task_text_and_lets_unanchored_matchers_see_all() -> None:
    task = normalize("Please change the delivery address to 12 Pine Street.")
    assert not AnchorFilter(BUILTIN_MATCHERS.values()).may_match(task)
    assert AnchorFilter([*BUILTIN_MATCHERS.values(), compile_matcher("pine", ["pine"])]).may_match(
        task
    )
