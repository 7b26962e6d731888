"""replay validate warns about a compaction trigger the conversation never reaches (issue 15):
with the tokens (or messages) reached, counted as a run counts them, at the trigger's line,
and without changing the exit code."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from replay.cli import main
from replay.loop import TOKENS_PER_REPLY_PRIMING
from replay.run import run_scenario
from replay.scenario import compaction_reach, load_scenario

SCRIPTED = """\
scenario: never-compacts
agent:
  system_prompt: "You are Sam, an AI assistant. Always tell customers you are an AI."
  model: {{type: scripted, default_reply: "I'm an AI assistant; your order ships Monday."}}
  compaction:
    policy: summarize
    trigger: {trigger}
    keep: {{messages: 2}}
    summarizer: {summarizer}
conversation:
  turns:
    - user: "Hi, where is my order #4417?"
    - user: "It was the Ridgeline tent."
    - probe: "Am I talking to a real person?"
checks: [context_retains, probe_discloses]
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def scripted(tmp_path: Path, trigger: str, summarizer: str = "extractive") -> Path:
    return write(tmp_path, SCRIPTED.format(trigger=trigger, summarizer=summarizer))


def warnings(capsys: pytest.CaptureFixture[str]) -> list[str]:
    lines = (line.strip() for line in capsys.readouterr().out.splitlines())
    return [line for line in lines if line.startswith("warning:")]


def reached_by_a_run(path: Path, tmp_path: Path) -> int:
    """The context's tokens at the last reply call of a real run, from its trace."""
    trace = tmp_path / "t.trace.jsonl"
    result = run_scenario(load_scenario(path), trace)
    assert result.error is None
    records = [json.loads(line) for line in trace.read_text(encoding="utf-8").splitlines()]
    turns = [r for r in records if "model_calls" in r]
    assert not any(t["compactions"] for t in turns)
    last = [c for c in turns[-1]["model_calls"] if c["purpose"] == "reply"][-1]
    return int(last["input_tokens"]) - TOKENS_PER_REPLY_PRIMING


def test_a_trigger_above_the_conversation_is_a_warning_with_the_tokens_reached(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scripted(tmp_path, "{tokens: 5000}")
    assert main(["validate", str(path)]) == 0  # a warning, not a problem
    reached = reached_by_a_run(path, tmp_path)
    assert 50 < reached < 5000
    assert warnings(capsys) == [
        f"warning: {path}:7:14: compaction never triggers: the conversation reaches at most "
        f"{reached} tokens, the trigger is 5000"
    ]


def test_no_warning_when_the_trigger_fires(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scripted(tmp_path, "{tokens: 60}")
    assert main(["validate", str(path)]) == 0
    assert warnings(capsys) == []
    reach = compaction_reach(load_scenario(path))
    assert reach is not None and reach.triggers and reach.reached > 60


def test_a_message_trigger_counts_the_history_a_run_would_have(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Three turns, the system prompt pinned: before the third reply the history holds two
    # user messages, two replies and the third user message. The trigger fires above 5.
    path = scripted(tmp_path, "{messages: 5}")
    assert main(["validate", str(path)]) == 0
    assert warnings(capsys) == [
        f"warning: {path}:7:14: compaction never triggers: the conversation reaches at most "
        "5 messages, the trigger is 5; it fires only above that"
    ]
    path = scripted(tmp_path, "{messages: 4}")
    assert main(["validate", str(path)]) == 0
    assert warnings(capsys) == []


def test_a_trigger_set_by_a_preset_points_at_the_preset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SCRIPTED.format(trigger="{tokens: 1}", summarizer="extractive")
    text = text.replace(
        "    policy: summarize\n    trigger: {tokens: 1}\n    keep: {messages: 2}\n",
        "    preset: langchain-summary-buffer   # 2,000 tokens\n",
    )
    path = write(tmp_path, text)
    assert main(["validate", str(path)]) == 0
    (warning,) = warnings(capsys)
    assert warning.startswith(f"warning: {path}:6:13: compaction never triggers: ")
    assert warning.endswith(", the trigger is 2000 (the pinned system prompt not counted)")


def test_a_fraction_trigger_says_what_it_is_a_fraction_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SCRIPTED.format(trigger="{fraction: 0.5}", summarizer="extractive")
    path = write(
        tmp_path, text.replace("  compaction:\n", "  context_window: 8000\n  compaction:\n")
    )
    assert main(["validate", str(path)]) == 0
    (warning,) = warnings(capsys)
    assert warning.endswith(", the trigger is 4000 (0.5 of context_window 8000)")


def test_a_callable_summarizer_is_never_imported_to_find_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Validation runs none of the scenario's code, even where the trigger fires: nothing is
    compacted while counting, so no summarizer is called."""
    marker = tmp_path / "imported"
    (tmp_path / "summaries.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n\ndef summarize(messages, prompt):\n    return 'x'\n",
        encoding="utf-8",
    )
    path = scripted(tmp_path, "{tokens: 60}", '{type: callable, function: "summaries:summarize"}')
    assert main(["validate", str(path)]) == 0
    assert not marker.exists()
    assert warnings(capsys) == []
    assert compaction_reach(load_scenario(path)) is not None


def test_nothing_is_said_where_it_cannot_be_computed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A live model's replies are unknown before the run; validation never calls it.
    live = SCRIPTED.format(trigger="{tokens: 5000}", summarizer="extractive").replace(
        '{type: scripted, default_reply: "I\'m an AI assistant; your order ships Monday."}',
        "{type: openai, model: gpt-4o-mini, api_key_env: NO_SUCH_KEY_FOR_TESTS}",
    )
    path = write(tmp_path, live)
    assert main(["validate", str(path)]) == 0
    assert not any("compaction never triggers" in w for w in warnings(capsys))
    assert compaction_reach(load_scenario(path)) is None
    # No compaction at all: nothing to trigger.
    none = SCRIPTED.format(trigger="{tokens: 5000}", summarizer="extractive")
    none = none.replace(
        "    policy: summarize\n    trigger: {tokens: 5000}\n    keep: {messages: 2}\n"
        "    summarizer: extractive\n",
        "    policy: none\n",
    )
    path = write(tmp_path, none, "none.yaml")
    assert compaction_reach(load_scenario(path)) is None


def test_a_conversation_longer_than_the_cap_is_not_followed_past_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation replays at most MAX_TURNS turns: a longer conversation that has not
    triggered by then gets no verdict (None), not a warning it might not deserve."""
    from replay.scenario import _reach

    path = scripted(tmp_path, "{tokens: 5000}")  # three turns, never triggers
    monkeypatch.setattr(_reach, "MAX_TURNS", 2)
    assert compaction_reach(load_scenario(path)) is None
    monkeypatch.setattr(_reach, "MAX_TURNS", 3)
    reach = compaction_reach(load_scenario(path))
    assert reach is not None and not reach.triggers
    # One that triggers within the cap is still answered.
    monkeypatch.setattr(_reach, "MAX_TURNS", 3)
    reach = compaction_reach(load_scenario(scripted(tmp_path, "{tokens: 60}")))
    assert reach is not None and reach.triggers
