"""Splitting a proxy recording without a scenario into turns."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence

from replay.proxy._backends import SUMMARIZER_MODEL
from replay.proxy._recorder import CallRecorder, TurnContext
from replay.proxy._server import RefusedRequest
from replay.spec._vocab import USER
from replay.trace._records import Message, TurnRecord


class TurnSplitter:
    """For the standalone proxy, which has no script: finds turns in the stream of requests.

    The rule (docs/agents.md, "How the standalone proxy finds turns"), for each request:

    1. No user message, or its last user message has the text of the turn under way's user
       message and the request carries that text no more often than the request that started
       the turn: part of the turn under way (retries of a request, tool-call roundtrips).
    2. Addressed to the model :data:`SUMMARIZER_MODEL`, or its last user message quotes the
       user message of a turn before the one under way (one of at least :attr:`QUOTE_CHARS`
       characters) within a longer text: a framework's summarization request, part of the
       turn under way.
    3. Otherwise its last user message starts a new turn.

    Each finished turn is handed to ``emit``.

    One proxy records one conversation. A request that starts a turn while carrying, as
    history, a user message (of at least :attr:`QUOTE_CHARS` characters) that an earlier
    turn-starting request had already dropped from the context is another agent's
    conversation: one agent's history does not bring back what it dropped. It is refused
    (:class:`RefusedRequest`, 409) and every turn from then on is recorded with that error, so
    the merged trace reads as incomplete (exit 3). See docs/agents.md.
    """

    QUOTE_CHARS = 12
    """Shorter user messages ("ok", "thanks") are too common to tell a quoting prompt apart."""

    def __init__(
        self,
        recorder: CallRecorder,
        emit: Callable[[TurnRecord], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.recorder = recorder
        self.emit = emit
        self._clock = clock
        self._start = clock()
        self._turn = 0
        self._text: str | None = None
        self._repeats = 0
        self._user: Message | None = None
        self._earlier: list[str] = []
        self._lock = threading.Lock()
        self._context_users: set[str] = set()
        """The user texts the latest turn-starting request carried."""
        self._dropped: set[str] = set()
        """User texts that left the context between turn-starting requests."""
        self.conflict: str | None = None
        """Why the trace mixes conversations, once a second one was detected."""

    def __call__(self, wire: Sequence[tuple[str, str]], model: str | None = None) -> None:
        last_user = next((content for role, content in reversed(wire) if role == "user"), None)
        # A user may say the same thing again ("thanks"): that request carries the text once
        # more than the one that started the turn, where a retry carries it as often.
        repeats = sum(1 for role, content in wire if role == "user" and content == last_user)
        with self._lock:
            if last_user is None or (last_user == self._text and repeats <= self._repeats):
                return
            if self._turn and (model == SUMMARIZER_MODEL or self._quotes_a_turn(last_user)):
                return
            self._second_conversation(wire, last_user)
            self._flush()
            if self._text is not None and len(self._text) >= self.QUOTE_CHARS:
                self._earlier.append(self._text)
            self._turn += 1
            self._text, self._repeats = last_user, repeats
            minutes = (self._clock() - self._start) / 60
            user = self.recorder.factory.make(
                "user", last_user, kind=USER, turn=self._turn, minutes=minutes
            )
            self._user = user
            self.recorder.begin_turn(
                TurnContext(self._turn, minutes, user.asks_identity, last_user), user
            )

    def _second_conversation(self, wire: Sequence[tuple[str, str]], last_user: str) -> None:
        """Refuse a turn-starting request that brings back history the conversation dropped."""
        users = {c for role, c in wire if role == "user" and len(c) >= self.QUOTE_CHARS}
        history = users - {last_user}
        back = sorted(history & self._dropped)
        if back:
            self.conflict = (
                "a second conversation reached this proxy: a request carried, as history, a "
                f"user message this conversation had already dropped ({back[0][:60]!r}); one "
                "replay proxy records one agent's conversation: start one proxy per agent"
            )
            print(f"replay proxy: refused a request (409): {self.conflict}", file=sys.stderr)
            raise RefusedRequest(f"replay proxy: {self.conflict}")
        self._dropped -= {last_user}  # the user said it again: it is back, legitimately
        self._dropped |= self._context_users - users
        self._context_users = users

    def _quotes_a_turn(self, text: str) -> bool:
        # Not the turn under way's message: a user who repeats and extends it starts a turn.
        return any(earlier in text and earlier != text for earlier in self._earlier)

    def flush(self) -> None:
        """Emit the turn under way (call once the agent is done)."""
        with self._lock:
            self._flush()

    def _flush(self) -> None:
        user = self._user
        if user is None:
            return
        self._user = None
        captured = self.recorder.end_turn(None)
        # Fail closed: a turn whose model call failed did not complete, nor does any turn of a
        # trace that mixes two conversations.
        error = captured.failed_call or self.conflict
        self.emit(captured.record(self.recorder.context, user, error))
