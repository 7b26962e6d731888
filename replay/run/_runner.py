"""Replay: run a scenario through its agent under test, stream the trace, run the checks.

    Scenario --replay--> TurnRecords --(trace file) + (checks)--> RunResult

Nothing here keeps per-turn state: each turn record is written to the trace and shown to the
checks, then dropped, so memory stays flat however long the conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from replay.agents._adapters import AdapterAgent, AgentError
from replay.checks._runner import CheckRunner
from replay.checks._verdict import VerdictStream
from replay.errors import (
    InvalidInput,
    Problem,
    RunIncomplete,
)
from replay.limits._gate import Gate
from replay.loop._compaction import Compactor
from replay.loop._reference import MessageFactory, ReferenceAgent
from replay.loop._summarizers import ModelSummarizer, Summarizer, SummarizerError, build_summarizer
from replay.loop._tokens import TokenCounter, TokenizerUnavailable
from replay.models._base import Model, ModelError
from replay.models._cassettes import Cassette, CassetteError, default_mode
from replay.models._live import ChatClient
from replay.models._scripted import ScriptedModel
from replay.models._simulator import SimulatorModel
from replay.models._wire import WireReply
from replay.proxy._backends import ModelBackend
from replay.proxy._recorder import CallRecorder
from replay.proxy._server import GENERATE, RecordingProxy
from replay.results import RunResult
from replay.spec._models import LiveModelSpec
from replay.spec._scenario import Scenario, ScriptedReply
from replay.trace._io import TraceWriter
from replay.trace._records import ToolCall, TraceHeader, TurnRecord

NO_SCENARIO_TURNS = "the scenario has no turns, so nothing was checked"
"""The error of a run that replayed no turn (a scenario built in code with an empty script)."""


def build_live_model(
    spec: LiveModelSpec, record: str | None = None, gate: Gate | None = None
) -> ChatClient:
    """A live client for ``spec``, with its cassette in the mode ``record`` asks for.

    Raises RunIncomplete if it cannot be built (no key, no cassette to replay offline) and
    InvalidInput if the cassette file is unreadable.
    """
    cassette = None
    if spec.cassette is not None:
        path = Path(spec.cassette)
        mode = default_mode(path, record)
        if mode == "offline" and not path.exists():
            raise RunIncomplete(
                f"offline replay needs the cassette {path}, which does not exist; record it "
                "with --record"
            )
        try:
            cassette = Cassette(path, mode)
        except CassetteError as exc:
            raise InvalidInput([Problem(str(path), 1, 1, str(exc))]) from exc
    elif record is not None:
        option = "--offline" if record == "offline" else "--record"
        raise RunIncomplete(
            f"{option} needs a cassette file: set agent.model.cassette in the scenario"
        )
    try:
        return ChatClient(spec, cassette=cassette, gate=gate)
    except ModelError as exc:
        raise RunIncomplete(str(exc)) from exc


def build_model(scenario: Scenario, record: str | None = None, gate: Gate | None = None) -> Model:
    spec = scenario.agent.model
    if spec.live is not None:
        return build_live_model(spec.live, record, gate)
    if spec.type == "scripted":
        return ScriptedModel([wire_reply(r) for r in spec.replies], spec.default_reply)
    return SimulatorModel(
        persona=spec.persona,
        remind_every_minutes=spec.remind_every_minutes,
        # The conversation's own language comes first; none named: the simulator reads it.
        language=scenario.languages[0] if scenario.languages else None,
    )


def wire_reply(reply: str | ScriptedReply) -> str | WireReply:
    """A scenario's scripted reply as the scripted model answers it."""
    if isinstance(reply, str):
        return reply
    calls = tuple(ToolCall(c.id or "", c.name, c.arguments) for c in reply.tool_calls)
    return WireReply(reply.text, tool_calls=calls)


def describe_agent(scenario: Scenario) -> dict[str, Any]:
    agent = scenario.agent
    if agent.adapter is not None:
        from replay.agents._adapters import describe

        return {**describe(agent.adapter), "model": agent.model.type, "encoding": agent.encoding}
    return {
        "type": "reference",
        "model": agent.model.type,
        "compaction": agent.compaction.describe(),
        "summarizer": agent.compaction.summarizer.type,
        "encoding": agent.encoding,
        "context_window": agent.context_window,
        "system_prompt": agent.system_prompt is not None,
        "budget_tokens": budget_tokens(scenario),
        "budget_counting": agent.compaction.token_counting,
    }


def budget_tokens(scenario: Scenario) -> int | None:
    """The token count at which compaction fires, if it is set in tokens (for report charts)."""
    spec, window = scenario.agent.compaction, scenario.agent.context_window
    if spec.policy == "none" or spec.trigger_kind is None:
        return None
    if spec.trigger_kind == "tokens":
        return int(spec.trigger_value)
    if spec.trigger_kind == "fraction" and window is not None:
        return int(spec.trigger_value * window)
    return None


def build_adapter_agent(
    scenario: Scenario, record: str | None = None, gate: Gate | None = None
) -> AdapterAgent:
    """Your agent behind an adapter, its model calls answered through the recording proxy."""
    agent = scenario.agent
    assert agent.adapter is not None
    counter = TokenCounter(agent.encoding)
    try:
        counter.check_available()
    except TokenizerUnavailable as exc:
        raise RunIncomplete(f"{scenario.path}: {exc}") from exc
    factory = MessageFactory(counter, scenario.disclosures)
    model = build_model(scenario, record, gate)
    recorder = CallRecorder(factory, tuple(d.id for d in scenario.disclosures))
    try:
        # An http agent's service was configured with the proxy's URL before the run: it
        # cannot know a per-run credential (docs/agents.md, the proxy's trust model).
        credential = None if agent.adapter.kind == "http" else GENERATE
        proxy = RecordingProxy(
            recorder, ModelBackend(model), port=agent.adapter.proxy_port, credential=credential
        )
    except OSError as exc:
        raise RunIncomplete(
            f"cannot start the recording proxy on 127.0.0.1:{agent.adapter.proxy_port}: {exc}"
        ) from exc
    adapter = AdapterAgent(spec=agent.adapter, factory=factory, recorder=recorder, proxy=proxy)
    try:
        return adapter.start()
    except AgentError as exc:
        adapter.close()
        raise RunIncomplete(f"{scenario.path}: {exc}") from exc


def build_agent(
    scenario: Scenario, record: str | None = None, gate: Gate | None = None
) -> ReferenceAgent | AdapterAgent:
    """The agent a scenario describes (raises RunIncomplete if it cannot be built).

    ``record`` is the cassette mode asked for on the command line (None: the default);
    ``gate`` the run's shared rate limits, through which every live model call goes.
    """
    agent = scenario.agent
    if agent.adapter is not None:
        return build_adapter_agent(scenario, record, gate)
    counter = TokenCounter(agent.encoding)
    try:
        counter.check_available()
        spec = agent.compaction.summarizer
        summarizer: Summarizer
        if spec.type == "model" and spec.model is not None:
            # Built here, not in build_summarizer, so it shares the cassette mode of the run.
            summarizer = ModelSummarizer(build_live_model(spec.model, record, gate), spec.prompt)
        else:
            summarizer = build_summarizer(
                spec, agent.compaction.summary_prefix, Path(scenario.path).parent
            )
    except (TokenizerUnavailable, SummarizerError) as exc:
        raise RunIncomplete(f"{scenario.path}: {exc}") from exc
    return ReferenceAgent(
        system_prompt=agent.system_prompt,
        opening=agent.opening,
        model=build_model(scenario, record, gate),
        compactor=Compactor(agent.compaction, agent.context_window),
        summarizer=summarizer,
        factory=MessageFactory(counter, scenario.disclosures),
        summary_role=agent.compaction.summary_role,
        summary_prefix=agent.compaction.summary_prefix,
        pin_system=agent.compaction.pin_system,
    )


def run_scenario(
    scenario: Scenario,
    trace_path: Path | None = None,
    on_turn: Callable[[TurnRecord], None] | None = None,
    cassette_mode: str | None = None,
    gate: Gate | None = None,
) -> RunResult:
    """Replay ``scenario`` and check its trace; write the trace to ``trace_path`` if given.

    ``cassette_mode`` is how a live model uses its cassette ("offline", "new_episodes", "all";
    None: offline when the cassette exists, else record it). ``gate``: the run's shared rate
    limits (replay.limits), which every live model call waits for.

    A turn that fails (model or summarizer error) ends the replay and the result's verdict is
    "error": the checks' findings so far are kept, but the run is never reported compliant.
    The verdict is :class:`~replay.checks._verdict.VerdictStream`'s, as when the trace is read
    back by ``replay check`` or ``replay report``.
    """
    agent = build_agent(scenario, cassette_mode, gate)
    description = describe_agent(scenario)
    header = TraceHeader(
        scenario=scenario.name,
        source=scenario.path,
        disclosures=tuple(d.id for d in scenario.disclosures),
        agent=description,
        setup=agent.setup,
        checks=tuple(c.to_json() for c in scenario.checks),
        rules=scenario.rules,
        regulations=scenario.regulations,
    )
    try:
        writer = TraceWriter.open(trace_path) if trace_path else None
    except BaseException:
        agent.close()  # an adapter agent holds a subprocess and the proxy's port
        raise
    stream = VerdictStream(
        CheckRunner(scenario.checks, header.disclosures, agent.setup), empty=NO_SCENARIO_TURNS
    )
    finished = False
    try:
        if writer:
            writer.write(header)
        for turn in scenario.turns():
            record = agent.run_turn(turn)
            if writer:
                writer.write(record)
            stream.observe(record)
            if on_turn:
                on_turn(record)
            if stream.stopped:  # a failed turn ends the replay: the agent cannot go on
                break
        finished = True
    finally:
        agent.close()
        if writer:
            writer.close(finished)
    return stream.finish().result(
        scenario=scenario.name,
        path=scenario.path,
        trace_path=str(trace_path) if trace_path else None,
        regulations=scenario.regulations,
        agent=description,
        rules=scenario.rules,
    )


def incomplete_result(scenario: Scenario, error: str) -> RunResult:
    """The result of a scenario whose run could not complete (it could not start, or a file
    it reads or writes failed): no turns, no checks, the error. Never compliant."""
    return RunResult(
        scenario.name,
        scenario.path,
        0,
        0,
        (),
        error=error,
        regulations=scenario.regulations,
        agent=describe_agent(scenario),
        rules=scenario.rules,
    )
