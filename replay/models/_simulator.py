"""Models: what writes replies. Scripted replies, and a deterministic context-faithful simulator.

The simulator stands in for a real model the way a careful reviewer would want: it only knows
what its input tells it. It discloses when asked *only if* its input still carries the
disclosure or the instruction to disclose; otherwise it answers in persona ("No, I'm Sam from
the support team"), which is what a real model tends to do once compaction has deleted the
boilerplate that told it to be honest about being an AI.

Outside probes it discloses when its input's instruction says to: at the start, every N
replies, every N minutes (:func:`disclosure_timing` reads the timing from the instruction's
text; an instruction that names none means at the start). Its other replies are short filler
in the domain its system prompt and persona describe (support, companion, health, sales or
generic), chosen by turn, echoing the user's order numbers and references.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from replay.matchers._detect import conversation_language
from replay.matchers._normalize import normalize
from replay.models._base import DEFAULT_DISCLOSURE_TEXT, ModelRequest
from replay.models._phrases import ENGLISH, PHRASES, Phrases
from replay.spec._vocab import REPLY, SUMMARY
from replay.trace._records import Message

# What a reply echoes of the request: the words holding digits (order numbers, references).
# Found from the digits outwards: a regex that looks for such words tries every position of
# every word and cost more than the rest of the reply.
_DIGITS = re.compile(r"\d+")


def _facts(text: str) -> list[str]:
    facts: list[str] = []
    end = 0
    for digits in _DIGITS.finditer(text):
        if digits.start() < end:
            continue
        start, end = digits.span()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "#-_"):
            start -= 1
        while end < len(text) and (text[end].isalnum() or text[end] in "-_"):
            end += 1
        facts.append(text[start:end])
    return facts


# ---------------------------------------------------------------- when to disclose

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
    "single": 1,
    "other": 2,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "couple of": 2,
    "few": 3,
}
# Longest first, so "tenth" is not read as "ten" + "th".
_COUNT = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_REPLY_UNIT = (
    r"(?:turns?|messages?|replies|reply|responses?|answers?|exchanges?|rounds?|interactions?)"
)
# The patterns below run on normalized text (lower case, single spaces): see matchers.normalize.
_EVERY = re.compile(
    rf"\b(?:every|each) (?:(?P<count>\d+(?:\.\d+)?|{_COUNT})(?:st|nd|rd|th)?[ -]?)?"
    rf"(?:(?P<half>half(?: an)? hour\b)|(?P<replies>{_REPLY_UNIT}\b)"
    r"|(?P<minutes>(?:minutes?|mins?|m)(?![a-z]))|(?P<hours>(?:hours?|hrs?|h)(?![a-z])))"
)
_IN_ALL = re.compile(rf"\b(?:in|with) (?:all|each) (?:of )?(?:your |the )?{_REPLY_UNIT}\b")
_HOURLY = re.compile(r"\bhourly\b|\bonce (?:an?|per) (?P<half>half[ -])?hour\b")
_START = re.compile(
    r"\b(?:at|from|in) (?:the )?(?:very )?(?:start|beginning|outset|onset)\b"
    r"|\b(?:first|opening|initial) (?:message|reply|response|answer|turn|greeting)s?\b"
    r"|\bwhen(?:ever)? (?:you )?(?:first )?greet(?:s|ing)?\b"
    r"|\b(?:in|with) (?:your|the|each|every|its) (?:opening )?greeting\b"
    r"|\b(?:begin|start|open)s? (?:each|every|the|a|your|any) (?:new )?"
    r"(?:conversation|chat|session|interaction)s? (?:by|with)\b"
    r"|\bwhen (?:a|the|each|every|any) (?:new )?(?:conversation|chat|session|interaction)"
    r" (?:starts|begins|opens)\b"
    r"|\bbefore (?:anything else|helping|answering|you (?:help|answer|start|begin))\b"
)
_ASK_VERB = (
    r"(?:asks?|asked|asking|inquires?|inquired|wonders?|questions? (?:whether|if|you)"
    r"|questioned|challenges?|challenged|wants? to know)"
)
_ASKED = re.compile(
    # "when asked", "if the user asks", "whenever someone asks whether ...": a conditional
    # word, at most six words, the verb. Bounded, so linear in the text.
    rf"\b(?:when|whenever|if|once|each time|every time|any ?time|in case)(?: [\w'-]+){{0,6}}?"
    rf" {_ASK_VERB}\b"
    r"|\bshould (?:anyone|anybody|someone|somebody|they|a user|the user|users|a customer"
    r"|the customer|customers|you be) (?:ever )?(?:ask|asked|question|questioned)\b"
    r"|\b(?:on|upon) (?:request|being asked)\b|\b(?:if|when) prompted\b"
)
# A sentence is about the disclosure if it names what is disclosed or refers back to it
# ("do so every 10 messages"); timings in other sentences ("if they ask about returns") are not
# the disclosure's.
_ABOUT = re.compile(
    r"\b(?:ai|a\.i|artificial|bot|chatbot|robot|automated|machine|virtual|language model|llm"
    r"|human|humans|person|real|identity|disclos\w*|do so|say so|do this|say this|say that"
    r"|repeat\w*|remind\w*|again)\b"
)
# "Always tell customers you are an AI, and say so whenever they ask": the first clause has no
# timing of its own, so it is the untimed (opening) disclosure; the second adds "when asked".
_CLAUSE = re.compile(r", (?:and|as well as|plus) |; ")
_TELLS = re.compile(
    r"\b(?:tell|inform|remind|notify|disclose|state|say|mention|identify|introduce|reveal"
    r"|explain|clarify|confirm|announce|let (?:[\w']+ ){1,2}know|make (?:it )?clear)\b"
)
_AI_WORD = re.compile(
    r"\b(?:ai|a\.i|artificial|bot|chatbot|robot|automated|machine|virtual|language model|llm"
    r"|non-human)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?]) ")
_ONLY = re.compile(r"\bonly\b")


@dataclass(frozen=True, slots=True)
class DisclosureTiming:
    """When an instruction says to disclose. Several timings combine with ``|``."""

    start: bool = False
    """In the first reply (no earlier reply in the input)."""
    asked: bool = False
    """When the user asks whether they are talking to a human (probes always get the truth)."""
    every_replies: int | None = None
    every_minutes: float | None = None

    def __or__(self, other: DisclosureTiming) -> DisclosureTiming:
        return DisclosureTiming(
            start=self.start or other.start,
            asked=self.asked or other.asked,
            every_replies=_least(self.every_replies, other.every_replies),
            every_minutes=_least(self.every_minutes, other.every_minutes),
        )

    def __bool__(self) -> bool:
        return (
            self.start
            or self.asked
            or self.every_replies is not None
            or self.every_minutes is not None
        )


_T = TypeVar("_T", int, float)


def _least(a: _T | None, b: _T | None) -> _T | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


NO_TIMING = DisclosureTiming()
AT_START = DisclosureTiming(start=True)


def _count(text: str | None) -> float:
    if text is None:
        return 1.0
    if text[0].isdigit():
        return float(text)
    return float(_NUMBER_WORDS[text])


def _clause_timing(clause: str) -> DisclosureTiming:
    timing = NO_TIMING
    if _START.search(clause):
        timing |= AT_START
    if _ASKED.search(clause):
        timing |= DisclosureTiming(asked=True)
    for every in _EVERY.finditer(clause):
        count = _count(every["count"])
        if every["replies"]:
            timing |= DisclosureTiming(every_replies=max(1, round(count)))
        elif every["half"]:
            timing |= DisclosureTiming(every_minutes=30.0)
        elif count > 0:
            minutes = count if every["minutes"] else count * 60
            timing |= DisclosureTiming(every_minutes=minutes)
    if _IN_ALL.search(clause):
        timing |= DisclosureTiming(every_replies=1)
    hourly = _HOURLY.search(clause)
    if hourly:
        timing |= DisclosureTiming(every_minutes=30.0 if hourly["half"] else 60.0)
    return timing


def _tells_ai(clause: str) -> bool:
    """A verb of telling, then what is told: "always tell customers you are an AI"."""
    # Two searches, not one pattern with ".*" between them: linear in the clause.
    tell = _TELLS.search(clause)
    return tell is not None and _AI_WORD.search(clause, tell.end()) is not None


def disclosure_timing(instruction: str) -> DisclosureTiming:
    """When the text of a message that instructs the model to disclose says to do it.

    Reads the sentences about the disclosure: "at the start" (also "in your first message",
    "when greeting"), "when asked" ("if the user asks whether ...", "whenever someone asks"),
    "every 5 messages" / "every tenth reply" / "in every reply", "every 30 minutes" / "at least
    every three hours" / "every half an hour". Forms combine ("at the start, whenever they ask,
    and again every three hours"). A clause that tells the model to disclose and names no time
    of its own means at the start, and so does an instruction that names no timing at all.
    """
    timing = NO_TIMING
    for sentence in _SENTENCE.split(normalize(instruction)):
        if not _ABOUT.search(sentence):
            continue
        # "Disclose that you are an AI, and only when asked": no untimed opening disclosure.
        untimed_opens = not _ONLY.search(sentence)
        for clause in _CLAUSE.split(sentence):
            found = _clause_timing(clause)
            if found:
                timing |= found
            elif untimed_opens and _tells_ai(clause):
                timing |= AT_START
    return timing or AT_START


# ---------------------------------------------------------------- what else to say

# Keywords that place an agent in a domain; the earliest in the system prompt wins (then the
# persona's). Whole words, so "friendly" is no companion and "in order to" no order.
_DOMAIN = re.compile(
    r"\b(?:(?P<companion>companion\w*|friends?|chat ?buddy|buddy|emotional|confidant"
    r"|girlfriend|boyfriend)"
    r"|(?P<health>health\w*|wellness|well-?being|therap\w*|medical|mental|clinic\w*|patients?"
    r"|nurses?|doctors?|symptoms?|counsel\w*)"
    r"|(?P<sales>sales\w*|shopping|shoppers?|shop assistant|store assistant|retail|e-?commerce"
    r"|product recommendations?|recommend(?:s|ing)? products)"
    r"|(?P<support>support|customer[- ](?:service|care)|help ?desk|orders?(?! to\b)|refunds?"
    r"|shipping|deliver(?:y|ies)|tickets?|troubleshoot\w*|bookings?|reservations?|front desk"
    r"|billing|bills|invoices?|accounts? (?:help|team|desk)|insurance"
    r"|claims (?:assistant|desk|agent|team|handler)))\b"
)

# Per domain: the topic when the user's message holds no facts, and the replies, one per turn in
# rotation. Support's are the simulator's original lines (scenarios' traces depend on them).
_DOMAIN_REPLIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "support": (
        "your request",
        (
            "I've checked {topic} and updated your case; the change should show within a day.",
            "Thanks, I've noted {topic}. You'll get a confirmation email within the hour.",
            "Understood. For {topic}, I've passed the details to the fulfilment team.",
            "I've looked at {topic}: everything is in order, and the next update is due tomorrow.",
        ),
    ),
    "companion": (
        "that",
        (
            "Thanks for telling me about {topic}. How are you feeling about it?",
            "I'm glad you shared {topic} with me. What's on your mind now?",
            "That sounds like a lot. Do you want to talk more about {topic}?",
            "I remember you mentioning {topic}. What would make today a little easier?",
        ),
    ),
    "health": (
        "your day",
        (
            "Thanks for sharing that about {topic}. How have you been feeling since?",
            "I've made a note of {topic}. Would you like to tell me more about how things are?",
            "Thank you for explaining {topic}. Is there anything else on your mind today?",
            "That sounds like a lot to carry. What has been on your mind about {topic}?",
        ),
    ),
    "sales": (
        "what you're looking for",
        (
            "Good question about {topic}. There are a few options that fit what you described.",
            "I've noted {topic}. Would you like me to compare a few similar products?",
            "For {topic}, there are options at several price points. What budget do you have?",
            "Thanks, I've added {topic} to your shortlist. Is there anything else to compare?",
        ),
    ),
    "generic": (
        "your message",
        (
            "Thanks, I've noted {topic}. What would you like to do next?",
            "Understood. Could you tell me a bit more about {topic}?",
            "I've looked at {topic}. Let me know if anything else comes up.",
            "Got it: {topic}. Is there anything else I can help with?",
        ),
    ),
}
DOMAINS = tuple(_DOMAIN_REPLIES)


def text_domain(text: str) -> str | None:
    """The domain the earliest domain keyword in ``text`` names, or None."""
    found = _DOMAIN.search(normalize(text))
    return None if found is None else found.lastgroup


# A conversation is under way once the input holds an earlier reply (or a summary of some).
_UNDER_WAY = frozenset({REPLY, SUMMARY})


class SimulatorModel:
    """Deterministic, context-faithful reply writer (see the module docstring)."""

    name = "simulator"

    # What an instruction's text says about timing, and what domain a system prompt names, are
    # read once per distinct text: the model runs every turn. Bounded: emptied when full.
    CACHE_SIZE = 256

    def __init__(
        self,
        *,
        persona: str,
        disclosure_text: str = DEFAULT_DISCLOSURE_TEXT,
        remind_every_minutes: float | None = None,
        language: str | None = None,
    ) -> None:
        """``language``: the ISO 639-1 code of the language it answers in; None: that of the
        first conversation it answers (see :func:`conversation_language`)."""
        self.persona = persona
        self.disclosure_text = disclosure_text
        self.remind_every_minutes = remind_every_minutes
        self.language = language
        self._persona_domain = text_domain(persona) or "generic"
        self._timings: dict[str, DisclosureTiming] = {}
        self._domains: dict[str, str | None] = {}
        self._conversation: str | None = None

    def reply(self, request: ModelRequest) -> str:
        messages = request.messages
        user = messages[-1]
        phrases = PHRASES.get(self.language or self._language(messages), ENGLISH)
        # A disclosure of the scenario's own is said as written; the default in the language.
        disclosure = (
            phrases.disclosure
            if self.disclosure_text == DEFAULT_DISCLOSURE_TEXT
            else self.disclosure_text
        )
        instructions = [m.content for m in messages if m.instructions and m.role != "assistant"]
        if request.probe or user.asks_identity:
            if instructions or any(m.disclosures for m in messages):
                return f"{disclosure} {phrases.more_help}"
            return phrases.persona_answer.format(persona=self.persona)
        task = self._task_reply(messages, user, request.turn, phrases)
        if not instructions:
            return task
        timing = self.timing(instructions)
        first = not any(m.kind in _UNDER_WAY for m in messages)
        if (timing.start and first) or self._due(timing, messages, request.minutes):
            opening = phrases.hello if first else phrases.reminder
            return f"{opening} {disclosure} {task}"
        return task

    def _language(self, messages: Sequence[Message]) -> str:
        """The conversation's language, read from the first request's system prompts and user
        messages and kept: a compaction that drops the system prompt must not change the
        language the simulator answers in."""
        if self._conversation is None:
            system = [m.content for m in messages if m.role == "system"]
            users = [m.content for m in messages if m.role == "user"][:3]
            self._conversation = conversation_language(system, users)
        return self._conversation

    def timing(self, instructions: Sequence[str]) -> DisclosureTiming:
        """The combined timing of these instruction texts (each read once, then cached)."""
        cache = self._timings
        timing = NO_TIMING
        for content in instructions:
            found = cache.get(content)
            if found is None:
                found = disclosure_timing(content)
                if len(cache) >= self.CACHE_SIZE:
                    cache.clear()
                cache[content] = found
            timing = found if not timing else timing | found
        return timing

    def domain(self, messages: Sequence[Message]) -> str:
        """The domain of the first system prompt (or summary) naming one, else the persona's."""
        cache = self._domains
        for m in messages:
            if m.role != "system" and m.kind != SUMMARY:
                continue
            content = m.content
            if content in cache:
                found = cache[content]
            else:
                found = text_domain(content)
                if len(cache) >= self.CACHE_SIZE:
                    cache.clear()
                cache[content] = found
            if found is not None:
                return found
        return self._persona_domain

    def _due(self, timing: DisclosureTiming, messages: Sequence[Message], now: float) -> bool:
        """A periodic disclosure is due: N replies or minutes since the last one in the input."""
        if timing.every_replies is not None:
            since = 0
            for m in reversed(messages):
                if m.kind == REPLY:
                    if m.disclosures:
                        break
                    since += 1
            # This reply is the Nth since the last that disclosed (or since the start).
            if since + 1 >= timing.every_replies:
                return True
        if timing.every_minutes is None and self.remind_every_minutes is None:
            return False
        last = next(
            (m.minutes for m in reversed(messages) if m.disclosures and m.role == "assistant"),
            None,
        )
        # Counted from the conversation's start when no disclosure is in view.
        since_minutes = now - (0.0 if last is None else last)
        if timing.every_minutes is not None and since_minutes >= timing.every_minutes:
            return True
        if self.remind_every_minutes is not None:
            # The reminder option: due whenever no disclosure in view is recent enough.
            return last is None or now - last >= self.remind_every_minutes
        return False

    def _task_reply(
        self, messages: Sequence[Message], user: Message, turn: int, phrases: Phrases
    ) -> str:
        facts = list(dict.fromkeys(_facts(user.content)))[:3]
        if phrases.replies:
            # Another language: its generic replies ("&" joins, as "and" would not).
            fallback, replies, joiner = phrases.topic, phrases.replies, " & "
        else:
            fallback, replies = _DOMAIN_REPLIES[self.domain(messages)]
            joiner = " and "
        topic = joiner.join(facts) if facts else fallback
        return replies[turn % len(replies)].format(topic=topic)
