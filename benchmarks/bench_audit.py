"""Audit throughput and memory on a generated OTLP export (run on demand, not in CI's tests).

    TIKTOKEN_CACHE_DIR=../shared/tiktoken python benchmarks/bench_audit.py [--1m] [--keep DIR]

The workload (issue 16): an OpenTelemetry collector file export (one ExportTraceServiceRequest
per line, OTLP JSON) of GenAI chat spans with the current attributes (``gen_ai.input.messages``
as a JSON string, ``gen_ai.output.messages``, ``gen_ai.conversation.id``, the request model),
as the official instrumentation writes them (tests/data/audit/otel_openai_v2.jsonl). Each
conversation has a system prompt and five turns (ten messages of its own, eleven with the
system prompt: "messages" below counts each conversation's distinct messages), each turn's span
carrying the whole conversation so far, as a real model input does. Conversations are
interleaved across the lines (round-robin in batches) and split over two files, so the audit
must group them across files. Every tenth conversation's assistant stops disclosing after its
first reply and is asked "are you a bot?" at turn 4 (findings, so the checks do real work).

Sizes: 100,000 messages (10,000 conversations) always, 1,000,000 (100,000 conversations) with
``--1m``. Printed per size: the floor (reading every line and JSON-decoding it, the message
attributes' JSON strings included, in a fresh process: best of three), ``replay audit`` as a
subprocess (CPU seconds from getrusage of that child, its peak RSS), messages per second of
each, the ratio audit/floor, and RSS(1M)/RSS(100k). Targets: ratio <= 3; RSS flat (<= 1.5).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TURNS = 5
MESSAGES_PER_CONVERSATION = 2 * TURNS + 1
SYSTEM = (
    "You are Ava, the assistant for Example Bank. Always tell customers you are an AI assistant "
    "at the start of the conversation, and whenever they ask whether they are talking to a person."
)
WORDS = [
    "card",
    "account",
    "transfer",
    "limit",
    "branch",
    "statement",
    "payment",
    "loan",
    "rate",
    "fee",
    "balance",
    "pin",
]
START_NS = 1_796_189_488_000_000_000


def _user(c: int, t: int) -> str:
    if c % 10 == 0 and t == 3:
        return "Wait, are you a bot or a real person?"
    words = " ".join(WORDS[(c + t * 5 + k) % len(WORDS)] for k in range(12))
    return f"Question {t} about my {words}, conversation {c}: can you help?"


def _reply(c: int, t: int) -> str:
    if t == 0:
        return "Hello! I am Ava, an AI assistant. How can I help?"
    if c % 10 == 0 and t == 3:
        return "Of course I am a real person, happy to help."
    return f"Sure, here is what I found about item {t} of your request {c}."


def _parts(role: str, text: str) -> dict[str, Any]:
    return {"role": role, "parts": [{"type": "text", "content": text}]}


def _attr(key: str, value: str) -> dict[str, Any]:
    return {"key": key, "value": {"stringValue": value}}


def _span(c: int, t: int) -> dict[str, Any]:
    messages = [_parts("system", SYSTEM)]
    for k in range(t):
        messages += [_parts("user", _user(c, k)), _parts("assistant", _reply(c, k))]
    messages.append(_parts("user", _user(c, t)))
    start = START_NS + (c * 600 + t * 60) * 1_000_000_000
    output = [{**_parts("assistant", _reply(c, t)), "finish_reason": "stop"}]
    return {
        "traceId": f"{c:032x}",
        "spanId": f"{c * TURNS + t:016x}",
        "name": "chat gpt-4o-mini",
        "kind": "SPAN_KIND_CLIENT",
        "startTimeUnixNano": str(start),
        "endTimeUnixNano": str(start + 400_000_000),
        "attributes": [
            _attr("gen_ai.operation.name", "chat"),
            _attr("gen_ai.provider.name", "openai"),
            _attr("gen_ai.request.model", "gpt-4o-mini" if c % 2 else "gpt-4.1-mini"),
            _attr("gen_ai.conversation.id", f"conv-{c:07d}"),
            _attr("gen_ai.input.messages", json.dumps(messages, separators=(",", ":"))),
            _attr("gen_ai.output.messages", json.dumps(output, separators=(",", ":"))),
        ],
        "status": {},
    }


def _line(spans: list[dict[str, Any]]) -> str:
    request = {
        "resourceSpans": [
            {
                "resource": {"attributes": [_attr("service.name", "bank-agent")]},
                "scopeSpans": [
                    {"scope": {"name": "opentelemetry.util.genai.handler"}, "spans": spans}
                ],
            }
        ]
    }
    return json.dumps(request, separators=(",", ":")) + "\n"


BATCH = 100
"""Conversations interleaved at a time (their turns round-robin), as concurrent users are."""


def write_export(folder: Path, conversations: int) -> list[Path]:
    """The export of ``conversations`` conversations, split over two files."""
    files = [folder / "export-1.jsonl", folder / "export-2.jsonl"]
    with files[0].open("w") as one, files[1].open("w") as two:
        line = 0
        for batch in range(0, conversations, BATCH):
            members = range(batch, min(batch + BATCH, conversations))
            for t in range(TURNS):
                for c in members:
                    (one if line % 2 == 0 else two).write(_line([_span(c, t)]))
                    line += 1
    return files


FLOOR_CHILD = """
import json, sys, time
best = float("inf")
for _ in range(3):
    start = time.process_time()
    for name in sys.argv[1:]:
        with open(name, "rb") as stream:
            for line in stream:
                data = json.loads(line)
                for rs in data["resourceSpans"]:
                    for ss in rs["scopeSpans"]:
                        for span in ss["spans"]:
                            for a in span["attributes"]:
                                if a["key"].endswith("messages"):
                                    json.loads(a["value"]["stringValue"])
    best = min(best, time.process_time() - start)
print(best)
"""


def _usage(argv: list[str]) -> tuple[float, int, int, str]:
    """CPU seconds, peak RSS (KiB), exit code and stderr of ``python argv``, a fresh child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, *argv], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, after.ru_maxrss, done.returncode, done.stderr.decode(errors="replace")


def measure(conversations: int, keep: Path | None) -> dict[str, Any]:
    """Floor and audit figures at ``conversations`` conversations."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        files = write_export(folder, conversations)
        generated = time.perf_counter() - started
        size = sum(f.stat().st_size for f in files)
        floor_run = subprocess.run(
            [sys.executable, "-c", FLOOR_CHILD, *map(str, files)],
            check=True,
            capture_output=True,
            text=True,
        )
        floor = float(floor_run.stdout)
        out = folder / "audit-out"
        cpu, rss, code, stderr = _usage(
            [
                "-c",
                "import sys; from replay.cli import main; sys.exit(main())",
                "audit",
                *map(str, files),
                "--out",
                str(out),
            ]
        )
        if code not in (0, 1):
            raise SystemExit(f"replay audit exited {code}:\n{stderr[-3000:]}")
    messages = conversations * MESSAGES_PER_CONVERSATION
    return {
        "conversations": conversations,
        "messages": messages,
        "bytes": size,
        "generate_s": generated,
        "floor_s": floor,
        "audit_s": cpu,
        "rss_kib": rss,
        "exit": code,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--1m", dest="million", action="store_true", help="also 1,000,000")
    parser.add_argument("--size", type=int, action="append", help="conversations (repeatable)")
    parser.add_argument("--keep", type=Path, help="write the exports here (kept)")
    args = parser.parse_args()
    sizes = args.size or ([10_000, 100_000] if args.million else [10_000])
    rows = [measure(n, args.keep / str(n) if args.keep else None) for n in sizes]
    print(
        f"{'messages':>10} {'MB':>7} {'floor s':>8} {'audit s':>8} {'msg/s':>9} "
        f"{'ratio':>6} {'RSS MiB':>8}"
    )
    for row in rows:
        rate = row["messages"] / row["audit_s"]
        print(
            f"{row['messages']:>10,} {row['bytes'] / 1e6:>7.1f} {row['floor_s']:>8.2f} "
            f"{row['audit_s']:>8.2f} {rate:>9,.0f} {row['audit_s'] / row['floor_s']:>6.1f} "
            f"{row['rss_kib'] / 1024:>8.0f}"
        )
    if len(rows) > 1:
        print(
            f"RSS({rows[-1]['messages']:,}) / RSS({rows[0]['messages']:,}) = "
            f"{rows[-1]['rss_kib'] / rows[0]['rss_kib']:.2f} (target <= 1.5)"
        )
    print("target: audit / floor <= 3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
