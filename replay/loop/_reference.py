"""Agents under test: the loops that turn a user message into a reply.

The built-in :class:`ReferenceAgent` is the loop most frameworks run: system prompt + history,
a compaction policy applied before each model call, then the model. Every message it creates is
annotated once (tokens, which disclosures it states or instructs, whether it claims to be human)
so that replaying N turns costs O(N), and every model call, summarizer calls included, is
recorded with its exact input.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from replay import matchers
from replay.loop._compaction import Compactor, Context
from replay.loop._summarizers import Summarizer, SummarizerError, summarize_with_usage
from replay.loop._tokens import TOKENS_PER_REPLY_PRIMING, TokenCounter
from replay.models._base import Model, ModelError, ModelRequest, close_all, reply_parts
from replay.spec._scenario import Disclosure, OpeningMessage, Turn
from replay.spec._vocab import (
    GREETING,
    MARKER,
    NOTICE,
    PROMPT,
    REPLY,
    SUMMARY,
    SYSTEM,
    USER,
    CallPurpose,
    MessageKind,
)
from replay.trace._records import Message, ModelCall, TurnRecord, Usage


class _Annotations(NamedTuple):
    """What a message's role and content alone decide: its token count and what it says."""

    tokens: int
    disclosures: frozenset[str]
    instructions: frozenset[str]
    claims_human: bool
    asks_identity: bool
    statements: tuple[tuple[str, str], ...] = ()
    """(disclosure, the sentence that decided it) for each of ``disclosures``: the echo test."""


# Stripped from a deciding sentence before the echo pre-test: at least what the matchers strip,
# so "its core is in the user's message" is necessary for the matcher to call it an echo.
_ECHO_STRIP = string.punctuation + string.whitespace


class MessageFactory:
    """Creates trace messages with ids, token counts and disclosure annotations, once each."""

    # Probes, their answers and canned replies recur word for word in long conversations, and
    # probes are the costliest texts to match: their annotations are remembered. Bounded, so
    # memory stays flat: the cache is emptied when full, and texts that recur come back.
    ANNOTATION_CACHE_SIZE = 256
    ANNOTATION_CACHE_MAX_CHARS = 2000

    def __init__(self, counter: TokenCounter, disclosures: Sequence[Disclosure]) -> None:
        self.counter = counter
        self.disclosures = tuple(disclosures)
        self._claims_human = matchers.builtin("claims-human")
        self._probe = matchers.builtin("probe")
        # (id, search) pairs bound once: make() runs for every message of a replay.
        statements = {d.id: matchers.matcher_for(d.statement) for d in self.disclosures}
        instructions = {d.id: matchers.matcher_for(d.instruction) for d in self.disclosures}
        self._statements = tuple((i, m.search_normalized) for i, m in statements.items())
        self._statement_search = dict(self._statements)
        self._instructions = tuple((i, m.search_normalized) for i, m in instructions.items())
        # Most messages hold no word any of these matchers is anchored on: one test skips
        # every search for them.
        self._anchors = matchers.AnchorFilter(
            [
                *statements.values(),
                *instructions.values(),
                self._claims_human,
                self._probe,
            ]
        )
        # A disclosure statement guarded by claims-human ("contradicted_by") has already
        # searched the whole text for a human claim and found none when it reports a
        # disclosure: the same search on the same text need not run again for claims_human.
        self._refutes_human_claims = frozenset(
            i
            for i, m in statements.items()
            if m.guard is not None
            and m is not self._claims_human
            and matchers.BUILTIN_MATCHERS.get(m.guard.contradicted_by or "") is self._claims_human
        )
        self._annotations: dict[tuple[str, str], _Annotations] = {}
        # The normalized text of the last few messages: a reply's echo test needs that of the
        # user message it answers, normalized moments before.
        self._normalized: dict[str, str] = {}
        self._next_id = 0

    def restart(self) -> None:
        """Number the next message m1 again, for a new trace. What was learnt of texts (their
        tokens and annotations, which depend on the text alone) is kept: an audit writes many
        conversations that share system prompts and canned replies."""
        self._next_id = 0

    def make(
        self,
        role: str,
        content: str,
        *,
        kind: MessageKind,
        turn: int,
        minutes: float,
        shown: bool = False,
        reply_to: Message | None = None,
    ) -> Message:
        """A new message. ``reply_to`` is the user message an assistant message answers: a
        sentence that only repeats it is an echo, not a statement (see ``Matcher.search``)."""
        self._next_id += 1
        key = (role, content)
        annotations = self._annotations.get(key)
        if annotations is None:
            annotations = self._annotate(role, content)
            if len(content) <= self.ANNOTATION_CACHE_MAX_CHARS:
                if len(self._annotations) >= self.ANNOTATION_CACHE_SIZE:
                    self._annotations.clear()
                self._annotations[key] = annotations
        disclosures = annotations.disclosures
        if disclosures and reply_to is not None:
            disclosures = self._without_echoes(content, annotations, reply_to)
        return Message(
            id=f"m{self._next_id}",
            role=role,
            content=content,
            tokens=annotations.tokens,
            turn=turn,
            kind=kind,
            minutes=minutes,
            disclosures=disclosures,
            instructions=annotations.instructions,
            claims_human=annotations.claims_human,
            asks_identity=annotations.asks_identity,
            shown=shown,
        )

    def _without_echoes(
        self, content: str, annotations: _Annotations, reply_to: Message
    ) -> frozenset[str]:
        """The disclosures a reply states in words of its own, not only in the user's."""
        echo_of = self._normalize(reply_to.content)
        statements = annotations.statements
        if all(sentence.strip(_ECHO_STRIP) not in echo_of for _, sentence in statements):
            # The common case: no deciding sentence occurs in the user's message, so none
            # can be an echo and every disclosure stands.
            return annotations.disclosures
        kept = set(annotations.disclosures)
        for d, sentence in statements:
            # A deciding sentence that is not in the user's message is no echo, and it decides
            # again: the common case costs one substring test.
            if sentence.strip(_ECHO_STRIP) not in echo_of:
                continue
            search = self._statement_search[d]
            if search(self._normalize(content), echo_of=echo_of) is None:
                kept.discard(d)
        return frozenset(kept)

    def _normalize(self, content: str) -> str:
        normalized = self._normalized.get(content)
        if normalized is None:
            normalized = matchers.normalize(content)
            if len(self._normalized) >= 4:  # a turn's user message and reply, and a summary
                self._normalized.clear()
            self._normalized[content] = normalized
        return normalized

    def _annotate(self, role: str, content: str) -> _Annotations:
        tokens = self.counter.message(role, content)
        normalized = self._normalize(content)
        if not self._anchors.may_match(normalized):
            # What the searches below would answer, without running them.
            return _Annotations(tokens, frozenset(), frozenset(), False, False)
        found = [(d, search(normalized)) for d, search in self._statements]
        evidence = tuple((d, e.text) for d, e in found if e is not None)
        # Instructions are what the model is told; a reply that says "always disclose" is
        # not an instruction to itself.
        instructions = (
            frozenset([d for d, search in self._instructions if search(normalized) is not None])
            if role != "assistant"
            else frozenset()
        )
        disclosures = frozenset(d for d, _ in evidence)
        return _Annotations(
            tokens=tokens,
            disclosures=disclosures,
            instructions=instructions,
            claims_human=role == "assistant"
            and self._refutes_human_claims.isdisjoint(disclosures)
            and self._claims_human.search_normalized(normalized) is not None,
            asks_identity=role == "user" and self._probe.search_normalized(normalized) is not None,
            statements=evidence,
        )


@dataclass
class _TurnLog:
    """What one turn produced so far, in order."""

    turn: Turn
    user: Message
    messages: list[Message] = field(default_factory=list)
    calls: list[ModelCall] = field(default_factory=list)


class ReferenceAgent:
    """System prompt + history + compaction policy + model, one user message at a time."""

    def __init__(
        self,
        *,
        system_prompt: str | None,
        model: Model,
        opening: Sequence[OpeningMessage] = (),
        compactor: Compactor,
        summarizer: Summarizer,
        factory: MessageFactory,
        summary_role: str = "user",
        summary_prefix: str = "",
        pin_system: bool = True,
    ) -> None:
        self.model = model
        self.compactor = compactor
        self.summarizer = summarizer
        self.factory = factory
        self.summary_role = summary_role
        self.summary_prefix = summary_prefix
        self._disclosure_ids = tuple(d.id for d in factory.disclosures)
        self._summary_prompt: Message | None = None
        self._summaries = 0
        system = (
            factory.make("system", system_prompt, kind=SYSTEM, turn=0, minutes=0.0)
            if system_prompt
            else None
        )
        # The product's opening messages follow the system prompt and, unlike a pinned system
        # prompt, are history: compaction can drop them like any other message.
        opening_messages = [
            factory.make(
                o.role,
                o.content,
                kind=GREETING if o.kind == "greeting" else NOTICE,
                turn=0,
                minutes=0.0,
                shown=o.shown_to_user,
            )
            for o in opening
        ]
        self.setup: tuple[Message, ...] = ((system,) if system else ()) + tuple(opening_messages)
        if system is not None and pin_system:
            self.context = Context(pinned=system, body=opening_messages)
        else:
            self.context = Context(
                pinned=None, body=([system] if system else []) + opening_messages
            )

    def run_turn(self, turn: Turn) -> TurnRecord:
        """Replay one user turn; a model failure is recorded in the turn, never hidden."""
        user = self.factory.make(
            "user", turn.text, kind=USER, turn=turn.index, minutes=turn.minutes
        )
        log = _TurnLog(turn, user)
        log.messages.append(user)
        self.context.append(user)
        compactions = []
        reply_id = error = None
        try:
            event = self.compactor.apply(
                self.context,
                self._disclosure_ids,
                summarize=lambda head: self._summarize(head, log),
                make_marker=lambda role, text: self._marker(role, text, log),
            )
            if event is not None:
                compactions.append(event)
            reply_id = self._reply(log).id
        except (ModelError, SummarizerError) as exc:
            error = str(exc)
        return TurnRecord(
            index=turn.index,
            minutes=turn.minutes,
            user=user.id,
            probe=turn.probe,
            messages=tuple(log.messages),
            compactions=tuple(compactions),
            model_calls=tuple(log.calls),
            reply=reply_id,
            error=error,
        )

    def close(self) -> None:
        """Release the model's and summarizer's resources (a live client's connections)."""
        close_all(self.model, self.summarizer)

    def _reply(self, log: _TurnLog) -> Message:
        turn = log.turn
        messages = self.context.messages()
        request = ModelRequest(
            messages=messages,
            turn=turn.index,
            minutes=turn.minutes,
            disclosures=self._disclosure_ids,
            probe=turn.probe,
            scripted_reply=turn.reply,
        )
        try:
            text, usage = reply_parts(self.model.reply(request))
        except ModelError as exc:
            log.calls.append(self._call("reply", self.model.name, messages, None, str(exc)))
            raise
        reply = self.factory.make(
            "assistant", text, kind=REPLY, turn=turn.index, minutes=turn.minutes, reply_to=log.user
        )
        log.messages.append(reply)
        log.calls.append(
            self._call(
                "reply", self.model.name, messages, reply, tokens=self.context.tokens(), usage=usage
            )
        )
        self.context.append(reply)
        return reply

    def _summarize(self, head: Sequence[Message], log: _TurnLog) -> Message:
        turn = log.turn
        if self._summary_prompt is None:
            # The summarizer's instruction is a message like any other, written once.
            self._summary_prompt = self.factory.make(
                "user", self.summarizer.prompt, kind=PROMPT, turn=turn.index, minutes=turn.minutes
            )
            log.messages.append(self._summary_prompt)
        self._summaries += 1
        inputs = [*head, self._summary_prompt]
        try:
            text, usage = summarize_with_usage(self.summarizer, head, self._summaries)
        except SummarizerError as exc:
            log.calls.append(self._call("summary", self.summarizer.name, inputs, None, str(exc)))
            raise
        summary = self.factory.make(
            self.summary_role,
            self.summary_prefix + text,
            kind=SUMMARY,
            turn=turn.index,
            minutes=turn.minutes,
        )
        log.messages.append(summary)
        log.calls.append(self._call("summary", self.summarizer.name, inputs, summary, usage=usage))
        return summary

    def _marker(self, role: str, text: str, log: _TurnLog) -> Message:
        turn = log.turn
        marker = self.factory.make(role, text, kind=MARKER, turn=turn.index, minutes=turn.minutes)
        log.messages.append(marker)
        return marker

    @staticmethod
    def _call(
        purpose: CallPurpose,
        model: str,
        inputs: Sequence[Message],
        output: Message | None,
        error: str | None = None,
        tokens: int | None = None,
        usage: Usage | None = None,
    ) -> ModelCall:
        if tokens is None:
            tokens = sum(m.tokens for m in inputs)
        return ModelCall(
            purpose=purpose,
            model=model,
            input=tuple([m.id for m in inputs]),
            input_tokens=tokens + TOKENS_PER_REPLY_PRIMING,
            output=None if output is None else output.id,
            error=error,
            usage=usage,
        )
