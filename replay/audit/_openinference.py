"""OpenInference (Arize Phoenix) LLM spans read into :class:`LoggedCall` records.

The container is the one :mod:`replay.audit._otel` reads (OTLP JSON, one export request a line,
as the OpenTelemetry Collector's file exporter writes; or the Python SDK's span JSON). The
attributes are the OpenInference semantic conventions (``spec/semantic_conventions.md`` of
Arize-ai/openinference; what ``openinference-semantic-conventions`` 0.1.42 and
``openinference-instrumentation-openai`` 0.1.66 write), flattened with indexes:

* ``openinference.span.kind`` = ``LLM``: one model call per such span (CHAIN, TOOL, AGENT,
  RETRIEVER, EMBEDDING... spans are not model calls and yield nothing);
* ``llm.input_messages.{i}.message.role`` / ``.message.content``, or the content as parts:
  ``.message.contents.{j}.message_content.type`` (``text``, ``image``...) and
  ``.message_content.text``; ``.message.tool_calls.{k}.tool_call.id`` /
  ``.tool_call.function.name`` / ``.tool_call.function.arguments``; ``.message.tool_call_id``
  on a tool result;
* ``llm.output_messages.{i}.*`` likewise (the first assistant message is the reply);
* ``session.id``: the conversation (else the trace id); ``llm.model_name``: the model;
  ``agent.name`` when an agent framework sets it (on the span or an ancestor);
  ``llm.token_count.prompt`` / ``.completion``: usage.

A span with no input messages (``OPENINFERENCE_HIDE_INPUTS``, or an instrumentation that
recorded only ``input.value``) yields a call with ``input_complete=False``: what the model read
is unknown, and checks of the context cannot be judged from it. Malformed input is handled as
in :mod:`replay.audit._otel` (bad records located to file and line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from replay.audit._otel import (
    Again,
    Ancestors,
    Bad,
    LogRecord,
    Span,
    calls_of_spans,
    inherited,
    is_inference,
    yield_both,
)
from replay.audit._read import BadRecords
from replay.audit._records import BadRecord, LoggedCall
from replay.models._wire import IMAGE, WireMessage, WireReply
from replay.trace._records import ToolCall, Usage

_ROLES = {
    "developer": "system",
    "model": "assistant",
    "function": "tool",
    "human": "user",
    "ai": "assistant",
}
_INDEXED = re.compile(r"^(llm\.(?:input|output)_messages)\.(\d+)\.(.+)$")


def _tree(attributes: Mapping[str, Any], prefix: str) -> list[dict[str, Any]]:
    """The flattened ``prefix.{i}.rest`` attributes as a list of ``{rest: value}`` by index."""
    found: dict[int, dict[str, Any]] = {}
    for key, value in attributes.items():
        match = _INDEXED.match(key)
        if match and match.group(1) == prefix:
            found.setdefault(int(match.group(2)), {})[match.group(3)] = value
    return [found[i] for i in sorted(found)]


def _indexed(flat: Mapping[str, Any], prefix: str) -> list[dict[str, Any]]:
    """``prefix.{j}.rest`` entries of one message's attributes, by index."""
    pattern = re.compile(rf"^{re.escape(prefix)}\.(\d+)\.(.+)$")
    found: dict[int, dict[str, Any]] = {}
    for key, value in flat.items():
        match = pattern.match(key)
        if match:
            found.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [found[i] for i in sorted(found)]


def _role(value: Any) -> str:
    role = _ROLES.get(str(value).lower(), str(value).lower())
    if role not in ("system", "user", "assistant", "tool"):
        raise ValueError(f"unknown message role {value!r}")
    return role


def _message(flat: Mapping[str, Any]) -> WireMessage:
    """One flattened ``message.*`` group as a wire message."""
    role = _role(flat.get("message.role"))
    texts: list[str] = []
    shown: list[str] = []
    plain = True
    content = flat.get("message.content")
    if content is not None:
        texts.append(str(content))
        shown.append(str(content))
    for part in _indexed(flat, "message.contents"):
        kind = str(part.get("message_content.type") or "text")
        if kind == "text" and part.get("message_content.text") is not None:
            texts.append(str(part["message_content.text"]))
            shown.append(texts[-1])
        else:
            plain = False
            shown.append(IMAGE if kind == "image" else f"[{kind}]")
    calls = tuple(
        ToolCall(
            str(call.get("tool_call.id") or ""),
            str(call.get("tool_call.function.name") or ""),
            str(call.get("tool_call.function.arguments") or ""),
        )
        for call in _indexed(flat, "message.tool_calls")
    )
    tool_call_id = flat.get("message.tool_call_id")
    return WireMessage(
        role,
        "".join(texts),
        calls,
        tool_call_id=None if tool_call_id is None else str(tool_call_id),
        parts=() if plain else tuple(shown),
    )


def is_llm(span: Span) -> bool:
    """Whether the span is an OpenInference LLM span."""
    return str(span.attributes.get("openinference.span.kind", "")).upper() == "LLM"


def span_call(span: Span, by_id: Ancestors) -> LoggedCall:
    """The call an OpenInference LLM span records. Raises ValueError for a message that does
    not have the conventions' shape."""
    attributes = span.attributes
    inputs = tuple(_message(m) for m in _tree(attributes, "llm.input_messages"))
    outputs = [_message(m) for m in _tree(attributes, "llm.output_messages")]
    reply: WireReply | None = None
    if outputs and span.error is None:
        said = [m for m in outputs if m.role == "assistant"] or outputs
        prompt = attributes.get("llm.token_count.prompt")
        completion = attributes.get("llm.token_count.completion")
        finish = attributes.get("llm.finish_reason")
        reply = WireReply(
            said[0].text,
            said[0].tool_calls,
            finish_reason=None if finish is None else str(finish),
            usage=Usage(
                None if prompt is None else int(prompt),
                None if completion is None else int(completion),
            )
            if prompt is not None or completion is not None
            else None,
        )
    model = attributes.get("llm.model_name")
    return LoggedCall(
        conversation=inherited(span, by_id, "session.id") or span.trace_id,
        where=span.where,
        input=inputs,
        output=reply,
        seconds=span.seconds,
        model=None if model is None else str(model),
        agent=inherited(span, by_id, "agent.name"),
        error=span.error,
        input_complete=bool(inputs),
    )


INHERITED = ("session.id", "agent.name")
"""The attributes an OpenInference span inherits from its ancestors."""
REREADS_RECORDS = True
"""``import_calls`` takes ``again=``, as :func:`replay.audit._otel.import_calls` does."""


def _calls(records: Iterable[LogRecord], bad: Bad, again: Again | None) -> Iterator[LoggedCall]:
    return calls_of_spans(
        records,
        bad,
        is_llm,
        span_call,
        (
            lambda s: "openinference.span.kind" not in s.attributes and is_inference(s),
            "otel",
            "the export holds OpenTelemetry GenAI spans",
        ),
        INHERITED,
        again,
    )


def import_calls(
    records: Iterable[LogRecord], bad: BadRecords, again: Again | None = None
) -> Iterator[LoggedCall]:
    """The model calls of OpenInference LLM spans, in file order; a malformed record is
    counted in ``bad`` and yields nothing. ``again`` as for the GenAI spans
    (:func:`replay.audit._otel.import_calls`): given it, the export is read twice, never held."""
    return _calls(records, bad.add, again)


def openinference_calls(
    lines: Iterable[tuple[str, int, str]],
) -> Iterator[LoggedCall | BadRecord]:
    """The calls of (file, line number, line text) triples of OTLP JSON OpenInference spans,
    with a :class:`BadRecord` for each line or span that could not be read (bad records
    first)."""
    return yield_both(lines, _calls)


def sniff(data: Any) -> bool:
    """Whether a first record looks like an OTLP export holding OpenInference spans."""
    return isinstance(data, Mapping) and "openinference.span.kind" in str(data)
