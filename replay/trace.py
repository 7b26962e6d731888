"""The trace: what every way of running produces, and what checks and reports read.

A trace is JSON Lines: one header record, then one record per turn. Every message is written
exactly once, in the turn it first appears; model calls and compaction events refer to messages
by id. So a trace grows linearly with the conversation, and a model call's full input can be
printed back by resolving its ids (:func:`model_call_input`).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from replay.errors import InvalidInput, OutputError, Problem, RunIncomplete, os_reason
from replay.files import NotRegularFile, open_regular
from replay.wire import ToolCall, Usage

TRACE_SCHEMA_VERSION = "2"
"""Version 2 added the structure of model calls: messages' tool calls, tool results, content
parts and opaque items; calls' API, tool definitions, finish reason, refusal, usage, response id
and what of their input is unknown. Every field it added is optional, so a version 1 trace
reads as one whose messages are plain text (see :data:`READABLE_VERSIONS`)."""
READABLE_VERSIONS = frozenset({"1", "1.0", "1.1", TRACE_SCHEMA_VERSION})
"""Trace versions this reader understands; a header naming another is refused (exit 2)."""

# Message kinds: where a message came from, independent of the role it is sent with.
SYSTEM = "system"
USER = "user"
REPLY = "reply"
SUMMARY = "summary"
MARKER = "marker"  # a fixed notice a policy inserts, e.g. AutoGen's "Skipped N messages."
PROMPT = "prompt"  # the instruction given to a summarizer
GREETING = "greeting"  # an opening assistant message the product sends before the user speaks
NOTICE = "notice"  # a fixed notice the product puts in the model's input (e.g. a UI banner)
OPENING_KINDS = frozenset({GREETING, NOTICE})


# The two carriers of a disclosure in a model's input, tracked apart (docs/architecture.md):
# the instruction to make it (the duty) and a statement of it (the fact).
INSTRUCTION = "instruction"
STATEMENT = "statement"
Carrier = tuple[str, str]
"""(disclosure id, INSTRUCTION or STATEMENT)."""


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message, annotated once when it is created."""

    id: str
    role: str
    content: str
    tokens: int
    turn: int
    kind: str
    minutes: float = 0.0
    """Conversation time (minutes since the start) at which the message was written."""
    disclosures: frozenset[str] = frozenset()
    """Ids of the disclosures this message states (e.g. "I'm an AI assistant")."""
    instructions: frozenset[str] = frozenset()
    """Ids of the disclosures this message instructs the model to make."""
    claims_human: bool = False
    asks_identity: bool = False
    """The message asks whether the other side is a human or an AI (a probe)."""
    shown: bool = False
    """An opening message the user sees (a greeting in the chat window), not only the model."""
    tool_calls: tuple[ToolCall, ...] = ()
    """The tool calls an assistant message makes. They are not text: an assistant message that
    only calls tools has empty ``content`` and shows the user nothing, so no check reads it as
    a statement, a claim or a reply the user saw."""
    tool_call_id: str | None = None
    """For a tool result (role ``tool``): the id of the call it answers. A tool result is what
    a tool returned, never the agent telling the user anything: it carries no disclosure."""
    parts: tuple[str, ...] = ()
    """The content's parts in order when it has non-text ones (text parts as text, images and
    files as placeholders such as ``[image]``); ``content`` is the text parts joined."""
    opaque: str | None = None
    """An item whose content the proxy cannot read: ``reasoning`` (the model's own, sent
    back), ``compaction`` (a server-side compaction: what it keeps is unknown),
    ``item_reference`` (an item stored server-side), or a built-in tool's item type."""

    def carries(self, disclosure: str) -> bool:
        """The message states the disclosure or instructs the model to make it."""
        return disclosure in self.disclosures or disclosure in self.instructions

    def carriers(self) -> Iterator[Carrier]:
        """What this message carries, per disclosure and kind."""
        for disclosure in self.instructions:
            yield disclosure, INSTRUCTION
        for disclosure in self.disclosures:
            yield disclosure, STATEMENT

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "role": self.role,
            "kind": self.kind,
            "turn": self.turn,
            "minutes": self.minutes,
            "tokens": self.tokens,
            "content": self.content,
        }
        if self.disclosures:
            record["disclosures"] = sorted(self.disclosures)
        if self.instructions:
            record["instructions"] = sorted(self.instructions)
        if self.claims_human:
            record["claims_human"] = True
        if self.asks_identity:
            record["asks_identity"] = True
        if self.shown:
            record["shown"] = True
        if self.tool_calls:
            record["tool_calls"] = [c.to_json() for c in self.tool_calls]
        if self.tool_call_id is not None:
            record["tool_call_id"] = self.tool_call_id
        if self.parts:
            record["parts"] = list(self.parts)
        if self.opaque is not None:
            record["opaque"] = self.opaque
        return record

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> Message:
        return cls(
            id=record["id"],
            role=record["role"],
            content=record["content"],
            tokens=record["tokens"],
            turn=record["turn"],
            kind=record["kind"],
            minutes=record.get("minutes", 0.0),
            disclosures=frozenset(record.get("disclosures", ())),
            instructions=frozenset(record.get("instructions", ())),
            claims_human=record.get("claims_human", False),
            asks_identity=record.get("asks_identity", False),
            shown=record.get("shown", False),
            tool_calls=tuple(ToolCall.from_json(c) for c in record.get("tool_calls", ())),
            tool_call_id=record.get("tool_call_id"),
            parts=tuple(record.get("parts", ())),
            opaque=record.get("opaque"),
        )


def carriers_of(messages: Iterable[Message]) -> set[Carrier]:
    """Everything some message of ``messages`` carries."""
    return {c for m in messages if m.disclosures or m.instructions for c in m.carriers()}


def lost_disclosures(
    disclosures: Iterable[str], before: AbstractSet[Carrier], after: AbstractSet[Carrier]
) -> tuple[str, ...]:
    """The disclosures a change of the context lost, given what it carried before and after.

    Lost means the instruction to make it left the input, or every carrier of it did. Losing
    the duty is a loss even while an old statement of the fact lingers; a disclosure that was
    never instructed (a greeting-only product) is lost when its last statement goes.
    """
    lost = []
    for d in disclosures:
        instruction, statement = (d, INSTRUCTION), (d, STATEMENT)
        if (instruction in before and instruction not in after) or (
            (instruction in before or statement in before)
            and instruction not in after
            and statement not in after
        ):
            lost.append(d)
    return tuple(sorted(lost))


@dataclass(frozen=True, slots=True)
class ModelCall:
    """One call to a model: the exact input (message ids, in order) and the output message.

    The output message holds the reply's text and tool calls; the call keeps the rest of the
    reply's structure (finish reason, refusal, usage, response id) and of the request (the
    tools it offered, by name; the API it spoke). ``input_unknown`` says why part of the
    model's real input is not in ``input`` (server-side state the proxy did not record: an
    unknown ``previous_response_id``, a stored ``conversation``, a compaction item): checks
    that read the model's input cannot judge such a call and say "could not run", never pass.
    """

    purpose: str  # "reply" or "summary"
    model: str
    input: tuple[str, ...]
    input_tokens: int
    output: str | None
    error: str | None = None
    api: str | None = None
    """The wire API of the call (``openai``, ``anthropic``, ``responses``), when the proxy
    recorded it."""
    tools: tuple[str, ...] = ()
    """The names of the tools the request offered the model."""
    finish_reason: str | None = None
    refusal: str | None = None
    usage: Usage | None = None
    response_id: str | None = None
    """The id the API gave the reply (a Responses API id names server-side state)."""
    input_unknown: str | None = None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "purpose": self.purpose,
            "model": self.model,
            "input": list(self.input),
            "input_tokens": self.input_tokens,
            "output": self.output,
        }
        if self.error is not None:
            record["error"] = self.error
        if self.api is not None:
            record["api"] = self.api
        if self.tools:
            record["tools"] = list(self.tools)
        if self.finish_reason is not None:
            record["finish_reason"] = self.finish_reason
        if self.refusal is not None:
            record["refusal"] = self.refusal
        if self.usage is not None:
            record["usage"] = self.usage.to_json()
        if self.response_id is not None:
            record["response_id"] = self.response_id
        if self.input_unknown is not None:
            record["input_unknown"] = self.input_unknown
        return record

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> ModelCall:
        return cls(
            purpose=record["purpose"],
            model=record["model"],
            input=tuple(record["input"]),
            input_tokens=record["input_tokens"],
            output=record.get("output"),
            error=record.get("error"),
            api=record.get("api"),
            tools=tuple(record.get("tools", ())),
            finish_reason=record.get("finish_reason"),
            refusal=record.get("refusal"),
            usage=Usage.from_json(record["usage"]) if record.get("usage") else None,
            response_id=record.get("response_id"),
            input_unknown=record.get("input_unknown"),
        )


@dataclass(frozen=True, slots=True)
class CompactionEvent:
    """The context was cut: which messages left it and what, if anything, replaced them."""

    policy: str
    reason: str
    tokens_before: int
    tokens_after: int
    messages_before: int
    messages_after: int
    removed: tuple[str, ...]
    replacement: str | None = None
    lost: tuple[str, ...] = ()
    """Disclosures this event lost: it removed the last instruction to make them, or their last
    carrier of any kind (see :func:`lost_disclosures`)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "reason": self.reason,
            "tokens_before": self.tokens_before,
            "tokens_after": self.tokens_after,
            "messages_before": self.messages_before,
            "messages_after": self.messages_after,
            "removed": list(self.removed),
            "replacement": self.replacement,
            "lost": list(self.lost),
        }

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> CompactionEvent:
        return cls(
            policy=record["policy"],
            reason=record["reason"],
            tokens_before=record["tokens_before"],
            tokens_after=record["tokens_after"],
            messages_before=record["messages_before"],
            messages_after=record["messages_after"],
            removed=tuple(record["removed"]),
            replacement=record.get("replacement"),
            lost=tuple(record.get("lost", ())),
        )


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """Everything that happened in one turn, in order."""

    index: int
    minutes: float
    """Conversation time of the user message, in minutes since the conversation began."""
    user: str | None
    probe: bool
    messages: tuple[Message, ...]
    """Messages that appear for the first time in this turn (user, summaries, reply)."""
    compactions: tuple[CompactionEvent, ...] = ()
    model_calls: tuple[ModelCall, ...] = ()
    reply: str | None = None
    error: str | None = None

    @property
    def reply_call(self) -> ModelCall | None:
        """The model call that wrote this turn's reply (the last one with purpose "reply")."""
        for call in reversed(self.model_calls):
            if call.purpose == "reply":
                return call
        return None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "type": "turn",
            "turn": self.index,
            "minutes": self.minutes,
            "user": self.user,
            "probe": self.probe,
            "messages": [m.to_json() for m in self.messages],
            "compactions": [c.to_json() for c in self.compactions],
            "model_calls": [c.to_json() for c in self.model_calls],
            "reply": self.reply,
        }
        if self.error is not None:
            record["error"] = self.error
        return record

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> TurnRecord:
        return cls(
            index=record["turn"],
            minutes=record["minutes"],
            user=record.get("user"),
            probe=record.get("probe", False),
            messages=tuple(Message.from_json(m) for m in record.get("messages", ())),
            compactions=tuple(CompactionEvent.from_json(c) for c in record.get("compactions", ())),
            model_calls=tuple(ModelCall.from_json(c) for c in record.get("model_calls", ())),
            reply=record.get("reply"),
            error=record.get("error"),
        )


@dataclass(frozen=True)
class TraceHeader:
    """The first record of a trace: what was replayed, with which setup."""

    scenario: str
    source: str
    disclosures: tuple[str, ...]
    agent: Mapping[str, Any] = field(default_factory=dict)
    setup: tuple[Message, ...] = ()
    """Messages present before the first user turn (the system prompt)."""
    checks: tuple[Mapping[str, Any], ...] = ()
    """The scenario's checks as plain data (``CheckSpec.to_json``), so a saved trace can be
    checked and reported again without its scenario file."""
    rules: tuple[str, ...] = ()
    """Ids of the rule packs the scenario selected."""
    regulations: tuple[str, ...] = ()
    """The scenario's free-text regulation references."""

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "header",
            "schema_version": TRACE_SCHEMA_VERSION,
            "scenario": self.scenario,
            "source": self.source,
            "disclosures": list(self.disclosures),
            "agent": dict(self.agent),
            "setup": [m.to_json() for m in self.setup],
            "checks": [dict(c) for c in self.checks],
            "rules": list(self.rules),
            "regulations": list(self.regulations),
        }

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> TraceHeader:
        """The header of a trace of any readable version (a version 1 trace reads as it is:
        every field version 2 added has a default)."""
        version = str(record.get("schema_version", "1"))
        if version not in READABLE_VERSIONS:
            raise ValueError(
                f"trace schema version {version!r} is not one this replay reads "
                f"({', '.join(sorted(READABLE_VERSIONS))})"
            )
        return cls(
            scenario=record["scenario"],
            source=record["source"],
            disclosures=tuple(record["disclosures"]),
            agent=record.get("agent", {}),
            setup=tuple(Message.from_json(m) for m in record.get("setup", ())),
            checks=tuple(record.get("checks", ())),
            rules=tuple(record.get("rules", ())),
            regulations=tuple(record.get("regulations", ())),
        )


# Records are fresh trees of dicts and lists, never cyclic: skipping the cycle check is safe
# and saves about a tenth of the encoding time on long traces.
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)


class TraceWriteError(OutputError):
    """A trace could not be written (a full disk, a read-only folder): exit 3, never a pass."""

    def __init__(self, path: Path | str, exc: OSError) -> None:
        super().__init__("the trace", path, exc)


class TraceWriter:
    """Streams a trace to a JSON Lines file, one record per line, as the replay proceeds.

    The last line is an end record. A trace without one was cut short (the process was killed
    or crashed), and readers report it as incomplete rather than check what is there: a trace
    that stops before the turn that would have failed must never read as compliant.

    An OS error while writing (a full disk, a read-only folder, a permission error) raises
    :class:`TraceWriteError` (exit 3) naming the file; the partial file left behind has no end
    record, so it too reads as incomplete.
    """

    def __init__(self, stream: IO[str], path: Path | str = "<stream>") -> None:
        self._stream = stream
        self._turns = 0
        self._path = path
        self._failed = False

    @classmethod
    def open(cls, path: Path) -> TraceWriter:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            stream = path.open("w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise TraceWriteError(path, exc) from None
        return cls(stream, path)

    def write(self, record: TraceHeader | TurnRecord) -> None:
        # Key order comes from the to_json methods, so output is deterministic without sorting.
        try:
            self._stream.write(_ENCODER.encode(record.to_json()) + "\n")
        except OSError as exc:
            self._failed = True
            raise TraceWriteError(self._path, exc) from None
        if isinstance(record, TurnRecord):
            self._turns += 1

    def close(self, finished: bool = True) -> None:
        """Write the end record and close; ``finished=False`` marks a run that stopped early.

        After a failed write only the file is closed (quietly): no end record may follow a
        record that was lost, and the error already raised is the one to report.
        """
        if self._failed:
            with contextlib.suppress(OSError):
                self._stream.close()
            return
        end = {"type": "end", "turns": self._turns, "finished": finished}
        try:
            self._stream.write(json.dumps(end) + "\n")
            self._stream.close()
        except OSError as exc:
            self._failed = True
            with contextlib.suppress(OSError):
                self._stream.close()
            raise TraceWriteError(self._path, exc) from None


class TraceFormatError(InvalidInput):
    """A trace file is not a valid replay trace (exit 2), located to its line."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__([Problem(str(path), line, 1, message)])


class TraceCutShort(RunIncomplete):
    """A trace ends before its end record (empty, or its last line cut mid-record): the run
    that wrote it was killed, crashed, ran out of disk or is still running. Exit 3."""


_RECORD_START = re.compile(rb'\{\s*"type"\s*:')
"""How every record the writer emits begins (``{"type": ...``)."""


def _cut_record(line: bytes) -> bool:
    """``line`` (the file's last, without a newline) is the start of a record the writer was
    cut off writing, not text of some other kind: it begins as every record does and is UTF-8,
    except perhaps for a character cut in half at its very end."""
    if not _RECORD_START.match(line):
        return b'{"type": "'.startswith(line)  # cut before the record's first key was whole
    for cut in range(4):  # a UTF-8 sequence is at most 4 bytes: up to 3 may be missing
        try:
            line[: len(line) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


MAX_RECORD_BYTES = 256 * 1024 * 1024
"""Longest trace line read (one turn's record): far above any real turn, it bounds the memory
a hostile trace (one endless line) can take."""


def _read_line(path: Path, number: int, stream: IO[bytes]) -> bytes:
    """The next line, at most :data:`MAX_RECORD_BYTES` long (longer: TraceFormatError)."""
    line = stream.readline(MAX_RECORD_BYTES + 1)
    if len(line) > MAX_RECORD_BYTES:
        raise TraceFormatError(
            path, number, f"line {number} is longer than {MAX_RECORD_BYTES // 2**20} MiB"
        )
    return line


def _parse(path: Path, number: int, line: bytes) -> Any:
    """One record: a dict from one line. A last line cut short raises TraceCutShort (exit 3);
    anything else that is not a JSON record raises TraceFormatError (exit 2)."""
    try:
        record = json.loads(line.decode("utf-8"))
    except RecursionError:
        # No record the writer emits nests more than a few levels; a hostile line nested
        # 100,000 deep must be a located error, not an internal one.
        raise TraceFormatError(path, number, "bad record (nested too deeply)") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        if not line.endswith(b"\n") and _cut_record(line):
            raise TraceCutShort(
                f"{path}: the trace is cut off in the middle of line {number} (its last); the "
                "run that wrote it did not finish (killed, crashed, out of disk space or still "
                "running), so it is incomplete"
            ) from None
        what = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else f"bad record ({exc})"
        if number == 1:
            what = (
                "not a replay trace (not UTF-8 text)"
                if isinstance(exc, UnicodeDecodeError)
                else f"not a replay trace header ({exc})"
            )
        raise TraceFormatError(path, number, what) from None
    if not isinstance(record, dict):
        what = "not a replay trace header" if number == 1 else "bad record"
        raise TraceFormatError(
            path, number, f"{what} (a JSON {type(record).__name__}, expected an object)"
        )
    return record


def read_trace(path: Path) -> tuple[TraceHeader, Iterator[TurnRecord]]:
    """Open a trace: its header now, its turns lazily (memory stays flat).

    Raises TraceFormatError (exit 2) for a file that is not a trace and for a malformed
    record, and RunIncomplete (exit 3) for a trace the run did not finish writing: an empty
    file, a last line cut mid-record (now, or while iterating), no end record, or an end
    record saying the run stopped early.
    """
    try:
        stream, _ = open_regular(path)
    except NotRegularFile as exc:
        raise TraceFormatError(path, 1, exc.reason) from None
    except FileNotFoundError:
        raise TraceFormatError(path, 1, "no such trace file") from None
    except IsADirectoryError:
        raise TraceFormatError(path, 1, "is a folder, not a trace file") from None
    except OSError as exc:
        raise TraceFormatError(path, 1, f"cannot read: {os_reason(exc)}") from None
    try:
        first = _read_line(path, 1, stream)
        if not first:
            raise TraceCutShort(
                f"{path}: the trace is empty (0 bytes); the run that writes it did not get to "
                "its header (killed, crashed, out of disk space or still running), so it is "
                "incomplete"
            )
        header_record = _parse(path, 1, first)
        if header_record.get("type") != "header":
            raise TraceFormatError(path, 1, "the first record must be the trace header")
        try:
            header = TraceHeader.from_json(header_record)
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise TraceFormatError(path, 1, f"not a replay trace header ({exc!r})") from exc
    except OSError as exc:
        stream.close()
        raise TraceFormatError(path, 1, f"cannot read: {os_reason(exc)}") from None
    except BaseException:
        stream.close()
        raise

    def turns() -> Iterator[TurnRecord]:
        count = 0
        end: Mapping[str, Any] | None = None
        line_number = 1
        with stream:
            while line := _read_line(path, line_number + 1, stream):
                line_number += 1
                record = _parse(path, line_number, line)
                if end is not None:
                    raise TraceFormatError(path, line_number, "a record after the end")
                if record.get("type") == "end":
                    end = record
                    continue
                try:
                    turn = TurnRecord.from_json(record)
                except (KeyError, TypeError, AttributeError, ValueError) as exc:
                    raise TraceFormatError(path, line_number, f"bad record ({exc!r})") from exc
                count += 1
                yield turn
        if end is None:
            raise TraceCutShort(
                f"{path}: the trace stops after {count} turn(s) without its end record; the run "
                "that wrote it did not finish (killed or crashed), so it is incomplete"
            )
        if end.get("turns") != count:
            raise TraceFormatError(
                path,
                line_number,
                f"the end record counts {end.get('turns')} turns, the trace has {count}",
            )
        if not end.get("finished", False):
            raise RunIncomplete(f"{path}: the run that wrote this trace stopped early")

    return header, turns()


def model_call_input(
    header: TraceHeader, turns: Iterable[TurnRecord], turn: int, call: int = -1
) -> tuple[ModelCall, list[Message]]:
    """Resolve the full input of one model call (default: the turn's last call)."""
    known: dict[str, Message] = {m.id: m for m in header.setup}
    for record in turns:
        for message in record.messages:
            known[message.id] = message
        if record.index == turn:
            if not record.model_calls:
                raise LookupError(f"turn {turn} made no model call")
            try:
                chosen = record.model_calls[call]
            except IndexError:
                raise LookupError(
                    f"turn {turn} made {len(record.model_calls)} model call(s); "
                    f"there is no call {call}"
                ) from None
            return chosen, [known[i] for i in chosen.input]
    raise LookupError(f"the trace has no turn {turn}")
