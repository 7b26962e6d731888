"""The scale suite in small (issue 19): the rate-limited fake model server, and ``replay run``
of 12 live-model scenarios against it at -j 1 and -j 3 under a shared limit.

The tests named ``test_parallel_*`` need ``replay run -j N`` and ``--rate-limit`` (the lead's
part of issue 19): run them with ``pytest tests/test_scale.py -k parallel`` once those exist.
Their timing never decides anything: the server's latency is tiny and the asserts are about
counts (calls answered, calls traced, the most requests in flight) and bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.workers import local_cluster

from .ratelimited_llm import (
    API_KEY,
    API_KEY_ENV,
    CALLS_PER_SCENARIO,
    DISCLOSURE,
    RateLimitedLLM,
    Stats,
    trace_model_calls,
    write_scenarios,
)

SCENARIOS = 12
REPORT_FILES = ("report.json", "report.md", "report.html", "junit.xml")
BODY = {"model": "m", "messages": [{"role": "user", "content": "Where is order #7 today?"}]}


def post(
    server: RateLimitedLLM, body: Any = BODY, path: str = "/chat/completions"
) -> httpx.Response:
    return httpx.post(server.url + path, json=body, timeout=30)


def frozen_clock() -> tuple[list[float], Callable[[], float]]:
    now = [100.0]
    return now, lambda: now[0]


# -- the server


def test_server_refuses_over_the_rate_at_once_with_retry_after() -> None:
    now, clock = frozen_clock()
    with RateLimitedLLM(0, rps=2, clock=clock).running() as server:
        assert [post(server).status_code for _ in range(2)] == [200, 200]
        refused = post(server)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"  # whole seconds, rounded up
        assert refused.headers["retry-after-ms"] == "1000"  # the oldest leaves the window
        error = refused.json()["error"]
        assert error["type"] == error["code"] == "rate_limit_exceeded"
        now[0] += 0.25
        assert post(server).headers["retry-after-ms"] == "750"
        now[0] += 0.75  # the first two leave the window: two more are let through
        assert [post(server).status_code for _ in range(3)] == [200, 200, 429]
        assert server.stats() == Stats(requests=7, ok=4, rate_limited=3, bad=0, max_concurrency=1)


def test_server_refuses_over_concurrency_at_once_and_counts_the_peak() -> None:
    gate = threading.Event()
    statuses: list[int] = []
    with RateLimitedLLM(0, concurrent=2, gate=gate).running() as server:
        held = [
            threading.Thread(target=lambda: statuses.append(post(server).status_code))
            for _ in range(2)
        ]
        for thread in held:
            thread.start()
        assert server.wait_serving(2)
        refused = post(server)  # answered while the two are held: it cannot wait on the gate
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        gate.set()
        for thread in held:
            thread.join(30)
        assert statuses == [200, 200]
        assert server.stats() == Stats(requests=3, ok=2, rate_limited=1, bad=0, max_concurrency=3)
        assert post(server).status_code == 200  # slots free again


def test_server_reply_depends_only_on_the_messages() -> None:
    with RateLimitedLLM(0).running() as server:
        first, again = post(server).json(), post(server).json()
        other = post(server, {"messages": [{"role": "user", "content": "Am I talking to a bot?"}]})
        text = first["choices"][0]["message"]["content"]
        assert first == again
        assert text == f"{DISCLOSURE} You said: Where is order #7 today?"
        assert first["usage"]["prompt_tokens"] == 5  # words of the messages
        assert first["usage"]["completion_tokens"] == len(text.split())
        assert other.json()["choices"][0]["message"]["content"] != text
        assert post(server, path="/embeddings").status_code == 404
        assert post(server, {"model": "m"}).status_code == 400
        assert server.stats().bad == 2


# -- the suite


def replay_run(folder: Path, report: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", **{API_KEY_ENV: API_KEY})
    argv = [sys.executable, "-m", "replay.cli", "run", str(folder), "--report-dir", str(report)]
    return subprocess.run(
        [*argv, *options], capture_output=True, text=True, env=env, cwd=folder.parent, timeout=120
    )


def report_bytes(report: Path) -> dict[str, bytes]:
    files = {name: (report / name).read_bytes() for name in REPORT_FILES}
    for trace in sorted((report / "traces").glob("*.trace.jsonl")):
        files[f"traces/{trace.name}"] = trace.read_bytes()
    return files


def run_suite(
    tmp_path: Path, server: RateLimitedLLM, *options: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, bytes], int, Stats]:
    """One run of the suite into ``tmp_path/report`` (the same path every time, so stdout names
    the same files); returns the result, the report's bytes, the traced calls, the server's
    counters; then the report folder is moved aside."""
    suite, report = tmp_path / "suite", tmp_path / "report"
    server.reset()
    result = replay_run(suite, report, *options)
    stats = server.stats()
    assert result.returncode == 0, result.stdout + result.stderr
    files, calls = report_bytes(report), trace_model_calls(report / "traces")
    shutil.move(report, tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}")
    return result, files, calls, stats


def test_suite_at_j1_passes_with_every_call_answered_once(tmp_path: Path) -> None:
    with RateLimitedLLM(0.01, concurrent=2).running() as server:
        write_scenarios(tmp_path / "suite", SCENARIOS, server.url, max_wait=0.05)
        result, files, calls, stats = run_suite(tmp_path, server)
    assert f"{SCENARIOS} scenarios: {SCENARIOS} passed" in result.stdout
    assert calls == SCENARIOS * CALLS_PER_SCENARIO == stats.ok == stats.requests
    assert stats.rate_limited == 0 and stats.max_concurrency == 1
    assert len([name for name in files if name.startswith("traces/")]) == SCENARIOS


def test_parallel_j3_under_a_shared_limit_matches_j1(tmp_path: Path) -> None:
    """NEEDS `replay run -j` and `--rate-limit` (issue 19, the lead's part)."""
    with RateLimitedLLM(0.01, concurrent=2).running() as server:
        write_scenarios(tmp_path / "suite", SCENARIOS, server.url, max_wait=0.05)
        serial, serial_files, serial_calls, _ = run_suite(tmp_path, server)
        # Long enough that three workers without a shared limit overlap on almost every call
        # (tried: peak 3 and 40 429s); at 0.01 s replay's own work between calls keeps them
        # apart, and the peak below would hold without any limiter. The reply does not change.
        server.latency = 0.25
        parallel, files, calls, stats = run_suite(
            tmp_path, server, "-j", "3", "--rate-limit", "openai:concurrent=2"
        )
    assert parallel.stdout == serial.stdout
    differ = [name for name in serial_files if files.get(name) != serial_files[name]]
    assert not differ and files.keys() == serial_files.keys(), differ
    assert stats.max_concurrency <= 2  # replay's limiter held, across its worker processes
    # A 429 the limiter could not prevent must have been retried, never a failure (exit 0
    # above) nor a call answered twice: every 200 is exactly one traced call.
    assert calls == serial_calls == SCENARIOS * CALLS_PER_SCENARIO == stats.ok
    assert stats.requests == stats.ok + stats.rate_limited


def test_parallel_dask_keeps_to_the_shared_limit_in_its_actor(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Two Dask workers under --rate-limit openai:concurrent=1: the limiter actor lets one call
    out at a time (the server saw one in flight, refused none), the output is -j 1's."""
    monkeypatch.setenv(API_KEY_ENV, API_KEY)  # the workers read the key from their environment
    with RateLimitedLLM(0.05, concurrent=1).running() as server:
        write_scenarios(tmp_path / "suite", 6, server.url, max_wait=0.05)
        serial, serial_files, _, _ = run_suite(tmp_path, server)
        with local_cluster(threads_per_worker=2) as address:
            remote, files, calls, stats = run_suite(
                tmp_path,
                server,
                "--dask",
                address,
                "--rate-limit",
                "openai:concurrent=1",
            )
    assert remote.stdout == serial.stdout
    assert files == serial_files
    assert stats.max_concurrency == 1 and stats.rate_limited == 0
    assert calls == 6 * CALLS_PER_SCENARIO == stats.ok
