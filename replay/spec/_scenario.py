"""The scenario data model: disclosures, the agent, the conversation script, checks and
expectations.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from replay.spec._loop import DEFAULT_ENCODING, CompactionSpec
from replay.spec._models import LiveModelSpec
from replay.spec._source import JsonPath, SourceMap
from replay.spec._vocab import AdapterKind

SCENARIO_SCHEMA_VERSION = "1"
SCENARIO_SUFFIXES = (".yaml", ".yml")
"""How scenario files are named (a folder given to replay run holds them)."""
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


# ----------------------------------------------------------------------------- data types


@dataclass(frozen=True, slots=True)
class Location:
    """Where a scenario element was written, for findings and errors that point at the YAML."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class MatcherSpec:
    """How to recognise a disclosure in text: a built-in matcher by name, or the scenario's own
    phrases and regular expressions. Plain data; ``replay.matchers.matcher_for`` compiles it
    (once per distinct spec)."""

    name: str
    builtin: str | None = None
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    negation_aware: bool = True
    """Guarded against negation, questions, quotes and retractions (see replay.matchers)."""
    languages: tuple[str, ...] = ()
    """For a built-in: the languages (ISO 639-1 codes) it is searched in; none: all of them."""


BUILTIN_STATEMENT = MatcherSpec("ai-identity", builtin="ai-identity")
"""The built-in ``ai-identity`` disclosure's statement: "I am an AI assistant"."""
BUILTIN_INSTRUCTION = MatcherSpec("disclosure-instruction", builtin="disclosure-instruction")
"""The built-in instruction to disclose: "Always tell users you are an AI"."""


@dataclass(frozen=True)
class Disclosure:
    """A required disclosure: how to recognise it stated, and instructed."""

    id: str
    statement: MatcherSpec
    instruction: MatcherSpec
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

    kind: AdapterKind
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


@dataclass(frozen=True, slots=True)
class Turn:
    """One scripted user turn."""

    index: int
    text: str
    probe: bool
    minutes: float
    reply: str | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
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
    languages: tuple[str, ...] = ()
    """ISO 639-1 codes the built-in disclosure matchers read, the conversation's own first
    (none: every built-in language; the conversation's is then detected)."""
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


def _walk(items: Sequence[ScriptItem], path: JsonPath) -> Iterator[tuple[JsonPath, ScriptItem]]:
    for i, item in enumerate(items):
        here = (*path, i)
        if item.repeat:
            yield from _walk(item.body, (*here, "turns"))
        else:
            yield here, item
