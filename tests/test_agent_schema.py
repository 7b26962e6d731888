"""Scenario validation of the adapter and live-model sections: located, helpful errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from replay.cli import main

HEAD = "scenario: s\nconversation:\n  turns:\n    - user: hi\nchecks: [context_retains]\n"


def validate(tmp_path: Path, capsys: pytest.CaptureFixture[str], agent: str) -> tuple[int, str]:
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + agent, encoding="utf-8")
    code = main(["validate", str(path)])
    return code, capsys.readouterr().err


def test_python_agent_needs_its_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = validate(tmp_path, capsys, "agent:\n  type: python\n")
    assert code == 2
    assert "s.yaml:7:" in err and "needs 'python'" in err


def test_adapter_typo_is_located_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = validate(tmp_path, capsys, "agent:\n  type: command\n  comand: [node]\n")
    assert code == 2
    assert "s.yaml:8:3" in err and "did you mean 'command'" in err


def test_live_model_needs_a_model_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = validate(tmp_path, capsys, "agent:\n  model:\n    type: openai\n")
    assert code == 2
    assert "'model' is required" in err


def test_live_model_key_env_must_be_a_variable_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agent = "agent:\n  model:\n    type: openai\n    model: m\n    api_key_env: sk-abc123\n"
    code, err = validate(tmp_path, capsys, agent)
    assert code == 2
    assert "s.yaml:10:18" in err


def test_valid_adapter_and_live_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    agent = (
        "agent:\n  type: http\n  http: http://127.0.0.1:8000/chat\n  proxy_port: 8788\n"
        "  model: {type: anthropic, model: claude-test, api_key_env: ANTHROPIC_API_KEY}\n"
    )
    code, err = validate(tmp_path, capsys, agent)
    assert code == 0, err
