"""How far a scenario's conversation gets towards its compaction trigger, without a model.

A trigger above what the conversation reaches means compaction never runs, and a scenario
about a disclosure surviving compaction then passes without having seen one. ``replay
validate`` warns about it (:func:`compaction_reach`).

The count is the reference loop's own: the conversation is replayed by
:class:`~replay.loop.ReferenceAgent` with the scenario's model, message factory and
compactor, but a compactor that only measures, as the loop measures just before each model
call (``Compactor.tokens``, or the history's messages), and never compacts. Until the trigger
first fires, a real run is exactly that replay, so the measure is the one a run would see;
replaying is also the only faithful way to know the simulator's replies. It is computed only
where that runs nothing of the user's and touches no network:

- the reference loop (your own agent is never run by validation);
- the simulator or a scripted model (a live model's replies are unknown before the run, and
  replaying its cassette is the run's business);
- at most :data:`MAX_TURNS` turns replayed (the replay stops at the first trigger, so only
  conversations that never reach theirs run this far);

and no summarizer runs (nothing is compacted), so a ``callable`` summarizer's code is never
imported. Elsewhere :func:`compaction_reach` returns None: it cannot be computed, and validate
says nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from replay.spec._scenario import Location, Scenario, ScriptedReply

if TYPE_CHECKING:
    from replay.loop._compaction import Context, MakeMarker, Summarize
    from replay.trace._records import CompactionEvent

MAX_TURNS = 2_000
"""Turns replayed at most to find out; a longer conversation that has not triggered by then
is not followed further. Validation stays quick: 2,000 simulator turns take about 1 s of CPU
(10,000 took 6.5 s, the simulator's work grows with the context)."""


@dataclass(frozen=True)
class Reach:
    """The most the trigger's measure reached before each model call, and the trigger."""

    unit: Literal["tokens", "messages"]
    reached: int
    """The measure at the model call where it was highest (the last one, when nothing is
    compacted: the conversation only grows)."""
    threshold: float
    inclusive: bool
    """The trigger fires when the measure reaches the threshold, not only when it exceeds it."""
    triggers: bool
    """Some model call of the conversation would see the trigger fire."""
    location: Location | None
    """Where the trigger was written (or the preset that sets it)."""
    detail: str = ""
    """How the threshold is derived or counted, e.g. "0.9 of context_window 4000"."""

    def warning(self) -> str | None:
        """``FILE:LINE:COL: compaction never triggers: ...``, or None when it triggers."""
        if self.triggers:
            return None
        where = f"{self.location}: " if self.location is not None else ""
        edge = (
            "; it fires only above that"
            if not self.inclusive and self.reached == self.threshold
            else ""
        )
        return (
            f"{where}compaction never triggers: the conversation reaches at most "
            f"{self.reached} {self.unit}, the trigger is {self.threshold:g}"
            f"{f' ({self.detail})' if self.detail else ''}{edge}"
        )


def compaction_reach(scenario: Scenario) -> Reach | None:
    """How far the conversation gets towards the compaction trigger; None where that cannot
    be computed without running a model or the user's code (see the module docstring), or
    the scenario has no trigger."""
    agent = scenario.agent
    spec = agent.compaction
    model = agent.model
    if (
        agent.adapter is not None
        or spec.policy == "none"
        or spec.trigger_kind is None
        or model.live is not None
        or model.type not in ("simulator", "scripted")
    ):
        return None
    # Imported here: validation of a scenario without compaction never loads the loop.
    from replay.loop._compaction import Compactor
    from replay.loop._reference import MessageFactory, ReferenceAgent
    from replay.loop._summarizers import ExtractiveSummarizer
    from replay.loop._tokens import APPROXIMATE, TokenCounter, TokenizerUnavailable
    from replay.models._scripted import ScriptedModel
    from replay.models._simulator import SimulatorModel

    class MeasuringCompactor(Compactor):
        """The scenario's compactor, measuring where it would compact, compacting nothing."""

        reached = 0
        fired = False

        def apply(
            self,
            context: Context,
            disclosures: Sequence[str],
            summarize: Summarize,
            make_marker: MakeMarker,
        ) -> CompactionEvent | None:
            self.reached = max(self.reached, self.measure(context)[0])
            self.fired = self.fired or self.triggered(context) is not None
            return None

    # Tiktoken's counts only where the trigger measures with them: a message-count trigger
    # or LangChain's approximate counting gives the same measure with the cheap counter.
    exact = spec.trigger_kind != "messages" and spec.token_counting != "approximate"
    counter = TokenCounter(agent.encoding if exact else APPROXIMATE)
    try:
        counter.check_available()
    except TokenizerUnavailable:
        return None  # a run would stop at the same place (exit 3), and say why
    compactor = MeasuringCompactor(spec, agent.context_window)
    replies = [r.text if isinstance(r, ScriptedReply) else r for r in model.replies]
    loop = ReferenceAgent(
        system_prompt=agent.system_prompt,
        opening=agent.opening,
        model=(
            ScriptedModel(replies, model.default_reply)
            if model.type == "scripted"
            else SimulatorModel(
                persona=model.persona,
                remind_every_minutes=model.remind_every_minutes,
                language=scenario.languages[0] if scenario.languages else None,
            )
        ),
        compactor=compactor,
        summarizer=ExtractiveSummarizer(),  # never called: nothing is compacted
        factory=MessageFactory(counter, scenario.disclosures),
        pin_system=spec.pin_system,
    )
    for replayed, turn in enumerate(scenario.turns()):
        if replayed == MAX_TURNS:
            return None  # not triggered within MAX_TURNS turns: not followed further
        record = loop.run_turn(turn)
        if compactor.fired:
            break
        if record.error is not None:
            return None  # the run stops here too, and says why (exit 3)
    return Reach(
        unit="messages" if spec.trigger_kind == "messages" else "tokens",
        reached=compactor.reached,
        threshold=compactor.threshold(),
        inclusive=spec.trigger_inclusive,
        triggers=compactor.fired,
        location=_trigger_location(scenario),
        detail=_detail(scenario),
    )


def _detail(scenario: Scenario) -> str:
    spec = scenario.agent.compaction
    parts = []
    if spec.trigger_kind == "fraction":
        parts.append(f"{spec.trigger_value:g} of context_window {scenario.agent.context_window}")
    if spec.trigger_kind != "messages" and spec.token_counting == "approximate":
        parts.append("tokens counted approximately, as the preset does")
    if spec.trigger_kind != "messages" and not spec.count_pinned and spec.pin_system:
        parts.append("the pinned system prompt not counted")
    return "; ".join(parts)


def _trigger_location(scenario: Scenario) -> Location | None:
    """The trigger's line, or the preset's when the preset sets the trigger."""
    if scenario.source is None:
        return None
    agent = scenario.raw.get("agent")
    compaction = agent.get("compaction") if isinstance(agent, Mapping) else None
    keys = compaction if isinstance(compaction, Mapping) else {}
    key = next((k for k in ("trigger", "preset", "policy") if k in keys), None)
    path = ("agent", "compaction", key) if key is not None else ("agent", "compaction")
    line, column = scenario.source.locate(path)
    return Location(scenario.source.file, line, column)
