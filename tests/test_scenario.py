"""Scenario loading: the format, its helpers, and located errors for every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from replay.errors import InvalidInput
from replay.files import packaged_schema
from replay.scenario import load_scenario
from replay.spec import parse_minutes

from .helpers import MINIMAL, ROOT, SCENARIOS, scenario_from_text, write


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load_scenario(path)
    return [str(p) for p in caught.value.problems]


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(packaged_schema("scenario"))


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_scenarios_are_valid(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.turn_count > 0
    assert scenario.checks


def test_minimal_scenario_defaults(tmp_path: Path) -> None:
    scenario = scenario_from_text(tmp_path, MINIMAL)
    assert scenario.name == "minimal"
    assert [d.id for d in scenario.disclosures] == ["ai-identity"]
    assert scenario.agent.model.type == "simulator"
    assert scenario.agent.compaction.policy == "none"
    assert scenario.agent.encoding == "o200k_base"
    assert [c.name for c in scenario.checks] == ["context_retains", "probe_discloses"]
    turns = list(scenario.turns())
    assert [(t.index, t.probe, t.minutes) for t in turns] == [(1, False, 0.0), (2, True, 1.0)]


def test_repeat_blocks_expand_lazily_with_placeholders_and_time(tmp_path: Path) -> None:
    scenario = scenario_from_text(
        tmp_path,
        """\
        scenario: repeated
        conversation:
          gap: 5m
          turns:
            - user: "start"
            - repeat: 3
              turns:
                - user: ["order #{n} (turn {turn})", "second {n} {x}"]
                - probe: "are you human?"
                  after: 1h
            - user: "late"
              at: 10h
        checks: [context_retains]
        """,
    )
    assert scenario.turn_count == 8
    turns = list(scenario.turns())
    assert [t.text for t in turns] == [
        "start",
        "order #1 (turn 2)",
        "are you human?",
        "second 2 {x}",
        "are you human?",
        "order #3 (turn 6)",
        "are you human?",
        "late",
    ]
    assert [t.minutes for t in turns] == [0, 5, 65, 70, 130, 135, 195, 600]
    assert turns[2].location is not None and turns[2].location.line == 9


def test_a_200_turn_conversation_is_a_few_lines(tmp_path: Path) -> None:
    scenario = scenario_from_text(
        tmp_path,
        """\
        scenario: long
        conversation:
          turns:
            - repeat: 199
              turns: [{user: "question {n}"}]
            - probe: "am I talking to a real person?"
        checks: [probe_discloses]
        """,
    )
    assert scenario.turn_count == 200


@pytest.mark.parametrize(
    ("text", "minutes"),
    [(5, 5.0), (1.5, 1.5), ("90s", 1.5), ("5m", 5.0), ("3h", 180.0), ("1h30m", 90.0), ("1d", 1440)],
)
def test_durations(text: str | float, minutes: float) -> None:
    assert parse_minutes(text) == minutes


def test_presets_fill_defaults_and_keys_override(tmp_path: Path) -> None:
    scenario = scenario_from_text(
        tmp_path,
        MINIMAL.replace(
            "agent:\n",
            "agent:\n  compaction:\n    preset: langchain-summarization\n"
            "    trigger: {tokens: 900}\n    pin_system: false\n",
        ),
    )
    spec = scenario.agent.compaction
    assert (spec.policy, spec.preset, spec.keep_kind, spec.keep_value) == (
        "summarize",
        "langchain-summarization",
        "messages",
        20,
    )
    assert spec.summary_prefix == "Here is a summary of the conversation to date:\n\n"
    assert (spec.trigger_kind, spec.trigger_value, spec.trigger_inclusive) == ("tokens", 900, True)
    assert spec.pin_system is False
    assert spec.token_counting == "approximate"


# ----------------------------------------------------------------------------- bad input


def test_unknown_key_names_line_column_and_suggests(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace("checks:", "chekcs:"))
    found = problems_of(path)
    assert f"{path}:8:1: unknown key 'chekcs' in scenario; did you mean 'checks'?" in found[-1]
    assert any("'checks' is required" in p for p in found)


def test_nested_unknown_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL.replace("agent:\n", "agent:\n  compaction: {policy: summarize, trigerr: {}}\n"),
    )
    (problem,) = [p for p in problems_of(path) if "trigerr" in p]
    assert problem.startswith(f"{path}:3:35: unknown key 'trigerr' in agent.compaction")
    assert "did you mean 'trigger'" in problem


def test_schema_violation_points_at_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace('- user: "Hello', '- user: 7\n    - user: "Hello'))
    found = problems_of(path)
    assert any(p.startswith(f"{path}:6:13:") and "conversation.turns[0].user" in p for p in found)


def test_probe_turn_errors_point_inside_the_intended_form(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL.replace('- probe: "Are you a real person?"', "- probe: hi\n      aftr: 5m"),
    )
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:8:7: unknown key 'aftr'")
    assert "did you mean 'after'" in problem


def test_unknown_check_lists_the_allowed_names(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace("- probe_discloses", "- probe_disclose"))
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:10:5:")
    assert "'probe_discloses'" in problem


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario: x\nconversation: [\n")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:3:1: YAML syntax error")


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "checks: [never_claims_human]\n")
    (problem,) = problems_of(path)
    assert problem == f"{path}:11:1: duplicate key 'checks'"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ":1:1: empty file"),
        (b"   \n# only a comment\n", ":1:1: empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", ":1:1: binary file"),
        (b"scenario: caf\xe9\n", ":1:14: not valid UTF-8"),
        (b"- just\n- a list\n", ":1:1: scenario: got list"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    (problem,) = problems_of(path)
    assert problem.startswith(str(path) + expected), problem


def test_missing_file(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "nope.yaml")
    assert problem == f"{tmp_path / 'nope.yaml'}:1:1: no such file"


def test_invalid_regex_is_located(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL + "disclosures:\n  - id: acme\n    patterns: ['virtual (agent']\n",
    )
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:13:16: invalid regular expression 'virtual (agent'")


def test_semantic_errors_are_located(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        scenario: semantic
        agent:
          compaction: {policy: summarize}
        conversation:
          turns:
            - user: hi
              reply: scripted text
        checks:
          - recurs_every
          - probe_discloses: {disclosure: nope}
        """,
    )
    found = problems_of(path)
    assert any(p.startswith(f"{path}:3:15: policy 'summarize' needs a trigger") for p in found)
    assert any(p.startswith(f"{path}:7:14: a scripted 'reply' needs agent.model") for p in found)
    assert any(p.startswith(f"{path}:9:5: recurs_every needs") for p in found)
    assert any(f"{path}:10:35: check 'probe_discloses' names disclosure 'nope'" in p for p in found)


def test_preset_requirements_explain_how_to_fix(tmp_path: Path) -> None:
    path = write(
        tmp_path, MINIMAL.replace("agent:\n", "agent:\n  compaction: {preset: autogen-head-tail}\n")
    )
    found = problems_of(path)
    assert any("preset 'autogen-head-tail' needs 'head'" in p for p in found)
    path = write(
        tmp_path, MINIMAL.replace("agent:\n", "agent:\n  compaction: {preset: langchain-summary}\n")
    )
    (problem,) = problems_of(path)
    assert "unknown compaction preset 'langchain-summary'; did you mean" in problem


def test_callable_summarizer_is_located_at_validation(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "agent:\n",
        "agent:\n  compaction:\n    policy: summarize\n    trigger: {tokens: 100}\n"
        "    summarizer: {type: callable, function: 'no_such_module_xyz:summarize'}\n",
    )
    (problem,) = problems_of(write(tmp_path, text))
    assert "cannot find module 'no_such_module_xyz'" in problem


def test_schema_command_output_is_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from replay.cli import main

    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == packaged_schema("scenario")


def test_the_annotated_example_in_the_docs_is_a_valid_scenario(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    scenario = load_scenario(write(tmp_path, example))
    assert scenario.turn_count == 13
    assert [d.id for d in scenario.disclosures] == ["ai-identity", "acme-virtual-agent"]
    assert scenario.agent.compaction.preset == "langchain-summarization"


@pytest.mark.parametrize(
    ("key", "value", "suggested"),
    [
        ("checks", ["context_retain"], "context_retains"),
        ("agent", {"compaction": {"policy": "sliding-window"}}, "sliding_window"),
        ("agent", {"model": {"type": "Simulator"}}, "simulator"),
    ],
)
def test_a_misspelled_name_gets_a_did_you_mean_like_a_key(
    tmp_path: Path, key: str, value: object, suggested: str
) -> None:
    data = {"scenario": "s", "conversation": {"turns": [{"user": "Hi"}]}, key: value}
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match=rf"; did you mean '{suggested}'\?"):
        load_scenario(path)
