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
agent: ``OPENAI_BASE_URL``/``ANTHROPIC_BASE_URL`` in the environment of a Python agent's process
and of a command, ``context.base_url`` too for Python, the fixed ``proxy_port`` for an HTTP
agent), which records the exact input of each call
and answers with the scenario's model. Each turn has a timeout; an agent that crashes, hangs or
answers nonsense ends the run with exit 3, naming the turn.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import inspect
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from replay.errors import RunIncomplete
from replay.loop._reference import MessageFactory
from replay.models._cassettes import redact
from replay.models._live import tls_context
from replay.proxy._recorder import CallRecorder, TurnContext
from replay.proxy._server import LEFT_BEHIND, RecordingProxy
from replay.spec._scenario import AdapterSpec, Turn
from replay.spec._vocab import USER
from replay.trace._records import Message, TurnRecord
from replay.trust._code import import_named

LEFT_BEHIND_GRACE = 5.0
"""Seconds a turn's end waits for the model calls still in flight to be answered."""


class AgentError(RunIncomplete, RuntimeError):
    """The agent under test failed a turn (crashed, hung, or answered nonsense)."""


# The worker's own AgentError: its process does not import replay (see _worker_program), and
# it only reports the message back, which replay's side raises as the AgentError above.
_WORKER_AGENT_ERROR = '''\
class AgentError(RuntimeError):
    """The agent failed to start or to answer (raised in the agent's own process)."""
'''


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


MAX_ANSWER_BYTES = 16 * 1024 * 1024
"""The largest answer (one JSON line, one HTTP body) an agent may send for one turn."""

STARTUP_TIMEOUT = 60.0
"""Seconds a python agent's interpreter, imports and factory may take at least (the scenario's
``timeout`` when it is longer): a library such as LangChain takes seconds to import."""

STDERR_TAIL_CHARS = 2000
"""How much of an agent's stderr a failure quotes (its end, after redaction)."""

_STDERR_LINE_BYTES = 64 * 1024
_TOO_LONG = b""  # in the line queue: the agent wrote a line longer than MAX_ANSWER_BYTES

# Environment variables whose values are credentials: *_API_KEY, *_TOKEN, *_SECRET, ...
_CREDENTIAL_NAME = re.compile(
    r"(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|PASSPHRASE|CREDENTIALS?|AUTH"
    r"|PAT|PRIVATE)(?:$|_)"
)
MIN_ENVIRONMENT_SECRET = 8
"""Shorter values of credential-looking variables ("1", "true") are settings, not keys."""


def environment_secrets(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The values of the credential-looking variables (``*_API_KEY``, ``*_TOKEN``, ...)."""
    env = os.environ if environ is None else environ
    return tuple(
        value
        for name, value in env.items()
        if _CREDENTIAL_NAME.search(name.upper()) and len(value.strip()) >= MIN_ENVIRONMENT_SECRET
    )


def _no_redaction(text: str) -> str:
    return text


def _timed_out(timeout: float, who: str = "the agent") -> str:
    return f"the turn timed out: {who} did not answer within {timeout:g}s (it was stopped)"


class _LineAgent:
    """A subprocess speaking JSON lines, every exchange bounded in wall-clock time.

    The pipes are read and written by daemon threads, so nothing the agent does (not reading
    its stdin, writing half a line, flooding stderr) can block replay past a turn's timeout;
    an agent that times out is killed at once.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: str | None,
        redact: Callable[[str], str],
    ) -> None:
        self.argv = tuple(argv)
        self._redact = redact
        try:
            self._process = subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=dict(env),
                cwd=cwd,
            )
        except OSError as exc:
            raise AgentError(f"cannot start the agent {' '.join(self.argv)}: {exc}") from exc
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._requests: queue.Queue[bytes | None] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=20)
        threads = [
            threading.Thread(target=target, daemon=True, name="replay-agent-io")
            for target in (self._read_stdout, self._read_stderr, self._write_stdin)
        ]
        for thread in threads:
            thread.start()
        self._stderr_reader = threads[1]

    def _read_stdout(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        with contextlib.suppress(OSError, ValueError):
            while line := stream.readline(MAX_ANSWER_BYTES + 1):
                if len(line) > MAX_ANSWER_BYTES:
                    self._lines.put(_TOO_LONG)
                    break
                self._lines.put(line)
        self._lines.put(None)

    def _read_stderr(self) -> None:
        stream = self._process.stderr
        assert stream is not None
        with contextlib.suppress(OSError, ValueError):
            while line := stream.readline(_STDERR_LINE_BYTES):
                text = line.decode("utf-8", errors="replace").rstrip("\r\n")
                self._stderr.append(self._redact(text))

    def _write_stdin(self) -> None:
        stream = self._process.stdin
        assert stream is not None
        with contextlib.suppress(OSError, ValueError):
            while (data := self._requests.get()) is not None:
                stream.write(data)
                stream.flush()
            stream.close()
        # On a broken pipe the agent has exited: its stdout ends and the turn says so.

    def _stderr_tail(self) -> str:
        tail = self._redact(" | ".join(list(self._stderr)[-5:]))
        if len(tail) > STDERR_TAIL_CHARS:
            tail = "..." + tail[-STDERR_TAIL_CHARS:]
        return f"; its stderr ends: {tail}" if tail else ""

    def _exchange(self, request: Mapping[str, Any], timeout: float, timed_out: str) -> Any:
        """Send one JSON line and return the JSON line answering it, within ``timeout``."""
        deadline = time.monotonic() + timeout
        self._requests.put((json.dumps(request) + "\n").encode("utf-8"))
        try:
            line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            self.kill()
            raise AgentError(timed_out) from None
        if line is None:
            raise AgentError(self._crashed())
        if line == _TOO_LONG:
            self.kill()
            raise AgentError(f"the agent wrote a line longer than {MAX_ANSWER_BYTES} bytes")
        text = line.decode("utf-8", errors="replace")
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            raise AgentError(
                f"the agent wrote a line that is not JSON: {text.strip()[:200]!r} (write "
                'one {"reply": "..."} line per turn on stdout; logs go to stderr)'
            ) from None

    def _crashed(self) -> str:
        try:
            code = self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "the agent closed its stdout" + self._stderr_tail()
        # The agent has exited: let the reader drain what it wrote to stderr last, which is
        # usually why (bounded: a child process may still hold the pipe open).
        self._stderr_reader.join(timeout=5)
        return f"the agent exited with status {code}" + self._stderr_tail()

    def kill(self) -> None:
        """Stop the agent now (a turn that timed out: whatever it is doing, the run ends)."""
        with contextlib.suppress(OSError):
            self._process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=10)

    def close(self) -> None:
        self._requests.put(None)  # closes its stdin: a well-behaved agent exits
        try:
            self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()


class CommandDriver(_LineAgent):
    """A subprocess agent speaking JSON lines on stdin/stdout."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        session_id: str,
        env: Mapping[str, str],
        cwd: str | None,
        redact: Callable[[str], str] = _no_redaction,
    ) -> None:
        self.session_id = session_id
        super().__init__(argv, env={**os.environ, **env}, cwd=cwd, redact=redact)

    def send(self, message: str, timeout: float) -> str:
        request = {"session_id": self.session_id, "message": message}
        answer = self._exchange(request, timeout, _timed_out(timeout))
        if isinstance(answer, dict) and isinstance(answer.get("error"), str):
            raise AgentError(f"the agent reported an error: {answer['error']}")
        if not isinstance(answer, dict) or not isinstance(answer.get("reply"), str):
            raise AgentError(
                f'the agent must answer {{"reply": "..."}}; got {json.dumps(answer)[:200]!r}'
            )
        return str(answer["reply"])


def build_python_agent(reference: str, context: AgentContext) -> Callable[[str], object]:
    """Import ``module:factory``, call it, and return the agent's reply function."""
    factory = import_named(
        reference,
        AgentError,
        prefix=f"agent {reference}: ",
        hint="is it in the scenario's folder, installed or on PYTHONPATH?",
    )
    try:
        takes_context = bool(inspect.signature(factory).parameters)
    except (TypeError, ValueError):
        takes_context = True
    try:
        agent = factory(context) if takes_context else factory()
    except Exception as exc:
        raise AgentError(f"agent factory {reference} raised {type(exc).__name__}: {exc}") from exc
    method = getattr(agent, "reply", None)
    if callable(method):
        return method  # type: ignore[no-any-return]
    if callable(agent):
        return agent
    raise AgentError(
        f"agent factory {reference} returned {type(agent).__name__}, which is neither "
        "callable nor has a reply(message) method"
    )


def python_agent_worker() -> None:
    """The subprocess a ``python`` agent runs in (see PythonDriver).

    Reads its setup line (reference, folder, context), builds the agent, then answers one JSON
    line per turn on the stdout it was started with; the agent's own prints go to stderr.
    """
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def say(answer: Mapping[str, object]) -> None:
        protocol.write(json.dumps(answer) + "\n")
        protocol.flush()

    setup = json.loads(sys.stdin.readline())
    # Only the scenario's own folder comes first: not the working directory ``-c`` put there.
    if sys.path and sys.path[0] == "":
        del sys.path[0]
    if setup["folder"]:
        sys.path.insert(0, setup["folder"])
    try:
        answer = build_python_agent(setup["reference"], AgentContext(**setup["context"]))
    except AgentError as exc:
        say({"failure": str(exc)})
        return
    say({"ready": True})
    for line in sys.stdin:
        message = json.loads(line)["message"]
        try:
            reply = answer(message)
        except Exception as exc:
            traceback.print_exc()
            say({"failure": f"the agent raised {type(exc).__name__}: {exc}"})
            continue
        if isinstance(reply, str):
            say({"reply": reply})
        else:
            say({"failure": f"the agent returned {type(reply).__name__}, expected str"})


def _worker_program() -> str:
    """The program a python agent's subprocess runs: this module's worker, without replay.

    Importing the ``replay`` package takes about a second (its matchers), paid by every
    scenario run; the worker needs none of it, only these few definitions (stdlib only).
    """
    parts: list[type[Any] | Callable[..., object]] = [
        AgentContext,
        import_named,
        build_python_agent,
        python_agent_worker,
    ]
    return "\n\n".join(
        [
            "from __future__ import annotations\n"
            "import inspect, json, os, sys, traceback\n"
            "from dataclasses import dataclass\n"
            "from typing import Callable, Mapping\n",
            _WORKER_AGENT_ERROR,
            *(inspect.getsource(part) for part in parts),
            "python_agent_worker()\n",
        ]
    )


class PythonDriver(_LineAgent):
    """A Python agent built by a factory, in a subprocess of its own.

    Its own interpreter makes the scenario's code its own (the scenario's folder first on its
    ``sys.path``, no module cached from another scenario's folder) and a turn that outlasts the
    timeout is ended by killing the process, whatever the agent's threads do.
    """

    def __init__(
        self,
        reference: str,
        context: AgentContext,
        folder: str | None = None,
        *,
        redact: Callable[[str], str] = _no_redaction,
        startup_timeout: float = STARTUP_TIMEOUT,
        proxy_env: Mapping[str, str] | None = None,
    ) -> None:
        """``proxy_env``: the proxy's URLs (:func:`proxy_environment`), set in the agent's
        environment over replay's own, so an SDK client built without a ``base_url`` reaches
        the proxy."""
        proxy_env = proxy_env or {}
        # What this process can import, the agent can too (after its own folder).
        path = [folder] if folder else []
        path += [entry or os.getcwd() for entry in sys.path]
        env = {
            **os.environ,
            **dict(proxy_env),
            "PYTHONPATH": os.pathsep.join(dict.fromkeys(path)),
        }
        program = _worker_program()
        super().__init__([sys.executable, "-c", program], env=env, cwd=None, redact=redact)
        setup = {"reference": reference, "folder": folder, "context": dataclasses.asdict(context)}
        try:
            hello = self._exchange(
                setup,
                startup_timeout,
                f"the agent {reference} did not start within {startup_timeout:g}s (it was stopped)",
            )
        except AgentError:
            self.kill()
            raise
        if not isinstance(hello, dict) or hello.get("ready") is not True:
            self.kill()
            failure = hello.get("failure") if isinstance(hello, dict) else None
            raise AgentError(str(failure or f"the agent {reference} did not start: {hello!r}"))

    def send(self, message: str, timeout: float) -> str:
        answer = self._exchange({"message": message}, timeout, _timed_out(timeout))
        if isinstance(answer, dict) and isinstance(answer.get("reply"), str):
            return str(answer["reply"])
        if isinstance(answer, dict) and isinstance(answer.get("failure"), str):
            raise AgentError(answer["failure"])
        raise AgentError(f"the agent's worker answered {answer!r}")


class HttpDriver:
    """An agent behind a chat endpoint: POST {session_id, message}, read {reply}.

    Each turn is bounded in wall-clock time from its start (httpx's timeout is per read, so a
    server trickling a byte at a time would stretch it without end): the request runs in a
    daemon thread, and at the deadline it is abandoned and the connection closed.
    """

    def __init__(self, url: str, session_id: str) -> None:
        self.url = url
        self.session_id = session_id
        self._client = httpx.Client(verify=tls_context())  # one CA bundle read per process

    def send(self, message: str, timeout: float) -> str:
        payload = {"session_id": self.session_id, "message": message}
        done = threading.Event()
        outcome: list[tuple[int, bytes] | BaseException] = []

        def post() -> None:
            try:
                outcome.append(self._post(payload, timeout))
            except BaseException as exc:  # handed to the turn, never lost in the thread
                outcome.append(exc)
            finally:
                done.set()

        threading.Thread(target=post, daemon=True, name="replay-http-agent").start()
        if not done.wait(timeout):
            self._client.close()  # the run ends with this turn; no later turn reuses it
            raise AgentError(_timed_out(timeout, f"the agent at {self.url}"))
        result = outcome[0]
        if isinstance(result, BaseException):
            if isinstance(result, httpx.TimeoutException):
                raise AgentError(_timed_out(timeout, f"the agent at {self.url}")) from None
            if isinstance(result, httpx.HTTPError):
                raise AgentError(f"cannot reach the agent at {self.url}: {result}") from None
            raise result
        status, body = result
        text = body.decode("utf-8", errors="replace")
        if status != 200:
            raise AgentError(f"the agent at {self.url} answered HTTP {status}: {text[:300]}")
        try:
            reply = json.loads(body)["reply"]
        except (ValueError, KeyError, TypeError, RecursionError):
            raise AgentError(
                f'the agent at {self.url} must answer JSON {{"reply": "..."}}; got {text[:200]!r}'
            ) from None
        if not isinstance(reply, str):
            raise AgentError(f"the agent at {self.url} sent a reply that is not text: {reply!r}")
        return reply

    def _post(self, payload: Mapping[str, str], timeout: float) -> tuple[int, bytes]:
        body = bytearray()
        with self._client.stream("POST", self.url, json=payload, timeout=timeout) as response:
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    raise AgentError(
                        f"the agent at {self.url} sent more than {MAX_ANSWER_BYTES} bytes"
                    )
            return response.status_code, bytes(body)

    def close(self) -> None:
        self._client.close()


def proxy_environment(proxy: RecordingProxy, session_id: str) -> dict[str, str]:
    """The variables a ``python`` or ``command`` agent's process gets, over replay's own
    environment: the proxy's URLs (credential included) where the OpenAI and Anthropic SDKs
    (and most frameworks) look for a base URL, so a client built without one reaches the
    proxy, never the URL replay's environment held (a real endpoint).

    No API key is set: an agent keeps the key its environment has (the proxy ignores it and
    redacts it from everything it records), or passes ``context.api_key``, a placeholder.
    """
    return {
        "OPENAI_BASE_URL": proxy.openai_base_url,
        "OPENAI_API_BASE": proxy.openai_base_url,  # the pre-1.0 openai SDK's name, LiteLLM's
        "ANTHROPIC_BASE_URL": proxy.anthropic_base_url,
        "REPLAY_PROXY_URL": proxy.url,
        "REPLAY_SESSION_ID": session_id,
    }


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
        self._environment_secrets = (
            *environment_secrets(),
            *environment_secrets(dict(spec.env)),
        )
        self._driver: Driver | None = None

    def start(self) -> AdapterAgent:
        """Start the proxy and the agent (raises AgentError if the agent cannot start)."""
        self.proxy.start()
        try:
            self._driver = self._make_driver()
        except AgentError as exc:
            raise AgentError(self.redact(str(exc))) from None
        return self

    def redact(self, text: str) -> str:
        """``text`` without any credential replay can see, in any form.

        The API keys the scenario names, the credentials the agent sent to the proxy, and the
        value of every credential-looking environment variable (``*_API_KEY``, ``*_TOKEN``,
        ``*_SECRET``, ``*_PASSWORD``, ...) of replay and of the agent, named or not.
        """
        return redact(text, (*self.proxy.secrets(), *self._environment_secrets))

    def _make_driver(self) -> Driver:
        spec = self.spec
        context = AgentContext(
            session_id=self.session_id,
            base_url=self.proxy.openai_base_url,
            anthropic_base_url=self.proxy.anthropic_base_url,
        )
        if spec.kind == "python":
            return PythonDriver(
                str(spec.target),
                context,
                spec.cwd,
                redact=self.redact,
                startup_timeout=max(spec.timeout, STARTUP_TIMEOUT),
                proxy_env=proxy_environment(self.proxy, self.session_id),
            )
        if spec.kind == "http":
            return HttpDriver(str(spec.target), self.session_id)
        env = {**proxy_environment(self.proxy, self.session_id), **dict(spec.env)}
        return CommandDriver(
            tuple(spec.target),
            session_id=self.session_id,
            env=env,
            cwd=spec.cwd,
            redact=self.redact,
        )

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
        # Fail closed: a model call still open when the turn ends is a call the trace would not
        # hold (a reply written from a call the model never finished, or one left running).
        # Answers being written back settle in milliseconds; what is left is recorded as an
        # interrupted call of this turn, which makes the turn fail.
        if self.proxy.settle(LEFT_BEHIND_GRACE):
            self.proxy.interrupt(LEFT_BEHIND)
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
            error = self.redact(error)
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
