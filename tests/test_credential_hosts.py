"""Credentials go only where intended (docs/security.md, "Credentials").

A key (the value of ``api_key_env``) is sent only to its provider's own host over https, to a
host the user allowed (``--allow-host``, ``REPLAY_ALLOW_HOSTS``) over https, or to a loopback
host; never over plain http elsewhere, even when allowed; and well-known credentials of other
services never. ``replay validate`` and ``replay run`` refuse a scenario that breaks the rule
(exit 2 at the api_key_env key's file:line:col) before anything connects, and every client
refuses again before its first connection.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from replay.models import CredentialRefused
from replay.models._live import _env_proxy
from replay.spec import LiveModelSpec
from replay.trace import Message
from replay.trust import credential_route

from .fakellm import FakeLLM, openai_body
from .test_untrusted_code import replay

KEY = "sk-hosts-SENTINEL-27182"

LIVE = """\
scenario: live
agent:
  system_prompt: "You are a helpful assistant. Always tell users you are an AI assistant."
  model:
    type: {provider}
    model: gpt-test
    base_url: {base_url}
    api_key_env: {variable}
    max_attempts: 1
    timeout: 10
conversation:
  turns:
    - user: "Hello, I need help with order #12."
checks:
  - context_retains
"""
KEY_AT = ":8:5: agent.model.api_key_env: "  # where api_key_env is written above


def scenario(
    tmp_path: Path,
    base_url: str,
    variable: str = "REPLAY_TEST_KEY",
    provider: str = "openai",
    name: str = "live.yaml",
) -> Path:
    path = tmp_path / name
    text = LIVE.format(provider=provider, base_url=base_url, variable=variable)
    if base_url == "default":
        text = text.replace("    base_url: default\n", "")
    path.write_text(text, encoding="utf-8")
    return path


class ConnectionCounter:
    """A TCP listener on 127.0.0.1 that counts connections and closes each at once: set as
    HTTPS_PROXY, it sees every connection a client tries to make to any https host."""

    def __init__(self) -> None:
        self.count = 0
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self.count += 1  # before closing: the client sees the close after the count
            connection.close()

    def close(self) -> None:
        self._socket.close()
        self._thread.join(timeout=5)


@pytest.fixture
def counter() -> Iterator[ConnectionCounter]:
    listener = ConnectionCounter()
    try:
        yield listener
    finally:
        listener.close()


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    with FakeLLM("Hi, I'm an AI assistant.").running() as server:
        yield server


def via(counter: ConnectionCounter, **extra: str) -> dict[str, str]:
    """The environment of a run whose every https connection goes to ``counter``."""
    return {
        "REPLAY_TEST_KEY": KEY,
        "HTTPS_PROXY": counter.url,
        "https_proxy": counter.url,
        "NO_PROXY": "",
        "no_proxy": "",
        **extra,
    }


def refused(done: subprocess.CompletedProcess[str], where: str, *parts: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert where in done.stderr, done.stderr
    for part in parts:
        assert part in done.stderr, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert KEY not in done.stdout + done.stderr


# ----------------------------------------------------------------------------- validate


@pytest.mark.parametrize(
    ("provider", "host"), [("openai", "api.openai.com"), ("anthropic", "api.anthropic.com")]
)
def test_the_providers_own_host_is_allowed_and_listed(
    tmp_path: Path, provider: str, host: str
) -> None:
    path = scenario(tmp_path, "default", provider=provider)
    done = replay("validate", path)
    assert done.returncode == 0, done.stderr
    assert (
        f"  credential $REPLAY_TEST_KEY -> host {host} (allowed because: {provider}'s own host) "
        f"({path}:7:5)" in done.stdout
    )


def test_a_loopback_host_is_allowed_over_http(tmp_path: Path) -> None:
    for url, host in (
        ("http://127.0.0.1:8080/v1", "127.0.0.1"),
        ("http://localhost:8080/v1", "localhost"),
        ("http://[::1]:8080/v1", "::1"),
    ):
        done = replay("validate", scenario(tmp_path, url))
        assert done.returncode == 0, done.stderr
        assert f"-> host {host} (allowed because: loopback (this machine))" in done.stdout


def test_another_https_host_is_refused_unless_allowed(tmp_path: Path) -> None:
    path = scenario(tmp_path, "https://llm.example.com/v1")
    refused(
        replay("validate", path),
        f"{path}{KEY_AT}refused to send the credential $REPLAY_TEST_KEY to llm.example.com",
        "not openai's own host (api.openai.com)",
        "--allow-host llm.example.com (or REPLAY_ALLOW_HOSTS=llm.example.com)",
    )
    for args, env in (
        (("--allow-host", "llm.example.com"), {}),
        (("--allow-host", "LLM.Example.COM."), {}),
        ((), {"REPLAY_ALLOW_HOSTS": "other.example, llm.example.com"}),
    ):
        done = replay("validate", path, *args, env=env)
        assert done.returncode == 0, done.stderr
        assert (
            "credential $REPLAY_TEST_KEY -> host llm.example.com (allowed because: "
            "--allow-host / REPLAY_ALLOW_HOSTS)" in done.stdout
        )
    # Allowing one host allows no other.
    refused(replay("validate", path, "--allow-host", "other.example"), f"{path}{KEY_AT}")


def test_plain_http_to_a_non_loopback_host_is_refused_even_when_allowed(tmp_path: Path) -> None:
    for url, host in (
        ("http://llm.example.com/v1", "llm.example.com"),
        ("http://api.openai.com/v1", "api.openai.com"),
    ):
        path = scenario(tmp_path, url)
        refused(
            replay("validate", path, "--allow-host", host),
            f"{path}{KEY_AT}",
            "would travel unencrypted over http://",
            "write https:// in base_url",
        )


def test_a_crafted_url_is_judged_by_the_host_it_connects_to(tmp_path: Path) -> None:
    path = scenario(tmp_path, "https://api.openai.com@evil.example/v1")
    refused(replay("validate", path), f"{path}{KEY_AT}", "to evil.example")


@pytest.mark.parametrize("variable", ["AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN"])
def test_other_services_credentials_are_never_sent(tmp_path: Path, variable: str) -> None:
    path = scenario(tmp_path, "default", variable=variable)
    done = replay("validate", path, env={variable: KEY})
    refused(
        done,
        f"{path}:7:5: agent.model.api_key_env: refused to send the credential ${variable}",
        "another service's credential",
        "export the model's key under a name of its own",
    )


def test_a_bad_allowed_host_is_a_usage_error(tmp_path: Path) -> None:
    path = scenario(tmp_path, "default")
    for args, env in (
        (("--allow-host", "https://llm.example.com/"), {}),
        (("--allow-host", "*.example.com"), {}),
        ((), {"REPLAY_ALLOW_HOSTS": "llm.example.com:443"}),
    ):
        done = replay("validate", path, *args, env=env)
        assert done.returncode == 2, done.stdout
        assert "is not a host name; give the host alone" in done.stderr
        assert "Traceback" not in done.stderr


# ----------------------------------------------------------------------------- run


def test_run_refuses_before_connecting(tmp_path: Path, counter: ConnectionCounter) -> None:
    https = scenario(tmp_path, "https://llm.example.com/v1", name="https.yaml")
    http = scenario(tmp_path, "http://llm.example.com/v1", name="http.yaml")
    refused(replay("run", https, env=via(counter)), f"{https}{KEY_AT}", "--allow-host")
    refused(
        replay("run", http, "--allow-host", "llm.example.com", env=via(counter)),
        f"{http}{KEY_AT}",
        "unencrypted",
    )
    assert counter.count == 0


def test_an_allowed_host_reaches_the_client(tmp_path: Path, counter: ConnectionCounter) -> None:
    """--allow-host is handed to the run: the client connects (here to the counting proxy,
    which closes the connection: the run could not complete, exit 3)."""
    path = scenario(tmp_path, "https://llm.example.com/v1")
    done = replay("run", path, "--allow-host", "llm.example.com", env=via(counter))
    assert done.returncode == 3, done.stdout + done.stderr
    assert counter.count >= 1
    assert KEY not in done.stdout + done.stderr


def test_run_verbose_lists_each_credential_and_its_host_first(
    tmp_path: Path, fake_llm: FakeLLM
) -> None:
    path = scenario(tmp_path, fake_llm.url + "/v1")
    done = replay("run", "-v", path, env={"REPLAY_TEST_KEY": KEY})
    assert done.returncode in (0, 1), done.stdout + done.stderr
    line = (
        "live: credential $REPLAY_TEST_KEY -> host 127.0.0.1 (allowed because: loopback "
        f"(this machine)) ({path}:8:5)"
    )
    assert done.stdout.startswith(line + "\n"), done.stdout
    assert KEY not in done.stdout + done.stderr
    assert fake_llm.requests[0].headers["authorization"] == f"Bearer {KEY}"
    # Without -v the listing is not printed.
    assert "credential $" not in replay("run", path, env={"REPLAY_TEST_KEY": KEY}).stdout


# ----------------------------------------------------------------------------- the client


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=openai_body("Hi, I'm an AI assistant."))


HELLO = [Message(id="u1", role="user", content="hello", tokens=1, turn=1, kind="user")]


def client(spec: LiveModelSpec, recorder: Recorder, **environ: str) -> object:
    from replay.models import ChatClient

    return ChatClient(
        spec, environ={"K": KEY, **environ}, transport=httpx.MockTransport(recorder)
    ).complete_text(HELLO)


def test_the_client_refuses_before_any_connection(tmp_path: Path) -> None:
    """Defense in depth: a caller of the Python API that skipped validation is refused too."""
    recorder = Recorder()
    for spec in (
        LiveModelSpec("openai", "m", base_url="https://llm.example.com/v1", api_key_env="K"),
        LiveModelSpec(
            "openai",
            "m",
            base_url="http://llm.example.com/v1",
            api_key_env="K",
            allowed_hosts=frozenset({"llm.example.com"}),
        ),
        LiveModelSpec("openai", "m", api_key_env="AWS_SECRET_ACCESS_KEY"),
    ):
        with pytest.raises(CredentialRefused, match="Nothing was sent") as caught:
            client(spec, recorder, AWS_SECRET_ACCESS_KEY=KEY)
        assert KEY not in str(caught.value)
    assert recorder.requests == []


def test_the_client_sends_the_key_where_the_rule_allows(tmp_path: Path) -> None:
    recorder = Recorder()
    client(LiveModelSpec("openai", "m", api_key_env="K"), recorder)
    spec = LiveModelSpec("openai", "m", base_url="https://llm.example.com/v1", api_key_env="K")
    client(spec, recorder, REPLAY_ALLOW_HOSTS="llm.example.com")
    client(
        LiveModelSpec(
            "openai",
            "m",
            base_url="https://llm.example.com/v1",
            api_key_env="K",
            allowed_hosts=frozenset({"llm.example.com"}),
        ),
        recorder,
    )
    assert [r.url.host for r in recorder.requests] == [
        "api.openai.com",
        "llm.example.com",
        "llm.example.com",
    ]
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in recorder.requests)


def test_a_model_without_a_credential_is_not_restricted() -> None:
    recorder = Recorder()
    client(LiveModelSpec("openai", "m", base_url="http://llm.example.com/v1"), recorder)
    assert "authorization" not in recorder.requests[0].headers


def test_a_loopback_endpoint_is_never_reached_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A key allowed over http because it stays on this machine must not go to a proxy."""
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert _env_proxy("http://127.0.0.1:8080/v1/chat/completions") is None
    assert _env_proxy("http://localhost:8080/v1/chat/completions") is None
    assert _env_proxy("https://api.openai.com/v1/chat/completions") == "http://proxy.example:3128"


def test_the_rule_table() -> None:
    def verdict(provider: str, url: str, allowed: frozenset[str] = frozenset()) -> bool:
        return credential_route(provider, url, "K", allowed).allowed

    assert verdict("openai", "https://api.openai.com/v1")
    assert verdict("anthropic", "https://api.anthropic.com")
    assert not verdict("openai", "https://api.anthropic.com")  # not the openai key's host
    assert verdict("openai", "http://127.0.0.5:1/v1")
    assert not verdict("openai", "https://api.openai.com.evil.example/v1")
    assert not verdict("openai", "https://evil.example/v1")
    assert verdict("openai", "https://evil.example/v1", frozenset({"evil.example"}))
    assert not verdict("openai", "http://evil.example/v1", frozenset({"evil.example"}))
    assert not verdict("openai", "not a url")


SUMMARY_MODEL = """\
scenario: summary-model
agent:
  system_prompt: "You are a helpful assistant. Always tell users you are an AI assistant."
  compaction:
    policy: summarize
    trigger: {tokens: 20}
    summarizer:
      type: model
      model: {type: anthropic, model: m, base_url: "https://llm.example.com", api_key_env: K}
conversation:
  turns:
    - user: "Hello, I need help with order #12."
checks:
  - context_retains
"""


def test_a_summary_models_credential_is_held_to_the_rule_too(tmp_path: Path) -> None:
    path = tmp_path / "summary.yaml"
    path.write_text(SUMMARY_MODEL, encoding="utf-8")
    refused(
        replay("validate", path),
        f"{path}:9:79: agent.compaction.summarizer.model.api_key_env: refused to send the "
        "credential $K to llm.example.com",
        "not anthropic's own host (api.anthropic.com)",
    )
    done = replay("validate", path, "--allow-host", "llm.example.com")
    assert done.returncode == 0, done.stderr
    assert "credential $K -> host llm.example.com (allowed because: --allow-host" in done.stdout
