"""The plain transcript importer: one chat message per JSON line.

Each line is ``{"conversation_id": ID, "timestamp": T, "role": ROLE, "content": TEXT}``
(``timestamp`` ISO 8601 or epoch seconds, optional; ``role`` one of user, assistant, system,
tool). A transcript shows the chat the user saw, never the model's input, so every call it
yields has ``input_complete=False``: the replies can be judged, the model's context cannot.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from replay.audit._read import BadRecords, LogRecord, parse_time
from replay.audit._records import LoggedCall
from replay.audit._spill import Spill
from replay.models._wire import WireMessage, WireReply
from replay.spec._scenario import Location

ROLES = ("user", "assistant", "system", "tool")
LINE_BUCKETS = 32
"""Buckets for parking lines (the size of the input is not known here; the audit parks the
calls made of them again, in buckets of its own)."""
NO_REPLY = "the transcript has no reply to this user message (it ends before one)"


@dataclass(frozen=True)
class _Line:
    where: Location
    conversation: str
    seconds: float | None
    role: str
    content: str


def _line(item: LogRecord) -> _Line:
    """One transcript line (raises ValueError saying what is wrong with it)."""
    data = item.data
    if not isinstance(data, Mapping):
        raise ValueError("not a JSON object")
    conversation = data.get("conversation_id")
    if (
        not isinstance(conversation, str | int)
        or isinstance(conversation, bool)
        or conversation == ""
    ):
        raise ValueError('"conversation_id" is missing or is not a text or number')
    role = data.get("role")
    if role not in ROLES:
        raise ValueError(f'"role" must be one of {", ".join(ROLES)}, not {role!r}')
    content = data.get("content")
    if not isinstance(content, str):
        raise ValueError('"content" is missing or is not a text')
    stamp = data.get("timestamp")
    seconds = None if stamp is None else parse_time(stamp)
    return _Line(item.where, str(conversation), seconds, str(role), content)


def import_calls(records: Iterable[LogRecord], bad: BadRecords) -> Iterator[LoggedCall]:
    """A call per reply: the visible chat before it as input (``input_complete=False``), the
    assistant message as output, at the time of the user message it answers. A user message
    the transcript never answers is a call without output (its turn cannot be judged)."""
    # Lines are parked on disk by conversation (as the audit parks calls): a transcript's
    # conversations interleave, and a month of them does not fit in memory. One conversation's
    # lines are held while its calls are made.
    with Spill[_Line]("transcript", LINE_BUCKETS) as chats:
        for item in records:
            try:
                line = _line(item)
            except ValueError as exc:
                bad.add(item.where, str(exc))
                continue
            chats.add(line, line.conversation, line.seconds, line.where.file)
        for chat in chats.conversations():
            yield from _calls(list(chat.calls))


def _calls(lines: list[_Line]) -> Iterator[LoggedCall]:
    chat: list[WireMessage] = []
    asked: _Line | None = None  # the latest user message not answered yet
    for line in lines:
        if line.role == "assistant" and asked is not None:
            yield LoggedCall(
                conversation=line.conversation,
                where=line.where,
                input=tuple(chat),
                output=WireReply(line.content),
                seconds=asked.seconds if asked.seconds is not None else line.seconds,
                input_complete=False,
            )
        if line.role == "user":
            asked = line
        chat.append(WireMessage(line.role, line.content))
    if asked is not None and lines[-1].role == "user":
        yield LoggedCall(
            conversation=asked.conversation,
            where=asked.where,
            input=tuple(chat),
            output=None,
            seconds=asked.seconds,
            error=NO_REPLY,
            input_complete=False,
        )


def sniff(data: Any) -> bool:
    """Whether a first record looks like this format's."""
    return isinstance(data, Mapping) and "role" in data and "content" in data
