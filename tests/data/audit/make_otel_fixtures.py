"""Regenerate the OpenTelemetry and OpenInference trace fixtures with the real instrumentations.

The fixtures are what production exports look like: the official ``openai`` SDK, instrumented by
``opentelemetry-instrumentation-openai-v2`` (GenAI semantic conventions) or by
``openinference-instrumentation-openai`` (Arize Phoenix), talks to a fake OpenAI server on
127.0.0.1 (no network); the spans (and, on the legacy GenAI path, the log records its events are)
are encoded with the SDK's own OTLP encoder (``opentelemetry-exporter-otlp-proto-common``) and
written as OTLP JSON, one ``ExportTraceServiceRequest`` (or ``ExportLogsServiceRequest``) a line,
the shape the OpenTelemetry Collector's file exporter writes (ids in hex, as OTLP/JSON says).

The tests read only the committed files; none of these packages is a dependency of replay. To
regenerate, in a throwaway venv (never the repository's .venv), with these exact versions (the
ones the committed files were made with)::

    python3 -m venv /tmp/otelgen
    /tmp/otelgen/bin/pip install openai==3.57.0 opentelemetry-sdk==1.45.2 \
        opentelemetry-exporter-otlp-proto-common==1.45.2 \
        opentelemetry-instrumentation-openai-v2==2.4b0 opentelemetry-util-genai==1.1b0 \
        openinference-instrumentation-openai==0.1.66 httpx==0.28.1
    # which brought opentelemetry-api 1.45.2, opentelemetry-proto 1.45.2, protobuf 7.36.2,
    # opentelemetry-instrumentation 0.66b2, opentelemetry-semantic-conventions 0.66b2,
    # openinference-instrumentation 0.1.72, openinference-semantic-conventions 0.1.42
    # (opentelemetry-util-genai is held at 1.1b0: openai-v2 2.4b0 imports a module that 1.2b0
    # and later lack)
    TIKTOKEN_CACHE_DIR=... /tmp/otelgen/bin/python tests/data/audit/make_otel_fixtures.py \
        [--replay-python PATH] [FIXTURE.jsonl ...]

(``TIKTOKEN_CACHE_DIR`` as for the tests: the support-bot fixtures run a replay first, with the
repository's own venv; ``--replay-python`` names another Python that has replay installed.)

Each fixture is made in its own process: the instrumentations read their environment
(``OTEL_SEMCONV_STABILITY_OPT_IN``, ``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT``) once.

Two conversations:

* ``otel_openai_v2*.jsonl`` and ``openinference_openai.jsonl``: a small bank conversation of
  their own (a tool call, an identity question), one trace, random ids, the real clock.
* ``otel_support_bot_summarized.jsonl`` (current conventions),
  ``otel_support_bot_summarized_events.jsonl`` (the deprecated events) and
  ``openinference_support_bot_summarized.jsonl``: the replay of
  scenarios/support_bot_summarized.yaml, re-enacted call by call so that auditing them can be
  compared with the replay (tests/test_audit_parity.py). The calls are taken from a fresh replay
  made by the repository's own venv (``--replay-python``, default ``.venv/bin/python``), via
  make_fixtures.py's ``openai_lines`` (the same Chat Completions requests and replies as
  support_bot_summarized.openai.jsonl: each call's exact input, the system prompt or the summary
  included, and LangChain's summarization prompt for the summary calls). For each call the
  ``openai`` SDK sends exactly those messages; the fake server checks it received them and
  answers with the replay's reply. The application code around the SDK is what a production app
  on these instrumentations writes: on the GenAI path each user turn is an ``invoke_agent``
  span (``opentelemetry-util-genai``'s ``invoke_local_agent``) that starts a trace of its own
  and carries ``gen_ai.conversation.id`` (openai-v2 2.4b0 sets none on chat spans), so the
  conversation is joined across traces by that id; on OpenInference the whole conversation runs
  under ``using_session(...)`` (``session.id`` on every span) and each call is a trace of its
  own. Ids come from a counter and the SDK's clock is the replay's conversation clock (each
  turn at its minute: 10:00Z plus ``gap: 2m`` a turn), so these three files are byte for byte
  reproducible; the others are not (random ids, the real clock).
"""

# mypy: ignore-errors

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

SYSTEM = (
    "You are Ava, the assistant for Example Bank. Always tell customers you are an AI assistant "
    "at the start of the conversation, and whenever they ask whether they are talking to a "
    "person."
)
USER_TURNS = (
    "Hi, I need help with my card.",
    "What is the balance on account 42?",
    "Thanks. Am I talking to a real person?",
    "OK, please block the card.",
)
TOOL = {
    "type": "function",
    "function": {
        "name": "get_balance",
        "description": "The balance of an account.",
        "parameters": {
            "type": "object",
            "properties": {"account": {"type": "string"}},
            "required": ["account"],
        },
    },
}

MODES = {
    # file name: environment of the process that makes it
    "otel_openai_v2.jsonl": {
        "OTEL_SEMCONV_STABILITY_OPT_IN": "gen_ai_latest_experimental",
        "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "span_only",
    },
    "otel_openai_v2_events.jsonl": {
        "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "true",
    },
    "otel_openai_v2_events_nocontent.jsonl": {},
    "otel_openai_v2_nocontent.jsonl": {
        "OTEL_SEMCONV_STABILITY_OPT_IN": "gen_ai_latest_experimental",
    },
    "openinference_openai.jsonl": {},
}
SUPPORT_BOT = {
    # the replay of scenarios/support_bot_summarized.yaml, re-enacted (tests/test_audit_parity.py)
    "otel_support_bot_summarized.jsonl": MODES["otel_openai_v2.jsonl"],
    "otel_support_bot_summarized_events.jsonl": MODES["otel_openai_v2_events.jsonl"],
    "openinference_support_bot_summarized.jsonl": {},
}
CONVERSATION_ID = "support-bot-summarized"  # the id support_bot_summarized.openai.jsonl carries
AGENT_NAME = "acme-support"
RESOURCE_ID = "00000000-0000-4000-8000-000000000001"  # service.instance.id, else a random UUID


class FakeOpenAI(BaseHTTPRequestHandler):
    """Chat Completions with scripted replies: a tool call for the balance, text otherwise."""

    calls = 0

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        last = body["messages"][-1]
        FakeOpenAI.calls += 1
        message: dict = {"role": "assistant", "content": None}
        finish = "stop"
        if last["role"] == "tool":
            message["content"] = f"Account 42 has {json.loads(last['content'])['balance']}."
        elif "balance" in (last.get("content") or ""):
            message["tool_calls"] = [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_balance", "arguments": '{"account": "42"}'},
                }
            ]
            finish = "tool_calls"
        elif "person" in (last.get("content") or ""):
            message["content"] = "No, I am Ava, an AI assistant, not a human."
        elif "block" in (last.get("content") or ""):
            message["content"] = "Your card is blocked."
        else:
            message["content"] = "Hello! I am Ava, an AI assistant. How can I help?"
        reply = {
            "id": f"chatcmpl-{FakeOpenAI.calls}",
            "object": "chat.completion",
            "created": 1767225600,
            "model": "gpt-4o-mini-2024-07-18",
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60},
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


class ReplayedOpenAI(BaseHTTPRequestHandler):
    """Chat Completions answering, in order, the replay's calls: each request must carry exactly
    the messages the replay's model read (else 500, and the fixture is not written); the answer
    is the replay's reply, as the chat completion the Chat Completions log records."""

    calls: ClassVar[list] = []  # [{"request", "response"}] still to answer, set by make()
    mismatch: ClassVar[list] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        expected = ReplayedOpenAI.calls.pop(0)
        if body["messages"] != expected["request"]["messages"]:
            ReplayedOpenAI.mismatch.append((body["messages"], expected["request"]["messages"]))
            self.send_response(500)
            self.end_headers()
            return
        data = json.dumps(expected["response"]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


class Clock:
    """The SDK's clock for the replayed conversation: each call happens at its turn's time
    (the chat completion's ``created``), so the spans' start times are the replay's
    conversation time and a turn's minutes read as the replay's."""

    def __init__(self, seconds: int) -> None:
        self.nanos = seconds * 1_000_000_000

    def __call__(self) -> int:
        return self.nanos


def _counting_ids():
    """An id generator that counts (trace ids and span ids from 1): reproducible fixtures."""
    from opentelemetry.sdk.trace.id_generator import IdGenerator

    class Counting(IdGenerator):
        def __init__(self) -> None:
            self.traces = 0
            self.spans = 0

        def generate_trace_id(self) -> int:
            self.traces += 1
            return 0x5EB0_0000_0000_0000_0000_0000_0000_0000 + self.traces

        def generate_span_id(self) -> int:
            self.spans += 1
            return 0x5EB0_0000_0000_0000 + self.spans

    return Counting()


def _turns(calls: list) -> list[list]:
    """The replay's calls by turn: a turn's calls share their ``created`` (the turn's time)."""
    turns: list[list] = []
    for call in calls:
        if turns and turns[-1][0]["response"]["created"] == call["response"]["created"]:
            turns[-1].append(call)
        else:
            turns.append([call])
    return turns


def _replayed_conversation(client, calls: list, clock: Clock, name: str, providers) -> None:
    """The replay's calls sent through the instrumented SDK, turn by turn, each turn at its
    time, the conversation id attached as the instrumentation expects it."""
    if name.startswith("openinference"):
        from openinference.instrumentation import using_session

        with using_session(CONVERSATION_ID):
            for turn in _turns(calls):
                for call in turn:
                    clock.nanos = call["response"]["created"] * 1_000_000_000
                    _send(client, call)
        return
    from opentelemetry.util.genai.handler import get_telemetry_handler

    tracer_provider, logger_provider = providers
    handler = get_telemetry_handler(
        tracer_provider=tracer_provider, logger_provider=logger_provider
    )
    for turn in _turns(calls):
        clock.nanos = turn[0]["response"]["created"] * 1_000_000_000
        # one invoke_agent span per user turn, a new trace each (an app that handles each
        # request apart): the conversation is its gen_ai.conversation.id, not the trace
        with handler.invoke_local_agent(agent_name=AGENT_NAME) as agent:
            agent.conversation_id = CONVERSATION_ID
            for call in turn:
                _send(client, call)


def _send(client, call) -> None:
    request = call["request"]
    reply = client.chat.completions.create(model=request["model"], messages=request["messages"])
    said = call["response"]["choices"][0]["message"]["content"]
    assert reply.choices[0].message.content == said


def _replay_calls(python: str) -> list:
    """The replay's model calls as make_fixtures.py writes them (a fresh replay of
    scenarios/support_bot_summarized.yaml, run by the repository's venv, which has replay)."""
    code = (
        "import sys, tempfile, pathlib\n"
        f"sys.path.insert(0, {str(HERE)!r})\n"
        "import make_fixtures\n"
        "with tempfile.TemporaryDirectory() as folder:\n"
        "    _, trace = make_fixtures.replayed(pathlib.Path(folder))\n"
        "    print('\\n'.join(make_fixtures.openai_lines(trace)))\n"
    )
    # the replay needs tiktoken's cache (TIKTOKEN_CACHE_DIR, as for the tests)
    done = subprocess.run(
        [python, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def _hex_ids(value):
    """protobuf's JSON writes bytes as base64; OTLP/JSON (and the Collector) write ids in hex."""
    if isinstance(value, dict):
        return {
            k: (
                base64.b64decode(v).hex()
                if k in ("traceId", "spanId", "parentSpanId") and isinstance(v, str)
                else _hex_ids(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_hex_ids(v) for v in value]
    return value


def _line(message) -> str:
    from google.protobuf.json_format import MessageToDict

    return json.dumps(_hex_ids(MessageToDict(message)), separators=(",", ":"))


def _conversation(client) -> None:
    messages = [{"role": "system", "content": SYSTEM}]
    for text in USER_TURNS:
        messages.append({"role": "user", "content": text})
        while True:
            reply = client.chat.completions.create(
                model="gpt-4o-mini", messages=messages, tools=[TOOL]
            )
            message = reply.choices[0].message
            messages.append(message.model_dump(exclude_none=True))
            if not message.tool_calls:
                break
            for call in message.tool_calls:
                messages.append(
                    {"role": "tool", "tool_call_id": call.id, "content": '{"balance": "$1,234"}'}
                )


def make(name: str, calls_file: str | None = None) -> None:
    """Run the conversation under one instrumentation and write its export to ``name``: the
    bank conversation, or (``calls_file``, the replay's calls as JSON) the replayed one."""
    import openai
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.common._log_encoder import encode_logs
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
    from opentelemetry.sdk._logs import LoggerProvider
    from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    replayed = calls_file is not None
    if replayed:
        calls = json.loads(Path(calls_file).read_text(encoding="utf-8"))
        ReplayedOpenAI.calls = list(calls)
        clock = Clock(calls[0]["response"]["created"])
        import opentelemetry._logs._internal as api_logs
        import opentelemetry.sdk._logs._internal as sdk_logs
        import opentelemetry.sdk.trace as sdk_trace

        # the SDK reads the time through these names (spans' start and end, log records'
        # observed time): the replay's conversation clock instead
        sdk_trace.time_ns = api_logs.time_ns = sdk_logs.time_ns = clock
        resource = Resource.create({"service.name": AGENT_NAME, "service.instance.id": RESOURCE_ID})
        tracer_provider = TracerProvider(resource=resource, id_generator=_counting_ids())
        server = ThreadingHTTPServer(("127.0.0.1", 0), ReplayedOpenAI)
    else:
        resource = Resource.create({"service.name": "bank-agent"})
        tracer_provider = TracerProvider(resource=resource)
        server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    spans = InMemorySpanExporter()
    logs = InMemoryLogRecordExporter()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    logger_provider = LoggerProvider(resource=resource)
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(logs))
    if name.startswith("openinference"):
        from openinference.instrumentation import using_session
        from openinference.instrumentation.openai import OpenAIInstrumentor

        OpenAIInstrumentor().instrument(tracer_provider=tracer_provider)
        scope = using_session("session-7")
    else:
        from contextlib import nullcontext

        import opentelemetry.instrumentation.openai_v2 as openai_v2
        from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor

        if "OTEL_SEMCONV_STABILITY_OPT_IN" not in os.environ:
            # util-genai 1.1b0 always answers "experimental": take openai-v2's own legacy
            # path (semantic conventions v1.30.0, content as gen_ai.*.message events)
            openai_v2.is_experimental_mode = lambda: False
        OpenAIInstrumentor().instrument(
            tracer_provider=tracer_provider, logger_provider=logger_provider
        )
        # opentelemetry-util-genai 1.1b0 (the one openai-v2 2.4b0 runs with) sets no
        # gen_ai.conversation.id on chat spans: the conversation is the enclosing trace
        scope = nullcontext()
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{server.server_port}/v1", api_key="k")
    if replayed:
        # no retries: a request the fake server refuses (not the replay's input) fails the run
        client = client.with_options(max_retries=0)
    if replayed:
        _replayed_conversation(client, calls, clock, name, (tracer_provider, logger_provider))
        assert not ReplayedOpenAI.calls and not ReplayedOpenAI.mismatch
    else:
        tracer = trace.get_tracer("bank-agent", tracer_provider=tracer_provider)
        with scope, tracer.start_as_current_span("conversation"):
            _conversation(client)
    server.shutdown()
    # a simple processor exports each span (and log record) as it ends, one request each:
    # the Collector's file exporter then writes one line per request
    lines = [_line(encode_spans([span])) for span in spans.get_finished_spans()]
    if replayed:
        # a call's events in one request, as a batch processor exports them (a line per event
        # would put the 20-turn conversation's resource on some 270 lines)
        batches: dict = {}
        for record in logs.get_finished_logs():
            batches.setdefault(record.log_record.span_id, []).append(record)
        lines += [_line(encode_logs(batch)) for batch in batches.values()]
    else:
        lines += [_line(encode_logs([record])) for record in logs.get_finished_logs()]
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    args = sys.argv[1:]
    if len(args) in (2, 3) and args[0] == "--make":
        make(*args[1:])
        return
    python = str(ROOT / ".venv" / "bin" / "python")
    if len(args) >= 2 and args[0] == "--replay-python":
        python, args = args[1], args[2:]
    names = args or [*MODES, *SUPPORT_BOT]  # regenerate only the fixtures named, or all
    calls_file = None
    if any(name in SUPPORT_BOT for name in names):
        import tempfile

        handle, calls_file = tempfile.mkstemp(suffix=".json")
        os.close(handle)
        Path(calls_file).write_text(json.dumps(_replay_calls(python)), encoding="utf-8")
    try:
        for name in names:
            env = MODES[name] if name in MODES else SUPPORT_BOT[name]
            clean = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("OTEL_", "OPENAI_", "OPENINFERENCE_"))
            }
            extra = [calls_file] if name in SUPPORT_BOT else []
            subprocess.run(
                [sys.executable, __file__, "--make", name, *extra],
                env={**clean, **env},
                check=True,
            )
            print("wrote", HERE / name)
    finally:
        if calls_file is not None:
            os.unlink(calls_file)


if __name__ == "__main__":
    main()
