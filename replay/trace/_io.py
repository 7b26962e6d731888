"""Writing and reading traces: streamed JSON Lines, bounded lines and nesting, cut-short
detection.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from replay.errors import InvalidInput, OutputError, Problem, RunIncomplete, os_reason
from replay.files._regular import NotRegularFile, open_regular
from replay.spec._scenario import SCENARIO_SUFFIXES
from replay.spec._words import count as count_words
from replay.trace._records import (
    Message,
    ModelCall,
    TraceEnd,
    TraceHeader,
    TurnRecord,
    UsageTally,
)

# Records are fresh trees of dicts and lists, never cyclic: skipping the cycle check is safe
# and saves about a tenth of the encoding time on long traces.
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)


A_SCENARIO_NOT_A_TRACE = (
    "this is a scenario file, not a trace: `replay run FILE` replays it and runs its checks "
    "(with `--trace-dir DIR` it keeps the trace, for `replay check`)"
)
"""What ``replay check`` (or ``show``, ``report``) says when given a scenario instead of a trace."""

TRACE_SUFFIX = ".trace.jsonl"
"""How a trace file's name ends: ``<scenario>.trace.jsonl``."""


def trace_file_name(scenario: str) -> str:
    """The file name of a scenario's trace (``replay run --trace-dir``, the pytest plugin)."""
    return f"{scenario}{TRACE_SUFFIX}"


def trace_file_scenario(file_name: str) -> str:
    """The scenario a trace file is named after: the inverse of :func:`trace_file_name`, also
    for a bare ``<name>.jsonl``; a name that is only the suffix, or has neither, as it is."""
    for suffix in (TRACE_SUFFIX, ".jsonl"):
        if file_name.endswith(suffix) and len(file_name) > len(suffix):
            return file_name[: -len(suffix)]
    return file_name


class TraceWriteError(OutputError):
    """A trace could not be written (a full disk, a read-only folder): exit 3, never a pass."""

    def __init__(self, path: Path | str, exc: OSError) -> None:
        super().__init__("the trace", path, exc)


class TraceWriter:
    """Streams a trace to a JSON Lines file, one record per line, as the replay proceeds.

    The last line is an end record, with the token usage of the turns written (summed by
    :class:`UsageTally`, as the verdict of the trace sums them). A trace without one was cut
    short (the process was killed or crashed), and readers report it as incomplete rather than
    check what is there: a trace that stops before the turn that would have failed must never
    read as compliant.

    An OS error while writing (a full disk, a read-only folder, a permission error) raises
    :class:`TraceWriteError` (exit 3) naming the file; the partial file left behind has no end
    record, so it too reads as incomplete.
    """

    def __init__(self, stream: IO[str], path: Path | str = "<stream>") -> None:
        self._stream = stream
        self._turns = 0
        self._path = path
        self._failed = False
        self._usage = UsageTally()

    @classmethod
    def open(cls, path: Path) -> TraceWriter:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            stream = path.open("w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise TraceWriteError(path, exc) from None
        return cls(stream, path)

    def write(self, record: TraceHeader | TurnRecord) -> None:
        # Key order comes from the to_json methods, so output is deterministic without sorting.
        try:
            self._stream.write(_ENCODER.encode(record.to_json()) + "\n")
        except OSError as exc:
            self._failed = True
            raise TraceWriteError(self._path, exc) from None
        if isinstance(record, TurnRecord):
            self._turns += 1
            self._usage.observe(record)

    def close(self, finished: bool = True) -> None:
        """Write the end record and close; ``finished=False`` marks a run that stopped early.

        After a failed write only the file is closed (quietly): no end record may follow a
        record that was lost, and the error already raised is the one to report.
        """
        if self._failed:
            with contextlib.suppress(OSError):
                self._stream.close()
            return
        end = TraceEnd(self._turns, finished, self._usage.totals())
        try:
            self._stream.write(json.dumps(end.to_json()) + "\n")
            self._stream.close()
        except OSError as exc:
            self._failed = True
            with contextlib.suppress(OSError):
                self._stream.close()
            raise TraceWriteError(self._path, exc) from None


class TraceFormatError(InvalidInput):
    """A trace file is not a valid replay trace (exit 2), located to its line."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__([Problem(str(path), line, 1, message)])


class TraceCutShort(RunIncomplete):
    """A trace ends before its end record (empty, or its last line cut mid-record): the run
    that wrote it was killed, crashed, ran out of disk or is still running. Exit 3."""


_RECORD_START = re.compile(rb'\{\s*"type"\s*:')
"""How every record the writer emits begins (``{"type": ...``)."""


def _cut_record(line: bytes) -> bool:
    """``line`` (the file's last, without a newline) is the start of a record the writer was
    cut off writing, not text of some other kind: it begins as every record does and is UTF-8,
    except perhaps for a character cut in half at its very end."""
    if not _RECORD_START.match(line):
        return b'{"type": "'.startswith(line)  # cut before the record's first key was whole
    for cut in range(4):  # a UTF-8 sequence is at most 4 bytes: up to 3 may be missing
        try:
            line[: len(line) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


MAX_RECORD_BYTES = 256 * 1024 * 1024
"""Longest trace line read (one turn's record): far above any real turn, it bounds the memory
a hostile trace (one endless line) can take."""


def _read_line(path: Path, number: int, stream: IO[bytes]) -> bytes:
    """The next line, at most :data:`MAX_RECORD_BYTES` long (longer: TraceFormatError)."""
    line = stream.readline(MAX_RECORD_BYTES + 1)
    if len(line) > MAX_RECORD_BYTES:
        raise TraceFormatError(
            path, number, f"line {number} is longer than {MAX_RECORD_BYTES // 2**20} MiB"
        )
    return line


def _parse(path: Path, number: int, line: bytes) -> Any:
    """One record: a dict from one line. A last line cut short raises TraceCutShort (exit 3);
    anything else that is not a JSON record raises TraceFormatError (exit 2)."""
    try:
        record = json.loads(line.decode("utf-8"))
    except RecursionError:
        # No record the writer emits nests more than a few levels; a hostile line nested
        # 100,000 deep must be a located error, not an internal one.
        raise TraceFormatError(path, number, "bad record (nested too deeply)") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        if not line.endswith(b"\n") and _cut_record(line):
            raise TraceCutShort(
                f"{path}: the trace is cut off in the middle of line {number} (its last); the "
                "run that wrote it did not finish (killed, crashed, out of disk space or still "
                "running), so it is incomplete"
            ) from None
        what = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else f"bad record ({exc})"
        if number == 1:
            what = (
                "not a replay trace (not UTF-8 text)"
                if isinstance(exc, UnicodeDecodeError)
                else f"not a replay trace header ({exc})"
            )
            if path.suffix.lower() in SCENARIO_SUFFIXES:
                what = A_SCENARIO_NOT_A_TRACE
        raise TraceFormatError(path, number, what) from None
    if not isinstance(record, dict):
        what = "not a replay trace header" if number == 1 else "bad record"
        raise TraceFormatError(
            path, number, f"{what} (a JSON {type(record).__name__}, expected an object)"
        )
    return record


class _Turns(Iterator[TurnRecord]):
    """The turns of an open trace, read lazily. ``close()`` closes the file even when no turn
    was read: closing a generator that never started runs none of its code (its ``with``
    never closes the file), which is how a caller that wants only the header stops."""

    def __init__(self, turns: Iterator[TurnRecord], stream: IO[bytes]) -> None:
        self._turns = turns
        self._stream = stream

    def __next__(self) -> TurnRecord:
        return next(self._turns)

    def close(self) -> None:
        """Stop reading: the file is closed."""
        close = getattr(self._turns, "close", None)
        if close is not None:
            close()
        self._stream.close()


def read_trace(path: Path) -> tuple[TraceHeader, Iterator[TurnRecord]]:
    """Open a trace: its header now, its turns lazily (memory stays flat).

    Raises TraceFormatError (exit 2) for a file that is not a trace and for a malformed
    record, and RunIncomplete (exit 3) for a trace the run did not finish writing: an empty
    file, a last line cut mid-record (now, or while iterating), no end record, or an end
    record saying the run stopped early.
    """
    try:
        stream, _ = open_regular(path)
    except NotRegularFile as exc:
        raise TraceFormatError(path, 1, exc.reason) from None
    except FileNotFoundError:
        raise TraceFormatError(path, 1, "no such trace file") from None
    except IsADirectoryError:
        raise TraceFormatError(path, 1, "is a folder, not a trace file") from None
    except OSError as exc:
        raise TraceFormatError(path, 1, f"cannot read: {os_reason(exc)}") from None
    try:
        first = _read_line(path, 1, stream)
        if not first:
            raise TraceCutShort(
                f"{path}: the trace is empty (0 bytes); the run that writes it did not get to "
                "its header (killed, crashed, out of disk space or still running), so it is "
                "incomplete"
            )
        header_record = _parse(path, 1, first)
        if header_record.get("type") != "header":
            what = (
                A_SCENARIO_NOT_A_TRACE
                if path.suffix.lower() in SCENARIO_SUFFIXES
                else "the first record must be the trace header"
            )
            raise TraceFormatError(path, 1, what)
        try:
            header = TraceHeader.from_json(header_record)
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise TraceFormatError(path, 1, f"not a replay trace header ({exc!r})") from exc
    except OSError as exc:
        stream.close()
        raise TraceFormatError(path, 1, f"cannot read: {os_reason(exc)}") from None
    except BaseException:
        stream.close()
        raise

    def turns() -> Iterator[TurnRecord]:
        count = 0
        end: TraceEnd | None = None
        line_number = 1
        with stream:
            while line := _read_line(path, line_number + 1, stream):
                line_number += 1
                record = _parse(path, line_number, line)
                if end is not None:
                    raise TraceFormatError(path, line_number, "a record after the end")
                if record.get("type") == "end":
                    try:
                        end = TraceEnd.from_json(record)
                    except (KeyError, TypeError) as exc:
                        raise TraceFormatError(
                            path, line_number, f"bad end record ({exc!r})"
                        ) from exc
                    continue
                try:
                    turn = TurnRecord.from_json(record)
                except (KeyError, TypeError, AttributeError, ValueError) as exc:
                    raise TraceFormatError(path, line_number, f"bad record ({exc!r})") from exc
                count += 1
                yield turn
        if end is None:
            raise TraceCutShort(
                f"{path}: the trace stops after {count_words(count, 'turn')} without its end "
                "record; the run that wrote it did not finish (killed or crashed), so it is "
                "incomplete"
            )
        if end.turns != count:
            raise TraceFormatError(
                path,
                line_number,
                f"the end record counts {end.turns} turns, the trace has {count}",
            )
        if not end.finished:
            raise RunIncomplete(f"{path}: the run that wrote this trace stopped early")

    return header, _Turns(turns(), stream)


def model_call_input(
    header: TraceHeader, turns: Iterable[TurnRecord], turn: int, call: int = -1
) -> tuple[ModelCall, list[Message]]:
    """Resolve the full input of one model call (default: the turn's last call)."""
    known: dict[str, Message] = {m.id: m for m in header.setup}
    count = 0
    for record in turns:
        count += 1
        for message in record.messages:
            known[message.id] = message
        if record.index == turn:
            if not record.model_calls:
                raise LookupError(f"turn {turn} made no model call")
            try:
                chosen = record.model_calls[call]
            except IndexError:
                raise LookupError(
                    f"turn {turn} made {count_words(len(record.model_calls), 'model call')}; "
                    f"there is no call {call}"
                ) from None
            return chosen, [known[i] for i in chosen.input]
    raise LookupError(
        f"the trace has no turn {turn}: it has {_turns(count)}"
        + (f" (turns 1 to {count})" if count > 1 else "")
    )


def _turns(count: int) -> str:
    return f"{count} turn" if count == 1 else f"{count} turns"
