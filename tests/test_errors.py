"""One exception base: every failure replay reports is a ReplayError carrying its exit code.

InvalidInput (exit 2) and RunIncomplete (exit 3) derive from it; the errors that end a run the
way RunIncomplete does (a model, an agent, a summarizer, a tokenizer failing) are
RunIncomplete too, and keep their old base so existing ``except`` clauses keep working.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import replay
from replay.agents._adapters import AgentError, _worker_program
from replay.errors import (
    EXIT_INCOMPLETE,
    EXIT_INVALID,
    InvalidInput,
    OutputError,
    Problem,
    ReplayError,
    RunIncomplete,
)
from replay.loop._summarizers import SummarizerError
from replay.loop._tokens import TokenizerUnavailable
from replay.models._base import ModelError
from replay.models._live import CredentialRefused
from replay.proxy._backends import UpstreamFailure
from replay.trace._io import TraceCutShort, TraceFormatError, TraceWriteError

# Errors that stay what they are, and why: raised by a lower layer with a plain message, each
# caller turns them into a located InvalidInput or into RunIncomplete (or an OSError), so the
# exit code is the caller's to decide; or they are a library's or pytest's own kind.
NOT_REPLAY_ERRORS = {
    # a cassette file that is not one: InvalidInput where it is read, OSError on overwrite
    "replay.models._cassettes.CassetteError": ValueError,
    # a malformed request or reply body: the proxy answers it with an HTTP error
    "replay.models._wire.WireError": ValueError,
    # a pattern RE2 cannot run: the scenario loader locates it
    "replay.matchers._engine.UnsupportedRegex": ValueError,
    # an unknown rule pack: the loader locates it; reports skip a pack they lack
    "replay.scenario._rulepacks.RulePackError": LookupError,
    # code a scenario names: a located problem in validation, a SummarizerError in a run
    "replay.trust._code.CodeNotFound": RuntimeError,
    # open_regular's refusal: an OSError like the ones open() raises
    "replay.files._regular.NotRegularFile": OSError,
    # the recording proxy's answer to a conflicting request (HTTP 409), never leaves it
    "replay.proxy._server.RefusedRequest": Exception,
    # a usage error of `replay init` (a flag or prompt answer): printed by cmd_init, exit 2
    "replay.cli._init.InitError": ValueError,
    # a price table entry that is not a price: the config loader locates it (exit 2)
    "replay.spec._prices.PriceError": ValueError,
}


def exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in the replay package, by qualified name."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(replay.__path__, "replay."):
        if info.name.endswith("__main__"):  # runs the command line
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def test_the_base_and_its_two_kinds() -> None:
    assert issubclass(InvalidInput, ReplayError) and issubclass(RunIncomplete, ReplayError)
    assert ReplayError in vars(importlib.import_module("replay.errors")).values()
    assert InvalidInput.exit_code == EXIT_INVALID == 2
    assert RunIncomplete.exit_code == EXIT_INCOMPLETE == 3
    assert ReplayError.exit_code == EXIT_INCOMPLETE  # fail closed: never a pass


def test_constructors_and_messages_are_unchanged() -> None:
    problems = [Problem("b.yaml", 2, 1, "second"), Problem("a.yaml", 1, 3, "first")]
    invalid = InvalidInput(problems)
    assert invalid.problems == (problems[1], problems[0])
    assert str(invalid) == "a.yaml:1:3: first\nb.yaml:2:1: second"
    assert str(RunIncomplete("the model failed")) == "the model failed"
    output = OutputError("report", Path("out/r.html"), OSError(28, "No space left on device"))
    assert str(output) == "cannot write report out/r.html: [Errno 28] No space left on device"
    assert output.exit_code == EXIT_INCOMPLETE


@pytest.mark.parametrize(
    ("error", "old_base"),
    [
        (AgentError, RuntimeError),
        (ModelError, RuntimeError),
        (CredentialRefused, ModelError),
        (UpstreamFailure, ModelError),
        (SummarizerError, RuntimeError),
        (TokenizerUnavailable, RuntimeError),
    ],
)
def test_run_ending_errors_are_run_incomplete_and_keep_their_base(
    error: type[Exception], old_base: type[Exception]
) -> None:
    assert issubclass(error, RunIncomplete) and issubclass(error, old_base)
    assert error.exit_code == EXIT_INCOMPLETE
    args: tuple[object, ...] = ("it failed",)
    if error is UpstreamFailure:
        args = ("it failed", None)  # it also carries the upstream's answer
    # The old except clauses still catch it; the new one too.
    with pytest.raises(old_base) as caught:
        raise error(*args)
    assert str(caught.value) == "it failed" and isinstance(caught.value, ReplayError)


def test_the_trace_errors_keep_their_kinds() -> None:
    assert issubclass(TraceFormatError, InvalidInput)
    assert issubclass(TraceCutShort, RunIncomplete)
    assert issubclass(TraceWriteError, OutputError)


def test_every_error_class_is_a_replay_error_or_says_why_not() -> None:
    """A new error class is a ReplayError of the right kind unless it is listed above (or is
    private control flow, or the pytest plugin's assertion)."""
    from replay.testing._plugin import ReplayCheckFailed

    undecided = []
    for name, cls in exception_classes().items():
        if issubclass(cls, ReplayError) or issubclass(cls, ReplayCheckFailed):
            continue
        if cls.__qualname__.startswith("_"):  # private control flow inside one module
            continue
        if name in NOT_REPLAY_ERRORS:
            assert issubclass(cls, NOT_REPLAY_ERRORS[name]), name
            continue
        undecided.append(name)
    assert undecided == []
    assert set(NOT_REPLAY_ERRORS) <= set(exception_classes())  # the list names no stale class


def test_the_python_agent_worker_has_its_own_agent_error() -> None:
    """The worker runs without replay: its AgentError is a plain RuntimeError, defined once."""
    program = _worker_program()
    assert program.count("class AgentError(") == 1
    assert "class AgentError(RuntimeError):" in program
    assert "from replay" not in program and "import replay" not in program
    compile(program, "<worker>", "exec")
