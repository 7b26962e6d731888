"""An audit's traces re-checked for its report: in this process, in worker processes
(``replay audit -j N``, ``replay report DIR -j N``) or on a Dask cluster (``--dask ADDRESS``).

    traces --batches--> recheck_batch (here or in workers) --> entries, in trace order

Each trace is checked exactly as the serial report checks it
(:func:`replay.reports._writer.entry_of_trace`, then
:func:`replay.reports._evidence.evidence_only` unless ``transcripts``), so the entries, and
everything the report writes from them, are the serial report's whoever checked them.

A worker on this machine is sent the traces' paths and reads them itself. A Dask worker, whose
disk is not this one, is sent the traces' bytes (read here as its task is sent, so at most the
tasks in flight are held): it writes them to a temporary folder under their own file names,
checks them there and names them back by the paths given here, so a result, an error and a
problem read as the serial report's do. Bytes rather than parsed records: reading a trace is
half of checking it (JSON and the codec), and the one reading of a trace
(:func:`replay.reports._timeline.analyse_trace`) then stays the only one.

Fail closed: a trace that is not a trace is the serial report's located InvalidInput (exit 2),
sent back as a value (an exception raised in a worker comes back as a string) and raised here
when its turn comes, after the entries before it, as the serial loop raises it. A batch whose
worker died or raised is RunIncomplete (exit 3): no report that silently lacks conversations.
"""

from __future__ import annotations

import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, TypeVar, overload

from replay.errors import InvalidInput, Problem, ReplayError, RunIncomplete
from replay.reports._evidence import evidence_only
from replay.reports._manifest import relative
from replay.reports._model import ScenarioEntry
from replay.reports._writer import entry_of_trace
from replay.spec._words import count
from replay.workers._ordered import Executor, Lost, OrderedRun

T = TypeVar("T")
R = TypeVar("R")

BATCH_TRACES = 32
"""At most this many traces in a task: a trace is checked in a few milliseconds, about the
cost of a task's round trip, so one trace a task would leave the workers waiting on it."""
TASKS_PER_WORKER = 4
"""Batches are made small enough that each worker gets about this many, so a slow batch at
the end does not leave the others idle."""


@dataclass(frozen=True)
class RecheckTask:
    """A batch of traces for a worker: their paths as given here (read by a worker on this
    machine), or their bytes too (``data``, for a worker whose disk is not this one), with what
    the entries need (the report folder their paths are relative to, ``transcripts``)."""

    traces: tuple[str, ...]
    report_dir: str
    transcripts: bool
    data: tuple[bytes | None, ...] | None = None
    """None for a trace this process could not read as a regular file: checked here."""


@dataclass(frozen=True)
class Rechecked:
    """A batch's entries, in its order; ``problems``: the trace after the last entry is not a
    trace (its InvalidInput's problems), and the batch stopped there as the serial loop does.
    ``failure``: that trace raised another error of replay's instead (its message).
    ``unsent``: that trace's bytes were not sent (unreadable here): it and the rest of the
    batch are checked here, where the serial report's error about it is found."""

    entries: tuple[ScenarioEntry, ...]
    problems: tuple[Problem, ...] | None = None
    failure: str | None = None
    unsent: bool = False


def recheck_one(trace: Path, report_dir: Path, transcripts: bool) -> ScenarioEntry:
    """One trace's entry as the report shows it (the serial loop's step, the workers' too)."""
    entry = entry_of_trace(trace, report_dir)  # a bad trace is a located InvalidInput
    return entry if transcripts else evidence_only(entry)


def recheck_batch(task: RecheckTask) -> Rechecked:
    """Check ``task``'s traces (a worker's side), stopping at the first that is not a trace."""
    if task.data is None:
        return _checked(task, [Path(t) for t in task.traces], Path(task.report_dir))
    with tempfile.TemporaryDirectory(prefix="replay-recheck-") as folder:
        local = []
        for index, (trace, data) in enumerate(zip(task.traces, task.data, strict=True)):
            if data is None:
                break
            # A folder per trace: two traces of one batch may share a file name (from two
            # folders of ``replay report``), and a trace's name is part of what it reports.
            where = Path(folder) / str(index)
            where.mkdir()
            path = where / Path(trace).name
            path.write_bytes(data)
            local.append(path)
        found = _named_back(_checked(task, local, Path(folder)), task, local)
        if len(local) < len(task.traces) and found.problems is None and found.failure is None:
            return replace(found, unsent=True)
        return found


def _checked(task: RecheckTask, paths: Sequence[Path], report_dir: Path) -> Rechecked:
    entries: list[ScenarioEntry] = []
    for path in paths:
        try:
            entries.append(recheck_one(path, report_dir, task.transcripts))
        except InvalidInput as exc:
            return Rechecked(tuple(entries), problems=exc.problems)
        except ReplayError as exc:
            return Rechecked(tuple(entries), failure=str(exc))
    return Rechecked(tuple(entries))


def _named_back(found: Rechecked, task: RecheckTask, local: Sequence[Path]) -> Rechecked:
    """``found`` with each temporary path replaced by the trace's path as given here, and each
    entry's trace relative to the report folder (computed here, where both are)."""
    entries = []
    for entry, given, path in zip(found.entries, task.traces, local, strict=False):
        renamed = _renamed(entry, str(path), given)
        entries.append(replace(renamed, trace=relative(Path(given), Path(task.report_dir))))
    problems = found.problems
    failure = found.failure
    if problems is not None or failure is not None:
        stopped = len(found.entries)
        problems = _renamed(problems, str(local[stopped]), task.traces[stopped])
        failure = _renamed(failure, str(local[stopped]), task.traces[stopped])
    return Rechecked(tuple(entries), problems, failure)


@overload
def _renamed(value: None, old: str, new: str) -> None: ...
@overload
def _renamed(value: T, old: str, new: str) -> T: ...
def _renamed(value: Any, old: str, new: str) -> Any:
    """``value`` with ``old`` replaced by ``new`` in every string it holds (frozen dataclasses,
    tuples, lists and dicts walked; unchanged parts kept as they are). ``old`` is a path in a
    fresh temporary folder: no text of a conversation holds it."""
    if isinstance(value, str):
        return value.replace(old, new) if old in value else value
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in fields(value):
            if not f.init:
                continue
            now = getattr(value, f.name)
            renamed = _renamed(now, old, new)
            if renamed is not now:
                changes[f.name] = renamed
        return replace(value, **changes) if changes else value
    if type(value) in (tuple, list):
        items = [_renamed(item, old, new) for item in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if type(value) is dict:
        pairs = {k: _renamed(v, old, new) for k, v in value.items()}
        return value if all(pairs[k] is value[k] for k in value) else pairs
    return value


class _Batches(Sequence[RecheckTask]):
    """The tasks, made as :class:`~replay.workers.OrderedRun` sends them (it asks for each once,
    in order): a remote task's bytes are read then, so only the tasks in flight hold any."""

    def __init__(
        self, traces: Sequence[Path], size: int, report_dir: Path, transcripts: bool, remote: bool
    ) -> None:
        self._traces = traces
        self._size = size
        self._report_dir = report_dir
        self._transcripts = transcripts
        self._remote = remote

    def __len__(self) -> int:
        return -(-len(self._traces) // self._size)

    def paths(self, index: int) -> Sequence[Path]:
        """The traces of the ``index``-th batch."""
        return self._traces[index * self._size : (index + 1) * self._size]

    @overload
    def __getitem__(self, index: int) -> RecheckTask: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[RecheckTask]: ...
    def __getitem__(self, index: int | slice) -> RecheckTask | Sequence[RecheckTask]:
        if isinstance(index, slice):
            raise IndexError("recheck tasks are made one at a time")
        paths = self.paths(index)
        data = tuple(_bytes(p) for p in paths) if self._remote else None
        return RecheckTask(
            tuple(str(p) for p in paths), str(self._report_dir), self._transcripts, data
        )


def _bytes(path: Path) -> bytes | None:
    """A trace's bytes for a remote worker, or None when it is not a regular file that can be
    read (a folder, a FIFO that would block, a permission error): checked here instead, where
    the serial report's located error about it is found."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None


def batch_size(total: int, workers: int) -> int:
    """How many traces a task holds, for ``total`` traces on ``workers``."""
    share = -(-total // max(1, workers * TASKS_PER_WORKER))
    return max(1, min(BATCH_TRACES, share))


def recheck(
    traces: Sequence[Path],
    report_dir: Path,
    *,
    transcripts: bool,
    executor: Executor | None = None,
    remote: bool = False,
) -> Iterator[ScenarioEntry]:
    """Each trace's entry, in ``traces`` order: checked here without ``executor``, else on it
    (``remote``: workers sent the bytes). Raises the serial loop's InvalidInput at the first
    trace that is not a trace, after the entries before it; RunIncomplete when a batch's
    worker died or raised (its traces named)."""
    if executor is None or not traces:
        for trace in traces:
            yield recheck_one(trace, report_dir, transcripts)
        return
    batches = _Batches(
        traces, batch_size(len(traces), executor.capacity), report_dir, transcripts, remote
    )
    run: OrderedRun[RecheckTask, Rechecked] = OrderedRun(executor, recheck_batch, batches)
    for index, outcome in enumerate(run):
        paths = batches.paths(index)
        if isinstance(outcome, Rechecked):
            yield from outcome.entries
            if outcome.problems is not None:
                raise InvalidInput(outcome.problems)
            if outcome.failure is not None:
                raise RunIncomplete(outcome.failure)
            for trace in paths[len(outcome.entries) :] if outcome.unsent else ():
                yield recheck_one(trace, report_dir, transcripts)
            continue
        reason = outcome.reason if isinstance(outcome, Lost) else "it was not sent to a worker"
        raise RunIncomplete(
            f"the {count(len(paths), 'trace')} {paths[0]} to {paths[-1]} could not be checked: "
            f"{reason}; no report was written"
        )
