"""``replay proxy``: the recording proxy as a standalone server, for agents run by hand or CI.

``replay check`` runs checks over a trace the standalone proxy (or ``replay run``) wrote.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType

from replay.errors import EXIT_INCOMPLETE, EXIT_INVALID, InvalidInput, Problem
from replay.loop._reference import MessageFactory
from replay.loop._tokens import TokenCounter, TokenizerUnavailable
from replay.models._cassettes import OFFLINE, Cassette, CassetteError
from replay.models._simulator import SimulatorModel
from replay.proxy._backends import Backend, CassetteBackend, ModelBackend, UpstreamBackend
from replay.proxy._recorder import CallRecorder
from replay.proxy._server import RecordingProxy
from replay.proxy._splitter import TurnSplitter
from replay.results import RunResult
from replay.scenario._load import scenario_from_mapping
from replay.spec._loop import DEFAULT_ENCODING
from replay.spec._scenario import DEFAULT_PERSONA, Scenario
from replay.spec._vocab import USER, Carrier
from replay.spec._words import count
from replay.trace._io import TraceWriter
from replay.trace._records import Message, TraceHeader, TurnRecord, lost_disclosures

# ----------------------------------------------------------------------------- start checks


@dataclass(frozen=True)
class StartProblem:
    """Something ``replay proxy`` needs and does not have, found before it listens.

    ``exit_code`` is 2 when the command line is wrong (fix the arguments: an ``--upstream`` URL
    of the wrong shape, a port number out of range) and 3 when the command is right but this
    machine cannot serve it now (the tokenizer vocabulary does not load, the port is taken),
    as ``replay run`` reports the same two conditions.
    """

    message: str
    exit_code: int


def upstream_problem(url: str) -> str | None:
    """What is wrong with an ``--upstream`` base URL, or None.

    It must be ``http`` or ``https`` with a host, and hold no credentials, query or fragment:
    each request's path is appended to it, and the agent's own ``Authorization`` /
    ``x-api-key`` header is what authenticates upstream. The message never quotes the URL's
    credentials or query (either may hold a key).
    """
    if url != url.strip() or any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        return "it holds spaces or control characters"
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not a number in 0-65535
    except ValueError as exc:
        return f"it is not a URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"{parts.scheme!r}" if parts.scheme else "none"
        return f"its scheme must be http or https (it has {shown}), e.g. https://api.openai.com/v1"
    if parts.username is not None or parts.password is not None:
        return (
            "it holds credentials (user:password@): remove them; the agent's own "
            "Authorization / x-api-key header is forwarded to the upstream"
        )
    if not parts.hostname:
        return "it has no host, e.g. https://api.openai.com/v1"
    if port == 0:
        return "its port is 0"
    if parts.query or url.endswith("?"):
        return "it has a query (?...): give the base URL only, e.g. https://api.openai.com/v1"
    if parts.fragment or "#" in url:
        return "it has a fragment (#...): give the base URL only, e.g. https://api.openai.com/v1"
    return None


def port_problem(port: int, host: str = "127.0.0.1") -> StartProblem | None:
    """Whether the proxy could listen on ``host:port``, found by binding without listening.

    A bound socket that never listens accepts no connection, so probing cannot let a client
    in; the proxy binds again to serve (a process that takes the port in between is reported
    the same way when that bind fails).
    """
    if not 0 <= port <= 65535:
        return StartProblem(
            f"--port {port} is not a port number: give one in 1-65535, or 0 (the default) for "
            "any free port",
            EXIT_INVALID,
        )
    if port == 0:
        return None  # the kernel picks a free one
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        # The server sets SO_REUSEADDR too (http.server does): a port in TIME_WAIT is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    except OSError as exc:
        return _bind_problem(port, exc)
    finally:
        probe.close()
    return None


def _bind_problem(port: int, exc: OSError) -> StartProblem:
    reason = exc.strerror or str(exc)
    return StartProblem(
        f"cannot listen on 127.0.0.1:{port} ({reason}): stop the process that holds it, pick "
        "another --port, or leave --port out to get any free port",
        EXIT_INCOMPLETE,
    )


def vocabulary_problem(encoding: str = DEFAULT_ENCODING) -> StartProblem | None:
    """Whether the tokenizer vocabulary loads (every recorded message's tokens are counted)."""
    try:
        TokenCounter(encoding).check_available()
    except TokenizerUnavailable as exc:
        cause = exc.__cause__ if exc.__cause__ is not None else exc
        where = os.environ.get("TIKTOKEN_CACHE_DIR")
        cache = f"TIKTOKEN_CACHE_DIR={where}" if where else "TIKTOKEN_CACHE_DIR is not set"
        detail = f"{type(cause).__name__}: {cause}"
        if len(detail) > 300:
            detail = detail[:300] + "..."
        return StartProblem(
            f"the tokenizer vocabulary {encoding!r} does not load ({cache}; {detail}). Set "
            "TIKTOKEN_CACHE_DIR to a folder holding tiktoken's vocabulary files (README, "
            "'Offline machines'), or allow this machine to download them",
            EXIT_INCOMPLETE,
        )
    return None


def start_problems(args: argparse.Namespace) -> list[StartProblem]:
    """Everything ``replay proxy`` needs, checked before it opens its trace or listens: the
    ``--upstream`` URL's shape, the port, the tokenizer vocabulary. All problems are
    reported at once, so one run names everything to fix."""
    problems: list[StartProblem] = []
    if args.upstream is not None:
        problem = upstream_problem(args.upstream)
        if problem is not None:
            problems.append(
                StartProblem(f"--upstream is not a usable base URL: {problem}", EXIT_INVALID)
            )
    port = port_problem(args.port)
    if port is not None:
        problems.append(port)
    vocabulary = vocabulary_problem()
    if vocabulary is not None:
        problems.append(vocabulary)
    return problems


def _refuse(problems: Iterable[StartProblem]) -> int:
    """Print each problem on a line of its own; exit 2 if any is the command line's."""
    problems = list(problems)
    for problem in problems:
        print(f"replay proxy: cannot start: {problem.message}", file=sys.stderr, flush=True)
    print("replay proxy: nothing was started", file=sys.stderr, flush=True)
    if any(p.exit_code == EXIT_INVALID for p in problems):
        return EXIT_INVALID
    return EXIT_INCOMPLETE


def _backend(args: argparse.Namespace) -> Backend:
    if args.upstream:
        return UpstreamBackend(args.upstream)
    if args.cassette is not None:
        if not args.cassette.exists():
            raise InvalidInput([Problem(str(args.cassette), 1, 1, "no such cassette file")])
        try:
            return CassetteBackend(Cassette(args.cassette, OFFLINE))
        except CassetteError as exc:
            raise InvalidInput([Problem(str(args.cassette), 1, 1, str(exc))]) from exc
    return ModelBackend(SimulatorModel(persona=args.persona or DEFAULT_PERSONA))


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(args: argparse.Namespace) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM), then finish the trace.

    Returns 0, or 3 when a model call was still unanswered (the trace is then incomplete).
    Before anything is opened or listened on, :func:`start_problems` checks what the proxy
    needs: a problem is one line on stderr each and exit 2 (the arguments) or 3 (this
    machine), and the port never accepts a connection.
    """
    problems = start_problems(args)
    backend: Backend | None = None
    try:
        backend = _backend(args)
    except InvalidInput as exc:  # a cassette that is missing or does not load
        problems += [StartProblem(str(p), EXIT_INVALID) for p in exc.problems]
    if problems or backend is None:
        close = getattr(backend, "close", None)
        if callable(close):
            close()
        return _refuse(problems)
    # The built-in disclosure, resolved the way a scenario would resolve it.
    probe = scenario_from_mapping(
        {
            "scenario": "proxy",
            "conversation": {"turns": [{"user": "-"}]},
            "checks": ["context_retains"],
        }
    )
    disclosures = tuple(d.id for d in probe.disclosures)
    factory = MessageFactory(TokenCounter(DEFAULT_ENCODING), probe.disclosures)
    recorder = CallRecorder(factory, disclosures)
    writer = TraceWriter.open(args.trace)
    writer.write(
        TraceHeader(
            scenario="proxy",
            source="replay proxy",
            disclosures=disclosures,
            agent={"type": "proxy", "backend": backend.name},
        )
    )
    splitter = TurnSplitter(recorder, writer.write)
    try:
        proxy = RecordingProxy(recorder, backend, port=args.port, before_call=splitter)
    except OSError as exc:  # the port was taken since it was checked
        writer.close(finished=False)
        return _refuse([_bind_problem(args.port, exc)])
    signal.signal(signal.SIGTERM, _stop)
    try:
        # Inside the try: a client that stops the proxy as soon as it read this line (SIGTERM
        # raised as KeyboardInterrupt) must get the orderly stop, not "interrupted", exit 3.
        print(
            f"replay proxy listening on {proxy.url} (OpenAI base URL {proxy.openai_base_url}, "
            f"Anthropic base URL {proxy.anthropic_base_url}); answering with {backend.name}; "
            f"trace: {args.trace}",
            flush=True,
        )
        proxy.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        # A second signal must not cut the trace short while it is being finished.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # Fail closed: a model call still unanswered is recorded as interrupted (its turn has
        # an error) and the end record says the run did not finish: exit 3 wherever it is read.
        proxy.stop()
        splitter.flush()
        writer.close(finished=proxy.interrupted == 0)
    if proxy.interrupted:
        print(
            f"replay proxy stopped with {count(proxy.interrupted, 'model call')} unanswered, "
            "recorded "
            f"as interrupted; the trace {args.trace} is incomplete",
            file=sys.stderr,
            flush=True,
        )
        return EXIT_INCOMPLETE
    print(f"replay proxy stopped; trace written to {args.trace}", file=sys.stderr, flush=True)
    return 0


# ----------------------------------------------------------------------------- replay check


class _Reannotator:
    """Annotates a recorded trace's messages with a scenario's disclosures.

    The standalone proxy annotates with the built-in disclosure; a scenario may name others.
    Message ids, kinds and token counts stay as recorded; what the messages state or instruct,
    and so what each observed compaction lost, is recomputed.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.factory = MessageFactory(TokenCounter(scenario.agent.encoding), scenario.disclosures)
        self.disclosures = tuple(d.id for d in scenario.disclosures)
        self._carriers: dict[Carrier, set[str]] = {}
        """Ids of the known messages holding each carrier."""
        self._user: Message | None = None
        """The latest user message: what the replies that follow answer."""

    def messages(self, messages: Iterable[Message]) -> tuple[Message, ...]:
        out = []
        for message in messages:
            fresh = self.factory.make(
                message.role,
                message.content,
                kind=message.kind,
                turn=message.turn,
                minutes=message.minutes,
                # As when it was recorded: a reply that only echoes the user states nothing.
                reply_to=self._user if message.role == "assistant" else None,
            )
            if message.kind == USER:
                self._user = message
            annotated = replace(
                message, disclosures=fresh.disclosures, instructions=fresh.instructions
            )
            for carrier in annotated.carriers():
                self._carriers.setdefault(carrier, set()).add(annotated.id)
            out.append(annotated)
        return tuple(out)

    def _carried(self, ids: set[str]) -> set[Carrier]:
        return {c for c, holders in self._carriers.items() if not holders.isdisjoint(ids)}

    def record(self, record: TurnRecord) -> TurnRecord:
        messages = self.messages(record.messages)
        reply_call = next((c for c in reversed(record.model_calls) if c.purpose == "reply"), None)
        context = set(reply_call.input) if reply_call is not None else set()
        compactions = tuple(
            replace(
                event,
                lost=lost_disclosures(
                    self.disclosures,
                    self._carried(context.union(event.removed)),
                    self._carried(context),
                ),
            )
            for event in record.compactions
        )
        return replace(record, messages=messages, compactions=compactions)


def check_recorded(trace: Path, scenario: Scenario | None = None) -> RunResult:
    """Run checks over a recorded trace: the scenario's (its disclosures and checks), or, without
    one, the checks the trace header names. Raises InvalidInput for an unusable trace.

    The reading and the verdict are ``replay report``'s (:func:`analyse_trace`): a trace cut
    short, stopped early or holding no turns is an error result (exit 3), never a pass.
    """
    from replay.reports._timeline import CheckPlan, analyse_trace

    plan = None
    if scenario is not None:
        reannotator = _Reannotator(scenario)

        def plan(header: TraceHeader) -> CheckPlan:
            return CheckPlan(
                specs=scenario.checks,
                disclosures=reannotator.disclosures,
                setup=reannotator.messages(header.setup),
                scenario=scenario.name,
                record=reannotator.record,
            )

    return analyse_trace(trace, plan=plan).result(path=str(trace))
