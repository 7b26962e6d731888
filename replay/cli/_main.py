"""The ``replay`` command line.

Exit codes: 0 every check holds, 1 findings, 2 invalid input or usage, 3 a run could not
complete. A user error never prints a Python traceback.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from replay._version import __version__
from replay.cli import _audit as audit_command
from replay.cli import _diff as diff_command
from replay.cli import _init as init_command
from replay.cli import _report as report_commands
from replay.cli._options import POSITIVE
from replay.cli._progress import FuzzProgress, OnTurn, RunProgress, wanted
from replay.cli._scale import add_scale_options, reproducing_argv, scale_config, unpriced_models
from replay.errors import (
    EXIT_INCOMPLETE,
    EXIT_INVALID,
    EXIT_OK,
    InvalidInput,
    OutputError,
    Problem,
    RunIncomplete,
    os_error,
)
from replay.files._schemas import SCHEMA_NAMES, packaged_schema, packaged_schema_text
from replay.results import EXIT_CODES, RunResult, exit_code_of
from replay.scenario._fuzzspec import CI_MAX_EXAMPLES, DEFAULT_DATABASE, DEFAULT_OUT, fuzz_spec
from replay.scenario._load import load_scenario
from replay.scenario._trust import ALLOW_OUTSIDE_PATHS_ENV, credential_routes, trust_problems
from replay.spec._loop import PRESETS
from replay.spec._prices import Prices
from replay.spec._scale import SuitePlan
from replay.spec._scenario import SCENARIO_SUFFIXES, Scenario
from replay.trace._io import model_call_input, read_trace, trace_file_name
from replay.trust._code import NO_CODE_ENV, env_flag, refuse_code
from replay.trust._hosts import ALLOW_HOSTS_ENV, allowed_hosts, host_problem

# Start-up: the runner (agents, models, the tokenizer) and the text renderer are imported by
# the commands that run or print results, so replay --version and replay validate do not load
# them (benchmarks/bench_startup.py).


def run_suite(
    scenarios: Sequence[Scenario],
    traces: Sequence[Path | None],
    plan: SuitePlan,
    *,
    prices: Prices | None,
    on_start: Callable[[int, str], None] | None = None,
    on_turn: OnTurn | None = None,
) -> Iterator[RunResult]:
    """:func:`replay.run._parallel.run_suite`, imported on first use (see above), with the
    plan's budget counted in ``prices``."""
    from replay.run._parallel import BudgetMeter
    from replay.run._parallel import run_suite as run

    spending = BudgetMeter(plan.budget, prices or Prices()) if plan.budget.set else None
    return run(scenarios, traces, plan, spending=spending, on_start=on_start, on_turn=on_turn)


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with one line and no traceback (its default too)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"replay: error: {message}\n")


def add_no_code(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-code",
        action="store_true",
        default=env_flag(NO_CODE_ENV),
        help="refuse (exit 2) any scenario that names Python code or a command: python and "
        "command agents, callable summarizers (also REPLAY_NO_CODE=1; see docs/security.md)",
    )


def _host(text: str) -> str:
    problem = host_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def add_trust_options(parser: argparse.ArgumentParser) -> None:
    """The options that widen what an untrusted scenario may reach (docs/security.md)."""
    parser.add_argument(
        "--allow-outside-paths",
        action="store_true",
        default=env_flag(ALLOW_OUTSIDE_PATHS_ENV),
        help="let the scenario name files outside its folder and its project root (absolute "
        f"paths, ../ beyond the root); also {ALLOW_OUTSIDE_PATHS_ENV}=1. Only for scenarios "
        "you trust",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        type=_host,
        metavar="HOST",
        help="let live models send their API key to HOST over https (besides the provider's "
        f"own host and loopback); repeatable; also {ALLOW_HOSTS_ENV}='HOST HOST'",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="replay",
        description="Replay long agent conversations, compaction included, and check that "
        "required AI disclosures survive every turn.",
        epilog="Exit codes: 0 all checks hold, 1 findings, 2 invalid input or usage, "
        "3 a run could not complete.",
    )
    parser.add_argument("--version", action="version", version=f"replay {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="replay scenarios and run their checks")
    run.add_argument("paths", nargs="+", type=Path, help="scenario files or folders of them")
    run.add_argument("--trace-dir", type=Path, help="write each scenario's trace (JSON Lines) here")
    run.add_argument("--json", action="store_true", help="print results as JSON instead of text")
    report_commands.add_report_options(run)
    add_scale_options(run, what="the scenarios")
    add_no_code(run)
    add_trust_options(run)
    verbosity = run.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", help="show every finding in full"
    )
    verbosity.add_argument("-q", "--quiet", action="store_true", help="one line per failing check")
    cassette = run.add_mutually_exclusive_group()
    cassette.add_argument(
        "--record",
        nargs="?",
        const="new_episodes",
        choices=("new_episodes", "all"),
        help="live models: record exchanges into the scenario's cassette (new_episodes, the "
        "default, keeps what it holds; all re-records everything)",
    )
    cassette.add_argument(
        "--offline",
        action="store_const",
        const="offline",
        dest="record",
        help="live models: replay from the cassette only, never calling the network (the "
        "default when the cassette exists)",
    )

    proxy = commands.add_parser(
        "proxy",
        help="serve a recording OpenAI/Anthropic-compatible endpoint on 127.0.0.1",
        description="Point any agent's model base URL at the printed address; every model "
        "request is recorded into --trace with the exact messages, then answered.",
    )
    backend = proxy.add_mutually_exclusive_group(required=True)
    backend.add_argument("--upstream", metavar="URL", help="forward requests to this base URL")
    backend.add_argument(
        "--cassette", type=Path, metavar="FILE", help="answer from a cassette (offline)"
    )
    backend.add_argument(
        "--simulator", action="store_true", help="answer with replay's simulator model"
    )
    proxy.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any)")
    proxy.add_argument("--trace", type=Path, required=True, help="write the trace here")
    proxy.add_argument(
        "--provider",
        choices=("openai", "anthropic"),
        default="openai",
        help="--cassette: the wire format the cassette was recorded in",
    )
    proxy.add_argument("--persona", default=None, help="--simulator: who it claims to be")

    validate = commands.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("paths", nargs="+", type=Path)
    add_trust_options(validate)

    schema = commands.add_parser("schema", help="print the scenario JSON Schema")
    which = schema.add_mutually_exclusive_group()
    which.add_argument("--trace", action="store_true", help="print the trace JSON Schema instead")
    which.add_argument(
        "--of",
        choices=SCHEMA_NAMES,
        help="print this document's JSON Schema instead (report: report.json, diff: "
        "replay diff --format json, ...)",
    )

    show = commands.add_parser("show", help="print a model call's full input from a trace")
    show.add_argument("trace", type=Path)
    show.add_argument("--turn", type=int, required=True)
    show.add_argument(
        "--call", type=int, default=-1, help="index of the call in the turn (default: the last)"
    )

    check = commands.add_parser(
        "check",
        help="run checks over a recorded trace (e.g. one written by replay proxy)",
        description="Check a saved trace: the scenario names the disclosures and checks "
        "(without --scenario, the checks the trace header lists). Same timeline and exit codes "
        "as replay run.",
    )
    check.add_argument("trace", type=Path)
    check.add_argument("--scenario", type=Path, help="scenario file with disclosures and checks")
    check_verbosity = check.add_mutually_exclusive_group()
    check_verbosity.add_argument("-v", "--verbose", action="store_true", help="every finding")
    check_verbosity.add_argument("-q", "--quiet", action="store_true", help="one line a check")

    commands.add_parser("presets", help="list the framework compaction presets")

    fuzz = commands.add_parser(
        "fuzz",
        help="search a scenario's fuzz: ranges for the shortest failing conversation",
        description="Generate variations of the scenario within its fuzz: ranges with "
        "Hypothesis, replay them, and shrink any failure to a minimal counterexample, written "
        "as a regression scenario. See docs/fuzzing.md.",
    )
    fuzz.add_argument("scenario", type=Path, help="a scenario file with a fuzz: section")
    add_no_code(fuzz)
    add_trust_options(fuzz)
    fuzz.add_argument(
        "--examples", type=POSITIVE, help="examples per policy (default: fuzz.examples, or 100)"
    )
    fuzz.add_argument(
        "--seed", type=int, help="random seed (a seeded run does not use the database)"
    )
    fuzz.add_argument(
        "--derandomize", action="store_true", help="same examples every run (no database)"
    )
    fuzz.add_argument(
        "--ci",
        action="store_true",
        help=f"CI profile: derandomized, at most {CI_MAX_EXAMPLES} examples, no database",
    )
    database = fuzz.add_mutually_exclusive_group()
    database.add_argument(
        "--database",
        type=Path,
        default=DEFAULT_DATABASE,
        metavar="DIR",
        help=f"Hypothesis example database (default {DEFAULT_DATABASE})",
    )
    database.add_argument(
        "--no-database", action="store_true", help="do not save or replay examples"
    )
    fuzz.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"where counterexamples are written (default {DEFAULT_OUT})",
    )
    fuzz.add_argument(
        "--policy", action="append", help="search only this policy of fuzz.policies (repeatable)"
    )
    fuzz.add_argument(
        "--sweep",
        action="store_true",
        help="also replay lengths 1..N (one replay per policy) and show survival by length",
    )
    fuzz.add_argument("--length", type=POSITIVE, help="sweep length N (default: fuzz.turns max)")
    fuzz.add_argument("--json", type=Path, metavar="PATH", help="write the results as JSON here")
    report_commands.add_commands(commands)
    diff_command.add_command(commands)
    init_command.add_command(commands)
    audit_command.add_command(commands)
    return parser


def scenario_files(paths: Sequence[Path]) -> list[Path]:
    """Expand folders into the scenario files they hold (recursively, sorted)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in SCENARIO_SUFFIXES)
            # Only regular files: a FIFO or a symlink to a device would block or never end.
            problems.extend(
                Problem(str(p), 1, 1, "not a regular file, expected a scenario file")
                for p in found
                if not p.is_file()
            )
            found = [p for p in found if p.is_file()]
            if not found and not problems:
                problems.append(Problem(str(path), 1, 1, "folder holds no .yaml scenario files"))
            files.extend(found)
        else:
            files.append(path)
    if problems:
        raise InvalidInput(problems)
    return files


def user_hosts(args: argparse.Namespace) -> frozenset[str]:
    """The hosts allowed to receive a credential: ``--allow-host`` and ``$REPLAY_ALLOW_HOSTS``."""
    return frozenset(getattr(args, "hosts", frozenset()))


def trusted_problems(
    scenario: Scenario, args: argparse.Namespace, record: str | None = None
) -> list[Problem]:
    """The trust rules (:func:`replay.scenario.trust_problems`) with the command line's flags."""
    return trust_problems(
        scenario,
        allow_outside_paths=bool(getattr(args, "allow_outside_paths", False)),
        hosts=user_hosts(args),
        record=record,
    )


def load_all(paths: Sequence[Path], args: argparse.Namespace | None = None) -> list[Scenario]:
    """Load every scenario, collecting all problems before failing (one run shows them all).

    With ``args`` (validate, run, fuzz), the trust rules apply too (:func:`trust_problems`),
    and the allowed hosts (``--allow-host``) are handed to the scenarios' live models.
    """
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    names: dict[str, str] = {}
    record = getattr(args, "record", None)
    for path in scenario_files(paths):
        try:
            scenario = load_scenario(path)
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        if args is not None:
            problems.extend(trusted_problems(scenario, args, record))
            scenario = scenario.allowing_hosts(user_hosts(args))
        if scenario.name in names:
            problems.append(
                Problem(
                    str(path),
                    1,
                    1,
                    f"scenario name {scenario.name!r} is also used by "
                    f"{names[scenario.name]}; names must be unique",
                )
            )
        names[scenario.name] = str(path)
        scenarios.append(scenario)
    if problems:
        raise InvalidInput(problems)
    return scenarios


def trace_file(trace_dir: Path, scenario: Scenario) -> Path:
    """Where ``replay run --trace-dir DIR`` writes a scenario's trace."""
    return trace_dir / trace_file_name(scenario.name)


def output_folders(args: argparse.Namespace) -> None:
    """Make the folders the run writes into now, so a bad one is an input error up front."""
    for option, folder in (("--trace-dir", args.trace_dir), ("--report-dir", args.report_dir)):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if not folder.is_file():  # a read-only place, no permission, a full disk: exit 3
                raise OutputError(f"{option}: the folder", folder, exc) from None
            raise InvalidInput(
                [
                    Problem(
                        str(folder), 1, 1, f"{option}: names a file; expected a folder to write to"
                    )
                ]
            ) from None


def credential_lines(scenario: Scenario, hosts: frozenset[str]) -> list[str]:
    """``credential $X -> host H (allowed because: ...) (file:line:col)``, one per live model."""
    return [
        f"{route.describe()} ({use.location})" for use, route in credential_routes(scenario, hosts)
    ]


def cmd_run(args: argparse.Namespace) -> int:
    from replay.reports._text import render_result, render_summary, result_to_json
    from replay.run._parallel import NOT_RUN
    from replay.spec._words import count

    scenarios = load_all(args.paths, args)
    if args.no_code:
        refuse_code(scenarios)
    if args.verbose and not args.json:
        # Before anything runs: which secret goes where, as validate lists it.
        for scenario in scenarios:
            for line in credential_lines(scenario, user_hosts(args)):
                print(f"{scenario.name}: {line}", flush=True)
    report_commands.check_run_options(args)
    output_folders(args)
    scale = scale_config(args)
    if scale.budget.max_cost is not None:
        unpriced_models(scenarios, scale.prices)
    plan = SuitePlan(
        jobs=scale.jobs,
        dask=scale.dask,
        limits=scale.limits,
        budget=scale.budget,
        cassette_mode=args.record,
    )
    results = []
    trace_dir = args.trace_dir or (args.report_dir / "traces" if args.report_dir else None)
    traces = [trace_file(trace_dir, s) if trace_dir else None for s in scenarios]
    # On stderr, for a terminal only, erased before each result and the summary: stdout and
    # the exit code are the same without it (replay.cli._progress).
    shown = wanted(sys.stderr, quiet=args.quiet, machine=args.json)
    with RunProgress(sys.stderr, len(scenarios), enabled=shown) as progress:
        on_turn = progress.on_turn if progress.enabled else None
        for result in run_suite(
            scenarios,
            traces,
            plan,
            prices=scale.prices,
            on_start=progress.scenario,
            on_turn=on_turn,
        ):
            results.append(result)
            if not args.json:
                with progress.paused():
                    print(render_result(result, verbose=args.verbose, quiet=args.quiet), flush=True)
    if args.json:
        print(
            json.dumps(
                [result_to_json(r, scale.prices) for r in results], indent=2, ensure_ascii=False
            )
        )
    else:
        print(render_summary(results, scale.prices))
        skipped = [r.scenario for r in results if (r.error or "").startswith(NOT_RUN)]
        if skipped:
            print(f"budget: {count(len(skipped), 'scenario')} did not run: {', '.join(skipped)}")
    if args.report_dir:
        written = report_commands.write_run_reports(
            args, scenarios, results, prices=scale.prices, config=scale.source
        )
        if not args.json:
            print(f"report: {written.folder / 'report.html'}")
    return exit_code_of(results)


def cmd_validate(args: argparse.Namespace) -> int:
    from replay.scenario._reach import compaction_reach
    from replay.spec._words import count

    for scenario in load_all(args.paths, args):
        print(
            f"ok: {scenario.path} ({scenario.name}: {count(scenario.turn_count, 'turn')}, "
            f"{count(len(scenario.checks), 'check')})"
        )
        # What a run would execute or contact; validating did none of it (docs/security.md).
        for ref in scenario.runs_code:
            label = {"code": "runs code", "command": "runs a command", "network": "connects"}
            print(f"  {label[ref.kind]}: {ref.key} = {ref.what} ({ref.location})")
        for line in credential_lines(scenario, user_hosts(args)):
            print(f"  {line}")
        idle = scenario.unexercised_checks()
        for check, why in idle:
            where = f"{check.location}: " if check.location else ""
            print(f"  warning: {where}{check.name} can never fail here: {why}")
        required = [c for c, _ in idle if c.citations]
        if idle and (required or len(idle) == len(scenario.checks)):
            print(
                "  warning: this scenario cannot pass as written: a run of it will be unproven "
                "(exit 1) unless it fails"
            )
        # Counted by replaying the conversation offline where nothing but the reference loop
        # and a simulator or scripted model would run (replay.scenario._reach).
        reach = compaction_reach(scenario)
        warning = reach.warning() if reach is not None else None
        if warning is not None:
            print(f"  warning: {warning}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    if args.trace or args.of not in (None, "scenario"):
        print(packaged_schema_text("trace" if args.trace else args.of))
    else:
        print(json.dumps(packaged_schema("scenario"), indent=2))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    try:
        header, turns = read_trace(args.trace)
        call, messages = model_call_input(header, turns, args.turn, args.call)
    except LookupError as exc:
        print(f"replay: {args.trace}: {exc.args[0]}", file=sys.stderr)
        return EXIT_INVALID
    print(
        f"# turn {args.turn}, {call.purpose} call to {call.model}: {len(messages)} messages, "
        f"{call.input_tokens} input tokens"
    )
    for message in messages:
        tags = sorted(message.disclosures | {f"instructs:{i}" for i in message.instructions})
        note = f" [{', '.join(tags)}]" if tags else ""
        print(
            f"\n## {message.id} {message.role} ({message.kind}, turn {message.turn}, "
            f"{message.tokens} tokens){note}"
        )
        print(message.content)
    try:  # read on to the end record: a trace the run did not finish is exit 3 here too
        for _ in turns:
            pass
    except RunIncomplete as exc:
        print(f"replay: the input is shown, but the trace is incomplete: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    return EXIT_OK


def cmd_presets(args: argparse.Namespace) -> int:
    for preset in PRESETS.values():
        print(f"{preset.name}\n    {preset.framework}")
        if preset.note:
            print(f"    {preset.note}")
        if preset.verified:
            print(f"    verified against {preset.verified} (turn by turn, docs/compaction.md)")
        else:
            print("    not verified against the framework: modelled from its source and docs")
    return EXIT_OK


def cmd_proxy(args: argparse.Namespace) -> int:
    from replay.cli._proxy import serve

    return serve(args)


def cmd_check(args: argparse.Namespace) -> int:
    from replay.cli._proxy import check_recorded
    from replay.reports._text import render_result

    scenario = load_scenario(args.scenario) if args.scenario is not None else None
    result = check_recorded(args.trace, scenario)
    print(render_result(result, verbose=args.verbose, quiet=args.quiet))
    return exit_code_of([result])


def cmd_fuzz(args: argparse.Namespace) -> int:
    try:
        # Hypothesis is the optional extra replay[fuzz]; every other command runs without it.
        from replay.fuzz._render import render_report, write_json
        from replay.fuzz._search import FuzzOptions, fuzz
    except ImportError as exc:
        print(
            f"replay: replay fuzz needs Hypothesis ({exc}); install it with "
            "pip install 'replay[fuzz]'",
            file=sys.stderr,
        )
        return EXIT_INCOMPLETE
    scenario = load_scenario(args.scenario)  # one file: a folder is refused by the loader
    problems = trusted_problems(scenario, args)
    if problems:
        raise InvalidInput(problems)
    scenario = scenario.allowing_hosts(user_hosts(args))
    if args.no_code:
        refuse_code([scenario])
    spec = fuzz_spec(scenario)
    known = [c.name for c in spec.policies]
    unknown = [name for name in args.policy or () if name not in known]
    if unknown:
        print(
            f"replay: --policy {unknown[0]!r} is not in the scenario's fuzz.policies "
            f"({', '.join(known)})",
            file=sys.stderr,
        )
        return EXIT_INVALID
    # As asked for: fuzz() resolves them (with the fuzz section) in one place, resolve_options.
    options = FuzzOptions(
        examples=args.examples,
        seed=args.seed,
        derandomize=args.derandomize,
        ci=args.ci,
        database=None if args.no_database else args.database,
        out=args.out,
    )
    length = (args.length or spec.turns.max) if args.sweep else None
    # On stderr, for a terminal only (replay.cli._progress), erased before the report. --json
    # writes a file and --ci is a CI log: no progress with either.
    shown = wanted(sys.stderr, machine=args.ci or args.json is not None)
    with FuzzProgress(sys.stderr, enabled=shown) as progress:
        on_example = progress.on_example if progress.enabled else None
        report = fuzz(
            scenario, options, sweep_length=length, policies=args.policy, on_example=on_example
        )
    print(render_report(report))
    if args.json:
        write_json(report, args.json)
    return EXIT_CODES[report.verdict]


COMMANDS = {
    "check": cmd_check,
    "fuzz": cmd_fuzz,
    "proxy": cmd_proxy,
    "run": cmd_run,
    "validate": cmd_validate,
    "schema": cmd_schema,
    "show": cmd_show,
    "presets": cmd_presets,
    "report": report_commands.cmd_report,
    "verify": report_commands.cmd_verify,
    "rules": report_commands.cmd_rules,
    "diff": diff_command.cmd_diff,
    "init": init_command.cmd_init,
    "audit": audit_command.cmd_audit,
}


def _problems(problems: Iterator[Problem] | Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


DEGRADE = "replay-degrade"
"""The error handler of stdout and stderr on a terminal that cannot show every character."""


def _degrade(exc: UnicodeError) -> tuple[str | bytes, int]:
    """Escape what the terminal cannot show (``\\u2026``); a file name's undecodable bytes
    (lone surrogates, as the C locale reads them) go out as the bytes they were."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start : exc.end]
    if all(0xDC80 <= ord(c) <= 0xDCFF for c in text):
        return bytes(ord(c) - 0xDC00 for c in text), exc.end
    return codecs.backslashreplace_errors(exc)


codecs.register_error(DEGRADE, _degrade)


def degrade_output() -> None:
    """A terminal that cannot show a character (an ellipsis on a Latin-1, ASCII or C-locale
    terminal) gets an escape (``\\u2026``) in its place: the output degrades, the exit code
    stays the verdict's, never "internal error" over a character."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or getattr(stream, "errors", None) not in (
            "strict",
            "surrogateescape",
        ):
            continue
        try:
            reconfigure(errors=DEGRADE)
        except (ValueError, OSError, LookupError):  # closed or not reconfigurable: as it is
            continue


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``replay`` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    degrade_output()
    parser = build_parser()
    if not argv:  # a bare `replay`: what it can do, not argparse's "arguments are required"
        parser.print_help(sys.stderr)
        return EXIT_INVALID
    args = parser.parse_args(argv)
    # Recorded in manifest.json: the command that reproduces a report. Where it ran (-j,
    # --dask) and how fast (--rate-limit) change no result, so they are left out and a
    # parallel run's report is byte for byte the serial one's (docs/scale.md).
    args.argv = reproducing_argv(argv)
    if hasattr(args, "allow_host"):
        try:
            args.hosts = allowed_hosts(args.allow_host)
        except ValueError as exc:  # a bad entry in REPLAY_ALLOW_HOSTS: a usage error
            parser.error(str(exc))
    try:
        return COMMANDS[args.command](args)
    except InvalidInput as exc:
        _problems(exc.problems)
        from replay.spec._words import count  # stdlib-only; imported here, beside its one use

        print(
            f"replay: {count(len(exc.problems), 'problem')} in the input; nothing was run",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except RunIncomplete as exc:
        print(f"replay: the run could not complete: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    except KeyboardInterrupt:
        print("replay: interrupted; the run did not complete", file=sys.stderr)
        return EXIT_INCOMPLETE
    except BrokenPipeError:
        # The reader went away (`replay run ... | head`): what it did not read may not have
        # run, so this is never "all checks hold". Point stdout at devnull so the interpreter
        # does not complain again while flushing at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INCOMPLETE
    except OSError as exc:  # a file that could not be read or written: the machine, not a bug
        print(f"replay: the run could not complete: {os_error(exc)}", file=sys.stderr)
        return EXIT_INCOMPLETE
    except Exception as exc:  # the last line of defence: never a bare traceback
        if os.environ.get("REPLAY_DEBUG"):
            traceback.print_exc()
        print(
            f"replay: internal error ({type(exc).__name__}: {exc}); the run did not complete. "
            "Set REPLAY_DEBUG=1 for the traceback and please report it.",
            file=sys.stderr,
        )
        return EXIT_INCOMPLETE
