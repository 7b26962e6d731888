"""Error messages a new user meets in the first hour say what to do next (issue 15)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from replay.cli import main

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_a_bare_replay_lists_its_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    err = capsys.readouterr().err
    for command in ("run", "validate", "check", "report", "fuzz"):
        assert f"\n    {command} " in err


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_checking_a_scenario_file_says_it_is_one_and_how_to_check_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    path = tmp_path / "s.yaml"
    if form == "yaml":
        shutil.copy(SCENARIOS / "support_bot_pinned.yaml", path)
    else:  # a scenario written as JSON, which YAML also reads: its first line is a JSON object
        path.write_text(json.dumps({"scenario": "s", "conversation": {"turns": []}}))
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr()
    assert (
        f"{path}:1:1: this is a scenario file, not a trace: `replay run FILE`" in out.out + out.err
    )


def test_show_of_a_turn_past_the_end_says_how_many_turns_there_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(
        ["run", str(SCENARIOS / "vacuous_no_probe.yaml"), "-q", "--trace-dir", str(tmp_path)]
    )
    capsys.readouterr()
    trace = tmp_path / "vacuous-no-probe.trace.jsonl"
    assert main(["show", str(trace), "--turn", "99"]) == 2
    assert "the trace has no turn 99: it has 2 turns (turns 1 to 2)" in capsys.readouterr().err


def test_replay_report_says_which_files_it_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    traces = tmp_path / "traces"
    assert (
        main(["run", str(SCENARIOS / "support_bot_pinned.yaml"), "-q", "--trace-dir", str(traces)])
        == 0
    )
    (traces / "notes.txt").write_text("not a trace\n", encoding="utf-8")
    (traces / "old.trace.json").write_text("{}\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["report", str(traces), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert (
        f"ignored 2 files in {traces} that are not traces (*.trace.jsonl): "
        "notes.txt, old.trace.json" in err
    )


def test_replay_report_of_a_report_folder_does_not_list_its_own_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "r"
    assert (
        main(["run", str(SCENARIOS / "support_bot_pinned.yaml"), "-q", "--report-dir", str(folder)])
        == 0
    )
    capsys.readouterr()
    assert main(["report", str(folder)]) == 0
    assert "ignored" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("policy", "example"),
    [("sliding_window", "trigger: {messages: 20}"), ("summarize", "trigger: {tokens: 4000}")],
)
def test_a_policy_without_a_trigger_gets_an_example_in_its_own_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str, example: str
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "scenario: s\nagent:\n  system_prompt: Always say you are an AI.\n"
        f"  compaction: {{policy: {policy}, keep: {{messages: 4}}}}\n"
        "conversation:\n  turns:\n    - user: hi\nchecks: [context_retains]\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 2
    assert f"{path}:4:15: policy {policy!r} needs a trigger, e.g. {example}" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("name", ["report", "manifest", "diff", "survival", "rulepack"])
def test_replay_schema_prints_every_shipped_schema(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    assert main(["schema", "--of", name]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
