"""Faults of the agent under test: a hung python agent, two scenarios whose agent modules share
a name, an HTTP or command agent that trickles its answer, and credentials on an agent's stderr.

No real-time margins: every bound here is generous (a run that is not bounded never ends, so
any finite bound tells the two apart), and nothing sleeps to wait for a server.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from replay.cli import main
from replay.trace import read_trace

pytest_plugins = ["pytester"]

GENEROUS = 120.0
"""Seconds a run that must end promptly may take on a loaded machine (it used to never end)."""

TIKTOKEN = {"TIKTOKEN_CACHE_DIR": os.environ.get("TIKTOKEN_CACHE_DIR", "/work/shared/tiktoken")}

# An agent that answers through the proxy; ``{marker}`` tells which folder's code ran.
AGENT = """
import threading

import httpx

from helper import MARKER  # a sibling module: also the scenario's own


class Agent:
    def __init__(self, context):
        self.url = context.base_url + "/chat/completions"
        self.history = [{"role": "system", "content": "Always say you are an AI assistant."}]

    def reply(self, message):
        if message == "block forever":
            # Blocks forever in a non-daemon thread it waits for: nothing but a kill ends it.
            worker = threading.Thread(target=threading.Event().wait)
            worker.start()
            worker.join()
        self.history.append({"role": "user", "content": message})
        body = {"model": "m", "messages": self.history}
        httpx.post(self.url, json=body, timeout=60).raise_for_status()
        text = "I am an AI assistant, agent " + MARKER + "."
        self.history.append({"role": "assistant", "content": text})
        return text


def make(context):
    return Agent(context)
"""


def agent_folder(folder: Path, marker: str, turns: list[str], timeout: float = 30) -> Path:
    """A scenario folder holding ``my_agent.py`` (the name the docs suggest) and its helper."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "my_agent.py").write_text(AGENT, encoding="utf-8")
    (folder / "helper.py").write_text(f"MARKER = {marker!r}\n", encoding="utf-8")
    scenario = {
        "scenario": f"agent-{marker}",
        "agent": {"type": "python", "python": "my_agent:make", "timeout": timeout},
        "conversation": {"turns": [{"user": t} for t in turns]},
        "checks": ["context_retains"],
    }
    path = folder / "scenario.yaml"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    return path


def bounded_main(argv: list[str]) -> int:
    """``replay`` in this process, failing the test (not hanging it) if it never returns."""
    codes: list[int] = []
    worker = threading.Thread(target=lambda: codes.append(main(argv)), daemon=True)
    worker.start()
    worker.join(GENEROUS)
    assert codes, f"replay {' '.join(argv)} did not end within {GENEROUS:g}s"
    return codes[0]


def replies(trace: Path) -> list[str]:
    _, turns = read_trace(trace)
    out = []
    for record in turns:
        by_id = {m.id: m for m in record.messages}
        out.append(by_id[str(record.reply)].content)
    return out


# ----------------------------------------------------------------------------- hung python agent


def test_a_hung_python_agent_ends_the_run_with_exit_3(tmp_path: Path) -> None:
    # The turn timeout must outlast turn 1 on a loaded machine (the agent's process starting
    # and answering), so only the hung turn 2 can reach it.
    path = agent_folder(tmp_path / "a", "hung", ["Hello, order #1.", "block forever"], 10)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "replay.cli", "run", str(path)],
        capture_output=True,
        text=True,
        timeout=GENEROUS,  # without the fix it never exits: the worker thread is waited for
        env={**os.environ, **TIKTOKEN},
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 3, done.stdout + done.stderr
    assert "turn 2" in done.stdout and "turn timed out" in done.stdout
    assert "within 10s" in done.stdout
    assert not any(line.lstrip().startswith("PASS") for line in done.stdout.splitlines())
    assert elapsed < GENEROUS


# ----------------------------------------------------------------------------- each its own agent


def test_replay_run_tests_each_scenarios_own_agent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = agent_folder(tmp_path / "a", "A", ["Hi, order #1.", "And order #2?"])
    b = agent_folder(tmp_path / "b", "B", ["Hi, order #3.", "And order #4?"])
    code = bounded_main(["run", str(a.parent), str(b.parent), "--trace-dir", str(tmp_path / "t")])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    assert replies(tmp_path / "t" / "agent-A.trace.jsonl") == ["I am an AI assistant, agent A."] * 2
    assert replies(tmp_path / "t" / "agent-B.trace.jsonl") == ["I am an AI assistant, agent B."] * 2
    assert "my_agent" not in sys.modules and "helper" not in sys.modules


def test_the_pytest_plugin_tests_each_scenarios_own_agent(pytester: pytest.Pytester) -> None:
    for marker in ("A", "B"):
        agent_folder(pytester.path / "scenarios" / marker.lower(), marker, ["Hi, order #1."])
    traces = pytester.path / "traces"
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--replay-trace-dir={traces}", timeout=GENEROUS
    )
    assert result.ret in (0, 1), result.stdout.str()
    assert replies(traces / "agent-A.trace.jsonl") == ["I am an AI assistant, agent A."]
    assert replies(traces / "agent-B.trace.jsonl") == ["I am an AI assistant, agent B."]


# ----------------------------------------------------------------------------- trickling agents


class Trickler:
    """A chat endpoint that answers 200 and then one byte of its body every 0.2 s, forever
    (until closed): each read succeeds, so only a deadline for the whole turn ends it."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.started = threading.Event()
        trickler = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["content-length"]))
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", "1000000")
                self.end_headers()
                trickler.started.set()
                while not trickler.stop.wait(0.2):
                    try:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                    except OSError:
                        return
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/chat"

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def trickler() -> Iterator[Trickler]:
    server = Trickler()
    yield server
    server.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def scenario(tmp_path: Path, agent: dict[str, Any], turns: int = 2) -> Path:
    path = tmp_path / "agent.yaml"
    data = {
        "scenario": "faulty-agent",
        "agent": agent,
        "conversation": {"turns": [{"user": f"Order #{n}, please."} for n in range(turns)]},
        "checks": ["context_retains"],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_trickling_http_agent_is_bounded_by_the_turn_timeout(
    tmp_path: Path, trickler: Trickler, capsys: pytest.CaptureFixture[str]
) -> None:
    agent = {"type": "http", "http": trickler.url, "proxy_port": free_port(), "timeout": 1}
    code = bounded_main(["run", str(scenario(tmp_path, agent)), "--trace-dir", str(tmp_path / "t")])
    out = capsys.readouterr().out
    assert trickler.started.is_set()  # the server did answer, a byte at a time
    assert code == 3, out
    assert "turn 1" in out and "turn timed out" in out and "within 1s" in out
    (trace,) = (tmp_path / "t").iterdir()
    assert "turn timed out" in trace.read_text(encoding="utf-8")


TRICKLING_COMMAND = """
import sys, time
sys.stdin.readline()
while True:  # half a JSON line, a byte at a time, never a newline
    sys.stdout.write(" "); sys.stdout.flush(); time.sleep(0.2)
"""


def test_a_trickling_command_agent_is_bounded_by_the_turn_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "trickle.py"
    script.write_text(TRICKLING_COMMAND, encoding="utf-8")
    agent = {"type": "command", "command": [sys.executable, str(script)], "timeout": 1}
    code = bounded_main(["run", str(scenario(tmp_path, agent))])
    out = capsys.readouterr().out
    assert code == 3, out
    assert "turn 1" in out and "turn timed out" in out


# ----------------------------------------------------------------------------- secrets on stderr

# Quote, backslash and a non-ASCII letter: its raw, JSON-escaped and repr'd forms all differ.
SECRET = 'tok-SENTINEL-"q\\b"-\u00fc-7788'
PASSWORD = "pw-SENTINEL-4242\r\n"  # read from a CRLF file: the stripped form is the secret too

LEAKY = """
import json, os, sys
sys.stdin.readline()
for name in ("DB_PASSWORD", "ACME_SERVICE_TOKEN"):  # the last 5 lines are quoted
    value = os.environ[name]
    print("raw:", value, file=sys.stderr)
    print("json:", json.dumps(value), file=sys.stderr)
    print("json-ascii:", json.dumps(value, ensure_ascii=True), file=sys.stderr)
    print("repr:", repr(value), file=sys.stderr)
if sys.argv[1] == "error":
    print(json.dumps({"error": "cannot log in with " + os.environ["ACME_SERVICE_TOKEN"]}))
    sys.stdout.flush()
    sys.stdin.readline()
sys.exit(1)
"""


@pytest.mark.parametrize("how", ["crash", "error"])
def test_credential_variables_on_an_agents_stderr_are_redacted(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    monkeypatch.setenv("ACME_SERVICE_TOKEN", SECRET)  # named nowhere in the scenario
    monkeypatch.setenv("DB_PASSWORD", PASSWORD)
    script = tmp_path / "leaky.py"
    script.write_text(LEAKY, encoding="utf-8")
    agent = {"type": "command", "command": [sys.executable, str(script), how], "timeout": 30}
    reports = tmp_path / "reports"
    code = bounded_main(["run", str(scenario(tmp_path, agent)), "--report-dir", str(reports)])
    out, err = capsys.readouterr()
    assert code == 3, out
    assert "turn 1" in out
    if how == "crash":
        assert "status 1" in out and "repr: '***'" in out and 'json: "***"' in out
    else:
        assert "cannot log in with ***" in out
    written = "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in reports.rglob("*") if p.is_file()
    )
    assert "turn 1" in written
    for text in (out, err, written):
        assert "SENTINEL" not in text


# ----------------------------------------------------------------------------- left behind


class _BlockedModel:
    """A backend whose answer waits until the test releases it."""

    name = "blocked"

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.release = threading.Event()

    def answer(self, request: object) -> str:
        self.asked.set()
        self.release.wait(60)
        return "I'm an AI assistant, not a human."


class _FireAndForget:
    """A driver whose agent starts a model call, does not wait for it, and answers its turn."""

    def __init__(self, url: str, model: _BlockedModel) -> None:
        self.url, self.model = url, model
        self.thread: threading.Thread | None = None

    def send(self, text: str, timeout: float) -> str:
        body = {"model": "m", "messages": [{"role": "user", "content": text}]}
        self.thread = threading.Thread(
            target=lambda: httpx.post(self.url + "/chat/completions", json=body, timeout=60),
            daemon=True,
        )
        self.thread.start()
        assert self.model.asked.wait(60)
        return "Hello! I'm an AI assistant."  # written without waiting for its model

    def close(self) -> None:
        self.model.release.set()
        if self.thread is not None:
            self.thread.join(60)


def test_a_turn_answered_while_its_model_call_is_open_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The call the agent left behind is recorded as interrupted in its own turn: never a
    turn that holds (it would hold a reply written from nothing the model finished)."""
    from replay.agents import _adapters as adapters
    from replay.loop import MessageFactory, TokenCounter
    from replay.proxy import CallRecorder, RecordingProxy
    from replay.scenario import scenario_from_mapping
    from replay.spec import AdapterSpec

    monkeypatch.setattr(adapters, "LEFT_BEHIND_GRACE", 0.05)  # the call stays blocked anyway
    scenario = scenario_from_mapping(
        {"scenario": "p", "conversation": {"turns": [{"user": "x"}]}, "checks": ["context_retains"]}
    )
    factory = MessageFactory(TokenCounter("o200k_base"), scenario.disclosures)
    recorder = CallRecorder(factory, ("ai-identity",))
    model = _BlockedModel()
    proxy = RecordingProxy(recorder, model)
    agent = adapters.AdapterAgent(
        spec=AdapterSpec("python", "unused:make"), factory=factory, recorder=recorder, proxy=proxy
    )
    proxy.start()
    driver = _FireAndForget(proxy.openai_base_url, model)
    agent._driver = driver
    try:
        record = agent.run_turn(next(scenario.turns()))
    finally:
        agent.close()
    assert record.error is not None and "still unanswered" in record.error
    (call,) = record.model_calls
    assert call.error is not None and call.output is None
