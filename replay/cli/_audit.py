"""``replay audit LOGS... --out DIR``: recorded production conversations checked as replays.

The logs are read into traces (replay.audit), then the report folder is rendered exactly as
``replay report DIR`` renders it (:func:`replay.cli._report.cmd_report`), and a fleet summary
says how many conversations each check failed or could not judge.

Exit codes: 0 every conversation's checks hold, 1 findings or unproven, 2 bad input (a log
that does not exist, a malformed record beyond ``--max-bad``, an unknown check or format),
3 some conversation could not complete (a call without output, a failed call).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from replay.errors import InvalidInput, Problem
from replay.spec._words import count
from replay.trace._io import TRACE_SUFFIX


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


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
        "--max-bad",
        type=_count,
        default=0,
        metavar="N",
        help="audit anyway when at most N log records are malformed (each is still reported)",
    )


def cmd_audit(args: argparse.Namespace) -> int:
    """Read the logs into DIR/traces, render DIR's reports, print the fleet summary."""
    from replay.audit._audit import audit_logs, audit_scenario
    from replay.cli._progress import AuditProgress, wanted
    from replay.cli._report import cmd_report
    from replay.reports._writer import TRACES

    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise InvalidInput([Problem(str(out), 1, 1, "--out names a file; expected a folder")])
    traces = out / TRACES
    if traces.is_dir() and any(traces.glob(f"*{TRACE_SUFFIX}")):
        # Old traces would be reported as if this audit had read them.
        raise InvalidInput(
            [Problem(str(traces), 1, 1, "already holds traces: give --out an empty folder")]
        )
    scenario = audit_scenario(args.checks, args.rules, args.disclosures)
    with AuditProgress(sys.stderr, enabled=wanted(sys.stderr)) as progress:
        written = audit_logs(
            args.logs, traces, scenario, args.format, args.max_bad, observer=progress
        )
    for problem in written.bad:  # let through by --max-bad, never silently
        print(f"replay audit: malformed record not audited: {problem}", file=sys.stderr)
    print(
        f"replay audit: {count(written.calls, 'model call')} read as {written.format}, "
        f"{count(written.conversations, 'conversation')} written to {traces}",
        file=sys.stderr,
    )
    code = cmd_report(argparse.Namespace(traces=out, out=out, survival=None, argv=args.argv))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for line in fleet_summary(report, len(written.bad)):
        print(line)
    return code


def fleet_summary(report: dict[str, Any], bad: int = 0) -> list[str]:
    """The fleet summary of an audit's report.json: conversations by verdict, then per check
    how many conversations it failed and could not judge, and the share with findings."""
    scenarios = report["scenarios"]
    total = len(scenarios)
    verdicts: dict[str, int] = {}
    for s in scenarios:
        verdicts[s["verdict"]] = verdicts.get(s["verdict"], 0) + 1
    lines = [
        f"fleet: {count(total, 'conversation')}: "
        + ", ".join(f"{verdicts.get(v, 0)} {v}" for v in ("pass", "fail", "unproven", "error"))
    ]
    per: dict[str, dict[str, int]] = {}
    for s in scenarios:
        for c in s["checks"]:
            row = per.setdefault(c["id"], {})
            row[c["outcome"]] = row.get(c["outcome"], 0) + 1
    for check, row in per.items():
        unjudged = row.get("could not run", 0) + row.get("not exercised", 0)
        lines.append(
            f"  {check}: {row.get('fails', 0)} failed, {unjudged} could not be judged "
            f"({row.get('could not run', 0)} could not run, "
            f"{row.get('not exercised', 0)} not exercised), {row.get('holds', 0)} held"
        )
    with_findings = sum(1 for s in scenarios if s["findings"])
    share = 100.0 * with_findings / total if total else 0.0
    lines.append(
        f"  with findings: {with_findings} of {count(total, 'conversation')} ({share:.1f}%)"
    )
    if bad:
        lines.append(f"  not audited: {count(bad, 'malformed log record')} (--max-bad)")
    return lines
