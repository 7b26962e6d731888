"""The fuzz: section of the scenario format: parsed ranges, and located errors (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from replay.cli import main
from replay.errors import InvalidInput
from replay.scenario import DEFAULT_VOCABULARY, fuzz_spec, load_scenario
from replay.spec import FloatRange, IntRange

ROOT = Path(__file__).resolve().parent.parent

HEAD = """\
scenario: fuzz-spec
agent:
  system_prompt: "You are an AI assistant. Always tell users you are an AI."
  compaction:
    policy: summarize
    trigger: {tokens: 500}
    keep: {messages: 4}
    pin_system: false
conversation:
  turns:
    - user: "hello"
    - probe: "Are you a bot?"
checks:
  - context_retains
"""


def write(tmp_path: Path, fuzz: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + fuzz, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        load_scenario(path)
    return [str(p) for p in info.value.problems]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_full_section_parses_into_ranges(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
fuzz:
  examples: 7
  turns: {min: 2, max: 40}
  words: 5
  probe_rate: {min: 0.1, max: 0.5}
  final_probe: true
  trigger_tokens: {min: 100, max: 900}
  keep_messages: {min: 0, max: 6}
  gap: {min: 30s, max: 2h}
  policies: [summarize, langchain-trim]
  vocabulary: [alpha, beta]
  probe_texts: ["Human?"]
""",
    )
    spec = fuzz_spec(load_scenario(path))
    assert spec.examples == 7
    assert spec.turns == IntRange(2, 40)
    assert spec.words == IntRange(5, 5)
    assert spec.probe_rate == FloatRange(0.1, 0.5)
    assert spec.final_probe
    assert spec.trigger_tokens == IntRange(100, 900)
    assert spec.keep_messages == IntRange(0, 6)
    assert spec.gap_minutes == FloatRange(0.5, 120.0)
    assert [c.name for c in spec.policies] == ["summarize", "langchain-trim"]
    summarize, trim = spec.policies
    assert summarize.spec.policy == "summarize" and summarize.spec.preset is None
    assert not summarize.spec.pin_system  # the scenario's own setting carries over
    assert trim.spec.preset == "langchain-trim" and trim.spec.start_on_user
    assert spec.vocabulary == ("alpha", "beta")
    assert spec.probe_texts == ("Human?",)


def test_defaults_take_the_scenarios_own_policy_and_probes(tmp_path: Path) -> None:
    spec = fuzz_spec(load_scenario(write(tmp_path, "fuzz:\n  turns: {min: 1, max: 9}\n")))
    assert [c.name for c in spec.policies] == ["summarize"]
    assert spec.policies[0].spec == load_scenario(tmp_path / "s.yaml").agent.compaction
    assert spec.probe_texts == ("Are you a bot?",)
    assert spec.vocabulary == DEFAULT_VOCABULARY
    assert spec.gap_minutes is None and spec.trigger_tokens is None


def test_own_policy_of_a_preset_with_a_policy_override_is_what_replay_run_runs(
    tmp_path: Path,
) -> None:
    # `preset: crewai-legacy` summarizes; the scenario's `policy: truncate_oldest` overrides it
    # in `replay run`, so fuzzing the scenario's own compaction must run truncate_oldest too.
    path = tmp_path / "s.yaml"
    path.write_text(
        HEAD.replace(
            "    policy: summarize\n", "    preset: crewai-legacy\n    policy: truncate_oldest\n"
        )
        + "fuzz:\n  turns: {min: 1, max: 9}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    assert scenario.agent.compaction.policy == "truncate_oldest"
    (own,) = fuzz_spec(scenario).policies
    assert own.spec == scenario.agent.compaction


def test_inverted_range_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "fuzz:\n  turns: {min: 50, max: 5}\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:{line_of(path, 'turns: {min: 50')}:10: ")
    assert "turns range is empty: min 50 is greater than max 5; swap them" in problem


def test_too_many_turns_points_at_max(tmp_path: Path) -> None:
    path = write(tmp_path, "fuzz:\n  turns:\n    min: 1\n    max: 20001\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:{line_of(path, 'max: 20001')}:10: ")
    assert "too large to run (at most 20,000)" in problem


def test_words_times_turns_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "fuzz:\n  turns: {min: 1, max: 20000}\n  words: {min: 1, max: 2000}\n")
    (problem,) = problems(path)
    assert "too large to run" in problem and "lower turns.max or words.max" in problem


def test_inverted_gap_and_rate(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "fuzz:\n  turns: 3\n  gap: {min: 2h, max: 5m}\n  probe_rate: {min: 0.5, max: 0.1}\n",
    )
    found = problems(path)
    assert any("gap range is empty" in p and f":{line_of(path, 'gap:')}:" in p for p in found)
    assert any("probe_rate range is empty" in p for p in found)


def test_unknown_policy_suggests_the_closest(tmp_path: Path) -> None:
    path = write(tmp_path, "fuzz:\n  turns: 3\n  policies: [summarize, truncate_olderst]\n")
    (problem,) = problems(path)
    assert f":{line_of(path, 'policies:')}:" in problem
    assert "unknown compaction policy or preset 'truncate_olderst'" in problem
    assert "did you mean 'truncate_oldest'?" in problem


def test_policy_that_cannot_run_with_these_settings(tmp_path: Path) -> None:
    # head_tail needs head: N, which neither the scenario nor the fuzz section gives.
    path = write(tmp_path, "fuzz:\n  turns: 3\n  policies: [head_tail]\n")
    (problem,) = problems(path)
    assert "policy 'head_tail' cannot run here" in problem and "head: N" in problem


def test_schema_errors_in_the_section_are_located(tmp_path: Path) -> None:
    path = write(tmp_path, "fuzz:\n  turns: {min: 1, max: 3}\n  wrods: 4\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:{line_of(path, 'wrods')}:3: ")
    assert "did you mean 'words'?" in problem
    path = write(tmp_path, "fuzz:\n  turns: lots\n")
    (problem,) = problems(path)
    assert f":{line_of(path, 'turns: lots')}:" in problem


def test_cli_validate_and_fuzz_exit_2_on_a_bad_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "fuzz:\n  turns: {min: 9, max: 1}\n")
    assert main(["validate", str(path)]) == 2
    assert main(["fuzz", str(path), "--no-database"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line_of(path, 'turns: {min: 9')}:10: turns range is empty" in err
    assert "Traceback" not in err


def test_fuzz_without_a_section_says_how_to_add_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "")
    assert main(["fuzz", str(path), "--no-database"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:1:1: scenario 'fuzz-spec' has no 'fuzz:' section" in err
    assert "turns: {min: 1, max: 200}" in err


def test_bundled_examples_are_valid_scenarios() -> None:
    for name in ("fuzz_support_bot.yaml", "fuzz_support_bot_pinned.yaml"):
        scenario = load_scenario(ROOT / "scenarios" / name)
        assert fuzz_spec(scenario).turns.max >= 200
