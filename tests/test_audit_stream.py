"""``replay audit`` streams: conversations interleaved in any order across files read as if each
had its own file, one conversation in memory at a time, calls parked on disk (and gone after)."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from replay.audit import _audit, _spill
from replay.audit._audit import audit_logs, audit_scenario
from replay.audit._records import LoggedCall
from replay.audit._spill import MAX_BUCKETS, Spill, bucket_count, park
from replay.cli import main
from replay.models._wire import WireMessage, WireReply
from replay.spec._scenario import Location
from tests.helpers import ROOT

OPENAI_LOG = ROOT / "tests" / "data" / "audit" / "support_bot_summarized.openai.jsonl"
START = 1_767_261_600  # 2026-01-01T10:00:00Z


def _conversation(name: str, offset: int) -> list[dict[str, Any]]:
    """The fixture's conversation under the id ``name``, a call every minute from START+offset."""
    rows = []
    for i, line in enumerate(OPENAI_LOG.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        row["request"]["metadata"] = {"conversation_id": name}
        row["response"]["created"] = START + offset + 60 * i
        rows.append(row)
    return rows


def _write(path: Path, rows: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _trace_lines(path: Path) -> list[Any]:
    """A trace's records, without the header's ``source`` (the files it was read from)."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    records[0].pop("source")
    return records


NAMES = ("alice-1", "bob 2", "carol/3")


@pytest.mark.parametrize("buckets", [1, 3])
def test_interleaved_files_give_the_traces_of_one_file_per_conversation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buckets: int
) -> None:
    scenario = audit_scenario()
    alone = {}
    for k, name in enumerate(NAMES):
        folder = tmp_path / f"alone-{k}"
        log = _write(tmp_path / f"alone-{k}.jsonl", _conversation(name, 7 * k))
        audit_logs([log], folder, scenario)
        (trace,) = folder.iterdir()
        alone[trace.name] = _trace_lines(trace)

    mixed = [row for k, name in enumerate(NAMES) for row in _conversation(name, 7 * k)]
    random.Random(4).shuffle(mixed)  # any order, split over two files
    half = len(mixed) // 2
    logs = [_write(tmp_path / "a.jsonl", mixed[:half]), _write(tmp_path / "b.jsonl", mixed[half:])]
    monkeypatch.setattr(_spill, "bucket_count", lambda sizes: buckets)
    monkeypatch.setattr("replay.audit._audit.bucket_count", lambda sizes: buckets)
    written = audit_logs(logs, tmp_path / "mixed", scenario)
    assert written.conversations == len(NAMES) and written.calls == len(mixed)
    got = {p.name: _trace_lines(p) for p in (tmp_path / "mixed").iterdir()}
    assert got == alone
    for path in (tmp_path / "mixed").iterdir():  # each trace names both files it came from
        header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        assert sorted(header["source"].split(", ")) == logs


def test_the_spill_holds_no_conversation_in_memory_and_is_removed(tmp_path: Path) -> None:
    calls = [
        LoggedCall(
            f"c{i % 3}",
            Location("log", i + 1, 1),
            (WireMessage("user", f"message {i}"),),
            WireReply(text=f"reply {i}"),
            seconds=float(100 - i),  # logged newest first
        )
        for i in range(9)
    ]
    with Spill[LoggedCall]("openai", 2, parent=tmp_path) as spill:
        for call in calls:
            park(spill, call)
        (folder,) = tmp_path.iterdir()
        assert folder.stat().st_mode & 0o777 == 0o700  # private: pickle is read back from it
        found = list(spill.conversations())
        assert sorted(c.id for c in found) == ["c0", "c1", "c2"]
        for conversation in found:
            # Read back lazily, one call at a time, oldest first.
            assert not isinstance(conversation.calls, list | tuple)
            times = [c.seconds or 0.0 for c in conversation.calls]
            assert times == sorted(times) and len(times) == 3 == len(conversation)
            assert conversation.sources == ("log",) and conversation.started == min(times)
    assert list(tmp_path.iterdir()) == []


def test_calls_without_times_keep_the_input_order(tmp_path: Path) -> None:
    calls = [
        LoggedCall("c", Location("log", i, 1), (WireMessage("user", str(i)),), None)
        for i in (3, 1, 2)
    ]
    with Spill[LoggedCall]("openai", 1, parent=tmp_path) as spill:
        for call in calls:
            park(spill, call)
        (conversation,) = spill.conversations()
        assert [c.where.line for c in conversation.calls] == [3, 1, 2]


def test_bucket_count_grows_with_the_input_and_is_bounded() -> None:
    assert bucket_count([10]) == 1
    assert bucket_count([_spill.BUCKET_BYTES * 5 + 1]) == 6
    assert bucket_count([10**15]) == MAX_BUCKETS
    assert bucket_count([10, None]) == MAX_BUCKETS  # stdin: the size is not known


def test_the_transform_runs_before_anything_reaches_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "order #4417"
    seen: list[str] = []
    real_park = park

    def park_seen(spill: Spill[LoggedCall], call: LoggedCall) -> None:
        seen.extend(m.text for m in call.input)
        real_park(spill, call)

    monkeypatch.setattr(_audit, "park", park_seen)

    def scrub(call: LoggedCall) -> LoggedCall:
        clean = tuple(replace(m, text=m.text.replace(secret, "order [id]")) for m in call.input)
        output = call.output and replace(call.output, text=call.output.text.replace(secret, "#"))
        return replace(call, input=clean, output=output)

    audit_logs([str(OPENAI_LOG)], tmp_path / "t", audit_scenario(), transform=scrub)
    assert seen and not any(secret in text for text in seen)
    assert all(secret not in p.read_text(encoding="utf-8") for p in (tmp_path / "t").iterdir())


def test_too_many_bad_records_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(OPENAI_LOG.read_text(encoding="utf-8") + "not json\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["audit", str(log), "--out", str(out)]) == 2
    assert "log.jsonl:20:1" in capsys.readouterr().err
    assert not (out / "traces").exists() or not any((out / "traces").iterdir())


def test_a_shuffled_transcript_reads_as_the_ordered_one(tmp_path: Path) -> None:
    lines = [
        {
            "conversation_id": f"chat-{c}",
            "timestamp": START + 60 * i + c,
            "role": "user" if i % 2 == 0 else "assistant",
            "content": f"question {i}" if i % 2 == 0 else f"I am an AI assistant: answer {i}.",
        }
        for c in range(3)
        for i in range(8)
    ]
    ordered = _write(tmp_path / "ordered.jsonl", lines)
    shuffled = list(lines)
    random.Random(7).shuffle(shuffled)
    mixed = [
        _write(tmp_path / "x.jsonl", shuffled[:10]),
        _write(tmp_path / "y.jsonl", shuffled[10:]),
    ]
    scenario = audit_scenario()
    audit_logs([ordered], tmp_path / "one", scenario)
    audit_logs(mixed, tmp_path / "two", scenario)
    one = {p.name: _trace_lines(p) for p in (tmp_path / "one").iterdir()}
    two = {p.name: _trace_lines(p) for p in (tmp_path / "two").iterdir()}
    assert len(one) == 3 and one == two


def test_the_manifest_vouches_for_every_trace_through_a_checksums_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [row for k, name in enumerate(NAMES) for row in _conversation(name, 7 * k)]
    log = _write(tmp_path / "log.jsonl", rows)
    out = tmp_path / "out"
    assert main(["audit", log, "--out", str(out)]) == 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = [e["path"] for e in (*manifest["inputs"], *manifest["outputs"])]
    assert "traces.sha256" in listed and not any(p.startswith("traces/") for p in listed)
    sums = (out / "traces.sha256").read_text(encoding="utf-8").splitlines()
    traces = sorted(f"traces/{p.name}" for p in (out / "traces").iterdir())
    assert [line.split("  ", 1)[1] for line in sums] == traces  # sha256sum -c's format
    capsys.readouterr()
    assert main(["verify", str(out / "manifest.json")]) == 0
    assert f"ok: all {len(listed) + len(traces)} files match" in capsys.readouterr().out
    # A trace changed or gone is found through the checksums file.
    first, second = sorted((out / "traces").iterdir())[:2]
    first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second.unlink()
    assert main(["verify", str(out / "manifest.json")]) == 1
    said = capsys.readouterr().out
    assert f"CHANGED traces/{first.name}" in said and f"MISSING traces/{second.name}" in said
    # The checksums file itself is vouched for by the manifest: editing it is a change.
    (out / "traces.sha256").write_text("\n".join(sums[1:]) + "\n", encoding="utf-8")
    assert main(["verify", str(out / "manifest.json")]) == 1
    assert "CHANGED traces.sha256" in capsys.readouterr().out


def test_a_full_disk_while_parking_is_an_audit_that_could_not_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno
    import pickle
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)  # TMPDIR read again
    calls = 0

    def dump(item: Any, stream: Any, protocol: int) -> None:
        nonlocal calls
        calls += 1
        if calls > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        stream.write(b"x")

    monkeypatch.setattr(pickle, "dump", dump)
    out = tmp_path / "out"
    assert main(["audit", str(OPENAI_LOG), "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert "the audit's temporary files in" in err and "No space left on device" in err
    assert "Traceback" not in err
    assert list((tmp_path / "tmp").iterdir()) == []  # the parked files are removed
    assert not (out / "report.json").exists()
