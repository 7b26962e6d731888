"""An audit's checking phase on its workers (``replay audit -j N``, ``replay report DIR -j N``
and ``--dask``): the traces checked in worker processes or on a Dask cluster give the serial
report's stdout, stderr, exit code and report folder byte for byte; a trace that is not a trace
stays the serial report's located exit 2; a worker that dies while checking is exit 3 and no
report is written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

import replay.workers
from replay.cli import main
from replay.errors import EXIT_INCOMPLETE, EXIT_INVALID
from replay.reports import _recheck
from replay.reports._recheck import RecheckTask
from tests.audit_helpers import write_jsonl
from tests.test_audit_parallel import CONVERSATIONS, _conversation
from tests.test_parallel import same_tree
from tests.workers import Killing, local_cluster

T = TypeVar("T")
R = TypeVar("R")


@pytest.fixture
def audited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A serial audit's folder of the generated conversations (some fail, some could not
    complete), its reports reproducible."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    rows = [row for n in range(CONVERSATIONS) for row in _conversation(n)]
    log = write_jsonl(tmp_path / "generated.jsonl", rows)
    out = tmp_path / "audited"
    assert main(["audit", str(log), "--out", str(out), "--worst", "3", "--sample", "4"]) in (1, 3)
    return out


def report(
    folder: Path, out: Path, placement: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["report", str(folder), "--out", str(out), "--worst", "3", *placement])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_batches_are_several_traces_and_many_tasks() -> None:
    # 25 traces on 3 workers: tasks of 3, about four a worker; never more than BATCH_TRACES.
    assert _recheck.batch_size(25, 3) == 3
    assert _recheck.batch_size(100_000, 2) == _recheck.BATCH_TRACES
    assert _recheck.batch_size(1, 8) == 1


def test_report_with_jobs_gives_the_serial_reports_bytes(
    audited: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serial = report(audited, tmp_path / "out", [], capsys)
    shutil.move(tmp_path / "out", tmp_path / "serial")
    parallel = report(audited, tmp_path / "out", ["-j", "3"], capsys)
    assert parallel == serial
    assert serial[0] == EXIT_INCOMPLETE and "could not complete" in serial[2]
    assert "claimed-human" in serial[1]
    assert same_tree(tmp_path / "serial", tmp_path / "out") == []


def _middle(folder: Path) -> Path:
    traces = sorted((folder / "traces").glob("*.trace.jsonl"))
    return traces[len(traces) // 2]


def _malformed(folder: Path) -> Path:
    """A trace in the middle made malformed on its third line: the serial report stops there,
    located, after the conversations before it."""
    bad = _middle(folder)
    lines = bad.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = '{"type": "turn", "turn": \n'
    bad.write_text("".join(lines), encoding="utf-8")
    return bad


def _folder(folder: Path) -> Path:
    """A folder named as a trace, in the middle (just before a trace): not a regular file."""
    middle = _middle(folder)
    odd = middle.with_name(middle.name.replace(".trace.jsonl", "-0.trace.jsonl"))
    odd.mkdir()
    return odd


@pytest.mark.parametrize("spoil", [_malformed, _folder])
def test_a_bad_trace_is_the_serial_reports_located_exit_2(
    spoil: Callable[[Path], Path],
    audited: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = spoil(audited)
    serial = report(audited, tmp_path / "serial", [], capsys)
    parallel = report(audited, tmp_path / "parallel", ["-j", "3"], capsys)
    assert serial[0] == EXIT_INVALID
    assert f"{bad}:" in serial[2]
    assert "could not complete" in serial[2]  # the conversations before it were checked
    assert parallel == serial  # the same stderr: the errors before it, then the problem
    assert not (tmp_path / "parallel" / "conversations.jsonl").exists()
    assert not (tmp_path / "parallel" / "report.json").exists()


@pytest.mark.parametrize("command", ["audit", "report"])
def test_a_worker_that_dies_while_checking_is_exit_3_and_no_report(
    command: str,
    audited: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    killing = Killing(2, victim=1, kind=RecheckTask)

    monkeypatch.setattr(replay.workers, "open_workers", killing.opened)
    out = tmp_path / "out"
    capsys.readouterr()
    if command == "audit":
        code = main(["audit", str(tmp_path / "generated.jsonl"), "--out", str(out), "-j", "2"])
    else:
        code = main(["report", str(audited), "--out", str(out), "-j", "2"])
    captured = capsys.readouterr()
    assert code == EXIT_INCOMPLETE
    assert len(killing.sent) > 2  # the rest were sent and checked
    victim = killing.sent[1]
    why = "its worker process died (signal 9: SIGKILL) before the result came back"
    assert why in captured.err
    assert f"{victim.traces[0]} to {victim.traces[-1]} could not be checked" in captured.err
    assert "no report was written" in captured.err
    assert captured.out == ""  # no fleet summary of a fleet that lacks conversations
    for name in ("conversations.jsonl", "report.json", "report.html", "manifest.json"):
        assert not (out / name).exists()


def test_a_local_dask_cluster_checks_bytes_as_the_serial_report_does(
    audited: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serial = report(audited, tmp_path / "out", [], capsys)
    shutil.move(tmp_path / "out", tmp_path / "serial")
    with local_cluster() as address:
        remote = report(audited, tmp_path / "out", ["--dask", address], capsys)
        assert remote == serial
        assert same_tree(tmp_path / "serial", tmp_path / "out") == []
        # A bad trace: located by its path here, not the worker's temporary copy; a folder
        # named as a trace is not sent (checked here, as the serial report checks it).
        for spoil in (_folder, _malformed):
            bad = spoil(audited)
            serial = report(audited, tmp_path / f"serial-{spoil.__name__}", [], capsys)
            remote = report(
                audited,
                tmp_path / f"remote-{spoil.__name__}",
                ["--dask", address],
                capsys,
            )
            assert serial[0] == EXIT_INVALID and f"{bad}:" in serial[2]
            assert remote == serial
            if bad.is_dir():
                bad.rmdir()
