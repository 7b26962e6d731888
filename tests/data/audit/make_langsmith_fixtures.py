"""Regenerate the LangSmith run-export fixtures with the real ``langsmith`` and LangChain libraries.

The fixtures are what ``Client.list_runs`` gives a user who exports a project: one
``langsmith.schemas.Run`` a line, as ``run.model_dump_json()`` writes it (``run.json()`` in the
pydantic v1 spelling). They are made the way production runs are: ``langchain_openai.ChatOpenAI``
(the official ``openai`` SDK underneath) talks to a fake OpenAI server on 127.0.0.1, with
LangSmith tracing on (``LANGSMITH_TRACING=true``, a dummy API key) and ``LANGSMITH_ENDPOINT``
pointed at a capture server on 127.0.0.1 that stores what the SDK's background thread posts to
``POST /runs/batch`` (it answers ``GET /info`` with a batch-ingest config that turns multipart
off, so the posts are plain JSON; the run content is the same either way). A run's post and
its later patch (outputs, end time, error) are merged by id, as the LangSmith server does, and
the merged run is loaded into ``langsmith.schemas.Run`` with the two fields the server adds
that a list_runs export carries: ``session_id`` (the project's id, not a conversation) and
``status``, in place of the ``session_name`` the SDK sends (the project's name, which the
server resolves to that id). Nothing else is written by hand; the server-computed token and
cost fields stay empty. Times are the SDK's own, under a clock frozen
(freezegun, ticking) at each turn's conversation time, so the runs carry the scenario's minutes.

* ``langsmith_support_bot.jsonl``: scenarios/support_bot_summarized.yaml replayed (the simulator,
  as tests/data/audit/make_fixtures.py does) and driven call by call through ``ChatOpenAI``:
  each model call of the replay's trace is one ``ChatOpenAI.invoke`` with the call's exact input
  (the summarization calls as LangChain's SummarizationMiddleware sends them: one human message
  embedding the history), the fake server answering with the replay's output. Each turn is one
  trace: a ``support_agent`` chain run (a ``RunnableLambda``) whose config metadata carries
  ``thread_id``, which LangChain passes down to the chat model runs inside it. Auditing this
  export must give the replay's findings (tests/test_audit_langsmith.py).
* ``langsmith_bank.jsonl``: the bank conversation of make_otel_fixtures.py (system prompt, four
  user turns, a ``get_balance`` tool called once) on ``ChatOpenAI.bind_tools`` with the tool run
  by LangChain (a ``tool`` run), grouped by ``session_id`` metadata; then a second conversation,
  grouped by ``conversation_id`` metadata, whose one model call fails (the fake server answers
  HTTP 500, ``max_retries=0``): an ``llm`` run with ``error`` set (LangChain still writes an
  empty generation as its outputs); then a third, grouped by ``thread_id``, whose one reply is
  streamed (``streaming=True``: the fake server answers server-sent events; the run holds the
  chunks joined into one generation, and a ``new_token`` event).
* ``langsmith_wrap_openai.jsonl``: the same bank conversation without LangChain: the ``openai``
  client wrapped by ``langsmith.wrappers.wrap_openai`` inside a ``@traceable`` agent function
  (a ``chain`` run a turn), grouped by ``conversation_id`` metadata: ``llm`` runs whose inputs
  are the request's OpenAI messages and whose outputs are the chat completion.
* ``langsmith_anthropic.jsonl``: the bank conversation on ``langchain_anthropic.ChatAnthropic``
  (Anthropic Messages from the same fake server): AI messages whose content is a list of
  blocks (``tool_use`` beside the message's ``tool_calls``), ``stop_reason`` finishes.
* ``langsmith_hidden_inputs.jsonl``: the bank conversation on ChatOpenAI traced with
  ``LANGSMITH_HIDE_INPUTS=true``: every run's ``inputs`` is ``{}``, so what the model read is
  unknown (the audit can never pass it).

The tests read only the committed files; none of these packages is a dependency of replay. To
regenerate (versions used for the committed files in brackets)::

    python3 -m venv /tmp/lsgen
    /tmp/lsgen/bin/pip install langsmith langchain-core langchain-openai langchain-anthropic \
        freezegun -e .
    # [langsmith 0.15.1, langchain-core 1.8.3, langchain-openai 1.7.4, openai 3.57.0,
    #  langchain-anthropic 1.7.10, anthropic 2.15.0, freezegun 1.5.5]
    TIKTOKEN_CACHE_DIR=... /tmp/lsgen/bin/python tests/data/audit/make_langsmith_fixtures.py

Each fixture is made in its own process: the SDK reads its environment once.
"""

# mypy: ignore-errors

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import uuid
from collections import deque
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_fixtures import START, _langchain_summary_prompt, replayed  # noqa: E402
from make_otel_fixtures import SYSTEM, TOOL, USER_TURNS  # noqa: E402

PROJECT_ID = "3f0e6a52-8a43-4c51-9d7e-2b1c5a9e4d10"
"""The project's id, which the server writes as every run's ``session_id``."""
THREAD = "support-bot-summarized"
BANK_SESSION = "bank-session-7"
FAILED_CONVERSATION = "bank-outage-1"
WRAPPED_CONVERSATION = "bank-wrapped-3"
STREAMED_CONVERSATION = "bank-streamed-2"
ANTHROPIC_SESSION = "bank-anthropic-4"
BATCH_CONFIG = {
    "use_multipart_endpoint": False,
    "scale_up_qsize_trigger": 1000,
    "scale_up_nthreads_limit": 16,
    "scale_down_nempty_trigger": 4,
    "size_limit": 100,
    "size_limit_bytes": 20_971_520,
}


class Capture(BaseHTTPRequestHandler):
    """A LangSmith endpoint that stores what is posted to it."""

    posts: ClassVar[list[dict]] = []
    patches: ClassVar[list[dict]] = []

    def _send(self, status: int, value: object) -> None:
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.startswith("/info"):
            self._send(200, {"version": "0.0.0", "batch_ingest_config": BATCH_CONFIG})
        else:
            self._send(404, {"detail": "not found"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        if self.path.rstrip("/").endswith("/runs/batch"):
            Capture.posts.extend(body.get("post") or ())
            Capture.patches.extend(body.get("patch") or ())
        elif self.path.rstrip("/").endswith("/runs"):
            Capture.posts.append(body)
        else:
            self._send(404, {"detail": f"unexpected {self.path}"})
            return
        self._send(200, {})

    def do_PATCH(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        Capture.patches.append({"id": self.path.rstrip("/").rsplit("/", 1)[-1], **body})
        self._send(200, {})

    def log_message(self, *args):  # quiet
        pass


class FakeOpenAI(BaseHTTPRequestHandler):
    """Chat Completions: the scripted replies of ``script`` in order (each checked against the
    request's messages), else the bank conversation's replies (a tool call for the balance), and
    HTTP 500 for a message about an outage."""

    script: ClassVar[deque] = deque()
    calls = 0

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOpenAI.calls += 1
        if self.path.rstrip("/").endswith("/v1/messages"):
            self._anthropic(body)
            return
        messages = body["messages"]
        last = messages[-1]
        text = last.get("content") or ""
        model = body["model"]
        message: dict = {"role": "assistant", "content": None}
        finish = "stop"
        if FakeOpenAI.script:
            expected, output = FakeOpenAI.script.popleft()
            sent = [(m["role"], m.get("content")) for m in messages]
            if sent != expected:
                raise AssertionError(f"the model was sent {sent!r}, not {expected!r}")
            message["content"] = output
        elif "outage" in text:
            data = json.dumps(
                {"error": {"message": "The server had an error", "type": "server_error"}}
            )
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data.encode())
            return
        elif last["role"] == "tool":
            message["content"] = f"Account 42 has {json.loads(last['content'])['balance']}."
        elif "balance" in text:
            message["tool_calls"] = [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_balance", "arguments": '{"account": "42"}'},
                }
            ]
            finish = "tool_calls"
        elif "person" in text:
            message["content"] = "No, I am Ava, an AI assistant, not a human."
        elif "block" in text:
            message["content"] = "Your card is blocked."
        else:
            message["content"] = "Hello! I am Ava, an AI assistant. How can I help?"
        if body.get("stream"):
            self._stream(model, message["content"] or "")
            return
        reply = {
            "id": f"chatcmpl-{FakeOpenAI.calls}",
            "object": "chat.completion",
            "created": 1767225600,
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60},
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _anthropic(self, body: dict) -> None:
        """Anthropic Messages: the bank conversation's replies (a tool_use for the balance)."""
        last = body["messages"][-1]
        content = last["content"]
        blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
        text = "".join(b.get("text", "") for b in blocks if b.get("type") == "text")
        results = [b for b in blocks if b.get("type") == "tool_result"]
        stop = "end_turn"
        if results:
            result = results[0]["content"]
            if isinstance(result, list):
                result = "".join(b.get("text", "") for b in result)
            said = [{"type": "text", "text": f"Account 42 has {json.loads(result)['balance']}."}]
        elif "balance" in text:
            said = [
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "get_balance",
                    "input": {"account": "42"},
                }
            ]
            stop = "tool_use"
        elif "person" in text:
            said = [{"type": "text", "text": "No, I am Ava, an AI assistant, not a human."}]
        elif "block" in text:
            said = [{"type": "text", "text": "Your card is blocked."}]
        else:
            said = [{"type": "text", "text": "Hello! I am Ava, an AI assistant. How can I help?"}]
        reply = {
            "id": f"msg_{FakeOpenAI.calls}",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": said,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": {"input_tokens": 50, "output_tokens": 10},
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, model: str, text: str) -> None:
        """The reply as Chat Completions server-sent events, in two content deltas."""
        base = {
            "id": f"chatcmpl-{FakeOpenAI.calls}",
            "object": "chat.completion.chunk",
            "created": 1767225600,
            "model": model,
        }
        half = len(text) // 2
        deltas = [{"role": "assistant", "content": ""}, {"content": text[:half]}]
        deltas.append({"content": text[half:]})
        chunks = [{**base, "choices": [{"index": 0, "delta": d}]} for d in deltas]
        chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        data = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data.encode())))
        self.end_headers()
        self.wfile.write(data.encode())

    def log_message(self, *args):  # quiet
        pass


def _serve(handler) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _at(seconds: float):
    from freezegun import freeze_time

    return freeze_time(datetime.fromtimestamp(seconds, timezone.utc), tick=True)


def _lc_message(role: str, content: str):
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    return {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}[role](content)


def support_bot(base_url: str) -> None:
    """The replay of support_bot_summarized, one ChatOpenAI call per model call of its trace."""
    from langchain_core.runnables import RunnableLambda
    from langchain_openai import ChatOpenAI

    from replay.trace import read_trace

    with tempfile.TemporaryDirectory() as folder:
        _, trace = replayed(Path(folder))
        header, turns = read_trace(trace)
        known = {m.id: m for m in header.setup}
        plan = []  # per turn: its time and its calls (model, LangChain messages, output)
        for record in turns:
            calls = []
            for message in record.messages:
                known[message.id] = message
            for call in record.model_calls:
                inputs = [known[i] for i in call.input]
                if call.purpose == "summary":
                    prompt = _langchain_summary_prompt(inputs)
                    pairs = [("user", prompt["content"])]
                else:
                    pairs = [(m.role, m.content) for m in inputs]
                output = known[call.output].content
                calls.append((call.model, pairs, output))
            plan.append((START + record.minutes * 60, calls))

    pending = deque(plan)

    def turn(state: dict) -> dict:
        # an agent graph's node: its input is the new user message, its calls are the turn's
        _, calls = pending.popleft()
        said = []
        for model, pairs, output in calls:
            FakeOpenAI.script.append((pairs, output))
            chat = ChatOpenAI(model=model, base_url=base_url, api_key="k", max_retries=0)
            said.append(chat.invoke([_lc_message(role, text) for role, text in pairs]))
        return {"messages": [*state["messages"], said[-1]]}

    agent = RunnableLambda(turn, name="support_agent")
    for seconds, calls in plan:
        with _at(seconds):
            user = [text for role, text in calls[-1][1] if role == "user"][-1]
            agent.invoke(
                {"messages": [{"role": "user", "content": user}]},
                config={"metadata": {"thread_id": THREAD}},
            )


def _bank_conversation(base_url: str, model=None, session: str = BANK_SESSION):
    """The bank conversation's tool loop on ``model.bind_tools`` (ChatOpenAI unless given;
    session_id metadata); returns the bound chat model."""
    from langchain_core.messages import HumanMessage, SystemMessage
    from langchain_core.tools import tool
    from langchain_openai import ChatOpenAI

    @tool
    def get_balance(account: str) -> str:
        """The balance of an account."""
        return json.dumps({"balance": "$1,234"})

    if model is None:
        model = ChatOpenAI(model="gpt-4o-mini", base_url=base_url, api_key="k", max_retries=0)
    chat = model.bind_tools([get_balance])
    config = {"metadata": {"session_id": session}}
    messages = [SystemMessage(SYSTEM)]
    for n, text in enumerate(USER_TURNS):
        with _at(START + n * 60):
            messages.append(HumanMessage(text))
            while True:
                reply = chat.invoke(messages, config=config)
                messages.append(reply)
                if not reply.tool_calls:
                    break
                for call in reply.tool_calls:
                    messages.append(get_balance.invoke(call, config=config))
    return chat


def anthropic(base_url: str) -> None:
    """The bank conversation on ChatAnthropic (Anthropic Messages from the same fake server)."""
    from langchain_anthropic import ChatAnthropic

    model = ChatAnthropic(
        model="claude-sonnet-4-5",
        anthropic_api_url=base_url.removesuffix("/v1"),
        api_key="k",
        max_retries=0,
    )
    _bank_conversation(base_url, model, ANTHROPIC_SESSION)


def hidden(base_url: str) -> None:
    """The bank conversation traced with ``LANGSMITH_HIDE_INPUTS=true`` (set by ``main``)."""
    _bank_conversation(base_url)


def bank(base_url: str) -> None:
    """The bank conversation with its tool, then a conversation whose model call fails, then
    one whose reply is streamed."""
    from langchain_core.messages import HumanMessage, SystemMessage
    from langchain_openai import ChatOpenAI

    chat = _bank_conversation(base_url)
    with _at(START + 3600):
        try:
            chat.invoke(
                [SystemMessage(SYSTEM), HumanMessage("Is there an outage?")],
                config={"metadata": {"conversation_id": FAILED_CONVERSATION}},
            )
        except Exception as exc:  # the call fails: its run is recorded with the error
            print("the failing call failed as planned:", type(exc).__name__, file=sys.stderr)
        else:
            raise AssertionError("the failing call did not fail")
    with _at(START + 7200):  # a streamed reply: its run holds the chunks' sum
        streamed = ChatOpenAI(
            model="gpt-4o-mini", base_url=base_url, api_key="k", max_retries=0, streaming=True
        )
        streamed.invoke(
            [SystemMessage(SYSTEM), HumanMessage("Hello, anyone there?")],
            config={"metadata": {"thread_id": STREAMED_CONVERSATION}},
        )


def wrapped(base_url: str) -> None:
    """The bank conversation without LangChain: the ``openai`` client wrapped by LangSmith's
    ``wrap_openai`` inside a ``@traceable`` agent function, one trace a turn."""
    import openai
    from langsmith import traceable
    from langsmith.wrappers import wrap_openai

    client = wrap_openai(openai.OpenAI(base_url=base_url, api_key="k", max_retries=0))

    @traceable(name="bank_agent")
    def turn(messages: list) -> str:
        while True:
            # a copy: the SDK may serialize the inputs after this list has grown
            reply = client.chat.completions.create(
                model="gpt-4o-mini", messages=list(messages), tools=[TOOL]
            )
            message = reply.choices[0].message
            messages.append(message.model_dump(exclude_none=True))
            if not message.tool_calls:
                return message.content or ""
            for call in message.tool_calls:
                messages.append(
                    {"role": "tool", "tool_call_id": call.id, "content": '{"balance": "$1,234"}'}
                )

    messages: list = [{"role": "system", "content": SYSTEM}]
    for n, text in enumerate(USER_TURNS):
        with _at(START + n * 60):
            messages.append({"role": "user", "content": text})
            turn(
                messages,
                langsmith_extra={"metadata": {"conversation_id": WRAPPED_CONVERSATION}},
            )


FIXTURES = {
    "langsmith_support_bot.jsonl": support_bot,
    "langsmith_bank.jsonl": bank,
    "langsmith_wrap_openai.jsonl": wrapped,
    "langsmith_hidden_inputs.jsonl": hidden,
    "langsmith_anthropic.jsonl": anthropic,
}
ENVIRONMENT = {"langsmith_hidden_inputs.jsonl": {"LANGSMITH_HIDE_INPUTS": "true"}}
"""The environment a fixture's process adds (the SDK reads it once)."""


def _runs() -> list[dict]:
    """The posted runs, each post merged with its patches (as the server stores them)."""
    by_id: dict[str, dict] = {}
    for post in Capture.posts:
        by_id.setdefault(str(post["id"]), {}).update(post)
    for patch in Capture.patches:
        run = by_id.get(str(patch["id"]))
        if run is None:
            raise AssertionError(f"a patch of run {patch['id']} that was never posted")
        run.update({k: v for k, v in patch.items() if v is not None})
    return list(by_id.values())


def make(name: str) -> None:
    """Drive one fixture's conversations with tracing on and write its export to ``name``."""
    capture = _serve(Capture)
    fake = _serve(FakeOpenAI)
    os.environ.update(
        LANGSMITH_TRACING="true",
        LANGSMITH_ENDPOINT=f"http://127.0.0.1:{capture.server_port}",
        LANGSMITH_API_KEY="dummy-key-not-a-secret",
        LANGSMITH_PROJECT="replay-audit-fixtures",
    )
    from langchain_core.tracers.langchain import wait_for_all_tracers
    from langsmith.run_trees import get_cached_client
    from langsmith.schemas import Run

    FIXTURES[name](f"http://127.0.0.1:{fake.server_port}/v1")
    wait_for_all_tracers()  # LangChain's tracer
    get_cached_client().flush()  # @traceable's
    if FakeOpenAI.script:
        raise AssertionError(f"{len(FakeOpenAI.script)} scripted replies were never asked for")
    capture.shutdown()
    fake.shutdown()
    lines = []
    for data in _runs():
        data.pop("session_name", None)  # the server resolves the project name to its id
        run = Run(
            **data,
            session_id=uuid.UUID(PROJECT_ID),
            status="error" if data.get("error") else "success",
        )
        lines.append(run.model_dump_json())
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--make":
        make(sys.argv[2])
        return
    names = sys.argv[1:] or list(FIXTURES)  # regenerate only the fixtures named, or all
    for name in names:
        clean = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("LANGSMITH_", "LANGCHAIN_", "OPENAI_"))
        }
        env = {**clean, **ENVIRONMENT.get(name, {})}
        subprocess.run([sys.executable, __file__, "--make", name], env=env, check=True)
        print("wrote", HERE / name)


if __name__ == "__main__":
    main()
