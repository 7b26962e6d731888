"""The wire formats the recording proxy speaks: parsers, renderers and the SSE assembler.

Three APIs, one structure. A request body (OpenAI Chat Completions, Anthropic Messages, OpenAI
Responses) parses to a :class:`WireRequest`: the messages in the order the model reads them,
each a :class:`WireMessage` (role, text parts, tool calls, the tool call a result answers,
placeholders for images and other non-text parts, opaque items such as encrypted reasoning or a
server-side compaction), plus the tool definitions by name and, for the Responses API, the
server-side state it names (``previous_response_id``, ``conversation``). A reply (a JSON body or
a reassembled SSE stream) parses to a :class:`WireReply`: text, tool calls, refusal, finish
reason, usage. Renderers turn a :class:`WireReply` back into each API's JSON body or SSE stream,
in the shapes the official ``openai`` and ``anthropic`` SDKs parse.

This module knows nothing of traces or checks: it is the one place that knows the wire.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from replay.spec._words import count as count_words
from replay.trace._records import ToolCall, Usage

CHAT = "openai"
"""OpenAI Chat Completions (``POST /v1/chat/completions``); the same name as clients.OPENAI."""
MESSAGES = "anthropic"
"""Anthropic Messages (``POST /v1/messages``); the same name as clients.ANTHROPIC."""
RESPONSES = "responses"
"""OpenAI Responses (``POST /v1/responses``)."""
APIS = (CHAT, MESSAGES, RESPONSES)

IMAGE = "[image]"
"""The placeholder an image part stands as in a message's parts (never in its text)."""
COMPACTION = "compaction"
"""The opaque kind of a server-side compaction item: its content is unknown."""
REASONING = "reasoning"
"""The opaque kind of a reasoning item the agent sends back (encrypted or summarized)."""
REFERENCE = "item_reference"
"""The opaque kind of a reference to an item stored server-side: its content is unknown."""

_PLACEHOLDERS = {
    "image": IMAGE,
    "image_url": IMAGE,
    "input_image": IMAGE,
    "input_audio": "[audio]",
    "audio": "[audio]",
    "file": "[file]",
    "input_file": "[file]",
    "document": "[document]",
}


@dataclass(frozen=True, slots=True)
class WireMessage:
    """One message of a request, as the model reads it.

    ``text`` is the message's text parts joined: what checks read. A message whose content has
    non-text parts keeps all its parts in ``parts`` (text parts as text, images and files as
    placeholders such as ``[image]``). An assistant message that only calls tools has empty
    text and its ``tool_calls``; a tool result is role ``tool`` with ``tool_call_id``. An opaque
    item (encrypted reasoning, a server-side compaction, a reference to a stored item) has
    ``opaque`` set to its kind and no text the proxy can read.
    """

    role: str
    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    parts: tuple[str, ...] = ()
    opaque: str | None = None

    @property
    def unknown(self) -> bool:
        """The message stands for content the proxy cannot see (a compaction, a reference)."""
        return self.opaque in (COMPACTION, REFERENCE)


@dataclass(frozen=True)
class WireRequest:
    """One request body, parsed: what the model reads and what the request asks for."""

    api: str
    messages: tuple[WireMessage, ...]
    model: str | None = None
    stream: bool = False
    tools: tuple[str, ...] = ()
    """The names of the tools the request offers (a built-in tool by its type)."""
    instructions: int = 0
    """How many leading messages are the Responses API's ``instructions`` (0 or 1): they are
    not carried over to a later response that names this one as its previous response."""
    previous_response_id: str | None = None
    conversation: str | None = None
    """The id of the stored conversation a Responses request continues (its items are stored
    server-side: the proxy cannot see them)."""

    @property
    def history(self) -> tuple[WireMessage, ...]:
        """The messages without the instructions (what a later response inherits)."""
        return self.messages[self.instructions :]


@dataclass(frozen=True)
class WireReply:
    """A model's reply, in any API: text, tool calls, refusal, finish reason, usage."""

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    refusal: str | None = None
    finish_reason: str | None = None
    """As the API said it (``stop``, ``tool_calls``, ``end_turn``, ``tool_use``, ``completed``,
    ``incomplete:max_output_tokens``...)."""
    usage: Usage | None = None
    id: str | None = None
    """The response id the API gave (a Responses API id names server-side state)."""

    def message(self) -> WireMessage:
        """The reply as the assistant message a later request carries back."""
        return WireMessage("assistant", self.text, self.tool_calls)


class WireError(ValueError):
    """A request or reply body that does not have its API's shape."""


# ----------------------------------------------------------------------------- requests


def _placeholder(kind: Any) -> str:
    return _PLACEHOLDERS.get(str(kind), f"[{kind}]")


def _content(content: Any, *, where: str) -> tuple[str, tuple[str, ...]]:
    """Message content as (text, parts): a string, or a list of content parts/blocks."""
    if content is None:
        return "", ()
    if isinstance(content, str):
        return content, ()
    if not isinstance(content, list):
        raise WireError(f"{where}: content must be text or a list of parts, got {content!r}")
    texts: list[str] = []
    parts: list[str] = []
    plain = True
    for block in content:
        if isinstance(block, str):
            texts.append(block)
            parts.append(block)
            continue
        if not isinstance(block, Mapping):
            raise WireError(f"{where}: a content part must be an object, got {block!r}")
        text = block.get("text")
        if isinstance(text, str) and block.get("type", "text") in (
            "text",
            "input_text",
            "output_text",
            "summary_text",
        ):
            texts.append(text)
            parts.append(text)
        elif block.get("type") == "refusal" and isinstance(block.get("refusal"), str):
            texts.append(block["refusal"])
            parts.append(block["refusal"])
        else:
            plain = False
            parts.append(_placeholder(block.get("type")))
    return "".join(texts), () if plain else tuple(parts)


def _role(role: Any, where: str) -> str:
    if not isinstance(role, str):
        raise WireError(f"{where}: each message needs a 'role'")
    # developer: OpenAI's newer name for the system role; function: the old tool role.
    role = {"developer": "system", "function": "tool"}.get(role, role)
    if not isinstance(role, str) or role not in ("system", "user", "assistant", "tool"):
        raise WireError(f"{where}: unknown message role {role!r}")
    return role


def _arguments(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _chat_messages(body: Mapping[str, Any]) -> list[WireMessage]:
    items = body.get("messages")
    if not isinstance(items, list):
        raise WireError("the request body needs a 'messages' list")
    out: list[WireMessage] = []
    for n, item in enumerate(items):
        where = f"messages[{n}]"
        if not isinstance(item, Mapping):
            raise WireError(f"{where}: each message must be an object, got {item!r}")
        role = _role(item.get("role"), where)
        text, parts = _content(item.get("content"), where=where)
        calls: list[ToolCall] = []
        for call in item.get("tool_calls") or ():
            function = call.get("function") if isinstance(call, Mapping) else None
            if not isinstance(function, Mapping):
                raise WireError(f"{where}: a tool call needs a 'function', got {call!r}")
            calls.append(
                ToolCall(
                    str(call.get("id") or ""),
                    str(function.get("name") or ""),
                    _arguments(function.get("arguments", "")),
                )
            )
        legacy = item.get("function_call")  # the pre-tools form of one call
        if isinstance(legacy, Mapping):
            calls.append(
                ToolCall("", str(legacy.get("name") or ""), _arguments(legacy.get("arguments")))
            )
        refusal = item.get("refusal")
        if role == "assistant" and isinstance(refusal, str) and not text:
            text = refusal
        call_id = item.get("tool_call_id")
        if role == "tool" and call_id is None and item.get("role") == "function":
            call_id = item.get("name")
        out.append(
            WireMessage(
                role,
                text,
                tuple(calls),
                None if call_id is None else str(call_id),
                parts,
            )
        )
    return out


def _chat_tools(body: Mapping[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    for tool in body.get("tools") or ():
        if isinstance(tool, Mapping):
            function = tool.get("function")
            if isinstance(function, Mapping) and function.get("name"):
                names.append(str(function["name"]))
            elif tool.get("name") or tool.get("type"):
                names.append(str(tool.get("name") or tool.get("type")))
    for function in body.get("functions") or ():
        if isinstance(function, Mapping) and function.get("name"):
            names.append(str(function["name"]))
    return tuple(names)


def _anthropic_messages(body: Mapping[str, Any]) -> list[WireMessage]:
    items = body.get("messages")
    if not isinstance(items, list):
        raise WireError("the request body needs a 'messages' list")
    out: list[WireMessage] = []
    system = body.get("system")
    if system:
        text, parts = _content(system, where="system")
        out.append(WireMessage("system", text, parts=parts))
    for n, item in enumerate(items):
        where = f"messages[{n}]"
        if not isinstance(item, Mapping):
            raise WireError(f"{where}: each message must be an object, got {item!r}")
        role = _role(item.get("role"), where)
        content = item.get("content")
        if not isinstance(content, list):
            text, parts = _content(content, where=where)
            out.append(WireMessage(role, text, parts=parts))
            continue
        rest: list[Any] = []
        calls: list[ToolCall] = []
        opaque: str | None = None
        for block in content:
            kind = block.get("type") if isinstance(block, Mapping) else None
            if kind == "tool_result":
                # The tool speaking, not the user (and it must not look like a new user turn).
                text, parts = _content(block.get("content"), where=f"{where}.tool_result")
                call_id = block.get("tool_use_id")
                out.append(
                    WireMessage("tool", text, (), None if call_id is None else str(call_id), parts)
                )
            elif kind in ("tool_use", "server_tool_use"):
                calls.append(
                    ToolCall(
                        str(block.get("id") or ""),
                        str(block.get("name") or ""),
                        _arguments(block.get("input", {})),
                    )
                )
            elif kind in ("thinking", "redacted_thinking"):
                opaque = REASONING  # the model's own reasoning, sent back: never shown
            else:
                rest.append(block)
        if rest or calls or opaque or not content:
            text, parts = _content(rest, where=where)
            if rest or calls or opaque is None:
                out.append(WireMessage(role, text, tuple(calls), None, parts))
            else:
                out.append(WireMessage(role, "", (), None, (), opaque))
    return out


def _anthropic_tools(body: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(
        str(t.get("name") or t.get("type"))
        for t in body.get("tools") or ()
        if isinstance(t, Mapping) and (t.get("name") or t.get("type"))
    )


def _responses_output_text(output: Any) -> str:
    """A function_call_output's output: a string or a list of content parts."""
    if isinstance(output, str):
        return output
    text, _ = _content(output, where="function_call_output")
    return text


def _responses_item(item: Any, where: str) -> WireMessage:
    if isinstance(item, str):
        return WireMessage("user", item)
    if not isinstance(item, Mapping):
        raise WireError(f"{where}: an input item must be an object, got {item!r}")
    kind = item.get("type") or "message"
    if kind == "message":
        text, parts = _content(item.get("content"), where=where)
        return WireMessage(_role(item.get("role"), where), text, parts=parts)
    if kind in ("function_call", "custom_tool_call"):
        arguments = item.get("arguments", item.get("input", ""))
        call = ToolCall(
            str(item.get("call_id") or item.get("id") or ""),
            str(item.get("name") or ""),
            _arguments(arguments),
        )
        return WireMessage("assistant", "", (call,))
    if kind in ("function_call_output", "custom_tool_call_output"):
        call_id = item.get("call_id")
        return WireMessage(
            "tool",
            _responses_output_text(item.get("output")),
            (),
            None if call_id is None else str(call_id),
        )
    if kind == "reasoning":
        return WireMessage("assistant", "", opaque=REASONING)
    if kind == "compaction" or kind.endswith("compaction"):
        return WireMessage("assistant", "", opaque=COMPACTION)
    if kind == "item_reference":
        return WireMessage("assistant", "", opaque=REFERENCE)
    if kind.endswith("_output"):  # a built-in tool's result (computer_call_output, ...)
        return WireMessage("tool", "", (), str(item.get("call_id") or "") or None, opaque=kind)
    return WireMessage("assistant", "", opaque=str(kind))  # a built-in tool's call


def _continues(previous: WireMessage, message: WireMessage) -> bool:
    """``message`` is a function call that belongs to the assistant message before it."""
    return (
        message.role == previous.role == "assistant"
        and previous.opaque is None
        and message.opaque is None
        and not message.text
        and bool(message.tool_calls)
    )


def _responses_messages(body: Mapping[str, Any]) -> tuple[list[WireMessage], int]:
    out: list[WireMessage] = []
    instructions = body.get("instructions")
    if isinstance(instructions, str | list) and instructions:
        text, parts = _content(instructions, where="instructions")
        out.append(WireMessage("system", text, parts=parts))
    lead = len(out)
    items = body.get("input")
    if isinstance(items, str):
        out.append(WireMessage("user", items))
    elif isinstance(items, list):
        for n, item in enumerate(items):
            message = _responses_item(item, f"input[{n}]")
            previous = out[-1] if len(out) > lead else None
            if previous is not None and _continues(previous, message):
                # One response's output items are one assistant turn: its text message and
                # the function calls after it come back as separate items, and are one message
                # (as Chat Completions and Anthropic send them, and as the reply was recorded).
                out[-1] = replace(previous, tool_calls=previous.tool_calls + message.tool_calls)
            else:
                out.append(message)
    elif items is not None:
        raise WireError("'input' must be text or a list of items")
    return out, lead


def _responses_tools(body: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(
        str(t.get("name") or t.get("type"))
        for t in body.get("tools") or ()
        if isinstance(t, Mapping) and (t.get("name") or t.get("type"))
    )


def parse_request(api: str, body: Any) -> WireRequest:
    """A request body of ``api`` as a :class:`WireRequest` (raises :class:`WireError`)."""
    if not isinstance(body, Mapping):
        raise WireError("the request body must be a JSON object")
    found = body.get("model")
    model = found if isinstance(found, str) else None
    stream = bool(body.get("stream"))
    if api == MESSAGES:
        return WireRequest(
            api, tuple(_anthropic_messages(body)), model, stream, _anthropic_tools(body)
        )
    if api == RESPONSES:
        messages, lead = _responses_messages(body)
        conversation = body.get("conversation")
        if isinstance(conversation, Mapping):
            conversation = conversation.get("id")
        previous = body.get("previous_response_id")
        return WireRequest(
            api,
            tuple(messages),
            tools=_responses_tools(body),
            instructions=lead,
            previous_response_id=previous if isinstance(previous, str) and previous else None,
            conversation=str(conversation) if conversation else None,
            model=model,
            stream=stream,
        )
    return WireRequest(api, tuple(_chat_messages(body)), model, stream, _chat_tools(body))


# ----------------------------------------------------------------------------- replies


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _usage(data: Any, input_key: str, output_key: str) -> Usage | None:
    if not isinstance(data, Mapping):
        return None
    return Usage(_int(data.get(input_key)), _int(data.get(output_key)))


def _chat_reply(data: Mapping[str, Any]) -> WireReply:
    try:
        choice = data["choices"][0]
        message = choice["message"]
    except (KeyError, IndexError, TypeError) as exc:
        raise WireError(f"no choices[0].message in the response ({exc!r})") from None
    if not isinstance(message, Mapping):
        raise WireError("choices[0].message is not an object")
    (parsed,) = _chat_messages({"messages": [{**message, "role": "assistant"}]})
    refusal = message.get("refusal")
    return WireReply(
        text=parsed.text if not isinstance(refusal, str) or message.get("content") else "",
        tool_calls=parsed.tool_calls,
        refusal=refusal if isinstance(refusal, str) else None,
        finish_reason=choice.get("finish_reason") if isinstance(choice, Mapping) else None,
        usage=_usage(data.get("usage"), "prompt_tokens", "completion_tokens"),
        id=data.get("id") if isinstance(data.get("id"), str) else None,
    )


def _anthropic_reply(data: Mapping[str, Any]) -> WireReply:
    blocks = data.get("content")
    if not isinstance(blocks, list):
        raise WireError("no content blocks in the response")
    texts: list[str] = []
    calls: list[ToolCall] = []
    for block in blocks:
        if not isinstance(block, Mapping):
            raise WireError(f"a content block must be an object, got {block!r}")
        kind = block.get("type")
        if kind == "text" and isinstance(block.get("text"), str):
            texts.append(block["text"])
        elif kind in ("tool_use", "server_tool_use"):
            calls.append(
                ToolCall(
                    str(block.get("id") or ""),
                    str(block.get("name") or ""),
                    _arguments(block.get("input", {})),
                )
            )
    stop = data.get("stop_reason")
    text = "".join(texts)
    return WireReply(
        text=text,
        tool_calls=tuple(calls),
        refusal=text if stop == "refusal" else None,
        finish_reason=stop if isinstance(stop, str) else None,
        usage=_usage(data.get("usage"), "input_tokens", "output_tokens"),
        id=data.get("id") if isinstance(data.get("id"), str) else None,
    )


def _responses_reply(data: Mapping[str, Any]) -> WireReply:
    output = data.get("output")
    if not isinstance(output, list):
        raise WireError("no 'output' list in the response")
    texts: list[str] = []
    refusals: list[str] = []
    calls: list[ToolCall] = []
    for item in output:
        if not isinstance(item, Mapping):
            raise WireError(f"an output item must be an object, got {item!r}")
        kind = item.get("type")
        if kind == "message":
            for part in item.get("content") or ():
                if not isinstance(part, Mapping):
                    continue
                if part.get("type") == "output_text" and isinstance(part.get("text"), str):
                    texts.append(part["text"])
                elif part.get("type") == "refusal" and isinstance(part.get("refusal"), str):
                    refusals.append(part["refusal"])
        elif kind in ("function_call", "custom_tool_call"):
            calls.append(
                ToolCall(
                    str(item.get("call_id") or item.get("id") or ""),
                    str(item.get("name") or ""),
                    _arguments(item.get("arguments", item.get("input", ""))),
                )
            )
    status = data.get("status")
    finish = status if isinstance(status, str) else None
    details = data.get("incomplete_details")
    if finish == "incomplete" and isinstance(details, Mapping) and details.get("reason"):
        finish = f"incomplete:{details['reason']}"
    return WireReply(
        text="".join(texts),
        tool_calls=tuple(calls),
        refusal="".join(refusals) if refusals else None,
        finish_reason=finish,
        usage=_usage(data.get("usage"), "input_tokens", "output_tokens"),
        id=data.get("id") if isinstance(data.get("id"), str) else None,
    )


def parse_reply(api: str, data: Any) -> WireReply:
    """A (non-streamed) reply body of ``api`` as a :class:`WireReply` (raises WireError)."""
    if not isinstance(data, Mapping):
        raise WireError("the response body is not a JSON object")
    if api == MESSAGES:
        return _anthropic_reply(data)
    if api == RESPONSES:
        if data.get("status") == "failed" or isinstance(data.get("error"), Mapping):
            error = data.get("error")
            message = error.get("message") if isinstance(error, Mapping) else None
            raise WireError(f"the response failed: {message or 'no reason given'}")
        return _responses_reply(data)
    return _chat_reply(data)


# ----------------------------------------------------------------------------- rendering


def new_id(api: str) -> str:
    """A fresh response id in the API's style."""
    hexed = uuid.uuid4().hex
    if api == MESSAGES:
        return f"msg_{hexed[:24]}"
    if api == RESPONSES:
        return f"resp_{hexed}"
    return f"chatcmpl-{hexed[:24]}"


def _usage_numbers(reply: WireReply) -> tuple[int, int]:
    usage = reply.usage or Usage()
    return usage.input_tokens or 0, usage.output_tokens or 0


def _chat_finish(reply: WireReply) -> str:
    if reply.tool_calls:
        return "tool_calls"
    return reply.finish_reason if reply.finish_reason in ("stop", "length") else "stop"


def _anthropic_stop(reply: WireReply) -> str:
    if reply.tool_calls:
        return "tool_use"
    if reply.finish_reason in ("end_turn", "max_tokens", "stop_sequence", "refusal"):
        return str(reply.finish_reason)
    return "end_turn"


def _input_object(arguments: str) -> Any:
    try:
        return json.loads(arguments) if arguments else {}
    except json.JSONDecodeError:
        return {}


def _responses_items(reply: WireReply, response_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if reply.text or reply.refusal is not None or not reply.tool_calls:
        content: list[dict[str, Any]] = []
        if reply.refusal is not None:
            content.append({"type": "refusal", "refusal": reply.refusal})
        if reply.text or reply.refusal is None:
            content.append(
                {"type": "output_text", "text": reply.text, "annotations": [], "logprobs": []}
            )
        items.append(
            {
                "type": "message",
                "id": f"msg_{response_id[5:]}",
                "status": "completed",
                "role": "assistant",
                "content": content,
            }
        )
    for n, call in enumerate(reply.tool_calls):
        items.append(
            {
                "type": "function_call",
                "id": f"fc_{response_id[5:]}_{n}",
                "call_id": call.id,
                "name": call.name,
                "arguments": call.arguments,
                "status": "completed",
            }
        )
    return items


def _responses_object(
    reply: WireReply, model: str, response_id: str, status: str, output: list[dict[str, Any]]
) -> dict[str, Any]:
    prompt, completion = _usage_numbers(reply)
    return {
        "id": response_id,
        "object": "response",
        "created_at": int(time.time()),
        "status": status,
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "metadata": {},
        "model": model,
        "output": output,
        "parallel_tool_calls": True,
        "temperature": None,
        "tool_choice": "auto",
        "tools": [],
        "top_p": None,
        "usage": {
            "input_tokens": prompt,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": completion,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": prompt + completion,
        },
    }


def render_json(api: str, model: str, reply: WireReply) -> dict[str, Any]:
    """``reply`` as a complete (non-streamed) response body of ``api``."""
    prompt, completion = _usage_numbers(reply)
    if api == MESSAGES:
        blocks: list[dict[str, Any]] = []
        if reply.text or not reply.tool_calls:
            blocks.append({"type": "text", "text": reply.text})
        blocks.extend(
            {"type": "tool_use", "id": c.id, "name": c.name, "input": _input_object(c.arguments)}
            for c in reply.tool_calls
        )
        return {
            "id": reply.id or new_id(api),
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": blocks,
            "stop_reason": _anthropic_stop(reply),
            "stop_sequence": None,
            "usage": {"input_tokens": prompt, "output_tokens": completion},
        }
    if api == RESPONSES:
        response_id = reply.id or new_id(api)
        items = _responses_items(reply, response_id)
        return _responses_object(reply, model, response_id, "completed", items)
    message: dict[str, Any] = {
        "role": "assistant",
        "content": reply.text if reply.text or not reply.tool_calls else None,
        "refusal": reply.refusal,
    }
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments},
            }
            for c in reply.tool_calls
        ]
    return {
        "id": reply.id or new_id(api),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": _chat_finish(reply)}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }


def _chunks(text: str, size: int = 24) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _event(data: Any, name: str | None = None) -> bytes:
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {json.dumps(data)}\n\n".encode()


def render_sse(api: str, model: str, reply: WireReply) -> Iterator[bytes]:
    """``reply`` as ``api``'s Server-Sent Events stream, event by event."""
    if api == MESSAGES:
        yield from _anthropic_sse(model, reply)
    elif api == RESPONSES:
        yield from _responses_sse(model, reply)
    else:
        yield from _chat_sse(model, reply)


def _chat_sse(model: str, reply: WireReply) -> Iterator[bytes]:
    base: dict[str, Any] = {
        "id": reply.id or new_id(CHAT),
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        return _event({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

    first = True
    if reply.text or not reply.tool_calls:
        for piece in _chunks(reply.text):
            yield chunk({"role": "assistant", "content": piece} if first else {"content": piece})
            first = False
    if reply.refusal is not None:
        yield chunk(
            {"role": "assistant", "refusal": reply.refusal} if first else {"refusal": reply.refusal}
        )
        first = False
    for n, call in enumerate(reply.tool_calls):
        head: dict[str, Any] = {
            "index": n,
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": ""},
        }
        yield chunk(
            {"role": "assistant", "tool_calls": [head]} if first else {"tool_calls": [head]}
        )
        first = False
        for piece in _chunks(call.arguments, 32) if call.arguments else ():
            yield chunk({"tool_calls": [{"index": n, "function": {"arguments": piece}}]})
    yield chunk({}, _chat_finish(reply))
    yield b"data: [DONE]\n\n"


def _anthropic_sse(model: str, reply: WireReply) -> Iterator[bytes]:
    message = render_json(MESSAGES, model, replace(reply, text="", tool_calls=()))
    message["content"] = []
    message["stop_reason"] = None
    prompt, completion = _usage_numbers(reply)
    message["usage"] = {"input_tokens": prompt, "output_tokens": 0}
    yield _event({"type": "message_start", "message": message}, "message_start")
    index = 0
    if reply.text or not reply.tool_calls:
        start = {"type": "content_block_start", "index": 0}
        yield _event({**start, "content_block": {"type": "text", "text": ""}}, str(start["type"]))
        for piece in _chunks(reply.text):
            delta = {"type": "text_delta", "text": piece}
            yield _event(
                {"type": "content_block_delta", "index": 0, "delta": delta}, "content_block_delta"
            )
        yield _event({"type": "content_block_stop", "index": 0}, "content_block_stop")
        index = 1
    for call in reply.tool_calls:
        block = {"type": "tool_use", "id": call.id, "name": call.name, "input": {}}
        yield _event(
            {"type": "content_block_start", "index": index, "content_block": block},
            "content_block_start",
        )
        arguments = json.dumps(_input_object(call.arguments))
        for piece in _chunks(arguments, 32):
            delta = {"type": "input_json_delta", "partial_json": piece}
            yield _event(
                {"type": "content_block_delta", "index": index, "delta": delta},
                "content_block_delta",
            )
        yield _event({"type": "content_block_stop", "index": index}, "content_block_stop")
        index += 1
    yield _event(
        {
            "type": "message_delta",
            "delta": {"stop_reason": _anthropic_stop(reply), "stop_sequence": None},
            "usage": {"output_tokens": completion},
        },
        "message_delta",
    )
    yield _event({"type": "message_stop"}, "message_stop")


def _responses_sse(model: str, reply: WireReply) -> Iterator[bytes]:
    response_id = reply.id or new_id(RESPONSES)
    items = _responses_items(reply, response_id)
    sequence = 0

    def event(data: dict[str, Any]) -> bytes:
        nonlocal sequence
        data = {**data, "sequence_number": sequence}
        sequence += 1
        return _event(data, str(data["type"]))

    pending = _responses_object(reply, model, response_id, "in_progress", [])
    yield event({"type": "response.created", "response": pending})
    yield event({"type": "response.in_progress", "response": pending})
    for n, item in enumerate(items):
        if item["type"] == "message":
            yield event(
                {
                    "type": "response.output_item.added",
                    "output_index": n,
                    "item": {**item, "status": "in_progress", "content": []},
                }
            )
            for c, part in enumerate(item["content"]):
                where = {"item_id": item["id"], "output_index": n, "content_index": c}
                if part["type"] == "refusal":
                    empty = {"type": "refusal", "refusal": ""}
                    yield event({"type": "response.content_part.added", **where, "part": empty})
                    yield event(
                        {"type": "response.refusal.delta", **where, "delta": part["refusal"]}
                    )
                    yield event(
                        {"type": "response.refusal.done", **where, "refusal": part["refusal"]}
                    )
                else:
                    empty = {**part, "text": ""}
                    yield event({"type": "response.content_part.added", **where, "part": empty})
                    for piece in _chunks(part["text"]):
                        yield event(
                            {
                                "type": "response.output_text.delta",
                                **where,
                                "delta": piece,
                                "logprobs": [],
                            }
                        )
                    yield event(
                        {
                            "type": "response.output_text.done",
                            **where,
                            "text": part["text"],
                            "logprobs": [],
                        }
                    )
                yield event({"type": "response.content_part.done", **where, "part": part})
        else:
            yield event(
                {
                    "type": "response.output_item.added",
                    "output_index": n,
                    "item": {**item, "status": "in_progress", "arguments": ""},
                }
            )
            where = {"item_id": item["id"], "output_index": n}
            for piece in _chunks(item["arguments"], 32) if item["arguments"] else ():
                yield event(
                    {"type": "response.function_call_arguments.delta", **where, "delta": piece}
                )
            yield event(
                {
                    "type": "response.function_call_arguments.done",
                    **where,
                    "name": item["name"],
                    "arguments": item["arguments"],
                }
            )
        yield event({"type": "response.output_item.done", "output_index": n, "item": item})
    done = _responses_object(reply, model, response_id, "completed", items)
    yield event({"type": "response.completed", "response": done})


def render_sse_error(api: str, message: str, kind: str = "api_error") -> bytes:
    """An error as the last event of ``api``'s stream (ends a stream that is not whole)."""
    if api == MESSAGES:
        return _event({"type": "error", "error": {"type": kind, "message": message}}, "error")
    if api == RESPONSES:
        return _event({"type": "error", "code": kind, "message": message, "param": None}, "error")
    return _event({"error": {"message": message, "type": kind}})


# ----------------------------------------------------------------------------- streams


@dataclass
class _ToolDraft:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)

    def call(self) -> ToolCall:
        return ToolCall(self.id, self.name, "".join(self.arguments))


class SSEAssembler:
    """Reassembles a reply (text, tool calls, refusal, finish reason, usage) from an SSE stream.

    Fed line by line (or raw bytes as they arrive), it also tells whether the stream is whole:
    ``complete`` once the API's terminal event arrived (Chat Completions ``data: [DONE]`` or a
    choice's ``finish_reason``; Anthropic ``message_stop``; Responses ``response.completed`` or
    ``response.incomplete``), ``error`` if the stream carried an error event (Responses
    ``error`` and ``response.failed`` included). A stream cut before its terminal event, or
    empty, is not a reply (:meth:`problem`): fail closed.
    """

    def __init__(self, api: str) -> None:
        self.api = api
        self.parts: list[str] = []
        self._pending = b""
        self.complete = False
        self.error: str | None = None
        self.events = 0
        self._tools: dict[int, _ToolDraft] = {}
        self._refusal: list[str] = []
        self._finish: str | None = None
        self._input_tokens: int | None = None
        self._output_tokens: int | None = None
        self._id: str | None = None
        self._final: WireReply | None = None
        """The Responses API's terminal event carries the whole response: it decides."""

    def feed(self, line: str) -> None:
        """Parse one line of the stream (``data:`` lines; others are ignored)."""
        line = line.strip()
        if not line.startswith("data:"):
            return
        data = line[5:].strip()
        if not data:
            return
        self.events += 1
        if data == "[DONE]":
            self.complete = True
            return
        try:
            event = json.loads(data)
        except json.JSONDecodeError:
            return
        if not isinstance(event, Mapping):
            return
        kind = event.get("type")
        if kind == "error" or (event.get("error") is not None and kind != "response.failed"):
            found = event.get("error", event)
            message = found.get("message") if isinstance(found, Mapping) else found
            self.error = self.error or str(message or json.dumps(event))[:300]
            return
        if event.get("object") == "error":
            self.error = self.error or str(event.get("message") or json.dumps(event))[:300]
            return
        if self.api == MESSAGES:
            self._anthropic(event)
        elif self.api == RESPONSES:
            self._responses(event)
        else:
            self._chat(event)

    def _chat(self, event: Mapping[str, Any]) -> None:
        if isinstance(event.get("id"), str):
            self._id = self._id or event["id"]
        usage = event.get("usage")
        if isinstance(usage, Mapping):
            self._input_tokens = _int(usage.get("prompt_tokens"))
            self._output_tokens = _int(usage.get("completion_tokens"))
        for choice in event.get("choices") or ():
            if not isinstance(choice, Mapping):
                continue
            if choice.get("finish_reason"):
                self.complete = True
                self._finish = str(choice["finish_reason"])
            delta = choice.get("delta") or {}
            if not isinstance(delta, Mapping):
                continue
            content = delta.get("content")
            if isinstance(content, str):
                self.parts.append(content)
            if isinstance(delta.get("refusal"), str):
                self._refusal.append(delta["refusal"])
            for call in delta.get("tool_calls") or ():
                if not isinstance(call, Mapping):
                    continue
                index = call.get("index")
                draft = self._tools.setdefault(index if isinstance(index, int) else 0, _ToolDraft())
                if call.get("id"):
                    draft.id = str(call["id"])
                function = call.get("function")
                if isinstance(function, Mapping):
                    if function.get("name"):
                        draft.name = str(function["name"])
                    if isinstance(function.get("arguments"), str):
                        draft.arguments.append(function["arguments"])

    def _anthropic(self, event: Mapping[str, Any]) -> None:
        kind = event.get("type")
        if kind == "message_stop":
            self.complete = True
        elif kind == "message_start":
            message = event.get("message")
            if isinstance(message, Mapping):
                self._id = message.get("id") if isinstance(message.get("id"), str) else None
                usage = message.get("usage")
                if isinstance(usage, Mapping):
                    self._input_tokens = _int(usage.get("input_tokens"))
        elif kind == "content_block_start":
            block = event.get("content_block")
            index = event.get("index")
            if isinstance(block, Mapping) and block.get("type") in ("tool_use", "server_tool_use"):
                draft = self._tools.setdefault(index if isinstance(index, int) else 0, _ToolDraft())
                draft.id, draft.name = str(block.get("id") or ""), str(block.get("name") or "")
                given = block.get("input")
                if isinstance(given, Mapping) and given:
                    draft.arguments.append(_arguments(given))
            elif isinstance(block, Mapping) and isinstance(block.get("text"), str):
                self.parts.append(block["text"])
        elif kind == "content_block_delta":
            delta = event.get("delta")
            index = event.get("index")
            if not isinstance(delta, Mapping):
                return
            if isinstance(delta.get("text"), str):
                self.parts.append(delta["text"])
            elif isinstance(delta.get("partial_json"), str) and index in self._tools:
                self._tools[index].arguments.append(delta["partial_json"])
        elif kind == "message_delta":
            delta = event.get("delta")
            if isinstance(delta, Mapping) and isinstance(delta.get("stop_reason"), str):
                self._finish = delta["stop_reason"]
            usage = event.get("usage")
            if isinstance(usage, Mapping) and _int(usage.get("output_tokens")) is not None:
                self._output_tokens = _int(usage.get("output_tokens"))

    def _responses(self, event: Mapping[str, Any]) -> None:
        kind = event.get("type")
        response = event.get("response")
        if kind in ("response.created", "response.in_progress") and isinstance(response, Mapping):
            self._id = response.get("id") if isinstance(response.get("id"), str) else self._id
        elif kind == "response.output_item.added":
            item = event.get("item")
            index = event.get("output_index")
            if isinstance(item, Mapping) and item.get("type") in (
                "function_call",
                "custom_tool_call",
            ):
                draft = self._tools.setdefault(index if isinstance(index, int) else 0, _ToolDraft())
                draft.id = str(item.get("call_id") or item.get("id") or "")
                draft.name = str(item.get("name") or "")
        elif kind == "response.output_text.delta" and isinstance(event.get("delta"), str):
            self.parts.append(event["delta"])
        elif kind == "response.refusal.delta" and isinstance(event.get("delta"), str):
            self._refusal.append(event["delta"])
        elif kind in (
            "response.function_call_arguments.delta",
            "response.custom_tool_call_input.delta",
        ):
            index = event.get("output_index")
            if index in self._tools and isinstance(event.get("delta"), str):
                self._tools[index].arguments.append(event["delta"])
        elif kind == "response.failed":
            error = response.get("error") if isinstance(response, Mapping) else None
            message = error.get("message") if isinstance(error, Mapping) else None
            self.error = self.error or f"response.failed: {message or 'no reason given'}"[:300]
        elif kind in ("response.completed", "response.incomplete") and isinstance(
            response, Mapping
        ):
            self.complete = True
            try:
                self._final = _responses_reply(response)
            except WireError:
                self._final = None

    def problem(self) -> str | None:
        """Why the stream is not a whole reply (after :meth:`close`), or None if it is."""
        if self.error is not None:
            return f"the stream carried an error event: {self.error}"
        if self.events == 0:
            return "the stream was empty (no event at all)"
        if not self.complete:
            terminal = {
                MESSAGES: "message_stop",
                RESPONSES: "response.completed",
            }.get(self.api, "[DONE] or a finish_reason")
            return (
                f"the stream was cut before its terminal event ({terminal}) after "
                f"{count_words(self.events, 'event')}, "
                f"{count_words(len(self.text), 'character')} of reply"
            )
        return None

    def feed_bytes(self, chunk: bytes) -> None:
        """Feed raw stream bytes as they arrive; complete lines are parsed, the rest kept."""
        self._pending += chunk
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            self.feed(line.decode("utf-8", errors="replace"))

    def close(self) -> None:
        """Parse what is left after the stream ended without a final newline."""
        if self._pending:
            self.feed(self._pending.decode("utf-8", errors="replace"))
            self._pending = b""

    @property
    def text(self) -> str:
        """The reply text reassembled so far."""
        return "".join(self.parts)

    def reply(self) -> WireReply:
        """The reassembled reply (call once :meth:`problem` is None)."""
        deltas = WireReply(
            text=self.text,
            tool_calls=tuple(self._tools[i].call() for i in sorted(self._tools)),
            refusal="".join(self._refusal) if self._refusal else None,
            finish_reason=self._finish,
            usage=None
            if self._input_tokens is None and self._output_tokens is None
            else Usage(self._input_tokens, self._output_tokens),
            id=self._id,
        )
        final = self._final
        if final is None:
            return deltas
        # The terminal response is authoritative; the deltas fill in what it left out.
        return replace(
            final,
            text=final.text or deltas.text,
            tool_calls=final.tool_calls or deltas.tool_calls,
            refusal=final.refusal if final.refusal is not None else deltas.refusal,
            id=final.id or deltas.id,
        )
