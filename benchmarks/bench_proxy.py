"""The recording proxy's cost per model call, and its behaviour with 200 concurrent clients
(run on demand, not in CI's tests).

    TIKTOKEN_CACHE_DIR=../shared/tiktoken python benchmarks/bench_proxy.py [--calls 1000]

A local OpenAI-compatible upstream on 127.0.0.1 answers every request at once. The same
agent-like requests (system prompt + a sliding window of the conversation) are sent, alternately,
directly to the upstream and through the proxy (``UpstreamBackend``, turns found by the
standalone proxy's ``TurnSplitter``, the trace written to a temporary file), each over its own
keep-alive connection, so both sides see the same machine load. Printed: median and p99 latency
of each, the overhead (proxy - direct) and the ratio, measured in the same run.

Then 200 clients, each on a fresh connection, post at the same moment (a barrier): connection
errors and non-200 answers are counted. And the peak RSS of a standalone ``replay proxy`` (its
own process) before and after a 15 MiB body (recorded) and a 48 MB body (refused 413,
unread). Targets: median overhead < 2 ms, 0 errors at 200 clients, RSS growth
bounded by the body limit.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from replay.loop import MessageFactory, TokenCounter
from replay.proxy import CallRecorder, RecordingProxy, TurnSplitter, UpstreamBackend
from replay.scenario import scenario_from_mapping
from replay.trace import TraceHeader, TraceWriter

REPLY = json.dumps(
    {
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "I'm an AI assistant. Done."},
                "finish_reason": "stop",
            }
        ]
    }
).encode()
SYSTEM = "You are Sam, Acme's support assistant. Always tell customers you are an AI assistant."


class Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        return

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        head = (
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            f"content-length: {len(REPLY)}\r\n\r\n"
        )
        self.wfile.write(head.encode() + REPLY)


class _UpstreamServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def start_upstream() -> tuple[ThreadingHTTPServer, str]:
    server = _UpstreamServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1"


def start_proxy(upstream: str, trace: Path) -> tuple[RecordingProxy, TurnSplitter, TraceWriter]:
    scenario = scenario_from_mapping(
        {"scenario": "b", "conversation": {"turns": [{"user": "x"}]}, "checks": ["context_retains"]}
    )
    factory = MessageFactory(TokenCounter("o200k_base"), scenario.disclosures)
    recorder = CallRecorder(factory, ("ai-identity",))
    writer = TraceWriter.open(trace)
    writer.write(TraceHeader(scenario="bench", source="bench", disclosures=("ai-identity",)))
    splitter = TurnSplitter(recorder, writer.write)
    proxy = RecordingProxy(recorder, UpstreamBackend(upstream), before_call=splitter).start()
    return proxy, splitter, writer


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def overhead(upstream: str, proxy: RecordingProxy, calls: int) -> dict[str, float]:
    direct_url = upstream + "/chat/completions"
    proxy_url = proxy.openai_base_url + "/chat/completions"
    history: list[dict[str, str]] = []
    direct: list[float] = []
    proxied: list[float] = []
    with httpx.Client(timeout=60) as d, httpx.Client(timeout=60) as p:
        for n in range(calls):
            history.append({"role": "user", "content": f"Turn {n}: where is order #{n}?"})
            body = {"model": "m", "messages": [{"role": "system", "content": SYSTEM}, *history]}
            for client, url, out in ((d, direct_url, direct), (p, proxy_url, proxied)):
                start = time.perf_counter()
                response = client.post(url, json=body)
                out.append(time.perf_counter() - start)
                assert response.status_code == 200, response.text
            history.append({"role": "assistant", "content": "I'm an AI assistant. Done."})
            history = history[-6:]  # the agent's sliding window
    result = {}
    for name, values in (("direct", direct), ("proxy", proxied)):
        result[f"{name}_median_ms"] = statistics.median(values) * 1000
        result[f"{name}_p99_ms"] = percentile(values, 0.99) * 1000
    result["overhead_median_ms"] = result["proxy_median_ms"] - result["direct_median_ms"]
    result["overhead_p99_ms"] = result["proxy_p99_ms"] - result["direct_p99_ms"]
    result["ratio_median"] = result["proxy_median_ms"] / result["direct_median_ms"]
    return result


def concurrent(proxy: RecordingProxy, clients: int) -> dict[str, Any]:
    url = proxy.openai_base_url + "/chat/completions"
    barrier = threading.Barrier(clients)
    outcomes: list[str] = []
    lock = threading.Lock()

    def client(n: int, http: httpx.Client) -> None:
        body = {"model": "m", "messages": [{"role": "user", "content": f"Client {n} here."}]}
        barrier.wait()
        try:
            status = str(http.post(url, json=body).status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        finally:
            http.close()
        with lock:
            outcomes.append(status)

    # Each client its own httpx.Client (so its own, fresh connection), made before the clock
    # starts: making one costs milliseconds of CPU (its TLS context), the client's cost.
    pool = [httpx.Client(timeout=120) for _ in range(clients)]
    threads = [threading.Thread(target=client, args=(n, pool[n])) for n in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    errors = sum(n for status, n in counts.items() if status != "200")
    return {"clients": clients, "errors": errors, "outcomes": counts,
            "wall_s": time.perf_counter() - start}  # fmt: skip


def vm_hwm_mb(pid: int) -> float:
    """Peak resident memory of a process (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bodies(upstream: str) -> dict[str, Any]:
    """Peak RSS of a standalone ``replay proxy`` (its own process) around large bodies."""
    with tempfile.TemporaryDirectory() as tmp:
        process = subprocess.Popen(
            [sys.executable, "-m", "replay.cli", "proxy", "--upstream", upstream, "--trace",
             str(Path(tmp) / "t.jsonl")],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        assert process.stdout is not None
        base = process.stdout.readline().split("listening on ")[1].split()[0]
        url = base + "/v1/chat/completions"
        try:
            small = {"model": "m", "messages": [{"role": "user", "content": "Hi, order #1?"}]}
            httpx.post(url, json=small, timeout=120)
            before = vm_hwm_mb(process.pid)
            # Text that tokenizes like prose (a 15 MiB run of one letter makes tiktoken itself
            # use ~750 MB, whatever the proxy does).
            rng = random.Random(1)
            words = ["".join(rng.choices(string.ascii_lowercase, k=6)) for _ in range(5000)]
            filler = " ".join(rng.choice(words) for _ in range(15 * 1024 * 1024 // 7))
            body = {"model": "m", "messages": [{"role": "user", "content": "Big. " + filler}]}
            ok = httpx.post(url, json=body, timeout=120).status_code
            after_15 = vm_hwm_mb(process.pid)
            big = b"{" + b" " * (48 * 1000 * 1000) + b"}"
            try:
                refused: int | str = httpx.post(url, content=big, timeout=120).status_code
            except httpx.HTTPError as exc:  # answered 413 and closed before reading it all
                refused = type(exc).__name__
            after_48 = vm_hwm_mb(process.pid)
        finally:
            process.terminate()
            process.wait(60)
    return {
        "status_15MiB": ok,
        "status_48MB": refused,
        "rss_before_mb": round(before, 1),
        "rss_after_15MiB_mb": round(after_15, 1),
        "rss_after_48MB_mb": round(after_48, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    server, upstream = start_upstream()
    with tempfile.TemporaryDirectory() as tmp:
        proxy, splitter, writer = start_proxy(upstream, Path(tmp) / "bench.trace.jsonl")
        try:
            figures: dict[str, Any] = {"bodies": bodies(upstream)}
            figures["per_call"] = overhead(upstream, proxy, args.calls)
            figures["concurrent"] = concurrent(proxy, args.clients)
        finally:
            proxy.stop()
            splitter.flush()
            writer.close()
            server.shutdown()
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    call = figures["per_call"]
    print(f"per model call ({args.calls} calls each, alternating):")
    for name in ("direct", "proxy"):
        print(f"  {name:7} median {call[f'{name}_median_ms']:.2f} ms   "
              f"p99 {call[f'{name}_p99_ms']:.2f} ms")  # fmt: skip
    print(f"  overhead median {call['overhead_median_ms']:.2f} ms   "
          f"p99 {call['overhead_p99_ms']:.2f} ms   ratio {call['ratio_median']:.2f}x")  # fmt: skip
    conc = figures["concurrent"]
    print(f"{conc['clients']} concurrent clients: {conc['errors']} errors "
          f"{conc['outcomes']} in {conc['wall_s']:.2f} s")  # fmt: skip
    b = figures["bodies"]
    print(f"bodies: 15 MiB -> {b['status_15MiB']}, 48 MB -> {b['status_48MB']}; proxy peak "
          f"RSS {b['rss_before_mb']} -> {b['rss_after_15MiB_mb']} -> "
          f"{b['rss_after_48MB_mb']} MB")  # fmt: skip


if __name__ == "__main__":
    main()
