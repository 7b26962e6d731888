"""Logged calls parked on disk by conversation, so an audit holds one conversation at a time.

Logs arrive in any order: conversations interleave within a file and across files, and a
month of them does not fit in memory. The audit reads every record once, writing each call to
one of a number of bucket files (chosen by a stable hash of its conversation id, so all of a
conversation's calls share a bucket) and a small index entry beside it. Then, bucket by bucket,
only the index is loaded and sorted; each conversation's calls are read back one at a time, in
time order, while its trace is written.

Memory is bounded by one bucket's index (about 100 bytes per call, a bucket holding
1/:data:`MAX_BUCKETS` of the input at most) plus one call and what the recorder keeps (the
previous call's context, which the model's context window bounds). A conversation that never
ends is judged over the window the logs hold; its calls are never all held at once.

The bucket files are this process's own, written and read back in a private temporary folder
(mode 0700, removed when the audit ends): pickle is safe here because nothing else writes them.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Generic, TypeVar

from replay.audit._records import LoggedCall
from replay.errors import OutputError

BUCKET_BYTES = 16 * 1024 * 1024
"""About how much input a bucket holds: the number of buckets is the input's size over this."""
MAX_BUCKETS = 128
"""At most this many buckets (two open files each) while the logs are read."""


def bucket_count(sizes: Iterable[int | None]) -> int:
    """How many buckets an input of these file sizes needs (a size unknown, stdin, counts as
    the most)."""
    total = 0
    for size in sizes:
        if size is None:
            return MAX_BUCKETS
        total += size
    return max(1, min(MAX_BUCKETS, -(-total // BUCKET_BYTES)))


@dataclass(frozen=True)
class _Entry:
    conversation: str
    seconds: float | None
    sequence: int
    """The call's place in the input (file order), which breaks ties between equal times."""
    offset: int
    model: str | None
    agent: str | None
    file: str


T = TypeVar("T")


@dataclass(frozen=True)
class ParkedConversation(Generic[T]):
    """A conversation's items (calls, or a transcript's lines) as the spill holds them: what
    its trace header needs, read from the index, and its items, read back from disk in time
    order each time they are iterated."""

    id: str
    format: str
    models: tuple[str, ...]
    agents: tuple[str, ...]
    sources: tuple[str, ...]
    started: float | None
    """The time of its first call that has one."""
    _offsets: tuple[int, ...]
    _data: BinaryIO
    """The bucket's file, open for reading (shared by its conversations: each read seeks)."""

    @property
    def calls(self) -> Iterator[T]:
        """The items, in the order they were made (one in memory at a time)."""
        for offset in self._offsets:
            with _disk(Path(self._data.name)):
                self._data.seek(offset)
                item: T = pickle.load(self._data)
            yield item

    def __len__(self) -> int:
        return len(self._offsets)

    @property
    def where(self) -> tuple[str, tuple[int, ...]]:
        """The bucket file its items are in and their offsets there, for a worker process on
        this machine that reads them itself (replay.audit._partition)."""
        return self._data.name, self._offsets


class Spill(Generic[T]):
    """Write items with :meth:`add`, then read conversations back with :meth:`conversations`.

    Use as a context manager: the temporary folder is removed on leaving it."""

    def __init__(self, format: str, buckets: int, parent: Path | None = None) -> None:
        self.format = format
        self._data: list[BinaryIO] = []
        self._index: list[BinaryIO] = []
        self._sequence = 0
        self._readers: list[BinaryIO] = []
        with _disk(parent or Path(tempfile.gettempdir())):
            self._folder = Path(tempfile.mkdtemp(prefix="replay-audit-", dir=parent))
        try:
            with _disk(self._folder):
                for number in range(buckets):
                    self._data.append((self._folder / f"{number}.calls").open("wb"))
                    self._index.append((self._folder / f"{number}.index").open("wb"))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Spill[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every file and remove the folder."""
        for stream in (*self._data, *self._index, *self._readers):
            stream.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def add(
        self,
        item: T,
        conversation: str,
        seconds: float | None,
        file: str,
        model: str | None = None,
        agent: str | None = None,
    ) -> None:
        """Park one item of ``conversation`` (in input order)."""
        bucket = zlib.crc32(conversation.encode("utf-8", "surrogatepass")) % len(self._data)
        data = self._data[bucket]
        with _disk(self._folder):
            entry = (conversation, seconds, self._sequence, data.tell(), model, agent, file)
            pickle.dump(item, data, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(entry, self._index[bucket], protocol=pickle.HIGHEST_PROTOCOL)
        self._sequence += 1

    def __len__(self) -> int:
        return self._sequence

    def conversations(self) -> Iterator[ParkedConversation[T]]:
        """Every conversation, bucket by bucket; within a bucket in the order each first
        appeared. A conversation's calls are sorted by time (stably: equal times keep input
        order) when every call has one, else kept in input order (a call without a time cannot
        be placed among timed ones)."""
        with _disk(self._folder):
            for stream in (*self._data, *self._index):
                stream.flush()
        for number, index in enumerate(self._index):
            groups: dict[str, list[_Entry]] = {}
            with _disk(self._folder):
                for entry in _entries(Path(index.name)):
                    groups.setdefault(entry.conversation, []).append(entry)
                # Open until the spill closes: a conversation may be read after the next is
                # found.
                data = Path(self._data[number].name).open("rb")  # noqa: SIM115
            self._readers.append(data)
            for key, group in groups.items():
                if all(e.seconds is not None for e in group):
                    group.sort(key=lambda e: (e.seconds, e.sequence))
                yield ParkedConversation(
                    key,
                    self.format,
                    _distinct(e.model for e in group),
                    _distinct(e.agent for e in group),
                    tuple(dict.fromkeys(e.file for e in group)),
                    next((e.seconds for e in group if e.seconds is not None), None),
                    tuple(e.offset for e in group),
                    data,
                )


@contextmanager
def _disk(where: Path) -> Iterator[None]:
    """An OS error on the parked files (a full disk, no temporary folder, too many open
    files) is an audit that could not complete (exit 3), named, never a traceback."""
    try:
        yield
    except OSError as exc:
        raise OutputError("the audit's temporary files in", where, exc) from None


def _entries(path: Path) -> Iterator[_Entry]:
    with path.open("rb") as stream:
        while True:
            try:
                fields = pickle.load(stream)
            except EOFError:
                return
            yield _Entry(*fields)


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(sorted({v for v in values if v}))


def park(spill: Spill[LoggedCall], call: LoggedCall) -> None:
    """Park a logged call under its conversation, time, file, model and agent."""
    spill.add(
        call, call.conversation, call.seconds, call.where.file, model=call.model, agent=call.agent
    )
