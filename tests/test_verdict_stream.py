"""One verdict from a stream of turn records (issue 13): ``replay run`` (run_scenario),
``replay check`` (check_recorded, with and without --scenario), ``replay report``
(analyse_trace) and check_trace all decide through VerdictStream, so they agree on the same
stream; fail closed: an empty stream, an errored turn, a stream cut short and a model call
still in flight are never a pass, and no check of them holds."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from replay.checks._runner import CheckRunner, check_trace
from replay.checks._verdict import NO_TURNS, VerdictStream
from replay.cli import check_recorded, main
from replay.errors import RunIncomplete
from replay.proxy._server import INTERRUPTED
from replay.reports._timeline import analyse_trace
from replay.results import ERROR, FAIL, PASS, Outcome, RunResult
from replay.run._runner import NO_SCENARIO_TURNS, incomplete_result, run_scenario
from replay.scenario import load_scenario
from replay.spec import CheckSpec, Scenario
from replay.trace import TurnRecord, read_trace
from replay.trace._io import trace_file_name, trace_file_scenario

from .helpers import SCENARIOS, scenario_from_text

RUNS_OUT = """\
scenario: runs-out
agent:
  system_prompt: "You are a helpful assistant. Always tell users you are an AI assistant."
  model: {type: scripted, replies: ["I'm an AI assistant."]}
conversation: {turns: [{user: "one"}, {user: "two"}, {user: "three"}]}
checks: [context_retains, never_claims_human]
"""


def traced(tmp_path: Path, scenario: Scenario) -> tuple[Path, RunResult]:
    """The run's result and the trace it wrote, in a folder of its own (a report folder)."""
    folder = tmp_path / scenario.name
    trace = folder / trace_file_name(scenario.name)
    return trace, run_scenario(scenario, trace)


def readers(trace: Path, scenario: Scenario | None = None) -> list[RunResult]:
    """What each reading of a saved trace makes of it."""
    results = [check_recorded(trace), analyse_trace(trace).result(path=str(trace))]
    if scenario is not None:
        results.append(check_recorded(trace, scenario))
    return results


def exit_codes(trace: Path, capsys: pytest.CaptureFixture[str]) -> list[int]:
    codes = [main(["check", str(trace)])]
    codes.append(main(["report", str(trace.parent), "--out", str(trace.parent / "report")]))
    printed = capsys.readouterr()
    assert "internal error" not in printed.err
    assert "PASS " not in printed.out or codes == [0, 0]
    return codes


def outcomes(result: RunResult) -> list[Outcome]:
    return [c.outcome for c in result.checks]


def same(run: RunResult, other: RunResult) -> None:
    assert (other.verdict, other.turns, other.compactions) == (
        run.verdict,
        run.turns,
        run.compactions,
    )
    assert (other.error, other.error_turn) == (run.error, run.error_turn)
    assert outcomes(other) == outcomes(run)
    assert [len(c.findings) for c in other.checks] == [len(c.findings) for c in run.checks]


@pytest.mark.parametrize(
    ("name", "verdict"),
    [("support_bot_pinned.yaml", PASS), ("sliding_window_loss.yaml", FAIL)],
)
def test_run_check_and_report_agree_on_a_finished_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, verdict: str
) -> None:
    scenario = load_scenario(SCENARIOS / name)
    trace, run = traced(tmp_path, scenario)
    assert run.verdict == verdict
    for result in readers(trace, scenario):
        same(run, result)
    assert exit_codes(trace, capsys) == [run.exit_code] * 2


def test_run_check_and_report_agree_on_a_turn_that_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = scenario_from_text(tmp_path, RUNS_OUT)
    trace, run = traced(tmp_path, scenario)
    assert run.verdict == ERROR and run.error_turn == 2 and run.turns == 2
    assert run.error is not None and run.error.startswith("turn 2: the scripted model has no")
    assert Outcome.HOLDS not in outcomes(run)
    for result in readers(trace, scenario):
        same(run, result)
    assert exit_codes(trace, capsys) == [3, 3]
    header, turns = read_trace(trace)
    assert not any(c.passed for c in check_trace(header, turns, scenario.checks))


def test_a_run_without_a_turn_is_an_error_as_its_trace_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Only a scenario built in code can have an empty script (the loader refuses one).
    scenario = dataclasses.replace(scenario_from_text(tmp_path, RUNS_OUT), script=())
    trace, run = traced(tmp_path, scenario)
    assert (run.verdict, run.turns, run.error) == (ERROR, 0, NO_SCENARIO_TURNS)
    assert outcomes(run) == [Outcome.COULD_NOT_RUN] * 2
    for result in readers(trace, scenario):
        assert (result.verdict, result.turns, result.error) == (ERROR, 0, NO_TURNS)
        assert outcomes(result) == outcomes(run)
    assert exit_codes(trace, capsys) == [3, 3]
    header, turns = read_trace(trace)
    assert not any(c.passed for c in check_trace(header, turns, scenario.checks))


def test_a_run_that_stopped_mid_stream_is_never_a_pass_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = load_scenario(SCENARIOS / "support_bot_pinned.yaml")
    folder = tmp_path / scenario.name
    trace = folder / trace_file_name(scenario.name)

    def stop(record: TurnRecord) -> None:
        if record.index == 3:  # what an adapter agent that dies mid-run does
            raise RunIncomplete("the agent went away")

    with pytest.raises(RunIncomplete):
        run_scenario(scenario, trace, on_turn=stop)
    run = incomplete_result(scenario, "the agent went away")  # what replay run shows
    for result in readers(trace, scenario):
        assert result.verdict == run.verdict == ERROR
        assert result.turns == 3
        assert result.error == f"{trace}: the run that wrote this trace stopped early"
        assert outcomes(result) == [Outcome.COULD_NOT_RUN] * len(result.checks)
    assert exit_codes(trace, capsys) == [run.exit_code] * 2


# ------------------------------------------------------- damaged traces: every reader agrees


def lines_of(trace: Path) -> list[str]:
    return trace.read_text(encoding="utf-8").splitlines()


def write_lines(trace: Path, lines: list[str], newline: bool = True) -> None:
    trace.write_text("\n".join(lines) + ("\n" if newline else ""), encoding="utf-8")


def end(turns: int, finished: bool) -> str:
    return json.dumps({"type": "end", "turns": turns, "finished": finished})


def empty(trace: Path) -> None:
    trace.write_bytes(b"")


def zero_turns(trace: Path) -> None:
    write_lines(trace, [lines_of(trace)[0], end(0, True)])


def cut_mid_line(trace: Path) -> None:
    lines = lines_of(trace)
    write_lines(trace, [*lines[:4], lines[4][:60]], newline=False)


def no_end_record(trace: Path) -> None:
    write_lines(trace, lines_of(trace)[:-1])


def stopped_early(trace: Path) -> None:
    lines = lines_of(trace)
    write_lines(trace, [*lines[:6], end(5, False)])


def errored_turn_read_on(trace: Path) -> None:
    # A turn in the middle recorded an error and the trace goes on to its (finished) end: the
    # error still decides, though later turns are read.
    lines = lines_of(trace)
    turn = json.loads(lines[3])
    turn["error"] = "a model call failed: HTTP 500"
    write_lines(trace, [*lines[:3], json.dumps(turn), *lines[4:]])


def call_in_flight(trace: Path) -> None:
    # As replay proxy records a model call still unanswered when it was stopped.
    lines = lines_of(trace)
    turn = json.loads(lines[5])
    turn.update(error=f"a model call failed: {INTERRUPTED}", reply=None)
    turn["messages"] = [m for m in turn["messages"] if m["role"] == "user"]
    turn["model_calls"][-1].update(output=None, error=INTERRUPTED)
    write_lines(trace, [*lines[:5], json.dumps(turn), end(5, False)])


DAMAGE: list[Callable[[Path], None]] = [
    empty,
    zero_turns,
    cut_mid_line,
    no_end_record,
    stopped_early,
    errored_turn_read_on,
    call_in_flight,
]


@pytest.fixture(scope="module")
def passing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult]:
    """A passing run's trace, written once for the module."""
    scenario = load_scenario(SCENARIOS / "support_bot_pinned.yaml")
    trace, run = traced(tmp_path_factory.mktemp("passing"), scenario)
    assert run.verdict == PASS
    return trace, run


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda d: d.__name__)
def test_every_reader_gives_a_damaged_trace_the_same_error_verdict(
    passing: tuple[Path, RunResult],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: Callable[[Path], None],
) -> None:
    source, _ = passing
    trace = tmp_path / "traces" / source.name
    trace.parent.mkdir()
    trace.write_bytes(source.read_bytes())
    damage(trace)
    scenario = load_scenario(SCENARIOS / "support_bot_pinned.yaml")
    results = readers(trace, scenario)
    first = results[0]
    assert first.verdict == ERROR and first.error is not None
    for result in results:
        assert (result.verdict, result.error, result.error_turn) == (
            first.verdict,
            first.error,
            first.error_turn,
        )
        assert Outcome.HOLDS not in outcomes(result)
    # The same checks, but for an empty file: no header names any (the scenario's do).
    assert outcomes(results[1]) == outcomes(first)
    if damage is not empty:
        assert outcomes(results[2]) == outcomes(first)
    assert exit_codes(trace, capsys) == [3, 3]
    if damage in (errored_turn_read_on, call_in_flight):
        assert first.error_turn is not None
        assert first.error.startswith(f"turn {first.error_turn}: a model call failed")
    if damage is not empty:
        header, turns = read_trace(trace)
        try:
            checked = check_trace(header, turns, scenario.checks)
        except RunIncomplete:
            return  # a trace cut short cannot be checked at all: fail closed too
        assert not any(c.passed for c in checked)


# ------------------------------------------------------------------ the stream on its own


def runner() -> CheckRunner:
    specs = [CheckSpec("context_retains", ("ai-identity",))]
    return CheckRunner(specs, ("ai-identity",))


def turn(index: int, error: str | None = None) -> TurnRecord:
    return TurnRecord(index, 0.0, user=None, probe=False, messages=(), error=error)


def test_a_stream_without_a_turn_is_an_error() -> None:
    verdict = VerdictStream(runner()).finish()
    assert (verdict.turns, verdict.error, verdict.error_turn) == (0, NO_TURNS, None)
    assert [c.outcome for c in verdict.checks] == [Outcome.COULD_NOT_RUN]
    assert VerdictStream(runner(), empty="nothing").finish().error == "nothing"


def test_the_first_error_is_the_one_named_and_a_cut_does_not_replace_it() -> None:
    stream = VerdictStream(runner())
    stream.observe(turn(1))
    assert not stream.stopped
    stream.observe(turn(2, error="boom"))
    stream.observe(turn(3, error="later"))
    stream.cut_short("the run stopped early")
    assert stream.stopped
    verdict = stream.finish()
    assert (verdict.turns, verdict.error, verdict.error_turn) == (3, "turn 2: boom", 2)
    assert [c.outcome for c in verdict.checks] == [Outcome.COULD_NOT_RUN]


def test_a_stream_cut_short_is_an_error_without_a_turn_to_blame() -> None:
    stream = VerdictStream(runner())
    stream.observe(turn(1))
    stream.cut_short("cut")
    verdict = stream.finish()
    assert (verdict.error, verdict.error_turn, verdict.turns) == ("cut", None, 1)
    result = verdict.result(scenario="s", path="s.yaml", agent={"type": "x"}, rules=("r",))
    assert (result.verdict, result.scenario, result.agent, result.rules) == (
        ERROR,
        "s",
        {"type": "x"},
        ("r",),
    )


def test_an_incomplete_result_names_its_scenario_and_is_never_compliant(tmp_path: Path) -> None:
    scenario = scenario_from_text(tmp_path, RUNS_OUT)
    result = incomplete_result(scenario, "no key")
    assert (result.verdict, result.error, result.turns, result.checks) == (ERROR, "no key", 0, ())
    assert (result.scenario, result.path) == (scenario.name, scenario.path)
    assert result.agent["type"] == "reference"


def test_trace_file_names_round_trip() -> None:
    assert trace_file_name("support-bot") == "support-bot.trace.jsonl"
    assert trace_file_scenario(trace_file_name("support-bot")) == "support-bot"
    assert trace_file_scenario("proxy.jsonl") == "proxy"
    assert trace_file_scenario(".trace.jsonl") == ".trace"  # no name before the suffix
    assert trace_file_scenario("notes.txt") == "notes.txt"
