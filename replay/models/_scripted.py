"""Scripted replies: the scenario's own texts and tool calls, in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from replay.models._base import ModelError, ModelRequest
from replay.models._wire import WireReply
from replay.trace._records import ToolCall


class ScriptedModel:
    """Replies from the scenario: a turn's own ``reply:``, else the next of ``replies``.

    A scripted reply is text, or a :class:`~replay.wire.WireReply` that may call tools, so a
    tool-using agent behind the recording proxy can be tested offline: script the tool call,
    then the answer the model gives once the tool result comes back. A scripted tool call
    without an id gets one (``call_replay_1``, ...). The reference agent loop reads replies as
    text only (:meth:`reply`): a tool-call-only reply is empty text there.
    """

    name = "scripted"

    def __init__(
        self, replies: Sequence[str | WireReply] = (), default_reply: str | None = None
    ) -> None:
        self._replies = list(replies)
        self._default = default_reply
        self._next = 0
        self._calls = 0

    def reply(self, request: ModelRequest) -> str:
        return self.answer(request).text

    def answer(self, request: ModelRequest) -> WireReply:
        """The next scripted reply, whole (text, tool calls)."""
        if request.scripted_reply is not None:
            return WireReply(request.scripted_reply)
        if self._next < len(self._replies):
            found = self._replies[self._next]
            self._next += 1
            return WireReply(found) if isinstance(found, str) else self._with_ids(found)
        if self._default is not None:
            return WireReply(self._default)
        raise ModelError(
            f"the scripted model has no reply for turn {request.turn}: add 'reply:' to the turn, "
            "more 'replies:', or a 'default_reply:'"
        )

    def _with_ids(self, reply: WireReply) -> WireReply:
        calls: list[ToolCall] = []
        for call in reply.tool_calls:
            if not call.id:
                self._calls += 1
                call = replace(call, id=f"call_replay_{self._calls}")
            calls.append(call)
        return replace(reply, tool_calls=tuple(calls))
