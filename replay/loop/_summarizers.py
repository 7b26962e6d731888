"""Summarizers: what writes the summary when a policy compacts the context.

The default is an offline, deterministic *extractive* summarizer that behaves like the
task-focused summaries real frameworks ask models for: it keeps facts, numbers, names and open
requests and drops greetings, pleasantries and statements about the assistant itself. That is
exactly why it deletes disclosures, as real summaries do, unless told to keep them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from replay import matchers
from replay.errors import RunIncomplete
from replay.models._base import ModelError, Reply
from replay.spec._loop import DEFAULT_PROMPT, SummarizerSpec
from replay.trace._records import Message, Usage
from replay.trust._code import CodeNotFound, load_callable

if TYPE_CHECKING:  # the HTTP client is imported only when a model summarizer is built
    from replay.models._live import ChatClient


class Summarizer(Protocol):
    """Writes a summary of messages; ``prompt`` is what it was asked (recorded in the trace)."""

    name: str
    prompt: str

    def summarize(self, messages: Sequence[Message], number: int) -> str: ...


def summarize_with_usage(
    summarizer: Summarizer, messages: Sequence[Message], number: int
) -> tuple[str, Usage | None]:
    """The summary, and the token usage its provider reported: only a model summarizer calls
    a provider; the others' calls are counted by replay (None here)."""
    if isinstance(summarizer, ModelSummarizer):
        reply = summarizer.summarize_reply(messages, number)
        return reply.text, reply.usage
    return summarizer.summarize(messages, number), None


class SummarizerError(RunIncomplete, RuntimeError):
    """A user summarizer could not be loaded or failed."""


# Sentences that carry no task content: greetings, thanks, filler and offers of help.
_BOILERPLATE = re.compile(
    r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks?|thank you|you'?re welcome"
    r"|sure|of course|certainly|no problem|great|ok(?:ay)?|happy to help|glad to help"
    r"|how (?:can|may) i help|is there anything else|let me know|have a (?:great|nice|good)"
    r"|i hope (?:this|that) helps|feel free)\b"
)
_CONTENT = re.compile(
    r"\d|#|@|\b(?:send|label|order|refund|invoice|account|address|ship|deliver|cancel|return|charge|price"
    r"|need|want|asked|request|issue|problem|error|broken|missing|date|deadline|plan|book"
    r"|change|update|status|track|payment|card|email|phone|name)\w*",
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
# A sentence ends at . ! or ? followed by space (so "jane@example.com" stays whole) or a newline.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
_SELF_REFERENCE = re.compile(r"^(?:i am|i'm|as an?|this is|you are (?:chatting|talking))\b")


_SPEAKERS = {"user": "User", "assistant": "Assistant"}


def _sentences(text: str) -> list[str]:
    return [s for s in map(str.strip, _SENTENCE_BREAK.split(text)) if s]


class ExtractiveSummarizer:
    """Deterministic, task-focused extractive summary (the offline default)."""

    name = "extractive"

    def __init__(
        self,
        *,
        keep_disclosures: bool = False,
        max_chars: int = 1024,
        prompt: str | None = None,
        summary_prefix: str = "",
    ) -> None:
        self.keep_disclosures = keep_disclosures
        self.summary_prefix = summary_prefix
        self.max_chars = max_chars
        self.prompt = prompt or DEFAULT_PROMPT
        self._identity = matchers.builtin("ai-identity")
        self._instruction = matchers.builtin("disclosure-instruction")

    def _keeps(self, sentence: str, message: Message) -> bool:
        # The message was matched once when it was created: only its sentences can be
        # about identity if the whole message was.
        if (message.disclosures or message.instructions) and self._about_identity(sentence):
            return self.keep_disclosures
        if message.kind == "summary":
            return True  # an earlier summary holds only facts already chosen
        # Casefolding is all the task patterns need; full normalization is for the matchers.
        folded = sentence.casefold().replace("\u2019", "'")
        if _CONTENT.search(folded):
            return True
        if _BOILERPLATE.match(folded) or _SELF_REFERENCE.match(folded):
            return False
        return _NAME.search(sentence) is not None or "?" in sentence

    def _about_identity(self, sentence: str) -> bool:
        normalized = matchers.normalize(sentence)
        return (
            self._identity.search_normalized(normalized) is not None
            or self._instruction.search_normalized(normalized) is not None
        )

    def summarize(self, messages: Sequence[Message], number: int) -> str:
        # Keep the newest facts when over length, as a summary written for continuity would:
        # the summary is the longest run of kept sentences, ending with the newest, that fits.
        # Walking newest first and stopping at the first sentence that does not fit gives that
        # run without judging the older sentences it would drop (on long conversations most of
        # them: a summary is re-summarized with everything since).
        out: list[str] = []
        used = 0
        for sentence in self._kept_newest_first(messages):
            if used + len(sentence) + 1 > self.max_chars:
                break
            out.append(sentence)
            used += len(sentence) + 1
        out.reverse()
        return " ".join(out) if out else "No task details so far."

    def _kept_newest_first(self, messages: Sequence[Message]) -> Iterator[str]:
        """The sentences the summary keeps, as they would read in it, newest first."""
        for message in reversed(messages):
            content = message.content
            if message.kind == "summary":
                if content.startswith(self.summary_prefix):
                    content = content[len(self.summary_prefix) :]  # not re-prefixed
                if not (message.disclosures or message.instructions):
                    yield from reversed(_sentences(content))
                    continue
            speaker = _SPEAKERS.get(message.role, "") if message.kind != "summary" else ""
            for sentence in reversed(_sentences(content)):
                if self._keeps(sentence, message):
                    yield f"{speaker}: {sentence}" if speaker else sentence


class ScriptedSummarizer:
    """Returns fixed text (``{n}`` is the summary's number): for testing a known summary."""

    name = "scripted"

    def __init__(self, text: str, prompt: str | None = None) -> None:
        self.text = text
        self.prompt = prompt or DEFAULT_PROMPT

    def summarize(self, messages: Sequence[Message], number: int) -> str:
        return self.text.replace("{n}", str(number))


class CallableSummarizer:
    """A user function ``f(messages: list[dict], prompt: str) -> str`` given as module:function."""

    def __init__(
        self, function: str, prompt: str | None = None, folder: str | Path | None = None
    ) -> None:
        self.name = f"callable:{function}"
        self.prompt = prompt or DEFAULT_PROMPT
        try:
            self._function = load_callable(function, folder)
        except CodeNotFound as exc:
            raise SummarizerError(str(exc)) from exc

    def summarize(self, messages: Sequence[Message], number: int) -> str:
        payload = [{"role": m.role, "content": m.content} for m in messages]
        try:
            result = self._function(payload, self.prompt)
        except Exception as exc:
            raise SummarizerError(f"{self.name} raised {type(exc).__name__}: {exc}") from exc
        if not isinstance(result, str):
            raise SummarizerError(f"{self.name} returned {type(result).__name__}, expected str")
        return result


class ModelSummarizer:
    """A model writes the summary: the messages to summarize, then the prompt as a user turn.

    Uses the same clients as replies, so retries, cassettes and key handling are the same.
    """

    def __init__(self, client: ChatClient, prompt: str | None = None) -> None:
        self.client = client
        self.name = f"model:{client.name}"
        self.prompt = prompt or DEFAULT_PROMPT

    def summarize(self, messages: Sequence[Message], number: int) -> str:
        return self.summarize_reply(messages, number).text

    def summarize_reply(self, messages: Sequence[Message], number: int) -> Reply:
        """The summary with the usage the summary model reported."""
        instruction = Message(
            id="summary-prompt", role="user", content=self.prompt, tokens=0, turn=0, kind="prompt"
        )
        try:
            reply = self.client.complete_reply([*messages, instruction])
            return Reply(reply.text.strip(), reply.usage)
        except ModelError as exc:
            raise SummarizerError(f"the summary model failed: {exc}") from exc

    def close(self) -> None:
        self.client.close()


def build_summarizer(
    spec: SummarizerSpec, summary_prefix: str = "", folder: str | Path | None = None
) -> Summarizer:
    """The summarizer a spec names (``summary_prefix``: what the policy puts before summaries).

    ``folder``: the scenario's folder, where a callable summarizer's module is looked for first.
    """
    if spec.type == "scripted":
        return ScriptedSummarizer(spec.text or "", spec.prompt)
    if spec.type == "callable":
        return CallableSummarizer(spec.function or "", spec.prompt, folder)
    if spec.type == "model":
        if spec.model is None:
            raise SummarizerError("a model summarizer needs 'model'")
        try:
            from replay.models._live import ChatClient

            return ModelSummarizer(ChatClient(spec.model), spec.prompt)
        except ModelError as exc:
            raise SummarizerError(str(exc)) from exc
    # About four characters a token: max_tokens bounds the summary the way a model's
    # max_tokens would, without a tokenizer in the summarizer's hot path.
    return ExtractiveSummarizer(
        keep_disclosures=spec.keep_disclosures,
        max_chars=spec.max_tokens * 4,
        prompt=spec.prompt,
        summary_prefix=summary_prefix,
    )
