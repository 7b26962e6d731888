"""replay.wire: the three APIs' requests parse to one structure, replies render and parse back,
and the SSE assembler reassembles text and tool calls (and refuses a broken stream)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from replay.models import (
    CHAT,
    COMPACTION,
    IMAGE,
    MESSAGES,
    REASONING,
    RESPONSES,
    SSEAssembler,
    WireError,
    WireMessage,
    WireReply,
    parse_reply,
    parse_request,
    render_json,
    render_sse,
)
from replay.trace import ToolCall, Usage

CALL = ToolCall("call_1", "get_weather", '{"city":"Oslo"}')
REPLY = WireReply(
    text="I'm an AI assistant.",
    tool_calls=(CALL,),
    finish_reason=None,
    usage=Usage(10, 5),
    id=None,
)


def test_chat_completions_request_keeps_tool_calls_results_parts_and_tools() -> None:
    body = {
        "model": "gpt-4o",
        "stream": True,
        "tools": [{"type": "function", "function": {"name": "get_weather"}}],
        "messages": [
            {"role": "developer", "content": "Say you are an AI."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is "},
                    {"type": "image_url", "image_url": {"url": "data:..."}},
                    {"type": "text", "text": "this?"},
                ],
            },
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Oslo"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "Sunny."},
        ],
    }
    request = parse_request(CHAT, body)
    assert request.model == "gpt-4o" and request.stream and request.tools == ("get_weather",)
    system, user, assistant, tool = request.messages
    assert system == WireMessage("system", "Say you are an AI.")
    assert user.text == "What is this?" and user.parts == ("What is ", IMAGE, "this?")
    assert assistant == WireMessage("assistant", "", (CALL,))
    assert tool == WireMessage("tool", "Sunny.", (), "call_1")


def test_anthropic_request_splits_tool_results_from_the_user_and_reads_system_blocks() -> None:
    body = {
        "system": [{"type": "text", "text": "You are Bo."}, {"type": "text", "text": " An AI."}],
        "tools": [{"name": "get_weather", "input_schema": {}}],
        "messages": [
            {"role": "user", "content": "Weather?"},
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": "...", "signature": "x"},
                    {"type": "text", "text": "Checking."},
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"c": 1}},
                ],
            },
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": "Sunny."},
                    {"type": "text", "text": "Thanks!"},
                ],
            },
        ],
    }
    request = parse_request(MESSAGES, body)
    assert request.tools == ("get_weather",)
    assert [(m.role, m.text) for m in request.messages] == [
        ("system", "You are Bo. An AI."),
        ("user", "Weather?"),
        ("assistant", "Checking."),
        ("tool", "Sunny."),
        ("user", "Thanks!"),
    ]
    assert request.messages[2].tool_calls == (ToolCall("toolu_1", "get_weather", '{"c":1}'),)
    assert request.messages[3].tool_call_id == "toolu_1"


def test_responses_request_items_instructions_and_server_side_state() -> None:
    body = {
        "instructions": "Always say you are an AI.",
        "previous_response_id": "resp_1",
        "conversation": {"id": "conv_1"},
        "tools": [{"type": "function", "name": "get_weather"}, {"type": "web_search"}],
        "input": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hi"}]},
            {"role": "assistant", "content": [{"type": "output_text", "text": "Hello."}]},
            {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "x"},
            {
                "type": "function_call",
                "call_id": "call_1",
                "name": "get_weather",
                "arguments": "{}",
            },
            {"type": "function_call_output", "call_id": "call_1", "output": "Sunny."},
            {"type": "compaction", "encrypted_content": "gAAA"},
            {"role": "user", "content": [{"type": "input_image", "image_url": "x"}]},
        ],
    }
    request = parse_request(RESPONSES, body)
    assert request.instructions == 1 and request.history == request.messages[1:]
    assert request.previous_response_id == "resp_1" and request.conversation == "conv_1"
    assert request.tools == ("get_weather", "web_search")
    system, user, assistant, reasoning, call, output, compaction, image = request.messages
    assert system.text == "Always say you are an AI." and user.text == "Hi"
    assert assistant.text == "Hello." and reasoning.opaque == REASONING
    assert call.tool_calls == (ToolCall("call_1", "get_weather", "{}"),)
    assert output == WireMessage("tool", "Sunny.", (), "call_1")
    assert compaction.opaque == COMPACTION and compaction.unknown
    assert image.text == "" and image.parts == (IMAGE,)
    assert parse_request(RESPONSES, {"input": "Hello"}).messages == (WireMessage("user", "Hello"),)


@pytest.mark.parametrize(
    "api, body",
    [
        (CHAT, {"messages": "x"}),
        (CHAT, {"messages": [{"role": "robot", "content": "x"}]}),
        (MESSAGES, {"messages": [{"role": "user", "content": 5}]}),
        (RESPONSES, {"input": 5}),
        (RESPONSES, {"input": [{"role": "user", "content": [3]}]}),
    ],
)
def test_a_request_of_the_wrong_shape_is_refused(api: str, body: Any) -> None:
    with pytest.raises(WireError):
        parse_request(api, body)


@pytest.mark.parametrize("api", [CHAT, MESSAGES, RESPONSES])
def test_a_rendered_reply_parses_back_whole(api: str) -> None:
    data = json.loads(json.dumps(render_json(api, "m", REPLY)))
    back = parse_reply(api, data)
    assert back.text == REPLY.text and back.usage == REPLY.usage
    # Anthropic carries arguments as an object: compact JSON either way here.
    assert back.tool_calls == (CALL,)
    assert back.finish_reason == {CHAT: "tool_calls", MESSAGES: "tool_use"}.get(api, "completed")
    assert back.id is not None


@pytest.mark.parametrize("api", [CHAT, MESSAGES, RESPONSES])
def test_a_rendered_stream_reassembles_to_the_reply(api: str) -> None:
    assembler = SSEAssembler(api)
    raw = b"".join(render_sse(api, "m", REPLY))
    for i in range(0, len(raw), 7):  # cut anywhere, even mid-line
        assembler.feed_bytes(raw[i : i + 7])
    assembler.close()
    assert assembler.problem() is None
    reply = assembler.reply()
    assert reply.text == REPLY.text
    arguments = json.loads(reply.tool_calls[0].arguments)
    assert (reply.tool_calls[0].id, reply.tool_calls[0].name, arguments) == (
        "call_1",
        "get_weather",
        {"city": "Oslo"},
    )


@pytest.mark.parametrize("api", [CHAT, MESSAGES, RESPONSES])
def test_a_stream_cut_before_its_terminal_event_is_no_reply(api: str) -> None:
    events = list(render_sse(api, "m", REPLY))
    assembler = SSEAssembler(api)
    for event in events[:-2]:
        assembler.feed_bytes(event)
    assembler.close()
    assert "cut before its terminal event" in str(assembler.problem())


@pytest.mark.parametrize(
    "api, line",
    [
        (CHAT, 'data: {"error": {"message": "overloaded"}}'),
        (MESSAGES, 'data: {"type": "error", "error": {"message": "overloaded"}}'),
        (RESPONSES, 'data: {"type": "error", "code": "x", "message": "overloaded"}'),
        (RESPONSES, 'data: {"type": "response.failed", "response": {"error": {"message": "x"}}}'),
    ],
)
def test_a_stream_with_an_error_event_is_no_reply(api: str, line: str) -> None:
    assembler = SSEAssembler(api)
    assembler.feed(line)
    assert "error event" in str(assembler.problem())


def test_an_empty_stream_is_no_reply() -> None:
    assembler = SSEAssembler(CHAT)
    assembler.close()
    assert "empty" in str(assembler.problem())


def test_a_responses_failure_body_is_no_reply() -> None:
    with pytest.raises(WireError, match="failed"):
        parse_reply(RESPONSES, {"status": "failed", "error": {"message": "boom"}, "output": []})


def test_a_chat_refusal_is_kept_apart_from_text() -> None:
    data = {
        "choices": [
            {
                "message": {"role": "assistant", "content": None, "refusal": "I can't."},
                "finish_reason": "stop",
            }
        ]
    }
    reply = parse_reply(CHAT, data)
    assert reply.refusal == "I can't." and reply.text == ""


def test_responses_output_items_of_one_turn_are_one_message() -> None:
    # The agent echoes a response's output back as items: its text, then its function calls.
    request = parse_request(
        RESPONSES,
        {
            "model": "m",
            "input": [
                {"role": "user", "content": "where is order 12?"},
                {
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": "Let me check."}],
                },
                {"type": "function_call", "call_id": "c1", "name": "lookup", "arguments": "{}"},
                {"type": "function_call", "call_id": "c2", "name": "track", "arguments": "{}"},
                {"type": "function_call_output", "call_id": "c1", "output": "ok"},
            ],
        },
    )
    roles = [(m.role, m.text, [c.id for c in m.tool_calls]) for m in request.messages]
    assert roles == [
        ("user", "where is order 12?", []),
        ("assistant", "Let me check.", ["c1", "c2"]),
        ("tool", "ok", []),
    ]
