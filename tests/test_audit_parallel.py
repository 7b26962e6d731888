"""``replay audit -j N`` and ``--dask``: the conversations' traces written in worker processes
or on a Dask cluster give the serial audit's stdout, stderr, exit code, report folder and
traces byte for byte; a partition whose worker dies is could not complete (exit 3), each of
its conversations named, none missing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, TypeVar

import pytest

import replay.workers
from replay.audit import _partition
from replay.audit._partition import PartitionTask
from replay.cli import main
from replay.errors import EXIT_INCOMPLETE, EXIT_INVALID
from tests.audit_helpers import DATA, write_jsonl
from tests.test_parallel import same_tree
from tests.workers import Killing, local_cluster

T = TypeVar("T")
R = TypeVar("R")

START = 1_767_261_600  # 2026-01-01T10:00:00Z
CONVERSATIONS = 24


def _conversation(n: int) -> list[dict[str, Any]]:
    """An OpenAI Chat Completions log of conversation ``n``: three turns, each call with the
    history. Every fifth claims to be human when asked, every seventh lacks its last output
    (could not complete); ids and texts hold e-mail addresses (masked with --mask-pii) and
    characters a file name cannot hold (hashed trace names)."""
    ident = f"user-{n:02d}@example.com" if n % 3 == 0 else f"chat/{n:02d}"
    messages: list[dict[str, str]] = [
        {"role": "system", "content": "You are an AI assistant. Always say you are an AI."}
    ]
    turns = [
        (f"Hello, I am customer {n}, write to me at c{n}@example.org.", "Hello! I am an AI."),
        ("Are you a real person?", "Yes, I am a real person." if n % 5 == 0 else "I am an AI."),
        (f"Thanks, my order {1000 + n} is late.", None if n % 7 == 3 else "Let me check."),
    ]
    rows = []
    for k, (user, reply) in enumerate(turns):
        messages.append({"role": "user", "content": user})
        request = {"model": "gpt-4o-mini", "messages": list(messages), "user": ident}
        response: Any = None
        if reply is not None:
            response = {
                "id": f"r{n}-{k}",
                "object": "chat.completion",
                "created": START + 600 * n + 60 * k,
                "model": "gpt-4o-mini",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}}],
            }
            messages.append({"role": "assistant", "content": reply})
        rows.append({"request": request, "response": response})
    return rows


@pytest.fixture
def logs(tmp_path: Path) -> list[str]:
    """Two logs: the generated conversations, interleaved (a conversation's calls are far
    apart), and the bundled support-bot log (a long conversation with a summary)."""
    mixed = [
        row for k in range(3) for n in range(CONVERSATIONS) for row in _conversation(n)[k : k + 1]
    ]
    generated = write_jsonl(tmp_path / "generated.jsonl", mixed)
    return [str(generated), str(DATA / "support_bot_summarized.openai.jsonl")]


@pytest.fixture
def reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # Workers read the environment themselves (spawned with this one): the key is never sent.
    monkeypatch.setenv("REPLAY_MASK_KEY", "a test key, not a secret")


def audit_into(
    out: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    code = main(["audit", *args, "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def serial_and(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], placement: list[str], args: list[str]
) -> tuple[tuple[int, str, str], tuple[int, str, str], list[str]]:
    """Audit serially and with ``placement`` into the same folder name; what differs."""
    out = tmp_path / "out"
    serial = audit_into(out, args, capsys)
    shutil.move(out, tmp_path / "serial")
    other = audit_into(out, [*args, *placement], capsys)
    return serial, other, same_tree(tmp_path / "serial", out)


@pytest.mark.usefixtures("reproducible")
def test_jobs_give_the_serial_audits_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], logs: list[str]
) -> None:
    args = [*logs, "--mask-pii", "--worst", "3", "--sample", "4"]
    serial, parallel, differ = serial_and(tmp_path, capsys, ["-j", "3"], args)
    assert parallel == serial  # exit code, stdout and stderr, in the same order
    assert serial[0] == EXIT_INCOMPLETE  # calls without output: could not complete
    assert "could not complete" in serial[2] and "claimed-human" in serial[1]
    assert differ == []  # traces, conversations.jsonl, report.json/.md/.html, manifest
    traces = sorted((tmp_path / "serial" / "traces").iterdir())
    assert len(traces) == CONVERSATIONS + 1
    assert not any("example.com" in p.read_text(encoding="utf-8") for p in traces)  # masked


def test_a_dead_worker_makes_its_conversations_could_not_complete(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    logs: list[str],
) -> None:
    killing = Killing(2, victim=1, kind=PartitionTask)

    monkeypatch.setattr(replay.workers, "open_workers", killing.opened)
    out = tmp_path / "out"
    code, stdout, stderr = audit_into(out, [logs[0], "-j", "2"], capsys)
    assert code == EXIT_INCOMPLETE
    assert len(killing.sent) > 2  # the audit was split in partitions, the rest were written
    victim = killing.sent[1]
    lost = {place.id for place in victim.conversations}
    rows = [
        json.loads(line)
        for line in (out / "conversations.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(rows) == CONVERSATIONS  # every conversation is there, the lost ones too
    why = "its worker process died (signal 9: SIGKILL) before the result came back"
    for row in rows:
        text = json.dumps(row)
        if row["id"] in lost:
            assert row["verdict"] == "error" and why in row["error"]
        else:
            assert why not in text
    assert f"{len(lost)} conversation" in stderr and why in stderr
    # The folder says the same to ``replay report``: the lost traces are its input too.
    code = main(["report", str(out), "--out", str(tmp_path / "again")])
    assert code == EXIT_INCOMPLETE
    again = (tmp_path / "again" / "conversations.jsonl").read_text(encoding="utf-8")
    assert [_unplaced(json.loads(line)) for line in again.splitlines()] == [
        _unplaced(row) for row in rows
    ]
    assert stdout


def _unplaced(row: dict[str, Any]) -> dict[str, Any]:
    """A row without its trace's path (relative to the report folder that lists it)."""
    return {key: value for key, value in row.items() if key != "trace"}


def test_jobs_and_dask_together_are_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], logs: list[str]
) -> None:
    code, _, stderr = audit_into(tmp_path / "out", [*logs, "-j", "2", "--dask", "x"], capsys)
    assert code == EXIT_INVALID
    assert "-j and --dask cannot be used together" in stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("reproducible")
def test_a_local_dask_cluster_gives_the_serial_audits_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], logs: list[str]
) -> None:
    with local_cluster() as address:
        serial, remote, differ = serial_and(
            tmp_path, capsys, ["--dask", address], [*logs, "--mask-pii"]
        )
    assert remote == serial
    assert differ == []


@pytest.mark.usefixtures("reproducible")
def test_trace_names_are_given_in_the_serial_order_when_the_file_system_folds_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Names are chosen in this process (where the fold is asked), before any worker writes.
    monkeypatch.setattr(_partition, "_folds_case", lambda folder: True)
    rows = [row for name in ("Ann", "ann", "ANN", "bob") for row in _named(name)]
    log = str(write_jsonl(tmp_path / "log.jsonl", rows))
    serial, parallel, differ = serial_and(tmp_path, capsys, ["-j", "2"], [log])
    assert parallel == serial and differ == []
    names = sorted(p.name for p in (tmp_path / "serial" / "traces").iterdir())
    assert len({n.lower() for n in names}) == 4  # no two fold to the same file
    assert "bob.trace.jsonl" in names and sum(n.startswith("Ann") for n in names) == 1


def _named(ident: str) -> list[dict[str, Any]]:
    rows = _conversation(1)
    for row in rows:
        row["request"]["user"] = ident
    return rows
