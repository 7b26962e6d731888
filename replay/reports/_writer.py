"""Write a report folder: report.json, report.md, report.html, junit.xml and manifest.json.

    results (+ traces, streamed again for the charts) --> report document --> each format
                                                                       \\--> manifest (hashes)

Both ways in end here: ``replay run --report-dir DIR`` (results from the replay, traces in
DIR/traces) and ``replay report DIR`` (results re-checked from the saved traces alone).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from replay.errors import OutputError
from replay.reports._html import render_html
from replay.reports._junit import render_junit
from replay.reports._manifest import (
    CHECKSUMS,
    FileEntry,
    build_manifest,
    checksum_line,
    relative,
    sha256_file,
)
from replay.reports._markdown import render_markdown
from replay.reports._model import ScenarioEntry, build_report
from replay.reports._timeline import analyse_trace
from replay.results import RunResult
from replay.spec._prices import Prices
from replay.spec._scenario import Scenario

REPORT_FILES = ("report.json", "report.md", "report.html", "junit.xml")
MANIFEST = "manifest.json"
TRACES = "traces"
SURVIVAL = "survival.json"
TRACE_SUMS = "traces.sha256"
"""An audit's checksums of its traces (``sha256sum -c`` reads it; the manifest lists it)."""
CONVERSATIONS = "conversations.jsonl"
"""An audit's one row per conversation (:meth:`FleetAccumulator.add`), beside its reports."""


@dataclass(frozen=True)
class WrittenReport:
    """What was written, and the report document it came from."""

    folder: Path
    files: tuple[Path, ...]
    manifest: Path
    report: Mapping[str, Any]


def entries_from_run(results: Sequence[RunResult], report_dir: Path) -> list[ScenarioEntry]:
    """Pair each run result with its chart data, streamed from the trace the run wrote.

    Entries are in scenario-name order, as ``replay report`` finds them again from the trace
    files, so re-rendering a run's traces gives the same bytes.
    """
    entries = []
    for result in sorted(results, key=lambda r: r.scenario):
        if result.trace_path is None or not Path(result.trace_path).is_file():
            entries.append(ScenarioEntry(result))
            continue
        trace = Path(result.trace_path)
        analysis = analyse_trace(trace, run_checks=False)
        entries.append(ScenarioEntry(result, analysis.timeline, relative(trace, report_dir)))
    return entries


def entries_from_traces(traces: Sequence[Path], report_dir: Path) -> list[ScenarioEntry]:
    """Re-check saved traces with the checks their headers carry, without re-running."""
    # Named after their scenarios: scenario-name order, as for a run.
    return [entry_of_trace(trace, report_dir) for trace in traces]


def entry_of_trace(trace: Path, report_dir: Path) -> ScenarioEntry:
    """One saved trace re-checked with the checks its header carries (the reading and verdict
    ``replay check`` gives too), with its chart data and its path relative to ``report_dir``:
    what ``replay report`` and ``replay audit`` show of each conversation."""
    analysis = analyse_trace(trace)
    return ScenarioEntry(analysis.result(), analysis.timeline, relative(trace, report_dir))


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A temporary file in ``path``'s folder, given ``path``'s name only when the block ends
    without an error (the rename, and the folder, fsynced where the OS allows). A reader sees
    the old file or the new one, never a truncated one; on any failure the temporary file is
    removed and ``path`` is untouched. An OS error raises OutputError (exit 3)."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError("the report file", path, exc) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; reports are not
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError("the report file", path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


@contextlib.contextmanager
def open_atomic(path: Path) -> Iterator[TextIO]:
    """A text file (UTF-8, LF) written line by line, atomically as :func:`write_atomic`
    writes (for files too large to build in memory, such as an audit's conversations.jsonl).
    An OS error raises OutputError (exit 3)."""
    with _replacing(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        yield text
        text.flush()
        os.fsync(raw.fileno())
        text.detach()  # the raw file is closed by _replacing


def _write_file(stream: BinaryIO, data: bytes) -> None:
    """Write, flush and fsync: the bytes are on disk before the file takes its name."""
    stream.write(data)
    stream.flush()
    os.fsync(stream.fileno())


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, as given: LF) to ``path`` atomically: into a temporary file in
    the same folder, fsynced, then renamed over ``path`` (:func:`_replacing`). An OS error (a
    full disk, a read-only folder) raises OutputError (exit 3)."""
    with _replacing(path) as stream:
        _write_file(stream, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def scenario_inputs(scenario: Scenario) -> list[FileEntry]:
    """The scenario file and the files it references (fixtures, cassettes, transcripts).

    A scenario names files as plain strings (each extension its own key), so every string value
    that names an existing file next to the scenario or in the working directory counts.
    """
    path = Path(scenario.path)
    found = [FileEntry(path, "scenario")] if path.is_file() else []
    seen = {path.resolve()} if path.is_file() else set()
    for key, value in _strings(scenario.raw):
        if "\n" in value or len(value) > 300 or not ("/" in value or "." in value):
            continue
        for base in (path.parent, Path.cwd()):
            candidate = base / value
            try:
                if candidate.is_file() and candidate.resolve() not in seen:
                    seen.add(candidate.resolve())
                    role = "cassette" if key == "cassette" else "fixture"
                    found.append(FileEntry(candidate, role))
                    break
            except OSError:
                continue
    return found


def _strings(data: Any, key: str = "") -> Iterable[tuple[str, str]]:
    """Every string value in the scenario data, with the mapping key it sits under."""
    if isinstance(data, str):
        yield key, data
    elif isinstance(data, Mapping):
        for name, value in data.items():
            yield from _strings(value, str(name))
    elif isinstance(data, (list, tuple)):
        for value in data:
            yield from _strings(value, key)


def write_reports(
    report_dir: Path,
    entries: Sequence[ScenarioEntry],
    *,
    inputs: Iterable[FileEntry],
    argv: Sequence[str],
    survival: Mapping[str, Any] | None = None,
    traces_are_outputs: bool = True,
    fleet: Mapping[str, Any] | None = None,
    trace_files: Iterable[Path] | None = None,
    extra_outputs: Iterable[FileEntry] = (),
    prices: Prices | None = None,
) -> WrittenReport:
    """Render every format into ``report_dir`` and write the manifest last (it hashes them).

    ``fleet``: an audit's fleet section; ``entries`` are then the conversations it kept, and
    the reports show the fleet first (see :func:`replay.reports._model.build_report`).
    ``trace_files``: an audit's traces, all of them, not only those it lists: written to
    :data:`TRACE_SUMS` with their hashes, which the manifest lists (default: the entries'
    traces, each listed in the manifest). ``extra_outputs``: other files written
    into the folder before the reports (an audit's conversations.jsonl), hashed as outputs.
    ``prices``: the user's price table, to show what the run's tokens cost (default: no cost).
    """
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError("the report folder", report_dir, exc) from None
    report = build_report(entries, survival, fleet, prices)
    # The document round-trips through JSON once, so every renderer sees exactly what
    # report.json says (no tuples, no objects) and formats cannot drift apart.
    document: dict[str, Any] = json.loads(json.dumps(report))
    # The templates show an agent's model and compaction only where known (get(), not
    # a strict lookup): a run that could not start, an adapter agent, a proxy trace or a
    # hand-written header knows neither.
    rendered = {
        "report.json": json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        "report.md": render_markdown(document),
        "report.html": render_html(document),
        "junit.xml": render_junit(document),
    }
    files = []
    for name in REPORT_FILES:
        target = report_dir / name
        write_atomic(target, rendered[name])
        files.append(target)
    outputs = [FileEntry(f, "report") for f in files]
    outputs.extend(extra_outputs)
    if trace_files is None:
        traces = [
            FileEntry(report_dir / e.trace, "trace")
            for e in entries
            if e.trace is not None and (report_dir / e.trace).is_file()
        ]
    else:
        # An audit's traces, as many as its conversations: hashed line by line into a
        # checksums file the manifest lists, so the manifest stays small (replay verify
        # checks every trace the file names).
        traces = []
        sums = report_dir / TRACE_SUMS
        with open_atomic(sums) as stream:
            for path in trace_files:
                stream.write(checksum_line(sha256_file(path), relative(path, report_dir)))
        outputs.append(FileEntry(sums, CHECKSUMS))
    input_list = list(inputs)
    if traces_are_outputs:
        outputs.extend(traces)
    else:
        input_list.extend(traces)
    manifest = build_manifest(report_dir, input_list, outputs, argv)
    manifest_path = report_dir / MANIFEST
    # As manifest.write_json formats it (sorted keys, LF, trailing newline), but atomically.
    write_atomic(
        manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    )
    return WrittenReport(report_dir, tuple(files), manifest_path, document)
