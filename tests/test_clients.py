"""Live model clients against a local server: retries, Retry-After, limits, wire formats."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterator

import pytest

from replay.cassettes import NEW_EPISODES, OFFLINE, Cassette
from replay.clients import ChatClient, LiveModelSpec, RetrySpec, parse_retry_after
from replay.models import ModelError
from replay.trace import Message

from .fakellm import Canned, FakeLLM, openai_body

KEY = "sk-test-SENTINEL-0123456789"


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    with FakeLLM().running() as server:
        yield server


def msg(role: str, content: str) -> Message:
    return Message(id=content[:8], role=role, content=content, tokens=1, turn=1, kind="user")


def client(
    server: FakeLLM, provider: str = "openai", sleeps: list[float] | None = None, **retry: float
) -> ChatClient:
    base = server.url + ("/v1" if provider == "openai" else "")
    spec = LiveModelSpec(
        provider=provider,
        model="test-model",
        base_url=base,
        api_key_env="TEST_KEY",
        timeout=float(retry.pop("timeout", 5.0)),
        retry=RetrySpec(
            max_attempts=int(retry.pop("max_attempts", 4)),
            max_time=retry.pop("max_time", 30.0),
            max_wait=retry.pop("max_wait", 5.0),
            initial_wait=0.001,
        ),
    )
    if sleeps is None:
        return ChatClient(spec, environ={"TEST_KEY": KEY}, sleep=time.sleep)
    return ChatClient(spec, environ={"TEST_KEY": KEY}, sleep=sleeps.append)


def test_openai_request_wire_format_and_auth(fake_llm: FakeLLM) -> None:
    text = client(fake_llm, sleeps=[]).complete_text(
        [msg("system", "Be an AI."), msg("user", "Hi")]
    )
    assert text == "Sure, done."
    (request,) = fake_llm.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body["messages"] == [
        {"role": "system", "content": "Be an AI."},
        {"role": "user", "content": "Hi"},
    ]


def test_anthropic_takes_system_prompt_in_system_field(fake_llm: FakeLLM) -> None:
    chat = client(fake_llm, provider="anthropic")
    messages = [msg("system", "Be an AI."), msg("user", "Hi"), msg("user", "There?")]
    assert chat.complete_text(messages) == "Sure, done."
    (request,) = fake_llm.requests
    assert request.path == "/v1/messages"
    assert request.headers["x-api-key"] == KEY
    assert request.headers["anthropic-version"]
    assert request.body["system"] == "Be an AI."
    assert request.body["messages"] == [{"role": "user", "content": "Hi\n\nThere?"}]
    assert request.body["max_tokens"] >= 1


def test_429_retry_after_is_honoured(fake_llm: FakeLLM) -> None:
    fake_llm.queue += [Canned(429, {"error": "slow down"}, {"retry-after": "2"})]
    sleeps: list[float] = []
    assert client(fake_llm, sleeps=sleeps).complete_text([msg("user", "Hi")]) == "Sure, done."
    assert len(fake_llm.requests) == 2
    assert sleeps == [2.0]


def test_retry_after_is_capped(fake_llm: FakeLLM) -> None:
    fake_llm.queue += [Canned(503, "busy", {"retry-after": "3600"})]
    sleeps: list[float] = []
    client(fake_llm, sleeps=sleeps, max_wait=0.5).complete_text([msg("user", "Hi")])
    assert sleeps == [0.5]


def test_retry_after_http_date() -> None:
    now = time.time()
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("soon") is None


def test_500s_exhaust_attempts_with_a_clear_error(fake_llm: FakeLLM) -> None:
    fake_llm.queue += [Canned(500, "upstream exploded")] * 5
    with pytest.raises(ModelError, match=r"gave up after 3 attempt\(s\).*HTTP 500"):
        client(fake_llm, max_attempts=3).complete_text([msg("user", "Hi")])
    assert len(fake_llm.requests) == 3


def test_total_time_bounds_retries(fake_llm: FakeLLM) -> None:
    # Real (short) waits: a second 0.6s wait would overrun the 1s budget, so it stops after
    # two attempts although ten are allowed. (tenacity measures with its own monotonic clock;
    # the margins leave a loaded machine 0.4s for each local request.)
    fake_llm.queue += [Canned(429, "no", {"retry-after": "0.6"})] * 5
    with pytest.raises(ModelError, match=r"gave up after 2 attempt\(s\)"):
        client(fake_llm, max_attempts=10, max_time=1.0).complete_text([msg("user", "Hi")])
    assert len(fake_llm.requests) == 2


def test_timeouts_are_retried_then_fail(fake_llm: FakeLLM) -> None:
    fake_llm.queue += [Canned(200, openai_body("late"), delay=0.5)] * 2
    with pytest.raises(ModelError, match="timed out"):
        client(fake_llm, sleeps=[], max_attempts=2, timeout=0.1).complete_text([msg("user", "Hi")])
    assert len(fake_llm.requests) == 2


def test_timeout_then_success(fake_llm: FakeLLM) -> None:
    fake_llm.queue += [Canned(200, openai_body("late"), delay=0.5)]
    assert (
        client(fake_llm, sleeps=[], timeout=0.2).complete_text([msg("user", "Hi")]) == "Sure, done."
    )


def test_malformed_json_is_an_error_not_a_reply(fake_llm: FakeLLM) -> None:
    fake_llm.queue += [Canned(200, "{not json")]
    with pytest.raises(ModelError, match="not JSON"):
        client(fake_llm).complete_text([msg("user", "Hi")])
    assert len(fake_llm.requests) == 1


def test_401_is_not_retried_and_the_echoed_key_is_redacted(fake_llm: FakeLLM) -> None:
    fake_llm.queue += [Canned(401, {"error": f"Incorrect API key provided: {KEY}"})]
    with pytest.raises(ModelError) as info:
        client(fake_llm).complete_text([msg("user", "Hi")])
    assert "TEST_KEY" in str(info.value)
    assert KEY not in str(info.value)
    assert len(fake_llm.requests) == 1


def test_missing_key_names_the_variable() -> None:
    spec = LiveModelSpec(provider="openai", model="m", api_key_env="NOPE_KEY")
    with pytest.raises(ModelError, match="NOPE_KEY is not set"):
        ChatClient(spec, environ={})


def test_cassette_records_then_replays_offline(fake_llm: FakeLLM, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "c.json"
    recording = client(fake_llm)
    recording.cassette = Cassette(path, NEW_EPISODES)
    assert recording.complete_text([msg("user", "Hi")]) == "Sure, done."
    assert not path.exists()  # saved at close, not rewritten after every exchange
    recording.close()
    assert KEY not in path.read_text()
    offline = client(fake_llm)
    offline.cassette = Cassette(path, OFFLINE)
    assert offline.complete_text([msg("user", "Hi")]) == "Sure, done."
    with pytest.raises(ModelError, match="not in cassette"):
        offline.complete_text([msg("user", "Something new")])
    assert len(fake_llm.requests) == 1  # offline never touched the network


def test_a_long_recording_is_flushed_now_and_then(tmp_path: object) -> None:
    from pathlib import Path

    from replay.cassettes import FLUSH_EVERY

    path = Path(str(tmp_path)) / "c.json"
    cassette = Cassette(path, NEW_EPISODES)
    for i in range(FLUSH_EVERY + 1):
        cassette.record("openai", {"messages": [{"role": "user", "content": str(i)}]}, {"n": i})
    assert len(json.loads(path.read_text())["interactions"]) == FLUSH_EVERY
    cassette.close()
    assert len(json.loads(path.read_text())["interactions"]) == FLUSH_EVERY + 1
