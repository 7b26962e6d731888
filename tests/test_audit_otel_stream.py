"""The OpenTelemetry GenAI and OpenInference importers read an export twice and hold no message:
their calls and bad records are those the whole-export reading finds (the previous design,
kept here as the reference), on the fixtures and on generated exports whose parents, conversation
ids and log record events come on later lines; and what they hold does not grow with the
messages."""

from __future__ import annotations

import io
import json
import random
import sys
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from replay.audit import _openinference, _otel
from replay.audit._otel import Ancestors, Bad, Span, SpanTest, span_key
from replay.audit._read import BadRecords, LogRecord, read_records
from replay.audit._records import LoggedCall
from replay.cli import main
from replay.spec._scenario import Location

DATA = Path(__file__).parent / "data" / "audit"

# ------------------------------------------------------------------ the reference


class _WholeIndex:
    """Every span by (trace id, span id), as the whole-export design held them."""

    def __init__(self, spans: list[Span]) -> None:
        self.by_id = {(s.trace_id, s.span_id): s for s in spans}

    def inherited(self, span: Span, key: str) -> str | None:
        seen: set[str] = set()
        current: Span | None = span
        while current is not None and current.span_id not in seen:
            seen.add(current.span_id)
            value = current.attributes.get(key)
            if value not in (None, ""):
                return str(value)
            parent = current.parent_id
            current = self.by_id.get((current.trace_id, parent)) if parent else None
        return None


Vocabulary = tuple[SpanTest, Callable[[Span, Ancestors], LoggedCall], tuple[SpanTest, str, str]]
GENAI: Vocabulary = (
    _otel.is_inference,
    _otel.span_call,
    (_otel.is_openinference_llm, "openinference", "the export holds OpenInference LLM spans"),
)
OPENINFERENCE: Vocabulary = (
    _openinference.is_llm,
    _openinference.span_call,
    (
        lambda s: "openinference.span.kind" not in s.attributes and _otel.is_inference(s),
        "otel",
        "the export holds OpenTelemetry GenAI spans",
    ),
)
Importer = Callable[..., Iterator[LoggedCall]]
FORMATS: dict[str, tuple[Importer, Vocabulary]] = {
    "otel": (_otel.import_calls, GENAI),
    "openinference": (_openinference.import_calls, OPENINFERENCE),
}


def whole_export(
    records: Iterable[LogRecord], bad: Bad, vocabulary: Vocabulary
) -> Iterator[LoggedCall]:
    """The calls as the importer found them when it held every span of the export."""
    is_call, to_call, (is_other, use, what) = vocabulary
    spans: list[Span] = []
    logs: list[tuple[Location, str, str, _otel.Event]] = []
    for record in records:
        try:
            found, events = _otel._record(record.where, record.data)
        except (ValueError, TypeError, AttributeError) as exc:
            bad(record.where, f"malformed OTLP: {exc}")
            continue
        spans.extend(found)
        logs.extend(events)
    index = _WholeIndex(spans)
    orphans: dict[tuple[str, str], Location] = {}
    for where, trace_id, span_id, event in logs:
        owner = index.by_id.get((trace_id, span_id))
        if owner is not None:
            owner.events.append(event)
        elif event.name in (*_otel.LEGACY_EVENTS, _otel.DETAILS_EVENT):
            orphans.setdefault((trace_id, span_id), where)
    for (trace_id, span_id), where in orphans.items():
        bad(
            where,
            f"GenAI event log records of span {span_id or '(none)'} (trace {trace_id or '(none)'}),"
            " which is not in the export: give the traces file with the logs file",
        )
    read = 0
    for span in spans:
        if not is_call(span):
            continue
        read += 1
        try:
            yield to_call(span, index)
        except (ValueError, TypeError) as exc:
            bad(span.where, f"span {span.name!r} ({span.span_id}): {exc}")
    others = [s for s in spans if is_other(s)]
    if not read and others:
        bad(
            others[0].where,
            f"{what} ({len(others)} of them) and none this format reads: use --format {use}",
        )


Read = tuple[list[LoggedCall], list[str]]


def _three_ways(files: list[Path], format: str) -> tuple[Read, Read, Read]:
    """The export read by the reference, by the importer reading the files twice (as
    ``replay audit`` gives it them), and by the importer given a log it can read once."""
    importer, vocabulary = FORMATS[format]

    def records(bad: BadRecords) -> Iterator[LogRecord]:
        for name in files:
            yield from read_records(str(name), bad)

    def shown(bad: BadRecords) -> list[str]:
        return [f"{p.file}:{p.line}:{p.column}: {p.message}" for p in bad.problems]

    out: list[Read] = []
    bad = BadRecords()
    out.append((list(whole_export(records(bad), bad.add, vocabulary)), shown(bad)))
    bad = BadRecords()
    twice = importer(records(bad), bad, again=lambda: records(BadRecords()))
    out.append((list(twice), shown(bad)))
    bad = BadRecords()
    out.append((list(importer(records(bad), bad)), shown(bad)))
    return out[0], out[1], out[2]


# ------------------------------------------------------------------ the fixtures


FIXTURES = sorted(p.name for p in DATA.glob("otel_*.jsonl")) + sorted(
    p.name for p in DATA.glob("openinference_*.jsonl")
)


@pytest.mark.parametrize("format", ["otel", "openinference"])
@pytest.mark.parametrize("fixture", FIXTURES)
def test_the_fixtures_read_as_the_whole_export_read_them(fixture: str, format: str) -> None:
    reference, twice, once = _three_ways([DATA / fixture], format)
    assert twice == reference
    assert once == reference
    assert reference[0] or reference[1]  # calls, or the report of the other vocabulary


def test_a_log_given_with_its_traces_file_reads_as_one_export(tmp_path: Path) -> None:
    """The collector writes traces and logs to two files: the deprecated events (the whole
    content) come from the second, after every span."""
    traces, logs = tmp_path / "traces.jsonl", tmp_path / "logs.jsonl"
    lines = (DATA / "otel_openai_v2_events.jsonl").read_text(encoding="utf-8").splitlines()
    traces.write_text("".join(x + "\n" for x in lines if "resourceSpans" in x), "utf-8")
    logs.write_text("".join(x + "\n" for x in lines if "resourceSpans" not in x), "utf-8")
    for order in ([traces, logs], [logs, traces]):
        reference, twice, once = _three_ways(order, "otel")
        assert len(reference[0]) == 5 and not reference[1]
        assert all(c.input_complete and c.output for c in reference[0])
        assert twice == reference == once


# ------------------------------------------------------------------ generated exports


def _attrs(values: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": k, "value": {"stringValue": v}} for k, v in values.items()]


def _spans(*spans: dict[str, Any]) -> dict[str, Any]:
    return {"resourceSpans": [{"resource": {}, "scopeSpans": [{"spans": list(spans)}]}]}


def _logs(*logs: dict[str, Any]) -> dict[str, Any]:
    return {"resourceLogs": [{"resource": {}, "scopeLogs": [{"logRecords": list(logs)}]}]}


def _dotted(name: str) -> str:
    """``gen_ai_agent_name`` as the attribute ``gen_ai.agent.name``."""
    return name.replace("_", ".").replace("gen.ai.", "gen_ai.")


def _span(trace: str, span: str, parent: str, name: str, **attributes: str) -> dict[str, Any]:
    return {
        "traceId": trace,
        "spanId": span,
        "parentSpanId": parent,
        "name": name,
        "startTimeUnixNano": str(1_796_189_488_000_000_000 + int(span, 16)),
        "attributes": _attrs({_dotted(k): v for k, v in attributes.items()}),
    }


def _event(trace: str, span: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
    value = {"kvlistValue": {"values": [{"key": k, "value": v} for k, v in body.items()]}}
    return {"traceId": trace, "spanId": span, "eventName": name, "body": value}


def _text(value: str) -> dict[str, Any]:
    return {"stringValue": value}


def _conversation(c: int, size: int, rng: random.Random) -> tuple[list[Any], list[Any]]:
    """One conversation's span records (children first, their parents after) and its event
    log records: an agent span with the agent name and (mostly) the conversation id, a step
    span under it, three model calls under the step in the three shapes (current attributes,
    deprecated events as log records, a span that is a call only by its events), a tool
    span; now and then a span exported twice or content of the wrong shape."""
    trace = f"{c + 1:032x}"

    def sid(k: int) -> str:
        return f"{c:012x}{k:04x}"

    agent = {"gen_ai_operation_name": "invoke_agent", "gen_ai_agent_name": f"agent-{c % 3}"}
    if c % 4 != 3:  # else the trace id is the conversation
        agent["gen_ai_conversation_id"] = f"conv-{c}"
    said = f"conversation {c} " + "x" * size
    spans: list[Any] = []
    logs: list[Any] = []
    for k in range(3):
        style = (c + k) % 3
        span_id = sid(2 + k)
        if style == 0:
            messages = [{"role": "user", "parts": [{"type": "text", "content": f"{k} {said}"}]}]
            if c == 2 and k == 1:
                messages = "not JSON"  # type: ignore[assignment]
            span = _span(
                trace,
                span_id,
                sid(1),
                "chat m",
                gen_ai_operation_name="chat",
                gen_ai_request_model="m",
                gen_ai_input_messages=json.dumps(messages),
                gen_ai_output_messages=json.dumps(
                    [{"role": "assistant", "parts": [{"type": "text", "content": "I am an AI"}]}]
                ),
            )
            if c % 5 == 0 and k == 1:  # its own id wins over its agent's
                span["attributes"] += _attrs({"gen_ai.conversation.id": f"own-{c}"})
        else:
            extra = {"gen_ai_operation_name": "chat", "gen_ai_request_model": "m"}
            span = _span(trace, span_id, sid(1), "chat m" if style == 1 else "llm")
            if style == 1:
                span["attributes"] = _attrs({_dotted(k): v for k, v in extra.items()})
            logs += [
                _event(trace, span_id, "gen_ai.system.message", {"content": _text("Be an AI.")}),
                _event(trace, span_id, "gen_ai.user.message", {"content": _text(f"{k} {said}")}),
                _event(
                    trace,
                    span_id,
                    "gen_ai.choice",
                    {
                        "index": {"intValue": "0"},
                        "finish_reason": _text("stop"),
                        "message": {
                            "kvlistValue": {
                                "values": [{"key": "content", "value": _text(f"reply {k}")}]
                            }
                        },
                    },
                ),
            ]
        spans.append(_spans(span))
        if c % 7 == 0 and k == 0:
            spans.append(_spans(span))  # exported twice: both are read, as they were
    tool = _span(trace, sid(9), sid(1), "execute_tool", gen_ai_operation_name="execute_tool")
    step = _span(trace, sid(1), sid(0), "step")
    root = _span(trace, sid(0), "", "invoke_agent", **agent)
    if rng.random() < 0.5:
        spans.append(_spans(tool, step, root))  # one batch of three
    else:
        spans += [_spans(tool), _spans(step), _spans(root)]
    return spans, logs


def _generated(tmp_path: Path, conversations: int, seed: int, size: int = 40) -> list[Path]:
    """A two-file export of interleaved conversations: the traces file, where some event log
    records come just before or after their span, and the logs file with the rest in about
    their spans' order; one orphan GenAI event, one non-GenAI log of no span and one line
    that is not OTLP."""
    rng = random.Random(seed)
    traces: list[Any] = []
    logs: list[Any] = []
    pending = [_conversation(c, size, rng) for c in range(conversations)]
    while any(spans for spans, _ in pending):  # round robin, as concurrent users are
        for spans, events in pending:
            if spans:
                traces.append(spans.pop(0))
            while events and rng.random() < 0.6:
                event = events.pop(0)
                if rng.random() < 0.3:
                    traces.insert(max(0, len(traces) - rng.randrange(4)), _logs(event))
                else:
                    logs.append(event)
    for _, events in pending:
        logs += events
    for k in range(len(logs) - 1):  # a little out of order
        if rng.random() < 0.2:
            logs[k], logs[k + 1] = logs[k + 1], logs[k]
    orphan = _event(f"{999:032x}", f"{999:016x}", "gen_ai.user.message", {"content": _text("?")})
    stray = {"traceId": f"{998:032x}", "spanId": f"{998:016x}", "body": _text("GET /health")}
    traces.insert(len(traces) // 2, {"not": "otlp"})
    files = [tmp_path / "traces.jsonl", tmp_path / "logs.jsonl"]
    files[0].write_text("".join(json.dumps(r) + "\n" for r in traces), "utf-8")
    lines = [_logs(e) for e in logs[: len(logs) // 2]] + [_logs(orphan, stray)]
    lines += [_logs(*logs[len(logs) // 2 :])]  # the rest in one batch
    files[1].write_text("".join(json.dumps(r) + "\n" for r in lines), "utf-8")
    return files


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_generated_export_with_parents_and_events_after_their_spans(
    seed: int, tmp_path: Path
) -> None:
    files = _generated(tmp_path, 24, seed)
    reference, twice, once = _three_ways(files, "otel")
    assert twice == reference
    assert once == reference
    calls, bad = reference
    # 72 calls; three spans exported twice are read twice (the fourth, a call only by its
    # events, is not: its events are the later copy's); one has content of the wrong shape
    assert len(calls) == 72 + 3 - 1
    # what the test is about: ancestors after their children, events from the other file
    assert {c.agent for c in calls} == {"agent-0", "agent-1", "agent-2"}
    assert {"conv-5", "own-5", f"{4:032x}"} <= {c.conversation for c in calls}
    assert sum(any(m.text == "Be an AI." for m in c.input) for c in calls) == 48
    assert sum(c.output is None for c in calls) == 1  # the first copy, without its events
    assert [c.where for c in calls] == sorted(
        (c.where for c in calls), key=lambda w: (w.file != str(files[0]), w.line)
    )
    assert len(bad) == 3
    assert "malformed OTLP" in bad[0] and "not in the export" in bad[1]
    assert "gen_ai.input.messages" in bad[2]


def _traces(out: Path) -> dict[str, list[Any]]:
    """Each trace's records, its header without the files it was read from."""
    found = {}
    for path in sorted((out / "traces").iterdir()):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        records[0].pop("source")
        found[path.name] = records
    return found


def test_replay_audit_reads_the_two_files_as_standard_input_gives_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files read twice, standard input once and held: the same traces (and the same
    exit: 3, conversation 7's first copy of a span without its events has no output)."""
    files = _generated(tmp_path, 12, 3)
    out = tmp_path / "files"
    args = ["--format", "otel", "--max-bad", "3", "--checks", "context_retains"]
    assert main(["audit", *map(str, files), "--out", str(out), *args]) == 3
    both = b"".join(f.read_bytes() for f in files)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(both)))
    piped = tmp_path / "stdin"
    assert main(["audit", "-", "--out", str(piped), *args]) == 3
    traces = _traces(out)
    assert len(traces) == 12 + 1 and traces == _traces(piped)  # and own-5


def test_openinference_sessions_and_agents_from_parents_exported_later(tmp_path: Path) -> None:
    lines = []
    for c in range(6):
        trace = f"{c + 1:032x}"
        for k in range(3):
            llm = _span(trace, f"{c:012x}{k + 2:04x}", f"{c:012x}0001", "ChatOpenAI")
            llm["attributes"] = _attrs(
                {
                    "openinference.span.kind": "LLM",
                    "llm.model_name": "m",
                    "llm.input_messages.0.message.role": "user",
                    "llm.input_messages.0.message.content": f"hello {c} {k}",
                }
            )
            lines.append(_spans(llm))
        chain = _span(trace, f"{c:012x}0001", f"{c:012x}0000", "chain")
        chain["attributes"] = _attrs({"openinference.span.kind": "CHAIN", "agent.name": "a"})
        root = _span(trace, f"{c:012x}0000", "", "root")
        root["attributes"] = _attrs({"session.id": f"s{c % 2}"})
        lines += [_spans(chain), _spans(root)]
    path = tmp_path / "oi.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), "utf-8")
    reference, twice, once = _three_ways([path], "openinference")
    assert twice == reference == once
    assert {(c.conversation, c.agent) for c in reference[0]} == {("s0", "a"), ("s1", "a")}


def test_a_log_that_changes_between_the_reads_is_reported(tmp_path: Path) -> None:
    files = _generated(tmp_path, 4, 0)
    first = list(read_records(str(files[0]), BadRecords()))
    grown = [
        *first,
        LogRecord(Location("traces.jsonl", 999, 1), _spans(_span("ab", "cd", "", "x"))),
    ]
    bad = BadRecords()
    # written to since the first read: the second reads no further than the first did
    calls = list(_otel.import_calls(iter(first), bad, again=lambda: grown))
    assert calls == list(_otel.import_calls(first, BadRecords()))
    changed = [LogRecord(r.where, _spans(_span("ab", "cd", "", "x"))) for r in first]
    bad = BadRecords()
    list(_otel.import_calls(iter(first), bad, again=lambda: changed))
    assert "the log changed while it was read: span cd is new" in bad.problems[-1].message
    both = [*first, *read_records(str(files[1]), BadRecords())]
    emptied = [LogRecord(r.where, _logs()) if "resourceLogs" in r.data else r for r in both]
    bad = BadRecords()
    list(_otel.import_calls(iter(both), bad, again=lambda: emptied))
    assert "the log changed while it was read: its events ended early" in bad.problems[-1].message


def test_span_keys_keep_distinct_ids_apart() -> None:
    assert span_key("ab", "c") != span_key("a", "bc")
    assert span_key("abcd", "ef") != span_key("ab", "cdef")
    assert span_key("AB", "cd") != span_key("ab", "cd")
    assert span_key("ab cd", "ef") != span_key("abcd", "ef")
    assert len(span_key(f"{7:032x}", f"{7:016x}")) == 25


# ------------------------------------------------------------------ memory


def _big(spans: int, size: int, deprecated: bool) -> Callable[[], Iterator[LogRecord]]:
    """A made export of ``spans`` model calls each with a message of ``size`` characters
    (the content on the span, or in event log records after every span), made as it is read,
    so that nothing but the importer can hold it."""

    def records() -> Iterator[LogRecord]:
        for i in range(spans):
            trace, span_id = f"{i // 4 + 1:032x}", f"{i:016x}"
            text = f"{i} " + "x" * size
            attributes = {"gen_ai_operation_name": "chat", "gen_ai_conversation_id": f"c{i // 4}"}
            if not deprecated:
                parts = [{"type": "text", "content": text}]
                attributes["gen_ai_input_messages"] = json.dumps([{"role": "user", "parts": parts}])
            where = Location("big.jsonl", i + 1, 1)
            yield LogRecord(where, _spans(_span(trace, span_id, "", "chat", **attributes)))
        for i in range(spans if deprecated else 0):
            trace, span_id = f"{i // 4 + 1:032x}", f"{i:016x}"
            body = {"content": _text(f"{i} " + "x" * size)}
            where = Location("big.jsonl", spans + i + 1, 1)
            yield LogRecord(where, _logs(_event(trace, span_id, "gen_ai.user.message", body)))

    return records


@pytest.mark.parametrize("deprecated", [False, True])
def test_the_index_holds_the_same_whatever_the_messages_carry(deprecated: bool) -> None:
    tests = (_otel.is_inference, _otel.is_openinference_llm)
    small, large = (
        _otel.first_read(_big(200, size, deprecated)(), BadRecords().add, tests, _otel.INHERITED)
        for size in (10, 100_000)
    )
    assert len(small) == len(large) == 200
    assert small.footprint() == large.footprint()
    assert large.footprint() < 200 * 300  # bytes: ids and conversation ids, no message


def _peak(calls: Callable[[], Iterator[LoggedCall]]) -> tuple[int, int]:
    """How many calls and the most memory (bytes, tracemalloc) held while reading them."""
    tracemalloc.start()
    try:
        count = sum(1 for _ in calls())
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("deprecated", [False, True])
def test_reading_an_export_holds_one_call_not_the_export(deprecated: bool) -> None:
    spans, size = 40, 100_000
    records = _big(spans, size, deprecated)
    count, streamed = _peak(lambda: _otel.import_calls(records(), BadRecords(), again=records))
    assert count == spans
    whole_count, whole = _peak(lambda: whole_export(records(), BadRecords().add, GENAI))
    assert whole_count == spans
    bound = spans * size // 4  # a quarter of the messages: the whole-export design held all
    assert whole > bound
    assert streamed < bound
