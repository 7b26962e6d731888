"""The proxy with the real SDKs: what the agent receives is what the upstream sent, byte for byte,
and the trace holds the structured exchange; the simulator answers all three APIs in shapes the
SDKs accept. Everything runs on 127.0.0.1 (a scripted upstream started by each test)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import anthropic
import httpx
import httpx2
import openai
import pytest

from replay.checks import CheckRunner
from replay.loop import MessageFactory, TokenCounter
from replay.models import NEW_EPISODES, OFFLINE, Cassette, ScriptedModel, SimulatorModel, WireReply
from replay.proxy import (
    HOP_BY_HOP,
    Backend,
    CallRecorder,
    CassetteBackend,
    ModelBackend,
    RecordingProxy,
    TurnSplitter,
    UpstreamBackend,
)
from replay.scenario import scenario_from_mapping
from replay.spec import CheckSpec
from replay.trace import Message, ModelCall, ToolCall, TurnRecord, Usage

from .fakellm import Canned, FakeLLM

KEY = "sk-wire-SENTINEL-8812"
TIMEOUT = 30.0
SYSTEM = "You are Sam, Acme's assistant. Always tell users you are an AI assistant."
WEATHER = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
}


def recorder() -> CallRecorder:
    scenario = scenario_from_mapping(
        {"scenario": "w", "conversation": {"turns": [{"user": "x"}]}, "checks": ["context_retains"]}
    )
    return CallRecorder(
        MessageFactory(TokenCounter("o200k_base"), scenario.disclosures), ("ai-identity",)
    )


Seen = list[tuple[int, dict[str, str], bytes]]


class Capture(httpx2.BaseTransport):
    """A transport for the SDKs (they run on httpx2) that keeps every response exactly as it
    arrived (status, headers, body bytes), then hands the SDK an identical response."""

    def __init__(self, seen: Seen) -> None:
        self.inner = httpx2.HTTPTransport()
        self.seen = seen

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self.inner.handle_request(request)
        body = response.read()
        response.close()
        self.seen.append((response.status_code, dict(response.headers), body))
        return httpx2.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )

    def close(self) -> None:
        self.inner.close()


@dataclass
class Run:
    proxy: RecordingProxy
    upstream: FakeLLM | None
    turns: list[TurnRecord]
    seen: Seen = field(default_factory=list)
    """Every response the agent's SDK received: (status, headers, body bytes)."""

    def openai(self) -> openai.OpenAI:
        return openai.OpenAI(
            api_key=KEY,
            base_url=self.proxy.openai_base_url,
            max_retries=0,
            timeout=TIMEOUT,
            http_client=httpx2.Client(transport=Capture(self.seen)),
        )

    def anthropic(self) -> anthropic.Anthropic:
        return anthropic.Anthropic(
            api_key=KEY,
            base_url=self.proxy.anthropic_base_url,
            max_retries=0,
            timeout=TIMEOUT,
            http_client=httpx2.Client(transport=Capture(self.seen)),
        )

    def messages(self) -> dict[str, Message]:
        return {m.id: m for t in self.turns for m in t.messages}

    def calls(self) -> list[ModelCall]:
        return [c for t in self.turns for c in t.model_calls]

    def output(self, call: ModelCall) -> Message:
        return self.messages()[str(call.output)]

    def inputs(self, call: ModelCall) -> list[Message]:
        by_id = self.messages()
        return [by_id[i] for i in call.input]


@contextmanager
def proxied(*canned: Canned, backend: Backend | None = None) -> Iterator[Run]:
    """A proxy in front of a scripted upstream (answers ``canned`` in order), or in front of
    ``backend``; the recorded turns are in ``run.turns`` once the block ends."""
    rec = recorder()
    turns: list[TurnRecord] = []
    splitter = TurnSplitter(rec, turns.append)
    fake = FakeLLM()
    fake.queue.extend(canned)
    with fake.running():
        chosen = backend or UpstreamBackend(fake.url + "/v1")
        proxy = RecordingProxy(rec, chosen, before_call=splitter).start()
        run = Run(proxy, None if backend else fake, turns)
        try:
            yield run
        finally:
            proxy.stop()
            splitter.flush()


def end_to_end(headers: dict[str, str]) -> dict[str, str]:
    """The headers that are not the connection's framing (what the proxy relays)."""
    return {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP}


def assert_relayed(run: Run, canned: Canned) -> None:
    """The agent got exactly what the upstream sent: status, headers, body bytes."""
    ((status, headers, body),) = run.seen
    assert status == canned.status
    assert body == b"".join(canned.raw or ())
    sent = {k.lower(): v for k, v in canned.headers.items()}
    assert end_to_end(headers) == {k: v for k, v in sent.items() if k not in HOP_BY_HOP}


def sse(events: list[tuple[str | None, dict[str, Any] | str]]) -> list[bytes]:
    """SSE events as bytes, cut into uneven chunks (one cut mid-line), as a network would."""
    text = ""
    for name, data in events:
        head = f"event: {name}\n" if name else ""
        payload = data if isinstance(data, str) else json.dumps(data)
        text += f"{head}data: {payload}\n\n"
    raw = text.encode()
    cuts = [0, 7, len(raw) // 3, len(raw) // 3 + 1, len(raw) // 2, len(raw)]
    return [raw[a:b] for a, b in itertools.pairwise(cuts) if raw[a:b]]


def json_canned(data: dict[str, Any], headers: dict[str, str], status: int = 200) -> Canned:
    # Indented, keys in the upstream's order, with fields replay never renders: any
    # re-rendering by the proxy would show.
    body = json.dumps(data, indent=1).encode()
    return Canned(
        status=status,
        headers={"content-type": "application/json", **headers, "content-length": str(len(body))},
        raw=[body],
    )


OPENAI_HEADERS = {
    "x-request-id": "req_7f3a",
    "openai-processing-ms": "321",
    "openai-version": "2020-10-01",
    "x-ratelimit-remaining-requests": "499",
}
ANTHROPIC_HEADERS = {"request-id": "req_011CXY", "anthropic-organization-id": "org-9"}
SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache"}


# ----------------------------------------------------------------------------- upstream replies

CHAT_TOOL_CALL = {
    "id": "chatcmpl-A1b2",
    "object": "chat.completion",
    "created": 1733000000,
    "model": "gpt-4o-2024-08-06",
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_W1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                    }
                ],
                "refusal": None,
                "annotations": [],
            },
            "logprobs": None,
            "finish_reason": "tool_calls",
        }
    ],
    "usage": {"prompt_tokens": 82, "completion_tokens": 17, "total_tokens": 99},
    "service_tier": "default",
    "system_fingerprint": "fp_50cad350e4",
}


def chat_chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-S1",
        "object": "chat.completion.chunk",
        "created": 1733000000,
        "model": "gpt-4o-2024-08-06",
        "system_fingerprint": "fp_50cad350e4",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }


CHAT_TOOL_STREAM = sse(
    [
        (None, chat_chunk({"role": "assistant", "content": None, "refusal": None})),
        (
            None,
            chat_chunk(
                {
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "call_S1",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": ""},
                        }
                    ]
                }
            ),
        ),
        (None, chat_chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"ci'}}]})),
        (
            None,
            chat_chunk({"tool_calls": [{"index": 0, "function": {"arguments": 'ty": "Oslo"}'}}]}),
        ),
        (None, chat_chunk({}, "tool_calls")),
        (None, "[DONE]"),
    ]
)

ANTHROPIC_TOOL_USE = {
    "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5-20250929",
    "content": [
        {"type": "text", "text": "I'm an AI assistant; let me check the weather."},
        {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Rome"}},
    ],
    "stop_reason": "tool_use",
    "stop_sequence": None,
    "usage": {"input_tokens": 472, "output_tokens": 89, "service_tier": "standard"},
}

ANTHROPIC_TOOL_STREAM = sse(
    [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    **ANTHROPIC_TOOL_USE,
                    "id": "msg_S1",
                    "content": [],
                    "stop_reason": None,
                    "usage": {"input_tokens": 472, "output_tokens": 1},
                },
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        ("ping", {"type": "ping"}),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": "Checking, as an AI assistant."},
            },
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 1,
                "content_block": {
                    "type": "tool_use",
                    "id": "toolu_S1",
                    "name": "get_weather",
                    "input": {},
                },
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 1,
                "delta": {"type": "input_json_delta", "partial_json": '{"city": '},
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 1,
                "delta": {"type": "input_json_delta", "partial_json": '"Lima"}'},
            },
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 1}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                "usage": {"output_tokens": 40},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
)


def responses_object(output: list[dict[str, Any]], status: str = "completed") -> dict[str, Any]:
    return {
        "id": "resp_67ccd2bed1ec8190",
        "object": "response",
        "created_at": 1741476542,
        "status": status,
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": SYSTEM,
        "max_output_tokens": None,
        "model": "gpt-4.1-2025-04-14",
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": {"effort": None, "summary": None},
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": [{"type": "function", "name": "get_weather", "parameters": WEATHER}],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": {
            "input_tokens": 291,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 23,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 314,
        },
        "user": None,
        "metadata": {},
    }


RESPONSES_MESSAGE: dict[str, Any] = {
    "type": "message",
    "id": "msg_67ccd2bf17f0",
    "status": "completed",
    "role": "assistant",
    "content": [
        {"type": "output_text", "text": "I'm an AI assistant. Checking.", "annotations": []}
    ],
}
RESPONSES_CALL: dict[str, Any] = {
    "type": "function_call",
    "id": "fc_67ccd3acc8d4",
    "call_id": "call_unLAR8MvFNptuiZK6K6HCy5k",
    "name": "get_weather",
    "arguments": '{"city":"Bogota"}',
    "status": "completed",
}
RESPONSES_TOOL_CALL = responses_object([RESPONSES_MESSAGE, RESPONSES_CALL])


def responses_stream() -> list[bytes]:
    events: list[tuple[str | None, dict[str, Any] | str]] = []

    def add(data: dict[str, Any]) -> None:
        events.append((data["type"], {**data, "sequence_number": len(events)}))

    pending = responses_object([], "in_progress")
    text: dict[str, Any] = RESPONSES_MESSAGE["content"][0]
    add({"type": "response.created", "response": pending})
    add({"type": "response.in_progress", "response": pending})
    add(
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {**RESPONSES_MESSAGE, "status": "in_progress", "content": []},
        }
    )
    where = {"item_id": RESPONSES_MESSAGE["id"], "output_index": 0, "content_index": 0}
    add({"type": "response.content_part.added", **where, "part": {**text, "text": ""}})
    for piece in ("I'm an AI assistant.", " Checking."):
        add({"type": "response.output_text.delta", **where, "delta": piece, "logprobs": []})
    add({"type": "response.output_text.done", **where, "text": text["text"], "logprobs": []})
    add({"type": "response.content_part.done", **where, "part": text})
    add({"type": "response.output_item.done", "output_index": 0, "item": RESPONSES_MESSAGE})
    add(
        {
            "type": "response.output_item.added",
            "output_index": 1,
            "item": {**RESPONSES_CALL, "status": "in_progress", "arguments": ""},
        }
    )
    at = {"item_id": RESPONSES_CALL["id"], "output_index": 1}
    for piece in ('{"city":', '"Bogota"}'):
        add({"type": "response.function_call_arguments.delta", **at, "delta": piece})
    add(
        {
            "type": "response.function_call_arguments.done",
            **at,
            "name": "get_weather",
            "arguments": RESPONSES_CALL["arguments"],
        }
    )
    add({"type": "response.output_item.done", "output_index": 1, "item": RESPONSES_CALL})
    add({"type": "response.completed", "response": RESPONSES_TOOL_CALL})
    return sse(events)


OPENAI_TOOLS: list[Any] = [
    {
        "type": "function",
        "function": {"name": "get_weather", "description": "Weather", "parameters": WEATHER},
    }
]
RESPONSES_TOOLS: list[Any] = [{"type": "function", "name": "get_weather", "parameters": WEATHER}]
ANTHROPIC_TOOLS: list[Any] = [
    {"name": "get_weather", "description": "Weather", "input_schema": WEATHER}
]
ASK = "What's the weather in town? Are you a person?"


# ----------------------------------------------------------------------------- upstream: bytes


def test_chat_completions_tool_call_reaches_the_agent_byte_for_byte() -> None:
    canned = json_canned(CHAT_TOOL_CALL, OPENAI_HEADERS)
    with proxied(canned) as run:
        client = run.openai()
        completion = client.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": ASK}],
            tools=OPENAI_TOOLS,
        )
    assert_relayed(run, canned)
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    (call,) = choice.message.tool_calls or []
    assert call.type == "function"
    assert call.id == "call_W1" and call.function.arguments == '{"city": "Paris"}'
    assert completion.system_fingerprint == "fp_50cad350e4"
    (turn,) = run.turns
    assert turn.error is None and turn.model_calls[0].error is None
    assert KEY not in json.dumps(turn.to_json())
    (recorded,) = run.calls()
    assert run.output(recorded).tool_calls == (
        ToolCall("call_W1", "get_weather", '{"city": "Paris"}'),
    )
    assert run.output(recorded).content == ""  # a tool call shows the user nothing
    assert recorded.api == "openai" and recorded.tools == ("get_weather",)
    assert recorded.finish_reason == "tool_calls" and recorded.usage == Usage(82, 17)
    assert recorded.response_id == "chatcmpl-A1b2"


def test_a_chat_completions_tool_roundtrip_is_recorded_whole() -> None:
    final = {
        **CHAT_TOOL_CALL,
        "id": "chatcmpl-B2",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "It is sunny in Paris."},
                "finish_reason": "stop",
            }
        ],
    }
    with proxied(json_canned(CHAT_TOOL_CALL, {}), json_canned(final, {})) as run:
        client = run.openai()
        messages: list[Any] = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": ASK},
        ]
        first = client.chat.completions.create(model="m", messages=messages, tools=OPENAI_TOOLS)
        messages.append(first.choices[0].message.model_dump(exclude_none=True))
        # The tool's own text says "I am an AI": it is the tool speaking, not the agent.
        tool = "Sunny. (This forecast service: I am an AI weather bot.)"
        messages.append({"role": "tool", "tool_call_id": "call_W1", "content": tool})
        client.chat.completions.create(model="m", messages=messages, tools=OPENAI_TOOLS)
    (turn,) = run.turns  # the tool roundtrip stays in the turn
    first_call, second_call = run.calls()
    system, user, assistant, result = run.inputs(second_call)
    assert [system.role, user.role] == ["system", "user"]
    assert assistant.id == first_call.output  # the model's tool call, sent back: one message
    assert assistant.tool_calls == (ToolCall("call_W1", "get_weather", '{"city": "Paris"}'),)
    assert result.role == "tool" and result.tool_call_id == "call_W1" and result.content == tool
    assert not result.disclosures and not result.instructions
    assert turn.reply == second_call.output
    assert run.output(second_call).content == "It is sunny in Paris."
    assert second_call.purpose == "reply" and first_call.purpose == "call"


def test_chat_completions_streamed_tool_call_reaches_the_agent_byte_for_byte() -> None:
    canned = Canned(headers={**SSE_HEADERS, **OPENAI_HEADERS}, raw=CHAT_TOOL_STREAM)
    with proxied(canned) as run:
        client = run.openai()
        stream = client.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": ASK}],
            tools=OPENAI_TOOLS,
            stream=True,
        )
        chunks = list(stream)
    assert_relayed(run, canned)
    arguments = "".join(
        (c.choices[0].delta.tool_calls or [])[0].function.arguments or ""  # type: ignore[union-attr]
        for c in chunks
        if c.choices and c.choices[0].delta.tool_calls
    )
    assert arguments == '{"city": "Oslo"}'
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
    (turn,) = run.turns
    assert turn.error is None
    (recorded,) = run.calls()
    assert run.output(recorded).tool_calls == (
        ToolCall("call_S1", "get_weather", '{"city": "Oslo"}'),
    )
    assert recorded.finish_reason == "tool_calls"


def test_responses_api_tool_call_reaches_the_agent_byte_for_byte() -> None:
    canned = json_canned(RESPONSES_TOOL_CALL, OPENAI_HEADERS)
    with proxied(canned) as run:
        response = run.openai().responses.create(
            model="gpt-4.1", instructions=SYSTEM, input=ASK, tools=RESPONSES_TOOLS
        )
        (forwarded,) = run.upstream.requests  # type: ignore[union-attr]
    assert_relayed(run, canned)
    assert forwarded.path == "/v1/responses"
    assert response.output_text == "I'm an AI assistant. Checking."
    calls = [item for item in response.output if item.type == "function_call"]
    assert [(c.call_id, c.arguments) for c in calls] == [
        ("call_unLAR8MvFNptuiZK6K6HCy5k", '{"city":"Bogota"}')
    ]
    (turn,) = run.turns
    by_id = run.messages()
    assert by_id[str(turn.reply)].content == "I'm an AI assistant. Checking."
    (call,) = turn.model_calls
    assert [(by_id[i].role, by_id[i].content) for i in call.input] == [
        ("system", SYSTEM),
        ("user", ASK),
    ]
    assert run.output(call).tool_calls == (
        ToolCall("call_unLAR8MvFNptuiZK6K6HCy5k", "get_weather", '{"city":"Bogota"}'),
    )
    assert call.api == "responses" and call.response_id == "resp_67ccd2bed1ec8190"
    assert call.finish_reason == "completed" and call.usage == Usage(291, 23)


def test_responses_api_stream_reaches_the_agent_byte_for_byte() -> None:
    canned = Canned(headers={**SSE_HEADERS, **OPENAI_HEADERS}, raw=responses_stream())
    with (
        proxied(canned) as run,
        run.openai().responses.stream(
            model="gpt-4.1", instructions=SYSTEM, input=ASK, tools=RESPONSES_TOOLS
        ) as stream,
    ):
        kinds = [event.type for event in stream]
        final = stream.get_final_response()
    assert_relayed(run, canned)
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
    assert final.output_text == "I'm an AI assistant. Checking."
    (turn,) = run.turns
    assert turn.error is None
    assert run.messages()[str(turn.reply)].content == "I'm an AI assistant. Checking."
    (call,) = run.calls()
    assert run.output(call).tool_calls == (
        ToolCall("call_unLAR8MvFNptuiZK6K6HCy5k", "get_weather", '{"city":"Bogota"}'),
    )


def test_anthropic_tool_use_reaches_the_agent_byte_for_byte() -> None:
    canned = json_canned(ANTHROPIC_TOOL_USE, ANTHROPIC_HEADERS)
    with proxied(canned) as run:
        message = run.anthropic().messages.create(
            model="claude-sonnet-4-5",
            max_tokens=100,
            system=[{"type": "text", "text": SYSTEM}],
            messages=[{"role": "user", "content": ASK}],
            tools=ANTHROPIC_TOOLS,
        )
    assert_relayed(run, canned)
    assert message.stop_reason == "tool_use"
    tool = message.content[1]
    assert tool.type == "tool_use" and tool.input == {"city": "Rome"}
    (turn,) = run.turns
    by_id = run.messages()
    assert by_id[str(turn.reply)].content == "I'm an AI assistant; let me check the weather."
    (call,) = turn.model_calls
    assert [by_id[i].role for i in call.input] == ["system", "user"]
    assert run.output(call).tool_calls == (ToolCall("toolu_01A", "get_weather", '{"city":"Rome"}'),)
    assert call.api == "anthropic" and call.finish_reason == "tool_use"
    assert call.usage == Usage(472, 89) and call.tools == ("get_weather",)


def test_anthropic_streamed_tool_use_reaches_the_agent_byte_for_byte() -> None:
    canned = Canned(headers={**SSE_HEADERS, **ANTHROPIC_HEADERS}, raw=ANTHROPIC_TOOL_STREAM)
    with (
        proxied(canned) as run,
        run.anthropic().messages.stream(
            model="claude-sonnet-4-5",
            max_tokens=100,
            system=SYSTEM,
            messages=[{"role": "user", "content": ASK}],
            tools=ANTHROPIC_TOOLS,
        ) as stream,
    ):
        final = stream.get_final_message()
    assert_relayed(run, canned)
    assert final.stop_reason == "tool_use"
    assert final.content[1].type == "tool_use" and final.content[1].input == {"city": "Lima"}
    (turn,) = run.turns
    assert turn.error is None
    assert run.messages()[str(turn.reply)].content == "Checking, as an AI assistant."
    (call,) = run.calls()
    assert run.output(call).tool_calls == (ToolCall("toolu_S1", "get_weather", '{"city": "Lima"}'),)
    assert call.finish_reason == "tool_use" and call.usage == Usage(472, 40)


def test_an_anthropic_tool_result_roundtrip_is_recorded_whole() -> None:
    final = {
        **ANTHROPIC_TOOL_USE,
        "id": "msg_02",
        "content": [{"type": "text", "text": "Rome: sunny."}],
        "stop_reason": "end_turn",
    }
    with proxied(json_canned(ANTHROPIC_TOOL_USE, {}), json_canned(final, {})) as run:
        client = run.anthropic()
        messages: list[Any] = [{"role": "user", "content": ASK}]
        first = client.messages.create(
            model="m", max_tokens=50, system=SYSTEM, messages=messages, tools=ANTHROPIC_TOOLS
        )
        messages.append({"role": "assistant", "content": [b.model_dump() for b in first.content]})
        result = {
            "type": "tool_result",
            "tool_use_id": "toolu_01A",
            "content": [{"type": "text", "text": "Sunny. I am an AI forecaster."}],
        }
        messages.append({"role": "user", "content": [result]})
        client.messages.create(
            model="m", max_tokens=50, system=SYSTEM, messages=messages, tools=ANTHROPIC_TOOLS
        )
    (turn,) = run.turns
    first_call, second_call = run.calls()
    _, _, assistant, tool = run.inputs(second_call)
    assert assistant.id == first_call.output
    assert assistant.content == "I'm an AI assistant; let me check the weather."
    assert assistant.tool_calls == (ToolCall("toolu_01A", "get_weather", '{"city":"Rome"}'),)
    assert tool.role == "tool" and tool.tool_call_id == "toolu_01A"
    assert tool.content == "Sunny. I am an AI forecaster." and not tool.disclosures
    assert turn.reply == second_call.output


@pytest.mark.parametrize("status", [429, 500, 400])
def test_an_upstream_error_reaches_the_agent_as_sent_and_is_a_failed_call(status: int) -> None:
    error = {"error": {"message": "Rate limit reached", "type": "requests", "code": "rl"}}
    canned = json_canned(error, {**OPENAI_HEADERS, "retry-after": "7"}, status)
    with proxied(canned) as run, pytest.raises(openai.APIStatusError) as caught:
        run.openai().chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": ASK}]
        )
    assert_relayed(run, canned)
    assert caught.value.status_code == status
    assert caught.value.response.headers["retry-after"] == "7"
    assert caught.value.request_id == "req_7f3a"
    (turn,) = run.turns
    assert turn.reply is None and turn.error is not None  # fail closed: never a pass
    (call,) = turn.model_calls
    assert call.output is None and call.error is not None and f"HTTP {status}" in call.error


def test_an_upstream_error_on_a_streamed_request_reaches_the_agent_as_sent() -> None:
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    canned = json_canned(error, ANTHROPIC_HEADERS, 529)
    with proxied(canned) as run, pytest.raises(anthropic.APIStatusError) as caught:
        run.anthropic().messages.create(
            model="claude-sonnet-4-5",
            max_tokens=10,
            messages=[{"role": "user", "content": ASK}],
            stream=True,
        )
    assert_relayed(run, canned)
    assert caught.value.status_code == 529
    (turn,) = run.turns
    assert turn.reply is None and turn.model_calls[0].error is not None


def test_an_unreadable_upstream_reply_is_relayed_and_recorded_as_a_failed_call() -> None:
    body = b'{"choices": "not a list"}'
    canned = Canned(
        headers={"content-type": "application/json", "content-length": str(len(body))},
        raw=[body],
    )
    with proxied(canned) as run:
        response = httpx.post(
            run.proxy.openai_base_url + "/chat/completions",
            json={"model": "m", "messages": [{"role": "user", "content": ASK}]},
            timeout=TIMEOUT,
        )
    assert response.status_code == 200 and response.content == body
    (turn,) = run.turns
    assert turn.reply is None and "unreadable" in str(turn.model_calls[0].error)


# ----------------------------------------------------------------------------- the simulator


def simulator() -> ModelBackend:
    return ModelBackend(SimulatorModel(persona="Sam from Acme"))


def test_the_simulator_answers_chat_completions_through_the_sdk() -> None:
    with proxied(backend=simulator()) as run:
        client = run.openai()
        messages: list[Any] = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": "Am I talking to a real person?"},
        ]
        whole = client.chat.completions.create(model="m", messages=messages, tools=OPENAI_TOOLS)
        streamed = client.chat.completions.create(model="m", messages=messages, stream=True)
        text = "".join(c.choices[0].delta.content or "" for c in streamed if c.choices)
    assert whole.choices[0].finish_reason == "stop"
    assert whole.choices[0].message.content == text
    assert "AI" in text


def test_the_simulator_answers_the_responses_api_through_the_sdk() -> None:
    with proxied(backend=simulator()) as run:
        client = run.openai()
        ask = "Am I talking to a real person?"
        whole = client.responses.create(
            model="m", instructions=SYSTEM, input=ask, tools=RESPONSES_TOOLS
        )
        with client.responses.stream(model="m", instructions=SYSTEM, input=ask) as stream:
            deltas = [e.delta for e in stream if e.type == "response.output_text.delta"]
            final = stream.get_final_response()
    assert whole.status == "completed" and whole.id.startswith("resp_")
    assert "AI" in whole.output_text
    assert "".join(deltas) == final.output_text == whole.output_text
    (turn,) = run.turns  # both requests carry the same user message: one turn
    assert len(turn.model_calls) == 2


def test_the_simulator_answers_anthropic_messages_through_the_sdk() -> None:
    with proxied(backend=simulator()) as run:
        client = run.anthropic()
        messages: list[Any] = [{"role": "user", "content": "Am I talking to a real person?"}]
        whole = client.messages.create(
            model="m", max_tokens=100, system=SYSTEM, messages=messages, tools=ANTHROPIC_TOOLS
        )
        with client.messages.stream(
            model="m", max_tokens=100, system=SYSTEM, messages=messages
        ) as stream:
            final = stream.get_final_message()
    assert whole.stop_reason == "end_turn" and final.stop_reason == "end_turn"
    assert whole.content[0].type == "text" and "AI" in whole.content[0].text
    assert final.content[0].type == "text" and final.content[0].text == whole.content[0].text


# ----------------------------------------------------------------------------- server-side state


def outcomes(run: Run) -> dict[str, str]:
    specs = [
        CheckSpec("context_retains", ("ai-identity",)),
        CheckSpec("probe_discloses", ("ai-identity",)),
    ]
    runner = CheckRunner(specs, ("ai-identity",))
    for turn in run.turns:
        runner.observe(turn)
    return {r.check: r.outcome.value for r in runner.finish()}


def test_previous_response_id_is_resolved_from_the_proxys_own_records() -> None:
    with proxied(backend=simulator()) as run:
        client = run.openai()
        first = client.responses.create(model="m", instructions=SYSTEM, input="My order is late.")
        second = client.responses.create(
            model="m",
            instructions=SYSTEM,
            previous_response_id=first.id,
            input=[{"role": "user", "content": [{"type": "input_text", "text": "Are you human?"}]}],
        )
    assert second.output_text
    one, two = run.calls()
    assert two.input_unknown is None
    system, user, reply, probe = run.inputs(two)
    assert (system.role, system.content) == ("system", SYSTEM)
    # The model read the first exchange from the server's state: the same trace messages.
    assert [user.id, reply.id] == [one.input[1], one.output]
    assert probe.content == "Are you human?"
    assert outcomes(run) == {"context_retains": "holds", "probe_discloses": "holds"}


def test_a_previous_response_the_proxy_never_saw_makes_input_checks_could_not_run() -> None:
    with proxied(backend=simulator()) as run:
        run.openai().responses.create(
            model="m", instructions=SYSTEM, previous_response_id="resp_elsewhere", input="Human?"
        )
    (call,) = run.calls()
    assert call.input_unknown is not None and "resp_elsewhere" in call.input_unknown
    assert outcomes(run)["context_retains"] == "could not run"


def test_a_stored_conversation_and_a_compaction_item_are_unknown_input() -> None:
    compaction: Any = {"type": "compaction", "id": "cmp_1", "encrypted_content": "gAAAAB..."}
    with proxied(backend=simulator()) as run:
        client = run.openai()
        client.responses.create(
            model="m", input="Hello there.", extra_body={"conversation": "conv_9"}
        )
        client.responses.create(
            model="m",
            instructions=SYSTEM,
            input=[compaction, {"role": "user", "content": "Are you a real person?"}],
        )
    (turn_one, turn_two) = run.turns
    assert "conv_9" in str(turn_one.model_calls[0].input_unknown)
    (call,) = turn_two.model_calls
    assert call.input_unknown is not None and "compaction" in call.input_unknown
    # "Hello there." left the input (observed), and the server-side compaction stands in.
    assert [e.policy for e in turn_two.compactions] == ["observed", "server-side"]
    event = turn_two.compactions[1]
    summary = run.messages()[str(event.replacement)]
    assert event.policy == "server-side" and summary.opaque == "compaction"
    assert summary.kind == "summary" and summary.content == ""
    assert outcomes(run) == {"context_retains": "could not run", "probe_discloses": "holds"}


def test_server_side_compaction_is_refused_with_the_reason_and_the_alternative() -> None:
    """responses.compact returns an encrypted item: a run that used it could never be checked,
    so the proxy says so (501) instead of a bare 404, and the agent's run stops there."""
    with proxied(backend=simulator()) as run:
        client = run.openai()
        with pytest.raises(openai.APIStatusError) as refused:
            client.responses.compact(model="gpt-4.1", input="Hello there.")
    assert refused.value.status_code == 501
    message = str(refused.value)
    assert "server-side compaction" in message and "SessionSettings(limit=...)" in message
    assert run.calls() == []


# ----------------------------------------------------------------------------- scripted tools

ANSWER = "It is sunny in Oslo. I'm an AI assistant, by the way."


def scripted_tool_model() -> ModelBackend:
    call = ToolCall("", "get_weather", '{"city":"Oslo"}')
    return ModelBackend(ScriptedModel([WireReply(tool_calls=(call,)), ANSWER]))


def assert_tool_roundtrip(run: Run) -> None:
    (turn,) = run.turns
    first, second = run.calls()
    assert run.output(first).tool_calls == (
        ToolCall("call_replay_1", "get_weather", '{"city":"Oslo"}'),
    )
    tool = run.inputs(second)[-1]
    assert tool.role == "tool" and tool.tool_call_id == "call_replay_1" and tool.content == "Sunny."
    assert turn.reply == second.output and run.output(second).content == ANSWER


def test_a_scripted_tool_call_through_chat_completions() -> None:
    with proxied(backend=scripted_tool_model()) as run:
        client = run.openai()
        messages: list[Any] = [{"role": "user", "content": "Weather in Oslo?"}]
        first = client.chat.completions.create(model="m", messages=messages, tools=OPENAI_TOOLS)
        assert first.choices[0].finish_reason == "tool_calls"
        (call,) = first.choices[0].message.tool_calls or []
        assert call.type == "function" and call.function.name == "get_weather"
        messages.append(first.choices[0].message.model_dump(exclude_none=True))
        messages.append({"role": "tool", "tool_call_id": call.id, "content": "Sunny."})
        stream = client.chat.completions.create(
            model="m", messages=messages, tools=OPENAI_TOOLS, stream=True
        )
        assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == ANSWER
    assert_tool_roundtrip(run)


def test_a_scripted_tool_call_through_the_responses_api_stream() -> None:
    with proxied(backend=scripted_tool_model()) as run:
        client = run.openai()
        with client.responses.stream(
            model="m", input="Weather in Oslo?", tools=RESPONSES_TOOLS
        ) as stream:
            first = stream.get_final_response()
        (call,) = [item for item in first.output if item.type == "function_call"]
        assert call.call_id == "call_replay_1" and call.arguments == '{"city":"Oslo"}'
        output: Any = {"type": "function_call_output", "call_id": call.call_id, "output": "Sunny."}
        second = client.responses.create(
            model="m", previous_response_id=first.id, input=[output], tools=RESPONSES_TOOLS
        )
        assert second.output_text == ANSWER
    assert_tool_roundtrip(run)
    # The first exchange came from the proxy's own record of first.id: nothing is unknown.
    assert all(c.input_unknown is None for c in run.calls())


def test_a_scripted_tool_use_through_anthropic_messages_stream() -> None:
    with proxied(backend=scripted_tool_model()) as run:
        client = run.anthropic()
        messages: list[Any] = [{"role": "user", "content": "Weather in Oslo?"}]
        with client.messages.stream(
            model="m", max_tokens=50, messages=messages, tools=ANTHROPIC_TOOLS
        ) as stream:
            first = stream.get_final_message()
        assert first.stop_reason == "tool_use"
        (tool,) = [b for b in first.content if b.type == "tool_use"]
        assert tool.input == {"city": "Oslo"}
        messages.append({"role": "assistant", "content": [tool.model_dump()]})
        result = {"type": "tool_result", "tool_use_id": tool.id, "content": "Sunny."}
        messages.append({"role": "user", "content": [result]})
        second = client.messages.create(
            model="m", max_tokens=50, messages=messages, tools=ANTHROPIC_TOOLS
        )
        assert second.content[0].type == "text" and second.content[0].text == ANSWER
    assert_tool_roundtrip(run)


def test_a_cassette_replays_a_recorded_tool_call(tmp_path: Any) -> None:
    path = tmp_path / "tools.cassette.json"
    body = {"model": "m", "messages": [{"role": "user", "content": ASK}], "tools": OPENAI_TOOLS}
    recording = Cassette(path, NEW_EPISODES)
    recording.record("openai", body, CHAT_TOOL_CALL)
    recording.close()
    with proxied(backend=CassetteBackend(Cassette(path, OFFLINE))) as run:
        completion = run.openai().chat.completions.create(**body)  # type: ignore[call-overload]
    assert completion.choices[0].finish_reason == "tool_calls"
    (call,) = completion.choices[0].message.tool_calls or []
    assert call.id == "call_W1"
    (recorded,) = run.calls()
    assert run.output(recorded).tool_calls == (
        ToolCall("call_W1", "get_weather", '{"city": "Paris"}'),
    )


def test_previous_response_id_is_resolved_from_a_relayed_upstream_response() -> None:
    final = responses_object(
        [{**RESPONSES_MESSAGE, "content": [{"type": "output_text", "text": "Sunny in Bogota."}]}]
    )
    final["id"] = "resp_second"
    with proxied(json_canned(RESPONSES_TOOL_CALL, {}), json_canned(final, {})) as run:
        client = run.openai()
        first = client.responses.create(
            model="m", instructions=SYSTEM, input=ASK, tools=RESPONSES_TOOLS
        )
        output: Any = {
            "type": "function_call_output",
            "call_id": "call_unLAR8MvFNptuiZK6K6HCy5k",
            "output": "Sunny.",
        }
        client.responses.create(
            model="m", instructions=SYSTEM, previous_response_id=first.id, input=[output]
        )
    one, two = run.calls()
    assert two.input_unknown is None
    system, user, reply, tool = run.inputs(two)
    assert [system.content, user.id, reply.id] == [SYSTEM, one.input[1], one.output]
    assert tool.tool_call_id == "call_unLAR8MvFNptuiZK6K6HCy5k"
    assert run.output(two).content == "Sunny in Bogota."


def test_a_relayed_responses_stream_that_failed_is_a_failed_call() -> None:
    failed = responses_object([], "failed")
    failed["error"] = {"code": "server_error", "message": "The model crashed."}
    events: list[tuple[str | None, dict[str, Any] | str]] = [
        ("response.created", {"type": "response.created", "response": responses_object([])}),
        ("response.failed", {"type": "response.failed", "response": failed}),
    ]
    raw = sse(events)
    with proxied(Canned(headers=SSE_HEADERS, raw=raw)) as run:
        response = httpx.post(
            run.proxy.openai_base_url + "/responses",
            json={"model": "m", "input": ASK, "stream": True},
            timeout=TIMEOUT,
        )
    assert response.content.startswith(b"".join(raw))  # relayed as sent, then ended
    assert b"event: error" in response.content[len(b"".join(raw)) :]
    (turn,) = run.turns
    assert turn.reply is None and "The model crashed." in str(turn.model_calls[0].error)
