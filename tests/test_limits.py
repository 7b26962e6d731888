"""The run's shared rate limits (replay.limits) and the scale options of replay run."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

import pytest

from replay.cli import main
from replay.cli._scale import reproducing_argv
from replay.errors import InvalidInput
from replay.files._config import load_config, rate_limit
from replay.limits import Gate, Limiter
from replay.limits._limiter import POLL
from replay.spec._scale import RateLimit
from tests.helpers import SCENARIOS


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_requests_per_minute_are_spaced_after_a_tenth_of_a_seconds_burst() -> None:
    clock = Clock()
    limiter = Limiter([RateLimit("openai", rpm=1200)], clock)  # 20 a second, a burst of 2
    assert limiter.reserve("openai", 10, 60)[0] == 0
    assert limiter.reserve("openai", 10, 60)[0] == 0
    wait, slot = limiter.reserve("openai", 10, 60)
    assert slot == 0 and wait == pytest.approx(0.05)
    clock.now += 0.05
    assert limiter.reserve("openai", 10, 60)[0] == 0


def test_tokens_per_minute_charge_the_estimate_and_correct_it_with_the_usage() -> None:
    clock = Clock()
    limiter = Limiter([RateLimit("openai", tpm=60_000)], clock)  # 1,000 a second, 100 at once
    wait, slot = limiter.reserve("openai", 80, 60)
    assert wait == 0
    assert limiter.reserve("openai", 80, 60)[0] == pytest.approx(0.06)  # 20 left, 80 wanted
    limiter.release("openai", slot, 80, used=20)  # it used less: 60 tokens come back
    assert limiter.reserve("openai", 80, 60)[0] == 0
    # A call larger than the bucket waits for a full bucket, then goes (never starves).
    clock.now += 10
    assert limiter.reserve("openai", 10_000, 60)[0] == 0


def test_calls_in_flight_wait_for_a_slot_and_a_lost_slot_is_taken_back() -> None:
    clock = Clock()
    limiter = Limiter([RateLimit("anthropic", concurrent=1)], clock)
    wait, slot = limiter.reserve("anthropic", 1, lease=30)
    assert wait == 0 and slot
    assert limiter.reserve("anthropic", 1, lease=30) == (POLL, 0)
    clock.now += 30  # its worker died mid-call: the lease ran out
    wait, second = limiter.reserve("anthropic", 1, lease=30)
    assert wait == 0 and second != slot
    limiter.release("anthropic", slot, 1, None)  # a late release of the old slot changes nothing
    assert limiter.reserve("anthropic", 1, lease=30) == (POLL, 0)
    limiter.release("anthropic", second, 1, None)
    assert limiter.reserve("anthropic", 1, lease=30)[0] == 0


def test_retry_after_pauses_every_caller_of_the_provider() -> None:
    clock = Clock()
    limiter = Limiter([RateLimit("openai", concurrent=10)], clock)
    _, slot = limiter.reserve("openai", 1, 60)
    limiter.release("openai", slot, 1, None, retry_after=7.0)
    assert limiter.reserve("openai", 1, 60) == (7.0, 0)  # another worker backs off too
    clock.now += 7
    assert limiter.reserve("openai", 1, 60)[0] == 0
    assert limiter.reserve("anthropic", 1, 60) == (0.0, 0)  # not limited: never waits
    assert limiter.counters() == (1, 1)


def test_the_gate_sleeps_until_granted_and_reports_how_the_call_went() -> None:
    clock = Clock()
    limiter = Limiter([RateLimit("openai", rpm=60)], clock)  # 1 per second
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    gate = Gate(limiter, sleep)
    with gate.slot("openai", 5, 60):
        pass
    with gate.slot("openai", 5, 60) as slot:
        slot.retry_after = 3.0
    assert slept == [pytest.approx(1.0)]
    with gate.slot("openai", 5, 60):
        pass
    assert slept[1:] == [pytest.approx(3.0)]


def test_rate_limit_options_parse_and_refuse_bad_ones() -> None:
    assert rate_limit("openai:rpm=500,tpm=20000,concurrent=8") == RateLimit("openai", 500, 20000, 8)
    for bad in ("openai", "google:rpm=1", "openai:rpm=0", "openai:rps=3", "openai:rpm=x"):
        with pytest.raises(argparse.ArgumentTypeError):
            rate_limit(bad)


def test_a_bad_rate_limit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["run", str(SCENARIOS), "--rate-limit", "openai:rpm=0"])
    assert exit.value.code == 2
    assert "rpm must be a whole number >= 1" in capsys.readouterr().err


def test_the_config_file_holds_limits_prices_and_a_budget(tmp_path: Path) -> None:
    config = tmp_path / "replay.toml"
    config.write_text(
        '[limits.openai]\nrpm = 500\nconcurrent = 4\n\n[prices."gpt-4o-mini"]\n'
        'input = "0.15"\noutput = 0.6\n\n[budget]\nmax_cost = "2.50"\n'
    )
    limits, budget, prices = load_config(config)
    assert limits == (RateLimit("openai", rpm=500, concurrent=4),)
    assert budget.max_cost == Decimal("2.50") and budget.max_tokens is None
    assert prices is not None
    price = prices.price_of("openai:gpt-4o-mini")
    assert price is not None
    assert (price.input, price.output) == (Decimal("0.15"), Decimal("0.6"))


@pytest.mark.parametrize(
    ("text", "line", "column", "says"),
    [
        ("[limits.openai]\nrpm = 5\nrps = 3\n", 3, 1, "unknown limit 'rps'"),
        ("[limits.openai]\n  rpm = -1\n", 2, 3, "rpm must be a whole number >= 1"),
        ("[limits.google]\nrpm = 1\n", 1, 1, "expected a provider"),
        ('[prices."m"]\ninput = "x"\noutput = "1"\n', 2, 1, "m.input: not a number"),
        ("[budget]\nmax_cost = 0\n", 2, 1, "expected max_tokens"),
        ("[limits]\nopenai = {rpm = 1\n", 2, 18, "not valid TOML"),
        ("[workers]\n", 1, 1, "unknown table [workers]"),
    ],
)
def test_a_bad_config_file_is_located(
    tmp_path: Path, text: str, line: int, column: int, says: str
) -> None:
    config = tmp_path / "replay.toml"
    config.write_text(text)
    with pytest.raises(InvalidInput) as error:
        load_config(config)
    problem = error.value.problems[0]
    assert (problem.line, problem.column) == (line, column), problem
    assert says in problem.message


def test_a_bad_config_file_stops_the_run_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "limits.toml"
    config.write_text("[limits.openai]\nrpm = 0\n")
    code = main(["run", str(SCENARIOS / "support_bot_pinned.yaml"), "--config", str(config)])
    assert code == 2
    assert f"{config}:2:1: rpm must be a whole number >= 1" in capsys.readouterr().err


def test_the_recorded_command_leaves_out_where_and_how_fast_a_run_went() -> None:
    argv = ["run", "s", "-j", "4", "-j2", "--jobs=3", "--dask", "tcp://h:1", "--rate-limit",
            "openai:rpm=5", "--max-tokens", "9", "--", "-j"]  # fmt: skip
    assert reproducing_argv(argv) == ["run", "s", "--max-tokens", "9", "--", "-j"]


def test_a_live_clients_429_pauses_the_shared_limiter_for_every_worker() -> None:
    from replay.models._live import ChatClient
    from replay.spec._models import LiveModelSpec, RetrySpec
    from replay.trace._records import Message
    from tests.fakellm import Canned, FakeLLM

    clock = Clock()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    limiter = Limiter([RateLimit("openai", concurrent=4)], clock)
    with FakeLLM().running() as server:
        server.queue += [Canned(429, {"error": "slow down"}, {"retry-after": "2"})]
        spec = LiveModelSpec(
            provider="openai",
            model="m",
            base_url=server.url + "/v1",
            api_key_env="TEST_KEY",
            retry=RetrySpec(initial_wait=0.001),
        )
        chat = ChatClient(
            spec, environ={"TEST_KEY": "k"}, gate=Gate(limiter, sleep), sleep=sleep, clock=clock
        )
        user = Message(id="u", role="user", content="Hi", tokens=1, turn=1, kind="user")
        assert chat.complete_text([user]) == "Sure, done."
        chat.close()
    assert len(server.requests) == 2
    assert slept == [2.0]  # the client's own wait; the limiter's pause had passed by then
    assert limiter.counters()[1] == 1  # the pause was shared: every worker's next call waits
    assert limiter.reserve("openai", 1, 60)[0] == 0  # and the slots were all given back


def test_retry_after_ms_is_preferred_and_an_endless_wait_is_no_wait() -> None:
    import httpx

    from replay.models._live import parse_retry_after, retry_after

    assert retry_after(httpx.Headers({"retry-after-ms": "250", "retry-after": "1"})) == 0.25
    assert retry_after(httpx.Headers({"retry-after-ms": "soon", "retry-after": "1"})) == 1.0
    assert parse_retry_after("inf") is None and parse_retry_after("nan") is None
