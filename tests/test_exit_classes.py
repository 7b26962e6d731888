"""Exit classes under faults (issue 11, items 9 and 11): a run cut short is 3, not 2; invalid
input stays 2; an empty trace is never a pass; write faults are 3 with a one-line message and
no truncated report file; a non-UTF-8 terminal degrades the output, not the verdict; JUnit
never shows checks of an incomplete run as passing testcases."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import BinaryIO

import pytest

from replay.cli import check_recorded, main
from replay.errors import EXIT_INCOMPLETE, EXIT_INVALID, RunIncomplete
from replay.reports import _writer as writer
from replay.reports import analyse_trace
from replay.results import RunResult
from replay.spec import Scenario
from replay.trace import TraceCutShort, TraceFormatError, read_trace

from .helpers import ROOT, SCENARIOS

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
        pytest.param(lambda t: t.write_bytes(b'{"ty'), id="first-bytes"),
        pytest.param(
            lambda t: t.write_bytes(t.read_bytes().splitlines(keepends=True)[0] + b"{"),
            id="one-byte-of-a-turn",
        ),
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


# ---------------------------------------------- (c) write faults: exit 3, nothing truncated


def enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_while_writing_a_trace_keeps_the_other_scenarios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    traces = tmp_path / "traces"
    traces.mkdir()
    # /dev/full answers every write with ENOSPC, for any user: a real full disk, no root trick
    (traces / "sliding-window-loss.trace.jsonl").symlink_to("/dev/full")
    # a folder where the trace file should be: the open fails, also as root
    (traces / "support-bot-pinned.trace.jsonl").mkdir()
    code = main(["run", str(SCENARIOS), "--trace-dir", str(traces), "-q"])
    captured = capsys.readouterr()
    assert code == EXIT_INCOMPLETE
    assert "internal error" not in captured.err and "Traceback" not in captured.err
    out = captured.out
    assert (
        f"cannot write the trace {traces / 'sliding-window-loss.trace.jsonl'}: "
        "[Errno 28] No space left on device" in out
    )
    assert f"cannot write the trace {traces / 'support-bot-pinned.trace.jsonl'}: [Errno " in out
    assert "ERROR sliding-window-loss" in out and "ERROR support-bot-pinned" in out
    # every other scenario still ran and was reported, with its own verdict
    assert "PASS  companion-reminder-fixed" in out
    assert "FAIL  support-bot-summarized" in out
    assert "10 scenarios: " in out and ", 2 could not complete" in out
    assert (traces / "support-bot-summarized.trace.jsonl").is_file()


def read_only_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``folder`` refuse new files: chmod where that stops writes, else (as root, where
    it does not) the same error from the call that creates the temporary file."""
    folder.chmod(0o555)
    try:
        (folder / ".probe").touch()
    except PermissionError:
        return
    (folder / ".probe").unlink()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # as the writer calls it


def half_then_enospc(stream: BinaryIO, data: bytes) -> None:
    stream.write(data[: len(data) // 2])
    stream.flush()
    enospc()


@pytest.mark.parametrize("fault", ["full-disk", "read-only"])
def test_a_write_fault_in_reports_is_exit_3_and_leaves_no_truncated_file(
    recorded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
) -> None:
    out, _trace = copy_run(recorded, tmp_path)
    before = {name: (out / name).read_bytes() for name in (*writer.REPORT_FILES, writer.MANIFEST)}
    if fault == "full-disk":
        monkeypatch.setattr(writer, "_write_file", half_then_enospc)
        reason = "[Errno 28] No space left on device"
    else:
        read_only_folder(out, monkeypatch)
        reason = "[Errno 13] Permission denied"
    try:
        code = main(["report", str(out)])
    finally:
        out.chmod(0o755)
    captured = capsys.readouterr()
    assert code == EXIT_INCOMPLETE
    err = captured.err.strip().splitlines()
    assert err == [
        f"replay: the run could not complete: cannot write the report file "
        f"{out / 'report.json'}: {reason}"
    ]
    # nothing truncated, no temporary file left: each file is the old one, whole
    for name, data in before.items():
        assert (out / name).read_bytes() == data
    assert sorted(p.name for p in out.iterdir()) == sorted([*before, "traces"])


def test_a_write_fault_in_run_reports_keeps_the_printed_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    calls: list[bytes] = []

    def fail_third(stream: BinaryIO, data: bytes) -> None:
        calls.append(data)
        if len(calls) == 3:
            half_then_enospc(stream, data)
        stream.write(data)
        stream.flush()

    monkeypatch.setattr(writer, "_write_file", fail_third)
    code = main(
        [
            "run",
            str(PINNED),
            str(SCENARIOS / "support_bot_summarized.yaml"),
            "--report-dir",
            str(out),
            "-q",
        ]
    )
    captured = capsys.readouterr()
    assert code == EXIT_INCOMPLETE
    assert "PASS  support-bot-pinned" in captured.out
    assert "FAIL  support-bot-summarized" in captured.out
    assert "report:" not in captured.out
    assert captured.err.strip() == (
        f"replay: the run could not complete: cannot write the report file "
        f"{out / 'report.html'}: [Errno 28] No space left on device"
    )
    assert not (out / "report.html").exists()  # never a truncated file
    assert not (out / writer.MANIFEST).exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_an_unwritable_report_folder_is_exit_3_not_invalid_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    target = parent / "reports"
    original = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self == target:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)
    code = main(["run", str(PINNED), "--report-dir", str(target)])
    captured = capsys.readouterr()
    assert code == EXIT_INCOMPLETE
    assert captured.err.strip() == (
        f"replay: the run could not complete: cannot write --report-dir: the folder {target}: "
        "[Errno 30] Read-only file system"
    )


def test_report_files_are_replaced_atomically(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old\n", encoding="utf-8")
    writer.write_atomic(target, "new \u2026\n")
    assert target.read_bytes() == "new \u2026\n".encode()
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~writer._umask())
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


# ------------------------------------------ (d) a terminal that cannot show every character


def run_in_terminal(encoding: str | None, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIO"))}
    env.update(
        {
            "LC_ALL": "C",
            "PYTHONUTF8": "0",
            "PYTHONCOERCECLOCALE": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    if encoding is not None:  # what a Latin-1 (or ASCII) locale gives Python's streams
        env["PYTHONIOENCODING"] = encoding
    # else the C locale's own: ASCII, errors="surrogateescape"
    return subprocess.run(
        [sys.executable, "-m", "replay.cli", *map(str, args)],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


@pytest.mark.parametrize("locale", ["latin-1", "ascii", None])
def test_a_non_utf8_terminal_degrades_the_output_not_the_verdict(locale: str | None) -> None:
    encoding = locale or "ascii"
    utf8 = run_in_terminal("utf-8", "run", "scenarios/", "-v")
    done = run_in_terminal(locale, "run", "scenarios/", "-v")
    assert utf8.returncode == 1, utf8.stderr.decode("utf-8", "replace")
    assert done.returncode == utf8.returncode, done.stderr.decode(encoding, "replace")
    out = done.stdout.decode(encoding)  # every byte is the terminal's own encoding
    assert "\\u2026" in out  # the ellipsis, escaped
    assert "\u2026" in utf8.stdout.decode("utf-8")
    assert out.splitlines()[-1] == utf8.stdout.decode("utf-8").splitlines()[-1]
    assert out.encode(encoding).decode("unicode_escape") == utf8.stdout.decode("utf-8")
    assert b"internal error" not in done.stderr


def test_a_non_utf8_terminal_degrades_error_messages(tmp_path: Path) -> None:
    bad = tmp_path / "caf\u00e9\u2026.yaml"
    bad.write_text("scenario: [\n", encoding="utf-8")
    done = run_in_terminal("ascii", "validate", bad)
    assert done.returncode == EXIT_INVALID
    err = done.stderr.decode("ascii")  # Python's stderr escapes what it cannot encode
    assert "caf\\" in err and ".yaml:" in err and "syntax error" in err
    assert "internal error" not in err


# ------------------------------------------- 11: JUnit never passes checks of an incomplete run


def turn_error(trace: Path) -> None:
    """The run stopped at turn 3 with a model error, as the runner records it."""
    lines = trace.read_bytes().splitlines(keepends=True)
    record = json.loads(lines[3])
    record["error"] = "model error: connection reset"
    kept = [*lines[:3], (json.dumps(record) + "\n").encode()]
    end = {"type": "end", "turns": 3, "finished": True}
    trace.write_bytes(b"".join(kept) + (json.dumps(end) + "\n").encode())


def passing_testcases(junit: Path) -> list[str]:
    root = ET.parse(junit).getroot()
    return [
        f"{case.get('classname')}::{case.get('name')}"
        for case in root.iter("testcase")
        if not any(case.find(tag) is not None for tag in ("failure", "error", "skipped"))
    ]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(turn_error, id="model-error"),
        pytest.param(cut_mid_line, id="cut-mid-line"),
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
        pytest.param(zero_turns, id="zero-turns"),
        pytest.param(lambda t: t.write_bytes(b""), id="empty"),
    ],
)
def test_junit_never_shows_checks_of_an_incomplete_run_as_passing(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    out, trace = copy_run(recorded, tmp_path)
    assert passing_testcases(out / "junit.xml")  # the complete run's checks do pass
    damage(trace)  # type: ignore[operator]
    assert main(["report", str(out)]) == EXIT_INCOMPLETE
    capsys.readouterr()
    junit = out / "junit.xml"
    assert passing_testcases(junit) == []
    root = ET.parse(junit).getroot()
    suite = root.find("testsuite")
    assert suite is not None
    errors = [case for case in suite.iter("testcase") if case.find("error") is not None]
    assert [case.get("name") for case in errors] == ["run completes"]
    assert root.get("errors") == "1"
    for case in suite.iter("testcase"):
        skipped = case.find("skipped")
        if skipped is not None:
            assert (skipped.get("message") or "").startswith("could not run: ")


def test_junit_of_a_run_whose_trace_could_not_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    traces = out / "traces"
    traces.mkdir(parents=True)
    (traces / f"{NAME}.trace.jsonl").symlink_to("/dev/full")
    assert main(["run", str(PINNED), "--report-dir", str(out), "-q"]) == EXIT_INCOMPLETE
    capsys.readouterr()
    assert passing_testcases(out / "junit.xml") == []
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["scenarios"][0]["verdict"] == "error"
    assert "No space left on device" in report["scenarios"][0]["error"]


def test_an_os_error_in_one_scenario_keeps_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from replay.run import _parallel
    from replay.run import run_scenario as real

    cassette = tmp_path / "cassette.json"

    def run_scenario(scenario: Scenario, *args: object, **kwargs: object) -> RunResult:
        if scenario.name == "support-bot-summarized":  # e.g. its cassette cannot be saved
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(cassette))
        return real(scenario, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_parallel, "run_scenario", run_scenario)
    out = tmp_path / "run"
    code = main(
        [
            "run",
            str(SCENARIOS / "support_bot_summarized.yaml"),
            str(PINNED),
            "--report-dir",
            str(out),
            "-q",
        ]
    )
    captured = capsys.readouterr()
    assert code == EXIT_INCOMPLETE
    assert f"{cassette}: [Errno 28] No space left on device" in captured.out
    assert "PASS  support-bot-pinned" in captured.out
    assert "internal error" not in captured.err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    verdicts = {s["scenario"]: s["verdict"] for s in report["scenarios"]}
    assert verdicts == {"support-bot-pinned": "pass", "support-bot-summarized": "error"}
    passing = passing_testcases(out / "junit.xml")
    assert passing and all(name.startswith("support-bot-pinned::") for name in passing)


def test_an_os_error_anywhere_is_one_line_not_internal_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from replay.cli import _main as cli

    def presets(args: object) -> int:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/ro/out.json")

    monkeypatch.setitem(cli.COMMANDS, "presets", presets)
    assert main(["presets"]) == EXIT_INCOMPLETE
    err = capsys.readouterr().err
    assert err == (
        "replay: the run could not complete: /ro/out.json: [Errno 13] Permission denied\n"
    )


def test_a_c_locale_terminal_prints_file_names_as_their_bytes(tmp_path: Path) -> None:
    named = tmp_path / "caf\u00e9\u2026.yaml"
    shutil.copy(PINNED, named)
    done = run_in_terminal(None, "validate", named)
    assert done.returncode == 0, done.stderr
    # the C locale read the name's bytes as lone surrogates; they go out as those bytes
    assert b"ok: " + bytes(named) in done.stdout


def test_show_prints_a_turn_before_the_cut_and_still_exits_3(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _out, trace = copy_run(recorded, tmp_path)
    assert main(["show", str(trace), "--turn", "1"]) == 0
    intact = capsys.readouterr().out
    cut_mid_line(trace)
    assert main(["show", str(trace), "--turn", "1"]) == EXIT_INCOMPLETE
    captured = capsys.readouterr()
    assert captured.out == intact  # the evidence that is there is shown
    assert captured.err.startswith("replay: the input is shown, but the trace is incomplete: ")
    assert len(captured.err.strip().splitlines()) == 1


def test_report_out_naming_a_file_is_a_usage_error(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _trace = copy_run(recorded, tmp_path)
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    assert main(["report", str(out), "--out", str(target)]) == EXIT_INVALID
    assert f"{target}:1:1: --out names a file" in capsys.readouterr().err


def test_a_check_that_could_not_run_beside_checks_that_hold_is_no_pass() -> None:
    # A proxy trace whose model input is partly unknown (server-side state), or a transcript
    # with no model inputs: context_retains could not run, the reply checks hold. That is not
    # a compliant run: the instruction may or may not be in what nobody saw.
    from replay.results import CheckResult, Outcome, RunResult, unproven_reason

    held = CheckResult("never_claims_human", None, (), 4)
    unjudged = CheckResult(
        "context_retains", "ai-identity", (), 4, outcome=Outcome.COULD_NOT_RUN, reason="unknown"
    )
    assert unproven_reason([held]) is None
    reason = unproven_reason([held, unjudged])
    assert reason is not None and "context_retains[ai-identity]" in reason
    result = RunResult("s", "s.yaml", 4, 0, (held, unjudged))
    assert result.verdict == "unproven"
