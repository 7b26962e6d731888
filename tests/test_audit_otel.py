"""The OpenTelemetry GenAI and OpenInference importers: real instrumentations' exports (made by
tests/data/audit/make_otel_fixtures.py) and hand-built shapes the conventions allow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from replay.audit._openinference import openinference_calls
from replay.audit._otel import any_value, import_calls, otel_calls
from replay.audit._read import BadRecords
from replay.audit._records import BadRecord, LoggedCall
from replay.cli import main
from replay.models._wire import IMAGE, WireMessage
from replay.spec._scenario import Location
from replay.trace._records import ToolCall

DATA = Path(__file__).parent / "data" / "audit"
SYSTEM_START = "You are Ava, the assistant for Example Bank. Always tell customers you are an AI"
REPLIES = [
    "Hello! I am Ava, an AI assistant. How can I help?",
    "",  # the tool call
    "Account 42 has $1,234.",
    "No, I am Ava, an AI assistant, not a human.",
    "Your card is blocked.",
]
LAST_INPUT_ROLES = [
    "system",
    "user",
    "assistant",
    "user",
    "assistant",
    "tool",
    "assistant",
    "user",
    "assistant",
    "user",
]


def _file(name: str) -> list[LoggedCall | BadRecord]:
    path = DATA / name
    text = path.read_text(encoding="utf-8").splitlines()
    return list(otel_calls((name, n, line) for n, line in enumerate(text, 1)))


def _lines(*records: Any, file: str = "t.jsonl") -> list[tuple[str, int, str]]:
    return [(file, n, r if isinstance(r, str) else json.dumps(r)) for n, r in enumerate(records, 1)]


def _calls(items: list[LoggedCall | BadRecord]) -> list[LoggedCall]:
    assert all(isinstance(i, LoggedCall) for i in items), items
    return [i for i in items if isinstance(i, LoggedCall)]


def _attr(key: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": value}}


def _span(
    span_id: str,
    attributes: dict[str, Any],
    *,
    parent: str = "",
    trace: str = "t1",
    events: list[dict[str, Any]] | None = None,
    status: dict[str, Any] | None = None,
    start: str = "1767225600000000000",
) -> dict[str, Any]:
    span: dict[str, Any] = {
        "traceId": trace,
        "spanId": span_id,
        "parentSpanId": parent,
        "name": "chat m",
        "startTimeUnixNano": start,
        "attributes": [_attr(k, v) for k, v in attributes.items()],
        "status": status or {},
    }
    if events:
        span["events"] = events
    return span


def _export(*spans: dict[str, Any]) -> dict[str, Any]:
    return {"resourceSpans": [{"resource": {}, "scopeSpans": [{"spans": list(spans)}]}]}


def _chat(**more: Any) -> dict[str, Any]:
    return {"gen_ai.operation.name": "chat", "gen_ai.request.model": "m", **more}


# ------------------------------------------------------------------ real instrumentations


def test_openai_v2_current_conventions_fixture() -> None:
    calls = _calls(_file("otel_openai_v2.jsonl"))
    assert len(calls) == 5  # the "conversation" span is not a model call
    assert [c.where for c in calls] == [Location("otel_openai_v2.jsonl", n, 1) for n in range(1, 6)]
    # util-genai 1.1b0 sets no gen_ai.conversation.id: the trace is the conversation
    assert {c.conversation for c in calls} == {"6f76a697757b8ee5d1009b8f83542b0c"}
    assert {c.model for c in calls} == {"gpt-4o-mini-2024-07-18"}
    assert calls[0].seconds == pytest.approx(1796189488.379780055)
    assert [c.seconds for c in calls] == sorted(c.seconds or 0 for c in calls)
    assert all(c.input_complete and c.error is None for c in calls)
    assert [c.output.text if c.output else None for c in calls] == REPLIES
    first = calls[0]
    assert [m.role for m in first.input] == ["system", "user"]
    assert first.input[0].text.startswith(SYSTEM_START)
    assert first.output is not None and first.output.id == "chatcmpl-1"
    assert first.output.usage is not None and first.output.usage.input_tokens == 50
    tool = calls[1].output
    assert tool is not None and tool.finish_reason == "tool_calls"
    assert tool.tool_calls == (ToolCall("call_1", "get_balance", '{"account":"42"}'),)
    last = calls[-1]
    assert [m.role for m in last.input] == LAST_INPUT_ROLES
    assert last.input[5] == WireMessage("tool", '{"balance": "$1,234"}', tool_call_id="call_1")
    assert last.input[7].text == "Thanks. Am I talking to a real person?"


def test_openai_v2_deprecated_events_fixture_reads_as_the_same_conversation() -> None:
    """openai-v2's legacy path: content only in gen_ai.*.message / gen_ai.choice log records,
    on later lines than their spans, joined by span id."""
    legacy = _calls(_file("otel_openai_v2_events.jsonl"))
    current = _calls(_file("otel_openai_v2.jsonl"))
    assert len(legacy) == 5
    assert [c.where.line for c in legacy] == [1, 2, 3, 4, 5]
    assert {c.conversation for c in legacy} == {"8d08e486c7f4e8a6cd1b7015fa0e3d89"}

    def shape(call: LoggedCall) -> list[tuple[str, str, tuple[str, ...], str | None]]:
        return [
            (m.role, m.text, tuple(t.name for t in m.tool_calls), m.tool_call_id)
            for m in call.input
        ]

    assert [shape(c) for c in legacy] == [shape(c) for c in current]
    assert [c.output.text if c.output else None for c in legacy] == REPLIES
    assert legacy[1].output is not None
    assert legacy[1].output.tool_calls == (ToolCall("call_1", "get_balance", '{"account": "42"}'),)
    assert legacy[1].output.finish_reason == "tool_calls"


def test_content_capture_off_yields_calls_that_cannot_be_judged() -> None:
    calls = _calls(_file("otel_openai_v2_nocontent.jsonl"))
    assert len(calls) == 5
    for call in calls:
        assert call.input == () and not call.input_complete and call.output is None
        assert call.model == "gpt-4o-mini-2024-07-18" and call.error is None


def test_openinference_fixture() -> None:
    path = DATA / "openinference_openai.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    items = list(openinference_calls(("oi.jsonl", n, t) for n, t in enumerate(lines, 1)))
    calls = _calls(items)
    assert len(calls) == 5
    assert {c.conversation for c in calls} == {"session-7"}
    assert {c.model for c in calls} == {"gpt-4o-mini-2024-07-18"}
    assert [c.where.line for c in calls] == [1, 2, 3, 4, 5]
    assert calls[0].seconds == pytest.approx(1796189495.150868579)
    assert [c.output.text if c.output else None for c in calls] == REPLIES
    assert calls[1].output is not None
    assert calls[1].output.tool_calls == (ToolCall("call_1", "get_balance", '{"account": "42"}'),)
    last = calls[-1]
    assert [m.role for m in last.input] == LAST_INPUT_ROLES
    assert last.input[0].text.startswith(SYSTEM_START)
    assert last.input[4].tool_calls[0].id == "call_1"
    assert last.input[5].tool_call_id == "call_1"
    assert all(c.input_complete for c in calls)


# ------------------------------------------------------------------ hand-built shapes


def test_conversation_id_agent_and_system_instructions_from_the_span_and_its_ancestors() -> None:
    agent = _span(
        "a1",
        {
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.conversation.id": "conv-9",
            "gen_ai.agent.name": "Ava",
        },
    )
    chat = _span(
        "c1",
        _chat(
            **{
                "gen_ai.system_instructions": json.dumps(
                    [{"type": "text", "content": "Be an AI."}]
                ),
                "gen_ai.input.messages": json.dumps(
                    [
                        {"role": "user", "parts": [{"type": "text", "content": "hi"}]},
                        {
                            "role": "tool",
                            "parts": [
                                {"type": "tool_call_response", "id": "x", "response": {"ok": 1}}
                            ],
                        },
                        {
                            "role": "user",
                            "parts": [
                                {"type": "text", "content": "see "},
                                {"type": "blob", "modality": "image", "content": "AAAA"},
                                {"type": "reasoning", "content": "hidden"},
                            ],
                        },
                    ]
                ),
                "gen_ai.output.messages": json.dumps(
                    [
                        {
                            "role": "assistant",
                            "parts": [{"type": "text", "content": "I am an AI."}],
                            "finish_reason": "stop",
                        }
                    ]
                ),
            }
        ),
        parent="a1",
    )
    (call,) = _calls(list(otel_calls(_lines(_export(agent, chat)))))
    assert call.conversation == "conv-9" and call.agent == "Ava" and call.model == "m"
    assert call.seconds == 1767225600.0
    assert call.input == (
        WireMessage("system", "Be an AI."),
        WireMessage("user", "hi"),
        WireMessage("tool", '{"ok":1}', tool_call_id="x"),
        WireMessage("user", "see ", parts=("see ", IMAGE, "[reasoning]")),
    )
    assert call.output is not None and call.output.text == "I am an AI."
    assert call.output.finish_reason == "stop"


def test_deprecated_span_events_and_the_structured_details_event() -> None:
    legacy = _span(
        "c1",
        _chat(),
        events=[
            {"name": "gen_ai.system.message", "attributes": [_attr("content", "Be an AI.")]},
            {"name": "gen_ai.user.message", "attributes": [_attr("content", "hi")]},
            {
                "name": "gen_ai.choice",
                "attributes": [
                    _attr("index", 0),
                    _attr("finish_reason", "stop"),
                    _attr("message", json.dumps({"role": "assistant", "content": "I am an AI."})),
                ],
            },
        ],
    )
    structured = {
        "arrayValue": {
            "values": [
                {
                    "kvlistValue": {
                        "values": [
                            {"key": "role", "value": {"stringValue": "user"}},
                            {
                                "key": "parts",
                                "value": {
                                    "arrayValue": {
                                        "values": [
                                            {
                                                "kvlistValue": {
                                                    "values": [
                                                        {
                                                            "key": "type",
                                                            "value": {"stringValue": "text"},
                                                        },
                                                        {
                                                            "key": "content",
                                                            "value": {"stringValue": "yo"},
                                                        },
                                                    ]
                                                }
                                            }
                                        ]
                                    }
                                },
                            },
                        ]
                    }
                }
            ]
        }
    }
    details = _span(
        "c2",
        _chat(),
        events=[
            {
                "name": "gen_ai.client.inference.operation.details",
                "attributes": [{"key": "gen_ai.input.messages", "value": structured}],
            }
        ],
    )
    first, second = _calls(list(otel_calls(_lines(_export(legacy, details)))))
    assert [(m.role, m.text) for m in first.input] == [("system", "Be an AI."), ("user", "hi")]
    assert first.output is not None and first.output.text == "I am an AI."
    assert second.input == (WireMessage("user", "yo"),)
    assert second.output is None and second.input_complete


def test_a_failed_span_has_its_error_and_no_output() -> None:
    span = _span(
        "c1",
        _chat(**{"gen_ai.input.messages": "[]", "error.type": "RateLimitError"}),
        status={"code": "STATUS_CODE_ERROR"},
    )
    (call,) = _calls(list(otel_calls(_lines(_export(span)))))
    assert call.error == "RateLimitError" and call.output is None


def test_malformed_lines_and_spans_are_bad_records_with_their_line() -> None:
    good = _export(_span("c1", _chat(**{"gen_ai.input.messages": "[]"})))
    broken = _export(_span("c2", _chat(**{"gen_ai.input.messages": "[{not json"})))
    role = _export(
        _span(
            "c3", _chat(**{"gen_ai.input.messages": json.dumps([{"role": "robot", "parts": []}])})
        )
    )
    items = list(otel_calls(_lines(good, "{truncated", {"hello": 1}, broken, role, "")))
    bad = [i for i in items if isinstance(i, BadRecord)]
    assert [b.where for b in bad] == [Location("t.jsonl", n, 1) for n in (2, 3, 4, 5)]
    assert bad[0].reason.startswith("not JSON")
    assert "not an OTLP JSON export" in bad[1].reason
    assert "gen_ai.input.messages" in bad[2].reason and "not JSON" in bad[2].reason
    assert "unknown message role 'robot'" in bad[3].reason
    assert len([i for i in items if isinstance(i, LoggedCall)]) == 1


def test_import_calls_counts_bad_records_in_the_audits_counter() -> None:
    class Record:
        def __init__(self, line: int, data: Any) -> None:
            self.where = Location("x.jsonl", line, 1)
            self.data = data

    counter = BadRecords()
    records = [Record(1, [1, 2]), Record(2, _export(_span("c1", _chat())))]
    calls = list(import_calls(records, counter))
    assert [p.line for p in counter.problems] == [1]
    assert len(calls) == 1 and not calls[0].input_complete


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"stringValue": "a"}, "a"),
        ({"intValue": "9007199254740993"}, 9007199254740993),  # int64 as text, exact
        ({"intValue": 7}, 7),
        ({"doubleValue": 0.5}, 0.5),
        ({"boolValue": True}, True),
        ({"arrayValue": {"values": [{"intValue": "1"}, {"stringValue": "b"}]}}, [1, "b"]),
        ({"arrayValue": {}}, []),
        ({"kvlistValue": {"values": [{"key": "k", "value": {"boolValue": False}}]}}, {"k": False}),
        ({}, None),
    ],
)
def test_attribute_value_types(value: dict[str, Any], expected: Any) -> None:
    assert any_value(value) == expected


def test_an_unknown_attribute_value_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown OTLP AnyValue"):
        any_value({"mysteryValue": 1})


def test_the_python_sdks_own_span_json() -> None:
    span = {
        "name": "chat m",
        "context": {"trace_id": "0xabc", "span_id": "0x1", "trace_state": "[]"},
        "parent_id": None,
        "start_time": "2026-01-01T00:00:00.000000Z",
        "status": {"status_code": "UNSET"},
        "attributes": {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "m",
            "gen_ai.input.messages": json.dumps(
                [{"role": "user", "parts": [{"type": "text", "content": "hi"}]}]
            ),
        },
    }
    (call,) = _calls(list(otel_calls(_lines(span))))
    assert call.conversation == "abc" and call.seconds == 1767225600.0
    assert call.input == (WireMessage("user", "hi"),)


# ------------------------------------------------------------------ OpenInference shapes


def _oi(span_id: str, attributes: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return _span(span_id, {"openinference.span.kind": "LLM", **attributes}, **kw)


def test_openinference_content_parts_hidden_inputs_and_other_span_kinds() -> None:
    chain = _span("p", {"openinference.span.kind": "CHAIN", "session.id": "s-1"})
    parts = _oi(
        "c1",
        {
            "llm.model_name": "m",
            "llm.input_messages.0.message.role": "user",
            "llm.input_messages.0.message.contents.0.message_content.type": "text",
            "llm.input_messages.0.message.contents.0.message_content.text": "look",
            "llm.input_messages.0.message.contents.1.message_content.type": "image",
            "llm.input_messages.0.message.contents.1.message_content.image.image.url": "data:",
            "llm.output_messages.0.message.role": "assistant",
            "llm.output_messages.0.message.content": "An AI sees a cat.",
        },
        parent="p",
    )
    hidden = _oi("c2", {"llm.model_name": "m", "input.value": "__REDACTED__"}, trace="t2")
    items = list(openinference_calls(_lines(_export(chain, parts, hidden))))
    first, second = _calls(items)
    assert first.conversation == "s-1"
    assert first.input == (WireMessage("user", "look", parts=("look", IMAGE)),)
    assert first.output is not None and first.output.text == "An AI sees a cat."
    assert second.conversation == "t2" and second.input == () and not second.input_complete


def test_openinference_malformed_message_is_a_bad_record() -> None:
    span = _oi("c1", {"llm.input_messages.0.message.role": "robot"})
    items = list(openinference_calls(_lines("nope", _export(span))))
    assert [
        (i.where.line, "unknown message role" in i.reason or "not JSON" in i.reason)
        for i in items
        if isinstance(i, BadRecord)
    ] == [(1, True), (2, True)]


def test_deprecated_events_without_content_are_not_read_as_empty_messages() -> None:
    """openai-v2's legacy path with content capture off still writes the events, empty."""
    calls = _calls(_file("otel_openai_v2_events_nocontent.jsonl"))
    assert len(calls) == 5
    assert not any(call.input_complete for call in calls)
    # a text reply is unknown; a reply that only calls tools is kept (its arguments were not
    # captured either)
    outputs = [c.output for c in calls]
    assert [o is None for o in outputs] == [True, False, True, True, True]
    assert outputs[1] is not None and outputs[1].tool_calls == (
        ToolCall("call_1", "get_balance", ""),
    )
    # the roles are known (the event names say them); the texts are not
    assert [m.role for m in calls[-1].input] == LAST_INPUT_ROLES


def test_openllmetry_flattened_attributes_and_the_first_span_event_shape() -> None:
    flat = _span(
        "c1",
        {
            "gen_ai.system": "openai",
            "gen_ai.request.model": "m",
            "gen_ai.prompt.0.role": "system",
            "gen_ai.prompt.0.content": "Be an AI.",
            "gen_ai.prompt.1.role": "user",
            "gen_ai.prompt.1.content": "balance?",
            "gen_ai.prompt.2.role": "assistant",
            "gen_ai.prompt.2.tool_calls.0.id": "k",
            "gen_ai.prompt.2.tool_calls.0.name": "bal",
            "gen_ai.prompt.2.tool_calls.0.arguments": "{}",
            "gen_ai.prompt.3.role": "tool",
            "gen_ai.prompt.3.tool_call_id": "k",
            "gen_ai.prompt.3.content": "$1",
            "gen_ai.completion.0.role": "assistant",
            "gen_ai.completion.0.content": "You have $1.",
            "gen_ai.completion.0.finish_reason": "stop",
        },
    )
    events = _span(
        "c2",
        {"gen_ai.system": "openai"},
        events=[
            {
                "name": "gen_ai.content.prompt",
                "attributes": [
                    _attr("gen_ai.prompt", json.dumps([{"role": "user", "content": "hi"}]))
                ],
            },
            {
                "name": "gen_ai.content.completion",
                "attributes": [
                    _attr(
                        "gen_ai.completion",
                        json.dumps([{"role": "assistant", "content": "An AI here."}]),
                    )
                ],
            },
        ],
    )
    first, second = _calls(list(otel_calls(_lines(_export(flat, events)))))
    assert first.input == (
        WireMessage("system", "Be an AI."),
        WireMessage("user", "balance?"),
        WireMessage("assistant", "", (ToolCall("k", "bal", "{}"),)),
        WireMessage("tool", "$1", tool_call_id="k"),
    )
    assert first.output is not None and first.output.text == "You have $1."
    assert first.output.finish_reason == "stop"
    assert second.input == (WireMessage("user", "hi"),)
    assert second.output is not None and second.output.text == "An AI here."


def test_events_without_their_span_are_reported_and_a_bad_batch_is_skipped_whole() -> None:
    events = [
        line
        for line in (DATA / "otel_openai_v2_events.jsonl").read_text(encoding="utf-8").splitlines()
        if "resourceLogs" in line
    ]
    half_bad = _export(_span("c1", _chat()), {"spanId": "c2", "attributes": "oops"})
    items = list(otel_calls(_lines(half_bad, *events)))
    bad = [i for i in items if isinstance(i, BadRecord)]
    assert not [i for i in items if isinstance(i, LoggedCall)]  # c1 is not read from a bad line
    assert bad[0].where.line == 1 and "attributes must be a list" in bad[0].reason
    # one report per span whose events were given without it, at its first event's line
    assert [b.where.line for b in bad[1:]] == [2, 5, 10, 17, 26]
    assert all("not in the export" in b.reason for b in bad[1:])


def test_an_export_of_the_other_vocabulary_is_reported_not_read_as_no_calls() -> None:
    genai = _export(_span("c1", _chat()))
    oi = _export(_oi("c2", {"llm.model_name": "m"}))
    (wrong_otel,) = list(otel_calls(_lines(oi)))
    assert isinstance(wrong_otel, BadRecord) and "--format openinference" in wrong_otel.reason
    (wrong_oi,) = list(openinference_calls(_lines(genai)))
    assert isinstance(wrong_oi, BadRecord) and "--format otel" in wrong_oi.reason
    # a mixed export (both instrumentations on) is read by each format without a report
    assert [type(i) for i in otel_calls(_lines(genai, oi))] == [LoggedCall]
    assert [type(i) for i in openinference_calls(_lines(genai, oi))] == [LoggedCall]
    # the "conversation" wrapper span of the fixtures is neither: no report
    assert not any(isinstance(i, BadRecord) for i in _file("otel_openai_v2.jsonl"))


@pytest.mark.parametrize(
    ("fixture", "form", "code"),
    [
        ("otel_openai_v2.jsonl", "otel", 0),
        ("otel_openai_v2_events.jsonl", "auto", 0),
        ("openinference_openai.jsonl", "auto", 0),
        # content capture off: nothing can be judged, never a pass
        ("otel_openai_v2_nocontent.jsonl", "otel", 3),
        ("otel_openai_v2_events_nocontent.jsonl", "otel", 3),
    ],
)
def test_replay_audit_judges_the_instrumented_conversations(
    fixture: str, form: str, code: int, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert main(["audit", str(DATA / fixture), "--format", form, "--out", str(out)]) == code
    if code == 0:
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert "disclosure 'ai-identity' is missing" not in json.dumps(report)
