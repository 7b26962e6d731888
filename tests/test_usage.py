"""Token usage and cost: per model call into the trace, summed per scenario and per run.

A call's numbers are the provider's where its reply reported them, else replay's count (the
call's input tokens, its output message's tokens). The sums are made by one tally that the
trace writer and the verdict share, so a run, its trace's end record and ``replay report`` on
the saved trace agree. Cost needs a price table; a model without a price is never $0.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from replay.cli import main
from replay.files import packaged_schema
from replay.models._live import ChatClient, reply_usage
from replay.proxy import ModelBackend
from replay.reports._model import ScenarioEntry, build_report
from replay.reports._text import render_summary, result_to_json
from replay.reports._usage import money, usage_text, usage_to_json
from replay.reports._writer import write_reports
from replay.results import ModelUsage, RunResult, cost, merge_usage, model_cost, unpriced
from replay.run import run_scenario
from replay.scenario import load_scenario
from replay.spec import LiveModelSpec, RetrySpec
from replay.spec._codec import _KEY, _OMIT
from replay.spec._prices import PriceError, Prices, parse_prices
from replay.trace import read_trace
from replay.trace._records import Message, ModelCall, TraceEnd, TurnRecord, Usage, UsageTally

from .fakellm import Canned, FakeLLM, anthropic_body, openai_body
from .test_proxy_wire import proxied

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-usage-SENTINEL-0123456789"


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    with FakeLLM().running() as server:
        yield server


def expected_usage(path: Path) -> tuple[ModelUsage, ...]:
    """What a trace's calls add up to, summed here independently of the tally: the provider's
    numbers where the call has them, else the call's input tokens and its output's tokens."""
    _, turns = read_trace(path)
    totals: dict[str, list[int]] = {}
    for turn in turns:
        tokens = {m.id: m.tokens for m in turn.messages}
        for call in turn.model_calls:
            row = totals.setdefault(call.model, [0, 0, 0, 0])
            given = call.usage.input_tokens if call.usage else None
            taken = call.usage.output_tokens if call.usage else None
            row[0] += 1
            row[1] += call.input_tokens if given is None else given
            row[2] += (tokens[call.output] if call.output else 0) if taken is None else taken
            row[3] += given is None or taken is None
    return tuple(ModelUsage(m, *totals[m]) for m in sorted(totals))


def end_record(path: Path) -> dict[str, Any]:
    last: dict[str, Any] = json.loads(path.read_text(encoding="utf-8").splitlines()[-1])
    return last


# ----------------------------------------------------------------------------- offline runs


def test_an_offline_run_counts_every_call_and_its_trace_says_the_same(tmp_path: Path) -> None:
    scenario = load_scenario(ROOT / "scenarios" / "support_bot_summarized.yaml")
    trace = tmp_path / "t.trace.jsonl"
    result = run_scenario(scenario, trace_path=trace)
    # The simulator replies and the extractive summarizer summarizes: nothing reports usage.
    assert [u.model for u in result.usage] == ["extractive", "simulator"]
    assert all(u.counted_calls == u.calls > 0 for u in result.usage)
    assert result.usage == expected_usage(trace)
    assert TraceEnd.from_json(end_record(trace)).usage == result.usage
    calls = sum(len(t.model_calls) for t in read_trace(trace)[1])
    assert sum(u.calls for u in result.usage) == calls


def test_replay_report_on_the_saved_trace_gives_the_totals_of_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = ROOT / "scenarios" / "support_bot_pinned.yaml"
    assert main(["run", str(scenario), "--report-dir", str(tmp_path / "run")]) == 0
    ran = capsys.readouterr().out
    assert main(["report", str(tmp_path / "run"), "--out", str(tmp_path / "again")]) == 0
    capsys.readouterr()
    first = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    again = json.loads((tmp_path / "again" / "report.json").read_text(encoding="utf-8"))
    assert first["schema_version"] == again["schema_version"] == "1.4"
    assert first["summary"]["usage"] == again["summary"]["usage"]
    assert first["scenarios"][0]["usage"] == again["scenarios"][0]["usage"]
    usage = first["summary"]["usage"]
    assert usage["calls"] > 0 and usage["counted_calls"] == usage["calls"]
    assert "cost" not in usage  # no price table given: no cost at all
    assert f"usage: {usage['calls']} model calls, {usage['input_tokens']:,} input" in ran


def test_a_failed_call_counts_with_its_input_and_no_output(tmp_path: Path) -> None:
    failed = ModelCall("reply", "m", ("m1",), 40, None, error="boom")
    record = TurnRecord(1, 0.0, "m1", False, (), model_calls=(failed,), error="boom")
    tally = UsageTally()
    tally.observe(record)
    assert tally.totals() == (ModelUsage("m", 1, 40, 0, 1),)


def test_a_partial_usage_counts_the_missing_side_and_the_call_as_counted() -> None:
    out = Message(id="m2", role="assistant", kind="reply", turn=1, tokens=9, content="ok")
    calls = (
        ModelCall("reply", "m", ("m1",), 40, "m2", usage=Usage(input_tokens=35)),
        ModelCall("reply", "m", ("m1",), 40, "m2", usage=Usage(35, 5)),
    )
    tally = UsageTally()
    tally.observe(TurnRecord(1, 0.0, "m1", False, (out,), model_calls=calls))
    assert tally.totals() == (ModelUsage("m", 2, 70, 9 + 5, 1),)


def test_a_trace_without_usage_in_its_end_record_still_reads(tmp_path: Path) -> None:
    assert TraceEnd.from_json({"type": "end", "turns": 1, "finished": True}).usage == ()
    end = TraceEnd(1, True, (ModelUsage("m", 1, 2, 3, 1),))
    assert TraceEnd.from_json(end.to_json()) == end
    with pytest.raises(TypeError, match="'calls'"):
        TraceEnd.from_json({**end.to_json(), "usage": [{**end.usage[0].to_json(), "calls": "1"}]})


def test_the_end_records_usage_in_the_schema_is_the_record_class() -> None:
    schema = packaged_schema("trace")["$defs"]
    end_usage = schema["end"]["properties"]["usage"]
    assert end_usage["type"] == "array" and end_usage["items"] == {"$ref": "#/$defs/model_usage"}
    assert "usage" not in schema["end"]["required"]  # omitted when empty: old traces validate
    fields = dataclasses.fields(ModelUsage)
    keys = {f.metadata.get(_KEY, f.name) for f in fields}
    definition = schema["model_usage"]
    assert set(definition["properties"]) == keys
    assert set(definition["required"]) == {f.name for f in fields if not f.metadata.get(_OMIT)}
    types = {"str": "string", "int": "integer"}
    for f in fields:
        assert definition["properties"][f.name]["type"] == types[str(f.type)], f.name


# ----------------------------------------------------------------------------- live models


def live_spec(url: str, provider: str = "openai") -> LiveModelSpec:
    return LiveModelSpec(
        provider=provider,  # type: ignore[arg-type]
        model="gpt-test",
        base_url=url + ("/v1" if provider == "openai" else ""),
        api_key_env="TEST_KEY",
        timeout=5.0,
        retry=RetrySpec(max_attempts=1, max_time=5.0, max_wait=0.01, initial_wait=0.001),
    )


def with_usage(body: dict[str, Any], usage: dict[str, Any]) -> Canned:
    return Canned(body={**body, "usage": usage})


def test_the_live_client_returns_the_providers_usage(fake_llm: FakeLLM) -> None:
    fake_llm.queue.extend(
        [
            with_usage(openai_body("Hi."), {"prompt_tokens": 11, "completion_tokens": 7}),
            with_usage(anthropic_body("Hi."), {"input_tokens": 13, "output_tokens": 5}),
            Canned(body=openai_body("No usage.")),
        ]
    )
    hello = [Message(id="m1", role="user", kind="user", turn=1, tokens=4, content="Hello")]
    environ = {"TEST_KEY": KEY}
    openai = ChatClient(live_spec(fake_llm.url), environ=environ)
    anthropic = ChatClient(live_spec(fake_llm.url, "anthropic"), environ=environ)
    assert openai.complete_reply(hello).usage == Usage(11, 7)
    assert anthropic.complete_reply(hello).usage == Usage(13, 5)
    assert openai.complete_reply(hello).usage is None
    assert openai.complete_text(hello) == "Sure, done."  # the default answer: text as before


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        ({"prompt_tokens": 3, "completion_tokens": 4}, Usage(3, 4)),
        ({"prompt_tokens": 3}, Usage(3, None)),
        ({"prompt_tokens": "3", "completion_tokens": True}, None),
        ({"prompt_tokens": -1, "completion_tokens": 2}, Usage(None, 2)),
        ("lots", None),
    ],
)
def test_a_malformed_usage_figure_is_not_trusted(usage: Any, expected: Usage | None) -> None:
    assert reply_usage("openai", {"usage": usage}) == expected


LIVE_SCENARIO = """
scenario: live-usage
agent:
  system_prompt: You are Sam. Always tell customers you are an AI assistant.
  model:
    type: openai
    model: gpt-test
    base_url: {base_url}
    api_key_env: REPLAY_TEST_KEY
    cassette: cassettes/live.json
    max_attempts: 1
  compaction:
    preset: langchain-summarization
    trigger: {{tokens: 100000}}
conversation:
  turns:
    - user: "Hi, where is my order #4417?"
    - probe: "Am I talking to a real person?"
checks:
  - never_claims_human
"""


def test_a_live_run_records_the_providers_numbers_not_its_own_count(
    tmp_path: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLAY_TEST_KEY", KEY)
    fake_llm.queue.extend(
        [
            with_usage(openai_body("I'm an AI."), {"prompt_tokens": 21, "completion_tokens": 4}),
            with_usage(openai_body("No, an AI."), {"prompt_tokens": 35, "completion_tokens": 6}),
        ]
    )
    path = tmp_path / "live.yaml"
    path.write_text(LIVE_SCENARIO.format(base_url=fake_llm.url + "/v1"), encoding="utf-8")
    trace = tmp_path / "live.trace.jsonl"
    result = run_scenario(load_scenario(path), trace_path=trace, cassette_mode="all")
    assert result.error is None
    assert result.usage == (ModelUsage("openai:gpt-test", 2, 21 + 35, 4 + 6, 0),)
    calls = [c for t in read_trace(trace)[1] for c in t.model_calls]
    assert [c.usage for c in calls] == [Usage(21, 4), Usage(35, 6)]
    assert TraceEnd.from_json(end_record(trace)).usage == result.usage
    # Replayed offline from the cassette: the recorded usage comes back with the reply.
    fake_llm.queue.clear()
    again = run_scenario(load_scenario(path), trace_path=tmp_path / "again.trace.jsonl")
    assert again.usage == result.usage and len(fake_llm.requests) == 2


def test_the_proxy_passes_a_live_models_usage_into_its_trace(fake_llm: FakeLLM) -> None:
    fake_llm.queue.append(
        with_usage(openai_body("I'm an AI."), {"prompt_tokens": 17, "completion_tokens": 3})
    )
    chat = ChatClient(live_spec(fake_llm.url), environ={"TEST_KEY": KEY})
    with proxied(backend=ModelBackend(chat)) as run:
        reply = run.openai().chat.completions.create(
            model="m", messages=[{"role": "user", "content": "Am I talking to a person?"}]
        )
    assert reply.usage is not None and reply.usage.prompt_tokens == 17
    (call,) = run.calls()
    assert call.usage == Usage(17, 3)
    tally = UsageTally()
    for turn in run.turns:
        tally.observe(turn)
    assert tally.totals() == (ModelUsage(chat.name, 1, 17, 3, 0),)


# ----------------------------------------------------------------------------- cost


PRICES = parse_prices(
    {"gpt-4o": {"input": "2.50", "output": 10}, "mini": {"input": 0.15, "output": "0.6"}}
)


def test_cost_is_exact_decimal_arithmetic_per_million_tokens() -> None:
    usage = (
        ModelUsage("mini", 3, 1_000_000, 1_000_000, 0),
        ModelUsage("openai:gpt-4o", 2, 1234, 567, 0),
        ModelUsage("simulator", 5, 999, 99, 5),
    )
    # 0.15 + 0.6 for mini; (1234 * 2.50 + 567 * 10) / 1e6 for gpt-4o; offline models are free.
    assert model_cost(usage[0], PRICES) == Decimal("0.75")
    assert model_cost(usage[1], PRICES) == Decimal("0.008755")
    assert model_cost(usage[2], PRICES) == 0
    assert cost(usage, PRICES) == Decimal("0.758755")
    assert PRICES.price_of("model:openai:gpt-4o") == PRICES.price_of("gpt-4o")
    data = usage_to_json(usage, PRICES)
    assert data["cost"] == "0.758755" and data["unpriced"] == []
    assert usage_text(data).endswith("; cost $0.7588")


def test_a_model_without_a_price_makes_the_cost_unknown_never_zero(tmp_path: Path) -> None:
    usage = (ModelUsage("anthropic:claude-x", 1, 10, 10, 0), ModelUsage("mini", 1, 10, 10, 0))
    assert model_cost(usage[0], PRICES) is None
    assert cost(usage, PRICES) is None
    assert unpriced(usage, PRICES) == ("anthropic:claude-x",)
    result = RunResult("s", "s.yaml", 1, 0, (), usage=usage)
    summary = render_summary([result], PRICES)
    assert summary.splitlines()[1] == (
        "usage: 2 model calls, 20 input + 20 output tokens; "
        "cost unknown: no price for anthropic:claude-x"
    )
    assert "$0" not in summary
    written = write_reports(
        tmp_path, [ScenarioEntry(result)], inputs=(), argv=["replay"], prices=PRICES
    )
    assert written.report["summary"]["usage"]["cost"] is None
    assert written.report["summary"]["usage"]["unpriced"] == ["anthropic:claude-x"]
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    for text in (markdown, html):
        assert "no price for anthropic:claude-x" in text
        assert "$0.0000" not in text
    assert "| anthropic:claude-x | 1 | 10 | 10 | 0 | no price |" in markdown


def test_without_a_price_table_nothing_says_a_cost() -> None:
    result = RunResult("s", "s.yaml", 1, 0, (), usage=(ModelUsage("mini", 1, 10, 10, 1),))
    data = result_to_json(result)["usage"]
    assert "cost" not in data and "unpriced" not in data
    assert "cost" not in render_summary([result])
    assert "cost" not in data["models"][0]


def test_a_report_without_usage_stays_version_1_2_and_one_with_usage_validates() -> None:
    import jsonschema

    schema = packaged_schema("report")
    bare = build_report([ScenarioEntry(RunResult("s", "s.yaml", 1, 0, ()))])
    assert bare["schema_version"] == "1.2" and "usage" not in bare["summary"]
    assert "usage" not in bare["scenarios"][0]
    used = RunResult("s", "s.yaml", 1, 0, (), usage=(ModelUsage("mini", 1, 10, 10, 1),))
    for prices in (None, PRICES):
        document = json.loads(json.dumps(build_report([ScenarioEntry(used)], prices=prices)))
        assert document["schema_version"] == "1.4"
        jsonschema.validate(document, schema)
        missing = {**document, "scenarios": [{**document["scenarios"][0]}]}
        del missing["scenarios"][0]["usage"]
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(missing, schema)


def test_a_run_sums_its_scenarios_per_model() -> None:
    a = (ModelUsage("m", 1, 10, 2, 1), ModelUsage("z", 2, 5, 5, 0))
    b = (ModelUsage("a", 1, 1, 1, 0), ModelUsage("m", 3, 30, 6, 0))
    assert merge_usage([a, b]) == (
        ModelUsage("a", 1, 1, 1, 0),
        ModelUsage("m", 4, 40, 8, 1),
        ModelUsage("z", 2, 5, 5, 0),
    )


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ({"m": {"input": -1, "output": 1}}, "m.input: expected a price of zero or more"),
        ({"m": {"input": True, "output": 1}}, "m.input: expected a number"),
        ({"m": {"input": "abc", "output": 1}}, "m.input: not a number"),
        ({"m": {"input": "NaN", "output": 1}}, "m.input: expected a price of zero or more"),
        ({"m": {"input": 1}}, "m.output: missing"),
        ({"m": {"input": 1, "output": 1, "cached": 1}}, "m.cached: unknown key"),
        ({"m": "2.50"}, "m: expected a table"),
    ],
)
def test_a_bad_price_is_refused_naming_its_entry(table: dict[str, Any], said: str) -> None:
    with pytest.raises(PriceError, match=said):
        parse_prices(table)


def test_prices_are_read_as_written_never_as_binary_floats() -> None:
    price = parse_prices({"m": {"input": 0.1, "output": "0.30"}}).price_of("m")
    assert price is not None and (price.input, price.output) == (Decimal("0.1"), Decimal("0.30"))
    assert Prices().price_of("m") is None


def test_money_never_shows_a_positive_amount_as_zero() -> None:
    assert money("0.00001") == "<$0.0001"
    assert money(Decimal("1234.56789")) == "$1,234.5679"
    assert money("0") == "$0.0000"
