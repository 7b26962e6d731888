"""Compaction policies: how an agent loop cuts its context when it passes a budget.

A policy sees the live context (an optional pinned system prompt plus the body of messages)
just before each model call, the way LangChain's middleware runs ``before_model``. When its
trigger fires it removes messages and may insert one replacement (a summary or a marker), and
reports a :class:`~replay.trace.CompactionEvent` saying exactly what left the context.

The named presets reproduce real frameworks' published defaults; the table and its sources are
in ``docs/compaction.md`` (read from each framework's source, see ``../shared`` of the design).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from replay.loop._tokens import TOKENS_PER_REPLY_PRIMING, content_tokens
from replay.spec._loop import CompactionSpec
from replay.spec._vocab import Carrier
from replay.trace._records import CompactionEvent, Message, lost_disclosures

# ----------------------------------------------------------------------------- the engine

AUTOGEN_USER_NAME_TOKENS = 2
"""AutoGen sends a user message with ``name`` = its source, "user" for AssistantAgent.run(task=...)
text, and count_tokens_openai counts the name's tokens (1) plus tokens_per_name (1)."""

Summarize = Callable[[Sequence[Message]], Message]
"""Writes one summary message from the messages given (the agent records the model call)."""
MakeMarker = Callable[[str, str], Message]
"""Creates a marker message from (role, content)."""


class Context:
    """The live context of an agent loop: an optional pinned system prompt and the body.

    Token totals and which disclosures the context carries are kept up to date as messages
    come and go, so asking costs O(1) per turn, not a walk over the whole context.
    """

    def __init__(self, pinned: Message | None, body: Iterable[Message] = ()) -> None:
        self.pinned = pinned
        self._body: list[Message] = []
        self._tokens = 0
        self._approximate_tokens = 0
        self._carriers: Counter[Carrier] = Counter()
        if pinned is not None:
            self._count(pinned, 1)
        for message in body:
            self.append(message)

    @property
    def body(self) -> Sequence[Message]:
        """The unpinned messages, oldest first (change them through the methods below)."""
        return self._body

    def append(self, message: Message) -> None:
        self._body.append(message)
        self._count(message, 1)

    def delete(self, index: int) -> None:
        self._count(self._body.pop(index), -1)

    def replace_body(self, messages: Iterable[Message]) -> None:
        # Only what leaves or joins changes the totals: the kept tail (most of the body after
        # a summary) is neither uncounted nor counted again.
        # Counted by identity and multiplicity, so a message listed twice counts twice, as
        # when every message was uncounted and counted again.
        new = list(messages)
        balance = Counter(id(m) for m in new)
        balance.subtract(id(m) for m in self._body)
        for message in (*self._body, *new):
            change = balance[id(message)]
            if change:
                # Each surplus occurrence is counted once: the first visit settles all of it.
                self._count(message, change)
                balance[id(message)] = 0
        self._body = new

    def _count(self, message: Message, times: int) -> None:
        """Add ``message`` to the totals ``times`` times (negative: take it out)."""
        self._tokens += times * message.tokens
        self._approximate_tokens += times * approximate_tokens(message)
        if message.disclosures or message.instructions:  # most messages carry none
            for carrier in message.carriers():
                self._carriers[carrier] += times

    def messages(self) -> list[Message]:
        return [self.pinned, *self._body] if self.pinned else list(self._body)

    def tokens(self, *, approximate: bool = False) -> int:
        """Tokens of the whole context: the tiktoken counts, or LangChain's approximation."""
        return self._approximate_tokens if approximate else self._tokens

    def carried(self) -> set[Carrier]:
        """What some message of the context carries (instructions and statements)."""
        return {c for c, n in self._carriers.items() if n > 0}


class Compactor:
    """Applies one :class:`CompactionSpec` to a live context."""

    def __init__(self, spec: CompactionSpec, context_window: int | None = None) -> None:
        self.spec = spec
        self.context_window = context_window
        self._skipped = 0
        # Budget decisions use the framework's own counter: LangChain's middleware budgets
        # with ceil(chars / 4) + 3, not with the model's tokenizer.
        self._approximate = spec.token_counting == "approximate"
        # LlamaIndex's memory buffers count the content alone (cl100k_base, no framing).
        self._content = spec.token_counting == "llamaindex"
        # AutoGen's count_tokens_openai: the chat framing, a user message's name ("user") and
        # 1 more, and 3 for the reply priming (autogen_ext/models/openai/_openai_client.py).
        self._autogen = spec.token_counting == "autogen"
        self._history: list[Message] = []
        """With view_of_history: every message the context ever held, oldest first."""
        primed = spec.count_reply_priming or self._autogen
        self._priming = TOKENS_PER_REPLY_PRIMING if primed else 0
        """What every count adds once: ChatOpenAI's get_num_tokens_from_messages and AutoGen's
        count_tokens_openai count the 3 tokens that prime the reply, on any list of messages."""

    def tokens(self, context: Context) -> int:
        if self._content or self._autogen:  # the context is bounded by the compaction
            total = self._count(context.messages())
        else:
            total = context.tokens(approximate=self._approximate)
        if context.pinned is not None and not self.spec.count_pinned:
            total -= self._size(context.pinned)
        return total

    def _size(self, message: Message) -> int:
        if self._content:
            return content_tokens(message.content)
        if self._autogen and message.role == "user":
            return message.tokens + AUTOGEN_USER_NAME_TOKENS
        return approximate_tokens(message) if self._approximate else message.tokens

    def threshold(self) -> float:
        spec = self.spec
        if spec.trigger_kind == "fraction":
            assert self.context_window is not None, "validated by the scenario loader"
            return spec.trigger_value * self.context_window
        return spec.trigger_value

    def measure(self, context: Context) -> tuple[int, str]:
        """What the trigger compares with its threshold, and its unit."""
        if self.spec.trigger_kind == "messages":
            window = self._window(context.body)
            if self.spec.trigger_skips_summary:
                # Semantic Kernel's summarization reducer counts from after its summaries.
                first = next((i for i, m in enumerate(window) if m.kind != "summary"), 0)
                window = window[first:]
            return len(window), "messages"
        if self.spec.window_excludes_turn or self.spec.buffer_apart_from_summary:
            # A buffer the framework budgets on its own: the history before the turn, without
            # the summary it keeps apart (LangChain's ConversationSummaryBufferMemory).
            counted = [m for m in self._window(context.body) if not self._apart(m)]
            if context.pinned is not None and self.spec.count_pinned:
                counted.insert(0, context.pinned)
            return self._count(counted), "tokens"
        return self.tokens(context), "tokens"

    def _count(self, messages: Iterable[Message]) -> int:
        """The framework's count of these messages, as one list."""
        return sum(map(self._size, messages)) + self._priming

    def _apart(self, message: Message) -> bool:
        """A summary the framework keeps apart from the buffer it budgets."""
        return self.spec.buffer_apart_from_summary and message.kind == "summary"

    def triggered(self, context: Context) -> str | None:
        """Why the trigger fires now, or None."""
        spec = self.spec
        if spec.policy == "none" or spec.trigger_kind is None:
            return None
        body = context.body
        if spec.summarize_leading_reply and body and body[0].role in ("assistant", "tool"):
            return f"the history starts with an {body[0].role} message"
        measure, unit = self.measure(context)
        threshold = self.threshold()
        fires = measure >= threshold if spec.trigger_inclusive else measure > threshold
        if not fires:
            return f"every call (budget {threshold:g} {unit})" if spec.runs_every_call else None
        op = ">=" if spec.trigger_inclusive else ">"
        return f"{measure} {unit} {op} {threshold:g}"

    def apply(
        self,
        context: Context,
        disclosures: Sequence[str],
        summarize: Summarize,
        make_marker: MakeMarker,
    ) -> CompactionEvent | None:
        """Compact ``context`` in place if the trigger fires; describe what happened."""
        policy = self.spec.policy
        view = self._whole_history(context) if self.spec.view_of_history else None
        reason = self.triggered(context if view is None else view)
        if reason is None:
            return None  # with a view: the whole history fits, nothing is cut now
        before_tokens, before_count = self.tokens(context), len(context.messages())
        carried_before = context.carried()
        old_ids = [m.id for m in context.messages()]

        replacement: Message | None = None
        if view is not None:
            # A fresh view of the whole history, cut as it would be, replaces the last one: a
            # message cut before comes back when it fits now.
            self._drop_until_within(view, middle=policy == "middle_out")
            context.replace_body(view.body)
        elif policy in ("truncate_oldest", "middle_out"):
            self._drop_until_within(context, middle=policy == "middle_out")
        elif policy == "sliding_window":
            history = self._window(context.body)
            context.replace_body([*self._tail(history), *context.body[len(history) :]])
        elif policy in ("summarize", "running_summary"):
            # With window_excludes_turn the current turn's messages stay whatever the keep.
            history = self._window(context.body)
            tail = [*self._tail(history), *context.body[len(history) :]]
            head = context.body[: len(context.body) - len(tail)]
            if not head:
                return None
            if self.spec.keep_lone_summary and len(head) == 1 and head[0].kind == "summary":
                return None  # nothing new to summarize: the summary stays as it is
            replacement = summarize(head)
            context.replace_body([replacement, *tail])
        elif policy == "head_tail":
            head = context.body[: self.spec.head]
            rest = context.body[self.spec.head :]
            tail = self._tail([m for m in rest if m.kind != "marker"])
            skipped = len(rest) - len(tail) - sum(1 for m in rest if m.kind == "marker")
            if skipped <= 0:
                return None
            self._skipped += skipped
            text = self.spec.marker_text.format(skipped=self._skipped)
            replacement = make_marker(self.spec.summary_role, text)
            context.replace_body([*head, replacement, *tail])
        else:  # pragma: no cover - the schema's enum rules this out
            raise ValueError(f"unknown compaction policy {policy!r}")

        kept = {m.id for m in context.messages()}
        removed = tuple(i for i in old_ids if i not in kept)
        if not removed:
            return None
        carried_after = context.carried()
        return CompactionEvent(
            policy=self.spec.preset or policy,
            reason=reason,
            tokens_before=before_tokens,
            tokens_after=self.tokens(context),
            messages_before=before_count,
            messages_after=len(context.messages()),
            removed=removed,
            replacement=replacement.id if replacement else None,
            lost=lost_disclosures(disclosures, carried_before, carried_after),
        )

    def _whole_history(self, context: Context) -> Context:
        """view_of_history: every message the context ever held, as a context of its own
        (AutoGen's TokenLimitedChatCompletionContext keeps them all and cuts a copy)."""
        seen = {m.id for m in self._history}
        self._history.extend(m for m in context.body if m.id not in seen)
        return Context(context.pinned, self._history)

    # -- how much survives

    def _window(self, body: Sequence[Message]) -> Sequence[Message]:
        """The part of the body a message window counts: all of it, or with
        ``window_excludes_turn`` the history before the newest message's turn."""
        if not self.spec.window_excludes_turn or not body:
            return body
        turn = body[-1].turn
        start = len(body)
        while start > 0 and body[start - 1].turn == turn:
            start -= 1
        return body[:start]

    def _tail(self, body: Sequence[Message]) -> list[Message]:
        """The newest messages the policy keeps verbatim."""
        spec = self.spec
        tail: list[Message] = []
        if spec.keep_kind == "messages":
            count = int(spec.keep_value)
            tail = list(body[max(0, len(body) - count) :]) if count else []
        else:
            if spec.keep_kind == "tokens":
                budget = spec.keep_value
            elif spec.keep_kind == "fraction":
                budget = spec.keep_value * (self.context_window or 0)
            else:
                budget = self.threshold() if spec.trigger_kind != "messages" else float("inf")
            used = self._priming
            for message in reversed(body):
                size = self._size(message)
                if used + size > budget or self._apart(message):
                    break
                tail.append(message)
                used += size
            tail.reverse()
        if spec.cut_back_to_user and spec.keep_kind == "messages" and tail:
            # Semantic Kernel: from the cut, look back at most trigger - keep messages (its
            # threshold_count) for a user message and cut there; none found: the cut stays.
            cut = len(body) - len(tail)
            floor = max(0, cut - int(spec.trigger_value - spec.keep_value))
            start = next((i for i in range(cut, floor - 1, -1) if body[i].role == "user"), cut)
            tail = list(body[start:])
        if spec.start_on_user:
            first_user = next((i for i, m in enumerate(tail) if m.role == "user"), len(tail))
            tail = tail[first_user:]
        return tail

    def _drop_until_within(self, context: Context, *, middle: bool) -> None:
        spec = self.spec
        if spec.trigger_kind == "messages":
            limit = spec.keep_value if spec.keep_kind == "messages" else self.threshold()

            def over() -> bool:
                return len(context.body) > limit
        else:
            limit = spec.keep_value if spec.keep_kind == "tokens" else self.threshold()

            def over() -> bool:
                return self.tokens(context) > limit

        # The newest message (the user's turn) always stays: a model call needs input.
        while over() and len(context.body) > 1:
            index = len(context.body) // 2 if middle else 0
            index = min(index, len(context.body) - 2)
            context.delete(index)
        if spec.start_on_user:
            while len(context.body) > 1 and context.body[0].role != "user":
                context.delete(0)


def approximate_tokens(message: Message) -> int:
    # langchain_core.messages.count_tokens_approximately: the content and the role's
    # characters at four a token, rounded up per message, plus three per message.
    return -(-(len(message.content) + len(message.role)) // 4) + 3
