"""OpenTelemetry GenAI traces (OTLP JSON) read into :class:`LoggedCall` records.

What is read
    OTLP JSON as the OpenTelemetry Collector's file exporter writes it: one
    ``ExportTraceServiceRequest`` (``{"resourceSpans": [{"scopeSpans": [{"spans": [...]}]}]}``) or
    ``ExportLogsServiceRequest`` (``{"resourceLogs": [{"scopeLogs": [{"logRecords": [...]}]}]}``)
    a line; attribute values as OTLP ``AnyValue`` objects (``stringValue``, ``intValue`` as a
    decimal string or a number, ``doubleValue``, ``boolValue``, ``arrayValue``, ``kvlistValue``,
    ``bytesValue``); times as ``startTimeUnixNano`` decimal strings; ids in hex. The Python
    SDK's own span JSON (``ReadableSpan.to_json()``, as a ``ConsoleSpanExporter`` with a
    one-line formatter writes it: plain ``attributes`` dict, ISO ``start_time``) is read too.

The GenAI semantic conventions, both generations
    * Current (semantic-conventions ``docs/gen-ai``, the JSON schemas
      ``gen-ai-input-messages.json``, ``gen-ai-output-messages.json`` and
      ``gen-ai-system-instructions.json``, introduced by semantic conventions v1.37.0; what
      ``opentelemetry-instrumentation-openai-v2`` 2.4b0 with ``opentelemetry-util-genai``
      writes under ``OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental``): the span
      attributes ``gen_ai.system_instructions``, ``gen_ai.input.messages`` and
      ``gen_ai.output.messages`` (JSON text on spans; structured ``AnyValue`` on the
      ``gen_ai.client.inference.operation.details`` event, as a span event or a log record),
      messages ``{"role", "parts": [{"type": "text", "content"}, {"type": "tool_call", "id",
      "name", "arguments"}, {"type": "tool_call_response", "id", "response"}, ...]}``.
    * Deprecated (the per-message events of semantic conventions v1.28.0 to v1.36.0,
      deprecated by v1.37.0; what openai-v2 writes on its v1.30.0 path, without the opt-in):
      the events ``gen_ai.system.message``, ``gen_ai.user.message``,
      ``gen_ai.assistant.message``, ``gen_ai.tool.message`` and ``gen_ai.choice``, as span
      events or as log records (``eventName``, or the older ``event.name`` attribute) with a
      body ``{"content": ..., "tool_calls": [...], "id": ...}`` (``gen_ai.choice``:
      ``{"index", "finish_reason", "message": {...}}``), joined to their span by trace and span
      id.

Older shapes, read when a span has none of the above: the flattened
``gen_ai.prompt.{i}.role`` / ``.content`` and ``gen_ai.completion.{i}.*`` attributes that
OpenLLMetry (Traceloop) instrumentations write, and the ``gen_ai.content.prompt`` /
``gen_ai.content.completion`` span events (attribute ``gen_ai.prompt`` / ``gen_ai.completion``:
a JSON list of ``{role, content}``) of semantic conventions v1.26/v1.27.

One call per inference span: a span whose ``gen_ai.operation.name`` is ``chat``,
``text_completion`` or ``generate_content`` (or, with no operation name, one that carries GenAI
content or a ``gen_ai.request.model``). Other spans (HTTP, agents, tools, embeddings) are not
model calls and yield nothing. The conversation is ``gen_ai.conversation.id`` (on the span or
its nearest ancestor that has one), else the trace id. The agent is ``gen_ai.agent.name``,
likewise inherited. The model is ``gen_ai.response.model``, else ``gen_ai.request.model``.

A span without content (content capture was off, the default of every GenAI instrumentation:
``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`` unset) is never dropped: it yields a
call with no input, ``input_complete=False`` and no output, which checks cannot judge (and never
report as passed). On the deprecated path the events are written even then, without their
``content``: a message event without it makes the call's input incomplete too (its text is
unknown, not empty), and a ``gen_ai.choice`` without it leaves the output unknown. A span with
input but no recorded output has ``output=None``. A span whose status is ``STATUS_CODE_ERROR``
has ``error`` set (the status message, else ``error.type``) and no output.

Malformed input: a line that is not an OTLP export, or a span whose GenAI content does not have
the conventions' shape, is a bad record located to its file and line (column 1) with the
reason. :func:`import_calls` counts it in the audit's :class:`BadRecords` (as every importer
does); :func:`otel_calls` yields it as a :class:`BadRecord` value beside the calls.

Memory: two reads, nothing of a message held
    A call span's conversation id or agent name may be on an ancestor exported on a later
    line (parents end after their children), and the deprecated events are log records on
    other lines (another file, often), joined by trace and span id. So the export is read
    twice. The first read keeps a :class:`SpanIndex`: per span its key (the ids' 25 bytes),
    its parent's id, the inherited attributes (conversation or session id, agent name), and
    whether it may be a model call; per event log record only the ordinal of its span's last
    one. The second read (``again``: the records once more) yields each call as its span
    comes, in file order; a third, forward-only read of the same records brings the span its
    log record events, keeping on the way only the events of spans still to come. Memory is
    O(spans) at 150 to 250 bytes a span (the more with event log records; entries are shared
    by the spans of one parent and conversation), plus one record and one call, plus the
    events that come out of turn (written before the events of an earlier call span: none
    when the logs are in the order of their spans, as exporters write them). It does not
    grow with the size of the messages. A log that can be read once only (standard input:
    no ``again``) is held whole in memory.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

from replay.audit._read import BadRecords
from replay.audit._records import BadRecord, LoggedCall
from replay.models._wire import IMAGE, WireMessage, WireReply
from replay.spec._scenario import Location
from replay.trace._records import ToolCall, Usage

INFERENCE_OPERATIONS = ("chat", "text_completion", "generate_content")
"""The ``gen_ai.operation.name`` values of a model call (the others are agents, tools,
embeddings)."""
DETAILS_EVENT = "gen_ai.client.inference.operation.details"
LEGACY_EVENTS = (
    "gen_ai.system.message",
    "gen_ai.user.message",
    "gen_ai.assistant.message",
    "gen_ai.tool.message",
    "gen_ai.choice",
)
_ROLES = {"developer": "system", "model": "assistant", "function": "tool"}


class LogRecord(Protocol):
    """One JSON value read from a log and where it was written (``replay.audit._read``'s
    record has this shape; a protocol so that this module needs nothing but the data)."""

    @property
    def where(self) -> Location: ...
    @property
    def data(self) -> Any: ...


@dataclass(frozen=True)
class _Record:
    where: Location
    data: Any


@dataclass
class Event:
    """A span event or a log record that is one, decoded."""

    name: str
    attributes: dict[str, Any]
    body: Any = None


@dataclass
class Span:
    """A span as the importers need it, from any of the JSON shapes."""

    where: Location
    trace_id: str
    span_id: str
    parent_id: str
    name: str
    seconds: float | None
    attributes: dict[str, Any]
    events: list[Event] = field(default_factory=list)
    error: str | None = None


Bad = Callable[[Location, str], None]


# ------------------------------------------------------------------------------ the container


def any_value(value: Any) -> Any:
    """An OTLP ``AnyValue`` object as plain Python (kvlist -> dict, array -> list)."""
    if not isinstance(value, Mapping):
        raise ValueError(f"an attribute value must be an OTLP AnyValue object, got {value!r}")
    if not value:
        return None
    if "stringValue" in value:
        return str(value["stringValue"])
    if "intValue" in value:
        # int64 is a decimal string in OTLP/JSON (protobuf's JSON mapping); some writers give
        # a number
        return int(value["intValue"])
    if "doubleValue" in value:
        return float(value["doubleValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "arrayValue" in value:
        return [any_value(v) for v in (value["arrayValue"] or {}).get("values") or ()]
    if "kvlistValue" in value:
        return key_values((value["kvlistValue"] or {}).get("values") or ())
    if "bytesValue" in value:
        return str(value["bytesValue"])
    raise ValueError(f"unknown OTLP AnyValue {sorted(value)}")


def key_values(items: Any) -> dict[str, Any]:
    """OTLP ``KeyValue`` list (``[{"key", "value": AnyValue}]``) as a dict."""
    if isinstance(items, Mapping):  # the SDK's own JSON: attributes as a plain object
        return dict(items)
    if not isinstance(items, list):
        raise ValueError(f"attributes must be a list of {{key, value}} objects, got {items!r}")
    out: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("key"), str):
            raise ValueError(f"an attribute must be a {{key, value}} object, got {item!r}")
        out[item["key"]] = any_value(item.get("value") or {})
    return out


def _nanos(value: Any) -> float | None:
    if value in (None, "", "0", 0):
        return None
    return int(value) / 1e9


def _iso(value: Any) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _hex(value: Any) -> str:
    text = "" if value is None else str(value)
    return text[2:] if text.startswith("0x") else text


def _status_error(status: Any, attributes: Mapping[str, Any]) -> str | None:
    if not isinstance(status, Mapping):
        return None
    code = status.get("code", status.get("status_code"))
    if code not in ("STATUS_CODE_ERROR", "ERROR", 2):
        return None
    message = status.get("message") or status.get("description")
    return str(message or attributes.get("error.type") or "the span's status is ERROR")


def _otlp_span(where: Location, data: Mapping[str, Any]) -> Span:
    attributes = key_values(data.get("attributes") or [])
    events = []
    for event in data.get("events") or ():
        if not isinstance(event, Mapping):
            raise ValueError(f"a span event must be an object, got {event!r}")
        events.append(Event(str(event.get("name", "")), key_values(event.get("attributes") or [])))
    return Span(
        where,
        _hex(data.get("traceId")),
        _hex(data.get("spanId")),
        _hex(data.get("parentSpanId")),
        str(data.get("name", "")),
        _nanos(data.get("startTimeUnixNano")),
        attributes,
        events,
        _status_error(data.get("status"), attributes),
    )


def _sdk_span(where: Location, data: Mapping[str, Any]) -> Span:
    """A span as ``ReadableSpan.to_json()`` writes it (the Python SDK's console exporter)."""
    context = data.get("context") or {}
    attributes = key_values(data.get("attributes") or {})
    events = [
        Event(str(e.get("name", "")), key_values(e.get("attributes") or {}))
        for e in data.get("events") or ()
        if isinstance(e, Mapping)
    ]
    return Span(
        where,
        _hex(context.get("trace_id")),
        _hex(context.get("span_id")),
        _hex(data.get("parent_id")),
        str(data.get("name", "")),
        _iso(data.get("start_time")),
        attributes,
        events,
        _status_error(data.get("status"), attributes),
    )


_LogEvent = tuple[Location, str, str, Event]
"""A log record that is an event: where it was written, its trace and span id, the event."""


def _record(
    where: Location, data: Any, spans: bool = True, logs: bool = True
) -> tuple[list[Span], list[_LogEvent]]:
    """The spans and event log records of one JSON record, or only one of the two (a record
    whose whole was read once already: it is known to be well formed); raises for a malformed
    one."""
    found: list[Span] = []
    events: list[_LogEvent] = []
    if not isinstance(data, Mapping):
        raise ValueError("not a JSON object")
    if "resourceSpans" in data or "resourceLogs" in data:
        for resource in data.get("resourceSpans") or () if spans else ():
            for scope in resource.get("scopeSpans") or ():
                found.extend(_otlp_span(where, s) for s in scope.get("spans") or ())
        for resource in data.get("resourceLogs") or () if logs else ():
            for scope in resource.get("scopeLogs") or ():
                for log in scope.get("logRecords") or ():
                    attributes = key_values(log.get("attributes") or [])
                    name = log.get("eventName") or attributes.get("event.name") or ""
                    body = any_value(log["body"]) if log.get("body") else None
                    trace_id, span_id = _hex(log.get("traceId")), _hex(log.get("spanId"))
                    events.append((where, trace_id, span_id, Event(str(name), attributes, body)))
    elif isinstance(data.get("context"), Mapping) and "name" in data:
        if spans:
            found.append(_sdk_span(where, data))
    else:
        raise ValueError(
            'not an OTLP JSON export: expected {"resourceSpans": [...]} or '
            '{"resourceLogs": [...]} (one ExportTraceServiceRequest a line, as the '
            "OpenTelemetry Collector's file exporter writes)"
        )
    return found, events


# ------------------------------------------------------------------------------ the index

Key = bytes | str
"""A span's (trace id, span id) as one small value (see :func:`span_key`)."""
_LOWER_HEX = re.compile(r"(?:[0-9a-f]{2})*")


def span_key(trace_id: str, span_id: str) -> Key:
    """(trace id, span id) as one value: the ids' bytes when both are lower-case hex, as
    OTLP's are (25 bytes, not two strings of 32 and 16 characters), else the text. The trace
    id's length comes first, so that ("ab", "c") and ("a", "bc") stay apart."""
    if len(trace_id) < 512 and _LOWER_HEX.fullmatch(trace_id) and _LOWER_HEX.fullmatch(span_id):
        trace = bytes.fromhex(trace_id)
        return bytes((len(trace),)) + trace + bytes.fromhex(span_id)
    return f"{len(trace_id)}:{trace_id}{span_id}"


class Ancestors(Protocol):
    """What a span's reader asks of the rest of the export (:class:`SpanIndex` answers)."""

    def inherited(self, span: Span, key: str) -> str | None:
        """``key`` on the span or its nearest ancestor that has it (not None, not empty)."""
        ...


class SpanIndex:
    """What the first read of an export keeps: per span its parent's id, the few attributes
    its descendants inherit (``inherit``: a conversation or session id, an agent name) and
    whether it may be a model call; per log record that is an event, only the place of its
    span's last one. Never a message: it holds 150 to 250 bytes a span (its key, a slot, an
    entry that the spans of one parent and conversation share) whatever the spans carry."""

    def __init__(self, inherit: Sequence[str]) -> None:
        self._inherit = tuple(inherit)
        # key -> (parent span id or None, whether the span may be a call, then one value per
        # inherited attribute); the last span of a key wins, as it did when the spans were
        # held in a dict. Equal entries are one tuple (siblings share them).
        self._spans: dict[Key, tuple[Any, ...]] = {}
        self._entries: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self._strings: dict[str, str] = {}
        self._repeated: dict[Key, int] = {}
        """The ordinal of the last span of a key that more than one span has."""
        self._last_event: dict[Key, int] = {}
        self._orphans: dict[Key, tuple[Location, str, str]] = {}
        self.records = 0
        """Records read (the first read: a second one stops there, should the log grow)."""
        self.skipped: set[int] = set()
        """The ordinals of the records that were malformed (reported once, by the first read)."""
        self.spans = 0
        self.events = 0

    def _text(self, value: str) -> str:
        # one string for the many spans that share a parent or a conversation id
        return self._strings.setdefault(value, value)

    def add_span(self, span: Span, candidate: bool) -> None:
        """Index the next span of the export (``candidate``: it may be a model call)."""
        values = []
        for name in self._inherit:
            value = span.attributes.get(name)
            values.append(None if value in (None, "") else self._text(str(value)))
        parent = self._text(span.parent_id) if span.parent_id else None
        key = span_key(span.trace_id, span.span_id)
        if key in self._spans:
            self._repeated[key] = self.spans
        else:
            self._orphans.pop(key, None)
        entry = (parent, candidate, *values)
        self._spans[key] = self._entries.setdefault(entry, entry)
        self.spans += 1

    def add_event(self, where: Location, trace_id: str, span_id: str, name: str) -> None:
        """Index the next log record that is an event (of the span trace_id/span_id)."""
        key = span_key(trace_id, span_id)
        self._last_event[key] = self.events
        self.events += 1
        if key not in self._spans and name in (*LEGACY_EVENTS, DETAILS_EVENT):
            self._orphans.setdefault(key, (where, trace_id, span_id))

    def finish(self, bad: Bad) -> None:
        """The first read is over: report the GenAI event log records of no span in the
        export (the logs given without the traces: the calls they belong to are unknown), and
        forget the events of spans that are not model calls. Another log record of no span
        is not a model call's: the span is what says a call was made."""
        for where, trace_id, span_id in self._orphans.values():
            bad(
                where,
                f"GenAI event log records of span {span_id or '(none)'} "
                f"(trace {trace_id or '(none)'}), which is not in the export: give the traces "
                "file with the logs file",
            )
        self._orphans = {}
        self._last_event = {
            key: last for key, last in self._last_event.items() if self.candidate(key)
        }

    def __contains__(self, key: object) -> bool:
        """Whether the first read saw a span of this key."""
        return key in self._spans

    def candidate(self, key: Key) -> bool:
        """Whether the (last) span of ``key`` may be a model call: its log record events are
        worth joining to it."""
        entry = self._spans.get(key)
        return entry is not None and bool(entry[1])

    def last_event(self, key: Key, ordinal: int) -> int | None:
        """The ordinal of the last log record that is an event of span number ``ordinal``
        (of key ``key``), if any: a span whose key a later span reuses has none (the events
        are the later one's, as when the spans were held in a dict)."""
        if self._repeated.get(key, ordinal) != ordinal:
            return None
        return self._last_event.get(key)

    def inherited(self, span: Span, key: str) -> str | None:
        """``key`` on the span or its nearest ancestor that has it (not None, not empty)."""
        value = span.attributes.get(key)
        if value not in (None, ""):
            return str(value)
        column = 2 + self._inherit.index(key)
        seen = {span.span_id}
        parent = span.parent_id
        while parent and parent not in seen:
            entry = self._spans.get(span_key(span.trace_id, parent))
            if entry is None:
                return None
            seen.add(parent)
            if entry[column] is not None:
                return str(entry[column])
            parent = entry[0]
        return None

    def footprint(self) -> int:
        """About how many bytes the index holds (its dicts, keys, entries and strings)."""
        held = (self._spans, self._entries, self._strings, self._repeated, self._last_event)
        size = sum(sys.getsizeof(d) for d in held) + sys.getsizeof(self.skipped)
        size += sum(sys.getsizeof(key) for key in self._spans)
        size += sum(sys.getsizeof(entry) for entry in self._entries)
        size += sum(sys.getsizeof(text) for text in self._strings)
        return size + sum(sys.getsizeof(key) for key in (*self._repeated, *self._last_event))

    def __len__(self) -> int:
        return len(self._spans)


def inherited(span: Span, by_id: Ancestors, key: str) -> str | None:
    """The attribute on the span or its nearest ancestor that has it."""
    return by_id.inherited(span, key)


# ------------------------------------------------------------------------------ messages


def _role(value: Any) -> str:
    role = _ROLES.get(str(value), str(value))
    if role not in ("system", "user", "assistant", "tool"):
        raise ValueError(f"unknown message role {value!r}")
    return role


def _json(value: Any) -> Any:
    """A content attribute: JSON text on spans, structured already on events."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON ({exc})") from exc
    return value


def _arguments(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _placeholder(part: Mapping[str, Any]) -> str:
    kind = str(part.get("type"))
    if kind in ("blob", "file", "uri"):
        modality = str(part.get("modality") or kind)
        return IMAGE if modality == "image" else f"[{modality}]"
    return f"[{kind}]"


def parts_messages(role_value: Any, parts: Any) -> list[WireMessage]:
    """One message of the current conventions (role and parts) as wire messages: the message
    itself, and one ``tool`` message per tool call response in it."""
    role = _role(role_value)
    if not isinstance(parts, list):
        raise ValueError(f"a message's 'parts' must be a list, got {parts!r}")
    texts: list[str] = []
    shown: list[str] = []
    calls: list[ToolCall] = []
    responses: list[WireMessage] = []
    plain = True
    for part in parts:
        if not isinstance(part, Mapping):
            raise ValueError(f"a message part must be an object, got {part!r}")
        kind = part.get("type")
        if kind == "text":
            text = str(part.get("content") or "")
            texts.append(text)
            shown.append(text)
        elif kind == "tool_call":
            calls.append(
                ToolCall(
                    str(part.get("id") or ""),
                    str(part.get("name") or ""),
                    _arguments(part.get("arguments")),
                )
            )
        elif kind == "tool_call_response":
            response = part.get("response", part.get("result"))
            text = response if isinstance(response, str) else _arguments(response)
            responses.append(WireMessage("tool", text, tool_call_id=str(part.get("id") or "")))
        else:
            # reasoning, media, server-side tools, anything newer: kept as a placeholder so
            # a check sees that something was there, never as text it could match
            plain = False
            shown.append(_placeholder(part))
    out: list[WireMessage] = []
    if texts or calls or not plain or not responses:
        out.append(
            WireMessage(
                "tool" if role == "tool" and not responses else role,
                "".join(texts),
                tuple(calls),
                parts=() if plain else tuple(shown),
            )
        )
    return out + responses


def conventions_messages(value: Any, what: str) -> list[WireMessage]:
    """``gen_ai.input.messages`` / ``gen_ai.output.messages`` as wire messages."""
    try:
        items = _json(value)
        if not isinstance(items, list):
            raise ValueError(f"expected a list of messages, got {type(items).__name__}")
        out: list[WireMessage] = []
        for item in items:
            if not isinstance(item, Mapping):
                raise ValueError(f"a message must be an object, got {item!r}")
            out.extend(parts_messages(item.get("role"), item.get("parts")))
        return out
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from exc


def system_instructions(value: Any) -> WireMessage:
    """``gen_ai.system_instructions`` (a list of parts) as one system message."""
    try:
        parts = _json(value)
        if isinstance(parts, str):
            parts = [{"type": "text", "content": parts}]
        messages = parts_messages("system", parts)
        return messages[0] if messages else WireMessage("system")
    except ValueError as exc:
        raise ValueError(f"gen_ai.system_instructions: {exc}") from exc


def _legacy_content(content: Any) -> tuple[str, tuple[str, ...]]:
    """A deprecated event's ``content``: text, or the provider's content parts."""
    if content is None:
        return "", ()
    if isinstance(content, str):
        return content, ()
    if isinstance(content, list):
        texts: list[str] = []
        shown: list[str] = []
        plain = True
        for part in content:
            if isinstance(part, str):
                texts.append(part)
                shown.append(part)
            elif isinstance(part, Mapping) and isinstance(part.get("text"), str):
                texts.append(part["text"])
                shown.append(part["text"])
            elif isinstance(part, Mapping) and part.get("type") == "text":
                texts.append(str(part.get("content") or ""))
                shown.append(texts[-1])
            else:
                plain = False
                kind = part.get("type") if isinstance(part, Mapping) else type(part).__name__
                shown.append(IMAGE if kind in ("image", "image_url") else f"[{kind}]")
        return "".join(texts), () if plain else tuple(shown)
    return _arguments(content), ()


def _legacy_calls(items: Any) -> tuple[ToolCall, ...]:
    calls = []
    for item in items or ():
        if not isinstance(item, Mapping):
            raise ValueError(f"a tool call must be an object, got {item!r}")
        function = item.get("function") or {}
        calls.append(
            ToolCall(
                str(item.get("id") or ""),
                str(function.get("name") or item.get("name") or ""),
                _arguments(function.get("arguments", item.get("arguments"))),
            )
        )
    return tuple(calls)


def _legacy_message(role: str, body: Any) -> WireMessage:
    if not isinstance(body, Mapping):
        body = {"content": body}
    role = _role(body.get("role") or role)
    text, parts = _legacy_content(body.get("content"))
    return WireMessage(
        role,
        text,
        _legacy_calls(body.get("tool_calls")),
        tool_call_id=str(body["id"]) if role == "tool" and body.get("id") else None,
        parts=parts,
    )


def _captured(body: Any) -> bool:
    """Whether a deprecated event's body has its content: ``content``, or (an assistant
    message that only calls tools) ``tool_calls``."""
    return isinstance(body, Mapping) and ("content" in body or bool(body.get("tool_calls")))


def _flat_messages(attributes: Mapping[str, Any], prefix: str) -> list[WireMessage]:
    """OpenLLMetry's flattened messages: ``gen_ai.prompt.{i}.role`` / ``.content`` /
    ``.tool_calls.{k}.id|name|arguments`` / ``.tool_call_id`` (and ``gen_ai.completion.{i}.*``),
    the attributes of semantic conventions before v1.28 that Traceloop's instrumentations
    still write."""
    found: dict[int, dict[str, Any]] = {}
    head = prefix + "."
    for key, value in attributes.items():
        if key.startswith(head):
            number, _, rest = key[len(head) :].partition(".")
            if number.isdigit() and rest:
                found.setdefault(int(number), {})[rest] = value
    out: list[WireMessage] = []
    for _, flat in sorted(found.items()):
        calls: dict[int, dict[str, Any]] = {}
        for key, value in flat.items():
            if key.startswith("tool_calls."):
                number, _, rest = key[len("tool_calls.") :].partition(".")
                if number.isdigit():
                    calls.setdefault(int(number), {})[rest] = value
        role = _role(flat.get("role") or ("assistant" if prefix.endswith("completion") else ""))
        tool_call_id = flat.get("tool_call_id")
        out.append(
            WireMessage(
                role,
                "" if flat.get("content") is None else str(flat["content"]),
                tuple(
                    ToolCall(
                        str(call.get("id") or ""),
                        str(call.get("name") or ""),
                        _arguments(call.get("arguments")),
                    )
                    for _, call in sorted(calls.items())
                ),
                tool_call_id=None if tool_call_id is None else str(tool_call_id),
            )
        )
    return out


def _openai_messages(value: Any, what: str) -> list[WireMessage]:
    """A JSON list of OpenAI-shaped messages (``{role, content, tool_calls}``)."""
    try:
        items = _json(value)
        if not isinstance(items, list):
            raise ValueError(f"expected a list of messages, got {type(items).__name__}")
        return [_legacy_message(str(item.get("role") or "assistant"), item) for item in items]
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"{what}: {exc}") from exc


def _event_body(event: Event) -> Any:
    """A deprecated event's body: a log record's body, or a span event's attributes (whose
    ``content`` and ``tool_calls`` older instrumentations wrote as JSON text)."""
    if event.body is not None:
        return event.body
    body: dict[str, Any] = {}
    for key, value in event.attributes.items():
        if key in ("tool_calls", "message") and isinstance(value, str):
            value = _json(value)
        body[key] = value
    return body


# ------------------------------------------------------------------------------ calls


def is_inference(span: Span) -> bool:
    """Whether the span is a model call by the GenAI conventions."""
    operation = span.attributes.get("gen_ai.operation.name")
    if operation is not None:
        return str(operation) in INFERENCE_OPERATIONS
    return any(
        key in span.attributes
        for key in (
            "gen_ai.request.model",
            "gen_ai.input.messages",
            "gen_ai.output.messages",
            "gen_ai.prompt.0.role",
            "gen_ai.prompt.0.content",
        )
    ) or any(
        e.name in LEGACY_EVENTS or e.name in (DETAILS_EVENT, "gen_ai.content.prompt")
        for e in span.events
    )


def _reply(messages: list[WireMessage], finish: Any, span: Span) -> WireReply:
    said = [m for m in messages if m.role == "assistant"] or messages
    first = said[0]
    input_tokens = span.attributes.get("gen_ai.usage.input_tokens")
    output_tokens = span.attributes.get("gen_ai.usage.output_tokens")
    usage = (
        Usage(
            None if input_tokens is None else int(input_tokens),
            None if output_tokens is None else int(output_tokens),
        )
        if input_tokens is not None or output_tokens is not None
        else None
    )
    reasons = span.attributes.get("gen_ai.response.finish_reasons")
    if finish is None and isinstance(reasons, list) and reasons:
        finish = reasons[0]
    response_id = span.attributes.get("gen_ai.response.id")
    return WireReply(
        first.text,
        first.tool_calls,
        finish_reason=None if finish is None else str(finish),
        usage=usage,
        id=None if response_id is None else str(response_id),
    )


def _finish_of(value: Any) -> Any:
    items = _json(value)
    if isinstance(items, list):
        for item in items:
            if isinstance(item, Mapping) and item.get("finish_reason") is not None:
                return item["finish_reason"]
    return None


def span_call(span: Span, by_id: Ancestors) -> LoggedCall:
    """The call a GenAI inference span records. Raises ValueError for content that does not
    have the conventions' shape."""
    attributes = dict(span.attributes)
    # the current conventions' details event carries the same attributes, structured
    for event in span.events:
        if event.name == DETAILS_EVENT:
            for key in (
                "gen_ai.system_instructions",
                "gen_ai.input.messages",
                "gen_ai.output.messages",
            ):
                if key in event.attributes and key not in attributes:
                    attributes[key] = event.attributes[key]
    inputs: list[WireMessage] = []
    output: list[WireMessage] = []
    finish: Any = None
    seen_input = False
    seen_output = False
    lost = False
    if "gen_ai.system_instructions" in attributes:
        inputs.append(system_instructions(attributes["gen_ai.system_instructions"]))
        seen_input = True
    if "gen_ai.input.messages" in attributes:
        inputs.extend(
            conventions_messages(attributes["gen_ai.input.messages"], "gen_ai.input.messages")
        )
        seen_input = True
    if "gen_ai.output.messages" in attributes:
        output = conventions_messages(
            attributes["gen_ai.output.messages"], "gen_ai.output.messages"
        )
        finish = _finish_of(attributes["gen_ai.output.messages"])
        seen_output = True
    if not seen_input and not seen_output:
        for event in span.events:
            if event.name not in LEGACY_EVENTS:
                continue
            body = _event_body(event)
            if event.name == "gen_ai.choice":
                if not isinstance(body, Mapping):
                    raise ValueError(f"gen_ai.choice: the body must be an object, got {body!r}")
                if int(body.get("index") or 0) != 0 or seen_output:
                    continue  # the first choice is the one the conversation carries on with
                message = body.get("message") or {}
                finish = body.get("finish_reason")
                if _captured(message):
                    output.append(_legacy_message("assistant", message))
                seen_output = True
            else:
                role = event.name.split(".")[1]
                inputs.append(_legacy_message(role, body))
                seen_input = True
                # content capture off: the events are still written, without their content
                lost = lost or not _captured(body)
    if not seen_input and not seen_output:
        prompt = _flat_messages(attributes, "gen_ai.prompt")
        completion = _flat_messages(attributes, "gen_ai.completion")
        for event in span.events:  # the first span-event shape (semantic conventions v1.26)
            if event.name == "gen_ai.content.prompt" and "gen_ai.prompt" in event.attributes:
                prompt = _openai_messages(event.attributes["gen_ai.prompt"], "gen_ai.prompt")
            if (
                event.name == "gen_ai.content.completion"
                and "gen_ai.completion" in event.attributes
            ):
                completion = _openai_messages(
                    event.attributes["gen_ai.completion"], "gen_ai.completion"
                )
        if prompt:
            inputs, seen_input = prompt, True
        if completion:
            output, seen_output = completion, True
            finish = attributes.get("gen_ai.completion.0.finish_reason")
    model = attributes.get("gen_ai.response.model") or attributes.get("gen_ai.request.model")
    conversation = inherited(span, by_id, "gen_ai.conversation.id") or span.trace_id
    return LoggedCall(
        conversation=conversation or f"{span.where.file}:{span.where.line}",
        where=span.where,
        input=tuple(inputs),
        output=_reply(output, finish, span) if output and span.error is None else None,
        seconds=span.seconds,
        model=None if model is None else str(model),
        agent=inherited(span, by_id, "gen_ai.agent.name"),
        error=span.error,
        # no input recorded: content capture was off (or the input went elsewhere, as
        # gen_ai.input.messages.ref does): what the model read is unknown
        input_complete=seen_input and not lost,
    )


def is_openinference_llm(span: Span) -> bool:
    """Whether the span is an OpenInference LLM span (``openinference.span.kind`` = LLM)."""
    return str(span.attributes.get("openinference.span.kind", "")).upper() == "LLM"


def wrong_vocabulary(first: Location | None, count: int, use: str, what: str, bad: Bad) -> None:
    """Report an export with model calls only in the other vocabulary (once, at its ``first``
    such span of ``count``): read with the wrong ``--format`` it would otherwise look like an
    export of no calls. A mixed export (both instrumentations on) is not reported: each format
    reads its own."""
    if first is not None:
        bad(first, f"{what} ({count} of them) and none this format reads: use --format {use}")


SpanTest = Callable[[Span], bool]
Again = Callable[[], Iterable[LogRecord]]
"""The same records once more, from the start, each time it is called (malformed records are
not counted again: the first read did)."""
_PROBE = tuple(
    Event(name, {})
    for name in (
        *LEGACY_EVENTS,
        DETAILS_EVENT,
        "gen_ai.content.prompt",
        "gen_ai.content.completion",
    )
)


def _candidate(span: Span, tests: Sequence[SpanTest]) -> bool:
    """Whether the span may be a model call (or a span of the other vocabulary) once its log
    record events are joined to it: a span's tests look at its attributes and at which of
    these event names it has, so a span that passes none even with all of them cannot pass
    with the ones its log records add."""
    if any(test(span) for test in tests):
        return True
    probe = Span(
        span.where,
        span.trace_id,
        span.span_id,
        span.parent_id,
        span.name,
        span.seconds,
        span.attributes,
        [*span.events, *_PROBE],
        span.error,
    )
    return any(test(probe) for test in tests)


class _EventCursor:
    """The log record events of an export, read forward from a second read of it as far as a
    span needs, keeping those of spans still to come (events are written in about the order of
    their spans, so few wait; none that are not of a possible model call). Every event it
    reads is of a span not yet read: a span's events were all read (to its last) before it
    was yielded."""

    def __init__(self, events: Iterator[tuple[Key, Event]], index: SpanIndex) -> None:
        self._events = events
        self._index = index
        self._read = 0
        self._waiting: dict[Key, list[Event]] = {}
        self.short = False
        """Whether the events ended before the first read's did (the log changed)."""

    def take(self, key: Key, last: int) -> list[Event]:
        """The events of the span of ``key``, whose last is event number ``last``."""
        while self._read <= last:
            found = next(self._events, None)
            if found is None:
                self.short = True
                break
            self._read += 1
            if self._index.candidate(found[0]):
                self._waiting.setdefault(found[0], []).append(found[1])
        return self._waiting.pop(key, [])


_Decoded = tuple[Sequence[Span], Sequence[_LogEvent]]
"""A record's spans and event log records."""


def first_read(
    records: Iterable[LogRecord],
    bad: Bad,
    tests: Sequence[SpanTest],
    inherit: Sequence[str],
    held: list[_Decoded] | None = None,
) -> SpanIndex:
    """The index of an export's spans and events (``tests``: what a span may be that matters,
    a model call of either vocabulary; ``inherit``: the attributes a span's descendants may
    ask for); a malformed record is reported to ``bad``, and so are the GenAI event log records
    of no span of the export. Each record's spans and events are added to ``held`` when it is
    given (for a log that cannot be read again)."""
    index = SpanIndex(inherit)
    for number, record in enumerate(records):
        index.records = number + 1
        try:
            spans, logs = _record(record.where, record.data)
        except (ValueError, TypeError, AttributeError) as exc:
            bad(record.where, f"malformed OTLP: {exc}")
            index.skipped.add(number)
            continue
        for span in spans:
            index.add_span(span, _candidate(span, tests))
        for where, trace_id, span_id, event in logs:
            index.add_event(where, trace_id, span_id, event.name)
        if held is not None and (spans or logs):
            held.append((spans, logs or ()))  # (an empty list per record adds up)
    index.finish(bad)
    return index


def calls_of_spans(
    records: Iterable[LogRecord],
    bad: Bad,
    is_call: SpanTest,
    to_call: Callable[[Span, Ancestors], LoggedCall],
    other: tuple[SpanTest, str, str],
    inherit: Sequence[str],
    again: Again | None = None,
) -> Iterator[LoggedCall]:
    """The calls of one span vocabulary (GenAI or OpenInference): each span ``is_call``
    accepts, read by ``to_call``; a span that does not have its conventions' shape is a bad
    record. ``other`` is the other vocabulary's test, ``--format`` name and description: an
    export with no call of this vocabulary but some of that one says so (wrong_vocabulary).
    ``inherit`` names the attributes ``to_call`` may ask the span's ancestors for.

    Two reads: ``records`` once into a :class:`SpanIndex` (malformed records reported), then
    ``again()`` (the records once more) to read each call as its span comes, its log record
    events read forward by a third read. Without ``again`` (a log read once, such as standard
    input) the first read's spans and events are held for the second (the whole export in
    memory)."""
    is_other, use, what = other
    if again is None and isinstance(records, Sequence):
        again = lambda: records  # noqa: E731 (a list reads again as it is)
    held: list[_Decoded] | None = None if again else []
    index = first_read(records, bad, (is_call, is_other), inherit, held)

    def second(spans: bool) -> Iterator[_Decoded]:
        if held is not None or again is None:
            yield from held or ()
            return
        for number, record in enumerate(again()):
            if number >= index.records:
                return  # written since the first read: not part of this audit
            if number in index.skipped:
                continue
            try:
                yield _record(record.where, record.data, spans=spans, logs=not spans)
            except (ValueError, TypeError, AttributeError) as exc:
                bad(record.where, f"the log changed while it was read: {exc}")
                return

    def events() -> Iterator[tuple[Key, Event]]:
        for _, found in second(spans=False):
            for _, trace_id, span_id, event in found:
                yield span_key(trace_id, span_id), event

    cursor = _EventCursor(events(), index)
    read = 0
    others = 0
    first_other: Location | None = None
    ordinal = 0
    for spans, _ in second(spans=True):
        for span in spans:
            if ordinal >= index.spans:
                break
            key = span_key(span.trace_id, span.span_id)
            if key not in index:
                bad(span.where, f"the log changed while it was read: span {span.span_id} is new")
                return
            last = index.last_event(key, ordinal)
            if last is not None:
                span.events.extend(cursor.take(key, last))
                if cursor.short:
                    bad(span.where, "the log changed while it was read: its events ended early")
                    return
            ordinal += 1
            if is_call(span):
                read += 1
                try:
                    yield to_call(span, index)
                except (ValueError, TypeError) as exc:
                    bad(span.where, f"span {span.name!r} ({span.span_id}): {exc}")
            elif is_other(span):
                others += 1
                first_other = first_other or span.where
    if not read:
        wrong_vocabulary(first_other, others, use, what, bad)


INHERITED = ("gen_ai.conversation.id", "gen_ai.agent.name")
"""The attributes a GenAI span inherits from its ancestors."""
REREADS_RECORDS = True
"""``import_calls`` takes ``again=``: the records once more (see :data:`Again`). Given it, an
export is read twice and held in memory never (module docstring, "Memory")."""


def _calls(records: Iterable[LogRecord], bad: Bad, again: Again | None) -> Iterator[LoggedCall]:
    return calls_of_spans(
        records,
        bad,
        is_inference,
        span_call,
        (is_openinference_llm, "openinference", "the export holds OpenInference LLM spans"),
        INHERITED,
        again,
    )


def import_calls(
    records: Iterable[LogRecord], bad: BadRecords, again: Again | None = None
) -> Iterator[LoggedCall]:
    """The model calls of OTLP JSON GenAI traces, in file order; a malformed record is
    counted in ``bad`` (with its location and what is wrong) and yields nothing. The whole
    export is read before the first call is yielded (a span's events and ancestors may come
    on later lines: log records are exported apart from spans, parents end after their
    children); then ``again()``, the same records once more, is read for the calls. Without
    ``again``, a list is read twice and any other iterable once and held in memory."""
    return _calls(records, bad.add, again)


def otel_calls(lines: Iterable[tuple[str, int, str]]) -> Iterator[LoggedCall | BadRecord]:
    """The calls of (file, line number, line text) triples of OTLP JSON, with a
    :class:`BadRecord` for each line or span that could not be read (bad records first)."""
    return yield_both(lines, _calls)


def yield_both(
    lines: Iterable[tuple[str, int, str]],
    reader: Callable[[Iterable[LogRecord], Bad, Again | None], Iterator[LoggedCall]],
) -> Iterator[LoggedCall | BadRecord]:
    """The calls ``reader`` finds in ``lines``, after a :class:`BadRecord` for each line or
    span that could not be read (the lines are held: this is for tests and small logs)."""
    bad: list[BadRecord] = []
    records: list[_Record] = []
    for file, number, text in lines:
        where = Location(file, number, 1)
        if not text.strip():
            continue
        try:
            records.append(_Record(where, json.loads(text)))
        except json.JSONDecodeError as exc:
            bad.append(BadRecord(where, f"not JSON: {exc}"))
    calls = list(reader(records, lambda where, reason: bad.append(BadRecord(where, reason)), None))
    yield from bad
    yield from calls


def sniff(data: Any) -> bool:
    """Whether a first record looks like an OTLP JSON export (or the SDK's span JSON)."""
    return isinstance(data, Mapping) and (
        "resourceSpans" in data
        or "resourceLogs" in data
        or (isinstance(data.get("context"), Mapping) and "trace_id" in data["context"])
    )
