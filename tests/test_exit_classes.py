"""Exit classes under faults (issue 11, items 9 and 11): a run cut short is 3, not 2; invalid
input stays 2; an empty trace is never a pass; write faults are 3 with a one-line message and
no truncated report file; a non-UTF-8 terminal degrades the output, not the verdict; JUnit
never shows checks of an incomplete run as passing testcases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from replay.cli import main
from replay.errors import EXIT_INCOMPLETE, EXIT_INVALID, RunIncomplete
from replay.proxy_cli import check_recorded
from replay.reports.timeline import analyse_trace
from replay.trace import TraceCutShort, TraceFormatError, read_trace

from .helpers import SCENARIOS

PINNED = SCENARIOS / "support_bot_pinned.yaml"
NAME = "support-bot-pinned"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report folder of one passing scenario, written once for the module."""
    out = tmp_path_factory.mktemp("recorded") / "run"
    assert main(["run", str(PINNED), "--report-dir", str(out), "-q"]) == 0
    return out


def copy_run(recorded: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the report folder, and its trace."""
    out = tmp_path / "run"
    shutil.copytree(recorded, out)
    return out, out / "traces" / f"{NAME}.trace.jsonl"


def read_all(path: Path) -> None:
    _header, turns = read_trace(path)
    for _ in turns:
        pass


def every_reader(trace: Path, report_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[int]:
    """The exit code of each command that reads a trace, with nothing printed that says pass."""
    codes = []
    for argv in (
        ["check", str(trace)],
        ["report", str(report_dir)],
        ["show", str(trace), "--turn", "99"],
    ):
        codes.append(main(argv))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert "internal error" not in captured.err
        assert "PASS " not in captured.out
        assert " 1 passed" not in captured.out
    return codes


# ----------------------------------------------------------------- (a) cut short is exit 3


def cut_mid_line(trace: Path) -> None:
    data = trace.read_bytes()
    lines = data.splitlines(keepends=True)
    # keep the header and the first turns, then half of the next turn's line, no newline
    trace.write_bytes(b"".join(lines[:3]) + lines[3][: len(lines[3]) // 2])


def cut_mid_character(trace: Path) -> None:
    header = trace.read_bytes().splitlines(keepends=True)[0]
    trace.write_bytes(header + '{"type": "turn", "user": "caf\u00e9'.encode()[:-1])


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(cut_mid_line, id="mid-line"),
        pytest.param(lambda t: t.write_bytes(b""), id="zero-bytes"),
        pytest.param(
            lambda t: t.write_bytes(t.read_bytes().splitlines(keepends=True)[0][:40]),
            id="header-cut",
        ),
        pytest.param(cut_mid_character, id="mid-character"),
    ],
)
def test_a_trace_cut_short_is_exit_3_everywhere_it_is_read(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cut: object
) -> None:
    out, trace = copy_run(recorded, tmp_path)
    cut(trace)  # type: ignore[operator]
    with pytest.raises(RunIncomplete):
        read_all(trace)
    assert every_reader(trace, out, capsys) == [EXIT_INCOMPLETE] * 3
    result = check_recorded(trace)
    assert result.verdict == "error"
    assert all(not c.passed for c in result.checks)


def test_a_trace_cut_short_says_so_in_one_line(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _out, trace = copy_run(recorded, tmp_path)
    cut_mid_line(trace)
    assert main(["check", str(trace)]) == EXIT_INCOMPLETE
    assert "cut off in the middle of line 4" in capsys.readouterr().out
    trace.write_bytes(b"")
    assert main(["show", str(trace), "--turn", "1"]) == EXIT_INCOMPLETE
    err = capsys.readouterr().err
    assert "the trace is empty (0 bytes)" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", id="binary"),
        pytest.param(b"\xff\xfe\x00garbage without a newline", id="binary-no-newline"),
        pytest.param(b"[1, 2, 3]\n", id="json-array"),
        pytest.param(b'{"hello": "world"}\n', id="wrong-object"),
        pytest.param(b"just some text", id="text-no-newline"),
        pytest.param(b'"a string"', id="json-string"),
    ],
)
def test_a_file_that_is_not_a_trace_stays_exit_2(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    out, trace = copy_run(recorded, tmp_path)
    trace.write_bytes(content)
    with pytest.raises(TraceFormatError):
        read_all(trace)
    assert every_reader(trace, out, capsys) == [EXIT_INVALID] * 3


def test_a_corrupt_record_inside_a_trace_stays_exit_2(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _out, trace = copy_run(recorded, tmp_path)
    lines = trace.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2][: len(lines[2]) // 2] + b"\n"  # a cut line followed by more lines
    trace.write_bytes(b"".join(lines))
    with pytest.raises(TraceFormatError, match="bad record"):
        read_all(trace)
    assert main(["check", str(trace)]) == EXIT_INVALID
    assert f"{trace}:3:1: bad record" in capsys.readouterr().err


def test_a_cut_short_trace_is_a_named_class() -> None:
    assert issubclass(TraceCutShort, RunIncomplete)
    assert not issubclass(TraceCutShort, TraceFormatError)


# ------------------------------------------------- (b) one reading and verdict for all


def zero_turns(trace: Path) -> None:
    header = trace.read_bytes().splitlines(keepends=True)[0]
    trace.write_bytes(header + json.dumps({"type": "end", "turns": 0, "finished": True}).encode())
    trace.write_bytes(trace.read_bytes() + b"\n")


def test_a_trace_with_zero_turns_is_never_a_pass(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, trace = copy_run(recorded, tmp_path)
    zero_turns(trace)
    assert main(["check", str(trace)]) == EXIT_INCOMPLETE
    check_out = capsys.readouterr().out
    assert main(["report", str(out)]) == EXIT_INCOMPLETE
    captured = capsys.readouterr()
    assert "0 passed" in captured.out and "1 could not complete" in captured.out
    assert "holds no turns" in captured.err
    assert "holds no turns" in check_out
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["scenarios"][0]["verdict"] == "error"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda t: None, id="intact"),
        pytest.param(zero_turns, id="zero-turns"),
        pytest.param(cut_mid_line, id="cut-mid-line"),
        pytest.param(lambda t: t.write_bytes(b""), id="empty"),
        pytest.param(
            lambda t: t.write_bytes(b"".join(t.read_bytes().splitlines(keepends=True)[:-1])),
            id="no-end-record",
        ),
        pytest.param(
            lambda t: t.write_bytes(
                t.read_bytes().replace(b'"finished": true', b'"finished": false')
            ),
            id="stopped-early",
        ),
    ],
)
def test_check_and_report_give_the_same_verdict(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    out, trace = copy_run(recorded, tmp_path)
    damage(trace)  # type: ignore[operator]
    checked = check_recorded(trace)
    analysed = analyse_trace(trace).result()
    assert checked.verdict == analysed.verdict
    assert [c.outcome for c in checked.checks] == [c.outcome for c in analysed.checks]
    assert checked.error == analysed.error
    assert main(["check", str(trace)]) == main(["report", str(out)]) == checked.exit_code
    capsys.readouterr()
