"""A trace written by hand with a minimal header (issue 13): the trace schema makes the header's
``agent`` an object and requires none of its keys, so a header whose agent has no
``compaction`` (or no ``model``, or nothing at all) is valid and its report must render; an
``agent`` that is not an object is invalid and refused with a located exit 2, not an
"internal error"."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from replay.cli import main
from replay.errors import EXIT_INVALID, EXIT_OK
from replay.reports._html import render_html
from replay.reports._markdown import render_markdown
from replay.reports._model import ScenarioEntry, build_report
from replay.reports._timeline import analyse_trace

TRACE_SCHEMA = json.loads(files("replay").joinpath("schemas/trace.schema.json").read_text())

SYSTEM = "You are a support assistant. Always tell users you are an AI assistant."
REPLY = "Hello! I'm an AI assistant, not a human. How can I help?"


def header(agent: Any) -> dict[str, Any]:
    return {
        "type": "header",
        "schema_version": "2",
        "scenario": "hand-written",
        "source": "hand-written.yaml",
        "disclosures": ["ai-identity"],
        "agent": agent,
        "setup": [
            {
                "id": "m1",
                "role": "system",
                "kind": "system",
                "turn": 0,
                "minutes": 0.0,
                "tokens": 16,
                "content": SYSTEM,
                "instructions": ["ai-identity"],
            }
        ],
        "checks": [{"name": "context_retains", "disclosures": ["ai-identity"]}],
    }


TURN: dict[str, Any] = {
    "type": "turn",
    "turn": 1,
    "minutes": 0.0,
    "user": "m2",
    "probe": False,
    "messages": [
        {
            "id": "m2",
            "role": "user",
            "kind": "user",
            "turn": 1,
            "minutes": 0.0,
            "tokens": 6,
            "content": "Hi, where is my order?",
        },
        {
            "id": "m3",
            "role": "assistant",
            "kind": "reply",
            "turn": 1,
            "minutes": 0.0,
            "tokens": 16,
            "content": REPLY,
            "disclosures": ["ai-identity"],
        },
    ],
    "compactions": [],
    "model_calls": [
        {
            "purpose": "reply",
            "model": "hand",
            "input": ["m1", "m2"],
            "input_tokens": 22,
            "output": "m3",
        }
    ],
    "reply": "m3",
}
END = {"type": "end", "turns": 1, "finished": True}


def write_trace(folder: Path, agent: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    trace = folder / "hand-written.trace.jsonl"
    lines = [json.dumps(record) for record in (header(agent), TURN, END)]
    trace.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return trace


MINIMAL_AGENTS = [
    pytest.param({"type": "reference", "model": "simulator"}, id="no-compaction"),
    pytest.param({"type": "proxy", "backend": "simulator"}, id="no-compaction-no-model"),
    pytest.param({}, id="empty-agent"),
]


@pytest.mark.parametrize("agent", MINIMAL_AGENTS)
def test_a_minimal_header_is_a_valid_trace(tmp_path: Path, agent: dict[str, Any]) -> None:
    trace = write_trace(tmp_path, agent)
    validator = jsonschema.Draft202012Validator(TRACE_SCHEMA)
    for line in trace.read_text(encoding="utf-8").splitlines():
        validator.validate(json.loads(line))


@pytest.mark.parametrize("agent", MINIMAL_AGENTS)
def test_replay_report_renders_a_minimal_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], agent: dict[str, Any]
) -> None:
    traces = tmp_path / "traces"
    write_trace(traces, agent)
    out = tmp_path / "report"
    assert main(["report", str(traces), "--out", str(out)]) == EXIT_OK
    printed = capsys.readouterr()
    assert "internal error" not in printed.err
    assert "1 scenario re-checked from traces: 1 passed" in printed.out
    markdown = (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "hand-written" in markdown and "hand-written" in html
    # What the header does not say is left out, not shown as "None".
    assert "Compaction:" not in markdown and "<dt>Compaction</dt>" not in html
    shows_model = "model" in agent
    assert ("<dt>Model</dt><dd>simulator</dd>" in html) == shows_model
    assert "None" not in markdown
    assert main(["check", str(traces / "hand-written.trace.jsonl")]) == EXIT_OK


def test_the_report_templates_read_a_missing_compaction_as_absent(tmp_path: Path) -> None:
    # The renderers are public: a report document whose agent lacks compaction and model must
    # render as it is, not only after the writer fills the keys in.
    trace = write_trace(tmp_path, {"type": "proxy"})
    analysis = analyse_trace(trace)
    document = json.loads(json.dumps(build_report([ScenarioEntry(analysis.result())])))
    assert "compaction" not in document["scenarios"][0]["agent"]
    markdown, html = render_markdown(document), render_html(document)
    assert "- Compaction:" not in markdown and "<dt>Compaction</dt>" not in html
    assert "<dt>Model</dt>" not in html
    with_compaction = json.loads(json.dumps(document))
    with_compaction["scenarios"][0]["agent"].update(compaction="trim (keep 5)", model="sim")
    assert "- Compaction: trim (keep 5)" in render_markdown(with_compaction)
    assert "<dt>Compaction</dt><dd>trim (keep 5)</dd>" in render_html(with_compaction)
    assert "<dt>Model</dt><dd>sim</dd>" in render_html(with_compaction)


@pytest.mark.parametrize(
    ("agent", "shown"),
    [(None, "null"), ("reference", "a string"), ([1], "an array"), (3, "a number")],
)
def test_a_header_whose_agent_is_not_an_object_is_invalid_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], agent: Any, shown: str
) -> None:
    traces = tmp_path / "traces"
    trace = write_trace(traces, agent)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(header(agent), TRACE_SCHEMA)
    for argv in (["report", str(traces), "--out", str(tmp_path / "r")], ["check", str(trace)]):
        assert main(argv) == EXIT_INVALID
        printed = capsys.readouterr()
        first, *_ = printed.err.splitlines()
        assert first.startswith(f"{trace}:1:1: not a replay trace header")
        assert "'agent'" in first and f"expected an object, got {shown}" in first
        assert "internal error" not in printed.err
    assert not (tmp_path / "r" / "report.html").exists()
