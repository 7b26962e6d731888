"""Token counting: OpenAI chat-format overhead, approximate counting, one encode per message."""

from __future__ import annotations

import pytest
import tiktoken

from replay.loop import TokenCounter
from replay.loop import _tokens as tokens

from .helpers import factory


def test_chat_message_overhead_matches_openai_format() -> None:
    encoding = tiktoken.get_encoding("o200k_base")
    text = "Hello, I'd like to return order #4417."
    counter = TokenCounter("o200k_base")
    # 3 framing tokens + the role ("user" is one token) + the content.
    assert counter.message("user", text) == 3 + 1 + len(encoding.encode(text))
    assert counter.text(text) == len(encoding.encode(text))


def test_encodings_differ_and_are_selectable() -> None:
    text = "Résumé: naïve café ☕ — 東京 " * 20
    assert TokenCounter("cl100k_base").text(text) != TokenCounter("o200k_base").text(text)


def test_approximate_counts_like_langchain() -> None:
    counter = TokenCounter(tokens.APPROXIMATE)
    assert counter.message("user", "x" * 10) == 3 + 3  # ceil(10 / 4) + 3
    assert counter.text("x" * 8) == 2


def test_special_token_text_is_counted_not_rejected() -> None:
    assert TokenCounter().text("<|endoftext|>") > 1


def test_each_message_is_encoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = TokenCounter.text

    def counting(self: TokenCounter, text: str) -> int:
        nonlocal calls
        calls += 1
        return real(self, text)

    monkeypatch.setattr(TokenCounter, "text", counting)
    make = factory()
    message = make.make("user", "hello there", kind="user", turn=1, minutes=0)
    for _ in range(5):
        assert message.tokens > 0
    assert calls == 1
