"""Errors that end a run, each tied to the exit code the CLI reports for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located to the line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class InvalidInput(Exception):
    """The input (a scenario, trace, rule pack, option) is invalid: exit code 2."""

    exit_code = 2

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class RunIncomplete(Exception):
    """A replay could not complete (a model or agent failed): exit code 3, never compliant."""

    exit_code = 3
