"""Agent adapters: drive *your* agent turn by turn and record what its model really received.

Three ways to reach an agent, chosen by the scenario's ``agent.type``:

- ``python``: ``"package.module:factory"``; ``factory(context)`` (or ``factory()``) returns the
  agent: a callable ``agent(message) -> str`` or an object with ``reply(message) -> str``.
- ``http``: the agent is a chat endpoint; replay POSTs ``{"session_id", "message"}`` and reads
  ``{"reply"}`` from the JSON answer.
- ``command``: a subprocess speaking JSON lines: replay writes ``{"session_id", "message"}``
  per turn on its stdin and reads one ``{"reply": ...}`` (or ``{"error": ...}``) line from its
  stdout. Logs belong on stderr.

In every case the agent's model calls go to replay's recording proxy (its URL is handed to the
agent: ``context.base_url`` for Python, ``OPENAI_BASE_URL``/``ANTHROPIC_BASE_URL`` for a
command, the fixed ``proxy_port`` for an HTTP agent), which records the exact input of each call
and answers with the scenario's model. Each turn has a timeout; an agent that crashes, hangs or
answers nonsense ends the run with exit 3, naming the turn.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import inspect
import json
import os
import queue
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from replay.agents import MessageFactory
from replay.clients import redact
from replay.proxy import CallRecorder, RecordingProxy, TurnContext
from replay.scenario import AdapterSpec, Turn
from replay.summarizers import SummarizerError, load_callable
from replay.trace import USER, Message, TurnRecord


class AgentError(RuntimeError):
    """The agent under test failed a turn (crashed, hung, or answered nonsense)."""


@dataclass(frozen=True)
class AgentContext:
    """What a Python agent's factory is handed: where its model calls must go."""

    session_id: str
    base_url: str
    """OpenAI-compatible base URL of the recording proxy (ends in /v1)."""
    anthropic_base_url: str
    """Anthropic-compatible base URL of the recording proxy."""
    api_key: str = "replay-proxy"
    """A placeholder key: the proxy ignores it, but most SDKs insist on one."""
    model: str = "replay-proxy"


class Driver(Protocol):
    """Sends one user message to the agent and returns its reply."""

    def send(self, message: str, timeout: float) -> str: ...

    def close(self) -> None: ...


class PythonDriver:
    """An in-process agent built by a factory; each turn runs in a worker thread with a timeout."""

    def __init__(self, reference: str, context: AgentContext, folder: str | None = None) -> None:
        # The scenario's folder is importable, so an agent module can sit next to its scenario.
        if folder is not None and folder not in sys.path:
            sys.path.insert(0, folder)
        try:
            factory = load_callable(reference)
        except SummarizerError as exc:
            raise AgentError(f"agent {reference}: {exc}") from exc
        try:
            takes_context = bool(inspect.signature(factory).parameters)
        except (TypeError, ValueError):
            takes_context = True
        try:
            agent = factory(context) if takes_context else factory()
        except Exception as exc:
            raise AgentError(
                f"agent factory {reference} raised {type(exc).__name__}: {exc}"
            ) from exc
        method = getattr(agent, "reply", None)
        if callable(method):
            self._answer: Callable[[str], object] = method
        elif callable(agent):
            self._answer = agent
        else:
            raise AgentError(
                f"agent factory {reference} returned {type(agent).__name__}, which is neither "
                "callable nor has a reply(message) method"
            )
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="replay-agent")

    def send(self, message: str, timeout: float) -> str:
        future = self._pool.submit(self._answer, message)
        try:
            reply = future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            raise AgentError(f"the agent did not answer within {timeout:g}s") from None
        except Exception as exc:
            raise AgentError(f"the agent raised {type(exc).__name__}: {exc}") from exc
        if not isinstance(reply, str):
            raise AgentError(f"the agent returned {type(reply).__name__}, expected str")
        return reply

    def close(self) -> None:
        # A hung agent thread cannot be killed; do not wait for it.
        self._pool.shutdown(wait=False, cancel_futures=True)


class HttpDriver:
    """An agent behind a chat endpoint: POST {session_id, message}, read {reply}."""

    def __init__(self, url: str, session_id: str) -> None:
        self.url = url
        self.session_id = session_id
        self._client = httpx.Client()

    def send(self, message: str, timeout: float) -> str:
        payload = {"session_id": self.session_id, "message": message}
        try:
            response = self._client.post(self.url, json=payload, timeout=timeout)
        except httpx.TimeoutException:
            raise AgentError(
                f"the agent at {self.url} did not answer within {timeout:g}s"
            ) from None
        except httpx.HTTPError as exc:
            raise AgentError(f"cannot reach the agent at {self.url}: {exc}") from None
        if response.status_code != 200:
            raise AgentError(
                f"the agent at {self.url} answered HTTP {response.status_code}: "
                f"{response.text[:300]}"
            )
        try:
            reply = response.json()["reply"]
        except (ValueError, KeyError, TypeError):
            raise AgentError(
                f'the agent at {self.url} must answer JSON {{"reply": "..."}}; got '
                f"{response.text[:200]!r}"
            ) from None
        if not isinstance(reply, str):
            raise AgentError(f"the agent at {self.url} sent a reply that is not text: {reply!r}")
        return reply

    def close(self) -> None:
        self._client.close()


class CommandDriver:
    """A subprocess agent speaking JSON lines on stdin/stdout."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        session_id: str,
        env: Mapping[str, str],
        cwd: str | None,
    ) -> None:
        self.argv = tuple(argv)
        self.session_id = session_id
        try:
            self._process = subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={**os.environ, **env},
                cwd=cwd,
                text=True,
                encoding="utf-8",
                bufsize=1,
            )
        except OSError as exc:
            raise AgentError(f"cannot start the agent {' '.join(self.argv)}: {exc}") from exc
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=20)
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _read_stderr(self) -> None:
        assert self._process.stderr is not None
        for line in self._process.stderr:
            self._stderr.append(line.rstrip("\n"))

    def _stderr_tail(self) -> str:
        tail = " | ".join(list(self._stderr)[-5:])
        return f"; its stderr ends: {tail}" if tail else ""

    def send(self, message: str, timeout: float) -> str:
        process = self._process
        assert process.stdin is not None
        request = json.dumps({"session_id": self.session_id, "message": message})
        try:
            process.stdin.write(request + "\n")
            process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise AgentError(self._crashed()) from None
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AgentError(f"the agent did not answer within {timeout:g}s") from None
        if line is None:
            raise AgentError(self._crashed())
        try:
            answer = json.loads(line)
        except json.JSONDecodeError:
            raise AgentError(
                f"the agent wrote a line that is not JSON: {line.strip()[:200]!r} (write "
                'one {"reply": "..."} line per turn on stdout; logs go to stderr)'
            ) from None
        if isinstance(answer, dict) and isinstance(answer.get("error"), str):
            raise AgentError(f"the agent reported an error: {answer['error']}")
        if not isinstance(answer, dict) or not isinstance(answer.get("reply"), str):
            raise AgentError(
                f'the agent must answer {{"reply": "..."}}; got {line.strip()[:200]!r}'
            )
        return str(answer["reply"])

    def _crashed(self) -> str:
        try:
            code = self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "the agent closed its stdout" + self._stderr_tail()
        return f"the agent exited with status {code}" + self._stderr_tail()

    def close(self) -> None:
        process = self._process
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class AdapterAgent:
    """Drives an agent under test turn by turn; the proxy records its model calls."""

    def __init__(
        self,
        *,
        spec: AdapterSpec,
        factory: MessageFactory,
        recorder: CallRecorder,
        proxy: RecordingProxy,
        session_id: str | None = None,
    ) -> None:
        self.spec = spec
        self.factory = factory
        self.recorder = recorder
        self.proxy = proxy
        self.session_id = session_id or uuid.uuid4().hex
        self.setup: tuple[Message, ...] = ()
        self._driver: Driver | None = None

    def start(self) -> AdapterAgent:
        """Start the proxy and the agent (raises AgentError if the agent cannot start)."""
        self.proxy.start()
        try:
            self._driver = self._make_driver()
        except AgentError as exc:
            raise AgentError(redact(str(exc), self.proxy.secrets())) from None
        return self

    def _make_driver(self) -> Driver:
        spec = self.spec
        context = AgentContext(
            session_id=self.session_id,
            base_url=self.proxy.openai_base_url,
            anthropic_base_url=self.proxy.url,
        )
        if spec.kind == "python":
            return PythonDriver(str(spec.target), context, spec.cwd)
        if spec.kind == "http":
            return HttpDriver(str(spec.target), self.session_id)
        env = {
            "OPENAI_BASE_URL": context.base_url,
            "OPENAI_API_BASE": context.base_url,
            "ANTHROPIC_BASE_URL": context.anthropic_base_url,
            "REPLAY_PROXY_URL": self.proxy.url,
            "REPLAY_SESSION_ID": self.session_id,
            **dict(spec.env),
        }
        return CommandDriver(tuple(spec.target), session_id=self.session_id, env=env, cwd=spec.cwd)

    def run_turn(self, turn: Turn) -> TurnRecord:
        """Send one user message; a failed turn is recorded with its error, never hidden."""
        user = self.factory.make(
            "user", turn.text, kind=USER, turn=turn.index, minutes=turn.minutes
        )
        context = TurnContext(turn.index, turn.minutes, turn.probe, turn.text, turn.reply)
        self.recorder.begin_turn(context, user)
        error: str | None = None
        text: str | None = None
        if self._driver is None:
            error = "the agent was not started"
        else:
            try:
                text = self._driver.send(turn.text, self.spec.timeout)
            except AgentError as exc:
                error = str(exc)
        captured = self.recorder.end_turn(text)
        if error is None:
            # Fail closed: an agent that papered over a failed model call did not complete.
            error = captured.failed_call
        if error is None and not captured.calls:
            error = (
                "the agent replied without any model call through replay's proxy, so its "
                f"model's input cannot be checked; point its model base URL at "
                f"{self.proxy.openai_base_url} (see docs/agents.md)"
            )
        if error is not None:
            # An agent's stderr or error text may echo a key it was given: never record it.
            error = redact(error, self.proxy.secrets())
        return captured.record(context, user, error)

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None
        self.proxy.stop()


def describe(spec: AdapterSpec) -> dict[str, Any]:
    """The agent as the trace header and reports describe it."""
    target = " ".join(spec.target) if isinstance(spec.target, tuple) else spec.target
    return {"type": spec.kind, "target": target, "timeout": spec.timeout}
