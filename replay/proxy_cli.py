"""``replay proxy``: the recording proxy as a standalone server, for agents run by hand or CI.

``replay check`` runs checks over a trace the standalone proxy (or ``replay run``) wrote.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from types import FrameType

from replay.agents import MessageFactory
from replay.cassettes import OFFLINE, Cassette, CassetteError
from replay.errors import EXIT_INCOMPLETE, InvalidInput, Problem
from replay.models import SimulatorModel
from replay.proxy import (
    Backend,
    CallRecorder,
    CassetteBackend,
    ModelBackend,
    RecordingProxy,
    TurnSplitter,
    UpstreamBackend,
)
from replay.runner import RunResult
from replay.scenario import DEFAULT_PERSONA, Scenario, scenario_from_mapping
from replay.tokens import DEFAULT_ENCODING, TokenCounter
from replay.trace import (
    USER,
    Carrier,
    Message,
    TraceHeader,
    TraceWriter,
    TurnRecord,
    lost_disclosures,
)


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
    """
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
    backend = _backend(args)
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
    proxy = RecordingProxy(recorder, backend, port=args.port, before_call=splitter)
    signal.signal(signal.SIGTERM, _stop)
    print(
        f"replay proxy listening on {proxy.url} (OpenAI base URL {proxy.openai_base_url}, "
        f"Anthropic base URL {proxy.anthropic_base_url}); answering with {backend.name}; "
        f"trace: {args.trace}",
        flush=True,
    )
    try:
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
            f"replay proxy stopped with {proxy.interrupted} model call(s) unanswered, recorded "
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
    from replay.reports.timeline import CheckPlan, analyse_trace

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
