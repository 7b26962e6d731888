"""Which of a fuzzed framework preset's settings the scenario (or its fuzz ranges) replaces.

``policies: [crewai-legacy]`` in a scenario whose compaction says ``pin_system: true`` runs
CrewAI's summarization with the system prompt pinned, which CrewAI does not do, and the output
would still say "crewai-legacy". Overriding is allowed, not refused: several presets' notes
tell the user to override a setting to model a framework's other configuration (Semantic
Kernel 1.34.0's dropped system prompt, LangChain's SystemMessage kept in state). But the output
says so, one line per setting, with both values, so a result is never mistaken for the
framework's unmodified behaviour.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from replay.spec._fuzz import FuzzSpec, PolicyChoice
from replay.spec._loop import PRESETS, CompactionSpec, Preset
from replay.spec._scenario import Scenario

# The scenario keys (agent.compaction) that can replace a preset's value, and the
# CompactionSpec fields each one sets. "preset" and "policy" are not here: fuzzing a policy
# swaps them for the fuzzed name.
_KEYS: dict[str, tuple[str, ...]] = {
    "trigger": ("trigger_kind", "trigger_value"),
    "keep": ("keep_kind", "keep_value"),
    "head": ("head",),
    "pin_system": ("pin_system",),
    "summary_role": ("summary_role",),
    "summary_prefix": ("summary_prefix",),
    "token_counting": ("token_counting",),
    "summarizer": ("summarizer",),
}
# The fuzz ranges that replace a trigger or a keep in every variation (strategies.compaction_specs).
_RANGES = {"trigger_tokens": "trigger", "keep_messages": "keep"}


@dataclass(frozen=True)
class Override:
    """One preset setting that the fuzzed variations do not take from the preset."""

    policy: str
    """The fuzzed preset's name."""
    setting: str
    """The scenario key it concerns: "pin_system", "trigger", "keep", ..."""
    source: str
    """Where the replacing value comes from: "agent.compaction" or "fuzz.trigger_tokens"."""
    value: str
    """The replacing value, as the scenario writes it."""
    preset_value: str
    """The preset's own value, as a scenario would write it."""

    def __str__(self) -> str:
        if self.source == "agent.compaction":
            return (
                f"{self.policy}: the scenario's {self.setting}: {self.value} overrides the "
                f"preset ({self.preset_value})"
            )
        return (
            f"{self.policy}: {self.source}: {self.value} overrides the preset's {self.setting} "
            f"({self.preset_value})"
        )

    def to_json(self) -> dict[str, str]:
        return {
            "setting": self.setting,
            "source": self.source,
            "value": self.value,
            "preset_value": self.preset_value,
        }


def preset_overrides(
    scenario: Scenario, spec: FuzzSpec, choice: PolicyChoice
) -> tuple[Override, ...]:
    """The settings of ``choice`` (a framework preset) that the scenario's own compaction or
    the fuzz ranges replace, in the scenario's key order; () for a plain policy, your own
    agent, or a preset run as the preset sets it."""
    preset = PRESETS.get(choice.name)
    if preset is None or scenario.agent.adapter is not None:
        return ()
    written = _compaction(scenario)
    out: list[Override] = []
    for key, fields in _KEYS.items():
        if not any(f in preset.values for f in fields):
            continue  # the preset leaves it to the scenario (a required or default setting)
        ranged = next((r for r, k in _RANGES.items() if k == key), None)
        fuzz_range = getattr(spec, ranged) if ranged is not None else None
        if fuzz_range is not None:
            # Every variation draws this setting from the range, whatever the scenario says.
            out.append(
                Override(
                    choice.name,
                    key,
                    f"fuzz.{ranged}",
                    str(fuzz_range),
                    _preset_text(preset, key),
                )
            )
        elif key in written and _differs(preset, choice.spec, fields):
            out.append(
                Override(
                    choice.name,
                    key,
                    "agent.compaction",
                    _yaml(written[key]),
                    _preset_text(preset, key),
                )
            )
    return tuple(out)


def _compaction(scenario: Scenario) -> Mapping[str, Any]:
    agent = scenario.raw.get("agent")
    compaction = agent.get("compaction") if isinstance(agent, Mapping) else None
    return compaction if isinstance(compaction, Mapping) else {}


def _differs(preset: Preset, spec: CompactionSpec, fields: tuple[str, ...]) -> bool:
    return any(f in preset.values and getattr(spec, f) != preset.values[f] for f in fields)


def _preset_text(preset: Preset, key: str) -> str:
    values = preset.values
    if key in ("trigger", "keep"):
        kind, value = values.get(f"{key}_kind"), values.get(f"{key}_value")
        return "none" if kind is None else _yaml({kind: value})
    return _yaml(values[_KEYS[key][0]])


def _yaml(value: Any) -> str:
    """A value as a scenario file writes it: true, 720, {tokens: 720}, "text"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:39] + "…"
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    return str(value)
