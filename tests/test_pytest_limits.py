"""The pytest plugin keeps live scenarios to shared rate limits, with and without pytest-xdist
(issue 19): ``--replay-rate-limit`` and ``--replay-config`` / ``replay.toml``.

The live scenarios call :class:`tests.ratelimited_llm.RateLimitedLLM` on 127.0.0.1, which
counts the requests it sees in flight. Concurrency is exact, not timing: the limiter holds a
slot for the whole call, so under ``openai:concurrent=1`` the server never sees two at once.
The control run without the option is made deterministic by the server's gate: it holds the
first request until the server has refused one, which only another worker's request can cause.
"""

from __future__ import annotations

import json
import re
import threading

import pytest

from .ratelimited_llm import (
    API_KEY,
    API_KEY_ENV,
    CALLS_PER_SCENARIO,
    RateLimitedLLM,
    write_scenarios,
)

pytest_plugins = ["pytester"]

SCENARIOS = 6
CHECKS_PER_SCENARIO = 3  # first_reply_discloses, probe_discloses, never_claims_human
QUIET = ("-p", "no:cacheprovider", "-p", "no:langsmith_plugin")
TIMEOUT = 120  # a hung run fails the test instead of hanging it; never reached when it works

# Records, for every replay, what the gate the plugin handed to run_scenario_file allows: two
# openai calls asked for at once from this session; under concurrent=1 the first is granted
# and the second told to wait (the slot is given back before the real run starts).
GATE_PROBE = """\
import json

import replay.testing._plugin as plugin

_run = plugin.run_scenario_file


def run_scenario_file(source, **kwargs):
    gate = kwargs.get("gate")
    probe = None
    if gate is not None:
        limiter = gate._service
        first_wait, slot = limiter.reserve("openai", 0, 60.0)
        second_wait, _ = limiter.reserve("openai", 0, 60.0)
        limiter.release("openai", slot, 0, None)
        probe = {"first": first_wait, "second": second_wait, "gate": id(gate)}
    with open("gates.log", "a", encoding="utf-8") as log:
        log.write(json.dumps(probe) + "\\n")
    return _run(source, **kwargs)


plugin.run_scenario_file = run_scenario_file
"""

BY_HAND = """\
def test_by_hand(replay_run):
    assert replay_run("scenarios/scale-0001.yaml").verdict == "pass"
"""


class HeldUntilRefused(RateLimitedLLM):
    """``concurrent=1``, every accepted request held until the server has refused one.

    With two workers calling at once, the first request is held and the other's is refused
    for certain (a 429), which releases the first: no timing decides it. With replay's shared
    limit the second request would never be sent, so this server is for the control run only.
    """

    def __init__(self) -> None:
        self.released = threading.Event()
        super().__init__(0, concurrent=1, gate=self.released)

    def _admit(self) -> float | None:
        wait = super()._admit()
        if wait is not None:
            self.released.set()
        return wait


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv(API_KEY_ENV, API_KEY)  # the pytest subprocesses read it from here
    pytester.makeini("[pytest]\n")  # the rootdir: where replay.toml is looked for
    return pytester


def workers_that_passed(result: pytest.RunResult) -> set[str]:
    return set(re.findall(r"\[(gw\d+)\][^\n]*PASSED", result.stdout.str()))


# ----------------------------------------------------------------------------- xdist


def test_xdist_workers_keep_to_one_shared_limit(project: pytest.Pytester) -> None:
    # A latency long enough that two workers' calls would overlap without the limiter; the
    # asserts are counts, which hold at any speed when the limiter works.
    with RateLimitedLLM(0.2, concurrent=1).running() as server:
        write_scenarios(project.path / "scenarios", SCENARIOS, server.url, max_wait=0.05)
        result = project.runpytest_subprocess(
            "-n", "2", "-v", "--replay-rate-limit", "openai:concurrent=1", *QUIET, timeout=TIMEOUT
        )
        stats = server.stats()
    result.assert_outcomes(passed=SCENARIOS * CHECKS_PER_SCENARIO)
    assert workers_that_passed(result) == {"gw0", "gw1"}  # both workers called the model
    assert stats.max_concurrency == 1 and stats.rate_limited == 0
    assert stats.ok == stats.requests == SCENARIOS * CALLS_PER_SCENARIO
    result.stdout.fnmatch_lines(["replay: rate limits openai:concurrent=1 (*)"])


def test_without_the_limit_xdist_workers_overlap_and_are_refused(
    project: pytest.Pytester,
) -> None:
    # The control: the same suite, no --replay-rate-limit. The first request is held until a
    # second is in flight and refused, so this cannot pass by luck, and shows the test above
    # would fail if the workers did not share the limit.
    server = HeldUntilRefused()
    with server.running():
        write_scenarios(project.path / "scenarios", SCENARIOS, server.url, max_wait=0.05)
        result = project.runpytest_subprocess("-n", "2", *QUIET, timeout=TIMEOUT)
        stats = server.stats()
    assert server.released.is_set()
    assert stats.max_concurrency >= 2 and stats.rate_limited >= 1
    # Whether the retries then got every call through is up to timing: not asserted.
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)


# ----------------------------------------------------------------------------- one process


def test_without_xdist_the_session_has_one_in_process_limiter(project: pytest.Pytester) -> None:
    project.makeconftest(GATE_PROBE)
    project.makepyfile(test_hand=BY_HAND)
    with RateLimitedLLM(0.01, concurrent=1).running() as server:
        write_scenarios(project.path / "scenarios", SCENARIOS, server.url, max_wait=0.05)
        result = project.runpytest_subprocess(
            "-p", "no:xdist", "--replay-rate-limit", "openai:concurrent=1", *QUIET, timeout=TIMEOUT
        )
        stats = server.stats()
    result.assert_outcomes(passed=SCENARIOS * CHECKS_PER_SCENARIO + 1)
    assert stats.max_concurrency == 1 and stats.rate_limited == 0
    assert stats.ok == (SCENARIOS + 1) * CALLS_PER_SCENARIO
    probes = [json.loads(line) for line in (project.path / "gates.log").read_text().splitlines()]
    # Every replay, the replay_run fixture's too, got the session's one gate, and it is the
    # limit given: one call at once.
    assert len(probes) == SCENARIOS + 1
    assert len({p["gate"] for p in probes}) == 1
    assert all(p["first"] == 0 and p["second"] > 0 for p in probes)


def test_without_limits_no_gate_is_passed(project: pytest.Pytester) -> None:
    project.makeconftest(GATE_PROBE)
    with RateLimitedLLM(0.0).running() as server:
        write_scenarios(project.path / "scenarios", 2, server.url, max_wait=0.05)
        result = project.runpytest_subprocess("-p", "no:xdist", *QUIET, timeout=TIMEOUT)
    result.assert_outcomes(passed=2 * CHECKS_PER_SCENARIO)
    assert (project.path / "gates.log").read_text().splitlines() == ["null", "null"]
    assert "rate limits" not in result.stdout.str()


# ----------------------------------------------------------------------------- the config file


def test_replay_toml_in_the_rootdir_sets_the_limits_and_the_option_wins(
    project: pytest.Pytester,
) -> None:
    project.makefile(
        ".toml",
        replay="[limits.openai]\nconcurrent = 4\nrpm = 600\n\n[limits.anthropic]\nrpm = 50\n",
    )
    # From a subfolder: the file is the project's (the rootdir's), not the current folder's.
    sub = project.mkdir("sub")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(sub)
        listed = project.runpytest_subprocess("--co", "-p", "no:xdist", "..", *QUIET)
    listed.stdout.fnmatch_lines(
        ["replay: rate limits anthropic:rpm=50 openai:rpm=600,concurrent=4 (*/replay.toml read)"]
    )
    given = project.runpytest_subprocess(
        "--co", "-p", "no:xdist", "--replay-rate-limit", "openai:concurrent=1", *QUIET
    )
    given.stdout.fnmatch_lines(["replay: rate limits anthropic:rpm=50 openai:concurrent=1 (*)"])


def test_replay_config_names_another_file_and_a_budget_is_said_to_be_unapplied(
    project: pytest.Pytester,
) -> None:
    project.makefile(".toml", limits="[limits.openai]\ntpm = 9000\n\n[budget]\nmax_tokens = 5\n")
    result = project.runpytest_subprocess(
        "--co", "-p", "no:xdist", "--replay-config", "limits.toml", *QUIET
    )
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.fnmatch_lines(
        [
            "replay: rate limits openai:tpm=9000 (*limits.toml read)",
            "replay: the [[]budget] of limits.toml is not applied under pytest *",
        ]
    )


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("openai:rpm=0", "*--replay-rate-limit: 'openai:rpm=0': rpm must be a whole number >= 1"),
        ("mistral:rpm=5", "*--replay-rate-limit: expected PROVIDER:KEY=N,... with PROVIDER*"),
        ("openai:speed=5", "*--replay-rate-limit: 'openai:speed=5': expected KEY=N with KEY*"),
    ],
)
def test_a_bad_rate_limit_is_a_usage_error(
    project: pytest.Pytester, value: str, message: str
) -> None:
    result = project.runpytest_subprocess("--co", "--replay-rate-limit", value, *QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_a_bad_config_file_is_a_usage_error_at_its_line_and_column(
    project: pytest.Pytester,
) -> None:
    project.makefile(".toml", replay="[limits.openai]\nrpm = 500\nconcurrent = 0\n")
    result = project.runpytest_subprocess("--co", *QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: replay.toml:3:1: concurrent must be a whole number >= 1, got 0"]
    )
    missing = project.runpytest_subprocess("--co", "--replay-config", "nowhere.toml", *QUIET)
    assert missing.ret == pytest.ExitCode.USAGE_ERROR
    missing.stderr.fnmatch_lines(["ERROR: nowhere.toml:1:1: --replay-config: no such file"])


def test_a_bad_config_file_stops_an_xdist_run_before_any_worker(
    project: pytest.Pytester,
) -> None:
    project.makefile(".toml", replay="[limits.openai\n")
    result = project.runpytest_subprocess("-n", "2", *QUIET, timeout=TIMEOUT)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: replay.toml:1:*: not valid TOML: *"])
    assert "bringing up nodes" not in result.stdout.str()


def test_the_workers_limiter_server_is_stopped_with_the_session(project: pytest.Pytester) -> None:
    # The controller's limiter server is a child process; pytest_unconfigure shuts it down,
    # so the run leaves no process behind (it would hold the run's subprocess pipes open).
    with RateLimitedLLM(0.0).running() as server:
        write_scenarios(project.path / "scenarios", 2, server.url, max_wait=0.05)
        project.makeconftest(
            "import multiprocessing\n\nimport pytest\n\n\n"
            "@pytest.hookimpl(trylast=True)\n"  # after the plugin's own pytest_unconfigure
            "def pytest_unconfigure(config):\n"
            "    if not hasattr(config, 'workerinput'):\n"
            "        with open('children.log', 'w') as log:\n"
            "            log.write(str(len(multiprocessing.active_children())))\n"
        )
        result = project.runpytest_subprocess(
            "-n", "2", "--replay-rate-limit", "openai:concurrent=1", *QUIET, timeout=TIMEOUT
        )
    result.assert_outcomes(passed=2 * CHECKS_PER_SCENARIO)
    assert (project.path / "children.log").read_text() == "0"
