"""``replay audit LOGS... --out DIR``: recorded production conversations checked as replays.

The logs are read into traces (replay.audit), then the traces are read back one at a time
into the fleet report exactly as ``replay report DIR`` renders an audit folder
(:func:`replay.cli._report.report_fleet`): conversations.jsonl, the fleet first, the worst and
a deterministic sample with their evidence, and a fleet summary on stdout.

Exit codes: 0 every conversation's checks hold, 1 findings or unproven, 2 bad input (a log
that does not exist, a malformed record beyond ``--max-bad``, an unknown check or format),
3 some conversation could not complete (a call without output, a failed call).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from replay.cli._options import COUNT
from replay.cli._scale import add_jobs_options, jobs_placement
from replay.errors import InvalidInput, Problem
from replay.spec._words import count
from replay.trace._io import TRACE_SUFFIX

if TYPE_CHECKING:
    from replay.audit._audit import AuditWritten
    from replay.audit._mask import Masker
    from replay.cli._progress import AuditProgress
    from replay.workers._ordered import Executor

FORMATS = ("openai", "transcript", "otel", "openinference", "langsmith", "inspect")
"""replay.audit's formats, written here too so building the parser (every command, even
``replay --version``) does not import the audit package (a test keeps the two equal)."""
DEFAULT_CHECKS = ("context_retains", "probe_discloses", "never_claims_human")
"""replay.audit's default checks, for the help (a test keeps the two equal)."""


def add_command(commands: Any) -> None:
    """Register ``audit`` on the CLI's subparsers."""
    audit = commands.add_parser(
        "audit",
        help="check recorded production conversations (API logs, transcripts, traces) as replays",
    )
    audit.add_argument(
        "logs",
        nargs="+",
        metavar="LOG",
        help="log files (.gz read transparently), folders (searched recursively) or - (stdin)",
    )
    audit.add_argument(
        "--format",
        choices=("auto", *FORMATS),
        default="auto",
        help="the logs' format (default: told from the first record)",
    )
    audit.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="write DIR/traces and the reports"
    )
    audit.add_argument(
        "--checks",
        nargs="+",
        metavar="NAME",
        default=[],
        help=f"checks to run (default without --rules: {', '.join(DEFAULT_CHECKS)})",
    )
    audit.add_argument(
        "--rules", nargs="+", metavar="ID", default=[], help="rule packs (see replay rules)"
    )
    audit.add_argument(
        "--disclosures",
        nargs="+",
        metavar="ID",
        default=[],
        help="built-in disclosures to watch (default: ai-identity)",
    )
    audit.add_argument(
        "--languages",
        nargs="+",
        metavar="CODE",
        default=[],
        help="read the built-in disclosures in these languages only (ISO 639-1: en de fr es "
        "it nl pl pt sv; default: all; claims to be human and probes are read in all)",
    )
    audit.add_argument(
        "--max-bad",
        type=COUNT,
        default=0,
        metavar="N",
        help="audit anyway when at most N log records are malformed (each is still reported)",
    )
    audit.add_argument(
        "--worst",
        type=COUNT,
        default=10,
        metavar="N",
        help="list the N worst conversations in the report with their evidence (default: 10)",
    )
    audit.add_argument(
        "--sample",
        type=COUNT,
        default=20,
        metavar="N",
        help="and a deterministic sample of N for human review (default: 20)",
    )
    audit.add_argument(
        "--transcripts",
        action="store_true",
        help="quote whole messages in the report's findings (default: only the sentences "
        "that decided; DIR/traces always holds the whole conversations)",
    )
    audit.add_argument(
        "--mask-pii",
        action="store_true",
        help="mask e-mail addresses, phone numbers, card numbers and IBANs in everything "
        "written (traces, reports, conversation ids); ids are hashed with the key in "
        "REPLAY_MASK_KEY",
    )
    audit.add_argument(
        "--seed",
        default="replay",
        help="the sample's seed (default: replay): the same seed picks the same conversations",
    )
    add_jobs_options(audit, what="write and check the conversations' traces")


def cmd_audit(args: argparse.Namespace) -> int:
    """Read the logs into DIR/traces, render DIR's reports, print the fleet summary."""
    from replay.audit._audit import audit_logs, audit_scenario
    from replay.cli._progress import AuditProgress, wanted
    from replay.reports._writer import TRACES
    from replay.workers import open_workers  # the same workers write and check the traces

    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise InvalidInput([Problem(str(out), 1, 1, "--out names a file; expected a folder")])
    traces = out / TRACES
    if traces.is_dir() and any(traces.glob(f"*{TRACE_SUFFIX}")):
        # Old traces would be reported as if this audit had read them.
        raise InvalidInput(
            [Problem(str(traces), 1, 1, "already holds traces: give --out an empty folder")]
        )
    jobs, dask = jobs_placement(args)
    scenario = audit_scenario(args.checks, args.rules, args.disclosures, args.languages)
    masker = _masker() if args.mask_pii else None
    shown = masker.text if masker is not None else str
    argv = [masker.ident(a) for a in args.argv] if masker is not None else args.argv
    # The same workers write the traces and then check them for the report (-j, --dask).
    with (
        AuditProgress(sys.stderr, enabled=wanted(sys.stderr)) as progress,
        open_workers(jobs, dask) as executor,
    ):
        written = audit_logs(
            args.logs,
            traces,
            scenario,
            args.format,
            args.max_bad,
            transform=masker.call if masker is not None else None,
            observer=progress,
            executor=executor,
            remote=dask is not None,
        )
        _said(written, traces, shown, masker, progress)
        return _report(args, out, written.bad, argv, progress, executor, dask is not None)


def _said(
    written: AuditWritten,
    traces: Path,
    shown: Callable[[str], str],
    masker: Masker | None,
    progress: AuditProgress,
) -> None:
    """What the audit read and wrote, on stderr, before the report's summary."""
    with progress.paused():
        for problem in written.bad:  # let through by --max-bad, never silently
            # (masked too: an importer's message may quote the record)
            print(
                f"replay audit: malformed record not audited: {shown(str(problem))}",
                file=sys.stderr,
            )
        print(
            f"replay audit: {count(written.calls, 'model call')} read as {written.format}, "
            f"{count(written.conversations, 'conversation')} written to {traces}",
            file=sys.stderr,
        )
        if written.lost:
            print(
                f"replay audit: {count(written.lost, 'conversation')} could not complete: "
                "the worker writing its traces died or raised (each trace says why)",
                file=sys.stderr,
            )
        if masker is not None:
            masked = masker.counts
            print(
                f"replay audit: masked {count(masked.email, 'e-mail address')}, "
                f"{count(masked.phone, 'phone number')}, {count(masked.card, 'card number')}, "
                f"{count(masked.iban, 'IBAN')} (distinct values)",
                file=sys.stderr,
            )


def _masker() -> Masker:
    from replay.audit._mask import SALT_ENV, Masker

    masker = Masker.from_env()
    if not masker.salted:
        print(
            f"replay audit: {SALT_ENV} is not set: masked ids are hashed with a public key, so "
            "an id that was a phone number or an address can be found again by trying values; "
            f"set {SALT_ENV} to a secret to prevent that",
            file=sys.stderr,
        )
    return masker


def _report(
    args: argparse.Namespace,
    out: Path,
    bad: Sequence[Problem],
    argv: Sequence[str],
    progress: AuditProgress,
    executor: Executor | None = None,
    remote: bool = False,
) -> int:
    """The traces read back one at a time: checked (on ``executor`` when there is one),
    counted into the fleet, the worst and the sample kept (memory does not grow with the
    number of conversations)."""
    from replay.audit._read import STDIN, log_files
    from replay.cli._report import report_fleet, trace_files
    from replay.reports._manifest import FileEntry

    logs = [FileEntry(Path(name), "log") for name in log_files(args.logs) if name != STDIN]
    return report_fleet(
        trace_files(out),
        out,
        argv=argv,
        worst=args.worst,
        sample=args.sample,
        seed=args.seed,
        bad=len(bad),
        inputs=logs,
        traces_are_outputs=True,
        transcripts=args.transcripts,
        progress=progress,
        executor=executor,
        remote=remote,
    )
