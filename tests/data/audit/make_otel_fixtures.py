"""Regenerate the OpenTelemetry and OpenInference trace fixtures with the real instrumentations.

The fixtures are what production exports look like: the official ``openai`` SDK, instrumented by
``opentelemetry-instrumentation-openai-v2`` (GenAI semantic conventions) or by
``openinference-instrumentation-openai`` (Arize Phoenix), talks to a fake OpenAI server on
127.0.0.1 (no network); the spans (and, on the legacy GenAI path, the log records its events are)
are encoded with the SDK's own OTLP encoder (``opentelemetry-exporter-otlp-proto-common``) and
written as OTLP JSON, one ``ExportTraceServiceRequest`` (or ``ExportLogsServiceRequest``) a line,
the shape the OpenTelemetry Collector's file exporter writes (ids in hex, as OTLP/JSON says).

The tests read only the committed files; none of these packages is a dependency of replay. To
regenerate (versions used for the committed files in brackets)::

    python3 -m venv /tmp/otelgen
    /tmp/otelgen/bin/pip install openai opentelemetry-sdk opentelemetry-exporter-otlp-proto-common \
        opentelemetry-instrumentation-openai-v2 openinference-instrumentation-openai httpx \
        opentelemetry-util-genai==1.1b0
    # [openai 3.57.0, opentelemetry-sdk 1.45.2, opentelemetry-instrumentation-openai-v2 2.4b0,
    #  opentelemetry-util-genai 1.1b0 (2.4b0 imports a module 1.2b0 and later lack),
    #  openinference-instrumentation-openai 0.1.66]
    /tmp/otelgen/bin/python tests/data/audit/make_otel_fixtures.py [FIXTURE.jsonl ...]

Each fixture is made in its own process: the instrumentations read their environment
(``OTEL_SEMCONV_STABILITY_OPT_IN``, ``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT``) once.
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

HERE = Path(__file__).resolve().parent

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


def make(name: str) -> None:
    """Run the conversation under one instrumentation and write its export to ``name``."""
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

    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    spans = InMemorySpanExporter()
    logs = InMemoryLogRecordExporter()
    tracer_provider = TracerProvider(resource=Resource.create({"service.name": "bank-agent"}))
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    logger_provider = LoggerProvider(resource=Resource.create({"service.name": "bank-agent"}))
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
    tracer = trace.get_tracer("bank-agent", tracer_provider=tracer_provider)
    with scope, tracer.start_as_current_span("conversation"):
        _conversation(client)
    server.shutdown()
    # a simple processor exports each span (and log record) as it ends, one request each:
    # the Collector's file exporter then writes one line per request
    lines = [_line(encode_spans([span])) for span in spans.get_finished_spans()]
    lines += [_line(encode_logs([record])) for record in logs.get_finished_logs()]
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--make":
        make(sys.argv[2])
        return
    names = sys.argv[1:] or list(MODES)  # regenerate only the fixtures named, or all
    for name in names:
        env = MODES[name]
        clean = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("OTEL_", "OPENAI_", "OPENINFERENCE_"))
        }
        subprocess.run([sys.executable, __file__, "--make", name], env={**clean, **env}, check=True)
        print("wrote", HERE / name)


if __name__ == "__main__":
    main()
