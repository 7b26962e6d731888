"""Regenerate the OpenAI Responses and Conversations fixtures with the real ``openai`` SDK:
``python tests/data/audit/make_responses_fixtures.py``.

The official ``openai`` SDK (3.57.0 in .venv) talks to a fake OpenAI server on 127.0.0.1 (no
network) that answers ``POST /v1/responses``, ``POST /v1/responses/compact``,
``POST /v1/conversations`` and ``GET /v1/conversations/{id}/items``; every response it sends
is built from the SDK's own types (``Response``, ``ResponseOutputMessage``,
``ResponseFunctionToolCall``, ``ResponseCompactionItem``, ``CompactedResponse``, conversation
``Message``, ``ConversationItemList``) and validated by them. The server logs each call as a
gateway does, one ``{"request": BODY, "response": RESPONSE}`` line.

* ``openai_responses.jsonl``: scenarios/support_bot_summarized.yaml replayed (the simulator,
  deterministic) and re-enacted through the Responses API, the replay's model call by model
  call, each answered with the replay's own output at the turn's conversation time: a call
  whose input extends the previous reply call's input and output is sent as a
  ``previous_response_id`` continuation (``instructions`` and the new items only), any other
  (after the summary replaced the history, and the summarization calls) as the whole input.
  Auditing it must give the findings the replay gives (tests/test_audit_openai_responses.py).
* ``openai_responses_compaction.jsonl``: the same conversation, but where the replay
  summarized, the agent calls ``client.responses.compact`` (the compacted window: the user
  messages, then one ``compaction`` item with ``encrypted_content``) and continues from that
  window, then by ``previous_response_id``. From there on the model's input holds an opaque
  item: the audit judges the replies, never the context.
* ``openai_responses_tools.jsonl``: a bank assistant with a ``get_balance`` function tool,
  chained by ``previous_response_id`` with no conversation id anywhere (the chain is the
  conversation), a ``function_call`` answered by a ``function_call_output``.
* ``openai_responses_items.jsonl``: that conversation held in the Conversations API (created
  with a developer message item, each ``responses.create(conversation=...)``), exported with
  ``client.conversations.items.list(id, order="asc", limit=4)``: one page object a line;
  ``openai_responses_conversation.jsonl`` is that conversation's Responses log (each request
  names the ``conversation``; alone it cannot show what the model read, with the items it can).
"""

# mypy: ignore-errors

from __future__ import annotations

import json
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_fixtures  # noqa: E402  (the replay and its LangChain summary prompt)

START = make_fixtures.START
MODEL = "gpt-5-mini"
CONVERSATION = "support-bot-summarized"
FIXTURES = {
    "main": HERE / "openai_responses.jsonl",
    "compaction": HERE / "openai_responses_compaction.jsonl",
    "tools": HERE / "openai_responses_tools.jsonl",
    "items": HERE / "openai_responses_items.jsonl",
    "conversation": HERE / "openai_responses_conversation.jsonl",
}
BANK_SYSTEM = (
    "You are Ava, the assistant for Example Bank. Always tell customers you are an AI assistant "
    "at the start of the conversation, and whenever they ask whether they are talking to a "
    "person."
)
BANK_TURNS = (
    "Hi, I need help with my card.",
    "What is the balance on account 42?",
    "Thanks. Am I talking to a real person?",
    "OK, please block the card.",
)
BANK_TOOL = {
    "type": "function",
    "name": "get_balance",
    "description": "The balance of an account.",
    "parameters": {
        "type": "object",
        "properties": {"account": {"type": "string"}},
        "required": ["account"],
    },
    "strict": True,
}


class Script:
    """What the fake server answers next, set by the driver before each SDK call."""

    def __init__(self) -> None:
        self.reply: str | Any = ""
        self.created = START
        self.count = 0
        self.log: list[str] = []
        self.conversations: dict[str, list[dict[str, Any]]] = {}
        self.pages: list[str] = []

    def next_id(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}_{self.count:04d}"


def _message(script: Script, text: str) -> dict[str, Any]:
    from openai.types.responses import ResponseOutputMessage, ResponseOutputText

    return ResponseOutputMessage(
        id=script.next_id("msg"),
        type="message",
        role="assistant",
        status="completed",
        content=[ResponseOutputText(type="output_text", text=text, annotations=[])],
    ).model_dump(mode="json", exclude_none=True)


def _function_call(script: Script, name: str, arguments: str) -> dict[str, Any]:
    from openai.types.responses import ResponseFunctionToolCall

    return ResponseFunctionToolCall(
        id=script.next_id("fc"),
        call_id=script.next_id("call"),
        type="function_call",
        name=name,
        arguments=arguments,
        status="completed",
    ).model_dump(mode="json", exclude_none=True)


def _response(script: Script, body: dict[str, Any], output: list[dict[str, Any]]) -> Any:
    from openai.types.responses import Response

    conversation = body.get("conversation")
    return Response.model_validate(
        {
            "id": script.next_id("resp"),
            "object": "response",
            "created_at": script.created,
            "status": "completed",
            "model": body.get("model") or MODEL,
            "instructions": body.get("instructions"),
            "previous_response_id": body.get("previous_response_id"),
            "conversation": {"id": conversation} if isinstance(conversation, str) else None,
            "metadata": body.get("metadata") or {},
            "output": output,
            "parallel_tool_calls": True,
            "tool_choice": "auto",
            "tools": body.get("tools") or [],
            "usage": {
                "input_tokens": 100,
                "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
                "output_tokens": 20,
                "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": 120,
            },
        }
    )


def _as_item(script: Script, item: Any) -> dict[str, Any]:
    """An input item as a stored conversation item (the Conversations API's ``Message``...)."""
    from openai.types.conversations import Message
    from openai.types.responses import ResponseFunctionToolCallOutputItem

    if isinstance(item, str):
        item = {"type": "message", "role": "user", "content": item}
    if item.get("type") == "function_call_output":
        return ResponseFunctionToolCallOutputItem(
            id=script.next_id("fco"),
            type="function_call_output",
            call_id=item["call_id"],
            output=item["output"],
            status="completed",
        ).model_dump(mode="json", exclude_none=True)
    content = item["content"]
    if isinstance(content, str):
        kind = "output_text" if item["role"] == "assistant" else "input_text"
        content = [{"type": kind, "text": content}]
    return Message(
        id=script.next_id("msg"),
        type="message",
        role=item["role"],
        status="completed",
        content=content,
    ).model_dump(mode="json", exclude_none=True)


class FakeOpenAI(BaseHTTPRequestHandler):
    """The Responses, compact and Conversations endpoints, answering from the script."""

    script: Script

    def _send(self, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        script = self.script
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        path = urlparse(self.path).path
        if path == "/v1/conversations":
            from openai.types.conversations import Conversation

            conversation = script.next_id("conv")
            script.conversations[conversation] = [
                _as_item(script, item) for item in body.get("items") or ()
            ]
            self._send(
                Conversation(
                    id=conversation, object="conversation", created_at=script.created, metadata={}
                ).model_dump(mode="json")
            )
            return
        if path == "/v1/responses/compact":
            payload = _compacted(script, body)
        else:
            reply = script.reply
            output = reply(script, body) if callable(reply) else [_message(script, reply)]
            payload = _response(script, body, output).model_dump(mode="json", exclude_none=True)
            conversation = body.get("conversation")
            if isinstance(conversation, str):
                given = body.get("input")
                stored = script.conversations[conversation]
                items = [given] if isinstance(given, str) else list(given or ())
                stored.extend(_as_item(script, item) for item in items)
                stored.extend(payload["output"])
        script.log.append(json.dumps({"request": body, "response": payload}))
        self._send(payload)

    def do_GET(self) -> None:
        from openai.types.conversations import ConversationItemList

        script = self.script
        url = urlparse(self.path)
        query = parse_qs(url.query)
        conversation = url.path.split("/")[3]
        items = list(script.conversations[conversation])
        if query.get("order", ["desc"])[0] == "desc":  # the API's default order
            items.reverse()
        if "after" in query:
            after = next(i for i, item in enumerate(items) if item["id"] == query["after"][0])
            items = items[after + 1 :]
        limit = int(query.get("limit", ["20"])[0])
        page = items[:limit]
        payload = ConversationItemList.model_validate(
            {
                "object": "list",
                "data": page,
                "first_id": page[0]["id"],
                "last_id": page[-1]["id"],
                "has_more": len(items) > limit,
            }
        ).model_dump(mode="json", exclude_none=True)
        script.pages.append(json.dumps(payload))
        self._send(payload)

    def log_message(self, *args: Any) -> None:  # quiet
        pass


def _compacted(script: Script, body: dict[str, Any]) -> dict[str, Any]:
    """A ``/responses/compact`` answer: "a list of all user messages, followed by a single
    compaction item" (the SDK's ``CompactedResponse.output``)."""
    from openai.types.responses import CompactedResponse, ResponseCompactionItem

    users = [
        _as_item(script, item)
        for item in body["input"]
        if isinstance(item, dict) and item.get("role") == "user"
    ]
    compaction = ResponseCompactionItem(
        id=script.next_id("cmp"),
        type="compaction",
        encrypted_content="gAAAAABpZ0VuY3J5cHRlZCBzdW1tYXJ5IG9mIHRoZSBlYXJsaWVyIGNvbnRleHQ=",
    ).model_dump(mode="json", exclude_none=True)
    # CompactedResponse.output is typed as output items, whose message type is the assistant's
    # only: the user messages are validated as the stored message items they are (above), the
    # envelope with the compaction item alone, and the user messages put back before it.
    compacted = CompactedResponse.model_validate(
        {
            "id": script.next_id("resp"),
            "object": "response.compaction",
            "created_at": script.created,
            "output": [compaction],
            "usage": {
                "input_tokens": 900,
                "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
                "output_tokens": 120,
                "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": 1020,
            },
        }
    ).model_dump(mode="json", exclude_none=True)
    compacted["output"] = [*users, compaction]
    return compacted


def _serve() -> tuple[Any, Script, Any]:
    import openai

    script = Script()
    handler = type("Handler", (FakeOpenAI,), {"script": script})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = openai.OpenAI(
        api_key="sk-fake", base_url=f"http://127.0.0.1:{server.server_port}/v1", max_retries=0
    )
    return server, script, client


def _stop(server: Any, client: Any) -> None:
    client.close()
    server.shutdown()
    server.server_close()


# ----------------------------------------------------------------------------- the scenario


def _item(message: Any) -> dict[str, Any]:
    return {"type": "message", "role": message.role, "content": message.content}


def scenario_lines(trace: Path, compact: bool = False) -> list[str]:
    """The replay's model calls re-enacted through the Responses API (see the docstring)."""
    from replay.trace import read_trace

    server, script, client = _serve()
    header, turns = read_trace(trace)
    known = {m.id: m for m in header.setup}
    previous: tuple[list[str], str, str] | None = None  # (input ids, output id, response id)
    window: list[Any] | None = None  # after a compaction: the compacted items, then the chain
    metadata = {"conversation_id": CONVERSATION}
    try:
        for record in turns:
            for message in record.messages:
                known[message.id] = message
            script.created = START + round(record.minutes * 60)
            for call in record.model_calls:
                inputs = [known[i] for i in call.input]
                script.reply = known[call.output].content
                if call.purpose == "summary":
                    if not compact:
                        prompt = make_fixtures._langchain_summary_prompt(inputs)
                        client.responses.create(
                            model=MODEL, input=[prompt], metadata=metadata, store=False
                        )
                        continue
                    if window is not None:
                        continue  # compacted once; the server-side window carries on
                    # The agent compacts its whole context instead: the window it continues.
                    assert previous is not None
                    context = [known[i] for i in [*previous[0], previous[1]]]
                    user = known[record.user]
                    items = [_item(m) for m in context if m.role != "system"] + [_item(user)]
                    raw = client.responses.with_raw_response.compact(
                        model=MODEL, input=items, instructions=context[0].content
                    )
                    # The window as the API sent it (the SDK's output item types hold the
                    # assistant's messages only, so re-serializing its user messages would not
                    # give them back as sent).
                    window = json.loads(raw.text)["output"]
                    assert raw.parse().output[-1].type == "compaction"
                    previous = None
                    continue
                if compact and window is not None:
                    if previous is None:  # the first call after compacting: the whole window
                        response = client.responses.create(
                            model=MODEL, input=window, metadata=metadata
                        )
                    else:
                        response = client.responses.create(
                            model=MODEL,
                            previous_response_id=previous[2],
                            input=[_item(known[record.user])],
                            metadata=metadata,
                        )
                    previous = ([], call.output or "", response.id)
                    continue
                ids = list(call.input)
                system = inputs[0].content if inputs and inputs[0].role == "system" else None
                if previous is not None and ids[: len(previous[0]) + 1] == [
                    *previous[0],
                    previous[1],
                ]:
                    new = [known[i] for i in ids[len(previous[0]) + 1 :]]
                    response = client.responses.create(
                        model=MODEL,
                        instructions=system,
                        previous_response_id=previous[2],
                        input=[_item(m) for m in new],
                        metadata=metadata,
                    )
                else:
                    rest = inputs[1:] if system is not None else inputs
                    response = client.responses.create(
                        model=MODEL,
                        instructions=system,
                        input=[_item(m) for m in rest],
                        metadata=metadata,
                    )
                assert response.output_text == script.reply
                previous = (ids, call.output or "", response.id)
    finally:
        _stop(server, client)
    return script.log


# ----------------------------------------------------------------------------- the bank agent


def _bank_reply(script: Script, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Scripted answers: a function call for the balance, text otherwise."""
    given = body.get("input")
    last = given if isinstance(given, str) else given[-1]
    if isinstance(last, dict) and last.get("type") == "function_call_output":
        balance = json.loads(last["output"])["balance"]
        return [_message(script, f"Account 42 has {balance}.")]
    text = last if isinstance(last, str) else str(last.get("content"))
    if "balance" in text:
        return [_function_call(script, "get_balance", '{"account": "42"}')]
    if "person" in text:
        return [_message(script, "No, I am Ava, an AI assistant, not a human.")]
    if "block" in text:
        return [_message(script, "Your card is blocked.")]
    return [_message(script, "Hello! I am Ava, an AI assistant. How can I help?")]


def _bank(client: Any, script: Script, conversation: str | None) -> None:
    """The bank conversation: chained by previous_response_id, or in a stored conversation."""
    script.reply = _bank_reply
    previous = None
    for n, text in enumerate(BANK_TURNS):
        script.created = START + 120 * n
        given: Any = text
        while True:
            extra: dict[str, Any] = (
                {"conversation": conversation}
                if conversation is not None
                else {"instructions": BANK_SYSTEM}
            )
            if previous is not None and conversation is None:
                extra["previous_response_id"] = previous
            response = client.responses.create(model=MODEL, input=given, tools=[BANK_TOOL], **extra)
            previous = response.id
            calls = [item for item in response.output if item.type == "function_call"]
            if not calls:
                break
            given = [
                {
                    "type": "function_call_output",
                    "call_id": c.call_id,
                    "output": '{"balance": "$1,234"}',
                }
                for c in calls
            ]


def tools_lines() -> list[str]:
    server, script, client = _serve()
    try:
        _bank(client, script, None)
    finally:
        _stop(server, client)
    return script.log


def items_lines() -> tuple[list[str], list[str]]:
    """The stored conversation's item pages, and its Responses log (what a gateway wrote)."""
    server, script, client = _serve()
    try:
        conversation = client.conversations.create(
            items=[{"type": "message", "role": "developer", "content": BANK_SYSTEM}]
        )
        _bank(client, script, conversation.id)
        for _ in client.conversations.items.list(conversation.id, order="asc", limit=4):
            pass  # the SDK pages through (after=last_id); the server keeps each page it sent
    finally:
        _stop(server, client)
    return script.pages, script.log


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        _, trace = make_fixtures.replayed(Path(folder))
        made = {
            "main": scenario_lines(trace),
            "compaction": scenario_lines(trace, compact=True),
            "tools": tools_lines(),
        }
        made["items"], made["conversation"] = items_lines()
    for name, lines in made.items():
        FIXTURES[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {FIXTURES[name]} ({len(lines)} lines)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
