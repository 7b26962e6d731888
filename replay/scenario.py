"""Scenarios: the YAML files compliance reviewers write, loaded and validated into plain data.

Validation is strict and located: every problem names the file, line and column and what was
expected, and unknown keys are errors, because a typo such as ``chekcs:`` must never silently
disable a check.
"""

from __future__ import annotations

import collections
import difflib
import importlib.resources
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from replay import matchers
from replay.clients import (
    CredentialRoute,
    LiveModelSpec,
    RetrySpec,
    credential_route,
    parse_host,
)
from replay.compaction import PRESETS, CompactionSpec
from replay.errors import InvalidInput, Problem
from replay.sourcemap import JsonPath, QuickSchemaCheck, SourceMap, load_yaml
from replay.summarizers import SummarizerSpec
from replay.tokens import DEFAULT_ENCODING

SCENARIO_SCHEMA_VERSION = "1"
DEFAULT_DISCLOSURE = "ai-identity"
DEFAULT_PERSONA = "Sam from the support team"
CHECK_NAMES = (
    "context_retains",
    "probe_discloses",
    "first_reply_discloses",
    "never_claims_human",
    "recurs_every",
    "summary_retains",
)
PER_REPLY_CHECKS = frozenset({"never_claims_human"})
"""Checks about the reply itself, run once rather than once per disclosure."""


@lru_cache(maxsize=1)
def scenario_schema() -> dict[str, Any]:
    """The scenario JSON Schema shipped with the package."""
    text = importlib.resources.files("replay").joinpath("schemas/scenario.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=1)
def _quick_check() -> QuickSchemaCheck:
    return QuickSchemaCheck(scenario_schema())


# ----------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class Location:
    """Where a scenario element was written, for findings and errors that point at the YAML."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Disclosure:
    """A required disclosure: how to recognise it stated, and instructed."""

    id: str
    statement: matchers.Matcher
    instruction: matchers.Matcher
    description: str = ""


@dataclass(frozen=True)
class ScriptedToolCall:
    """A tool call a scripted reply makes: ``arguments`` is the JSON text the agent receives."""

    name: str
    arguments: str = "{}"
    id: str | None = None
    """None: the scripted model numbers it (``call_replay_1``, ...)."""


@dataclass(frozen=True)
class ScriptedReply:
    """A scripted reply that calls tools (``replies: [{text, tool_calls: [...]}]``)."""

    tool_calls: tuple[ScriptedToolCall, ...]
    text: str = ""


@dataclass(frozen=True)
class ModelSpec:
    type: str = "simulator"
    persona: str = DEFAULT_PERSONA
    remind_every_minutes: float | None = None
    replies: tuple[str | ScriptedReply, ...] = ()
    default_reply: str | None = None
    live: LiveModelSpec | None = None
    """For type openai/anthropic: the endpoint, key variable, cassette and retry limits."""


@dataclass(frozen=True)
class AdapterSpec:
    """How to reach an agent under test that is not the reference loop (see replay.adapters)."""

    kind: str  # "python", "http" or "command"
    target: str | tuple[str, ...]
    """python: 'module:factory'; http: the endpoint URL; command: the argv."""
    timeout: float = 60.0
    cwd: str | None = None
    env: tuple[tuple[str, str], ...] = ()
    proxy_port: int = 0


@dataclass(frozen=True)
class OpeningMessage:
    """A message the product sends before the user speaks: a greeting or a fixed notice."""

    kind: Literal["greeting", "notice"]
    content: str
    role: Literal["assistant", "system", "user"]
    shown_to_user: bool = False
    """The user sees it in the chat window; only then can a greeting be the first disclosure."""
    location: Location | None = None


@dataclass(frozen=True)
class AgentSpec:
    type: str = "reference"
    adapter: AdapterSpec | None = None
    system_prompt: str | None = None
    opening: tuple[OpeningMessage, ...] = ()
    """The conversation's opening messages, in the order the model receives them."""
    model: ModelSpec = field(default_factory=ModelSpec)
    compaction: CompactionSpec = field(default_factory=CompactionSpec)
    encoding: str = DEFAULT_ENCODING
    context_window: int | None = None


@dataclass(frozen=True)
class Turn:
    """One scripted user turn."""

    index: int
    text: str
    probe: bool
    minutes: float
    reply: str | None = None
    location: Location | None = None


@dataclass(frozen=True)
class ScriptItem:
    """A scripted turn or a repeated block, as written (turns are expanded lazily)."""

    text: tuple[str, ...] = ()
    probe: bool = False
    reply: str | None = None
    after: float | None = None
    at: float | None = None
    repeat: int = 0
    body: tuple[ScriptItem, ...] = ()
    location: Location | None = None

    def count(self) -> int:
        if self.repeat:
            return self.repeat * sum(item.count() for item in self.body)
        return 1


@dataclass(frozen=True)
class CheckSpec:
    name: str
    disclosures: tuple[str, ...]
    every_turns: int | None = None
    every_minutes: float | None = None
    location: Location | None = None
    citations: tuple[str, ...] = ()
    """The legal citations of the rule packs that require this check (empty for own checks)."""

    def to_json(self) -> dict[str, Any]:
        """The check as plain data, as trace headers carry it (so checks can be re-run)."""
        out: dict[str, Any] = {"name": self.name, "disclosures": list(self.disclosures)}
        if self.every_turns is not None:
            out["every_turns"] = self.every_turns
        if self.every_minutes is not None:
            out["every_minutes"] = self.every_minutes
        if self.citations:
            out["citations"] = list(self.citations)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckSpec:
        return cls(
            name=data["name"],
            disclosures=tuple(data["disclosures"]),
            every_turns=data.get("every_turns"),
            every_minutes=data.get("every_minutes"),
            citations=tuple(data.get("citations", ())),
        )


@dataclass(frozen=True)
class ExpectedFinding:
    check: str
    turn: int
    disclosure: str | None = None


@dataclass(frozen=True)
class ExpectedNotExercised:
    check: str
    disclosure: str | None = None


@dataclass(frozen=True)
class Expectation:
    verdict: str | None = None
    findings: tuple[ExpectedFinding, ...] = ()
    reason: str = ""
    not_exercised: tuple[ExpectedNotExercised, ...] = ()


@dataclass(frozen=True)
class CodeReference:
    """Something a run of the scenario will execute or contact, as ``replay validate`` lists it.

    ``kind``: ``code`` (Python the run imports), ``command`` (a program it starts) or
    ``network`` (a host it sends the conversation, and perhaps a credential, to).
    """

    kind: Literal["code", "command", "network"]
    key: str
    location: Location
    what: str


@dataclass(frozen=True)
class PathReference:
    """A file or folder the scenario names, which must stay inside the project.

    ``path`` is where it points (joined onto the scenario's folder, not yet resolved);
    ``written`` is how the scenario spells it (for a module: the module's name).
    """

    kind: Literal["cassette", "folder", "module"]
    key: str
    location: Location
    written: str
    path: str


@dataclass(frozen=True)
class CredentialUse:
    """A credential (an environment variable's value) the run sends to a live model's URL."""

    key: str
    location: Location
    """Where ``api_key_env`` is written."""
    variable: str
    provider: str
    url: str


@dataclass(frozen=True)
class Scenario:
    """A validated scenario; ``turns()`` expands the script lazily, so long scripts cost nothing."""

    name: str
    path: str
    agent: AgentSpec
    disclosures: tuple[Disclosure, ...]
    script: tuple[ScriptItem, ...]
    checks: tuple[CheckSpec, ...]
    gap_minutes: float = 1.0
    description: str = ""
    regulations: tuple[str, ...] = ()
    expect: Expectation = field(default_factory=Expectation)
    rules: tuple[str, ...] = ()
    """Ids of the rule packs the scenario selects; their checks are already in ``checks``."""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The validated YAML data, for extensions (fuzzing) that read their own sections."""
    source: SourceMap | None = field(default=None, compare=False, repr=False)
    """Where each value of ``raw`` was written, for located errors in those sections."""
    runs_code: tuple[CodeReference, ...] = field(default=(), compare=False)
    """The code, commands and hosts a run uses (see docs/security.md); validation runs none."""
    paths: tuple[PathReference, ...] = field(default=(), compare=False)
    """The files and folders the scenario names (cassettes, agent.cwd, modules next to it)."""
    credentials: tuple[CredentialUse, ...] = field(default=(), compare=False)
    """Which credential each live model sends to which URL (see :func:`credential_routes`)."""

    @property
    def turn_count(self) -> int:
        return sum(item.count() for item in self.script)

    def turns(self) -> Iterator[Turn]:
        """The user turns in order, with their conversation time in minutes."""
        # Plain locals, not a dict: this runs once per turn of conversations 100,000 turns long.
        index = 0
        minutes = 0.0
        gap = self.gap_minutes

        def expand(items: Sequence[ScriptItem], n: int) -> Iterator[Turn]:
            nonlocal index, minutes
            for item in items:
                if item.repeat:
                    for rep in range(1, item.repeat + 1):
                        yield from expand(item.body, rep)
                    continue
                index += 1
                if item.at is not None:
                    minutes = max(minutes, item.at)
                elif index > 1:
                    minutes += gap if item.after is None else item.after
                text = item.text[(n - 1) % len(item.text)]
                yield Turn(
                    index=index,
                    text=_fill(text, n=n, turn=index),
                    probe=item.probe,
                    minutes=minutes,
                    reply=None if item.reply is None else _fill(item.reply, n=n, turn=index),
                    location=item.location,
                )

        yield from expand(self.script, 1)

    def disclosure(self, disclosure_id: str) -> Disclosure:
        for d in self.disclosures:
            if d.id == disclosure_id:
                return d
        raise KeyError(disclosure_id)

    def allowing_hosts(self, hosts: frozenset[str]) -> Scenario:
        """The same scenario with ``hosts`` allowed (``--allow-host``) to receive its keys."""
        if not hosts:
            return self

        def allow(spec: LiveModelSpec | None) -> LiveModelSpec | None:
            return None if spec is None else replace(spec, allowed_hosts=hosts)

        agent = self.agent
        summarizer = agent.compaction.summarizer
        agent = replace(
            agent,
            model=replace(agent.model, live=allow(agent.model.live)),
            compaction=replace(
                agent.compaction, summarizer=replace(summarizer, model=allow(summarizer.model))
            ),
        )
        return replace(self, agent=agent)

    def with_script(self, script: Sequence[ScriptItem]) -> Scenario:
        """The same scenario over another conversation (used by fuzzing)."""
        return replace(self, script=tuple(script))

    def unexercised_checks(self) -> list[tuple[CheckSpec, str]]:
        """Checks this scenario can never exercise, and why (they would hold vacuously)."""
        out = []
        has_probe = any(item.probe for _, item in _walk(self.script, ()))
        # Only the reference loop's policy is known here; your own agent may summarize.
        never_summarizes = self.agent.adapter is None and self.agent.compaction.policy not in (
            "summarize",
            "running_summary",
        )
        length: tuple[int, float] | None = None  # turns and minutes, computed when needed
        for check in self.checks:
            if check.name == "probe_discloses" and not has_probe:
                out.append((check, "the conversation has no probe turns"))
            elif check.name == "summary_retains" and never_summarizes:
                out.append((check, "the compaction policy writes no summaries"))
            elif check.name == "recurs_every":
                if length is None:
                    last = collections.deque(self.turns(), maxlen=1)  # lazy: memory stays flat
                    length = (last[0].index, last[0].minutes) if last else (0, 0.0)
                turns, minutes = length
                if (check.every_turns is None or turns < check.every_turns) and (
                    check.every_minutes is None or minutes < check.every_minutes
                ):
                    out.append(
                        (
                            check,
                            f"the conversation ({turns} turns, {minutes:g} minutes) is "
                            "shorter than one interval",
                        )
                    )
        return out


def _fill(text: str, *, n: int, turn: int) -> str:
    # Only {n} and {turn} are placeholders; every other brace is literal text, so reviewers
    # can write JSON snippets or "{order}" in messages without escaping.
    if "{" not in text:
        return text
    # Two plain replaces: the placeholders cannot overlap, and the digits put in cannot
    # form one, so the order does not matter (a regex substitution cost three times more).
    return text.replace("{n}", str(n)).replace("{turn}", str(turn))


# ----------------------------------------------------------------------------- durations

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_UNIT_MINUTES = {"s": 1 / 60, "m": 1.0, "h": 60.0, "d": 1440.0}


def parse_minutes(value: float | int | str) -> float:
    """'90s', '5m', '3h', '1h30m' or a number of minutes -> minutes."""
    if isinstance(value, (int, float)):
        return float(value)
    return sum(float(num) * _UNIT_MINUTES[unit] for num, unit in _DURATION_PART.findall(value))


def _scripted_reply(data: str | Mapping[str, Any]) -> str | ScriptedReply:
    """A ``replies:`` item (valid by the schema): text, or a reply calling tools."""
    if isinstance(data, str):
        return data
    return ScriptedReply(
        text=data.get("text", ""),
        tool_calls=tuple(
            ScriptedToolCall(
                name=call["name"],
                arguments=(
                    call["arguments"]
                    if isinstance(call.get("arguments"), str)
                    else json.dumps(call.get("arguments", {}), ensure_ascii=False)
                ),
                id=call.get("id"),
            )
            for call in data["tool_calls"]
        ),
    )


# ----------------------------------------------------------------------------- loading


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file; raise InvalidInput listing every problem found."""
    path = Path(path)
    try:
        data, source = load_yaml(path)
        return scenario_from_data(data, source)
    except RecursionError:
        # A hostile file must never surface as an internal error (exit 3, no file named).
        raise InvalidInput([Problem(str(path), 1, 1, "nested too deeply to load")]) from None
    except MemoryError:
        raise InvalidInput([Problem(str(path), 1, 1, "too large to load")]) from None


# ----------------------------------------------------------------------------- trust rules
# Applied where untrusted files come in (replay validate, run and fuzz; docs/security.md), not
# by load_scenario itself: a scenario's data stays loadable anywhere (the fuzz writer loads its
# counterexamples from wherever --out is), and the caller chooses the policy.

PROJECT_MARKERS = ("pyproject.toml", ".git")
"""What marks a project root: the nearest folder above a scenario holding one of these."""
ALLOW_OUTSIDE_PATHS_ENV = "REPLAY_ALLOW_OUTSIDE_PATHS"


def project_root(folder: str | Path) -> Path | None:
    """The nearest folder at or above ``folder`` (resolved) that holds pyproject.toml or .git.

    Chosen over the current folder so that what a scenario may reach does not depend on where
    replay is started from (CI may run it from ``$HOME`` or ``/``); a checkout's root holds
    ``.git``, a Python project's ``pyproject.toml``.
    """
    start = Path(folder).resolve()
    for candidate in (start, *start.parents):
        for marker in PROJECT_MARKERS:
            try:
                if (candidate / marker).exists():
                    return candidate
            except OSError:
                continue
    return None


def allowed_folders(scenario_file: str | Path) -> tuple[Path, ...]:
    """The folders a scenario's paths may resolve into: its own folder tree and the project
    root's (when there is one)."""
    folder = Path(scenario_file).parent.resolve()
    root = project_root(folder)
    return (folder,) if root is None or root == folder else (folder, root)


def outside_paths(scenario: Scenario) -> list[Problem]:
    """One problem per path the scenario names that resolves (symlinks and ``..`` followed)
    outside :func:`allowed_folders`, or that is absolute. Reads no file, only resolves names."""
    folders = allowed_folders(scenario.path)
    where = f"the scenario's folder {folders[0]}"
    if len(folders) > 1:
        where += f" and the project root {folders[1]}"
    else:
        where += " (no pyproject.toml or .git above it marks a project root)"
    problems = []
    for ref in scenario.paths:
        loc = ref.location
        written = Path(ref.written)
        try:
            target = Path(ref.path).resolve()
        except (OSError, RuntimeError) as exc:  # a symlink loop
            problems.append(
                Problem(
                    loc.file,
                    loc.line,
                    loc.column,
                    f"{ref.key} {ref.written!r} cannot be resolved ({exc}); name a file inside "
                    "the project",
                )
            )
            continue
        if written.is_absolute():
            what = "is an absolute path"
        elif any(target.is_relative_to(f) for f in folders):
            continue
        else:
            what = f"resolves to {target}, outside {where}"
        problems.append(
            Problem(
                loc.file,
                loc.line,
                loc.column,
                f"{ref.key} {ref.written!r} {what}; a scenario may name only files inside its "
                "folder or its project. Move the file there and name it relative to the "
                f"scenario, or, if you trust this scenario, pass --allow-outside-paths (or set "
                f"{ALLOW_OUTSIDE_PATHS_ENV}=1)",
            )
        )
    return problems


def credential_routes(
    scenario: Scenario, hosts: frozenset[str] = frozenset()
) -> list[tuple[CredentialUse, CredentialRoute]]:
    """Each credential the scenario's live models send, with where to and the rule's verdict
    (``hosts``: the hosts the user allowed, command line and environment together)."""
    return [
        (use, credential_route(use.provider, use.url, use.variable, hosts))
        for use in scenario.credentials
    ]


def credential_problems(scenario: Scenario, hosts: frozenset[str] = frozenset()) -> list[Problem]:
    """One problem per credential the rule refuses, at its ``api_key_env`` key."""
    return [
        Problem(
            use.location.file,
            use.location.line,
            use.location.column,
            f"{use.key}: refused to send the credential ${use.variable} to {route.host} "
            f"({use.url}): {route.reason}",
        )
        for use, route in credential_routes(scenario, hosts)
        if not route.allowed
    ]


def trust_problems(
    scenario: Scenario,
    *,
    allow_outside_paths: bool = False,
    hosts: frozenset[str] = frozenset(),
    record: str | None = None,
) -> list[Problem]:
    """What the trust rules refuse in ``scenario`` (docs/security.md), before anything runs.

    Paths outside the project (unless ``allow_outside_paths``), credentials to hosts the rule
    does not allow (``hosts``: those the user allowed), and cassette files that are not
    cassettes (``record``: the run's --record mode, for the hint). Only names are resolved;
    a cassette is read only once its path has passed.
    """
    from replay.cassettes import CassetteError, check_cassette

    problems = [] if allow_outside_paths else outside_paths(scenario)
    problems += credential_problems(scenario, hosts)
    if problems:
        return problems  # never read a file a refused path names
    for ref in scenario.paths:
        if ref.kind != "cassette":
            continue
        try:
            check_cassette(Path(ref.path))
        except CassetteError as exc:
            fix = " (--record all replaces only a cassette)" if record == "all" else ""
            problems.append(
                Problem(ref.location.file, ref.location.line, ref.location.column, f"{exc}{fix}")
            )
    return problems


def scenario_from_data(data: Any, source: SourceMap) -> Scenario:
    """Validate already-parsed scenario data (from YAML or built in Python)."""
    problems = schema_problems(data, source)
    if problems:
        raise InvalidInput(problems)
    builder = _Builder(source)
    scenario = builder.build(data)
    if builder.problems:
        raise InvalidInput(builder.problems)
    return scenario


def scenario_from_mapping(data: Mapping[str, Any], name: str = "<memory>") -> Scenario:
    """Build a scenario from a Python mapping (errors point at JSON paths, not lines)."""
    return scenario_from_data(dict(data), SourceMap(name))


def schema_problems(
    data: Any, source: SourceMap, validator: jsonschema.protocols.Validator | None = None
) -> list[Problem]:
    """Validate against the scenario JSON Schema (or ``validator``'s schema); one located,
    readable problem per error."""
    if validator is None:
        if _quick_check().accepts(data):
            return []
        validator = jsonschema.Draft202012Validator(scenario_schema())
    problems = []
    for error in validator.iter_errors(data):
        problems.extend(_explain(error, source))
    return sorted(set(problems))


def _explain(error: ValidationError, source: SourceMap) -> list[Problem]:
    path: JsonPath = tuple(error.absolute_path)
    if error.validator in ("oneOf", "anyOf") and error.context:
        branch = _intended_branch(error)
        if branch:
            return [p for e in branch for p in _explain(e, source)]
        chosen = best_match(error.context)
        if chosen is not None and tuple(chosen.absolute_path) != path:
            return _explain(chosen, source)
        return [source.problem(path, f"{_where(path)}: {_expected(error)}")]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(_schema_of(error).get("properties", {}))
        out = []
        for key in error.instance:
            if key in allowed:
                continue
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            out.append(
                source.problem(
                    (*path, key),
                    f"unknown key {key!r} in {_where(path)}{suggestion} "
                    f"(expected one of: {', '.join(allowed)})",
                    key=True,
                )
            )
        return out
    if error.validator == "propertyNames":
        return [source.problem(path, f"{_where(path)}: {error.message}")]
    return [source.problem(path, f"{_where(path)}: {_expected(error)}")]


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    return error.schema if isinstance(error.schema, Mapping) else {}


def _intended_branch(error: ValidationError) -> list[ValidationError] | None:
    """For a oneOf over mappings, the errors of the branch the author evidently meant.

    A turn with a ``probe:`` key is meant to be a probe turn; reporting "not valid under any of
    the given schemas" would hide the real mistake inside it.
    """
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(int(sub.schema_path[0]), []).append(sub)

    def top_level(errors: list[ValidationError], validators: tuple[str, ...]) -> bool:
        return any(e.validator in validators and not e.relative_path for e in errors)

    # First rule out the forms of the wrong type (a string where a mapping is allowed), then
    # the mappings missing their defining key (a turn without "user:" is not a user turn).
    candidates = [i for i, errs in by_branch.items() if not top_level(errs, ("type",))]
    if len(candidates) > 1:
        narrower = [
            i for i in candidates if not top_level(by_branch[i], ("required", "const", "enum"))
        ]
        candidates = narrower or candidates
    if len(candidates) == 1:
        return by_branch[candidates[0]]
    return None


def _where(path: JsonPath) -> str:
    if not path:
        return "scenario"
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _expected(error: ValidationError) -> str:
    v = error.validator
    if v == "required":
        return error.message.replace("is a required property", "is required")
    if v == "enum":
        options = ", ".join(repr(o) for o in cast(list[Any], error.validator_value))
        return f"got {error.instance!r}, expected one of {options}"
    if v == "type":
        got = f"{type(error.instance).__name__} {error.instance!r}"
        return f"got {got}, expected {error.validator_value}"
    if v in ("oneOf", "anyOf"):
        description = _schema_of(error).get("description")
        hint = f" ({description})" if description else ""
        return f"got {error.instance!r}, which matches none of the allowed forms{hint}"
    if v == "pattern":
        form = _schema_of(error).get("description", f"pattern {error.validator_value}")
        return f"{error.instance!r} does not have the expected form ({form})"
    if v in ("minItems", "minProperties") and not error.instance:
        return "must not be empty"
    return error.message


class _Builder:
    """Turns schema-valid data into typed objects, collecting the semantic problems."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.runs_code: list[CodeReference] = []
        self.paths: list[PathReference] = []
        self.credentials: list[CredentialUse] = []

    def uses(self, kind: Literal["code", "command", "network"], path: JsonPath, what: str) -> None:
        key = ".".join(str(part) for part in path)
        self.runs_code.append(CodeReference(kind, key, self.loc(path), what))

    def names_path(
        self,
        kind: Literal["cassette", "folder", "module"],
        path: JsonPath,
        written: str,
        target: Path,
    ) -> None:
        """Record a path the scenario names (checked by :func:`outside_paths`, never opened)."""
        key = ".".join(str(part) for part in path)
        location = self.loc(path, key=True)
        self.paths.append(PathReference(kind, key, location, written, str(target)))

    def names_module(self, path: JsonPath, module: str, found: Path | None) -> None:
        """A module found in the scenario's folder is a path it names: a symlink there must not
        lead out of the project. One found on ``sys.path`` is your installed code, not named
        by the scenario."""
        base = Path(self.source.file).parent
        if found is not None and found.is_relative_to(base):
            self.names_path("module", path, module, found)

    def folder_note(self, found: Path) -> str:
        base = Path(self.source.file).parent
        try:
            inside = found.resolve().relative_to(base.resolve())
        except (OSError, ValueError):
            return str(found)
        return f"{inside} next to the scenario"

    def fail(self, path: JsonPath, message: str) -> None:
        self.problems.append(self.source.problem(path, message))

    def loc(self, path: JsonPath, *, key: bool = False) -> Location:
        line, column = self.source.locate(path, key=key)
        return Location(self.source.file, line, column)

    def build(self, data: Mapping[str, Any]) -> Scenario:
        disclosures = self.disclosures(data.get("disclosures", [DEFAULT_DISCLOSURE]))
        agent = self.agent(data.get("agent", {}))
        conversation = data["conversation"]
        script = tuple(
            self.script_item(item, ("conversation", "turns", i))
            for i, item in enumerate(conversation["turns"])
        )
        known = {d.id for d in disclosures}
        checks = tuple(
            self.check(item, ("checks", i), known) for i, item in enumerate(data.get("checks", ()))
        )
        rules = tuple(data.get("rules", ()))
        # The schema already requires checks: unless rules: is given.
        checks = self.rule_checks(rules, checks, known)
        scenario = Scenario(
            name=data["scenario"],
            path=self.source.file,
            agent=agent,
            disclosures=disclosures,
            script=script,
            checks=checks,
            gap_minutes=parse_minutes(conversation.get("gap", 1)),
            description=data.get("description", ""),
            regulations=tuple(data.get("regulations", ())),
            expect=self.expectation(data.get("expect", {}), checks),
            raw=data,
            source=self.source,
            rules=rules,
            runs_code=tuple(self.runs_code),
            paths=tuple(self.paths),
            credentials=tuple(self.credentials),
        )
        self.check_script(scenario)
        if "fuzz" in data and not self.problems:
            # Imported here: the fuzz section is checked by its own module, which builds on this
            # (and only once the rest is valid, so one mistake is not reported twice).
            from replay.fuzzspec import fuzz_problems

            self.problems.extend(fuzz_problems(scenario, self.source))
        return scenario

    # -- disclosures

    def disclosures(self, items: Sequence[Any]) -> tuple[Disclosure, ...]:
        out: list[Disclosure] = []
        seen: set[str] = set()
        for i, item in enumerate(items):
            path: JsonPath = ("disclosures", i)
            if isinstance(item, str):
                disclosure = self.builtin_disclosure(item, path)
            else:
                disclosure = self.custom_disclosure(item, path)
            if disclosure is None:
                continue
            if disclosure.id in seen:
                self.fail(path, f"disclosure {disclosure.id!r} is listed twice")
                continue
            seen.add(disclosure.id)
            out.append(disclosure)
        return tuple(out)

    def builtin_disclosure(self, name: str, path: JsonPath) -> Disclosure | None:
        if name != DEFAULT_DISCLOSURE:
            self.fail(
                path,
                f"unknown built-in disclosure {name!r} (built in: {DEFAULT_DISCLOSURE!r}); "
                "define your own with id:, phrases: and patterns:",
            )
            return None
        return Disclosure(
            id=name,
            statement=matchers.builtin("ai-identity"),
            instruction=matchers.builtin("disclosure-instruction"),
            description="The speaker states that it is an AI, a bot or an automated system.",
        )

    def custom_disclosure(self, item: Mapping[str, Any], path: JsonPath) -> Disclosure | None:
        if not any(item.get(k) for k in ("phrases", "patterns")):
            self.fail(path, f"disclosure {item['id']!r} needs at least one of phrases, patterns")
            return None
        statement = self.matcher(
            item["id"],
            item.get("phrases", ()),
            item.get("patterns", ()),
            item.get("exclude", ()),
            path,
            ("patterns", "exclude"),
        )
        if item.get("instruction_phrases") or item.get("instruction_patterns"):
            instruction = self.matcher(
                f"{item['id']}-instruction",
                item.get("instruction_phrases", ()),
                item.get("instruction_patterns", ()),
                (),
                path,
                ("instruction_patterns", "exclude"),
            )
        else:
            instruction = matchers.builtin("disclosure-instruction")
        if statement is None or instruction is None:
            return None
        return Disclosure(item["id"], statement, instruction, item.get("description", ""))

    def matcher(
        self,
        name: str,
        phrases: Sequence[str],
        patterns: Sequence[str],
        exclude: Sequence[str],
        path: JsonPath,
        regex_keys: tuple[str, str],
    ) -> matchers.Matcher | None:
        bad = False
        pattern_key, exclude_key = regex_keys
        for key, values in ((pattern_key, patterns), (exclude_key, exclude)):
            for j, pattern in enumerate(values):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    self.fail((*path, key, j), f"invalid regular expression {pattern!r}: {exc}")
                    bad = True
                    continue
                try:
                    # User patterns run on RE2 (linear time): refuse what it cannot take.
                    matchers.compile_matcher(name, (), (), (pattern,), negation_aware=False)
                except matchers.UnsupportedRegex as exc:
                    self.fail((*path, key, j), f"unsupported regular expression {pattern!r}: {exc}")
                    bad = True
        if bad:
            return None
        return matchers.compile_matcher(name, phrases, patterns, exclude)

    # -- agent

    def agent(self, data: Mapping[str, Any]) -> AgentSpec:
        model = self.model(data.get("model", "simulator"))
        kind = data.get("type", "reference")
        if kind != "reference":
            return AgentSpec(
                type=kind,
                adapter=self.adapter(kind, data),
                model=model,
                encoding=data.get("encoding", DEFAULT_ENCODING),
            )
        spec = self.compaction(data.get("compaction", {}), ("agent", "compaction"))
        window = data.get("context_window")
        if spec.trigger_kind == "fraction" and window is None:
            self.fail(
                ("agent", "compaction", "trigger"),
                "a fraction trigger needs agent.context_window (the model's window in tokens)",
            )
        return AgentSpec(
            system_prompt=data.get("system_prompt"),
            opening=tuple(
                self.opening(item, ("agent", "opening", i))
                for i, item in enumerate(data.get("opening", ()))
            ),
            model=model,
            compaction=spec,
            encoding=data.get("encoding", DEFAULT_ENCODING),
            context_window=window,
        )

    def opening(self, data: Mapping[str, Any], path: JsonPath) -> OpeningMessage:
        shown = bool(data.get("shown_to_user", False))
        if "greeting" in data:
            return OpeningMessage(
                "greeting", data["greeting"], "assistant", shown, location=self.loc(path)
            )
        return OpeningMessage(
            "notice", data["notice"], data.get("role", "system"), shown, location=self.loc(path)
        )

    def compaction(self, data: Mapping[str, Any], path: JsonPath) -> CompactionSpec:
        values: dict[str, Any] = {}
        preset_name = data.get("preset")
        if preset_name is not None:
            preset = PRESETS.get(preset_name)
            if preset is None:
                hint = difflib.get_close_matches(preset_name, PRESETS, n=1)
                self.fail(
                    (*path, "preset"),
                    f"unknown compaction preset {preset_name!r}"
                    + (f"; did you mean {hint[0]!r}?" if hint else "")
                    + f" (known: {', '.join(sorted(PRESETS))})",
                )
                return CompactionSpec()
            values.update(preset.values, preset=preset_name)
            for key in preset.requires:
                if key not in data:
                    self.fail(path, f"preset {preset_name!r} needs {key!r}: {preset.note}")
        for key in (
            "policy",
            "head",
            "pin_system",
            "summary_role",
            "summary_prefix",
            "token_counting",
        ):
            if key in data:
                values[key] = data[key]
        if "trigger" in data:
            ((kind, value),) = data["trigger"].items()
            values.update(trigger_kind=kind, trigger_value=value)
        if "keep" in data:
            ((kind, value),) = data["keep"].items()
            values.update(keep_kind=kind, keep_value=value)
        if "summarizer" in data:
            values["summarizer"] = self.summarizer(data["summarizer"], (*path, "summarizer"))
        spec = CompactionSpec(**values)
        if spec.policy != "none" and spec.trigger_kind is None:
            self.fail(
                path, f"policy {spec.policy!r} needs a trigger, e.g. trigger: {{tokens: 4000}}"
            )
        if spec.policy in ("sliding_window", "head_tail") and spec.keep_kind != "messages":
            self.fail(path, f"policy {spec.policy!r} needs keep: {{messages: N}}")
        if spec.policy == "head_tail" and "head" not in values:
            self.fail(path, "policy 'head_tail' needs head: N (messages kept from the start)")
        return spec

    def summarizer(self, data: str | Mapping[str, Any], path: JsonPath) -> SummarizerSpec:
        if isinstance(data, str):
            data = {"type": data}
        prompt = data.get("prompt")
        if "prompt_preset" in data:
            from replay.summarizers import PROMPT_PRESETS

            if prompt is not None:
                self.fail((*path, "prompt_preset"), "give 'prompt' or 'prompt_preset', not both")
            prompt = PROMPT_PRESETS[data["prompt_preset"]]
        spec = SummarizerSpec(
            type=data["type"],
            keep_disclosures=data.get("keep_disclosures", False),
            max_tokens=data.get("max_tokens", 256),
            prompt=prompt,
            text=data.get("text"),
            function=data.get("function"),
            model=self.live_model(data["model"], (*path, "model")).live
            if "model" in data
            else None,
        )
        needs = {"scripted": "text", "callable": "function", "model": "model"}.get(spec.type)
        if needs and needs not in data:
            self.fail(path, f"a {spec.type} summarizer needs {needs!r}")
        allowed = {
            "extractive": {"keep_disclosures", "max_tokens"},
            "scripted": {"text"},
            "callable": {"function"},
            "model": {"model", "prompt_preset"},
        }[spec.type] | {"type", "prompt"}
        for key in sorted(set(data) - allowed):
            self.fail((*path, key), f"{key!r} does not apply to a {spec.type} summarizer")
        if spec.type == "callable" and spec.function:
            # Located by path, never imported: validating a scenario runs none of its code.
            from replay.summarizers import SummarizerError, locate_callable

            try:
                found = locate_callable(spec.function, Path(self.source.file).parent)
            except SummarizerError as exc:
                self.fail((*path, "function"), str(exc))
            else:
                self.names_module((*path, "function"), spec.function.partition(":")[0], found)
                self.uses(
                    "code", (*path, "function"), f"{spec.function} ({self.folder_note(found)})"
                )
        return spec

    def adapter(self, kind: str, data: Mapping[str, Any]) -> AdapterSpec:
        target = data.get(kind)
        for other in ("python", "http", "command"):
            if other != kind and other in data:
                self.fail(("agent", other), f"{other!r} does not apply to a {kind} agent")
        if target is None:
            example = {
                "python": 'python: "my_package.agent:make_agent"',
                "http": 'http: "http://127.0.0.1:8000/chat"',
                "command": 'command: ["node", "agent.js"]',
            }[kind]
            self.fail(("agent",), f"a {kind} agent needs {kind!r}, e.g. {example}")
            target = ""
        if kind != "command":
            for key in ("cwd", "env"):
                if key in data:
                    self.fail(("agent", key), f"{key!r} applies to a command agent only")
        if kind == "command":
            import shlex

            argv = tuple(shlex.split(target) if isinstance(target, str) else target)
            if not argv:
                self.fail(("agent", "command"), "the command is empty")
            target = argv
        base = Path(self.source.file).parent
        if "cwd" in data:
            self.names_path("folder", ("agent", "cwd"), data["cwd"], base / data["cwd"])
        self.adapter_uses(kind, target, data)
        return AdapterSpec(
            kind=kind,
            target=target,
            timeout=float(data.get("timeout", 60.0)),
            cwd=str(base / data["cwd"]) if "cwd" in data else str(base),
            env=tuple(sorted(data.get("env", {}).items())),
            proxy_port=data.get("proxy_port", 0),
        )

    def adapter_uses(self, kind: str, target: Any, data: Mapping[str, Any]) -> None:
        if kind == "python" and isinstance(target, str) and target:
            from replay.summarizers import find_module_file

            module = target.partition(":")[0]
            base = Path(self.source.file).parent
            found = (
                find_module_file(module, [base, *(e or "." for e in sys.path)]) if module else None
            )
            where = self.folder_note(found) if found else "module not found without importing"
            self.names_module(("agent", "python"), module, found)
            self.uses("code", ("agent", "python"), f"{target} ({where}), in a subprocess")
        elif kind == "command" and target:
            import shlex

            env = ", ".join(f"{k}=..." for k, _ in sorted(data.get("env", {}).items()))
            self.uses(
                "command",
                ("agent", "command"),
                shlex.join(target) + (f" (with {env})" if env else ""),
            )
        elif kind == "http" and target:
            self.uses("network", ("agent", "http"), f"each turn is posted to {target}")

    def live_model(self, data: Mapping[str, Any], path: JsonPath = ("agent", "model")) -> ModelSpec:
        from replay.clients import DEFAULT_BASE_URLS

        base = Path(self.source.file).parent
        url = data.get("base_url") or DEFAULT_BASE_URLS.get(data["type"], "?")
        key = data.get("api_key_env")
        sends = f"${key}" if key else "no credential"
        if key:
            self.credentials.append(
                CredentialUse(
                    ".".join(str(p) for p in (*path, "api_key_env")),
                    self.loc((*path, "api_key_env"), key=True),
                    key,
                    data["type"],
                    url,
                )
            )
        if "cassette" in data:
            cassette_file = base / data["cassette"]
            self.names_path("cassette", (*path, "cassette"), data["cassette"], cassette_file)
        cassette = f"; cassette {data['cassette']}" if "cassette" in data else ""
        self.uses(
            "network",
            path,
            f"{data['type']} model {data['model']}: sends the conversation and {sends} to {url}"
            f" (host {_host_of(url)}){cassette}",
        )
        defaults = RetrySpec()
        live = LiveModelSpec(
            provider=data["type"],
            model=data["model"],
            base_url=data.get("base_url"),
            api_key_env=data.get("api_key_env"),
            cassette=str(base / data["cassette"]) if "cassette" in data else None,
            timeout=float(data.get("timeout", 60.0)),
            retry=RetrySpec(
                max_attempts=data.get("max_attempts", defaults.max_attempts),
                max_time=float(data.get("max_retry_time", defaults.max_time)),
                max_wait=float(data.get("max_retry_wait", defaults.max_wait)),
                initial_wait=float(data.get("retry_initial_wait", defaults.initial_wait)),
            ),
            temperature=data.get("temperature"),
            max_tokens=data.get("max_tokens"),
        )
        return ModelSpec(type=data["type"], live=live)

    def model(self, data: str | Mapping[str, Any]) -> ModelSpec:
        if isinstance(data, str):
            return ModelSpec(type=data)
        if data["type"] in ("openai", "anthropic"):
            return self.live_model(data)
        remind = data.get("remind_every")
        if remind is not None and parse_minutes(remind) <= 0:
            self.fail(
                ("agent", "model", "remind_every"), "an interval must be longer than 0, e.g. 3h"
            )
        spec = ModelSpec(
            type=data["type"],
            persona=data.get("persona", DEFAULT_PERSONA),
            remind_every_minutes=None if remind is None else parse_minutes(remind),
            replies=tuple(_scripted_reply(r) for r in data.get("replies", ())),
            default_reply=data.get("default_reply"),
        )
        wrong = {
            "simulator": ("replies", "default_reply"),
            "scripted": ("persona", "remind_every"),
        }[spec.type]
        for key in wrong:
            if key in data:
                self.fail(("agent", "model", key), f"{key!r} does not apply to a {spec.type} model")
        return spec

    # -- conversation

    def script_item(self, data: Mapping[str, Any], path: JsonPath) -> ScriptItem:
        if "repeat" in data:
            body = tuple(
                self.script_item(item, (*path, "turns", i)) for i, item in enumerate(data["turns"])
            )
            return ScriptItem(repeat=data["repeat"], body=body, location=self.loc(path))
        probe = "probe" in data
        text = data["probe" if probe else "user"]
        if "after" in data and "at" in data:
            self.fail(path, "give either 'after' (time since the previous turn) or 'at', not both")
        return ScriptItem(
            text=(text,) if isinstance(text, str) else tuple(text),
            probe=probe,
            reply=data.get("reply"),
            after=None if "after" not in data else parse_minutes(data["after"]),
            at=None if "at" not in data else parse_minutes(data["at"]),
            location=self.loc(path),
        )

    def check_script(self, scenario: Scenario) -> None:
        total = scenario.turn_count
        if total > 1_000_000:
            self.fail(("conversation", "turns"), f"{total} turns; at most 1,000,000 are allowed")
        model = scenario.agent.model
        if model.type != "scripted":
            for path, item in _walk(scenario.script, ("conversation", "turns")):
                if item.reply is not None:
                    self.fail(
                        (*path, "reply"),
                        "a scripted 'reply' needs agent.model: scripted "
                        f"(the {model.type} model writes its own replies)",
                    )

    # -- checks

    def check(self, item: str | Mapping[str, Any], path: JsonPath, known: set[str]) -> CheckSpec:
        options: Mapping[str, Any] = {}
        if isinstance(item, str):
            name = item
        else:
            ((name, given),) = item.items()
            options = given or {}
        disclosure = options.get("disclosure")
        if disclosure is not None and disclosure not in known:
            self.fail(
                (*path, name, "disclosure"),
                f"check {name!r} names disclosure {disclosure!r}, which the scenario does not "
                f"define (defined: {', '.join(sorted(known))})",
            )
        turns = options.get("turns")
        minutes = options.get("minutes")
        if name == "recurs_every" and turns is None and minutes is None:
            self.fail(path, "recurs_every needs 'turns', 'minutes' or both, e.g. {minutes: 3h}")
        if name != "recurs_every" and (turns is not None or minutes is not None):
            self.fail(path, f"'turns' and 'minutes' apply to recurs_every, not to {name}")
        if minutes is not None and parse_minutes(minutes) <= 0:
            self.fail((*path, name, "minutes"), "an interval must be longer than 0, e.g. 3h")
        return CheckSpec(
            name=name,
            disclosures=(disclosure,) if disclosure else tuple(sorted(known)),
            every_turns=turns,
            every_minutes=None if minutes is None else parse_minutes(minutes),
            location=self.loc(path),
        )

    def rule_checks(
        self, rules: Sequence[str], own: tuple[CheckSpec, ...], known: set[str]
    ) -> tuple[CheckSpec, ...]:
        """The union of the scenario's own checks and those of its rule packs.

        A check both the scenario and a pack ask for (same name and parameters) runs once and
        carries the pack's citation, so the report can quote the law next to its findings.
        """
        from replay.rulepacks import RulePackError, load_pack

        merged: dict[tuple[Any, ...], CheckSpec] = {_check_key(c): c for c in own}
        for i, pack_id in enumerate(rules):
            path: JsonPath = ("rules", i)
            try:
                pack = load_pack(pack_id)
            except RulePackError as exc:
                self.fail(path, str(exc))
                continue
            for j, item in enumerate(pack.checks):
                before = len(self.problems)
                spec = self.check(item, path, known)
                if len(self.problems) > before:
                    self.problems[before:] = [
                        replace(p, message=f"rule pack {pack_id!r}, check {j + 1}: {p.message}")
                        for p in self.problems[before:]
                    ]
                    continue
                key = _check_key(spec)
                if key in merged:
                    spec = merged[key]
                    if pack.citation_label in spec.citations:
                        continue
                merged[key] = replace(spec, citations=(*spec.citations, pack.citation_label))
        return tuple(merged.values())

    def expectation(self, data: Mapping[str, Any], checks: Sequence[CheckSpec]) -> Expectation:
        # An expected finding that no check can produce would never be met, and a test suite
        # that marks it as an expected failure would hide that; so it is an input error.
        ran: dict[str, set[str]] = {}
        for c in checks:
            ran.setdefault(c.name, set()).update(
                () if c.name in PER_REPLY_CHECKS else c.disclosures
            )
        listed = [("findings", i, f) for i, f in enumerate(data.get("findings", ()))]
        listed += [("not_exercised", i, f) for i, f in enumerate(data.get("not_exercised", ()))]
        for key, i, f in listed:
            path: JsonPath = ("expect", key, i)
            what = "expected finding" if key == "findings" else "expected not-exercised check"
            if f["check"] not in ran:
                self.fail(
                    (*path, "check"),
                    f"{what} names check {f['check']!r}, which the scenario does not "
                    f"run (it runs: {', '.join(sorted(ran))})",
                )
            elif "disclosure" in f and f["disclosure"] not in ran[f["check"]]:
                self.fail(
                    (*path, "disclosure"),
                    f"{what} names disclosure {f['disclosure']!r}, which check "
                    f"{f['check']!r} does not check (it checks: "
                    f"{', '.join(sorted(ran[f['check']])) or 'no single disclosure'})",
                )
        if data.get("verdict") in ("pass", "unproven") and data.get("findings"):
            self.fail(
                ("expect", "findings"),
                f"expect.verdict is {data['verdict']!r} but findings are listed",
            )
        both = {(f["check"], f.get("disclosure")) for f in data.get("findings", ())} & {
            (f["check"], f.get("disclosure")) for f in data.get("not_exercised", ())
        }
        if both:
            self.fail(
                ("expect", "not_exercised"),
                "a check cannot be both an expected finding and expected not exercised: "
                + ", ".join(sorted(c for c, _ in both)),
            )
        return Expectation(
            verdict=data.get("verdict"),
            findings=tuple(
                ExpectedFinding(f["check"], f["turn"], f.get("disclosure"))
                for f in data.get("findings", ())
            ),
            reason=data.get("reason", ""),
            not_exercised=tuple(
                ExpectedNotExercised(f["check"], f.get("disclosure"))
                for f in data.get("not_exercised", ())
            ),
        )


def _host_of(url: str) -> str:
    try:
        return parse_host(url)[1]
    except ValueError:
        return "?"


def _check_key(spec: CheckSpec) -> tuple[Any, ...]:
    return (spec.name, spec.disclosures, spec.every_turns, spec.every_minutes)


def _walk(items: Sequence[ScriptItem], path: JsonPath) -> Iterator[tuple[JsonPath, ScriptItem]]:
    for i, item in enumerate(items):
        here = (*path, i)
        if item.repeat:
            yield from _walk(item.body, (*here, "turns"))
        else:
            yield here, item
