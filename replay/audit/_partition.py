"""An audit's conversations written as traces in partitions: in this process, in worker
processes (``replay audit -j N``) or on a Dask cluster (``--dask ADDRESS``).

    parked calls --partitions--> convert_partition (here or in workers) --> traces, in order

A partition is a run of conversations of one spill bucket (replay.audit._spill), in the order
the serial audit writes them, that holds at most a few thousand calls. Its trace names are
chosen here, in that order, before any is sent (so a file system that folds case hashes the
same names whoever writes first). A worker on this machine reads the partition's calls from the
bucket file itself; a Dask worker, whose disk is not this one, is sent the calls and sends the
traces' bytes back. Every way writes the same bytes: a worker runs exactly what the serial
loop runs (:func:`convert_partition`), and ``replay audit`` reports the traces once all are
written, reading them back in file-name order whoever wrote them.

Masking (``--mask-pii``) happens as the logs are read, before a call is parked, in this
process: a worker is only ever given masked calls, and the key (``REPLAY_MASK_KEY``) never
leaves this process.

A partition whose worker died or raised is could not complete, never missing: each of its
conversations gets a trace that says so (one turn, its error the reason), which every report
of the folder shows as could not complete (exit 3).
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, overload

from replay.audit._convert import message_factory, trace_name, write_conversation
from replay.audit._records import LoggedCall
from replay.audit._spill import ParkedConversation, Spill
from replay.errors import OutputError
from replay.loop._reference import MessageFactory
from replay.loop._tokens import TokenCounter, TokenizerUnavailable
from replay.models._wire import WireMessage
from replay.spec._scenario import Location, Scenario
from replay.workers._ordered import Executor, Lost, NotRun, OrderedRun

LOST_USER = "(the calls of this conversation were not written: its worker was lost)"
"""The stand-in user message of a lost conversation's one turn."""
PARTITION_CALLS = 4096
"""At most this many calls in a partition (a conversation is never split: one longer than
this is a partition of its own), so a worker holds little and a lost worker loses little."""
PARTITIONS_PER_WORKER = 4
"""Partitions are made small enough that each worker gets about this many, so one slow
partition does not leave the others idle at the end."""


@dataclass(frozen=True)
class ParkedPlace:
    """One conversation of a partition: what its trace header needs and where its calls are
    parked (offsets into its bucket's file)."""

    id: str
    format: str
    models: tuple[str, ...]
    agents: tuple[str, ...]
    sources: tuple[str, ...]
    started: float | None
    trace: str
    """The trace's file name in the traces folder."""
    offsets: tuple[int, ...]


@dataclass(frozen=True)
class PartitionTask:
    """A partition for a worker: its conversations, the audit's scenario, where the traces go.

    ``bucket`` is the bucket file to read the calls from (a worker on this machine); a remote
    worker is sent the calls instead (``calls``, one tuple per conversation) and sends the
    traces back (``send_traces``)."""

    scenario: Scenario
    traces: str
    conversations: tuple[ParkedPlace, ...]
    bucket: str | None = None
    calls: tuple[tuple[LoggedCall, ...], ...] | None = None
    send_traces: bool = False


@dataclass(frozen=True)
class ConversationWritten:
    """One conversation's trace, written: its file name, its calls and turns, and its bytes
    when the worker sends them back (a Dask worker)."""

    trace: str
    calls: int
    turns: int
    data: bytes | None = None
    lost: str | None = None
    """Why its partition's worker did not write it, when it did not (the trace says so)."""


@dataclass(frozen=True)
class PartitionWritten:
    """What a partition's worker wrote, conversation by conversation, in task order."""

    conversations: tuple[ConversationWritten, ...]


@dataclass(frozen=True)
class _Held:
    """A conversation's calls sent with the task (the :class:`~replay.audit._convert.Calls` a
    remote worker writes from)."""

    id: str
    format: str
    models: tuple[str, ...]
    agents: tuple[str, ...]
    sources: tuple[str, ...]
    started: float | None
    calls: tuple[LoggedCall, ...]


def convert_partition(
    task: PartitionTask, factory: MessageFactory | None = None
) -> PartitionWritten:
    """Write the traces of ``task``'s conversations (a worker's side, and the serial audit's:
    the one implementation). ``factory`` may be shared by the partitions of one process."""
    if factory is None:
        factory = _worker_factory(task.scenario)
    return PartitionWritten(tuple(_converted(task, factory)))


_factories: list[tuple[Scenario, MessageFactory]] = []
"""A worker's message factory, kept for the next partition of the same audit: what it learnt
of texts (their tokens, their annotations) depends on the text alone, and an audit's
conversations share system prompts and canned replies."""


def _worker_factory(scenario: Scenario) -> MessageFactory:
    for known, factory in _factories:
        if known == scenario:
            return factory
    _factories[:] = [(scenario, message_factory(scenario))]  # one audit at a time
    return _factories[0][1]


def _converted(task: PartitionTask, factory: MessageFactory) -> Iterator[ConversationWritten]:
    """Each conversation of ``task`` as its trace is written (the serial audit shows its
    progress per conversation)."""
    if task.calls is not None:
        for place, calls in zip(task.conversations, task.calls, strict=True):
            yield _write(task, place, _held(place, calls), factory)
        return
    if task.bucket is None:
        raise ValueError("a partition task needs its bucket file or its calls")
    try:
        stream = Path(task.bucket).open("rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise OutputError("the audit's temporary files in", Path(task.bucket), exc) from None
    with stream:
        for place in task.conversations:
            yield _write(task, place, _parked(place, stream), factory)


def _parked(place: ParkedPlace, stream: BinaryIO) -> ParkedConversation[LoggedCall]:
    return ParkedConversation(
        place.id,
        place.format,
        place.models,
        place.agents,
        place.sources,
        place.started,
        place.offsets,
        stream,
    )


def _held(place: ParkedPlace, calls: tuple[LoggedCall, ...]) -> _Held:
    return _Held(
        place.id, place.format, place.models, place.agents, place.sources, place.started, calls
    )


def _write(
    task: PartitionTask,
    place: ParkedPlace,
    conversation: ParkedConversation[LoggedCall] | _Held,
    factory: MessageFactory,
) -> ConversationWritten:
    if not task.send_traces:
        path = Path(task.traces) / place.trace
        turns = write_conversation(conversation, task.scenario, path, factory)
        return ConversationWritten(place.trace, len(place.offsets), turns)
    with tempfile.TemporaryDirectory(prefix="replay-worker-") as folder:
        local = Path(folder) / place.trace
        turns = write_conversation(conversation, task.scenario, local, factory)
        data = local.read_bytes()
    return ConversationWritten(place.trace, len(place.offsets), turns, data)


def lost_call(place: ParkedPlace, reason: str) -> LoggedCall:
    """The one call of a lost conversation's trace: no output, the reason as its error."""
    where = Location(place.sources[0] if place.sources else "<logs>", 1, 1)
    # A turn needs a user message; this one says what it stands for (it is never judged: the
    # turn's error makes the conversation could not complete, and no check runs on it).
    stand_in = WireMessage("user", LOST_USER)
    return LoggedCall(
        place.id,
        where,
        (stand_in,),
        None,
        seconds=place.started,
        error=f"the audit could not complete this conversation: {reason}",
        input_complete=False,
        unknown_because=LOST_USER,
    )


def write_lost(
    place: ParkedPlace, reason: str, traces: Path, scenario: Scenario, factory: MessageFactory
) -> ConversationWritten:
    """The trace of a conversation whose partition was lost (its worker died or raised): its
    header as its own trace would have it, one turn whose error says why, so every report of
    the folder names it as could not complete. It replaces whatever the worker left."""
    held = _held(place, (lost_call(place, reason),))
    turns = write_conversation(held, scenario, traces / place.trace, factory)
    return ConversationWritten(place.trace, len(place.offsets), turns, lost=reason)


class TraceNames:
    """Trace file names, given in the order the serial audit writes its conversations: a
    conversation's id made safe (replay.audit._convert.trace_name), hashed too when a trace
    already given would take the same file on this file system (one that folds case)."""

    def __init__(self, traces: Path) -> None:
        self._folds = _folds_case(traces)
        self._given: set[str] = set()

    def name(self, conversation: str) -> str:
        """The file name of ``conversation``'s trace."""
        name = trace_name(conversation)
        if not self._folds:  # distinct ids have distinct names: nothing to remember
            return name
        # Trace names are ASCII ([A-Za-z0-9._-]): lower() is how a folding file system sees
        # them. Only names given by this audit count: the folder held no trace at its start.
        if name.lower() in self._given:
            name = trace_name(conversation, always_hash=True)
        self._given.add(name.lower())
        return name


def _folds_case(folder: Path) -> bool:
    """Whether files in ``folder`` are found whatever the case of their names."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".replay-Case-") as probe:
            name = Path(probe.name).name
            return (folder / name.swapcase()).exists()
    except OSError as exc:
        raise OutputError("the traces folder", folder, exc) from None


def partitions(
    spill: Spill[LoggedCall], names: TraceNames, most: int
) -> Iterator[tuple[str, tuple[ParkedPlace, ...]]]:
    """The spill's conversations in the serial audit's order, in runs of one bucket of at
    most ``most`` calls each (a longer conversation alone): each run's bucket file and its
    conversations, their trace names given in that order."""
    bucket: str | None = None
    run: list[ParkedPlace] = []
    calls = 0
    for conversation in spill.conversations():
        file, offsets = conversation.where
        place = ParkedPlace(
            conversation.id,
            conversation.format,
            conversation.models,
            conversation.agents,
            conversation.sources,
            conversation.started,
            names.name(conversation.id),
            offsets,
        )
        if run and (file != bucket or calls + len(place.offsets) > most):
            assert bucket is not None
            yield bucket, tuple(run)
            run, calls = [], 0
        bucket = file
        run.append(place)
        calls += len(place.offsets)
    if run:
        assert bucket is not None
        yield bucket, tuple(run)


def partition_calls(total: int, workers: int) -> int:
    """How many calls a partition holds at most, for ``total`` calls on ``workers``."""
    share = -(-total // max(1, workers * PARTITIONS_PER_WORKER))
    return max(1, min(PARTITION_CALLS, share))


class _Handed(Sequence[PartitionTask]):
    """Tasks made as :class:`~replay.workers.OrderedRun` sends them, in order (it asks for
    each once, first to last), so only the tasks in flight are held, never every partition's;
    each one handed out waits in :attr:`sent` until its outcome is folded."""

    def __init__(self, count: int, tasks: Iterator[PartitionTask]) -> None:
        self._count = count
        self._tasks = tasks
        self._next = 0
        self.sent: deque[PartitionTask] = deque()

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> PartitionTask: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PartitionTask]: ...
    def __getitem__(self, index: int | slice) -> PartitionTask | Sequence[PartitionTask]:
        if isinstance(index, slice) or index != self._next:
            raise IndexError("partition tasks are made once each, in order")
        task = next(self._tasks)
        self._next += 1
        self.sent.append(task)
        return task


def warm_up(encoding: str) -> bool:
    """A worker's first task, sent while the logs are still being read: import what writing a
    trace needs and load the tokenizer's vocabulary (about a second in a fresh interpreter), so
    the first partition does not wait for it. False when the vocabulary does not load (the
    partitions then fail on that worker, and are reported as could not complete)."""
    try:
        TokenCounter(encoding).check_available()
    except TokenizerUnavailable:
        return False
    return True


def warm_workers(executor: Executor, encoding: str) -> list[Future[bool]]:
    """:func:`warm_up` once per worker slot (their outcomes matter to no one: a worker that
    cannot write loses its partitions, reported as such)."""
    return [executor.submit(warm_up, encoding) for _ in range(executor.capacity)]


def write_partitions(
    spill: Spill[LoggedCall],
    traces: Path,
    scenario: Scenario,
    executor: Executor | None = None,
    *,
    remote: bool = False,
) -> Iterator[ConversationWritten]:
    """Write every conversation of ``spill`` as a trace in ``traces``, partition by partition:
    in this process without ``executor``, else on it (``remote``: a worker whose disk is not
    this one, sent the calls, sending the traces back). The conversations come in the serial
    audit's order; a lost partition's conversations get traces that say they could not
    complete (and a ``lost`` reason)."""
    names = TraceNames(traces)
    factory = message_factory(scenario)
    if executor is None:
        for bucket, places in partitions(spill, names, PARTITION_CALLS):
            yield from _converted(PartitionTask(scenario, str(traces), places, bucket), factory)
        return
    most = partition_calls(len(spill), executor.capacity)
    count = sum(1 for _ in partitions(spill, TraceNames(traces), most))

    def task_of(bucket: str, places: tuple[ParkedPlace, ...]) -> PartitionTask:
        if not remote:
            return PartitionTask(scenario, str(traces), places, bucket=bucket)
        return PartitionTask(
            scenario, str(traces), places, calls=_calls(bucket, places), send_traces=True
        )

    handed = _Handed(count, (task_of(b, p) for b, p in partitions(spill, names, most)))
    run: OrderedRun[PartitionTask, PartitionWritten] = OrderedRun(
        executor, convert_partition, handed
    )
    for outcome in run:
        task = handed.sent.popleft()
        if isinstance(outcome, PartitionWritten):
            for written in outcome.conversations:
                if written.data is not None:
                    _write_bytes(traces / written.trace, written.data)
                yield written
            continue
        reason = outcome.reason if isinstance(outcome, Lost) else _not_run(outcome)
        for place in task.conversations:
            yield write_lost(place, reason, traces, scenario, factory)


def _not_run(outcome: NotRun) -> str:  # nothing stops an audit's run today: said if it does
    return "the audit stopped before its partition was sent to a worker"


def _calls(bucket: str, places: Iterable[ParkedPlace]) -> tuple[tuple[LoggedCall, ...], ...]:
    """The parked calls of ``places``, read back from their bucket file (for a remote worker)."""
    try:
        stream = Path(bucket).open("rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise OutputError("the audit's temporary files in", Path(bucket), exc) from None
    with stream:
        return tuple(tuple(_parked(place, stream).calls) for place in places)


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError("the traces folder", path.parent, exc) from None
