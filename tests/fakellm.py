"""A scripted HTTP server on 127.0.0.1 speaking the OpenAI and Anthropic wire formats.

Each queued response is (status, headers, body, delay); when the queue is empty the server
answers 200 with ``default_text``. Every request (path, headers, JSON body, raw bytes) is kept
for asserts. A :class:`Canned` with ``raw`` chunks sends exactly those bytes after its head
(only the headers it names), flushing each chunk, then closes: what a test compares byte for
byte with what the agent received through the proxy.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Canned:
    status: int = 200
    body: bytes | str | dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    sse: list[str] | None = None
    """Raw SSE data payloads to stream instead of a body."""
    raw: list[bytes] | None = None
    """Body chunks sent exactly as they are (with only ``headers``), then the connection closes."""
    hold: threading.Event | None = None
    """Answer only once this is set (a test's event, not a sleep: a client timing out must not
    race a server delay on a loaded machine)."""


def openai_body(text: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]}


def anthropic_body(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "assistant", "content": [{"type": "text", "text": text}]}


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: Any
    raw: bytes = b""


class FakeLLM:
    def __init__(self, default_text: str = "Sure, done.") -> None:
        self.queue: list[Canned] = []
        self.requests: list[Request] = []
        self.default_text = default_text
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                body = json.loads(raw) if raw else None
                server.requests.append(
                    Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body, raw)
                )
                canned = server.queue.pop(0) if server.queue else None
                if canned is None:
                    text = server.default_text
                    anthropic = self.path.endswith("/messages")
                    canned = Canned(body=anthropic_body(text) if anthropic else openai_body(text))
                if canned.hold is not None:
                    canned.hold.wait(60)
                if canned.delay:
                    time.sleep(canned.delay)
                if canned.raw is not None:
                    head = [f"HTTP/1.1 {canned.status} X"]
                    head += [f"{k}: {v}" for k, v in canned.headers.items()]
                    head.append("connection: close")
                    self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
                    for chunk in canned.raw:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                    self.close_connection = True
                    return
                if canned.sse is not None:
                    self.send_response(canned.status)
                    self.send_header("content-type", "text/event-stream")
                    self.send_header("connection", "close")
                    self.end_headers()
                    for event in canned.sse:
                        self.wfile.write(f"data: {event}\n\n".encode())
                        self.wfile.flush()
                    self.close_connection = True
                    return
                payload = canned.body
                if isinstance(payload, dict):
                    payload = json.dumps(payload)
                data: bytes = payload.encode() if isinstance(payload, str) else payload or b""
                self.send_response(canned.status)
                for key, value in canned.headers.items():
                    self.send_header(key, value)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[FakeLLM]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)
