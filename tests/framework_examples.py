"""What every bundled framework example's test needs: an offline run of ``replay run`` on it.

replay and the example's agent run in subprocesses whose ``sitecustomize`` (on their
``PYTHONPATH``) installs an audit hook that refuses, and logs, every name lookup and connection
to anything but the loopback interface; :func:`assert_stayed_offline` asserts the log holds no
attempt and that the hook was armed in every process. The agent appends what its framework's
own memory holds each turn to ``SUPPORT_AGENT_STATE_LOG`` (one JSON object per line), which the
test reads with :func:`read_state` to compute, independently of replay's trace, the turn the
framework dropped the disclosure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPLAY_RUN = (sys.executable, "-m", "replay.cli", "run")
PYTEST = (sys.executable, "-m", "pytest")
GREETING = "Hi! I'm Acme's AI assistant, not a human agent. How can I help you today?"
"""Every example app's disclosure: its opening greeting, kept in the framework's memory."""

# Armed in every Python process started with this folder on PYTHONPATH: replay's and the
# agent's (the python adapter passes replay's sys.path on to the agent's process).
GUARD = """
import os, sys

_LOG = os.environ.get("REPLAY_TEST_NET_LOG")
_LOCAL = {"127.0.0.1", "localhost", "::1", b"127.0.0.1", b"localhost", b"::1"}


def _note(line):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(line + "\\n")


def _guard(event, args):
    if event == "socket.getaddrinfo" and args[0] not in _LOCAL and args[0] is not None:
        _note(f"lookup {args[0]!r}")
        raise OSError("the network is off in this test: lookup of " + repr(args[0]))
    if event == "socket.connect" and isinstance(args[1], tuple) and args[1][0] not in _LOCAL:
        _note(f"connect {args[1]!r}")
        raise OSError("the network is off in this test: connect to " + repr(args[1]))


if _LOG:
    sys.addaudithook(_guard)
    _note(f"armed {os.getpid()}")
"""


def offline_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """The environment of the runs: the network guard on, no real key, tracing off."""
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    net_log = tmp_path / "net.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ANTHROPIC_"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(guard), str(ROOT)]),
        REPLAY_TEST_NET_LOG=str(net_log),
        OPENAI_AGENTS_DISABLE_TRACING="1",  # the agent also calls set_tracing_disabled(True)
        SUPPORT_AGENT_STATE_LOG=str(tmp_path / "state.jsonl"),
    )
    return env, net_log


def assert_stayed_offline(net_log: Path, processes: int) -> None:
    lines = net_log.read_text(encoding="utf-8").splitlines()
    armed = [line for line in lines if line.startswith("armed ")]
    assert len(armed) == processes, lines  # the guard ran in replay's and the agent's process
    assert lines == armed, lines  # and nothing tried to reach anything but 127.0.0.1


def read_state(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run_example(scenario: Path, tmp_path: Path, env: dict[str, str]) -> dict[str, Any]:
    """``replay run SCENARIO --json`` in a subprocess; its one result (findings: exit 1)."""
    done = subprocess.run(
        [*REPLAY_RUN, str(scenario), "--json", "--trace-dir", str(tmp_path / "traces")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    (result,) = json.loads(done.stdout)
    assert isinstance(result, dict)
    return result


def assert_collected_as_strict_xfails(
    scenarios: Sequence[Path], env: dict[str, str], net_log: Path, xfailed: int
) -> None:
    """pytest collects the scenario files: each check with an ``expect:`` finding is a strict
    xfail, which passes only while the loss is where the scenario documents it; no check
    passes or fails, and pytest and each scenario's agent stayed offline."""
    done = subprocess.run(
        [*PYTEST, *map(str, scenarios), "-p", "no:cacheprovider", "-q", "-rxX"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{xfailed} xfailed" in done.stdout, done.stdout
    assert "passed" not in done.stdout and "failed," not in done.stdout
    assert_stayed_offline(net_log, processes=1 + len(scenarios))


def run_logged(
    scenario: Path, tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> tuple[list[tuple[str, int]], list[dict[str, Any]]]:
    """``replay run`` on an example, offline (asserted): the (check, turn) of its every
    finding, and its agent's state log, one entry a turn from turn 1 on."""
    env, net_log = offline
    result = run_example(scenario, tmp_path, env)
    assert_stayed_offline(net_log, processes=2)
    findings = [(f["check"], f["turn"]) for c in result["checks"] for f in c["findings"]]
    state = read_state(Path(env["SUPPORT_AGENT_STATE_LOG"]))
    assert [s["turn"] for s in state] == list(range(1, len(state) + 1))
    return findings, state
