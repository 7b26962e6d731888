"""``replay diff OLD NEW``: compare two report folders, a release gate.

Exit codes: 0 NEW has no regression against OLD, 1 it has one, 2 an input is not a usable
report.json (the message names the file), 3 the output file could not be written. The
comparison lives in replay.reports._diff; this module only parses options and writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_command(commands: Any) -> None:
    """Register ``diff`` on the CLI's subparsers."""
    diff = commands.add_parser(
        "diff",
        help="compare two report folders (or report.json files): new, fixed and moved "
        "findings, verdict changes; exit 1 on a regression",
    )
    diff.add_argument("old", type=Path, help="the baseline: a report folder or its report.json")
    diff.add_argument("new", type=Path, help="the run to judge: a report folder or report.json")
    diff.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text (default), markdown (a pull-request comment) or json "
        "(replay/schemas/diff.schema.json)",
    )
    diff.add_argument(
        "--out", type=Path, metavar="FILE", help="write the diff here instead of to stdout"
    )


def cmd_diff(args: argparse.Namespace) -> int:
    """Compare, print or write the diff, and exit 1 when NEW has a regression."""
    # Imported here: building the CLI's parser should not load jsonschema for every command.
    from replay.errors import InvalidInput, Problem
    from replay.reports._diff import diff_reports, load_report
    from replay.reports._diff_render import render_diff, render_text
    from replay.reports._writer import write_atomic

    old, new = load_report(args.old), load_report(args.new)
    diff = diff_reports(old, new)
    text = render_diff(diff, args.format)
    if args.out is None:
        sys.stdout.write(text)
        return diff.exit_code
    out: Path = args.out
    if out.is_dir():
        raise InvalidInput([Problem(str(out), 1, 1, "--out names a folder; expected a file")])
    write_atomic(out, text)
    # The gate's answer still goes where CI logs show it.
    print(render_text(diff).splitlines()[0], file=sys.stderr)
    print(f"diff: {out}", file=sys.stderr)
    return diff.exit_code
