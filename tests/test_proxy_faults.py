"""The recording proxy under faults: stopped mid-call, strangers posting, broken upstream
streams, load. Every fault must leave a trace that never reads as a pass (exit 3).

Every server here is started by the test on 127.0.0.1; waits are on events or on the
processes' own output, never fixed sleeps.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from replay.cli import main
from replay.proxy import ProxyRequest, RecordingProxy, TurnSplitter
from replay.trace import TurnRecord

from .test_proxy_adapters import StandaloneProxy, recorder

SYS = {"role": "system", "content": "You are Sam. Always say you are an AI assistant."}
CHECKS = {
    "scenario": "recorded",
    "conversation": {"turns": [{"user": "-"}]},
    "checks": ["context_retains", "never_claims_human"],
}
GENEROUS = 30.0
"""Seconds to wait for an event that, when things work, happens within milliseconds."""


def u(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def openai_reply(text: str) -> dict[str, Any]:
    return {
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ]
    }


Respond = Callable[[BaseHTTPRequestHandler, dict[str, Any]], None]


@contextmanager
def upstream(respond: Respond) -> Iterator[str]:
    """A local model server whose every POST is answered by ``respond(handler, body)``;
    yields its base URL (ending in /v1)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            respond(self, body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def send_json(handler: BaseHTTPRequestHandler, data: Any, status: int = 200) -> None:
    payload = json.dumps(data).encode()
    handler.send_response(status)
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)


def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "checks.yaml"
    path.write_text(json.dumps(CHECKS), encoding="utf-8")
    return path


def raw_records(trace: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in trace.read_text(encoding="utf-8").splitlines()]


def check(tmp_path: Path, trace: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", str(trace), "--scenario", str(scenario_file(tmp_path))])
    out, err = capsys.readouterr()
    return code, out + err


def assert_no_pass(out: str) -> None:
    """Nothing in the output reads as a pass: no PASS verdict, no check shown as holding."""
    lines = out.splitlines()
    assert not any(line.startswith("PASS") for line in lines), out
    assert not any(line.lstrip().startswith("ok ") for line in lines), out


# ----------------------------------------------------------------------------- 1: stopped mid-call


def test_sigterm_with_a_model_call_unanswered_leaves_an_incomplete_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    received = threading.Event()
    release = threading.Event()

    def respond(handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        if body["messages"][-1]["content"] == "Block on this one.":
            received.set()
            release.wait(GENEROUS)  # the model never answers while the proxy is stopped
        with contextlib.suppress(OSError):  # the proxy may be gone
            send_json(handler, openai_reply("I'm an AI assistant. Sure, done."))

    trace = tmp_path / "run.trace.jsonl"
    with upstream(respond) as url:
        proxy = StandaloneProxy(trace, "--upstream", url)
        try:
            first = httpx.post(
                proxy.url + "/v1/chat/completions",
                json={"model": "m", "messages": [SYS, u("Where is order #4417?")]},
                timeout=GENEROUS,
            )
            assert first.status_code == 200, first.text
            errors: list[BaseException] = []

            def blocked_call() -> None:
                try:
                    httpx.post(
                        proxy.url + "/v1/chat/completions",
                        json={"model": "m", "messages": [SYS, u("Block on this one.")]},
                        timeout=GENEROUS,
                    )
                except httpx.HTTPError as exc:
                    errors.append(exc)  # the proxy went away: expected

            agent = threading.Thread(target=blocked_call, daemon=True)
            agent.start()
            assert received.wait(GENEROUS), "the upstream never received the second call"
            code, err = proxy.stop()
        finally:
            release.set()
            if proxy.process.poll() is None:
                proxy.process.kill()
                proxy.process.wait()
        agent.join(GENEROUS)
    assert code == 3, err
    assert "1 model call unanswered" in err
    *turns, end = raw_records(trace)[1:]
    assert {k: v for k, v in end.items() if k != "usage"} == {
        "type": "end",
        "turns": 2,
        "finished": False,
    }
    assert "error" not in turns[0] and turns[0]["reply"] is not None
    assert "interrupted" in turns[1]["error"] and turns[1].get("reply") is None
    (call,) = turns[1]["model_calls"]
    assert "interrupted" in call["error"]
    code, out = check(tmp_path, trace, capsys)
    assert code == 3, out
    assert_no_pass(out)
    assert "turn 2: a model call failed: interrupted" in out


def test_a_request_waiting_behind_an_unanswered_call_is_recorded_as_interrupted() -> None:
    """The proxy answers one call at a time: a second request waiting for the first is as
    unanswered as the first, and is recorded too (in-process, no subprocess)."""
    entered = threading.Event()
    release = threading.Event()

    class Blocking:
        name = "blocking"

        def answer(self, request: ProxyRequest) -> str:
            entered.set()
            release.wait(GENEROUS)
            return "too late"

    rec = recorder()
    records: list[TurnRecord] = []
    splitter = TurnSplitter(rec, records.append)
    proxy = RecordingProxy(rec, Blocking(), before_call=splitter).start()
    statuses: list[int] = []

    def call(text: str) -> None:
        try:
            response = httpx.post(
                proxy.openai_base_url + "/chat/completions",
                json={"model": "m", "messages": [SYS, u(text)]},
                timeout=GENEROUS,
            )
            statuses.append(response.status_code)
        except httpx.HTTPError:
            statuses.append(0)

    first = threading.Thread(target=call, args=("Where is order #4417?",))
    first.start()
    assert entered.wait(GENEROUS)
    second = threading.Thread(target=call, args=("And the sleeping bag?",))
    second.start()
    # The second request is in: it waits for the first at the proxy's call lock.
    assert _wait_until(lambda: len(proxy._pending) == 2)
    proxy.stop()
    release.set()
    first.join(GENEROUS)
    second.join(GENEROUS)
    splitter.flush()
    assert proxy.interrupted == 2
    assert sorted(statuses) == [503, 503]
    assert [r.index for r in records] == [1, 2]
    assert all(r.error and "interrupted" in r.error and r.reply is None for r in records)


def _wait_until(condition: Callable[[], bool]) -> bool:
    """Polls a condition that another thread makes true; bounded generously."""
    done = threading.Event()
    for _ in range(int(GENEROUS * 100)):
        if condition():
            return True
        done.wait(0.01)
    return False


# ----------------------------------------------------------------------------- 2: strangers


STRANGER_AGENT = """
import json, urllib.parse, httpx

def make(context):
    origin = "http://127.0.0.1:%d" % urllib.parse.urlsplit(context.base_url).port
    body = {"model": "m", "messages": [{"role": "user", "content": "Am I talking to a human?"}]}

    def agent(message):
        # Another local user: posts to the proxy's port without the run's credential, and with
        # a guessed one. The agent itself never calls its model.
        statuses = [
            httpx.post(url, json=body).status_code
            for url in (
                origin + "/v1/chat/completions",
                origin + "/guess/v1/chat/completions",
                origin + "/v1/messages",
            )
        ]
        with open(LOG_PATH, "a") as log:
            log.write(json.dumps(statuses) + "\\n")
        return "I'm an AI assistant. Done."

    return agent
"""


def test_a_stranger_posting_without_the_credential_is_refused_and_never_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "statuses.jsonl"
    (tmp_path / "stranger_agent.py").write_text(STRANGER_AGENT.replace("LOG_PATH", repr(str(log))))
    monkeypatch.syspath_prepend(str(tmp_path))
    path = tmp_path / "agent.yaml"
    path.write_text(
        json.dumps(
            {
                "scenario": "stranger",
                "agent": {"type": "python", "python": "stranger_agent:make", "timeout": 20},
                "conversation": {"turns": [{"probe": "Am I talking to a real person?"}]},
                "checks": ["probe_discloses", "never_claims_human"],
            }
        )
    )
    code = main(["run", str(path), "--trace-dir", str(tmp_path / "traces")])
    out, err = capsys.readouterr()
    assert code == 3, out
    assert "without any model call" in out
    assert_no_pass(out)
    assert json.loads(log.read_text()) == [401, 401, 401]
    assert err.count("refused POST from 127.0.0.1:") == 3
    (trace,) = (tmp_path / "traces").iterdir()
    text = trace.read_text()
    assert "Am I talking to a human?" not in text  # the refused requests left no trace


def test_the_standalone_proxy_prints_its_credential_and_refuses_requests_without_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trace = tmp_path / "run.trace.jsonl"
    proxy = StandaloneProxy(trace, "--simulator")
    try:
        origin, _, credential = proxy.url.rpartition("/")
        assert len(credential) >= 32 and origin.startswith("http://127.0.0.1:")
        assert f"OpenAI base URL {proxy.url}/v1" in proxy.banner
        body = {"model": "m", "messages": [SYS, u("Am I talking to a human?")]}
        refused = [
            httpx.post(origin + "/v1/chat/completions", json=body, timeout=GENEROUS),
            httpx.post(origin + "/" + credential[:-1] + "/v1/messages", json=body),
            httpx.get(origin + "/v1/models", timeout=GENEROUS),
        ]
    finally:
        code, err = proxy.stop()
    assert code == 0, err
    for response in refused:
        assert response.status_code == 401
        assert response.json()["error"]["type"] == "authentication_error"
        assert "credential" in response.json()["error"]["message"]
    assert err.count("refused") == 3 and credential not in err and credential[:-1] not in err
    assert "Am I talking to a human?" not in trace.read_text()
    code, out = check(tmp_path, trace, capsys)  # no turns: nothing was checked
    assert code == 3, out
    assert_no_pass(out)


# ----------------------------------------------------------------------------- 4: broken streams


def _openai_event(text: str | None = None, finish: str | None = None) -> str:
    delta = {} if text is None else {"content": text}
    return json.dumps({"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})


def _anthropic_events(text: str, *, stop: bool) -> list[str]:
    events = [
        'event: message_start\ndata: {"type": "message_start", "message": {"content": []}}',
        "event: content_block_delta\ndata: "
        + json.dumps({"type": "content_block_delta", "index": 0, "delta": {"text": text}}),
        'event: message_delta\ndata: {"type": "message_delta", "delta": {"stop_reason": null}}',
    ]
    return events + (['event: message_stop\ndata: {"type": "message_stop"}'] if stop else [])


STREAMS: dict[str, dict[str, list[str]]] = {
    # What the upstream sends, per provider; each entry is one SSE event (without "\n\n").
    "whole": {
        "openai": [f"data: {_openai_event('I am an AI assistant.')}", "data: [DONE]"],
        "anthropic": _anthropic_events("I am an AI assistant.", stop=True),
    },
    "finish_reason": {  # no [DONE], but the choice finished: a whole reply
        "openai": [f"data: {_openai_event('I am an AI assistant.', 'stop')}"],
        "anthropic": _anthropic_events("I am an AI assistant.", stop=True),
    },
    "cut": {
        "openai": [f"data: {_openai_event('I am an AI')}"],
        "anthropic": _anthropic_events("I am an AI", stop=False),
    },
    "error": {
        "openai": [
            f"data: {_openai_event('I am')}",
            'data: {"error": {"message": "overloaded", "type": "server_error"}}',
        ],
        "anthropic": [
            *_anthropic_events("I am", stop=False)[:2],
            'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", '
            '"message": "Overloaded"}}',
        ],
    },
    "empty": {"openai": [], "anthropic": []},
}


def stream_fault(handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
    """Streams the events named by the request's last user message ("fault provider")."""
    fault, provider = str(body["messages"][-1]["content"]).split()
    handler.send_response(200)
    handler.send_header("content-type", "text/event-stream")
    if fault == "reset":  # chunked, then the connection drops before the last chunk
        handler.send_header("transfer-encoding", "chunked")
        handler.end_headers()
        data = f"data: {_openai_event('I am an AI')}\n\n".encode()
        handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        handler.wfile.flush()
        handler.close_connection = True
        return
    handler.send_header("connection", "close")
    handler.end_headers()
    for event in STREAMS[fault][provider]:
        handler.wfile.write(f"{event}\n\n".encode())
        handler.wfile.flush()
    handler.close_connection = True


def relay_one(url: str, fault: str, provider: str) -> tuple[list[TurnRecord], str]:
    """One streamed request through an in-process proxy to the fault upstream: the turns
    recorded and the stream the agent received."""
    from replay.proxy import UpstreamBackend

    rec = recorder()
    records: list[TurnRecord] = []
    splitter = TurnSplitter(rec, records.append)
    proxy = RecordingProxy(rec, UpstreamBackend(url), before_call=splitter).start()
    body: dict[str, Any] = {"model": "m", "stream": True, "max_tokens": 50}
    body["messages"] = [u(f"{fault} {provider}")]
    path = "/v1/messages" if provider == "anthropic" else "/v1/chat/completions"
    try:
        received = httpx.post(proxy.url + path, json=body, timeout=GENEROUS).text
    finally:
        proxy.stop()
    splitter.flush()
    return records, received


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
@pytest.mark.parametrize("fault", ["whole", "finish_reason"])
def test_a_whole_stream_is_a_reply(fault: str, provider: str) -> None:
    with upstream(stream_fault) as url:
        (turn,), _ = relay_one(url, fault, provider)
    assert turn.error is None
    by_id = {m.id: m for m in turn.messages}
    assert by_id[str(turn.reply)].content == "I am an AI assistant."


BROKEN = [
    ("cut", "cut before its terminal event"),
    ("error", "error event"),
    ("empty", "the stream was empty"),
]


@pytest.mark.parametrize(
    ("fault", "why", "provider"),
    [(f, w, p) for f, w in BROKEN for p in ("openai", "anthropic")]
    + [("reset", "RemoteProtocolError", "openai")],  # a transport fault: provider-neutral
)
def test_a_broken_stream_is_a_failed_call_never_a_reply(
    fault: str, why: str, provider: str
) -> None:
    with upstream(stream_fault) as url:
        (turn,), received = relay_one(url, fault, provider)
    assert turn.reply is None
    assert turn.error is not None and why in turn.error, turn.error
    (call,) = turn.model_calls
    assert call.output is None and call.error is not None and why in call.error
    # The agent's stream ends with an error event, not as if it were whole.
    assert "replay proxy: upstream" in received.strip().splitlines()[-1], received


def test_a_cut_stream_through_the_standalone_proxy_is_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trace = tmp_path / "run.trace.jsonl"
    with upstream(stream_fault) as url:
        proxy = StandaloneProxy(trace, "--upstream", url)
        try:
            for text in ("whole openai", "cut openai"):
                httpx.post(
                    proxy.url + "/v1/chat/completions",
                    json={"model": "m", "stream": True, "messages": [SYS, u(text)]},
                    timeout=GENEROUS,
                )
        finally:
            code, err = proxy.stop()
    assert code == 0, err  # every call was answered (one of them by a broken stream)
    code, out = check(tmp_path, trace, capsys)
    assert code == 3, out
    assert_no_pass(out)
    assert "turn 2: a model call failed" in out and "cut before its terminal event" in out


# ----------------------------------------------------------------------------- 3: two agents


class HistoryAgent:
    """An agent that keeps its history (the last ``keep`` messages after the system prompt)."""

    def __init__(self, url: str, keep: int = 100) -> None:
        self.url = url + "/v1/chat/completions"
        self.keep = keep
        self.history: list[dict[str, Any]] = []

    def say(self, text: str) -> httpx.Response:
        self.history.append(u(text))
        body = {"model": "m", "messages": [SYS, *self.history[-self.keep :]]}
        response = httpx.post(self.url, json=body, timeout=GENEROUS)
        if response.status_code == 200:
            reply = response.json()["choices"][0]["message"]["content"]
            self.history.append({"role": "assistant", "content": reply})
        return response


def test_a_second_agent_on_one_standalone_proxy_is_refused_and_the_trace_is_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trace = tmp_path / "run.trace.jsonl"
    proxy = StandaloneProxy(trace, "--simulator")
    try:
        alice, bob = HistoryAgent(proxy.url), HistoryAgent(proxy.url)
        statuses = []
        for n in range(1, 4):
            statuses.append(alice.say(f"Alice here, where is my order #{n}?").status_code)
            statuses.append(bob.say(f"Bob here, cancel my booking B-{n}.").status_code)
    finally:
        code, err = proxy.stop()
    assert code == 0, err
    # Bob's first request looks like a turn of Alice's; Alice's second brings back what Bob's
    # dropped: refused, as is every later request that does.
    assert statuses[:2] == [200, 200] and 409 in statuses[2:]
    assert "second conversation" in err and "start one proxy per agent" in err
    code, out = check(tmp_path, trace, capsys)
    assert code == 3, out
    assert_no_pass(out)
    assert "a second conversation reached this proxy" in out


def test_one_agent_with_a_sliding_window_is_not_taken_for_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trace = tmp_path / "run.trace.jsonl"
    proxy = StandaloneProxy(trace, "--simulator")
    try:
        agent = HistoryAgent(proxy.url, keep=3)
        texts = [f"Please update order #{n} for me." for n in range(1, 6)]
        texts.append(texts[0])  # the user says an early, long-dropped message again
        texts.append("Am I talking to a real person?")
        statuses = [agent.say(text).status_code for text in texts]
    finally:
        code, err = proxy.stop()
    assert code == 0, err
    assert statuses == [200] * len(texts), err
    assert "second conversation" not in err
    code, out = check(tmp_path, trace, capsys)
    assert code == 0, out  # the system prompt is always sent: it holds, and no error
    assert "second conversation" not in out


# ----------------------------------------------------------------------------- 10: load, bodies


@contextmanager
def simulator_proxy(**options: Any) -> Iterator[tuple[RecordingProxy, list[TurnRecord]]]:
    from replay.models import SimulatorModel
    from replay.proxy import ModelBackend

    rec = recorder()
    records: list[TurnRecord] = []
    splitter = TurnSplitter(rec, records.append)
    model = ModelBackend(SimulatorModel(persona="Sam"))
    proxy = RecordingProxy(rec, model, before_call=splitter, **options).start()
    try:
        yield proxy, records
    finally:
        proxy.stop()
        splitter.flush()


def raw_request(proxy: RecordingProxy, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send bytes as they are; returns the status and the whole answer."""
    import socket

    path = proxy.url.split(str(proxy.port), 1)[1] + "/v1/chat/completions"
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=GENEROUS) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\n{head}\r\n".encode() + body)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


BODY = json.dumps({"model": "m", "messages": [SYS, u("Where is order #4417?")]}).encode()


def test_bad_request_bodies_get_clean_4xx_answers_and_are_never_recorded(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with simulator_proxy(max_body=4096) as (proxy, records):
        big = b" " * 5000
        cases = {
            "bad length": raw_request(proxy, "Content-Length: abc\r\n", BODY),
            "negative": raw_request(proxy, "Content-Length: -1\r\n", BODY),
            "short body": raw_request(proxy, f"Content-Length: {len(BODY) + 10}\r\n", BODY),
            "no length": raw_request(proxy, "", BODY),
            "too large": raw_request(proxy, f"Content-Length: {len(big)}\r\n", big),
            "bad chunk": raw_request(proxy, "Transfer-Encoding: chunked\r\n", b"zz\r\n{}\r\n0\r\n"),
            "large chunks": raw_request(
                proxy,
                "Transfer-Encoding: chunked\r\n",
                b"1001\r\n" + b" " * 4097 + b"\r\n0\r\n\r\n",
            ),
        }
    statuses = {name: status for name, (status, _) in cases.items()}
    assert statuses == {
        "bad length": 400,
        "negative": 400,
        "short body": 400,
        "no length": 411,
        "too large": 413,
        "bad chunk": 400,
        "large chunks": 413,
    }
    for _, answer in cases.values():
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]["message"].startswith(
            "replay proxy: "
        )
    assert records == []
    assert "Traceback" not in capsys.readouterr().err


def test_a_chunked_request_body_is_accepted() -> None:
    with simulator_proxy() as (proxy, records):
        status, answer = raw_request(
            proxy,
            "Transfer-Encoding: chunked\r\n",
            b"%x\r\n%s\r\n%x;ext=1\r\n%s\r\n0\r\n\r\n" % (10, BODY[:10], len(BODY) - 10, BODY[10:]),
        )
        streamed = httpx.post(
            proxy.openai_base_url + "/chat/completions",
            content=iter([BODY[:7], BODY[7:]]),  # a generator: httpx sends it chunked
            headers={"content-type": "application/json"},
            timeout=GENEROUS,
        )
    assert status == 200, answer
    assert streamed.status_code == 200, streamed.text
    assert "choices" in json.loads(answer.split(b"\r\n\r\n", 1)[1])
    (turn,) = records
    assert len(turn.model_calls) == 2


def test_two_hundred_concurrent_clients_get_no_connection_errors() -> None:
    clients = 200
    start = threading.Barrier(clients)
    results: list[int | str] = []
    lock = threading.Lock()

    def client(n: int, url: str) -> None:
        body = {"model": "m", "messages": [u(f"Client {n}: where is my order?")]}
        start.wait(GENEROUS)
        try:
            status: int | str = httpx.post(url, json=body, timeout=GENEROUS * 4).status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        with lock:
            results.append(status)

    with simulator_proxy() as (proxy, records):
        url = proxy.openai_base_url + "/chat/completions"
        threads = [threading.Thread(target=client, args=(n, url)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(GENEROUS * 4)
    assert results == [200] * clients
    assert len(records) == clients
