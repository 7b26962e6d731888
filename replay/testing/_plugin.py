"""pytest plugin: every disclosure scenario becomes a regression test, enabled by installing.

Registered through the ``pytest11`` entry point, so a project that depends on ``replay`` gets
its scenarios checked by its existing ``pytest`` run. The collection tree is::

    scenarios/support_bot_summarized.yaml          a scenario file (pytest.File)
      support-bot-summarized                       the scenario, named as in its YAML
        context_retains[ai-identity]               one test item per check result
        probe_discloses[ai-identity]
        ...

so ``-k support-bot`` selects a scenario and ``-k context_retains`` a check. The scenario is
replayed once, by the first of its items to run, and every item reads its own check from that
result. A failing item shows the finding's timeline (the renderer of ``replay run``), not a
traceback. Findings documented in the scenario's ``expect:`` section are strict expected
failures that only count as such at the documented turn. Only public pytest hooks and node APIs
are used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from replay.checks._checks import check_instances
from replay.errors import InvalidInput, RunIncomplete
from replay.files._config import CONFIG_NAME, load_config, merged_limits, rate_limit
from replay.files._regular import open_regular
from replay.results import ERROR, CheckResult, RunResult, check_id
from replay.scenario._load import load_scenario
from replay.scenario._rulepacks import pack_ids
from replay.scenario._trust import ALLOW_OUTSIDE_PATHS_ENV, trust_problems
from replay.spec._scale import RateLimit
from replay.spec._scenario import CheckSpec, ExpectedFinding, Scenario
from replay.spec._words import count
from replay.testing._api import ScenarioSource, run_scenario_file
from replay.trace._io import trace_file_name
from replay.trust._code import NO_CODE_ENV, env_flag, refuse_code
from replay.trust._hosts import ALLOW_HOSTS_ENV, allowed_hosts

if TYPE_CHECKING:
    from replay.limits._gate import Gate, LimitsAddress, SharedLimits

DEFAULT_PATTERNS = ("scenarios/**/*.yaml", "scenarios/**/*.yml")
SLOW_TURNS = 500
"""Scenarios longer than this many turns are marked ``slow``."""

_SCENARIO_KEY = re.compile(r"^scenario[ \t]*:", re.MULTILINE)


# ----------------------------------------------------------------------------- hooks


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("replay", "replay disclosure scenarios")
    group.addoption(
        "--replay-scenarios",
        action="append",
        dest="replay_scenarios",
        metavar="GLOB",
        help="collect scenario files matching this glob, relative to the rootdir "
        "(repeatable; overrides the replay_scenarios ini option; '**' spans folders)",
    )
    group.addoption(
        "--replay-trace-dir",
        dest="replay_trace_dir",
        metavar="DIR",
        type=Path,
        help="write each replayed scenario's trace (JSON Lines) to DIR/<scenario>.trace.jsonl, "
        "e.g. to keep it as a CI artifact and inspect it with `replay show`",
    )
    group.addoption(
        "--replay-no-code",
        action="store_true",
        dest="replay_no_code",
        help="refuse (as a collection error) every scenario that runs Python code or a command: "
        "python and command agents, callable summarizers (also REPLAY_NO_CODE=1; see "
        "docs/security.md)",
    )
    group.addoption(
        "--replay-allow-outside-paths",
        action="store_true",
        dest="replay_allow_outside_paths",
        help="let scenarios name files outside their folder and project root (also "
        "REPLAY_ALLOW_OUTSIDE_PATHS=1; see docs/security.md)",
    )
    group.addoption(
        "--replay-allow-host",
        action="append",
        dest="replay_allow_host",
        metavar="HOST",
        help="a host (https only) allowed to receive a scenario's API key, besides the "
        "provider's own and loopback (repeatable; also REPLAY_ALLOW_HOSTS; docs/security.md)",
    )
    group.addoption(
        "--replay-rate-limit",
        action="append",
        dest="replay_rate_limit",
        type=rate_limit,  # replay run's --rate-limit parser: the same syntax, the same errors
        metavar="PROVIDER:KEY=N,...",
        help="live models: limits every scenario of the session keeps to together, across "
        "pytest-xdist workers too, e.g. openai:rpm=500,tpm=200000,concurrent=8 (keys rpm, "
        "tpm, concurrent; repeatable; wins over the config file's, provider by provider)",
    )
    group.addoption(
        "--replay-config",
        dest="replay_config",
        metavar="FILE",
        type=Path,
        help=f"TOML file whose [limits.PROVIDER] tables the session keeps to (default: "
        f"{CONFIG_NAME} in the rootdir, if there is one; docs/scale.md)",
    )
    parser.addini(
        "replay_scenarios",
        type="linelist",
        default=list(DEFAULT_PATTERNS),
        help="globs of replay scenario files, relative to the rootdir "
        f"(default: {' '.join(DEFAULT_PATTERNS)})",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_TRUST] = _trust(config)  # once: a bad --replay-allow-host is a usage error
    limits = _session_limits(config)  # a bad --replay-config file is a usage error, located
    config.stash[_LIMITS] = limits
    if (
        limits.settings.limits
        and not hasattr(config, "workerinput")
        and config.pluginmanager.hasplugin("xdist")
    ):
        # pytest_configure_node is pytest-xdist's hook: registered only where xdist is, as its
        # docs say for optional hooks (an unknown hook name would be an error without it).
        config.pluginmanager.register(_XdistLimits(limits), "replay-xdist-limits")
    config.addinivalue_line("markers", "replay: a replay disclosure scenario check")
    config.addinivalue_line(
        "markers",
        f"slow: a replay scenario longer than {SLOW_TURNS} turns (deselect: -m 'not slow')",
    )
    # The shipped rule packs' markers are registered up front, so --strict-markers and
    # --markers know them before any scenario is collected.
    for pack in pack_ids():
        _register_pack_marker(config, pack)
    if not config.pluginmanager.hasplugin("xdist"):
        # Every scenario test carries xdist_group; without pytest-xdist nobody registers it,
        # and --strict-markers would refuse the plugin's own tests.
        config.addinivalue_line("markers", "xdist_group(name): (pytest-xdist) run together")


def pytest_unconfigure(config: pytest.Config) -> None:
    limits = config.stash.get(_LIMITS, None)
    if limits is not None:
        limits.close()  # the limiter server of xdist's workers, once they have all finished


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under pytest-xdist's default ``--dist load``, keep each scenario file on one worker.

    A scenario is replayed by the first of its tests to run; ``load`` hands tests out one by
    one, so a file's checks land on both workers and it is replayed twice (twice the time, and
    twice the spend with a live model). Any other ``--dist`` the user chose is left alone.
    """
    if config.getvalue("dist") != "load":
        return None
    from replay.testing._xdist import ScenarioFileScheduling

    return ScenarioFileScheduling(config, log)


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"replay: scenario files matching {' '.join(scenario_patterns(config))}"]
    limits = config.stash.get(_LIMITS, None)
    if limits is not None:
        lines += limits.settings.header()
    return lines


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ScenarioFile | None:
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    # A file named on the command line is collected whatever the patterns say, as pytest does
    # for test modules outside python_files.
    if not parent.session.isinitpath(file_path) and not matches_patterns(
        file_path, parent.config.rootpath, scenario_patterns(parent.config)
    ):
        return None
    if not is_scenario_file(file_path):
        return None
    node: ScenarioFile = ScenarioFile.from_parent(parent, path=file_path)
    return node


# ----------------------------------------------------------------------------- which files


def scenario_patterns(config: pytest.Config) -> list[str]:
    """The globs from --replay-scenarios, or else from the replay_scenarios ini option."""
    given: list[str] | None = config.getoption("replay_scenarios")
    if given:
        return given
    return [str(p) for p in config.getini("replay_scenarios")]


def matches_patterns(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    """Whether ``path`` (relative to ``root``) matches a glob; ``**`` spans zero or more folders.

    Matching a visited file against the globs (rather than expanding the globs) keeps
    collection as cheap as pytest's own walk, whatever the patterns.
    """
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = path.as_posix()
    parts = shown.split("/")
    return any(_glob_match(pattern.strip().split("/"), parts) for pattern in patterns)


def _glob_match(pattern: Sequence[str], parts: Sequence[str]) -> bool:
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_glob_match(rest, parts[i:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], head) and _glob_match(rest, parts[1:])


def is_scenario_file(path: Path) -> bool:
    """Whether a YAML file is a replay scenario: a mapping with a top-level ``scenario:`` key.

    A file that cannot be parsed still counts when a line starts with ``scenario:``, so a
    scenario with a syntax error becomes a collection error rather than silently nothing.
    The answer is read from libyaml's events and stops at the ``scenario`` key (a scenario's
    first line, in practice), so deciding costs next to nothing and the one full parse of the
    file is the loader's, at collection; only a file that is not a scenario is read to its end.
    """
    try:
        handle, _ = open_regular(path)
        with handle:
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:  # NotRegularFile too
        return True  # unreadable or not a file: let collection report it, never skip it silently
    try:
        return _has_scenario_key(text)
    except yaml.YAMLError:
        return _SCENARIO_KEY.search(text) is not None


def _has_scenario_key(text: str) -> bool:
    """Whether the single YAML document in ``text`` is a mapping with a ``scenario`` key.

    Raises YAMLError for text that is not one YAML document, as ``yaml.safe_load`` would.
    """
    depth = 0
    top_is_mapping = False
    is_key = True  # at depth 1 of the top-level mapping: is the next complete node a key?
    documents = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise yaml.YAMLError("expected a single document in the stream")
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if depth == 0:
                top_is_mapping = isinstance(event, yaml.MappingStartEvent)
            depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            if depth == 1 and top_is_mapping:
                is_key = not is_key  # a collection (a complex key or a value) ended
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)) and depth == 1:
            if (
                top_is_mapping
                and is_key
                and isinstance(event, yaml.ScalarEvent)
                and event.value == "scenario"
            ):
                return True
            is_key = not is_key
    return False


def regulation_markers(scenario: Scenario) -> list[str]:
    """Marker names for the scenario's rule packs: ``eu-ai-act-art50`` -> ``eu_ai_act_art50``."""
    return [_marker_name(p) for p in scenario.rules]


def xdist_group(file_id: str) -> str:
    """The pytest-xdist group of a scenario file's tests: its node id (path from the rootdir).

    Under ``--dist loadgroup`` a group's tests all run on one worker, so the scenario, which
    its first test replays for all of them, is replayed once. xdist appends ``@<group>`` to
    each node id and splits it off at the last ``@``, after the last ``]`` (a check id ends in
    one), so those two characters are replaced: at worst two files share a group, which only
    keeps more tests together.
    """
    return file_id.replace("@", "_").replace("]", "_")


def _marker_name(pack: str) -> str:
    return pack.replace("-", "_")


def _register_pack_marker(config: pytest.Config, pack: str) -> None:
    config.addinivalue_line(
        "markers", f"{_marker_name(pack)}: replay scenario checks of rule pack {pack}"
    )


# ----------------------------------------------------------------------------- nodes


class ScenarioFile(pytest.File):
    """A scenario YAML file; an invalid one is a collection error listing every problem."""

    def collect(self) -> Iterator[ScenarioNode]:
        scenario = _load(self.path, self.config.rootpath, self.config.stash[_TRUST])
        yield ScenarioNode.from_parent(self, name=scenario.name, scenario=scenario)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, InvalidInput):
            problems = excinfo.value.problems
            return "\n".join(
                [
                    *(str(p) for p in problems),
                    f"{count(len(problems), 'problem')} in this scenario; fix them "
                    "(`replay validate "
                    f"{self.nodeid}` shows the same) and it will be collected",
                ]
            )
        return super().repr_failure(excinfo)


@dataclass(frozen=True)
class _Trust:
    """The trust rules' settings for this session (docs/security.md), as ``replay run`` has
    them: its flags as ``--replay-...`` options, the same environment variables."""

    no_code: bool
    allow_outside_paths: bool
    hosts: frozenset[str]


_TRUST = pytest.StashKey[_Trust]()


def _trust(config: pytest.Config) -> _Trust:
    try:
        hosts = allowed_hosts(config.getoption("replay_allow_host") or ())
    except ValueError as exc:
        raise pytest.UsageError(f"--replay-allow-host / {ALLOW_HOSTS_ENV}: {exc}") from None
    return _Trust(
        no_code=config.getoption("replay_no_code") or env_flag(NO_CODE_ENV),
        allow_outside_paths=config.getoption("replay_allow_outside_paths")
        or env_flag(ALLOW_OUTSIDE_PATHS_ENV),
        hosts=hosts,
    )


def _load(path: Path, root: Path, trust: _Trust) -> Scenario:
    """Load a scenario, naming it in errors by its path relative to the rootdir, as pytest does.

    The trust rules apply here, at collection, before anything of the scenario runs: paths
    it names stay in the project, credentials go only to allowed hosts, and (with
    ``--replay-no-code``) a scenario that would run Python code or a command is refused.
    """
    try:
        scenario = load_scenario(path)
        if trust.no_code:
            refuse_code([scenario])
        problems = trust_problems(
            scenario, allow_outside_paths=trust.allow_outside_paths, hosts=trust.hosts
        )
        if problems:
            raise InvalidInput(problems)
        return scenario.allowing_hosts(trust.hosts)
    except InvalidInput as exc:
        try:
            shown = path.relative_to(root).as_posix()
        except ValueError:
            raise exc from None
        absolute = str(path)
        raise InvalidInput(
            [replace(p, file=shown) if p.file == absolute else p for p in exc.problems]
        ) from None


class ScenarioNode(pytest.Collector):
    """One scenario: yields an item per check result and replays the scenario once for all."""

    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self._result: RunResult | None = None
        self._crash: BaseException | None = None

    def collect(self) -> Iterator[CheckItem]:
        seen: dict[str, int] = {}
        # A pack not known up front (a team's own) is registered as it is met, so
        # --strict-markers accepts the marker this plugin puts on its own items.
        for pack in set(self.scenario.rules) - set(pack_ids()):
            _register_pack_marker(self.config, pack)
        packs = regulation_markers(self.scenario)
        group = xdist_group(self.nodeid.split("::", 1)[0])
        for index, (spec, disclosure) in enumerate(check_instances(self.scenario.checks)):
            name = check_id(spec.name, disclosure)
            # The same check listed twice (say recurs_every by turns and by minutes) needs
            # distinct node ids.
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name}#{seen[name]}"
            item = CheckItem.from_parent(
                self, name=name, index=index, spec=spec, disclosure=disclosure
            )
            item.add_marker("replay")
            item.add_marker(pytest.mark.xdist_group(group))
            if self.scenario.turn_count > SLOW_TURNS:
                item.add_marker("slow")
            for marker in packs:
                item.add_marker(marker)
            if item.expected or item.expected_not_exercised:
                item.add_marker(
                    pytest.mark.xfail(
                        strict=True,
                        raises=(ExpectedFindingReached, ExpectedNotExercisedReached),
                        reason=_xfail_reason(self.scenario, item),
                    )
                )
            yield item

    def result(self) -> RunResult:
        """The scenario's run result, replayed on first use (once per process under xdist)."""
        if self._crash is not None:
            raise self._crash
        if self._result is None:
            try:
                self._result = self._replay()
            except Exception as exc:  # a bug, not a finding: every item reports it as an error
                self._crash = exc
                raise
        return self._result

    def _replay(self) -> RunResult:
        trace_dir: Path | None = self.config.getoption("replay_trace_dir")
        gate = self.config.stash[_LIMITS].gate()
        if trace_dir is None:
            return run_scenario_file(self.scenario, allow_incomplete=True, gate=gate)
        # Under xdist two workers may replay the same scenario; each writes its own file and
        # renames it into place, so the trace left behind is always one whole run (they are
        # byte-identical: replays are deterministic).
        shown = trace_dir / trace_file_name(self.scenario.name)
        final = self.config.invocation_params.dir / shown  # relative to where pytest was run
        partial = final.with_name(f".{final.name}.{os.getpid()}.part")
        result = run_scenario_file(
            self.scenario, trace_path=partial, allow_incomplete=True, gate=gate
        )
        if partial.exists():
            os.replace(partial, final)
            result = replace(result, trace_path=str(shown))
        return result


class ReplayCheckFailed(AssertionError):
    """A scenario check found a finding (the message is its timeline)."""


class ExpectedFindingReached(ReplayCheckFailed):
    """A check failed exactly as the scenario's ``expect:`` documents: an expected failure."""


class ExpectedFindingMissed(ReplayCheckFailed):
    """A check failed, but not at the turns ``expect:`` documents: a real failure."""


class ScenarioIncomplete(ReplayCheckFailed):
    """The scenario's run could not complete, so no check of it may pass."""


class CheckNotExercised(ReplayCheckFailed):
    """Nothing in the run exercised a check the scenario needs to pass (never PASSED)."""


class ExpectedNotExercisedReached(ReplayCheckFailed):
    """A check was not exercised, as the scenario's ``expect.not_exercised`` documents."""


class CheckItem(pytest.Item):
    """One check result of a scenario (``check[disclosure]``)."""

    def __init__(
        self, *, index: int, spec: CheckSpec, disclosure: str | None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.index = index
        self.spec = spec
        self.disclosure = disclosure
        self.check_id = check_id(spec.name, disclosure)
        scenario = self.scenario
        self.expected: tuple[ExpectedFinding, ...] = tuple(
            f
            for f in scenario.expect.findings
            if f.check == spec.name and f.disclosure in (None, disclosure)
        )
        self.expected_not_exercised = any(
            f.check == spec.name and f.disclosure in (None, disclosure)
            for f in scenario.expect.not_exercised
        )
        self.user_properties.append(("scenario", scenario.name))
        self.user_properties.append(("check", self.check_id))
        if disclosure is not None:
            self.user_properties.append(("disclosure", disclosure))
        if scenario.regulations:
            self.user_properties.append(("regulations", "; ".join(scenario.regulations)))
        if scenario.rules:
            self.user_properties.append(("rule_packs", " ".join(scenario.rules)))

    @property
    def scenario(self) -> Scenario:
        assert isinstance(self.parent, ScenarioNode)
        return self.parent.scenario

    def runtest(self) -> None:
        assert isinstance(self.parent, ScenarioNode)
        result = self.parent.result()
        if result.verdict == ERROR:
            if result.error_turn is not None:
                self.user_properties.append(("failing_turn", result.error_turn))
            raise ScenarioIncomplete(self._incomplete(result))
        check = result.checks[self.index] if self.index < len(result.checks) else None
        if check is None or check.id != self.check_id:
            raise RuntimeError(
                f"internal error: expected check result {self.check_id!r} at position "
                f"{self.index} of scenario {result.scenario!r}; please report it"
            )
        if check.passed:
            return  # with an expected finding, xfail(strict=True) turns this into XPASS(strict)
        if not check.findings:
            self._not_exercised(result, check)
            return
        if self.expected_not_exercised:
            raise ReplayCheckFailed(
                f"{self.check_id} was expected not to be exercised (expect.not_exercised in "
                f"{self._file()}) but it failed:\n{self._timeline(check, result.trace_path)}"
            )
        self.user_properties.append(("failing_turn", check.findings[0].turn))
        timeline = self._timeline(check, result.trace_path)
        if not self.expected:
            raise ReplayCheckFailed(timeline)
        actual = sorted(f.turn for f in check.findings)
        wanted = sorted(f.turn for f in self.expected)
        if actual == wanted:
            raise ExpectedFindingReached(timeline)
        raise ExpectedFindingMissed(
            f"{self.check_id} was expected to fail at {_turns(wanted)} (expect: in "
            f"{self._file()}) but failed at {_turns(actual)}; if the new behaviour is "
            f"intended, update expect.findings.\n{timeline}"
        )

    def _not_exercised(self, result: RunResult, check: CheckResult) -> None:
        """A check that showed nothing: an expected failure if documented, else a failure when
        it stops the scenario passing, else skipped with its reason; never PASSED."""
        from replay.reports._text import outcome_note

        note = outcome_note(check, blocking=result.blocking(check))
        message = f"{self.check_id} in scenario {self.scenario.name!r}: {note}"
        where = f"check defined at {self._file()}"
        if self.expected_not_exercised:
            raise ExpectedNotExercisedReached(message)
        if result.blocking(check):
            verdict = (
                f"is unproven: {result.unproven}"
                if result.unproven is not None
                else f"cannot pass while it is not exercised (verdict: {result.verdict})"
            )
            raise CheckNotExercised(
                f"{message}\nscenario {self.scenario.name!r} {verdict}\n{where}"
            )
        # pytest reports a skip at the line that raised it; the message says where the check is.
        pytest.skip(f"{message}; {where}")

    def _verbosity(self) -> int:
        verbose: int = self.config.getoption("verbose")
        return verbose

    def _timeline(self, check: CheckResult, trace: str | None) -> str:
        # The renderers are imported for a failure only: every pytest process imports this
        # plugin, and most never show a timeline.
        from replay.reports._text import render_check, render_finding

        verbosity = self._verbosity()
        # The first line is what pytest's short summary shows, so it carries the turn.
        head = (
            f"{check.id} failed at turn {check.findings[0].turn} in scenario "
            f"{self.scenario.name!r}: {check.description}"
        )
        if verbosity < 0:
            first = check.findings[0]
            body = [f"       turn {first.turn}: {render_finding(first)[0]}"]
            if len(check.findings) > 1:
                more = count(len(check.findings) - 1, "more finding")
                body.append(f"       … and {more} (use -v)")
        else:
            body = render_check(check, verbose=verbosity > 0)[1:]  # [0] repeats the head
        lines = [head, *body, f"check defined at {self._file()}"]
        if trace is not None:
            lines.append(
                f"trace: {trace} (`replay show {trace} --turn {check.findings[0].turn}` prints "
                "the model's input at that turn)"
            )
        if verbosity >= 0 and self.scenario.regulations:
            lines.append(f"regulations: {'; '.join(self.scenario.regulations)}")
        return "\n".join(lines)

    def _incomplete(self, result: RunResult) -> str:
        return (
            f"scenario {self.scenario.name!r}: the run could not complete, so {self.check_id} "
            f"was not fully checked: {result.error}\n"
            "an incomplete run is never reported compliant"
        )

    def _file(self) -> str:
        where = self.spec.location
        path = self.nodeid.split("::", 1)[0]
        return f"{path}:{where.line}" if where is not None else path

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ReplayCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.spec.location.line - 1 if self.spec.location is not None else None
        return self.path, line, f"{self.scenario.name}::{self.name}"


def _xfail_reason(scenario: Scenario, item: CheckItem) -> str:
    reason = scenario.expect.reason or "documented failing example"
    if item.expected_not_exercised:
        return f"{reason} (expect: not exercised)"
    turns = _turns(sorted(f.turn for f in item.expected))
    return f"{reason} (expect: fails at {turns})"


def _turns(turns: Sequence[int]) -> str:
    """ "turn 9" or "turns 7, 9"; a turn with two findings is named twice, as the findings are
    compared one for one."""
    if not turns:
        return "no turn"
    return ("turn " if len(turns) == 1 else "turns ") + ", ".join(str(t) for t in turns)


# ----------------------------------------------------------------------------- rate limits


@dataclass(frozen=True)
class _LimitsSettings:
    """The session's rate limits: the config file's, then --replay-rate-limit's over them."""

    limits: tuple[RateLimit, ...]
    source: str | None = None
    """The config file read, if any (as given, or relative to where pytest was run)."""
    budget: bool = False
    """Whether that file has a [budget], which the session does not apply."""

    def header(self) -> list[str]:
        lines = []
        if self.limits:
            where = f"; {self.source} read" if self.source is not None else ""
            shown = " ".join(limit.describe() for limit in self.limits)
            lines.append(
                f"replay: rate limits {shown} (the whole session, xdist workers too{where})"
            )
        if self.budget:
            # Said, not silently dropped: a budget the user set is not a cap here.
            lines.append(
                f"replay: the [budget] of {self.source} is not applied under pytest "
                "(`replay run` applies it)"
            )
        return lines


_WORKER_INPUT = "replay_limits"
"""The key of the limiter server's address in a pytest-xdist worker's ``workerinput``."""


class _SessionLimits:
    """The rate limits of a pytest session and the gate its live model calls wait at.

    Without pytest-xdist the gate asks a :class:`~replay.limits.Limiter` in this process.
    Under xdist the controller starts one limiter server (:class:`~replay.limits.SharedLimits`)
    when it sets up its first worker and gives every worker its address and key; a worker's
    gate asks that server, so all workers together keep to one set of limits. The gate is made
    on first use: a session that replays nothing (``--co``, the controller) builds none.
    """

    def __init__(self, settings: _LimitsSettings, server: LimitsAddress | None = None) -> None:
        self.settings = settings
        self._server = server
        self._gate: Gate | None = None
        self._shared: SharedLimits | None = None

    def gate(self) -> Gate | None:
        """The gate to pass to ``run_scenario_file`` (None: no limits)."""
        if self._gate is None:
            from replay.limits._gate import Gate
            from replay.limits._limiter import Limiter

            if self._server is not None:
                # A server that cannot be reached raises here, in the replay: its scenario's
                # tests fail as errors, never run unlimited.
                self._gate = Gate(self._server.connect())
            elif self.settings.limits:
                self._gate = Gate(Limiter(self.settings.limits))
        return self._gate

    def shared(self) -> LimitsAddress:
        """The limiter server's address for xdist's workers, started on the first call."""
        if self._shared is None:
            from replay.limits._gate import SharedLimits

            self._shared = SharedLimits(self.settings.limits)
        return self._shared.address

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()
            self._shared = None


_LIMITS = pytest.StashKey[_SessionLimits]()


class _XdistLimits:
    """pytest-xdist's controller side: every worker gets the one limiter server's address."""

    def __init__(self, limits: _SessionLimits) -> None:
        self._limits = limits

    def pytest_configure_node(self, node: Any) -> None:
        address = self._limits.shared()
        where = address.address
        # workerinput crosses to the worker through execnet, which carries str, int, list and
        # dict; the key goes as hex and a (host, port) address as a list.
        node.workerinput[_WORKER_INPUT] = {
            "address": list(where) if isinstance(where, tuple) else where,
            "authkey": address.authkey.hex(),
        }


def _session_limits(config: pytest.Config) -> _SessionLimits:
    """This process's limits: an xdist worker's from its controller, else from the options."""
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    if workerinput is not None:
        # The controller read the options and the config file; a worker only connects.
        given = workerinput.get(_WORKER_INPUT)
        if given is None:
            return _SessionLimits(_LimitsSettings(()))
        from replay.limits._gate import LimitsAddress

        where = given["address"]
        server = LimitsAddress(
            tuple(where) if isinstance(where, list) else where, bytes.fromhex(given["authkey"])
        )
        return _SessionLimits(_LimitsSettings(()), server)
    return _SessionLimits(_limits_settings(config))


def _limits_settings(config: pytest.Config) -> _LimitsSettings:
    """--replay-rate-limit over the config file's [limits] (--replay-config, else replay.toml
    in the rootdir: the project's root, wherever in it pytest is run from)."""
    given: Path | None = config.getoption("replay_config")
    path: Path | None
    if given is not None:
        path = given if given.is_absolute() else config.invocation_params.dir / given
        if not path.is_file():
            raise pytest.UsageError(f"{given}:1:1: --replay-config: no such file")
        shown = str(given)
    else:
        path = config.rootpath / CONFIG_NAME
        if not path.is_file():
            path = None
        shown = _shown(config.rootpath / CONFIG_NAME, config.invocation_params.dir)
    file_limits: tuple[RateLimit, ...] = ()
    budget = False
    if path is not None:
        try:
            file_limits, spend, _prices = load_config(path)
        except InvalidInput as exc:
            raise pytest.UsageError(
                "\n".join(
                    str(replace(p, file=shown) if p.file == str(path) else p) for p in exc.problems
                )
            ) from None
        budget = spend.set
    given_limits: list[RateLimit] = config.getoption("replay_rate_limit") or []
    return _LimitsSettings(
        merged_limits(file_limits, given_limits),  # the command line wins, as in replay run
        shown if path is not None else None,
        budget,
    )


def _shown(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


# ----------------------------------------------------------------------------- fixture


@pytest.fixture
def replay_run(request: pytest.FixtureRequest) -> Callable[..., RunResult]:
    """Run a scenario (a path relative to the rootdir, a mapping or a Scenario) -> RunResult.

    ``replay_run("scenarios/support_bot_pinned.yaml")`` replays the scenario and returns its
    result with findings, so a test can ``assert not result.findings`` or call
    :func:`replay.testing.assert_compliant`. An invalid scenario or an incomplete run fails the
    test with the problem (file:line:col), not a traceback; pass ``allow_incomplete=True`` to
    inspect an incomplete run's partial result. Its live model calls keep to the session's
    rate limits (``--replay-rate-limit``), as the collected scenarios' do.
    """
    root = request.config.rootpath
    limits = request.config.stash[_LIMITS]

    def run(source: ScenarioSource, **kwargs: Any) -> RunResult:
        if isinstance(source, (str, os.PathLike)) and not Path(source).is_absolute():
            source = root / source
        if "gate" not in kwargs:
            kwargs["gate"] = limits.gate()
        try:
            return run_scenario_file(source, **kwargs)
        except InvalidInput as exc:
            pytest.fail(str(exc), pytrace=False)
        except RunIncomplete as exc:
            pytest.fail(f"the run could not complete: {exc}", pytrace=False)

    return run
