"""Progress on long work, on stderr, for a person watching a terminal (issue 14).

``replay run`` shows "scenario i of n" and turns per second; ``replay fuzz`` the examples tried
and the shortest failure so far. The display is driven by the callbacks the runner and the
search already have (``run_scenario(..., on_turn=...)``, ``on_example``), never by a thread, so
what it writes depends only on those calls and the injected clock.

It is off unless every one of these holds, so CI logs, pipes and machine-read output never see
a byte of it: the stream is a terminal (``isatty()``), ``TERM`` is not ``dumb``, ``CI`` is not
set, the output is not ``-q`` or ``--json``, and rich is importable (rich renders the line and
the terminal control codes; a missing rich only means no progress). It appears only once the
work has taken :data:`DELAY` seconds, and is erased before anything is printed to stdout
(:meth:`Progress.paused`) and when it closes, so stdout bytes and exit codes are the same with
or without it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, TypeVar

from replay.results import ERROR, FAIL
from replay.spec._words import count

if TYPE_CHECKING:
    from replay.results import RunResult
    from replay.spec._fuzz import Variation
    from replay.trace._records import TurnRecord

DELAY = 2.0
"""Seconds of work before progress appears: a short run shows none at all."""

REFRESH = 0.1
"""At most one redraw per this many seconds (a turn can take microseconds)."""

Clock = Callable[[], float]
_P = TypeVar("_P", bound="Progress")
OnTurn = Callable[["TurnRecord"], None]
"""The runner's per-turn callback (``run_scenario(..., on_turn=...)``)."""


def wanted(
    stream: IO[str],
    *,
    quiet: bool = False,
    machine: bool = False,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """Whether progress may be shown on ``stream``: a terminal, no ``-q``, no ``--json``,
    not in CI (``CI`` set) and not a dumb terminal."""
    if quiet or machine:
        return False
    env = os.environ if environ is None else environ
    if env.get("CI") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed or odd stream is no terminal
        return False


class Progress:
    """A one-line live display on a terminal stream; does nothing when not :attr:`enabled`.

    Use it as a context manager (closing erases it); wrap every write to stdout in
    :meth:`paused`. Subclasses say what the line shows (:meth:`line`).
    """

    def __init__(self, stream: IO[str], *, enabled: bool, clock: Clock = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self._last_draw: float | None = None
        self._live: Any = None  # a rich.live.Live while the line is on screen
        self._console: Any = None
        self.enabled = enabled and self._make_console()

    def _make_console(self) -> bool:
        try:
            from rich.console import Console
        except ImportError:  # rich is what draws it: without it, no progress (and no error)
            return False
        # Colour and width from the terminal, but never a pager, a log timestamp or markup
        # parsing of scenario names.
        self._console = Console(file=self.stream, highlight=False, markup=False, emoji=False)
        return True

    def __enter__(self: _P) -> _P:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def line(self) -> Any:
        """The renderable shown (a rich renderable or a string)."""
        raise NotImplementedError

    def tick(self, *, force: bool = False) -> None:
        """Redraw if the work has run :data:`DELAY` seconds and the last draw is stale."""
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < DELAY:
            return
        if not force and self._last_draw is not None and now - self._last_draw < REFRESH:
            return
        self._last_draw = now
        try:
            self._draw()
        except Exception:  # a terminal gone (EIO, EPIPE) or a rendering bug: never the run's
            self._give_up()

    def _draw(self) -> None:
        if self._live is None:
            from rich.live import Live

            # A fresh Live each time the line comes back: one that was stopped remembers its
            # height and would move the cursor up over what stdout printed meanwhile. No
            # thread (auto_refresh off) and no redirection of sys.stdout/sys.stderr: the
            # display never touches another stream.
            self._live = Live(
                self.line(),
                console=self._console,
                auto_refresh=False,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._live.start(refresh=True)
        else:
            self._live.update(self.line(), refresh=True)
        self.stream.flush()

    def clear(self) -> None:
        """Erase the line (it comes back on the next :meth:`tick`)."""
        if self._live is not None:
            live, self._live = self._live, None
            try:
                live.stop()
                self.stream.flush()
            except Exception:  # as in tick: the display's failure is not the run's
                self._give_up()

    def _give_up(self) -> None:
        """Stop drawing for good: what the run prints and its exit code do not depend on it."""
        self.enabled = False
        self._live = None

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Erase the line while the body writes to the terminal, then draw it again."""
        shown = self._live is not None
        self.clear()
        try:
            yield
        finally:
            if shown:
                self.tick(force=True)

    def close(self) -> None:
        """Erase the line for good: the caller prints its summary next."""
        self.clear()
        self.enabled = False


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "-"


class RunProgress(Progress):
    """``replay run``: scenario i of n, its name, turns replayed and turns per second."""

    def __init__(
        self, stream: IO[str], total: int, *, enabled: bool, clock: Clock = time.monotonic
    ) -> None:
        super().__init__(stream, enabled=enabled, clock=clock)
        self.total = total
        self.index = 0
        self.name = ""
        self.turns = 0

    def scenario(self, index: int, name: str) -> None:
        """Scenario ``index`` (0-based) named ``name`` starts."""
        self.index, self.name = index, name
        self.tick()

    def on_turn(self, record: TurnRecord) -> None:
        """The runner's ``on_turn`` callback: one more turn replayed."""
        self.turns += 1
        self.tick()

    def line(self) -> Any:
        from rich.progress_bar import ProgressBar
        from rich.table import Table

        elapsed = self.clock() - self.started
        grid = Table.grid(padding=(0, 1))
        grid.add_row(
            f"scenario {self.index + 1} of {self.total}",
            ProgressBar(total=max(self.total, 1), completed=self.index, width=20),
            f"{self.turns:,} turns, {_rate(self.turns, elapsed)} turns/s",
            self.name,
        )
        return grid


class FuzzProgress(Progress):
    """``replay fuzz``: examples replayed, and the shortest failing conversation so far."""

    def __init__(self, stream: IO[str], *, enabled: bool, clock: Clock = time.monotonic) -> None:
        super().__init__(stream, enabled=enabled, clock=clock)
        self.examples = 0
        self.failures = 0
        self.shortest: int | None = None

    def on_example(self, variation: Variation, result: RunResult) -> None:
        """The search's ``on_example`` callback: a variation was replayed with ``result``."""
        self.examples += 1
        if result.verdict in (FAIL, ERROR):  # what the search counts as a counterexample
            self.failures += 1
            turns = len(variation.conversation)
            self.shortest = turns if self.shortest is None else min(self.shortest, turns)
        self.tick()

    def line(self) -> Any:
        elapsed = self.clock() - self.started
        shortest = "none yet" if self.shortest is None else f"{self.shortest} turns"
        return (
            f"fuzz: {self.examples:,} examples ({_rate(self.examples, elapsed)}/s), "
            f"{self.failures:,} failing; shortest failure so far: {shortest}"
        )


class AuditProgress(Progress):
    """``replay audit``: calls read from the logs, then conversations written (calls of n) and
    checked (conversation i of n), each with its rate."""

    def __init__(self, stream: IO[str], *, enabled: bool, clock: Clock = time.monotonic) -> None:
        super().__init__(stream, enabled=enabled, clock=clock)
        self.read = 0
        self.calls = 0
        self.written = 0
        self.checked = 0
        self.total: int | None = None
        """Conversations to check, once the traces are all written."""
        self._phase_started = self.started

    def call_read(self) -> None:
        """One more model call read from the logs."""
        self.read += 1
        self.tick()

    def conversation_written(self, calls: int) -> None:
        """A conversation of ``calls`` calls was written as a trace."""
        if not self.written:
            self._phase_started = self.clock()
        self.written += 1
        self.calls += calls
        self.tick()

    def checking(self, total: int) -> None:
        """The written traces (``total`` of them) are being checked and reported."""
        self.total = total
        self._phase_started = self.clock()
        self.tick()

    def conversation_checked(self) -> None:
        """One more conversation checked."""
        self.checked += 1
        self.tick()

    def line(self) -> Any:
        elapsed = self.clock() - self._phase_started
        if self.total is not None:
            from rich.progress_bar import ProgressBar
            from rich.table import Table

            grid = Table.grid(padding=(0, 1))
            grid.add_row(
                f"audit: checking conversation {self.checked:,} of {self.total:,}",
                ProgressBar(total=max(self.total, 1), completed=self.checked, width=20),
                f"{_rate(self.checked, elapsed)}/s",
            )
            return grid
        if self.written:
            return (
                f"audit: {count(self.written, 'conversation')} written, {self.calls:,} of "
                f"{count(self.read, 'call')} ({_rate(self.calls, elapsed)} calls/s)"
            )
        return (
            f"audit: reading the logs: {count(self.read, 'model call')} "
            f"({_rate(self.read, elapsed)}/s)"
        )
