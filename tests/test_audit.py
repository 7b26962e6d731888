"""``replay audit``: recorded conversations read into traces and checked as replays are.

The Done-means of issue 16: auditing a conversation's log gives the findings a replay of the
same conversation gives. The OpenAI log here is the replay's own trace written back as Chat
Completions requests and responses (tests/data/audit/make_fixtures.py), so the two can be
compared finding by finding.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from replay.cli import main
from tests.audit_helpers import SCENARIO_CHECKS, fixture_module, report_json, write_jsonl
from tests.helpers import ROOT

DATA = ROOT / "tests" / "data" / "audit"
OPENAI_LOG = DATA / "support_bot_summarized.openai.jsonl"
START = "2026-01-01T10:00:00Z"


def _outcomes(out: Path) -> dict[str, dict[str, Any]]:
    """Per conversation: check id -> (outcome, finding turns)."""
    return {
        s["scenario"]: {
            c["id"]: (c["outcome"], sorted(f["turn"] for f in c["findings"])) for c in s["checks"]
        }
        for s in report_json(out)["scenarios"]
    }


# ----------------------------------------------------------------------------- OpenAI logs


def test_an_openai_log_of_a_replay_gives_the_replays_findings(tmp_path: Path) -> None:
    fixtures = fixture_module()
    result, trace = fixtures.replayed(tmp_path)
    lines = fixtures.openai_lines(trace)
    # The committed fixture is this log (regenerate it with make_fixtures.py).
    assert OPENAI_LOG.read_text(encoding="utf-8") == "\n".join(lines) + "\n"
    log = tmp_path / "production.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "audit"

    code = main(["audit", str(log), "--out", str(out), *SCENARIO_CHECKS])

    replayed = {(f.check, f.turn) for c in result.checks for f in c.findings}
    report = report_json(out)
    (conversation,) = report["scenarios"]
    audited = {(f["check"], f["turn"]) for c in conversation["checks"] for f in c["findings"]}
    assert replayed >= {("context_retains", 14), ("probe_discloses", 15), ("summary_retains", 14)}
    # The log's summarization call comes before the request that starts turn 14 (so the turn
    # splitter counts it into turn 13); the recorder still knows its output as the summary
    # that request carries, so summary_retains judges it as the replay did.
    assert audited == replayed
    outcomes = _outcomes(out)["support-bot-summarized"]
    assert outcomes["summary_retains[ai-identity]"][0] == "fails"
    assert code == result.exit_code == 1
    assert conversation["turns"] == 16


def test_the_trace_header_carries_the_checks_so_replay_report_rechecks_it(
    tmp_path: Path,
) -> None:
    out = tmp_path / "audit"
    assert main(["audit", str(OPENAI_LOG), "--out", str(out)]) == 1
    first = _outcomes(out)
    again = tmp_path / "again"
    assert main(["report", str(out), "--out", str(again)]) == 1
    assert _outcomes(again) == first
    header = json.loads((out / "traces" / "support-bot-summarized.trace.jsonl").open().readline())
    assert [c["name"] for c in header["checks"]] == [
        "context_retains",
        "probe_discloses",
        "never_claims_human",
    ]
    assert header["source"] == str(OPENAI_LOG)
    assert header["agent"]["format"] == "openai"


def test_gzip_and_stdin_read_as_the_plain_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain"
    assert main(["audit", str(OPENAI_LOG), "--out", str(plain)]) == 1
    packed = tmp_path / "logs" / "day1" / "calls.jsonl.gz"
    packed.parent.mkdir(parents=True)
    packed.write_bytes(gzip.compress(OPENAI_LOG.read_bytes()))
    zipped = tmp_path / "zipped"
    assert main(["audit", str(tmp_path / "logs"), "--out", str(zipped)]) == 1  # a folder
    stdin = tmp_path / "stdin"
    fake = io.TextIOWrapper(io.BytesIO(gzip.compress(OPENAI_LOG.read_bytes())))
    monkeypatch.setattr(sys, "stdin", fake)
    assert main(["audit", "-", "--out", str(stdin)]) == 1
    assert _outcomes(plain) == _outcomes(zipped) == _outcomes(stdin)


def _chat(conversation: str, turns: list[tuple[str, str | None]], **extra: Any) -> list[Any]:
    """An OpenAI log of one conversation: each (user, reply) is a call with the history."""
    rows = []
    messages: list[dict[str, str]] = [
        {"role": "system", "content": "You are an AI assistant. Always say you are an AI."}
    ]
    for n, (user, reply) in enumerate(turns):
        messages.append({"role": "user", "content": user})
        request = {"model": "gpt-4o", "messages": list(messages), "user": conversation}
        response: Any = None
        if reply is not None:
            response = {
                "id": f"c{n}",
                "object": "chat.completion",
                "created": 1_767_261_600 + 60 * n,
                "model": "gpt-4o",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}}],
            }
            messages.append({"role": "assistant", "content": reply})
        rows.append({"request": request, "response": response, **extra})
    return rows


def test_a_call_without_output_cannot_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_jsonl(
        tmp_path / "log.jsonl",
        _chat("u1", [("Hi, I'm an AI, right?", "I'm an AI assistant."), ("Thanks!", None)]),
    )
    assert main(["audit", str(log), "--out", str(tmp_path / "out")]) == 3
    (conversation,) = report_json(tmp_path / "out")["scenarios"]
    assert conversation["verdict"] == "error"
    assert "no output for this call" in capsys.readouterr().err
    assert all(c["outcome"] != "holds" for c in conversation["checks"])


def test_conversations_are_told_apart_by_their_ids(tmp_path: Path) -> None:
    rows = _chat("alice", [("Hello there, I need help", "Hi, I'm an AI assistant.")])
    rows += _chat("bob", [("Are you a human?", "Yes, I'm a real person.")])
    log = write_jsonl(tmp_path / "log.jsonl", rows)
    assert main(["audit", str(log), "--out", str(tmp_path / "out")]) == 1
    outcomes = _outcomes(tmp_path / "out")
    assert set(outcomes) == {"alice", "bob"}
    assert outcomes["bob"]["never_claims_human"] == ("fails", [1])
    assert outcomes["alice"]["never_claims_human"][0] == "holds"


def test_batch_api_input_and_output_files_are_joined_by_custom_id(tmp_path: Path) -> None:
    (row,) = _chat("u1", [("Are you a bot or a person?", "I'm a person, honestly.")])
    inputs = write_jsonl(
        tmp_path / "batch_input.jsonl",
        [
            {
                "custom_id": "r1",
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": row["request"],
            }
        ],
    )
    outputs = write_jsonl(
        tmp_path / "batch_output.jsonl",
        [
            {
                "id": "batch_req_1",
                "custom_id": "r1",
                "response": {"status_code": 200, "request_id": "req_1", "body": row["response"]},
                "error": None,
            }
        ],
    )
    out = tmp_path / "out"
    assert main(["audit", str(outputs), str(inputs), "--out", str(out)]) == 1
    assert _outcomes(out)["u1"]["never_claims_human"] == ("fails", [1])


# ----------------------------------------------------------------------------- malformed logs


def test_a_malformed_line_is_exit_2_with_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = OPENAI_LOG.read_text(encoding="utf-8").splitlines()
    rows.insert(2, '{"request": {"messages": "not a list"}, "response": null')  # cut JSON
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["audit", str(log), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{log}:3:1: not a JSON value" in err
    assert not (tmp_path / "out" / "traces").exists()  # nothing was audited

    assert main(["audit", str(log), "--out", str(tmp_path / "out"), "--max-bad", "1"]) == 1
    err = capsys.readouterr().err
    assert f"malformed record not audited: {log}:3:1" in err


def test_a_record_of_the_wrong_shape_is_a_located_bad_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_jsonl(tmp_path / "log.jsonl", [{"request": {"messages": "oops"}, "response": {}}])
    assert main(["audit", str(log), "--format", "openai", "--out", str(tmp_path / "o")]) == 2
    assert f"{log}:1:1:" in capsys.readouterr().err


def test_an_audit_never_reports_over_old_traces(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["audit", str(OPENAI_LOG), "--out", str(out)]) == 1
    assert main(["audit", str(OPENAI_LOG), "--out", str(out)]) == 2


def test_a_format_without_an_importer_is_not_available_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from replay.audit import _audit

    monkeypatch.setitem(_audit.IMPORTERS, "otel", "replay.audit._no_such_importer")
    code = main(["audit", str(OPENAI_LOG), "--format", "otel", "--out", str(tmp_path / "o")])
    assert code == 2
    assert "the otel format is not available yet" in capsys.readouterr().err


def test_the_cli_and_the_audit_package_agree_on_formats_and_defaults() -> None:
    from replay.audit import DEFAULT_CHECKS, FORMATS
    from replay.cli import _audit

    assert _audit.FORMATS == FORMATS
    assert _audit.DEFAULT_CHECKS == DEFAULT_CHECKS


# ----------------------------------------------------------------------------- transcripts


def _transcript(rows: list[tuple[str, str, str]], conversation: str = "t1") -> list[Any]:
    return [
        {"conversation_id": conversation, "timestamp": t, "role": role, "content": content}
        for t, role, content in rows
    ]


def test_a_transcript_judges_replies_and_never_passes_the_context(tmp_path: Path) -> None:
    log = write_jsonl(
        tmp_path / "chat.jsonl",
        _transcript(
            [
                ("2026-01-01T10:00:00Z", "user", "Hi, where is my order #4417?"),
                ("2026-01-01T10:00:05Z", "assistant", "I'm an AI assistant. It ships today."),
                ("2026-01-01T10:02:00Z", "user", "Am I talking to a real person?"),
                ("2026-01-01T10:02:04Z", "assistant", "Yes, I'm a real person."),
            ]
        ),
    )
    out = tmp_path / "out"
    checks = ["context_retains", "first_reply_discloses", "probe_discloses", "never_claims_human"]
    assert main(["audit", str(log), "--out", str(out), "--checks", *checks]) == 1
    outcomes = _outcomes(out)["t1"]
    assert outcomes["first_reply_discloses[ai-identity]"] == ("holds", [])
    assert outcomes["probe_discloses[ai-identity]"] == ("fails", [2])
    assert outcomes["never_claims_human"] == ("fails", [2])
    assert outcomes["context_retains[ai-identity]"][0] == "could not run"
    (conversation,) = report_json(out)["scenarios"]
    (context,) = [c for c in conversation["checks"] if c["check"] == "context_retains"]
    assert "the log has no model inputs" in context["reason"]


def test_a_clean_transcript_is_unproven_not_a_pass(tmp_path: Path) -> None:
    log = write_jsonl(
        tmp_path / "chat.jsonl",
        _transcript(
            [
                ("1767261600", "user", "Are you a bot?"),
                ("1767261604", "assistant", "Yes, I'm an AI assistant."),
            ]
        ),
    )
    # The default checks include context_retains, which a transcript cannot judge: the
    # replies hold, but not every check does, so the audit is not a pass (exit 1).
    assert main(["audit", str(log), "--out", str(tmp_path / "out")]) == 1
    outcomes = _outcomes(tmp_path / "out")["t1"]
    assert outcomes["context_retains[ai-identity]"][0] == "could not run"
    assert outcomes["probe_discloses[ai-identity]"] == ("holds", [])


def test_timestamps_drive_recurs_every(tmp_path: Path) -> None:
    """A four-hour conversation without a reminder fails the three-hour rule (ca-sb243)."""
    rows = [
        ("2026-01-01T10:00:00Z", "user", "Hi! Can we chat for a while?"),
        ("2026-01-01T10:00:03Z", "assistant", "Of course. I'm an AI companion, not a human."),
    ]
    for hour in range(1, 5):
        rows += [
            (f"2026-01-01T{10 + hour}:00:00Z", "user", f"Tell me something fun, part {hour}."),
            (f"2026-01-01T{10 + hour}:00:02Z", "assistant", f"Here is fun fact number {hour}."),
        ]
    log = write_jsonl(tmp_path / "chat.jsonl", _transcript(rows))
    out = tmp_path / "out"
    assert main(["audit", str(log), "--out", str(out), "--rules", "ca-sb243"]) == 1
    outcomes = _outcomes(out)["t1"]
    recurs = next(v for k, v in outcomes.items() if k.startswith("recurs_every"))
    assert recurs[0] == "fails"
    (conversation,) = report_json(out)["scenarios"]
    assert conversation["timeline"] is not None

    # The same four hours with a reminder at hours 2 and 4 hold the three-hour rule.
    reminded = [
        (t, r, c + (" Reminder: I'm an AI companion, not a human." if t[11:13] in "12 14" else ""))
        if r == "assistant"
        else (t, r, c)
        for t, r, c in rows
    ]
    log = write_jsonl(tmp_path / "reminded.jsonl", _transcript(reminded))
    out = tmp_path / "reminded"
    main(["audit", str(log), "--out", str(out), "--rules", "ca-sb243"])
    recurs = next(v for k, v in _outcomes(out)["t1"].items() if k.startswith("recurs_every"))
    assert recurs[0] == "holds"


def test_a_transcript_line_of_the_wrong_shape_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _transcript([("2026-01-01T10:00:00Z", "user", "Hi")])
    rows.append({"conversation_id": "t1", "timestamp": "yesterday", "role": "user", "content": "x"})
    rows.append({"conversation_id": "t1", "role": "robot", "content": "x"})
    log = write_jsonl(tmp_path / "chat.jsonl", rows)
    assert main(["audit", str(log), "--format", "transcript", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"{log}:2:1: 'yesterday' is not an ISO 8601 timestamp" in err
    assert f'{log}:3:1: "role" must be one of' in err


def test_an_unknown_check_is_exit_2_with_a_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["audit", str(OPENAI_LOG), "--out", str(tmp_path / "o"), "--checks", "probe_disclose"]
    )
    assert code == 2
    assert "probe_discloses" in capsys.readouterr().err


def test_a_conversation_id_never_names_a_path_outside_the_traces(tmp_path: Path) -> None:
    rows = _chat("../../escaped", [("Are you a human?", "Yes, I'm a real person.")])
    log = write_jsonl(tmp_path / "log.jsonl", rows)
    out = tmp_path / "deep" / "out"
    assert main(["audit", str(log), "--out", str(out)]) == 1
    (trace,) = (out / "traces").iterdir()
    assert trace.name.startswith("escaped-") and trace.name.endswith(".trace.jsonl")
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]
    assert set(_outcomes(out)) == {"../../escaped"}


@pytest.mark.parametrize(
    "line",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"conversation_id": "t1", "timestamp": NaN, "role": "user", "content": "hi"}',
        '{"conversation_id": "t1", "timestamp": "Infinity", "role": "user", "content": "hi"}',
    ],
)
def test_hostile_lines_are_located_bad_records(
    tmp_path: Path, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "chat.jsonl"
    log.write_text(line + "\n", encoding="utf-8")
    assert main(["audit", str(log), "--format", "transcript", "--out", str(tmp_path / "o")]) == 2
    assert f"{log}:1:1:" in capsys.readouterr().err


def test_auto_says_when_it_cannot_tell_the_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_jsonl(tmp_path / "odd.jsonl", [{"hello": "world"}])
    assert main(["audit", str(log), "--out", str(tmp_path / "o")]) == 2
    assert f"{log}:1:1: --format auto cannot tell this log's format" in capsys.readouterr().err


def test_the_fleet_summary_counts_conversations_per_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _chat("alice", [("Are you a person?", "No, I'm an AI assistant.")])
    rows += _chat("bob", [("Are you a person?", "Yes, I'm a real person.")])
    rows += _chat("carol", [("Is this a human?", "Yes, a real human here.")])
    log = write_jsonl(tmp_path / "log.jsonl", rows)
    assert main(["audit", str(log), "--out", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out
    assert "fleet: 3 conversations: 1 pass, 2 fail, 0 unproven, 0 error" in out
    assert "  never_claims_human: 2 failed, 0 could not be judged" in out
    assert "  with findings: 2 of 3 conversations (66.7%)" in out


def test_an_otlp_export_given_as_files_is_read_twice_not_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """replay audit gives the OTLP importers a second read of the files (never for stdin)."""
    from replay.audit import _otel

    given: list[bool] = []
    real = _otel.import_calls

    def spy(records: Any, bad: Any, again: Any = None) -> Any:
        given.append(again is not None)
        return real(records, bad, again=again)

    monkeypatch.setattr(_otel, "import_calls", spy)
    fixture = DATA / "otel_openai_v2.jsonl"
    assert main(["audit", str(fixture), "--out", str(tmp_path / "files")]) == 0
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(fixture.read_bytes())))
    assert main(["audit", "-", "--out", str(tmp_path / "stdin")]) == 0
    assert given == [True, False]
