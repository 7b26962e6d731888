"""Inspect AI eval logs read into :class:`LoggedCall` records (issue 16).

What is read
    The two log formats Inspect AI writes (``inspect_ai.log``; docs: "Eval Logs", "Log
    File Format"): ``.eval``, a zip archive (``header.json`` or, while the eval runs,
    ``_journal/start.json``, then ``samples/<id>_epoch_<n>.json``, one member per sample;
    members zstd-compressed by current Inspect versions (0.3.285 does), or deflated or
    stored), and ``.json``, one ``EvalLog`` document (``version``, ``status``, ``eval``, ...,
    ``samples``).
    Read with the standard library's ``zipfile`` and ``json``, never by importing inspect_ai
    (an optional, large dependency); zstd members need :mod:`compression.zstd` (Python 3.14)
    or its backport ``backports.zstd``.

One conversation per sample and epoch
    The conversation id is ``TASK/SAMPLE/epoch-N/EVAL_ID`` (the eval's ``eval_id``, unique
    per task run, so two logs never share one). Each ``ModelEvent`` (``"event": "model"``) is
    one call, in the order of ``events``:

    * input: ``input`` (``ChatMessage`` objects: ``system``, ``user``, ``assistant`` with
      ``tool_calls``, ``tool`` with ``tool_call_id``; ``content`` a string or a list of
      ``Content`` parts), or, in logs that pool messages (current versions: 0.3.285 does),
      ``input_refs``: ``(start, end)`` ranges into the sample's ``events_data.messages``;
      ``attachment://HASH`` strings are the sample's ``attachments[HASH]`` (``tc://``, the
      older spelling, too);
    * output: ``output.choices[0].message`` (its text, tool calls, ``stop_reason``,
      ``output.usage``); ``error`` or ``output.error`` make a call with ``error`` and no
      output; an event still ``pending`` (a log written mid-call) has no output either;
    * ``timestamp`` (the call's start), ``model``; a ``role`` (a model role such as a
      ``grader`` or ``critic``) puts the call in a conversation of its own, ``.../role-R``.

    Model calls inside a ``scorers``/``scorer`` span (or, in logs older than spans, between a
    scorer ``step`` begin and end) are the scorer's, not the conversation's: not read. A model
    called inside a ``tool`` or ``subtask`` span (an agent used as a tool, a handoff), or
    nested in a tool or subtask event's own ``events`` (logs older than spans), is a
    conversation of its own, one per invocation (``.../tool-NAME-SPAN``). A sample that
    stopped with an ``error`` ends each of its conversations with a failed call (none can
    complete).

Compaction
    A ``CompactionEvent`` (``"event": "compaction"``: ``type`` summary/edit/trim, ``source``,
    ``tokens_before``, ``tokens_after``, ``metadata``) is read as a :class:`LoggedCompaction`
    beside the calls (:func:`inspect_records`), naming the call it precedes. The trace's
    compaction events are inferred by the recording proxy's recorder from what left the
    model's input between reply calls, as for every format; the explicit event is evidence
    that a compaction happened there (docs/audit.md, "Inspect AI eval logs").

Malformed input
    A file that is not an eval log, a member or document that is not JSON, a sample without
    ``events``, an event of the wrong shape, a reference outside the pool, an attachment the
    sample does not hold: each is a bad record located to its file (``LOG.eval!MEMBER`` for
    a zip member), line and column (the event's first character), never skipped silently.

Memory
    A ``.eval`` log is read one sample member at a time (each at most
    :data:`MAX_MEMBER_BYTES` uncompressed). A ``.json`` log is one document: its text is read
    whole (at most :data:`MAX_JSON_BYTES`; convert a larger one with ``inspect log convert
    --to eval``), and its samples are decoded one at a time from that text.
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from replay.audit._read import STDIN, BadRecords, parse_time
from replay.audit._records import BadRecord, LogCompaction, LoggedCall
from replay.models._wire import IMAGE, WireMessage, WireReply
from replay.spec._scenario import Location
from replay.trace._records import ToolCall, Usage

MAX_MEMBER_BYTES = 256 * 1024 * 1024
"""A larger ``.eval`` member (one sample, uncompressed) is a bad record, not read whole."""
MAX_JSON_BYTES = 512 * 1024 * 1024
"""A larger ``.json`` log is a bad record: it is one document, read whole."""
ATTACHMENT = "attachment://"
_OLD_ATTACHMENT = "tc://"
SCORER_SPANS = ("scorers", "scorer")
NESTED_SPANS = ("tool", "subtask")
"""A model called inside one of these is a conversation of its own (an agent as a tool)."""
_ROLES = ("system", "user", "assistant", "tool")
_PLACEHOLDERS = {"image": IMAGE, "audio": "[audio]", "video": "[video]"}
_ZSTD = 93  # the zip compression method of Zstandard
_HEAD = re.compile(rb'\A\s*\{\s*"version"\s*:\s*\d+\s*,\s*"status"\s*:\s*"')
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class LoggedCompaction:
    """A ``CompactionEvent`` of an eval log: Inspect compacted the conversation here."""

    conversation: str
    where: Location
    kind: str
    """``summary``, ``edit`` or ``trim`` (Inspect's ``CompactionEvent.type``)."""
    source: str | None
    """Who compacted (``inspect``, or an agent such as ``claude_code``)."""
    tokens_before: int | None
    tokens_after: int | None
    seconds: float | None
    before_call: int
    """How many of the conversation's calls came before it: it precedes call number
    ``before_call`` (counting from 0) of :func:`import_files`' order for its conversation."""
    strategy: str | None = None
    """The strategy class Inspect's compaction handler names in its metadata."""


class _Malformed(ValueError):
    """A part of the log that is not what the format says, at a character offset."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


# ------------------------------------------------------------------------------ positions


class _Text:
    """A JSON text being read value by value, with line and column of any offset."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.pos = 0
        """Where the value last read ended (see :meth:`members`)."""
        self._offset = 0
        self._line = 1

    def where(self, offset: int | None) -> Location:
        """The location of the character at ``offset`` (offsets asked in increasing order are
        counted incrementally, so locating every event is one pass over the text)."""
        if offset is None:
            return Location(self.name, 1, 1)
        if offset < self._offset:
            self._offset, self._line = 0, 1
        self._line += self.text.count("\n", self._offset, offset)
        self._offset = offset
        start = self.text.rfind("\n", 0, offset) + 1
        return Location(self.name, self._line, offset - start + 1)

    def skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def _expect(self, pos: int, char: str, what: str) -> int:
        pos = self.skip(pos)
        if self.text[pos : pos + 1] != char:
            raise _Malformed(f"{what}: expected {char!r}", pos)
        return pos + 1

    def value(self, pos: int) -> tuple[Any, int]:
        """The JSON value at ``pos`` and the offset after it."""
        pos = self.skip(pos)
        try:
            return _DECODER.raw_decode(self.text, pos)
        except json.JSONDecodeError as exc:
            raise _Malformed(f"not JSON: {exc.msg}", exc.pos) from None
        except RecursionError:
            raise _Malformed("not JSON: nested too deeply", pos) from None

    def members(self, pos: int, what: str) -> Iterator[tuple[str, int]]:
        """The keys of the object at ``pos``, each with the offset of its value. The caller
        reads each value and sets ``self.pos`` to where it ended before asking for the next
        key (nested walks do so themselves); at the end ``self.pos`` is after the ``}``."""
        pos = self.skip(self._expect(pos, "{", what))
        if self.text[pos : pos + 1] == "}":
            self.pos = pos + 1
            return
        while True:
            key, pos = self.value(pos)
            if not isinstance(key, str):
                raise _Malformed(f"{what}: a key must be a string", pos)
            yield key, self.skip(self._expect(pos, ":", what))
            pos = self.skip(self.pos)
            char = self.text[pos : pos + 1]
            if char == "}":
                self.pos = pos + 1
                return
            if char != ",":
                raise _Malformed(f"{what}: expected ',' or '}}'", pos)
            pos += 1

    def items(self, pos: int, what: str) -> Iterator[int]:
        """The offsets of the items of the array at ``pos`` (as :meth:`members`: the caller
        sets ``self.pos`` after each item; at the end it is after the ``]``)."""
        pos = self.skip(self._expect(pos, "[", what))
        if self.text[pos : pos + 1] == "]":
            self.pos = pos + 1
            return
        while True:
            yield pos
            pos = self.skip(self.pos)
            char = self.text[pos : pos + 1]
            if char == "]":
                self.pos = pos + 1
                return
            if char != ",":
                raise _Malformed(f"{what}: expected ',' or ']'", pos)
            pos = self.skip(pos + 1)


# ------------------------------------------------------------------------------ messages


def _resolve(value: Any, attachments: Mapping[str, Any]) -> Any:
    """``value`` with every ``attachment://HASH`` string replaced by the sample's attachment
    (raises _Malformed for one the sample does not hold)."""
    if isinstance(value, str):
        if value.startswith(_OLD_ATTACHMENT):
            value = ATTACHMENT + value[len(_OLD_ATTACHMENT) :]
        if value.startswith(ATTACHMENT):
            key = value[len(ATTACHMENT) :]
            found = attachments.get(key)
            if not isinstance(found, str):
                raise _Malformed(f"{value!r}: the sample has no such attachment")
            return found
        return value
    if isinstance(value, list):
        return [_resolve(v, attachments) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, attachments) for k, v in value.items()}
    return value


def _content(content: Any) -> tuple[str, tuple[str, ...], str | None]:
    """(text, parts, refusal) of a ChatMessage's ``content``: a string, or ``Content`` parts
    (``text``; ``reasoning``, media, ``tool_use``, ``data`` as placeholders no check reads)."""
    if content is None:
        return "", (), None
    if isinstance(content, str):
        return content, (), None
    if not isinstance(content, list):
        raise _Malformed(f"content must be a string or a list of parts, got {content!r:.80}")
    texts: list[str] = []
    shown: list[str] = []
    refusal: str | None = None
    plain = True
    for part in content:
        if not isinstance(part, Mapping):
            raise _Malformed(f"a content part must be an object, got {part!r:.80}")
        kind = part.get("type")
        if kind == "text":
            text = part.get("text")
            if not isinstance(text, str):
                raise _Malformed('a "text" part must have a string "text"')
            if part.get("refusal"):
                refusal = text
            texts.append(text)
            shown.append(text)
        else:
            plain = False
            shown.append(_PLACEHOLDERS.get(str(kind), f"[{kind}]"))
    return "".join(texts), () if plain else tuple(shown), refusal


def _tool_calls(items: Any) -> tuple[ToolCall, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise _Malformed(f'"tool_calls" must be a list, got {items!r:.80}')
    calls = []
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("function"), str):
            raise _Malformed(f'a tool call must be an object with a "function", got {item!r:.80}')
        arguments = item.get("arguments")
        calls.append(
            ToolCall(
                str(item.get("id") or ""),
                item["function"],
                arguments
                if isinstance(arguments, str)
                else json.dumps(arguments or {}, separators=(",", ":"), ensure_ascii=False),
            )
        )
    return tuple(calls)


def chat_message(data: Any) -> WireMessage:
    """One Inspect ``ChatMessage`` (attachments resolved) as the wire message the recorder
    reads. Raises ValueError for one that does not have the shape."""
    if not isinstance(data, Mapping):
        raise _Malformed(f"a message must be an object, got {data!r:.80}")
    role = data.get("role")
    if role not in _ROLES:
        raise _Malformed(f'"role" must be one of {", ".join(_ROLES)}, got {role!r:.40}')
    text, parts, _ = _content(data.get("content"))
    tool_call_id = data.get("tool_call_id") if role == "tool" else None
    return WireMessage(
        str(role),
        text,
        _tool_calls(data.get("tool_calls")) if role == "assistant" else (),
        tool_call_id=None if tool_call_id is None else str(tool_call_id),
        parts=parts,
    )


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _reply(output: Any) -> tuple[WireReply | None, str | None]:
    """(the reply, the error) of a ``ModelOutput``."""
    if output is None:
        return None, None
    if not isinstance(output, Mapping):
        raise _Malformed(f'"output" must be an object, got {output!r:.80}')
    if output.get("error"):
        return None, str(output["error"])
    choices = output.get("choices")
    if not isinstance(choices, list):
        raise _Malformed('"output.choices" must be a list')
    if not choices:
        return None, None
    choice = choices[0]
    if not isinstance(choice, Mapping) or not isinstance(choice.get("message"), Mapping):
        raise _Malformed('"output.choices[0]" must be an object with a "message"')
    message = choice["message"]
    text, _, refusal = _content(message.get("content"))
    usage = output.get("usage")
    stop = choice.get("stop_reason")
    return (
        WireReply(
            text,
            _tool_calls(message.get("tool_calls")),
            refusal=refusal,
            finish_reason=None if stop is None else str(stop),
            usage=Usage(_int(usage.get("input_tokens")), _int(usage.get("output_tokens")))
            if isinstance(usage, Mapping)
            else None,
            id=str(output["response_id"]) if output.get("response_id") else None,
        ),
        None,
    )


# ------------------------------------------------------------------------------ samples


@dataclass(frozen=True)
class _Eval:
    """What names a log's conversations: its task and eval id (from the header)."""

    task: str
    eval_id: str


def _eval_of(spec: Any, fallback: str) -> _Eval:
    if not isinstance(spec, Mapping):
        return _Eval("task", fallback)
    return _Eval(
        str(spec.get("task") or "task"),
        str(spec.get("eval_id") or spec.get("run_id") or fallback),
    )


class _Sample:
    """One sample read member by member: its fields, and its events with their offsets."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.fields: dict[str, Any] = {}
        self.events: list[tuple[int, Any]] = []
        self.events_at: int | None = None


def _read_sample(text: _Text, pos: int) -> _Sample:
    """The sample object at ``pos``: every member decoded, the events kept with the offset of
    each (so a bad event is located to its own first character). ``text.pos`` is after it."""
    sample = _Sample(text.skip(pos))
    for key, at in text.members(pos, "a sample"):
        if key == "events" and text.text[at : at + 1] == "[":
            sample.events_at = at
            for item in text.items(at, '"events"'):
                event, text.pos = text.value(item)
                sample.events.append((item, event))
            continue
        if key == "events":
            sample.events_at = at
        sample.fields[key], text.pos = text.value(at)
    return sample


@dataclass(frozen=True)
class _Span:
    kind: str
    name: str
    parent: str | None


def _scope(span: Any, spans: Mapping[str, _Span]) -> str | None:
    """Where a model event belongs, from its span and the spans around it: None inside a
    scorer (the grader's calls are not the conversation), a suffix for a model called inside
    a tool or a subtask (an agent as a tool, a handoff: a conversation of its own, one per
    invocation), else ``""`` (the sample's conversation)."""
    seen: set[str] = set()
    inner = ""
    while isinstance(span, str) and span in spans and span not in seen:
        seen.add(span)
        found = spans[span]
        if found.kind in SCORER_SPANS:
            return None
        if not inner and found.kind in NESTED_SPANS:
            inner = f"/{found.kind}-{found.name}-{span}"
        span = found.parent
    return inner


def _flat(events: list[tuple[int, Any]]) -> Iterator[tuple[int, str, Any, str]]:
    """(offset, label, event, scope) of every event, the nested ``events`` of a tool or
    subtask event (logs older than spans) after it, in a scope of their own, located at the
    event that holds them. Iterative: a hostile nesting cannot exhaust the stack."""
    stack: list[tuple[int, str, Any, str]] = [
        (offset, f"event {n}", event, "") for n, (offset, event) in enumerate(events)
    ][::-1]
    while stack:
        offset, label, event, scope = stack.pop()
        yield offset, label, event, scope
        inner = event.get("events") if isinstance(event, Mapping) else None
        if isinstance(inner, list) and inner and event.get("event") in NESTED_SPANS:
            name = event.get("function") or event.get("name") or ""
            nested = f"{scope}/{event['event']}-{name}-{label.split()[-1]}"
            stack.extend(
                (offset, f"{label}.events[{k}]", item, nested)
                for k, item in reversed(list(enumerate(inner)))
            )


Item = LoggedCall | LoggedCompaction | BadRecord


def _sample_items(sample: _Sample, text: _Text, info: _Eval) -> Iterator[Item]:
    """The calls, compactions and bad records of one sample, in event order."""
    fields = sample.fields
    sample_id, epoch = fields.get("id"), fields.get("epoch", 1)
    if not isinstance(sample_id, str | int) or isinstance(sample_id, bool):
        yield BadRecord(
            text.where(sample.start), f'a sample without an "id" (got {sample_id!r:.40})'
        )
        return
    base = f"{info.task}/{sample_id}/epoch-{epoch}/{info.eval_id}"
    if sample.events_at is None or text.text[sample.events_at : sample.events_at + 1] != "[":
        yield BadRecord(
            text.where(sample.events_at),
            f'sample {sample_id!r}: no "events" list (the log was written without them)',
        )
        return
    attachments = fields.get("attachments") or {}
    pooled = fields.get("events_data") or {}
    if not isinstance(attachments, Mapping) or not isinstance(pooled, Mapping):
        yield BadRecord(
            text.where(sample.start),
            f'sample {sample_id!r}: "attachments" or "events_data" is not an object',
        )
        return
    pool = pooled.get("messages") or []
    if not isinstance(pool, list):
        yield BadRecord(
            text.where(sample.start), f'sample {sample_id!r}: "events_data.messages" is not a list'
        )
        return
    read: dict[int, WireMessage] = {}  # the pooled messages read so far
    spans: dict[str, _Span] = {}
    scoring = 0  # inside scorer steps (logs older than spans)
    calls: dict[str, int] = {}
    last: dict[str, LoggedCall] = {}
    pending: dict[str, list[LogCompaction]] = {}  # carried by the conversation's next call
    # Each conversation's latest call is held until the event after it: a summary
    # CompactionEvent right after a call says that call wrote the summary.
    held: dict[str, LoggedCall] = {}
    answered: dict[str, str] = {}  # the user message the call after a summary answers
    for offset, label, event, nested in _flat(sample.events):
        where = text.where(offset)
        if not isinstance(event, Mapping) or not isinstance(event.get("event"), str):
            yield BadRecord(where, f'{label}: not an object with an "event" type')
            continue
        kind = event["event"]
        try:
            if kind == "span_begin":
                if isinstance(event.get("id"), str):
                    parent = event.get("parent_id")
                    spans[event["id"]] = _Span(
                        str(event.get("type") or ""),
                        str(event.get("name") or ""),
                        parent if isinstance(parent, str) else None,
                    )
                continue
            if kind == "step" and event.get("type") in SCORER_SPANS:
                scoring += 1 if event.get("action") == "begin" else -1
                continue
            if kind not in ("model", "compaction"):
                continue
            scope = _scope(event.get("span_id"), spans)
            if scoring > 0 or scope is None:
                continue  # the scorer's model calls (a grader), not the conversation's
            role = event.get("role")
            conversation = base + nested + scope + (f"/role-{role}" if role else "")
            seconds = parse_time(event["timestamp"]) if "timestamp" in event else None
            if kind == "compaction":
                summarized = held.pop(conversation, None)
                if summarized is not None:
                    if event.get("type", "summary") == "summary":
                        summarized = _summarizer(summarized)
                        if summarized.turn_user is not None:
                            answered[conversation] = summarized.turn_user
                    last[conversation] = summarized
                    yield summarized
                metadata = event.get("metadata")
                strategy = metadata.get("strategy") if isinstance(metadata, Mapping) else None
                kind_of = str(event.get("type") or "summary")
                source = None if event.get("source") is None else str(event["source"])
                pending.setdefault(conversation, []).append(
                    LogCompaction(
                        where,
                        kind_of,
                        source,
                        _int(event.get("tokens_before")),
                        _int(event.get("tokens_after")),
                    )
                )
                yield LoggedCompaction(
                    conversation,
                    where,
                    str(event.get("type") or "summary"),
                    None if event.get("source") is None else str(event["source"]),
                    _int(event.get("tokens_before")),
                    _int(event.get("tokens_after")),
                    seconds,
                    calls.get(conversation, 0),
                    None if strategy is None else str(strategy),
                )
                continue
            call = _model_call(event, where, conversation, pool, read, attachments, seconds)
        except (_Malformed, ValueError, TypeError, KeyError) as exc:
            yield BadRecord(where, f"{label} ({kind}): {exc}")
            continue
        except RecursionError:  # content nested as deep as the JSON decoder allows
            yield BadRecord(where, f"{label} ({kind}): nested too deeply")
            continue
        if conversation in pending:
            call = replace(call, compactions=tuple(pending.pop(conversation)))
        if conversation in answered and call.summaries:
            call = replace(call, turn_user=answered.pop(conversation))
        calls[conversation] = calls.get(conversation, 0) + 1
        before = held.pop(conversation, None)
        if before is not None:
            yield before
        held[conversation] = last[conversation] = call
    yield from held.values()
    error = fields.get("error")
    if error is not None:
        message = error.get("message") if isinstance(error, Mapping) else error
        # The sample did not end as it would have: a failed call closes each of its
        # conversations in the turn under way (the last call's input again: no new user
        # message), so none of them can complete.
        for conversation in list(last) or [base]:
            before = last.get(conversation)
            yield LoggedCall(
                conversation=conversation,
                where=text.where(sample.start),
                input=() if before is None else before.input,
                output=None,
                seconds=None if before is None else before.seconds,
                model=None if before is None else before.model,
                error=f"the sample stopped with an error: {message}",
            )


def _summarizer(call: LoggedCall) -> LoggedCall:
    """The call before a summary ``CompactionEvent``: it wrote the summary. When its input
    ends with the summarization prompt (Inspect's ``CompactionSummary``: the conversation,
    then the prompt as a user message), the last user message before the prompt is the one
    whose turn it belongs to: the compaction folds it into the summary."""
    inputs = call.input
    turn_user = None
    if len(inputs) > 1 and inputs[-1].role == "user":
        turn_user = next((m.text for m in reversed(inputs[:-1]) if m.role == "user"), None)
    return replace(call, purpose="summary", turn_user=turn_user)


def _model_call(
    event: Mapping[str, Any],
    where: Location,
    conversation: str,
    pool: list[Any],
    read: dict[int, WireMessage],
    attachments: Mapping[str, Any],
    seconds: float | None,
) -> LoggedCall:
    raw = event.get("input")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise _Malformed('"input" must be a list of messages')
    refs = event.get("input_refs")
    if raw or refs is None:
        messages = tuple(chat_message(_resolve(m, attachments)) for m in raw)
        marked = tuple(i for i, m in enumerate(raw) if _is_summary(m))
    else:
        if not isinstance(refs, list):
            raise _Malformed('"input_refs" must be a list of [start, end] ranges')
        found: list[WireMessage] = []
        summaries: list[int] = []
        for ref in refs:
            if (
                not isinstance(ref, list)
                or len(ref) != 2
                or not all(_int(n) is not None for n in ref)
                or not 0 <= ref[0] <= ref[1] <= len(pool)
            ):
                raise _Malformed(
                    f"input_refs {ref!r:.40}: not a range of the sample's "
                    f"{len(pool)} pooled messages"
                )
            for index in range(ref[0], ref[1]):
                # each pooled message is read once, however many calls carry it again
                message = read.get(index)
                if message is None:
                    message = read[index] = chat_message(_resolve(pool[index], attachments))
                if _is_summary(pool[index]):
                    summaries.append(len(found))
                found.append(message)
        messages = tuple(found)
        marked = tuple(summaries)
    reply, failed = _reply(_resolve(event.get("output"), attachments))
    if event.get("error"):
        failed = str(event["error"])
    if event.get("pending"):
        failed = "the model call was still pending when the log was written"
    model = event.get("model")
    return LoggedCall(
        conversation=conversation,
        where=where,
        input=messages,
        output=None if failed is not None else reply,
        seconds=seconds,
        model=None if model is None else str(model),
        error=failed,
        summaries=marked,
    )


def _is_summary(message: Any) -> bool:
    """Whether Inspect marks the message as a compaction summary (``metadata.summary``)."""
    metadata = message.get("metadata") if isinstance(message, Mapping) else None
    return isinstance(metadata, Mapping) and bool(metadata.get("summary"))


# ------------------------------------------------------------------------------ files


def _zip_module() -> Any:
    """A ``zipfile`` that reads zstd members: the standard library's from Python 3.14, else
    ``backports.zstd``'s when installed, else the standard one (zstd members are then bad
    records saying what to install)."""
    if sys.version_info >= (3, 14):
        return zipfile
    try:
        from backports.zstd import zipfile as zstd_zipfile
    except ImportError:
        return zipfile
    return zstd_zipfile


def _read_errors() -> tuple[type[Exception], ...]:
    """What reading a damaged member raises: a bad CRC, a cut or corrupt deflate or zstd
    stream (each library has its own exception)."""
    errors: list[type[Exception]] = [zipfile.BadZipFile, OSError, EOFError, ValueError]
    errors += [zlib.error, NotImplementedError, _zip_module().BadZipFile]
    try:
        from backports.zstd import ZstdError
    except ImportError:
        pass
    else:
        errors.append(ZstdError)
    return tuple(errors)


def _shown(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def _open_bytes(path: str, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of the file (or standard input)."""
    if path == STDIN:
        return sys.stdin.buffer.read(limit + 1)
    with open(path, "rb") as stream:
        return stream.read(limit + 1)


def _is_zip(path: str) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def inspect_records(path: str) -> Iterator[Item]:
    """The calls, compactions and bad records of one eval log (``.eval`` or ``.json``, told
    by content; ``-`` reads standard input), sample by sample."""
    shown = _shown(path)
    if path == STDIN:
        read = [_open_bytes(path, MAX_JSON_BYTES)]
        if read[0][:4] == b"PK\x03\x04":
            yield from _eval_items(io.BytesIO(read.pop()), shown)
        else:
            yield from _json_items(read, shown)
        return
    if _is_zip(path):
        try:
            with open(path, "rb") as stream:
                yield from _eval_items(stream, shown)
        except OSError as exc:
            yield BadRecord(Location(shown, 1, 1), f"cannot read the log: {exc}")
        return
    try:
        read = [_open_bytes(path, MAX_JSON_BYTES)]
    except OSError as exc:
        yield BadRecord(Location(shown, 1, 1), f"cannot read the log: {exc}")
        return
    yield from _json_items(read, shown)


def _eval_items(stream: IO[bytes], shown: str) -> Iterator[Item]:
    module = _zip_module()
    try:
        archive = module.ZipFile(stream)
    except (zipfile.BadZipFile, module.BadZipFile, OSError, ValueError) as exc:
        yield BadRecord(Location(shown, 1, 1), f"not an Inspect .eval log (zip archive): {exc}")
        return
    with archive:
        names = [i.filename for i in archive.infolist()]
        header = next((n for n in ("header.json", "_journal/start.json") if n in names), None)
        info = _Eval("task", Path(shown).name)
        if header is None:
            yield BadRecord(
                Location(shown, 1, 1),
                "no header.json or _journal/start.json: not an Inspect .eval log",
            )
        else:
            data = _member(archive, header, shown)
            if isinstance(data, BadRecord):
                yield data
            else:
                try:
                    spec = json.loads(data)
                except (ValueError, RecursionError) as exc:
                    yield BadRecord(Location(f"{shown}!{header}", 1, 1), f"not JSON: {exc}")
                else:
                    info = _eval_of(
                        spec.get("eval") if isinstance(spec, Mapping) else None, info.eval_id
                    )
        for name in names:
            if not (name.startswith("samples/") and name.endswith(".json")):
                continue
            data = _member(archive, name, shown)
            if isinstance(data, BadRecord):
                yield data
                continue
            text = _Text(f"{shown}!{name}", data)
            try:
                sample = _read_sample(text, 0)
            except _Malformed as exc:
                yield BadRecord(text.where(exc.offset), str(exc))
                continue
            yield from _sample_items(sample, text, info)


def _member(archive: Any, name: str, shown: str) -> str | BadRecord:
    where = Location(f"{shown}!{name}", 1, 1)
    member = archive.getinfo(name)
    if member.compress_type == _ZSTD and _zip_module() is zipfile:
        return BadRecord(
            where,
            "the member is zstd-compressed (as current Inspect AI versions write): reading it "
            "needs Python 3.14 or the backports.zstd package (pip install backports.zstd), or "
            "convert the log: inspect log convert --to json",
        )
    if member.file_size > MAX_MEMBER_BYTES:
        return BadRecord(where, f"the member is larger than {MAX_MEMBER_BYTES} bytes")
    try:
        with archive.open(member) as stream:
            data = stream.read(MAX_MEMBER_BYTES + 1)
    except _read_errors() as exc:
        return BadRecord(where, f"the member cannot be read: {exc}")
    if len(data) > MAX_MEMBER_BYTES:  # the header understated its size
        return BadRecord(where, f"the member is larger than {MAX_MEMBER_BYTES} bytes")
    try:
        return str(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return BadRecord(where, f"not UTF-8 text: {exc}")


def _json_items(read: list[bytes], shown: str) -> Iterator[Item]:
    """The items of a ``.json`` log whose bytes are ``read``'s one element (taken from it, so
    that only the decoded text stays in memory while the samples are read)."""
    data = read.pop()
    if len(data) > MAX_JSON_BYTES:
        yield BadRecord(
            Location(shown, 1, 1),
            f"the .json log is larger than {MAX_JSON_BYTES} bytes: convert it to the .eval "
            "format, which is read a sample at a time (inspect log convert --to eval)",
        )
        return
    try:
        text = _Text(shown, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        yield BadRecord(Location(shown, 1, 1), f"not UTF-8 text: {exc}")
        return
    del data  # the text is what is read from here on
    info = _Eval("task", Path(shown).name)
    try:
        for key, at in text.members(0, "an Inspect eval log"):
            if key == "samples" and text.text[at : at + 1] == "[":
                for item in text.items(at, '"samples"'):
                    sample = _read_sample(text, item)
                    end = text.pos
                    yield from _sample_items(sample, text, info)
                    text.pos = end
                continue
            value, text.pos = text.value(at)
            if key == "eval":
                info = _eval_of(value, info.eval_id)
    except _Malformed as exc:
        # the document's structure is broken here: nothing after it can be read
        yield BadRecord(text.where(exc.offset), str(exc))


def import_files(files: Sequence[str], bad: BadRecords) -> Iterator[LoggedCall]:
    """The model calls of Inspect eval logs, sample by sample; every part that cannot be read
    is counted in ``bad`` with its location and what is wrong, and yields nothing."""
    for name in files:
        for item in inspect_records(name):
            if isinstance(item, BadRecord):
                bad.add(item.where, item.reason)
            elif isinstance(item, LoggedCall):
                yield item


def claims_file(path: str) -> bool:
    """Whether ``path`` is an Inspect eval log: a zip archive with an eval header, or a JSON
    document that opens as an EvalLog does (``{"version": N, "status": "..."``)."""
    if path == STDIN:
        return False  # standard input cannot be read twice: give --format inspect
    try:
        with open(path, "rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return False
        return bool(names & {"header.json", "_journal/start.json"})
    return _HEAD.match(head) is not None
