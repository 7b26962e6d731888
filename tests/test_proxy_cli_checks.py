"""``replay proxy`` checks what it needs before it listens, and refuses to start without it.

Each case runs ``replay proxy`` as a subprocess whose ``socket.listen`` is instrumented: a
listen is logged to a file, so "the port never accepted a connection" is proved (a socket that
never listened cannot accept one), not inferred from a port that looks closed afterwards. A
positive control shows the instrument sees the listen of a proxy that does start.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from replay.cli import upstream_problem

# Runs replay's CLI with every listen() logged (port per line) to $REPLAY_TEST_LISTEN_LOG.
PROGRAM = """
import os, socket, sys

_listen = socket.socket.listen

def listen(self, *args):
    with open(os.environ["REPLAY_TEST_LISTEN_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{self.getsockname()[1]}\\n")
    return _listen(self, *args)

socket.socket.listen = listen
from replay.cli import main
sys.exit(main(sys.argv[1:]))
"""


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    listened: list[str]
    trace: Path


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound but not listening: a connection to it is refused at once. Pointing
    HTTP(S)_PROXY at it makes any download attempt (tiktoken's) fail fast and offline."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


def offline_env(tmp_path: Path, closed_port: int, **changes: str | None) -> dict[str, str]:
    """This environment with every network route through a refusing local port."""
    env = dict(os.environ)
    dead = f"http://127.0.0.1:{closed_port}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        env[name] = dead
    for name in ("NO_PROXY", "no_proxy"):
        env.pop(name, None)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_proxy(tmp_path: Path, args: list[str], env: Mapping[str, str]) -> Outcome:
    """``replay proxy ARGS --trace ...`` to its end (it refuses to start, so it ends)."""
    log = tmp_path / "listen.log"
    log.write_text("", encoding="utf-8")
    trace = tmp_path / "out" / "t.jsonl"
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, "proxy", *args, "--trace", str(trace)],
        capture_output=True,
        text=True,
        env={**env, "REPLAY_TEST_LISTEN_LOG": str(log)},
        timeout=120,
    )
    listened = log.read_text(encoding="utf-8").split()
    return Outcome(done.returncode, done.stdout, done.stderr, listened, trace)


def assert_refused(outcome: Outcome, code: int, *phrases: str) -> None:
    """Refused as documented: the exit code, one line per problem, nothing started."""
    assert outcome.code == code, outcome.stderr
    assert "Traceback" not in outcome.stderr + outcome.stdout
    assert "listening on" not in outcome.stdout
    assert outcome.listened == []  # the port never listened, so it accepted no connection
    assert not outcome.trace.exists()  # the trace (maybe an earlier run's) is untouched
    lines = outcome.stderr.splitlines()
    assert lines[-1] == "replay proxy: nothing was started"
    assert all(line.startswith("replay proxy: cannot start: ") for line in lines[:-1])
    for phrase in phrases:
        assert phrase in outcome.stderr


def test_a_proxy_that_starts_is_seen_listening(tmp_path: Path) -> None:
    """The positive control: the instrument logs the listen of a proxy that starts."""
    log = tmp_path / "listen.log"
    log.write_text("", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", PROGRAM, "proxy", "--simulator", "--trace", str(tmp_path / "t")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "REPLAY_TEST_LISTEN_LOG": str(log)},
    )
    assert process.stdout is not None
    banner = process.stdout.readline()  # printed after the server listened
    process.terminate()
    _, err = process.communicate(timeout=60)
    assert "listening on http://127.0.0.1:" in banner, err
    port = banner.split("http://127.0.0.1:")[1].split("/")[0]
    assert log.read_text(encoding="utf-8").split() == [port]
    assert process.returncode == 0, err


@pytest.mark.parametrize("cache", ["unset", "empty folder", "missing folder"])
def test_no_vocabulary_refuses_to_start(tmp_path: Path, closed_port: int, cache: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    if cache == "unset":
        # tiktoken's own default cache is under the temporary folder: make that one empty.
        env = offline_env(tmp_path, closed_port, TIKTOKEN_CACHE_DIR=None, TMPDIR=str(empty))
        env.pop("DATA_GYM_CACHE_DIR", None)
    elif cache == "empty folder":
        env = offline_env(tmp_path, closed_port, TIKTOKEN_CACHE_DIR=str(empty))
    else:
        env = offline_env(tmp_path, closed_port, TIKTOKEN_CACHE_DIR=str(tmp_path / "nope"))
    outcome = run_proxy(tmp_path, ["--simulator"], env)
    assert_refused(
        outcome,
        3,
        "the tokenizer vocabulary 'o200k_base' does not load",
        "Set TIKTOKEN_CACHE_DIR to a folder holding tiktoken's vocabulary files",
    )
    assert ("is not set" in outcome.stderr) == (cache == "unset")


BAD_UPSTREAMS = {
    "ftp://example.com/v1": "its scheme must be http or https (it has 'ftp')",
    "api.openai.com/v1": "its scheme must be http or https (it has none)",
    "https:///v1": "it has no host",
    "https://user:sk-SECRET-4242@api.example.com/v1": "it holds credentials (user:password@)",
    "https://api.example.com/v1?api-key=sk-SECRET-4242": "it has a query",
    "https://api.example.com/v1#top": "it has a fragment",
    "https://api.example.com:99999/v1": "it is not a URL (Port out of range",
    "https://api.example.com/v 1": "it holds spaces or control characters",
}


@pytest.mark.parametrize("url", sorted(BAD_UPSTREAMS))
def test_a_malformed_upstream_refuses_to_start(tmp_path: Path, url: str) -> None:
    outcome = run_proxy(tmp_path, ["--upstream", url], dict(os.environ))
    assert_refused(outcome, 2, "--upstream is not a usable base URL: " + BAD_UPSTREAMS[url])
    assert "SECRET" not in outcome.stderr  # a key in the URL is never echoed


@pytest.mark.parametrize(
    "url",
    [
        "https://api.openai.com/v1",
        "https://api.anthropic.com",
        "http://127.0.0.1:8080/v1/",
        "http://[::1]:11434/v1",
        "HTTPS://Gateway.Example.com/openai/deployments/x",
    ],
)
def test_well_formed_upstreams_are_accepted(url: str) -> None:
    assert upstream_problem(url) is None


def test_a_taken_port_refuses_to_start(tmp_path: Path) -> None:
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    holder.setblocking(False)
    port = holder.getsockname()[1]
    try:
        outcome = run_proxy(tmp_path, ["--simulator", "--port", str(port)], dict(os.environ))
        with pytest.raises(BlockingIOError):
            holder.accept()  # nothing connected to the port while the proxy ran
    finally:
        holder.close()
    assert_refused(
        outcome,
        3,
        f"cannot listen on 127.0.0.1:{port} (Address already in use)",
        "leave --port out to get any free port",
    )


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_a_port_out_of_range_refuses_to_start(tmp_path: Path, port: str) -> None:
    outcome = run_proxy(tmp_path, ["--simulator", "--port", port], dict(os.environ))
    assert_refused(outcome, 2, f"--port {port} is not a port number")


def test_every_problem_is_named_at_once_and_bad_input_wins(
    tmp_path: Path, closed_port: int
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    env = offline_env(tmp_path, closed_port, TIKTOKEN_CACHE_DIR=str(empty))
    outcome = run_proxy(tmp_path, ["--upstream", "ftp://example.com"], env)
    assert_refused(outcome, 2, "--upstream is not a usable base URL", "tokenizer vocabulary")
    assert len(outcome.stderr.splitlines()) == 3


def test_a_missing_cassette_is_named_with_the_other_problems(
    tmp_path: Path, closed_port: int
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    env = offline_env(tmp_path, closed_port, TIKTOKEN_CACHE_DIR=str(empty))
    outcome = run_proxy(tmp_path, ["--cassette", str(tmp_path / "none.json")], env)
    assert_refused(outcome, 2, "none.json:1:1: no such cassette file", "tokenizer vocabulary")
