"""A local fault server on 127.0.0.1: a model endpoint that misbehaves on purpose.

It speaks raw HTTP/1.1 over sockets (no http.server), so it can misbehave below the level
http.server allows: drip the status line a byte at a time, cut a body short, lie about its
Content-Encoding. Each request takes the next :class:`Fault` from ``queue`` (an OK answer when
the queue is empty) and is kept in ``requests``. The listening socket is bound and listening
when the constructor returns, so tests never wait for it to come up; stopping it releases every
hanging or dripping handler at once.

Faults (``Fault.mode``):

- ``ok``: 200 with an OpenAI (or, for ``/messages`` paths, Anthropic) reply ``text``.
- ``status``: ``status`` (e.g. 429, 500, 503) with a JSON error body and ``headers`` (e.g.
  ``{"retry-after": "2"}``).
- ``hang``: read the request, never answer.
- ``drip``: a valid 200 answer sent one byte every ``interval`` seconds, from its status line
  (``headers_too``) or from its body on; ``pad`` lengthens its headers. ``dripped`` counts.
- ``cut``: headers promising a body, half of it, then the connection closed.
- ``bad_json``: 200 whose body is not JSON.
- ``bad_gzip``: 200 with ``Content-Encoding: gzip`` and a body that is not gzip.
- ``huge``: 200 with a ``size``-byte body (declared in Content-Length unless ``chunked``).
- ``echo_key``: 200 whose reply echoes the request's credential header, raw, JSON-escaped,
  repr'd and URL-encoded.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Fault:
    mode: str = "ok"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    text: str = "Sure, done."
    interval: float = 0.05
    headers_too: bool = False
    size: int = 0
    chunked: bool = False
    pad: int = 0
    """Bytes of an extra ``x-pad`` header (a drip that takes long, headers and all)."""


@dataclass
class RawRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def reply_body(path: str, text: str) -> bytes:
    if path.endswith("/messages"):
        data: dict[str, Any] = {
            "type": "message",
            "role": "assistant",
            "content": [{"type": "text", "text": text}],
        }
    else:
        data = {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]}
    return json.dumps(data).encode()


def echoed_forms(value: str) -> str:
    """``value`` raw, JSON-escaped, repr'd and URL-encoded, as a server might echo it."""
    return " | ".join(
        (
            value,
            json.dumps(value),
            repr(value),
            urllib.parse.quote(value, safe=""),
            urllib.parse.quote_plus(value),
        )
    )


class FaultServer:
    def __init__(self) -> None:
        self.queue: list[Fault] = []
        self.requests: list[RawRequest] = []
        self.served = threading.Event()
        """Set whenever a handler has started answering (hang and drip included)."""
        self.dripped = 0
        """Bytes sent by drip faults so far."""
        self._stop = threading.Event()
        self._lock = threading.Condition()
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    @contextmanager
    def running(self) -> Iterator[FaultServer]:
        acceptor = threading.Thread(target=self._accept, daemon=True)
        acceptor.start()
        try:
            yield self
        finally:
            self._stop.set()
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
            with self._lock:
                conns = list(self._conns)
            for conn in conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            acceptor.join(timeout=10)
            for thread in list(self._threads):
                thread.join(timeout=10)

    def wait_requests(self, count: int, timeout: float = 60.0) -> int:
        """How many requests arrived, waiting (at most ``timeout``) until ``count`` have.

        A client can give up on a request before this server's thread has filed it, so a test
        counting requests right after a failure waits here instead of racing it.
        """
        with self._lock:
            self._lock.wait_for(lambda: len(self.requests) >= count, timeout)
            return len(self.requests)

    # -- internals

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self._conns.append(conn)
            thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _read_request(self, conn: socket.socket) -> RawRequest | None:
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            buffer += chunk
        head, _, rest = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            rest += chunk
        return RawRequest(method, path, headers, rest[:length])

    def _handle(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            request = self._read_request(conn)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
                fault = self.queue.pop(0) if self.queue else Fault()
                self._lock.notify_all()
            self.served.set()
            self._answer(conn, request, fault)

    @staticmethod
    def _head(status: int, headers: dict[str, str], length: int | None) -> bytes:
        lines = [f"HTTP/1.1 {status} X"]
        merged = {"content-type": "application/json", "connection": "close", **headers}
        if length is not None:
            merged["content-length"] = str(length)
        lines += [f"{k}: {v}" for k, v in merged.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _answer(self, conn: socket.socket, request: RawRequest, fault: Fault) -> None:
        mode = fault.mode
        if mode == "hang":
            self._stop.wait()
            return
        if mode == "ok":
            body = reply_body(request.path, fault.text)
            conn.sendall(self._head(200, fault.headers, len(body)) + body)
        elif mode == "status":
            body = json.dumps({"error": {"message": f"fault {fault.status}"}}).encode()
            conn.sendall(self._head(fault.status, fault.headers, len(body)) + body)
        elif mode == "drip":
            body = reply_body(request.path, fault.text)
            headers = {**fault.headers, **({"x-pad": "p" * fault.pad} if fault.pad else {})}
            head = self._head(200, headers, len(body))
            if not fault.headers_too:
                conn.sendall(head)
            for byte in head + body if fault.headers_too else body:
                if self._stop.wait(fault.interval):
                    return
                conn.sendall(bytes([byte]))
                self.dripped += 1
        elif mode == "cut":
            body = reply_body(request.path, fault.text)
            conn.sendall(self._head(200, fault.headers, len(body)) + body[: len(body) // 2])
        elif mode == "bad_json":
            body = b'{"choices": [{"message": {"content": "cut'
            conn.sendall(self._head(200, fault.headers, len(body)) + body)
        elif mode == "bad_gzip":
            body = b"\x1f\x8b\x08\x00not really gzip at all" + bytes(range(64))
            headers = {"content-encoding": "gzip", **fault.headers}
            conn.sendall(self._head(200, headers, len(body)) + body)
        elif mode == "huge":
            headers = dict(fault.headers)
            if fault.chunked:
                headers["transfer-encoding"] = "chunked"
            conn.sendall(self._head(200, headers, None if fault.chunked else fault.size))
            block = b" " * 65536
            sent = 0
            while sent < fault.size and not self._stop.is_set():
                part = block[: fault.size - sent]
                data = b"%x\r\n%s\r\n" % (len(part), part) if fault.chunked else part
                conn.sendall(data)
                sent += len(part)
            if fault.chunked:
                conn.sendall(b"0\r\n\r\n")
        elif mode == "echo_key":
            credential = request.headers.get("authorization") or request.headers.get(
                "x-api-key", ""
            )
            credential = credential.removeprefix("Bearer ")
            body = reply_body(request.path, f"{fault.text} Your key: {echoed_forms(credential)}")
            conn.sendall(self._head(200, fault.headers, len(body)) + body)
        else:
            raise ValueError(f"unknown fault mode {mode!r}")
