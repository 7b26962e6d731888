"""The report-related commands of the CLI: ``run --report-dir``, ``report``, ``verify``, ``rules``.

They live here, not in replay.cli, so the CLI module stays a thin table of commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from replay.cli._options import COUNT
from replay.cli._scale import add_jobs_options, jobs_placement
from replay.errors import EXIT_OK, InvalidInput, Problem
from replay.results import RunResult, exit_code_of
from replay.spec._prices import Prices
from replay.spec._scenario import Scenario
from replay.spec._words import count
from replay.trace._io import TRACE_SUFFIX

# The report writers (Jinja2 templates, the manifest, rule packs) are imported by the commands
# that write or check reports: every command builds this module's options, and `replay
# --version` or `replay validate` should not pay for templates they never render.
if TYPE_CHECKING:
    from replay.cli._progress import AuditProgress
    from replay.reports._manifest import FileEntry
    from replay.reports._writer import WrittenReport
    from replay.workers._ordered import Executor

EXIT_CHANGED = 1
"""replay verify: a file the manifest lists changed or is missing."""


def add_report_options(run: argparse.ArgumentParser) -> None:
    """The options ``replay run`` takes for writing a report folder."""
    run.add_argument(
        "--report-dir",
        type=Path,
        help="write report.json, report.md, report.html, junit.xml and manifest.json here "
        "(traces go to DIR/traces unless --trace-dir is given)",
    )
    run.add_argument(
        "--survival",
        type=Path,
        help="a fuzzing sweep's survival summary to include (default: DIR/survival.json if "
        "it exists)",
    )


def add_commands(commands: Any) -> None:
    """Register ``report``, ``verify`` and ``rules`` on the CLI's subparsers."""
    report = commands.add_parser(
        "report", help="re-render a report folder from saved traces, without re-running"
    )
    report.add_argument(
        "traces",
        type=Path,
        help="a report folder (its traces/ are read) or a folder of .trace.jsonl files",
    )
    report.add_argument(
        "--out", type=Path, help="where to write the reports (default: the report folder)"
    )
    report.add_argument("--survival", type=Path, help="a survival summary to include")
    fleet = report.add_argument_group(
        "audit folders", "traces written by replay audit are reported as a fleet"
    )
    fleet.add_argument(
        "--worst",
        type=COUNT,
        default=None,
        metavar="N",
        help="list the N worst conversations with their evidence (default: 10)",
    )
    fleet.add_argument(
        "--sample",
        type=COUNT,
        default=None,
        metavar="N",
        help="and a deterministic sample of N for human review (default: 20)",
    )
    fleet.add_argument(
        "--seed",
        default=None,
        help="the sample's seed (default: replay): the same seed picks the same conversations",
    )
    fleet.add_argument(
        "--transcripts",
        action="store_true",
        help="quote whole messages in the findings (the turn's user message and reply, the "
        "removed message, the summary); by default a report of production conversations "
        "quotes only the sentences that decided",
    )
    add_jobs_options(report, what="check an audit folder's traces")

    verify = commands.add_parser(
        "verify", help="re-hash the files a manifest.json lists and report any that changed"
    )
    verify.add_argument("manifest", type=Path)

    commands.add_parser("rules", help="list the rule packs with their citations")


def _survival(
    option: Path | None, report_dir: Path
) -> tuple[Mapping[str, Any] | None, list[FileEntry]]:
    from replay.reports._manifest import FileEntry
    from replay.reports._survival import load_survival
    from replay.reports._writer import SURVIVAL

    path = option if option is not None else report_dir / SURVIVAL
    if option is None and not path.is_file():
        return None, []
    return load_survival(path), [FileEntry(path, "survival")]


def check_run_options(args: argparse.Namespace) -> None:
    """Before ``replay run`` replays anything: the report options are usable (else exit 2)."""
    if args.survival is not None and args.report_dir is None:
        raise InvalidInput([Problem(str(args.survival), 1, 1, "--survival needs --report-dir DIR")])
    if args.report_dir is not None:
        from replay.reports._manifest import generated_at
        from replay.reports._survival import load_survival

        generated_at()  # an invalid SOURCE_DATE_EPOCH is an input error, found before the run
        if args.survival is not None:
            load_survival(args.survival)


def write_run_reports(
    args: argparse.Namespace,
    scenarios: Sequence[Scenario],
    results: Sequence[RunResult],
    *,
    prices: Prices | None = None,
    config: str | None = None,
) -> WrittenReport:
    """After ``replay run --report-dir DIR``: render DIR from the results and traces, priced by
    ``prices``; ``config`` is the config file the run read (hashed in the manifest: its
    prices and budget shaped the report)."""
    from replay.reports._manifest import FileEntry
    from replay.reports._writer import entries_from_run, scenario_inputs, write_reports

    report_dir: Path = args.report_dir
    survival, survival_inputs = _survival(args.survival, report_dir)
    inputs = [entry for s in scenarios for entry in scenario_inputs(s)] + survival_inputs
    if config is not None:
        inputs.append(FileEntry(Path(config), "config"))
    return write_reports(
        report_dir,
        entries_from_run(results, report_dir),
        inputs=inputs,
        argv=args.argv,
        survival=survival,
        prices=prices,
    )


def trace_files(folder: Path) -> list[Path]:
    """The traces of a report folder (DIR/traces/) or of a folder of traces."""
    if not folder.is_dir():
        raise InvalidInput([Problem(str(folder), 1, 1, "no such folder; give a report folder")])
    from replay.reports._writer import TRACES

    base = folder / TRACES if (folder / TRACES).is_dir() else folder
    found = sorted(base.glob(f"*{TRACE_SUFFIX}")) or [
        p
        for p in sorted(base.glob("*.jsonl"))
        if not _is_output(p)  # not conversations.jsonl
    ]
    traces = set(found)  # an audit's folder holds 100,000 traces: no list lookups
    ignored = sorted(
        p.name
        for p in base.iterdir()
        if p not in traces and p.is_file() and not (base == folder and _is_output(p))
    )
    if ignored:  # said, not silently skipped: a trace misnamed .json would otherwise vanish
        print(
            f"replay report: ignored {count(len(ignored), 'file')} in {base} that are not traces "
            f"(*{TRACE_SUFFIX}): {', '.join(ignored)}",
            file=sys.stderr,
        )
    if not found:
        raise InvalidInput(
            [
                Problem(
                    str(folder),
                    1,
                    1,
                    "holds no .trace.jsonl files (write them with replay run --report-dir DIR "
                    "or --trace-dir DIR)",
                )
            ]
        )
    return found


def _is_output(path: Path) -> bool:
    """A file or folder ``replay run --report-dir`` writes beside its traces."""
    from replay.reports._writer import (
        CONVERSATIONS,
        MANIFEST,
        REPORT_FILES,
        SURVIVAL,
        TRACE_SUMS,
    )

    return path.name in (*REPORT_FILES, MANIFEST, SURVIVAL, CONVERSATIONS, TRACE_SUMS)


def cmd_report(args: argparse.Namespace) -> int:
    from replay.reports._writer import entries_from_traces, write_reports

    traces = trace_files(args.traces)
    out: Path = args.out or args.traces
    if out.exists() and not out.is_dir():  # a usage error (2); an unwritable folder is 3
        raise InvalidInput([Problem(str(out), 1, 1, "--out names a file; expected a folder")])
    survival, survival_inputs = _survival(args.survival, args.traces)
    jobs_placement(args)  # -j and --dask: one or the other
    if is_audit(traces):
        return _report_fleet(args, traces, out, survival, survival_inputs)
    given = [f"--{o}" for o in ("worst", "sample", "seed") if getattr(args, o, None) is not None]
    if getattr(args, "transcripts", False):
        given.append("--transcripts")
    given += [o for o, on in (("-j", args.jobs != 1), ("--dask", args.dask)) if on]
    if given:  # said, not silently dropped
        print(
            f"replay report: {', '.join(given)} ignored: {args.traces} is not an audit's "
            "folder (its traces were not written by replay audit)",
            file=sys.stderr,
        )
    entries = entries_from_traces(traces, out)  # a bad trace is a located InvalidInput
    written = write_reports(
        out,
        entries,
        inputs=survival_inputs,
        argv=args.argv,
        survival=survival,
        traces_are_outputs=False,
    )
    for entry in entries:  # why each one could not complete, where CI logs show it
        if entry.result.error is not None:
            print(
                f"replay: {entry.result.scenario}: could not complete: {entry.result.error}",
                file=sys.stderr,
            )
    summary = written.report["summary"]
    print(
        f"{count(summary['scenarios'], 'scenario')} re-checked from traces: "
        f"{summary['passed']} passed, "
        f"{summary['failed']} failed, {summary['errors']} could not complete"
    )
    print(f"report: {written.folder / 'report.html'}")
    return exit_code_of([e.result for e in entries])


AUDIT = "audit"
"""The agent type of a trace replay audit wrote (its header's ``agent.type``)."""
SHOWN_ERRORS = 20
"""Conversations whose error ``replay report`` prints on an audit folder (each one's error is
in conversations.jsonl): a fleet of 100,000 failed calls is not 100,000 lines of CI log."""


def is_audit(traces: Sequence[Path]) -> bool:
    """The traces were written by ``replay audit``: the first readable header says so (the
    audit writes a folder of its own, so one header speaks for all)."""
    from replay.errors import ReplayError
    from replay.trace._io import read_trace

    for trace in traces:
        try:
            header, records = read_trace(trace)
        except ReplayError:  # unreadable or cut short: the next one tells
            continue
        close = getattr(records, "close", None)
        if close is not None:
            close()
        return header.agent.get("type") == AUDIT
    return False


def _report_fleet(
    args: argparse.Namespace,
    traces: Sequence[Path],
    out: Path,
    survival: Mapping[str, Any] | None,
    survival_inputs: Sequence[FileEntry],
) -> int:
    from replay.workers import open_workers

    jobs, dask = jobs_placement(args)
    with open_workers(jobs, dask) as executor:  # where the traces are checked (-j, --dask)
        return report_fleet(
            traces,
            out,
            argv=args.argv,
            worst=_given(args, "worst", 10),
            sample=_given(args, "sample", 20),
            seed=_given(args, "seed", "replay"),
            inputs=survival_inputs,
            survival=survival,
            transcripts=getattr(args, "transcripts", False),
            executor=executor,
            remote=dask is not None,
        )


def _given(args: argparse.Namespace, option: str, default: Any) -> Any:
    value = getattr(args, option, None)
    return default if value is None else value


def report_fleet(
    traces: Sequence[Path],
    out: Path,
    *,
    argv: Sequence[str],
    worst: int = 10,
    sample: int = 20,
    seed: str = "replay",
    bad: int = 0,
    inputs: Iterable[FileEntry] = (),
    survival: Mapping[str, Any] | None = None,
    traces_are_outputs: bool = False,
    transcripts: bool = False,
    progress: AuditProgress | None = None,
    executor: Executor | None = None,
    remote: bool = False,
) -> int:
    """An audit's report folder from its traces, streamed one at a time through the fleet
    accumulator: DIR/conversations.jsonl (a row per conversation, in ``traces`` order), then
    the reports (the fleet first; the ``worst`` and a ``sample`` chosen by ``seed`` with their
    evidence) and the manifest (every trace, as an output of the audit or an input of
    ``replay report``). Memory does not grow with the number of conversations. Prints the
    fleet summary (``bad``: malformed log records an audit let by) and returns the exit code
    of the fleet's verdict. Findings quote only the sentences that decided unless
    ``transcripts`` (production data is personal data: replay.reports._evidence).
    ``replay audit`` and ``replay report`` on its folder both end here, so they write the
    same bytes. With ``executor`` the traces are checked on its workers (``remote``: sent
    their bytes) and folded here in the same order: the same bytes again."""
    import json

    from replay.errors import OutputError
    from replay.reports._fleet import FleetAccumulator, fleet_lines
    from replay.reports._manifest import FileEntry
    from replay.reports._recheck import recheck
    from replay.reports._writer import CONVERSATIONS, open_atomic, write_reports

    fleet = FleetAccumulator(worst, sample, seed)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError("the report folder", out, exc) from None
    rows = out / CONVERSATIONS
    errors = 0
    if progress is not None:
        progress.checking(len(traces))
    with open_atomic(rows) as stream:
        # Checked here or on the workers, folded here in ``traces`` order (replay.reports.
        # _recheck): a bad trace is a located InvalidInput, a lost worker RunIncomplete.
        checked = recheck(traces, out, transcripts=transcripts, executor=executor, remote=remote)
        for entry in checked:
            if progress is not None:
                progress.conversation_checked()
            stream.write(json.dumps(fleet.add(entry), ensure_ascii=False) + "\n")
            if entry.result.error is not None:
                errors += 1
                if errors <= SHOWN_ERRORS:  # why it could not complete, where CI logs show it
                    with progress.paused() if progress is not None else nullcontext():
                        print(
                            f"replay: {entry.result.scenario}: could not complete: "
                            f"{entry.result.error}",
                            file=sys.stderr,
                        )
    if progress is not None:  # what follows is the summary
        progress.close()
    if errors > SHOWN_ERRORS:
        print(
            f"replay: ... and {count(errors - SHOWN_ERRORS, 'more conversation')} that could "
            f"not complete (each one's error is in {rows})",
            file=sys.stderr,
        )
    section = fleet.fleet()
    written = write_reports(
        out,
        fleet.kept(),
        inputs=inputs,
        argv=argv,
        survival=survival,
        traces_are_outputs=traces_are_outputs,
        fleet=section,
        trace_files=traces,
        extra_outputs=[FileEntry(rows, "conversations")],
    )
    for line in fleet_lines(section, bad):
        print(line)
    print(f"report: {written.folder / 'report.html'}")
    return int(written.report["summary"]["exit_code"])


def cmd_verify(args: argparse.Namespace) -> int:
    from replay.reports._manifest import verify_manifest

    result = verify_manifest(args.manifest)
    for path in result.changed:
        print(f"CHANGED {path}")
    for path in result.missing:
        print(f"MISSING {path}")
    total = len(result.ok) + len(result.changed) + len(result.missing)
    if result.intact:
        print(f"ok: all {count(total, 'file')} match {args.manifest}")
        return EXIT_OK
    print(
        f"{len(result.changed)} changed, {len(result.missing)} missing of {count(total, 'file')} "
        f"listed in {args.manifest}"
    )
    return EXIT_CHANGED


def _check_text(item: Any) -> str:
    """A pack's check as written: ``recurs_every {minutes: 3h}``."""
    if isinstance(item, str):
        return item
    ((name, options),) = item.items()
    params = ", ".join(f"{k}: {v}" for k, v in (options or {}).items())
    return f"{name} {{{params}}}" if params else name


def cmd_rules(args: argparse.Namespace) -> int:
    print("Rule packs: testing aids, not legal advice. Select them with rules: [id, ...].\n")
    from replay.scenario._rulepacks import all_packs

    for pack in all_packs():
        checks = ", ".join(_check_text(item) for item in pack.checks)
        mark = "  [secondary sources]" if pack.secondary else ""
        print(f"{pack.id}{mark}\n    {pack.title}")
        print(f"    {pack.law}; {pack.citation}; in force {pack.in_force}")
        print(f"    checks: {checks}")
    return EXIT_OK
