"""An audit end to end: log files -> importer -> conversations -> traces in a folder."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from replay.audit._partition import warm_workers, write_partitions
from replay.audit._read import STDIN, BadRecords, LogRecord, log_files, read_records
from replay.audit._records import LoggedCall
from replay.audit._spill import Spill, bucket_count, park
from replay.errors import InvalidInput, OutputError, Problem, RunIncomplete
from replay.loop._tokens import TokenCounter, TokenizerUnavailable
from replay.scenario._load import scenario_from_mapping
from replay.spec._scenario import Scenario
from replay.workers._ordered import Executor

Format = Literal["openai", "transcript", "otel", "openinference", "langsmith", "inspect"]
FORMATS: tuple[Format, ...] = (
    "openai",
    "transcript",
    "otel",
    "openinference",
    "langsmith",
    "inspect",
)
IMPORTERS: dict[Format, str] = {
    "openai": "replay.audit._openai",
    "transcript": "replay.audit._transcript",
    "otel": "replay.audit._otel",
    "openinference": "replay.audit._openinference",
    "langsmith": "replay.audit._langsmith",
    "inspect": "replay.audit._inspect",
}
"""Each format's importer module. A record importer defines ``import_calls(records, bad)``
(JSON Lines records in, :class:`LoggedCall` out, malformed records counted in ``bad``) and may
define ``sniff(first_record) -> bool`` for ``--format auto``. A file importer, for formats that
are not JSON Lines (an Inspect eval log is one JSON document or a zip archive), defines
``import_files(files, bad)`` (the paths in, :class:`LoggedCall` out) and may define
``claims_file(path) -> bool`` for ``--format auto`` (asked before any record is read)."""

DEFAULT_CHECKS = ("context_retains", "probe_discloses", "never_claims_human")
"""What an audit checks unless told: the instruction stays in the model's input, an identity
question is answered with the disclosure, the agent never claims to be human. Each judges any
conversation; ``first_reply_discloses`` and ``recurs_every`` are a product's or a law's choice
(select them, or a rule pack that asks for them)."""

Importer = Callable[[Iterable[LogRecord], BadRecords], Iterator[LoggedCall]]
"""A record importer; one whose module sets ``REREADS_RECORDS = True`` also takes
``again=``, a callable giving the records once more from the start, so it can read the logs
twice (an index of what later records contribute, then the calls) instead of holding them."""


class FormatUnavailable(InvalidInput):
    """The format's importer is not part of this replay (yet): exit 2."""


def importer(format: Format) -> Importer:
    """The importer of ``format`` (imported only when asked for)."""
    module = _module(format)
    found = getattr(module, "import_calls", None) if module is not None else None
    if not callable(found):
        raise FormatUnavailable(
            [
                Problem(
                    "--format",
                    1,
                    1,
                    f"the {format} format is not available yet in this replay (no importer "
                    f"{IMPORTERS[format]}.import_calls); available: "
                    + ", ".join(f for f in FORMATS if _available(f)),
                )
            ]
        )
    return found  # type: ignore[no-any-return]


def _module(format: Format) -> Any:
    try:
        return importlib.import_module(IMPORTERS[format])
    except ModuleNotFoundError as exc:
        if exc.name != IMPORTERS[format]:
            raise  # the importer exists and needs something missing: a real failure
        return None


def _available(format: Format) -> bool:
    module = _module(format)
    return module is not None and any(
        callable(getattr(module, name, None)) for name in ("import_calls", "import_files")
    )


FileImporter = Callable[[Sequence[str], BadRecords], Iterator[LoggedCall]]


def _file_importer(format: Format) -> FileImporter | None:
    module = _module(format)
    found = getattr(module, "import_files", None) if module is not None else None
    return found if callable(found) else None


def _claimed_format(files: Sequence[str]) -> Format | None:
    """The file format every one of ``files`` belongs to (``--format auto``), if any."""
    for format in FORMATS:
        module = _module(format)
        claims = getattr(module, "claims_file", None) if module is not None else None
        if callable(claims) and files and all(claims(name) for name in files):
            return format
    return None


SNIFF_ORDER: tuple[Format, ...] = ("openai", "transcript", "openinference", "otel", "langsmith")
"""The more particular first: an OpenInference export is an OTLP export too."""


def sniff(first: LogRecord) -> Format:
    """The format of a log, from its first record (raises InvalidInput if none fits)."""
    for format in SNIFF_ORDER:
        module = _module(format)
        test = getattr(module, "sniff", None) if module is not None else None
        if callable(test) and test(first.data):
            return format
    where = first.where
    raise InvalidInput(
        [
            Problem(
                where.file,
                where.line,
                where.column,
                "--format auto cannot tell this log's format from its first record; give "
                "--format " + "|".join(FORMATS),
            )
        ]
    )


def audit_scenario(
    checks: Sequence[str] = (),
    rules: Sequence[str] = (),
    disclosures: Sequence[str] = (),
    languages: Sequence[str] = (),
) -> Scenario:
    """The checks, rule packs, disclosures and languages an audit applies, resolved by the
    scenario layer (its check names, its rule packs, its built-in disclosures, its language
    codes; a misspelt name is an error, exit 2). Without checks or rules:
    :data:`DEFAULT_CHECKS`; without languages, every built-in language."""
    data: dict[str, Any] = {
        "scenario": "audit",
        "conversation": {"turns": [{"user": "-"}]},
    }
    if checks or not rules:
        data["checks"] = list(checks or DEFAULT_CHECKS)
    if rules:
        data["rules"] = list(rules)
    if disclosures:
        data["disclosures"] = list(disclosures)
    if languages:
        data["languages"] = list(languages)
    return scenario_from_mapping(data, "replay audit options")


class AuditObserver(Protocol):
    """What an audit tells whoever watches it (the CLI's progress line)."""

    def call_read(self) -> None:
        """One more model call read from the logs."""

    def conversation_written(self, calls: int) -> None:
        """A conversation of ``calls`` calls was written as a trace."""


@dataclass(frozen=True)
class AuditWritten:
    """What an audit wrote: a trace per conversation, and the malformed records it let by."""

    format: Format
    traces: Path
    """The folder of traces, one per conversation."""
    conversations: int
    bad: tuple[Problem, ...]
    calls: int
    lost: int = 0
    """Conversations whose partition's worker died or raised: their traces say so."""


def audit_logs(
    paths: Sequence[str],
    traces: Path,
    scenario: Scenario,
    format: Format | Literal["auto"] = "auto",
    max_bad: int = 0,
    transform: Callable[[LoggedCall], LoggedCall] | None = None,
    observer: AuditObserver | None = None,
    executor: Executor | None = None,
    remote: bool = False,
) -> AuditWritten:
    """Read the logs at ``paths`` and write a trace per conversation into ``traces``.

    Every record is read once, each call parked on disk by conversation (replay.audit._spill),
    then each conversation is written from its parked calls, one conversation in memory at a
    time. ``transform`` is applied to every call as it is read, before it is parked (masking
    personal data: no untransformed call reaches the parked files, a trace or a report; the
    one exception is a transcript importer's raw lines, parked in its own private temporary
    folder while the export is read, see replay.audit._transcript).

    The conversations are written in partitions (replay.audit._partition): in this process
    without ``executor``, else on it (``replay audit -j N``: worker processes; ``remote``, a
    Dask cluster: the workers are sent the calls and send the traces back), with the same
    bytes. A partition whose worker died or raised is written as traces that say its
    conversations could not complete (counted in :attr:`AuditWritten.lost`).

    Raises InvalidInput (exit 2) for a path that does not exist, a format that cannot be told
    or is not available, or more than ``max_bad`` malformed records (nothing is written then);
    RunIncomplete (exit 3) when the tokenizer vocabulary does not load.
    """
    files = log_files(paths)
    try:  # every message's tokens are counted: found before anything is read or written
        TokenCounter(scenario.agent.encoding).check_available()
    except TokenizerUnavailable as exc:
        raise RunIncomplete(str(exc)) from exc
    if executor is not None:  # the workers start while the logs are read
        warm_workers(executor, scenario.agent.encoding)
    bad = BadRecords()
    chosen, calls = _calls(files, paths, format, bad, max_bad)
    spill: Spill[LoggedCall] = Spill(chosen, bucket_count(_size(name) for name in files))
    with spill:
        for call in calls:
            park(spill, call if transform is None else transform(call))
            if observer is not None:
                observer.call_read()
        bad.check(max_bad)
        if not len(spill):
            raise InvalidInput([Problem(", ".join(paths), 1, 1, "the logs hold no model call")])
        try:
            traces.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError("the traces folder", traces, exc) from None
        written = lost = 0
        for conversation in write_partitions(spill, traces, scenario, executor, remote=remote):
            written += 1
            lost += conversation.lost is not None
            if observer is not None:
                observer.conversation_written(conversation.calls)
        return AuditWritten(chosen, traces, written, tuple(bad.problems), len(spill), lost)


def _size(name: str) -> int | None:
    if name == STDIN:
        return None
    try:
        return os.stat(name).st_size
    except OSError:
        return None


def _calls(
    files: Sequence[str],
    paths: Sequence[str],
    format: Format | Literal["auto"],
    bad: BadRecords,
    max_bad: int,
) -> tuple[Format, Iterator[LoggedCall]]:
    """The format of the logs and their calls, read lazily (a file importer when the format's
    module reads whole files, else JSON Lines records through the record importer)."""
    told: Format | None = _claimed_format(files) if format == "auto" else format
    by_files = _file_importer(told) if told is not None else None
    if told is not None and by_files is not None:
        return told, by_files(files, bad)
    records = _records(files, bad)
    first = next(records, None)
    if first is None:
        bad.check(max_bad)
        raise InvalidInput([Problem(", ".join(paths), 1, 1, "the logs hold no record")])
    chosen = sniff(first) if format == "auto" else format
    read = importer(chosen)
    if getattr(_module(chosen), "REREADS_RECORDS", False) and STDIN not in files:
        # Read twice rather than held (an index first, then the calls): the files are read
        # again from the start; their malformed records were counted by the first read.
        def again() -> Iterator[LogRecord]:
            return _records(files, BadRecords())

        return chosen, read(_chain(first, records), bad, again=again)  # type: ignore[call-arg]
    return chosen, read(_chain(first, records), bad)


def _records(files: Sequence[str], bad: BadRecords) -> Iterator[LogRecord]:
    for name in files:
        yield from read_records(name, bad)


def _chain(first: LogRecord, rest: Iterator[LogRecord]) -> Iterator[LogRecord]:
    yield first
    yield from rest
