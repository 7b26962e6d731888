"""Errors that end a run, each tied to the exit code the CLI reports for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

EXIT_OK = 0
"""Every check holds."""
EXIT_FINDINGS = 1
"""At least one check failed."""
EXIT_INVALID = 2
"""Invalid input or usage: nothing (more) was run."""
EXIT_INCOMPLETE = 3
"""A run could not complete: never reported compliant."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located to the line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ReplayError(Exception):
    """The base of the errors that end (part of) a replay, each with the exit code the CLI
    reports for it: :class:`InvalidInput` (2, nothing was run) and :class:`RunIncomplete` (3,
    never compliant). ``except ReplayError`` catches every failure replay itself reports.
    """

    exit_code: int = EXIT_INCOMPLETE
    """Fail closed: an error of no more particular kind never lets a run pass."""


class InvalidInput(ReplayError):
    """The input (a scenario, trace, rule pack, option) is invalid: exit code 2."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class RunIncomplete(ReplayError):
    """A replay could not complete (a model or agent failed): exit code 3, never compliant."""

    exit_code = EXIT_INCOMPLETE


def os_reason(exc: OSError) -> str:
    """An OS error in one line, without its path (the caller names it): ``[Errno 28] No space
    left on device``."""
    if exc.errno is not None and exc.strerror:
        return f"[Errno {exc.errno}] {exc.strerror}"
    return str(exc) or type(exc).__name__


def os_error(exc: OSError) -> str:
    """An OS error in one line, naming its file: ``cassette.json: [Errno 28] No space...``."""
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    return f"{' -> '.join(names)}: {os_reason(exc)}" if names else os_reason(exc)


class OutputError(RunIncomplete):
    """An output file could not be written (a full disk, a read-only folder, a permission
    error): exit 3 with one line naming the file and the OS error, never "internal error"."""

    def __init__(self, what: str, path: object, exc: OSError) -> None:
        self.path = str(path)
        self.reason = os_reason(exc)
        super().__init__(f"cannot write {what} {path}: {self.reason}")
