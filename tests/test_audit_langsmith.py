"""The LangSmith run-export importer: exports made by the real ``langsmith`` SDK tracing
``langchain_openai.ChatOpenAI`` (tests/data/audit/make_langsmith_fixtures.py), and hand-built
shapes of LangSmith's run data format.

The Done-means of issue 16 for this format: ``langsmith_support_bot.jsonl`` is the replay of
scenarios/support_bot_summarized.yaml driven call by call through ChatOpenAI with LangSmith
tracing on, so auditing it must give the findings the replay gives."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from replay.audit import _audit
from replay.audit._langsmith import HIDDEN_INPUTS, import_calls, sniff
from replay.audit._read import BadRecords, LogRecord, read_records
from replay.audit._records import LoggedCall
from replay.cli import main
from replay.models._wire import IMAGE, WireMessage
from replay.spec._scenario import Location
from replay.trace._records import ToolCall, Usage
from tests.audit_helpers import SCENARIO_CHECKS, fixture_module, report_json
from tests.helpers import ROOT

DATA = ROOT / "tests" / "data" / "audit"
SUPPORT_BOT = DATA / "langsmith_support_bot.jsonl"
BANK = DATA / "langsmith_bank.jsonl"
WRAPPED = DATA / "langsmith_wrap_openai.jsonl"
HIDDEN = DATA / "langsmith_hidden_inputs.jsonl"
ANTHROPIC = DATA / "langsmith_anthropic.jsonl"
START = 1_767_261_600  # 2026-01-01T10:00:00Z, the fixtures' first minute
PROJECT_ID = "3f0e6a52-8a43-4c51-9d7e-2b1c5a9e4d10"  # every run's top-level session_id
BANK_SYSTEM = "You are Ava, the assistant for Example Bank. Always tell customers you are an AI"


def _read(path: Path) -> tuple[list[LoggedCall], BadRecords]:
    bad = BadRecords()
    return list(import_calls(read_records(str(path), bad), bad)), bad


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _records(*rows: Any) -> list[LogRecord]:
    return [LogRecord(Location("t.jsonl", n, 1), r) for n, r in enumerate(rows, 1)]


def _calls(*rows: Any) -> tuple[list[LoggedCall], list[tuple[int, str]]]:
    bad = BadRecords()
    calls = list(import_calls(_records(*rows), bad))
    return calls, [(p.line, p.message) for p in bad.problems]


def _lc(kind: str, **kwargs: Any) -> dict[str, Any]:
    """A LangChain message in the serialized constructor form the tracer writes."""
    return {
        "lc": 1,
        "type": "constructor",
        "id": ["langchain", "schema", "messages", kind],
        "kwargs": kwargs,
    }


def _run(**more: Any) -> dict[str, Any]:
    """An llm run as list_runs gives it, with a one-message prompt and a text reply."""
    run: dict[str, Any] = {
        "id": "r1",
        "name": "ChatOpenAI",
        "run_type": "llm",
        "start_time": "2026-01-01T10:00:00Z",
        "end_time": "2026-01-01T10:00:01Z",
        "trace_id": "t1",
        "parent_run_id": None,
        "session_id": PROJECT_ID,
        "extra": {"metadata": {"thread_id": "th-1", "ls_model_name": "m"}},
        "inputs": {"messages": [[_lc("HumanMessage", content="Are you a person?", type="human")]]},
        "outputs": {
            "generations": [
                [
                    {
                        "text": "No, I am an AI assistant.",
                        "type": "ChatGeneration",
                        "message": _lc("AIMessage", content="No, I am an AI assistant.", type="ai"),
                    }
                ]
            ]
        },
        "error": None,
    }
    run.update(more)
    return run


# ------------------------------------------------------------------ the real library's export


def test_the_support_bot_export_holds_the_replays_model_calls(tmp_path: Path) -> None:
    """Every llm run is one of the replay's model calls, with its exact input and output, in
    order, at the turn's conversation time; the chain runs around them yield nothing."""
    from replay.trace import read_trace

    calls, bad = _read(SUPPORT_BOT)
    assert not bad.problems
    rows = _rows(SUPPORT_BOT)
    assert {r["run_type"] for r in rows} == {"llm", "chain"}
    assert len(rows) == 35 and len(calls) == 19  # 16 chain runs (one a turn) are context
    assert [c.where.line for c in calls] == [
        n for n, r in enumerate(rows, 1) if r["run_type"] == "llm"
    ]
    assert {c.conversation for c in calls} == {"support-bot-summarized"}  # thread_id
    assert all(c.input_complete and c.error is None and c.output for c in calls)

    _, trace = fixture_module().replayed(tmp_path)
    header, turns = read_trace(trace)
    known = {m.id: m for m in header.setup}
    expected: list[tuple[str, float, list[tuple[str, str]] | None, str]] = []
    for record in turns:
        for message in record.messages:
            known[message.id] = message
        for made in record.model_calls:
            sent = [(known[i].role, known[i].content) for i in made.input]
            assert made.output is not None and made.model is not None
            expected.append(
                (
                    made.model,
                    START + record.minutes * 60,
                    None if made.purpose == "summary" else sent,
                    known[made.output].content,
                )
            )
    assert len(expected) == len(calls)
    for logged, (model, seconds, inputs, said) in zip(calls, expected, strict=True):
        assert logged.model == model  # ChatOpenAI(model=...) answered by the fake server
        assert logged.seconds is not None and (logged.seconds - seconds) // 60 == 0
        assert logged.output is not None and logged.output.text == said
        if inputs is None:  # the summarization call: one human message embedding the history
            (prompt,) = logged.input
            assert prompt.role == "user" and '<message type="human">' in prompt.text
        else:
            assert [(m.role, m.text) for m in logged.input] == inputs
    first = calls[0].output
    assert first is not None and first.finish_reason == "stop" and first.id == "chatcmpl-1"
    assert first.usage == Usage(50, 10)


def test_the_bank_export_tool_calls_tool_messages_and_a_failed_call() -> None:
    calls, bad = _read(BANK)
    assert not bad.problems
    rows = _rows(BANK)
    assert [r["run_type"] for r in rows] == ["llm", "llm", "tool"] + ["llm"] * 5
    assert len(calls) == 7 and [c.where.line for c in calls] == [1, 2, 4, 5, 6, 7, 8]
    bank, failed, streamed = calls[:5], calls[5], calls[6]
    assert {c.conversation for c in bank} == {"bank-session-7"}  # session_id metadata
    assert {c.model for c in calls} == {"gpt-4o-mini"}
    # each in its user turn's minute (the SDK's clock, frozen at the minute and ticking)
    minutes = [((c.seconds or 0) - START) // 60 for c in calls]
    assert minutes == [0, 1, 1, 2, 3, 60, 120]
    asked = bank[1].output
    assert asked is not None and asked.finish_reason == "tool_calls" and asked.text == ""
    assert asked.tool_calls == (ToolCall("call_1", "get_balance", '{"account": "42"}'),)
    last = bank[-1]
    assert [m.role for m in last.input] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
        "tool",
        "assistant",
        "user",
        "assistant",
        "user",
    ]
    assert last.input[0].text.startswith(BANK_SYSTEM)
    assert last.input[4] == WireMessage("assistant", "", asked.tool_calls)
    assert last.input[5] == WireMessage("tool", '{"balance": "$1,234"}', tool_call_id="call_1")
    assert [c.output.text if c.output else None for c in bank] == [
        "Hello! I am Ava, an AI assistant. How can I help?",
        "",
        "Account 42 has $1,234.",
        "No, I am Ava, an AI assistant, not a human.",
        "Your card is blocked.",
    ]
    # The failed call: conversation_id metadata; LangChain still wrote an empty generation
    # (with the error body) as its outputs, which is not a reply; the traceback is dropped.
    assert failed.conversation == "bank-outage-1"
    assert rows[6]["outputs"]["generations"] and "Traceback" in rows[6]["error"]
    assert failed.output is None
    assert failed.error == "OpenAIAPIError('Error code: 500 - The server had an error')"
    # a streamed reply (thread_id metadata): the run holds the chunks joined
    assert streamed.conversation == "bank-streamed-2" and streamed.error is None
    assert [e["name"] for e in rows[7]["events"]] == ["start", "new_token", "end"]
    assert streamed.output is not None and streamed.output.finish_reason == "stop"
    assert streamed.output.text == "Hello! I am Ava, an AI assistant. How can I help?"


def test_the_wrap_openai_export_reads_as_the_same_conversation() -> None:
    """Without LangChain (wrap_openai inside @traceable): OpenAI messages in, the chat
    completion out, and the same calls the LangChain export holds."""
    wrapped, bad = _read(WRAPPED)
    assert not bad.problems
    rows = _rows(WRAPPED)
    assert [r["run_type"] for r in rows].count("chain") == 4  # the bank_agent turns
    langchain, _ = _read(BANK)

    def shape(call: LoggedCall) -> list[tuple[str, str, tuple[ToolCall, ...], str | None]]:
        return [(m.role, m.text, m.tool_calls, m.tool_call_id) for m in call.input]

    assert [shape(c) for c in wrapped] == [shape(c) for c in langchain[:5]]
    # the same replies: text, tool calls, finish reason, usage, response id
    assert [c.output for c in wrapped] == [c.output for c in langchain[:5]]
    assert {c.conversation for c in wrapped} == {"bank-wrapped-3"}  # conversation_id
    assert {c.model for c in wrapped} == {"gpt-4o-mini"}
    first = wrapped[0].output  # wrap_openai moved the usage to usage_metadata
    assert first is not None and first.usage == Usage(50, 10) and first.id == "chatcmpl-1"


def test_replay_audit_of_the_export_gives_the_replays_findings(tmp_path: Path) -> None:
    result, _ = fixture_module().replayed(tmp_path)
    replayed = {(f.check, f.turn) for c in result.checks for f in c.findings}
    assert replayed == {
        ("context_retains", 14),
        ("probe_discloses", 15),
        ("never_claims_human", 15),
        ("summary_retains", 14),
    }
    out = tmp_path / "audit"
    code = main(
        ["audit", str(SUPPORT_BOT), "--format", "langsmith", "--out", str(out), *SCENARIO_CHECKS]
    )
    (conversation,) = report_json(out)["scenarios"]
    audited = {(f["check"], f["turn"]) for c in conversation["checks"] for f in c["findings"]}
    assert audited == replayed
    assert {c["id"] for c in conversation["checks"]} == {c.id for c in result.checks}
    assert conversation["turns"] == 16
    assert code == result.exit_code == 1
    header = json.loads((out / "traces" / "support-bot-summarized.trace.jsonl").open().readline())
    assert header["agent"]["format"] == "langsmith"
    assert header["agent"]["model"] == "extractive, simulator"

    # an export's runs come in any order (newest first, say): reversed, it reads the same
    newest_first = _jsonl(tmp_path / "newest_first.jsonl", _rows(SUPPORT_BOT)[::-1])
    again = tmp_path / "again"
    code = main(
        ["audit", str(newest_first), "--format", "langsmith", "--out", str(again), *SCENARIO_CHECKS]
    )
    (reread,) = report_json(again)["scenarios"]
    assert {(f["check"], f["turn"]) for c in reread["checks"] for f in c["findings"]} == replayed
    assert code == 1


def test_the_chat_anthropic_export_reads_as_the_same_conversation() -> None:
    """ChatAnthropic: AI messages whose content is a list of blocks, the tool_use block beside
    the message's tool_calls (read once, as the call, never as a part)."""
    claude, bad = _read(ANTHROPIC)
    assert not bad.problems
    openai, _ = _read(BANK)

    def shape(call: LoggedCall) -> list[tuple[str, str, tuple[tuple[str, str], ...], bool]]:
        return [
            (
                m.role,
                m.text,
                tuple((t.name, t.arguments) for t in m.tool_calls),
                m.tool_call_id is not None,
            )
            for m in call.input
        ]

    assert [shape(c) for c in claude] == [shape(c) for c in openai[:5]]
    assert all(m.parts == () for c in claude for m in c.input)
    assert {c.conversation for c in claude} == {"bank-anthropic-4"}
    assert {c.model for c in claude} == {"claude-sonnet-4-5"}
    asked = claude[1].output
    assert asked is not None and asked.text == "" and asked.finish_reason == "tool_use"
    assert asked.tool_calls == (ToolCall("toolu_1", "get_balance", '{"account": "42"}'),)
    assert claude[2].input[-1] == WireMessage(
        "tool", '{"balance": "$1,234"}', tool_call_id="toolu_1"
    )
    assert [c.output.text if c.output else None for c in claude] == [
        c.output.text if c.output else None for c in openai[:5]
    ]


@pytest.mark.parametrize(
    ("export", "conversation_id"),
    [(WRAPPED, "bank-wrapped-3"), (ANTHROPIC, "bank-anthropic-4")],
)
def test_replay_audit_passes_the_bank_conversation(
    export: Path, conversation_id: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert main(["audit", str(export), "--format", "langsmith", "--out", str(out)]) == 0
    (conversation,) = report_json(out)["scenarios"]
    assert conversation["scenario"] == conversation_id and conversation["turns"] == 4
    assert {c["outcome"] for c in conversation["checks"]} == {"holds"}


def test_an_errored_run_is_never_passed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["audit", str(BANK), "--format", "langsmith", "--out", str(out)]) == 3
    verdicts = {s["scenario"]: s for s in report_json(out)["scenarios"]}
    assert set(verdicts) == {"bank-session-7", "bank-outage-1", "bank-streamed-2"}
    assert verdicts["bank-session-7"]["verdict"] == "pass"
    assert verdicts["bank-streamed-2"]["verdict"] == "pass"
    failed = verdicts["bank-outage-1"]
    assert failed["verdict"] == "error"
    assert all(c["outcome"] != "holds" for c in failed["checks"])
    assert "OpenAIAPIError('Error code: 500" in capsys.readouterr().err


# ------------------------------------------------------------------ conversations


def test_each_thread_metadata_key_names_the_conversation() -> None:
    runs = [
        _run(id=key, extra={"metadata": {key: f"conv-{key}"}})
        for key in ("session_id", "thread_id", "conversation_id")
    ]
    calls, bad = _calls(*runs)
    assert not bad
    assert [c.conversation for c in calls] == [
        "conv-session_id",
        "conv-thread_id",
        "conv-conversation_id",
    ]
    # the project's id (the run's top-level session_id) is never the conversation
    assert PROJECT_ID not in {c.conversation for c in calls}


def test_a_thread_named_on_an_ancestor_run_is_inherited(tmp_path: Path) -> None:
    """Runs whose own metadata lost the thread key join the thread of their chain run, even
    when the chain run comes after them (the export reversed)."""
    rows = _rows(SUPPORT_BOT)
    for row in rows:
        if row["run_type"] == "llm":
            del row["extra"]["metadata"]["thread_id"]
    calls, bad = _calls(*rows[::-1])
    assert not bad and {c.conversation for c in calls} == {"support-bot-summarized"}


def test_two_reads_give_what_one_held_read_gives(tmp_path: Path) -> None:
    """Given ``again`` the export is read twice (an index, then the calls), never held; the
    calls are those of one read that holds it, and a record written between the reads is not
    part of the audit."""
    rows = _rows(SUPPORT_BOT)[::-1]
    for row in rows:
        if row["run_type"] == "llm":
            del row["extra"]["metadata"]["thread_id"]  # named only on the chain runs after them
    log = _jsonl(tmp_path / "export.jsonl", rows)
    held, _ = _read(log)
    reads: list[str] = []

    def again() -> Any:
        reads.append("again")
        if len(reads) == 1:  # the log grows between the reads
            _jsonl(log, [*rows, _run(id="late")])
        return read_records(str(log), BadRecords())

    bad = BadRecords()
    twice = list(import_calls(read_records(str(log), bad), bad, again))
    assert reads == ["again"] and not bad.problems
    assert twice == held and len(twice) == 19
    assert {c.conversation for c in twice} == {"support-bot-summarized"}


def test_without_thread_metadata_each_trace_is_a_conversation() -> None:
    calls, bad = _calls(
        _run(id="a", trace_id="trace-a", extra={}),
        _run(id="b", trace_id="trace-b", extra={"metadata": {}}),
    )
    assert not bad and [c.conversation for c in calls] == ["trace-a", "trace-b"]


def test_the_agent_name_and_the_models_fallbacks() -> None:
    parent = {
        "id": "p",
        "name": "agent",
        "run_type": "chain",
        "start_time": "2026-01-01T10:00:00Z",
        "extra": {"metadata": {"thread_id": "t", "lc_agent_name": "Sam"}},
        "inputs": {"messages": [{"role": "user", "content": "state, not a model input"}]},
    }
    generation = {"text": "hi", "message": _lc("AIMessage", content="hi")}
    calls, bad = _calls(
        parent,
        _run(id="c1", parent_run_id="p", extra={"invocation_params": {"model": "gpt-x"}}),
        _run(
            id="c2",
            extra={"metadata": {"ls_model_name": "asked"}},
            outputs={"generations": [[generation]], "llm_output": {"model_name": "answered"}},
        ),
    )
    assert not bad
    assert [c.agent for c in calls] == ["Sam", None]
    assert [c.conversation for c in calls] == ["t", "t1"]
    assert [c.model for c in calls] == ["gpt-x", "answered"]


# ------------------------------------------------------------------ the shapes a run may hold


def test_the_message_forms_langsmith_holds() -> None:
    messages = [
        {"type": "system", "data": {"content": "Be an AI.", "type": "system"}},  # messages_to_dict
        {"type": "human", "content": [{"type": "text", "text": "see "}, {"type": "image_url"}]},
        _lc(
            "AIMessageChunk",
            content="",
            tool_calls=[{"name": "f", "args": {"x": 1}, "id": "c1", "type": "tool_call"}],
        ),
        _lc("ToolMessage", content="42", tool_call_id="c1"),
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "c2", "type": "function", "function": {"name": "g", "arguments": "{}"}}
            ],
        },  # OpenAI's form (@traceable, wrap_openai)
        {"role": "tool", "content": "ok", "tool_call_id": "c2"},
        _lc("ChatMessage", content="and you?", role="user"),
        _lc(
            "AIMessage",
            content="",
            additional_kwargs={
                "tool_calls": [
                    {"id": "c3", "type": "function", "function": {"name": "h", "arguments": "1"}}
                ]
            },
        ),  # older LangChain: the calls only in additional_kwargs
        ["user", "a (role, text) pair"],
    ]
    (call,), bad = _calls(_run(inputs={"messages": [messages]}))
    assert not bad
    assert call.input == (
        WireMessage("system", "Be an AI."),
        WireMessage("user", "see ", parts=("see ", IMAGE)),
        WireMessage("assistant", "", (ToolCall("c1", "f", '{"x": 1}'),)),
        WireMessage("tool", "42", tool_call_id="c1"),
        WireMessage("assistant", "", (ToolCall("c2", "g", "{}"),)),
        WireMessage("tool", "ok", tool_call_id="c2"),
        WireMessage("user", "and you?"),
        WireMessage("assistant", "", (ToolCall("c3", "h", "1"),)),
        WireMessage("user", "a (role, text) pair"),
    )
    # not nested one list per prompt (a @traceable function's own messages) reads the same
    (flat,), bad = _calls(_run(inputs={"messages": messages}))
    assert not bad and flat.input == call.input


def test_the_reply_shapes_langsmith_holds() -> None:
    completion = {
        "id": "chatcmpl-9",
        "model": "gpt-4o-2024",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "I am an AI."},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 4},
    }
    ai = {"type": "ai", "content": "I am an AI, too.", "tool_calls": []}
    text_only = {"generations": [[{"text": "A completion.", "generation_info": None}]]}
    calls, bad = _calls(
        _run(id="a", outputs=completion),  # wrap_openai: the chat completion itself
        _run(id="b", outputs={"messages": [ai]}),
        _run(id="c", outputs={"output": ai}),
        _run(id="d", inputs={"prompts": ["Say you are an AI."]}, outputs=text_only),
    )
    assert not bad
    assert [c.output.text if c.output else None for c in calls] == [
        "I am an AI.",
        "I am an AI, too.",
        "I am an AI, too.",
        "A completion.",
    ]
    assert calls[0].model == "gpt-4o-2024" and calls[0].output is not None
    assert calls[0].output.usage == Usage(3, 4) and calls[0].output.id == "chatcmpl-9"
    assert calls[3].input == (WireMessage("user", "Say you are an AI."),)


def test_a_bulk_export_read_as_json_lines_lists_pages_and_child_runs() -> None:
    """Parquet columns written out as JSON hold inputs/outputs/extra as JSON text; a line may
    hold a list of runs, an API page of runs, or a run with its child runs loaded."""
    run = _run()
    as_text = {
        **run,
        "inputs": json.dumps(run["inputs"]),
        "outputs": json.dumps(run["outputs"]),
        "extra": json.dumps(run["extra"]),
    }
    root = {
        "id": "root",
        "name": "agent",
        "run_type": "chain",
        "start_time": "2026-01-01T09:59:59Z",
        "extra": {"metadata": {"session_id": "nested"}},
        "child_runs": [_run(id="child", parent_run_id="root", extra={})],
    }
    calls, bad = _calls(as_text, [_run(id="l1"), _run(id="l2")], {"runs": [_run(id="p1")]}, root)
    assert not bad
    assert [c.where.line for c in calls] == [1, 2, 2, 3, 4]
    assert [c.conversation for c in calls] == ["th-1", "th-1", "th-1", "th-1", "nested"]
    assert all(c.output is not None and c.output.text == "No, I am an AI assistant." for c in calls)
    assert calls[0].seconds == START


def test_an_export_traced_with_hidden_inputs_is_never_passed(tmp_path: Path) -> None:
    """LANGSMITH_HIDE_INPUTS=true (the real SDK): every run's inputs are {}; the calls say
    their input is unknown, and the audit cannot complete the conversation (exit 3)."""
    calls, bad = _read(HIDDEN)
    assert not bad.problems and len(calls) == 5
    assert all(c.input == () and not c.input_complete for c in calls)
    assert {c.unknown_because for c in calls} == {HIDDEN_INPUTS}
    assert [c.output.text if c.output else None for c in calls][3] == (
        "No, I am Ava, an AI assistant, not a human."
    )
    out = tmp_path / "out"
    assert main(["audit", str(HIDDEN), "--format", "langsmith", "--out", str(out)]) == 3
    (conversation,) = report_json(out)["scenarios"]
    assert conversation["verdict"] == "error"
    assert all(c["outcome"] != "holds" for c in conversation["checks"])


def test_hidden_inputs_and_outputs_are_unknown_never_empty(tmp_path: Path) -> None:
    (hidden_in, hidden_out), bad = _calls(_run(id="a", inputs={}), _run(id="b", outputs={}))
    assert not bad
    assert hidden_in.input == () and not hidden_in.input_complete
    assert hidden_in.unknown_because == HIDDEN_INPUTS and hidden_in.output is not None
    assert hidden_out.input_complete and hidden_out.output is None and hidden_out.error is None
    log = _jsonl(tmp_path / "hidden.jsonl", [_run(inputs={})])
    assert main(["audit", str(log), "--format", "langsmith", "--out", str(tmp_path / "o")]) == 3
    (conversation,) = report_json(tmp_path / "o")["scenarios"]
    assert conversation["verdict"] == "error"
    assert all(c["outcome"] != "holds" for c in conversation["checks"])


def test_non_llm_runs_are_context_not_calls_and_not_bad() -> None:
    kinds = ("chain", "tool", "retriever", "prompt", "parser", "embedding")
    others = [
        {
            "id": kind,
            "name": kind,
            "run_type": kind,
            "start_time": "2026-01-01T10:00:00Z",
            "inputs": {"messages": "whatever a chain holds"},
            "outputs": {"anything": 1},
        }
        for kind in kinds
    ]
    calls, bad = _calls(*others, _run())
    assert not bad and [c.where.line for c in calls] == [len(kinds) + 1]


# ------------------------------------------------------------------ malformed runs


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("a text", "not a LangSmith run"),
        ({"id": "x", "name": "n"}, "not a LangSmith run"),
        (_run(inputs={"messages": "hi"}), "'inputs.messages' must be a list"),
        (_run(inputs={"messages": [[_lc("HumanMessage", content="a")]] * 2}), "2 prompts"),
        (_run(inputs={"question": "hi"}), "hold no 'messages'"),
        (_run(inputs={"messages": [[{"type": "robot", "content": "x"}]]}), "unknown type"),
        (_run(inputs={"messages": [[{"content": "no role"}]]}), "not a message"),
        (
            _run(inputs={"messages": [[{"lc": 1, "type": "constructor", "id": ["x", "Doc"]}]]}),
            "not a message: 'Doc'",
        ),
        (_run(outputs={"text": "hi"}), "hold no reply"),
        (_run(outputs={"generations": []}), "holds no generation"),
        (_run(inputs="{cut"), "'inputs' is text that is not JSON"),
        (_run(extra=["x"]), "'extra' must be an object"),
        (_run(start_time="yesterday"), "not an ISO 8601 timestamp"),
        (
            _run(inputs={"messages": [[{"role": "user", "content": 42}]]}),
            "content must be text or a list of parts",
        ),
    ],
)
def test_a_malformed_run_is_a_located_bad_record(row: Any, reason: str) -> None:
    calls, bad = _calls(_run(id="ok"), row)
    assert [c.where.line for c in calls] == [1]
    ((line, message),) = bad
    assert line == 2 and reason in message, message


def test_a_run_given_twice_is_read_once_and_reported() -> None:
    calls, bad = _calls(_run(id="r1"), [_run(id="r2"), _run(id="r2")], [_run(id="r1")])
    assert [c.where.line for c in calls] == [1, 2]
    assert bad[0] == (
        2,
        "LangSmith llm run r2 is given twice (first at t.jsonl:2): give each run once",
    )
    del bad[0]
    assert bad == [
        (3, "LangSmith llm run r1 is given twice (first at t.jsonl:1): give each run once")
    ]


def test_a_malformed_run_is_exit_2_with_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[Any] = _rows(BANK)
    broken = copy.deepcopy(rows[3])
    broken["inputs"]["messages"][0][1] = {"type": "robot", "content": "?"}
    rows[3] = broken
    log = _jsonl(tmp_path / "export.jsonl", rows)
    assert main(["audit", str(log), "--format", "langsmith", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"{log}:4:1: LangSmith llm run 'ChatOpenAI' ({broken['id']}): " in err
    assert "unknown type or role 'robot'" in err
    assert not (tmp_path / "o" / "traces").exists()


def test_hostile_exports_are_read_or_located_never_a_crash(tmp_path: Path) -> None:
    # child runs nested as deep as a JSON line can hold them
    deep: dict[str, Any] = _run(id="leaf", extra={})
    for n in range(320):
        deep = {
            "id": f"c{n}",
            "name": "c",
            "run_type": "chain",
            "start_time": "2026-01-01T10:00:00Z",
            "child_runs": [deep],
        }
    log = tmp_path / "deep.jsonl"
    log.write_text(json.dumps(deep) + "\n", encoding="utf-8")
    calls, bad = _read(log)
    assert [c.conversation for c in calls] == ["t1"] and not bad.problems
    # parents that name each other: the thread lookup ends
    loop = {"id": "b", "name": "x", "run_type": "chain", "start_time": "2026-01-01T10:00:00Z"}
    calls, problems = _calls(
        _run(id="a", parent_run_id="b", extra={}), {**loop, "parent_run_id": "a"}
    )
    assert [c.conversation for c in calls] == ["t1"] and not problems
    # a tool call's arguments nested too deep to write back as JSON text
    args: Any = 1
    for _ in range(5000):
        args = [args]
    hostile = _lc("AIMessage", content="", tool_calls=[{"name": "f", "args": args, "id": "x"}])
    calls, problems = _calls(_run(inputs={"messages": [[hostile]]}))
    assert not calls and problems[0][0] == 1


# ------------------------------------------------------------------ telling the format


def _first(path: Path) -> Any:
    bad = BadRecords()
    return next(iter(read_records(str(path), bad))).data


def _other_fixtures() -> list[Path]:
    return sorted(
        p for p in DATA.iterdir() if p.suffix == ".jsonl" and not p.name.startswith("langsmith_")
    )


def test_sniffing_tells_langsmith_apart_from_the_other_formats() -> None:
    assert _other_fixtures()  # the other formats' fixtures are there to be told apart
    for path in sorted(DATA.glob("langsmith_*.jsonl")):
        first = _first(path)
        assert sniff(first)
        assert sniff([first]) and sniff({"runs": [first]})
        for format in _audit.FORMATS:
            module = _audit._module(format)
            other = getattr(module, "sniff", None) if format != "langsmith" else None
            assert not (callable(other) and other(first)), f"{format} claims {path.name}"
    for path in _other_fixtures():
        assert not sniff(_first(path)), path.name


def test_format_auto_picks_langsmith(tmp_path: Path) -> None:
    """Needs "langsmith" in replay.audit._audit.SNIFF_ORDER."""
    assert _audit.sniff(LogRecord(Location("x", 1, 1), _first(BANK))) == "langsmith"
    out = tmp_path / "out"
    assert main(["audit", str(SUPPORT_BOT), "--out", str(out)]) == 1
    header = json.loads((out / "traces" / "support-bot-summarized.trace.jsonl").open().readline())
    assert header["agent"]["format"] == "langsmith"
