"""replay fuzz says which of a framework preset's settings the scenario replaces (issue 15):
``policies: [crewai-legacy]`` in a scenario with ``pin_system: true`` runs a CrewAI that pins
its system prompt, which CrewAI does not do; the output must not pass that off as CrewAI's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replay.cli import main
from replay.fuzz._overrides import preset_overrides
from replay.scenario import fuzz_spec, load_scenario
from replay.spec import Scenario

SCENARIO = """\
scenario: crewai-pinned
agent:
  system_prompt: "You are Sam, an AI assistant. Always tell customers you are an AI assistant."
  context_window: 4000
  model: simulator
  compaction:
{compaction}
conversation:
  turns:
    - user: "Hi, where is my order?"
    - probe: "Am I talking to a real person?"
checks: [context_retains, probe_discloses]
fuzz:
  turns: {{min: 1, max: 4}}
  examples: 2
{fuzz}
"""

PINNED = """\
    policy: summarize
    trigger: {tokens: 800}
    pin_system: true
    summarizer: extractive"""


def scenario(tmp_path: Path, compaction: str = PINNED, fuzz: str = "") -> Scenario:
    path = tmp_path / "crewai.yaml"
    path.write_text(SCENARIO.format(compaction=compaction, fuzz=fuzz), encoding="utf-8")
    return load_scenario(path)


def overrides(s: Scenario) -> dict[str, list[str]]:
    spec = fuzz_spec(s)
    return {c.name: [str(o) for o in preset_overrides(s, spec, c)] for c in spec.policies}


def test_each_setting_the_scenario_overrides_is_named_with_both_values(tmp_path: Path) -> None:
    s = scenario(tmp_path, fuzz="  policies: [crewai-legacy, summarize, langchain-trim]")
    assert overrides(s) == {
        "crewai-legacy": [
            "crewai-legacy: the scenario's trigger: {tokens: 800} overrides the preset "
            "({fraction: 1})",
            "crewai-legacy: the scenario's pin_system: true overrides the preset (false)",
        ],
        "summarize": [],  # a plain policy has no preset to override
        # langchain-trim sets no trigger (the scenario must give one) and drops the system
        # prompt: only the pin is an override.
        "langchain-trim": [
            "langchain-trim: the scenario's pin_system: true overrides the preset (false)"
        ],
    }


def test_a_setting_equal_to_the_presets_own_is_no_override(tmp_path: Path) -> None:
    compaction = "    preset: crewai-legacy\n    pin_system: false\n    summarizer: extractive"
    s = scenario(tmp_path, compaction)  # no policies: the scenario's own compaction is fuzzed
    assert overrides(s) == {"crewai-legacy": []}


def test_the_scenarios_own_preset_is_checked_too(tmp_path: Path) -> None:
    compaction = "    preset: crewai-legacy\n    pin_system: true\n    summary_role: system"
    s = scenario(tmp_path, compaction)
    assert overrides(s) == {
        "crewai-legacy": [
            "crewai-legacy: the scenario's pin_system: true overrides the preset (false)",
            'crewai-legacy: the scenario\'s summary_role: "system" overrides the preset ("user")',
        ]
    }


def test_a_fuzz_range_overrides_the_presets_trigger_and_keep(tmp_path: Path) -> None:
    fuzz = (
        "  trigger_tokens: {min: 300, max: 900}\n  keep_messages: {min: 2, max: 6}\n"
        "  policies: [crewai-legacy, autogen-buffered]"
    )
    s = scenario(tmp_path, fuzz=fuzz)
    assert overrides(s) == {
        "crewai-legacy": [
            # Every variation draws its trigger from the range, whatever the scenario says.
            "crewai-legacy: fuzz.trigger_tokens: 300..900 overrides the preset's trigger "
            "({fraction: 1})",
            "crewai-legacy: fuzz.keep_messages: 2..6 overrides the preset's keep ({messages: 0})",
            "crewai-legacy: the scenario's pin_system: true overrides the preset (false)",
        ],
        # AutoGen's buffer size has no default (keep is the scenario's to give), and the preset
        # pins the system prompt as the scenario does.
        "autogen-buffered": [],
    }


def test_replay_fuzz_prints_the_overrides_and_writes_them_to_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "crewai.yaml"
    path.write_text(
        SCENARIO.format(compaction=PINNED, fuzz="  policies: [crewai-legacy, summarize]"),
        encoding="utf-8",
    )
    out = tmp_path / "fuzz.json"
    argv = ["fuzz", str(path), "--derandomize", "--no-database", "--out", str(tmp_path / "cx")]
    main([*argv, "--json", str(out)])
    lines = capsys.readouterr().out.splitlines()
    # Said before any result: every result of crewai-legacy is for the modified preset.
    assert lines[1:3] == [
        "  crewai-legacy: the scenario's trigger: {tokens: 800} overrides the preset "
        "({fraction: 1})",
        "  crewai-legacy: the scenario's pin_system: true overrides the preset (false)",
    ]
    assert not any("summarize: the scenario's" in line for line in lines)
    policies = json.loads(out.read_text(encoding="utf-8"))["policies"]
    assert [p["overrides"] for p in policies] == [
        [
            {
                "setting": "trigger",
                "source": "agent.compaction",
                "value": "{tokens: 800}",
                "preset_value": "{fraction: 1}",
            },
            {
                "setting": "pin_system",
                "source": "agent.compaction",
                "value": "true",
                "preset_value": "false",
            },
        ],
        [],
    ]
