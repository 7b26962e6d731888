"""``replay proxy``: the recording proxy as a standalone server, for agents run by hand or CI."""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from replay.agents import MessageFactory
from replay.cassettes import OFFLINE, Cassette, CassetteError
from replay.errors import InvalidInput, Problem
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
from replay.scenario import DEFAULT_PERSONA, scenario_from_mapping
from replay.tokens import DEFAULT_ENCODING, TokenCounter
from replay.trace import TraceHeader, TraceWriter


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
    """Serve until interrupted (Ctrl-C or SIGTERM), then finish the trace; returns exit 0."""
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
        f"Anthropic base URL {proxy.url}); answering with {backend.name}; trace: {args.trace}",
        flush=True,
    )
    try:
        proxy.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        proxy.stop()
        splitter.flush()
        writer.close()
    print(f"replay proxy stopped; trace written to {args.trace}", file=sys.stderr, flush=True)
    return 0
