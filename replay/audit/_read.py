"""Reading log files: JSON Lines from files, folders (recursively), gzip and stdin, with every
malformed line counted and located, never silently skipped."""

from __future__ import annotations

import gzip
import io
import json
import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from replay.errors import InvalidInput, Problem
from replay.spec._scenario import Location
from replay.spec._words import count

STDIN = "-"
"""The path that reads the log from standard input."""
LOG_SUFFIXES = (".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz", ".ndjson.gz", ".eval")
"""The files a folder is searched for (recursively); a file named on the command line is read
whatever its name."""
MAX_LINE_BYTES = 64 * 1024 * 1024
"""A longer line is reported as malformed, not read into memory whole."""
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class LogRecord:
    """One JSON value read from a log, with where it was written."""

    where: Location
    data: Any


@dataclass
class BadRecords:
    """The malformed log records of an audit, each located to its file and line."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, where: Location, message: str) -> None:
        """Count one malformed record (``message`` says what is wrong with it)."""
        self.problems.append(Problem(where.file, where.line, where.column, message))

    def __len__(self) -> int:
        return len(self.problems)

    def check(self, max_bad: int) -> None:
        """Raise InvalidInput (exit 2) when more than ``max_bad`` records were malformed."""
        if len(self.problems) > max_bad:
            raise InvalidInput(
                [
                    *self.problems,
                    Problem(
                        "replay audit",
                        1,
                        1,
                        f"{count(len(self.problems), 'malformed log record')}, more than "
                        f"--max-bad {max_bad} allows; nothing was audited",
                    ),
                ]
            )


def log_files(paths: Sequence[str]) -> list[str]:
    """The files to read, in order: each named file, each folder's log files (recursively,
    sorted), ``-`` for standard input. Raises InvalidInput for a path that does not exist or a
    folder that holds no log file."""
    found: list[str] = []
    problems: list[Problem] = []
    for name in paths:
        if name == STDIN:
            found.append(STDIN)
            continue
        path = Path(name)
        if path.is_dir():
            inside = sorted(
                str(p) for p in path.rglob("*") if p.is_file() and p.name.endswith(LOG_SUFFIXES)
            )
            if not inside:
                problems.append(
                    Problem(name, 1, 1, f"the folder holds no log file ({', '.join(LOG_SUFFIXES)})")
                )
            found.extend(inside)
        elif path.is_file():
            found.append(name)
        else:
            problems.append(Problem(name, 1, 1, "no such file or folder"))
    if problems:
        raise InvalidInput(problems)
    return found


def _open(name: str) -> io.BufferedIOBase:
    raw: Any = sys.stdin.buffer if name == STDIN else open(name, "rb")  # noqa: SIM115
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)
    if buffered.peek(2)[:2] == _GZIP_MAGIC:  # gzip by content, whatever the file is named
        return gzip.GzipFile(fileobj=buffered)
    return buffered


def read_records(name: str, bad: BadRecords) -> Iterator[LogRecord]:
    """The JSON values of one JSON Lines log, in order; a line that is not JSON is counted in
    ``bad`` with its line number. Blank lines are skipped (they hold no record)."""
    shown = "<stdin>" if name == STDIN else name
    try:
        stream = _open(name)
    except OSError as exc:
        raise InvalidInput([Problem(shown, 1, 1, f"cannot read the log: {exc}")]) from None
    try:
        number = 0
        while True:
            try:
                line = stream.readline(MAX_LINE_BYTES + 1)
            except (OSError, EOFError) as exc:  # a damaged or cut gzip stream
                bad.add(Location(shown, number + 1, 1), f"the file cannot be read on: {exc}")
                return
            if not line:
                return
            number += 1
            where = Location(shown, number, 1)
            if len(line) > MAX_LINE_BYTES:
                bad.add(where, f"the line is longer than {MAX_LINE_BYTES} bytes")
                while line and not line.endswith(b"\n"):  # skip the rest of this line
                    line = stream.readline(MAX_LINE_BYTES)
                continue
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except RecursionError:
                # A hostile line nested 100,000 deep is a located bad record, not a crash.
                bad.add(where, "not a JSON value: nested too deeply")
                continue
            except (ValueError, UnicodeDecodeError) as exc:
                bad.add(where, f"not a JSON value: {exc}")
                continue
            yield LogRecord(where, data)
    finally:
        if name != STDIN:
            stream.close()


def parse_time(value: Any) -> float | None:
    """POSIX seconds from a log's timestamp: a number (seconds since the epoch; one above
    1e11 is milliseconds, above 1e14 microseconds, above 1e17 nanoseconds) or an ISO 8601 text
    (without a zone it is UTC). Raises ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError(f"a timestamp must be ISO 8601 text or epoch seconds, not {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
        if not math.isfinite(seconds):
            raise ValueError(f"{value!r} is not a time")
        for scale in (1e17, 1e14, 1e11):
            if abs(seconds) > scale:
                return seconds / (scale / 1e8)
        return seconds
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            pass
        else:
            return parse_time(number)
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 timestamp") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.timestamp()
    raise ValueError(f"a timestamp must be ISO 8601 text or epoch seconds, not {value!r}")
