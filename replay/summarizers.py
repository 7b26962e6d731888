"""Summarizers: what writes the summary when a policy compacts the context.

The default is an offline, deterministic *extractive* summarizer that behaves like the
task-focused summaries real frameworks ask models for: it keeps facts, numbers, names and open
requests and drops greetings, pleasantries and statements about the assistant itself. That is
exactly why it deletes disclosures, as real summaries do, unless told to keep them.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Protocol

from replay import matchers
from replay.clients import ChatClient, LiveModelSpec
from replay.models import ModelError
from replay.trace import Message

DEFAULT_PROMPT = (
    "Summarize the conversation above for the assistant's continuity: keep the user's requests, "
    "facts, numbers, names and open tasks; leave out greetings and small talk."
)


@dataclass(frozen=True)
class SummarizerSpec:
    """Which summarizer writes summaries, as the scenario configures it."""

    type: str = "extractive"
    keep_disclosures: bool = False
    max_tokens: int = 256
    prompt: str | None = None
    text: str | None = None
    function: str | None = None
    model: LiveModelSpec | None = None
    """Model summarizer: the live model that writes summaries."""


class Summarizer(Protocol):
    """Writes a summary of messages; ``prompt`` is what it was asked (recorded in the trace)."""

    name: str
    prompt: str

    def summarize(self, messages: Sequence[Message], number: int) -> str: ...


class SummarizerError(RuntimeError):
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
        self._function = load_callable(function, folder)

    def summarize(self, messages: Sequence[Message], number: int) -> str:
        payload = [{"role": m.role, "content": m.content} for m in messages]
        try:
            result = self._function(payload, self.prompt)
        except Exception as exc:
            raise SummarizerError(f"{self.name} raised {type(exc).__name__}: {exc}") from exc
        if not isinstance(result, str):
            raise SummarizerError(f"{self.name} returned {type(result).__name__}, expected str")
        return result


# LangChain 1.x SummarizationMiddleware's DEFAULT_SUMMARY_PROMPT (langchain 1.4), minus its
# closing "<messages>{messages}</messages>" block: replay sends the messages to summarize as
# the conversation before this instruction, so the trace records them as they are.
LANGCHAIN_SUMMARY_PROMPT = """<role>
Context Extraction Assistant
</role>

<primary_objective>
Your sole objective in this task is to extract the highest quality/most relevant context from the conversation history below.
</primary_objective>

<objective_information>
You're nearing the total number of input tokens you can accept, so you must extract the highest quality/most relevant pieces of information from your conversation history.
This context will then overwrite the conversation history presented below. Because of this, ensure the context you extract is only the most important information to continue working toward your overall goal.
</objective_information>

<instructions>
The conversation history below will be replaced with the context you extract in this step.
You want to ensure that you don't repeat any actions you've already completed, so the context you extract from the conversation history should be focused on the most important information to your overall goal.

You should structure your summary using the following sections. Each section acts as a checklist - you must populate it with relevant information or explicitly state "None" if there is nothing to report for that section:

## SESSION INTENT

What is the user's primary goal or request? What overall task are you trying to accomplish? This should be concise but complete enough to understand the purpose of the entire session.

## SUMMARY

Extract and record all of the most important context from the conversation history. Include important choices, conclusions, or strategies determined during this conversation. Include the reasoning behind key decisions. Document any rejected options and why they were not pursued.

## ARTIFACTS

What artifacts, files, or resources were created, modified, or accessed during this conversation? For file modifications, list specific file paths and briefly describe the changes made to each. This section prevents silent loss of artifact information.

## NEXT STEPS

What specific tasks remain to be completed to achieve the session intent? What should you do next?

</instructions>

The user will message you with the full message history from which you'll extract context to create a replacement. Carefully read through it all and think deeply about what information is most important to your overall goal and should be saved:

With all of this in mind, please carefully read over the entire conversation history, and extract the most important and relevant context to replace it so that you can free up space in the conversation history.
Respond ONLY with the extracted context. Do not include any additional information, or text before or after the extracted context."""  # noqa: E501
PROMPT_PRESETS = {"langchain": LANGCHAIN_SUMMARY_PROMPT}


class ModelSummarizer:
    """A model writes the summary: the messages to summarize, then the prompt as a user turn.

    Uses the same clients as replies, so retries, cassettes and key handling are the same.
    """

    def __init__(self, client: ChatClient, prompt: str | None = None) -> None:
        self.client = client
        self.name = f"model:{client.name}"
        self.prompt = prompt or DEFAULT_PROMPT

    def summarize(self, messages: Sequence[Message], number: int) -> str:
        instruction = Message(
            id="summary-prompt", role="user", content=self.prompt, tokens=0, turn=0, kind="prompt"
        )
        try:
            return self.client.complete_text([*messages, instruction]).strip()
        except ModelError as exc:
            raise SummarizerError(f"the summary model failed: {exc}") from exc

    def close(self) -> None:
        self.client.close()


_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_REFERENCE = re.compile(rf"{_IDENTIFIER}(?:\.{_IDENTIFIER})*:{_IDENTIFIER}")


def reference_problem(reference: str) -> str | None:
    """Why ``module:function`` may not name a summarizer (None: it may), without importing.

    The name must be dotted identifiers, ``:``, an identifier; and the module must not be one
    of the standard library's (``os:system``, ``antigravity``, ``this``): a summarizer is the
    scenario author's own code, and standard-library modules run code on import or do harm when
    called with a conversation.
    """
    if not _REFERENCE.fullmatch(reference):
        return (
            f"{reference!r} is not a function reference; write 'package.module:function' "
            "(dotted identifiers, ':', an identifier)"
        )
    top = reference.partition(":")[0].split(".")[0]
    if top in sys.stdlib_module_names or top in sys.builtin_module_names:
        return (
            f"{reference!r} names the standard library module {top!r}; a callable summarizer "
            "must be your own module (replay refuses standard-library references)"
        )
    return None


def _search(parts: Sequence[str], folders: Sequence[str | Path]) -> Path | None:
    for folder in folders:
        base = Path(folder or ".").joinpath(*parts)
        candidates = [base.parent / f"{parts[-1]}.py", base / "__init__.py"]
        candidates += [base.parent / f"{parts[-1]}{suffix}" for suffix in EXTENSION_SUFFIXES]
        for candidate in candidates:
            try:
                if candidate.is_file():
                    return candidate
            except OSError:
                continue
    return None


def find_module_file(module_name: str, folders: Sequence[str | Path]) -> Path | None:
    """The file that would define ``module_name``, looked up without importing anything.

    Searches each folder in order for ``a/b/c.py``, ``a/b/c/__init__.py`` or an extension
    module. Failing that (an editable install's finder), asks the import system's finders for
    the *top-level* name only, which locates it without running it, and searches the rest of
    the name in that package's folders by path: ``importlib.util.find_spec`` of a dotted name
    would import the parent packages.
    """
    parts = module_name.split(".")
    found = _search(parts, folders)
    if found is not None:
        return found
    try:
        spec = importlib.util.find_spec(parts[0])
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if len(parts) == 1:
        origin = spec.origin
        return Path(origin) if origin and origin not in ("built-in", "frozen") else None
    return _search(parts[1:], list(spec.submodule_search_locations or ()))


def locate_callable(reference: str, folder: str | Path | None = None) -> Path:
    """Where ``module:function``'s module is (the scenario's folder, then sys.path), unimported.

    Raises SummarizerError saying what is wrong; validation uses this, never ``load_callable``.
    """
    problem = reference_problem(reference)
    if problem:
        raise SummarizerError(problem)
    module_name = reference.partition(":")[0]
    folders = ([folder] if folder is not None else []) + [entry or "." for entry in sys.path]
    found = find_module_file(module_name, folders)
    if found is None:
        raise SummarizerError(
            f"cannot find module {module_name!r} (looked, without importing it, next to the "
            "scenario and on sys.path); is it in the scenario's folder, installed or on PYTHONPATH?"
        )
    return found


def load_callable(reference: str, folder: str | Path | None = None) -> Callable[..., object]:
    """Import ``package.module:function``; raise SummarizerError saying what is missing.

    Only a run calls this (``replay validate`` uses ``locate_callable``). ``folder``, the
    scenario's folder, comes first on ``sys.path`` while the module is imported.
    """
    problem = reference_problem(reference)
    if problem:
        raise SummarizerError(problem)
    module_name, _, attribute = reference.partition(":")
    added = folder is not None and str(folder) not in sys.path
    if added:
        sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise SummarizerError(
            f"cannot import module {module_name!r} ({type(exc).__name__}: {exc}); "
            "is it installed or on PYTHONPATH?"
        ) from exc
    finally:
        if added and str(folder) in sys.path:
            sys.path.remove(str(folder))
    function = getattr(module, attribute, None)
    if not callable(function):
        raise SummarizerError(f"module {module_name!r} has no callable {attribute!r}")
    return function  # type: ignore[no-any-return]


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
