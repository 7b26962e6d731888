"""``replay init [DIR]``: write a starter project a reviewer can run at once.

It writes a scenario for the user's kind of agent (the reference loop with a framework preset,
or a python, http or command adapter, or the standalone recording proxy), the stub agent the
adapters drive, a pytest configuration that collects the scenario, and a CI workflow. Every
file is rendered from a Jinja2 template in ``replay/cli/init_templates`` (package data), and
what it writes validates and runs green offline (tests/test_init.py runs each kind).

It never overwrites: every target is checked before anything is written, and one that exists
is an input error (exit 2) naming them all; files are then created exclusively (``open(...,
"x")``), so even a file that appears meanwhile is not replaced.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from replay.errors import EXIT_INVALID, EXIT_OK
from replay.spec._loop import PRESETS
from replay.spec._words import count, did_you_mean

AgentKind = Literal["reference", "python", "http", "command", "proxy"]
AGENT_KINDS: tuple[AgentKind, ...] = get_args(AgentKind)
DEFAULT_AGENT: AgentKind = "reference"
DEFAULT_PRESET = "langchain-summarization"
DEFAULT_NAME = "support-assistant"
DEFAULT_HTTP_PORT = 8000
DEFAULT_PROXY_PORT = 8788
AGENT_MAX_MESSAGES = 8
"""The stub agents' own history limit: short enough that they trim this conversation (the
proxy observes it as compaction), while their system prompt is always sent (so it passes)."""

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # the schema's pattern for `scenario:`

KIND_HELP = {
    "reference": "replay's reference loop, compacting as a framework preset does",
    "python": "your Python agent (module:factory), run by the python adapter",
    "http": "your agent as a running chat service, driven over HTTP",
    "command": "your agent as a program in any language, JSON lines on stdin/stdout",
    "proxy": "any agent recorded through `replay proxy`, checked with `replay check`",
}


@dataclass(frozen=True)
class PresetSetup:
    """The compaction keys a preset leaves to the scenario, set so this starter's
    conversation compacts (several times) and still passes, with why, as YAML lines."""

    lines: tuple[str, ...]
    context_window: int | None = None


# One entry per preset of replay.spec._loop.PRESETS (a test checks they match): the values
# make the 14-turn starter conversation (about 700 tokens) compact, keeping the system prompt.
PRESET_SETUPS: dict[str, PresetSetup] = {
    "langchain-summarization": PresetSetup(
        ("trigger: {tokens: 400}              # SummarizationMiddleware(trigger=...)",)
    ),
    "langchain-summary-buffer": PresetSetup(
        (
            "trigger: {tokens: 400}              # max_token_limit (default 2000)",
            "keep: {tokens: 400}                 # the same max_token_limit",
        )
    ),
    "langchain-trim": PresetSetup(
        (
            "trigger: {tokens: 400}              # trim_messages(max_tokens=...)",
            "pin_system: true                    # include_system=True; the default drops it",
        )
    ),
    "openai-agents-limit": PresetSetup(
        (
            "trigger: {messages: 10}             # cut once the session holds more",
            "keep: {messages: 10}                # SessionSettings(limit=10)",
        )
    ),
    "autogen-buffered": PresetSetup(
        (
            "trigger: {messages: 10}",
            "keep: {messages: 10}                # buffer_size=10",
        )
    ),
    "autogen-head-tail": PresetSetup(
        (
            "head: 1                             # head_size=1",
            "trigger: {messages: 11}             # head_size + tail_size",
            "keep: {messages: 10}                # tail_size=10",
        )
    ),
    "autogen-token-limited": PresetSetup(
        ("trigger: {tokens: 400}              # token_limit=400",)
    ),
    "semantic-kernel-summarization": PresetSetup(
        (
            "keep: {messages: 8}                 # target_count=8",
            "trigger: {messages: 12}             # target_count + threshold_count",
        )
    ),
    "semantic-kernel-truncation": PresetSetup(
        (
            "keep: {messages: 8}                 # target_count=8",
            "trigger: {messages: 12}             # target_count + threshold_count",
        )
    ),
    "llamaindex-summary-buffer": PresetSetup(
        (
            "trigger: {tokens: 400}              # token_limit (default 2000)",
            "keep: {tokens: 400}                 # the same token_limit",
        )
    ),
    "llamaindex-memory-buffer": PresetSetup(
        (
            "trigger: {tokens: 400}              # token_limit (default 3000)",
            "keep: {tokens: 400}                 # the same token_limit",
        )
    ),
    # CrewAI's legacy executor summarizes the system prompt itself once the window overflows,
    # so no setting passes then: the starter's window is a real model's, which this short
    # conversation never fills (the comment in the scenario says how to see the loss).
    "crewai-legacy": PresetSetup(
        (
            "# This conversation never fills the window below, so nothing is summarized. Set",
            "# context_window: 600 to see the executor summarize the system prompt away",
            "# (replay then finds context_retains and probe_discloses failing).",
        ),
        context_window=128000,
    ),
    "claude-code-autocompact": PresetSetup(
        ("# Compacts at 83.5% of context_window (below), keeping the system prompt.",),
        context_window=600,
    ),
}


@dataclass(frozen=True)
class InitOptions:
    """What to write: the agent kind, its preset (reference loop only), rule packs, name."""

    folder: Path
    agent: AgentKind = DEFAULT_AGENT
    preset: str = DEFAULT_PRESET
    rules: tuple[str, ...] = ()
    name: str = DEFAULT_NAME
    http_port: int = DEFAULT_HTTP_PORT
    proxy_port: int = DEFAULT_PROXY_PORT
    failing_example: bool = False


@dataclass(frozen=True)
class Planned:
    """One file to write: its path relative to the project folder, its text, what it is."""

    path: Path
    text: str
    what: str


@dataclass(frozen=True)
class Plan:
    """Everything ``replay init`` writes, and what it tells the user instead of writing."""

    folder: Path
    files: tuple[Planned, ...]
    notes: tuple[str, ...]
    next_commands: tuple[str, ...]


class InitError(ValueError):
    """A usage error of ``replay init`` (exit 2), its message ready to print."""


def install_spec() -> str:
    """The pip requirement the CI workflow installs replay with: how this copy was installed
    when that can be repeated elsewhere, else "" (the workflow then stops and says what to set).

    Never a bare ``replay==VERSION`` guessed for a copy that did not come from an index: a
    package of that name on PyPI need not be this one, and CI would run whatever it is.
    """
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("replay")
        text = dist.read_text("direct_url.json")
    except PackageNotFoundError:
        return ""
    if text is None:  # installed from an index: the same index and version
        return f"replay=={dist.version}"
    try:
        direct = json.loads(text)
    except ValueError:
        return ""
    vcs = direct.get("vcs_info") if isinstance(direct, dict) else None
    url = direct.get("url") if isinstance(direct, dict) else None
    if isinstance(vcs, dict) and isinstance(url, str) and vcs.get("vcs") == "git":
        commit = vcs.get("commit_id")
        return f"replay @ git+{url}" + (f"@{commit}" if isinstance(commit, str) else "")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return f"replay @ {url}"  # an archive URL
    return ""  # a local folder or file: nothing a CI runner can reach


# ----------------------------------------------------------------------------- the command


def add_command(commands: Any) -> None:
    """Register ``replay init`` on the CLI's subparsers."""
    init = commands.add_parser(
        "init",
        help="write a starter project: a scenario for your kind of agent, pytest.ini and a "
        "CI workflow (never overwrites a file)",
        description="Write a starter project into DIR (default: the current folder): "
        "scenarios/NAME.yaml, the stub agent it drives (adapter kinds), pytest.ini and "
        ".github/workflows/replay.yml. It runs green offline. Nothing is written if any of "
        "these files exists. On a terminal, a missing --agent, --preset or --rules is asked "
        "for (Enter takes the default); --no-input never asks.",
    )
    init.add_argument("dir", nargs="?", type=Path, default=Path("."), metavar="DIR")
    init.add_argument(
        "--agent",
        choices=AGENT_KINDS,
        help="the kind of agent under test: "
        + "; ".join(f"{k}: {h}" for k, h in KIND_HELP.items())
        + f" (default {DEFAULT_AGENT})",
    )
    init.add_argument(
        "--preset",
        help=f"--agent reference: the framework's compaction (`replay presets`; default "
        f"{DEFAULT_PRESET})",
    )
    init.add_argument(
        "--rules",
        action="append",
        metavar="ID",
        help="a rule pack to apply (`replay rules`); repeatable",
    )
    init.add_argument("--name", help=f"the scenario's name (default {DEFAULT_NAME})")
    init.add_argument(
        "--http-port",
        type=int,
        help=f"--agent http: the port of the stub chat service (default {DEFAULT_HTTP_PORT})",
    )
    init.add_argument(
        "--proxy-port",
        type=int,
        help=f"--agent http: the recording proxy's fixed port (default {DEFAULT_PROXY_PORT})",
    )
    init.add_argument(
        "--failing-example",
        action="store_true",
        help="also write examples/NAME-trim-drops-system-prompt.yaml, a scenario that fails "
        "for a documented reason (its expected findings are strict xfails in pytest)",
    )
    init.add_argument(
        "--no-input", action="store_true", help="never prompt; take the defaults of what is missing"
    )


def cmd_init(args: argparse.Namespace) -> int:
    """``replay init``: exit 0 written, 2 a bad option or a file that exists (nothing written)."""
    try:
        options = options_from_args(args, _prompter(args))
        plan = plan_project(options)
        written = write_project(plan)
    except InitError as exc:
        print(f"replay init: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"replay init: wrote {count(len(written), 'file')} in {plan.folder}:")
    width = max(len(str(f.path)) for f in written)
    for planned in written:
        print(f"  {planned.path!s:<{width}}  {planned.what}")
    for note in plan.notes:
        print(f"note: {note}")
    print("next:")
    for command in plan.next_commands:
        print(f"  {command}")
    return EXIT_OK


# ----------------------------------------------------------------------------- options


Prompter = Callable[[str, str, Sequence[str]], str]


def _prompter(args: argparse.Namespace) -> Prompter | None:
    """Ask on a terminal (stdlib input()), unless --no-input or stdin is not a terminal."""
    if args.no_input or not sys.stdin.isatty():
        return None
    return ask


def ask(question: str, default: str, choices: Sequence[str]) -> str:
    """One question on stderr's terminal; Enter (or end of input) takes the default, and an
    answer outside ``choices`` (when given) asks again."""
    shown = f" [{'/'.join(choices)}]" if choices and len(choices) <= 6 else ""
    if len(choices) > 6:  # too many for one line: listed above the question
        print("\n".join(f"  {choice}" for choice in choices), file=sys.stderr)
    while True:
        try:
            answer = input(f"{question}{shown} (default: {default or 'none'}): ").strip()
        except EOFError:
            return default
        if not answer:
            return default
        if not choices or answer in choices:
            return answer
        print(f"  choose one of: {', '.join(choices)}", file=sys.stderr)


def options_from_args(args: argparse.Namespace, prompt: Prompter | None = None) -> InitOptions:
    """The options, checked: unknown presets and rule packs are an InitError with a
    did-you-mean; with ``prompt``, what the flags left out is asked for."""
    agent: str = args.agent or (
        prompt("Which kind of agent do you test?", DEFAULT_AGENT, AGENT_KINDS)
        if prompt
        else DEFAULT_AGENT
    )
    if agent not in AGENT_KINDS:  # argparse checks the flag; a prompt answer is checked there
        raise InitError(f"--agent {agent!r}: expected one of {', '.join(AGENT_KINDS)}")
    if args.preset is not None and agent != "reference":
        raise InitError(
            f"--preset applies to --agent reference (a {agent} agent compacts its own history)"
        )
    preset = args.preset or (
        prompt("Which framework's compaction?", DEFAULT_PRESET, sorted(PRESETS))
        if prompt and agent == "reference"
        else DEFAULT_PRESET
    )
    preset_problem(preset)
    rules = list(args.rules or ())
    if args.rules is None and prompt:
        answer = prompt("Rule packs to apply, separated by spaces (`replay rules`)", "", ())
        rules = answer.replace(",", " ").split()
    rule_problems(rules)
    name = args.name or DEFAULT_NAME
    if not _NAME.match(name):
        raise InitError(
            f"--name {name!r}: a scenario name is letters, digits, '-', '_' and '.', starting "
            "with a letter or digit"
        )
    for flag, value in (("--http-port", args.http_port), ("--proxy-port", args.proxy_port)):
        if value is None:
            continue
        if agent != "http":
            raise InitError(f"{flag} applies to --agent http")
        if not 1 <= value <= 65535:
            raise InitError(f"{flag} {value}: expected a port from 1 to 65535")
    return InitOptions(
        folder=args.dir,
        agent=agent,  # narrowed to AgentKind by the check above
        preset=preset,
        rules=tuple(dict.fromkeys(rules)),  # once each, in the order given
        name=name,
        http_port=args.http_port or DEFAULT_HTTP_PORT,
        proxy_port=args.proxy_port or DEFAULT_PROXY_PORT,
        failing_example=bool(args.failing_example),
    )


def preset_problem(preset: str) -> None:
    """An InitError with a did-you-mean for a preset that is not one of replay's."""
    if preset in PRESETS:
        return
    suggestion = did_you_mean(preset, PRESETS)
    raise InitError(
        f"--preset {preset!r}: unknown compaction preset{suggestion} (known: "
        f"{', '.join(sorted(PRESETS))}; list them with `replay presets`)"
    )


def rule_problems(rules: Sequence[str]) -> None:
    """An InitError naming every unknown rule pack, each with the loader's did-you-mean."""
    from replay.scenario._rulepacks import RulePackError, load_pack

    problems = []
    for rule in rules:
        try:
            load_pack(rule)
        except RulePackError as exc:
            problems.append(f"--rules: {exc.args[0]}")
    if problems:
        raise InitError("\n".join(problems) if len(problems) == 1 else "\n  ".join(problems))


# ----------------------------------------------------------------------------- the plan


PYTEST_SNIPPETS = {
    "ini": "[pytest]\nreplay_scenarios =\n    scenarios/**/*.yaml\n    scenarios/**/*.yml",
    "toml": '[tool.pytest.ini_options]\nreplay_scenarios = ["scenarios/**/*.yaml", '
    '"scenarios/**/*.yml"]',
}


EXAMPLES_GLOB = {
    "ini": ("scenarios/**/*.yml", "scenarios/**/*.yml\n    examples/**/*.yaml"),
    "toml": ('"scenarios/**/*.yml"]', '"scenarios/**/*.yml", "examples/**/*.yaml"]'),
}


def pytest_config(folder: Path) -> tuple[str, str] | None:
    """The pytest configuration file the folder already has, and its format, if any: pytest
    reads the first of these it finds, so a new pytest.ini would silently replace it."""
    candidates = (
        ("pytest.ini", "ini", None),
        (".pytest.ini", "ini", None),
        ("pyproject.toml", "toml", re.compile(r"^\[tool\.pytest(\.ini_options)?\]", re.M)),
        ("tox.ini", "ini", re.compile(r"^\[pytest\]", re.M)),
        ("setup.cfg", "ini", re.compile(r"^\[tool:pytest\]", re.M)),
    )
    for name, kind, section in candidates:
        path = folder / name
        if not path.is_file():
            continue
        if section is None:
            return name, kind
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if section.search(text):
            return name, kind
    return None


def plan_project(options: InitOptions) -> Plan:
    """Render every file of the starter project (nothing is written here)."""
    import jinja2  # the command that renders pays for it; `replay --help` does not

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("replay.cli", "init_templates"),
        autoescape=False,  # YAML, Python, INI: nothing here is HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    setup = PRESET_SETUPS[options.preset]
    values = {
        "name": options.name,
        "agent": options.agent,
        "preset": options.preset,
        "framework": PRESETS[options.preset].framework,
        "compaction": setup.lines,
        "context_window": setup.context_window,
        "rules": options.rules,
        "http_port": options.http_port,
        "proxy_port": options.proxy_port,
        "max_messages": AGENT_MAX_MESSAGES,
        "install_spec": install_spec(),
        "failing_example": options.failing_example,
    }

    def render(template: str) -> str:
        return env.get_template(template).render(values)

    scenario = Path("scenarios") / f"{options.name}.yaml"
    what = f"the scenario ({options.agent} agent"
    what += f", {options.preset})" if options.agent == "reference" else ")"
    files = [Planned(scenario, render("scenario.yaml.j2"), what)]
    if options.agent in ("python", "command", "proxy"):
        files.append(
            Planned(
                Path("scenarios") / "agent.py",
                render("agent.py.j2"),
                "the stub agent the scenario drives: replace it with yours",
            )
        )
    if options.agent == "http":
        files.append(
            Planned(
                Path("agent_server.py"),
                render("agent_server.py.j2"),
                "the stub chat service: start it before a run, replace it with yours",
            )
        )
    if options.agent == "proxy":
        files.append(
            Planned(
                Path("record_session.py"),
                render("record_session.py.j2"),
                "records a session through `replay proxy`, then runs `replay check`",
            )
        )
    if options.failing_example:
        files.append(
            Planned(
                Path("examples") / f"{options.name}-trim-drops-system-prompt.yaml",
                render("failing.yaml.j2"),
                "fails on purpose: trim_messages never sends the system prompt",
            )
        )
    notes = []
    existing = pytest_config(options.folder)
    if existing is None:
        files.append(
            Planned(
                Path("pytest.ini"),
                render("pytest.ini.j2"),
                "pytest collects scenarios/"
                + (" and examples/" if options.failing_example else ""),
            )
        )
    else:
        config, kind = existing
        snippet = PYTEST_SNIPPETS[kind]
        if options.failing_example:  # the example's folder too, so its xfails are collected
            snippet = snippet.replace(*EXAMPLES_GLOB[kind])
        indented = snippet.replace("\n", "\n    ")
        why = (
            "to collect examples/ too"
            if options.failing_example
            else "the plugin collects scenarios/**/*.yaml by default; to say so there"
        )
        folders = "scenarios and examples" if options.failing_example else "scenarios"
        notes.append(
            f"{config} already configures pytest, so no pytest.ini was written (it would take "
            f"its place). {why[0].upper()}{why[1:]}, add:\n    {indented}\n  and if it sets "
            f"testpaths, add {folders} to them."
        )
    files.append(
        Planned(
            Path(".github") / "workflows" / "replay.yml",
            render("replay.yml.j2"),
            "CI: validate, replay with a report artifact, pytest",
        )
    )
    folder = options.folder
    cd = [] if folder.resolve() == Path.cwd().resolve() else [f"cd {_quoted(str(folder))}"]
    first = {
        "http": ["python agent_server.py &    # the service the scenario talks to"],
        "proxy": [],
    }.get(options.agent, [])
    then = (
        ["python record_session.py    # the standalone proxy flow"]
        if options.agent == "proxy"
        else []
    )
    if options.failing_example:
        then.append("replay run examples/    # exit 1: the documented finding")
    commands = [*cd, *first, "replay run scenarios/ --report-dir reports", "pytest", *then]
    return Plan(folder, tuple(files), tuple(notes), tuple(commands))


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


# ----------------------------------------------------------------------------- writing


def write_project(plan: Plan) -> tuple[Planned, ...]:
    """Write the plan's files, or nothing at all: every target is checked first and any that
    exists is an InitError naming each one. Files are created exclusively (mode ``x``)."""
    folder = plan.folder
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder}: not a folder; give a folder to write the project into")
    taken = [
        f.path for f in plan.files if (folder / f.path).exists() or (folder / f.path).is_symlink()
    ]
    if taken:
        listed = "".join(f"\n  {folder / path}" for path in taken)
        raise InitError(
            f"{count(len(taken), 'file')} already {'exists' if len(taken) == 1 else 'exist'}, "
            "so nothing was written (replay init "
            f"never overwrites):{listed}\nMove them away, or init into another folder."
        )
    for planned in plan.files:
        target = folder / planned.path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "x", encoding="utf-8", newline="\n") as out:
                out.write(planned.text)
        except FileExistsError:  # created meanwhile by someone else: still not replaced
            raise InitError(f"{target}: appeared while writing; it was left as it was") from None
    return plan.files
