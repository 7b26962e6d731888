"""Progress on long work (replay.cli._progress): on a terminal's stderr only, never in stdout.

The terminal is a StringIO that says it is one, handed in (or set as sys.stderr for the
command line); the clock is a counter the test advances, so nothing here depends on how fast
the machine is.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from replay.cli import _progress as progress
from replay.cli import main
from replay.cli._progress import FuzzProgress, RunProgress, wanted
from replay.results import RunResult
from replay.run import run_scenario
from replay.scenario import load_scenario
from replay.spec._fuzz import Conversation, FuzzTurn, Variation
from replay.spec._loop import CompactionSpec

from .helpers import SCENARIOS

FAST = [str(SCENARIOS / "support_bot_pinned.yaml"), str(SCENARIOS / "sliding_window_loss.yaml")]
ERASE_LINE = "\x1b[2K"
TERMINAL_ENV = {"TERM": "xterm-256color"}


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as a user's stderr does."""

    def isatty(self) -> bool:
        return True


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Ticking(Clock):
    """A second passes each time the clock is read: every tick may redraw."""

    def __call__(self) -> float:
        self.now += 1
        return self.now


def late(clock: Clock) -> None:
    """Past the delay after which progress appears."""
    clock.now += progress.DELAY + 1


def test_progress_is_wanted_on_a_terminal_only() -> None:
    assert wanted(Terminal(), environ=TERMINAL_ENV)
    assert not wanted(io.StringIO(), environ=TERMINAL_ENV)  # piped, redirected, captured
    assert not wanted(Terminal(), quiet=True, environ=TERMINAL_ENV)
    assert not wanted(Terminal(), machine=True, environ=TERMINAL_ENV)
    assert not wanted(Terminal(), environ={**TERMINAL_ENV, "CI": "true"})
    assert not wanted(Terminal(), environ={"TERM": "dumb"})


def test_a_run_shows_scenario_i_of_n_and_turns_per_second(tmp_path: Path) -> None:
    stream, clock = Terminal(), Clock()
    scenarios = [load_scenario(Path(p)) for p in FAST]
    turns = 0
    with RunProgress(stream, len(scenarios), enabled=True, clock=clock) as shown:
        late(clock)
        for index, scenario in enumerate(scenarios):
            shown.scenario(index, scenario.name)
            clock.now += 1
            result = run_scenario(scenario, on_turn=shown.on_turn)
            turns += result.turns
            with shown.paused():
                pass
        assert shown.turns == turns
    text = stream.getvalue()
    assert "scenario 1 of 2" in text and "scenario 2 of 2" in text
    assert scenarios[0].name in text and scenarios[1].name in text
    assert "turns/s" in text
    # Closed: the last thing written erases the line, so the summary starts on a clean line.
    assert text.endswith(ERASE_LINE)


def test_the_rate_is_turns_over_elapsed_seconds() -> None:
    stream, clock = Terminal(), Clock()
    with RunProgress(stream, 1, enabled=True, clock=clock) as shown:
        shown.scenario(0, "long")
        for _ in range(399):  # within the delay: counted, not shown
            shown.on_turn(None)  # type: ignore[arg-type]  # the display only counts records
        assert stream.getvalue() == ""
        clock.now = 4.0
        shown.on_turn(None)  # type: ignore[arg-type]
        assert "400 turns, 100 turns/s" in stream.getvalue()


def test_a_short_run_shows_nothing() -> None:
    stream, clock = Terminal(), Clock()
    with RunProgress(stream, 3, enabled=True, clock=clock) as shown:
        for index in range(3):
            shown.scenario(index, f"s{index}")
            clock.now += progress.DELAY / 4
            for _ in range(10):
                shown.on_turn(None)  # type: ignore[arg-type]
            with shown.paused():
                pass
    assert stream.getvalue() == ""


def test_disabled_progress_writes_nothing_however_long() -> None:
    stream, clock = Terminal(), Clock()
    with RunProgress(stream, 2, enabled=False, clock=clock) as shown:
        late(clock)
        shown.scenario(0, "a")
        shown.on_turn(None)  # type: ignore[arg-type]
        with shown.paused():
            pass
    assert stream.getvalue() == ""


def _variation(turns: int) -> Variation:
    conversation = Conversation(tuple(FuzzTurn(f"turn {i}") for i in range(turns)))
    return Variation("p", CompactionSpec(), conversation)


def _result(error: str | None) -> RunResult:
    return RunResult("s", "s.yaml", 1, 0, (), error=error)


def test_fuzzing_shows_the_shortest_failure_so_far() -> None:
    stream, clock = Terminal(), Clock()
    with FuzzProgress(stream, enabled=True, clock=clock) as shown:
        late(clock)
        shown.on_example(_variation(9), _result(None))  # unproven: no failure
        assert "shortest failure so far: none yet" in stream.getvalue()
        for turns in (7, 3, 5):
            clock.now += 1
            shown.on_example(_variation(turns), _result("the model failed"))
        assert (shown.examples, shown.failures, shown.shortest) == (4, 3, 3)
        assert stream.getvalue().rstrip().endswith("shortest failure so far: 3 turns")
    assert stream.getvalue().endswith(ERASE_LINE)


# The command line: sys.stderr is the terminal (main writes to the process's stderr).


def _run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stderr: io.StringIO,
    *argv: str,
) -> tuple[int, str, str]:
    with monkeypatch.context() as patch:
        for name in ("CI", "TERM"):
            patch.delenv(name, raising=False)
        patch.setenv("TERM", "xterm-256color")
        # Progress from the first turn: the documented delay is what a short run stays under.
        patch.setattr(progress, "DELAY", 0.0)
        patch.setattr(progress, "REFRESH", 0.0)
        patch.setattr(sys, "stderr", stderr)
        code = main(["run", *FAST, *argv])
    return code, capsys.readouterr().out, stderr.getvalue()


@pytest.mark.parametrize("argv", [(), ("-v",)])
def test_stdout_and_exit_code_are_the_same_with_progress(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, out, err = _run(monkeypatch, capsys, Terminal(), *argv)
    assert "scenario 1 of 2" in err and "scenario 2 of 2" in err and "turns/s" in err
    assert err.endswith(ERASE_LINE)  # erased before the summary
    piped_code, piped_out, piped_err = _run(monkeypatch, capsys, io.StringIO(), *argv)
    assert piped_err == ""  # not a terminal: nothing at all
    assert (code, out) == (piped_code, piped_out)
    assert out.splitlines()[-2].startswith("2 scenarios:")
    assert out.splitlines()[-1].startswith("usage: ")


@pytest.mark.parametrize("argv", [("-q",), ("--json",)])
def test_quiet_and_json_show_no_progress_even_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, out, err = _run(monkeypatch, capsys, Terminal(), *argv)
    assert err == ""
    assert out
    assert (code, out) == _run(monkeypatch, capsys, io.StringIO(), *argv)[:2]


class GoneTerminal(Terminal):
    """A terminal that went away mid-run (the window closed): every write fails."""

    def write(self, text: str) -> int:
        raise OSError(5, "Input/output error")


def test_a_terminal_that_fails_does_not_change_the_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = _run(monkeypatch, capsys, GoneTerminal())
    piped = _run(monkeypatch, capsys, io.StringIO())
    assert gone[:2] == piped[:2]
    assert gone[1].splitlines()[-2].startswith("2 scenarios:")


def test_without_rich_there_is_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    # rich is not among replay's declared dependencies yet: without it, no display, no error.
    monkeypatch.setitem(sys.modules, "rich.console", None)  # import rich.console fails
    stream, clock = Terminal(), Clock()
    with RunProgress(stream, 1, enabled=True, clock=clock) as shown:
        late(clock)
        shown.scenario(0, "a")
        shown.on_turn(None)  # type: ignore[arg-type]
        assert not shown.enabled
    assert stream.getvalue() == ""


def test_an_audit_shows_calls_read_then_conversations_written_and_checked(
    tmp_path: Path,
) -> None:
    from replay.audit._audit import audit_logs, audit_scenario
    from replay.cli._progress import AuditProgress

    from .helpers import ROOT

    log = ROOT / "tests" / "data" / "audit" / "support_bot_summarized.openai.jsonl"
    stream, clock = Terminal(), Ticking()
    with AuditProgress(stream, enabled=True, clock=clock) as shown:
        late(clock)
        written = audit_logs([str(log)], tmp_path / "traces", audit_scenario(), observer=shown)
        assert shown.read == written.calls == shown.calls and shown.written == 1
        text = stream.getvalue()
        assert "model calls" in text and "conversation written" in text
        shown.checking(1)
        clock.now += 1
        shown.conversation_checked()
        assert "checking conversation 1 of 1" in stream.getvalue()
    assert stream.getvalue().endswith(ERASE_LINE) or ERASE_LINE in stream.getvalue()
