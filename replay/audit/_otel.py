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
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

from replay.audit._records import LoggedCall
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


class BadRecords(Protocol):
    """What counts the malformed records of an audit (``replay.audit._read.BadRecords``)."""

    def add(self, where: Location, message: str) -> None: ...


@dataclass(frozen=True)
class _Record:
    where: Location
    data: Any


@dataclass(frozen=True)
class BadRecord:
    """A log record that could not be read: where it is and why."""

    where: Location
    reason: str


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


def _record(where: Location, data: Any) -> tuple[list[Span], list[_LogEvent]]:
    """The spans and event log records of one JSON record; raises for a malformed one."""
    spans: list[Span] = []
    logs: list[_LogEvent] = []
    if not isinstance(data, Mapping):
        raise ValueError("not a JSON object")
    if "resourceSpans" in data or "resourceLogs" in data:
        for resource in data.get("resourceSpans") or ():
            for scope in resource.get("scopeSpans") or ():
                spans.extend(_otlp_span(where, s) for s in scope.get("spans") or ())
        for resource in data.get("resourceLogs") or ():
            for scope in resource.get("scopeLogs") or ():
                for log in scope.get("logRecords") or ():
                    attributes = key_values(log.get("attributes") or [])
                    name = log.get("eventName") or attributes.get("event.name") or ""
                    body = any_value(log["body"]) if log.get("body") else None
                    trace_id, span_id = _hex(log.get("traceId")), _hex(log.get("spanId"))
                    logs.append((where, trace_id, span_id, Event(str(name), attributes, body)))
    elif isinstance(data.get("context"), Mapping) and "name" in data:
        spans.append(_sdk_span(where, data))
    else:
        raise ValueError(
            'not an OTLP JSON export: expected {"resourceSpans": [...]} or '
            '{"resourceLogs": [...]} (one ExportTraceServiceRequest a line, as the '
            "OpenTelemetry Collector's file exporter writes)"
        )
    return spans, logs


def read_spans(records: Iterable[LogRecord], bad: Bad) -> list[Span]:
    """Every span of the export, in file order, with the log records that are events of a
    span attached to it (joined by trace and span id). A record that is not an OTLP export is
    reported to ``bad`` and skipped whole; so are GenAI event log records whose span is not in
    the export (the logs given without the traces: the calls they belong to are unknown)."""
    spans: list[Span] = []
    logs: list[_LogEvent] = []
    for record in records:
        try:
            found, events = _record(record.where, record.data)
        except (ValueError, TypeError, AttributeError) as exc:
            bad(record.where, f"malformed OTLP: {exc}")
            continue
        spans.extend(found)
        logs.extend(events)
    by_id = span_index(spans)
    orphans: dict[tuple[str, str], Location] = {}
    for where, trace_id, span_id, event in logs:
        owner = by_id.get((trace_id, span_id))
        if owner is not None:
            owner.events.append(event)
        elif event.name in (*LEGACY_EVENTS, DETAILS_EVENT):
            orphans.setdefault((trace_id, span_id), where)
        # another log record of no span in the export is not a model call's: the span is
        # what says a call was made
    for (trace_id, span_id), where in orphans.items():
        bad(
            where,
            f"GenAI event log records of span {span_id or '(none)'} (trace {trace_id or '(none)'}),"
            " which is not in the export: give the traces file with the logs file",
        )
    return spans


SpanIndex = Mapping[tuple[str, str], Span]
"""Spans by (trace id, span id)."""


def span_index(spans: Iterable[Span]) -> dict[tuple[str, str], Span]:
    """The spans by (trace id, span id), to find a span's ancestors."""
    return {(s.trace_id, s.span_id): s for s in spans}


def ancestry(span: Span, by_id: SpanIndex) -> Iterator[Span]:
    """The span, then its parent, its parent's parent... as far as the export has them."""
    seen: set[str] = set()
    current: Span | None = span
    while current is not None and current.span_id not in seen:
        seen.add(current.span_id)
        yield current
        current = by_id.get((current.trace_id, current.parent_id)) if current.parent_id else None


def inherited(span: Span, by_id: SpanIndex, key: str) -> str | None:
    """The attribute on the span or its nearest ancestor that has it."""
    for item in ancestry(span, by_id):
        value = item.attributes.get(key)
        if value not in (None, ""):
            return str(value)
    return None


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


def span_call(span: Span, by_id: SpanIndex) -> LoggedCall:
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


def wrong_vocabulary(spans: Sequence[Span], use: str, what: str, bad: Bad) -> None:
    """Report an export with model calls only in the other vocabulary (once, at its first such
    span): read with the wrong ``--format`` it would otherwise look like an export of no calls.
    A mixed export (both instrumentations on) is not reported: each format reads its own."""
    if spans:
        bad(
            spans[0].where,
            f"{what} ({len(spans)} of them) and none this format reads: use --format {use}",
        )


def calls_of_spans(
    records: Iterable[LogRecord],
    bad: Bad,
    is_call: Callable[[Span], bool],
    to_call: Callable[[Span, SpanIndex], LoggedCall],
    other: tuple[Callable[[Span], bool], str, str],
) -> Iterator[LoggedCall]:
    """The calls of one span vocabulary (GenAI or OpenInference): each span ``is_call``
    accepts, read by ``to_call``; a span that does not have its conventions' shape is a bad
    record. ``other`` is the other vocabulary's test, ``--format`` name and description: an
    export with no call of this vocabulary but some of that one says so (wrong_vocabulary)."""
    spans = read_spans(records, bad)
    by_id = span_index(spans)
    read = 0
    for span in spans:
        if not is_call(span):
            continue
        read += 1
        try:
            yield to_call(span, by_id)
        except (ValueError, TypeError) as exc:
            bad(span.where, f"span {span.name!r} ({span.span_id}): {exc}")
    if not read:
        is_other, use, what = other
        wrong_vocabulary([s for s in spans if is_other(s)], use, what, bad)


def _calls(records: Iterable[LogRecord], bad: Bad) -> Iterator[LoggedCall]:
    return calls_of_spans(
        records,
        bad,
        is_inference,
        span_call,
        (is_openinference_llm, "openinference", "the export holds OpenInference LLM spans"),
    )


def import_calls(records: Iterable[LogRecord], bad: BadRecords) -> Iterator[LoggedCall]:
    """The model calls of OTLP JSON GenAI traces, in file order; a malformed record is
    counted in ``bad`` (with its location and what is wrong) and yields nothing. The whole
    export is read before the first call is yielded: a span's events may come on later lines
    (log records are exported apart from spans)."""
    return _calls(records, bad.add)


def otel_calls(lines: Iterable[tuple[str, int, str]]) -> Iterator[LoggedCall | BadRecord]:
    """The calls of (file, line number, line text) triples of OTLP JSON, with a
    :class:`BadRecord` for each line or span that could not be read (bad records first)."""
    return yield_both(lines, _calls)


def yield_both(
    lines: Iterable[tuple[str, int, str]],
    reader: Callable[[Iterable[LogRecord], Bad], Iterator[LoggedCall]],
) -> Iterator[LoggedCall | BadRecord]:
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
    calls = list(reader(records, lambda where, reason: bad.append(BadRecord(where, reason))))
    yield from bad
    yield from calls


def sniff(data: Any) -> bool:
    """Whether a first record looks like an OTLP JSON export (or the SDK's span JSON)."""
    return isinstance(data, Mapping) and (
        "resourceSpans" in data
        or "resourceLogs" in data
        or (isinstance(data.get("context"), Mapping) and "trace_id" in data["context"])
    )
